//! /api/v1/imports, /api/v1/exports/..., /api/v1/resolve/...: the same
//! import, export and name resolution as the command line, authorised row by
//! row for imports.

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::extract::ApiQuery;
use crate::http::problem::{ApiError, Problem};
use crate::http::upload;
use crate::services::access::{self, need_scope};
use crate::services::imports;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::Invalid;
use needsdb_exchange::resolve::Resolver;
use needsdb_exchange::{Data, Format, ImportError, Kind, Options, Report, Selection};
use needsdb_store::{ContributionQuery, ImportJob, NeedQuery, Role};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest file an import takes over HTTP; the command line has no limit.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
pub const IMPORTS_PATH: &str = "/api/v1/imports";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import, import_jobs))
        .routes(routes!(import_job))
        .routes(routes!(export_needs))
        .routes(routes!(export_contributions))
        .routes(routes!(template))
        .routes(routes!(resolve))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ImportParams {
    /// Check the whole file and report, writing nothing.
    dry_run: Option<bool>,
    /// Use close matches of names instead of reporting them.
    accept_suggestions: Option<bool>,
    /// needs or contributions; found from the columns when not given.
    kind: Option<String>,
    /// hxl, xlsx or json; found from the file when not given.
    format: Option<String>,
    /// The file's name, for the report and the audit log.
    name: Option<String>,
    /// comma or point: how numbers in text cells are written. Without it, a
    /// number that reads two ways ("1.000") is reported, never guessed.
    decimal: Option<String>,
}

fn file_format(param: Option<&str>, body: &[u8], allow_iati: bool) -> Result<Format, ApiError> {
    match param {
        None => Ok(Format::sniff(body)),
        Some(f) => match Format::parse(f) {
            Some(Format::Iati) if !allow_iati => Err(Invalid::one(
                "format",
                "invalid_choice",
                "IATI is an export format; import hxl, xlsx or json",
            )
            .into()),
            Some(fmt) => Ok(fmt),
            None => Err(Invalid::one(
                "format",
                "invalid_choice",
                format!("'{f}' is not a format (hxl, xlsx, json or iati)"),
            )
            .into()),
        },
    }
}

/// How long an upload may ask to wait for its import (`Prefer: wait=N`).
const MAX_WAIT_SECONDS: u64 = 60;

/// The seconds asked for in `Prefer: wait=N` (RFC 7240), if any.
fn preferred_wait(headers: &HeaderMap) -> Option<u64> {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split([',', ';']))
        .find_map(|p| p.trim().strip_prefix("wait=")?.trim().parse::<u64>().ok())
        .map(|n| n.min(MAX_WAIT_SECONDS))
}

fn job_url(id: i64) -> String {
    format!("/api/v1/imports/{id}")
}

/// The final answer of an import: 200 and the report when the file is
/// clean, 422 and the report when it has problems.
fn report_response(report: &Report) -> Response {
    if report.ok() {
        return Json(report).into_response();
    }
    // A problem document like every other error, carrying the whole report.
    let body = serde_json::json!({
        "type": "tag:needsdb,2026:problem:import",
        "title": "The file has problems",
        "status": 422,
        "detail": format!("{} problems; nothing was written", report.problem_count),
        "report": report,
    });
    let mut r = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

fn import_failed(e: ImportError) -> ApiError {
    match e {
        ImportError::Store(e) => ApiError::from(e),
        other => ApiError::internal(other),
    }
}

/// Import needs or contributions: the file is the request body (HXL CSV,
/// XLSX or JSON, up to 64 MiB). The upload is stored, and the answer is 202
/// with the job's address (`Location`), where its progress and, at the end,
/// its report are. Every row is checked, and authorised, before anything is
/// written; with any problem nothing is.
///
/// With `Prefer: wait=N` (at most 60 seconds) the answer waits for the
/// import: 200 with the report when the file is clean (written, or not for
/// a dry run), 422 with the report listing every problem with its row and
/// column; or 202 if it is still running.
#[utoipa::path(post, path = "/api/v1/imports", tag = "exchange", params(ImportParams,
        ("Prefer" = Option<String>, Header, description = "wait=N: wait up to N seconds for the report")),
    request_body(content = Vec<u8>, description = "The file", content_type = "text/csv"),
    responses((status = 202, body = ImportJob, description = "The import is queued; follow Location"),
        (status = 200, description = "The import report (with Prefer: wait)"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 408, body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The import report, with every problem", content_type = "application/problem+json"),
        (status = 429, body = Problem, description = "Too many imports are waiting; come back after Retry-After", content_type = "application/problem+json"),
        (status = 503, body = Problem, content_type = "application/problem+json")))]
