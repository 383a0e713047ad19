//! /api/v1/coverage: published aggregates, open to everyone.

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::ApiQuery;
use crate::http::problem::{ApiError, Problem};
use crate::http::routes::needs::NeedParams;
use crate::services::access;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::Invalid;
use needsdb_store::{CoverageBy, CoverageRow};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(coverage))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CoverageParams {
    /// country, item, cluster, region, who_region, income_group or nam_status.
    by: Option<String>,
    /// units (default: each item in its own unit, one row per group and
    /// item) or usd (across items at their indicative values, one row per group).
    measure: Option<String>,
    country: Option<String>,
    nam_status: Option<String>,
    region: Option<String>,
    who_region: Option<String>,
    income_group: Option<String>,
    cluster: Option<String>,
    item: Option<String>,
    priority: Option<String>,
    /// Statuses, comma-separated; validated, partly_met and met by default.
    status: Option<String>,
    needed_from: Option<String>,
    needed_to: Option<String>,
    /// json (default) or csv.
    format: Option<String>,
}

fn to_values<T: serde::Serialize>(rows: &[T]) -> Result<Vec<serde_json::Value>, ApiError> {
    rows.iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(ApiError::internal)
}

/// Needed, announced, pledged, committed, delivered and unmet, by group and
/// item (or, with measure=usd, by group in US dollars across items).
/// `coverage_pct` is the share of need covered, counted need by need: each
/// need counts at most its own size, so one over-covered need does not hide
/// another's gap.
/// Only committed and later stages count as funded, as in OCHA FTS.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "coverage", params(CoverageParams),
    responses((status = 200, body = Vec<CoverageRow>, description = "Rows in units; with measure=usd, CoverageUsdRow"), (status = 422, body = Problem)))]
async fn coverage(
    State(s): State<AppState>,
    p: Principal,
    headers: axum::http::HeaderMap,
    ApiQuery(q): ApiQuery<CoverageParams>,
) -> Result<Response, ApiError> {
    // The public sees aggregates of shared needs only (validated, partly met,
    // met), whatever it asks for; a signed-in caller its own scope.
    if p.caller().is_none()
        && let Some(statuses) = q.status.as_deref()
        && statuses
            .split(',')
            .filter_map(needsdb_domain::NeedStatus::parse)
            .any(|st| !access::SHARED.contains(&st))
    {
        return Err(Invalid::one(
            "status",
            "not_public",
            "without signing in, coverage counts validated, partly met and met needs only",
        )
        .into());
    }
    let by_text = q.by.as_deref().unwrap_or("country");
    let by = CoverageBy::parse(by_text).ok_or_else(|| {
        let all: Vec<&str> = CoverageBy::ALL.iter().map(|b| b.as_str()).collect();
        Invalid::one(
            "by",
            "invalid_choice",
            format!("'{by_text}' is not a grouping (use one of {})", all.join(", ")),
        )
    })?;
    let params = NeedParams {
        country: q.country,
        nam_status: q.nam_status,
        region: q.region,
        who_region: q.who_region,
        income_group: q.income_group,
        cluster: q.cluster,
        item: q.item,
        priority: q.priority,
        status: q.status,
        needed_from: q.needed_from,
        needed_to: q.needed_to,
        ..Default::default()
    };
    let mut query = params.query()?;
    query.scope = access::aggregate_scope(p.caller());
    let zero = needsdb_store::CoverageSums::default().present(0, 0);
    let (values, shape) = match q.measure.as_deref().unwrap_or("units") {
        "units" => (
            to_values(&s.store.coverage(by, &query).await?)?,
            serde_json::to_value(needsdb_store::CoverageRow {
                group: String::new(),
                item: String::new(),
                unit: String::new(),
                needs: 0,
                over_covered: 0,
                coverage: zero,
            }),
        ),
        "usd" => (
            to_values(&s.store.coverage_usd(by, &query).await?)?,
            serde_json::to_value(needsdb_store::CoverageUsdRow {
                group: String::new(),
                unit: String::new(),
                needs: 0,
                unvalued_needs: 0,
                coverage: zero,
            }),
        ),
        other => {
            return Err(Invalid::one(
                "measure",
                "invalid_choice",
                format!("'{other}' is not a measure (units or usd)"),
            )
            .into());
        }
    };
    match crate::http::listing::format(q.format.as_deref(), &headers)? {
        crate::http::listing::Format::Json => Ok(Json(values).into_response()),
        crate::http::listing::Format::Csv => {
            let mut buf = Vec::new();
            let shape = shape.map_err(ApiError::internal)?;
            crate::tabular::write_csv_shaped(&mut buf, &values, &shape).map_err(ApiError::internal)?;
            let mut r = (StatusCode::OK, buf).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            Ok(r)
        }
    }
}
