//! The capture-history table: reading it from CSV and the counts MSE works on.

use crate::error::MseError;
use crate::lattice::superset_sums;

/// Most lists a table may have: the model has 2^t − 1 cells, so the fit grows fast with t.
pub const MAX_LISTS: usize = 16;

/// A contingency table of capture histories.
///
/// A history is a bit mask: bit `i` is set when the case is on list `i` (the `i`-th column of
/// the CSV). `counts()[h]` is the number of cases with history `h`; the unseen cell `h = 0` is
/// always 0 here, since it is what is estimated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    lists: Vec<String>,
    counts: Vec<u64>,
    /// `supersets[S]`: cases on every list of `S` (whatever else), `supersets[0]` = all seen.
    supersets: Vec<u64>,
}

/// A table read from CSV, with the warnings raised while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedTable {
    /// The table.
    pub dataset: Dataset,
    /// Things the reader fixed but the user should know about (merged repeated histories).
    pub warnings: Vec<String>,
}

impl Dataset {
    /// Builds a table from list names and `2^t` counts indexed by history bit mask.
    ///
    /// The count of the unseen cell (index 0) must be 0.
    pub fn new(lists: Vec<String>, counts: Vec<u64>) -> Result<Self, MseError> {
        let t = lists.len();
        if t < 2 {
            return Err(MseError::TooFewLists { found: t + 1 });
        }
        if t > MAX_LISTS {
            return Err(MseError::TooManyLists {
                found: t,
                max: MAX_LISTS,
            });
        }
        if counts.len() != 1 << t {
            return Err(MseError::CellCount {
                lists: t,
                expected: 1 << t,
                found: counts.len(),
            });
        }
        if counts.first().is_some_and(|&c| c != 0) {
            return Err(MseError::UnseenCell);
        }
        let mut observed: u64 = 0;
        for &c in &counts {
            observed = observed.checked_add(c).ok_or(MseError::TotalOverflow)?;
        }
        if observed == 0 {
            return Err(MseError::NoCases);
        }
        // No sum can overflow: each is at most the total, checked above.
        let mut supersets = counts.clone();
        superset_sums(&mut supersets);
        Ok(Self {
            lists,
            counts,
            supersets,
        })
    }

