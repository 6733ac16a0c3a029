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
//!    probability of being on no list (the `1/N` prior makes this exact), and how many of them
//!    fall in each class (multinomial with weights `π_k Π_j (1 − λ_jk)`). Both at once: the
//!    negative binomial is a Poisson whose mean `G π_0 / (1 − π_0)` has `G ~ Gamma(n, 1)`,
//!    and a Poisson spread multinomially is one independent Poisson per class, of mean
//!    `G π_k Π_j (1 − λ_jk) / (1 − π_0)`;
//! 5. class counts of each history, multinomial with weights `π_k Pr(history | class k)`.

use rand::RngExt;

use super::draws::{ChainRng, beta, chain_rng, gamma, multinomial, poisson, stick};
use super::prior::{Prior, Stick, stick_breaking};
use crate::data::Dataset;
use crate::error::MseError;

/// Capture probabilities are kept this far from 0 and 1, so that odds stay finite; the
/// posterior never comes near (a class holds at most a few million people).
const CAPTURE_BOUND: f64 = 1e-12;

/// A chain reports its progress every this many sweeps (about a millisecond of work).
const PROGRESS_EVERY: u64 = 1_000;

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
/// from its own generator under `seed` ([`chain_rng`]), so it is the same whichever thread
/// runs it.
pub(crate) fn run_chain(
    histories: &Histories,
    prior: &Prior,
    schedule: Schedule,
    seed: u64,
    chain: u64,
    progress: &dyn Fn(u64),
) -> Result<Vec<f64>, MseError> {
    let mut rng = chain_rng(seed, chain);
    let mut state = State::start(histories, prior, &mut rng)?;
    let mut unreported = 0;
    let mut sweep = |state: &mut State, rng: &mut ChainRng| {
        unreported += 1;
        if unreported == PROGRESS_EVERY {
            progress(unreported);
            unreported = 0;
        }
        state.sweep(histories, prior, rng)
    };
    for _ in 0..schedule.burnin {
        sweep(&mut state, &mut rng)?;
    }
    let mut kept = Vec::with_capacity(schedule.samples);
    for _ in 0..schedule.samples {
        for _ in 0..schedule.thinning {
            sweep(&mut state, &mut rng)?;
        }
        kept.push((histories.observed + state.unseen) as f64);
    }
    if unreported > 0 {
        progress(unreported);
    }
    Ok(kept)
}

struct State {
    classes: usize,
    lists: usize,
    /// `λ_jk` at `j · classes + k`, kept within [`CAPTURE_BOUND`, 1 − `CAPTURE_BOUND`].
    capture: Vec<f64>,
    /// `λ_jk / (1 − λ_jk)` at `j · classes + k`: a list's odds over the classes side by side,
    /// as [`Self::history_weights`] multiplies them.
    odds: Vec<f64>,
    /// `Π_j (1 − λ_jk)`: the chance that a person of class `k` is on no list.
    missed: Vec<f64>,
    /// `π_k`.
    weights: Vec<f64>,
    /// `V_k`.
    sticks: Vec<Stick>,
    alpha: f64,
    /// `N − n`.
    unseen: u64,
    /// `n_k`, seen and unseen people.
    class_sizes: Vec<u64>,
    /// People of class `k` on list `j`, at `k · lists + j`.
    captured: Vec<u64>,
    /// `π_k Π_j (1 − λ_jk)`: the weight of class `k` among the unseen.
    unseen_weights: Vec<f64>,
    /// Scratch: a weight per class, the weight of the classes after each, and a count per class.
    class_weights: Vec<f64>,
    class_after: Vec<f64>,
    class_counts: Vec<u64>,
}

impl State {
    /// A start dispersed in `N` (as many unseen people as a uniform draw up to twice the number
    /// seen) but not in the classes: everybody, seen or not, in a class drawn from the prior mean
    /// of the weights at `α`'s prior mean, so the first classes start the largest. A start
    /// spread evenly over the classes lets some chains put nearly everybody in the last class,
    /// which takes whatever the sticks leave; with the earlier sticks then tiny, `α` grows large
    /// and keeps them tiny, a trap of little posterior mass that chains leave only rarely
    /// (ADR 0055).
    fn start(histories: &Histories, prior: &Prior, rng: &mut ChainRng) -> Result<Self, MseError> {
        let (classes, lists) = (prior.classes.max(1), histories.lists);
        let alpha = prior.alpha_shape / prior.alpha_rate;
        // The prior mean of each stick, so that the first classes start the largest.
        let sticks = vec![Stick::taking(1.0 / (1.0 + alpha)); classes];
        let mut weights = vec![0.0; classes];
        stick_breaking(&sticks, &mut weights);
        let missed = 0.5_f64.powi(lists as i32);
        let mut state = Self {
            classes,
            lists,
            capture: vec![0.5; classes * lists],
            odds: vec![1.0; classes * lists],
            missed: vec![missed; classes],
            unseen_weights: weights.iter().map(|w| w * missed).collect(),
            class_weights: weights.clone(),
            weights,
            sticks,
            alpha,
            unseen: rng.random_range(0..=2 * histories.observed),
            class_sizes: vec![0; classes],
            captured: vec![0; classes * lists],
            class_after: vec![0.0; classes],
            class_counts: vec![0; classes],
        };
        multinomial(
            rng,
            state.unseen,
            &state.class_weights,
            &mut state.class_after,
            &mut state.class_sizes,
        )?;
        state.allocate_seen(histories, rng)?;
        Ok(state)
    }

