//! Signing in and changing one's password: the same throttling, timing and
//! session rules for the API and the pages.

use super::accounts::{self, throttle};
use crate::password;
use chrono::{Duration, Utc};
use needsdb_domain::Invalid;
use needsdb_store::{Actor, Ending, Store, StoreError, User};

/// How long a sign-in session lasts.
pub const SESSION_HOURS: i64 = 12;

/// A new session: the cookie's secret (only its hash is stored) and the
/// CSRF token forms and scripts send back.
pub struct NewSession {
    pub user: User,
    pub secret: String,
    pub csrf: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Too many failures for this account from this address.
    #[error("too many failed sign-ins for this account from here; try again in {0} seconds")]
    Throttled(i64),
    /// Unknown account, disabled account or wrong password: the same answer.
    #[error("the email or the password is wrong")]
    Wrong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks an email and password and opens a session. An unknown account is
/// checked against `dummy_hash`, so the time taken does not tell whether it
/// exists; failures are counted per account and address together.
pub async fn sign_in(
    store: &dyn Store,
    dummy_hash: &str,
    email: &str,
    password: &str,
    address: &str,
) -> Result<NewSession, SignInError> {
    let now = Utc::now();
    let since = now - Duration::minutes(throttle::WINDOW_MINUTES);
    let f = store.signin_failures(email, address, since).await?;
    if let Some(wait) = throttle::wait(f.count, f.last, now) {
        // Rounded up: a client that waits exactly this long is let through.
        return Err(SignInError::Throttled((wait.num_milliseconds() + 999) / 1000));
    }
    let (user, hash) = match store.user_by_email(email).await? {
        Some((u, h)) if !u.disabled => (Some(u), h),
        _ => (None, dummy_hash.to_owned()),
    };
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
        .await
        .map_err(|e| StoreError::Internal(format!("password check: {e}")))?;
    let Some(user) = user.filter(|_| ok) else {
        store.record_signin_failure(email, address).await?;
        return Err(SignInError::Wrong);
    };
    let secret = accounts::random_hex(32);
    let csrf = accounts::random_hex(32);
    store
        .create_session(
            &Actor::user(user.id),
            user.id,
            &accounts::sha256_hex(&secret),
            &csrf,
            Duration::hours(SESSION_HOURS),
        )
        .await?;
    Ok(NewSession { user, secret, csrf })
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Changes the user's own password; every other session ends, `keep` (the
/// session it was changed from, if any) stays.
pub async fn change_password(
    store: &dyn Store,
    user: &User,
    keep: Option<String>,
    current: &str,
    new: &str,
) -> Result<(), PasswordError> {
    let (_, hash) = store
        .user_by_email(&user.email)
        .await?
        .ok_or_else(|| StoreError::not_found("user", user.id))?;
    let current = current.to_owned();
    let ok = tokio::task::spawn_blocking(move || password::verify(&current, &hash))
        .await
        .map_err(|e| StoreError::Internal(format!("password check: {e}")))?;
    if !ok {
        return Err(Invalid::one("current_password", "wrong_password", "the current password is wrong").into());
    }
    password::check_strength(new).map_err(|m| Invalid::one("new_password", "too_short", m))?;
    let hash = accounts::hash_password(new.to_owned()).await?;
    store
        .set_password(
            &Actor::user(user.id),
            user.id,
            &hash,
            false,
            &Ending::OtherSessions(keep),
        )
        .await?;
    Ok(())
}
