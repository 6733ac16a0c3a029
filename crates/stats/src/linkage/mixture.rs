//! A threshold read from the score distribution, and the precision and recall to expect at any
//! threshold (issue 15, part 2; ADR 0049).
//!
//! The scores of the pairs matched one to one between each two sources, from [`FLOOR`], are a
//! mixture of true matches and strangers. Keys alike to a bit or two (score ≥ [`SAME_KEY`]) are
//! counted as matches and left out of the fit: they are a spike no smooth density follows. The
//! others are fitted by EM with three Beta densities on the score rescaled to (0, 1): the true
//! matches take two shapes (one typing error, several), the strangers one or two. A component
//! counts as strangers when its mean is nearer the lowest mean than the highest. The threshold
//! is the lowest score from which a pair is more likely a match than not (posterior ≥ 0.5).
//! EM runs on the scores counted in narrow bins, so that its cost does not grow with the pairs
//! (ADR 0060). The posterior of each pair then gives the expected false matches above a
//! threshold and the expected true matches under it.
//!
//! Otsu's method (ADR 0032) and two components failed on FEBRL 4, where strangers are 1 % of
//! the pairs: the two components split the true matches instead.

use serde::Serialize;

use super::clk::Clk;
use super::link::{DEFAULT_THRESHOLD, Match, one_to_one};

/// Scores under this are not fitted: a pair this far apart is a stranger. From 0.3 the fit is
/// a little closer on FEBRL 4, but matching from there compares ten times more candidate pairs
/// (2.4 million against 0.26 million), and the quality report already matches from 0.4 at the
/// default threshold.
pub const FLOOR: f64 = 0.4;
/// Scores from this are keys alike to a bit or two: counted as matches, not fitted.
pub const SAME_KEY: f64 = 0.999;
/// Fewest fitted pairs for a mixture; fewer say too little about the distribution.
pub const MIN_PAIRS: usize = 30;
/// Grid on which the posterior is read to find the threshold.
const STEP: f64 = 0.005;
/// Initial split of the fitted scores among the three components.
const INITIAL_CUTS: [f64; 2] = [0.5, 0.85];
const MAX_ITERATIONS: usize = 1000;
/// Relative change of the log-likelihood at which EM stops.
const TOLERANCE: f64 = 1e-10;
/// Rescaled scores are kept this far from 0 and 1, where Beta densities may be infinite.
const EDGE: f64 = 1e-3;

/// One Beta density of the mixture, on the score rescaled from [`FLOOR`]–[`SAME_KEY`] to (0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Component {
    /// Share of the fitted pairs.
    pub share: f64,
    pub alpha: f64,
    pub beta: f64,
    /// Mean score (not rescaled).
    pub mean_score: f64,
    /// Whether the component is taken for true matches.
    pub matches: bool,
}

/// The fitted mixture of the scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreMixture {
    pub floor: f64,
    pub components: Vec<Component>,
    /// Pairs fitted (from the floor, under [`SAME_KEY`]) and pairs at [`SAME_KEY`] or above.
    pub fitted: usize,
    pub same_key: usize,
}

/// What the mixture expects of the pairs kept at a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimated {
    pub threshold: f64,
    /// Pairs at or above the threshold.
    pub kept: usize,
    /// Expected strangers among the pairs kept.
    pub false_above: f64,
    /// Expected true matches among the pairs under the threshold (from the floor).
    pub true_below: f64,
    /// 1 − false_above / kept.
    pub precision: f64,
    /// True matches kept over true matches from the floor (those under the floor are not
    /// seen, so recall is overstated by their share).
    pub recall: f64,
}

fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

fn rescale(score: f64, floor: f64) -> f64 {
    ((score - floor) / (SAME_KEY - floor)).clamp(EDGE, 1.0 - EDGE)
}

/// The fitted scores, rescaled, counted in [`BINS`] bins of equal width: EM then costs
/// O(bins) per iteration instead of O(pairs). The scores are not few distinct values (FEBRL 4
/// with the address: 3,394 distinct among 5,000), but bins 1/512 wide (0.0012 of score) are
/// a quarter of the 0.005 grid the threshold is read on. FEBRL 4 (with and without the
/// address) and the four generated sources keep the threshold of the fit on every score with
/// 512 or 1,024 bins (ADR 0060).
const BINS: usize = 512;

/// One bin of rescaled scores: how many, their sum and sum of squares (so that the moments of
/// the M step are those of the scores themselves), and the logarithms the densities need, at
/// the bin's mean.
#[derive(Debug, Clone, Copy, Default)]
struct Bin {
    count: f64,
    sum: f64,
    squares: f64,
    ln_y: f64,
    ln_1y: f64,
}

/// The nonempty bins of rescaled scores.
fn bins(values: &[f64]) -> Vec<Bin> {
    let mut bins = vec![Bin::default(); BINS];
    for &y in values {
        let bin = &mut bins[((y * BINS as f64) as usize).min(BINS - 1)];
        bin.count += 1.0;
        bin.sum += y;
        bin.squares += y * y;
    }
    bins.retain(|b| b.count > 0.0);
    for bin in &mut bins {
        let mean = bin.sum / bin.count;
        (bin.ln_y, bin.ln_1y) = (mean.ln(), (1.0 - mean).ln());
    }
    bins
}

