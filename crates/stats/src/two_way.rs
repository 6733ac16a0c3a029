//! Two-way tables with their margins, protected by the disclosure policy before they are
//! published (the observatory's tables, `relais observatory table`).
//!
//! A table of counts is published with its row totals, column totals and grand total.
//! **Primary suppression** hides every figure, margins included, derived from fewer people than
//! the threshold (zero discloses nobody and is shown). **Secondary suppression** then hides more
//! cells until no hidden cell can be worked out exactly from what is published; the audit
//! ([`audit`](crate::audit)) checks it by linear programming.
//!
//! Why cycles: with the margins as an extra row and column, every line of the grid says "the
//! cells sum to the margin". Give the margin row and column the opposite sign and every line
//! sums to zero, so the hidden cells can move up and down around any cycle of hidden cells
//! (alternating rows and columns) while every published figure stays the same, as long as the
//! hidden cells are positive. A hidden cell on no cycle — a bridge of the graph whose nodes are
//! the lines and whose edges are the hidden cells — is fixed by the lines on either side of it.
//! So secondary suppression puts every hidden cell on a cycle, hiding as few people as it can
//! (a cheapest path through the grid), and falls back on the audit when it had to hide a zero.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::audit::{audit, audit_linked};
use crate::disclosure::Disclosure;

/// The counts of a table, one row per category of the row variable, without margins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoWayTable {
    rows: usize,
    cols: usize,
    counts: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableShapeError {
    #[error("a table needs at least one row and one column")]
    Empty,
    #[error("expected {expected} counts for the table's rows and columns, found {found}")]
    Size { expected: usize, found: usize },
}

impl TwoWayTable {
    /// `counts` row by row.
    pub fn new(rows: usize, cols: usize, counts: Vec<u64>) -> Result<Self, TableShapeError> {
        if rows == 0 || cols == 0 {
            return Err(TableShapeError::Empty);
        }
        let expected = rows * cols;
        if counts.len() != expected {
            return Err(TableShapeError::Size {
                expected,
                found: counts.len(),
            });
        }
        Ok(Self { rows, cols, counts })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The count at `row`, `col`; `None` outside the table.
    pub fn count(&self, row: usize, col: usize) -> Option<u64> {
        (row < self.rows && col < self.cols).then(|| self.counts[row * self.cols + col])
    }

    /// The grid with its margins, row by row: `rows + 1` rows of `cols + 1` cells, the last
    /// row and the last column the totals.
    fn with_margins(&self) -> Vec<u64> {
        let width = self.cols + 1;
        let mut grid = vec![0u64; (self.rows + 1) * width];
        for (r, row) in self.counts.chunks_exact(self.cols).enumerate() {
            for (c, &n) in row.iter().enumerate() {
                grid[r * width + c] += n;
                grid[r * width + self.cols] += n;
                grid[self.rows * width + c] += n;
                grid[self.rows * width + self.cols] += n;
            }
        }
        grid
    }
}

/// What a reader sees in one cell of a published table. Serialised as the count, `"primary"` or
/// `"secondary"`: a release stores what it published and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "PublishedText", into = "PublishedText")]
pub enum Published {
    Count(u64),
    /// Derived from fewer people than the threshold (primary suppression).
    Primary,
    /// Hidden so that no small figure can be worked out (secondary suppression).
    Secondary,
}

/// The stored form of [`Published`]: a number, or the kind of suppression.
#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum PublishedText {
    Count(u64),
    Hidden(Suppression),
}

#[derive(Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Suppression {
    Primary,
    Secondary,
}

impl From<PublishedText> for Published {
    fn from(text: PublishedText) -> Self {
        match text {
            PublishedText::Count(n) => Self::Count(n),
            PublishedText::Hidden(Suppression::Primary) => Self::Primary,
            PublishedText::Hidden(Suppression::Secondary) => Self::Secondary,
        }
    }
}

impl From<Published> for PublishedText {
    fn from(cell: Published) -> Self {
        match cell {
            Published::Count(n) => Self::Count(n),
            Published::Primary => Self::Hidden(Suppression::Primary),
            Published::Secondary => Self::Hidden(Suppression::Secondary),
        }
    }
}

impl Published {
    pub fn is_hidden(self) -> bool {
        !matches!(self, Self::Count(_))
    }
}

