//! Indicator catalogues: versioned lists of identification indicators (ILO/EC Delphi sets, the
//! ILO forced-labour checklist, a future French national list) with their scoring rules.
//!
//! Catalogues are data, never code: an administrator loads a new version without a release and
//! every screening keeps the version it used. A catalogue is only ever obtained through
//! [`Catalogue::parse`], so every reference in it (dimension, source, set) is known to resolve.
//! The file format is described in docs/adr/0006-indicator-catalogues.md.

mod error;
mod key;
mod parse;
#[cfg(test)]
mod parse_tests;
mod raw;
mod rule;
pub mod shipped;
mod validate;

pub use error::{CatalogueError, CatalogueErrors, Problem};
pub use key::{Key, KeyError};
pub use rule::{Clause, Combination, Expr, Minimum, Rule, Tally, Threshold, WeightedRule};

use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// The version of the file format this code reads (not the version of a catalogue).
pub const FORMAT: u32 = 1;

/// A text in both languages of the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub en: String,
    pub fr: String,
}

/// How much an indicator weighs within its set and dimension (Delphi survey ratings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

/// How far an entry has been checked: `Verified` means the primary source was read,
/// `Secondary` that it is known only through secondary sources, `Unverified` that it is a
/// working assumption, `Disputed` that sources disagree (the entry's note says how).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Verified,
    Secondary,
    Unverified,
    Disputed,
}

/// A document the catalogue draws on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub key: Key,
    pub document: String,
    /// The publisher's reference (e.g. ILO `WCMS_105023`), when known.
    pub reference: Option<String>,
}

/// Where something comes from and how sure we are of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Key of one of the catalogue's [`Source`]s.
    pub source: Option<Key>,
    /// Page in the source; `None` when nobody has checked it (pages are never guessed).
    pub page: Option<NonZeroU32>,
    pub status: Verification,
    pub note: Option<String>,
}

/// A dimension of a weighted catalogue (e.g. "coercion at destination"), or a group of a
/// checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub key: Key,
    pub labels: Labels,
    /// What the dimension or group covers, shown beside its questions (format 1 allows it to
    /// be absent: version 1 of the Delphi labour catalogue has none).
    pub definition: Option<Labels>,
    pub provenance: Provenance,
}

/// One indicator of a set. Entries are keyed by (set, dimension, indicator): the same
/// indicator can appear in two dimensions with different strengths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    /// Always present in a weighted catalogue; optional grouping in a checklist.
    pub dimension: Option<Key>,
    /// Always present in a weighted catalogue; never in a checklist.
    pub strength: Option<Strength>,
    pub labels: Labels,
    pub provenance: Provenance,
}

/// A set of indicators for one profile (e.g. adults, labour exploitation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorSet {
    pub key: Key,
    pub labels: Labels,
    pub provenance: Provenance,
    pub entries: Vec<Entry>,
}

impl IndicatorSet {
    /// The entry with this indicator key in this dimension.
    pub fn entry(&self, dimension: Option<&Key>, indicator: &Key) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.dimension.as_ref() == dimension && &e.key == indicator)
    }

    /// The entry whose English label matches, ignoring case and surrounding spaces.
    pub fn entry_by_label(&self, dimension: Option<&Key>, english: &str) -> Option<&Entry> {
        let wanted = english.trim().to_lowercase();
        self.entries
            .iter()
            .find(|e| e.dimension.as_ref() == dimension && e.labels.en.to_lowercase() == wanted)
    }
}

/// A validated catalogue version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    id: Key,
    version: NonZeroU32,
    title: Labels,
    sources: Vec<Source>,
    dimensions: Vec<Dimension>,
    rule: Rule,
    sets: Vec<IndicatorSet>,
}

impl Catalogue {
    /// Reads a catalogue file, YAML or JSON. Every error names its line (when the parser knows
    /// it) and field; problems found after reading are all reported at once.
    pub fn parse(text: &str) -> Result<Self, CatalogueErrors> {
        parse::catalogue(text)
    }

    pub fn id(&self) -> &Key {
        &self.id
    }

    pub fn version(&self) -> NonZeroU32 {
        self.version
    }

    pub fn title(&self) -> &Labels {
        &self.title
    }

    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    pub fn source(&self, key: &Key) -> Option<&Source> {
        self.sources.iter().find(|s| &s.key == key)
    }

    /// In the order of the file, which is the order screenings report them in.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    pub fn dimension(&self, key: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.key.as_str() == key)
    }

    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    pub fn sets(&self) -> &[IndicatorSet] {
        &self.sets
    }

    pub fn set(&self, key: &str) -> Option<&IndicatorSet> {
        self.sets.iter().find(|s| s.key.as_str() == key)
    }
}
