//! Search by BIC over the models with pairwise interactions (Silverman, Chan & Vincent 2024).
//!
//! The search must return the model of lowest BIC among all `2^(t(t−1)/2)` of them, but it
//! need not fit them all: a submodel cannot fit better than the model it is cut from, so the
//! deviance of a model (or of its extended MLE, when the MLE does not exist) plus the smallest
//! penalty of its submodels bounds the BIC of a whole family, which is skipped when that bound
//! exceeds the best BIC found so far (branch and bound, as Furnival & Wilson's leaps and
//! bounds for regressions). See ADR 0047.

use crate::data::Dataset;
use crate::design::{Design, Pair, all_pairs};
use crate::error::MseError;
use crate::existence::{analyse_design, check_existence};
use crate::glm::{fit_poisson, fit_poisson_from};
use crate::model::{ModelFit, fit_model};
use crate::stepwise::{DEFAULT_THRESHOLD, select_stepwise};

/// The search covers 2^(t(t−1)/2) models: 32,768 for six lists, two million for seven.
pub const MAX_BIC_LISTS: usize = 6;

/// How far a bound must exceed the best BIC to discard a family: the fits' deviances are
/// settled to about 1e-8 relative, so this keeps every model that could tie or win.
const BOUND_SLACK: f64 = 1e-6;

/// Returns, among every model made of the main effects and a subset of the pairs (all of them
/// hierarchical) whose MLE exists and is identifiable, the one with the lowest BIC; ties go
/// to the lowest subset number, subsets being numbered by the bits of the pairs in (1,2),
/// (1,3), … order. The result is the exhaustive search's, with far fewer fits.
pub fn select_bic(dataset: &Dataset) -> Result<ModelFit, MseError> {
    let t = dataset.list_count();
    if t > MAX_BIC_LISTS {
        return Err(MseError::BicTooManyLists {
            found: t,
            max: MAX_BIC_LISTS,
        });
    }
    let pairs = all_pairs(t);
    let mut search = Search {
        dataset,
        pairs: &pairs,
        log_n: (dataset.observed() as f64).ln(),
        saturated: saturated_term(dataset),
        best: None,
        order: (0..pairs.len()).collect(),
    };
    // The stepwise choice is usually close to the best, and bounds prune more the sooner a
    // good model is known. Its pairs, the most telling ones, are also the first the tree
    // drops: the families without them fit badly and are cut off early.
    if let Ok(stepwise) = select_stepwise(dataset, DEFAULT_THRESHOLD) {
        let chosen: Vec<usize> = stepwise
            .pairs
            .iter()
            .filter_map(|pair| pairs.iter().position(|p| p == pair))
            .collect();
        let subset = chosen.iter().fold(0_u64, |s, &k| s | (1 << k));
        search.consider(subset, &subset_pairs(&pairs, subset))?;
        let rest = (0..pairs.len()).filter(|k| !chosen.contains(k));
        search.order = chosen.iter().copied().chain(rest).collect();
    }
    search.visit((1_u64 << pairs.len()) - 1, 0, None)?;
    search.best.map(|(_, _, fit)| fit).ok_or(MseError::NoEstimate)
}

/// The pairs of a subset, in (1,2), (1,3), … order.
fn subset_pairs(pairs: &[Pair], subset: u64) -> Vec<Pair> {
    pairs
        .iter()
        .enumerate()
        .filter(|&(k, _)| subset & (1 << k) != 0)
        .map(|(_, &pair)| pair)
        .collect()
}

struct Search<'a> {
    dataset: &'a Dataset,
    pairs: &'a [Pair],
    log_n: f64,
    /// `−2 log L − deviance`, the same for every model.
    saturated: f64,
    /// BIC, subset number and fit of the best model so far.
    best: Option<(f64, u64, ModelFit)>,
    /// The pairs (indices) in the order the tree drops them.
    order: Vec<usize>,
}

/// What a visited model tells about the models below it.
struct Node {
    /// A lower bound on the deviance of every submodel.
    deviance: f64,
    /// The linear predictor of its fit over the design's rows, when its MLE exists.
    eta: Option<Vec<f64>>,
}

