//! The triage workflow of a referral, from draft to the identification
//! authority's decision to open a case. Its transition table is
//! [`TRANSITIONS`]; anything not in it is refused with the reason.

use super::ReferralKind;
use strum::EnumCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Status {
    /// Being written by the referrer; saved at every step.
    Draft,
    /// Waiting in the identification authority's triage queue.
    Submitted,
    /// The authority asked the referrer for more information.
    InformationRequested,
    /// A case was opened for the identification workflow.
    Accepted,
    /// Not taken further, with a reason.
    Rejected,
    /// About a person already known: linked to them, no new case.
    Duplicate,
    /// An anonymous notification, counted and closed.
    Recorded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    Submit,
    RequestInformation,
    /// The referrer (or the public reporter) answers or adds information.
    ProvideInformation,
    Accept,
    Reject,
    MarkDuplicate,
    /// Anonymous notifications carry no person: the authority records them.
    Record,
}

/// Which kinds of referral an event applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Any,
    /// Referrals that name a person (full and public).
    NamedOnly,
    AnonymousOnly,
}

/// (from, event, to, kinds it applies to).
pub const TRANSITIONS: &[(Status, Event, Status, Applies)] = {
    use Applies::{AnonymousOnly, Any, NamedOnly};
    use Event::*;
    use Status::*;
    &[
        (Draft, Submit, Submitted, Any),
        (Submitted, RequestInformation, InformationRequested, NamedOnly),
        (InformationRequested, ProvideInformation, Submitted, NamedOnly),
        // A reporter may add information at any time before a decision.
        (Submitted, ProvideInformation, Submitted, NamedOnly),
        (Submitted, Accept, Accepted, NamedOnly),
        (InformationRequested, Accept, Accepted, NamedOnly),
        (Submitted, Reject, Rejected, NamedOnly),
        (InformationRequested, Reject, Rejected, NamedOnly),
        (Submitted, MarkDuplicate, Duplicate, NamedOnly),
        (InformationRequested, MarkDuplicate, Duplicate, NamedOnly),
        (Submitted, Record, Recorded, AnonymousOnly),
    ]
};

/// Why a transition was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("a {kind} referral cannot take `{event:?}`")]
    WrongKind { kind: &'static str, event: Event },
    #[error("`{event:?}` is not possible from `{from:?}`")]
    NotFrom { from: Status, event: Event },
}

impl Status {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Draft,
        Self::Submitted,
        Self::InformationRequested,
        Self::Accepted,
        Self::Rejected,
        Self::Duplicate,
        Self::Recorded,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::InformationRequested => "information-requested",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
            Self::Recorded => "recorded",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still waiting for the identification authority.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::InformationRequested)
    }

    /// The status after `event`, or why it cannot happen.
    pub fn after(self, event: Event, kind: ReferralKind) -> Result<Self, Refused> {
        let rows: Vec<_> = TRANSITIONS.iter().filter(|(_, e, _, _)| *e == event).collect();
        let applies = |a: Applies| match a {
            Applies::Any => true,
            Applies::NamedOnly => kind != ReferralKind::AnonymousNotification,
            Applies::AnonymousOnly => kind == ReferralKind::AnonymousNotification,
        };
        if !rows.iter().any(|(_, _, _, a)| applies(*a)) {
            return Err(Refused::WrongKind {
                kind: kind.key(),
                event,
            });
        }
        rows.iter()
            .find(|(from, _, _, a)| *from == self && applies(*a))
            .map(|(_, _, to, _)| *to)
            .ok_or(Refused::NotFrom { from: self, event })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Event::*;
    use ReferralKind::*;
    use Status::*;

    #[test]
    fn the_happy_path() {
        let s = Draft.after(Submit, Full).unwrap();
        let s = s.after(RequestInformation, Full).unwrap();
        let s = s.after(ProvideInformation, Full).unwrap();
        assert_eq!(s, Submitted);
        assert_eq!(s.after(Accept, Full), Ok(Accepted));
    }

    #[test]
    fn decisions_are_final() {
        for end in [Accepted, Rejected, Duplicate, Recorded] {
            for event in [
                Submit,
                RequestInformation,
                ProvideInformation,
                Accept,
                Reject,
                MarkDuplicate,
                Record,
            ] {
                assert!(end.after(event, Full).is_err() && end.after(event, AnonymousNotification).is_err());
            }
            assert!(!end.is_open());
        }
    }

    #[test]
    fn anonymous_notifications_are_recorded_not_accepted() {
        let s = Draft.after(Submit, AnonymousNotification).unwrap();
        assert_eq!(
            s.after(Accept, AnonymousNotification),
            Err(Refused::WrongKind {
                kind: "anonymous",
                event: Accept
            })
        );
        assert_eq!(s.after(Record, AnonymousNotification), Ok(Recorded));
        assert!(s.after(Record, Public).is_err());
    }

    #[test]
    fn drafts_cannot_be_decided() {
        assert_eq!(
            Draft.after(Accept, Full),
            Err(Refused::NotFrom {
                from: Draft,
                event: Accept
            })
        );
    }
}
