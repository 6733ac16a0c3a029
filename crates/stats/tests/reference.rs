//! Every reference result of the project's MSE reference (SparseMSE 2.0.1 and
//! MultipleSystemsEstimation 1.2.0 run on the data sets of tests/data).
//!
//! Tolerances: estimates are printed with 4 decimals and must match every printed digit
//! (half a unit of the 4th decimal, tighter than 1e-6 relative for these sizes). Wald limits
//! are printed with 2 decimals: they must match to 1e-6 relative, or to half a unit of the 2nd
//! decimal where 1e-6 relative is finer than the printing. Selected pairs must match exactly,
//! in the order the stepwise selection adds them.

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{assert_digits, assert_printed, dataset};
use relais_stats::{Method, Options, check_existence, select_bic, select_stepwise, wald_interval};

struct Reference {
    name: &'static str,
    threshold: f64,
    pairs: &'static [&'static str],
    observed: u64,
    estimate: f64,
    wald: [f64; 2],
}

const STEPWISE: [Reference; 6] = [
    Reference {
        name: "UKdat",
        threshold: 0.0,
        pairs: &[],
        observed: 2744,
        estimate: 12213.9951,
        wald: [10988.80, 13621.26],
    },
    Reference {
        name: "UKdat",
        threshold: 0.02,
        pairs: &["PF:NCA", "LA:NG", "NG:GP", "LA:PF", "PF:GP", "GO:GP", "NG:GO"],
        observed: 2744,
        estimate: 11417.9911,
        wald: [9977.28, 13145.66],
    },
    Reference {
        name: "Western",
        threshold: 0.02,
        pairs: &["A:E"],
        observed: 345,
        estimate: 2483.3839,
        wald: [1657.09, 3830.03],
    },
    Reference {
        name: "NewOrl",
        threshold: 0.02,
        pairs: &["D:E"],
        observed: 185,
        estimate: 1183.6923,
        wald: [720.92, 2046.06],
    },
    Reference {
        name: "NewOrl",
        threshold: 0.01,
        pairs: &[],
        observed: 185,
        estimate: 996.6643,
        wald: [644.89, 1617.53],
    },
    Reference {
        name: "Artificial_3",
        threshold: 0.02,
        pairs: &[],
        observed: 96,
        estimate: 539.0939,
        wald: [278.65, 1170.89],
    },
];

#[test]
fn stepwise_reproduces_the_reference() {
    for r in &STEPWISE {
        let data = dataset(r.name);
        let what = format!("{} at threshold {}", r.name, r.threshold);
        assert_eq!(data.observed(), r.observed, "{what}: observed");
        let fit = select_stepwise(&data, r.threshold).unwrap();
        let pairs: Vec<String> = fit.pairs.iter().map(|&p| data.pair_label(p)).collect();
        assert_eq!(pairs, r.pairs, "{what}: selected pairs");
        assert_digits(fit.estimate(), r.estimate, 4, &format!("{what}: estimate"));
        let [low, high] = wald_interval(&fit, 0.95);
        assert_printed(low, r.wald[0], 2, &format!("{what}: Wald lower limit"));
        assert_printed(high, r.wald[1], 2, &format!("{what}: Wald upper limit"));
    }
}

#[test]
fn analyse_without_bootstrap_gives_the_same_numbers() {
    let data = dataset("UKdat");
    let options = Options {
        replicates: 0,
        ..Options::default()
    };
    let report = relais_stats::analyse(&data, &options, &|_| {}).unwrap();
    assert_eq!(report.observed, 2744);
    assert_digits(report.estimate, 11417.9911, 4, "estimate");
    assert_digits(report.dark_figure, 11417.9911 - 2744.0, 4, "dark figure");
    assert_printed(report.wald_ci[0], 9977.28, 2, "Wald lower limit");
    assert_printed(report.wald_ci[1], 13145.66, 2, "Wald upper limit");
    assert_eq!(report.model.len(), 7);
    assert!(report.excluded_pairs.is_empty());
    assert!(report.bca_ci.is_none());
}

#[test]
fn existence_codes_of_artificial_3() {
    let data = dataset("Artificial_3");
    let (a, b, c) = (0, 1, 2);
    // [12,13,23]: A:C and B:C never overlap, so they go to −∞ and their cells leave the fit;
    // four cells are left for five parameters.
    let all = check_existence(&data, &[(a, b), (a, c), (b, c)]).unwrap();
    assert_eq!(all.code(), 2);
    // [12,3]: with A:B fitted, nothing ties list C to the others.
    assert_eq!(check_existence(&data, &[(a, b)]).unwrap().code(), 1);
    // [13,23,1,2]: both pairs at −∞, the rest is saturated and fine.
    assert_eq!(check_existence(&data, &[(a, c), (b, c)]).unwrap().code(), 0);
}

#[test]
fn bic_search_on_korea() {
    let data = dataset("Korea");
    let fit = select_bic(&data).unwrap();
    let pairs: Vec<String> = fit.pairs.iter().map(|&p| data.pair_label(p)).collect();
    assert_eq!(pairs, ["b:c", "c:d"]);
    assert_digits(fit.estimate(), 157.1667, 4, "Korea estimate");
    assert_eq!(fit.estimate().round(), 157.0, "published estimate");
    let options = Options {
        method: Method::Bic,
        replicates: 0,
        ..Options::default()
    };
    let report = relais_stats::analyse(&data, &options, &|_| {}).unwrap();
    assert_eq!(report.model, ["b:c", "c:d"]);
    assert_eq!(report.threshold, None);
}
