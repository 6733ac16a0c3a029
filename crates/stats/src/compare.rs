//! The estimation methods side by side (issue 19, part 3): the stepwise and BIC log-linear
//! models with their BCa intervals, the latent-class model with its credible interval, the
//! stepwise estimate at a few thresholds, and the warnings of `docs/statistics/mse.md`
//! ("When not to publish") that apply. The command line (`relais stats mse --method all`) and
//! the observatory's estimate page both show this one result.
//!
//! Limits and estimates that are not finite (an unbounded bootstrap) are `None`, so the result
//! survives a round trip through JSON.

use serde::{Deserialize, Serialize};
use strum::EnumCount;

use crate::bca::BcaLimit;
use crate::data::Dataset;
use crate::error::MseError;
use crate::lcmcr::{LcmcrOptions, estimate_lcmcr_with_progress};
use crate::{DEFAULT_THRESHOLD, MAX_BIC_LISTS, Method, Options, Report, analyse};

/// The stepwise thresholds compared, those `docs/statistics/mse.md` asks to compare.
pub const SENSITIVITY_THRESHOLDS: [f64; 3] = [0.01, 0.02, 0.05];
/// Fewer cases on two lists or more than this, and the estimate rests on "a handful" of
/// people: the overlaps are all MSE learns from.
pub const MIN_SHARED_CASES: u64 = 20;
/// Estimates whose largest is more than this many times the smallest "swing".
pub const SWING: f64 = 1.25;
/// An interval whose upper limit is more than this many times the lower is too imprecise to
/// guide policy.
pub const WIDE: f64 = 3.0;

/// The settings of a comparison: those of each method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompareOptions {
    /// Threshold of the stepwise method.
    pub threshold: f64,
    /// Bootstrap replicates of the log-linear methods' BCa intervals; 0 gives Wald intervals.
    pub replicates: usize,
    /// Seed of the bootstrap and of the chains.
    pub seed: u64,
    /// Latent-class chains (their seed is `seed`).
    pub burnin: usize,
    pub samples: usize,
    pub thinning: usize,
    pub chains: usize,
    pub classes: usize,
}

impl Default for CompareOptions {
    /// Each method's own defaults, as on the command line.
    fn default() -> Self {
        let lcmcr = LcmcrOptions::default();
        Self {
            threshold: DEFAULT_THRESHOLD,
            replicates: Options::default().replicates,
            seed: 1,
            burnin: lcmcr.burnin,
            samples: lcmcr.samples,
            thinning: lcmcr.thinning,
            chains: lcmcr.chains,
            classes: lcmcr.prior.classes,
        }
    }
}

/// The methods compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "lowercase")]
pub enum MethodName {
    Stepwise,
    Bic,
    Lcmcr,
}

impl MethodName {
    pub const ALL: [Self; Self::COUNT] = [Self::Stepwise, Self::Bic, Self::Lcmcr];

    /// Its name in JSON and the key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::Stepwise => "stepwise",
            Self::Bic => "bic",
            Self::Lcmcr => "lcmcr",
        }
    }
}

/// What a 95 % interval is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntervalKind {
    /// BCa bootstrap, model choice included.
    Bca,
    /// Log-normal Wald, conditional on the model (no bootstrap asked for, or it failed).
    Wald,
    /// Bayesian credible interval.
    Credible,
}

/// A log-linear method's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogLinear {
    pub estimate: Option<f64>,
    /// The chosen model's pairs, as `A:B`.
    pub model: Vec<String>,
    /// Pairs fitted at −∞ because their lists share no case.
    pub excluded_pairs: Vec<String>,
    pub wald_ci: [Option<f64>; 2],
    /// The 95 % BCa interval, when the bootstrap gave one.
    pub bca_ci: Option<[Option<f64>; 2]>,
    /// Replicates left out after a numerical failure.
    pub failed_replicates: usize,
}

