//! The ground on which a person's data goes to another organisation — a
//! case share or an onward referral: the person's consent, or an override
//! whose reason is recorded (a vital interest, a child referred without
//! consent). One rule for every kind of sharing.

use crate::time::Timestamp;
use strum::EnumCount;

/// Longest reason for sharing without consent, in characters.
pub const MAX_OVERRIDE_REASON: usize = 1_000;

/// How long a case share lasts: the choices the owner is offered, a month
/// unless they say otherwise. The share ends by itself afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, EnumCount)]
pub enum ShareDuration {
    Week,
    #[default]
    Month,
    Quarter,
}

impl ShareDuration {
    pub const ALL: [Self; Self::COUNT] = [Self::Week, Self::Month, Self::Quarter];

    pub fn days(self) -> u32 {
        match self {
            Self::Week => 7,
            Self::Month => 30,
            Self::Quarter => 90,
        }
    }

    /// The posted value: the number of days.
    pub fn key(self) -> &'static str {
        match self {
            Self::Week => "7",
            Self::Month => "30",
            Self::Quarter => "90",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key.trim())
    }

    /// A posted duration: nothing chosen is a month, anything else must be offered.
    pub fn posted(raw: &str) -> Option<Self> {
        if raw.trim().is_empty() {
            Some(Self::default())
        } else {
            Self::parse(raw)
        }
    }

    /// When a share granted at `from` ends.
    pub fn until(self, from: Timestamp) -> Timestamp {
        from.plus_seconds(i64::from(self.days()) * 86_400)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Basis {
    /// The person agreed.
    Consent,
    /// Without consent, with a recorded reason.
    Override,
}

impl Basis {
    pub const ALL: [Self; Self::COUNT] = [Self::Consent, Self::Override];

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
    fn a_share_lasts_one_of_the_offered_durations() {
        assert_eq!(ShareDuration::parse("7"), Some(ShareDuration::Week));
        assert_eq!(ShareDuration::parse(" 90 "), Some(ShareDuration::Quarter));
        assert_eq!(ShareDuration::parse("365"), None);
        assert_eq!(ShareDuration::parse(""), None);
        assert_eq!(ShareDuration::posted(""), Some(ShareDuration::Month));
        assert_eq!(ShareDuration::posted("7"), Some(ShareDuration::Week));
        assert_eq!(ShareDuration::posted("365"), None);
        assert_eq!(ShareDuration::default().days(), 30);
        for duration in ShareDuration::ALL {
            assert_eq!(ShareDuration::parse(duration.key()), Some(duration));
            assert_eq!(duration.key(), duration.days().to_string());
        }
        assert_eq!(
            ShareDuration::Week.until(Timestamp(1_000)),
            Timestamp(1_000 + 7 * 86_400)
        );
    }

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
