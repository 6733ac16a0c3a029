//! The ground on which a person's data goes to another organisation — a
//! case share or an onward referral: the person's consent, or an override
//! whose reason is recorded (a vital interest, a child referred without
//! consent). One rule for every kind of sharing.

/// Longest reason for sharing without consent, in characters.
pub const MAX_OVERRIDE_REASON: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Basis {
    /// The person agreed.
    Consent,
    /// Without consent, with a recorded reason.
    Override,
}

impl Basis {
    pub const ALL: [Self; 2] = [Self::Consent, Self::Override];

    pub fn key(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::Override => "override",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.key() == key)
    }
}

/// A checked basis: an override always carries its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Justification {
    pub basis: Basis,
    /// Trimmed; `Some` exactly when the basis is an override.
    pub override_reason: Option<String>,
}

/// What is wrong with a posted basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasisProblem {
    /// Empty or not a [`Basis`] key.
    BasisUnknown,
    OverrideReasonRequired,
    OverrideReasonTooLong,
}

impl BasisProblem {
    /// The translation key of the message.
    pub fn key(self) -> &'static str {
        match self {
            Self::BasisUnknown => "sharing-basis-unknown",
            Self::OverrideReasonRequired => "sharing-override-reason-required",
            Self::OverrideReasonTooLong => "sharing-override-reason-too-long",
        }
    }

    /// The form field the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::BasisUnknown => "basis",
            Self::OverrideReasonRequired | Self::OverrideReasonTooLong => "override_reason",
        }
    }
}

/// Parses the posted basis and reason. A reason typed next to "consent" is
/// dropped: it would otherwise read as if consent had been overridden.
pub fn justify(basis_key: &str, override_reason: &str) -> Result<Justification, BasisProblem> {
    let basis = Basis::parse(basis_key.trim()).ok_or(BasisProblem::BasisUnknown)?;
    let reason = override_reason.trim();
    match basis {
        Basis::Consent => Ok(Justification {
            basis,
            override_reason: None,
        }),
        Basis::Override if reason.is_empty() => Err(BasisProblem::OverrideReasonRequired),
        Basis::Override if reason.chars().count() > MAX_OVERRIDE_REASON => Err(BasisProblem::OverrideReasonTooLong),
        Basis::Override => Ok(Justification {
            basis,
            override_reason: Some(reason.to_owned()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_needs_a_reason() {
        assert_eq!(
            justify("consent", "  typed anyway "),
            Ok(Justification {
                basis: Basis::Consent,
                override_reason: None
            })
        );
        assert_eq!(justify("override", "   "), Err(BasisProblem::OverrideReasonRequired));
        assert_eq!(
            justify("override", &"x".repeat(MAX_OVERRIDE_REASON + 1)),
            Err(BasisProblem::OverrideReasonTooLong)
        );
        assert_eq!(
            justify(" override ", " child at risk tonight "),
            Ok(Justification {
                basis: Basis::Override,
                override_reason: Some("child at risk tonight".into())
            })
        );
        assert_eq!(justify("", ""), Err(BasisProblem::BasisUnknown));
        assert_eq!(BasisProblem::OverrideReasonTooLong.field(), "override_reason");
    }

    #[test]
    fn basis_keys_round_trip() {
        for b in Basis::ALL {
            assert_eq!(Basis::parse(b.key()), Some(b));
        }
    }
}
