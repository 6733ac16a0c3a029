//! Deadlines on working days (issue 4, part 3): what is due when, and
//! whether it is overdue. The targets are configurable; the defaults follow
//! the UK mechanism's published target (a preliminary decision within five
//! working days) and treat a child's notification as due the next working day.

use crate::calendar;
use crate::casework::case_status::{Case, Status};
use crate::casework::rights::DeadlineKind;
use crate::territory::Departement;
use crate::time::{Date, Timestamp, Zone};
use strum::EnumCount;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, EnumCount)]
pub enum Urgency {
    Overdue,
    DueToday,
    DueSoon,
    Later,
}

impl Urgency {
    pub const ALL: [Self; Self::COUNT] = [Self::Overdue, Self::DueToday, Self::DueSoon, Self::Later];

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

/// The next deadline of a case at its stage, counted from the local day of
/// its submission in its département.
pub fn next_for_case_submitted(
    case: &Case,
    submitted_at: Timestamp,
    departement: Option<Departement>,
    targets: &Targets,
) -> Option<NextDeadline> {
    let referred_on = Date::local(submitted_at, &Zone::of(departement));
    next_for_case(case, referred_on, departement, targets)
}

/// What the case queue shows and sorts on: the stage's deadline or a
/// permit's, whichever comes first (issue 17). It depends on no clock, so the
/// store keeps it with the case and the queue is read in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueDeadline {
    Stage(NextDeadline),
    Permit(DeadlineKind, Date),
}

impl QueueDeadline {
    /// Every key `key` gives.
    pub const KEYS: [&'static str; 4] = [
        NextDeadline::KEYS[0],
        NextDeadline::KEYS[1],
        "permit-renewal",
        "permit-expiry",
    ];

    /// The earlier of a stage's deadline and a permit's (the stage's on the same day).
    pub fn earliest(stage: Option<NextDeadline>, permit: Option<(DeadlineKind, Date)>) -> Option<Self> {
        match (stage, permit) {
            (Some(stage), Some((kind, due))) if due < stage.date() => Some(Self::Permit(kind, due)),
            (Some(stage), _) => Some(Self::Stage(stage)),
            (None, permit) => permit.map(|(kind, due)| Self::Permit(kind, due)),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Stage(stage) => stage.key(),
            Self::Permit(kind, _) => permit_key(kind),
        }
    }

    pub fn date(self) -> Date {
        match self {
            Self::Stage(stage) => stage.date(),
            Self::Permit(_, due) => due,
        }
    }

    /// The deadline stored as `key` on `date`.
    pub fn parse(key: &str, date: Date) -> Option<Self> {
        match key {
            "preliminary-decision" => Some(Self::Stage(NextDeadline::PreliminaryDecision(date))),
            "reflection-end" => Some(Self::Stage(NextDeadline::ReflectionEnd(date))),
            "permit-renewal" => Some(Self::Permit(DeadlineKind::Renewal, date)),
            "permit-expiry" => Some(Self::Permit(DeadlineKind::Expiry, date)),
            _ => None,
        }
    }
}

/// The key of a permit's deadline among the queue's and the digest's.
pub fn permit_key(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::Renewal => QueueDeadline::KEYS[2],
        DeadlineKind::Expiry => QueueDeadline::KEYS[3],
    }
}

/// The days on which whether a deadline is overdue at `now` depends on the
/// zone: a deadline before the first is overdue in every zone, one on or
/// after the second in none (clocks run from UTC−12 to UTC+14, so today
/// anywhere is within a day of today in UTC). Lets the store
/// count overdue deadlines with an index and check the zone of the few between.
pub fn overdue_window(now: Timestamp) -> (Date, Date) {
    let utc = Date::utc(now);
    (utc.plus_days(-1), utc.plus_days(1))
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
    fn the_queue_shows_the_earlier_of_the_stage_and_a_permit() {
        let stage = NextDeadline::ReflectionEnd(day("2027-01-10"));
        let renewal = (DeadlineKind::Renewal, day("2027-01-09"));
        assert_eq!(
            QueueDeadline::earliest(Some(stage), Some(renewal)),
            Some(QueueDeadline::Permit(DeadlineKind::Renewal, day("2027-01-09")))
        );
        let same_day = (DeadlineKind::Expiry, day("2027-01-10"));
        assert_eq!(
            QueueDeadline::earliest(Some(stage), Some(same_day)),
            Some(QueueDeadline::Stage(stage))
        );
        assert_eq!(
            QueueDeadline::earliest(None, Some(same_day)).map(QueueDeadline::key),
            Some("permit-expiry")
        );
        assert_eq!(QueueDeadline::earliest(None, None), None);
    }

    #[test]
    fn every_queue_deadline_key_reads_back() {
        let date = day("2027-03-01");
        for key in QueueDeadline::KEYS {
            let read = QueueDeadline::parse(key, date).unwrap();
            assert_eq!((read.key(), read.date()), (key, date));
        }
        assert_eq!(QueueDeadline::parse("closure", date), None);
    }

    #[test]
    fn outside_the_window_overdue_is_the_same_in_every_zone() {
        let start = Timestamp(1_798_761_600); // 2027-01-01T00:00Z
        for hour in 0..(24 * 3) {
            let now = start.plus_seconds(hour * 3_600 + 1_800);
            let (first, second) = overdue_window(now);
            for departement in Departement::all() {
                let today = Date::local(now, &Zone::of(Some(departement)));
                // A deadline before `first` is before today; one from `second` is not.
                assert!(first <= today && today <= second, "{departement:?} at {now:?}");
            }
        }
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
