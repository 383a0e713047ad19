//! Sessions, API tokens and sign-in failures. Secrets arrive already hashed.

use super::{Conn, audit_log, now, users};
use crate::model::{Actor, Failures, NewToken, Session, TokenInfo, User};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::Row;

pub(super) async fn create_session(
    conn: &mut Conn,
    actor: &Actor,
    user_id: i64,
    id_hash: &str,
    csrf: &str,
    ttl: chrono::Duration,
) -> Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf)
    .bind(at)
    .bind(at + ttl)
    .execute(&mut *conn)
    .await?;
    // The hash identifies the session in the audit log without revealing it.
    let after = json!({"user_id": user_id, "session": &id_hash[..12.min(id_hash.len())], "expires_at": at + ttl});
    audit_log::append(
        conn,
        actor,
        "session.create",
        "user",
        &user_id.to_string(),
        None,
        Some(&after),
    )
    .await
}

/// The live session with this hash and its user, in one statement (as `token`).
pub(super) async fn session(conn: &mut Conn, id_hash: &str) -> Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT s.csrf_token, s.expires_at, u.id, u.email, u.role, u.country, u.org, u.must_change_password,
                u.created_at, u.disabled_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2",
    )
    .bind(id_hash)
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let user = users::from_row_as(&r, "id", "created_at")?;
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(Session {
        user,
        csrf_token: r.try_get("csrf_token")?,
        expires_at: r.try_get("expires_at")?,
    }))
}

pub(super) async fn revoke_session(conn: &mut Conn, actor: &Actor, id_hash: &str) -> Result<()> {
    let user_id: Option<i64> = sqlx::query_scalar(
        "UPDATE sessions SET revoked_at = $1 WHERE id_hash = $2 AND revoked_at IS NULL RETURNING user_id",
    )
    .bind(now())
    .bind(id_hash)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(uid) = user_id {
        let after = json!({"user_id": uid, "session": &id_hash[..12.min(id_hash.len())], "revoked": true});
        audit_log::append(
            conn,
            actor,
            "session.revoke",
            "user",
            &uid.to_string(),
            None,
            Some(&after),
        )
        .await?;
    }
    Ok(())
}

fn token_from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<TokenInfo> {
    let revoked: Option<DateTime<Utc>> = r.try_get("revoked_at")?;
    Ok(TokenInfo {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked: revoked.is_some(),
    })
}

const TOKEN_COLUMNS: &str = "SELECT id, user_id, name, prefix, created_at, expires_at, revoked_at FROM api_tokens";

pub(super) async fn create_token(conn: &mut Conn, actor: &Actor, t: &NewToken) -> Result<TokenInfo> {
    users::by_id(conn, t.user_id).await?;
    let name = t.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(
            needsdb_domain::Invalid::one("name", "required", "a token needs a name of at most 100 characters").into(),
        );
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(t.user_id)
    .bind(name)
    .bind(&t.prefix)
    .bind(&t.token_hash)
    .bind(now())
    .bind(&actor.0)
    .bind(t.expires_at)
    .fetch_one(&mut *conn)
    .await?;
    let info = token_by_id(conn, id).await?;
    audit_log::append(
        conn,
        actor,
        "token.create",
        "token",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(&info)?),
    )
    .await?;
    Ok(info)
}

async fn token_by_id(conn: &mut Conn, id: i64) -> Result<TokenInfo> {
    let sql = format!("{TOKEN_COLUMNS} WHERE id = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    {
        Some(r) => token_from_row(&r),
        None => Err(StoreError::not_found("token", id)),
    }
}

/// The live token with this hash and its user, in one statement: every
/// request with a token makes it, so it is one round trip, not two.
pub(super) async fn token(conn: &mut Conn, token_hash: &str) -> Result<Option<(TokenInfo, User)>> {
    let row = sqlx::query(
        "SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, t.revoked_at,
                u.id AS user_row_id, u.email, u.role, u.country, u.org, u.must_change_password,
                u.created_at AS user_created_at, u.disabled_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)",
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let info = token_from_row(&r)?;
    let user = users::from_row_as(&r, "user_row_id", "user_created_at")?;
    Ok((!user.disabled).then_some((info, user)))
}

pub(super) async fn tokens(conn: &mut Conn, user_id: Option<i64>) -> Result<Vec<TokenInfo>> {
    let rows = match user_id {
        Some(u) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{TOKEN_COLUMNS} WHERE user_id = $1 ORDER BY id"
            )))
            .bind(u)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(sqlx::AssertSqlSafe(format!("{TOKEN_COLUMNS} ORDER BY id")))
                .fetch_all(&mut *conn)
                .await?
        }
    };
    rows.iter().map(token_from_row).collect()
}

pub(super) async fn revoke_token(conn: &mut Conn, actor: &Actor, id: i64) -> Result<TokenInfo> {
    let before = token_by_id(conn, id).await?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let after = token_by_id(conn, id).await?;
    if !before.revoked {
        audit_log::append(
            conn,
            actor,
            "token.revoke",
            "token",
            &id.to_string(),
            Some(&serde_json::to_value(&before)?),
            Some(&serde_json::to_value(&after)?),
        )
        .await?;
    }
    Ok(after)
}

pub(super) async fn record_failure(conn: &mut Conn, email: &str, address: &str) -> Result<()> {
    sqlx::query("INSERT INTO signin_failures (email, address, at) VALUES ($1, $2, $3)")
        .bind(users::normalise_email(email))
        .bind(address)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn failures(conn: &mut Conn, email: &str, address: &str, since: DateTime<Utc>) -> Result<Failures> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, MAX(at) AS last FROM signin_failures WHERE email = $1 AND address = $2 AND at > $3",
    )
    .bind(users::normalise_email(email))
    .bind(address)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Failures {
        count: r.try_get("n")?,
        last: r.try_get("last")?,
    })
}

/// Ends a user's sessions, all of them or all but `keep` (a session id hash).
pub(super) async fn end_sessions(conn: &mut Conn, actor: &Actor, user_id: i64, keep: Option<&str>) -> Result<()> {
    let ended =
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id_hash <> $3")
            .bind(now())
            .bind(user_id)
            .bind(keep.unwrap_or(""))
            .execute(&mut *conn)
            .await?
            .rows_affected();
    if ended > 0 {
        let after = json!({"user_id": user_id, "sessions_ended": ended, "kept": keep.map(|k| &k[..12.min(k.len())])});
        audit_log::append(
            conn,
            actor,
            "session.end_all",
            "user",
            &user_id.to_string(),
            None,
            Some(&after),
        )
        .await?;
    }
    Ok(())
}

/// Revokes every API token of a user.
pub(super) async fn end_tokens(conn: &mut Conn, actor: &Actor, user_id: i64) -> Result<()> {
    let ended = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now())
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if ended > 0 {
        let after = json!({"user_id": user_id, "tokens_revoked": ended});
        audit_log::append(
            conn,
            actor,
            "token.revoke_all",
            "user",
            &user_id.to_string(),
            None,
            Some(&after),
        )
        .await?;
    }
    Ok(())
}