async fn import(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ImportParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    p.require(&[Role::Admin, Role::FocalPoint, Role::Partner])?;
    let user = p.user()?.clone();
    let kind = match q.kind.as_deref() {
        None => None,
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            ApiError::from(Invalid::one(
                "kind",
                "invalid_choice",
                format!("'{k}' is not needs or contributions"),
            ))
        })?),
    };
    let decimal = match q.decimal.as_deref() {
        None => None,
        Some("comma") => Some(needsdb_domain::decimal::Style::Comma),
        Some("point") => Some(needsdb_domain::decimal::Style::Point),
        Some(other) => {
            return Err(Invalid::one(
                "decimal",
                "invalid_choice",
                format!("'{other}' is not a decimal mark (comma or point)"),
            )
            .into());
        }
    };
    if let Some(f) = q.format.as_deref() {
        file_format(Some(f), &[], false)?;
    }
    // The queue is full: the caller is to come back later, as with any
    // rate limit (429, not 503: the server itself is well).
    let place = s.imports.enter().ok_or_else(|| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "busy",
            "too many imports are waiting on this server; try again in a minute",
        )
        .with_header(header::RETRY_AFTER, "60")
    })?;
    let upload = upload::receive(&headers, body, MAX_IMPORT_BYTES, &s.upload_dir).await?;
    let format = file_format(q.format.as_deref(), &upload.head, false)?;
    let options = Options {
        decimal,
        on_phase: None,
        dry_run: q.dry_run.unwrap_or(false),
        accept_suggestions: q.accept_suggestions.unwrap_or(false),
        confirmed: Vec::new(),
        kind,
        label: q.name.unwrap_or_else(|| format!("upload.{}", format.extension())),
        guard: Some(Arc::new(access::ImportGuard(user.clone()))),
    };
    let actor = p.actor();
    let id = imports::create(&*s.store, &actor, Some(user.id), format, &options, upload.bytes).await?;
    let job = imports::Job {
        id,
        format,
        data: Data::Path(upload.path.to_path_buf()),
        options,
        actor,
    };
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let (queue, store) = (s.imports.clone(), s.store.clone());
    tokio::spawn(async move {
        let outcome = queue.run(&place, store, job).await;
        // The file goes once the job is over.
        drop(upload);
        let _ = done_tx.send(outcome);
    });
    if let Some(wait) = preferred_wait(&headers)
        && let Ok(Ok(outcome)) = tokio::time::timeout(std::time::Duration::from_secs(wait), done_rx).await
    {
        let mut r = match outcome {
            Ok(report) => report_response(&report),
            Err(e) => import_failed(e).into_response(),
        };
        r.headers_mut()
            .insert("preference-applied", HeaderValue::from_static("wait"));
        if let Ok(v) = HeaderValue::from_str(&job_url(id)) {
            r.headers_mut().insert(header::CONTENT_LOCATION, v);
        }
        return Ok(r);
    }
    let job = s.store.import_job(id).await?;
    let mut r = (StatusCode::ACCEPTED, Json(job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&job_url(id)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

/// An import job: its state (queued, checking, writing, done, failed or
/// interrupted), the rows read so far, and at the end its report.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "exchange", params(("id" = i64, Path)),
    responses((status = 200, body = ImportJob),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn import_job(State(s): State<AppState>, p: Principal, Path(id): Path<i64>) -> Result<Json<ImportJob>, ApiError> {
    Ok(Json(imports::job(s.store.as_ref(), p.caller(), id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct JobListParams {
    /// Everyone's imports (administrators).
    all: Option<bool>,
    /// How many, newest first (at most 200; 50 when not given).
    limit: Option<i64>,
}

/// The caller's latest imports, newest first.
#[utoipa::path(get, path = "/api/v1/imports", tag = "exchange", params(JobListParams),
    responses((status = 200, body = Vec<ImportJob>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_jobs(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<JobListParams>,
) -> Result<Json<Vec<ImportJob>>, ApiError> {
    let jobs = imports::jobs(
        s.store.as_ref(),
        p.caller(),
        q.all.unwrap_or(false),
        q.limit.unwrap_or(50),
    )
    .await?;
    Ok(Json(jobs))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ExportParams {
    /// hxl (the default), xlsx, json, or for contributions iati.
    format: Option<String>,
    /// Only these recipient countries (ISO3, comma-separated).
    country: Option<String>,
}

/// A needs export takes every filter the needs list takes.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct NeedExportParams {
    /// hxl (default), xlsx, json or iati.
    format: Option<String>,
    /// ISO3 codes, comma-separated.
    country: Option<String>,
    /// member, observer or none.
    nam_status: Option<String>,
    /// UN M49 region, sub-region or intermediate region code.
    region: Option<String>,
    /// AFR, AMR, EMR, EUR, SEAR or WPR.
    who_region: Option<String>,
    /// low, lower_middle, upper_middle or high.
    income_group: Option<String>,
    cluster: Option<String>,
    item: Option<String>,
    priority: Option<String>,
    /// Statuses, comma-separated.
    status: Option<String>,
    /// YYYY-MM-DD.
    needed_from: Option<String>,
    /// YYYY-MM-DD.
    needed_to: Option<String>,
}

fn attachment(format: Format, name: &str, bytes: Vec<u8>) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(format.media_type()) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{}\"", format.extension())) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn export_to_bytes(s: &AppState, selection: &Selection, format: Format) -> Result<Vec<u8>, ApiError> {
    let mut buf: Vec<u8> = Vec::new();
    needsdb_exchange::export(&*s.store, selection, format, &mut buf)
        .await
        .map_err(|e| match e {
            needsdb_exchange::ExportError::Store(e) => ApiError::from(e),
            needsdb_exchange::ExportError::Format(m) => Invalid::one("format", "invalid_choice", m).into(),
            other => ApiError::internal(other),
        })?;
    Ok(buf)
}

/// Needs the caller may see, as HXL CSV, XLSX or JSON.
#[utoipa::path(get, path = "/api/v1/exports/needs", tag = "exchange", params(NeedExportParams),
    responses((status = 200, description = "The file"), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn export_needs(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<NeedExportParams>,
) -> Result<Response, ApiError> {
    let scope = need_scope(p.caller())?;
    let format = file_format(Some(q.format.as_deref().unwrap_or("hxl")), &[], true)?;
    let filters = super::needs::NeedParams {
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
    let selection = Selection::Needs(NeedQuery {
        scope,
        ..filters.query()?
    });
    Ok(attachment(
        format,
        "needs",
        export_to_bytes(&s, &selection, format).await?,
    ))
}

/// Contributions as HXL CSV, XLSX, JSON or IATI 2.03 activity XML.
#[utoipa::path(get, path = "/api/v1/exports/contributions", tag = "exchange", params(ExportParams),
    responses((status = 200, description = "The file"), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn export_contributions(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let format = file_format(Some(q.format.as_deref().unwrap_or("hxl")), &[], true)?;
    let selection = Selection::Contributions(ContributionQuery {
        country: q.country,
        ..Default::default()
    });
    Ok(attachment(
        format,
        "contributions",
        export_to_bytes(&s, &selection, format).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TemplateParams {
    /// The country the template is for (ISO3).
    country: String,
}

/// The XLSX template for a country's needs, with drop-down lists and instructions.
#[utoipa::path(get, path = "/api/v1/exports/template", tag = "exchange", params(TemplateParams),
    responses((status = 200, description = "The workbook"), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn template(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<TemplateParams>,
) -> Result<Response, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let iso3 = q.country.trim().to_ascii_uppercase();
    let reference = needsdb_domain::reference::embedded().map_err(ApiError::internal)?;
    let Some(c) = reference.country(&iso3) else {
        return Err(Invalid::one(
            "country",
            "unknown_country",
            format!("'{iso3}' is not a known ISO3 country code"),
        )
        .into());
    };
    let items = s.store.items().await?;
    let bytes = needsdb_exchange::xlsx::write_template(&iso3, &c.names.en, &items).map_err(ApiError::internal)?;
    Ok(attachment(Format::Xlsx, &format!("needs-template-{iso3}"), bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ResolveParams {
    /// The name, code or alias as written.
    name: String,
}

/// The code for a country or item name as people write it: an exact match,
/// a suggestion to confirm, or none. Public, like the reference lists.
#[utoipa::path(get, path = "/api/v1/resolve/{what}", tag = "reference", params(("what" = String, Path, description = "country or item"), ResolveParams),
    responses((status = 200, description = "{input, match, code, candidates}"), (status = 404, body = Problem)))]
async fn resolve(
    State(s): State<AppState>,
    Path(what): Path<String>,
    ApiQuery(q): ApiQuery<ResolveParams>,
) -> Result<Response, ApiError> {
    let resolver = match what.as_str() {
        "country" => Resolver::countries(needsdb_domain::reference::embedded().map_err(ApiError::internal)?),
        "item" => Resolver::items(&s.store.items().await?),
        other => return Err(ApiError::not_found(format!("resolver for '{other}' (country or item)"))),
    };
    let r = resolver.resolve(&q.name);
    let key = if what == "country" { "iso3" } else { "code" };
    Ok(Json(r.to_json(key)).into_response())
}
