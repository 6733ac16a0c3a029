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

use super::MAX_CLASSES;
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

/// The observed histories and their counts, and the steps that build their class weights.
pub(crate) struct Histories {
    lists: usize,
    /// Bit mask of each history seen at least once.
    masks: Vec<usize>,
    counts: Vec<u64>,
    observed: u64,
    /// The histories whose class weights a sweep computes: node 0 is the empty history (the
    /// unseen), and node `i ≥ 1` is node `steps[i − 1].parent` with one list more. Each seen
    /// history and every history on its way from the empty one (drop the highest list) is a
    /// node, parents before children, so that a history's weights cost one product per class
    /// whatever its number of lists.
    steps: Vec<Step>,
    /// The node of each seen history.
    nodes: Vec<usize>,
}

/// A node of [`Histories::steps`]: its parent node and the list it adds.
struct Step {
    parent: usize,
    list: usize,
}

impl Histories {
    pub fn new(dataset: &Dataset) -> Self {
        let (masks, counts): (Vec<usize>, Vec<u64>) = dataset
            .counts()
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(_, &c)| c > 0)
            .map(|(h, &c)| (h, c))
            .unzip();
        let mut known = std::collections::BTreeMap::from([(0_usize, 0_usize)]);
        let mut steps = Vec::new();
        let nodes = masks
            .iter()
            .map(|&mask| node_of(mask, &mut known, &mut steps))
            .collect();
        Self {
            lists: dataset.list_count(),
            masks,
            counts,
            observed: dataset.observed(),
            steps,
            nodes,
        }
    }
}

/// The node of history `mask`, added with the nodes on its way from the empty history when
/// missing.
fn node_of(mask: usize, known: &mut std::collections::BTreeMap<usize, usize>, steps: &mut Vec<Step>) -> usize {
    if let Some(&node) = known.get(&mask) {
        return node;
    }
    let list = (usize::BITS - 1 - mask.leading_zeros()) as usize;
    let parent = node_of(mask & !(1 << list), known, steps);
    steps.push(Step { parent, list });
    known.insert(mask, steps.len());
    steps.len()
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
    // A chain's rows are arrays of a width fixed at compile time, the smallest of these that
    // holds `K` (the default 10 its own), so that the loops over the classes are unrolled and
    // vectorised; the classes past `K` weigh nothing and get nobody, and the draws are those
    // of rows exactly `K` wide (ADR 0065).
    match prior.classes {
        0..=4 => run::<4>(histories, prior, schedule, seed, chain, progress),
        5..=8 => run::<8>(histories, prior, schedule, seed, chain, progress),
        9..=10 => run::<10>(histories, prior, schedule, seed, chain, progress),
        11..=16 => run::<16>(histories, prior, schedule, seed, chain, progress),
        17..=32 => run::<32>(histories, prior, schedule, seed, chain, progress),
        _ => run::<MAX_CLASSES>(histories, prior, schedule, seed, chain, progress),
    }
}