/// Beta parameters by the method of moments of the scores, each bin's scores weighted alike.
fn moments(bins: &[Bin], weights: &[f64]) -> (f64, f64) {
    let (mut total, mut sum, mut squares) = (0.0, 0.0, 0.0);
    for (bin, w) in bins.iter().zip(weights) {
        total += w * bin.count;
        sum += w * bin.sum;
        squares += w * bin.squares;
    }
    let total = total.max(f64::MIN_POSITIVE);
    let mean = sum / total;
    let variance = squares / total - mean * mean;
    let mean = mean.clamp(EDGE, 1.0 - EDGE);
    let common = (mean * (1.0 - mean) / variance.max(1e-9) - 1.0).max(1e-3);
    (mean * common, (1.0 - mean) * common)
}

impl ScoreMixture {
    /// Fits the mixture to the scores of one-to-one pairs (those under `floor` are ignored);
    /// `None` with fewer than [`MIN_PAIRS`] scores to fit.
    pub fn fit(scores: &[f64], floor: f64) -> Option<Self> {
        let same_key = scores.iter().filter(|&&s| s >= SAME_KEY).count();
        let fitted = scores.iter().filter(|&&s| s >= floor && s < SAME_KEY).count();
        if fitted < MIN_PAIRS || floor >= SAME_KEY {
            return None;
        }
        let values: Vec<f64> = scores
            .iter()
            .filter(|&&s| s >= floor && s < SAME_KEY)
            .map(|&s| rescale(s, floor))
            .collect();
        let bins = bins(&values);
        // Start: each bin in the component of its mean score's band (a trace elsewhere, so
        // none is empty).
        let band = |bin: &Bin| {
            let score = floor + bin.sum / bin.count * (SAME_KEY - floor);
            INITIAL_CUTS.iter().filter(|&&c| score >= c).count()
        };
        let mut weights: Vec<Vec<f64>> = (0..3)
            .map(|k| bins.iter().map(|b| if band(b) == k { 1.0 } else { 1e-6 }).collect())
            .collect();
        let mut shapes = [(1.0, 1.0); 3];
        let mut shares = [1.0 / 3.0; 3];
        let mut previous = f64::NEG_INFINITY;
        for _ in 0..MAX_ITERATIONS {
            for k in 0..3 {
                shares[k] = weights[k].iter().zip(&bins).map(|(w, b)| w * b.count).sum::<f64>() / fitted as f64;
                shapes[k] = moments(&bins, &weights[k]);
            }
            let norms = shapes.map(|(a, b)| ln_beta(a, b));
            let mut likelihood = 0.0;
            for (i, bin) in bins.iter().enumerate() {
                let densities: [f64; 3] = std::array::from_fn(|k| {
                    let (a, b) = shapes[k];
                    shares[k] * ((a - 1.0) * bin.ln_y + (b - 1.0) * bin.ln_1y - norms[k]).exp()
                });
                let total: f64 = densities.iter().sum::<f64>().max(f64::MIN_POSITIVE);
                likelihood += bin.count * total.ln();
                for k in 0..3 {
                    weights[k][i] = densities[k] / total;
                }
            }
            if (likelihood - previous).abs() <= TOLERANCE * likelihood.abs() {
                break;
            }
            previous = likelihood;
        }
        let mean_score = |(a, b): (f64, f64)| floor + a / (a + b) * (SAME_KEY - floor);
        let means = shapes.map(mean_score);
        let lowest = means.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let components = (0..3)
            .map(|k| Component {
                share: shares[k],
                alpha: shapes[k].0,
                beta: shapes[k].1,
                mean_score: means[k],
                matches: means[k] - lowest >= highest - means[k],
            })
            .collect();
        Some(Self {
            floor,
            components,
            fitted,
            same_key,
        })
    }

    /// The probability that a pair of this score is a true match.
    pub fn match_probability(&self, score: f64) -> f64 {
        if score >= SAME_KEY {
            return 1.0;
        }
        let y = rescale(score, self.floor);
        let (mut matches, mut total) = (0.0, 0.0);
        for c in &self.components {
            let density =
                c.share * ((c.alpha - 1.0) * y.ln() + (c.beta - 1.0) * (1.0 - y).ln() - ln_beta(c.alpha, c.beta)).exp();
            total += density;
            if c.matches {
                matches += density;
            }
        }
        if total > 0.0 { matches / total } else { 0.0 }
    }

    /// The lowest score, on a grid of 0.005 from the floor, from which every score is more
    /// likely a match than not.
    pub fn threshold(&self) -> f64 {
        let steps = ((SAME_KEY - self.floor) / STEP).floor() as usize;
        let mut threshold = SAME_KEY;
        for i in (0..=steps).rev() {
            let score = self.floor + i as f64 * STEP;
            if self.match_probability(score) < 0.5 {
                break;
            }
            threshold = score;
        }
        (threshold * 1000.0).round() / 1000.0
    }

