//! What the estimate pages show: the estimate's origin and settings, the progress, then the
//! three methods on one chart and in one table, the stepwise estimate at each threshold and
//! the warnings in plain words, every number in the reader's notation.

use super::forest::{Forest, Point, forest};
use super::linkage_view::tone;
use crate::error::AppError;
use crate::page::Page;
use relais_stats::{CompareOptions, Comparison, IntervalKind, Line, MethodName, Warning};
use relais_store::observatory::estimates::Run;
use serde::{Deserialize, Serialize};

/// Where an estimate's table came from, as stored with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    File { file_name: String, sha256: String },
    Linkage { run: String, title: String },
}

/// An estimate in the list.
pub struct EstimateRow {
    pub id: String,
    pub title: String,
    pub state: String,
    pub tone: &'static str,
    pub created: String,
    pub by: String,
}

pub fn row(page: &Page, run: &Run) -> EstimateRow {
    EstimateRow {
        id: run.id.clone(),
        title: run.title.clone(),
        state: page.t(&format!("linkage-state-{}", run.state.key())),
        tone: tone(run.state),
        created: page.when(run.created_at.0),
        by: run.created_by.clone().unwrap_or_default(),
    }
}

/// One method's line of the table.
pub struct MethodRow {
    pub method: String,
    pub estimate: String,
    pub interval: String,
    pub kind: String,
}

/// The stepwise estimate at one threshold.
pub struct ThresholdRow {
    pub threshold: String,
    pub estimate: String,
    pub interval: String,
    pub model: String,
    pub chosen: bool,
}

pub struct ComparisonView {
    pub lead: String,
    pub methods: Vec<MethodRow>,
    pub chart: Forest,
    pub thresholds: Vec<ThresholdRow>,
    pub warnings: Vec<String>,
    pub diagnostics: Option<String>,
}

pub struct EstimateView {
    pub id: String,
    pub title: String,
    pub state: String,
    pub tone: &'static str,
    pub over: bool,
    pub progress: u8,
    pub started: String,
    pub finished: Option<String>,
    pub origin: String,
    pub settings: String,
    pub failure: Option<String>,
    pub outcome: Option<ComparisonView>,
}

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("estimate: stored {what} unreadable"))
}

pub fn estimate(page: &Page, run: &Run) -> Result<EstimateView, AppError> {
    let settings: CompareOptions = serde_json::from_str(&run.settings_json).map_err(|_| corrupt("settings"))?;
    let origin: Origin = serde_json::from_str(&run.inputs_json).map_err(|_| corrupt("origin"))?;
    let outcome = match &run.outcome_json {
        Some(json) => Some(serde_json::from_str::<Comparison>(json).map_err(|_| corrupt("outcome"))?),
        None => None,
    };
    let by = run.created_by.clone().unwrap_or_default();
    Ok(EstimateView {
        id: run.id.clone(),
        title: run.title.clone(),
        state: page.t(&format!("linkage-state-{}", run.state.key())),
        tone: tone(run.state),
        over: run.state.is_over(),
        progress: run.progress,
        started: if by.is_empty() {
            page.tr.t1("estimate-started", "when", &page.when(run.created_at.0))
        } else {
            page.tr.tn(
                "estimate-started-by",
                &[("when", page.when(run.created_at.0)), ("by", by)],
            )
        },
        finished: run
            .finished_at
            .map(|at| page.tr.t1("estimate-finished", "when", &page.when(at.0))),
        origin: match origin {
            Origin::File { file_name, sha256 } => page.tr.tn(
                "estimate-origin-file",
                &[("file", file_name), ("sha", sha256.chars().take(12).collect())],
            ),
            Origin::Linkage { title, .. } => page.tr.t1("estimate-origin-linkage", "title", &title),
        },
        settings: page.tr.tn(
            "estimate-settings",
            &[
                ("replicates", page.decimal(settings.replicates as f64, 0)),
                ("seed", settings.seed.to_string()),
                ("burnin", page.decimal(settings.burnin as f64, 0)),
                ("samples", page.decimal(settings.samples as f64, 0)),
                ("thinning", settings.thinning.to_string()),
                ("chains", settings.chains.to_string()),
            ],
        ),
        failure: run.failure.clone(),
        outcome: outcome.map(|c| comparison_view(page, &c)),
    })
}

fn figure(page: &Page, value: Option<f64>) -> String {
    value.map_or_else(|| page.t("estimate-unbounded"), |v| page.decimal(v, 0))
}

fn interval(page: &Page, [low, high]: [Option<f64>; 2]) -> String {
    page.tr.tn(
        "estimate-interval",
        &[("low", figure(page, low)), ("high", figure(page, high))],
    )
}

