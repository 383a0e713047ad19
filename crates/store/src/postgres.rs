//! The PostgreSQL store, for production. Writers take transaction-scoped
//! advisory locks, so the audit chain stays a single line even with several
//! `needsdb serve` processes on one database: a whole write takes the write
//! lock alone; a record write (one need's edit, one pledge) takes it shared,
//! locks its need rows, and takes the chain's lock only for its audit
//! entries and commit (ARCHITECTURE.md, "Record writes side by side").

use crate::{Dialect, Result};
use sqlx::Pool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;
pub(crate) const DIALECT: Dialect = Dialect::Postgres;
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// `BEGIN` and the advisory write lock, sent as one simple query with the
/// catalogue's stamp (`sql::catalog::STAMP`) once the lock is held: one
/// round trip, not three, for every write. The lock's key is any fixed
/// number (the bytes of "needsdb"); it only has to be the same in every
/// needsdb process.
const BEGIN_WRITE: &str = "BEGIN; SELECT pg_advisory_xact_lock(31073733589558370)";

/// A record write (one need's edit, one pledge) takes the same lock shared:
/// record writes run side by side, each holding the rows it changes, and
/// every other write, which takes the lock alone, waits for them all, as
/// they wait for it.
const BEGIN_RECORD_WRITE: &str = "BEGIN; SELECT pg_advisory_xact_lock_shared(31073733589558370)";

/// The audit chain's lock: a record write takes it just before it appends
/// to the chain, and holds it to its COMMIT, so one at a time reads the
/// chain's head and appends, in commit order. A write that holds the write
/// lock alone needs no other.
const CHAIN_LOCK: &str = "SELECT pg_advisory_xact_lock(31073733589558371)";

/// Locks the needs a record write reads before it changes them, in id
/// order so two writes never wait for each other crosswise. Only the needs'
/// rows: the joined catalogue rows are not written by record writes.
pub(crate) const LOCK_NEEDS: &str = " ORDER BY n.id FOR NO KEY UPDATE OF n";

/// How long a pooled connection may sit idle and still be handed out untested.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