    /// Reads a table: one 0/1 column per list, the count in the last column, a header naming
    /// the lists. Repeated histories are merged (their counts added) with a warning.
    pub fn from_csv(text: &str) -> Result<ParsedTable, MseError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            None => return Err(MseError::Empty),
            Some(record) => record.map_err(csv_error)?,
        };
        let lists = header_lists(&header)?;
        let width = header.len();
        let t = lists.len();
        let mut counts = vec![0_u64; 1 << t];
        let mut first_line: Vec<Option<u64>> = vec![None; 1 << t];
        let mut warnings = Vec::new();
        for record in records {
            let record = record.map_err(csv_error)?;
            let line = record.position().map_or(0, csv::Position::line);
            if record.len() != width {
                return Err(MseError::FieldCount {
                    line,
                    expected: width,
                    found: record.len(),
                });
            }
            let mut history = 0_usize;
            for (i, (value, list)) in record.iter().zip(&lists).enumerate() {
                match value {
                    "0" => {}
                    "1" => history |= 1 << i,
                    _ => {
                        return Err(MseError::NotBinary {
                            line,
                            column: i + 1,
                            list: list.clone(),
                            value: value.to_owned(),
                        });
                    }
                }
            }
            if history == 0 {
                return Err(MseError::EmptyHistory { line });
            }
            let count = parse_count(record.get(t).unwrap_or_default(), line, width)?;
            let (Some(cell), Some(seen)) = (counts.get_mut(history), first_line.get_mut(history)) else {
                continue;
            };
            *cell = cell.checked_add(count).ok_or(MseError::CountOverflow { line })?;
            match seen {
                None => *seen = Some(line),
                Some(first) => warnings.push(format!(
                    "line {line} repeats the history of line {first} ({}); their counts were added (total {cell})",
                    history_label(&lists, history)
                )),
            }
        }
        let dataset = Self::new(lists, counts)?;
        Ok(ParsedTable { dataset, warnings })
    }

    /// List names, in column order.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// Number of lists `t`.
    pub fn list_count(&self) -> usize {
        self.lists.len()
    }

    /// Counts indexed by history bit mask (`2^t` entries, the first one 0).
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Number of distinct cases seen by at least one list.
    pub fn observed(&self) -> u64 {
        self.on_all(0)
    }

    /// `N*_ij`: cases on both list `i` and list `j`, whatever else.
    pub fn overlap(&self, i: usize, j: usize) -> u64 {
        self.on_all((1 << i) | (1 << j))
    }

    /// Cases on every list of the set `lists` (a bit mask), whatever else.
    fn on_all(&self, lists: usize) -> u64 {
        self.supersets.get(lists).copied().unwrap_or(0)
    }

    /// Names of a pair of lists, as `A:B`.
    pub fn pair_label(&self, (i, j): (usize, usize)) -> String {
        let name = |k: usize| self.lists.get(k).map_or("?", String::as_str);
        format!("{}:{}", name(i), name(j))
    }

    /// The same lists with other counts (bootstrap resample, jackknife deletion).
    pub(crate) fn with_counts(&self, counts: Vec<u64>) -> Result<Self, MseError> {
        Self::new(self.lists.clone(), counts)
    }

    /// Removes the lists that hold no case: their main effect would be −∞ and they carry no
    /// information. Returns the reduced table (or `None` when fewer than two lists remain,
    /// where nothing bounds the estimate) and the names dropped.
    pub(crate) fn without_empty_lists(&self) -> (Option<Self>, Vec<String>) {
        let keep: Vec<usize> = (0..self.list_count()).filter(|&i| self.on_all(1 << i) > 0).collect();
        let dropped: Vec<String> = self
            .lists
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep.contains(i))
            .map(|(_, name)| name.clone())
            .collect();
        if dropped.is_empty() {
            return (Some(self.clone()), dropped);
        }
        let mut counts = vec![0_u64; 1 << keep.len()];
        for (h, &c) in self.counts.iter().enumerate() {
            let compact = keep
                .iter()
                .enumerate()
                .filter(|&(_, &old)| h & (1 << old) != 0)
                .fold(0_usize, |acc, (new, _)| acc | (1 << new));
            if let Some(cell) = counts.get_mut(compact) {
                *cell += c;
            }
        }
        let lists = keep.iter().filter_map(|&i| self.lists.get(i).cloned()).collect();
        (Self::new(lists, counts).ok(), dropped)
    }
}

/// Names of the lists a history is on, comma-separated.
fn history_label(lists: &[String], history: usize) -> String {
    lists
        .iter()
        .enumerate()
        .filter(|&(i, _)| history & (1 << i) != 0)
        .map(|(_, name)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn header_lists(header: &csv::StringRecord) -> Result<Vec<String>, MseError> {
    if header.len() < 3 {
        return Err(MseError::TooFewLists { found: header.len() });
    }
    let t = header.len() - 1;
    if t > MAX_LISTS {
        return Err(MseError::TooManyLists {
            found: t,
            max: MAX_LISTS,
        });
    }
    let mut lists: Vec<String> = Vec::with_capacity(t);
    for (i, name) in header.iter().take(t).enumerate() {
        let problem = if name.is_empty() {
            Some("empty")
        } else if lists.iter().any(|l| l == name) {
            Some("repeated")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(MseError::BadHeader {
                column: i + 1,
                name: name.to_owned(),
                problem,
            });
        }
        lists.push(name.to_owned());
    }
    Ok(lists)
}

/// Accepts `12` and also `12.0` (spreadsheets write that), nothing negative or fractional.
fn parse_count(value: &str, line: u64, column: usize) -> Result<u64, MseError> {
    if let Ok(n) = value.parse::<u64>() {
        return Ok(n);
    }
    // 2^53: beyond it an f64 no longer holds every integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value.parse::<f64>() {
        // A non-negative integer below 2^53: the conversion is exact.
        Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= EXACT => Ok(x as u64),
        _ => Err(MseError::BadCount {
            line,
            column,
            value: value.to_owned(),
        }),
    }
}

fn csv_error(error: csv::Error) -> MseError {
    let line = error.position().map_or(0, csv::Position::line);
    MseError::Csv {
        line,
        message: error.to_string(),
    }
}