fn run<const W: usize>(
    histories: &Histories,
    prior: &Prior,
    schedule: Schedule,
    seed: u64,
    chain: u64,
    progress: &dyn Fn(u64),
) -> Result<Vec<f64>, MseError> {
    let mut rng = chain_rng(seed, chain);
    let mut state = State::<W>::start(histories, prior, &mut rng)?;
    let mut unreported = 0;
    let mut sweep = |state: &mut State<W>, rng: &mut ChainRng| {
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

/// The chain's state, a row of `W` entries per list, per history or per node: entry `k` for
/// class `k < classes`, 0 past it (a weight, a count or a capture probability of 0).
struct State<const W: usize> {
    classes: usize,
    /// `λ_jk`, a row per list, kept within [`CAPTURE_BOUND`, 1 − `CAPTURE_BOUND`].
    capture: Vec<[f64; W]>,
    /// `λ_jk / (1 − λ_jk)`, a row per list, as [`Self::compute_node_weights`] multiplies them.
    odds: Vec<[f64; W]>,
    /// `Π_j (1 − λ_jk)`: the chance that a person of class `k` is on no list.
    missed: [f64; W],
    /// `π_k`.
    weights: [f64; W],
    /// `V_k`.
    sticks: Vec<Stick>,
    alpha: f64,
    /// `N − n`.
    unseen: u64,
    /// `n_k`, seen and unseen people.
    class_sizes: [u64; W],
    /// People of class `k` on list `j`, a row per list.
    captured: Vec<[u64; W]>,
    /// `π_k Π_j (1 − λ_jk)`: the weight of class `k` among the unseen.
    unseen_weights: [f64; W],
    /// `π_k Pr(history | class k)` of each node of [`Histories::steps`].
    node_weights: Vec<[f64; W]>,
    /// The class counts of each seen history.
    allocation: Vec<[u64; W]>,
    /// Scratch of the multinomial: the weight of the classes after each.
    class_after: [f64; W],
}

impl<const W: usize> State<W> {
    /// A start dispersed in `N` (as many unseen people as a uniform draw up to twice the number
    /// seen) but not in the classes: everybody, seen or not, in a class drawn from the prior mean
    /// of the weights at `α`'s prior mean, so the first classes start the largest. A start
    /// spread evenly over the classes lets some chains put nearly everybody in the last class,
    /// which takes whatever the sticks leave; with the earlier sticks then tiny, `α` grows large
    /// and keeps them tiny, a trap of little posterior mass that chains leave only rarely
    /// (ADR 0055).
    fn start(histories: &Histories, prior: &Prior, rng: &mut ChainRng) -> Result<Self, MseError> {
        let (classes, lists) = (prior.classes.max(1), histories.lists);
        if classes > W {
            return Err(MseError::SamplerFailed);
        }
        let alpha = prior.alpha_shape / prior.alpha_rate;
        // The prior mean of each stick, so that the first classes start the largest.
        let sticks = vec![Stick::taking(1.0 / (1.0 + alpha)); classes];
        let mut weights = [0.0; W];
        stick_breaking(&sticks, weights.get_mut(..classes).unwrap_or_default());
        let missed = 0.5_f64.powi(lists as i32);
        let mut half = [0.0; W];
        half.iter_mut().take(classes).for_each(|l| *l = 0.5);
        let mut state = Self {
            classes,
            capture: vec![half; lists],
            odds: vec![half.map(|l| l / (1.0 - l)); lists],
            missed: [missed; W],
            unseen_weights: weights.map(|w| w * missed),
            sticks,
            alpha,
            unseen: rng.random_range(0..=2 * histories.observed),
            class_sizes: [0; W],
            captured: vec![[0; W]; lists],
            node_weights: vec![[0.0; W]; histories.steps.len() + 1],
            allocation: vec![[0; W]; histories.masks.len()],
            class_after: [0.0; W],
            weights,
        };
        multinomial(
            rng,
            state.unseen,
            &state.weights,
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
    /// in `class_sizes`. The counts are summed per class and per list once all are drawn, a
    /// row at a time.
    fn allocate_seen(&mut self, histories: &Histories, rng: &mut ChainRng) -> Result<(), MseError> {
        self.compute_node_weights(histories);
        for ((&node, &count), counts) in histories.nodes.iter().zip(&histories.counts).zip(&mut self.allocation) {
            let weights = self.node_weights.get(node).ok_or(MseError::SamplerFailed)?;
            multinomial(rng, count, weights, &mut self.class_after, counts)?;
        }
        self.captured.iter_mut().for_each(|row| *row = [0; W]);
        for (&mask, counts) in histories.masks.iter().zip(&self.allocation) {
            add(&mut self.class_sizes, counts);
            let mut bits = mask;
            while bits != 0 {
                if let Some(row) = self.captured.get_mut(bits.trailing_zeros() as usize) {
                    add(row, counts);
                }
                bits &= bits - 1;
            }
        }
        Ok(())
    }

    /// `π_k Pr(history | class k)` of every node into `node_weights`: `Pr(history | class k) =
    /// Π_j λ_jk^{x_j} (1 − λ_jk)^{1 − x_j}` is the chance of being on no list (in
    /// `unseen_weights`, from [`Self::draw_unseen`]) times the odds of each list the history is
    /// on, one list per step from its parent node.
    fn compute_node_weights(&mut self, histories: &Histories) {
        if let Some(root) = self.node_weights.first_mut() {
            *root = self.unseen_weights;
        }
        for (node, step) in histories.steps.iter().enumerate() {
            let (done, rest) = self.node_weights.split_at_mut(node + 1);
            if let (Some(w), Some(parent), Some(odds)) =
                (rest.first_mut(), done.get(step.parent), self.odds.get(step.list))
            {
                *w = std::array::from_fn(|k| parent[k] * odds[k]);
            }
        }
    }

    /// Step 1. The odds and the chances of being on no list are computed after all the draws,
    /// in loops of their own: divisions interleaved with the draws stalled the sweep (the
    /// profile put a fifth of steps 1 to 4 on the division), where in a loop of their own they
    /// go several at a time and do not hold up the next draw.
    fn draw_capture_probabilities(&mut self, rng: &mut ChainRng) -> Result<(), MseError> {
        for k in 0..self.classes {
            let size = self.class_sizes.get(k).copied().unwrap_or(0);
            if size == 0 {
                // An empty class draws from the uniform prior. From a copy of the generator,
                // which the compiler keeps in registers, where the generator behind `rng`
                // went through memory at every draw: a store and a load on the chain of
                // draws, which made this loop wait on it (7 % of the sweep's time).
                let mut local = rng.clone();
                for row in &mut self.capture {
                    let value = local.random::<f64>();
                    if let Some(l) = row.get_mut(k) {
                        *l = value.clamp(CAPTURE_BOUND, 1.0 - CAPTURE_BOUND);
                    }
                }
                *rng = local;
                continue;
            }
            for (row, on) in self.capture.iter_mut().zip(&self.captured) {
                let on = on.get(k).copied().unwrap_or(0);
                let value = beta(rng, 1.0 + on as f64, 1.0 + (size - on) as f64)?;
                if let Some(l) = row.get_mut(k) {
                    *l = value.clamp(CAPTURE_BOUND, 1.0 - CAPTURE_BOUND);
                }
            }
        }
        for (odds, capture) in self.odds.iter_mut().zip(&self.capture) {
            *odds = capture.map(|l| l / (1.0 - l));
        }
        self.missed = [1.0; W];
        for capture in &self.capture {
            self.missed = std::array::from_fn(|k| self.missed[k] * (1.0 - capture[k]));
        }
        Ok(())
    }

    /// Steps 2 and 3.
    fn draw_weights(&mut self, prior: &Prior, rng: &mut ChainRng) -> Result<(), MseError> {
        let mut later: u64 = self.class_sizes.iter().sum();
        for (&size, s) in self.class_sizes.iter().zip(&mut self.sticks) {
            later -= size;
            *s = stick(rng, 1.0 + size as f64, self.alpha + later as f64)?;
        }
        let log_rest = stick_breaking(&self.sticks, self.weights.get_mut(..self.classes).unwrap_or_default());
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
        self.unseen_weights = std::array::from_fn(|k| self.weights[k] * self.missed[k]);
        let missed: f64 = self.unseen_weights.iter().sum();
        let scale = gamma(rng, histories.observed as f64)? / (1.0 - missed.clamp(0.0, 1.0 - 1e-12));
        self.unseen = 0;
        for (size, &w) in self.class_sizes.iter_mut().zip(&self.unseen_weights).take(self.classes) {
            *size = poisson(rng, scale * w)?;
            self.unseen += *size;
        }
        Ok(())
    }
}

/// `total += counts`, class by class.
fn add<const W: usize>(total: &mut [u64; W], counts: &[u64; W]) {
    *total = std::array::from_fn(|k| total[k] + counts[k]);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// The classes past `K` in a wider row weigh nothing and take no draw, so a chain is the
    /// same in any width that holds its classes: the width is a matter of speed only.
    #[test]
    fn rows_wider_than_the_classes_draw_the_same_chain() {
        let text = "A,B,C,count\n1,0,0,40\n0,1,0,35\n0,0,1,52\n1,1,0,9\n1,0,1,6\n0,1,1,11\n1,1,1,3\n";
        let table = Dataset::from_csv(text).unwrap();
        let histories = Histories::new(&table.dataset);
        let schedule = Schedule {
            burnin: 200,
            samples: 50,
            thinning: 3,
        };
        for classes in [1, 3, 4] {
            let prior = Prior {
                classes,
                ..Prior::default()
            };
            let chain = |draws: Result<Vec<f64>, MseError>| draws.unwrap();
            let narrow = chain(run::<4>(&histories, &prior, schedule, 7, 0, &|_| {}));
            assert_eq!(narrow, chain(run::<10>(&histories, &prior, schedule, 7, 0, &|_| {})));
            assert_eq!(narrow, chain(run::<64>(&histories, &prior, schedule, 7, 0, &|_| {})));
        }
    }
}