impl Search<'_> {
    /// Evaluates the model `subset` and then the family below it: the submodels that drop
    /// some of the pairs numbered `first` or above, each visited once (pairs below `first`
    /// that `subset` holds stay in every one of them). `parent` is the model `subset` was cut
    /// from by dropping pair `first − 1`.
    fn visit(&mut self, subset: u64, first: usize, parent: Option<&Node>) -> Result<(), MseError> {
        let node = self.evaluate(subset, first, parent)?;
        let main_effects = 1 + self.dataset.list_count();
        for position in first..self.order.len() {
            let Some(&k) = self.order.get(position).filter(|&&k| subset & (1 << k) != 0) else {
                continue;
            };
            // Every model below the child drops pair k and keeps the pairs of `subset`
            // placed before it, so has at least this many parameters.
            let before = self.order.get(..position).unwrap_or_default();
            let kept_below = before.iter().filter(|&&b| subset & (1 << b) != 0).count();
            let parameters = main_effects + kept_below;
            if self.beaten(node.deviance + self.saturated + parameters as f64 * self.log_n) {
                // Later children keep more pairs, so their bound is higher still.
                break;
            }
            self.visit(subset & !(1 << k), position + 1, Some(&node))?;
        }
        Ok(())
    }

    /// Fits `subset` (warm from its parent when it can), considers it as a candidate when it
    /// could win, and returns what bounds its submodels: its deviance, or its extended MLE's
    /// when its MLE does not exist.
    fn evaluate(&mut self, subset: u64, first: usize, parent: Option<&Node>) -> Result<Node, MseError> {
        let model = subset_pairs(self.pairs, subset);
        // Dropping a pair whose lists overlap keeps the cells of the fit: the MLE of the
        // parent exists, so the submodel's does too (its sufficient statistics are a linear
        // image of the parent's), and its columns stay independent (ADR 0047).
        let dropped_overlapping = first
            .checked_sub(1)
            .and_then(|position| self.order.get(position))
            .and_then(|&k| self.pairs.get(k))
            .is_some_and(|&(i, j)| self.dataset.overlap(i, j) > 0);
        let warm = parent.and_then(|p| p.eta.clone()).filter(|_| dropped_overlapping);
        if warm.is_none() && !check_existence(self.dataset, &model)?.is_ok() {
            // A failed bound only means the family is searched without it.
            return Ok(Node {
                deviance: extended_deviance(self.dataset, &model).unwrap_or(0.0),
                eta: None,
            });
        }
        let design = Design::new(self.dataset, &model);
        let fit = match warm {
            Some(eta) => fit_poisson_from(&design, eta).or_else(|_| fit_poisson(&design))?,
            None => fit_poisson(&design)?,
        };
        let parameters = 1 + self.dataset.list_count() + model.len();
        if !self.beaten(fit.deviance + self.saturated + parameters as f64 * self.log_n) {
            self.consider(subset, &model)?;
        }
        Ok(Node {
            deviance: fit.deviance,
            eta: Some(fit.fitted.iter().map(|m| m.ln()).collect()),
        })
    }

    /// Fits `model` from R's start, exactly as the exhaustive search did, and keeps it if it
    /// is the best so far.
    fn consider(&mut self, subset: u64, model: &[Pair]) -> Result<(), MseError> {
        let fit = fit_model(self.dataset, model)?;
        let bic = fit.bic();
        let better = match &self.best {
            None => true,
            Some((best, number, _)) => bic.total_cmp(best).then(subset.cmp(number)).is_lt(),
        };
        if better {
            self.best = Some((bic, subset, fit));
        }
        Ok(())
    }

    /// The best model so far beats every model whose BIC is at least `bound`.
    fn beaten(&self, bound: f64) -> bool {
        self.best
            .as_ref()
            .is_some_and(|(best, _, _)| bound > best + BOUND_SLACK * best.abs().max(1.0))
    }
}

