//! /api/v1/allocations: run the allocation rule and see every share explained.

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::ApiJson;
use crate::http::problem::{ApiError, Problem};
use crate::services::access;
use crate::services::allocate::{self, AllocationOut, AllocationRequest, run};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use needsdb_store::{Proposal, Role};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview))
        .routes(routes!(list, propose))
        .routes(routes!(get_one))
        .routes(routes!(commit))
        .routes(routes!(withdraw))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ProposalRequest {
    /// The party whose supply this is; the commitments come from it.
    supplier: String,
    request: AllocationRequest,
}

const RUNNERS: [Role; 2] = [Role::Admin, Role::Secretariat];

/// Saved allocation proposals: all of them for the secretariat, administrators
/// and viewers; for a partner, those that share its own supply.
#[utoipa::path(get, path = "/api/v1/allocations", tag = "allocations", responses((status = 200, body = Vec<Proposal>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<Proposal>>, ApiError> {
    let u = p.require(&[Role::Admin, Role::Secretariat, Role::Viewer, Role::Partner])?;
    let all = s.store.proposals().await?;
    let visible = if access::sees_everything(u) {
        all
    } else {
        all.into_iter()
            .filter(|x| access::may_read_proposal(p.caller(), x).is_ok())
            .collect()
    };
    Ok(Json(visible))
}

/// Run an allocation and save it as a proposal for review.
#[utoipa::path(post, path = "/api/v1/allocations", tag = "allocations", request_body = ProposalRequest,
    responses((status = 201, body = Proposal), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn propose(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(r): ApiJson<ProposalRequest>,
) -> Result<(StatusCode, Json<Proposal>), ApiError> {
    p.require(&RUNNERS)?;
    Ok((
        StatusCode::CREATED,
        Json(allocate::propose(s.store.as_ref(), &p.actor(), &r.request, &r.supplier).await?),
    ))
}

/// One proposal, with the contributions it became.
#[utoipa::path(get, path = "/api/v1/allocations/{id}", tag = "allocations", params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_one(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<Proposal>, ApiError> {
    p.user()?;
    let proposal = s.store.proposal(id).await?;
    access::may_read_proposal(p.caller(), &proposal)?;
    Ok(Json(proposal))
}

/// Turn a proposal into committed contributions from its supplier, linked to each recipient's open needs. All or nothing.
/// The secretariat, administrators, or the supplier's own partners; the proposal records who accepted it.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/commit", tag = "allocations", params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn commit(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<Proposal>, ApiError> {
    p.user()?;
    access::may_decide_proposal(p.caller(), &s.store.proposal(id).await?)?;
    Ok(Json(allocate::commit(s.store.as_ref(), &p.actor(), id).await?))
}

/// Withdraw a proposal; it stays on record.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/withdraw", tag = "allocations", params(("id" = i64, Path)),
    responses((status = 200, body = Proposal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<Proposal>, ApiError> {
    p.user()?;
    access::may_decide_proposal(p.caller(), &s.store.proposal(id).await?)?;
    Ok(Json(s.store.withdraw_proposal(&p.actor(), id).await?))
}

/// Share a scarce supply by a policy: population-cap (COVAX), need-proportional,
/// max-min or priority. Every share comes with its reason and the checks it passed.
/// Nothing is written (secretariat and administrators).
#[utoipa::path(post, path = "/api/v1/allocations/preview", tag = "allocations", request_body = AllocationRequest,
    responses((status = 200, body = AllocationOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn preview(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<AllocationRequest>,
) -> Result<Json<AllocationOut>, ApiError> {
    p.require(&[Role::Admin, Role::Secretariat])?;
    Ok(Json(run(s.store.as_ref(), &req).await?))
}
