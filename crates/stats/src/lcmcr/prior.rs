//! The prior of the latent-class model (Manrique-Vallier 2016, section 2): a stick-breaking
//! prior truncated at `K` classes with concentration `α ~ Gamma(a, b)`, uniform capture
//! probabilities within each class, and `p(N) ∝ 1/N`.

use serde::Serialize;

/// The truncation and the prior on the concentration of the stick-breaking process.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prior {
    /// Most latent classes `K`; the prior lets the data leave most of them empty.
    pub classes: usize,
    /// Shape `a` of the Gamma prior on `α`.
    pub alpha_shape: f64,
    /// Rate `b` of the Gamma prior on `α`.
    pub alpha_rate: f64,
}

impl Default for Prior {
    /// The paper's and the reference package's defaults: `K = 10`, `a = b = 0.25` (`b` a
    /// rate, so that `α` has prior mean 1).
    fn default() -> Self {
        Self {
            classes: 10,
            alpha_shape: 0.25,
            alpha_rate: 0.25,
        }
    }
}

/// A stick of the stick-breaking prior: the share `V` it takes of what is left, `1 − V`
/// (computed apart so that it does not round to 0 when `V` is close to 1) and `ln(1 − V)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stick {
    pub taken: f64,
    pub rest: f64,
    pub log_rest: f64,
}

impl Stick {
    /// The stick that takes `taken` of what is left.
    pub fn taking(taken: f64) -> Self {
        let rest = 1.0 - taken;
        Self {
            taken,
            rest,
            log_rest: rest.max(f64::MIN_POSITIVE).ln(),
        }
    }
}

/// The class weights `π_k = V_k Π_{l<k} (1 − V_l)` from the sticks; the last class takes what
/// is left. Returns `Σ_{k<K} log(1 − V_k)`, which the update of `α` needs.
pub(crate) fn stick_breaking(sticks: &[Stick], weights: &mut [f64]) -> f64 {
    let mut remaining = 1.0;
    let mut log_rest = 0.0;
    let last = weights.len().saturating_sub(1);
    for (k, weight) in weights.iter_mut().enumerate() {
        match sticks.get(k).filter(|_| k < last) {
            Some(stick) => {
                *weight = remaining * stick.taken;
                remaining *= stick.rest;
                log_rest += stick.log_rest;
            }
            None => *weight = remaining,
        }
    }
    log_rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_add_up_to_one_and_the_last_class_takes_the_rest() {
        let sticks = [0.5, 0.25, 0.1].map(Stick::taking);
        let mut weights = [0.0; 3];
        let log_rest = stick_breaking(&sticks, &mut weights);
        assert_eq!(weights, [0.5, 0.125, 0.375]);
        assert!((log_rest - (0.5_f64.ln() + 0.75_f64.ln())).abs() < 1e-15);
    }
}
