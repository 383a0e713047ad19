//! Saved searches, and the Atom feed of newly validated needs that match.
//! Feed readers cannot send headers, so the feed's address carries a secret
//! token (shown once, stored hashed), like an API token.

use crate::http::AppState;
use crate::http::auth::{Principal, sha256_hex};
use crate::http::extract::ApiJson;
use crate::http::problem::{ApiError, Problem};
use crate::services::access::scope_of;
use crate::services::analysis::all_needs;
use crate::services::searches::{self, SearchQuery};
use atom_syndication::{Entry, Feed, Link, Person, Text};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use needsdb_store::SavedSearch;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(delete))
        .routes(routes!(feed))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewSearch {
    name: String,
    query: SearchQuery,
}

#[derive(Debug, Serialize, ToSchema)]
struct SearchOut {
    search: SavedSearch,
    /// The Atom feed of validated needs that match; shown only now.
    feed: String,
}

/// Your saved searches.
#[utoipa::path(get, path = "/api/v1/searches", tag = "needs", responses((status = 200, body = Vec<SavedSearch>), (status = 401, body = Problem)))]
async fn list(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<SavedSearch>>, ApiError> {
    Ok(Json(searches::mine(s.store.as_ref(), p.caller()).await?))
}

/// Save a search and get its Atom feed address.
#[utoipa::path(post, path = "/api/v1/searches", tag = "needs", request_body = NewSearch,
    responses((status = 201, body = SearchOut), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(n): ApiJson<NewSearch>,
) -> Result<(StatusCode, Json<SearchOut>), ApiError> {
    let (search, feed) = searches::save(s.store.as_ref(), p.caller(), &p.actor(), &n.name, &n.query).await?;
    Ok((StatusCode::CREATED, Json(SearchOut { search, feed })))
}

/// Stop following a saved search (its feed stops too).
#[utoipa::path(delete, path = "/api/v1/searches/{id}", tag = "needs", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn delete(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    searches::forget(s.store.as_ref(), p.caller(), &p.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Newly validated needs that match a saved search, as Atom, newest first.
#[utoipa::path(get, path = "/api/v1/feeds/{token}", tag = "needs", params(("token" = String, Path)),
    responses((status = 200, content_type = "application/atom+xml"), (status = 404, body = Problem)))]
async fn feed(
    State(s): State<AppState>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let Some((search, owner)) = s.store.search_by_token(&sha256_hex(&token)).await? else {
        return Err(ApiError::not_found("feed at this address"));
    };
    if search.query.get("kind").and_then(serde_json::Value::as_str) == Some("notifications") {
        let base = super::notifications::public_base(&headers);
        return super::notifications::atom(&s, &owner, &base).await;
    }
    let base = super::notifications::public_base(&headers);
    let query: SearchQuery = serde_json::from_value(search.query.clone()).map_err(ApiError::internal)?;
    let scope = scope_of(&owner);
    let mut needs = all_needs(s.store.as_ref(), &query.need_query(scope)).await?;
    needs.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
    needs.truncate(100);
    let mut entries = Vec::new();
    for n in &needs {
        // When it was validated: the first version in that status.
        let history = s.store.need_history(n.id).await?;
        let validated_at: DateTime<Utc> = history
            .iter()
            .find(|v| v.data["status"] == "validated")
            .map_or(n.updated_at, |v| v.changed_at);
        entries.push((validated_at, n));
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.id.cmp(&a.1.id)));
    let updated = entries.first().map_or(search.created_at, |e| e.0);
    let feed = Feed {
        title: Text::from(format!("needsdb: {}", search.name)),
        id: format!("tag:needsdb,2026:search:{}", search.id),
        updated: updated.fixed_offset(),
        authors: vec![Person {
            name: "needsdb".into(),
            ..Default::default()
        }],
        entries: entries
            .iter()
            .map(|(at, n)| Entry {
                title: Text::from(format!(
                    "{} needs {} {} of {} ({})",
                    n.country_name, n.quantity, n.unit, n.item_name, n.priority
                )),
                id: format!("tag:needsdb,2026:need:{}", n.id),
                updated: at.fixed_offset(),
                summary: Some(Text::from(format!(
                    "Needed by {} in {}; {}% covered, {} {} unmet. {}",
                    n.needed_by,
                    n.place.clone().unwrap_or_else(|| n.country_name.clone()),
                    n.coverage.coverage_pct,
                    n.coverage.unmet,
                    n.unit,
                    n.justification
                ))),
                links: vec![Link {
                    href: format!("{base}/api/v1/needs/{}", n.id),
                    ..Default::default()
                }],
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    Ok(super::notifications::atom_response(&feed))
}
