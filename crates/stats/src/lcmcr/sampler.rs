//! The Gibbs sampler of the latent-class model with data augmentation (Manrique-Vallier 2016,
//! section 3 and the supplementary material), over the table of capture histories.
//!
//! People with the same history are exchangeable, so instead of a class per person the sampler
//! draws how many people of each history fall in each class (a multinomial draw per history),
//! and for the unseen people how many there are and how many fall in each class. A sweep:
//!
//! 1. capture probabilities `λ_jk ~ Beta(1 + captured, 1 + not captured)` in class `k`;
//! 2. sticks `V_k ~ Beta(1 + n_k, α + Σ_{l>k} n_l)`, then the weights `π`;
//! 3. `α ~ Gamma(a + K − 1, b − Σ_{k<K} log(1 − V_k))`;
//! 4. the unseen `N − n ~ NegativeBinomial(n, 1 − π_0)`, `π_0 = Σ_k π_k Π_j (1 − λ_jk)` the
//!    probability of being on no list (the `1/N` prior makes this exact);
//! 5. class counts of each history and of the unseen, multinomial with weights
//!    `π_k Pr(history | class k)`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Binomial, Distribution, Gamma, Poisson};

use super::prior::{Prior, stick_breaking};
use crate::data::Dataset;
use crate::error::MseError;

/// Below this many people a history's class counts are drawn person by person, which is
/// cheaper than a binomial per class.
const PERSON_BY_PERSON: u64 = 32;

/// Capture probabilities are kept this far from 0 and 1, so that odds stay finite; the
/// posterior never comes near (a class holds at most a few million people).
const CAPTURE_BOUND: f64 = 1e-12;

/// How long a chain runs and which iterations it keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Schedule {
    pub burnin: usize,
    pub samples: usize,
    pub thinning: usize,
}

/// The observed histories and their counts.
pub(crate) struct Histories {
    lists: usize,
    /// Bit mask of each history seen at least once.
    masks: Vec<usize>,
    counts: Vec<u64>,
    observed: u64,
}

impl Histories {
    pub fn new(dataset: &Dataset) -> Self {
        let (masks, counts) = dataset
            .counts()
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(_, &c)| c > 0)
            .map(|(h, &c)| (h, c))
            .unzip();
        Self {
            lists: dataset.list_count(),
            masks,
            counts,
            observed: dataset.observed(),
        }
    }
}

/// Runs one chain and returns the population size `N` of each kept iteration. The chain draws
/// from the ChaCha8 stream numbered `chain` under `seed`, so it is the same whichever thread
/// runs it.
pub(crate) fn run_chain(
    histories: &Histories,
    prior: &Prior,
    schedule: Schedule,
    seed: u64,
    chain: u64,
) -> Result<Vec<f64>, MseError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(chain);
    let mut state = State::start(histories, prior, &mut rng)?;
    for _ in 0..schedule.burnin {
        state.sweep(histories, prior, &mut rng)?;
    }
    let mut kept = Vec::with_capacity(schedule.samples);
    for _ in 0..schedule.samples {
        for _ in 0..schedule.thinning {
            state.sweep(histories, prior, &mut rng)?;
        }
        kept.push((histories.observed + state.unseen) as f64);
    }
    Ok(kept)
}

struct State {
    classes: usize,
    lists: usize,
    /// `λ_jk` at `k · lists + j`, kept within [`CAPTURE_BOUND`, 1 − `CAPTURE_BOUND`].
    capture: Vec<f64>,
    /// `λ_jk / (1 − λ_jk)`, same layout.
    odds: Vec<f64>,
    /// `Π_j (1 − λ_jk)`: the chance that a person of class `k` is on no list.
    missed: Vec<f64>,
    /// `π_k`.
    weights: Vec<f64>,
    /// `(V_k, 1 − V_k)`.
    sticks: Vec<(f64, f64)>,
    alpha: f64,
    /// `N − n`.
    unseen: u64,
    /// `n_k`, seen and unseen people.
    class_sizes: Vec<u64>,
    /// People of class `k` on list `j`, at `k · lists + j`.
    captured: Vec<u64>,
    /// Scratch: a weight per class, and a count per class.
    class_weights: Vec<f64>,
    class_counts: Vec<u64>,
}

