//! The day's refresh of the observatory's NRM source (issue 14, part 4):
//! the referrals written as pseudonymised records and imported as the
//! source's next version when they changed, once a day, retried after a
//! failure, one process of several doing it.

use crate::AppState;
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::{Date, Zone};
use relais_observatory::nrm::{self, Refreshed};
use relais_observatory::sources::ImportError;
use relais_store::jobs::{self, Claimed};
use relais_store::{Actor, StoreError};

pub const JOB: &str = "observatory-nrm";

/// What one look at the day's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, running elsewhere, waiting for its retry, or abandoned.
    NotNow(RunState),
    Done(Refreshed),
    /// This attempt failed and was recorded.
    Failed {
        attempt: u32,
        next: AfterFailure,
    },
}

/// Refreshes the source if today's run is due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let policy = RetryPolicy::STANDARD;
    let now = state.clock.now();
    let today = Date::local(now, &Zone::paris());
    let claim = match jobs::claim(&state.store, JOB, &today.to_string(), now, &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => return Ok(Outcome::NotNow(state)),
    };
    match refresh(state).await {
        Ok(done) => {
            let summary = match done {
                Refreshed::Imported { number, rows } => format!("version {number}, {rows} rows"),
                Refreshed::Unchanged => "unchanged".to_owned(),
            };
            jobs::finish(&state.store, &claim, state.clock.now(), &summary).await?;
            Ok(Outcome::Done(done))
        }
        Err(error) => {
            // The error names a kind, never a value of a row.
            tracing::warn!(%error, "observatory NRM refresh attempt failed");
            let next = jobs::fail(&state.store, &claim, state.clock.now(), "refresh failed", &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
            })
        }
    }
}

/// The refresh itself, in one transaction (committed even when nothing
/// changed: the read of the referrals is audited).
pub async fn refresh(state: &AppState) -> Result<Refreshed, ImportError> {
    let mut tx = state
        .store
        .begin(Actor::system(), "job-observatory-nrm", state.clock.now())
        .await?;
    let done = nrm::refresh(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}
