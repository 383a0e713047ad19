//! Accounts. Passwords arrive already hashed (argon2id, in the service
//! layer); the hash never leaves the store except to check a sign-in.

use super::{Conn, audit_log, conflict_or, now};
use crate::model::{Actor, NewUser, Role, User, UserUpdate};
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
    let (country, org) = check_binding(conn, &mut errs, u.role, u.country.as_deref(), u.org.as_deref()).await?;
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

/// A focal point is bound to a country, a partner to an organisation or donor
/// state, and no other role to either; each must exist.
async fn check_binding(
    conn: &mut Conn,
    errs: &mut Errors,
    role: Role,
    country: Option<&str>,
    org: Option<&str>,
) -> Result<(Option<Iso3>, Option<PartyCode>)> {
    let country_code = country.and_then(|c| errs.take(Iso3::parse("country", c)));
    let org_code = org.and_then(|o| errs.take(PartyCode::parse("org", o)));
    match role {
        Role::FocalPoint if country.is_none() => errs.add(
            "country",
            "required",
            "a focal point is bound to one member state: give --country ISO3",
        ),
        Role::Partner if org.is_none() => errs.add(
            "org",
            "required",
            "a partner is bound to one organisation or donor state: give --org CODE",
        ),
        Role::FocalPoint if org.is_some() => errs.add(
            "org",
            "not_bound",
            "a focal point is bound to a country, not an organisation",
        ),
        Role::Partner if country.is_some() => errs.add(
            "country",
            "not_bound",
            "a partner is bound to an organisation, not a country",
        ),
        Role::FocalPoint | Role::Partner => {}
        _ if country.is_some() || org.is_some() => errs.add(
            "role",
            "not_bound",
            format!("a {} is not bound to a country or organisation", role.as_str()),
        ),
        _ => {}
    }
    if let Some(c) = &country_code {
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
    if let Some(o) = &org_code {
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
    Ok((country_code, org_code))
}

/// An administrator's change to an account: role, binding, disabled.
pub(super) async fn update(conn: &mut Conn, actor: &Actor, id: i64, change: &UserUpdate) -> Result<User> {
    let before = by_id(conn, id).await?;
    let mut errs = Errors::new();
    let role = match change.role.as_deref() {
        Some(r) => match Role::parse(r) {
            Some(role) => role,
            None => {
                errs.add(
                    "role",
                    "invalid_choice",
                    format!("'{r}' is not a role (admin, secretariat, focal_point, partner, viewer)"),
                );
                before.role
            }
        },
        None => before.role,
    };
    let country = change.country.clone().unwrap_or_else(|| before.country.clone());
    let org = change.org.clone().unwrap_or_else(|| before.org.clone());
    let (country, org) = check_binding(conn, &mut errs, role, country.as_deref(), org.as_deref()).await?;
    let disabled = change.disabled.unwrap_or(before.disabled);
    // Somebody must still be able to administer the service.
    if before.role == Role::Admin && !before.disabled && (role != Role::Admin || disabled) {
        let others: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if others == 0 {
            let field = if disabled { "disabled" } else { "role" };
            errs.add(
                field,
                "last_administrator",
                "this is the last active administrator: add another first",
            );
        }
    }
    errs.finish()?;
    sqlx::query(
        "UPDATE users SET role = $1, country = $2, org = $3,
            disabled_at = CASE WHEN $4 THEN COALESCE(disabled_at, $5) ELSE NULL END
         WHERE id = $6",
    )
    .bind(role.as_str())
    .bind(country.as_ref().map(Iso3::as_str))
    .bind(org.as_ref().map(PartyCode::as_str))
    .bind(disabled)
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let after = by_id(conn, id).await?;
    audit_log::append(
        conn,
        actor,
        "user.update",
        "user",
        &id.to_string(),
        Some(&serde_json::to_value(&before)?),
        Some(&serde_json::to_value(&after)?),
    )
    .await?;
    Ok(after)
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
    from_row_as(r, "id", "created_at")
}

/// A user read beside another table's columns, where its `id` and
/// `created_at` are named `id` and `created_at` (see `auth::token`).
pub(super) fn from_row_as(r: &<super::Db as sqlx::Database>::Row, id: &str, created_at: &str) -> Result<User> {
    let role: String = r.try_get("role")?;
    let disabled: Option<chrono::DateTime<chrono::Utc>> = r.try_get("disabled_at")?;
    Ok(User {
        id: r.try_get(id)?,
        email: r.try_get("email")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Internal(format!("unknown role {role}")))?,
        country: r.try_get("country")?,
        org: r.try_get("org")?,
        must_change_password: r.try_get("must_change_password")?,
        created_at: r.try_get(created_at)?,
        disabled: disabled.is_some(),
    })
}
