//! Scoring two records: evidence in, a clamped score and its reasons out.

use super::normalise::normalise_name;
use super::skeleton::skeleton_key;
use super::{BirthDate, Candidate, PersonRecord, Reason};

/// Weight of each reason. Only the strongest name reason is counted (they describe
/// the same evidence with decreasing certainty); the others add up, then the total
/// is clamped to 0–100.
///
/// | reason                         | weight |
/// |--------------------------------|-------:|
/// | same normalised name           |     50 |
/// | swapped given/family names     |     45 |
/// | alias matches name or alias    |     40 |
/// | same name skeleton             |     35 |
/// | same full birth date           |     30 |
/// | same birth year (year only)    |     15 |
/// | conflicting full birth dates   |    −40 |
/// | conflicting years (year only)  |    −20 |
/// | same nationality               |     10 |
/// | different nationality          |    −10 |
///
/// Conflicting full dates weigh heavily: a documented date rarely changes. A year-only
/// conflict weighs less, since ages of victims are often estimated.
pub fn weight(reason: &Reason) -> i32 {
    match reason {
        Reason::SameNormalisedName => 50,
        Reason::SwappedGivenAndFamilyNames => 45,
        Reason::AliasMatchesName { .. } => 40,
        Reason::SameNameSkeleton => 35,
        Reason::SameBirthDate => 30,
        Reason::SameBirthYear => 15,
        Reason::BirthDatesDiffer => -40,
        Reason::BirthYearsDiffer => -20,
        Reason::SameNationality => 10,
        Reason::DifferentNationality => -10,
    }
}

/// Compares `new` with `known`; the candidate carries `known`'s id.
///
/// Without name evidence the reasons are empty and the score is 0. The score is
/// symmetric: `compare(a, b).score == compare(b, a).score`.
pub fn compare(new: &PersonRecord, known: &PersonRecord) -> Candidate {
    let mut reasons = Vec::new();
    if let Some(name) = name_reason(new, known) {
        reasons.push(name);
        reasons.extend(birth_reason(new.birth, known.birth));
        reasons.extend(nationality_reason(
            new.nationality.as_deref(),
            known.nationality.as_deref(),
        ));
    }
    let total: i32 = reasons.iter().map(weight).sum();
    let score = u32::try_from(total.clamp(0, 100)).unwrap_or(0);
    Candidate {
        id: known.id.clone(),
        score,
        reasons,
    }
}

fn full_name(p: &PersonRecord) -> String {
    normalise_name(&format!("{} {}", p.given_names, p.family_name))
}

fn sorted_words(normalised: &str) -> Vec<&str> {
    let mut words: Vec<&str> = normalised.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words
}

/// The strongest name evidence, checked from most to least certain.
fn name_reason(a: &PersonRecord, b: &PersonRecord) -> Option<Reason> {
    let (na, nb) = (full_name(a), full_name(b));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    if na == nb {
        return Some(Reason::SameNormalisedName);
    }
    if sorted_words(&na) == sorted_words(&nb) {
        return Some(Reason::SwappedGivenAndFamilyNames);
    }
    if let Some(alias) = alias_match(a, &nb, b).or_else(|| alias_match(b, &na, a)) {
        return Some(Reason::AliasMatchesName { alias });
    }
    if skeleton_key(&na) == skeleton_key(&nb) {
        return Some(Reason::SameNameSkeleton);
    }
    None
}

/// An alias of `owner` equal (word order aside) to `other`'s name or one of its aliases.
fn alias_match(owner: &PersonRecord, other_name: &str, other: &PersonRecord) -> Option<String> {
    let mut targets = vec![sorted_words(other_name)];
    let other_aliases: Vec<String> = other.aliases.iter().map(|a| normalise_name(a)).collect();
    targets.extend(other_aliases.iter().map(|a| sorted_words(a)).filter(|w| !w.is_empty()));
    owner.aliases.iter().find_map(|alias| {
        let n = normalise_name(alias);
        let words = sorted_words(&n);
        (!words.is_empty() && targets.contains(&words)).then(|| alias.clone())
    })
}

fn birth_reason(a: Option<BirthDate>, b: Option<BirthDate>) -> Option<Reason> {
    match (a?, b?) {
        (BirthDate::Full(..), BirthDate::Full(..)) if a == b => Some(Reason::SameBirthDate),
        (BirthDate::Full(..), BirthDate::Full(..)) => Some(Reason::BirthDatesDiffer),
        (x, y) if x.year() == y.year() => Some(Reason::SameBirthYear),
        _ => Some(Reason::BirthYearsDiffer),
    }
}

fn nationality_reason(a: Option<&str>, b: Option<&str>) -> Option<Reason> {
    let (a, b) = (a?.trim(), b?.trim());
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some(if a.eq_ignore_ascii_case(b) {
        Reason::SameNationality
    } else {
        Reason::DifferentNationality
    })
}
