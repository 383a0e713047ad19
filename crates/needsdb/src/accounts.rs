//! Account operations shared by the command line and the API: users with
//! one-time passwords, and API tokens shown once and stored hashed.

use crate::http::auth::sha256_hex;
use crate::password;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{Duration, Utc};
use needsdb_domain::Invalid;
use needsdb_store::{Actor, NewToken, NewUser, Role, Store, StoreError, TokenInfo, User};

/// A random secret as hex.
pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub async fn hash_password(pw: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| StoreError::Internal(e.to_string()))?
        .map_err(StoreError::Internal)
}

/// Creates a user. Without a password, a one-time password is generated,
/// returned once, and must be changed at first sign-in.
pub async fn add_user(
    store: &dyn Store,
    actor: &Actor,
    email: &str,
    role: Role,
    country: Option<String>,
    org: Option<String>,
    chosen: Option<String>,
) -> Result<(User, Option<String>), StoreError> {
    let (pw, generated) = match chosen {
        Some(p) => {
            password::check_strength(&p).map_err(|m| Invalid::one("password", "too_short", m))?;
            (p, false)
        }
        None => (password::generate(), true),
    };
    let hash = hash_password(pw.clone()).await?;
    let u = NewUser {
        email: email.to_owned(),
        password_hash: hash,
        role,
        country,
        org,
        must_change_password: generated,
    };
    let user = store.create_user(actor, &u).await?;
    Ok((user, generated.then_some(pw)))
}

/// Gives a user a new one-time password, returned once.
pub async fn reset_password(store: &dyn Store, actor: &Actor, user_id: i64) -> Result<String, StoreError> {
    let pw = password::generate();
    let hash = hash_password(pw.clone()).await?;
    store.set_password(actor, user_id, &hash, true).await?;
    Ok(pw)
}

pub const MAX_TOKEN_DAYS: i64 = 3650;

/// Creates an API token. The token is returned once; only its hash is kept.
pub async fn create_token(
    store: &dyn Store,
    actor: &Actor,
    user_id: i64,
    name: &str,
    expires_in_days: Option<i64>,
) -> Result<(String, TokenInfo), StoreError> {
    if let Some(d) = expires_in_days
        && !(1..=MAX_TOKEN_DAYS).contains(&d)
    {
        return Err(Invalid::one(
            "expires_in_days",
            "out_of_range",
            format!("a token lasts 1 to {MAX_TOKEN_DAYS} days"),
        )
        .into());
    }
    let token = format!("ndb_{}", random_hex(32));
    let t = NewToken {
        user_id,
        name: name.to_owned(),
        prefix: token[..12].to_owned(),
        token_hash: sha256_hex(&token),
        expires_at: expires_in_days.map(|d| Utc::now() + Duration::days(d)),
    };
    let info = store.create_token(actor, &t).await?;
    Ok((token, info))
}
