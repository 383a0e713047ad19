//! Accounts. Passwords arrive already hashed (argon2id, in the service
//! layer); the hash never leaves the store except to check a sign-in.

use super::{Conn, audit_log, conflict_or, now};
use crate::model::{Actor, NewUser, Role, User};
use crate::{Result, StoreError};
use needsdb_domain::validation::Errors;
use needsdb_domain::{Iso3, PartyCode};
use sqlx::Row;

pub(super) async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *conn)
        .await?)
}

pub(super) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub(super) async fn create(conn: &mut Conn, actor: &Actor, u: &NewUser) -> Result<User> {
    let mut errs = Errors::new();
    let email = normalise_email(&u.email);
    let shape_ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty() && !domain.starts_with('.'))
        && !email.contains(char::is_whitespace);
    if !shape_ok {
        errs.add(
            "email",
            "invalid_email",
            format!("'{}' is not an email address", u.email),
        );
    }
    let country = u.country.as_deref().and_then(|c| errs.take(Iso3::parse("country", c)));
    let org = u.org.as_deref().and_then(|o| errs.take(PartyCode::parse("org", o)));
    match u.role {
        Role::FocalPoint if country.is_none() && u.country.is_none() => errs.add(
            "country",
            "required",
            "a focal point is bound to one member state: give --country ISO3",
        ),
        Role::Partner if org.is_none() && u.org.is_none() => errs.add(
            "org",
            "required",
            "a partner is bound to one organisation or donor state: give --org CODE",
        ),
        Role::FocalPoint | Role::Partner => {}
        _ if u.country.is_some() || u.org.is_some() => errs.add(
            "role",
            "not_bound",
            format!("a {} is not bound to a country or organisation", u.role.as_str()),
        ),
        _ => {}
    }
    if let Some(c) = &country {
        let exists: Option<String> = sqlx::query_scalar("SELECT iso3 FROM countries WHERE iso3 = $1")
            .bind(c.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            errs.add(
                "country",
                "unknown_country",
                format!("'{c}' is not a known country code"),
            );
        }
    }
    if let Some(o) = &org {
        let exists: Option<String> =
            sqlx::query_scalar("SELECT code FROM parties WHERE code = $1 AND deleted_at IS NULL")
                .bind(o.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if exists.is_none() {
            errs.add(
                "org",
                "unknown_party",
                format!("'{o}' is not a known organisation or state (see `needsdb parties list`)"),
            );
        }
    }
    errs.finish()?;
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, password_hash, role, country, org, must_change_password, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&email)
    .bind(&u.password_hash)
    .bind(u.role.as_str())
    .bind(country.as_ref().map(Iso3::as_str))
    .bind(org.as_ref().map(PartyCode::as_str))
    .bind(u.must_change_password)
    .bind(at)
    .bind(&actor.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| conflict_or(e, || format!("there is already an account for {email}")))?;
    let user = User {
        id,
        email,
        role: u.role,
        country: country.map(|c| c.to_string()),
        org: org.map(|o| o.to_string()),
        must_change_password: u.must_change_password,
        created_at: at,
        disabled: false,
    };
    // The audit record leaves the password hash out.
    audit_log::append(
        conn,
        actor,
        "user.create",
        "user",
        &id.to_string(),
        None,
        Some(&serde_json::to_value(&user)?),
    )
    .await?;
    Ok(user)
}

const COLUMNS: &str =
    "SELECT id, email, password_hash, role, country, org, must_change_password, created_at, disabled_at FROM users";

pub(super) async fn by_email(conn: &mut Conn, email: &str) -> Result<Option<(User, String)>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE email = $1")))
        .bind(normalise_email(email))
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else { return Ok(None) };
    Ok(Some((from_row(&r)?, r.try_get("password_hash")?)))
}

pub(super) async fn by_id(conn: &mut Conn, id: i64) -> Result<User> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => from_row(&r),
        None => Err(StoreError::not_found("user", id)),
    }
}

pub(super) async fn all(conn: &mut Conn) -> Result<Vec<User>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{COLUMNS} ORDER BY id")))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn set_password(conn: &mut Conn, actor: &Actor, id: i64, hash: &str, must_change: bool) -> Result<()> {
    let before = by_id(conn, id).await?;
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(hash)
        .bind(must_change)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let after = by_id(conn, id).await?;
    // Neither value carries the hash; the entry records that it changed.
    audit_log::append(
        conn,
        actor,
        "user.password",
        "user",
        &id.to_string(),
        Some(&serde_json::to_value(&before)?),
        Some(&serde_json::to_value(&after)?),
    )
    .await
}

fn from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<User> {
    let role: String = r.try_get("role")?;
    let disabled: Option<chrono::DateTime<chrono::Utc>> = r.try_get("disabled_at")?;
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Internal(format!("unknown role {role}")))?,
        country: r.try_get("country")?,
        org: r.try_get("org")?,
        must_change_password: r.try_get("must_change_password")?,
        created_at: r.try_get("created_at")?,
        disabled: disabled.is_some(),
    })
}
