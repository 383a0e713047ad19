//! /api/v1/allocations: run the allocation rule and see every share explained.

use crate::allocate::{AllocationOut, AllocationRequest, run};
use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::ApiJson;
use crate::http::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use needsdb_store::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(preview))
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
