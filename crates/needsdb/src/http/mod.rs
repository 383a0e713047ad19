//! The web server: a JSON API under /api/v1, its OpenAPI document, a
//! readable API reference, and health, readiness and metrics endpoints.
//!
//! Nothing that matters lives only in this process: sessions, tokens and
//! sign-in throttling are in the database, so several `needsdb serve`
//! processes on one PostgreSQL behave as one service.

pub mod access;
pub mod auth;
pub mod etag;
pub mod extract;
pub mod listing;
mod metrics_layer;
pub mod problem;
pub mod routes;

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
use tower_http::timeout::TimeoutLayer;
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
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::needs::router())
        .merge(routes::contributions::router())
        .merge(routes::coverage::router())
        .merge(routes::allocations::router())
        .merge(routes::analysis::router())
        .merge(routes::searches::router())
        .merge(routes::exchange::router())
        .merge(routes::reference::router())
        .merge(routes::accounts::router())
        .merge(routes::ops::router())
        .split_for_parts()
}

pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

pub fn router(state: AppState) -> Router {
    let (routes, doc) = api();
    let csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    // Layers run outside-in in the reverse of the order they are added:
    // limits sit innermost, so the problem converter and the metrics see
    // their 413s and 408s too.
    routes
        .with_state(state)
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc))
        // A person who opens the server's address lands on the reference.
        .route(
            "/",
            axum::routing::get(|| async { axum::response::Redirect::to("/api/docs/") }),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Bodies are cut at the largest any route takes (an import); each
        // extractor holds its route to its own limit (2 MiB but for imports).
        .layer(RequestBodyLimitLayer::new(routes::exchange::MAX_IMPORT_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(problem::uniform_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(middleware::from_fn(metrics_layer::record))
        .layer(TraceLayer::new_for_http())
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
    })
}

pub async fn serve(store: Arc<dyn Store>, listen: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e} (use --listen ADDR or NEEDSDB_LISTEN)"))?;
    let addr = listener.local_addr()?;
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