    fn sweep(&mut self, histories: &Histories, prior: &Prior, rng: &mut ChainRng) -> Result<(), MseError> {
        self.draw_capture_probabilities(rng)?;
        self.draw_weights(prior, rng)?;
        self.draw_unseen(histories, rng)?;
        self.allocate_seen(histories, rng)
    }

    /// Step 5: class counts of every history, weights `π_k Pr(h | k)`; the unseen are already
    /// in `class_sizes`.
    fn allocate_seen(&mut self, histories: &Histories, rng: &mut ChainRng) -> Result<(), MseError> {
        self.captured.iter_mut().for_each(|n| *n = 0);
        for (&mask, &count) in histories.masks.iter().zip(&histories.counts) {
            self.history_weights(mask);
            multinomial(
                rng,
                count,
                &self.class_weights,
                &mut self.class_after,
                &mut self.class_counts,
            )?;
            let rows = self.captured.chunks_exact_mut(self.lists.max(1));
            for ((size, row), &drawn) in self.class_sizes.iter_mut().zip(rows).zip(&self.class_counts) {
                if drawn == 0 {
                    continue;
                }
                *size += drawn;
                let mut bits = mask;
                while bits != 0 {
                    if let Some(c) = row.get_mut(bits.trailing_zeros() as usize) {
                        *c += drawn;
                    }
                    bits &= bits - 1;
                }
            }
        }
        Ok(())
    }

    /// `π_k Pr(history | class k)` into `class_weights`, with `Pr(history | class k) =
    /// Π_j λ_jk^{x_j} (1 − λ_jk)^{1 − x_j}` as the chance of being on no list (kept in
    /// `unseen_weights` by [`Self::draw_unseen`]) times the odds of each list the history is on.
    fn history_weights(&mut self, mask: usize) {
        self.class_weights.copy_from_slice(&self.unseen_weights);
        let mut bits = mask;
        while bits != 0 {
            let j = bits.trailing_zeros() as usize;
            let odds = self
                .odds
                .get(j * self.classes..(j + 1) * self.classes)
                .unwrap_or_default();
            for (w, &o) in self.class_weights.iter_mut().zip(odds) {
                *w *= o;
            }
            bits &= bits - 1;
        }
    }

    /// Step 1. The odds and the chances of being on no list are computed after all the draws,
    /// in loops of their own over rows laid out alike: divisions interleaved with the draws
    /// stalled the sweep (the profile put a fifth of steps 1 to 4 on the division), where in a
    /// loop of their own they go two at a time and do not hold up the next draw.
    fn draw_capture_probabilities(&mut self, rng: &mut ChainRng) -> Result<(), MseError> {
        for k in 0..self.classes {
            let size = self.class_sizes.get(k).copied().unwrap_or(0);
            for j in 0..self.lists {
                let on = self.captured.get(k * self.lists + j).copied().unwrap_or(0);
                let value = if size == 0 {
                    // An empty class draws from the uniform prior.
                    rng.random::<f64>()
                } else {
                    beta(rng, 1.0 + on as f64, 1.0 + (size - on) as f64)?
                };
                if let Some(l) = self.capture.get_mut(j * self.classes + k) {
                    *l = value.clamp(CAPTURE_BOUND, 1.0 - CAPTURE_BOUND);
                }
            }
        }
        for (o, &l) in self.odds.iter_mut().zip(&self.capture) {
            *o = l / (1.0 - l);
        }
        self.missed.iter_mut().for_each(|m| *m = 1.0);
        for row in self.capture.chunks_exact(self.classes) {
            for (m, &l) in self.missed.iter_mut().zip(row) {
                *m *= 1.0 - l;
            }
        }
        Ok(())
    }

    /// Steps 2 and 3.
    fn draw_weights(&mut self, prior: &Prior, rng: &mut ChainRng) -> Result<(), MseError> {
        let mut later: u64 = self.class_sizes.iter().sum();
        for k in 0..self.classes {
            let size = self.class_sizes.get(k).copied().unwrap_or(0);
            later -= size;
            if let Some(s) = self.sticks.get_mut(k) {
                *s = stick(rng, 1.0 + size as f64, self.alpha + later as f64)?;
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

    /// Step 4: the unseen of each class, one Poisson per class given the Gamma draw `G`;
    /// leaves `π_k Π_j (1 − λ_jk)` in `unseen_weights` for step 5.
    fn draw_unseen(&mut self, histories: &Histories, rng: &mut ChainRng) -> Result<(), MseError> {
        for ((w, &pi), &missed) in self.unseen_weights.iter_mut().zip(&self.weights).zip(&self.missed) {
            *w = pi * missed;
        }
        let missed: f64 = self.unseen_weights.iter().sum();
        let scale = gamma(rng, histories.observed as f64)? / (1.0 - missed.clamp(0.0, 1.0 - 1e-12));
        self.unseen = 0;
        for (size, &w) in self.class_sizes.iter_mut().zip(&self.unseen_weights) {
            *size = poisson(rng, scale * w)?;
            self.unseen += *size;
        }
        Ok(())
    }
}
