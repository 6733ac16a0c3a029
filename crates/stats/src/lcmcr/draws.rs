//! The random draws of the sampler: Gamma, Beta and Poisson variates (from `rand_distr`) and
//! the multinomial spread of a history's people over the classes, which is the sweep's hot
//! loop and is written here for the few classes and the counts the sampler meets.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson};
use rand_pcg::Pcg64;

use crate::error::MseError;

/// The generator of a chain: PCG, a few times cheaper per draw than ChaCha, which showed in
/// the profile of the sweep.
pub(crate) type ChainRng = Pcg64;

/// The generator of chain number `chain` under `seed`: its PCG state and stream come from
/// ChaCha8's stream `chain`, so that chains are independent and each is the same whichever
/// thread runs it.
pub(crate) fn chain_rng(seed: u64, chain: u64) -> ChainRng {
    let mut seeder = ChaCha8Rng::seed_from_u64(seed);
    seeder.set_stream(chain);
    Pcg64::new(seeder.random::<u128>(), seeder.random::<u128>())
}

/// When at most this many people are left to spread, each is drawn on their own (one uniform
/// against the cumulative weights), which is cheaper than a binomial per class.
const PERSON_BY_PERSON: u64 = 8;

/// `Gamma(shape, 1)`.
pub(crate) fn gamma(rng: &mut ChainRng, shape: f64) -> Result<f64, MseError> {
    Ok(Gamma::new(shape, 1.0).map_err(|_| MseError::SamplerFailed)?.sample(rng))
}

/// `Beta(a, b)`.
pub(crate) fn beta(rng: &mut ChainRng, a: f64, b: f64) -> Result<f64, MseError> {
    Ok(Beta::new(a, b).map_err(|_| MseError::SamplerFailed)?.sample(rng))
}

/// `Poisson(mean)`, 0 for a mean of 0.
pub(crate) fn poisson(rng: &mut ChainRng, mean: f64) -> Result<u64, MseError> {
    if mean <= 0.0 {
        return Ok(0);
    }
    Ok(Poisson::new(mean).map_err(|_| MseError::SamplerFailed)?.sample(rng) as u64)
}

/// Spreads `total` people over classes with probabilities proportional to `weights`, into
/// `counts`: sequential binomials (the classes after `k` get `Binomial(left, their weight /
/// the weight of class k and after)`, class `k` the others) while many people are left, then
/// person by person over the classes not yet drawn. Both steps draw from the exact
/// conditional multinomial of those left.
pub(crate) fn multinomial(rng: &mut ChainRng, total: u64, weights: &[f64], counts: &mut [u64]) -> Result<(), MseError> {
    counts.iter_mut().for_each(|c| *c = 0);
    if total == 0 {
        return Ok(());
    }
    let mass: f64 = weights.iter().sum();
    if !(mass > 0.0 && mass.is_finite()) {
        return Err(MseError::SamplerFailed);
    }
    let mut left = total;
    let mut first = 0;
    while left > PERSON_BY_PERSON {
        let (Some(&w), Some(count)) = (weights.get(first), counts.get_mut(first)) else {
            break;
        };
        // The mass after this class is summed afresh rather than kept as a running
        // difference, so that classes of no weight get nobody even after rounding.
        let after: f64 = weights.get(first + 1..).unwrap_or_default().iter().sum();
        if after <= 0.0 {
            *count = left;
            return Ok(());
        }
        // How many go to the later classes, rather than how many stay here: the same draw,
        // and when the later classes weigh little it is most often 0, which ends the loop.
        let to_later = Binomial::new(left, (after / (w + after)).clamp(0.0, 1.0))
            .map_err(|_| MseError::SamplerFailed)?
            .sample(rng);
        *count = left - to_later;
        left = to_later;
        first += 1;
    }
    let rest = weights.get(first..).unwrap_or_default();
    let counts = counts.get_mut(first..).unwrap_or_default();
    let mass: f64 = rest.iter().sum();
    let has_weight = mass > 0.0;
    if left > 0 && !has_weight {
        return Err(MseError::SamplerFailed);
    }
    // Rounding can leave `u` past the last weight: that person goes to the last class that
    // has any weight.
    let fallback = rest.iter().rposition(|&w| w > 0.0).unwrap_or(0);
    for _ in 0..left {
        let mut u = rng.random::<f64>() * mass;
        let mut class = fallback;
        for (k, &w) in rest.iter().enumerate() {
            if u < w {
                class = k;
                break;
            }
            u -= w;
        }
        if let Some(c) = counts.get_mut(class) {
            *c += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn multinomial_keeps_every_person_and_follows_the_weights() {
        let mut rng = ChainRng::seed_from_u64(3);
        let weights = [0.2, 0.0, 0.5, 0.3];
        let mut counts = [0; 4];
        for total in [0, 1, 5, 8, 24, 25, 40, 1000, 100_000] {
            let mut sums = [0_u64; 4];
            for _ in 0..400 {
                multinomial(&mut rng, total, &weights, &mut counts).unwrap();
                assert_eq!(counts.iter().sum::<u64>(), total);
                assert_eq!(counts[1], 0);
                for (s, c) in sums.iter_mut().zip(counts) {
                    *s += c;
                }
            }
            let all: u64 = sums.iter().sum();
            for (s, w) in sums.iter().zip(weights).filter(|_| all > 0) {
                // Five standard deviations of a share among `all` independent people.
                let tolerance = 5.0 * (w * (1.0 - w) / all as f64).sqrt();
                assert!((*s as f64 / all as f64 - w).abs() <= tolerance, "{total}: {sums:?}");
            }
        }
    }

    #[test]
    fn multinomial_with_a_last_class_of_no_weight_never_fills_it() {
        let mut rng = ChainRng::seed_from_u64(4);
        let mut counts = [0; 3];
        for _ in 0..200 {
            multinomial(&mut rng, 100, &[0.7, 0.3, 0.0], &mut counts).unwrap();
            assert_eq!(counts[2], 0);
            assert_eq!(counts[0] + counts[1], 100);
        }
    }
}
