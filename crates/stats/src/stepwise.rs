//! Stepwise selection of pairwise interactions with a p-value threshold (Chan, Silverman &
//! Vincent 2021).

use statrs::distribution::{DiscreteCDF, Poisson};

use crate::data::Dataset;
use crate::design::{Pair, all_pairs, pair_mask};
use crate::error::MseError;
use crate::existence::check_existence;
use crate::lattice::superset_sums;
use crate::model::{ModelFit, fit_model};

/// The reference's default threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.02;

/// Starts from main effects and adds, one at a time, the pair whose observed overlap is least
/// compatible with the current fit, while its p-value is below `threshold`.
///
/// For a pair `(i, j)` outside the model, `N*_ij` (cases on both lists) is compared with
/// `X ~ Poisson(λ*)`, `λ*` the fitted count of those cases, by
/// `p = min(P(X ≤ N*), P(X ≥ N*))`. A pair whose model fails the existence check counts as
/// `p = 1`; ties go to the first pair in (1,2), (1,3), … order.
pub fn select_stepwise(dataset: &Dataset, threshold: f64) -> Result<ModelFit, MseError> {
    if !(0.0..=1.0).contains(&threshold) {
        return Err(MseError::InvalidThreshold(threshold));
    }
    if !check_existence(dataset, &[])?.is_ok() {
        return Err(MseError::NoEstimate);
    }
    let mut fit = fit_model(dataset, &[])?;
    let pairs = all_pairs(dataset.list_count());
    loop {
        // λ*_ij for every pair at once: the fitted counts summed over the supersets of {i, j}.
        let mut fitted = fit.fitted.clone();
        superset_sums(&mut fitted);
        let mut candidates: Vec<(f64, Pair)> = Vec::new();
        for &pair in pairs.iter().filter(|p| !fit.pairs.contains(p)) {
            let lambda = fitted.get(pair_mask(pair)).copied().unwrap_or(f64::NAN);
            let observed = dataset.overlap(pair.0, pair.1);
            candidates.push((overlap_p_value(observed, lambda)?, pair));
        }
        // The stable sort keeps the reference order among equal p-values. Only the best
        // candidates below the threshold need the (costly) existence check: one that fails
        // would have p = 1, which no threshold ≤ 1 accepts.
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut chosen = None;
        for &(_, pair) in candidates.iter().take_while(|(p, _)| *p < threshold) {
            let mut model = fit.pairs.clone();
            model.push(pair);
            if check_existence(dataset, &model)?.is_ok() {
                chosen = Some(model);
                break;
            }
        }
        match chosen {
            Some(model) => fit = fit_model(dataset, &model)?,
            None => return Ok(fit),
        }
    }
}

/// `min(P(X ≤ observed), P(X ≥ observed))` for `X ~ Poisson(lambda)`.
fn overlap_p_value(observed: u64, lambda: f64) -> Result<f64, MseError> {
    if lambda.is_nan() {
        return Err(MseError::NotConverged);
    }
    if lambda <= 0.0 {
        // Underflow: the fit leaves no room for these cases.
        return Ok(if observed == 0 { 1.0 } else { 0.0 });
    }
    let poisson = Poisson::new(lambda).map_err(|_| MseError::NotConverged)?;
    let lower = poisson.cdf(observed);
    let upper = match observed.checked_sub(1) {
        None => 1.0,
        Some(below) => poisson.sf(below),
    };
    Ok(lower.min(upper))
}
