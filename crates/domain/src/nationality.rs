//! Nationality groups for aggregate figures: single nationalities would
//! mostly fall under the small-group threshold, and these are the groups
//! the rights at stake differ by (a European Union citizen needs no
//! residence permit).

use crate::reference::european_union;
use strum::EnumCount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Group {
    France,
    EuropeanUnion,
    OutsideEuropeanUnion,
    Unknown,
}

impl Group {
    pub const ALL: [Self; Self::COUNT] = [
        Self::France,
        Self::EuropeanUnion,
        Self::OutsideEuropeanUnion,
        Self::Unknown,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::France => "france",
            Self::EuropeanUnion => "european-union",
            Self::OutsideEuropeanUnion => "outside-european-union",
            Self::Unknown => "unknown",
        }
    }

    /// The group of an alpha-3 code; anything that is not one is unknown.
    pub fn of(code: Option<&str>) -> Self {
        let code = code.map(|c| c.trim().to_uppercase()).unwrap_or_default();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            Self::Unknown
        } else if code == "FRA" {
            Self::France
        } else if european_union::is_member(&code) {
            Self::EuropeanUnion
        } else {
            Self::OutsideEuropeanUnion
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_fall_in_their_group() {
        assert_eq!(Group::of(Some("FRA")), Group::France);
        assert_eq!(Group::of(Some("bgr")), Group::EuropeanUnion);
        assert_eq!(Group::of(Some("NGA")), Group::OutsideEuropeanUnion);
        assert_eq!(Group::of(Some("Nigeria")), Group::Unknown);
        assert_eq!(Group::of(None), Group::Unknown);
    }
}
