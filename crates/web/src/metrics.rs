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
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

/// A scheduled job, by its name in `job_runs` (a closed set written in the code).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabels {
    pub job: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    duration: Histogram,
    job_failures: Family<JobLabels, Counter>,
    audit_verified_at: Gauge,
    audit_intact: Gauge,
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
        let job_failures = Family::<JobLabels, Counter>::default();
        registry.register(
            "job_failures",
            "Failed attempts of scheduled jobs in this process",
            job_failures.clone(),
        );
        let audit_verified_at = Gauge::default();
        registry.register(
            "audit_chain_verified_timestamp_seconds",
            "When the audit chain was last verified by the daily job (0: never)",
            audit_verified_at.clone(),
        );
        let audit_intact = Gauge::default();
        registry.register(
            "audit_chain_intact",
            "1 when the last daily verification found the audit chain intact, else 0",
            audit_intact.clone(),
        );
        Self {
            registry,
            requests,
            duration,
            job_failures,
            audit_verified_at,
            audit_intact,
        }
    }

    /// Counts a failed attempt of a scheduled job.
    pub fn job_failed(&self, job: &str) {
        self.job_failures
            .get_or_create(&JobLabels { job: job.to_owned() })
            .inc();
    }

    /// The last daily verification of the audit chain, as recorded in the
    /// database by whichever process ran it.
    pub fn set_audit_verification(&self, last: Option<(i64, bool)>) {
        let (at, intact) = last.unwrap_or((0, false));
        self.audit_verified_at.set(at);
        self.audit_intact.set(i64::from(intact));
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

/// The metrics as text, with the audit verification read from the database
/// (left as it was when the database does not answer: /healthz says so).
pub async fn render(state: &AppState) -> String {
    if let Ok(last) = relais_store::jobs::last_finished(&state.store, crate::jobs::audit_check::JOB).await {
        state.metrics.set_audit_verification(
            last.map(|(at, outcome)| (at.0, outcome.as_deref() == Some(crate::jobs::audit_check::INTACT))),
        );
    }
    state.metrics.render()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests may fail loudly")]
    use super::*;

    /// The metric families /metrics exposes, as named on their `# TYPE` line.
    fn exposed() -> Vec<String> {
        Metrics::new()
            .render()
            .lines()
            .filter_map(|line| line.strip_prefix("# TYPE "))
            .filter_map(|line| line.split(' ').next())
            .map(str::to_owned)
            .collect()
    }

    /// Every `relais_…` name in a PromQL expression.
    fn names_in(expr: &str) -> Vec<String> {
        expr.match_indices("relais_")
            .map(|(at, _)| {
                expr[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect()
            })
            .collect()
    }

    fn is_exposed(name: &str, exposed: &[String]) -> bool {
        let family = ["_total", "_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .unwrap_or(name);
        exposed.iter().any(|e| e == name || e == family)
    }

    #[test]
    fn every_metric_is_documented_for_operators() {
        let doc = include_str!("../../../docs/OPERATIONS.md");
        let exposed = exposed();
        assert!(exposed.len() >= 5, "{exposed:?}");
        for name in &exposed {
            assert!(doc.contains(&format!("`{name}")), "{name} is not in docs/OPERATIONS.md");
        }
    }

    #[test]
    fn the_dashboard_and_the_alerts_parse_and_read_only_exposed_metrics() {
        let exposed = exposed();
        let alerts: serde_json::Value =
            serde_saphyr::from_str(include_str!("../../../deploy/prometheus/alerts.yaml")).unwrap();
        let dashboard: serde_json::Value =
            serde_json::from_str(include_str!("../../../deploy/grafana/relais.json")).unwrap();
        let rules = alerts["groups"][0]["rules"].as_array().unwrap();
        let alert_names: Vec<&str> = rules.iter().filter_map(|r| r["alert"].as_str()).collect();
        for wanted in [
            "RelaisErrorRate",
            "RelaisLatency",
            "RelaisJobFailures",
            "RelaisAuditChainBroken",
            "RelaisAuditChainNotVerified",
        ] {
            assert!(alert_names.contains(&wanted), "{wanted} missing from {alert_names:?}");
        }
        let mut exprs: Vec<&str> = rules.iter().filter_map(|r| r["expr"].as_str()).collect();
        for panel in dashboard["panels"].as_array().unwrap() {
            exprs.extend(
                panel["targets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|t| t["expr"].as_str()),
            );
        }
        assert!(exprs.len() >= 12, "{exprs:?}");
        for expr in exprs {
            for name in names_in(expr) {
                assert!(
                    is_exposed(&name, &exposed),
                    "{name} (in {expr}) is not exposed: {exposed:?}"
                );
            }
        }
    }

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
