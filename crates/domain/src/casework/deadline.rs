//! Deadlines on working days (issue 4, part 3): what is due when, and
//! whether it is overdue. The targets are configurable; the defaults follow
//! the UK mechanism's published target (a preliminary decision within five
//! working days) and treat a child's notification as due the next working day.

use crate::calendar;
use crate::casework::case_status::{Case, Status};
use crate::territory::Departement;
use crate::time::{Date, Timestamp, Zone};

/// Configurable targets, in working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// From submission of a referral to the preliminary decision.
    pub preliminary_decision: u32,
    /// From submission to notifying the child-protection unit.
    pub child_protection_notification: u32,
    /// How many working days before a deadline it is shown as "due soon".
    pub due_soon: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            preliminary_decision: 5,
            child_protection_notification: 1,
            due_soon: 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    DueToday,
    DueSoon,
    Later,
}

impl Urgency {
    pub const ALL: [Self; 4] = [Self::Overdue, Self::DueToday, Self::DueSoon, Self::Later];

    pub fn key(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::DueToday => "due-today",
            Self::DueSoon => "due-soon",
            Self::Later => "later",
        }
    }
}

/// The deadline of something started on `start` with a target of `days`
/// working days, in the département whose holidays apply.
pub fn due(start: Date, days: u32, departement: Option<Departement>) -> Date {
    calendar::add_working_days(start, days, departement)
}

/// How pressing a deadline is on `today`.
pub fn urgency(due: Date, today: Date, targets: &Targets, departement: Option<Departement>) -> Urgency {
    if today > due {
        Urgency::Overdue
    } else if today == due {
        Urgency::DueToday
    } else if calendar::working_days_between(today, due, departement) <= targets.due_soon {
        Urgency::DueSoon
    } else {
        Urgency::Later
    }
}

/// What a case waits for next, and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDeadline {
    /// The preliminary decision, in working days from the referral.
    PreliminaryDecision(Date),
    /// The end of the reflection period (no formal decision before).
    ReflectionEnd(Date),
}

impl NextDeadline {
    /// Every key `key` gives, one per variant (the variants carry a date).
    pub const KEYS: [&'static str; 2] = ["preliminary-decision", "reflection-end"];

    pub fn key(self) -> &'static str {
        match self {
            Self::PreliminaryDecision(_) => Self::KEYS[0],
            Self::ReflectionEnd(_) => Self::KEYS[1],
        }
    }

    pub fn date(self) -> Date {
        match self {
            Self::PreliminaryDecision(d) | Self::ReflectionEnd(d) => d,
        }
    }
}

/// The next deadline of a case at its stage, if it has one.
pub fn next_for_case(
    case: &Case,
    referred_on: Date,
    departement: Option<Departement>,
    targets: &Targets,
) -> Option<NextDeadline> {
    match case.status {
        Status::Referred | Status::InformationRequested => Some(NextDeadline::PreliminaryDecision(due(
            referred_on,
            targets.preliminary_decision,
            departement,
        ))),
        Status::Reflection => case.reflection_ends.map(NextDeadline::ReflectionEnd),
        _ => None,
    }
}

/// Whether the preliminary decision on a case submitted at `submitted_at` is
/// overdue at `now`, in the local days of its département (the timeliness
/// dashboard's overdue count).
pub fn preliminary_overdue(
    case: &Case,
    submitted_at: Timestamp,
    departement: Option<Departement>,
    now: Timestamp,
    targets: &Targets,
) -> bool {
    let zone = Zone::of(departement);
    let today = Date::local(now, &zone);
    matches!(
        next_for_case(case, Date::local(submitted_at, &zone), departement, targets),
        Some(NextDeadline::PreliminaryDecision(due)) if due < today
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_preliminary_decision_is_due_five_working_days_later() {
        let t = Targets::default();
        let due = due(day("2026-11-27"), t.preliminary_decision, None);
        assert_eq!(due.to_string(), "2026-12-04");
        assert_eq!(urgency(due, day("2026-11-30"), &t, None), Urgency::Later);
        assert_eq!(urgency(due, day("2026-12-02"), &t, None), Urgency::DueSoon);
        assert_eq!(urgency(due, day("2026-12-04"), &t, None), Urgency::DueToday);
        assert_eq!(urgency(due, day("2026-12-05"), &t, None), Urgency::Overdue);
    }

    #[test]
    fn a_case_waits_for_its_preliminary_decision_then_the_period_end() {
        let t = Targets::default();
        let mut case = Case::referred();
        let next = next_for_case(&case, day("2026-11-27"), None, &t);
        assert_eq!(next, Some(NextDeadline::PreliminaryDecision(day("2026-12-04"))));
        case.status = Status::Reflection;
        case.reflection_ends = Some(day("2027-01-10"));
        assert_eq!(
            next_for_case(&case, day("2026-11-27"), None, &t).map(NextDeadline::date),
            Some(day("2027-01-10"))
        );
        case.status = Status::Support;
        assert_eq!(next_for_case(&case, day("2026-11-27"), None, &t), None);
    }

    #[test]
    fn a_preliminary_decision_is_overdue_after_its_fifth_working_day() {
        let t = Targets::default();
        // Friday 27 November 2026, noon in Paris; due Friday 4 December.
        let submitted = Timestamp(1_795_777_200);
        let day = 86_400;
        let case = Case::referred();
        assert!(!preliminary_overdue(
            &case,
            submitted,
            None,
            Timestamp(submitted.0 + 7 * day),
            &t
        ));
        assert!(preliminary_overdue(
            &case,
            submitted,
            None,
            Timestamp(submitted.0 + 8 * day),
            &t
        ));
        // Decided: nothing is due any more.
        let decided = Case {
            status: Status::NegativePreliminary,
            ..Case::referred()
        };
        assert!(!preliminary_overdue(
            &decided,
            submitted,
            None,
            Timestamp(submitted.0 + 30 * day),
            &t
        ));
    }
}
