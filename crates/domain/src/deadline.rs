//! Deadlines on working days (issue 4, part 3): what is due when, and
//! whether it is overdue. The targets are configurable; the defaults follow
//! the UK mechanism's published target (a preliminary decision within five
//! working days) and treat a child's notification as due the next working day.

use crate::calendar;
use crate::territory::Departement;
use crate::time::Date;

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
}