impl LogLinear {
    fn from_report(report: &Report) -> Self {
        Self {
            estimate: finite(report.estimate),
            model: report.model.clone(),
            excluded_pairs: report.excluded_pairs.clone(),
            wald_ci: report.wald_ci.map(finite),
            bca_ci: report.bca_ci.as_deref().map(bca95),
            failed_replicates: report.bootstrap.map_or(0, |b| b.failed),
        }
    }

    /// The interval to show: BCa when there is one, else Wald.
    pub fn interval(&self) -> ([Option<f64>; 2], IntervalKind) {
        match self.bca_ci {
            Some(limits) => (limits, IntervalKind::Bca),
            None => (self.wald_ci, IntervalKind::Wald),
        }
    }
}

/// The latent-class method's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatentClass {
    pub estimate: Option<f64>,
    pub credible_interval: [Option<f64>; 2],
    /// Each chain's median.
    pub chains: Vec<Option<f64>>,
    pub rhat: Option<f64>,
    pub ess: Option<f64>,
    pub converged: bool,
}

/// The stepwise estimate at one threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AtThreshold {
    pub threshold: f64,
    /// `None` when the method failed at this threshold.
    pub result: Option<LogLinear>,
}

/// One line of the side-by-side table and one point of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub method: MethodName,
    pub estimate: Option<f64>,
    pub interval: [Option<f64>; 2],
    pub kind: IntervalKind,
}

/// Something that makes the figures doubtful, each from `docs/statistics/mse.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Lists holding no case, left out.
    EmptyLists { lists: Vec<String> },
    /// Pairs of lists that share no case: their dependence cannot be measured.
    NonOverlapping { pairs: Vec<String> },
    /// Few cases are on more than one list.
    FewSharedCases { shared: u64 },
    /// The latent-class chains disagree.
    NotConverged { rhat: Option<f64>, ess: Option<f64> },
    /// A method gave no estimate.
    MethodFailed { method: MethodName, reason: String },
    /// More lists than the BIC search takes.
    BicTooManyLists { lists: usize, max: usize },
    /// A method's interval has no finite limit, or could not be computed.
    Unbounded { method: MethodName },
    /// A method's upper limit is more than [`WIDE`] times its lower limit.
    Wide { method: MethodName, ratio: f64 },
    /// The stepwise estimate changes with the threshold by more than [`SWING`].
    ThresholdSwing { low: f64, high: f64 },
    /// The methods' estimates differ by more than [`SWING`].
    MethodsDisagree { low: f64, high: f64 },
}

impl Warning {
    /// In English words, for the command line (the pages have their own, translated).
    pub fn message(&self) -> String {
        match self {
            Self::EmptyLists { lists } => format!("lists that hold no case were left out: {}", lists.join(", ")),
            Self::NonOverlapping { pairs } => format!(
                "some lists share no case ({}): how they depend on each other cannot be measured, and the estimate may be very uncertain or unbounded",
                pairs.join(", ")
            ),
            Self::FewSharedCases { shared } => {
                format!("only {shared} cases are on more than one list: the estimate rests on very few people")
            }
            Self::NotConverged { .. } => {
                "the latent-class chains did not converge: its figures are not reliable, do not publish them".to_owned()
            }
            Self::MethodFailed { method, reason } => format!("{}: no estimate ({reason})", method.key()),
            Self::BicTooManyLists { lists, max } => {
                format!("bic: {lists} lists, the BIC search takes at most {max}: no estimate")
            }
            Self::Unbounded { method } => format!(
                "{}: the interval has no finite limit or could not be computed: do not publish",
                method.key()
            ),
            Self::Wide { method, ratio } => format!(
                "{}: the upper limit is {ratio:.1} times the lower one: too imprecise to guide policy",
                method.key()
            ),
            Self::ThresholdSwing { low, high } => format!(
                "the stepwise estimate moves from {low:.0} to {high:.0} with the threshold: the data cannot tell models apart"
            ),
            Self::MethodsDisagree { low, high } => format!(
                "the methods' estimates range from {low:.0} to {high:.0}: report that uncertainty, not one figure"
            ),
        }
    }
}

