//! /api/v1/imports, /api/v1/exports/..., /api/v1/resolve/...: the same
//! import, export and name resolution as the command line, authorised row by
//! row for imports.

use crate::http::AppState;
use crate::http::access::{self, need_scope};
use crate::http::auth::Principal;
use crate::http::extract::ApiQuery;
use crate::http::problem::{ApiError, Problem};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_domain::{Invalid, NeedStatus};
use needsdb_exchange::resolve::Resolver;
use needsdb_exchange::{Data, Format, ImportError, Kind, Options, RowGuard, Selection, Silent};
use needsdb_store::{ContributionQuery, NeedQuery, Role};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest file an import takes over HTTP; the command line has no limit.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    let imports = OpenApiRouter::new()
        .routes(routes!(import))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES));
    OpenApiRouter::new()
        .merge(imports)
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

/// The access rules, asked for every row of an upload.
struct Guard(Principal);

impl RowGuard for Guard {
    fn need(&self, country: &str, status: NeedStatus) -> Result<(), String> {
        access::may_write_need(&self.0, country).map_err(|e| e.detail)?;
        if matches!(status, NeedStatus::Validated) {
            access::may_set_need_status(&self.0, country, status).map_err(|e| e.detail)?;
        }
        Ok(())
    }

    fn contribution(&self, donor: &str, recipient: &str, channel: Option<&str>) -> Result<(), String> {
        access::may_create_contribution(&self.0, donor, recipient, channel).map_err(|e| e.detail)
    }
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

/// Import needs or contributions: the file is the request body (HXL CSV,
/// XLSX or JSON). Every row is checked, and authorised, before anything is
/// written; with any problem nothing is. 200 with the report when the file
/// is clean (written, or not for a dry run); otherwise 422, a problem
/// document whose `report` lists every problem with its row and column.
#[utoipa::path(post, path = "/api/v1/imports", tag = "exchange", params(ImportParams),
    request_body(content = Vec<u8>, description = "The file", content_type = "text/csv"),
    responses((status = 200, description = "The import report"), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 422, description = "The import report, with every problem")))]
async fn import(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<Response, ApiError> {
    p.require(&[Role::Admin, Role::FocalPoint, Role::Partner])?;
    let format = file_format(q.format.as_deref(), &body, false)?;
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
    let lookups = Arc::new(needsdb_exchange::lookups(&*s.store).await?);
    let opts = Options {
        decimal,
        dry_run: q.dry_run.unwrap_or(false),
        accept_suggestions: q.accept_suggestions.unwrap_or(false),
        kind,
        label: q.name.unwrap_or_else(|| format!("upload.{}", format.extension())),
        guard: Some(Arc::new(Guard(p.clone()))),
    };
    let report = needsdb_exchange::import(
        &*s.store,
        &p.actor(),
        lookups,
        format,
        Data::Bytes(body.to_vec()),
        &opts,
        Arc::new(Silent),
    )
    .await
    .map_err(|e| match e {
        ImportError::Store(e) => ApiError::from(e),
        other => ApiError::internal(other),
    })?;
    if report.ok() {
        return Ok(Json(report).into_response());
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
    Ok(r)
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
#[utoipa::path(get, path = "/api/v1/exports/needs", tag = "exchange", params(ExportParams),
    responses((status = 200, description = "The file"), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn export_needs(
    State(s): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let scope = need_scope(&p)?;
    let format = file_format(Some(q.format.as_deref().unwrap_or("hxl")), &[], true)?;
    let selection = Selection::Needs(NeedQuery {
        country: q.country,
        scope,
        ..Default::default()
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
