//! Who is calling: an API token (`Authorization: Bearer ...`), a browser
//! session cookie, or nobody. Cookie-authenticated writes must carry the
//! session's CSRF token in `X-CSRF-Token`.

use super::AppState;
use super::problem::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use needsdb_store::{Actor, Role, User};

pub const SESSION_COOKIE: &str = "needsdb_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Paths a user who must change a one-time password may still use.
const PASSWORD_CHANGE_PATHS: [&str; 2] = ["/api/v1/session", "/api/v1/session/password"];

#[derive(Debug, Clone)]
pub enum Via {
    Anonymous,
    Token,
    Session { id_hash: String, csrf_token: String },
}

#[derive(Debug, Clone)]
pub struct Principal {
    pub user: Option<User>,
    pub via: Via,
}

impl Principal {
    pub fn anonymous() -> Self {
        Self {
            user: None,
            via: Via::Anonymous,
        }
    }

    /// The signed-in user, or 401.
    pub fn user(&self) -> Result<&User, ApiError> {
        self.user.as_ref().ok_or_else(ApiError::unauthorized)
    }

    /// The caller, as the access rules take it.
    pub fn caller(&self) -> Option<&User> {
        self.user.as_ref()
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn actor(&self) -> Actor {
        self.user
            .as_ref()
            .map_or_else(|| Actor("anonymous".into()), |u| Actor::user(u.id))
    }

    /// 403 unless the caller has one of these roles (401 when not signed in).
    pub fn require(&self, roles: &[Role]) -> Result<&User, ApiError> {
        Ok(crate::services::access::require(self.caller(), roles)?)
    }
}

pub use crate::services::accounts::sha256_hex;

/// Compares secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(|| ApiError::unauthorized().with_header(header::WWW_AUTHENTICATE, "Bearer"))?;
            return match state.store.token(&sha256_hex(token)).await? {
                Some((_, user)) => Ok(Self {
                    user: Some(user),
                    via: Via::Token,
                }),
                None => Err(ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "the API token is unknown, expired or revoked",
                )
                .with_header(header::WWW_AUTHENTICATE, "Bearer")),
            };
        }
        let Some(id) = cookie(parts, SESSION_COOKIE) else {
            return Ok(Self::anonymous());
        };
        let id_hash = sha256_hex(&id);
        let Some(session) = state.store.session(&id_hash).await? else {
            return Ok(Self::anonymous());
        };
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if unsafe_method {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, &session.csrf_token) {
                return Err(ApiError::forbidden(
                    "this change needs the X-CSRF-Token header of your session (from sign-in or GET /api/v1/session)",
                ));
            }
            if let Some(origin) = parts.headers.get(header::ORIGIN) {
                let host = parts
                    .headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("");
                if !same_origin(origin.to_str().unwrap_or(""), host) {
                    return Err(ApiError::forbidden("cross-site requests are not accepted"));
                }
            }
        }
        if session.user.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) {
            return Err(ApiError::forbidden(
                "change your one-time password first: POST /api/v1/session/password",
            ));
        }
        Ok(Self {
            user: Some(session.user),
            via: Via::Session {
                id_hash,
                csrf_token: session.csrf_token,
            },
        })
    }
}

/// Whether an Origin header names this server: `http` or `https`, and
/// exactly the host (and port) the request was sent to. The whole origin
/// is compared, never a suffix of it.
pub fn same_origin(origin: &str, host: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !host.is_empty()
        && authority.eq_ignore_ascii_case(host)
        && !authority.contains(['/', '@', '?', '#'])
}

/// The caller's IP address, for throttling sign-ins; "unknown" in-process.
pub struct PeerAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(Self(addr.unwrap_or_else(|| "unknown".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn origins_are_compared_whole() {
        assert!(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same_origin("https://needs.example.org", "needs.example.org"));
        for (origin, host) in [
            ("http://evil.example.org", "example.org"),
            ("http://example.org.evil.com", "example.org"),
            ("http://evil.com://example.org", "example.org"),
            ("http://user@example.org", "example.org"),
            ("javascript://example.org", "example.org"),
            ("null", "example.org"),
            ("http://example.org", ""),
        ] {
            assert!(!same_origin(origin, host), "{origin} for {host}");
        }
    }

    #[test]
    fn cookies_are_found_among_others() {
        let req = axum::http::Request::builder()
            .header("cookie", "a=1; needsdb_session=xyz; b=2")
            .body(())
            .unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(cookie(&parts, SESSION_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&parts, "c"), None);
    }
}
