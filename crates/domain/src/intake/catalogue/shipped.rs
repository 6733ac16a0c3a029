//! The catalogues shipped in the binary, so that screening works without a database and a
//! fresh installation has them to import. The files live in `catalogues/` at the repository
//! root; a new version is a new file, added here.

use super::{Catalogue, CatalogueErrors};

/// A catalogue file embedded in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shipped {
    pub id: &'static str,
    pub version: u32,
    /// The file name under `catalogues/`.
    pub file: &'static str,
    pub text: &'static str,
}

/// Every shipped catalogue version, oldest first within an id.
pub const ALL: [Shipped; 4] = [
    Shipped {
        id: "ilo-ec-delphi-2009-labour",
        version: 1,
        file: "ilo-ec-delphi-2009-labour.v1.yaml",
        text: include_str!("../../../../../catalogues/ilo-ec-delphi-2009-labour.v1.yaml"),
    },
    Shipped {
        id: "ilo-forced-labour-2012",
        version: 1,
        file: "ilo-forced-labour-2012.v1.yaml",
        text: include_str!("../../../../../catalogues/ilo-forced-labour-2012.v1.yaml"),
    },
    Shipped {
        id: "ilo-ec-delphi-2009-labour",
        version: 2,
        file: "ilo-ec-delphi-2009-labour.v2.yaml",
        text: include_str!("../../../../../catalogues/ilo-ec-delphi-2009-labour.v2.yaml"),
    },
    Shipped {
        id: UNODC,
        version: 1,
        file: "unodc-trafficking-indicators.v1.yaml",
        text: include_str!("../../../../../catalogues/unodc-trafficking-indicators.v1.yaml"),
    },
];

/// The weighted catalogue whose rule screens labour exploitation.
pub const DELPHI_LABOUR: &str = "ilo-ec-delphi-2009-labour";

/// The UNODC checklists by context (sexual exploitation, domestic servitude, children).
pub const UNODC: &str = "unodc-trafficking-indicators";

impl Shipped {
    pub fn parse(&self) -> Result<Catalogue, CatalogueErrors> {
        Catalogue::parse(self.text)
    }
}

/// The latest shipped version of a catalogue.
pub fn latest(id: &str) -> Option<Shipped> {
    ALL.iter().filter(|s| s.id == id).max_by_key(|s| s.version).copied()
}

