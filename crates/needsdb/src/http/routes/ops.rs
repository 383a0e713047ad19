//! Health, readiness, metrics and the audit check.

use crate::http::AppState;
use crate::http::access;
use crate::http::auth::Principal;
use crate::http::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_store::AuditReport;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
        .routes(routes!(audit_verify))
}

/// Liveness: 200 once the database answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200), (status = 503)))]
async fn healthz(State(s): State<AppState>) -> Response {
    readiness(&s).await
}

/// Readiness: the process and its database.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200), (status = 503)))]
async fn readyz(State(s): State<AppState>) -> Response {
    readiness(&s).await
}

async fn readiness(s: &AppState) -> Response {
    let db = match s.store.dialect() {
        needsdb_store::Dialect::Sqlite => "sqlite",
        needsdb_store::Dialect::Postgres => "postgres",
    };
    match s.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok", "database": db}))).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": db})),
            )
                .into_response()
        }
    }
}

/// Prometheus metrics: requests by route and status, latency, pool use. Needs a signed-in caller (a viewer token will do).
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, content_type = "text/plain"), (status = 401, body = Problem)))]
async fn metrics(State(s): State<AppState>, p: Principal) -> Result<Response, ApiError> {
    p.require(&access::SIGNED_IN)?;
    let pool = s.store.pool_stats();
    metrics::gauge!("needsdb_db_pool_connections").set(f64::from(pool.size));
    metrics::gauge!("needsdb_db_pool_idle").set(f64::from(pool.idle));
    metrics::gauge!("needsdb_db_pool_max").set(f64::from(pool.max));
    let mut r = s.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    Ok(r)
}

/// Check the audit chain (administrators).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "operations",
    responses((status = 200, body = AuditReport), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn audit_verify(State(s): State<AppState>, p: Principal) -> Result<Json<AuditReport>, ApiError> {
    p.require(&access::ADMIN)?;
    Ok(Json(s.store.audit_verify().await?))
}
