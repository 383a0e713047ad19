//! Saved searches of needs.

use super::{Conn, audit_log, now, users};
use crate::model::{Actor, SavedSearch, User};
use crate::{Result, StoreError};
use needsdb_domain::Invalid;
use serde_json::Value;
use sqlx::Row;

fn from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<SavedSearch> {
    let query: String = r.try_get("query")?;
    Ok(SavedSearch {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        query: serde_json::from_str(&query)?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) async fn create(
    conn: &mut Conn,
    actor: &Actor,
    user_id: i64,
    name: &str,
    query: &Value,
    token_hash: &str,
) -> Result<SavedSearch> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Invalid::one(
            "name",
            "required",
            "a saved search needs a name of at most 200 characters",
        )
        .into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_searches (user_id, name, query, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(query.to_string())
    .bind(token_hash)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let row = sqlx::query("SELECT * FROM saved_searches WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let s = from_row(&row)?;
    audit_log::append(
        conn,
        actor,
        "search.create",
        "search",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(&s)?),
    )
    .await?;
    Ok(s)
}

pub(super) async fn of_user(conn: &mut Conn, user_id: i64) -> Result<Vec<SavedSearch>> {
    let rows = sqlx::query("SELECT * FROM saved_searches WHERE user_id = $1 AND deleted_at IS NULL ORDER BY id")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn by_token(conn: &mut Conn, token_hash: &str) -> Result<Option<(SavedSearch, User)>> {
    let row = sqlx::query("SELECT * FROM saved_searches WHERE token_hash = $1 AND deleted_at IS NULL")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let s = from_row(&r)?;
    let u = users::by_id(conn, s.user_id).await?;
    Ok((!u.disabled).then_some((s, u)))
}

pub(super) async fn delete(conn: &mut Conn, actor: &Actor, user_id: i64, id: i64) -> Result<()> {
    let row = sqlx::query("SELECT * FROM saved_searches WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL")
        .bind(id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Err(StoreError::not_found("saved search", id));
    };
    let before = serde_json::to_value(from_row(&r)?)?;
    sqlx::query("UPDATE saved_searches SET deleted_at = $1 WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    audit_log::append(
        conn,
        actor,
        "search.delete",
        "search",
        &id.to_string(),
        Some(&before),
        None,
    )
    .await
}
