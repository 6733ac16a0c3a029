//! The suppression audit of a published two-way table: for each hidden cell, the interval of
//! values it could take knowing only what is published — the shown cells and margins, that
//! every line sums to its margin, and that no count is negative — by linear programming. A
//! hidden cell whose interval is a single value could be worked out exactly; the policy never
//! publishes such a table, and the tests run this audit on every table they protect.
//!
//! The constraints form a network matrix, so the bounds found are whole numbers (up to the
//! solver's round-off).

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use crate::two_way::ProtectedTable;

/// What an attacker can learn about one hidden cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeasibleInterval {
    /// The cell, as in [`ProtectedTable::cell`]: the last row and column are the totals.
    pub row: usize,
    pub col: usize,
    pub low: f64,
    /// Infinite when nothing published bounds the cell from above.
    pub high: f64,
}

impl FeasibleInterval {
    /// One value only: the cell can be worked out from the published ones.
    pub fn is_exact(&self) -> bool {
        self.high - self.low < 0.5
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the suppression audit could not solve its linear programme: {0}")]
pub struct AuditError(String);

/// The feasible interval of every hidden cell, row by row.
pub fn audit(table: &ProtectedTable) -> Result<Vec<FeasibleInterval>, AuditError> {
    let hidden: Vec<(usize, usize)> = table.hidden_cells().map(|(r, c, _)| (r, c)).collect();
    let mut intervals = Vec::with_capacity(hidden.len());
    for (target, &(row, col)) in hidden.iter().enumerate() {
        let low = optimum(table, &hidden, target, OptimizationDirection::Minimize)?;
        let high = optimum(table, &hidden, target, OptimizationDirection::Maximize)?;
        intervals.push(FeasibleInterval { row, col, low, high });
    }
    Ok(intervals)
}

/// The least or greatest value of hidden cell `target` over every table that publishes the same.
fn optimum(
    table: &ProtectedTable,
    hidden: &[(usize, usize)],
    target: usize,
    direction: OptimizationDirection,
) -> Result<f64, AuditError> {
    let mut lp = Problem::new(direction);
    let vars: Vec<Variable> = (0..hidden.len())
        .map(|k| lp.add_var(if k == target { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)))
        .collect();
    let variable = |r: usize, c: usize| hidden.iter().position(|&cell| cell == (r, c)).map(|k| vars[k]);
    add_lines(&mut lp, table, variable);
    outcome(lp.solve())
}

/// Each line of `table`: the cells before the margin sum to the margin, the hidden ones as
/// their unknowns.
fn add_lines(lp: &mut Problem, table: &ProtectedTable, variable: impl Fn(usize, usize) -> Option<Variable>) {
    let (rows, cols) = (table.rows(), table.cols());
    // Each line: the cells before the margin sum to the margin.
    let lines = (0..=rows)
        .map(|r| (0..=cols).map(|c| (r, c)).collect::<Vec<_>>())
        .chain((0..=cols).map(|c| (0..=rows).map(|r| (r, c)).collect()));
    for line in lines {
        let last = line.len() - 1;
        let mut terms: Vec<(Variable, f64)> = Vec::new();
        let mut known = 0.0;
        for (i, &(r, c)) in line.iter().enumerate() {
            let sign = if i == last { -1.0 } else { 1.0 };
            match (variable(r, c), table.shown(r, c)) {
                (Some(var), _) => terms.push((var, sign)),
                (None, Some(n)) => known += sign * n as f64,
                (None, None) => {}
            }
        }
        if !terms.is_empty() {
            lp.add_constraint(terms, ComparisonOp::Eq, -known);
        }
    }
}

fn outcome(solved: Result<microlp::SolveOutcome, microlp::Error>) -> Result<f64, AuditError> {
    match solved {
        Ok(outcome) => outcome
            .into_solution()
            .map(|solution| solution.objective())
            .map_err(|_| AuditError("the solve was interrupted".to_owned())),
        Err(microlp::Error::Unbounded) => Ok(f64::INFINITY),
        Err(e) => Err(AuditError(e.to_string())),
    }
}

/// The feasible interval of every hidden cell of tables linked by their column totals (see
/// [`Disclosure::protect_linked`](crate::Disclosure::protect_linked)), each with the index of
/// its table: what an attacker learns from all of them at once, since a column total hidden
/// in each is one unknown they share. A shared total is reported once, for the first table.
pub fn audit_linked(tables: &[ProtectedTable]) -> Result<Vec<(usize, FeasibleInterval)>, AuditError> {
    // The unknowns: (table, row, col) of each hidden cell, a hidden column total once.
    let mut unknowns: Vec<(usize, usize, usize)> = Vec::new();
    let mut index: Vec<Vec<((usize, usize), usize)>> = vec![Vec::new(); tables.len()];
    for (t, table) in tables.iter().enumerate() {
        for (r, c, _) in table.hidden_cells() {
            let total = r == table.rows();
            let shared = unknowns
                .iter()
                .position(|&(ut, ur, uc)| total && uc == c && ur == tables[ut].rows());
            let k = shared.unwrap_or_else(|| {
                unknowns.push((t, r, c));
                unknowns.len() - 1
            });
            index[t].push(((r, c), k));
        }
    }
    let mut intervals = Vec::with_capacity(unknowns.len());
    for (target, &(t, row, col)) in unknowns.iter().enumerate() {
        let solve = |direction| {
            let mut lp = Problem::new(direction);
            let vars: Vec<Variable> = (0..unknowns.len())
                .map(|k| lp.add_var(if k == target { 1.0 } else { 0.0 }, (0.0, f64::INFINITY)))
                .collect();
            for (table, cells) in tables.iter().zip(&index) {
                let variable =
                    |r: usize, c: usize| cells.iter().find(|(cell, _)| *cell == (r, c)).map(|&(_, k)| vars[k]);
                add_lines(&mut lp, table, variable);
            }
            outcome(lp.solve())
        };
        let low = solve(OptimizationDirection::Minimize)?;
        let high = solve(OptimizationDirection::Maximize)?;
        intervals.push((t, FeasibleInterval { row, col, low, high }));
    }
    Ok(intervals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::Disclosure;
    use crate::two_way::TwoWayTable;

    #[test]
    fn a_lone_hidden_cell_would_be_exact_and_the_policy_never_leaves_one() {
        let t = TwoWayTable::new(2, 3, vec![3, 20, 30, 12, 15, 40]).unwrap();
        let primary_only = audit(&Disclosure::default().primary_suppression(&t)).unwrap();
        // 3 = 53 − 20 − 30.
        assert_eq!(primary_only.len(), 1);
        assert!(primary_only[0].is_exact());
        assert!((primary_only[0].low - 3.0).abs() < 1e-6);
        let protected = Disclosure::default().protect(&t);
        let intervals = audit(&protected).unwrap();
        assert!(intervals.len() >= 4);
        assert!(intervals.iter().all(|i| !i.is_exact()));
        let first = intervals.iter().find(|i| (i.row, i.col) == (0, 0)).unwrap();
        assert!(first.low <= 3.0 && first.high >= 3.0);
    }

    #[test]
    fn the_interval_of_a_rectangle_is_bounded_by_its_smallest_margin() {
        let t = TwoWayTable::new(3, 3, vec![3, 20, 30, 12, 15, 40, 9, 50, 60]).unwrap();
        let protected = Disclosure::default().protect(&t);
        let first = audit(&protected)
            .unwrap()
            .into_iter()
            .find(|i| (i.row, i.col) == (0, 0))
            .unwrap();
        // x00 + x10 = 24 − 9 and x00 + x01 = 53 − 30: between 0 and 15.
        assert!(first.low.abs() < 1e-6, "{first:?}");
        assert!((first.high - 15.0).abs() < 1e-6, "{first:?}");
    }
}
