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
        let persons = clusters(&sources, DEFAULT_THRESHOLD + step).persons;
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

/// Each person of the population has a form of exploitation (sexual for three in five); one
/// record in ten says the other form. Linked at the automatic threshold, the histories by form
/// give for each form an interval that covers its true size.
#[test]
fn histories_by_form_of_exploitation_give_intervals_that_cover_each_form() {
    use rand::{RngExt, SeedableRng};
    use relais_domain::intake::referral::ExploitationForm;
    use relais_stats::linkage::mixture::automatic_threshold;
    use relais_stats::linkage::strata::{Stratum, Variable, histories_by};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(49);
    let forms: Vec<ExploitationForm> = (0..FOUR_SOURCES_POPULATION)
        .map(|_| {
            if rng.random_bool(0.6) {
                ExploitationForm::Sexual
            } else {
                ExploitationForm::Labour
            }
        })
        .collect();
    let secret = Secret::new(b"a secret shared by the four sources").unwrap();
    let records = four_sources(7);
    let sources: Vec<Vec<_>> = records
        .iter()
        .map(|r| r.iter().map(|(_, p)| encode(&Params::default(), &secret, p)).collect())
        .collect();
    let strata: Vec<Vec<Stratum>> = records
        .iter()
        .map(|r| {
            r.iter()
                .map(|(n, _)| {
                    let form = match (forms[*n], rng.random_bool(0.1)) {
                        (form, false) => form,
                        (ExploitationForm::Sexual, true) => ExploitationForm::Labour,
                        (_, true) => ExploitationForm::Sexual,
                    };
                    Stratum {
                        exploitation: Some(form),
                        ..Stratum::default()
                    }
                })
                .collect()
        })
        .collect();
    let persons = clusters(&sources, automatic_threshold(&sources).unwrap()).persons;
    let names = ["a", "b", "c", "d"].map(String::from).to_vec();
    let by_form = histories_by(&names, &persons, &strata, Variable::Exploitation).unwrap();
    assert_eq!(by_form.tables.iter().map(|t| t.persons).sum::<usize>(), persons.len());
    assert_eq!(by_form.without_value, 0);
    assert!(by_form.conflicting > 0);
    for table in &by_form.tables {
        let report = analyse(
            &table.histories,
            &Options {
                replicates: 0,
                ..Options::default()
            },
            &|_| {},
        )
        .unwrap();
        let size = forms.iter().filter(|f| f.key() == table.value).count() as f64;
        eprintln!(
            "{}: {} persons, estimate {:.0}, interval {:.0}–{:.0}, true size {size}; {} persons with conflicting forms",
            table.value, table.persons, report.estimate, report.wald_ci[0], report.wald_ci[1], by_form.conflicting
        );
        assert!(
            report.wald_ci[0] <= size && size <= report.wald_ci[1],
            "{}",
            table.value
        );
    }
}
