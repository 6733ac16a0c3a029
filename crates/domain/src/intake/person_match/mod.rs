//! Duplicate-person detection at intake (issue 3, part 7).
//!
//! When a new person is recorded, the officer is shown people already known to the
//! mechanism who may be the same individual: names differ by accents, case, script
//! (Cyrillic, Arabic), romanisation, order of given and family names, or aliases.
//! Each candidate comes with a score and the reasons behind it, so a human decides.
//! Nothing here merges records: merging the wrong two victims would be far worse than
//! showing an extra candidate, so this module only proposes.

mod normalise;
mod score;
mod skeleton;
mod transliterate;

#[cfg(test)]
mod tests;

pub use normalise::normalise_name;
pub use score::{compare, weight};
pub use skeleton::skeleton;

/// A person as known to the mechanism, or as just typed at intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: String,
    pub given_names: String,
    pub family_name: String,
    pub aliases: Vec<String>,
    pub birth: Option<BirthDate>,
    /// ISO 3166-1 alpha-3 code, compared case-insensitively.
    pub nationality: Option<String>,
}

/// A date of birth, often known only to the year (estimated age, missing documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    Full(i32, u8, u8),
    Year(i32),
}

/// Why a birth date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("birth date must be YYYY or YYYY-MM-DD")]
    Format,
    #[error("birth date does not exist in the calendar")]
    Invalid,
}

impl BirthDate {
    /// Parses `YYYY` or `YYYY-MM-DD` (proleptic Gregorian, real calendar days only).
    pub fn parse(s: &str) -> Result<Self, BirthDateError> {
        let s = s.trim();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next(), parts.next(), parts.next());
        if parts.next().is_some() {
            return Err(BirthDateError::Format);
        }
        match (y, m, d) {
            (Some(y), None, None) if digits(y, 4) => Ok(Self::Year(y.parse().map_err(|_| BirthDateError::Format)?)),
            (Some(y), Some(m), Some(d)) if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
                let y: i32 = y.parse().map_err(|_| BirthDateError::Format)?;
                let m: u8 = m.parse().map_err(|_| BirthDateError::Format)?;
                let d: u8 = d.parse().map_err(|_| BirthDateError::Format)?;
                if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) {
                    Ok(Self::Full(y, m, d))
                } else {
                    Err(BirthDateError::Invalid)
                }
            }
            _ => Err(BirthDateError::Format),
        }
    }

    /// The year, whatever the precision.
    pub fn year(self) -> i32 {
        match self {
            Self::Full(y, _, _) | Self::Year(y) => y,
        }
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One piece of evidence for or against two records being the same person.
#[derive(Debug, Clone, PartialEq, Eq, strum::EnumCount)]
pub enum Reason {
    /// Given and family names are identical once normalised (case, accents, script).
    SameNormalisedName,
    /// Names agree on the vowel-insensitive skeleton (romanisation variants).
    SameNameSkeleton,
    /// The same name words in another order (given and family names swapped).
    SwappedGivenAndFamilyNames,
    /// An alias of one record matches the name or an alias of the other.
    AliasMatchesName {
        alias: String,
    },
    SameBirthDate,
    /// Same year where at least one side knows only the year.
    SameBirthYear,
    /// Both full dates are known and differ.
    BirthDatesDiffer,
    /// Years differ where at least one side knows only the year (estimates can be off).
    BirthYearsDiffer,
    SameNationality,
    DifferentNationality,
}

impl Reason {
    /// Every key, in declaration order (for the translation check).
    pub const KEYS: [&'static str; <Self as strum::EnumCount>::COUNT] = [
        "person_match.same_normalised_name",
        "person_match.same_name_skeleton",
        "person_match.swapped_given_and_family_names",
        "person_match.alias_matches_name",
        "person_match.same_birth_date",
        "person_match.same_birth_year",
        "person_match.birth_dates_differ",
        "person_match.birth_years_differ",
        "person_match.same_nationality",
        "person_match.different_nationality",
    ];

    /// Stable translation key for the UI (French and English catalogues).
    pub fn key(&self) -> &'static str {
        match self {
            Self::SameNormalisedName => "person_match.same_normalised_name",
            Self::SameNameSkeleton => "person_match.same_name_skeleton",
            Self::SwappedGivenAndFamilyNames => "person_match.swapped_given_and_family_names",
            Self::AliasMatchesName { .. } => "person_match.alias_matches_name",
            Self::SameBirthDate => "person_match.same_birth_date",
            Self::SameBirthYear => "person_match.same_birth_year",
            Self::BirthDatesDiffer => "person_match.birth_dates_differ",
            Self::BirthYearsDiffer => "person_match.birth_years_differ",
            Self::SameNationality => "person_match.same_nationality",
            Self::DifferentNationality => "person_match.different_nationality",
        }
    }
}

/// A known person who may be the new one; for a human to confirm or dismiss.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    /// 0–100, see [`weight`].
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// Known persons who may be `new`, scored by [`compare`], keeping `score >= threshold`,
/// best first (ties by id for a stable display). A known record with the same id as
/// `new` is skipped. Records without any name evidence never appear, whatever the
/// threshold: birth date and nationality alone are shared by too many people.
pub fn candidates(new: &PersonRecord, known: &[PersonRecord], threshold: u32) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = known
        .iter()
        .filter(|k| k.id != new.id)
        .map(|k| compare(new, k))
        .filter(|c| !c.reasons.is_empty() && c.score >= threshold)
        .collect();
    found.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    found
}
