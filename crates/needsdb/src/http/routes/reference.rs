//! /api/v1/countries, /api/v1/parties, /api/v1/items

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::etag::{expected_version, tagged};
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::listing::paginate;
use crate::http::problem::{ApiError, Problem};
use crate::services::access;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use needsdb_domain::reference::{CatalogueItem, Cluster};
use needsdb_store::{CountryFilter, CountryRow, ItemPatch, NewItem, NewOrganisation, Page, Party, Version};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(countries))
        .routes(routes!(parties, add_party))
        .routes(routes!(items, add_item))
        .routes(routes!(get_item, update_item))
        .routes(routes!(retire_item))
        .routes(routes!(item_history))
        .routes(routes!(clusters))
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
    /// Items: also list retired items.
    include_retired: Option<bool>,
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
            .filter(|i| q.include_retired == Some(true) || !i.retired)
            .collect(),
    )?;
    Ok(Json(paginate(
        rows,
        "code",
        &[
            "code",
            "cluster",
            "category",
            "name_en",
            "unit",
            "dac_sector",
            "unit_value_usd",
        ],
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

/// One catalogue item; the ETag is its version. Public reference data.
#[utoipa::path(get, path = "/api/v1/items/{code}", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = CatalogueItem), (status = 404, body = Problem)))]
async fn get_item(State(s): State<AppState>, Path(code): Path<String>) -> Result<Response, ApiError> {
    let i = s.store.item(&code.trim().to_ascii_uppercase()).await?;
    Ok(tagged(StatusCode::OK, i.version, &i))
}

/// Edit an item: send the fields that change and the ETag in If-Match. Its
/// unit never changes. A new unit value revalues its needs and the goods
/// estimated from it (secretariat and administrators).
#[utoipa::path(patch, path = "/api/v1/items/{code}", tag = "reference", params(("code" = String, Path), ("If-Match" = String, Header)),
    request_body = ItemPatch,
    responses((status = 200, body = CatalogueItem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn update_item(
    State(s): State<AppState>,
    p: Principal,
    Path(code): Path<String>,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<ItemPatch>,
) -> Result<Response, ApiError> {
    p.require(&access::CATALOGUE_MANAGERS)?;
    let expected = expected_version(&headers)?;
    let i = s
        .store
        .update_item(&p.actor(), &code.trim().to_ascii_uppercase(), expected, &patch)
        .await?;
    Ok(tagged(StatusCode::OK, i.version, &i))
}

/// Retire an item: it stays, with its needs and history, but is offered for
/// no new need (secretariat and administrators).
#[utoipa::path(post, path = "/api/v1/items/{code}/retire", tag = "reference", params(("code" = String, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = CatalogueItem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 428, body = Problem)))]
async fn retire_item(
    State(s): State<AppState>,
    p: Principal,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    p.require(&access::CATALOGUE_MANAGERS)?;
    let expected = expected_version(&headers)?;
    let i = s
        .store
        .retire_item(&p.actor(), &code.trim().to_ascii_uppercase(), expected)
        .await?;
    Ok(tagged(StatusCode::OK, i.version, &i))
}

/// Every version of an item, and who made it. Public reference data.
#[utoipa::path(get, path = "/api/v1/items/{code}/history", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = Vec<Version>), (status = 404, body = Problem)))]
async fn item_history(State(s): State<AppState>, Path(code): Path<String>) -> Result<Json<Vec<Version>>, ApiError> {
    Ok(Json(s.store.item_history(&code.trim().to_ascii_uppercase()).await?))
}

/// The clusters an item may belong to, with their names in the six UN languages. Public.
#[utoipa::path(get, path = "/api/v1/clusters", tag = "reference", responses((status = 200, body = Vec<Cluster>)))]
async fn clusters() -> Result<Json<Vec<Cluster>>, ApiError> {
    let r = needsdb_domain::reference::embedded().map_err(ApiError::internal)?;
    Ok(Json(r.clusters.clone()))
}
