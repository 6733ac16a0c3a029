//! What the linkage pages show of a run: its settings and inputs, the progress, then the
//! estimate with its chart over nearby thresholds, the capture histories, the model in words
//! and the quality report, every number in the reader's notation.

use super::forest::{Forest, Point};
use crate::error::AppError;
use crate::page::Page;
use relais_domain::observatory::linkage::RunState;
use relais_observatory::linkage::{Input, Outcome, Settings, Strata};
use relais_observatory::statistics::chart::{self, BarChart};
use relais_observatory::statistics::series::Figure;
use relais_stats::Published;
use relais_stats::linkage::strata::Variable;
use relais_store::observatory::linkage::Run;

/// A run in the list.
pub struct RunRow {
    pub id: String,
    pub title: String,
    pub state: String,
    pub tone: &'static str,
    pub created: String,
    pub by: String,
    pub estimate: Option<String>,
}

pub(super) fn tone(state: RunState) -> &'static str {
    match state {
        RunState::Queued | RunState::Running => "fr-badge--info",
        RunState::Done => "fr-badge--success",
        RunState::Failed => "fr-badge--error",
    }
}

fn outcome(run: &Run) -> Option<Outcome> {
    run.outcome_json
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
}

pub fn row(page: &Page, run: &Run) -> RunRow {
    RunRow {
        id: run.id.clone(),
        title: run.title.clone(),
        state: page.t(&format!("linkage-state-{}", run.state.key())),
        tone: tone(run.state),
        created: page.when(run.created_at.0),
        by: run.created_by.clone().unwrap_or_default(),
        estimate: outcome(run).map(|o| page.decimal(o.estimate.estimate, 0)),
    }
}

pub struct InputView {
    pub name: String,
    pub file_name: String,
    pub records: String,
    pub sha256: String,
}

pub struct HistoryRow {
    /// The sources that counted these persons, in words.
    pub seen_by: String,
    pub persons: String,
}

pub struct ThresholdRow {
    pub threshold: String,
    pub persons: String,
    pub estimate: String,
    pub interval: String,
    pub chosen: bool,
}

pub struct NearRow {
    pub a_source: String,
    pub a_id: String,
    pub b_source: String,
    pub b_id: String,
    pub score: String,
    pub kept: bool,
}

/// One variable's split: each value's persons and estimate.
pub struct StrataView {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<(String, String, String, String)>,
    pub note: String,
}

pub struct OutcomeView {
    /// The threshold used, and how it was chosen, in a sentence.
    pub threshold_used: String,
    /// Estimated precision and recall of the linkage, in a sentence, when they could be.
    pub estimated_quality: Option<String>,
    pub strata: Vec<StrataView>,
    /// The sentence under the estimate: persons seen, unseen, the interval.
    pub detail: String,
    pub quality_lead: String,
    /// How many links one-to-one across sources dropped, in words.
    pub links_dropped: String,
    pub estimate: String,
    pub model: Vec<String>,
    pub histories: Vec<HistoryRow>,
    pub thresholds: Vec<ThresholdRow>,
    pub forest: Forest,
    pub spread: String,
    pub histogram: BarChart,
    pub bins: Vec<(String, String)>,
    pub near: Vec<NearRow>,
    pub warnings: Vec<String>,
}

pub struct RunView {
    pub id: String,
    pub title: String,
    pub state: String,
    pub tone: &'static str,
    pub over: bool,
    pub progress: u8,
    /// When and by whom it was started, in a sentence.
    pub started: String,
    pub finished: Option<String>,
    /// The threshold and the interval asked for, in a sentence.
    pub settings: String,
    pub inputs: Vec<InputView>,
    pub failure: Option<String>,
    pub outcome: Option<OutcomeView>,
}

fn corrupt(what: &str) -> AppError {
    AppError::Internal(format!("linkage run: stored {what} unreadable"))
}

