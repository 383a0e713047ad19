//! /api/v1/notifications: each user's events, as JSON or Atom, with
//! absolute links; and a secret feed address for feed readers, which cannot
//! send a token (kept like a saved search's: shown once, stored hashed).

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::ApiQuery;
use crate::http::problem::{ApiError, Problem};
use crate::services::notifications::{self, Notice};
use atom_syndication::{Entry, Feed, Link, Person, Text};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::Invalid;
use needsdb_store::User;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(create_feed))
}

/// The address links are made absolute against: NEEDSDB_PUBLIC_URL when the
/// server sits behind a proxy, else the Host the request came to.
pub fn public_base(headers: &HeaderMap) -> String {
    if let Ok(u) = std::env::var("NEEDSDB_PUBLIC_URL")
        && !u.trim().is_empty()
    {
        return u.trim().trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct NoticeParams {
    /// json (default) or atom.
    format: Option<String>,
}

/// Your notifications, newest first: pledges against your needs, your needs
/// validated or returned (with the note), shipments awaiting your
/// confirmation, deliveries confirmed, pledges due for follow-up.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "accounts", params(NoticeParams),
    responses((status = 200, body = Vec<Notice>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<NoticeParams>,
) -> Result<Response, ApiError> {
    let user = p.user()?;
    let base = public_base(&headers);
    match q.format.as_deref().unwrap_or("json") {
        "json" => {
            let notices = notifications::for_user(s.store.as_ref(), user).await?;
            let out: Vec<_> = notices
                .iter()
                .map(|n| {
                    let mut v = serde_json::to_value(n).unwrap_or_default();
                    v["url"] = json!(format!("{base}{}", n.path));
                    v
                })
                .collect();
            Ok(Json(out).into_response())
        }
        "atom" => atom(&s, user, &base).await,
        other => Err(needsdb_store::StoreError::Invalid(Invalid::one(
            "format",
            "invalid_choice",
            format!("'{other}' is not a format here (use json or atom)"),
        ))
        .into()),
    }
}

#[derive(Debug, Serialize, ToSchema)]
struct FeedOut {
    /// The Atom feed of your notifications, for a feed reader; shown only
    /// now. Delete it like a saved search to stop it.
    feed: String,
}

/// A secret address of your notifications for a feed reader.
#[utoipa::path(post, path = "/api/v1/notifications/feed", tag = "accounts",
    responses((status = 201, body = FeedOut), (status = 401, body = Problem)))]
async fn create_feed(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<FeedOut>), ApiError> {
    let (_, path) = crate::services::searches::follow_notifications(s.store.as_ref(), p.caller(), &p.actor()).await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedOut {
            feed: format!("{}{path}", public_base(&headers)),
        }),
    ))
}

/// The notifications of `user` as an Atom feed.
pub async fn atom(s: &AppState, user: &User, base: &str) -> Result<Response, ApiError> {
    let notices = notifications::for_user(s.store.as_ref(), user).await?;
    let updated = notices.first().map_or_else(chrono::Utc::now, |n| n.at);
    let feed = Feed {
        title: Text::from(format!("needsdb: notifications for {}", user.email)),
        id: format!("tag:needsdb,2026:notifications:{}", user.id),
        updated: updated.fixed_offset(),
        authors: vec![Person {
            name: "needsdb".into(),
            ..Default::default()
        }],
        entries: notices
            .iter()
            .map(|n| Entry {
                title: Text::from(n.title.clone()),
                id: format!("tag:needsdb,2026:{}", n.id),
                updated: n.at.fixed_offset(),
                summary: Some(Text::from(n.summary.clone())),
                links: vec![Link {
                    href: format!("{base}{}", n.path),
                    ..Default::default()
                }],
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    Ok(atom_response(&feed))
}

/// A feed as an answer, with the Atom media type: saved searches' feeds too.
pub fn atom_response(feed: &Feed) -> Response {
    let mut r = feed.to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    r
}
