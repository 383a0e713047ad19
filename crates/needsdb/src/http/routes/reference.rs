//! /api/v1/countries, /api/v1/parties, /api/v1/items

use crate::http::AppState;
use crate::http::access;
use crate::http::auth::Principal;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::listing::paginate;
use crate::http::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use needsdb_domain::reference::CatalogueItem;
use needsdb_store::{CountryFilter, CountryRow, NewItem, NewOrganisation, Page, Party};
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
    /// iso3, name_en, population, region, who_region, income_group or nam_status; - for descending.
    sort: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Items: the cluster. Parties: state or organisation.
    filter: Option<String>,
    /// A field of the records; - for descending.
    sort: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

fn values<T: serde::Serialize>(rows: Vec<T>) -> Result<Vec<serde_json::Value>, ApiError> {
    rows.into_iter()
        .map(|r| serde_json::to_value(r).map_err(ApiError::internal))
        .collect()
}

/// Countries and areas with their UN names, regions, income group, population and NAM status. Public reference data.
#[utoipa::path(get, path = "/api/v1/countries", tag = "reference", params(CountryParams),
    responses((status = 200, body = Page<CountryRow>), (status = 422, body = Problem)))]
async fn countries(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<CountryParams>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let f = CountryFilter {
        nam_status: q.nam_status,
        who_region: q.who_region,
        income_group: q.income_group,
        region: q.region,
    };
    let rows = values(s.store.countries(&f).await?)?;
    let allowed = [
        "iso3",
        "name_en",
        "population",
        "region",
        "who_region",
        "income_group",
        "nam_status",
    ];
    Ok(Json(paginate(
        rows,
        "iso3",
        &allowed,
        q.sort.as_deref(),
        q.cursor.as_deref(),
        q.limit,
    )?))
}

/// States and organisations.
#[utoipa::path(get, path = "/api/v1/parties", tag = "reference", params(ListParams),
    responses((status = 200, body = Page<Party>), (status = 401, body = Problem)))]
async fn parties(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ListParams>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let all = s.store.parties().await?;
    let rows = values(
        all.into_iter()
            .filter(|x| q.filter.as_deref().is_none_or(|f| x.kind == f))
            .collect(),
    )?;
    Ok(Json(paginate(
        rows,
        "code",
        &["code", "kind", "name", "org_type", "nam_status"],
        q.sort.as_deref(),
        q.cursor.as_deref(),
        q.limit,
    )?))
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
#[utoipa::path(get, path = "/api/v1/items", tag = "reference", params(ListParams), responses((status = 200, body = Page<CatalogueItem>), (status = 422, body = Problem)))]
async fn items(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ListParams>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let all = s.store.items().await?;
    let rows = values(
        all.into_iter()
            .filter(|i| q.filter.as_deref().is_none_or(|f| i.cluster == f))
            .collect(),
    )?;
    Ok(Json(paginate(
        rows,
        "code",
        &["code", "cluster", "category", "name_en", "unit", "dac_sector"],
        q.sort.as_deref(),
        q.cursor.as_deref(),
        q.limit,
    )?))
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