pub fn run(page: &Page, run: &Run) -> Result<RunView, AppError> {
    let settings: Settings = serde_json::from_str(&run.settings_json).map_err(|_| corrupt("settings"))?;
    let inputs: Vec<Input> = serde_json::from_str(&run.inputs_json).map_err(|_| corrupt("inputs"))?;
    let found = match &run.outcome_json {
        Some(json) => Some(serde_json::from_str::<Outcome>(json).map_err(|_| corrupt("outcome"))?),
        None => None,
    };
    Ok(RunView {
        id: run.id.clone(),
        title: run.title.clone(),
        state: page.t(&format!("linkage-state-{}", run.state.key())),
        tone: tone(run.state),
        over: run.state.is_over(),
        progress: run.progress,
        started: page.tr.tn(
            "linkage-started-by",
            &[
                ("when", page.when(run.created_at.0)),
                ("who", run.created_by.clone().unwrap_or_default()),
            ],
        ),
        finished: run
            .finished_at
            .map(|t| page.tr.t1("linkage-finished-at", "when", &page.when(t.0))),
        settings: page.tr.tn(
            "linkage-settings",
            &[
                (
                    "threshold",
                    settings
                        .threshold
                        .map_or_else(|| page.t("linkage-threshold-automatic"), |t| page.decimal(t, 2)),
                ),
                (
                    "replicates",
                    page.t(&format!("linkage-replicates-{}", settings.bootstrap)),
                ),
            ],
        ),
        inputs: inputs
            .iter()
            .map(|i| InputView {
                name: i.name.clone(),
                file_name: i.file_name.clone(),
                records: page.decimal(i.fingerprint.records as f64, 0),
                sha256: i.fingerprint.sha256.clone(),
            })
            .collect(),
        failure: run.failure.clone(),
        outcome: found.map(|o| outcome_view(page, &o)),
    })
}

fn interval(page: &Page, ci: [f64; 2]) -> String {
    page.tr.tn(
        "linkage-interval",
        &[("low", page.decimal(ci[0], 0)), ("high", page.decimal(ci[1], 0))],
    )
}

/// The model's pairs of sources in words; the pair labels are `A:B` of the sources' names.
fn model_in_words(page: &Page, o: &Outcome) -> Vec<String> {
    if o.estimate.model.is_empty() {
        return vec![page.t("linkage-model-independent")];
    }
    let mut words = Vec::new();
    for (i, a) in o.sources.iter().enumerate() {
        for b in &o.sources[i + 1..] {
            if o.estimate.model.contains(&format!("{a}:{b}")) {
                words.push(page.tr.tn("linkage-model-pair", &[("a", a.clone()), ("b", b.clone())]));
            }
        }
    }
    words
}

/// A strata variable's anchor on the page and its key in translations
/// (`linkage-strata-<key>`, and `linkage-<key>-<value>` for sex and age group).
pub(super) fn strata_key(variable: Variable) -> (&'static str, &'static str) {
    match variable {
        Variable::Exploitation => ("strata-exploitation", "exploitation"),
        Variable::Sex => ("strata-sex", "sex"),
        Variable::AgeGroup => ("strata-age", "age-group"),
        Variable::Year => ("strata-year", "year"),
    }
}

fn strata_view(page: &Page, s: &Strata) -> StrataView {
    let (id, key) = strata_key(s.variable);
    let value_label = |value: &str| match s.variable {
        Variable::Year => value.to_owned(),
        Variable::Exploitation => page.t(&format!("form-{value}")),
        Variable::Sex | Variable::AgeGroup => page.t(&format!("linkage-{key}-{value}")),
    };
    StrataView {
        id,
        title: page.t(&format!("linkage-strata-{key}")),
        rows: s
            .values
            .iter()
            .map(|v| {
                (
                    value_label(&v.value),
                    page.decimal(v.persons as f64, 0),
                    v.estimate
                        .map_or_else(|| page.t("linkage-no-estimate"), |e| page.decimal(e, 0)),
                    v.wald_ci.map(|ci| interval(page, ci)).unwrap_or_default(),
                )
            })
            .collect(),
        note: page.tr.tn(
            "linkage-strata-note",
            &[
                ("conflicting", page.decimal(s.conflicting as f64, 0)),
                ("without", page.decimal(s.without_value as f64, 0)),
            ],
        ),
    }
}

fn forest(page: &Page, o: &Outcome) -> Forest {
    let points: Vec<Point> = o
        .sensitivity
        .iter()
        .map(|s| Point {
            label: page
                .tr
                .t1("linkage-at-threshold", "threshold", &page.decimal(s.threshold, 2)),
            estimate: s.estimate,
            low: Some(s.wald_ci[0]),
            high: Some(s.wald_ci[1]),
            chosen: (s.threshold - o.threshold).abs() < 1e-9,
        })
        .collect();
    super::forest::forest(page, &points)
}

