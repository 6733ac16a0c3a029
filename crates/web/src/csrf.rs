//! Protection against cross-site request forgery: every state-changing
//! request carries a token derived from the session (or, before login, the
//! anonymous cookie) with a server key. Checked here for every route.

use crate::AppState;
use crate::error::AppError;
use crate::session::RequestContext;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Largest form body accepted.
pub const FORM_LIMIT_BYTES: usize = 256 * 1024;

/// Largest file upload accepted (a document and the form around it): the
/// one limit of every multipart route, read here and by the routes' body
/// limit, derived from the document limit the pages announce.
pub const UPLOAD_LIMIT_BYTES: usize = relais_domain::casework::document::MAX_BYTES + 64 * 1024;

/// The `csrf` field of a multipart form (the forms put it first, so the
/// file that follows is not parsed here). Parsed with `multer` directly:
/// axum's `Multipart` extractor would apply its default 2 MB body limit to
/// this already-bounded body and refuse uploads the page allows.
async fn multipart_token(content_type: &str, bytes: &Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let body = bytes.clone();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// The document limit in megabytes, as the pages announce it.
pub fn document_limit_mb() -> String {
    (relais_domain::casework::document::MAX_BYTES / (1024 * 1024)).to_string()
}

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
    if request.method().is_safe() || crate::api::v1::is_api(request.uri().path()) {
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
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("multipart/form-data"))
        .map(str::to_owned);
    let limit = if multipart.is_some() {
        UPLOAD_LIMIT_BYTES
    } else {
        FORM_LIMIT_BYTES
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return if multipart.is_some() {
            AppError::UploadTooLarge.into_response()
        } else {
            AppError::TooLarge.into_response()
        };
    };
    let given = match &multipart {
        Some(content_type) => multipart_token(content_type, &bytes).await,
        None => form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned()),
    };
    match given {
        Some(given) if same(&given, &expected) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        _ => AppError::Csrf.into_response(),
    }
}
