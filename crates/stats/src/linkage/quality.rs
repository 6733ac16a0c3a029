//! What an analyst reviews before trusting a linkage (issue 15, part 2): the distribution of
//! the scores of the pairs matched one to one between each two sources, from a floor under the
//! threshold, the pairs closest to the threshold, where a change of threshold would add or
//! remove a link, and the precision and recall to expect, from a mixture fitted to the scores
//! ([`super::mixture`]).

use serde::Serialize;

use super::clk::Clk;
use super::cluster::RecordRef;
use super::link::one_to_one;
use super::mixture::{Estimated, FLOOR, ScoreMixture};

/// How far under the threshold the scores are shown.
pub const BELOW_THRESHOLD: f64 = 0.2;
/// Pairs within this distance of the threshold are "near" it.
pub const NEAR: f64 = 0.05;
/// Bins of the histogram per unit of score (bins 0.05 wide).
pub const BINS_PER_UNIT: u32 = 20;

/// One bin of the score histogram: pairs scoring in `[from, from + 0.05)` (1 included in the
/// last bin).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub from: f64,
    pub pairs: usize,
}

/// A matched pair near the threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearPair {
    pub a: RecordRef,
    pub b: RecordRef,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    pub threshold: f64,
    /// Bins from `threshold - BELOW_THRESHOLD` (rounded down to a bin) to 1.
    pub histogram: Vec<Bin>,
    /// Pairs kept (at or above the threshold) and pairs under it but within [`NEAR`].
    pub kept: usize,
    pub near_above: usize,
    pub near_below: usize,
    /// Up to `max_near` pairs closest to the threshold, closest first.
    pub near_pairs: Vec<NearPair>,
    /// The mixture fitted to the scores from [`FLOOR`], `None` when too few pairs reach it.
    pub mixture: Option<ScoreMixture>,
    /// The threshold the mixture reads from the scores (posterior of a match ≥ 0.5).
    pub automatic_threshold: Option<f64>,
    /// Precision and recall the mixture expects at `threshold`.
    pub estimated: Option<Estimated>,
}

/// The quality report of linking `sources` at `threshold`.
pub fn quality(sources: &[Vec<Clk>], threshold: f64, max_near: usize) -> Quality {
    let per_unit = f64::from(BINS_PER_UNIT);
    // A hair added so that 0.6 − 0.2 starts at 0.4, not at the bin under 0.39999….
    let first = ((threshold - BELOW_THRESHOLD).max(0.0) * per_unit + 1e-9).floor() as u32;
    let floor = f64::from(first) / per_unit;
    // One matching from the lower floor serves both: greedy matching keeps the same pairs above
    // any score whatever the floor under it.
    let mut pairs = Vec::new();
    let mut scores = Vec::new();
    for s in 0..sources.len() {
        for t in s + 1..sources.len() {
            for m in one_to_one(&sources[s], &sources[t], floor.min(FLOOR)) {
                scores.push(m.score);
                if m.score < floor {
                    continue;
                }
                pairs.push(NearPair {
                    a: (s, m.a),
                    b: (t, m.b),
                    score: m.score,
                });
            }
        }
    }
    let bins = BINS_PER_UNIT.saturating_sub(first).max(1) as usize;
    let mut histogram: Vec<Bin> = (0..bins)
        .map(|i| Bin {
            from: f64::from(first + i as u32) / per_unit,
            pairs: 0,
        })
        .collect();
    for p in &pairs {
        let i = (((p.score * per_unit).floor() as usize).saturating_sub(first as usize)).min(bins - 1);
        histogram[i].pairs += 1;
    }
    let near = |p: &&NearPair| (p.score - threshold).abs() <= NEAR;
    let kept = pairs.iter().filter(|p| p.score >= threshold).count();
    let near_above = pairs.iter().filter(near).filter(|p| p.score >= threshold).count();
    let near_below = pairs.iter().filter(near).filter(|p| p.score < threshold).count();
    let mut near_pairs: Vec<NearPair> = pairs.iter().filter(near).cloned().collect();
    near_pairs.sort_by(|x, y| {
        (x.score - threshold)
            .abs()
            .total_cmp(&(y.score - threshold).abs())
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    near_pairs.truncate(max_near);
    let mixture = ScoreMixture::fit(&scores, FLOOR);
    Quality {
        automatic_threshold: mixture.as_ref().map(ScoreMixture::threshold),
        estimated: mixture.as_ref().map(|m| m.estimate(&scores, threshold)),
        mixture,
        threshold,
        histogram,
        kept,
        near_above,
        near_below,
        near_pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_counts_the_matched_pairs_and_the_near_ones_are_named() {
        let key = |bits: u64| Clk(vec![bits]);
        // Scores: a0–b0 1.0; a1–b1 0.6 (3 bits common, 5 + 5 set); a2–b2 0.5 (2 common, 4 + 4).
        let a = vec![key(0b1111), key(0b1_1111 << 4), key(0b1111 << 20)];
        let b = vec![key(0b1111), key(0b111 << 4 | 0b11 << 10), key(0b11 << 22 | 0b11 << 30)];
        let sources = [a, b];
        let q = quality(&sources, 0.58, 10);
        assert_eq!(q.histogram.first().map(|b| b.from), Some(0.35));
        assert_eq!(
            q.histogram.iter().map(|b| b.pairs).collect::<Vec<_>>(),
            [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]
        );
        assert_eq!((q.kept, q.near_above, q.near_below), (2, 1, 0));
        assert_eq!(
            q.near_pairs,
            [NearPair {
                a: (0, 1),
                b: (1, 1),
                score: 0.6
            }]
        );
        assert_eq!(
            (q.mixture, q.automatic_threshold, q.estimated),
            (None, None, None),
            "three pairs fit no mixture"
        );
        let q = quality(&sources, 0.52, 10);
        assert_eq!((q.kept, q.near_above, q.near_below), (2, 0, 1));
        assert_eq!(q.near_pairs[0].a, (0, 2));
    }
}
