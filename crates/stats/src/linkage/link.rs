//! Linking two encoded sources one to one: every pair's Dice coefficient, then the pairs at or
//! above the threshold accepted greedily from the best, each record in at most one pair.
//!
//! Keys of the default length (1,024 bits) are laid out as contiguous rows and compared by the
//! fastest popcount kernel of the CPU ([`super::popcount`]), a block of the second source at a
//! time (tiling: the block stays in the first-level cache while rows of the first source pass
//! over it); the AVX-512 kernel reads the second source transposed in groups of eight keys,
//! made once per source (ADR 0064). Before the kernel runs, the Dice bound from popcounts alone,
//! 2·min(|a|,|b|)/(|a|+|b|), skips the keys that cannot reach the threshold: the second source
//! is sorted by popcount, so that the keys a row can reach form one contiguous range. Chunks of
//! the first source are spread over the cores. Keys of other lengths take the portable path.

use rayon::prelude::*;

use super::blocking::{BLOCKING_ABOVE_PAIRS, Banding, BitSampling};
use super::clk::Clk;
use super::popcount::{Kernel, Keys, Row};

/// The Dice coefficient from which two keys of the default parameters are taken for the same
/// person. On FEBRL 4, 0.4 gives the best F1 of two sources matched one to one (0.989), but
/// across four sources it links strangers into one person; 0.6 keeps FEBRL 4's precision at
/// 0.998 (F1 0.977) and finds the right number of persons in a simulated population.
pub const DEFAULT_THRESHOLD: f64 = 0.6;

/// A matched pair: indices into the two sources and the Dice coefficient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    pub a: usize,
    pub b: usize,
    pub score: f64,
}

/// How the pairs are compared; the default is the fastest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    pub kernel: Kernel,
    /// Skip the keys whose popcounts alone keep them under the threshold.
    pub prefilter: bool,
    pub blocking: Blocking,
}

/// Whether only the pairs sharing a band of MinHashes are compared ([`super::blocking`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocking {
    /// Every pair up to [`BLOCKING_ABOVE_PAIRS`] pairs, blocking above.
    Auto,
    Never,
    Always(Banding),
}

impl Default for Scan {
    fn default() -> Self {
        Self {
            kernel: Kernel::detect(),
            prefilter: true,
            blocking: Blocking::Auto,
        }
    }
}

/// Keys of the second source in a block, sized so that the block (16 KiB) and the counts stay
/// in the first-level data cache.
const BLOCK: usize = 128;
/// Rows of the first source per task given to a core.
const CHUNK: usize = 64;

/// Keys laid out for the kernels: rows sorted by popcount, with their original positions.
pub struct Rows {
    keys: Keys,
    ones: Vec<u32>,
    index: Vec<usize>,
}

impl Rows {
    /// `None` unless every key has the default length.
    pub fn new(keys: &[Clk]) -> Option<Self> {
        let mut laid: Vec<(u32, usize, Row)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| Some((k.ones(), i, <Row>::try_from(k.0.as_slice()).ok()?)))
            .collect::<Option<_>>()?;
        laid.sort_unstable_by_key(|&(ones, i, _)| (ones, i));
        Some(Self {
            ones: laid.iter().map(|l| l.0).collect(),
            index: laid.iter().map(|l| l.1).collect(),
            keys: Keys::new(laid.into_iter().map(|l| l.2).collect()),
        })
    }

    pub fn len(&self) -> usize {
        self.keys.rows().len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.rows().is_empty()
    }

    /// The keys, sorted by popcount.
    pub fn rows(&self) -> &[Row] {
        self.keys.rows()
    }

    /// The popcount of each key of [`Rows::rows`].
    pub fn ones(&self) -> &[u32] {
        &self.ones
    }

    /// The position in the source of the key at `sorted` in [`Rows::rows`].
    pub fn original(&self, sorted: usize) -> usize {
        self.index[sorted]
    }
}

