//! Fresh databases for each test: a SQLite file in a temporary folder, and a
//! PostgreSQL database created for the test and dropped afterwards.

use needsdb_store::{Store, open};
use sqlx::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Backend {
    pub store: Arc<dyn Store>,
    pub url: String,
    _guard: Guard,
}

enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs outside async; a short-lived runtime on its own thread
            // removes the database even when the test panicked.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut c = sqlx::PgConnection::connect(&admin_url).await.ok()?;
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut c)
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

impl Backend {
    /// Runs raw SQL against the test database, behind the store's back, to
    /// play the part of someone tampering with the data.
    pub async fn exec(&self, sql: &str) -> u64 {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("connect sqlite");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .expect("exec")
                .rows_affected()
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect postgres");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .expect("exec")
                .rows_affected()
        }
    }

    /// The plan the database chooses for `sql`, as one text.
    pub async fn plan(&self, sql: &str) -> String {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("connect sqlite");
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(&mut c)
                    .await
                    .expect("explain");
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect postgres");
            let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}")))
                .fetch_all(&mut c)
                .await
                .expect("explain");
            rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n")
        }
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("connect sqlite");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut c)
                .await
                .expect("count")
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect postgres");
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut c)
                .await
                .expect("count")
        }
    }
}

pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("needsdb.sqlite").display());
    let store = open(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    Backend {
        store,
        url,
        _guard: Guard::Sqlite(dir),
    }
}

pub fn postgres_admin_url() -> String {
    std::env::var("NEEDSDB_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh PostgreSQL database, or None (loudly) when none is reachable.
/// Under CI=true an unreachable PostgreSQL fails the test instead.
pub async fn postgres(test: &str) -> Option<Backend> {
    let admin_url = postgres_admin_url();
    let connect = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        sqlx::PgConnection::connect(&admin_url),
    )
    .await;
    let mut admin = match connect {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return skip(test, &admin_url, &e.to_string()),
        Err(_) => return skip(test, &admin_url, "timed out"),
    };
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "needsdb_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        nanos
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let guard = Guard::Postgres {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("NEEDSDB_TEST_POSTGRES_URL must end in /DATABASE"),
    };
    let store = open(&url).await.expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    Some(Backend {
        store,
        url,
        _guard: guard,
    })
}

fn skip(test: &str, url: &str, why: &str) -> Option<Backend> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("PostgreSQL is required under CI=true but is not reachable at {url}: {why}");
    }
    eprintln!(
        "\n*** SKIPPED {test} on PostgreSQL: not reachable at {url} ({why}). Set NEEDSDB_TEST_POSTGRES_URL or start PostgreSQL. ***\n"
    );
    None
}

/// Declares each case once and runs it on both stores.
#[macro_export]
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let b = $crate::harness::sqlite().await;
                    $crate::cases::$case(&b).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    if let Some(b) = $crate::harness::postgres(stringify!($case)).await {
                        $crate::cases::$case(&b).await;
                    }
                }
            )*
        }
    };
}

/// The store's write lock, held from outside it as another needsdb process
/// would hold it while it writes.
pub enum WriteLock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

pub async fn hold_write_lock(url: &str) -> WriteLock {
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("connect sqlite");
        sqlx::query("BEGIN IMMEDIATE").execute(&mut c).await.expect("lock");
        WriteLock::Sqlite(c)
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("connect postgres");
        // The key of `BEGIN_WRITE` in crates/store/src/postgres.rs.
        sqlx::raw_sql("BEGIN; SELECT pg_advisory_xact_lock(31073733589558370)")
            .execute(&mut c)
            .await
            .expect("lock");
        WriteLock::Postgres(c)
    }
}

impl WriteLock {
    pub async fn release(self) {
        match self {
            WriteLock::Sqlite(mut c) => {
                sqlx::query("ROLLBACK").execute(&mut c).await.expect("unlock");
                c.close().await.expect("close");
            }
            WriteLock::Postgres(mut c) => {
                sqlx::query("ROLLBACK").execute(&mut c).await.expect("unlock");
                c.close().await.expect("close");
            }
        }
    }
}
