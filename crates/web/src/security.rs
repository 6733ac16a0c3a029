//! Security headers on every response. The Content-Security-Policy allows
//! no inline script and no third-party origin: every asset is embedded. The one exception is
//! `form-action`: signing out of a provider is a form whose answer redirects to the provider's
//! end-session endpoint, so the providers' origins (the issuer's, and the end-session
//! endpoint's once discovered) are allowed there, and nowhere else.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The Content-Security-Policy, with the providers' origins as form targets.
async fn policy(state: &AppState) -> HeaderValue {
    let mut policy = POLICY.to_owned();
    for origin in state.oidc.form_targets().await {
        policy.push(' ');
        policy.push_str(&origin);
    }
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(POLICY))
}

const HEADERS: [(&str, &str); 6] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
    ("strict-transport-security", "max-age=63072000; includeSubDomains"),
];

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    // After the handler: a sign-out that discovered its provider just now allows its endpoint.
    let policy = policy(&state).await;
    let headers = response.headers_mut();
    headers.insert(HeaderName::from_static("content-security-policy"), policy);
    for (name, value) in HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    if !is_asset {
        // Pages may hold personal data: never keep them in a shared or disk cache.
        headers.insert(
            HeaderName::from_static("cache-control"),
            HeaderValue::from_static("no-store"),
        );
    }
    response
}