pub struct PgStore {
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

pub(crate) type SqlStore = PgStore;

impl PgStore {
    pub async fn open(url: &str) -> Result<Self> {
        let opts = PgConnectOptions::from_str(url)?.application_name("needsdb");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // While the database is away, a request waits this long for a
            // connection, then gets 503 and Retry-After.
            .acquire_timeout(Duration::from_secs(5))
            // sqlx pings every connection it hands out, and again as it
            // takes one back: under a crowd, one round trip more for every
            // request, and for a write inside the write queue's turn. Each
            // pooled connection was tested when it came back, so only one
            // that sat idle long enough for the server to have gone (a
            // restart, a cut link) is tested again before use.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > IDLE_BEFORE_PING {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(opts)
            .await?;
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
    // Filled by COPY; published in id order. Repeats are found in memory (`StagedKeys`).
    "CREATE TEMP TABLE import_new_needs (id BIGINT PRIMARY KEY, country TEXT NOT NULL, place TEXT, pcode TEXT,
        item TEXT NOT NULL, quantity BIGINT NOT NULL, amount_minor BIGINT, currency TEXT, usd_rate TEXT,
        priority TEXT NOT NULL, needed_by DATE NOT NULL, justification TEXT NOT NULL, reported_via TEXT NOT NULL,
        external_id TEXT, status TEXT NOT NULL, value_cents BIGINT, people_in_need BIGINT, people_targeted BIGINT,
        people_source TEXT, outcome TEXT)",
    "DROP TABLE IF EXISTS pg_temp.import_need_updates",
    "CREATE TEMP TABLE import_need_updates (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, need_id BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS pg_temp.import_new_contributions",
    "CREATE TEMP TABLE import_new_contributions (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, payload TEXT NOT NULL)",
    "DROP TABLE IF EXISTS pg_temp.import_contribution_stages",
    "CREATE TEMP TABLE import_contribution_stages (seq BIGINT PRIMARY KEY, row_no BIGINT NOT NULL, contribution_id BIGINT NOT NULL, payload TEXT NOT NULL)",
];

/// Stages new needs with one `COPY ... FROM STDIN` (text format): PostgreSQL
/// parses the rows itself, without a bound parameter per value.
pub(crate) async fn stage_needs(
    conn: &mut <Db as sqlx::Database>::Connection,
    rows: &[crate::staging::StagedNeed<'_>],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut data = Vec::with_capacity(rows.len() * 160);
    for r in rows {
        copy_line(&mut data, r);
    }
    let mut copy = conn
        .copy_in_raw(&format!(
            "COPY import_new_needs ({}) FROM STDIN",
            crate::staging::STAGED_NEED_COLUMNS
        ))
        .await?;
    copy.send(data).await?;
    copy.finish().await?;
    Ok(())
}

/// One row in COPY's text format: tab between fields, `\N` for NULL, and
/// backslash, tab, newline and carriage return escaped.
fn copy_line(out: &mut Vec<u8>, r: &crate::staging::StagedNeed<'_>) {
    use std::io::Write;
    fn text(out: &mut Vec<u8>, s: Option<&str>) {
        let Some(s) = s else {
            out.extend_from_slice(b"\\N");
            return;
        };
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    }
    fn number(out: &mut Vec<u8>, n: Option<i64>) {
        match n {
            // Writing to a Vec cannot fail.
            Some(n) => {
                let _ = write!(out, "{n}");
            }
            None => out.extend_from_slice(b"\\N"),
        }
    }
    number(out, Some(r.id));
    for field in [
        Field::Text(Some(r.country)),
        Field::Text(r.place),
        Field::Text(r.pcode),
        Field::Text(Some(r.item)),
        Field::Number(Some(r.quantity)),
        Field::Number(r.amount_minor),
        Field::Text(r.currency),
        Field::Text(r.usd_rate),
        Field::Text(Some(r.priority)),
        Field::Date(r.needed_by),
        Field::Text(Some(r.justification)),
        Field::Text(Some(r.reported_via)),
        Field::Text(r.external_id),
        Field::Text(Some(r.status)),
        Field::Number(r.value_cents),
        Field::Number(r.people_in_need),
        Field::Number(r.people_targeted),
        Field::Text(r.people_source),
        Field::Text(r.outcome),
    ] {
        out.push(b'\t');
        match field {
            Field::Text(s) => text(out, s),
            Field::Number(n) => number(out, n),
            Field::Date(d) => {
                let _ = write!(out, "{d}");
            }
        }
    }
    out.push(b'\n');
}

enum Field<'a> {
    Text(Option<&'a str>),
    Number(Option<i64>),
    Date(chrono::NaiveDate),
}

/// Pairs of text as a table with columns `a` and `b`, bound as two arrays:
/// two parameters for them all, where a VALUES list binds two a pair.
pub(crate) fn push_pairs(qb: &mut sqlx::QueryBuilder<Db>, pairs: &[(&str, &str)]) {
    let (a, b): (Vec<String>, Vec<String>) = pairs.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).unzip();
    qb.push("SELECT * FROM unnest(")
        .push_bind(a)
        .push("::text[], ")
        .push_bind(b)
        .push("::text[]) AS p (a, b)");
}

/// Numbers as a table of one column, `value`, for `IN (...)`: bound as one array.
pub(crate) fn push_ints(qb: &mut sqlx::QueryBuilder<Db>, ints: &[i64]) {
    qb.push("SELECT unnest(")
        .push_bind(ints.to_vec())
        .push("::bigint[]) AS value");
}

/// Reserves `n` ids after the largest in `table` for rows inserted with
/// explicit ids, under the write lock, and returns the largest before them.
/// The identity sequence moves past them in the same statement: one round
/// trip, where reading the largest and moving the sequence after the insert
/// took two.
pub(crate) async fn reserve_ids(
    conn: &mut <Db as sqlx::Database>::Connection,
    table: &'static str,
    n: i64,
) -> Result<i64> {
    let sql = match table {
        "contributions" => {
            "SELECT CAST(setval(pg_get_serial_sequence('contributions', 'id'), COALESCE(MAX(id), 0) + $1) AS BIGINT) - $1
             FROM contributions"
        }
        _ => {
            return Err(crate::StoreError::Internal(format!(
                "no identity sequence known for {table}"
            )));
        }
    };
    if n < 1 {
        return Err(crate::StoreError::Internal("no ids to reserve".into()));
    }
    Ok(sqlx::query_scalar(sql).bind(n).fetch_one(&mut *conn).await?)
}

/// After rows were inserted with explicit ids, the identity sequence must
/// move past them, or the next ordinary insert would collide.
pub(crate) async fn after_explicit_ids(
    conn: &mut <Db as sqlx::Database>::Connection,
    table: &'static str,
) -> Result<()> {
    let sql = match table {
        // Contributions reserve their ids beforehand (`reserve_ids`).
        "needs" => "SELECT setval(pg_get_serial_sequence('needs', 'id'), (SELECT MAX(id) FROM needs))",
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
/// Returns the catalogue's stamp as the lock found it.
pub(crate) async fn start_write(
    conn: &mut <Db as sqlx::Database>::Connection,
    kind: crate::write_queue::WriteKind,
) -> Result<Option<String>> {
    let lock = match kind {
        crate::write_queue::WriteKind::Whole => BEGIN_WRITE,
        crate::write_queue::WriteKind::Record => BEGIN_RECORD_WRITE,
    };
    let begin = format!("{lock}; {}", sql::catalog::STAMP);
    let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(begin)).fetch_all(&mut *conn).await?;
    // The lock's row is not a stamp.
    rows.iter().find_map(sql::catalog::stamp_of).transpose()
}

/// Takes the audit chain's lock, for a record write about to append.
pub(crate) async fn lock_chain(conn: &mut <Db as sqlx::Database>::Connection) -> Result<()> {
    sqlx::query(CHAIN_LOCK).execute(&mut *conn).await?;
    Ok(())
}

/// The id for one new contribution of a record write, from the identity
/// sequence: record writes run side by side, so the largest id is not theirs to take.
pub(crate) async fn next_id(conn: &mut <Db as sqlx::Database>::Connection, table: &'static str) -> Result<i64> {
    let sql = match table {
        "contributions" => "SELECT nextval(pg_get_serial_sequence('contributions', 'id'))",
        _ => {
            return Err(crate::StoreError::Internal(format!(
                "no identity sequence known for {table}"
            )));
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_one(&mut *conn).await?)
}

// The shared implementation, compiled once per dialect (see lib.rs).
#[allow(clippy::duplicate_mod)]
#[path = "sql/mod.rs"]
mod sql;

#[cfg(test)]
mod tests {
    use sqlx::Connection;

    /// A log analysed while a few entries long, then grown by 20,000 while
    /// the connection that read its head keeps reading it: each read must
    /// still go straight to the end of the log, not scan it. Kept, the
    /// statement kept the plan made for the short log, a scan and a sort
    /// (BENCHMARKS.md, "A head read planned for a short log").
    #[tokio::test]
    async fn the_head_is_read_through_the_key_however_short_the_log_was_when_first_read() {
        let admin = std::env::var("NEEDSDB_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let mut c = match sqlx::PgConnection::connect(&admin).await {
            Ok(c) => c,
            Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("PostgreSQL is required under CI=true but is not reachable at {admin}: {e}")
            }
            Err(e) => {
                eprintln!("\n*** SKIPPED the head read's plan on PostgreSQL: not reachable at {admin} ({e}) ***\n");
                return;
            }
        };
        let name = format!("needsdb_test_head_{}", std::process::id());
        let create = format!("CREATE DATABASE \"{name}\"");
        sqlx::query(sqlx::AssertSqlSafe(create))
            .execute(&mut c)
            .await
            .expect("create");
        let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b));
        let outcome = async {
            let store = crate::open(&url).await.expect("open");
            store.migrate().await.expect("migrate");
            drop(store);
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
            let entry = "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, prev_hash, hash)
                SELECT m + g, 'now', 'test', 'create', 'need', g::text, 'p', 'h'
                FROM (SELECT COALESCE(MAX(seq), 0) AS m FROM audit_log) AS last, generate_series";
            sqlx::query(sqlx::AssertSqlSafe(format!("{entry}(1, 2) g")))
                .execute(&mut conn)
                .await
                .expect("two entries");
            sqlx::query("ANALYZE audit_log")
                .execute(&mut conn)
                .await
                .expect("analyze");
            for _ in 0..3 {
                super::sql::head_on(&mut conn).await.expect("head");
            }
            sqlx::query(sqlx::AssertSqlSafe(format!("{entry}(1, 20000) g")))
                .execute(&mut conn)
                .await
                .expect("20,000 entries");
            let last: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log")
                .fetch_one(&mut conn)
                .await
                .expect("last");
            sqlx::query("BEGIN").execute(&mut conn).await.expect("begin");
            for _ in 0..5 {
                let head = super::sql::head_on(&mut conn).await.expect("head");
                assert_eq!(head.seq, last);
            }
            // This transaction's own counts, before any are reported.
            let read: i64 =
                sqlx::query_scalar("SELECT seq_tup_read FROM pg_stat_xact_user_tables WHERE relname = 'audit_log'")
                    .fetch_one(&mut conn)
                    .await
                    .expect("counts");
            sqlx::query("COMMIT").execute(&mut conn).await.expect("commit");
            read
        }
        .await;
        let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        sqlx::query(sqlx::AssertSqlSafe(drop))
            .execute(&mut c)
            .await
            .expect("drop");
        assert!(
            outcome < 20_000,
            "five head reads scanned {outcome} entries of the log: the plan made for two entries was kept"
        );
    }
}
