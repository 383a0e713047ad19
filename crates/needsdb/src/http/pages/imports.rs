//! Uploading a file of needs or contributions (the Excel template, HXL CSV
//! or JSON) in pages. The file is checked first, writing nothing: the
//! report names each problem by row and column, and each name close to a
//! known one is offered for confirmation, one by one. A file whose only
//! problems are such names is then imported with the names confirmed;
//! otherwise the user fixes it and uploads it again.
//!
//! The upload waits on disk between the check and the import, named for
//! its user, and goes once imported (or with the day-old sweep).

use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, Posted, PostedParts, failure, forged, import_problems, message, render};
use crate::http::AppState;
use crate::services::{access, imports};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_exchange::{Data, Format, Options, Report};
use needsdb_store::{Role, User};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

pub const MAX_BYTES: usize = crate::http::routes::exchange::MAX_IMPORT_BYTES;

#[derive(Template)]
#[template(path = "pages/upload.html")]
struct Upload {
    page: Page,
    title: String,
    form: FormState,
    decimals: Vec<(String, String)>,
}

fn upload_page(mut page: Page, form: FormState) -> Response {
    let status = page.status_for(&form);
    let tpl = Upload {
        title: page.t("import-title"),
        decimals: vec![
            (String::new(), page.t("decimal-unknown")),
            ("point".into(), page.t("decimal-point")),
            ("comma".into(), page.t("decimal-comma")),
        ],
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

fn importer(page: &Page) -> Result<User, access::Denied> {
    access::require(page.caller(), &[Role::Admin, Role::FocalPoint, Role::Partner]).cloned()
}

pub async fn new_form(page: Page) -> Response {
    if let Err(e) = importer(&page) {
        return failure(page, e.into());
    }
    upload_page(page, FormState::default())
}

/// Where a user's upload waits: the token is random, the user id part of the name.
fn waiting(s: &AppState, user: &User, token: &str) -> Option<PathBuf> {
    (token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| s.upload_dir.join(format!("needsdb-upload-page-{}-{token}", user.id)))
}

pub async fn upload(State(s): State<AppState>, posted: PostedParts) -> Response {
    let PostedParts { page, parts: mut form } = posted;
    let user = match importer(&page) {
        Ok(u) => u,
        Err(e) => return failure(page, e.into()),
    };
    let mut fields = Fields::default();
    let token = crate::services::accounts::random_hex(16);
    let Some(path) = waiting(&s, &user, &token) else {
        return message(
            page,
            StatusCode::INTERNAL_SERVER_ERROR,
            "unavailable-title",
            "unavailable-text",
        );
    };
    let mut stored: Option<(String, u64, Vec<u8>)> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let _ = std::fs::remove_file(&path);
                let mut f = FormState::default();
                f.add("file", page.t("error-upload-broken"));
                return upload_page(page, f);
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            let value = field.text().await.unwrap_or_default();
            fields.insert(&name, value);
            continue;
        }
        // The token must come before the file: nothing is stored for a forged form.
        if !page.token_ok(fields.get("csrf")) {
            return forged(page);
        }
        let label = field.file_name().unwrap_or("upload").to_owned();
        match store_field(field, &path).await {
            Ok((bytes, head)) => stored = Some((label, bytes, head)),
            Err(key) => {
                let _ = std::fs::remove_file(&path);
                let mut f = FormState::default();
                f.add("file", page.ta1(key, "size", "64 MiB"));
                return upload_page(page, f);
            }
        }
    }
    if !page.token_ok(fields.get("csrf")) {
        let _ = std::fs::remove_file(&path);
        return forged(page);
    }
    let Some((label, bytes, head)) = stored.filter(|(_, b, _)| *b > 0) else {
        let _ = std::fs::remove_file(&path);
        let mut f = FormState::default();
        f.add("file", page.t("error-file-missing"));
        return upload_page(page, f);
    };
    // The decimal mark and the file's name ride along to the import step.
    let _ = std::fs::write(
        path.with_extension("meta"),
        format!(
            "{}\n{}\n{}",
            fields.get("decimal"),
            label,
            Format::sniff(&head).as_str()
        ),
    );
    let confirmed = Vec::new();
    let decimal = fields.get("decimal").to_owned();
    check_and_show(&s, page, &user, &token, &path, &label, bytes, &decimal, confirmed, true).await
}

