//! Organisations that take part in the national referral mechanism.

use serde::{Deserialize, Serialize};
use strum::EnumCount;

/// The kind of an organisation. The stored key is stable; labels live in the
/// translation files under `org-type-<key>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumCount)]
pub enum OrganisationType {
    Police,
    Gendarmerie,
    LabourInspectorate,
    Justice,
    Health,
    Education,
    SocialServices,
    /// Child protection: the département's CRIP and ASE.
    ChildProtection,
    Association,
    Prefecture,
    /// OFII (integration) or OFPRA (asylum).
    OfiiOfpra,
    IdentificationAuthority,
    NationalCoordination,
    Observatory,
    IndependentRapporteur,
    /// A ministry's directorate or a State agency that pilots measures of the
    /// national action plan (e.g. DGCS, DGT).
    Ministry,
}

impl OrganisationType {
    pub const ALL: [OrganisationType; OrganisationType::COUNT] = [
        Self::Police,
        Self::Gendarmerie,
        Self::LabourInspectorate,
        Self::Justice,
        Self::Health,
        Self::Education,
        Self::SocialServices,
        Self::ChildProtection,
        Self::Association,
        Self::Prefecture,
        Self::OfiiOfpra,
        Self::IdentificationAuthority,
        Self::NationalCoordination,
        Self::Observatory,
        Self::IndependentRapporteur,
        Self::Ministry,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::Gendarmerie => "gendarmerie",
            Self::LabourInspectorate => "labour-inspectorate",
            Self::Justice => "justice",
            Self::Health => "health",
            Self::Education => "education",
            Self::SocialServices => "social-services",
            Self::ChildProtection => "child-protection",
            Self::Association => "association",
            Self::Prefecture => "prefecture",
            Self::OfiiOfpra => "ofii-ofpra",
            Self::IdentificationAuthority => "identification-authority",
            Self::NationalCoordination => "national-coordination",
            Self::Observatory => "observatory",
            Self::IndependentRapporteur => "independent-rapporteur",
            Self::Ministry => "ministry",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for t in OrganisationType::ALL {
            assert_eq!(OrganisationType::parse(t.key()), Some(t));
        }
        assert_eq!(OrganisationType::parse("mafia"), None);
    }
}
