//! Account operations shared by the command line and the API: users with
//! one-time passwords, and API tokens shown once and stored hashed.

use crate::password;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{Duration, Utc};
use needsdb_domain::Invalid;
use needsdb_store::{Actor, NewToken, NewUser, Role, Store, StoreError, TokenInfo, User};
use sha2::{Digest, Sha256};

/// Secrets (tokens, session ids, feed keys) are stored only as this hash.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

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

/// Gives a user a new one-time password, returned once. Every session and
/// API token of the user ends: whoever held the old password is out.
pub async fn reset_password(store: &dyn Store, actor: &Actor, user_id: i64) -> Result<String, StoreError> {
    let pw = password::generate();
    let hash = hash_password(pw.clone()).await?;
    store
        .set_password(actor, user_id, &hash, true, &needsdb_store::Ending::Everything)
        .await?;
    Ok(pw)
}

/// Sign-in throttling: each account is throttled per address, so nobody's
/// failures lock out a user signing in from their own address, or everyone
/// behind a shared proxy. After `FREE_FAILURES` failures within the window
/// the next try must wait, twice as long after each further failure.
pub mod throttle {
    use chrono::{DateTime, Duration, Utc};

    pub const WINDOW_MINUTES: i64 = 15;
    pub const FREE_FAILURES: i64 = 3;
    pub const MAX_WAIT_SECONDS: i64 = WINDOW_MINUTES * 60;

    /// How long to wait before the next try, given this pair's failures.
    pub fn wait(failures: i64, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Duration> {
        let last = last?;
        if failures < FREE_FAILURES {
            return None;
        }
        let exp = u32::try_from(failures - FREE_FAILURES).unwrap_or(u32::MAX).min(20);
        let need = Duration::seconds((1i64 << exp).min(MAX_WAIT_SECONDS));
        let waited = now - last;
        (waited < need).then(|| need - waited)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn delays_grow_with_each_failure_and_are_bounded() {
            let now = Utc::now();
            assert_eq!(wait(2, Some(now), now), None);
            assert_eq!(wait(3, Some(now), now), Some(Duration::seconds(1)));
            assert_eq!(wait(5, Some(now), now), Some(Duration::seconds(4)));
            assert_eq!(wait(60, Some(now), now), Some(Duration::seconds(MAX_WAIT_SECONDS)));
            assert_eq!(wait(5, Some(now - Duration::seconds(10)), now), None);
        }
    }
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

/// Revokes an API token: the caller's own, or any as an administrator.
pub async fn revoke_token(
    store: &dyn Store,
    caller: super::access::Caller<'_>,
    actor: &Actor,
    id: i64,
) -> Result<TokenInfo, super::Failure> {
    let me = super::access::require(caller, &super::access::SIGNED_IN)?;
    let owner = store
        .tokens(None)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .map(|t| t.user_id);
    match owner {
        Some(o) if o == me.id || me.role == Role::Admin => Ok(store.revoke_token(actor, id).await?),
        Some(_) => {
            Err(super::access::Denied::Forbidden("only administrators may revoke another user's token".into()).into())
        }
        None => Err(StoreError::not_found("token", id).into()),
    }
}
