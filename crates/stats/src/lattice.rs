//! Sums over the lattice of histories (bit masks), in `O(t·2^t)` by one pass per list.
//!
//! A log-linear model is made of effects, each a set of lists `S` that acts on every cell
//! `ω ⊇ S`. So `Xβ` at `ω` sums the `β` of the subsets of `ω`, an entry of `XᵀWX` sums the
//! weights of the supersets of `S_a ∪ S_b`, and the overlap `N*_ij` sums the counts of the
//! supersets of `{i, j}`: all are these transforms, far cheaper than loops over cells.
//! Slices have a power-of-two length.

use std::ops::AddAssign;

/// In place, `a[S]` becomes `Σ_{T ⊇ S} a[T]`.
pub(crate) fn superset_sums<T: Copy + AddAssign>(a: &mut [T]) {
    let mut bit = 1;
    while bit < a.len() {
        // In each block of 2·bit masks, the lower half lacks the bit and the upper half has it.
        for block in a.chunks_exact_mut(2 * bit) {
            let (without, with) = block.split_at_mut(bit);
            for (w, &h) in without.iter_mut().zip(with.iter()) {
                *w += h;
            }
        }
        bit <<= 1;
    }
}

/// In place, `a[S]` becomes `Σ_{T ⊆ S} a[T]`.
pub(crate) fn subset_sums<T: Copy + AddAssign>(a: &mut [T]) {
    let mut bit = 1;
    while bit < a.len() {
        for block in a.chunks_exact_mut(2 * bit) {
            let (without, with) = block.split_at_mut(bit);
            for (h, &w) in with.iter_mut().zip(without.iter()) {
                *h += w;
            }
        }
        bit <<= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_match_the_definitions() {
        let values: Vec<u64> = (0..32).map(|i| (i * 7 + 3) % 11).collect();
        let mut sup = values.clone();
        superset_sums(&mut sup);
        let mut sub = values.clone();
        subset_sums(&mut sub);
        for s in 0..32 {
            let above: u64 = (0..32).filter(|t| t & s == s).map(|t| values[t]).sum();
            let below: u64 = (0..32).filter(|t| t & s == *t).map(|t| values[t]).sum();
            assert_eq!(sup[s], above);
            assert_eq!(sub[s], below);
        }
    }
}
