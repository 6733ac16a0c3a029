//! Exhaustive search by BIC over the models with pairwise interactions (Silverman, Chan &
//! Vincent 2024).

use rayon::prelude::*;

use crate::data::Dataset;
use crate::design::{Pair, all_pairs};
use crate::error::MseError;
use crate::existence::check_existence;
use crate::model::{ModelFit, fit_model};

/// The search visits 2^(t(t−1)/2) models: 32,768 for six lists, two million for seven.
pub const MAX_BIC_LISTS: usize = 6;

/// Fits every model made of the main effects and a subset of the pairs (all of them are
/// hierarchical) whose MLE exists and is identifiable, and returns the one with the lowest
/// BIC; ties go to the model met first, subsets being numbered by the bits of the pairs in
/// (1,2), (1,3), … order.
pub fn select_bic(dataset: &Dataset) -> Result<ModelFit, MseError> {
    let t = dataset.list_count();
    if t > MAX_BIC_LISTS {
        return Err(MseError::BicTooManyLists {
            found: t,
            max: MAX_BIC_LISTS,
        });
    }
    let pairs = all_pairs(t);
    let models: u64 = 1 << pairs.len();
    let best = (0..models)
        .into_par_iter()
        .map(|subset| -> Result<Option<(f64, u64, ModelFit)>, MseError> {
            let model: Vec<Pair> = pairs
                .iter()
                .enumerate()
                .filter(|&(k, _)| subset & (1 << k) != 0)
                .map(|(_, &pair)| pair)
                .collect();
            if !check_existence(dataset, &model)?.is_ok() {
                return Ok(None);
            }
            let fit = fit_model(dataset, &model)?;
            Ok(Some((fit.bic(), subset, fit)))
        })
        .try_reduce(
            || None,
            |a, b| {
                Ok(match (a, b) {
                    (Some(a), Some(b)) => Some(if b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).is_lt() {
                        b
                    } else {
                        a
                    }),
                    (a, None) => a,
                    (None, b) => b,
                })
            },
        )?;
    best.map(|(_, _, fit)| fit).ok_or(MseError::NoEstimate)
}
