//! Differential privacy for released counts (issue 14, part 6; ADR 0046): the discrete
//! Laplace mechanism, sampled exactly with integer arithmetic as in Canonne, Kamath and
//! Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020), algorithms 1 and 2
//! — the sampler OpenDP uses — so that no floating-point rounding leaks through the noise.
//!
//! A person counts once in a table's cells (one category, one year), so adding or removing
//! one changes one cell by one: noise of scale 1/ε on every cell gives ε-differential privacy
//! to the whole table, and its margins, summed from the noisy cells, come free.

use rand::{CryptoRng, RngExt};

use crate::two_way::TwoWayTable;

/// A privacy-loss budget ε, in hundredths (0.01 to 10.00): a rational, so the sampler stays
/// exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Epsilon(u32);

impl Epsilon {
    pub const MAX_HUNDREDTHS: u32 = 1000;

    /// `None` outside 0.01 to 10.
    pub fn from_hundredths(hundredths: u32) -> Option<Self> {
        (1..=Self::MAX_HUNDREDTHS)
            .contains(&hundredths)
            .then_some(Self(hundredths))
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// The budget split evenly between `parts` tables, rounded down (sequential composition: the
    /// parts never spend more than the whole). `None` when a part would be under 0.01.
    pub fn split(self, parts: usize) -> Option<Self> {
        let parts = u32::try_from(parts).ok().filter(|p| *p > 0)?;
        Self::from_hundredths(self.0 / parts)
    }
}

/// Bernoulli(numerator / denominator), exactly.
fn bernoulli(rng: &mut impl CryptoRng, numerator: u64, denominator: u64) -> bool {
    rng.random_range(0..denominator) < numerator
}

/// Bernoulli(exp(−numerator / denominator)), exactly (algorithm 1).
fn bernoulli_exp(rng: &mut impl CryptoRng, numerator: u64, denominator: u64) -> bool {
    if numerator <= denominator {
        let mut k: u64 = 1;
        while bernoulli(rng, numerator, denominator.saturating_mul(k)) {
            k += 1;
        }
        k % 2 == 1
    } else {
        for _ in 0..numerator / denominator {
            if !bernoulli_exp(rng, 1, 1) {
                return false;
            }
        }
        bernoulli_exp(rng, numerator % denominator, denominator)
    }
}

/// A draw of the discrete Laplace distribution of scale `t / s`: P(z) ∝ exp(−|z|·s/t)
/// (algorithm 2).
fn discrete_laplace(rng: &mut impl CryptoRng, s: u64, t: u64) -> i64 {
    loop {
        let u = rng.random_range(0..t);
        if !bernoulli_exp(rng, u, t) {
            continue;
        }
        let mut v: u64 = 0;
        while bernoulli_exp(rng, 1, 1) {
            v += 1;
        }
        let y = (u + t * v) / s;
        let negative = rng.random_range(0..2u8) == 1;
        if negative && y == 0 {
            continue;
        }
        let y = i64::try_from(y).unwrap_or(i64::MAX);
        return if negative { -y } else { y };
    }
}

/// `table` with discrete Laplace noise of scale 1/ε added to every cell, negative results
/// published as zero (post-processing, which costs no privacy).
pub fn noisy(table: &TwoWayTable, epsilon: Epsilon, rng: &mut impl CryptoRng) -> TwoWayTable {
    let (rows, cols) = (table.rows(), table.cols());
    let counts = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| {
            let count = i64::try_from(table.count(r, c).unwrap_or(0)).unwrap_or(i64::MAX);
            let noise = discrete_laplace(rng, u64::from(epsilon.hundredths()), 100);
            u64::try_from(count.saturating_add(noise).max(0)).unwrap_or(0)
        })
        .collect();
    // Same shape as `table`, which was valid.
    TwoWayTable::new(rows, cols, counts).unwrap_or_else(|_| table.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    #[test]
    fn the_noise_has_the_discrete_laplace_distribution() {
        // ε = 0.5: P(0) = (1 − e^−ε)/(1 + e^−ε) ≈ 0.2449, variance 2e^−ε/(1 − e^−ε)² ≈ 7.83.
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let n = 200_000;
        let draws: Vec<i64> = (0..n).map(|_| discrete_laplace(&mut rng, 50, 100)).collect();
        let mean = draws.iter().sum::<i64>() as f64 / n as f64;
        let variance = draws.iter().map(|&z| (z as f64 - mean).powi(2)).sum::<f64>() / n as f64;
        let zeros = draws.iter().filter(|&&z| z == 0).count() as f64 / n as f64;
        let q = (-0.5f64).exp();
        assert!(mean.abs() < 0.05, "centred: {mean}");
        assert!(
            (variance - 2.0 * q / (1.0 - q).powi(2)).abs() < 0.15,
            "variance {variance}"
        );
        assert!((zeros - (1.0 - q) / (1.0 + q)).abs() < 0.005, "P(0) {zeros}");
        // Symmetric: as many above one as below minus one.
        let above = draws.iter().filter(|&&z| z > 1).count() as f64;
        let below = draws.iter().filter(|&&z| z < -1).count() as f64;
        assert!((above - below).abs() / n as f64 <= 0.005);
    }

    #[test]
    fn bernoulli_of_exp_is_exact_on_both_sides_of_one() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        for (num, den) in [(1u64, 2u64), (3, 2), (5, 1)] {
            let n = 100_000;
            let hits = (0..n).filter(|_| bernoulli_exp(&mut rng, num, den)).count() as f64 / n as f64;
            let p = (-(num as f64) / den as f64).exp();
            assert!((hits - p).abs() < 0.006, "exp(-{num}/{den}) = {p}, drew {hits}");
        }
    }

    #[test]
    fn a_noisy_table_keeps_its_shape_and_no_cell_is_negative() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let table = TwoWayTable::new(2, 3, vec![0, 1, 2, 500, 40, 0]).unwrap();
        let noisy = noisy(&table, Epsilon::from_hundredths(100).unwrap(), &mut rng);
        assert_eq!((noisy.rows(), noisy.cols()), (2, 3));
        assert!((0..3).all(|c| noisy.count(0, c).is_some()));
        let big = noisy.count(1, 0).unwrap();
        assert!((480..=520).contains(&big), "noise of scale 1 stays small: {big}");
    }

    #[test]
    fn a_budget_is_between_a_hundredth_and_ten_and_splits_down() {
        assert_eq!(Epsilon::from_hundredths(0), None);
        assert_eq!(Epsilon::from_hundredths(1001), None);
        let one = Epsilon::from_hundredths(100).unwrap();
        assert_eq!(one.split(3), Epsilon::from_hundredths(33));
        assert_eq!(Epsilon::from_hundredths(2).unwrap().split(3), None);
        assert_eq!(one.split(0), None);
    }
}
