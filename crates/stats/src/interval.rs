//! The quick interval: log-normal Wald on the dark figure.

use crate::model::ModelFit;
use crate::normal;

/// `N_obs + exp(α̂_∅ ± z·se(α̂_∅))` at the two-sided `level` (0.95 for 95 %).
///
/// The interval is asymmetric because the dark figure is positive and its log, not itself,
/// is close to normal.
pub fn wald_interval(fit: &ModelFit, level: f64) -> [f64; 2] {
    let z = normal::quantile(0.5 + level / 2.0);
    let seen = fit.estimate() - fit.dark_figure();
    let bound = |sign: f64| seen + (fit.intercept + sign * z * fit.intercept_se).exp();
    [bound(-1.0), bound(1.0)]
}
