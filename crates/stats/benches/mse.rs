//! Benchmarks of multiple systems estimation on the reference data sets: one model fit, the
//! model selection, the whole analysis with a 1,000-replicate BCa bootstrap (stepwise and
//! BIC), and one chain of the latent-class sampler.
//!
//! `cargo bench -p relais-stats`; results in docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used, reason = "benchmarks of known-good data")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use relais_stats::{
    Dataset, LcmcrOptions, Method, Options, analyse, estimate_lcmcr, fit_model, select_bic, select_stepwise,
};

const DATASETS: [(&str, &str); 5] = [
    ("UKdat", include_str!("../tests/data/UKdat.csv")),
    ("Western", include_str!("../tests/data/Western.csv")),
    ("NewOrl", include_str!("../tests/data/NewOrl.csv")),
    ("Artificial_3", include_str!("../tests/data/Artificial_3.csv")),
    ("Korea", include_str!("../tests/data/Korea.csv")),
];

fn datasets() -> Vec<(&'static str, Dataset)> {
    DATASETS
        .iter()
        .map(|&(name, text)| (name, Dataset::from_csv(text).unwrap().dataset))
        .collect()
}

/// One IRLS fit of the model the stepwise selection chooses.
fn fit(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit");
    for (name, data) in datasets() {
        let pairs = select_stepwise(&data, 0.02).unwrap().pairs;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| fit_model(black_box(&data), black_box(&pairs)).unwrap())
        });
    }
    group.finish();
}

/// Stepwise selection at 0.02 (existence checks and fits included), and the exhaustive BIC
/// search where it is practical.
fn selection(c: &mut Criterion) {
    let mut group = c.benchmark_group("selection");
    for (name, data) in datasets() {
        group.bench_function(BenchmarkId::new("stepwise", name), |b| {
            b.iter(|| select_stepwise(black_box(&data), 0.02).unwrap())
        });
        if data.list_count() <= 6 {
            group.bench_function(BenchmarkId::new("bic", name), |b| {
                b.iter(|| select_bic(black_box(&data)).unwrap())
            });
        }
    }
    group.finish();
}

/// The whole analysis as `relais stats mse` runs it by default: selection, Wald interval,
/// jackknife and a 1,000-replicate BCa bootstrap, on every core.
fn bootstrap(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis_with_1000_bootstrap_replicates");
    group.sample_size(10).measurement_time(Duration::from_secs(15));
    let options = Options::default();
    for (name, data) in datasets() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| analyse(black_box(&data), &options, &|_| {}).unwrap())
        });
    }
    let bic = Options {
        method: Method::Bic,
        ..Options::default()
    };
    let (_, korea) = datasets().pop().unwrap();
    group.bench_function(BenchmarkId::new("bic", "Korea"), |b| {
        b.iter(|| analyse(black_box(&korea), &bic, &|_| {}).unwrap())
    });
    group.finish();
}

/// The BIC method with its 1,000-replicate bootstrap on six lists (issue 19: under 10 s on
/// two cores): 1,001 searches over 32,768 models each, and the jackknife.
fn bic_bootstrap(c: &mut Criterion) {
    let mut group = c.benchmark_group("bic_analysis_with_1000_bootstrap_replicates");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    let options = Options {
        method: Method::Bic,
        ..Options::default()
    };
    for (name, data) in datasets().into_iter().filter(|(_, d)| d.list_count() <= 6) {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| analyse(black_box(&data), &options, &|_| {}).unwrap())
        });
    }
    group.finish();
}

/// One latent-class chain with the default settings (burn-in 50,000, 5,000 draws kept one in
/// 50: 300,000 sweeps), as the reference package's per-chain time is given (issue 19).
fn lcmcr(c: &mut Criterion) {
    let mut group = c.benchmark_group("lcmcr_one_chain_default_settings");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    let options = LcmcrOptions {
        chains: 1,
        ..LcmcrOptions::default()
    };
    for (name, data) in datasets()
        .into_iter()
        .filter(|(name, _)| ["Western", "UKdat"].contains(name))
    {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| estimate_lcmcr(black_box(&data), &options).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = fit, selection, bootstrap, bic_bootstrap, lcmcr
}
criterion_main!(benches);
