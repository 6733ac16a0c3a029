//! A population of known size seen by four sources with known capture probabilities, each
//! source with its own typing errors: linked from keys alone, the capture histories give an
//! interval that covers the true size.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

mod population;

use population::{FOUR_SOURCES_CAPTURE, FOUR_SOURCES_POPULATION, four_sources};
use relais_stats::linkage::clk::{Params, Secret, encode};
use relais_stats::linkage::cluster::{capture_histories, clusters};
use relais_stats::linkage::link::DEFAULT_THRESHOLD;
use relais_stats::{Options, analyse};

#[test]
fn four_sources_of_a_known_population_give_an_interval_that_covers_it() {
    const POPULATION: usize = FOUR_SOURCES_POPULATION;
    const CAPTURE: [f64; 4] = FOUR_SOURCES_CAPTURE;
    let secret = Secret::new(b"a secret shared by the four sources").unwrap();
    let params = Params::default();
    let sources: Vec<Vec<_>> = four_sources(7)
        .iter()
        .map(|records| records.iter().map(|(_, p)| encode(&params, &secret, p)).collect())
        .collect();
    let seen_truly = POPULATION as f64 * (1.0 - CAPTURE.iter().map(|p| 1.0 - p).product::<f64>());
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
