//! Import jobs: one row per import, updated as it goes. Each update is a
//! single statement of its own, never inside the import's transaction, so
//! watching an import never waits for it.

use super::{Conn, now};
use crate::model::{Actor, ImportJob, JobEnd, NewImportJob};
use crate::{Result, StoreError};
use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

fn from_row(r: &<super::Db as sqlx::Database>::Row, at: DateTime<Utc>) -> Result<ImportJob> {
    let report: Option<String> = r.try_get("report")?;
    let heartbeat: DateTime<Utc> = r.try_get("heartbeat")?;
    let mut job = ImportJob {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        file: r.try_get("file")?,
        format: r.try_get("format")?,
        bytes: r.try_get("bytes")?,
        dry_run: r.try_get("dry_run")?,
        state: r.try_get("state")?,
        rows_read: r.try_get("rows_read")?,
        report: report.map(|t| serde_json::from_str(&t)).transpose()?,
        error: r.try_get("error")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
    };
    if !job.is_finished() && at - heartbeat > Duration::minutes(ImportJob::STALE_AFTER_MINUTES) {
        job.state = "interrupted".into();
        job.error = Some("the server stopped during this import; nothing was written: send the file again".into());
    }
    Ok(job)
}

pub(super) async fn create(conn: &mut Conn, actor: &Actor, job: &NewImportJob) -> Result<ImportJob> {
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO import_jobs (user_id, actor, file, format, bytes, dry_run, state, created_at, heartbeat)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7) RETURNING id",
    )
    .bind(job.user_id)
    .bind(&actor.0)
    .bind(&job.file)
    .bind(&job.format)
    .bind(job.bytes)
    .bind(job.dry_run)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    get(conn, id).await
}

pub(super) async fn progress(conn: &mut Conn, id: i64, state: &str, rows_read: i64) -> Result<()> {
    let at = now();
    sqlx::query(
        "UPDATE import_jobs SET state = $1, rows_read = $2, heartbeat = $3,
            started_at = CASE WHEN $1 = 'queued' THEN started_at ELSE COALESCE(started_at, $3) END
         WHERE id = $4 AND finished_at IS NULL",
    )
    .bind(state)
    .bind(rows_read)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn finish(conn: &mut Conn, id: i64, rows_read: i64, end: &JobEnd) -> Result<()> {
    let at = now();
    let (state, report, error) = match end {
        JobEnd::Done(r) => ("done", Some(r.to_string()), None),
        JobEnd::Failed(why) => ("failed", None, Some(why.as_str())),
    };
    sqlx::query(
        "UPDATE import_jobs SET state = $1, rows_read = $2, report = $3, error = $4, heartbeat = $5,
            started_at = COALESCE(started_at, $5), finished_at = $5
         WHERE id = $6",
    )
    .bind(state)
    .bind(rows_read)
    .bind(report)
    .bind(error)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn get(conn: &mut Conn, id: i64) -> Result<ImportJob> {
    let row = sqlx::query("SELECT * FROM import_jobs WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::not_found("import", id))?;
    from_row(&row, now())
}

pub(super) async fn list(conn: &mut Conn, user_id: Option<i64>, limit: i64) -> Result<Vec<ImportJob>> {
    let rows = match user_id {
        Some(u) => {
            sqlx::query("SELECT * FROM import_jobs WHERE user_id = $1 ORDER BY id DESC LIMIT $2")
                .bind(u)
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM import_jobs ORDER BY id DESC LIMIT $1")
                .bind(limit)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    let at = now();
    rows.iter().map(|r| from_row(r, at)).collect()
}
