//! What a backup needs from the database itself: a consistent copy of an
//! SQLite file while others write, and whether a database is still empty
//! (a restore never writes over data). PostgreSQL is copied by its own
//! tools, `pg_dump` and `pg_restore`, which the caller runs.

use crate::{Result, StoreError};
use sqlx::Connection;
use std::path::Path;
use std::str::FromStr;

/// Copies a live SQLite database into a new file, as one read transaction:
/// writers keep going, and the copy is the database as of one moment.
pub async fn sqlite_copy(url: &str, dest: &Path) -> Result<()> {
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
        .create_if_missing(false)
        .busy_timeout(std::time::Duration::from_secs(25));
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    let dest = dest
        .to_str()
        .ok_or_else(|| StoreError::Internal(format!("{} is not a UTF-8 path", dest.display())))?;
    sqlx::query("VACUUM INTO $1").bind(dest).execute(&mut conn).await?;
    conn.close().await?;
    // The copy comes out in rollback-journal mode; the store runs in WAL,
    // and switching is a write, which a read-only check of the copy (or a
    // restore onto a read-only medium) could not make.
    let mut copy = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dest)
            .create_if_missing(false),
    )
    .await?;
    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut copy).await?;
    copy.close().await?;
    Ok(())
}

/// The file of an SQLite URL (`sqlite://PATH?options`), or None for
/// another store.
pub fn sqlite_file(url: &str) -> Option<&str> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(path.split('?').next().unwrap_or(path))
}

/// Whether a database holds no tables at all (a missing SQLite file counts
/// as empty).
pub async fn is_empty(url: &str) -> Result<bool> {
    if let Some(file) = sqlite_file(url) {
        if file.is_empty() || !Path::new(file).exists() {
            return Ok(true);
        }
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        Ok(n == 0)
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
        )
        .fetch_one(&mut conn)
        .await?;
        conn.close().await?;
        Ok(n == 0)
    }
}
