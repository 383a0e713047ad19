//! /api/v1/coverage/monthly, /coverage/top-unmet, /equity, /earmarks/report, /match, /follow-up

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::{ApiError, Problem};
use crate::services::access::{self, need_scope};
use crate::services::analysis::{self, EarmarkLine, FollowUp, OfferLine, Pair};
use axum::Json;
use axum::extract::{Path, State};
use needsdb_domain::equity::Equity;
use needsdb_store::{Contribution, MonthRow, Need, NeedQuery};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(monthly))
        .routes(routes!(top_unmet))
        .routes(routes!(equity))
        .routes(routes!(earmarks))
        .routes(routes!(offer))
        .routes(routes!(follow_up))
        .routes(routes!(reconciliation))
        .routes(routes!(merge))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ReconcileParams {
    /// How far apart two quantities may be, as a fraction (0.05 by default).
    tolerance: Option<f64>,
    /// How many days apart their first dates may be (30 by default).
    days: Option<i64>,
}

/// Contributions that look reported twice: matched reports of two parties, and suspected duplicates (secretariat, administrators, viewers).
#[utoipa::path(get, path = "/api/v1/reconciliation", tag = "contributions", params(ReconcileParams),
    responses((status = 200, body = Vec<Pair>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn reconciliation(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ReconcileParams>,
) -> Result<Json<Vec<Pair>>, ApiError> {
    Ok(Json(
        crate::services::contributions::reconciliation(
            s.store.as_ref(),
            p.caller(),
            q.tolerance.unwrap_or(0.05),
            q.days.unwrap_or(30),
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MergeRequest {
    /// The contribution that stays; this one is merged into it.
    into: i64,
}

/// Merge this contribution into another report of the same flow; both histories stay (secretariat and administrators).
#[utoipa::path(post, path = "/api/v1/contributions/{id}/merge", tag = "contributions", params(("id" = i64, Path)), request_body = MergeRequest,
    responses((status = 200, body = Contribution), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn merge(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiJson(m): ApiJson<MergeRequest>,
) -> Result<Json<Contribution>, ApiError> {
    Ok(Json(
        crate::services::contributions::merge(s.store.as_ref(), p.caller(), &p.actor(), m.into, id).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ItemParam {
    item: String,
}

/// Month by month for one item: needed (by date needed) and what reached each stage that month. Public.
#[utoipa::path(get, path = "/api/v1/coverage/monthly", tag = "coverage", params(ItemParam),
    responses((status = 200, body = Vec<MonthRow>), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn monthly(State(s): State<AppState>, ApiQuery(q): ApiQuery<ItemParam>) -> Result<Json<Vec<MonthRow>>, ApiError> {
    Ok(Json(s.store.monthly(&q.item.trim().to_ascii_uppercase()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct LimitParam {
    /// 1 to 1000; 20 by default.
    limit: Option<usize>,
}

/// The critical needs least covered, soonest needed first among equals.
#[utoipa::path(get, path = "/api/v1/coverage/top-unmet", tag = "coverage", params(LimitParam),
    responses((status = 200, body = Vec<Need>), (status = 401, body = Problem)))]
async fn top_unmet(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<LimitParam>,
) -> Result<Json<Vec<Need>>, ApiError> {
    let scope = need_scope(p.caller())?;
    let limit = q.limit.unwrap_or(20);
    crate::http::listing::check_limit(Some(limit), 1000)?;
    Ok(Json(
        analysis::top_unmet_critical(s.store.as_ref(), limit, scope).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct EquityParams {
    /// The item delivered; cash when absent.
    item: Option<String>,
    /// Only these states: nam-members, who:AFR, income:low, m49:002.
    group: Option<String>,
    /// Count independent states only, leaving territories out.
    states_only: Option<bool>,
}

/// How fairly deliveries were shared: shares by income group and region beside population, per person, Lorenz curve, Gini. Public.
#[utoipa::path(get, path = "/api/v1/equity", tag = "coverage", params(EquityParams),
    responses((status = 200, body = Equity), (status = 422, body = Problem)))]
async fn equity(State(s): State<AppState>, ApiQuery(q): ApiQuery<EquityParams>) -> Result<Json<Equity>, ApiError> {
    Ok(Json(
        analysis::equity(
            s.store.as_ref(),
            q.item.as_deref(),
            q.group.as_deref(),
            if q.states_only == Some(true) {
                analysis::Entities::States
            } else {
                analysis::Entities::All
            },
        )
        .await?,
    ))
}

/// How much of each earmark reached its group; shortfalls are flagged.
#[utoipa::path(get, path = "/api/v1/earmarks/report", tag = "contributions",
    responses((status = 200, body = Vec<EarmarkLine>), (status = 401, body = Problem)))]
async fn earmarks(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<EarmarkLine>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    Ok(Json(analysis::earmark_report(s.store.as_ref()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OfferParams {
    item: String,
    /// The quantity offered, in the item's unit (a decimal number, such as 5000).
    quantity: String,
    /// UN M49 region code.
    region: Option<String>,
    /// member: only NAM member states.
    nam_status: Option<String>,
    /// ISO3 codes, comma-separated.
    country: Option<String>,
}

/// Open needs an offer could fill, ranked by priority, date needed and unmet share, with the amount to give each.
#[utoipa::path(get, path = "/api/v1/match", tag = "needs", params(OfferParams),
    responses((status = 200, body = Vec<OfferLine>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn offer(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<OfferParams>,
) -> Result<Json<Vec<OfferLine>>, ApiError> {
    let nq = NeedQuery {
        region: q.region,
        nam_status: q.nam_status,
        country: q.country,
        ..Default::default()
    };
    Ok(Json(
        crate::services::needs::offer(s.store.as_ref(), p.caller(), &q.item, &q.quantity, nq).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FollowUpParams {
    /// 30 by default.
    days: Option<i64>,
    /// Only this donor's contributions (party code).
    donor: Option<String>,
    /// Only those to this recipient (party code).
    recipient: Option<String>,
}

/// Announcements and pledges still not committed after some days, and
/// shipments not confirmed as wholly delivered that long after they left.
#[utoipa::path(get, path = "/api/v1/follow-up", tag = "contributions", params(FollowUpParams),
    responses((status = 200, body = Vec<FollowUp>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn follow_up(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<FollowUpParams>,
) -> Result<Json<Vec<FollowUp>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let filter = analysis::FollowUpFilter {
        donor: q.donor,
        recipient: q.recipient,
    };
    Ok(Json(
        analysis::follow_up(s.store.as_ref(), q.days.unwrap_or(30), &filter).await?,
    ))
}
