//! Record linkage: comparisons per second per core on 1,024-bit keys, all 25 million pairs of
//! FEBRL 4 (5,000 × 5,000, encoded once), for each popcount kernel this CPU runs, with and
//! without the popcount pre-filter, next to the physical bound of the popcount instructions.
//!
//! Then FEBRL 4 linked end to end from keys with the optional address (ADR 0058): one-to-one
//! matching at the default threshold, the same at the threshold read from the scores (and its
//! two parts), and the encoding of both sources.
//!
//! `cargo bench -p relais-stats --bench linkage`; results in docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used, reason = "benchmarks of known-good data")]
#![allow(
    clippy::print_stdout,
    reason = "the benchmark prints the bound next to criterion's figures"
)]

#[path = "../tests/febrl/mod.rs"]
mod febrl;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use relais_stats::linkage::clk::{Optional, Params};
use relais_stats::linkage::link::{Blocking, DEFAULT_THRESHOLD, Rows, Scan, one_to_one, rows_candidates, scan_rows};
use relais_stats::linkage::mixture::{FLOOR, ScoreMixture, one_to_one_automatic};
use relais_stats::linkage::popcount::{Kernel, Keys, Row};

/// Seconds this thread has run on a core (`/proc/thread-self/schedstat`, nanoseconds), or wall
/// time where the kernel does not say: on a shared machine, time waiting for a core is not the
/// kernel's, and the clock and the rate must be measured alike.
fn cpu_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns / 1e9)
}

/// Seconds of this thread's time that `work` takes.
fn timed(work: impl FnOnce()) -> f64 {
    let wall = Instant::now();
    let start = cpu_seconds(wall);
    work();
    cpu_seconds(wall) - start
}

/// The core's clock, measured by a chain of dependent rotations and exclusive ors with a
/// register (one cycle each on every x86-64 core of the last decade), in cycles per second of
/// this thread's time. Not a multiply and an add of a constant: Intel cores since Golden Cove
/// execute the add at renaming, which made that chain 3 cycles instead of 4 and the clock a
/// third too high (4.8 GHz measured on a core running at 3.6).
fn clock_hz() -> f64 {
    let iterations: u64 = black_box(300_000_000);
    let key = black_box(0x9E37_79B9_7F4A_7C15u64);
    let seconds = timed(|| {
        let mut x = black_box(1u64);
        for _ in 0..iterations {
            x = x.rotate_left(7) ^ key;
        }
        black_box(x);
    });
    2.0 * iterations as f64 / seconds
}

/// Cycles per 1,024-bit comparison that the popcount instructions alone need (issue width of
/// the other instructions aside), per kernel:
/// - AVX-512 VPOPCNTDQ: two `vpopcntq` on 512-bit registers, one per cycle (Ice Lake and
///   later: port 5; Zen 4: two 256-bit halves on two pipes);
/// - AVX2: no popcount instruction; eight `vpshufb` nibble look-ups (four 256-bit words, two
///   look-ups each), two per cycle (Zen 2 and later, Ice Lake and later);
/// - portable: sixteen scalar `popcnt`, at best four per cycle (Zen) and one on Intel; the
///   portable build targets baseline x86-64 without `popcnt`, so it emulates it instead.
fn cycles_per_comparison(kernel: Kernel) -> f64 {
    match kernel.name() {
        "avx512-vpopcntdq" => 2.0,
        "avx2" => 4.0,
        _ => 4.0,
    }
}