/// The three methods, the stepwise sensitivity and the warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The lists compared (those holding a case).
    pub lists: Vec<String>,
    pub observed: u64,
    /// `None` when the method failed (said in `warnings`).
    pub stepwise: Option<LogLinear>,
    pub bic: Option<LogLinear>,
    pub lcmcr: Option<LatentClass>,
    pub sensitivity: Vec<AtThreshold>,
    pub warnings: Vec<Warning>,
    pub settings: CompareOptions,
}

impl Comparison {
    /// One line per method, in [`MethodName::ALL`] order, failed ones without figures.
    pub fn lines(&self) -> Vec<Line> {
        let log_linear = |method, result: &Option<LogLinear>| {
            let (interval, kind) = result
                .as_ref()
                .map_or(([None, None], IntervalKind::Wald), LogLinear::interval);
            Line {
                method,
                estimate: result.as_ref().and_then(|r| r.estimate),
                interval,
                kind,
            }
        };
        vec![
            log_linear(MethodName::Stepwise, &self.stepwise),
            log_linear(MethodName::Bic, &self.bic),
            Line {
                method: MethodName::Lcmcr,
                estimate: self.lcmcr.as_ref().and_then(|l| l.estimate),
                interval: self.lcmcr.as_ref().map_or([None, None], |l| l.credible_interval),
                kind: IntervalKind::Credible,
            },
        ]
    }
}

/// Shares of the work, so that a progress bar moves evenly: the stepwise bootstrap, the BIC
/// bootstrap, the other thresholds, then the chains.
const STEPWISE_DONE: u8 = 25;
const BIC_DONE: u8 = 50;
const SENSITIVITY_DONE: u8 = 70;

