//! Latent-class estimation (LCMCR) end to end: the reference posteriors of LCMCR 0.4.14
//! (../shared/reference/mse/README.md: K = 10, a = b = 0.25, burn-in 50,000, 5,000 draws with
//! thinning 50, four chains), reproducibility, heterogeneity the independence model misses,
//! and chains that disagree.
//!
//! The reference runs use the default settings (full length, four chains: about 1.5
//! CPU-seconds for Western and 3.5 for UKdat; the crate is built with opt-level 3 in tests).

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::dataset;
use relais_stats::{
    Dataset, LcmcrOptions, LcmcrReport, MAX_CLASSES, MAX_RHAT, MIN_ESS, MseError, estimate_lcmcr, select_stepwise,
    wald_interval,
};

fn assert_within(actual: f64, reference: f64, tolerance: f64, what: &str) {
    let relative = (actual - reference).abs() / reference;
    assert!(
        relative <= tolerance,
        "{what}: {actual:.0} is {:.1} % from the reference {reference}",
        100.0 * relative
    );
}

fn assert_figures(report: &LcmcrReport, median: f64, interval: [f64; 2], median_tolerance: f64) {
    assert_within(report.estimate, median, median_tolerance, "posterior median");
    assert_within(report.credible_interval[0], interval[0], 0.10, "2.5 % quantile");
    assert_within(report.credible_interval[1], interval[1], 0.10, "97.5 % quantile");
}

#[test]
fn western_posterior_agrees_with_the_reference() {
    let report = estimate_lcmcr(&dataset("Western"), &LcmcrOptions::default()).unwrap();
    assert_eq!(report.observed, 345);
    assert_eq!(report.chains.len(), 4);
    assert!(report.diagnostics.converged, "{:?}", report.diagnostics);
    assert_figures(&report, 1834.0, [1316.0, 3011.0], 0.03);
}

/// UKdat's posterior has a second, smaller mode at lower population sizes, where one of the
/// reference's four chains sat (its median 20,789 against 22,402–22,803). Our chains visit it
/// now and then: with seed 1 one chain does (median 21,294), so the chains agree (R-hat 1.025)
/// but their effective sample size is 147, short of the 400 that `converged` requires. The
/// test checks the figures and the agreement, not the effective sample size.
#[test]
fn uk_posterior_agrees_with_the_reference() {
    let report = estimate_lcmcr(&dataset("UKdat"), &LcmcrOptions::default()).unwrap();
    assert_eq!(report.observed, 2744);
    assert!(report.diagnostics.rhat < MAX_RHAT, "{:?}", report.diagnostics);
    assert_figures(&report, 22186.0, [15851.0, 33299.0], 0.08);
}

fn short(seed: u64) -> LcmcrOptions {
    LcmcrOptions {
        burnin: 1_000,
        samples: 200,
        thinning: 5,
        seed,
        ..LcmcrOptions::default()
    }
}

#[test]
fn chains_are_reproducible_whatever_the_number_of_threads() {
    let data = dataset("Western");
    let run = |threads: usize, seed: u64| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| estimate_lcmcr(&data, &short(seed)).unwrap())
    };
    let one = run(1, 7);
    assert_eq!(one, run(3, 7));
    assert_ne!(one.chains, run(1, 8).chains, "another seed, other draws");
    // Chains differ from each other: each has its own stream.
    assert_ne!(one.chains[0], one.chains[1]);
}

/// 2,000 people in two classes of 1,000, seen by each of five lists independently with
/// probability 0.5 in one class and 0.2 in the other: the table is the expected count of
/// each history, rounded. Lists look positively dependent, and a model that ignores it
/// (independence) misses the people who are hard to see.
fn two_classes() -> Dataset {
    let mut text = String::from("a,b,c,d,e,n\n");
    for history in 1..32_u32 {
        let expected: f64 = [(1000.0, 0.5), (1000.0, 0.2)]
            .iter()
            .map(|&(size, p): &(f64, f64)| {
                (0..5)
                    .map(|j| if history & (1 << j) != 0 { p } else { 1.0 - p })
                    .product::<f64>()
                    * size
            })
            .sum();
        let cells: Vec<String> = (0..5).map(|j| ((history >> j) & 1).to_string()).collect();
        text.push_str(&format!("{},{}\n", cells.join(","), expected.round()));
    }
    Dataset::from_csv(&text).unwrap().dataset
}

