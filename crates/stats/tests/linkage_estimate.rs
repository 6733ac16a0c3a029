//! A population of known size seen by four sources with known capture probabilities, each
//! source with its own typing errors: linked from keys alone, the capture histories give an
//! interval that covers the true size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relais_domain::intake::person_match::BirthDate;
use relais_stats::linkage::clk::{Identity, Params, Secret, encode};
use relais_stats::linkage::cluster::{capture_histories, clusters};
use relais_stats::linkage::link::DEFAULT_THRESHOLD;
use relais_stats::{Options, analyse};

const SYLLABLES: [&str; 24] = [
    "ma", "ri", "ko", "la", "te", "su", "na", "do", "vi", "ra", "mi", "lo", "ka", "be", "ni", "to", "sa", "ge", "lu",
    "fa", "de", "po", "chi", "an",
];

fn name(rng: &mut ChaCha8Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())])
        .collect()
}

/// One character of the name replaced, as a clerk's typing error.
fn typo(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let at = rng.random_range(0..chars.len());
    chars[at] = ['a', 'e', 'i', 'o', 'u', 'n', 'r'][rng.random_range(0..7)];
    chars.into_iter().collect()
}

#[test]
fn four_sources_of_a_known_population_give_an_interval_that_covers_it() {
    const POPULATION: usize = 1200;
    const CAPTURE: [f64; 4] = [0.3, 0.25, 0.35, 0.2];
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let people: Vec<(String, String, BirthDate)> = (0..POPULATION)
        .map(|_| {
            let birth = BirthDate::parse(&format!(
                "{}-{:02}-{:02}",
                rng.random_range(1960..2006),
                rng.random_range(1..13),
                rng.random_range(1..29)
            ))
            .unwrap();
            let syllables = rng.random_range(2..4);
            (name(&mut rng, syllables), name(&mut rng, 3), birth)
        })
        .collect();
    let secret = Secret::new(b"a secret shared by the four sources").unwrap();
    let params = Params::default();
    let mut sources = Vec::new();
    for p in CAPTURE {
        let mut keys = Vec::new();
        for (given, family, birth) in &people {
            if !rng.random_bool(p) {
                continue;
            }
            let family = if rng.random_bool(0.1) {
                typo(&mut rng, family)
            } else {
                family.clone()
            };
            let identity = Identity {
                given_name: given.clone(),
                family_name: family,
                birth: Some(*birth),
                ..Identity::default()
            };
            keys.push(encode(&params, &secret, &identity));
        }
        sources.push(keys);
    }
    let seen_truly = people.len() as f64 * (1.0 - CAPTURE.iter().map(|p| 1.0 - p).product::<f64>());
    // The linkage's own uncertainty: the interval at the thresholds around the default.
    let (mut low, mut high) = (f64::INFINITY, 0.0f64);
    for step in [-0.1, -0.05, 0.0, 0.05, 0.1] {
        let persons = clusters(&sources, DEFAULT_THRESHOLD + step);
        let table = capture_histories(vec!["a".into(), "b".into(), "c".into(), "d".into()], &persons).unwrap();
        let report = analyse(
            &table,
            &Options {
                replicates: 0,
                ..Options::default()
            },
            &|_| {},
        )
        .unwrap();
        eprintln!(
            "at {:.2}: persons {} (about {seen_truly:.0} seen), estimate {:.0}, interval {:.0}–{:.0}",
            DEFAULT_THRESHOLD + step,
            persons.len(),
            report.estimate,
            report.wald_ci[0],
            report.wald_ci[1]
        );
        if step == 0.0 {
            assert!(
                (persons.len() as f64 - seen_truly).abs() < 0.05 * seen_truly,
                "{} persons",
                persons.len()
            );
        }
        low = low.min(report.wald_ci[0]);
        high = high.max(report.wald_ci[1]);
    }
    assert!(low <= POPULATION as f64 && POPULATION as f64 <= high, "{low}–{high}");
}
