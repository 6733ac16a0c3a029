//! Prometheus metrics for /metrics. Labels are route templates, a closed set
//! of methods and status codes only, never a path with an identifier in it:
//! no request can create series at will.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    duration: Histogram,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("relais");
        let requests = Family::<RequestLabels, Counter>::default();
        let duration = Histogram::new(exponential_buckets(0.001, 2.0, 14));
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to serve a request",
            duration.clone(),
        );
        Self {
            registry,
            requests,
            duration,
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// The bearer token a scraper of /metrics must present (configuration
/// `metrics_token`). Never printed.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// `None` for an empty token: an empty secret is no protection.
    pub fn new(token: String) -> Option<Self> {
        (!token.trim().is_empty()).then(|| Self(token.trim().to_owned()))
    }

    /// Compares keyed hashes, so the time taken says nothing about the token.
    pub(crate) fn matches(&self, keys: &relais_store::Keys, presented: &str) -> bool {
        keys.keyed_hash("metrics-token", presented) == keys.keyed_hash("metrics-token", &self.0)
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

/// The method label: the methods Relais serves, every other one `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method()).to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    // The route template, never the raw path: paths can carry identifiers and one-time tokens.
    tracing::info!(%method, %route, status = response.status().as_u16(), ms = elapsed * 1000.0, "request");
    let labels = RequestLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    state.metrics.requests.get_or_create(&labels).inc();
    state.metrics.duration.observe(elapsed);
    response
}

pub fn render(state: &AppState) -> String {
    state.metrics.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_outside_the_closed_set_are_other() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::OPTIONS), "OPTIONS");
        for raw in ["TRACE", "CONNECT", "PROPFIND", "X-ANYTHING-1"] {
            assert_eq!(
                method_label(&Method::from_bytes(raw.as_bytes()).unwrap()),
                "other",
                "{raw}"
            );
        }
    }
}
