//! The PostgreSQL store, for production. Writers take one transaction-scoped
//! advisory lock, so the audit chain stays a single line even with several
//! `needsdb serve` processes on one database.

use crate::{Dialect, Result};
use sqlx::Pool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;
pub(crate) const DIALECT: Dialect = Dialect::Postgres;
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Any fixed number; it only has to be the same in every needsdb process.
const WRITE_LOCK: i64 = 0x006e_6565_6473_6462;

pub struct PgStore {
    pub(crate) pool: Pool<Db>,
    pub(crate) publishing: crate::publish_gate::PublishGate,
    /// This process's writers, first come first served (see `write_queue`).
    pub(crate) writes: crate::write_queue::WriteQueue,
    /// Aggregates kept for the data version they were computed at.
    pub(crate) answers: crate::AnswerCache,
}

pub(crate) type SqlStore = PgStore;

impl PgStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = PgConnectOptions::from_str(url)?.application_name("needsdb");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // While the database is away, a request waits this long for a
            // connection, then gets 503 and Retry-After.
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(opts)
            .await?;
        Ok(Self {
            pool,
            publishing: Default::default(),
            writes: Default::default(),
            answers: Default::default(),
        })
    }
}

/// The `YYYY-MM` of a DATE column.
pub(crate) fn month_of(col: &str) -> String {
    format!("to_char({col}, 'YYYY-MM')")
}

/// The needs table as the coverage scan reads it. PostgreSQL picks the covering index itself.
pub(crate) const NEEDS_FOR_COVERAGE: &str = "needs n";

/// The temporary tables an import stages its rows in, on its own connection:
/// writing them takes no lock others wait for.
pub(crate) const STAGING_TABLES: &[&str] = &[
    "DROP TABLE IF EXISTS pg_temp.import_new_needs",
    "CREATE TEMP TABLE import_new_needs (LIKE needs INCLUDING DEFAULTS)",
    "CREATE INDEX ON import_new_needs (country, external_id)",
    // Staged needs are read back in id order, for the digest and the publish.
    "CREATE UNIQUE INDEX ON import_new_needs (id)",
    "DROP TABLE IF EXISTS pg_temp.import_need_updates",
    "CREATE TEMP TABLE import_need_updates (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, need_id BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS pg_temp.import_new_contributions",
    "CREATE TEMP TABLE import_new_contributions (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS pg_temp.import_contribution_stages",
    "CREATE TEMP TABLE import_contribution_stages (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, contribution_id BIGINT NOT NULL, payload TEXT NOT NULL)",
];

/// After rows were inserted with explicit ids, the identity sequence must
/// move past them, or the next ordinary insert would collide.
pub(crate) async fn after_explicit_ids(
    conn: &mut <Db as sqlx::Database>::Connection,
    table: &'static str,
) -> Result<()> {
    let sql = match table {
        "needs" => "SELECT setval(pg_get_serial_sequence('needs', 'id'), (SELECT MAX(id) FROM needs))",
        "contributions" => {
            "SELECT setval(pg_get_serial_sequence('contributions', 'id'), (SELECT MAX(id) FROM contributions))"
        }
        _ => {
            return Err(crate::StoreError::Internal(format!(
                "no identity sequence known for {table}"
            )));
        }
    };
    sqlx::query(sql).execute(&mut *conn).await?;
    Ok(())
}

/// Rows an import must add before its tables are analysed at once.
const ANALYZE_AFTER: i64 = 1000;

/// After an import added many rows, the planner's statistics still describe
/// the tables as they were, and until autovacuum gets to them (a minute or
/// more) it picks bad plans: a contribution import straight after a needs
/// import looked its needs up by scanning an index of every need, 37 ms a
/// query instead of 1. ANALYZE samples, so it stays under a second at a
/// million rows, and takes no lock that readers or writers wait for.
pub(crate) async fn after_bulk_insert(
    conn: &mut <Db as sqlx::Database>::Connection,
    needs: i64,
    contributions: i64,
) -> Result<()> {
    if needs >= ANALYZE_AFTER {
        sqlx::query("ANALYZE needs").execute(&mut *conn).await?;
    }
    if contributions >= ANALYZE_AFTER {
        sqlx::query("ANALYZE contributions, contribution_links")
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// PostgreSQL needs no settings of its own for a bulk import.
pub(crate) async fn import_settings(
    _conn: &mut <Db as sqlx::Database>::Connection,
    _step: crate::ImportStep,
) -> Result<()> {
    Ok(())
}

/// Begins a write and takes the advisory write lock, held to the end of the
/// transaction.
pub(crate) async fn start_write(conn: &mut <Db as sqlx::Database>::Connection) -> Result<()> {
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITE_LOCK)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// The shared implementation, compiled once per dialect (see lib.rs).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
