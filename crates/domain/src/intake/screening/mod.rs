//! Indicator screening: a pure function from a catalogue version and what a professional
//! observed to a per-dimension result and an overall presumption.
//!
//! The Delphi indicators are a research and data-collection tool, not a legal test: a result
//! is a presumption supporting a referral, never an identification, and says so
//! ([`NOTICE_EN`], [`NOTICE_FR`]). Unanswered questions are unknown, and unknown never counts
//! as yes nor as no.

use strum::EnumCount;
mod engine;
mod kleene;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod vignettes;

pub use engine::evaluate;
pub use kleene::Truth;

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use crate::intake::catalogue::{Catalogue, Entry, IndicatorSet, Key};

/// Carried by every result, in every language it is shown in.
pub const NOTICE_EN: &str = "presumption supporting a referral — not an identification";
pub const NOTICE_FR: &str = "présomption justifiant une orientation — pas une identification";

/// What the professional observed about one indicator, or about the act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    /// Also what an unanswered question is.
    #[default]
    Unknown,
}

impl Answer {
    pub const ALL: [Self; Self::COUNT] = [Self::Yes, Self::No, Self::Unknown];

    /// The stable key, as in the API's JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Unknown => "unknown",
        }
    }
}

/// An entry of a set: indicators are keyed by (set, dimension, indicator).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryRef {
    pub dimension: Option<Key>,
    pub indicator: Key,
}

impl EntryRef {
    pub fn of(entry: &Entry) -> Self {
        Self {
            dimension: entry.dimension.clone(),
            indicator: entry.key.clone(),
        }
    }
}

/// The answers given; every question not answered is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Observations {
    act: Answer,
    answers: BTreeMap<EntryRef, Answer>,
}

impl Observations {
    /// `act`: was the person recruited, transported, transferred, harboured or received?
    pub fn new(act: Answer) -> Self {
        Self {
            act,
            answers: BTreeMap::new(),
        }
    }

    pub fn act(&self) -> Answer {
        self.act
    }

    /// Records an answer. Answering the same question twice differently is refused rather
    /// than guessed.
    pub fn record(&mut self, entry: EntryRef, answer: Answer) -> Result<(), ScreeningError> {
        match self.answers.get(&entry) {
            Some(previous) if *previous != answer => Err(ScreeningError::ConflictingAnswers {
                dimension: entry.dimension.map(|d| d.to_string()),
                indicator: entry.indicator.to_string(),
            }),
            _ => {
                self.answers.insert(entry, answer);
                Ok(())
            }
        }
    }

    pub fn answer(&self, entry: &EntryRef) -> Answer {
        self.answers.get(entry).copied().unwrap_or_default()
    }