/// A table with its margins as it may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedTable {
    rows: usize,
    cols: usize,
    threshold: usize,
    /// Every figure of the grid with margins, hidden ones included: only [`audit`] and the
    /// suppression read the hidden ones, never a reader.
    values: Vec<u64>,
    marks: Vec<Published>,
}

impl ProtectedTable {
    /// Rows of categories, without the totals row.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Columns of categories, without the totals column.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The policy's threshold: a primary suppression reads "fewer than this".
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// The cell at `row`, `col`; `row == rows()` is the totals row, `col == cols()` the
    /// totals column. `None` outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> Option<Published> {
        (row <= self.rows && col <= self.cols).then(|| self.marks[self.index(row, col)])
    }

    /// How many cells (margins included) were hidden for being small, and how many to protect them.
    pub fn hidden(&self) -> (usize, usize) {
        let count = |kind: Published| self.marks.iter().filter(|&&m| m == kind).count();
        (count(Published::Primary), count(Published::Secondary))
    }

    fn width(&self) -> usize {
        self.cols + 1
    }

    fn index(&self, row: usize, col: usize) -> usize {
        row * self.width() + col
    }

    /// (row, col, value) of every hidden cell, row by row. The value is for the audit.
    pub(crate) fn hidden_cells(&self) -> impl Iterator<Item = (usize, usize, u64)> + '_ {
        let width = self.width();
        self.marks
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_hidden())
            .map(move |(i, _)| (i / width, i % width, self.values[i]))
    }

    /// The published count at (row, col), `None` when hidden.
    pub(crate) fn shown(&self, row: usize, col: usize) -> Option<u64> {
        let i = self.index(row, col);
        (!self.marks[i].is_hidden()).then_some(self.values[i])
    }

    /// Whether the column total `col` (the last row) is shown.
    fn shown_total(&self, col: usize) -> bool {
        self.shown(self.rows, col).is_some()
    }

    fn hide(&mut self, row: usize, col: usize) -> bool {
        let i = self.index(row, col);
        let newly = !self.marks[i].is_hidden();
        if newly {
            self.marks[i] = Published::Secondary;
        }
        newly
    }

    /// The hidden cells that lie on no cycle of hidden cells, row by row (Tarjan's bridges).
    fn bridges(&self) -> Vec<(usize, usize)> {
        let row_nodes = self.rows + 1;
        let nodes = row_nodes + self.cols + 1;
        let edges: Vec<(usize, usize)> = self.hidden_cells().map(|(r, c, _)| (r, c)).collect();
        let mut adjacent: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nodes];
        for (e, &(r, c)) in edges.iter().enumerate() {
            adjacent[r].push((row_nodes + c, e));
            adjacent[row_nodes + c].push((r, e));
        }
        let mut search = BridgeSearch {
            adjacent: &adjacent,
            order: vec![None; nodes],
            low: vec![0; nodes],
            next: 0,
            bridges: Vec::new(),
        };
        for node in 0..nodes {
            if search.order[node].is_none() {
                search.visit(node, None);
            }
        }
        let mut found: Vec<(usize, usize)> = search.bridges.into_iter().map(|e| edges[e]).collect();
        found.sort_unstable();
        found
    }

    /// Hide the cheapest chain of cells that closes a cycle through the hidden cell (row, col):
    /// a shortest path from its row to its column that does not use the cell itself, where a
    /// hidden cell costs nothing, a shown one its count (then one per cell, to hide as few as
    /// possible), and a zero far more than any count, since a hidden zero can only move up.
    fn close_cycle(&mut self, row: usize, col: usize) {
        let row_nodes = self.rows + 1;
        let nodes = row_nodes + self.cols + 1;
        let cells = self.marks.len() as u128;
        let grand_total = u128::from(self.values[self.index(self.rows, self.cols)]);
        let zero_cost = (grand_total + 1) * (cells + 1) * (cells + 1);
        let cost = |r: usize, c: usize| -> u128 {
            let i = self.index(r, c);
            match (self.marks[i].is_hidden(), self.values[i]) {
                (true, _) => 0,
                (false, 0) => zero_cost,
                (false, n) => u128::from(n) * (cells + 1) + 1,
            }
        };
        let cell_between = |a: usize, b: usize| {
            if a < row_nodes {
                (a, b - row_nodes)
            } else {
                (b, a - row_nodes)
            }
        };
        let target = row_nodes + col;
        let mut distance = vec![u128::MAX; nodes];
        let mut previous: Vec<Option<usize>> = vec![None; nodes];
        let mut queue = BinaryHeap::new();
        distance[row] = 0;
        queue.push(Reverse((0u128, row)));
        while let Some(Reverse((d, node))) = queue.pop() {
            if d > distance[node] {
                continue;
            }
            if node == target {
                break;
            }
            let others = if node < row_nodes {
                row_nodes..nodes
            } else {
                0..row_nodes
            };
            for other in others {
                let (r, c) = cell_between(node, other);
                if (r, c) == (row, col) {
                    continue;
                }
                let next = d.saturating_add(cost(r, c));
                if next < distance[other] {
                    distance[other] = next;
                    previous[other] = Some(node);
                    queue.push(Reverse((next, other)));
                }
            }
        }
        let mut node = target;
        while let Some(before) = previous[node] {
            let (r, c) = cell_between(before, node);
            self.hide(r, c);
            node = before;
        }
    }

    /// The cells of a line whose margin is shown add up to a group: what its hidden cells hold
    /// together is known, so, as in a one-way table, it must not be a small group either. The
    /// smallest shown positive cell of the first line whose hidden cells hold too few people.
    fn smallest_to_hide_with_too_few(&self, policy: Disclosure) -> Option<(usize, usize)> {
        let rows = (0..=self.rows).map(|r| (0..=self.cols).map(|c| (r, c)).collect::<Vec<_>>());
        let cols = (0..=self.cols).map(|c| (0..=self.rows).map(|r| (r, c)).collect::<Vec<_>>());
        rows.chain(cols).find_map(|line| {
            let (&margin, cells) = line.split_last()?;
            if self.marks[self.index(margin.0, margin.1)].is_hidden() {
                return None;
            }
            let value = |&(r, c): &(usize, usize)| self.values[self.index(r, c)];
            let hidden: u64 = cells
                .iter()
                .filter(|&&(r, c)| self.marks[self.index(r, c)].is_hidden())
                .map(value)
                .sum();
            if !policy.too_few(usize::try_from(hidden).unwrap_or(usize::MAX)) {
                return None;
            }
            cells
                .iter()
                .filter(|&&(r, c)| !self.marks[self.index(r, c)].is_hidden() && value(&(r, c)) > 0)
                .min_by_key(|cell| value(cell))
                .copied()
        })
    }

    /// Hide every shown cell of the row and the column of (row, col); when there is none left,
    /// every shown cell of the table. False when nothing was left to hide.
    fn hide_lines(&mut self, row: usize, col: usize) -> bool {
        let mut any = false;
        for c in 0..=self.cols {
            any |= self.hide(row, c);
        }
        for r in 0..=self.rows {
            any |= self.hide(r, col);
        }
        if !any {
            for r in 0..=self.rows {
                for c in 0..=self.cols {
                    any |= self.hide(r, c);
                }
            }
        }
        any
    }
}