/// The popcounts `y` for which 2·min(x,y)/(x+y) can reach `threshold`: from t·x/(2−t) to
/// x·(2−t)/t, widened by one for rounding (the exact test follows).
fn reachable(x: u32, threshold: f64) -> (u32, u32) {
    if threshold <= 0.0 {
        return (0, u32::MAX);
    }
    let t = threshold.min(1.0);
    let x = f64::from(x);
    let low = (t * x / (2.0 - t)).floor() - 1.0;
    let high = (x * (2.0 - t) / t).ceil() + 1.0;
    (low.max(0.0) as u32, high.min(f64::from(u32::MAX)) as u32)
}

/// The quick test's weight of a popcount: `t16 · ones` where `t16` is the threshold in
/// 1/65,536ths rounded down and less one, so that `common · 2¹⁷ ≥ t16 · (x + y)` holds for every
/// pair whose Dice coefficient reaches the threshold (the exact test follows).
fn quick_weight(threshold: f64) -> u32 {
    ((threshold.clamp(0.0, 1.0) * 65_536.0).floor() as u32).saturating_sub(1)
}

/// Every pair of `a` and `b` scoring at least `threshold`, in no particular order, on the
/// current thread.
pub fn scan_rows(
    scan: Scan,
    a: &Rows,
    a_range: std::ops::Range<usize>,
    b: &Rows,
    threshold: f64,
    found: &mut Vec<Match>,
) {
    let mut common = [0u32; BLOCK];
    let t16 = quick_weight(threshold);
    let need_b: Vec<u32> = b.ones.iter().map(|&y| t16 * y).collect();
    // The keys of b each row can reach, by popcount (b is sorted by popcount).
    let reach: Vec<(usize, usize)> = a_range
        .clone()
        .map(|i| {
            if !scan.prefilter {
                return (0, b.len());
            }
            let (low, high) = reachable(a.ones[i], threshold);
            (
                b.ones.partition_point(|&y| y < low),
                b.ones.partition_point(|&y| y <= high),
            )
        })
        .collect();
    for start in (0..b.len()).step_by(BLOCK) {
        let end = (start + BLOCK).min(b.len());
        for (i, &(reach_from, reach_to)) in a_range.clone().zip(&reach) {
            let (from, to) = (start.max(reach_from), end.min(reach_to));
            if from >= to {
                continue;
            }
            let x = a.ones[i];
            let out = &mut common[..to - from];
            if !scan
                .kernel
                .common_reaching_in(&a.rows()[i], &b.keys, from..to, out, t16 * x, &need_b[from..to])
            {
                continue;
            }
            for (k, &c) in out.iter().enumerate() {
                let total = x + b.ones[from + k];
                if total > 0 && 2.0 * f64::from(c) / f64::from(total) >= threshold {
                    found.push(Match {
                        a: a.index[i],
                        b: b.index[from + k],
                        score: 2.0 * f64::from(c) / f64::from(total),
                    });
                }
            }
        }
    }
}

/// Every pair scoring at least `threshold`, best first (ties by indices, so the result is the
/// same whatever the number of threads).
pub fn candidates(a: &[Clk], b: &[Clk], threshold: f64) -> Vec<Match> {
    candidates_with(Scan::default(), a, b, threshold)
}

/// [`candidates`] with a chosen kernel and pre-filter.
pub fn candidates_with(scan: Scan, a: &[Clk], b: &[Clk], threshold: f64) -> Vec<Match> {
    let mut found = match (Rows::new(a), Rows::new(b)) {
        (Some(ra), Some(rb)) => {
            let banding = match scan.blocking {
                Blocking::Never => None,
                Blocking::Always(banding) => Some(banding),
                Blocking::Auto => (ra.len().saturating_mul(rb.len()) > BLOCKING_ABOVE_PAIRS).then(Banding::default),
            };
            match banding {
                Some(banding) => BitSampling::new(banding).candidates(scan.kernel, &ra, &rb, threshold),
                None => rows_candidates(scan, &ra, &rb, threshold),
            }
        }
        _ => portable_candidates(a, b, threshold),
    };
    found.sort_by(|m, n| n.score.total_cmp(&m.score).then(m.a.cmp(&n.a)).then(m.b.cmp(&n.b)));
    found
}