    pub fn answered(&self) -> impl Iterator<Item = (&EntryRef, Answer)> {
        self.answers.iter().map(|(entry, answer)| (entry, *answer))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreeningError {
    #[error("catalogue `{catalogue}` has no set `{set}` (it has: {available})")]
    UnknownSet {
        catalogue: String,
        set: String,
        available: String,
    },
    #[error("catalogue `{catalogue}` has no dimension `{dimension}` (it has: {available})")]
    UnknownDimension {
        catalogue: String,
        dimension: String,
        available: String,
    },
    #[error("{}", unknown_indicator(.set, .dimension.as_deref(), .indicator))]
    UnknownIndicator {
        set: String,
        dimension: Option<String>,
        indicator: String,
    },
    #[error("indicator `{indicator}` is answered twice with different answers")]
    ConflictingAnswers {
        dimension: Option<String>,
        indicator: String,
    },
}

fn unknown_indicator(set: &str, dimension: Option<&str>, indicator: &str) -> String {
    match dimension {
        Some(dimension) => format!("set `{set}` has no indicator `{indicator}` in dimension `{dimension}`"),
        None => format!("set `{set}` has no indicator `{indicator}` outside a dimension"),
    }
}

/// The entry of `set` that an integration names by dimension key and English label (as in the
/// reference tables, ignoring case).
pub fn find_by_label(
    catalogue: &Catalogue,
    set: &IndicatorSet,
    dimension: Option<&str>,
    label: &str,
) -> Result<EntryRef, ScreeningError> {
    let dimension =
        match dimension {
            Some(key) => Some(catalogue.dimension(key).map(|d| d.key.clone()).ok_or_else(|| {
                ScreeningError::UnknownDimension {
                    catalogue: catalogue.id().to_string(),
                    dimension: key.to_owned(),
                    available: list(catalogue.dimensions().iter().map(|d| &d.key)),
                }
            })?),
            None => None,
        };
    set.entry_by_label(dimension.as_ref(), label)
        .map(EntryRef::of)
        .ok_or_else(|| ScreeningError::UnknownIndicator {
            set: set.key.to_string(),
            dimension: dimension.map(|d| d.to_string()),
            indicator: label.to_owned(),
        })
}

fn list<'a>(keys: impl Iterator<Item = &'a Key>) -> String {
    keys.map(Key::as_str).collect::<Vec<_>>().join(", ")
}

/// The result for one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumCount)]
#[serde(rename_all = "snake_case")]
pub enum DimensionResult {
    /// The threshold holds even counting every unknown as no.
    Positive,
    /// The threshold fails even counting every unknown as yes.
    NotPositive,
    /// The unknowns decide.
    Insufficient,
}

impl DimensionResult {
    pub const ALL: [Self; Self::COUNT] = [Self::Positive, Self::NotPositive, Self::Insufficient];
}

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumCount)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    Presumption,
    NoPresumption,
    Insufficient,
    /// A checklist without a rule computes no presumption: it lists what was observed.
    NotApplicable,
}

impl Overall {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Presumption,
        Self::NoPresumption,
        Self::Insufficient,
        Self::NotApplicable,
    ];

    /// The stable key, as in the JSON of `relais screening evaluate`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Presumption => "presumption",
            Self::NoPresumption => "no_presumption",
            Self::Insufficient => "insufficient",
            Self::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Why a dimension came out as it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionOutcome {
    pub dimension: Key,
    pub result: DimensionResult,
    /// When positive, the first clause of the threshold that holds.
    pub clause: Option<Key>,
    /// When positive, the indicators answered yes that the clause counts; otherwise every
    /// indicator answered yes in the dimension. Catalogue order.
    pub indicators: Vec<Key>,
    /// When insufficient, the unknown indicators whose answer could make the dimension
    /// positive; empty otherwise.
    pub could_tip: Vec<Key>,
    /// When insufficient and the overall result is too, whether deciding this dimension could
    /// decide the overall result (e.g. not when another dimension already rules it out).
    pub decisive: bool,
}

/// A screening result. It always records the catalogue version it used and carries the notice
/// that it is not an identification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    catalogue: Key,
    version: NonZeroU32,
    set: Key,
    act: Answer,
    overall: Overall,
    dimensions: Vec<DimensionOutcome>,
    checked: Vec<EntryRef>,
}

impl Screening {
    pub fn catalogue(&self) -> &Key {
        &self.catalogue
    }

    pub fn version(&self) -> NonZeroU32 {
        self.version
    }

    pub fn set(&self) -> &Key {
        &self.set
    }

    pub fn act(&self) -> Answer {
        self.act
    }

    pub fn overall(&self) -> Overall {
        self.overall
    }

    /// In catalogue order; empty for a checklist.
    pub fn dimensions(&self) -> &[DimensionOutcome] {
        &self.dimensions
    }

    pub fn dimension(&self, key: &str) -> Option<&DimensionOutcome> {
        self.dimensions.iter().find(|d| d.dimension.as_str() == key)
    }

    /// When the overall result is insufficient, the dimensions that lack the information to
    /// decide it, each with the unknown indicators whose "yes" could make it positive.
    pub fn deciding(&self) -> impl Iterator<Item = &DimensionOutcome> {
        self.dimensions.iter().filter(|d| d.decisive)
    }

    /// Every indicator answered yes, in catalogue order.
    pub fn checked(&self) -> &[EntryRef] {
        &self.checked
    }

    pub fn notice_en(&self) -> &'static str {
        NOTICE_EN
    }

    pub fn notice_fr(&self) -> &'static str {
        NOTICE_FR
    }
}
