//! Health, readiness, metrics and the audit check.

use crate::http::AppState;
use crate::http::auth::Principal;
use crate::http::problem::{ApiError, Problem};
use crate::services::access;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_store::{AuditReport, StoreError};
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

/// How long a health check waits for the database.
const CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

fn dialect(s: &AppState) -> &'static str {
    match s.store.dialect() {
        needsdb_store::Dialect::Sqlite => "sqlite",
        needsdb_store::Dialect::Postgres => "postgres",
    }
}

fn unavailable(body: serde_json::Value) -> Response {
    let mut r = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

/// Liveness: 200 while the database answers, within two seconds.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200), (status = 503)))]
async fn healthz(State(s): State<AppState>) -> Response {
    match tokio::time::timeout(CHECK_TIMEOUT, s.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, Json(json!({"status": "ok", "database": dialect(&s)}))).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database unreachable");
            unavailable(
                json!({"status": "unavailable", "database": dialect(&s), "problem": "the database cannot be reached"}),
            )
        }
        Err(_) => unavailable(
            json!({"status": "unavailable", "database": dialect(&s), "problem": "the database did not answer within 2 seconds"}),
        ),
    }
}

/// Readiness: the database answers, and a write works (a heartbeat written
/// and committed). A full disk or a read-only database is named while it
/// lasts; a write merely waiting behind a long one is not a failure.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200), (status = 503)))]
async fn readyz(State(s): State<AppState>) -> Response {
    let db = dialect(&s);
    match tokio::time::timeout(CHECK_TIMEOUT, s.store.ping()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database unreachable");
            return unavailable(
                json!({"status": "unavailable", "database": db, "problem": "the database cannot be reached"}),
            );
        }
        Err(_) => {
            return unavailable(
                json!({"status": "unavailable", "database": db, "problem": "the database did not answer within 2 seconds"}),
            );
        }
    }
    let writes = match tokio::time::timeout(CHECK_TIMEOUT, s.store.check_writes()).await {
        Ok(Ok(())) => "ok",
        Ok(Err(StoreError::Busy(_))) | Err(_) => "waiting behind another write",
        Ok(Err(e @ (StoreError::OutOfSpace(_) | StoreError::ReadOnly(_) | StoreError::Unavailable(_)))) => {
            tracing::warn!(error = %e, "writes fail");
            let problem = match e {
                StoreError::OutOfSpace(_) => "the disk is full: writes fail until space is freed",
                StoreError::ReadOnly(_) => "the database is read-only: writes fail",
                _ => "the database cannot be reached",
            };
            return unavailable(json!({"status": "degraded", "database": db, "problem": problem}));
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "write check failed");
            return unavailable(json!({"status": "degraded", "database": db, "problem": "a test write failed"}));
        }
    };
    (
        StatusCode::OK,
        Json(json!({"status": "ok", "database": db, "writes": writes})),
    )
        .into_response()
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
