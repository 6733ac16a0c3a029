//! A source's version counted by year and one dimension, then protected once.
//!
//! The protected table is the whole series — categories × every year the version holds, with
//! its margins — and each page reads from it: a year's figures are its column and its column
//! total, the trend its rows. Protecting the year's column on its own would let a reader
//! subtract it from the trend; one table keeps every published figure consistent (ADR 0033).

use std::collections::{BTreeMap, BTreeSet};

use relais_stats::{Disclosure, ProtectedTable, Published, TwoWayTable};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::layout::Layout;
use crate::consolidate::Dimension;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    #[error("the source declares no column for this dimension")]
    NotDeclared,
    #[error("line {0}: the stored row cannot be read")]
    Corrupt(u64),
}

/// A category of a dimension. Stored as its value, or `null` when not recorded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "Option<String>", into = "Option<String>")]
pub enum Category {
    /// As written in the source.
    Value(String),
    /// Counted without a value for the dimension: kept as a category of its own, so that every
    /// dimension's table of a year has the same total and no difference between two totals
    /// counts anybody.
    NotRecorded,
}

impl From<Option<String>> for Category {
    fn from(value: Option<String>) -> Self {
        value.map_or(Self::NotRecorded, Self::Value)
    }
}

impl From<Category> for Option<String> {
    fn from(category: Category) -> Self {
        match category {
            Category::Value(v) => Some(v),
            Category::NotRecorded => None,
        }
    }
}

impl Category {
    pub fn value(&self) -> Option<&str> {
        match self {
            Self::Value(v) => Some(v),
            Self::NotRecorded => None,
        }
    }
}

/// The people (or counted units) by category and year, before the disclosure policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub dimension: Dimension,
    /// Categories as written in the source, in byte order (`06` before `2A`), then those not
    /// recorded if any.
    pub categories: Vec<Category>,
    pub years: Vec<i32>,
    /// One row per category, one column per year.
    pub counts: TwoWayTable,
    /// Counted units without a year.
    pub left_out: u64,
}

/// A category as text: strings as written, numbers in decimal.
fn category(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Series {
    /// Counts the rows of a version (each its line and its values as a JSON object, as stored)
    /// by year and `dimension`: a row of records is one unit, a row of an aggregated table its
    /// count. `None` when no row has a year.
    pub fn count(layout: &Layout, dimension: Dimension, rows: &[(u64, String)]) -> Result<Option<Self>, SeriesError> {
        let column = layout.column(dimension).ok_or(SeriesError::NotDeclared)?;
        let mut counts: BTreeMap<(Category, i32), u64> = BTreeMap::new();
        let mut left_out = 0u64;
        for (line, data) in rows {
            let row: Map<String, Value> = serde_json::from_str(data).map_err(|_| SeriesError::Corrupt(*line))?;
            let weight = match &layout.count {
                None => 1,
                Some(count) => match row.get(count) {
                    Some(Value::Number(n)) => n.as_u64().ok_or(SeriesError::Corrupt(*line))?,
                    // A missing count adds nobody.
                    _ => 0,
                },
            };
            let year = row
                .get(&layout.year)
                .and_then(Value::as_i64)
                .and_then(|y| i32::try_from(y).ok());
            let category = row
                .get(column)
                .and_then(category)
                .map_or(Category::NotRecorded, Category::Value);
            match year {
                Some(year) => *counts.entry((category, year)).or_default() += weight,
                None => left_out += weight,
            }
        }
        let categories: Vec<Category> = counts
            .keys()
            .map(|(c, _)| c.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let years: Vec<i32> = counts
            .keys()
            .map(|(_, y)| *y)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut grid = vec![0u64; categories.len() * years.len()];
        for ((c, y), n) in &counts {
            if let (Ok(i), Ok(j)) = (categories.binary_search(c), years.binary_search(y)) {
                grid[i * years.len() + j] = *n;
            }
        }
        let Ok(counts) = TwoWayTable::new(categories.len(), years.len(), grid) else {
            return Ok(None);
        };
        Ok(Some(Self {
            dimension,
            categories,
            years,
            counts,
            left_out,
        }))
    }
}

/// A series protected by the disclosure policy: the counts and their marks, kept together only
/// so that the audit can check the marks against the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedSeries {
    pub series: Series,
    table: ProtectedTable,
}

impl ProtectedSeries {
    pub fn new(series: Series, policy: Disclosure) -> Self {
        let table = policy.protect(&series.counts);
        Self { series, table }
    }

    /// What may be shown of it, and nothing else.
    pub fn published(&self) -> PublishedSeries {
        let (rows, cols) = (self.series.categories.len(), self.series.years.len());
        let marks = (0..=rows)
            .flat_map(|i| (0..=cols).map(move |j| (i, j)))
            // Inside the grid by construction; a hidden mark is the safe answer otherwise.
            .map(|(i, j)| self.table.cell(i, j).unwrap_or(Published::Secondary))
            .collect();
        PublishedSeries {
            dimension: self.series.dimension,
            categories: self.series.categories.clone(),
            years: self.series.years.clone(),
            threshold: self.table.threshold(),
            marks,
        }
    }
}

/// A series as it may be published: its categories, its years and each figure as a reader sees
/// it, margins included — no hidden count. What a page draws and what a release freezes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredSeries")]
pub struct PublishedSeries {
    pub dimension: Dimension,
    pub categories: Vec<Category>,
    pub years: Vec<i32>,
    /// The policy's threshold: a primary suppression reads "fewer than this".
    pub threshold: usize,
    /// Row by row, a row per category then the totals row, each a column per year then the
    /// total over the years.
    marks: Vec<Published>,
}

/// The stored form, checked before it becomes a [`PublishedSeries`].
#[derive(Deserialize)]
struct StoredSeries {
    dimension: Dimension,
    categories: Vec<Category>,
    years: Vec<i32>,
    threshold: usize,
    marks: Vec<Published>,
}

impl TryFrom<StoredSeries> for PublishedSeries {
    type Error = &'static str;

    fn try_from(s: StoredSeries) -> Result<Self, Self::Error> {
        if s.marks.len() != (s.categories.len() + 1) * (s.years.len() + 1) {
            return Err("a published series holds one figure per category and year, with the totals");
        }
        Ok(Self {
            dimension: s.dimension,
            categories: s.categories,
            years: s.years,
            threshold: s.threshold,
            marks: s.marks,
        })
    }
}

/// One published figure: what a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub cell: Published,
    /// The count in French (`1 234`), `<5` or `x`.
    pub text: String,
}