struct BridgeSearch<'a> {
    adjacent: &'a [Vec<(usize, usize)>],
    order: Vec<Option<usize>>,
    low: Vec<usize>,
    next: usize,
    bridges: Vec<usize>,
}

impl BridgeSearch<'_> {
    /// Depth-first search; the depth is at most the number of lines of the table.
    fn visit(&mut self, node: usize, through: Option<usize>) {
        let order = self.next;
        self.next += 1;
        self.order[node] = Some(order);
        self.low[node] = order;
        for &(other, edge) in &self.adjacent[node] {
            if Some(edge) == through {
                continue;
            }
            match self.order[other] {
                Some(seen) => self.low[node] = self.low[node].min(seen),
                None => {
                    self.visit(other, Some(edge));
                    self.low[node] = self.low[node].min(self.low[other]);
                    if self.low[other] > order {
                        self.bridges.push(edge);
                    }
                }
            }
        }
    }
}

impl Disclosure {
    /// The table with its margins as it may be published under this policy: small figures
    /// hidden, and enough others hidden with them that none can be worked out exactly.
    pub fn protect(self, table: &TwoWayTable) -> ProtectedTable {
        let mut protected = self.primary_suppression(table);
        self.complete(&mut protected);
        protected
    }

    /// Hides more of `protected` until no hidden cell can be worked out from it.
    fn complete(self, protected: &mut ProtectedTable) {
        loop {
            while let Some(&(row, col)) = protected.bridges().first() {
                protected.close_cycle(row, col);
            }
            if let Some((row, col)) = protected.smallest_to_hide_with_too_few(self) {
                protected.hide(row, col);
                continue;
            }
            // Positive hidden cells on cycles can all move: only a hidden zero needs the audit.
            if protected.hidden_cells().all(|(_, _, n)| n > 0) {
                return;
            }
            let exposed = match audit(protected) {
                Ok(intervals) => intervals.into_iter().find(|i| i.is_exact()).map(|i| (i.row, i.col)),
                // Could not prove the table safe: hide what the first hidden cell's lines show.
                Err(_) => protected.hidden_cells().next().map(|(r, c, _)| (r, c)),
            };
            match exposed {
                Some((row, col)) if protected.hide_lines(row, col) => {}
                _ => return,
            }
        }
    }

