//! Sign-in sessions, passwords, users and API tokens.

use crate::http::AppState;
use crate::http::auth::{PeerAddr, Principal, SESSION_COOKIE, Via};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::{ApiError, Problem};
use crate::services::access;
use crate::services::accounts;
use crate::services::sessions::{self, PasswordError, SignInError};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::Invalid;
use needsdb_store::{Role, TokenInfo, User, UserUpdate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::services::sessions::SESSION_HOURS;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, current, sign_out))
        .routes(routes!(change_password))
        .routes(routes!(list_users, add_user))
        .routes(routes!(update_user))
        .routes(routes!(reset_password))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct SessionOut {
    user: User,
    /// Send this in X-CSRF-Token with every change made with the session cookie.
    csrf_token: Option<String>,
    must_change_password: bool,
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

/// Sign in with email and password. Sets an HttpOnly session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = Credentials,
    responses((status = 200, body = SessionOut), (status = 401, body = Problem), (status = 429, body = Problem)))]
async fn sign_in(
    State(s): State<AppState>,
    PeerAddr(address): PeerAddr,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let session = sessions::sign_in(&*s.store, &s.dummy_hash, &c.email, &c.password, &address)
        .await
        .map_err(|e| match e {
            SignInError::Throttled(seconds) => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                format!("too many failed sign-ins for this account from here; try again in {seconds} seconds"),
            )
            .with_header(header::RETRY_AFTER, &seconds.to_string()),
            SignInError::Wrong => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the email or the password is wrong",
            ),
            SignInError::Store(e) => e.into(),
        })?;
    let (user, id, csrf) = (session.user, session.secret, session.csrf);
    let body = SessionOut {
        must_change_password: user.must_change_password,
        user,
        csrf_token: Some(csrf),
    };
    let mut r = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&id, SESSION_HOURS * 3600, s.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// Who is signed in, and the session's CSRF token.
#[utoipa::path(get, path = "/api/v1/session", tag = "accounts", responses((status = 200, body = SessionOut), (status = 401, body = Problem)))]
async fn current(p: Principal) -> Result<Json<SessionOut>, ApiError> {
    let user = p.user()?.clone();
    let csrf_token = match &p.via {
        Via::Session { csrf_token, .. } => Some(csrf_token.clone()),
        _ => None,
    };
    Ok(Json(SessionOut {
        must_change_password: user.must_change_password,
        user,
        csrf_token,
    }))
}

/// Sign out: the session is revoked and the cookie cleared.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn sign_out(State(s): State<AppState>, p: Principal) -> Result<Response, ApiError> {
    p.user()?;
    if let Via::Session { id_hash, .. } = &p.via {
        s.store.revoke_session(&p.actor(), id_hash).await?;
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, s.secure_cookies)) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Change your own password (required after a one-time password).
#[utoipa::path(post, path = "/api/v1/session/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn change_password(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(c): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let user = p.user()?;
    // Every other session ends; this one (if it is one) stays.
    let keep = match &p.via {
        Via::Session { id_hash, .. } => Some(id_hash.clone()),
        _ => None,
    };
    sessions::change_password(&*s.store, user, keep, &c.current_password, &c.new_password)
        .await
        .map_err(|e| match e {
            PasswordError::Invalid(inv) => ApiError::from(inv),
            PasswordError::Store(e) => e.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// All accounts (administrators).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<User>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_users(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<User>>, ApiError> {
    p.require(&access::ADMIN)?;
    Ok(Json(s.store.users().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccount {
    email: String,
    /// admin, secretariat, focal_point, partner or viewer.
    role: String,
    /// For a focal point: the ISO3 code of its member state.
    country: Option<String>,
    /// For a partner: the code of its organisation or donor state.
    org: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
struct AccountOut {
    user: User,
    /// Shown only now; the user must change it at first sign-in.
    one_time_password: Option<String>,
}

/// Create an account with a one-time password (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = AccountOut), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_user(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(a): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<AccountOut>), ApiError> {
    p.require(&access::ADMIN)?;
    let role = Role::parse(&a.role).ok_or_else(|| {
        Invalid::one(
            "role",
            "invalid_choice",
            format!(
                "'{}' is not a role (admin, secretariat, focal_point, partner, viewer)",
                a.role
            ),
        )
    })?;
    let (user, pw) = accounts::add_user(s.store.as_ref(), &p.actor(), &a.email, role, a.country, a.org, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(AccountOut {
            user,
            one_time_password: pw,
        }),
    ))
}

/// Change an account's role, country or organisation, or disable or enable
/// it (administrators). It holds from the next request; disabling ends every
/// session and token at once.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = i64, Path)), request_body = UserUpdate,
    responses((status = 200, body = User), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_user(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<UserUpdate>,
) -> Result<Json<User>, ApiError> {
    p.require(&access::ADMIN)?;
    Ok(Json(s.store.update_user(&p.actor(), id, &change).await?))
}

/// Give an account a new one-time password (administrators). Its sessions and tokens end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = AccountOut), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn reset_password(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
) -> Result<Json<AccountOut>, ApiError> {
    p.require(&access::ADMIN)?;
    let pw = accounts::reset_password(s.store.as_ref(), &p.actor(), id).await?;
    Ok(Json(AccountOut {
        user: s.store.user(id).await?,
        one_time_password: Some(pw),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TokenParams {
    /// Administrators may list another user's tokens, or everyone's with `all`.
    user_id: Option<i64>,
    all: Option<bool>,
}

/// Your API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", params(TokenParams),
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_tokens(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<TokenParams>,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let me = p.user()?;
    let wants_other = q.all == Some(true) || q.user_id.is_some_and(|u| u != me.id);
    if wants_other {
        p.require(&access::ADMIN)?;
    }
    let user = if q.all == Some(true) {
        None
    } else {
        Some(q.user_id.unwrap_or(me.id))
    };
    Ok(Json(s.store.tokens(user).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    name: String,
    /// 1 to 3650 days; no expiry when absent.
    expires_in_days: Option<i64>,
    /// Administrators may create a token for another user.
    user_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
struct TokenOut {
    /// Shown only now. Send it as 'Authorization: Bearer <token>'.
    token: String,
    info: TokenInfo,
}

/// Create an API token for scripts. The token is shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = TokenRequest,
    responses((status = 201, body = TokenOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_token(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(t): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenOut>), ApiError> {
    let me = p.user()?;
    let user_id = t.user_id.unwrap_or(me.id);
    if user_id != me.id {
        p.require(&access::ADMIN)?;
    }
    let (token, info) =
        accounts::create_token(s.store.as_ref(), &p.actor(), user_id, &t.name, t.expires_in_days).await?;
    Ok((StatusCode::CREATED, Json(TokenOut { token, info })))
}

/// Revoke an API token (your own, or any as an administrator).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = i64, Path)),
    responses((status = 200, body = TokenInfo), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
) -> Result<Json<TokenInfo>, ApiError> {
    Ok(Json(
        accounts::revoke_token(s.store.as_ref(), p.caller(), &p.actor(), id).await?,
    ))
}
