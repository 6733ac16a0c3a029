//! Referral intake (issue 3): what a professional or a member of the public
//! tells the mechanism about a possible victim, before any identification.
//!
//! A referral is typed as the user typed it ([`ReferralDetails`] keeps every
//! value as text so nothing is lost on an error); [`steps`] says which values
//! each step of the form needs and what is wrong with them; [`status`] is the
//! triage state machine; [`reference`] makes the numbers people quote.

use strum::EnumCount;
mod details;
pub mod input;
pub mod public;
pub mod reference;
pub mod screen;
pub mod status;
pub mod steps;

pub use details::{ReferralDetails, StatisticalFields};

use serde::{Deserialize, Serialize};

/// Forms of exploitation named by the Directive 2011/36/EU and French law,
/// as offered on the form (several may apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum ExploitationForm {
    Sexual,
    Labour,
    DomesticServitude,
    ForcedBegging,
    ForcedCriminality,
    OrganRemoval,
    ForcedMarriage,
    IllegalAdoption,
    Surrogacy,
    Other,
}

impl ExploitationForm {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Sexual,
        Self::Labour,
        Self::DomesticServitude,
        Self::ForcedBegging,
        Self::ForcedCriminality,
        Self::OrganRemoval,
        Self::ForcedMarriage,
        Self::IllegalAdoption,
        Self::Surrogacy,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Sexual => "sexual",
            Self::Labour => "labour",
            Self::DomesticServitude => "domestic-servitude",
            Self::ForcedBegging => "forced-begging",
            Self::ForcedCriminality => "forced-criminality",
            Self::OrganRemoval => "organ-removal",
            Self::ForcedMarriage => "forced-marriage",
            Self::IllegalAdoption => "illegal-adoption",
            Self::Surrogacy => "surrogacy",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// What is known of the person's age. Under 18 and disputed ages are both
/// treated as a child: the person is presumed a child until shown otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum AgeStatus {
    Adult,
    Minor,
    Disputed,
}

impl AgeStatus {
    pub const ALL: [Self; Self::COUNT] = [Self::Adult, Self::Minor, Self::Disputed];

    pub fn key(self) -> &'static str {
        match self {
            Self::Adult => "adult",
            Self::Minor => "minor",
            Self::Disputed => "disputed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }

    pub fn is_child(self) -> bool {
        !matches!(self, Self::Adult)
    }
}

/// Sex as recorded for statistics (the Eurostat and association-survey breakdowns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}

impl Sex {
    pub const ALL: [Self; Self::COUNT] = [Self::Female, Self::Male, Self::Other, Self::Unknown];

    pub fn key(self) -> &'static str {
        match self {
            Self::Female => "female",
            Self::Male => "male",
            Self::Other => "other",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Where the exploitation took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Location {
    France,
    Abroad,
    Both,
    Unknown,
}

impl Location {
    pub const ALL: [Self; Self::COUNT] = [Self::France, Self::Abroad, Self::Both, Self::Unknown];

    pub fn key(self) -> &'static str {
        match self {
            Self::France => "france",
            Self::Abroad => "abroad",
            Self::Both => "both",
            Self::Unknown => "unknown",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// How a referral reached the mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralKind {
    /// By a professional, with the adult's consent or for a child.
    Full,
    /// By a professional for an adult who did not consent: statistical fields only.
    AnonymousNotification,
    /// A signalement by a witness, an association or the person, without an account.
    Public,
}

impl ReferralKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Full, Self::AnonymousNotification, Self::Public];

    pub fn key(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::AnonymousNotification => "anonymous",
            Self::Public => "public",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}