async fn store_field(
    mut field: axum::extract::multipart::Field<'_>,
    path: &std::path::Path,
) -> Result<(u64, Vec<u8>), &'static str> {
    let file = tokio::fs::File::create(path).await.map_err(|_| "error-upload-broken")?;
    let mut out = tokio::io::BufWriter::with_capacity(64 * 1024, file);
    let (mut bytes, mut head) = (0u64, Vec::new());
    loop {
        let chunk = match tokio::time::timeout(crate::http::upload::IDLE_LIMIT, field.chunk()).await {
            Ok(Ok(Some(c))) => c,
            Ok(Ok(None)) => break,
            _ => return Err("error-upload-broken"),
        };
        bytes += chunk.len() as u64;
        if bytes > MAX_BYTES as u64 {
            return Err("error-file-too-large");
        }
        if head.len() < 512 {
            let take = (512 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        out.write_all(&chunk).await.map_err(|_| "error-upload-broken")?;
    }
    out.flush().await.map_err(|_| "error-upload-broken")?;
    Ok((bytes, head))
}

#[derive(Template)]
#[template(path = "pages/import_report.html")]
struct ReportPage {
    page: Page,
    title: String,
    report: Report,
    /// The problems in the page's language.
    problems: Vec<import_problems::ProblemRow>,
    /// The import job, whose page downloads the problems.
    job: i64,
    token: String,
    /// (value, "as written → code name")
    suggestions: Vec<(String, String)>,
    /// Only names to confirm stand in the way.
    importable: bool,
}

#[allow(clippy::too_many_arguments)]
async fn check_and_show(
    s: &AppState,
    mut page: Page,
    user: &User,
    token: &str,
    path: &std::path::Path,
    label: &str,
    bytes: u64,
    decimal: &str,
    confirmed: Vec<(String, String)>,
    dry_run: bool,
) -> Response {
    let head = std::fs::read(path)
        .map(|b| b[..b.len().min(512)].to_vec())
        .unwrap_or_default();
    let format = Format::sniff(&head);
    let options = Options {
        dry_run,
        accept_suggestions: false,
        confirmed,
        kind: None,
        label: label.to_owned(),
        guard: Some(Arc::new(access::ImportGuard(user.clone()))),
        decimal: match decimal {
            "comma" => Some(needsdb_domain::decimal::Style::Comma),
            "point" => Some(needsdb_domain::decimal::Style::Point),
            _ => None,
        },
        on_phase: None,
    };
    let Some(place) = s.imports.enter() else {
        return message(page, StatusCode::TOO_MANY_REQUESTS, "unavailable-title", "import-busy");
    };
    let actor = page.actor();
    let id = match imports::create(&*s.store, &actor, Some(user.id), format, &options, bytes).await {
        Ok(id) => id,
        Err(e) => return failure(page, e.into()),
    };
    let job = imports::Job {
        id,
        format,
        data: Data::Path(path.to_path_buf()),
        options,
        actor,
    };
    let report = match s.imports.run(&place, s.store.clone(), job).await {
        Ok(r) => r,
        Err(needsdb_exchange::ImportError::Store(e)) => return failure(page, e.into()),
        Err(e) => {
            tracing::warn!(error = %e, "a page import failed");
            return message(
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
                "import-title",
                "error-upload-broken",
            );
        }
    };
    if report.committed {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(path.with_extension("meta"));
    }
    let mut suggestions: Vec<(String, String)> = report
        .problems
        .iter()
        .filter_map(|p| p.suggestion.as_ref())
        .map(|sg| {
            (
                format!("{}\t{}", sg.written, sg.code),
                format!("“{}” → {} ({})", sg.written, sg.code, sg.name),
            )
        })
        .collect();
    suggestions.sort();
    suggestions.dedup();
    let importable =
        !report.committed && report.problem_count > 0 && report.problems.iter().all(|p| p.suggestion.is_some());
    let status = page.failed_if(!report.ok());
    let title = if report.committed {
        page.t("import-done")
    } else {
        page.t("import-report")
    };
    let tpl = ReportPage {
        title,
        problems: import_problems::rows(&page, &report.problems),
        job: id,
        report,
        token: token.to_owned(),
        suggestions,
        importable: importable || (dry_run && status == StatusCode::OK),
        page,
    };
    render(status, &tpl.page, &tpl)
}

#[derive(Deserialize)]
pub struct TokenPath {
    #[allow(dead_code)]
    lang: String,
    token: String,
}

/// Imports the waiting upload, with the names the user confirmed.
pub async fn import(State(s): State<AppState>, Path(p): Path<TokenPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let user = match importer(&page) {
        Ok(u) => u,
        Err(e) => return failure(page, e.into()),
    };
    let Some(path) = waiting(&s, &user, &p.token).filter(|p| p.exists()) else {
        return message(page, StatusCode::NOT_FOUND, "not-found-title", "import-gone");
    };
    let meta = std::fs::read_to_string(path.with_extension("meta")).unwrap_or_default();
    let mut lines = meta.lines();
    let decimal = lines.next().unwrap_or("").to_owned();
    let label = lines.next().unwrap_or("upload").to_owned();
    let confirmed: Vec<(String, String)> = fields
        .all("accept")
        .iter()
        .filter_map(|v| v.split_once('\t'))
        .map(|(w, c)| (w.to_owned(), c.to_owned()))
        .collect();
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    check_and_show(
        &s, page, &user, &p.token, &path, &label, bytes, &decimal, confirmed, false,
    )
    .await
}

/// A finished import as it was stored: counts and problems.
#[derive(Deserialize, Default)]
#[serde(default)]
struct StoredReport {
    rows: u64,
    created: u64,
    updated: u64,
    unchanged: u64,
    problem_count: u64,
    committed: bool,
    problems: Vec<needsdb_exchange::FileProblem>,
}

#[derive(Template)]
#[template(path = "pages/imports.html")]
struct Jobs {
    page: Page,
    title: String,
    /// (id, file, date, state, rows, problems)
    jobs: Vec<(i64, String, String, String, i64, String)>,
}

fn state_label(page: &Page, job: &needsdb_store::ImportJob) -> String {
    let report: Option<StoredReport> = job.report.clone().and_then(|r| serde_json::from_value(r).ok());
    match (job.state.as_str(), report) {
        ("done", Some(r)) if r.committed => page.t("import-state-written"),
        ("done", Some(r)) if r.problem_count > 0 => page.t("import-state-refused"),
        ("done", Some(_)) if job.dry_run => page.t("import-state-checked"),
        (state, _) => page.t(&format!("import-state-{state}")),
    }
}

/// The signed-in user's latest imports (everyone's for an administrator
/// who asks with `?all=true`).
pub async fn list(
    State(s): State<AppState>,
    page: Page,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    if page.user.is_none() {
        return page.see_other("/sign-in");
    }
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let all = fields.get("all") == "true";
    let found = match imports::jobs(&*s.store, page.caller(), all, 100).await {
        Ok(j) => j,
        Err(e) => return failure(page, e),
    };
    let jobs: Vec<(i64, String, String, String, i64, String)> = found
        .iter()
        .map(|j| {
            let problems = j
                .report
                .as_ref()
                .and_then(|r| r.get("problem_count"))
                .map(|c| c.to_string())
                .unwrap_or_default();
            (
                j.id,
                j.file.clone(),
                page.date(j.created_at.date_naive()),
                state_label(&page, j),
                j.rows_read,
                problems,
            )
        })
        .collect();
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "imports",
            &[
                "col-id",
                "field-file",
                "col-date",
                "col-status",
                "import-rows",
                "import-problem-count",
            ],
        );
        sheet.rows = found
            .iter()
            .zip(&jobs)
            .map(|(j, l)| {
                vec![
                    Cell::int(j.id),
                    Cell::text(j.file.clone()),
                    Cell::Date(j.created_at.date_naive()),
                    Cell::text(l.3.clone()),
                    Cell::int(j.rows_read),
                    Cell::Num(l.5.clone()),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let tpl = Jobs {
        title: page.t("imports-title"),
        jobs,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}

#[derive(Template)]
#[template(path = "pages/import_job.html")]
struct JobPage {
    page: Page,
    title: String,
    file: String,
    state: String,
    report: StoredReport,
    problems: Vec<import_problems::ProblemRow>,
    job: i64,
}

/// One import as it ended: its counts and its problems, to download.
pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<TokenPath>) -> Response {
    let Ok(id) = p.token.parse::<i64>() else {
        return message(page, StatusCode::NOT_FOUND, "not-found-title", "not-found-text");
    };
    let job = match imports::job(&*s.store, page.caller(), id).await {
        Ok(j) => j,
        Err(e) => return failure(page, e),
    };
    let report: StoredReport = job
        .report
        .clone()
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let problems = import_problems::rows(&page, &report.problems);
    if let Some((n, format)) = page.download() {
        let sheet = import_problems::sheet(&page, &problems);
        return sheets::send(page, vec![sheet], n, format);
    }
    let tpl = JobPage {
        title: page.ta1("import-job-title", "id", id),
        file: job.file.clone(),
        state: state_label(&page, &job),
        report,
        problems,
        job: id,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}
