//! Reporting rounds (*campagnes de remontée*): before a committee meeting,
//! the coordinator asks each pilot body's focal point to update the status,
//! indicators and spending of the measures it pilots, follows completion body
//! by body, reminds the late ones and validates or returns each update.
//!
//! One update per measure and round; its workflow is [`TRANSITIONS`].

use crate::time::Date;

/// Where one measure's update stands in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    pub const ALL: [Self; 4] = [Self::Requested, Self::Submitted, Self::Validated, Self::Returned];

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The focal point sends the update.
    Submit,
    /// The coordinator accepts it.
    Validate,
    /// The coordinator sends it back, with a comment.
    Return,
}

impl Event {
    pub const ALL: [Self; 3] = [Self::Submit, Self::Validate, Self::Return];
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
}
