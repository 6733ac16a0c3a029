//! The BCa bootstrap: resampling cases, re-running the whole selection on each resample, and
//! the jackknife that gives the acceleration.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::bca::{BCA_LEVELS, BcaLimit, acceleration, bca_limits, bias_correction};
use crate::data::Dataset;
use crate::error::MseError;
use crate::{Options, select_model};

/// What the bootstrap produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    /// The estimate of each replicate that could be computed, in replicate order; +∞ where
    /// the resample left nothing to bound the estimate.
    pub replicates: Vec<f64>,
    /// Replicates whose selection failed (a numerical failure), left out of the interval.
    pub failed: usize,
    /// For each observed history, the estimate with one of its cases deleted.
    pub jackknife: Vec<Deletion>,
    /// `â`.
    pub acceleration: f64,
    /// `z0`.
    pub bias_correction: f64,
    /// The limits at [`BCA_LEVELS`], or `None` when `z0` or `â` is not finite.
    pub limits: Option<Vec<BcaLimit>>,
}

/// One jackknife deletion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deletion {
    /// The history (bit mask) a case was deleted from.
    pub history: usize,
    /// Its count before the deletion.
    pub count: u64,
    /// The estimate without that case.
    pub estimate: f64,
}

/// Runs `options.replicates` multinomial resamples of the observed cases over their
/// histories, each through the whole model selection of `options`, in parallel.
///
/// Replicate `i` draws from a ChaCha8 stream numbered `i` under `options.seed`, so the result
/// depends on the seed only, not on the number of threads. `progress` is called with the
/// number of replicates finished so far.
pub fn bootstrap(
    dataset: &Dataset,
    options: &Options,
    estimate: f64,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Bootstrap, MseError> {
    let jackknife = jackknife(dataset, options)?;
    let done = AtomicUsize::new(0);
    let outcomes: Vec<Result<f64, MseError>> = (0..options.replicates)
        .into_par_iter()
        .map(|i| {
            let counts = resample(dataset.counts(), dataset.observed(), options.seed, i);
            let outcome = dataset
                .with_counts(counts)
                .and_then(|resample| replicate_estimate(&resample, options));
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            outcome
        })
        .collect();
    let replicates: Vec<f64> = outcomes.iter().filter_map(|o| o.as_ref().ok().copied()).collect();
    let failed = outcomes.len() - replicates.len();
    let weighted: Vec<(u64, f64)> = jackknife.iter().map(|d| (d.count, d.estimate)).collect();
    let a = acceleration(&weighted);
    let z0 = bias_correction(&replicates, estimate);
    let limits = if a.is_finite() {
        bca_limits(&replicates, estimate, a, &BCA_LEVELS)
    } else {
        None
    };
    Ok(Bootstrap {
        replicates,
        failed,
        jackknife,
        acceleration: a,
        bias_correction: z0,
        limits,
    })
}

/// The estimate with one case of each observed history deleted, in history order.
pub fn jackknife(dataset: &Dataset, options: &Options) -> Result<Vec<Deletion>, MseError> {
    let counts = dataset.counts();
    let histories: Vec<usize> = (1..counts.len())
        .filter(|&h| counts.get(h).is_some_and(|&c| c > 0))
        .collect();
    histories
        .par_iter()
        .map(|&h| {
            let mut reduced = counts.to_vec();
            let mut count = 0;
            if let Some(c) = reduced.get_mut(h) {
                count = *c;
                *c -= 1;
            }
            let estimate = replicate_estimate(&dataset.with_counts(reduced)?, options)?;
            Ok(Deletion {
                history: h,
                count,
                estimate,
            })
        })
        .collect()
}

/// The estimate the selection gives on a perturbed table: lists left empty are dropped, and
/// a table that bounds nothing (no MLE even for main effects, or fewer than two lists) counts
/// as +∞ — the direction in which such data point.
fn replicate_estimate(dataset: &Dataset, options: &Options) -> Result<f64, MseError> {
    let Some(reduced) = dataset.without_empty_lists().0 else {
        return Ok(f64::INFINITY);
    };
    match select_model(&reduced, options) {
        Ok(fit) => Ok(fit.estimate()),
        Err(MseError::NoEstimate) => Ok(f64::INFINITY),
        Err(e) => Err(e),
    }
}

/// Draws `total` cases with replacement from the observed ones and tallies their histories.
pub(crate) fn resample(counts: &[u64], total: u64, seed: u64, replicate: usize) -> Vec<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(replicate as u64);
    let mut cumulative = Vec::with_capacity(counts.len());
    let mut running = 0;
    for &c in counts {
        running += c;
        cumulative.push(running);
    }
    let mut drawn = vec![0_u64; counts.len()];
    for _ in 0..total {
        let case = rng.random_range(0..total);
        // The history of case `case` (0-based) is the first whose running total exceeds it.
        let history = cumulative.partition_point(|&c| c <= case);
        if let Some(d) = drawn.get_mut(history) {
            *d += 1;
        }
    }
    drawn
}