fn method_label(page: &Page, method: MethodName) -> String {
    page.t(&format!("estimate-method-{}", method.key()))
}

fn kind_label(page: &Page, kind: IntervalKind) -> String {
    page.t(match kind {
        IntervalKind::Bca => "estimate-kind-bca",
        IntervalKind::Wald => "estimate-kind-wald",
        IntervalKind::Credible => "estimate-kind-credible",
    })
}

fn comparison_view(page: &Page, c: &Comparison) -> ComparisonView {
    let lines: Vec<Line> = c.lines();
    let methods = lines
        .iter()
        .map(|l| MethodRow {
            method: method_label(page, l.method),
            estimate: l
                .estimate
                .map_or_else(|| page.t("estimate-none"), |e| page.decimal(e, 0)),
            interval: if l.estimate.is_some() {
                interval(page, l.interval)
            } else {
                String::new()
            },
            kind: kind_label(page, l.kind),
        })
        .collect();
    let points: Vec<Point> = lines
        .iter()
        .filter_map(|l| {
            Some(Point {
                label: method_label(page, l.method),
                estimate: l.estimate?,
                low: l.interval[0],
                high: l.interval[1],
                chosen: false,
            })
        })
        .collect();
    let thresholds = c
        .sensitivity
        .iter()
        .map(|at| {
            let (estimate, interval_text, model) = match &at.result {
                Some(r) => (
                    figure(page, r.estimate),
                    interval(page, r.interval().0),
                    if r.model.is_empty() {
                        page.t("estimate-model-none")
                    } else {
                        r.model.join(", ")
                    },
                ),
                None => (page.t("estimate-none"), String::new(), String::new()),
            };
            ThresholdRow {
                threshold: page.decimal(at.threshold, 2),
                estimate,
                interval: interval_text,
                model,
                chosen: (at.threshold - c.settings.threshold).abs() < 1e-9,
            }
        })
        .collect();
    ComparisonView {
        lead: page.tr.tn(
            "estimate-lead-outcome",
            &[
                ("observed", page.decimal(c.observed as f64, 0)),
                ("lists", c.lists.join(", ")),
            ],
        ),
        methods,
        chart: forest(page, &points),
        thresholds,
        warnings: c.warnings.iter().map(|w| warning(page, w)).collect(),
        diagnostics: c.lcmcr.as_ref().map(|l| {
            page.tr.tn(
                "estimate-diagnostics",
                &[
                    ("rhat", l.rhat.map_or_else(|| "—".to_owned(), |r| page.decimal(r, 3))),
                    ("ess", l.ess.map_or_else(|| "—".to_owned(), |e| page.decimal(e, 0))),
                ],
            )
        }),
    }
}

/// A warning in words a policy officer understands.
fn warning(page: &Page, warning: &Warning) -> String {
    match warning {
        Warning::EmptyLists { lists } => page.tr.t1("estimate-warning-empty-lists", "lists", &lists.join(", ")),
        Warning::NonOverlapping { pairs } => {
            let pairs: Vec<String> = pairs.iter().map(|p| p.replace(':', " – ")).collect();
            page.tr
                .t1("estimate-warning-non-overlapping", "pairs", &pairs.join(", "))
        }
        Warning::FewSharedCases { shared } => page.tr.t1("estimate-warning-few-shared", "shared", &shared.to_string()),
        Warning::NotConverged { .. } => page.t("estimate-warning-not-converged"),
        Warning::MethodFailed { method, .. } => {
            page.tr
                .t1("estimate-warning-failed", "method", &method_label(page, *method))
        }
        Warning::BicTooManyLists { max, .. } => page.tr.t1("estimate-warning-bic-lists", "max", &max.to_string()),
        Warning::Unbounded { method } => {
            page.tr
                .t1("estimate-warning-unbounded", "method", &method_label(page, *method))
        }
        Warning::Wide { method, ratio } => page.tr.tn(
            "estimate-warning-wide",
            &[
                ("method", method_label(page, *method)),
                ("ratio", page.decimal(*ratio, 1)),
            ],
        ),
        Warning::ThresholdSwing { low, high } => page.tr.tn(
            "estimate-warning-threshold-swing",
            &[("low", page.decimal(*low, 0)), ("high", page.decimal(*high, 0))],
        ),
        Warning::MethodsDisagree { low, high } => page.tr.tn(
            "estimate-warning-methods-disagree",
            &[("low", page.decimal(*low, 0)), ("high", page.decimal(*high, 0))],
        ),
    }
}
