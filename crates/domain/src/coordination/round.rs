//! Reporting rounds (*campagnes de remontée*): before a committee meeting,
//! the coordinator asks each pilot body's focal point to update the status,
//! indicators and spending of the measures it pilots, follows completion body
//! by body, reminds the late ones and validates or returns each update.
//!
//! One update per measure and round; its workflow is [`TRANSITIONS`].

use super::annual::VALUE_MAX;
use super::measure::{Period, Problem, TEXT_MAX};
use super::money::Euros;
use super::status::MeasureStatus;
use crate::time::Date;
use strum::EnumCount;

/// Where one measure's update stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum UpdateStatus {
    /// Asked of the pilot's focal point, not yet sent.
    Requested,
    /// Sent by the focal point, waiting for the coordinator.
    Submitted,
    /// Accepted by the coordinator: its facts are now the measure's.
    Validated,
    /// Sent back by the coordinator with a comment, to be corrected.
    Returned,
}

impl UpdateStatus {
    pub const ALL: [Self; Self::COUNT] = [Self::Requested, Self::Submitted, Self::Validated, Self::Returned];

    pub fn key(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Submitted => "submitted",
            Self::Validated => "validated",
            Self::Returned => "returned",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The focal point still has something to do.
    pub fn awaits_focal_point(self) -> bool {
        matches!(self, Self::Requested | Self::Returned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Event {
    /// The focal point sends the update.
    Submit,
    /// The coordinator accepts it.
    Validate,
    /// The coordinator sends it back, with a comment.
    Return,
}

impl Event {
    pub const ALL: [Self; Self::COUNT] = [Self::Submit, Self::Validate, Self::Return];
}

/// (from, event, to): the whole workflow; anything else is refused. A
/// validated update is final: a correction waits for the next round.
pub const TRANSITIONS: [(UpdateStatus, Event, UpdateStatus); 4] = {
    use Event::*;
    use UpdateStatus::*;
    [
        (Requested, Submit, Submitted),
        (Returned, Submit, Submitted),
        (Submitted, Validate, Validated),
        (Submitted, Return, Returned),
    ]
};

/// Why an event was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the round is closed")]
    RoundClosed,
    #[error("`{event:?}` is not possible from `{from:?}`")]
    NotFrom { from: UpdateStatus, event: Event },
}

/// The status after `event` in a round that is open or not, or why not.
pub fn apply(round_open: bool, from: UpdateStatus, event: Event) -> Result<UpdateStatus, Refused> {
    if !round_open {
        return Err(Refused::RoundClosed);
    }
    TRANSITIONS
        .iter()
        .find(|(f, e, _)| *f == from && *e == event)
        .map(|(_, _, to)| *to)
        .ok_or(Refused::NotFrom { from, event })
}

/// How far one body (or the whole round) has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Completion {
    pub requested: u32,
    pub submitted: u32,
    pub validated: u32,
    pub returned: u32,
}

impl Completion {
    pub fn of(statuses: impl IntoIterator<Item = UpdateStatus>) -> Self {
        statuses.into_iter().fold(Self::default(), |mut c, status| {
            match status {
                UpdateStatus::Requested => c.requested += 1,
                UpdateStatus::Submitted => c.submitted += 1,
                UpdateStatus::Validated => c.validated += 1,
                UpdateStatus::Returned => c.returned += 1,
            }
            c
        })
    }

    pub fn total(self) -> u32 {
        self.requested + self.submitted + self.validated + self.returned
    }

    /// Updates the body has sent and that were not returned (submitted or
    /// validated), in whole percent rounded down; `None` for a body with no
    /// measure in the round.
    pub fn answered_percent(self) -> Option<u32> {
        let total = self.total();
        (total > 0).then(|| (self.submitted + self.validated) * 100 / total)
    }

    /// Everything the body was asked is validated.
    pub fn is_done(self) -> bool {
        self.total() > 0 && self.validated == self.total()
    }

    /// The focal point still has updates to send or correct.
    pub fn awaits_focal_point(self) -> bool {
        self.requested + self.returned > 0
    }
}

/// When reminders start before the due date, and how often they repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPolicy {
    pub days_before_due: i64,
    pub every_days: i64,
}

impl ReminderPolicy {
    /// A week before the due date, then every three days until answered.
    pub const DEFAULT: Self = Self {
        days_before_due: 7,
        every_days: 3,
    };