impl State {
    /// A dispersed start: every person seen in a class at random, as many unseen people as a
    /// uniform draw up to twice the number seen, also in random classes; `α` at its prior mean.
    fn start(histories: &Histories, prior: &Prior, rng: &mut ChaCha8Rng) -> Result<Self, MseError> {
        let (classes, lists) = (prior.classes.max(1), histories.lists);
        let mut state = Self {
            classes,
            lists,
            capture: vec![0.5; classes * lists],
            odds: vec![1.0; classes * lists],
            missed: vec![0.5_f64.powi(lists as i32); classes],
            weights: vec![1.0 / classes as f64; classes],
            sticks: vec![(0.5, 0.5); classes],
            alpha: prior.alpha_shape / prior.alpha_rate,
            unseen: rng.random_range(0..=2 * histories.observed),
            class_sizes: vec![0; classes],
            captured: vec![0; classes * lists],
            class_weights: vec![1.0; classes],
            class_counts: vec![0; classes],
        };
        state.allocate(histories, rng)?;
        Ok(state)
    }

    fn sweep(&mut self, histories: &Histories, prior: &Prior, rng: &mut ChaCha8Rng) -> Result<(), MseError> {
        self.draw_capture_probabilities(rng)?;
        self.draw_weights(prior, rng)?;
        self.draw_unseen(histories, rng)?;
        for ((w, &pi), &missed) in self.class_weights.iter_mut().zip(&self.weights).zip(&self.missed) {
            *w = pi * missed;
        }
        self.allocate(histories, rng)
    }

    /// Step 5: class counts of every history (weights `π_k Pr(h | k)`) and of the unseen
    /// (weights already in `class_weights`, or uniform at the start).
    fn allocate(&mut self, histories: &Histories, rng: &mut ChaCha8Rng) -> Result<(), MseError> {
        self.class_sizes.iter_mut().for_each(|n| *n = 0);
        self.captured.iter_mut().for_each(|n| *n = 0);
        multinomial(rng, self.unseen, &self.class_weights, &mut self.class_counts)?;
        for (size, &drawn) in self.class_sizes.iter_mut().zip(&self.class_counts) {
            *size += drawn;
        }
        for (&mask, &count) in histories.masks.iter().zip(&histories.counts) {
            for k in 0..self.classes {
                let p = self.history_probability(k, mask);
                if let (Some(w), Some(&pi)) = (self.class_weights.get_mut(k), self.weights.get(k)) {
                    *w = pi * p;
                }
            }
            multinomial(rng, count, &self.class_weights, &mut self.class_counts)?;
            for k in 0..self.classes {
                let drawn = self.class_counts.get(k).copied().unwrap_or(0);
                if drawn == 0 {
                    continue;
                }
                if let Some(size) = self.class_sizes.get_mut(k) {
                    *size += drawn;
                }
                for j in (0..self.lists).filter(|j| mask & (1 << j) != 0) {
                    if let Some(c) = self.captured.get_mut(k * self.lists + j) {
                        *c += drawn;
                    }
                }
            }
        }
        Ok(())
    }

    /// `Pr(history | class k) = Π_j λ_jk^{x_j} (1 − λ_jk)^{1 − x_j}`, as the chance of being
    /// on no list times the odds of each list the history is on.
    fn history_probability(&self, k: usize, mask: usize) -> f64 {
        let odds = self.odds.get(k * self.lists..(k + 1) * self.lists).unwrap_or_default();
        let mut p = self.missed.get(k).copied().unwrap_or(0.0);
        let mut bits = mask;
        while bits != 0 {
            p *= odds.get(bits.trailing_zeros() as usize).copied().unwrap_or(0.0);
            bits &= bits - 1;
        }
        p
    }

    /// Step 1.
    fn draw_capture_probabilities(&mut self, rng: &mut ChaCha8Rng) -> Result<(), MseError> {
        for k in 0..self.classes {
            let size = self.class_sizes.get(k).copied().unwrap_or(0);
            for j in 0..self.lists {
                let index = k * self.lists + j;
                let on = self.captured.get(index).copied().unwrap_or(0);
                let value = if size == 0 {
                    // An empty class draws from the uniform prior.
                    rng.random::<f64>()
                } else {
                    beta(rng, 1.0 + on as f64, 1.0 + (size - on) as f64)?
                };
                let value = value.clamp(CAPTURE_BOUND, 1.0 - CAPTURE_BOUND);
                if let (Some(l), Some(o)) = (self.capture.get_mut(index), self.odds.get_mut(index)) {
                    *l = value;
                    *o = value / (1.0 - value);
                }
            }
            let row = self
                .capture
                .get(k * self.lists..(k + 1) * self.lists)
                .unwrap_or_default();
            let missed = row.iter().map(|l| 1.0 - l).product();
            if let Some(m) = self.missed.get_mut(k) {
                *m = missed;
            }
        }
        Ok(())
    }

