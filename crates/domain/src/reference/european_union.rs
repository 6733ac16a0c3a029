//! The member states of the European Union, for the nationality groups and
//! the Eurostat exports ("other EU country" against "non-EU country").
//!
//! Source: the European Union's list of its 27 member states since the
//! United Kingdom left on 1 February 2020 (european-union.europa.eu, "EU
//! countries"), which Eurostat calls `EU27_2020`. Each entry is the ISO
//! 3166-1 alpha-3 code Relais stores and the country code Eurostat writes in
//! its `geo` dimension (ISO alpha-2, except `EL` for Greece). A change of
//! membership is one line here.

/// The composition these entries describe, as Eurostat names it.
pub const COMPOSITION: &str = "EU27_2020";

/// (alpha-3, Eurostat geo code) of every member state.
pub const MEMBERS: [(&str, &str); 27] = [
    ("AUT", "AT"),
    ("BEL", "BE"),
    ("BGR", "BG"),
    ("CYP", "CY"),
    ("CZE", "CZ"),
    ("DEU", "DE"),
    ("DNK", "DK"),
    ("ESP", "ES"),
    ("EST", "EE"),
    ("FIN", "FI"),
    ("FRA", "FR"),
    ("GRC", "EL"),
    ("HRV", "HR"),
    ("HUN", "HU"),
    ("IRL", "IE"),
    ("ITA", "IT"),
    ("LTU", "LT"),
    ("LUX", "LU"),
    ("LVA", "LV"),
    ("MLT", "MT"),
    ("NLD", "NL"),
    ("POL", "PL"),
    ("PRT", "PT"),
    ("ROU", "RO"),
    ("SVK", "SK"),
    ("SVN", "SI"),
    ("SWE", "SE"),
];

/// Whether an alpha-3 code (any case) is a member state's.
pub fn is_member(alpha3: &str) -> bool {
    geo_code(alpha3).is_some()
}

/// Eurostat's code of a member state, from its alpha-3 code (any case).
pub fn geo_code(alpha3: &str) -> Option<&'static str> {
    let code = alpha3.trim();
    MEMBERS
        .iter()
        .find(|(three, _)| three.eq_ignore_ascii_case(code))
        .map(|(_, geo)| *geo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_seven_members_each_once_and_known_countries() {
        let mut codes: Vec<_> = MEMBERS.iter().map(|(three, _)| *three).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 27);
        assert!(codes.iter().all(|c| super::super::country(c).is_some()));
        assert_eq!(geo_code("grc"), Some("EL"));
        assert_eq!(geo_code("FRA"), Some("FR"));
        assert!(is_member("bgr") && !is_member("GBR") && !is_member("NGA"));
    }
}
