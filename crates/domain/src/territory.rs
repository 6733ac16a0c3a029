//! French territory: the 101 départements and their 18 regions (INSEE codes).

use std::fmt;

/// (département code, INSEE region code). 96 in metropolitan France, 5 overseas.
const DEPARTEMENTS: [(&str, &str); 101] = [
    ("01", "84"),
    ("02", "32"),
    ("03", "84"),
    ("04", "93"),
    ("05", "93"),
    ("06", "93"),
    ("07", "84"),
    ("08", "44"),
    ("09", "76"),
    ("10", "44"),
    ("11", "76"),
    ("12", "76"),
    ("13", "93"),
    ("14", "28"),
    ("15", "84"),
    ("16", "75"),
    ("17", "75"),
    ("18", "24"),
    ("19", "75"),
    ("21", "27"),
    ("22", "53"),
    ("23", "75"),
    ("24", "75"),
    ("25", "27"),
    ("26", "84"),
    ("27", "28"),
    ("28", "24"),
    ("29", "53"),
    ("2A", "94"),
    ("2B", "94"),
    ("30", "76"),
    ("31", "76"),
    ("32", "76"),
    ("33", "75"),
    ("34", "76"),
    ("35", "53"),
    ("36", "24"),
    ("37", "24"),
    ("38", "84"),
    ("39", "27"),
    ("40", "75"),
    ("41", "24"),
    ("42", "84"),
    ("43", "84"),
    ("44", "52"),
    ("45", "24"),
    ("46", "76"),
    ("47", "75"),
    ("48", "76"),
    ("49", "52"),
    ("50", "28"),
    ("51", "44"),
    ("52", "44"),
    ("53", "52"),
    ("54", "44"),
    ("55", "44"),
    ("56", "53"),
    ("57", "44"),
    ("58", "27"),
    ("59", "32"),
    ("60", "32"),
    ("61", "28"),
    ("62", "32"),
    ("63", "84"),
    ("64", "75"),
    ("65", "76"),
    ("66", "76"),
    ("67", "44"),
    ("68", "44"),
    ("69", "84"),
    ("70", "27"),
    ("71", "27"),
    ("72", "52"),
    ("73", "84"),
    ("74", "84"),
    ("75", "11"),
    ("76", "28"),
    ("77", "11"),
    ("78", "11"),
    ("79", "75"),
    ("80", "32"),
    ("81", "76"),
    ("82", "76"),
    ("83", "93"),
    ("84", "93"),
    ("85", "52"),
    ("86", "75"),
    ("87", "75"),
    ("88", "44"),
    ("89", "27"),
    ("90", "27"),
    ("91", "11"),
    ("92", "11"),
    ("93", "11"),
    ("94", "11"),
    ("95", "11"),
    ("971", "01"),
    ("972", "02"),
    ("973", "03"),
    ("974", "04"),
    ("976", "06"),
];

/// A département, by its official code ("75", "2A", "974").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Departement(&'static str);

impl Departement {
    pub fn parse(raw: &str) -> Option<Self> {
        let code = raw.trim().to_uppercase();
        DEPARTEMENTS.iter().find(|(c, _)| *c == code).map(|(c, _)| Self(c))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// The INSEE code of the region the département belongs to.
    pub fn region(self) -> &'static str {
        DEPARTEMENTS.iter().find(|(c, _)| *c == self.0).map_or("", |(_, r)| r)
    }

    pub fn all() -> impl Iterator<Item = Departement> {
        DEPARTEMENTS.iter().map(|(c, _)| Self(c))
    }

    /// The official name (INSEE's Code officiel géographique): "Bouches-du-Rhône".
    pub fn name(self) -> &'static str {
        crate::geo::place(self).map_or("", |p| p.name)
    }

    /// Code and name, as people read a département: "13 — Bouches-du-Rhône".
    pub fn label(self) -> String {
        format!("{} — {}", self.0, self.name())
    }
}

/// A stored département as read: its label, or the stored text as it is
/// when it is not a département code (empty stays empty).
pub fn departement_label(stored: &str) -> String {
    Departement::parse(stored).map_or_else(|| stored.trim().to_owned(), Departement::label)
}

impl fmt::Display for Departement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Where an organisation acts: one département (and so its region) or the whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Territory {
    National,
    Departement(Departement),
}

impl Territory {
    /// Parses the stored form: "national" or a département code.
    pub fn parse(raw: &str) -> Option<Self> {
        if raw == "national" {
            Some(Self::National)
        } else {
            Departement::parse(raw).map(Self::Departement)
        }
    }

    pub fn as_code(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Departement(d) => d.code(),
        }
    }

    /// Whether this territory includes the given département.
    pub fn covers(self, departement: Departement) -> bool {
        match self {
            Self::National => true,
            Self::Departement(d) => d == departement,
        }
    }

    /// Whether this territory reaches something located in `departement`;
    /// something with no known département is reached only nationally.
    pub fn reaches(self, departement: Option<Departement>) -> bool {
        match departement {
            Some(d) => self.covers(d),
            None => self == Self::National,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_101_departements_in_18_regions() {
        assert_eq!(Departement::all().count(), 101);
        let mut regions: Vec<_> = Departement::all().map(Departement::region).collect();
        regions.sort_unstable();
        regions.dedup();
        assert_eq!(regions.len(), 18);
    }

    #[test]
    fn parses_corsica_and_overseas() {
        assert_eq!(Departement::parse("2a").map(Departement::region), Some("94"));
        assert_eq!(Departement::parse("974").map(Departement::region), Some("04"));
        assert_eq!(Departement::parse("20"), None);
        assert_eq!(Departement::parse("975"), None);
    }

    #[test]
    fn departements_read_with_their_names() {
        assert_eq!(departement_label("13"), "13 — Bouches-du-Rhône");
        assert_eq!(departement_label("2a"), "2A — Corse-du-Sud");
        assert_eq!(departement_label("976"), "976 — Mayotte");
        assert_eq!(departement_label(""), "");
        assert!(Departement::all().all(|d| !d.name().is_empty()));
    }

    #[test]
    fn national_covers_everything() {
        let paris = Departement::parse("75");
        assert!(paris.is_some_and(|p| Territory::National.covers(p)));
        let lyon = Territory::parse("69");
        assert!(lyon.zip(paris).is_some_and(|(l, p)| !l.covers(p)));
    }
}
