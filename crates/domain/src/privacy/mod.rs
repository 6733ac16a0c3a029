//! Data-subject rights and emergency access (GDPR art. 15 and 17): requests
//! that take two different people (four eyes), what a subject-access export
//! withholds and why, and the rules of emergency access (*bris de glace*).

use strum::EnumCount;
pub mod register;
pub mod retention;

use crate::casework::case_file::Sensitivity;
use crate::time::Timestamp;

/// The longest free text a reason may be.
pub const MAX_REASON: usize = 2_000;

/// How long an emergency access opens a case, from the moment it is given.
pub const EMERGENCY_ACCESS_SECONDS: i64 = 2 * 3600;

/// How long a confirmed subject-access export can be opened.
pub const EXPORT_AVAILABLE_SECONDS: i64 = 30 * 86_400;

/// A stated reason: required, trimmed, bounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReasonError {
    #[error("a reason is required")]
    Missing,
    #[error("the reason is longer than {MAX_REASON} characters")]
    TooLong,
}

impl Reason {
    pub fn parse(raw: &str) -> Result<Self, ReasonError> {
        let text = raw.trim();
        if text.is_empty() {
            Err(ReasonError::Missing)
        } else if text.chars().count() > MAX_REASON {
            Err(ReasonError::TooLong)
        } else {
            Ok(Self(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a person asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum RequestKind {
    /// Erasure of everything held about the person (art. 17).
    Erasure,
    /// A copy of everything held about the person (art. 15).
    Access,
}

impl RequestKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Erasure, Self::Access];

    pub fn key(self) -> &'static str {
        match self {
            Self::Erasure => "erasure",
            Self::Access => "access",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum RequestStatus {
    /// Waiting for a second person.
    Pending,
    /// Confirmed by a second person and carried out.
    Done,
    /// Refused by a second person, with a reason.
    Refused,
}

impl RequestStatus {
    pub const ALL: [Self; Self::COUNT] = [Self::Pending, Self::Done, Self::Refused];

    pub fn key(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Refused => "refused",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Why a decision on a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefused {
    #[error("the person who asked cannot also confirm (four eyes)")]
    SamePerson,
    #[error("the request was already decided")]
    AlreadyDecided,
}

/// The four-eyes rule: a pending request is decided by someone other
/// than the person who filed it.
pub fn may_decide(status: RequestStatus, requested_by: &str, decider: &str) -> Result<(), DecisionRefused> {
    if status != RequestStatus::Pending {
        Err(DecisionRefused::AlreadyDecided)
    } else if requested_by == decider {
        Err(DecisionRefused::SamePerson)
    } else {
        Ok(())
    }
}

/// Why an item is left out of a subject-access export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Withheld {
    /// Proceedings under way: disclosure could harm the investigation or
    /// the prosecution of the exploiters (GDPR art. 23(1)(d)).
    Proceedings,
    /// Threats, third parties and where the person is kept safe: an
    /// exploiter may force the person to ask for their file (GDPR art. 15(4)
    /// and 23(1)(i)).
    Safety,
    /// The names of the staff who read the file: the organisations are
    /// disclosed, not the people (GDPR art. 15(4)).
    StaffIdentity,
}

impl Withheld {
    pub const ALL: [Self; Self::COUNT] = [Self::Proceedings, Self::Safety, Self::StaffIdentity];

    pub fn key(self) -> &'static str {
        match self {
            Self::Proceedings => "proceedings",
            Self::Safety => "safety",
            Self::StaffIdentity => "staff-identity",
        }
    }
}

/// The export's policy for notes and documents of each sensitivity level.
pub fn withheld(level: Sensitivity) -> Option<Withheld> {
    match level {
        Sensitivity::General | Sensitivity::Health => None,
        Sensitivity::Legal => Some(Withheld::Proceedings),
        Sensitivity::Safety => Some(Withheld::Safety),
    }
}

/// A DPO's finding on an emergency access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum ReviewFinding {
    Justified,
    /// Not justified: to be followed up with the person's organisation.
    NotJustified,
}

impl ReviewFinding {
    pub const ALL: [Self; Self::COUNT] = [Self::Justified, Self::NotJustified];

    pub fn key(self) -> &'static str {
        match self {
            Self::Justified => "justified",
            Self::NotJustified => "not-justified",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// Whether an emergency access given at `granted_at` still opens the case at `now`.
pub fn emergency_access_open(granted_at: Timestamp, now: Timestamp) -> bool {
    (0..EMERGENCY_ACCESS_SECONDS).contains(&now.seconds_since(granted_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_eyes() {
        assert_eq!(may_decide(RequestStatus::Pending, "a", "b"), Ok(()));
        assert_eq!(
            may_decide(RequestStatus::Pending, "a", "a"),
            Err(DecisionRefused::SamePerson)
        );
        assert_eq!(
            may_decide(RequestStatus::Done, "a", "b"),
            Err(DecisionRefused::AlreadyDecided)
        );
        assert_eq!(
            may_decide(RequestStatus::Refused, "a", "b"),
            Err(DecisionRefused::AlreadyDecided)
        );
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(Reason::parse("  "), Err(ReasonError::Missing));
        assert_eq!(Reason::parse(&"x".repeat(MAX_REASON + 1)), Err(ReasonError::TooLong));
        assert_eq!(
            Reason::parse(" Appel du SAMU ").map(|r| r.0),
            Ok("Appel du SAMU".into())
        );
    }

    #[test]
    fn the_export_withholds_legal_and_safety_items_with_their_reason() {
        assert_eq!(withheld(Sensitivity::General), None);
        assert_eq!(withheld(Sensitivity::Health), None);
        assert_eq!(withheld(Sensitivity::Legal), Some(Withheld::Proceedings));
        assert_eq!(withheld(Sensitivity::Safety), Some(Withheld::Safety));
    }

    #[test]
    fn emergency_access_lasts_two_hours() {
        let given = Timestamp(1_000_000);
        assert!(emergency_access_open(given, given));
        assert!(emergency_access_open(
            given,
            given.plus_seconds(EMERGENCY_ACCESS_SECONDS - 1)
        ));
        assert!(!emergency_access_open(
            given,
            given.plus_seconds(EMERGENCY_ACCESS_SECONDS)
        ));
        assert!(!emergency_access_open(given, given.plus_seconds(-1)));
    }

    #[test]
    fn keys_round_trip() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.key()), Some(k));
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.key()), Some(s));
        }
        for f in ReviewFinding::ALL {
            assert_eq!(ReviewFinding::parse(f.key()), Some(f));
        }
    }
}