/// Every pair of laid-out keys at or above `threshold`, unordered, chunks of `a` over the cores.
pub fn rows_candidates(scan: Scan, a: &Rows, b: &Rows, threshold: f64) -> Vec<Match> {
    let chunks: Vec<usize> = (0..a.len()).step_by(CHUNK).collect();
    chunks
        .into_par_iter()
        .flat_map_iter(|start| {
            let mut found = Vec::new();
            scan_rows(scan, a, start..(start + CHUNK).min(a.len()), b, threshold, &mut found);
            found
        })
        .collect()
}

/// Bits set in both keys (the keys have the same length).
fn common_bits(a: &[u64], b: &[u64]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
}

/// Keys of another length than the default: every pair, portable popcount.
fn portable_candidates(a: &[Clk], b: &[Clk], threshold: f64) -> Vec<Match> {
    let ones_b: Vec<u32> = b.iter().map(Clk::ones).collect();
    a.par_iter()
        .enumerate()
        .flat_map_iter(|(i, x)| {
            let ones_a = x.ones();
            let ones_b = &ones_b;
            b.iter().enumerate().filter_map(move |(j, y)| {
                let total = ones_a + ones_b[j];
                if total == 0 {
                    return None;
                }
                let score = 2.0 * f64::from(common_bits(&x.0, &y.0)) / f64::from(total);
                (score >= threshold).then_some(Match { a: i, b: j, score })
            })
        })
        .collect()
}

/// Scores from which one-to-one matching under it starts: most true pairs reach it, so that
/// few records are left for the pairs under it.
const FIRST_STAGE: f64 = DEFAULT_THRESHOLD;

/// One-to-one matching: the best remaining pair first, each record used once.
///
/// Under [`FIRST_STAGE`], in two stages with the same result when every pair is compared: the
/// pairs from the first stage are matched first, then the pairs under it of the records still
/// free, compared among themselves. Greedy matching takes every pair of the first stage before
/// any under it, and a pair under it between two records that one of them joined is skipped
/// anyway; two records left free score under the first stage, or they would have been matched.
/// Matching FEBRL 4 from 0.4 (the score mixture's floor) then compares the 25 million pairs at
/// 0.6 and a few thousand at 0.4, instead of sorting every candidate from 0.4.
pub fn one_to_one(a: &[Clk], b: &[Clk], threshold: f64) -> Vec<Match> {
    if threshold >= FIRST_STAGE {
        return one_to_one_of(candidates(a, b, threshold), a.len(), b.len());
    }
    let mut matches = one_to_one_of(candidates(a, b, FIRST_STAGE), a.len(), b.len());
    let free = |len: usize, used: &mut dyn Iterator<Item = usize>| {
        let mut taken = vec![false; len];
        used.for_each(|i| taken[i] = true);
        (0..len).filter(|&i| !taken[i]).collect::<Vec<usize>>()
    };
    let free_a = free(a.len(), &mut matches.iter().map(|m| m.a));
    let free_b = free(b.len(), &mut matches.iter().map(|m| m.b));
    let keys = |source: &[Clk], free: &[usize]| free.iter().map(|&i| source[i].clone()).collect::<Vec<Clk>>();
    let (rest_a, rest_b) = (keys(a, &free_a), keys(b, &free_b));
    // Positions among the free records rise with the positions in the sources, so that ties
    // between equal scores are broken as in one matching of all the candidates.
    matches.extend(
        one_to_one_of(candidates(&rest_a, &rest_b, threshold), rest_a.len(), rest_b.len())
            .into_iter()
            .map(|m| Match {
                a: free_a[m.a],
                b: free_b[m.b],
                score: m.score,
            }),
    );
    matches
}

