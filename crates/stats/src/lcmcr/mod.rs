//! Bayesian non-parametric latent-class estimation (LCMCR; Manrique-Vallier 2016,
//! "Bayesian population size estimation using Dirichlet process mixtures", *Biometrics*
//! 72(4)), written from the paper and its supplement.
//!
//! Each person belongs to one of at most `K` latent classes; within a class the lists are
//! independent, with their own capture probabilities. Dependence between lists that comes from
//! people differing in how visible they are — which pairwise log-linear terms capture poorly —
//! is what the classes model. Several chains run in parallel; the report pools them and says
//! whether they agree.

mod diagnostics;
mod draws;
mod prior;
mod sampler;

use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;

pub use prior::Prior;

use crate::data::Dataset;
use crate::error::MseError;
use crate::timeliness::quantile;
use diagnostics::{effective_sample_size, split_rhat};
use sampler::{Histories, Schedule, run_chain};

/// R-hat must be below this, and the effective sample size at least [`MIN_ESS`], for the
/// chains to count as converged.
pub const MAX_RHAT: f64 = 1.1;
/// See [`MAX_RHAT`].
pub const MIN_ESS: f64 = 400.0;

/// The settings of a latent-class estimation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LcmcrOptions {
    /// Truncation and prior on the concentration.
    #[serde(flatten)]
    pub prior: Prior,
    /// Iterations dropped at the start of each chain.
    pub burnin: usize,
    /// Draws kept per chain.
    pub samples: usize,
    /// Iterations per kept draw.
    pub thinning: usize,
    /// Number of chains.
    pub chains: usize,
    /// Seed: the same seed gives the same draws, whatever the number of threads.
    pub seed: u64,
}

impl Default for LcmcrOptions {
    /// Issue 19's defaults, those of the reference package's examples: `K = 10`,
    /// `a = b = 0.25`, burn-in 50,000, 5,000 draws kept one in 50, 4 chains.
    fn default() -> Self {
        Self {
            prior: Prior::default(),
            burnin: 50_000,
            samples: 5_000,
            thinning: 50,
            chains: 4,
            seed: 1,
        }
    }
}

impl LcmcrOptions {
    /// Sweeps of the sampler over all chains: what [`estimate_lcmcr_with_progress`] counts up to.
    pub fn total_sweeps(&self) -> u64 {
        let per_chain = self.burnin as u64 + self.samples as u64 * self.thinning as u64;
        per_chain * self.chains as u64
    }
}

/// Whether the chains can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LcmcrDiagnostics {
    /// Split R-hat of `N` over the chains.
    pub rhat: f64,
    /// Effective sample size of `N`, all chains together.
    pub ess: f64,
    /// R-hat below 1.1 and an effective sample size of at least 400.
    pub converged: bool,
}

/// The outcome of [`estimate_lcmcr`]; its JSON form is the output of
/// `relais stats mse --method lcmcr --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LcmcrReport {
    /// Always `lcmcr`.
    pub method: &'static str,
    /// Cases seen by at least one list.
    pub observed: u64,
    /// Posterior median of the population size, all chains pooled.
    pub estimate: f64,
    /// 2.5 % and 97.5 % posterior quantiles of the population size.
    pub credible_interval: [f64; 2],
    /// Posterior median of each chain.
    pub chains: Vec<f64>,
    /// Convergence diagnostics.
    pub diagnostics: LcmcrDiagnostics,
    /// The settings used.
    pub settings: LcmcrOptions,
}

/// The most latent classes a chain runs with (ten by default; the paper's analyses use up to
/// a few dozen).
pub const MAX_CLASSES: usize = 64;

/// Runs `options.chains` chains of the Gibbs sampler in parallel and summarises the
/// posterior of the population size.
pub fn estimate_lcmcr(dataset: &Dataset, options: &LcmcrOptions) -> Result<LcmcrReport, MseError> {
    estimate_lcmcr_with_progress(dataset, options, &|_| {})
}

/// [`estimate_lcmcr`], telling `progress` the sweeps done so far, all chains together, out of
/// [`LcmcrOptions::total_sweeps`] (every 1,000 sweeps of a chain and at its end, from the
/// thread running it, in increasing order), so that a progress bar moves during the run.
pub fn estimate_lcmcr_with_progress(
    dataset: &Dataset,
    options: &LcmcrOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LcmcrReport, MseError> {
    check(options)?;
    let histories = Histories::new(dataset);
    let schedule = Schedule {
        burnin: options.burnin,
        samples: options.samples,
        thinning: options.thinning,
    };
    let done = Mutex::new(0);
    let chains: Vec<Vec<f64>> = (0..options.chains as u64)
        .into_par_iter()
        .map(|chain| {
            // Under a lock, so that the calls from several threads arrive in increasing order.
            let report = |sweeps: u64| {
                if let Ok(mut done) = done.lock() {
                    *done += sweeps;
                    progress(*done);
                }
            };
            run_chain(&histories, &options.prior, schedule, options.seed, chain, &report)
        })
        .collect::<Result<_, _>>()?;
    let median = |draws: &[f64]| {
        let mut sorted = draws.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted
    };
    let pooled = median(&chains.concat());
    let at = |sorted: &[f64], p: f64| quantile(sorted, p).unwrap_or(f64::NAN);
    let rhat = split_rhat(&chains);
    let ess = effective_sample_size(&chains);
    Ok(LcmcrReport {
        method: "lcmcr",
        observed: dataset.observed(),
        estimate: at(&pooled, 0.5),
        credible_interval: [at(&pooled, 0.025), at(&pooled, 0.975)],
        chains: chains.iter().map(|c| at(&median(c), 0.5)).collect(),
        diagnostics: LcmcrDiagnostics {
            rhat,
            ess,
            converged: rhat < MAX_RHAT && ess >= MIN_ESS,
        },
        settings: *options,
    })
}

fn check(options: &LcmcrOptions) -> Result<(), MseError> {
    let at_least = |setting: &'static str, value: usize, minimum: usize| {
        if value < minimum {
            Err(MseError::InvalidLcmcrSetting {
                setting,
                value,
                minimum,
            })
        } else {
            Ok(())
        }
    };
    at_least("classes", options.prior.classes, 1)?;
    if options.prior.classes > MAX_CLASSES {
        return Err(MseError::TooManyLcmcrClasses {
            value: options.prior.classes,
            maximum: MAX_CLASSES,
        });
    }
    at_least("samples", options.samples, 4)?;
    at_least("thinning", options.thinning, 1)?;
    at_least("chains", options.chains, 1)?;
    let positive = options.prior.alpha_shape > 0.0 && options.prior.alpha_rate > 0.0;
    if positive {
        Ok(())
    } else {
        Err(MseError::InvalidAlphaPrior)
    }
}
