//! The day's retention run: erases what is due, once a day, retried after a
//! failure (a busy database, a restart in the middle) instead of waiting for
//! the next day.

use crate::AppState;
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::Date;
use relais_store::jobs::{self, Claimed};
use relais_store::privacy::retention;
use relais_store::{Actor, StoreError};

/// What one look at the day's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, running elsewhere, waiting for its retry, or abandoned.
    NotNow(RunState),
    /// This attempt erased what was due; the report's summary.
    Done(String),
    /// This attempt failed and was recorded.
    Failed { attempt: u32, next: AfterFailure },
}

/// Runs today's retention if it is due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let policy = RetryPolicy::STANDARD;
    let now = state.clock.now();
    // The run is keyed by the UTC day, as `retention_hour_utc` is a UTC hour.
    let day = Date::utc(now).to_string();
    let claim = match jobs::claim(&state.store, retention::JOB, &day, now, &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => return Ok(Outcome::NotNow(state)),
    };
    let retention = state.settings.retention;
    match retention::run(&state.store, Actor::system(), "job-retention", &retention, now).await {
        Ok(report) => {
            let summary = report.summary();
            jobs::finish(&state.store, &claim, state.clock.now(), &summary).await?;
            Ok(Outcome::Done(summary))
        }
        Err(error) => {
            // Counts and identifiers only reach the log, never content.
            tracing::warn!(%error, "retention attempt failed");
            let next = jobs::fail(&state.store, &claim, state.clock.now(), "retention failed", &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
            })
        }
    }
}
