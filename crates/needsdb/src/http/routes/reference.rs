//! /api/v1/countries, /api/v1/parties, /api/v1/items

use crate::http::AppState;
use crate::http::access;
use crate::http::auth::Principal;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use needsdb_domain::reference::CatalogueItem;
use needsdb_store::{CountryFilter, CountryRow, NewItem, NewOrganisation, Party};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(countries))
        .routes(routes!(parties, add_party))
        .routes(routes!(items, add_item))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CountryParams {
    /// member, observer or none.
    nam_status: Option<String>,
    who_region: Option<String>,
    income_group: Option<String>,
    /// UN M49 region code.
    region: Option<String>,
}

/// Countries and areas with their UN names, regions, income group, population and NAM status. Public reference data.
#[utoipa::path(get, path = "/api/v1/countries", tag = "reference", params(CountryParams),
    responses((status = 200, body = Vec<CountryRow>), (status = 422, body = Problem)))]
async fn countries(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<CountryParams>,
) -> Result<Json<Vec<CountryRow>>, ApiError> {
    let f = CountryFilter {
        nam_status: q.nam_status,
        who_region: q.who_region,
        income_group: q.income_group,
        region: q.region,
    };
    Ok(Json(s.store.countries(&f).await?))
}

/// States and organisations.
#[utoipa::path(get, path = "/api/v1/parties", tag = "reference",
    responses((status = 200, body = Vec<Party>), (status = 401, body = Problem)))]
async fn parties(State(s): State<AppState>, p: Principal) -> Result<Json<Vec<Party>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    Ok(Json(s.store.parties().await?))
}

/// Add an organisation (secretariat and administrators).
#[utoipa::path(post, path = "/api/v1/parties", tag = "reference", request_body = NewOrganisation,
    responses((status = 201, body = Party), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_party(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(org): ApiJson<NewOrganisation>,
) -> Result<(StatusCode, Json<Party>), ApiError> {
    p.require(&access::CATALOGUE_MANAGERS)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_organisation(&p.actor(), &org).await?),
    ))
}

/// The relief item catalogue. Public reference data.
#[utoipa::path(get, path = "/api/v1/items", tag = "reference", responses((status = 200, body = Vec<CatalogueItem>)))]
async fn items(State(s): State<AppState>) -> Result<Json<Vec<CatalogueItem>>, ApiError> {
    Ok(Json(s.store.items().await?))
}

/// Extend the catalogue (secretariat and administrators).
#[utoipa::path(post, path = "/api/v1/items", tag = "reference", request_body = NewItem,
    responses((status = 201, body = CatalogueItem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_item(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(item): ApiJson<NewItem>,
) -> Result<(StatusCode, Json<CatalogueItem>), ApiError> {
    p.require(&access::CATALOGUE_MANAGERS)?;
    Ok((StatusCode::CREATED, Json(s.store.add_item(&p.actor(), &item).await?)))
}
