//! Protection against cross-site request forgery: every state-changing
//! request carries a token derived from the session (or, before login, the
//! anonymous cookie) with a server key. Checked here for every route.

use crate::AppState;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest form body accepted (file uploads will have their own limit).
pub const FORM_LIMIT_BYTES: usize = 256 * 1024;

pub fn token(state: &AppState, ctx: &RequestContext) -> String {
    state.keys.keyed_hash("csrf", ctx.csrf_binding())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn verify(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The API is exempt on purpose: its routes (all under `/api/`, all
    // `Access::ApiToken` or public reads — a test checks the table) never
    // authenticate with cookies, so a forged cross-site request carries no
    // credential. Its callers are programs, which have no CSRF token.
    if request.method().is_safe() || crate::handlers::api::is_api(request.uri().path()) {
        return next.run(request).await;
    }
    let Some(ctx) = request.extensions().get::<RequestContext>().cloned() else {
        return AppError::Internal("request context missing".into()).into_response();
    };
    let expected = token(&state, &ctx);
    if let Some(header) = request.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if same(header, &expected) {
            next.run(request).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT_BYTES).await else {
        return AppError::TooLarge.into_response();
    };
    let given = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match given {
        Some(given) if same(&given, &expected) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        _ => AppError::Csrf.into_response(),
    }
}
