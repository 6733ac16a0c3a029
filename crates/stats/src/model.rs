//! Fitting one model (main effects plus chosen pairs) and what the estimate is made of.

use crate::data::Dataset;
use crate::design::{Design, Pair};
use crate::error::MseError;
use crate::glm::fit_poisson;

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFit {
    /// Pairwise interactions of the model, in the order they were chosen.
    pub pairs: Vec<Pair>,
    /// Those of `pairs` whose lists do not overlap, fitted at −∞.
    pub infinite_pairs: Vec<Pair>,
    /// `α̂_∅`, the log of the dark figure.
    pub intercept: f64,
    /// Its standard error.
    pub intercept_se: f64,
    /// Cases seen by at least one list.
    pub observed: u64,
    /// Fitted mean of each history (bit-mask index; 0 for cells dropped at −∞, and the dark
    /// figure at index 0).
    pub fitted: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// Residual degrees of freedom: cells in the fit minus parameters fitted.
    pub df: usize,
    /// Maximised Poisson log-likelihood over the cells in the fit.
    pub log_likelihood: f64,
    /// Parameters counted by the information criteria: those fitted plus one per −∞ pair.
    pub parameters: usize,
}

impl ModelFit {
    /// `exp(α̂_∅)`: the estimated number of cases no list saw.
    pub fn dark_figure(&self) -> f64 {
        self.intercept.exp()
    }

    /// The population estimate: seen plus unseen.
    pub fn estimate(&self) -> f64 {
        let observed = self.observed as f64;
        observed + self.dark_figure()
    }

    /// Akaike's criterion, as the reference reports it (+2 per −∞ parameter).
    pub fn aic(&self) -> f64 {
        let k = self.parameters as f64;
        -2.0 * self.log_likelihood + 2.0 * k
    }

    /// Schwarz's criterion with the number of cases seen as sample size, as in Baillargeon &
    /// Rivest's Rcapture, whose practice Silverman, Chan & Vincent (2024) follow (+log N per
    /// −∞ parameter, as for the AIC).
    pub fn bic(&self) -> f64 {
        let (k, n) = (self.parameters as f64, self.observed as f64);
        -2.0 * self.log_likelihood + n.ln() * k
    }
}

/// Fits main effects plus `pairs`. The caller makes sure the MLE exists
/// ([`crate::check_existence`]).
pub fn fit_model(dataset: &Dataset, pairs: &[Pair]) -> Result<ModelFit, MseError> {
    let design = Design::new(dataset, pairs);
    let glm = fit_poisson(&design)?;
    let mut fitted = vec![0.0; dataset.counts().len()];
    for (&cell, &mu) in design.cells.iter().zip(&glm.fitted) {
        if let Some(f) = fitted.get_mut(cell) {
            *f = mu;
        }
    }
    let intercept = glm.beta.first().copied().unwrap_or(f64::NAN);
    if let Some(f) = fitted.first_mut() {
        *f = intercept.exp();
    }
    Ok(ModelFit {
        pairs: pairs.to_vec(),
        infinite_pairs: design.infinite_pairs.clone(),
        intercept,
        intercept_se: glm.intercept_se,
        observed: dataset.observed(),
        fitted,
        deviance: glm.deviance,
        df: design.rows().saturating_sub(design.columns()),
        log_likelihood: glm.log_likelihood,
        parameters: design.columns() + design.infinite_pairs.len(),
    })
}