/// One-to-one matching of candidate pairs between sources of `len_a` and `len_b` records.
pub fn one_to_one_of(mut candidates: Vec<Match>, len_a: usize, len_b: usize) -> Vec<Match> {
    candidates.sort_by(|m, n| n.score.total_cmp(&m.score).then(m.a.cmp(&n.a)).then(m.b.cmp(&n.b)));
    let mut used_a = vec![false; len_a];
    let mut used_b = vec![false; len_b];
    let mut matches = Vec::new();
    for m in candidates {
        if !used_a[m.a] && !used_b[m.b] {
            used_a[m.a] = true;
            used_b[m.b] = true;
            matches.push(m);
        }
    }
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_pairs_win_and_each_record_is_used_once() {
        let a = vec![Clk(vec![0b1111]), Clk(vec![0b1110_0000])];
        let b = vec![Clk(vec![0b0111]), Clk(vec![0b1111]), Clk(vec![0b1100_0000])];
        let matches = one_to_one(&a, &b, 0.5);
        assert_eq!(matches.len(), 2);
        assert_eq!((matches[0].a, matches[0].b, matches[0].score), (0, 1, 1.0));
        assert_eq!((matches[1].a, matches[1].b), (1, 2));
        assert!((matches[1].score - 0.8).abs() < 1e-12);
        assert!(one_to_one(&a, &b, 0.95).len() == 1);
    }

    #[test]
    fn matching_in_two_stages_gives_what_one_matching_of_every_candidate_gives() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(60);
        // Noisy copies of random keys, so that scores spread over both stages; noise is drawn
        // on a few positions only, so that equal scores occur and ties are tested too.
        let key = |rng: &mut rand_chacha::ChaCha8Rng| -> Vec<u64> {
            (0..16).map(|_| rng.random::<u64>() & rng.random::<u64>()).collect()
        };
        let originals: Vec<Vec<u64>> = (0..300).map(|_| key(&mut rng)).collect();
        let noisy = |rng: &mut rand_chacha::ChaCha8Rng, k: &[u64]| {
            let mut copy = k.to_vec();
            for _ in 0..rng.random_range(0..200) {
                let bit = rng.random_range(0..1024);
                copy[bit / 64] ^= 1 << (bit % 64);
            }
            Clk(copy)
        };
        let a: Vec<Clk> = originals.iter().map(|k| noisy(&mut rng, k)).collect();
        let b: Vec<Clk> = originals.iter().rev().map(|k| noisy(&mut rng, k)).collect();
        for threshold in [0.0, 0.3, 0.45, 0.59] {
            let once = one_to_one_of(candidates(&a, &b, threshold), a.len(), b.len());
            let staged = one_to_one(&a, &b, threshold);
            assert!(once.iter().any(|m| m.score < FIRST_STAGE) && once.iter().any(|m| m.score >= FIRST_STAGE));
            assert_eq!(staged, once, "at {threshold}");
        }
    }

    #[test]
    fn every_kernel_with_or_without_the_prefilter_finds_what_every_pair_finds() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(36);
        // Keys of varied density (so that the popcount bound prunes), half of them noisy
        // copies of another (so that pairs reach the thresholds).
        let mut keys: Vec<Clk> = Vec::new();
        for n in 0..600 {
            let key = if n % 2 == 1 {
                let mut copy = keys[n - 1].0.clone();
                for _ in 0..rng.random_range(0..120) {
                    let bit = rng.random_range(0..1024);
                    copy[bit / 64] ^= 1 << (bit % 64);
                }
                copy
            } else {
                let density = rng.random_range(0.05..0.5);
                (0..16)
                    .map(|_| (0..64).fold(0u64, |w, bit| w | (u64::from(rng.random_bool(density)) << bit)))
                    .collect()
            };
            keys.push(Clk(key));
        }
        let a: Vec<Clk> = keys.iter().step_by(2).cloned().collect();
        let b: Vec<Clk> = keys.iter().skip(1).step_by(2).cloned().collect();
        let (a, b) = (a.as_slice(), b.as_slice());
        for threshold in [0.0, 0.3, 0.6, 0.9] {
            let mut expected = portable_candidates(a, b, threshold);
            expected.sort_by(|m, n| n.score.total_cmp(&m.score).then(m.a.cmp(&n.a)).then(m.b.cmp(&n.b)));
            assert!(!expected.is_empty());
            for kernel in Kernel::available() {
                for prefilter in [false, true] {
                    let scan = Scan {
                        kernel,
                        prefilter,
                        blocking: Blocking::Never,
                    };
                    let found = candidates_with(scan, a, b, threshold);
                    assert_eq!(found, expected, "{} {prefilter} at {threshold}", kernel.name());
                }
            }
        }
    }
}
