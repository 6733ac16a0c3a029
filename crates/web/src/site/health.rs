use crate::AppState;
use crate::error::AppError;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Liveness and database reachability, for the load balancer.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// The metrics, for a scraper presenting the `metrics_token` as a bearer
/// token. Without a configured token the page does not exist.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.settings.metrics_token else {
        return AppError::NotFound.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::guard::bearer);
    if !presented.is_some_and(|p| token.matches(&state.keys, p)) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        crate::metrics::render(&state).await,
    )
        .into_response()
}
