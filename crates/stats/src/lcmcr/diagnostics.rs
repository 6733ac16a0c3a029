//! Convergence diagnostics of the population size across chains (Gelman et al., *Bayesian
//! Data Analysis*, 3rd ed., section 11.4–11.5): split R-hat and the effective sample size,
//! both over the chains cut in halves, so that a chain that drifts shows as two that disagree.

/// The chains cut in halves (an odd middle draw left out).
fn split(chains: &[Vec<f64>]) -> Vec<&[f64]> {
    chains
        .iter()
        .flat_map(|chain| {
            let half = chain.len() / 2;
            let (first, rest) = chain.split_at(half);
            let second = rest.get(rest.len() - half..).unwrap_or_default();
            [first, second]
        })
        .filter(|half| half.len() >= 2)
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn variance(values: &[f64]) -> f64 {
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() as f64 - 1.0)
}

/// Within-chain variance `W` and the pooled estimate `var⁺` of the posterior variance.
fn variances(halves: &[&[f64]]) -> Option<(f64, f64)> {
    let n = halves.first()?.len() as f64;
    if halves.len() < 2 || halves.iter().any(|h| h.len() as f64 != n) {
        return None;
    }
    let means: Vec<f64> = halves.iter().map(|h| mean(h)).collect();
    let within = mean(&halves.iter().map(|h| variance(h)).collect::<Vec<_>>());
    let between = n * variance(&means);
    Some((within, (n - 1.0) / n * within + between / n))
}

/// Split R-hat: `sqrt(var⁺ / W)`; 1 when every chain is constant at one value, +∞ when they
/// are constant at different values, NaN when there are too few draws.
pub(crate) fn split_rhat(chains: &[Vec<f64>]) -> f64 {
    let halves = split(chains);
    match variances(&halves) {
        None => f64::NAN,
        Some((within, pooled)) if within > 0.0 => (pooled / within).sqrt(),
        Some((_, pooled)) if pooled > 0.0 => f64::INFINITY,
        Some(_) => 1.0,
    }
}

/// Effective sample size of all the draws: `m n / τ`, with the autocorrelations `ρ_t` from the
/// variogram of the split chains, summed in pairs while the pairs stay positive (Geyer's
/// initial positive sequence).
pub(crate) fn effective_sample_size(chains: &[Vec<f64>]) -> f64 {
    let halves = split(chains);
    let Some((_, pooled)) = variances(&halves) else {
        return f64::NAN;
    };
    let n = halves.first().map_or(0, |h| h.len());
    let total = (halves.len() * n) as f64;
    if pooled <= 0.0 {
        return total;
    }
    let rho = |lag: usize| -> f64 {
        if lag == 0 {
            return 1.0;
        }
        let squares: f64 = halves
            .iter()
            .map(|h| h.windows(lag + 1).map(|w| (w[lag] - w[0]).powi(2)).sum::<f64>())
            .sum();
        let variogram = squares / (halves.len() * (n - lag)) as f64;
        1.0 - variogram / (2.0 * pooled)
    };
    let mut pairs_sum = 0.0;
    let mut lag = 0;
    while lag + 1 < n {
        let pair = rho(lag) + rho(lag + 1);
        if pair < 0.0 {
            break;
        }
        pairs_sum += pair;
        lag += 2;
    }
    let tau = (2.0 * pairs_sum - 1.0).max(1.0 / total.log10().max(1.0));
    total / tau
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn independent_chains(shifts: &[f64]) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        shifts
            .iter()
            .map(|s| (0..1000).map(|_| s + rng.random::<f64>()).collect())
            .collect()
    }

    #[test]
    fn independent_draws_of_one_distribution_have_r_hat_near_1_and_full_ess() {
        let chains = independent_chains(&[0.0, 0.0, 0.0, 0.0]);
        let rhat = split_rhat(&chains);
        assert!((rhat - 1.0).abs() < 0.01, "{rhat}");
        let ess = effective_sample_size(&chains);
        assert!((3000.0..5000.0).contains(&ess), "{ess}");
    }

    #[test]
    fn chains_in_different_places_have_a_large_r_hat() {
        assert!(split_rhat(&independent_chains(&[0.0, 0.0, 3.0, 0.0])) > 1.5);
    }

    #[test]
    fn a_sticky_chain_has_a_small_ess() {
        // Each value repeated 50 times: about 20 independent draws per chain.
        let chains: Vec<Vec<f64>> = independent_chains(&[0.0; 4])
            .iter()
            .map(|c| c.iter().take(20).flat_map(|&v| std::iter::repeat_n(v, 50)).collect())
            .collect();
        let ess = effective_sample_size(&chains);
        assert!(ess < 200.0, "{ess}");
    }

    #[test]
    fn a_drifting_chain_is_caught_by_splitting() {
        let chains: Vec<Vec<f64>> = (0..4).map(|_| (0..1000).map(f64::from).collect()).collect();
        assert!(split_rhat(&chains) > 1.5);
    }
}
