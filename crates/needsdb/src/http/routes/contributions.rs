//! /api/v1/contributions

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::etag::{expected_version, tagged};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::listing::{self, Format};
use crate::http::problem::{ApiError, Problem};
use crate::services::{access, contributions};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use needsdb_domain::{ContributionEdit, NewContribution, NewDelivery, StageChange};
use needsdb_store::{Contribution, ContributionQuery, Page, Version};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, edit))
        .routes(routes!(advance))
        .routes(routes!(deliver))
        .routes(routes!(history))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ContributionParams {
    donor: Option<String>,
    recipient: Option<String>,
    channel: Option<String>,
    item: Option<String>,
    stage: Option<String>,
    /// in_kind or cash.
    kind: Option<String>,
    /// Recipient states, ISO3 codes, comma-separated.
    country: Option<String>,
    /// NAM status of the recipient: member, observer or none.
    nam_status: Option<String>,
    /// M49 region of the recipient.
    region: Option<String>,
    /// WHO region of the recipient.
    who_region: Option<String>,
    /// Income group of the recipient.
    income_group: Option<String>,
    /// Cluster of the item carried.
    cluster: Option<String>,
    /// Linked to a need of this priority.
    priority: Option<String>,
    /// Stage reached on or after (YYYY-MM-DD).
    date_from: Option<String>,
    /// Stage reached on or before (YYYY-MM-DD).
    date_to: Option<String>,
    /// id, stage_date or created_at; - for descending.
    sort: Option<String>,
    cursor: Option<String>,
    /// 1 to 1000; 100 by default.
    limit: Option<u32>,
    /// json (default) or csv.
    format: Option<String>,
}

/// List contributions.
#[utoipa::path(get, path = "/api/v1/contributions", tag = "contributions", params(ContributionParams),
    responses((status = 200, body = Page<Contribution>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ContributionParams>,
) -> Result<Response, ApiError> {
    p.require(&access::SIGNED_IN)?;
    listing::check_limit(params.limit.map(|l| l as usize), needsdb_store::MAX_PAGE as usize)?;
    let date_from = listing::optional_date("date_from", params.date_from.as_deref())?;
    let date_to = listing::optional_date("date_to", params.date_to.as_deref())?;
    let q = ContributionQuery {
        country: params.country,
        nam_status: params.nam_status,
        region: params.region,
        who_region: params.who_region,
        income_group: params.income_group,
        cluster: params.cluster,
        priority: params.priority,
        date_from,
        date_to,
        donor: params.donor,
        recipient: params.recipient,
        channel: params.channel,
        item: params.item,
        stage: params.stage,
        kind: params.kind,
        sort: params.sort,
        cursor: params.cursor,
        limit: params.limit,
        ..Default::default()
    };
    match listing::format(params.format.as_deref(), &headers)? {
        Format::Json => Ok(listing::json_page(s.store.contributions(&q).await?)),
        Format::Csv => {
            listing::csv("contributions", |cursor| {
                let q = ContributionQuery {
                    cursor,
                    limit: Some(needsdb_store::MAX_PAGE),
                    ..q.clone()
                };
                let store = s.store.clone();
                async move { Ok(store.contributions(&q).await?) }
            })
            .await
        }
    }
}

/// Record a contribution: as its donor, or as its recipient or channel (the
/// other side's report of the same flow, matched to the donor's at once).
#[utoipa::path(post, path = "/api/v1/contributions", tag = "contributions", request_body = NewContribution,
    responses((status = 201, body = Contribution), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(input): ApiJson<NewContribution>,
) -> Result<Response, ApiError> {
    let c = contributions::create(&*s.store, p.caller(), &p.actor(), &input).await?;
    Ok(tagged(StatusCode::CREATED, c.version, &c))
}

/// One contribution with its links, earmarks and stages; the ETag is its version.
#[utoipa::path(get, path = "/api/v1/contributions/{id}", tag = "contributions", params(("id" = i64, Path)),
    responses((status = 200, body = Contribution), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_one(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let c = contributions::get(&*s.store, p.caller(), id).await?;
    Ok(tagged(StatusCode::OK, c.version, &c))
}

/// Correct a contribution: quantity or amount, dates, links, earmarks. Left
/// out, a field keeps its value; `links` and `earmarks` replace the lists.
/// Linked needs are re-evaluated at once; the history keeps every version.
#[utoipa::path(patch, path = "/api/v1/contributions/{id}", tag = "contributions", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = ContributionEdit,
    responses((status = 200, body = Contribution), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn edit(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(edit): ApiJson<ContributionEdit>,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let c = contributions::correct(&*s.store, p.caller(), &p.actor(), id, expected, &edit).await?;
    Ok(tagged(StatusCode::OK, c.version, &c))
}

/// Move a contribution to its next stage. Delivery is confirmed by the recipient.
#[utoipa::path(post, path = "/api/v1/contributions/{id}/stage", tag = "contributions", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = StageChange,
    responses((status = 200, body = Contribution), (status = 403, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn advance(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(change): ApiJson<StageChange>,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let c = contributions::advance(&*s.store, p.caller(), &p.actor(), id, expected, &change).await?;
    Ok(tagged(StatusCode::OK, c.version, &c))
}

/// Confirm what arrived, as the recipient: all of it or a part. A shipment
/// may arrive in parts; it becomes delivered once all of it has, and what is
/// still to arrive is its `outstanding`.
#[utoipa::path(post, path = "/api/v1/contributions/{id}/deliveries", tag = "contributions", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = NewDelivery,
    responses((status = 200, body = Contribution), (status = 403, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn deliver(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    headers: HeaderMap,
    ApiJson(delivery): ApiJson<NewDelivery>,
) -> Result<Response, ApiError> {
    let expected = expected_version(&headers)?;
    let c = contributions::deliver(&*s.store, p.caller(), &p.actor(), id, expected, &delivery).await?;
    Ok(tagged(StatusCode::OK, c.version, &c))
}

/// Every version of a contribution, and who made it.
#[utoipa::path(get, path = "/api/v1/contributions/{id}/history", tag = "contributions", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Version>), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn history(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<Vec<Version>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    Ok(Json(s.store.contribution_history(id).await?))
}