/// The ids of the shipped catalogues, for messages listing what exists.
pub fn ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = ALL.iter().map(|s| s.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::catalogue::{Rule, Strength, Verification};

    fn count(catalogue: &Catalogue, set: &str, dimension: &str) -> usize {
        let set = catalogue.set(set).unwrap();
        set.entries
            .iter()
            .filter(|e| e.dimension.as_ref().map(|d| d.as_str()) == Some(dimension))
            .count()
    }

    #[test]
    fn every_shipped_file_parses_and_says_what_it_is() {
        for shipped in ALL {
            let catalogue = shipped.parse().unwrap_or_else(|e| panic!("{}:\n{e}", shipped.file));
            assert_eq!(catalogue.id().as_str(), shipped.id);
            assert_eq!(catalogue.version().get(), shipped.version);
            assert!(shipped.file.starts_with(shipped.id));
            assert!(shipped.file.ends_with(&format!(".v{}.yaml", shipped.version)));
        }
    }

    #[test]
    fn delphi_labour_sets_have_the_reference_counts() {
        let catalogue = latest("ilo-ec-delphi-2009-labour").unwrap().parse().unwrap();
        let adult = catalogue.set("adult").unwrap();
        let child = catalogue.set("child").unwrap();
        assert_eq!(adult.entries.len(), 67);
        assert_eq!(child.entries.len(), 65);
        let dimensions: Vec<&str> = catalogue.dimensions().iter().map(|d| d.key.as_str()).collect();
        assert_eq!(
            dimensions,
            [
                "deceptive_recruitment",
                "coercive_recruitment",
                "recruitment_abuse_of_vulnerability",
                "exploitative_conditions",
                "coercion_at_destination",
                "abuse_of_vulnerability_at_destination"
            ]
        );
        let adult_counts: Vec<usize> = dimensions.iter().map(|d| count(&catalogue, "adult", d)).collect();
        assert_eq!(adult_counts, [10, 10, 16, 9, 15, 7]);
        let child_counts: Vec<usize> = dimensions.iter().map(|d| count(&catalogue, "child", d)).collect();
        assert_eq!(child_counts, [10, 10, 15, 8, 15, 7]);
    }

    #[test]
    fn delphi_labour_matches_the_reference_remarks() {
        let catalogue = latest("ilo-ec-delphi-2009-labour").unwrap().parse().unwrap();
        let adult = catalogue.set("adult").unwrap();
        let child = catalogue.set("child").unwrap();
        // The child set has no weak tier.
        assert!(child.entries.iter().all(|e| e.strength != Some(Strength::Weak)));
        // The adult set has no strong indicator of recruitment by abuse of vulnerability.
        assert!(
            adult
                .entries
                .iter()
                .filter(|e| e.dimension.as_ref().map(|d| d.as_str()) == Some("recruitment_abuse_of_vulnerability"))
                .all(|e| e.strength != Some(Strength::Strong))
        );
        // Three exploitation indicators rated strong by one secondary source are disputed.
        let disputed: Vec<&str> = adult
            .entries
            .iter()
            .filter(|e| e.provenance.status == Verification::Disputed)
            .map(|e| e.labels.en.as_str())
            .collect();
        assert_eq!(
            disputed,
            ["Bad living conditions", "Hazardous work", "Low or no salary"]
        );
        // Same indicator, two dimensions, two strengths.
        let strength = |dimension: &str| {
            let dimension = crate::intake::catalogue::Key::parse(dimension).unwrap();
            adult
                .entry_by_label(Some(&dimension), "confiscation of documents")
                .and_then(|e| e.strength)
        };
        assert_eq!(strength("coercive_recruitment"), Some(Strength::Medium));
        assert_eq!(strength("coercion_at_destination"), Some(Strength::Strong));
        // No page is claimed that nobody checked, and every entry has both labels and a source.
        for entry in adult.entries.iter().chain(&child.entries) {
            assert_eq!(entry.provenance.page, None);
            assert!(entry.provenance.source.is_some());
            assert_ne!(entry.provenance.status, Verification::Verified);
            assert_ne!(entry.labels.en, entry.labels.fr);
        }
    }

    #[test]
    fn forced_labour_is_a_flat_checklist_of_eleven() {
        let catalogue = latest("ilo-forced-labour-2012").unwrap().parse().unwrap();
        assert_eq!(catalogue.rule(), &Rule::None);
        assert_eq!(catalogue.sets().len(), 1);
        let set = &catalogue.sets()[0];
        assert_eq!(set.entries.len(), 11);
        assert!(
            set.entries
                .iter()
                .all(|e| e.strength.is_none() && e.dimension.is_none())
        );
    }

    #[test]
    fn delphi_labour_v2_only_adds_definitions() {
        let v1 = ALL[0].parse().unwrap();
        let v2 = latest(DELPHI_LABOUR).unwrap().parse().unwrap();
        assert_eq!(v2.version().get(), 2);
        assert_eq!(v1.sets(), v2.sets());
        assert_eq!(v1.rule(), v2.rule());
        for (old, new) in v1.dimensions().iter().zip(v2.dimensions()) {
            assert_eq!((&old.key, &old.labels), (&new.key, &new.labels));
            assert!(old.definition.is_none());
            let definition = new.definition.as_ref().unwrap();
            assert!(!definition.en.is_empty() && !definition.fr.is_empty());
        }
    }

    #[test]
    fn unodc_checklists_have_labels_a_source_and_group_definitions() {
        let catalogue = latest(UNODC).unwrap().parse().unwrap();
        assert_eq!(catalogue.rule(), &Rule::None);
        let sets: Vec<&str> = catalogue.sets().iter().map(|s| s.key.as_str()).collect();
        assert_eq!(sets, ["sexual_exploitation", "domestic_servitude", "children"]);
        let sizes: Vec<usize> = catalogue.sets().iter().map(|s| s.entries.len()).collect();
        assert_eq!(sizes, [13, 8, 14]);
        for dimension in catalogue.dimensions() {
            let definition = dimension.definition.as_ref().unwrap();
            assert_ne!(definition.en, definition.fr);
        }
        for set in catalogue.sets() {
            for entry in &set.entries {
                assert!(entry.strength.is_none());
                assert!(entry.dimension.is_some(), "{} is grouped", entry.key);
                assert!(!entry.labels.en.is_empty() && !entry.labels.fr.is_empty());
                assert_ne!(entry.labels.en, entry.labels.fr);
                let source = entry.provenance.source.as_ref().unwrap();
                assert!(catalogue.source(source).is_some());
                assert_eq!(entry.provenance.page, None, "pages are never guessed");
            }
        }
        // Answers are kept by `group/indicator`: no group may share a Delphi dimension's key.
        let delphi = latest(DELPHI_LABOUR).unwrap().parse().unwrap();
        for group in catalogue.dimensions() {
            assert!(delphi.dimension(group.key.as_str()).is_none());
        }
    }

    #[test]
    fn lists_ids_once() {
        assert_eq!(
            ids(),
            [
                "ilo-ec-delphi-2009-labour",
                "ilo-forced-labour-2012",
                "unodc-trafficking-indicators"
            ]
        );
        assert!(latest("unknown").is_none());
    }
}
