//! Blocking for large sources: locality-sensitive hashing on the keys, so that only pairs
//! likely to reach the threshold are compared.
//!
//! Bit sampling for the Hamming distance: a band is `rows` bit positions drawn at random, and
//! two keys share the band when they agree on all of them, with probability (1 − h/1024)^rows
//! for keys `h` bits apart; they become a candidate pair when any of `bands` bands agrees.
//! Keys of the same person differ by few bits and strangers by many: on keys of about 300 set
//! bits, a typing error leaves h ≈ 50 (a band of the default 40 rows agrees with probability
//! 0.13, so one of 40 bands misses with probability 0.003), strangers h ≈ 420 (7 · 10⁻¹⁰ per
//! band). MinHash over the set bits separates about as well but costs a search for the first
//! set bit per hash: its signatures alone (48 bands of 7) took 1.1 s for 200,000 keys, against
//! 1.8 s for the whole linkage of 100,000 × 100,000 here. Measured on the generated population
//! (`benches/linkage_million.rs`): blocking keeps 0.991 of the true pairs that every pair's
//! comparison finds, at a million records against a million.
//! The positions are public (fixed seed): they only need the keys, never the secret.
//!
//! Each band sorts both sources by the band's value and compares the keys that share it; a
//! pair found in several bands is kept once, by the first band where it agrees.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::link::{Match, Rows};
use super::popcount::{Kernel, Row, WORDS};

/// The banding: `bands` bands of `rows` sampled bits (at most 64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

impl Default for Banding {
    fn default() -> Self {
        Self { bands: 40, rows: 40 }
    }
}

/// Pairs above which [`super::link::candidates`] blocks instead of comparing every pair
/// (about a second of all-pairs comparison on two cores).
pub const BLOCKING_ABOVE_PAIRS: usize = 1_000_000_000;

/// The sampled positions of every band.
pub struct BitSampling {
    banding: Banding,
    /// (word, bit) of each row of each band.
    positions: Vec<(usize, u32)>,
}

impl BitSampling {
    pub fn new(banding: Banding) -> Self {
        let rows = banding.rows.clamp(1, 64);
        let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_0036);
        let mut all: Vec<u32> = (0..(WORDS * 64) as u32).collect();
        let mut positions = Vec::with_capacity(banding.bands * rows);
        for _ in 0..banding.bands {
            all.shuffle(&mut rng);
            positions.extend(all[..rows].iter().map(|&p| ((p / 64) as usize, p % 64)));
        }
        Self {
            banding: Banding { rows, ..banding },
            positions,
        }
    }

    /// The value of each band of each key, mixed and packed above the key's index:
    /// `(mix(band value) << index_bits) | index`, so that sorting the words sorts by value.
    fn band_column(&self, rows: &Rows, band: usize, index_bits: u32) -> Vec<u64> {
        let sampled = &self.positions[band * self.banding.rows..(band + 1) * self.banding.rows];
        let mut column: Vec<u64> = rows
            .rows()
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let value = sampled
                    .iter()
                    .fold(0u64, |v, &(word, bit)| v << 1 | (row[word] >> bit & 1));
                mix(value ^ (band as u64) << 58) << index_bits | i as u64
            })
            .collect();
        column.sort_unstable();
        column
    }

    /// Whether keys `x` of `a` and `y` of `b` agree on every row of `band`.
    fn agree(&self, a: &Row, b: &Row, band: usize) -> bool {
        self.positions[band * self.banding.rows..(band + 1) * self.banding.rows]
            .iter()
            .all(|&(word, bit)| (a[word] ^ b[word]) >> bit & 1 == 0)
    }

    /// Every pair of keys sharing a band and scoring at least `threshold`, unordered.
    pub fn candidates(&self, kernel: Kernel, a: &Rows, b: &Rows, threshold: f64) -> Vec<Match> {
        let index_bits = (a.len().max(b.len()).max(2) as u64)
            .next_power_of_two()
            .trailing_zeros();
        let index_mask = (1u64 << index_bits) - 1;
        (0..self.banding.bands)
            .into_par_iter()
            .flat_map_iter(|band| {
                let (ca, cb) = (
                    self.band_column(a, band, index_bits),
                    self.band_column(b, band, index_bits),
                );
                let mut found = Vec::new();
                let mut common = [0u32; 1];
                let (mut i, mut j) = (0, 0);
                while i < ca.len() && j < cb.len() {
                    let (va, vb) = (ca[i] >> index_bits, cb[j] >> index_bits);
                    if va != vb {
                        if va < vb {
                            i += 1;
                        } else {
                            j += 1;
                        }
                        continue;
                    }
                    let run_a = ca[i..].iter().take_while(|&&w| w >> index_bits == va).count();
                    let run_b = cb[j..].iter().take_while(|&&w| w >> index_bits == va).count();
                    for &wa in &ca[i..i + run_a] {
                        let x = (wa & index_mask) as usize;
                        let row_a = &a.rows()[x];
                        for &wb in &cb[j..j + run_b] {
                            let y = (wb & index_mask) as usize;
                            let row_b = &b.rows()[y];
                            kernel.common(row_a, std::slice::from_ref(row_b), &mut common);
                            let total = a.ones()[x] + b.ones()[y];
                            let score = 2.0 * f64::from(common[0]) / f64::from(total.max(1));
                            // Kept by the band where it first agrees (the packed value may
                            // also be shared by chance); checked after the score, as few
                            // pairs reach it.
                            if score >= threshold
                                && self.agree(row_a, row_b, band)
                                && !(0..band).any(|e| self.agree(row_a, row_b, e))
                            {
                                found.push(Match {
                                    a: a.original(x),
                                    b: b.original(y),
                                    score,
                                });
                            }
                        }
                    }
                    i += run_a;
                    j += run_b;
                }
                found
            })
            .collect()
    }
}

/// A finaliser (SplitMix64) so that band values spread evenly over the packed bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