/// The smallest deviance the model reaches, in the limit where its MLE does not exist: the
/// fit on the cells a direction of recession does not send to 0, with the identifiable
/// columns only (Fienberg & Rinaldo 2012). Taking a zero cell out too many only lowers it.
fn extended_deviance(dataset: &Dataset, pairs: &[Pair]) -> Result<f64, MseError> {
    let mut design = Design::new(dataset, pairs);
    loop {
        let analysis = analyse_design(&design)?;
        if analysis.vanishing.is_empty() {
            design.effects = analysis
                .columns
                .iter()
                .filter_map(|&c| design.effects.get(c).copied())
                .collect();
            return Ok(fit_poisson(&design)?.deviance);
        }
        let keep: Vec<bool> = (0..design.rows()).map(|r| !analysis.vanishing.contains(&r)).collect();
        let mut row = keep.iter();
        design.cells.retain(|_| row.next().copied().unwrap_or(true));
        let mut row = keep.iter();
        design.y.retain(|_| row.next().copied().unwrap_or(true));
    }
}

/// `−2 log L − deviance = −2 Σ (y log y − y − log y!)` over the cells seen (cells at zero
/// add nothing to either, whichever are in the fit).
fn saturated_term(dataset: &Dataset) -> f64 {
    -2.0 * dataset
        .counts()
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let y = c as f64;
            y * y.ln() - y - statrs::function::gamma::ln_gamma(y + 1.0)
        })
        .sum::<f64>()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::bootstrap::resample;

    /// The search as it was before the bounds: every model fitted, lowest (BIC, number).
    fn exhaustive(dataset: &Dataset) -> Result<ModelFit, MseError> {
        let pairs = all_pairs(dataset.list_count());
        let mut best: Option<(f64, u64, ModelFit)> = None;
        for subset in 0..(1_u64 << pairs.len()) {
            let model: Vec<Pair> = pairs
                .iter()
                .enumerate()
                .filter(|&(k, _)| subset & (1 << k) != 0)
                .map(|(_, &pair)| pair)
                .collect();
            if !check_existence(dataset, &model)?.is_ok() {
                continue;
            }
            let fit = fit_model(dataset, &model)?;
            let bic = fit.bic();
            if best.as_ref().is_none_or(|(b, _, _)| bic.total_cmp(b).is_lt()) {
                best = Some((bic, subset, fit));
            }
        }
        best.map(|(_, _, fit)| fit).ok_or(MseError::NoEstimate)
    }

    /// The original table and bootstrap resamples of it (as the BCa bootstrap draws them).
    fn tables(text: &str, replicates: usize) -> Vec<Dataset> {
        let dataset = Dataset::from_csv(text).unwrap().dataset;
        let mut tables = vec![dataset.clone()];
        for i in 0..replicates {
            let counts = resample(dataset.counts(), dataset.observed(), 1, i);
            if let Some(reduced) = dataset.with_counts(counts).unwrap().without_empty_lists().0 {
                tables.push(reduced);
            }
        }
        tables
    }

    fn assert_same_choice(text: &str, replicates: usize) {
        for (i, table) in tables(text, replicates).iter().enumerate() {
            match (select_bic(table), exhaustive(table)) {
                (Ok(fast), Ok(slow)) => {
                    assert_eq!(fast.pairs, slow.pairs, "table {i}");
                    assert_eq!(fast.estimate().to_bits(), slow.estimate().to_bits(), "table {i}");
                }
                (fast, slow) => assert_eq!(fast.err(), slow.err(), "table {i}"),
            }
        }
    }

    #[test]
    fn bounded_search_chooses_as_the_exhaustive_one_on_uk_resamples() {
        assert_same_choice(include_str!("../tests/data/UKdat.csv"), 20);
    }

    #[test]
    fn bounded_search_chooses_as_the_exhaustive_one_on_western_resamples() {
        assert_same_choice(include_str!("../tests/data/Western.csv"), 20);
    }

    #[test]
    fn bounded_search_chooses_as_the_exhaustive_one_on_small_tables() {
        assert_same_choice(include_str!("../tests/data/Korea.csv"), 20);
        assert_same_choice(include_str!("../tests/data/Artificial_3.csv"), 20);
    }
}