    /// Whether a body that still owes updates is reminded on `today`, given
    /// the day it was last asked or reminded. The opening request counts as
    /// the first message, so a round opened less than `every_days` ago sends
    /// no reminder yet.
    pub fn due(self, due: Date, last_message: Date, today: Date) -> bool {
        today.to_days() >= due.to_days() - self.days_before_due
            && today.to_days() - last_message.to_days() >= self.every_days
    }
}

/// Whether the round's due date has passed on `today` (the local day).
pub fn is_late(due: Date, today: Date) -> bool {
    today.to_days() > due.to_days()
}

/// A round's due date must fall after the (local) day it opens.
pub fn due_date_is_valid(opening_day: Date, due: Date) -> bool {
    due > opening_day
}

/// The year of the annual plan a round concerns: the one chosen when it is
/// opened, else the year of its due date; `None` when that year is not one
/// of the plan's period (ADR 0030).
pub fn round_year(chosen: Option<i32>, due: Date, period: Period) -> Option<i32> {
    let year = chosen.unwrap_or(due.year);
    (period.start..=period.end).contains(&year).then_some(year)
}

/// What a focal point reports for one measure (*remontée*): the status with
/// its evidence, a value one of the measure's indicators of the round's year
/// reached on a day, and what was spent on the measure in that year so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub status: Option<MeasureStatus>,
    /// What shows the status (a decree, a circular, a count…).
    pub evidence: String,
    /// The indicator's identifier; given with a value and its date, or not at all.
    pub indicator: Option<String>,
    pub indicator_value: Option<String>,
    pub indicator_date: Option<Date>,
    pub spent: Option<Euros>,
}

/// The focal point's answers as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportInput<'a> {
    pub status: &'a str,
    pub evidence: &'a str,
    pub indicator: &'a str,
    pub indicator_value: &'a str,
    pub indicator_date: &'a str,
    pub spent: &'a str,
}

/// Every problem key [`check_report`] gives, for translations.
pub const REPORT_PROBLEM_KEYS: [&str; 8] = [
    "required",
    "status",
    "too-long",
    "date",
    "future-date",
    "indicator",
    "value-missing",
    "cost",
];