fn all_pairs(c: &mut Criterion) {
    let (a, b) = (
        febrl::keys(&febrl::people(febrl::A)),
        febrl::keys(&febrl::people(febrl::B)),
    );
    let (ra, rb) = (Rows::new(&a).unwrap(), Rows::new(&b).unwrap());
    let rows = |keys: &[relais_stats::linkage::clk::Clk]| -> Vec<Row> {
        keys.iter().map(|k| Row::try_from(k.0.as_slice()).unwrap()).collect()
    };
    let (a_rows, b_keys) = (rows(&a), Keys::new(rows(&b)));
    // Blocks of 128 keys of b, as the scan takes them.
    let blocks: Vec<std::ops::Range<usize>> = (0..b.len()).step_by(128).map(|s| s..(s + 128).min(b.len())).collect();
    let pairs = (ra.len() * rb.len()) as u64;
    let hz = clock_hz();
    println!("clock measured: {:.2} GHz", hz / 1e9);
    // One core: the rate per core is the figure the issue asks for.
    let one_core = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut group = c.benchmark_group("febrl4_all_pairs_one_core");
    group.throughput(Throughput::Elements(pairs));
    for kernel in Kernel::available() {
        let bound = hz / cycles_per_comparison(kernel);
        println!(
            "{}: popcount bound {:.0} million comparisons/s per core (half: {:.0})",
            kernel.name(),
            bound / 1e6,
            bound / 2e6
        );
        // The same rates in this thread's time, so that waiting for a core counts in neither
        // the clock nor the rate: the fraction of the bound that the shared machine leaves
        // least noisy.
        let rounds = 8;
        let mut common = [0u32; 128];
        let kernel_seconds = timed(|| {
            for _ in 0..rounds {
                for block in &blocks {
                    for row in &a_rows {
                        kernel.common_in(row, black_box(&b_keys), block.clone(), &mut common);
                        black_box(common[0]);
                    }
                }
            }
        });
        let mut found = Vec::new();
        let scan = Scan {
            kernel,
            prefilter: false,
            blocking: Blocking::Never,
        };
        let scan_seconds = timed(|| {
            for _ in 0..rounds {
                found.clear();
                scan_rows(scan, &ra, 0..ra.len(), black_box(&rb), DEFAULT_THRESHOLD, &mut found);
            }
        });
        let per_second = |seconds: f64| (rounds * pairs) as f64 / seconds;
        println!(
            "{}: in thread time, kernel alone {:.0} million/s ({:.2} of the bound), whole scan {:.0} million/s ({:.2})",
            kernel.name(),
            per_second(kernel_seconds) / 1e6,
            per_second(kernel_seconds) / bound,
            per_second(scan_seconds) / 1e6,
            per_second(scan_seconds) / bound
        );
        // The kernel alone: common bits of every pair, a block of 128 keys of b at a time.
        group.bench_function(BenchmarkId::new(kernel.name(), "kernel_only"), |bench| {
            let mut common = [0u32; 128];
            bench.iter(|| {
                let mut total = 0u64;
                for block in &blocks {
                    for row in &a_rows {
                        kernel.common_in(row, &b_keys, block.clone(), &mut common);
                        total += u64::from(common[0]);
                    }
                }
                black_box(total)
            })
        });
        for prefilter in [false, true] {
            let scan = Scan {
                kernel,
                prefilter,
                blocking: Blocking::Never,
            };
            let id = BenchmarkId::new(kernel.name(), if prefilter { "prefilter" } else { "every_pair" });
            group.bench_function(id, |bench| {
                bench.iter(|| {
                    one_core.install(|| rows_candidates(scan, black_box(&ra), black_box(&rb), DEFAULT_THRESHOLD))
                })
            });
        }
    }
    group.finish();
}

/// FEBRL 4 from keys with the optional address and postcode to the matched pairs, on every
/// core (two on the project's machine): what the observatory runs once the files are read.
fn end_to_end(c: &mut Criterion) {
    let params = Params::with_optional(&Optional::ALL);
    let (a, b) = (
        febrl::people_with_address(febrl::A),
        febrl::people_with_address(febrl::B),
    );
    let (ka, kb) = (febrl::keys_with(&params, &a), febrl::keys_with(&params, &b));
    // On one core in that core's own run time, so that a loaded machine's waits count in
    // neither: twice the two cores' wall time at best.
    let one_core = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let rounds = 5;
    let [default, automatic, fit] = one_core.install(|| {
        let scores: Vec<f64> = one_to_one(&ka, &kb, FLOOR).iter().map(|m| m.score).collect();
        [
            timed(|| (0..rounds).for_each(|_| drop(one_to_one(black_box(&ka), black_box(&kb), DEFAULT_THRESHOLD)))),
            timed(|| (0..rounds).for_each(|_| drop(one_to_one_automatic(black_box(&ka), black_box(&kb))))),
            timed(|| (0..rounds).for_each(|_| drop(ScoreMixture::fit(black_box(&scores), FLOOR)))),
        ]
        .map(|seconds| seconds * 1e3 / f64::from(rounds))
    });
    println!(
        "FEBRL 4 with the address, one core, thread time: link at the default threshold {default:.0} ms, \
         at the automatic threshold {automatic:.0} ms (of which the mixture's fit {fit:.0} ms)"
    );
    let mut group = c.benchmark_group("febrl4_end_to_end");
    group.bench_function("link_at_default_threshold", |bench| {
        bench.iter(|| one_to_one(black_box(&ka), black_box(&kb), DEFAULT_THRESHOLD))
    });
    // The command line's default: the threshold read from the scores (ADR 0049, 0060).
    group.bench_function("link_at_automatic_threshold", |bench| {
        bench.iter(|| one_to_one_automatic(black_box(&ka), black_box(&kb)))
    });
    // Its parts: the matching from the mixture's floor, and the fit on its scores.
    group.bench_function("match_from_the_floor", |bench| {
        bench.iter(|| one_to_one(black_box(&ka), black_box(&kb), FLOOR))
    });
    let scores: Vec<f64> = one_to_one(&ka, &kb, FLOOR).iter().map(|m| m.score).collect();
    group.bench_function("fit_the_mixture", |bench| {
        bench.iter(|| ScoreMixture::fit(black_box(&scores), FLOOR).map(|m| m.threshold()))
    });
    // At the sources, one thread each: not part of the observatory's time.
    group.bench_function("encode_both_sources", |bench| {
        bench.iter(|| (febrl::keys_with(&params, &a), febrl::keys_with(&params, &b)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = all_pairs, end_to_end
}
criterion_main!(benches);
