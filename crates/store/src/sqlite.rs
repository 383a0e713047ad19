//! The embedded SQLite store: one file, WAL journal, a busy timeout, and
//! `BEGIN IMMEDIATE` for every write so a read-then-write transaction never
//! fails to upgrade its lock.

use crate::{Dialect, Result};
use sqlx::Pool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;
pub(crate) const DIALECT: Dialect = Dialect::Sqlite;
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub struct SqliteStore {
    pub(crate) pool: Pool<Db>,
    pub(crate) publishing: crate::publish_gate::PublishGate,
    /// This process's writers, first come first served (see `write_queue`).
    pub(crate) writes: crate::write_queue::WriteQueue,
    /// Aggregates kept for the data version they were computed at.
    pub(crate) answers: crate::AnswerCache,
    /// List pages kept for the data version they were read at (`sql::KEPT_PAGES`).
    pub(crate) pages: crate::AnswerCache,
    /// The catalogue writes validate against, and its stamp (`SqlStore::catalogue`).
    pub(crate) catalogue: std::sync::Mutex<Option<(String, std::sync::Arc<needsdb_domain::Catalog>)>>,
    /// Live tokens and sessions with their users, kept per data version (`sql::KEPT_CALLERS`).
    pub(crate) callers: crate::AnswerCache,
    /// Reads of the data version, shared by the requests that ask at once (`shared_read`).
    pub(crate) heads: crate::shared_read::SharedRead<crate::DataVersion>,
}

pub(crate) type SqlStore = SqliteStore;

impl SqliteStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            // Writers queue behind the one at work: the longest is an import's publish,
            // about 10 s for a 64 MiB file here (BENCHMARKS.md). They wait, not fail.
            .busy_timeout(Duration::from_secs(25))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(Self {
            pool,
            publishing: Default::default(),
            writes: Default::default(),
            answers: Default::default(),
            pages: crate::AnswerCache::with_capacity(sql::KEPT_PAGES),
            catalogue: Default::default(),
            heads: Default::default(),
            callers: crate::AnswerCache::with_capacity(sql::KEPT_CALLERS),
        })
    }
}

/// The `YYYY-MM` of a date column (dates are ISO text in SQLite).
pub(crate) fn month_of(col: &str) -> String {
    format!("substr({col}, 1, 7)")
}

/// The needs table as the coverage scan reads it. SQLite would rather use the status index and read every row; the covering index answers coverage alone.
pub(crate) const NEEDS_FOR_COVERAGE: &str = "needs n INDEXED BY needs_coverage";

/// The temporary tables an import stages its rows in, on its own connection:
/// writing them takes no lock on the database, so nobody waits meanwhile.
pub(crate) const STAGING_TABLES: &[&str] = &[
    "DROP TABLE IF EXISTS temp.import_new_needs",
    // Rows arrive in id order and are published in it: the rowid is the id,
    // so appending costs nothing. Repeats are found in memory (`StagedKeys`).
    "CREATE TEMP TABLE import_new_needs (id INTEGER PRIMARY KEY, country TEXT NOT NULL, place TEXT, pcode TEXT,
        item TEXT NOT NULL, quantity BIGINT NOT NULL, amount_minor BIGINT, currency TEXT, usd_rate TEXT,
        priority TEXT NOT NULL, needed_by DATE NOT NULL, justification TEXT NOT NULL, reported_via TEXT NOT NULL,
        external_id TEXT, status TEXT NOT NULL, value_cents BIGINT, people_in_need BIGINT, people_targeted BIGINT,
        people_source TEXT, outcome TEXT)",
    "DROP TABLE IF EXISTS temp.import_need_updates",
    "CREATE TEMP TABLE import_need_updates (seq INTEGER PRIMARY KEY, row_no BIGINT NOT NULL, need_id BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS temp.import_new_contributions",
    "CREATE TEMP TABLE import_new_contributions (seq INTEGER PRIMARY KEY, row_no BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS temp.import_contribution_stages",
    "CREATE TEMP TABLE import_contribution_stages (seq INTEGER PRIMARY KEY, row_no BIGINT NOT NULL, contribution_id BIGINT NOT NULL, payload TEXT NOT NULL)",
];

/// Rows per multi-row INSERT when staging: 20 values each stays under
/// SQLite's 32,766 bound parameters.
const STAGE_ROWS: usize = 1000;

