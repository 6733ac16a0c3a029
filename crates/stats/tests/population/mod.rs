//! Generated populations. [`four_sources`]: a population of known size counted by four sources
//! of known capture probabilities, for the estimate and the threshold. [`two_sources`]: a
//! population and a second source's corrupted copy of part of it, for the tests and benchmarks
//! of blocking: given names drawn with a skewed frequency (a few are common),
//! family names of two to three syllables, birth dates 1960–2005; the copy has a clerk's errors:
//! typing errors in a name (a letter replaced, dropped, doubled or two swapped), names swapped,
//! the birth date reduced to the year, day and month swapped, the year off by one.

#![allow(dead_code, reason = "each target uses part of the helpers")]
#![allow(clippy::unwrap_used, reason = "generated data is known-good")]

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relais_domain::intake::person_match::BirthDate;
use relais_stats::linkage::clk::Identity;

const ONSETS: [&str; 24] = [
    "", "b", "ch", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "p", "r", "s", "sh", "t", "v", "w", "y", "z",
    "br", "st",
];
const VOWELS: [&str; 8] = ["a", "e", "i", "o", "u", "ai", "ou", "y"];
const CODAS: [&str; 8] = ["", "", "", "n", "r", "l", "s", "m"];

/// A syllable: onset, vowel and coda (1,536 forms, so that names vary as real ones do).
fn syllables(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n)
        .map(|_| {
            format!(
                "{}{}{}",
                ONSETS[rng.random_range(0..ONSETS.len())],
                VOWELS[rng.random_range(0..VOWELS.len())],
                CODAS[rng.random_range(0..CODAS.len())]
            )
        })
        .collect()
}

/// One typing error.
fn typo(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() < 2 {
        return name.to_owned();
    }
    let at = rng.random_range(0..chars.len() - 1);
    match rng.random_range(0..4) {
        0 => chars[at] = ['a', 'e', 'i', 'o', 'u', 'n', 'r', 's'][rng.random_range(0..8)],
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

/// `size` distinct persons.
pub fn population(size: usize, seed: u64) -> Vec<Identity> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let given_names: Vec<String> = (0..2000)
        .map(|_| {
            let n = rng.random_range(2..4);
            syllables(&mut rng, n)
        })
        .collect();
    (0..size)
        .map(|_| {
            // Squaring a uniform draw favours the first names: a few are common.
            let u: f64 = rng.random();
            let given = given_names[((u * u) * given_names.len() as f64) as usize].clone();
            let n = rng.random_range(2..4);
            let family = syllables(&mut rng, n);
            let birth = BirthDate::parse(&format!(
                "{}-{:02}-{:02}",
                rng.random_range(1960..2006),
                rng.random_range(1..13),
                rng.random_range(1..29)
            ))
            .ok();
            Identity {
                given_name: given,
                family_name: family,
                birth,
                ..Identity::default()
            }
        })
        .collect()
}

/// A second source's record of a person, with its errors.
pub fn corrupted(person: &Identity, rng: &mut ChaCha8Rng) -> Identity {
    let mut copy = person.clone();
    if rng.random_bool(0.2) {
        copy.family_name = typo(rng, &copy.family_name);
    }
    if rng.random_bool(0.15) {
        copy.given_name = typo(rng, &copy.given_name);
    }
    if rng.random_bool(0.05) {
        std::mem::swap(&mut copy.given_name, &mut copy.family_name);
    }
    if let Some(BirthDate::Full(y, m, d)) = copy.birth {
        let roll: f64 = rng.random();
        copy.birth = if roll < 0.05 {
            Some(BirthDate::Year(y))
        } else if roll < 0.08 && d <= 12 {
            Some(BirthDate::Full(y, d, m))
        } else if roll < 0.11 {
            Some(BirthDate::Full(y + 1, m, d))
        } else {
            copy.birth
        };
    }
    copy
}

/// Two sources of `size` records each, the second holding corrupted copies of the last
/// `overlap` persons of the first and `size - overlap` others: (a, b, true pairs (i, j)).
pub fn two_sources(size: usize, overlap: usize, seed: u64) -> (Vec<Identity>, Vec<Identity>, Vec<(usize, usize)>) {
    let people = population(2 * size - overlap, seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xC0FFEE);
    let a = people[..size].to_vec();
    let b: Vec<Identity> = people[size - overlap..]
        .iter()
        .enumerate()
        .map(|(j, p)| if j < overlap { corrupted(p, &mut rng) } else { p.clone() })
        .collect();
    let truth = (0..overlap).map(|j| (size - overlap + j, j)).collect();
    (a, b, truth)
}

/// Size of the population that [`four_sources`] samples.
pub const FOUR_SOURCES_POPULATION: usize = 1200;
/// Each source's probability of counting a person, independently.
pub const FOUR_SOURCES_CAPTURE: [f64; 4] = [0.3, 0.25, 0.35, 0.2];

const SIMPLE_SYLLABLES: [&str; 24] = [
    "ma", "ri", "ko", "la", "te", "su", "na", "do", "vi", "ra", "mi", "lo", "ka", "be", "ni", "to", "sa", "ge", "lu",
    "fa", "de", "po", "chi", "an",
];

fn simple_name(rng: &mut ChaCha8Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SIMPLE_SYLLABLES[rng.random_range(0..SIMPLE_SYLLABLES.len())])
        .collect()
}

/// A population of [`FOUR_SOURCES_POPULATION`] persons of simple names (two to three
/// syllables of 24), each counted by four sources with the probabilities
/// [`FOUR_SOURCES_CAPTURE`]; a source replaces a letter of the family name of one record in
/// ten. Each source's records: (the person's number in the population, what it recorded).
pub fn four_sources(seed: u64) -> Vec<Vec<(usize, Identity)>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let people: Vec<(String, String, BirthDate)> = (0..FOUR_SOURCES_POPULATION)
        .map(|_| {
            let birth = BirthDate::parse(&format!(
                "{}-{:02}-{:02}",
                rng.random_range(1960..2006),
                rng.random_range(1..13),
                rng.random_range(1..29)
            ))
            .unwrap();
            let syllables = rng.random_range(2..4);
            (simple_name(&mut rng, syllables), simple_name(&mut rng, 3), birth)
        })
        .collect();
    FOUR_SOURCES_CAPTURE
        .iter()
        .map(|&p| {
            let mut records = Vec::new();
            for (n, (given, family, birth)) in people.iter().enumerate() {
                if !rng.random_bool(p) {
                    continue;
                }
                let family = if rng.random_bool(0.1) {
                    let mut chars: Vec<char> = family.chars().collect();
                    let at = rng.random_range(0..chars.len());
                    chars[at] = ['a', 'e', 'i', 'o', 'u', 'n', 'r'][rng.random_range(0..7)];
                    chars.into_iter().collect()
                } else {
                    family.clone()
                };
                records.push((
                    n,
                    Identity {
                        given_name: given.clone(),
                        family_name: family,
                        birth: Some(*birth),
                        ..Identity::default()
                    },
                ));
            }
            records
        })
        .collect()
}
