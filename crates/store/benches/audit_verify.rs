//! `relais audit verify` at national scale (issue 17): fills a throwaway database with
//! `AUDIT_ROWS` chained audit rows (default ten million) and times `audit::verify` over
//! them, on SQLite, or on PostgreSQL with `AUDIT_BACKEND=postgres` (a server from
//! `TEST_DATABASE_URL`, as the tests use), or in the database at `AUDIT_DB_URL`, kept
//! between runs, which is filled only up to `AUDIT_ROWS`. One run, not criterion: the
//! figure is minutes, and docs/PERFORMANCE.md records it.
//!
//! ```sh
//! cargo bench -p relais-store --bench audit_verify
//! AUDIT_ROWS=1000000 AUDIT_BACKEND=postgres cargo bench -p relais-store --bench audit_verify
//! AUDIT_DB_URL='sqlite:///var/tmp/audit.db?mode=rwc' cargo bench -p relais-store --bench audit_verify
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "a benchmark of known-good data that reports on standard output"
)]

use relais_store::audit::{self, Verification};
use relais_store::{Keys, SecretKey, Store, StoreOptions, testing};
use std::time::Instant;

/// This process's CPU time (user and system) in seconds, from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which is in parentheses.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

#[tokio::main]
async fn main() {
    let rows: u64 = std::env::var("AUDIT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let postgres = std::env::var("AUDIT_BACKEND").is_ok_and(|b| b == "postgres");
    let kept = std::env::var("AUDIT_DB_URL").ok();
    let db = match (&kept, postgres) {
        (Some(_), _) => None,
        (None, true) => Some(testing::postgres().await.unwrap()),
        (None, false) => Some(testing::sqlite().await.unwrap()),
    };
    let url = kept.clone().or_else(|| db.as_ref().map(|d| d.url.clone())).unwrap();
    // No checkpoint is ever written here, so the key signs nothing that is verified.
    let store = Store::connect(&url, Keys::derive(&SecretKey::generate()), &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let present = u64::try_from(audit::count(&store).await.unwrap()).unwrap();
    let rows = rows.saturating_sub(present);
    println!("{backend}: writing {rows} chained audit rows");
    let started = Instant::now();
    testing::append_chained_audit(&store, rows, &|written| {
        if written % 1_000_000 == 0 {
            println!("  {written} rows, {:.0} s", started.elapsed().as_secs_f64());
        }
    })
    .await
    .unwrap();
    println!("  written in {:.0} s", started.elapsed().as_secs_f64());
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let outcome = audit::verify(&store, &|_| {}).await.unwrap();
    let (seconds, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let checked = match outcome {
        Verification::Intact { rows } => rows,
        Verification::Broken(broken) => panic!("the generated trail should verify: {broken}"),
    };
    println!(
        "{backend}: audit verify over {checked} rows: {seconds:.1} s wall, {cpu:.1} s CPU of this process, {:.0} rows/s",
        checked as f64 / seconds
    );
    assert!(checked >= i64::try_from(rows + present).unwrap());
}
