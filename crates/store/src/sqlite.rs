//! The embedded SQLite store: one file, WAL journal, a busy timeout, and
//! `BEGIN IMMEDIATE` for every write so a read-then-write transaction never
//! fails to upgrade its lock.

use crate::{Dialect, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;
pub(crate) const DIALECT: Dialect = Dialect::Sqlite;
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pub(crate) pool: Pool<Db>,
}

pub(crate) type SqlStore = SqliteStore;

impl SqliteStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(15))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(Self { pool })
    }
}

/// The `YYYY-MM` of a date column (dates are ISO text in SQLite).
pub(crate) fn month_of(col: &str) -> String {
    format!("substr({col}, 1, 7)")
}

/// The needs table as the coverage scan reads it. SQLite would rather use the status index and read every row; the covering index answers coverage alone.
pub(crate) const NEEDS_FOR_COVERAGE: &str = "needs n INDEXED BY needs_coverage";

/// After rows were inserted with explicit ids: SQLite's next rowid already follows them.
pub(crate) async fn after_explicit_ids(
    _conn: &mut <Db as sqlx::Database>::Connection,
    _table: &'static str,
) -> Result<()> {
    Ok(())
}

/// A bulk import writes far more pages than the default 2 MB cache holds,
/// and each multi-row insert keeps a statement journal of the pages it
/// touches: spilling either to disk mid-transaction costs more than the
/// writes themselves. 64 MB of cache and an in-memory statement journal.
pub(crate) async fn import_settings(conn: &mut <Db as sqlx::Database>::Connection, importing: bool) -> Result<()> {
    let sql: [&'static str; 2] = if importing {
        ["PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY"]
    } else {
        ["PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT"]
    };
    for s in sql {
        sqlx::query(s).execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn begin_write(pool: &Pool<Db>) -> Result<Transaction<'static, Db>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

// The shared implementation, compiled once per dialect (see lib.rs).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