/// Runs the three methods on `dataset` and compares them, telling `progress` the share done
/// (0 to 100). Fails only when the table itself cannot be estimated from (fewer than two lists
/// holding a case); a method that fails is reported in the warnings.
pub fn compare(
    dataset: &Dataset,
    options: &CompareOptions,
    progress: &(dyn Fn(u8) + Sync),
) -> Result<Comparison, MseError> {
    if !(0.0..=1.0).contains(&options.threshold) {
        return Err(MseError::InvalidThreshold(options.threshold));
    }
    let (reduced, dropped) = dataset.without_empty_lists();
    let dataset = reduced.ok_or(MseError::TooFewNonEmptyLists)?;
    let mut warnings = Vec::new();
    if !dropped.is_empty() {
        warnings.push(Warning::EmptyLists { lists: dropped });
    }
    warnings.extend(table_warnings(&dataset));
    let log_linear = |method, threshold, from: u8, to: u8| {
        let options = Options {
            method,
            threshold,
            replicates: options.replicates,
            seed: options.seed,
        };
        let replicates = options.replicates.max(1);
        let step = |done: usize| progress(from + scaled(done, replicates, to - from));
        let result = analyse(&dataset, &options, &step).map(|r| LogLinear::from_report(&r));
        progress(to);
        result
    };
    let mut failed = |method: MethodName, error: MseError| {
        warnings.push(Warning::MethodFailed {
            method,
            reason: error.to_string(),
        });
    };
    let stepwise = log_linear(Method::Stepwise, options.threshold, 0, STEPWISE_DONE)
        .map_err(|e| failed(MethodName::Stepwise, e))
        .ok();
    let bic = if dataset.list_count() > MAX_BIC_LISTS {
        progress(BIC_DONE);
        None
    } else {
        log_linear(Method::Bic, 0.0, STEPWISE_DONE, BIC_DONE)
            .map_err(|e| failed(MethodName::Bic, e))
            .ok()
    };
    let others: Vec<f64> = SENSITIVITY_THRESHOLDS
        .into_iter()
        .filter(|t| (t - options.threshold).abs() > 1e-12)
        .collect();
    let share = (SENSITIVITY_DONE - BIC_DONE) / u8::try_from(others.len().max(1)).unwrap_or(1);
    let mut sensitivity = Vec::new();
    let mut next = BIC_DONE;
    for threshold in SENSITIVITY_THRESHOLDS.into_iter().chain([options.threshold]) {
        if sensitivity
            .iter()
            .any(|a: &AtThreshold| (a.threshold - threshold).abs() <= 1e-12)
        {
            continue;
        }
        let result = if (threshold - options.threshold).abs() <= 1e-12 {
            stepwise.clone()
        } else {
            next += share;
            log_linear(Method::Stepwise, threshold, next - share, next).ok()
        };
        sensitivity.push(AtThreshold { threshold, result });
    }
    sensitivity.sort_by(|a, b| a.threshold.total_cmp(&b.threshold));
    progress(SENSITIVITY_DONE);
    let lcmcr_options = LcmcrOptions {
        prior: crate::Prior {
            classes: options.classes,
            ..crate::Prior::default()
        },
        burnin: options.burnin,
        samples: options.samples,
        thinning: options.thinning,
        chains: options.chains,
        seed: options.seed,
    };
    let sweeps = lcmcr_options.total_sweeps().max(1);
    let lcmcr_progress = |done: u64| {
        let share = done.min(sweeps) * u64::from(100 - SENSITIVITY_DONE) / sweeps;
        progress(SENSITIVITY_DONE + u8::try_from(share).unwrap_or(100 - SENSITIVITY_DONE));
    };
    let lcmcr = match estimate_lcmcr_with_progress(&dataset, &lcmcr_options, &lcmcr_progress) {
        Ok(report) => Some(LatentClass {
            estimate: finite(report.estimate),
            credible_interval: report.credible_interval.map(finite),
            chains: report.chains.iter().copied().map(finite).collect(),
            rhat: finite(report.diagnostics.rhat),
            ess: finite(report.diagnostics.ess),
            converged: report.diagnostics.converged,
        }),
        Err(error) => {
            warnings.push(Warning::MethodFailed {
                method: MethodName::Lcmcr,
                reason: error.to_string(),
            });
            None
        }
    };
    progress(100);
    if dataset.list_count() > MAX_BIC_LISTS {
        warnings.push(Warning::BicTooManyLists {
            lists: dataset.list_count(),
            max: MAX_BIC_LISTS,
        });
    }
    let mut comparison = Comparison {
        lists: dataset.lists().to_vec(),
        observed: dataset.observed(),
        stepwise,
        bic,
        lcmcr,
        sensitivity,
        warnings,
        settings: *options,
    };
    let found = result_warnings(&comparison);
    comparison.warnings.extend(found);
    Ok(comparison)
}

