//! The web server: a JSON API under /api/v1, its OpenAPI document, a
//! readable API reference, and health, readiness and metrics endpoints.
//!
//! Nothing that matters lives only in this process: sessions, tokens and
//! sign-in throttling are in the database, so several `needsdb serve`
//! processes on one PostgreSQL behave as one service.

pub mod auth;
pub mod etag;
pub mod extract;
pub mod fresh;
pub mod listing;
mod metrics_layer;
mod openapi_doc;
pub mod pages;
pub mod problem;
pub mod routes;
pub mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use metrics_exporter_prometheus::PrometheusHandle;
use needsdb_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// Requests larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub metrics: PrometheusHandle,
    /// Mark the session cookie Secure (behind HTTPS).
    pub secure_cookies: bool,
    /// A real argon2id hash, verified against when an account does not
    /// exist, so sign-in takes as long either way.
    pub dummy_hash: String,
    /// Imports waiting or running in this process.
    pub imports: Arc<crate::services::imports::Queue>,
    /// Where uploads wait for their import.
    pub upload_dir: std::path::PathBuf,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "needsdb API",
        description = "Humanitarian and medical needs, contributions from announcement to delivery, and coverage. \
Errors are RFC 9457 problem+json. Lists use cursor pagination and can be downloaded as CSV (format=csv). \
Updates need the ETag in If-Match. Scripts authenticate with an 'Authorization: Bearer TOKEN' header; browser sessions send X-CSRF-Token with every change.",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "needs", description = "Needs reported by member states"),
        (name = "contributions", description = "Pledges, commitments, shipments and deliveries"),
        (name = "coverage", description = "Published aggregates"),
        (name = "allocations", description = "Fair allocation of scarce supplies"),
        (name = "reference", description = "Countries, parties and the item catalogue"),
        (name = "exchange", description = "Import and export: HXL CSV, XLSX, JSON and IATI XML"),
        (name = "accounts", description = "Sign-in, users and API tokens"),
        (name = "operations", description = "Health, readiness, metrics and the audit check"),
    )
)]
struct ApiDoc;

/// The routes and the OpenAPI document they generate.
pub fn api() -> (Router<AppState>, serde_json::Value) {
    let (routes, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::needs::router())
        .merge(routes::contributions::router())
        .merge(routes::coverage::router())
        .merge(routes::allocations::router())
        .merge(routes::analysis::router())
        .merge(routes::searches::router())
        .merge(routes::notifications::router())
        .merge(routes::evidence::router())
        .merge(routes::exchange::router())
        .merge(routes::reference::router())
        .merge(routes::accounts::router())
        .merge(routes::ops::router())
        .split_for_parts();
    (routes, openapi_doc::complete(&doc))
}

pub fn openapi() -> serde_json::Value {
    api().1
}

pub fn router(state: AppState) -> Router {
    let (routes, doc) = api();
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    // Layers run outside-in in the reverse of the order they are added:
    // limits sit innermost, so the problem converter and the metrics see
    // their 413s and 408s too.
    routes
        .with_state(state.clone())
        .merge(SwaggerUi::new("/api/docs").external_url_unchecked("/api/v1/openapi.json", doc))
        // A person who opens the server's address lands on the pages, in
        // their language; scripts use /api.
        .merge(pages::router().with_state(state.clone()))
        .layer(middleware::from_fn_with_state(state, fresh::conditional))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Bodies are cut at the largest any route takes (an import, which
        // streams to disk and holds itself to that limit); each extractor
        // holds its route to its own (2 MiB).
        .layer(RequestBodyLimitLayer::new(routes::exchange::MAX_IMPORT_BYTES))
        .layer(middleware::from_fn(time_limit))
        .layer(middleware::from_fn(problem::uniform_errors))
        // Outside the converter, so every problem is in the caller's language.
        .layer(middleware::from_fn(problem::localize))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(middleware::from_fn(private_responses))
        .layer(middleware::from_fn(metrics_layer::record))
        // Pages, the stylesheet and JSON travel gzipped: a focal point may
        // be on a satellite link.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                // The path only, with secrets in it (a feed's key) replaced.
                tracing::debug_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()))
            }),
        )
}

/// Every request has `REQUEST_TIMEOUT` but an upload, which may take long
/// on a slow link: it is cut only when nothing arrives for a minute.
async fn time_limit(req: axum::http::Request<axum::body::Body>, next: middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    // Evidence files too (up to 5 MiB, minutes on a slow link).
    // And an upload from the pages, which waits for its check or import.
    if req.method() == axum::http::Method::POST
        && (req.uri().path() == routes::exchange::IMPORTS_PATH
            || req.uri().path().ends_with("/evidence/files")
            || (req.uri().path().contains("/imports") && !req.uri().path().starts_with("/api/")))
    {
        return next.run(req).await;
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// A request path as logs may show it: a feed's secret key is replaced.
pub fn loggable_path(path: &str) -> String {
    match path.split_once("/feeds/") {
        Some((before, _)) => format!("{before}/feeds/<secret>"),
        None => path.to_owned(),
    }
}

/// Responses to a signed-in caller, and any that carry or name a secret,
/// are not kept by browsers or proxies.
async fn private_responses(
    req: axum::http::Request<axum::body::Body>,
    next: middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path();
    let private = !fresh::anonymous(req.headers())
        || ["/api/v1/session", "/api/v1/tokens", "/api/v1/users", "/api/v1/feeds/"]
            .iter()
            .any(|p| path.starts_with(p));
    let mut r = next.run(req).await;
    if private {
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

pub async fn state(store: Arc<dyn Store>) -> anyhow::Result<AppState> {
    let dummy_hash = tokio::task::spawn_blocking(|| crate::password::hash(&crate::password::generate()))
        .await?
        .map_err(anyhow::Error::msg)?;
    Ok(AppState {
        store,
        metrics: metrics_layer::handle(),
        secure_cookies: std::env::var("NEEDSDB_SECURE_COOKIES").is_ok_and(|v| v == "true" || v == "1"),
        dummy_hash,
        imports: crate::services::imports::Queue::new(
            crate::services::imports::Queue::RUNNING,
            crate::services::imports::Queue::MAX_WAITING,
        ),
        upload_dir: {
            let dir = std::env::var_os("NEEDSDB_UPLOAD_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(std::env::temp_dir);
            upload::sweep(&dir);
            dir
        },
    })
}

pub async fn serve(store: Arc<dyn Store>, listen: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e} (use --listen ADDR or NEEDSDB_LISTEN)"))?;
    let addr = listener.local_addr()?;
    if let Some(mailer) = crate::services::mail::Mailer::from_env()? {
        tracing::info!("notifications are sent by e-mail");
        tokio::spawn(mailer.run(store.clone()));
    }
    let app = router(state(store).await?);
    eprintln!("needsdb is listening on http://{addr}");
    tracing::info!(%addr, "listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