    /// Steps 2 and 3.
    fn draw_weights(&mut self, prior: &Prior, rng: &mut ChaCha8Rng) -> Result<(), MseError> {
        let mut later: u64 = self.class_sizes.iter().sum();
        for k in 0..self.classes {
            let size = self.class_sizes.get(k).copied().unwrap_or(0);
            later -= size;
            // V = X / (X + Y) with X, Y Gamma: 1 − V = Y / (X + Y) keeps its precision.
            let x = gamma(rng, 1.0 + size as f64)?;
            let y = gamma(rng, self.alpha + later as f64)?;
            let total = x + y;
            let stick = if total > 0.0 {
                (x / total, y / total)
            } else {
                (1.0, 0.0)
            };
            if let Some(s) = self.sticks.get_mut(k) {
                *s = stick;
            }
        }
        let log_rest = stick_breaking(&self.sticks, &mut self.weights);
        let shape = prior.alpha_shape + (self.classes - 1) as f64;
        let rate = prior.alpha_rate - log_rest;
        self.alpha = gamma(rng, shape)? / rate;
        // α is a Gamma draw and so positive; guard the Beta parameters it feeds from underflow.
        self.alpha = self.alpha.max(f64::MIN_POSITIVE);
        Ok(())
    }

    /// Step 4.
    fn draw_unseen(&mut self, histories: &Histories, rng: &mut ChaCha8Rng) -> Result<(), MseError> {
        let missed: f64 = self.weights.iter().zip(&self.missed).map(|(pi, m)| pi * m).sum();
        let missed = missed.clamp(0.0, 1.0 - 1e-12);
        // A negative binomial is a Poisson whose mean is a Gamma draw.
        let mean = gamma(rng, histories.observed as f64)? * missed / (1.0 - missed);
        self.unseen = if mean > 0.0 {
            let poisson = Poisson::new(mean).map_err(|_| MseError::SamplerFailed)?;
            poisson.sample(rng) as u64
        } else {
            0
        };
        Ok(())
    }
}

/// `Gamma(shape, 1)`.
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> Result<f64, MseError> {
    Ok(Gamma::new(shape, 1.0).map_err(|_| MseError::SamplerFailed)?.sample(rng))
}

fn beta(rng: &mut ChaCha8Rng, a: f64, b: f64) -> Result<f64, MseError> {
    Ok(Beta::new(a, b).map_err(|_| MseError::SamplerFailed)?.sample(rng))
}

/// Spreads `total` people over classes with probabilities proportional to `weights`, into
/// `counts`.
fn multinomial(rng: &mut ChaCha8Rng, total: u64, weights: &[f64], counts: &mut [u64]) -> Result<(), MseError> {
    counts.iter_mut().for_each(|c| *c = 0);
    let mass: f64 = weights.iter().sum();
    if total == 0 {
        return Ok(());
    }
    if !(mass > 0.0 && mass.is_finite()) {
        return Err(MseError::SamplerFailed);
    }
    if total <= PERSON_BY_PERSON {
        for _ in 0..total {
            let mut u = rng.random::<f64>() * mass;
            let mut class = weights.len().saturating_sub(1);
            for (k, &w) in weights.iter().enumerate() {
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
        return Ok(());
    }
    // Sequential binomials: class k gets Binomial(left, w_k / mass left).
    let mut left = total;
    let mut mass_left = mass;
    let last = weights.len().saturating_sub(1);
    for (k, (&w, c)) in weights.iter().zip(counts.iter_mut()).enumerate() {
        if left == 0 {
            break;
        }
        if k == last || w >= mass_left {
            *c = left;
            break;
        }
        let p = (w / mass_left).clamp(0.0, 1.0);
        let drawn = Binomial::new(left, p).map_err(|_| MseError::SamplerFailed)?.sample(rng);
        *c = drawn;
        left -= drawn;
        mass_left -= w;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn multinomial_keeps_every_person_and_follows_the_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let weights = [0.2, 0.0, 0.5, 0.3];
        let mut counts = [0; 4];
        let mut sums = [0_u64; 4];
        for total in [0, 1, 5, 8, 9, 1000] {
            for _ in 0..200 {
                multinomial(&mut rng, total, &weights, &mut counts).unwrap();
                assert_eq!(counts.iter().sum::<u64>(), total);
                assert_eq!(counts[1], 0);
                for (s, c) in sums.iter_mut().zip(counts) {
                    *s += c;
                }
            }
        }
        let all: u64 = sums.iter().sum();
        for (s, w) in sums.iter().zip(weights) {
            assert!((*s as f64 / all as f64 - w).abs() < 0.01);
        }
    }
}
