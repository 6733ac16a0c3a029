//! A job run once a day by whichever process gets there first: claimed in
//! the database for its day, finished with a summary, or recorded as failed
//! and tried again when the retry policy says (docs/adr/0023-job-retries.md).

use crate::AppState;
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_store::StoreError;
use relais_store::jobs::{self, Claimed};

/// What one look at a day's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    /// Done, running elsewhere, waiting for its retry, or abandoned.
    NotNow(RunState),
    /// This attempt did the work.
    Done(T),
    /// This attempt failed and was recorded.
    Failed { attempt: u32, next: AfterFailure },
}

/// Runs `work` for `day` if its run is due; `summary` says what it did in
/// the job's record (counts, never content). A failure reaches the log by
/// its kind only.
pub async fn run<T, E, Work>(
    state: &AppState,
    job: &'static str,
    day: &str,
    work: impl FnOnce() -> Work,
    summary: impl FnOnce(&T) -> String,
) -> Result<Outcome<T>, StoreError>
where
    Work: Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let policy = RetryPolicy::STANDARD;
    let claim = match jobs::claim(&state.store, job, day, state.clock.now(), &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => return Ok(Outcome::NotNow(state)),
    };
    match work().await {
        Ok(done) => {
            jobs::finish(&state.store, &claim, state.clock.now(), &summary(&done)).await?;
            Ok(Outcome::Done(done))
        }
        Err(error) => {
            tracing::warn!(job, %error, "daily job attempt failed");
            let next = jobs::fail(&state.store, &claim, state.clock.now(), "attempt failed", &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
            })
        }
    }
}
