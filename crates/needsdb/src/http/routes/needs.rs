//! /api/v1/needs

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::etag::{expected_version, tagged};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::listing::{self, Format};
use crate::http::problem::{ApiError, Problem};
use crate::services::access::need_scope;
use crate::services::needs;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use needsdb_domain::NewNeed;
use needsdb_store::{Need, NeedQuery, Page, StatusChange, Version};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(change_status))
        .routes(routes!(history))
}

/// Filters, sorting and paging shared by every list of needs.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NeedParams {
    /// ISO3 codes, comma-separated.
    pub country: Option<String>,
    /// member, observer or none.
    pub nam_status: Option<String>,
    /// UN M49 region, sub-region or intermediate region code.
    pub region: Option<String>,
    /// AFR, AMR, EMR, EUR, SEAR or WPR.
    pub who_region: Option<String>,
    /// low, lower_middle, upper_middle or high.
    pub income_group: Option<String>,
    pub cluster: Option<String>,
    pub item: Option<String>,
    pub priority: Option<String>,
    /// Statuses, comma-separated.
    pub status: Option<String>,
    /// YYYY-MM-DD.
    pub needed_from: Option<String>,
    /// YYYY-MM-DD.
    pub needed_to: Option<String>,
    pub external_id: Option<String>,
    /// id, needed_by, priority, created_at or updated_at; - for descending.
    pub sort: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 1000; 100 by default.
    pub limit: Option<u32>,
    /// json (default) or csv.
    pub format: Option<String>,
}

impl NeedParams {
    pub fn query(&self) -> Result<NeedQuery, ApiError> {
        let needed_from = listing::optional_date("needed_from", self.needed_from.as_deref())?;
        let needed_to = listing::optional_date("needed_to", self.needed_to.as_deref())?;
        listing::check_limit(self.limit.map(|l| l as usize), needsdb_store::MAX_PAGE as usize)?;
        Ok(NeedQuery {
            country: self.country.clone(),
            nam_status: self.nam_status.clone(),
            region: self.region.clone(),
            who_region: self.who_region.clone(),
            income_group: self.income_group.clone(),
            cluster: self.cluster.clone(),
            item: self.item.clone(),
            priority: self.priority.clone(),
            status: self.status.clone(),
            needed_from,
            needed_to,
            external_id: self.external_id.clone(),
            sort: self.sort.clone(),
            cursor: self.cursor.clone(),
            limit: self.limit,
            scope: None,
        })
    }
}

/// List needs the caller may see, with their coverage.
#[utoipa::path(get, path = "/api/v1/needs", tag = "needs", params(NeedParams),
    responses((status = 200, body = Page<Need>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<NeedParams>,
) -> Result<Response, ApiError> {
    let mut q = params.query()?;
    q.scope = need_scope(p.caller())?;
    match listing::format(params.format.as_deref(), &headers)? {
        Format::Json => Ok(listing::json_page(s.store.needs(&q).await?)),
        Format::Csv => {
            listing::csv("needs", |cursor| {
                let q = NeedQuery {
                    cursor,
                    limit: Some(needsdb_store::MAX_PAGE),
                    ..q.clone()
                };
                let store = s.store.clone();
                async move { Ok(store.needs(&q).await?) }
            })
            .await
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CreateParams {
    /// Submit it for validation at once (otherwise it is a draft).
    submit: Option<bool>,
}

/// Record a need of the caller's own state.
#[utoipa::path(post, path = "/api/v1/needs", tag = "needs", params(CreateParams), request_body = NewNeed,
    responses((status = 201, body = Need), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<CreateParams>,
    ApiJson(input): ApiJson<NewNeed>,
) -> Result<Response, ApiError> {
    let input = NewNeed {
        reported_via: input.reported_via.or_else(|| Some("api".into())),
        ..input
    };
    let n = needs::create(&*s.store, p.caller(), &p.actor(), &input, q.submit.unwrap_or(false)).await?;
    Ok(tagged(StatusCode::CREATED, n.version, &n))
}

/// Reads a need, as 404 when the caller may not see it.
pub(crate) async fn visible(s: &AppState, p: &Principal, id: i64) -> Result<Need, ApiError> {
    Ok(needs::visible(&*s.store, p.caller(), id).await?)
}

/// One need, with its coverage; the ETag is its version.
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, body = Need), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_one(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let n = visible(&s, &p, id).await?;
    Ok(tagged(StatusCode::OK, n.version, &n))
}

/// Edit a need: send only the fields that change, and the ETag in If-Match.
#[utoipa::path(patch, path = "/api/v1/needs/{id}", tag = "needs", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = NewNeed,
    responses((status = 200, body = Need), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<NewNeed>,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let n = needs::update(&*s.store, p.caller(), &p.actor(), id, expected, &patch).await?;
    Ok(tagged(StatusCode::OK, n.version, &n))
}

/// Submit, validate, return to draft or withdraw a need.
#[utoipa::path(post, path = "/api/v1/needs/{id}/status", tag = "needs", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = StatusChange,
    responses((status = 200, body = Need), (status = 403, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn change_status(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let n = needs::change_status(&*s.store, p.caller(), &p.actor(), id, expected, &change).await?;
    Ok(tagged(StatusCode::OK, n.version, &n))
}

/// Every version of a need, and who made it.
#[utoipa::path(get, path = "/api/v1/needs/{id}/history", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Version>), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn history(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<Vec<Version>>, ApiError> {
    Ok(Json(needs::history(&*s.store, p.caller(), id).await?))
}