/// Stages new needs with multi-row INSERTs. Dates go in as the text SQLite
/// stores them as (ISO 8601), made without chrono's format parser.
pub(crate) async fn stage_needs(
    conn: &mut <Db as sqlx::Database>::Connection,
    rows: &[crate::staging::StagedNeed<'_>],
) -> Result<()> {
    for chunk in rows.chunks(STAGE_ROWS) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(format!(
            "INSERT INTO import_new_needs ({}) ",
            crate::staging::STAGED_NEED_COLUMNS
        ));
        qb.push_values(chunk, |mut b, r| {
            b.push_bind(r.id)
                .push_bind(r.country)
                .push_bind(r.place)
                .push_bind(r.pcode)
                .push_bind(r.item)
                .push_bind(r.quantity)
                .push_bind(r.amount_minor)
                .push_bind(r.currency)
                .push_bind(r.usd_rate)
                .push_bind(r.priority)
                .push_bind(r.needed_by.to_string())
                .push_bind(r.justification)
                .push_bind(r.reported_via)
                .push_bind(r.external_id)
                .push_bind(r.status)
                .push_bind(r.value_cents)
                .push_bind(r.people_in_need)
                .push_bind(r.people_targeted)
                .push_bind(r.people_source)
                .push_bind(r.outcome);
        });
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Pairs of text as a table with columns `a` and `b`, bound as one JSON
/// array: one parameter for them all, where a VALUES list binds two a pair.
pub(crate) fn push_pairs(qb: &mut sqlx::QueryBuilder<Db>, pairs: &[(&str, &str)]) {
    // Serialising strings to JSON cannot fail.
    let json = serde_json::to_string(pairs).unwrap_or_default();
    qb.push("SELECT value ->> 0 AS a, value ->> 1 AS b FROM json_each(")
        .push_bind(json)
        .push(")");
}

/// Numbers as a table of one column, `value`, for `IN (...)`: bound as one JSON array.
pub(crate) fn push_ints(qb: &mut sqlx::QueryBuilder<Db>, ints: &[i64]) {
    // Serialising numbers to JSON cannot fail.
    let json = serde_json::to_string(ints).unwrap_or_default();
    qb.push("SELECT value FROM json_each(").push_bind(json).push(")");
}

/// The largest id in `table`, under the write lock: the `n` rows to be
/// inserted take the ids after it (SQLite's next rowid will follow them).
pub(crate) async fn reserve_ids(
    conn: &mut <Db as sqlx::Database>::Connection,
    table: &'static str,
    _n: i64,
) -> Result<i64> {
    let sql = match table {
        "contributions" => "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM contributions",
        _ => {
            return Err(crate::StoreError::Internal(format!("no largest id known for {table}")));
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *conn).await?)
}

/// After rows were inserted with explicit ids: SQLite's next rowid already follows them.
pub(crate) async fn after_explicit_ids(
    _conn: &mut <Db as sqlx::Database>::Connection,
    _table: &'static str,
) -> Result<()> {
    Ok(())
}

/// SQLite's planner keeps no statistics here (ANALYZE was never run), and
/// picks indexes by rule, so a bulk insert leaves nothing to refresh.
pub(crate) async fn after_bulk_insert(
    _conn: &mut <Db as sqlx::Database>::Connection,
    _needs: i64,
    _contributions: i64,
) -> Result<()> {
    Ok(())
}

/// A bulk import's publish writes far more pages than the default 2 MB
/// cache holds: 64 MB while it publishes (one import at a time does), 4 MB
/// while it checks (two may), back to the default after. 64 MB rather than
/// 32 cut the publish of a million rows from about 8.5 s to 6.3 s, and the
/// publish is what every other writer waits for; the server must still stay
/// under 300 MB with imports queued (BENCHMARKS.md, "Uploads under load").
/// Staging tables stay in temporary files (which SQLite writes out only when
/// their own small cache is full), never in memory, so a big file does not
/// grow the server.
pub(crate) async fn import_settings(
    conn: &mut <Db as sqlx::Database>::Connection,
    step: crate::ImportStep,
) -> Result<()> {
    let sql: [&'static str; 2] = match step {
        crate::ImportStep::Check => ["PRAGMA cache_size = -4096", "PRAGMA temp_store = FILE"],
        crate::ImportStep::Publish => ["PRAGMA cache_size = -65536", "PRAGMA temp_store = FILE"],
        crate::ImportStep::End => ["PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT"],
    };
    for s in sql {
        sqlx::query(s).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Begins a write: `BEGIN IMMEDIATE` takes the write lock at once, so a
/// read-then-write transaction never fails to upgrade its lock.
/// Returns no catalogue stamp: reading it here would cost every write a
/// statement, and on SQLite a statement costs no round trip.
/// SQLite has one writer at a time: a record write takes the whole lock too.
pub(crate) async fn start_write(
    conn: &mut <Db as sqlx::Database>::Connection,
    _kind: crate::write_queue::WriteKind,
) -> Result<Option<String>> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    Ok(None)
}

/// The write lock already keeps the chain a single line.
pub(crate) async fn lock_chain(_conn: &mut <Db as sqlx::Database>::Connection) -> Result<()> {
    Ok(())
}

/// One writer at a time: no row locks to take.
pub(crate) const LOCK_NEEDS: &str = "";

/// The id after the largest, under the write lock.
pub(crate) async fn next_id(conn: &mut <Db as sqlx::Database>::Connection, table: &'static str) -> Result<i64> {
    Ok(reserve_ids(conn, table, 1).await? + 1)
}

// The shared implementation, compiled once per dialect (see lib.rs).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;