fn scaled(done: usize, total: usize, span: u8) -> u8 {
    u8::try_from(done.min(total) * usize::from(span) / total).unwrap_or(span)
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// The 95 % limits among the BCa levels.
fn bca95(limits: &[BcaLimit]) -> [Option<f64>; 2] {
    let at = |level: f64| {
        limits
            .iter()
            .find(|l| (l.level - level).abs() < 1e-9)
            .and_then(|l| finite(l.value))
    };
    [at(0.025), at(0.975)]
}

/// What the table alone says: lists that never meet, few people on several lists.
fn table_warnings(dataset: &Dataset) -> Vec<Warning> {
    let t = dataset.list_count();
    let mut warnings = Vec::new();
    let pairs: Vec<String> = crate::all_pairs(t)
        .into_iter()
        .filter(|&(i, j)| dataset.overlap(i, j) == 0)
        .map(|p| dataset.pair_label(p))
        .collect();
    if !pairs.is_empty() {
        warnings.push(Warning::NonOverlapping { pairs });
    }
    let shared: u64 = dataset
        .counts()
        .iter()
        .enumerate()
        .filter(|(history, _)| history.count_ones() >= 2)
        .map(|(_, &count)| count)
        .sum();
    if shared < MIN_SHARED_CASES {
        warnings.push(Warning::FewSharedCases { shared });
    }
    warnings
}

/// What the results say: chains that disagree, intervals without limits or too wide,
/// estimates that swing.
fn result_warnings(comparison: &Comparison) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if let Some(lcmcr) = comparison.lcmcr.as_ref().filter(|l| !l.converged) {
        warnings.push(Warning::NotConverged {
            rhat: lcmcr.rhat,
            ess: lcmcr.ess,
        });
    }
    for line in comparison.lines().iter().filter(|l| l.estimate.is_some()) {
        match line.interval {
            [Some(low), Some(high)] if low > 0.0 && high / low > WIDE => warnings.push(Warning::Wide {
                method: line.method,
                ratio: high / low,
            }),
            [Some(_), Some(_)] => {}
            _ => warnings.push(Warning::Unbounded { method: line.method }),
        }
    }
    let thresholds: Vec<f64> = comparison
        .sensitivity
        .iter()
        .filter_map(|a| a.result.as_ref().and_then(|r| r.estimate))
        .collect();
    if let Some((low, high)) = swing(&thresholds) {
        warnings.push(Warning::ThresholdSwing { low, high });
    }
    let methods: Vec<f64> = comparison.lines().iter().filter_map(|l| l.estimate).collect();
    if let Some((low, high)) = swing(&methods) {
        warnings.push(Warning::MethodsDisagree { low, high });
    }
    warnings
}

