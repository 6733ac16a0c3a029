//! The JSON form of the report, which `relais stats mse --format json` prints.

#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::dataset;
use relais_stats::{Method, Options, analyse};
use serde_json::Value;

fn json(name: &str, options: &Options) -> Value {
    let report = analyse(&dataset(name), options, &|_| {}).unwrap();
    serde_json::to_value(&report).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[test]
fn bootstrapped_report_has_every_field() {
    let options = Options {
        replicates: 100,
        seed: 7,
        ..Options::default()
    };
    let v = json("Western", &options);
    assert_eq!(
        keys(&v),
        [
            "aic",
            "bca_ci",
            "bootstrap",
            "dark_figure",
            "deviance",
            "df",
            "estimate",
            "excluded_pairs",
            "method",
            "model",
            "observed",
            "threshold",
            "wald_ci",
        ]
    );
    assert_eq!(v["observed"], 345);
    assert!((v["estimate"].as_f64().unwrap() - 2483.3839).abs() < 1e-4);
    let dark = v["dark_figure"].as_f64().unwrap();
    assert!((dark - (2483.3839 - 345.0)).abs() < 1e-4);
    assert_eq!(v["model"], serde_json::json!(["A:E"]));
    assert_eq!(v["excluded_pairs"], serde_json::json!([]));
    let wald = v["wald_ci"].as_array().unwrap();
    assert_eq!(wald.len(), 2);
    assert!((wald[0].as_f64().unwrap() - 1657.09).abs() < 0.005);
    assert_eq!(v["method"], "stepwise");
    assert_eq!(v["threshold"], 0.02);
    assert!(v["df"].is_u64());
    assert!(v["deviance"].is_f64() && v["aic"].is_f64());
    assert_eq!(
        keys(&v["bca_ci"]),
        ["0.025", "0.05", "0.1", "0.16", "0.84", "0.9", "0.95", "0.975"]
    );
    let lower = v["bca_ci"]["0.025"].as_f64().unwrap();
    let upper = v["bca_ci"]["0.975"].as_f64().unwrap();
    assert!(lower < upper);
    assert_eq!(
        v["bootstrap"],
        serde_json::json!({"replicates": 100, "seed": 7, "failed": 0})
    );
}

#[test]
fn report_without_bootstrap_leaves_the_interval_out() {
    let options = Options {
        threshold: 0.5,
        replicates: 0,
        ..Options::default()
    };
    let v = json("Artificial_3", &options);
    assert!(v.get("bca_ci").is_none() && v.get("bootstrap").is_none());
    // Lists A and C, and B and C, share no case: those pairs sit at −∞.
    assert_eq!(v["model"], serde_json::json!(["A:C", "B:C"]));
    assert_eq!(v["excluded_pairs"], serde_json::json!(["A:C", "B:C"]));
}

#[test]
fn bic_report_has_no_threshold() {
    let options = Options {
        method: Method::Bic,
        replicates: 0,
        ..Options::default()
    };
    let v = json("Korea", &options);
    assert_eq!(v["method"], "bic");
    assert!(v["threshold"].is_null());
    assert_eq!(v["model"], serde_json::json!(["b:c", "c:d"]));
}
