//! Evidence for needs and for deliveries (kept on their contribution): a
//! link as JSON, or a file sent as the request body with its own type
//! (PDF, PNG or JPEG, up to 5 MiB). Whoever may see the record may see its
//! evidence, and nobody else: a hidden need's evidence is as missing as
//! the need.

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::{ApiJson, ApiQuery};
use crate::http::problem::{ApiError, Problem};
use crate::services::access;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::evidence::{self, MAX_FILE_BYTES, NewEvidenceLink};
use needsdb_store::{Evidence, StoreError};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(need_evidence))
        .routes(routes!(need_link))
        .routes(routes!(need_file))
        .routes(routes!(contribution_evidence))
        .routes(routes!(contribution_link))
        .routes(routes!(contribution_file))
        .routes(routes!(download))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FileParams {
    /// The file's name, as it will be offered for download.
    name: Option<String>,
    /// What it shows.
    title: Option<String>,
}

async fn may_add_to_need(s: &AppState, p: &Principal, id: i64) -> Result<(), ApiError> {
    Ok(crate::services::evidence::may_add_to_need(&*s.store, p.caller(), id).await?)
}

async fn may_add_to_contribution(s: &AppState, p: &Principal, id: i64) -> Result<(), ApiError> {
    Ok(crate::services::evidence::may_add_to_contribution(&*s.store, p.caller(), id).await?)
}

async fn read_file(headers: &HeaderMap, body: Body, q: FileParams) -> Result<evidence::ValidEvidence, ApiError> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = axum::body::to_bytes(body, MAX_FILE_BYTES + 1).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "an evidence file may be at most 5 MiB",
        )
    })?;
    let name = q.name.unwrap_or_default();
    Ok(evidence::validate_file(&name, &declared, bytes.to_vec(), q.title.as_deref()).map_err(StoreError::Invalid)?)
}

/// The evidence of a need: links and files, without the files' bytes.
#[utoipa::path(get, path = "/api/v1/needs/{id}/evidence", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Evidence>), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn need_evidence(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Evidence>>, ApiError> {
    super::needs::visible(&s, &p, id).await?;
    Ok(Json(s.store.evidence("need", id).await?))
}

/// Add a link as evidence for a need (an assessment online, a report).
#[utoipa::path(post, path = "/api/v1/needs/{id}/evidence/links", tag = "needs", params(("id" = i64, Path)), request_body = NewEvidenceLink,
    responses((status = 201, body = Evidence), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn need_link(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiJson(link): ApiJson<NewEvidenceLink>,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    may_add_to_need(&s, &p, id).await?;
    let e = link.validate().map_err(StoreError::Invalid)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_evidence(&p.actor(), "need", id, &e).await?),
    ))
}

/// Add a file as evidence for a need: the body is the file, with its type
/// (application/pdf, image/png or image/jpeg), up to 5 MiB.
#[utoipa::path(post, path = "/api/v1/needs/{id}/evidence/files", tag = "needs", params(("id" = i64, Path), FileParams),
    request_body(content = Vec<u8>, description = "The file", content_type = "application/pdf"),
    responses((status = 201, body = Evidence), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn need_file(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<FileParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    may_add_to_need(&s, &p, id).await?;
    let e = read_file(&headers, body, q).await?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_evidence(&p.actor(), "need", id, &e).await?),
    ))
}

/// The evidence of a contribution and its deliveries.
#[utoipa::path(get, path = "/api/v1/contributions/{id}/evidence", tag = "contributions", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Evidence>), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn contribution_evidence(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Evidence>>, ApiError> {
    p.require(&access::SIGNED_IN)?;
    s.store.contribution(id).await?;
    Ok(Json(s.store.evidence("contribution", id).await?))
}

/// Add a link as evidence for a contribution or its delivery.
#[utoipa::path(post, path = "/api/v1/contributions/{id}/evidence/links", tag = "contributions", params(("id" = i64, Path)), request_body = NewEvidenceLink,
    responses((status = 201, body = Evidence), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn contribution_link(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiJson(link): ApiJson<NewEvidenceLink>,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    may_add_to_contribution(&s, &p, id).await?;
    let e = link.validate().map_err(StoreError::Invalid)?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_evidence(&p.actor(), "contribution", id, &e).await?),
    ))
}

/// Add a file, such as a signed delivery note, to a contribution.
#[utoipa::path(post, path = "/api/v1/contributions/{id}/evidence/files", tag = "contributions", params(("id" = i64, Path), FileParams),
    request_body(content = Vec<u8>, description = "The file", content_type = "application/pdf"),
    responses((status = 201, body = Evidence), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
async fn contribution_file(
    State(s): State<AppState>,
    p: Principal,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<FileParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    may_add_to_contribution(&s, &p, id).await?;
    let e = read_file(&headers, body, q).await?;
    Ok((
        StatusCode::CREATED,
        Json(s.store.add_evidence(&p.actor(), "contribution", id, &e).await?),
    ))
}

/// Download an evidence file, if the caller may see its record.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "needs", params(("id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn download(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Response, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let (e, bytes) = s.store.evidence_file(id).await?;
    let hidden = || ApiError::not_found(format!("evidence {id}"));
    match e.entity.as_str() {
        "need" => {
            super::needs::visible(&s, &p, e.entity_id).await.map_err(|_| hidden())?;
        }
        _ => {
            s.store.contribution(e.entity_id).await.map_err(|_| hidden())?;
        }
    }
    if e.kind != "file" {
        return Err(hidden());
    }
    let media = e
        .media_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // Always a download, never shown inline: a file is evidence, not a page.
    let name: String = e
        .file_name
        .unwrap_or_else(|| "evidence".into())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
