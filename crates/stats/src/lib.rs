//! relais-stats: statistics for the observatory, starting with multiple systems estimation
//! (MSE) — how many victims of trafficking no list has seen, from how the lists overlap —
//! and the official figures from the cases (equal access, timeliness) under one
//! disclosure policy.
//!
//! Pure computation: no I/O. [`Dataset::from_csv`] reads a table from text and [`analyse`]
//! runs the whole analysis into a serialisable [`Report`].

mod audit;
mod bca;
mod bic;
mod bootstrap;
mod compare;
mod data;
mod design;
mod disclosure;
mod equal_access;
mod error;
mod existence;
mod glm;
mod interval;
mod lattice;
mod lcmcr;
mod linalg;
pub mod linkage;
mod model;
mod noise;
mod normal;
mod stepwise;
mod timeliness;
mod two_way;

use serde::{Serialize, Serializer};

pub use audit::{AuditError, FeasibleInterval, audit, audit_linked};
pub use bca::{BCA_LEVELS, BcaLimit, acceleration, adjusted_level, bca_limits, bias_correction, quantile_type8};
pub use bic::{MAX_BIC_LISTS, select_bic};
pub use bootstrap::{Bootstrap, Deletion, bootstrap, jackknife};
pub use compare::{
    AtThreshold, CompareOptions, Comparison, IntervalKind, LatentClass, Line, LogLinear, MIN_SHARED_CASES, MethodName,
    SENSITIVITY_THRESHOLDS, SWING, WIDE, Warning, compare,
};
pub use data::{Dataset, MAX_LISTS, ParsedTable};
pub use design::{Pair, all_pairs};
pub use disclosure::{Cell, DEFAULT_MIN_GROUP, Disclosure};
pub use equal_access::{CaseRow, DEFAULT_MARGIN, Dimension, GroupFigures, Metric, Monitoring, monitor};
pub use error::MseError;
pub use existence::{Existence, check_existence};
pub use interval::wald_interval;
pub use lcmcr::{
    LcmcrDiagnostics, LcmcrOptions, LcmcrReport, MAX_CLASSES, MAX_RHAT, MIN_ESS, Prior, estimate_lcmcr,
    estimate_lcmcr_with_progress,
};
pub use model::{ModelFit, fit_model};
pub use noise::{Epsilon, noisy};
pub use stepwise::{DEFAULT_THRESHOLD, select_stepwise};
pub use timeliness::{CaseWaits, GroupSpread, Spread, Timeliness, days_between, quantile, spread, timeliness};
pub use two_way::{ProtectedTable, Published, TableShapeError, TwoWayTable};

/// How the model is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Stepwise addition of pairs while their p-value is below the threshold (SparseMSE).
    Stepwise,
    /// Lowest BIC over every model with pairwise interactions (MultipleSystemsEstimation).
    Bic,
}

/// The settings of an analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Model selection.
    pub method: Method,
    /// p-value threshold of the stepwise selection, in [0, 1].
    pub threshold: f64,
    /// Bootstrap replicates for the BCa interval; 0 skips the bootstrap.
    pub replicates: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            method: Method::Stepwise,
            threshold: DEFAULT_THRESHOLD,
            replicates: 1000,
            seed: 1,
        }
    }
}

/// The bootstrap settings behind a BCa interval, so it can be reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapSummary {
    /// Replicates asked for.
    pub replicates: usize,
    /// Seed used.
    pub seed: u64,
    /// Replicates left out after a numerical failure.
    pub failed: usize,
}

/// The outcome of [`analyse`]; its JSON form is the output of `relais stats mse --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Cases seen by at least one list.
    pub observed: u64,
    /// Estimated population: seen plus unseen.
    pub estimate: f64,
    /// Estimated number of cases no list saw.
    pub dark_figure: f64,
    /// Pairwise interactions of the chosen model, as `A:E`, in the order they were chosen.
    pub model: Vec<String>,
    /// Pairs of the model fitted at −∞ because their lists share no case.
    pub excluded_pairs: Vec<String>,
    /// 95 % log-normal Wald interval for the population.
    pub wald_ci: [f64; 2],
    /// BCa bootstrap limits by level (0.025 … 0.975), when bootstrapped.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "serialize_limits")]
    pub bca_ci: Option<Vec<BcaLimit>>,
    /// Residual deviance of the chosen model.
    pub deviance: f64,
    /// Its residual degrees of freedom.
    pub df: usize,
    /// Its AIC.
    pub aic: f64,
    /// How it was chosen.
    pub method: Method,
    /// The stepwise threshold (absent for BIC).
    pub threshold: Option<f64>,
    /// The bootstrap settings, when bootstrapped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapSummary>,
    /// Things to tell the user that are not part of the result.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// Chooses and fits the model as `options` say.
pub fn select_model(dataset: &Dataset, options: &Options) -> Result<ModelFit, MseError> {
    match options.method {
        Method::Stepwise => select_stepwise(dataset, options.threshold),
        Method::Bic => select_bic(dataset),
    }
}

/// The whole analysis: model selection, Wald interval and, when `options.replicates > 0`,
/// the BCa bootstrap, reporting progress through `progress` (replicates done so far).
///
/// Lists that hold no case are dropped first, with a warning.
pub fn analyse(dataset: &Dataset, options: &Options, progress: &(dyn Fn(usize) + Sync)) -> Result<Report, MseError> {
    if !(0.0..=1.0).contains(&options.threshold) {
        return Err(MseError::InvalidThreshold(options.threshold));
    }
    let (reduced, dropped) = dataset.without_empty_lists();
    let mut warnings: Vec<String> = dropped
        .iter()
        .map(|name| format!("list {name:?} holds no case and was left out"))
        .collect();
    let dataset = reduced.ok_or(MseError::TooFewNonEmptyLists)?;
    let fit = select_model(&dataset, options)?;
    let estimate = fit.estimate();
    let mut report = Report {
        observed: fit.observed,
        estimate,
        dark_figure: fit.dark_figure(),
        model: fit.pairs.iter().map(|&p| dataset.pair_label(p)).collect(),
        excluded_pairs: fit.infinite_pairs.iter().map(|&p| dataset.pair_label(p)).collect(),
        wald_ci: wald_interval(&fit, 0.95),
        bca_ci: None,
        deviance: fit.deviance,
        df: fit.df,
        aic: fit.aic(),
        method: options.method,
        threshold: (options.method == Method::Stepwise).then_some(options.threshold),
        bootstrap: None,
        warnings: Vec::new(),
    };
    if options.replicates > 0 {
        let boot = bootstrap(&dataset, options, estimate, progress)?;
        if boot.failed > 0 {
            warnings.push(format!(
                "{} of {} bootstrap replicates failed numerically and were left out",
                boot.failed, options.replicates
            ));
        }
        if boot.limits.is_none() {
            warnings.push("no BCa interval: the bootstrap or jackknife estimates are degenerate".to_owned());
        }
        report.bca_ci = boot.limits;
        report.bootstrap = Some(BootstrapSummary {
            replicates: options.replicates,
            seed: options.seed,
            failed: boot.failed,
        });
    }
    report.warnings = warnings;
    Ok(report)
}

fn serialize_limits<S: Serializer>(limits: &Option<Vec<BcaLimit>>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(
        limits
            .iter()
            .flatten()
            .map(|limit| (limit.level.to_string(), limit.value)),
    )
}