    /// Tables of the same people by different row variables and one column variable (victims
    /// by age and sex, by citizenship and sex…): their column totals are the same figures, so
    /// each is protected as [`Self::protect`] does, a column total hidden in one is hidden in
    /// all, and the audit of the tables together ([`audit_linked`]) must find no hidden cell
    /// that they pin down between them. `None` when the tables do not share their column totals.
    pub fn protect_linked(self, tables: &[TwoWayTable]) -> Option<Vec<ProtectedTable>> {
        let first = tables.first()?;
        let totals = |t: &TwoWayTable| t.with_margins().split_off(t.rows * (t.cols + 1));
        if tables
            .iter()
            .any(|t| t.cols != first.cols || totals(t) != totals(first))
        {
            return None;
        }
        let mut protected: Vec<ProtectedTable> = tables.iter().map(|t| self.primary_suppression(t)).collect();
        loop {
            for table in &mut protected {
                self.complete(table);
            }
            let hidden_totals: Vec<usize> = (0..=first.cols)
                .filter(|&c| protected.iter().any(|p| !p.shown_total(c)))
                .collect();
            let mut more = false;
            for table in &mut protected {
                for &c in &hidden_totals {
                    more |= table.hide(table.rows, c);
                }
            }
            if more {
                continue;
            }
            let exposed = match audit_linked(&protected) {
                Ok(intervals) => intervals
                    .into_iter()
                    .find(|(_, i)| i.is_exact())
                    .map(|(t, i)| (t, i.row, i.col)),
                Err(_) => protected
                    .iter()
                    .enumerate()
                    .find_map(|(t, p)| p.hidden_cells().next().map(|(r, c, _)| (t, r, c))),
            };
            match exposed {
                Some((t, row, col)) if protected[t].hide_lines(row, col) => {}
                _ => return Some(protected),
            }
        }
    }