impl PublishedSeries {
    /// The figure of category `category` (an index of `categories`; their number is the total
    /// row) in year `year` (an index of `years`; their number is the total over the years).
    pub fn cell(&self, category: usize, year: usize) -> Figure {
        let cell = if category <= self.categories.len() && year <= self.years.len() {
            self.marks
                .get(category * (self.years.len() + 1) + year)
                .copied()
                .unwrap_or(Published::Secondary)
        } else {
            Published::Secondary
        };
        Figure {
            cell,
            text: published_text(cell, self.threshold),
        }
    }

    /// A year's figures, one per category, and the year's total; `None` if the series does not
    /// hold the year.
    pub fn year(&self, year: i32) -> Option<(Vec<Figure>, Figure)> {
        let j = self.years.binary_search(&year).ok()?;
        let figures = (0..self.categories.len()).map(|i| self.cell(i, j)).collect();
        Some((figures, self.cell(self.categories.len(), j)))
    }
}

/// What a published cell reads: the count in French, `<N` under the threshold, `x` hidden to
/// protect another cell.
pub fn published_text(cell: Published, threshold: usize) -> String {
    match cell {
        Published::Count(n) => french_count(n),
        Published::Primary => format!("<{threshold}"),
        Published::Secondary => "x".to_owned(),
    }
}

