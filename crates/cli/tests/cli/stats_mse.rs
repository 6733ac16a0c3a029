//! `relais stats mse --method lcmcr` and `--method all`: the latent-class report and the methods
//! side by side, in JSON and as a table, and the plain warnings that apply (chains that disagree,
//! lists that never meet).

use std::process::{Command, Output};

use super::stdout;

fn relais(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relais")).args(args).output().unwrap()
}

fn data(name: &str) -> String {
    format!("{}/../stats/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn lcmcr_reports_its_posterior_and_diagnostics_in_json() {
    let file = data("Western");
    let short = ["--burnin", "2000", "--samples", "500", "--thinning", "10"];
    let mut args = vec![
        "stats", "mse", &file, "--method", "lcmcr", "--format", "json", "--seed", "3",
    ];
    args.extend(short);
    let output = relais(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["method"], "lcmcr");
    assert_eq!(report["observed"], 345);
    let estimate = report["estimate"].as_f64().unwrap();
    let interval = report["credible_interval"].as_array().unwrap();
    assert!(interval[0].as_f64().unwrap() < estimate && estimate < interval[1].as_f64().unwrap());
    assert_eq!(report["chains"].as_array().unwrap().len(), 4);
    for field in ["rhat", "ess", "converged"] {
        assert!(!report["diagnostics"][field].is_null(), "{field}");
    }
    assert_eq!(report["settings"]["classes"], 10);
    assert_eq!(report["settings"]["burnin"], 2000);
    // The same seed gives the same report.
    assert_eq!(stdout(&output), stdout(&relais(&args)));
}

#[test]
fn lcmcr_table_says_first_when_the_chains_disagree() {
    let file = data("UKdat");
    let output = relais(&[
        "stats",
        "mse",
        &file,
        "--method",
        "lcmcr",
        // Chains far too short to forget their different starts (see the same case in
        // crates/stats/tests/lcmcr.rs).
        "--burnin",
        "100",
        "--samples",
        "200",
        "--thinning",
        "1",
        "--seed",
        "1",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.starts_with("WARNING: the chains did not converge"), "{text}");
    assert!(text.contains("do not publish"));
    assert!(text.contains("convergence             NO"));
}

#[test]
fn all_methods_come_side_by_side_in_one_json_object() {
    let file = data("Western");
    let args = [
        "stats",
        "mse",
        &file,
        "--method",
        "all",
        "--format",
        "json",
        "--bootstrap",
        "50",
        "--burnin",
        "500",
        "--samples",
        "200",
        "--thinning",
        "5",
        "--chains",
        "2",
    ];
    let output = relais(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["observed"], 345);
    for method in ["stepwise", "bic"] {
        let estimate = report[method]["estimate"].as_f64().unwrap();
        assert!(estimate > 345.0, "{method}");
        assert_eq!(report[method]["bca_ci"].as_array().unwrap().len(), 2, "{method}");
    }
    assert!(report["lcmcr"]["estimate"].as_f64().unwrap() > 345.0);
    assert_eq!(report["lcmcr"]["chains"].as_array().unwrap().len(), 2);
    let thresholds: Vec<f64> = report["sensitivity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["threshold"].as_f64().unwrap())
        .collect();
    assert_eq!(thresholds, [0.01, 0.02, 0.05]);
    // Chains this short do not converge, and the comparison says so.
    let kinds: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"not_converged"), "{kinds:?}");
    assert_eq!(stdout(&output), stdout(&relais(&args)));
}

#[test]
fn all_methods_table_warns_first_about_lists_that_never_meet() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("apart.csv");
    std::fs::write(&file, "A,B,C,count\n1,0,0,40\n0,1,0,30\n1,1,0,2\n0,0,1,50\n0,1,1,2\n").unwrap();
    let output = relais(&[
        "stats",
        "mse",
        file.to_str().unwrap(),
        "--method",
        "all",
        "--bootstrap",
        "20",
        "--burnin",
        "100",
        "--samples",
        "100",
        "--thinning",
        "2",
        "--chains",
        "2",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.starts_with("WARNINGS"), "{text}");
    assert!(text.contains("some lists share no case (A:C)"), "{text}");
    assert!(text.contains("only 4 cases are on more than one list"), "{text}");
    for method in ["stepwise", "bic", "lcmcr"] {
        assert!(text.lines().any(|l| l.starts_with(method)), "{method}: {text}");
    }
    assert!(text.contains("Stepwise estimate by threshold:"));
}