/// The report, or every problem by field (`status`, `evidence`, `indicator`,
/// `indicator_value`, `indicator_date`, `spent_eur`). A status other than
/// "not started" needs its evidence; a value needs one of `indicators` (the
/// identifiers of the measure's indicators of the round's year) and the day
/// it was reached, no later than `today`; a day needs a value. An indicator
/// chosen without a value is ignored.
pub fn check_report(input: &ReportInput<'_>, indicators: &[&str], today: Date) -> Result<Report, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |column: &'static str, key: &'static str| problems.push(Problem { column, key });
    let status = MeasureStatus::parse(input.status.trim());
    if status.is_none() {
        problem(
            "status",
            if input.status.trim().is_empty() {
                "required"
            } else {
                "status"
            },
        );
    }
    let evidence = input.evidence.trim();
    if status.is_some_and(|s| s != MeasureStatus::NotStarted) && evidence.is_empty() {
        problem("evidence", "required");
    }
    if evidence.chars().count() > TEXT_MAX {
        problem("evidence", "too-long");
    }
    let (indicator, value, raw_date) = (
        input.indicator.trim(),
        input.indicator_value.trim(),
        input.indicator_date.trim(),
    );
    if value.chars().count() > VALUE_MAX {
        problem("indicator_value", "too-long");
    }
    let date = Date::parse(raw_date);
    match date {
        None if !raw_date.is_empty() => problem("indicator_date", "date"),
        Some(day) if day > today => problem("indicator_date", "future-date"),
        _ => {}
    }
    if value.is_empty() {
        // An indicator chosen alone says nothing (the form may preselect it).
        if !raw_date.is_empty() {
            problem("indicator_value", "value-missing");
        }
    } else {
        if indicator.is_empty() {
            problem("indicator", "required");
        }
        if raw_date.is_empty() {
            problem("indicator_date", "required");
        }
    }
    if !value.is_empty() && !indicator.is_empty() && !indicators.contains(&indicator) {
        problem("indicator", "indicator");
    }
    let spent = match input.spent.trim() {
        "" => None,
        raw => Euros::parse(raw).or_else(|| {
            problem("spent_eur", "cost");
            None
        }),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let given = !value.is_empty();
    Ok(Report {
        status,
        evidence: evidence.to_owned(),
        indicator: given.then(|| indicator.to_owned()),
        indicator_value: given.then(|| value.to_owned()),
        indicator_date: date.filter(|_| given),
        spent,
    })
}

#[cfg(test)]
mod tests {
    use super::UpdateStatus::*;
    use super::*;

    fn date(raw: &str) -> Date {
        Date::parse(raw).unwrap()
    }

    #[test]
    fn the_table_is_the_whole_workflow() {
        for from in UpdateStatus::ALL {
            for event in Event::ALL {
                let listed = TRANSITIONS.iter().find(|(f, e, _)| *f == from && *e == event);
                match (listed, apply(true, from, event)) {
                    (Some((_, _, to)), Ok(got)) => assert_eq!(*to, got),
                    (None, Err(Refused::NotFrom { .. })) => {}
                    other => panic!("{from:?} {event:?}: {other:?}"),
                }
                assert_eq!(apply(false, from, event), Err(Refused::RoundClosed));
            }
        }
        assert_eq!(
            apply(true, Validated, Event::Return),
            Err(Refused::NotFrom {
                from: Validated,
                event: Event::Return
            })
        );
        assert_eq!(apply(true, Returned, Event::Submit), Ok(Submitted));
    }

    #[test]
    fn keys_round_trip() {
        for s in UpdateStatus::ALL {
            assert_eq!(UpdateStatus::parse(s.key()), Some(s));
        }
        assert_eq!(UpdateStatus::parse("done"), None);
    }

    #[test]
    fn completion_counts_what_was_answered() {
        let c = Completion::of([Requested, Submitted, Validated, Returned, Validated]);
        assert_eq!(c.total(), 5);
        assert_eq!(c.answered_percent(), Some(60));
        assert!(!c.is_done());
        assert!(c.awaits_focal_point());
        assert_eq!(Completion::of([]).answered_percent(), None);
        assert!(!Completion::of([]).is_done());
        let done = Completion::of([Validated, Validated]);
        assert!(done.is_done());
        assert!(!done.awaits_focal_point());
        assert_eq!(
            Completion::of([Submitted, Requested, Requested]).answered_percent(),
            Some(33)
        );
    }

    #[test]
    fn reminders_start_a_week_before_and_repeat_every_three_days() {
        let policy = ReminderPolicy::DEFAULT;
        let due = date("2026-03-20");
        let opened = date("2026-03-01");
        assert!(!policy.due(due, opened, date("2026-03-12")), "too early");
        assert!(policy.due(due, opened, date("2026-03-13")), "a week before");
        assert!(
            !policy.due(due, date("2026-03-13"), date("2026-03-15")),
            "reminded two days ago"
        );
        assert!(policy.due(due, date("2026-03-13"), date("2026-03-16")));
        assert!(
            policy.due(due, date("2026-03-20"), date("2026-03-25")),
            "late: still reminded"
        );
        assert!(
            !policy.due(due, date("2026-03-18"), date("2026-03-19")),
            "opened late, asked yesterday"
        );
    }

    #[test]
    fn lateness_and_due_dates() {
        assert!(!is_late(date("2026-03-20"), date("2026-03-20")));
        assert!(is_late(date("2026-03-20"), date("2026-03-21")));
        assert!(!due_date_is_valid(date("2026-03-01"), date("2026-03-01")));
        assert!(due_date_is_valid(date("2026-03-01"), date("2026-03-02")));
    }

    fn input<'a>(value: &'a str, indicator: &'a str, day: &'a str) -> ReportInput<'a> {
        ReportInput {
            status: "in_progress",
            evidence: "Circulaire du 3 mars",
            indicator,
            indicator_value: value,
            indicator_date: day,
            spent: "42 000,50",
        }
    }

    fn problems(result: Result<Report, Vec<Problem>>) -> Vec<(&'static str, &'static str)> {
        result.unwrap_err().into_iter().map(|p| (p.column, p.key)).collect()
    }

    #[test]
    fn a_report_with_a_value_names_its_indicator_and_day() {
        let today = date("2027-01-15");
        let report = check_report(&input(" 1 250 ", "abc", "2027-01-10"), &["abc", "def"], today).unwrap();
        assert_eq!(report.status, Some(MeasureStatus::InProgress));
        assert_eq!(report.indicator.as_deref(), Some("abc"));
        assert_eq!(report.indicator_value.as_deref(), Some("1 250"));
        assert_eq!(report.indicator_date, Some(date("2027-01-10")));
        assert_eq!(report.spent, Euros::from_cents(4_200_050));
        let bare = check_report(&input("", "", ""), &[], today).unwrap();
        assert_eq!(
            (bare.indicator, bare.indicator_value, bare.indicator_date),
            (None, None, None)
        );
        let chosen_alone = check_report(&input("", "abc", ""), &["abc"], today).unwrap();
        assert_eq!(chosen_alone.indicator, None, "no value: nothing to attach");
        assert_eq!(
            problems(check_report(&input("1 250", "", ""), &["abc"], today)),
            [("indicator", "required"), ("indicator_date", "required")]
        );
        assert_eq!(
            problems(check_report(&input("", "abc", "2027-01-10"), &["abc"], today)),
            [("indicator_value", "value-missing")]
        );
        assert_eq!(
            problems(check_report(&input("3", "zzz", "2027-01-16"), &["abc"], today)),
            [("indicator_date", "future-date"), ("indicator", "indicator")]
        );
        assert_eq!(
            problems(check_report(&input("3", "abc", "10/01/2027"), &["abc"], today)),
            [("indicator_date", "date")]
        );
    }

    #[test]
    fn a_status_needs_its_evidence_and_spending_is_in_euros() {
        let today = date("2027-01-15");
        let wrong = ReportInput {
            status: "in_progress",
            spent: "beaucoup",
            ..ReportInput::default()
        };
        assert_eq!(
            problems(check_report(&wrong, &[], today)),
            [("evidence", "required"), ("spent_eur", "cost")]
        );
        let not_started = ReportInput {
            status: "not_started",
            ..ReportInput::default()
        };
        assert!(check_report(&not_started, &[], today).is_ok(), "nothing to prove yet");
        assert_eq!(
            problems(check_report(&ReportInput::default(), &[], today)),
            [("status", "required")]
        );
        let unknown = ReportInput {
            status: "finished",
            ..ReportInput::default()
        };
        assert_eq!(problems(check_report(&unknown, &[], today)), [("status", "status")]);
    }

    #[test]
    fn a_round_concerns_the_chosen_year_or_its_due_dates() {
        let period = Period { start: 2027, end: 2029 };
        assert_eq!(round_year(None, date("2027-02-01"), period), Some(2027));
        assert_eq!(round_year(Some(2028), date("2027-02-01"), period), Some(2028));
        assert_eq!(round_year(None, date("2030-01-10"), period), None);
        assert_eq!(round_year(Some(2026), date("2027-02-01"), period), None);
    }
}