#[test]
fn two_latent_classes_are_covered_where_the_independence_model_fails() {
    let data = two_classes();
    let independence = select_stepwise(&data, 0.0).unwrap();
    let [_, wald_high] = wald_interval(&independence, 0.95);
    assert!(wald_high < 2000.0, "independence: up to {wald_high:.0}");
    let options = LcmcrOptions {
        burnin: 5_000,
        samples: 1_000,
        thinning: 10,
        ..LcmcrOptions::default()
    };
    let report = estimate_lcmcr(&data, &options).unwrap();
    let [low, high] = report.credible_interval;
    assert!(low <= 2000.0 && 2000.0 <= high, "latent classes: {low:.0} – {high:.0}");
}

/// UKdat with chains far too short: each starts from its own number of unseen people (up to
/// twice the number seen, against about 20,000 in the posterior) and has not forgotten it
/// after 300 sweeps, so the chains disagree and drift (R-hat 1.36 to about 2, ESS below 15,
/// over seeds 1 to 30); the diagnostics must say so rather than let the pooled figure pass.
/// UKdat's second mode, which a chain visits only now and then at the default length (see
/// above), would make a test that depends on the seed (ADR 0057).
#[test]
fn chains_that_disagree_are_reported_as_not_converged() {
    let options = LcmcrOptions {
        burnin: 100,
        samples: 200,
        thinning: 1,
        seed: 2,
        ..LcmcrOptions::default()
    };
    let report = estimate_lcmcr(&dataset("UKdat"), &options).unwrap();
    assert!(report.diagnostics.rhat > MAX_RHAT, "{:?}", report.diagnostics);
    assert!(report.diagnostics.ess < MIN_ESS, "{:?}", report.diagnostics);
    assert!(!report.diagnostics.converged);
}

#[test]
fn settings_too_small_are_refused() {
    let data = dataset("Korea");
    for options in [
        LcmcrOptions { samples: 1, ..short(1) },
        LcmcrOptions { chains: 0, ..short(1) },
        LcmcrOptions {
            thinning: 0,
            ..short(1)
        },
    ] {
        assert!(estimate_lcmcr(&data, &options).is_err());
    }
}

#[test]
fn more_classes_than_the_sampler_runs_are_refused_by_name() {
    let data = dataset("Korea");
    let mut options = short(1);
    options.prior.classes = MAX_CLASSES + 1;
    assert!(matches!(
        estimate_lcmcr(&data, &options),
        Err(MseError::TooManyLcmcrClasses { value, maximum }) if value == MAX_CLASSES + 1 && maximum == MAX_CLASSES
    ));
    options.prior.classes = MAX_CLASSES;
    options.burnin = 10;
    assert!(estimate_lcmcr(&data, &options).is_ok());
}

#[test]
fn progress_counts_every_sweep_of_every_chain_in_order() {
    let options = short(3);
    let seen = std::sync::Mutex::new(Vec::new());
    let report = relais_stats::estimate_lcmcr_with_progress(&dataset("Western"), &options, &|done| {
        seen.lock().unwrap().push(done)
    })
    .unwrap();
    assert_eq!(
        report,
        estimate_lcmcr(&dataset("Western"), &options).unwrap(),
        "the same draws"
    );
    let seen = seen.into_inner().unwrap();
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last().copied(), Some(options.total_sweeps()));
    assert_eq!(options.total_sweeps(), 4 * (1_000 + 200 * 5));
    assert!(seen.len() >= 8, "reported along the way: {seen:?}");
}
