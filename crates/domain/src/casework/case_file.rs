//! Who may read what in a case file (issue 4, part 4). Notes carry a
//! sensitivity level; each level names the roles that may read it. Deny by
//! default: a level not listed for a role stays hidden from it, whatever
//! the organisation's access to the case.

use crate::access::role::Role;
use strum::EnumCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Sensitivity {
    General,
    /// Health, including sexual and reproductive health (GDPR art. 9).
    Health,
    /// Legal situation and proceedings (GDPR art. 10).
    Legal,
    /// Threats, reprisals, where the person is: for anyone who must keep them safe.
    Safety,
}

impl Sensitivity {
    pub const ALL: [Self; Self::COUNT] = [Self::General, Self::Health, Self::Legal, Self::Safety];

    pub fn key(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Health => "health",
            Self::Legal => "legal",
            Self::Safety => "safety",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The written policy: which roles read notes of this level.
    pub fn readers(self) -> &'static [Role] {
        use Role::*;
        match self {
            Self::General | Self::Safety => &[FirstResponder, IdentificationOfficer, SupportWorker],
            Self::Health => &[IdentificationOfficer, SupportWorker],
            Self::Legal => &[IdentificationOfficer, SupportWorker],
        }
    }
}

/// The levels any of `roles` may read (and write).
pub fn readable(roles: &[Role]) -> Vec<Sensitivity> {
    Sensitivity::ALL
        .into_iter()
        .filter(|s| s.readers().iter().any(|r| roles.contains(r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn police_never_read_health_or_legal_notes() {
        assert_eq!(
            readable(&[Role::FirstResponder]),
            vec![Sensitivity::General, Sensitivity::Safety]
        );
        assert_eq!(readable(&[Role::SupportWorker]).len(), 4);
        assert!(readable(&[Role::Analyst, Role::Coordinator, Role::Administrator]).is_empty());
        for s in Sensitivity::ALL {
            assert_eq!(Sensitivity::parse(s.key()), Some(s));
        }
    }
}
