//! A linkage run of the observatory (*rapprochement des sources*, issue 15, part 4): the
//! encoded files of several sources linked into persons, then the estimate of how many
//! persons none of them counted. A run waits in the database until a serving process claims
//! it; the process reports its progress as it goes, and a run whose process stopped giving
//! signs of life is taken up by another.

use super::source::Problem;
pub use super::work::{ABANDONED_AFTER_SECONDS, Event, RunState, abandoned};

/// Longest title.
pub const TITLE_MAX: usize = 200;
/// Fewest and most sources of a run (the estimation handles up to sixteen lists).
pub const SOURCES: std::ops::RangeInclusive<usize> = 2..=6;
/// Longest source name.
pub const SOURCE_NAME_MAX: usize = 60;
/// The bootstrap replicates an analyst may ask for.
pub const REPLICATES: [usize; 3] = [0, 200, 1000];
/// One line of the form's sources: a name and whether a file was chosen for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceEntry {
    pub name: String,
    pub has_file: bool,
}

/// A run as typed on its form (the files themselves are read apart).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunInput {
    pub title: String,
    /// The lines of sources filled in (a name, a file or both), in the form's order.
    pub sources: Vec<SourceEntry>,
    /// Dice coefficient ("0,6", "0.55"); empty to read it from the scores' distribution.
    pub threshold: String,
    pub replicates: String,
}

/// A run checked, ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub title: String,
    pub names: Vec<String>,
    /// `None`: read from the scores' distribution.
    pub threshold_hundredths: Option<u32>,
    pub replicates: usize,
}

/// Every key a [`Problem`] of this form may carry (for the translation check).
pub const PROBLEM_KEYS: [&str; 7] = [
    "required",
    "too-long",
    "sources",
    "same-name",
    "file",
    "threshold",
    "replicates",
];

/// A threshold as typed ("0,6", "0.55", ".7") in hundredths, from 0.30 to 0.95: under, every
/// stranger with a common name links; over, no typing error is forgiven.
fn threshold_hundredths(raw: &str) -> Option<u32> {
    let raw = raw.trim().replace(',', ".");
    let decimals = raw.strip_prefix("0.").or_else(|| raw.strip_prefix('.'))?;
    if decimals.is_empty() || decimals.len() > 2 || !decimals.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = format!("{decimals:0<2}").parse().ok()?;
    (30..=95).contains(&value).then_some(value)
}

impl RunInput {
    /// Checks every field, all problems at once.
    pub fn check(&self) -> Result<Checked, Vec<Problem>> {
        let mut problems = Vec::new();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            problems.push(Problem {
                field: "title",
                key: "required",
            });
        } else if title.chars().count() > TITLE_MAX {
            problems.push(Problem {
                field: "title",
                key: "too-long",
            });
        }
        let names: Vec<String> = self.sources.iter().map(|s| s.name.trim().to_owned()).collect();
        if !SOURCES.contains(&names.len()) {
            problems.push(Problem {
                field: "sources",
                key: "sources",
            });
        } else if self.sources.iter().any(|s| !s.has_file) {
            problems.push(Problem {
                field: "sources",
                key: "file",
            });
        } else if names.iter().any(|n| n.is_empty()) {
            problems.push(Problem {
                field: "sources",
                key: "required",
            });
        } else if names.iter().any(|n| n.chars().count() > SOURCE_NAME_MAX) {
            problems.push(Problem {
                field: "sources",
                key: "too-long",
            });
        } else if names
            .iter()
            .enumerate()
            .any(|(i, n)| names[..i].iter().any(|m| m.to_lowercase() == n.to_lowercase()))
        {
            problems.push(Problem {
                field: "sources",
                key: "same-name",
            });
        }
        let threshold = if self.threshold.trim().is_empty() {
            Some(None)
        } else {
            threshold_hundredths(&self.threshold).map(Some)
        };
        if threshold.is_none() {
            problems.push(Problem {
                field: "threshold",
                key: "threshold",
            });
        }
        let replicates = self
            .replicates
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|r| REPLICATES.contains(r));
        if replicates.is_none() {
            problems.push(Problem {
                field: "replicates",
                key: "replicates",
            });
        }
        match (threshold, replicates) {
            (Some(threshold_hundredths), Some(replicates)) if problems.is_empty() => Ok(Checked {
                title,
                names,
                threshold_hundredths,
                replicates,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(names: &[&str], threshold: &str) -> RunInput {
        RunInput {
            title: "Rapprochement 2025".into(),
            sources: names
                .iter()
                .map(|n| SourceEntry {
                    name: (*n).to_owned(),
                    has_file: true,
                })
                .collect(),
            threshold: threshold.into(),
            replicates: "200".into(),
        }
    }

    fn keys(found: Result<Checked, Vec<Problem>>) -> Vec<(&'static str, &'static str)> {
        found
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| (p.field, p.key))
            .collect()
    }

    #[test]
    fn a_run_names_two_to_six_distinct_sources() {
        let checked = input(&["Police", " Associations "], "").check().unwrap();
        assert_eq!(checked.names, ["Police", "Associations"]);
        assert_eq!((checked.threshold_hundredths, checked.replicates), (None, 200));
        assert_eq!(keys(input(&["Police"], "").check()), [("sources", "sources")]);
        assert_eq!(
            keys(input(&["Police", "police"], "").check()),
            [("sources", "same-name")]
        );
        assert_eq!(keys(input(&["Police", " "], "").check()), [("sources", "required")]);
        let mut without_file = input(&["Police", "Associations"], "");
        without_file.sources[1].has_file = false;
        assert_eq!(keys(without_file.check()), [("sources", "file")]);
        let seven = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(keys(input(&seven, "").check()), [("sources", "sources")]);
    }

    #[test]
    fn the_threshold_is_a_dice_coefficient_between_three_tenths_and_ninety_five_hundredths() {
        for (typed, hundredths) in [("0,6", 60), ("0.55", 55), (".7", 70), ("0,30", 30), ("0.95", 95)] {
            let checked = input(&["a", "b"], typed).check().unwrap();
            assert_eq!(checked.threshold_hundredths, Some(hundredths), "{typed}");
        }
        for typed in ["0,2", "1", "0.955", "0,9a", "six", "0."] {
            assert_eq!(
                keys(input(&["a", "b"], typed).check()),
                [("threshold", "threshold")],
                "{typed}"
            );
        }
        let mut wrong = input(&["a", "b"], "");
        wrong.replicates = "5".into();
        wrong.title = String::new();
        assert_eq!(
            keys(wrong.check()),
            [("title", "required"), ("replicates", "replicates")]
        );
    }
}
