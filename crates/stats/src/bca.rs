//! The arithmetic of the bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987),
//! as the reference computes it for MSE.

use serde::Serialize;

use crate::normal;

/// The levels the reference reports: the 95 %, 90 %, 80 % and 68 % two-sided limits.
pub const BCA_LEVELS: [f64; 8] = [0.025, 0.05, 0.1, 0.16, 0.84, 0.9, 0.95, 0.975];

/// One limit of the interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BcaLimit {
    /// The nominal level α.
    pub level: f64,
    /// The limit: the bootstrap quantile at the adjusted level.
    pub value: f64,
}

/// The acceleration `â` from the jackknife, where deleting one case of history `j` (of which
/// there are `n_j`) gives the estimate `θ_(j)`; `jackknife` holds the pairs `(n_j, θ_(j))`.
///
/// `jr_j = Σ_k n_k θ_(k) / N − θ_(j)`, `â = Σ n_j jr_j³ / (6 (Σ n_j jr_j²)^{3/2})`.
pub fn acceleration(jackknife: &[(u64, f64)]) -> f64 {
    let weighted: Vec<(f64, f64)> = jackknife.iter().map(|&(n, t)| (n as f64, t)).collect();
    let total: f64 = weighted.iter().map(|&(n, _)| n).sum();
    let mean = weighted.iter().map(|&(n, t)| n * t).sum::<f64>() / total;
    let (num, den) = weighted.iter().fold((0.0, 0.0), |(num, den), &(n, t)| {
        let jr = mean - t;
        (num + n * jr.powi(3), den + n * jr * jr)
    });
    if den > 0.0 {
        num / (6.0 * den.powf(1.5))
    } else {
        // Every deletion gives the same estimate: nothing to accelerate.
        0.0
    }
}

/// The bias correction `z0 = Φ⁻¹(share of replicates below the estimate)`; infinite when no
/// replicate, or every one, lies below.
pub fn bias_correction(replicates: &[f64], estimate: f64) -> f64 {
    let below = replicates.iter().filter(|&&r| r < estimate).count();
    let share = below as f64 / replicates.len() as f64;
    normal::quantile(share)
}

/// The level at which to read the bootstrap distribution for nominal level `alpha`:
/// `Φ(z0 + (z0 + z_α) / (1 − â (z0 + z_α)))`.
pub fn adjusted_level(alpha: f64, z0: f64, acceleration: f64) -> f64 {
    let shifted = z0 + normal::quantile(alpha);
    normal::cdf(z0 + shifted / (1.0 - acceleration * shifted))
}

/// Sample quantile of Hyndman & Fan's type 8 (median-unbiased, R's `quantile(type = 8)`) of an
/// ascending sample.
pub fn quantile_type8(sorted: &[f64], p: f64) -> f64 {
    let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else {
        return f64::NAN;
    };
    let n = sorted.len() as f64;
    // As R does, absorb round-off so that an exact order statistic is not interpolated.
    let fuzz = 4.0 * f64::EPSILON;
    let h = (n + 1.0 / 3.0) * p + 1.0 / 3.0;
    let j = (h + fuzz).floor();
    let g = if (h - j).abs() < fuzz { 0.0 } else { h - j };
    if j < 1.0 {
        return first;
    }
    if j >= n {
        return last;
    }
    // 1 ≤ j < n here, so the conversion is exact and both neighbours exist.
    let k = j as usize;
    let (Some(&lo), Some(&hi)) = (sorted.get(k - 1), sorted.get(k)) else {
        return f64::NAN;
    };
    if g == 0.0 || lo == hi {
        lo
    } else {
        (1.0 - g) * lo + g * hi
    }
}

/// The BCa limits at `levels`, from the replicates (in any order), the estimate and `â`.
/// `None` when the bias correction is infinite (every replicate on one side of the estimate).
pub fn bca_limits(replicates: &[f64], estimate: f64, acceleration: f64, levels: &[f64]) -> Option<Vec<BcaLimit>> {
    let z0 = bias_correction(replicates, estimate);
    if !z0.is_finite() {
        return None;
    }
    let mut sorted = replicates.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(
        levels
            .iter()
            .map(|&level| BcaLimit {
                level,
                value: quantile_type8(&sorted, adjusted_level(level, z0, acceleration)),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type8_quantiles_match_r() {
        // R: quantile(1:5, c(0.1, 0.25, 0.5, 0.9), type = 8) = 1, 1.666667, 3, 5
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_type8(&x, 0.1), 1.0);
        assert!((quantile_type8(&x, 0.25) - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!(quantile_type8(&x, 0.5), 3.0);
        assert_eq!(quantile_type8(&x, 0.9), 5.0);
        assert!(quantile_type8(&[], 0.5).is_nan());
    }

    #[test]
    fn without_bias_or_acceleration_levels_are_unchanged() {
        for alpha in BCA_LEVELS {
            assert!((adjusted_level(alpha, 0.0, 0.0) - alpha).abs() < 1e-12);
        }
    }

    #[test]
    fn one_sided_bootstrap_has_no_interval() {
        assert!(bca_limits(&[1.0, 2.0, 3.0], 0.5, 0.0, &BCA_LEVELS).is_none());
        assert!(bca_limits(&[1.0, 2.0, 3.0], 9.0, 0.0, &BCA_LEVELS).is_none());
        assert_eq!(acceleration(&[(3, 5.0), (2, 5.0)]), 0.0);
    }
}
