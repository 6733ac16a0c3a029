//! A release (*publication*) of the observatory (issue 14, part 7): a set of
//! tables frozen with the methodology note that explains them, published
//! without login once an analyst has checked the frozen figures.
//!
//! The figures are frozen when the draft is made, so the analyst reviews
//! exactly what readers will see; publishing gives the release its version
//! (1, 2… per data year: a corrected release is a new version, the earlier
//! one stays readable and says it was replaced).

use super::source::{Problem, SourceCode};
use strum::EnumCount;

/// Longest title.
pub const TITLE_MAX: usize = 200;
/// Longest methodology note.
pub const NOTE_MAX: usize = 20_000;
/// The data years a release may cover.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Where a release stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Status {
    /// Frozen, visible to the observatory only.
    Draft,
    /// On the public page, with its version.
    Published,
    /// Put aside before publication; kept for the record.
    Discarded,
}

/// What can be done to a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Publish,
    Discard,
}

/// The transition table: every move a release can make.
const TRANSITIONS: [(Status, Act, Status); 2] = [
    (Status::Draft, Act::Publish, Status::Published),
    (Status::Draft, Act::Discard, Status::Discarded),
];

impl Status {
    pub const ALL: [Self; Self::COUNT] = [Self::Draft, Self::Published, Self::Discarded];

    /// The stored value and the key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Discarded => "discarded",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Where `act` leads from here, if it is allowed.
    pub fn after(self, act: Act) -> Option<Self> {
        TRANSITIONS
            .iter()
            .find(|(from, a, _)| *from == self && *a == act)
            .map(|(_, _, to)| *to)
    }
}

/// One table to freeze: a source's current version broken down by one of
/// its dimensions (the dimension's key, checked against the source's
/// descriptor when the figures are frozen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePick {
    pub source: SourceCode,
    pub dimension: String,
}

impl TablePick {
    /// The value of the form's checkbox: `source/dimension`.
    pub fn value(&self) -> String {
        format!("{}/{}", self.source.as_str(), self.dimension)
    }

    pub fn parse(value: &str) -> Option<Self> {
        let (source, dimension) = value.split_once('/')?;
        let valid = !dimension.is_empty() && dimension.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        Some(Self {
            source: SourceCode::parse(source)?,
            dimension: valid.then(|| dimension.to_owned())?,
        })
    }
}

/// A release as typed on its form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftInput {
    pub title: String,
    pub year: String,
    pub note: String,
    /// The checked tables' values.
    pub tables: Vec<String>,
    /// The differential-privacy budget ε ("1", "0,5"); empty for none.
    pub epsilon: String,
}

/// A release checked, ready to be frozen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub year: i32,
    pub note: String,
    pub tables: Vec<TablePick>,
    /// The release's differential-privacy budget ε in hundredths, split evenly between its
    /// tables; `None` for exact counts.
    pub epsilon_hundredths: Option<u32>,
}

/// The largest budget, in hundredths (ε = 10).
pub const EPSILON_MAX_HUNDREDTHS: u32 = 1000;

