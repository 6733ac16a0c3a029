//! An estimate of the observatory with the methods side by side (issue 19, part 3): a table of
//! how the lists overlap — a file in the command line's format, or the capture histories of a
//! finished linkage run — and the settings of the methods, checked before the work is queued
//! (it runs like a linkage run: `super::work`).

use super::source::Problem;

/// Longest title.
pub const TITLE_MAX: usize = 200;
/// Most bootstrap replicates an analyst may ask for (`relais stats mse` allows more).
pub const REPLICATES_MAX: u64 = 10_000;
/// Most iterations a chain may drop at its start.
pub const BURNIN_MAX: u64 = 1_000_000;
/// Fewest and most draws a chain keeps.
pub const SAMPLES: std::ops::RangeInclusive<u64> = 4..=100_000;
/// Most iterations per kept draw.
pub const THINNING_MAX: u64 = 1_000;

/// Where the table comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableSource {
    /// A CSV file uploaded with the form.
    File,
    /// The capture histories of a finished linkage run, by id.
    Linkage(String),
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstimateInput {
    pub title: String,
    /// `file` or `linkage`.
    pub source: String,
    pub has_file: bool,
    /// The linkage run chosen, when `source` is `linkage`.
    pub linkage_run: String,
    pub replicates: String,
    pub seed: String,
    pub burnin: String,
    pub samples: String,
    pub thinning: String,
}

/// An estimate checked, ready to be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub title: String,
    pub source: TableSource,
    pub replicates: usize,
    pub seed: u64,
    pub burnin: usize,
    pub samples: usize,
    pub thinning: usize,
}

/// Every key a [`Problem`] of this form may carry (for the translation check).
pub const PROBLEM_KEYS: [&str; 5] = ["required", "too-long", "source", "file", "number"];

/// A whole number as typed ("1 000", "50000") within `range`.
fn whole(raw: &str, range: std::ops::RangeInclusive<u64>) -> Option<u64> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().filter(|n| range.contains(n))
}

impl EstimateInput {
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
        let source = match self.source.as_str() {
            "file" if self.has_file => Some(TableSource::File),
            "file" => {
                problems.push(Problem {
                    field: "file",
                    key: "file",
                });
                None
            }
            "linkage" if !self.linkage_run.trim().is_empty() => {
                Some(TableSource::Linkage(self.linkage_run.trim().to_owned()))
            }
            "linkage" => {
                problems.push(Problem {
                    field: "linkage_run",
                    key: "required",
                });
                None
            }
            _ => {
                problems.push(Problem {
                    field: "source",
                    key: "source",
                });
                None
            }
        };
        let mut number = |field: &'static str, raw: &str, range: std::ops::RangeInclusive<u64>| {
            let found = whole(raw, range);
            if found.is_none() {
                problems.push(Problem { field, key: "number" });
            }
            found
        };
        let replicates = number("replicates", &self.replicates, 0..=REPLICATES_MAX);
        let seed = number("seed", &self.seed, 0..=u64::from(u32::MAX));
        let burnin = number("burnin", &self.burnin, 0..=BURNIN_MAX);
        let samples = number("samples", &self.samples, SAMPLES);
        let thinning = number("thinning", &self.thinning, 1..=THINNING_MAX);
        let size = |n: Option<u64>| n.and_then(|n| usize::try_from(n).ok());
        match (
            source,
            size(replicates),
            seed,
            size(burnin),
            size(samples),
            size(thinning),
        ) {
            (Some(source), Some(replicates), Some(seed), Some(burnin), Some(samples), Some(thinning))
                if problems.is_empty() =>
            {
                Ok(Checked {
                    title,
                    source,
                    replicates,
                    seed,
                    burnin,
                    samples,
                    thinning,
                })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EstimateInput {
        EstimateInput {
            title: "Estimation 2025".into(),
            source: "file".into(),
            has_file: true,
            linkage_run: String::new(),
            replicates: "1 000".into(),
            seed: "1".into(),
            burnin: "50000".into(),
            samples: "5000".into(),
            thinning: "50".into(),
        }
    }

    fn keys(input: &EstimateInput) -> Vec<(&'static str, &'static str)> {
        input
            .check()
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| (p.field, p.key))
            .collect()
    }

    #[test]
    fn a_file_or_a_linkage_run_with_the_methods_settings() {
        let checked = input().check().unwrap();
        assert_eq!(checked.source, TableSource::File);
        assert_eq!(
            (checked.replicates, checked.burnin, checked.samples, checked.thinning),
            (1000, 50_000, 5000, 50)
        );
        let linked = EstimateInput {
            source: "linkage".into(),
            has_file: false,
            linkage_run: " abc ".into(),
            ..input()
        };
        assert_eq!(linked.check().unwrap().source, TableSource::Linkage("abc".into()));
        let nothing = EstimateInput {
            linkage_run: String::new(),
            ..linked
        };
        assert_eq!(keys(&nothing), [("linkage_run", "required")]);
        let no_file = EstimateInput {
            has_file: false,
            ..input()
        };
        assert_eq!(keys(&no_file), [("file", "file")]);
        let no_source = EstimateInput {
            source: "elsewhere".into(),
            ..input()
        };
        assert_eq!(keys(&no_source), [("source", "source")]);
    }

    #[test]
    fn every_setting_is_a_whole_number_in_its_range() {
        let wrong = EstimateInput {
            title: " ".into(),
            replicates: "20000".into(),
            seed: "-1".into(),
            burnin: "1,5".into(),
            samples: "2".into(),
            thinning: "0".into(),
            ..input()
        };
        assert_eq!(
            keys(&wrong),
            [
                ("title", "required"),
                ("replicates", "number"),
                ("seed", "number"),
                ("burnin", "number"),
                ("samples", "number"),
                ("thinning", "number"),
            ]
        );
        let quick = EstimateInput {
            replicates: "0".into(),
            burnin: "0".into(),
            samples: "4".into(),
            thinning: "1".into(),
            ..input()
        };
        assert!(quick.check().is_ok());
    }
}
