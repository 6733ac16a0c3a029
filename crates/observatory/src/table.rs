//! A two-way table counted from microdata (one row per person, a header line), as the
//! observatory publishes it: every figure through the disclosure policy of `relais-stats`
//! (`relais observatory table`).
//!
//! Categories are written exactly as they appear in the file (`06`, `2A`: no trimming, no
//! reformatting) and sorted in byte order, which keeps département codes in their usual order.
//! A person with no value for either variable is left out of the table (and counted apart),
//! as a table cannot show a person without a category without breaking its margins.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use relais_stats::{Disclosure, ProtectedTable, Published, TwoWayTable};
use serde_json::{Value, json};

/// The two-way table of a file, before the disclosure policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosstab {
    pub row_variable: String,
    pub col_variable: String,
    pub row_categories: Vec<String>,
    pub col_categories: Vec<String>,
    pub counts: TwoWayTable,
    /// People with no value for one of the two variables.
    pub left_out: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty: expected a header line naming the variables")]
    Empty,
    #[error("line {line}: malformed CSV: {message}")]
    Csv { line: u64, message: String },
    #[error("no column is named {name:?}; the columns are: {available}")]
    UnknownColumn { name: String, available: String },
    #[error("the rows and the columns must be two different variables")]
    SameVariable,
    #[error("no line has a value for both {rows:?} and {cols:?}")]
    NoData { rows: String, cols: String },
}

/// Counts the people of `file` by the categories of the columns `rows` and `cols`. The
/// delimiter is `;` when the header has a `;` and no `,`, otherwise `,`.
pub fn crosstab(mut file: impl Read, rows: &str, cols: &str) -> Result<Crosstab, TableError> {
    if rows == cols {
        return Err(TableError::SameVariable);
    }
    let mut text = Vec::new();
    file.read_to_end(&mut text).map_err(|e| TableError::Csv {
        line: 1,
        message: e.to_string(),
    })?;
    let header_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if header_line.contains(&b';') && !header_line.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_slice());
    let header = reader.headers().map_err(csv_error)?.clone();
    if header.is_empty() {
        return Err(TableError::Empty);
    }
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| TableError::UnknownColumn {
                name: name.to_owned(),
                available: header.iter().collect::<Vec<_>>().join(", "),
            })
    };
    let (row_at, col_at) = (column(rows)?, column(cols)?);
    let mut pairs: HashMap<(String, String), u64> = HashMap::new();
    let mut left_out = 0;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        match (record.get(row_at), record.get(col_at)) {
            (Some(r), Some(c)) if !r.is_empty() && !c.is_empty() => {
                *pairs.entry((r.to_owned(), c.to_owned())).or_default() += 1;
            }
            _ => left_out += 1,
        }
    }
    if pairs.is_empty() {
        return Err(TableError::NoData {
            rows: rows.to_owned(),
            cols: cols.to_owned(),
        });
    }
    let positions = |pick: fn(&(String, String)) -> &String| -> BTreeMap<String, usize> {
        let mut categories: BTreeMap<String, usize> = pairs.keys().map(|k| (pick(k).clone(), 0)).collect();
        for (i, position) in categories.values_mut().enumerate() {
            *position = i;
        }
        categories
    };
    let row_positions = positions(|(r, _)| r);
    let col_positions = positions(|(_, c)| c);
    let width = col_positions.len();
    let mut counts = vec![0u64; row_positions.len() * width];
    for ((r, c), n) in &pairs {
        if let (Some(i), Some(j)) = (row_positions.get(r), col_positions.get(c)) {
            counts[i * width + j] = *n;
        }
    }
    let counts = TwoWayTable::new(row_positions.len(), width, counts).map_err(|_| TableError::NoData {
        rows: rows.to_owned(),
        cols: cols.to_owned(),
    })?;
    Ok(Crosstab {
        row_variable: rows.to_owned(),
        col_variable: cols.to_owned(),
        row_categories: row_positions.into_keys().collect(),
        col_categories: col_positions.into_keys().collect(),
        counts,
        left_out,
    })
}

fn csv_error(e: csv::Error) -> TableError {
    TableError::Csv {
        line: e.position().map_or(1, csv::Position::line),
        message: match e.kind() {
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                format!("expected {expected_len} fields as in the header, found {len}")
            }
            csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_owned(),
            _ => e.to_string(),
        },
    }
}

/// The label of the margins, as a row and as a column.
pub const TOTAL: &str = "total";

/// A crosstab with its margins under the disclosure policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedTable {
    pub crosstab: Crosstab,
    pub protected: ProtectedTable,
}

impl PublishedTable {
    pub fn new(crosstab: Crosstab, policy: Disclosure) -> Self {
        let protected = policy.protect(&crosstab.counts);
        Self { crosstab, protected }
    }

    /// The published text of a cell: the count, `<N` (under the threshold N) or `x` (hidden to
    /// protect another cell).
    fn text(&self, row: usize, col: usize) -> String {
        match self.protected.cell(row, col) {
            Some(Published::Count(n)) => n.to_string(),
            Some(Published::Primary) => format!("<{}", self.protected.threshold()),
            Some(Published::Secondary) | None => "x".to_owned(),
        }
    }