/// The smallest and largest of `estimates` when the largest is more than [`SWING`] times the
/// smallest.
fn swing(estimates: &[f64]) -> Option<(f64, f64)> {
    let low = estimates.iter().copied().reduce(f64::min)?;
    let high = estimates.iter().copied().reduce(f64::max)?;
    (low > 0.0 && high / low > SWING).then_some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three lists: histories 001, 010, 011, 100, 101, 110, 111.
    fn table(counts: [u64; 7]) -> Dataset {
        let mut all = vec![0];
        all.extend(counts);
        Dataset::new(vec!["A".into(), "B".into(), "C".into()], all).unwrap()
    }

    fn quick() -> CompareOptions {
        CompareOptions {
            replicates: 50,
            burnin: 200,
            samples: 200,
            thinning: 2,
            chains: 2,
            ..CompareOptions::default()
        }
    }

    fn kinds(comparison: &Comparison) -> Vec<&'static str> {
        comparison
            .warnings
            .iter()
            .map(|w| match w {
                Warning::EmptyLists { .. } => "empty",
                Warning::NonOverlapping { .. } => "non-overlapping",
                Warning::FewSharedCases { .. } => "few-shared",
                Warning::NotConverged { .. } => "not-converged",
                Warning::MethodFailed { .. } => "failed",
                Warning::BicTooManyLists { .. } => "bic-lists",
                Warning::Unbounded { .. } => "unbounded",
                Warning::Wide { .. } => "wide",
                Warning::ThresholdSwing { .. } => "threshold-swing",
                Warning::MethodsDisagree { .. } => "disagree",
            })
            .collect()
    }

    #[test]
    fn the_three_methods_come_side_by_side_with_the_stepwise_sensitivity() {
        let data = table([300, 250, 40, 280, 35, 30, 8]);
        let moves = std::sync::Mutex::new(Vec::new());
        let comparison = compare(&data, &quick(), &|p| moves.lock().unwrap().push(p)).unwrap();
        let lines = comparison.lines();
        assert_eq!(
            lines.iter().map(|l| l.method).collect::<Vec<_>>(),
            MethodName::ALL.to_vec()
        );
        for line in &lines {
            let estimate = line.estimate.unwrap();
            assert!(estimate >= 943.0, "{line:?}");
            let [low, high] = line.interval;
            assert!(low.unwrap() <= estimate && estimate <= high.unwrap(), "{line:?}");
        }
        assert_eq!(lines[0].kind, IntervalKind::Bca);
        assert_eq!(lines[2].kind, IntervalKind::Credible);
        let thresholds: Vec<f64> = comparison.sensitivity.iter().map(|a| a.threshold).collect();
        assert_eq!(thresholds, SENSITIVITY_THRESHOLDS);
        assert_eq!(comparison.sensitivity[1].result, comparison.stepwise);
        let moves = moves.into_inner().unwrap();
        assert!(moves.windows(2).all(|w| w[0] <= w[1]), "progress only moves forward");
        assert_eq!(moves.last(), Some(&100));
        let json = serde_json::to_string(&comparison).unwrap();
        let read: Comparison = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (read.lists, read.warnings.len()),
            (comparison.lists.clone(), comparison.warnings.len())
        );
    }

    #[test]
    fn lists_that_never_meet_and_few_shared_cases_are_said() {
        // A and C share no case; four people are on two lists.
        let data = table([40, 30, 2, 50, 0, 2, 0]);
        let comparison = compare(&data, &quick(), &|_| {}).unwrap();
        let found = kinds(&comparison);
        assert!(found.contains(&"non-overlapping"), "{found:?}");
        assert!(found.contains(&"few-shared"), "{found:?}");
        assert!(comparison.warnings.contains(&Warning::NonOverlapping {
            pairs: vec!["A:C".into()]
        }));
        assert!(comparison.warnings.contains(&Warning::FewSharedCases { shared: 4 }));
    }

    #[test]
    fn chains_too_short_to_agree_are_said_and_a_well_overlapping_table_is_not_warned_about_its_lists() {
        let data = table([300, 250, 40, 280, 35, 30, 8]);
        let short = CompareOptions {
            burnin: 0,
            samples: 8,
            thinning: 1,
            ..quick()
        };
        let comparison = compare(&data, &short, &|_| {}).unwrap();
        let found = kinds(&comparison);
        assert!(found.contains(&"not-converged"), "{found:?}");
        assert!(
            !found.contains(&"non-overlapping") && !found.contains(&"few-shared"),
            "{found:?}"
        );
    }

    #[test]
    fn swings_and_wide_intervals_are_measured() {
        assert_eq!(swing(&[100.0, 120.0]), None);
        assert_eq!(swing(&[100.0, 130.0, 110.0]), Some((100.0, 130.0)));
        assert_eq!(swing(&[]), None);
        let mut comparison = compare(&table([300, 250, 40, 280, 35, 30, 8]), &quick(), &|_| {}).unwrap();
        comparison.warnings.clear();
        if let Some(stepwise) = comparison.stepwise.as_mut() {
            stepwise.bca_ci = Some([Some(1000.0), None]);
        }
        if let Some(bic) = comparison.bic.as_mut() {
            bic.bca_ci = Some([Some(1000.0), Some(3500.0)]);
        }
        let found = result_warnings(&comparison);
        assert!(found.contains(&Warning::Unbounded {
            method: MethodName::Stepwise
        }));
        assert!(found.contains(&Warning::Wide {
            method: MethodName::Bic,
            ratio: 3.5
        }));
    }

    #[test]
    fn an_empty_list_is_left_out_and_said() {
        let data = Dataset::new(
            vec!["A".into(), "B".into(), "C".into()],
            vec![0, 300, 250, 40, 0, 0, 0, 0],
        )
        .unwrap();
        let comparison = compare(&data, &quick(), &|_| {}).unwrap();
        assert_eq!(comparison.lists, ["A", "B"]);
        assert_eq!(
            comparison.warnings[0],
            Warning::EmptyLists {
                lists: vec!["C".into()]
            }
        );
    }
}
