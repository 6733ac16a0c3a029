//! User accounts: names and who may grant which role.

use crate::access::authz::Scope;
use crate::access::role::Role;

/// The name shown for a user. Free text: people's names have no fixed shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DisplayNameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than {0} characters")]
    TooLong(usize),
}

impl DisplayName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, DisplayNameError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(DisplayNameError::TooLong(Self::MAX_CHARS));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a user manager with `scope` may grant `role`. National roles can
/// only be granted by someone with national reach.
pub fn may_grant(scope: &Scope, role: Role) -> bool {
    match scope {
        Scope::National => true,
        _ => !matches!(
            role,
            Role::Administrator
                | Role::Rapporteur
                | Role::Coordinator
                | Role::Analyst
                | Role::Dpo
                | Role::CommitteeMember
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrganisationId;

    #[test]
    fn names() {
        assert_eq!(DisplayName::parse("  "), Err(DisplayNameError::Empty));
        assert_eq!(
            DisplayName::parse(&"é".repeat(121)),
            Err(DisplayNameError::TooLong(120))
        );
        assert_eq!(
            DisplayName::parse(" Awa Diallo ").map(|n| n.as_str().to_owned()),
            Ok("Awa Diallo".into())
        );
    }

    #[test]
    fn organisation_managers_cannot_grant_national_roles() {
        let org = Scope::Organisation(OrganisationId::from_bytes([1; 16]));
        assert!(may_grant(&org, Role::FirstResponder));
        assert!(!may_grant(&org, Role::Administrator));
        assert!(may_grant(&Scope::National, Role::Administrator));
    }
}
