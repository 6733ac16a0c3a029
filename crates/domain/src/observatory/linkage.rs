//! A linkage run of the observatory (*rapprochement des sources*, issue 15, part 4): the
//! encoded files of several sources linked into persons, then the estimate of how many
//! persons none of them counted. A run waits in the database until a serving process claims
//! it; the process reports its progress as it goes, and a run whose process stopped giving
//! signs of life is taken up by another.

use super::source::Problem;
use crate::time::Timestamp;

/// Longest title.
pub const TITLE_MAX: usize = 200;
/// Fewest and most sources of a run (the estimation handles up to sixteen lists).
pub const SOURCES: std::ops::RangeInclusive<usize> = 2..=6;
/// Longest source name.
pub const SOURCE_NAME_MAX: usize = 60;
/// The bootstrap replicates an analyst may ask for.
pub const REPLICATES: [usize; 3] = [0, 200, 1000];
/// A running run without a sign of life for this long was left by a process that stopped.
pub const ABANDONED_AFTER_SECONDS: i64 = 120;

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Waiting for a process.
    Queued,
    /// A process is linking and estimating.
    Running,
    /// Its outcome is stored.
    Done,
    /// It stopped on an error, said in words.
    Failed,
}

/// What happens to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A process takes it.
    Claim,
    /// The process that had it stopped giving signs of life; another takes it.
    TakeOver,
    Finish,
    Fail,
}

/// The transition table: every move a run can make.
const TRANSITIONS: [(RunState, Event, RunState); 4] = [
    (RunState::Queued, Event::Claim, RunState::Running),
    (RunState::Running, Event::TakeOver, RunState::Running),
    (RunState::Running, Event::Finish, RunState::Done),
    (RunState::Running, Event::Fail, RunState::Failed),
];

impl RunState {
    pub const ALL: [Self; 4] = [Self::Queued, Self::Running, Self::Done, Self::Failed];

    /// The stored value and the key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Where `event` leads from here, if it may happen.
    pub fn after(self, event: Event) -> Option<Self> {
        TRANSITIONS
            .iter()
            .find(|(from, e, _)| *from == self && *e == event)
            .map(|(_, _, to)| *to)
    }

    /// Whether the run is over (its page stops asking for progress).
    pub fn is_over(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

/// Whether a running run whose last sign of life was at `heartbeat` may be taken over `now`.
pub fn abandoned(heartbeat: Timestamp, now: Timestamp) -> bool {
    now.0 - heartbeat.0 >= ABANDONED_AFTER_SECONDS
}

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

    #[test]
    fn a_run_moves_by_its_table_and_a_silent_process_is_taken_over() {
        assert_eq!(RunState::Queued.after(Event::Claim), Some(RunState::Running));
        assert_eq!(RunState::Running.after(Event::TakeOver), Some(RunState::Running));
        assert_eq!(RunState::Running.after(Event::Finish), Some(RunState::Done));
        assert_eq!(RunState::Done.after(Event::Claim), None);
        assert_eq!(RunState::Queued.after(Event::Finish), None);
        for state in RunState::ALL {
            assert_eq!(RunState::parse(state.key()), Some(state));
        }
        assert!(!abandoned(
            Timestamp(1000),
            Timestamp(1000 + ABANDONED_AFTER_SECONDS - 1)
        ));
        assert!(abandoned(Timestamp(1000), Timestamp(1000 + ABANDONED_AFTER_SECONDS)));
    }
}
