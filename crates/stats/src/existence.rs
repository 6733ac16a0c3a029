//! Does the model have a maximum likelihood estimate, and are its parameters identifiable?
//!
//! Fienberg & Rinaldo (2012): with design `A` over the cells kept in the fit (pairs without
//! overlap already sent to −∞ by dropping their cells), the MLE fails to exist exactly when
//! some direction `d` has `A d = 0` on every positive cell, `A d ≤ 0` on the zero cells and
//! `A d ≠ 0`: the likelihood then keeps rising as some zero cells' means go to 0. Such a `d`
//! lies in the null space of the positive rows; the linear programme `max Σ y` subject to
//! `A d + y = 0` on the zero cells and `0 ≤ y ≤ 1`, over that null space, finds one when its
//! optimum is positive.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};
use serde::Serialize;

use crate::data::Dataset;
use crate::design::{Design, Pair};
use crate::error::MseError;
use crate::linalg::{independent_columns, null_space};

/// An optimum this far above 0 is a real direction of recession, not round-off: at a vertex
/// some `y` is 1.
const POSITIVE: f64 = 1e-6;

/// The outcome of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Existence {
    /// The MLE exists (allowing −∞ for pairs that do not overlap).
    pub mle_exists: bool,
    /// The parameters fitted at a finite value are identifiable.
    pub identifiable: bool,
}

impl Existence {
    /// The reference's code: 0 fine, 1 no MLE, 2 not identifiable, 3 both.
    pub fn code(self) -> u8 {
        u8::from(!self.mle_exists) + 2 * u8::from(!self.identifiable)
    }

    /// The model can be fitted.
    pub fn is_ok(self) -> bool {
        self.mle_exists && self.identifiable
    }
}

/// Checks the main-effects model plus `pairs` on `dataset`.
pub fn check_existence(dataset: &Dataset, pairs: &[Pair]) -> Result<Existence, MseError> {
    let design = Design::new(dataset, pairs);
    let analysis = analyse_design(&design)?;
    Ok(Existence {
        mle_exists: analysis.vanishing.is_empty(),
        identifiable: analysis.columns.len() == design.columns(),
    })
}

/// What the check finds about a design.
pub(crate) struct DesignAnalysis {
    /// Linearly independent columns (all of them when identifiable).
    pub columns: Vec<usize>,
    /// Rows (zero cells) whose means a direction of recession sends to 0; empty when the
    /// MLE exists.
    pub vanishing: Vec<usize>,
}

/// Independent columns and, when the MLE does not exist, zero cells that a direction of
/// recession sends to 0 (at least one; not necessarily all of them).
pub(crate) fn analyse_design(design: &Design) -> Result<DesignAnalysis, MseError> {
    let dense = design.dense();
    let columns = independent_columns(&dense, design.rows(), design.columns());
    // Only the independent columns matter: they span the same space, and dropping the others
    // leaves no direction that changes nothing.
    let mut positive = Vec::new();
    let mut n_positive = 0;
    let mut zero = Vec::new();
    let mut zero_rows = Vec::new();
    for (r, &y) in design.y.iter().enumerate() {
        let row = columns
            .iter()
            .map(|&c| dense.get(r * design.columns() + c).copied().unwrap_or(0.0));
        if y > 0.0 {
            positive.extend(row);
            n_positive += 1;
        } else {
            zero.extend(row);
            zero_rows.push(r);
        }
    }
    // Directions that leave every positive cell unchanged; usually there is none, and the MLE
    // exists without solving anything.
    let directions = null_space(&positive, n_positive, columns.len());
    let vanishing = if directions.is_empty() || zero_rows.is_empty() {
        Vec::new()
    } else {
        recession_rows(&zero, zero_rows.len(), columns.len(), &directions)?
            .into_iter()
            .filter_map(|k| zero_rows.get(k).copied())
            .collect()
    };
    Ok(DesignAnalysis { columns, vanishing })
}

/// Is there a combination `d = Σ c_k v_k` of the null-space `directions` with `Z d ≤ 0` and
/// `Z d ≠ 0` on the `n × p` zero-cell rows `Z`? The linear programme
/// `max Σ y` subject to `Z d + y = 0`, `0 ≤ y ≤ 1`, is positive exactly when there is; the
/// rows with `y > 0` at its optimum are returned (empty when there is none).
fn recession_rows(zero: &[f64], n: usize, p: usize, directions: &[Vec<f64>]) -> Result<Vec<usize>, MseError> {
    let mut lp = Problem::new(OptimizationDirection::Maximize);
    let c: Vec<_> = directions
        .iter()
        .map(|_| lp.add_var(0.0, (f64::NEG_INFINITY, f64::INFINITY)))
        .collect();
    let mut slacks: Vec<(usize, Variable)> = Vec::new();
    for (k, row) in zero.chunks_exact(p).take(n).enumerate() {
        // Round-off aside, the coefficients are small rationals.
        let mut terms: Vec<(Variable, f64)> = c
            .iter()
            .zip(directions)
            .map(|(&var, v)| (var, row.iter().zip(v).map(|(a, b)| a * b).sum::<f64>()))
            .filter(|&(_, coeff)| coeff.abs() > 1e-9)
            .collect();
        if terms.is_empty() {
            continue;
        }
        let slack = lp.add_var(1.0, (0.0, 1.0));
        slacks.push((k, slack));
        terms.push((slack, 1.0));
        lp.add_constraint(terms, ComparisonOp::Eq, 0.0);
    }
    if slacks.is_empty() {
        return Ok(Vec::new());
    }
    let outcome = lp.solve().map_err(|e| MseError::Solver(e.to_string()))?;
    let solution = outcome
        .into_solution()
        .map_err(|_| MseError::Solver("the solve was interrupted".to_owned()))?;
    if solution.objective() <= POSITIVE {
        return Ok(Vec::new());
    }
    // At a vertex the positive slacks are at least 1/63 or so; anything above round-off counts
    // (treating a cell as vanishing when it does not only lowers a deviance bound).
    Ok(slacks
        .into_iter()
        .filter(|&(_, slack)| solution.var_value(slack) > 1e-9)
        .map(|(k, _)| k)
        .collect())
}