/// A count as French pages write it: thousands grouped by a narrow no-break space (`1 234`).
pub fn french_count(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Schema;
    use relais_domain::observatory::source::DataKind;

    fn values(series: &Series) -> Vec<Option<&str>> {
        series.categories.iter().map(Category::value).collect()
    }

    fn aggregated() -> Layout {
        let schema = Schema::parse(
            r#"{"fields": [{"name": "annee", "type": "year"}, {"name": "sexe", "type": "string"},
               {"name": "forme", "type": "string"}, {"name": "victimes", "type": "integer"}]}"#,
        )
        .unwrap();
        Layout::of(&schema, DataKind::Aggregated).unwrap()
    }

    fn rows(values: &[(i32, &str, &str, u64)]) -> Vec<(u64, String)> {
        values
            .iter()
            .enumerate()
            .map(|(i, (year, sex, form, n))| {
                let row = serde_json::json!({"annee": year, "sexe": sex, "forme": form, "victimes": n});
                (i as u64 + 2, row.to_string())
            })
            .collect()
    }

    #[test]
    fn an_aggregated_table_adds_its_counts_by_year_and_category() {
        let rows = rows(&[
            (2023, "F", "sexual", 1200),
            (2023, "F", "labour", 34),
            (2023, "M", "labour", 140),
            (2024, "F", "sexual", 900),
            (2024, "M", "sexual", 60),
        ]);
        let series = Series::count(&aggregated(), Dimension::Sex, &rows).unwrap().unwrap();
        assert_eq!(values(&series), [Some("F"), Some("M")]);
        assert_eq!(series.years, [2023, 2024]);
        let published = ProtectedSeries::new(series, Disclosure::default()).published();
        let (figures, total) = published.year(2023).unwrap();
        let texts: Vec<&str> = figures.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["1\u{202f}234", "140"]);
        assert_eq!(
            total.text, "1\u{202f}374",
            "the year's total is every category's people"
        );
        assert_eq!(published.cell(2, 2).text, "2\u{202f}334", "the grand total");
        assert!(published.year(2022).is_none());
    }

    #[test]
    fn a_small_figure_is_never_shown_nor_derivable_from_the_total() {
        let rows = rows(&[
            (2024, "F", "sexual", 14),
            (2024, "M", "sexual", 3),
            (2023, "F", "sexual", 20),
            (2023, "M", "sexual", 25),
        ]);
        let series = Series::count(&aggregated(), Dimension::Sex, &rows).unwrap().unwrap();
        let protected = ProtectedSeries::new(series, Disclosure::default());
        let published = protected.published();
        let (figures, total) = published.year(2024).unwrap();
        assert_eq!(figures[1].cell, Published::Primary);
        assert_eq!(figures[1].text, "<5");
        assert_eq!(total.text, "17");
        assert!(figures[0].cell.is_hidden(), "14 = 17 − 3 would give the 3 away");
        assert_eq!(figures[0].text, "x");
        for i in 0..=2 {
            for j in 0..=2 {
                assert_ne!(published.cell(i, j).text, "3", "the small count is never written");
            }
        }
        let intervals = relais_stats::audit(&protected.table).unwrap();
        assert!(!intervals.is_empty());
        assert!(
            intervals.iter().all(|i| !i.is_exact()),
            "no hidden figure can be worked out: {intervals:?}"
        );
    }

    #[test]
    fn a_published_series_stores_only_what_is_shown_and_reads_back_the_same() {
        let rows = rows(&[(2024, "F", "sexual", 14), (2024, "M", "sexual", 3)]);
        let series = Series::count(&aggregated(), Dimension::Sex, &rows).unwrap().unwrap();
        let published = ProtectedSeries::new(series, Disclosure::default()).published();
        let text = serde_json::to_string(&published).unwrap();
        assert!(
            !text.contains(":3") && !text.contains(",3,") && !text.contains("14"),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<PublishedSeries>(&text).unwrap(), published);
        let short = text.replace(r#""marks":["#, r#""marks":["primary","#);
        assert!(
            serde_json::from_str::<PublishedSeries>(&short).is_err(),
            "a figure too many"
        );
    }

    #[test]
    fn records_count_one_each_and_rows_without_a_value_are_not_recorded() {
        let schema = Schema::parse(
            r#"{"fields": [{"name": "pseudonyme", "type": "string"}, {"name": "annee", "type": "year"},
               {"name": "departement", "type": "string"}]}"#,
        )
        .unwrap();
        let layout = Layout::of(&schema, DataKind::Records).unwrap();
        let rows: Vec<(u64, String)> = [
            r#"{"pseudonyme": "a", "annee": 2024, "departement": "2A"}"#,
            r#"{"pseudonyme": "b", "annee": 2024, "departement": "06"}"#,
            r#"{"pseudonyme": "c", "annee": 2024, "departement": "2A"}"#,
            r#"{"pseudonyme": "d", "annee": 2024, "departement": null}"#,
        ]
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 2, (*r).to_owned()))
        .collect();
        let series = Series::count(&layout, Dimension::Departement, &rows).unwrap().unwrap();
        assert_eq!(values(&series), [Some("06"), Some("2A"), None]);
        assert_eq!(series.counts, TwoWayTable::new(3, 1, vec![1, 2, 1]).unwrap());
        assert_eq!(
            series.left_out, 0,
            "the person without a département is counted as not recorded"
        );
        assert_eq!(
            Series::count(&layout, Dimension::Sex, &rows),
            Err(SeriesError::NotDeclared)
        );
        assert_eq!(Series::count(&layout, Dimension::Departement, &[]), Ok(None));
        assert_eq!(
            Series::count(&layout, Dimension::Departement, &[(7, "not json".into())]),
            Err(SeriesError::Corrupt(7))
        );
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(french_count(0), "0");
        assert_eq!(french_count(999), "999");
        assert_eq!(french_count(1234), "1\u{202f}234");
        assert_eq!(french_count(1_234_567), "1\u{202f}234\u{202f}567");
    }
}
