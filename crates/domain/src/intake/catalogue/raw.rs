//! The catalogue file as written, before validation: field names are the file's, and values
//! that validation may reject keep their position so that errors can name the line.

use std::fmt;
use std::num::NonZeroU32;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::{Strength, Verification};

pub(super) type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalogue {
    pub format: Spanned<u32>,
    pub id: Text,
    pub version: NonZeroU32,
    pub title: RawLabels,
    pub sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    pub dimensions: Vec<Spanned<RawDimension>>,
    pub rule: RawRule,
    pub sets: Spanned<Vec<Spanned<RawSet>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLabels {
    pub en: Text,
    pub fr: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub key: Text,
    pub document: Text,
    #[serde(default)]
    pub reference: Option<String>,
}

/// The provenance fields (`source`, `page`, `status`, `note`) appear, flat, on dimensions,
/// sets, indicators, thresholds and combinations; `#[serde(flatten)]` would lose positions.
macro_rules! raw_with_provenance {
    ($name:ident { $($(#[$field_meta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            #[serde(default)]
            pub source: Option<Text>,
            #[serde(default)]
            pub page: Option<NonZeroU32>,
            pub status: Spanned<Verification>,
            #[serde(default)]
            pub note: Option<String>,
        }
    };
}

raw_with_provenance!(RawDimension {
    key: Text,
    en: Text,
    fr: Text,
    #[serde(default)]
    definition: Option<RawLabels>,
});

raw_with_provenance!(RawSet {
    key: Text,
    en: Text,
    fr: Text,
    indicators: Vec<Spanned<RawEntry>>,
});

raw_with_provenance!(RawEntry {
    key: Text,
    #[serde(default)]
    dimension: Option<Text>,
    #[serde(default)]
    strength: Option<Strength>,
    en: Text,
    fr: Text,
});

raw_with_provenance!(RawThreshold {
    clauses: Vec<Spanned<RawClause>>,
});

raw_with_provenance!(RawCombination {
    set: Text,
    expression: Spanned<RawExpr>,
});

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClause {
    pub key: Text,
    pub en: Text,
    pub fr: Text,
    #[serde(default)]
    pub strong: u32,
    #[serde(default)]
    pub medium: u32,
    #[serde(default)]
    pub weak: u32,
    #[serde(default)]
    pub medium_or_weak: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeighted {
    pub act: RawLabels,
    pub threshold: Spanned<RawThreshold>,
    pub combination: Vec<Spanned<RawCombination>>,
}

/// `rule: none`, or a mapping with `act`, `threshold` and `combination`.
pub(super) enum RawRule {
    None,
    Weighted(Box<RawWeighted>),
}

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RuleVisitor)
    }
}

struct RuleVisitor;

impl<'de> Visitor<'de> for RuleVisitor {
    type Value = RawRule;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`none` or a mapping with `act`, `threshold` and `combination`")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<RawRule, E> {
        if value == "none" {
            Ok(RawRule::None)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRule, A::Error> {
        let weighted = RawWeighted::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(RawRule::Weighted(Box::new(weighted)))
    }
}

/// A dimension key, `act`, or a one-key mapping `all: [...]` / `any: [...]`.
pub(super) enum RawExpr {
    Term(String),
    All(Vec<RawExpr>),
    Any(Vec<RawExpr>),
}

impl<'de> Deserialize<'de> for RawExpr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExprVisitor)
    }
}

struct ExprVisitor;

impl<'de> Visitor<'de> for ExprVisitor {
    type Value = RawExpr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a dimension key, `act`, or a mapping `all:` or `any:` with a list")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<RawExpr, E> {
        Ok(RawExpr::Term(value.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawExpr, A::Error> {
        let operator: String = map.next_key()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let all = match operator.as_str() {
            "all" => true,
            "any" => false,
            other => return Err(de::Error::unknown_variant(other, &["all", "any"])),
        };
        let terms: Vec<RawExpr> = map.next_value()?;
        if map.next_key::<String>()?.is_some() {
            return Err(de::Error::custom(
                "one `all` or `any` per mapping: put several in a list under another `all` or `any`",
            ));
        }
        Ok(if all { RawExpr::All(terms) } else { RawExpr::Any(terms) })
    }
}