    /// What the mixture expects of the pairs of `scores` (those of the fit) kept at `threshold`.
    pub fn estimate(&self, scores: &[f64], threshold: f64) -> Estimated {
        let (mut kept, mut true_above, mut false_above, mut true_below) = (0usize, 0.0, 0.0, 0.0);
        for &s in scores.iter().filter(|&&s| s >= self.floor) {
            let p = self.match_probability(s);
            if s >= threshold {
                kept += 1;
                true_above += p;
                false_above += 1.0 - p;
            } else {
                true_below += p;
            }
        }
        let ratio = |x: f64, y: f64| if y > 0.0 { x / y } else { 1.0 };
        Estimated {
            threshold,
            kept,
            false_above,
            true_below,
            precision: ratio(true_above, kept as f64),
            recall: ratio(true_above, true_above + true_below),
        }
    }
}

/// The scores of the pairs matched one to one between each two sources, from `floor`.
pub fn pair_scores(sources: &[Vec<Clk>], floor: f64) -> Vec<f64> {
    let mut scores = Vec::new();
    for s in 0..sources.len() {
        for t in s + 1..sources.len() {
            scores.extend(one_to_one(&sources[s], &sources[t], floor).iter().map(|m| m.score));
        }
    }
    scores
}

/// The threshold read from the sources' scores, or `None` when too few pairs reach the floor.
pub fn automatic_threshold(sources: &[Vec<Clk>]) -> Option<f64> {
    ScoreMixture::fit(&pair_scores(sources, FLOOR), FLOOR).map(|m| m.threshold())
}

/// Two sources matched one to one at the threshold read from their scores, and that threshold
/// (`None` when too few pairs reach the floor: then matched at [`DEFAULT_THRESHOLD`]). One
/// matching from the floor gives both the scores and the pairs: greedy matching keeps the same
/// pairs above any score whatever the floor under it, so the pairs at the threshold are those
/// from the floor that reach it, best first.
pub fn one_to_one_automatic(a: &[Clk], b: &[Clk]) -> (Option<f64>, Vec<Match>) {
    let mut matches = one_to_one(a, b, FLOOR);
    let scores: Vec<f64> = matches.iter().map(|m| m.score).collect();
    let threshold = ScoreMixture::fit(&scores, FLOOR).map(|m| m.threshold());
    let kept = threshold.unwrap_or(DEFAULT_THRESHOLD);
    matches.retain(|m| m.score >= kept);
    (threshold, matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// Scores drawn from two bands: strangers spread over 0.3–0.6, matches over 0.8–0.99 and
    /// half as many again at 1 (identical keys).
    fn two_bands(strangers: usize, matches: usize) -> Vec<f64> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(49);
        let mut scores: Vec<f64> = (0..strangers).map(|_| rng.random_range(0.3..0.6)).collect();
        scores.extend((0..matches).map(|_| rng.random_range(0.8..0.99)));
        scores.extend(std::iter::repeat_n(1.0, matches / 2));
        scores
    }

    #[test]
    fn the_threshold_falls_between_strangers_and_matches() {
        let scores = two_bands(600, 300);
        let mixture = ScoreMixture::fit(&scores, FLOOR).unwrap();
        assert_eq!(mixture.same_key, 150);
        let threshold = mixture.threshold();
        assert!((0.6..=0.8).contains(&threshold), "{threshold}");
        assert!(mixture.match_probability(0.45) < 0.01);
        assert!(mixture.match_probability(0.95) > 0.99);
        let estimated = mixture.estimate(&scores, threshold);
        assert_eq!(estimated.kept, 450);
        assert!(estimated.precision > 0.99 && estimated.recall > 0.99, "{estimated:?}");
        let low = mixture.estimate(&scores, 0.45);
        assert!((low.false_above - 300.0).abs() < 15.0, "{low:?}");
    }

    #[test]
    fn the_bins_keep_the_mean_and_variance_of_the_scores() {
        let values: Vec<f64> = two_bands(600, 300)
            .iter()
            .filter(|s| (FLOOR..SAME_KEY).contains(*s))
            .map(|&s| rescale(s, FLOOR))
            .collect();
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|y| (y - mean) * (y - mean)).sum::<f64>() / n;
        let common = mean * (1.0 - mean) / variance - 1.0;
        let bins = bins(&values);
        assert!(bins.len() < values.len() && bins.len() <= BINS);
        let (alpha, beta) = moments(&bins, &vec![1.0; bins.len()]);
        assert!(
            (alpha - mean * common).abs() < 1e-9 && (beta - (1.0 - mean) * common).abs() < 1e-9,
            "{alpha} {beta}"
        );
    }

    #[test]
    fn too_few_pairs_give_no_mixture() {
        assert_eq!(ScoreMixture::fit(&[0.5, 0.9, 1.0], FLOOR), None);
        assert_eq!(ScoreMixture::fit(&two_bands(600, 300), 1.0), None);
    }
}
