//! Security headers on every response. The Content-Security-Policy allows
//! no inline script and no third-party origin: every asset is embedded. The one exception is
//! `form-action`: signing out of a provider is a form whose answer redirects to the provider,
//! so its origin is allowed there, and nowhere else.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use openidconnect::url::Url;

const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The Content-Security-Policy, with the configured providers' origins as form targets.
pub fn policy(state: &AppState) -> HeaderValue {
    let mut policy = POLICY.to_owned();
    for provider in state.oidc.providers() {
        if let Ok(issuer) = Url::parse(&provider.issuer) {
            policy.push(' ');
            policy.push_str(&issuer.origin().ascii_serialization());
        }
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

pub async fn headers(State(policy): State<HeaderValue>, request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
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
