//! The retention job and the outbox: `relais retention run [--dry-run]`
//! by hand, and in every `relais serve` process a daily retention run
//! (claimed in `job_runs`, so one process of several does it) and a
//! round of outbox e-mails every minute when SMTP is configured.

use relais_domain::privacy::retention::{RecordKind, RetentionPolicy};
use relais_domain::time::{Date, Timestamp};
use relais_store::{Actor, Store, jobs, privacy::retention};
use relais_web::digest::MailSettings;
use std::time::Duration;

/// How often a serving process checks whether today's retention run is due.
const CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// How often a serving process sends the outbox.
const OUTBOX_EVERY: Duration = Duration::from_secs(60);

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
    anyhow::ensure!(
        jobs::claim(store, retention::JOB, &run_key, now).await?,
        "a retention run started this very second; try again"
    );
    let report = retention::run(store, Actor::system(), "cli-retention-run", policy, now).await?;
    jobs::finish(store, retention::JOB, &run_key, now, &report.summary()).await?;
    print(&report, false);
    Ok(())
}

/// Once a day from `hour_utc`, the first process to claim the day erases what is due.
pub fn spawn_daily(state: relais_web::AppState, hour_utc: i64) {
    tokio::spawn(async move {
        loop {
            let now = state.clock.now();
            if now.0.rem_euclid(86_400) / 3600 >= hour_utc {
                // The run is keyed by the UTC day, as `retention_hour_utc` is a UTC hour.
                let day = Date::utc(now).to_string();
                let policy = state.settings.retention;
                match jobs::claim(&state.store, retention::JOB, &day, now).await {
                    Ok(true) => {
                        match retention::run(&state.store, Actor::system(), "job-retention", &policy, now).await {
                            Ok(report) => {
                                let summary = report.summary();
                                tracing::info!(%summary, "retention run");
                                if let Err(error) =
                                    jobs::finish(&state.store, retention::JOB, &day, state.clock.now(), &summary).await
                                {
                                    tracing::error!(%error, "retention run not recorded");
                                }
                            }
                            // Counts and identifiers only reach the log, never content.
                            Err(error) => tracing::error!(%error, "retention run failed"),
                        }
                    }
                    Ok(false) => {}
                    Err(error) => tracing::error!(%error, "retention run could not be claimed"),
                }
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Every minute, sends what the outbox holds.
pub fn spawn_outbox(state: relais_web::AppState, mail: MailSettings) {
    tokio::spawn(async move {
        loop {
            match relais_web::outbox::send_pending(&state.store, &mail, state.clock.now()).await {
                Ok(round) if round.sent + round.failed > 0 => {
                    tracing::info!(sent = round.sent, failed = round.failed, "outbox round");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox round failed"),
            }
            tokio::time::sleep(OUTBOX_EVERY).await;
        }
    });
}
