//! `relais retention run [--dry-run]`: the retention schedule by hand.
//! Serving processes run it daily on their own (`relais_web::jobs`).

use relais_domain::jobs::RetryPolicy;
use relais_domain::privacy::retention::{RecordKind, RetentionPolicy};
use relais_domain::time::Timestamp;
use relais_store::jobs::{self, Claimed};
use relais_store::{Actor, Store, privacy::retention};

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Count what is due for each kind of record, and erase nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
fn print(report: &retention::Report, dry_run: bool) {
    let verb = if dry_run { "due" } else { "erased" };
    for kind in RecordKind::ALL {
        println!("{:<24} {:>8} {verb}", kind.key(), report.records(kind));
    }
    println!("{:<24} {:>8} closed cases kept under a legal hold", "held", report.held);
    if !dry_run {
        println!("{:<24} {:>8} rows deleted", "rows", report.rows);
    }
}

/// Runs the retention schedule now (or counts, with `--dry-run`).
pub async fn run(store: &Store, policy: &RetentionPolicy, args: &RunArgs, now: Timestamp) -> anyhow::Result<()> {
    if args.dry_run {
        let report = retention::dry_run(store, Actor::system(), "cli-retention-dry-run", policy, now).await?;
        print(&report, true);
        return Ok(());
    }
    let run_key = format!("cli-{}", now.0);
    let Claimed::Yes(claim) = jobs::claim(store, retention::JOB, &run_key, now, &RetryPolicy::STANDARD).await? else {
        anyhow::bail!("a retention run started this very second; try again");
    };
    let report = retention::run(store, Actor::system(), "cli-retention-run", policy, now).await?;
    jobs::finish(store, &claim, now, &report.summary()).await?;
    print(&report, false);
    Ok(())
}
