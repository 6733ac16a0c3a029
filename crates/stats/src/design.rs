//! The model matrix of a Poisson log-linear model over the observable cells.

use crate::data::Dataset;
use crate::lattice::subset_sums;

/// A pairwise interaction between list `i` and list `j` (`i < j`, 0-based column indices).
pub type Pair = (usize, usize);

/// Every pair of `t` lists in the reference order (1,2), (1,3), …, (2,3), …
pub fn all_pairs(t: usize) -> Vec<Pair> {
    (0..t).flat_map(|i| (i + 1..t).map(move |j| (i, j))).collect()
}

/// The bit mask of a pair.
pub(crate) fn pair_mask((i, j): Pair) -> usize {
    (1 << i) | (1 << j)
}

/// Rows (cells) and columns (effects) of a model. Each column is an effect given by the set
/// of lists it involves: the intercept (∅), one main effect per list, then the pairs fitted
/// at a finite value. Row `ω` has a 1 in column `S` when `S ⊆ ω`.
///
/// A pair whose lists share no case has MLE −∞: every cell holding both lists is dropped from
/// the fit (its fitted value is 0) and the pair gets no column.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    /// Number of lists `t`.
    pub lists: usize,
    /// History bit mask of each row.
    pub cells: Vec<usize>,
    /// Observed count of each row.
    pub y: Vec<f64>,
    /// Set of lists (bit mask) of each column.
    pub effects: Vec<usize>,
    /// Pairs of the model fitted at −∞ (their lists do not overlap).
    pub infinite_pairs: Vec<Pair>,
}

impl Design {
    pub fn new(dataset: &Dataset, pairs: &[Pair]) -> Self {
        let t = dataset.list_count();
        let (infinite_pairs, finite_pairs): (Vec<Pair>, Vec<Pair>) =
            pairs.iter().partition(|&&(i, j)| dataset.overlap(i, j) == 0);
        let infinite: Vec<usize> = infinite_pairs.iter().map(|&p| pair_mask(p)).collect();
        let effects = std::iter::once(0)
            .chain((0..t).map(|i| 1 << i))
            .chain(finite_pairs.iter().map(|&p| pair_mask(p)))
            .collect();
        let (cells, y) = dataset
            .counts()
            .iter()
            .enumerate()
            .skip(1)
            .filter(|&(h, _)| infinite.iter().all(|&m| h & m != m))
            .map(|(h, &count)| (h, count as f64))
            .unzip();
        Self {
            lists: t,
            cells,
            y,
            effects,
            infinite_pairs,
        }
    }

    /// Number of rows (cells kept in the fit).
    pub fn rows(&self) -> usize {
        self.cells.len()
    }

    /// Number of columns (effects fitted at a finite value).
    pub fn columns(&self) -> usize {
        self.effects.len()
    }

    /// The linear predictor `X β` of every row.
    pub fn predict(&self, beta: &[f64]) -> Vec<f64> {
        let mut eta = vec![0.0; 1 << self.lists];
        for (&effect, &b) in self.effects.iter().zip(beta) {
            if let Some(e) = eta.get_mut(effect) {
                *e += b;
            }
        }
        subset_sums(&mut eta);
        self.cells
            .iter()
            .map(|&c| eta.get(c).copied().unwrap_or(f64::NAN))
            .collect()
    }

    /// The dense row-major 0/1 matrix.
    pub fn dense(&self) -> Vec<f64> {
        self.cells
            .iter()
            .flat_map(|&cell| self.effects.iter().map(move |&e| if cell & e == e { 1.0 } else { 0.0 }))
            .collect()
    }
}
