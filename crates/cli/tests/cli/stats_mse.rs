//! `relais stats mse --method lcmcr`: the latent-class report in JSON and as a table, and the
//! plain warning when the chains disagree.

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
        "--burnin",
        "10000",
        "--samples",
        "1000",
        "--thinning",
        "20",
        "--seed",
        "1",
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = stdout(&output);
    assert!(text.starts_with("WARNING: the chains did not converge"), "{text}");
    assert!(text.contains("do not publish"));
    assert!(text.contains("convergence             NO"));
}