    fn row_labels(&self) -> impl Iterator<Item = &str> {
        self.crosstab.row_categories.iter().map(String::as_str).chain([TOTAL])
    }

    fn col_labels(&self) -> impl Iterator<Item = &str> {
        self.crosstab.col_categories.iter().map(String::as_str).chain([TOTAL])
    }

    /// CSV: a header of the row variable's name, the column categories and `total`; then one
    /// line per row category and a `total` line.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(std::iter::once(self.crosstab.row_variable.as_str()).chain(self.col_labels()))?;
        for (r, label) in self.row_labels().enumerate() {
            let cells: Vec<String> = (0..=self.protected.cols()).map(|c| self.text(r, c)).collect();
            out.write_record(std::iter::once(label.to_owned()).chain(cells))?;
        }
        let bytes = out.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// JSON: the variables, the threshold, the column labels, each row's label and cells
    /// (numbers, or the texts `<N` and `x`), and how many cells were hidden.
    pub fn to_json(&self) -> Value {
        let cell = |r: usize, c: usize| match self.protected.cell(r, c) {
            Some(Published::Count(n)) => json!(n),
            _ => json!(self.text(r, c)),
        };
        let rows: Vec<Value> = self
            .row_labels()
            .enumerate()
            .map(|(r, label)| {
                let cells: Vec<Value> = (0..=self.protected.cols()).map(|c| cell(r, c)).collect();
                json!({ "category": label, "cells": cells })
            })
            .collect();
        let (primary, secondary) = self.protected.hidden();
        json!({
            "rows": self.crosstab.row_variable,
            "cols": self.crosstab.col_variable,
            "threshold": self.protected.threshold(),
            "columns": self.col_labels().collect::<Vec<_>>(),
            "table": rows,
            "suppressed": { "primary": primary, "secondary": secondary },
            "left_out": self.crosstab.left_out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn categories_are_kept_as_written_and_sorted() {
        let file = people(&["id,dep,sex", "1,2A,F", "2,06,M", "3,06,F", "4,2A,F", "5,,F", "6,06,F"]);
        let c = crosstab(file.as_bytes(), "dep", "sex").unwrap();
        assert_eq!(c.row_categories, ["06", "2A"]);
        assert_eq!(c.col_categories, ["F", "M"]);
        assert_eq!(c.left_out, 1);
        let published = PublishedTable::new(c, Disclosure::new(1));
        assert_eq!(
            published.to_csv().unwrap(),
            "dep,F,M,total\n06,2,1,3\n2A,2,0,2\ntotal,4,1,5\n"
        );
    }

    #[test]
    fn small_cells_read_under_the_threshold_and_their_protectors_x() {
        let mut lines = vec!["dep,sex".to_owned()];
        for (dep, sex, n) in [
            ("13", "F", 3),
            ("13", "M", 20),
            ("75", "F", 12),
            ("75", "M", 15),
            ("93", "F", 9),
            ("93", "M", 50),
        ] {
            lines.extend(std::iter::repeat_n(format!("{dep},{sex}"), n));
        }
        let c = crosstab(lines.join("\n").as_bytes(), "dep", "sex").unwrap();
        let csv = PublishedTable::new(c, Disclosure::default()).to_csv().unwrap();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], "dep,F,M,total");
        assert!(rows[1].starts_with("13,<5,x,"), "{csv}");
        assert!(
            !csv.contains(",3,") && !csv.contains(",3\n"),
            "the small count is never written: {csv}"
        );
    }

    #[test]
    fn semicolons_and_quoted_categories() {
        let file = people(&["dep;form", "75;\"travail; forcé\"", "75;sexuelle"]);
        let c = crosstab(file.as_bytes(), "dep", "form").unwrap();
        assert_eq!(c.col_categories, ["sexuelle", "travail; forcé"]);
        let json = PublishedTable::new(c, Disclosure::new(1)).to_json();
        assert_eq!(json["columns"], json!(["sexuelle", "travail; forcé", "total"]));
        assert_eq!(json["table"][1], json!({ "category": "total", "cells": [1, 1, 2] }));
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        assert_eq!(crosstab("".as_bytes(), "a", "b"), Err(TableError::Empty));
        assert_eq!(crosstab("a,b\n".as_bytes(), "a", "a"), Err(TableError::SameVariable));
        assert_eq!(
            crosstab("a,b\n1,2\n".as_bytes(), "a", "c"),
            Err(TableError::UnknownColumn {
                name: "c".into(),
                available: "a, b".into()
            })
        );
        assert_eq!(
            crosstab("a,b\n1,2\n3\n".as_bytes(), "a", "b"),
            Err(TableError::Csv {
                line: 3,
                message: "expected 2 fields as in the header, found 1".into()
            })
        );
        assert!(matches!(
            crosstab("a,b\n,2\n".as_bytes(), "a", "b"),
            Err(TableError::NoData { .. })
        ));
    }
}
