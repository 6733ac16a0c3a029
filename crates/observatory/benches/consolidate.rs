//! Consolidating a million pseudonymised records (issue 14: under 5 s), then one two-way table
//! of them protected by the disclosure policy.
//!
//! `cargo bench -p relais-observatory`; results in docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used, reason = "benchmarks of known-good data")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use relais_observatory::consolidate::{Dimension, Record, Records};
use relais_stats::Disclosure;

const PEOPLE: usize = 1_000_000;

/// Deterministic pseudo-random categories (xorshift), so every run counts the same records.
fn rows() -> Vec<(usize, u16, [usize; 6])> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    (0..PEOPLE)
        .map(|_| {
            (
                next(4),
                2016 + next(9) as u16,
                [next(5), next(3), next(6), next(4), next(101), next(8)],
            )
        })
        .collect()
}

fn consolidate(c: &mut Criterion) {
    let sources = ["police", "justice", "titres-de-sejour", "inspection-du-travail"];
    let names: [Vec<String>; 6] = [5, 3, 6, 4, 101, 8].map(|n: usize| (0..n).map(|i| format!("c{i:03}")).collect());
    let rows = rows();
    let load = || {
        let mut records = Records::default();
        for (source, year, values) in &rows {
            let value = |d: usize| Some(names[d][values[d]].as_str());
            records.push(&Record {
                source: sources[*source],
                year: *year,
                form: value(0),
                sex: value(1),
                age_group: value(2),
                nationality_group: value(3),
                departement: value(4),
                referrer_type: value(5),
            });
        }
        records
    };
    let mut group = c.benchmark_group("observatory");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("load_and_consolidate_1m", |b| {
        b.iter(|| black_box(load()).consolidate())
    });
    let records = load();
    group.bench_function("departement_by_form_protected_1m", |b| {
        b.iter(|| {
            let cross = records
                .cross("police", 2020, Dimension::Departement, Dimension::Form)
                .unwrap();
            Disclosure::default().protect(black_box(&cross.counts))
        })
    });
    group.finish();
}

criterion_group!(benches, consolidate);
criterion_main!(benches);
