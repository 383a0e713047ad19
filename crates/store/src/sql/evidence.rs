//! Evidence kept for needs and contributions: links and small files.

use super::{Conn, audit_log, now};
use crate::model::{Actor, Evidence};
use crate::{Result, StoreError};
use needsdb_domain::evidence::ValidEvidence;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::Row;

const COLUMNS: &str =
    "id, entity, entity_id, kind, title, url, file_name, media_type, bytes, sha256, created_at, created_by";

fn from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<Evidence> {
    Ok(Evidence {
        id: r.try_get("id")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        url: r.try_get("url")?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        bytes: r.try_get("bytes")?,
        sha256: r.try_get("sha256")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// Keeps evidence for a record that exists; the audit log records what was
/// added (the file's digest, not its bytes).
pub(super) async fn add(conn: &mut Conn, actor: &Actor, entity: &str, id: i64, e: &ValidEvidence) -> Result<i64> {
    let exists: Option<i64> = match entity {
        "need" => sqlx::query_scalar("SELECT id FROM needs WHERE id = $1 AND deleted_at IS NULL"),
        _ => sqlx::query_scalar("SELECT id FROM contributions WHERE id = $1 AND deleted_at IS NULL"),
    }
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_none() {
        return Err(StoreError::not_found(
            if entity == "need" { "need" } else { "contribution" },
            id,
        ));
    }
    let (kind, title, url, name, media, content) = match e {
        ValidEvidence::Link { url, title } => ("link", title, Some(url.as_str()), None, None, None),
        ValidEvidence::File {
            name,
            media_type,
            title,
            content,
        } => (
            "file",
            title,
            None,
            Some(name.as_str()),
            Some(media_type.as_str()),
            Some(content),
        ),
    };
    let digest = content.map(|c| hex::encode(Sha256::digest(c)));
    let bytes = content.map(|c| i64::try_from(c.len()).unwrap_or(i64::MAX));
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (entity, entity_id, kind, title, url, file_name, media_type, bytes, sha256, content, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(entity)
    .bind(id)
    .bind(kind)
    .bind(title)
    .bind(url)
    .bind(name)
    .bind(media)
    .bind(bytes)
    .bind(&digest)
    .bind(content)
    .bind(now())
    .bind(&actor.0)
    .fetch_one(&mut *conn)
    .await?;
    let after = json!({"entity": entity, "entity_id": id, "kind": kind, "title": title, "url": url, "file_name": name,
        "media_type": media, "bytes": bytes, "sha256": digest});
    audit_log::append(
        conn,
        actor,
        "evidence.add",
        "evidence",
        &new_id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    Ok(new_id)
}

pub(super) async fn list(conn: &mut Conn, entity: &str, id: i64) -> Result<Vec<Evidence>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM evidence WHERE entity = $1 AND entity_id = $2 ORDER BY id"
    )))
    .bind(entity)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn file(conn: &mut Conn, evidence_id: i64) -> Result<(Evidence, Vec<u8>)> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, content FROM evidence WHERE id = $1"
    )))
    .bind(evidence_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("evidence", evidence_id))?;
    let content: Option<Vec<u8>> = r.try_get("content")?;
    Ok((from_row(&r)?, content.unwrap_or_default()))
}
