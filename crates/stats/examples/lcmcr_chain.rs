//! Latent-class chains with the default settings on a capture table, for measuring their CPU
//! time (docs/PERFORMANCE.md):
//! `cargo run --release -p relais-stats --example lcmcr_chain -- crates/stats/tests/data/UKdat.csv 1`.
//! One chain unless `--chains N` is given (anywhere among the arguments); a burn-in and a
//! number of draws may follow the seed, for shorter runs (under a profiler).

#![allow(
    clippy::print_stdout,
    reason = "a command-line tool: its answer goes to standard output"
)]

use std::process::ExitCode;

use relais_stats::{Dataset, LcmcrOptions, estimate_lcmcr};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut chains = 1;
    if let Some(at) = args.iter().position(|a| a == "--chains") {
        let value = args.drain(at..(at + 2).min(args.len())).nth(1);
        match value.and_then(|s| s.parse().ok()) {
            Some(n) => chains = n,
            None => {
                eprintln!("--chains needs a number");
                return ExitCode::FAILURE;
            }
        }
    }
    let mut args = args.into_iter();
    let (Some(path), seed) = (args.next(), args.next()) else {
        eprintln!("usage: lcmcr_chain FILE.csv [SEED [BURNIN SAMPLES]] [--chains N]");
        return ExitCode::FAILURE;
    };
    let seed = seed.and_then(|s| s.parse().ok()).unwrap_or(1);
    let defaults = LcmcrOptions::default();
    let burnin = args.next().and_then(|s| s.parse().ok()).unwrap_or(defaults.burnin);
    let samples = args.next().and_then(|s| s.parse().ok()).unwrap_or(defaults.samples);
    let report = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| Dataset::from_csv(&text).map_err(|e| e.to_string()))
        .and_then(|table| {
            let options = LcmcrOptions {
                chains,
                seed,
                burnin,
                samples,
                ..defaults
            };
            estimate_lcmcr(&table.dataset, &options).map_err(|e| e.to_string())
        });
    match report {
        Ok(report) => {
            let medians: Vec<String> = report.chains.iter().map(|m| format!("{m:.0}")).collect();
            println!(
                "{path} seed {seed}: median {:.0} (chains {})",
                report.estimate,
                medians.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{path}: {error}");
            ExitCode::FAILURE
        }
    }
}