    /// The small figures hidden, nothing else: not safe to publish, the start of [`Self::protect`].
    pub(crate) fn primary_suppression(self, table: &TwoWayTable) -> ProtectedTable {
        let values = table.with_margins();
        let marks = values
            .iter()
            .map(|&n| {
                if self.too_few(usize::try_from(n).unwrap_or(usize::MAX)) {
                    Published::Primary
                } else {
                    Published::Count(n)
                }
            })
            .collect();
        ProtectedTable {
            rows: table.rows,
            cols: table.cols,
            threshold: self.min_group(),
            values,
            marks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{audit, audit_linked};
    use proptest::prelude::*;

    fn table(rows: &[&[u64]]) -> TwoWayTable {
        let cols = rows[0].len();
        TwoWayTable::new(rows.len(), cols, rows.iter().flat_map(|r| r.iter().copied()).collect()).unwrap()
    }

    fn grid(p: &ProtectedTable) -> Vec<Vec<Published>> {
        (0..=p.rows())
            .map(|r| (0..=p.cols()).map(|c| p.cell(r, c).unwrap()).collect())
            .collect()
    }

    type Cell = (usize, usize);

    #[test]
    fn a_published_cell_is_stored_as_its_count_or_its_kind_of_suppression() {
        let cells = [Published::Count(12), Published::Primary, Published::Secondary];
        let text = serde_json::to_string(&cells).unwrap();
        assert_eq!(text, r#"[12,"primary","secondary"]"#);
        assert_eq!(serde_json::from_str::<Vec<Published>>(&text).unwrap(), cells);
        assert!(serde_json::from_str::<Published>(r#""shown""#).is_err());
    }

    /// Each line's cells without its margin, and its margin.
    fn lines(p: &ProtectedTable) -> Vec<(Vec<Cell>, Cell)> {
        let rows = (0..=p.rows()).map(|r| ((0..p.cols()).map(|c| (r, c)).collect(), (r, p.cols())));
        let cols = (0..=p.cols()).map(|c| ((0..p.rows()).map(|r| (r, c)).collect(), (p.rows(), c)));
        rows.chain(cols).collect()
    }

    fn assert_safe(t: &TwoWayTable, p: &ProtectedTable) {
        let values = t.with_margins();
        for (i, mark) in p.marks.iter().enumerate() {
            let n = values[i];
            if n > 0 && n < p.threshold() as u64 {
                assert_eq!(*mark, Published::Primary, "small figure {n} at {i} shown");
            }
            if let Published::Count(shown) = mark {
                assert_eq!(*shown, n, "a shown figure is the exact count");
            }
        }
        for (line, margin) in lines(p) {
            if !p.cell(margin.0, margin.1).unwrap().is_hidden() {
                let hidden: u64 = line
                    .iter()
                    .filter(|&&(r, c)| p.cell(r, c).unwrap().is_hidden())
                    .map(|&(r, c)| values[r * (p.cols() + 1) + c])
                    .sum();
                assert!(
                    hidden == 0
                        || hidden >= p.threshold() as u64
                        || line
                            .iter()
                            .all(|&(r, c)| p.cell(r, c).unwrap().is_hidden() || values[r * (p.cols() + 1) + c] == 0),
                    "a line's hidden cells hold only {hidden}"
                );
            }
        }
        for interval in audit(p).unwrap() {
            assert!(
                !interval.is_exact(),
                "cell ({}, {}) can be worked out: {interval:?}",
                interval.row,
                interval.col
            );
            let n = values[interval.row * (p.cols() + 1) + interval.col] as f64;
            assert!(
                interval.low <= n + 1e-6 && n <= interval.high + 1e-6,
                "the true count lies in its interval"
            );
        }
    }

    #[test]
    fn a_table_without_small_figures_is_published_whole() {
        let t = table(&[&[10, 20], &[0, 7]]);
        let p = Disclosure::default().protect(&t);
        assert_eq!(p.hidden(), (0, 0));
        assert_eq!(p.cell(2, 2), Some(Published::Count(37)));
        assert_eq!(p.cell(1, 0), Some(Published::Count(0)), "zero is shown");
        assert_eq!(p.cell(1, 2), Some(Published::Count(7)));
        assert_eq!(p.cell(3, 0), None);
    }

    #[test]
    fn one_small_cell_is_protected_by_a_rectangle_of_the_smallest_others() {
        let t = table(&[&[3, 20, 30], &[12, 15, 40], &[9, 50, 60]]);
        let p = Disclosure::default().protect(&t);
        use Published::{Count, Primary, Secondary};
        assert_eq!(
            grid(&p),
            vec![
                vec![Primary, Secondary, Count(30), Count(53)],
                vec![Secondary, Secondary, Count(40), Count(67)],
                vec![Count(9), Count(50), Count(60), Count(119)],
                vec![Count(24), Count(85), Count(130), Count(239)],
            ]
        );
        assert_safe(&t, &p);
    }

    #[test]
    fn a_small_margin_is_hidden_and_protected_too() {
        // The first row totals 4: the row and its total are hidden, and the column of totals
        // needs a second hidden row total.
        let t = table(&[&[1, 3], &[10, 20], &[30, 6]]);
        let p = Disclosure::default().protect(&t);
        assert_eq!(p.cell(0, 2), Some(Published::Primary));
        assert_eq!(p.cell(0, 0), Some(Published::Primary));
        assert_eq!(p.cell(0, 1), Some(Published::Primary));
        assert_safe(&t, &p);
    }

    #[test]
    fn a_table_where_every_figure_is_small_hides_everything_but_zeros() {
        let t = table(&[&[1, 0], &[0, 2]]);
        let p = Disclosure::default().protect(&t);
        assert_safe(&t, &p);
        assert!(p.cell(0, 0).unwrap().is_hidden());
        assert!(p.cell(2, 2).unwrap().is_hidden());
    }

    #[test]
    fn sparse_tables_with_zeros_fall_back_on_the_audit() {
        let t = table(&[&[2, 0, 0], &[0, 0, 9], &[0, 8, 0]]);
        let p = Disclosure::default().protect(&t);
        assert_safe(&t, &p);
    }

    #[test]
    fn one_row_or_one_column() {
        for t in [table(&[&[2, 10, 12]]), table(&[&[2], &[10], &[12]])] {
            let p = Disclosure::default().protect(&t);
            assert_safe(&t, &p);
            // The small cell and its margin, which repeats it.
            assert_eq!(p.hidden().0, 2);
        }
    }

    #[test]
    fn a_threshold_of_one_hides_nothing() {
        let t = table(&[&[1, 2], &[3, 4]]);
        assert_eq!(Disclosure::new(1).protect(&t).hidden(), (0, 0));
    }

    #[test]
    fn shapes_are_checked() {
        assert_eq!(TwoWayTable::new(0, 2, vec![]), Err(TableShapeError::Empty));
        assert_eq!(
            TwoWayTable::new(2, 2, vec![1]),
            Err(TableShapeError::Size { expected: 4, found: 1 })
        );
    }

    /// The same people counted by two row variables and one column variable.
    fn linked(people: &[(usize, usize, usize)], rows: (usize, usize), cols: usize) -> Vec<TwoWayTable> {
        let mut first = vec![0u64; rows.0 * cols];
        let mut second = vec![0u64; rows.1 * cols];
        for &(a, b, c) in people {
            first[a * cols + c] += 1;
            second[b * cols + c] += 1;
        }
        vec![
            TwoWayTable::new(rows.0, cols, first).unwrap(),
            TwoWayTable::new(rows.1, cols, second).unwrap(),
        ]
    }

    fn assert_linked_safe(tables: &[TwoWayTable], protected: &[ProtectedTable]) {
        for (t, p) in tables.iter().zip(protected) {
            assert_safe(t, p);
        }
        let totals = |p: &ProtectedTable| {
            (0..=p.cols())
                .map(|c| p.cell(p.rows(), c).unwrap().is_hidden())
                .collect::<Vec<_>>()
        };
        assert!(
            protected.iter().all(|p| totals(p) == totals(&protected[0])),
            "a column total hidden in one is hidden in all"
        );
        for (t, interval) in audit_linked(protected).unwrap() {
            assert!(
                !interval.is_exact(),
                "table {t} cell ({}, {}) is pinned down by the tables together",
                interval.row,
                interval.col
            );
        }
    }

    #[test]
    fn linked_tables_hide_their_shared_totals_together() {
        // Sex: 2 people of the third column; by age the second table would show it.
        let mut people = vec![(0, 0, 2), (1, 1, 2)];
        people.extend(std::iter::repeat_n((0, 1, 0), 12));
        people.extend(std::iter::repeat_n((1, 0, 1), 9));
        people.extend(std::iter::repeat_n((1, 1, 0), 7));
        let tables = linked(&people, (2, 2), 3);
        let protected = Disclosure::default().protect_linked(&tables).unwrap();
        assert_linked_safe(&tables, &protected);
        assert!(protected.iter().all(|p| p.cell(2, 2) == Some(Published::Primary)));
        let other = table(&[&[1, 2]]);
        assert_eq!(Disclosure::default().protect_linked(&[tables[0].clone(), other]), None);
        assert_eq!(Disclosure::default().protect_linked(&[]), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]
        #[test]
        fn linked_tables_never_let_a_small_figure_be_worked_out_between_them(
            (rows, cols, people) in (1usize..4, 1usize..4, 1usize..4).prop_flat_map(|(a, b, c)| {
                (Just((a, b)), Just(c), proptest::collection::vec((0..a, 0..b, 0..c), 0..60))
            }),
            threshold in 1usize..6,
        ) {
            let tables = linked(&people, rows, cols);
            let protected = Disclosure::new(threshold).protect_linked(&tables).unwrap();
            assert_linked_safe(&tables, &protected);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn no_protected_table_shows_a_small_figure_or_lets_one_be_worked_out(
            (rows, cols, counts) in (1usize..8, 1usize..7).prop_flat_map(|(r, c)| {
                (Just(r), Just(c), proptest::collection::vec(prop_oneof![3 => 0u64..5, 2 => 0u64..40], r * c))
            }),
            threshold in 1usize..8,
        ) {
            let t = TwoWayTable::new(rows, cols, counts).unwrap();
            let p = Disclosure::new(threshold).protect(&t);
            assert_safe(&t, &p);
        }
    }
}