fn outcome_view(page: &Page, o: &Outcome) -> OutcomeView {
    let e = &o.estimate;
    let (ci, kind) = match e.bca_ci {
        Some(ci) => (ci, page.t("linkage-interval-kind-bca")),
        None => (e.wald_ci, page.t("linkage-interval-kind-wald")),
    };
    let histories = o
        .histories
        .iter()
        .map(|h| HistoryRow {
            seen_by: h
                .pattern
                .chars()
                .zip(&o.sources)
                .filter(|(c, _)| *c == '1')
                .map(|(_, s)| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            persons: page.decimal(h.persons as f64, 0),
        })
        .collect();
    let thresholds = o
        .sensitivity
        .iter()
        .map(|s| ThresholdRow {
            threshold: page.decimal(s.threshold, 2),
            persons: page.decimal(s.persons as f64, 0),
            estimate: page.decimal(s.estimate, 0),
            interval: interval(page, s.wald_ci),
            chosen: (s.threshold - o.threshold).abs() < 1e-9,
        })
        .collect();
    let low = o.sensitivity.iter().map(|s| s.estimate).fold(f64::INFINITY, f64::min);
    let high = o.sensitivity.iter().map(|s| s.estimate).fold(0.0, f64::max);
    let bin_label = |from: f64| {
        page.tr.tn(
            "linkage-bin",
            &[
                ("from", page.decimal(from, 2)),
                ("to", page.decimal((from + 0.05).min(1.0), 2)),
            ],
        )
    };
    let labels: Vec<String> = o.quality.histogram.iter().map(|b| bin_label(b.from)).collect();
    let figures: Vec<Figure> = o
        .quality
        .histogram
        .iter()
        .map(|b| Figure {
            cell: Published::Count(b.pairs as u64),
            text: page.decimal(b.pairs as f64, 0),
        })
        .collect();
    let threshold_used = match (o.settings.threshold, o.quality.automatic_threshold) {
        (Some(t), _) => page.tr.t1("linkage-threshold-set", "threshold", &page.decimal(t, 2)),
        (None, Some(t)) => page.tr.t1("linkage-threshold-read", "threshold", &page.decimal(t, 2)),
        (None, None) => page
            .tr
            .t1("linkage-threshold-fallback", "threshold", &page.decimal(o.threshold, 2)),
    };
    let estimated_quality = match (o.quality.estimated_precision, o.quality.estimated_recall) {
        (Some(precision), Some(recall)) => Some(page.tr.tn(
            "linkage-estimated-quality",
            &[("precision", page.percent(precision)), ("recall", page.percent(recall))],
        )),
        _ => None,
    };
    OutcomeView {
        threshold_used,
        estimated_quality,
        strata: o.strata.iter().map(|s| strata_view(page, s)).collect(),
        detail: page.tr.tn(
            "linkage-estimate-detail",
            &[
                ("persons", page.decimal(o.persons as f64, 0)),
                ("dark", page.decimal(e.dark_figure, 0)),
                ("interval", interval(page, ci)),
                ("kind", kind),
            ],
        ),
        quality_lead: page.tr.tn(
            "linkage-quality-lead",
            &[
                ("kept", page.decimal(o.quality.pairs_kept as f64, 0)),
                ("above", page.decimal(o.quality.near_above as f64, 0)),
                ("below", page.decimal(o.quality.near_below as f64, 0)),
                ("threshold", page.decimal(o.threshold, 2)),
            ],
        ),
        links_dropped: match o.quality.links_dropped {
            0 => page.t("linkage-quality-dropped-none"),
            1 => page.t("linkage-quality-dropped-one"),
            n => page
                .tr
                .t1("linkage-quality-dropped", "count", &page.decimal(n as f64, 0)),
        },
        estimate: page.decimal(e.estimate, 0),
        model: model_in_words(page, o),
        histories,
        thresholds,
        forest: forest(page, o),
        spread: if low.is_finite() {
            interval(page, [low, high])
        } else {
            String::new()
        },
        bins: labels
            .iter()
            .cloned()
            .zip(figures.iter().map(|f| f.text.clone()))
            .collect(),
        histogram: chart::bars(labels, &figures),
        near: o
            .quality
            .near_pairs
            .iter()
            .map(|p| NearRow {
                a_source: p.a.source.clone(),
                a_id: p.a.id.clone(),
                b_source: p.b.source.clone(),
                b_id: p.b.id.clone(),
                score: page.decimal(p.score, 3),
                kept: p.score >= o.quality.threshold,
            })
            .collect(),
        warnings: e.warnings.clone(),
    }
}