/// ε as typed ("1", "0,5", "0.25") in hundredths, from 0.01 to 10.
fn hundredths(raw: &str) -> Option<u32> {
    let raw = raw.trim().replace(',', ".");
    let (units, decimals) = raw.split_once('.').unwrap_or((&raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() && decimals.is_empty() || !digits(units) || !digits(decimals) || decimals.len() > 2 {
        return None;
    }
    let units: u32 = if units.is_empty() { 0 } else { units.parse().ok()? };
    let decimals: u32 = format!("{decimals:0<2}").parse().ok()?;
    let total = units.checked_mul(100)?.checked_add(decimals)?;
    (1..=EPSILON_MAX_HUNDREDTHS).contains(&total).then_some(total)
}

/// Every key a [`Problem`] of this form may carry (for the translation check).
pub const PROBLEM_KEYS: [&str; 6] = ["required", "too-long", "year", "tables", "epsilon", "epsilon-split"];

/// Every field and key a [`Problem`] of this form may carry together
/// (`release-problem-<field>-<key>`, checked in both languages).
pub const PROBLEMS: [(&str, &str); 8] = [
    ("title", "required"),
    ("title", "too-long"),
    ("note", "required"),
    ("note", "too-long"),
    ("year", "year"),
    ("tables", "tables"),
    ("epsilon", "epsilon"),
    ("epsilon", "epsilon-split"),
];

impl DraftInput {
    /// Checks every field, all problems at once. The data year may not be
    /// later than `current_year`: a release counts what has happened.
    pub fn check(&self, current_year: i32) -> Result<Draft, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut text = |field: &'static str, value: &str, max: usize| {
            let value = value.trim();
            if value.is_empty() {
                problems.push(Problem { field, key: "required" });
            } else if value.chars().count() > max {
                problems.push(Problem { field, key: "too-long" });
            }
            value.to_owned()
        };
        let title = text("title", &self.title, TITLE_MAX);
        let note = text("note", &self.note, NOTE_MAX);
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y) && *y <= current_year);
        if year.is_none() {
            problems.push(Problem {
                field: "year",
                key: "year",
            });
        }
        let mut tables: Vec<TablePick> = Vec::new();
        for pick in self.tables.iter().filter_map(|v| TablePick::parse(v)) {
            if !tables.contains(&pick) {
                tables.push(pick);
            }
        }
        if tables.is_empty() {
            problems.push(Problem {
                field: "tables",
                key: "tables",
            });
        }
        let epsilon_hundredths = if self.epsilon.trim().is_empty() {
            None
        } else {
            match hundredths(&self.epsilon) {
                // Each table needs at least a hundredth of the budget.
                Some(h) if tables.len() > h as usize => {
                    problems.push(Problem {
                        field: "epsilon",
                        key: "epsilon-split",
                    });
                    None
                }
                Some(h) => Some(h),
                None => {
                    problems.push(Problem {
                        field: "epsilon",
                        key: "epsilon",
                    });
                    None
                }
            }
        };
        match year {
            Some(year) if problems.is_empty() => Ok(Draft {
                title,
                year,
                note,
                tables,
                epsilon_hundredths,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DraftInput {
        DraftInput {
            title: " Rapport annuel 2025 ".into(),
            year: "2025".into(),
            note: "Victimes orientées, par forme d’exploitation.".into(),
            tables: vec![
                "relais-mnr/form".into(),
                "relais-mnr/sex".into(),
                "relais-mnr/form".into(),
            ],
            epsilon: String::new(),
        }
    }

    #[test]
    fn a_budget_is_read_in_french_or_english_notation_and_must_cover_each_table() {
        assert_eq!(hundredths("1"), Some(100));
        assert_eq!(hundredths(" 0,5 "), Some(50));
        assert_eq!(hundredths("0.25"), Some(25));
        assert_eq!(hundredths(".5"), Some(50));
        for bad in ["", "0", "0,001", "10,01", "-1", "1e3", "un", ","] {
            assert_eq!(hundredths(bad), None, "{bad}");
        }
        let with = |epsilon: &str| DraftInput {
            epsilon: epsilon.into(),
            ..input()
        };
        assert_eq!(with("").check(2026).unwrap().epsilon_hundredths, None);
        assert_eq!(with("1").check(2026).unwrap().epsilon_hundredths, Some(100));
        assert_eq!(
            with("0,01").check(2026).unwrap_err(),
            [Problem {
                field: "epsilon",
                key: "epsilon-split"
            }],
            "two tables cannot share a hundredth"
        );
        assert_eq!(with("20").check(2026).unwrap_err()[0].key, "epsilon");
    }

    #[test]
    fn a_draft_only_publishes_or_is_discarded_and_nothing_leaves_a_publication() {
        assert_eq!(Status::Draft.after(Act::Publish), Some(Status::Published));
        assert_eq!(Status::Draft.after(Act::Discard), Some(Status::Discarded));
        for act in [Act::Publish, Act::Discard] {
            assert_eq!(Status::Published.after(act), None);
            assert_eq!(Status::Discarded.after(act), None);
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.key()), Some(status));
        }
    }

    #[test]
    fn a_checked_draft_is_trimmed_and_holds_each_table_once() {
        let draft = input().check(2026).unwrap();
        assert_eq!(draft.title, "Rapport annuel 2025");
        assert_eq!(draft.year, 2025);
        assert_eq!(
            draft.tables.iter().map(TablePick::value).collect::<Vec<_>>(),
            ["relais-mnr/form", "relais-mnr/sex"]
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let empty = DraftInput::default().check(2026).unwrap_err();
        let fields: Vec<_> = empty.iter().map(|p| (p.field, p.key)).collect();
        assert_eq!(
            fields,
            [
                ("title", "required"),
                ("note", "required"),
                ("year", "year"),
                ("tables", "tables")
            ]
        );
        let future = DraftInput {
            year: "2027".into(),
            ..input()
        };
        assert_eq!(future.check(2026).unwrap_err()[0].field, "year");
        let long = DraftInput {
            title: "x".repeat(TITLE_MAX + 1),
            tables: vec!["../etc/passwd".into(), "relais-mnr/".into(), "relais-mnr/Form".into()],
            ..input()
        };
        let problems = long.check(2026).unwrap_err();
        assert!(problems.contains(&Problem {
            field: "title",
            key: "too-long"
        }));
        assert!(problems.contains(&Problem {
            field: "tables",
            key: "tables"
        }));
    }

    /// Every problem the check can give is listed, and nothing else.
    #[test]
    fn problems_list_every_field_and_key_the_check_gives() {
        let empty = DraftInput {
            title: String::new(),
            year: "x".into(),
            note: String::new(),
            tables: vec![],
            epsilon: "x".into(),
        };
        let long = DraftInput {
            title: "a".repeat(TITLE_MAX + 1),
            note: "a".repeat(NOTE_MAX + 1),
            epsilon: "0.01".into(),
            ..input()
        };
        let mut given: Vec<(&str, &str)> = [empty, long]
            .iter()
            .flat_map(|i| i.check(2025).unwrap_err())
            .map(|p| (p.field, p.key))
            .collect();
        given.sort_unstable();
        given.dedup();
        let mut listed = PROBLEMS.to_vec();
        listed.sort_unstable();
        assert_eq!(given, listed);
    }
}
