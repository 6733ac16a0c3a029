//! One million records against one million with blocking (MinHash bands on the keys), on the
//! cores there are, with the recall measured: a generated population (tests/population), the
//! second source holding corrupted copies of half a million persons of the first. Prints the
//! time of each step and the recall of blocking against every pair's (a true pair reaching the
//! threshold that blocking does not compare is lost). One run: encoding two million records
//! takes longer than linking them, so criterion's repetitions are not used.
//!
//! `cargo bench -p relais-stats --bench linkage_million` (SIZE=…, BANDS=…, ROWS=… for another size or banding);
//! results in docs/PERFORMANCE.md.

#![allow(clippy::unwrap_used, reason = "benchmarks of known-good data")]
#![allow(clippy::print_stdout, reason = "the benchmark prints its figures")]

#[path = "../tests/population/mod.rs"]
mod population;

use std::collections::HashSet;
use std::time::Instant;

use rayon::prelude::*;
use relais_stats::linkage::blocking::Banding;
use relais_stats::linkage::clk::{Clk, Params, Secret, encode};
use relais_stats::linkage::link::{Blocking, DEFAULT_THRESHOLD, Scan, candidates_with, one_to_one_of};

fn main() {
    // `cargo bench` passes `--bench`; only the size is read from the environment.
    let size: usize = std::env::var("SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let overlap = size / 2;
    let start = Instant::now();
    let (a, b, truth) = population::two_sources(size, overlap, 15);
    let secret = Secret::new(b"a secret shared by the two sources").unwrap();
    let params = Params::default();
    let keys = |people: &[relais_stats::linkage::clk::Identity]| -> Vec<Clk> {
        people.par_iter().map(|p| encode(&params, &secret, p)).collect()
    };
    let (ka, kb) = (keys(&a), keys(&b));
    println!(
        "{size} × {size} records ({overlap} true pairs) generated and encoded in {:.1} s on {} threads",
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let threshold = DEFAULT_THRESHOLD;
    let reachable: HashSet<(usize, usize)> = truth
        .iter()
        .copied()
        .filter(|&(i, j)| ka[i].dice(&kb[j]) >= threshold)
        .collect();
    let start = Instant::now();
    let env = |name: &str| std::env::var(name).ok().and_then(|s| s.parse().ok());
    let banding = Banding {
        bands: env("BANDS").unwrap_or(Banding::default().bands),
        rows: env("ROWS").unwrap_or(Banding::default().rows),
    };
    println!("{} bands of {} bits", banding.bands, banding.rows);
    let scan = Scan {
        blocking: Blocking::Always(banding),
        ..Scan::default()
    };
    let found = candidates_with(scan, &ka, &kb, threshold);
    let linking = start.elapsed().as_secs_f64();
    let matches = one_to_one_of(found.clone(), ka.len(), kb.len());
    let total = start.elapsed().as_secs_f64();
    let kept = found.iter().filter(|m| reachable.contains(&(m.a, m.b))).count();
    let truth: HashSet<(usize, usize)> = truth.into_iter().collect();
    let right = matches.iter().filter(|m| truth.contains(&(m.a, m.b))).count();
    println!(
        "blocking and comparing: {linking:.1} s; with one-to-one matching: {total:.1} s; {} pairs at Dice ≥ {threshold}",
        found.len()
    );
    println!(
        "blocking recall: {kept} of the {} true pairs reaching the threshold compared ({:.4}); every pair's recall would be {:.4}",
        reachable.len(),
        kept as f64 / reachable.len() as f64,
        reachable.len() as f64 / overlap as f64
    );
    println!(
        "one to one: {} pairs, precision {:.4}, recall {:.4}",
        matches.len(),
        right as f64 / matches.len() as f64,
        right as f64 / overlap as f64
    );
}
