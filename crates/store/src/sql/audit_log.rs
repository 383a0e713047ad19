//! Appending to and checking the hash-chained audit log.

use super::{Conn, now};
use crate::Result;
use crate::audit::{self, Cursor, Entry, GENESIS};
use crate::model::{Actor, AuditReport};
use serde_json::Value;
use sqlx::Row;

/// Appends one entry. The caller holds the write lock (BEGIN IMMEDIATE or the
/// advisory lock), so reading the head and appending cannot interleave.
pub(super) async fn append(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<()> {
    let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (seq, prev) = match head {
        Some(r) => (r.try_get::<i64, _>("seq")? + 1, r.try_get::<String, _>("hash")?),
        None => (1, GENESIS.to_owned()),
    };
    let at = now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let before = before.map(Value::to_string);
    let after = after.map(Value::to_string);
    let fields = audit::Fields {
        seq,
        at: &at,
        actor: &actor.0,
        action,
        entity,
        entity_id,
        before: before.as_deref(),
        after: after.as_deref(),
    };
    let hash = audit::hash_entry(&prev, &fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(&at)
    .bind(&actor.0)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(&before)
    .bind(&after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    // The head is kept apart from the log so that cutting entries off the
    // end of the log is caught too.
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ('audit_head', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(format!("{seq}:{hash}"))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const BATCH: i64 = 5000;

pub(super) async fn verify(conn: &mut Conn) -> Result<AuditReport> {
    let mut cursor = Cursor::start();
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, entity, entity_id, before, after, prev_hash, hash
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        )
        .bind(cursor.next_seq)
        .bind(BATCH)
        .fetch_all(&mut *conn)
        .await?;
        if rows.is_empty() {
            break;
        }
        let batch: Vec<Entry> = rows
            .iter()
            .map(|r| {
                Ok(Entry {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                    prev_hash: r.try_get("prev_hash")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        if let Some(bad) = cursor.check(&batch) {
            return Ok(AuditReport {
                entries: cursor.next_seq - 1,
                first_bad: Some(bad),
            });
        }
    }
    let last_seq = cursor.next_seq - 1;
    let head: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'audit_head'")
        .fetch_optional(&mut *conn)
        .await?;
    let expected_head = (last_seq > 0).then(|| format!("{last_seq}:{}", cursor.prev_hash));
    if head != expected_head {
        return Ok(AuditReport {
            entries: last_seq,
            first_bad: Some((
                last_seq + 1,
                format!(
                    "the log ends after entry {last_seq}, but the recorded head is {}: entries were removed from the end",
                    head.unwrap_or_else(|| "absent".into())
                ),
            )),
        });
    }
    Ok(AuditReport {
        entries: last_seq,
        first_bad: None,
    })
}
