//! Scheduled runs in the database (`job_runs`), so that of several processes
//! one does each run, a failed run is attempted again once its retry is due
//! (by whichever process looks first) and a run that succeeded is never
//! done twice. When a run is due is the domain's rule
//! ([`relais_domain::jobs::RetryPolicy`]); here the state is read, the rule
//! applied, and the claim taken by a conditional update on what was read.
//!
//! The rows hold job names, run keys, counts and error summaries — never
//! personal data — so they are bookkeeping outside the audit chain; the
//! work a run does is audited where it reads or writes.

use crate::{Result, Store, StoreError};
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::Timestamp;

/// A run this process claimed: report its end with [`finish`] or [`fail`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    job: String,
    run_key: String,
    attempt: u32,
}

impl Claim {
    /// 1 for the first attempt, 2 for the first retry…
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// The answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// This process does the run.
    Yes(Claim),
    /// Not now: the run is done, running elsewhere, waiting for its retry or abandoned.
    No(RunState),
}

/// A run as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    pub state: RunState,
    pub attempts: u32,
    pub outcome: Option<String>,
    pub last_error: Option<String>,
}

/// Claims the run `run_key` of `job` (e.g. the digest of one day) if it was
/// never claimed, or if `policy` says its earlier attempt may be retried now.
pub async fn claim(store: &Store, job: &str, run_key: &str, now: Timestamp, policy: &RetryPolicy) -> Result<Claimed> {
    let inserted = sqlx::query(
        "INSERT INTO job_runs (job, run_key, claimed_at, state, attempts) VALUES ($1, $2, $3, 'running', 1)",
    )
    .bind(job.to_owned())
    .bind(run_key.to_owned())
    .bind(now.0)
    .execute(store.pool())
    .await
    .map_err(|e| StoreError::on_unique(e, "job run already claimed"));
    match inserted {
        Ok(_) => {
            return Ok(Claimed::Yes(Claim {
                job: job.to_owned(),
                run_key: run_key.to_owned(),
                attempt: 1,
            }));
        }
        Err(StoreError::Conflict(_)) => {}
        Err(other) => return Err(other),
    }
    let (state, claimed_at, attempts) = read_state(store, job, run_key).await?;
    if !policy.is_due(state, now) {
        return Ok(Claimed::No(state));
    }
    // Taken only if nobody changed the row since it was read.
    let taken = sqlx::query(
        "UPDATE job_runs SET state = 'running', claimed_at = $1, attempts = attempts + 1, next_attempt_at = NULL \
         WHERE job = $2 AND run_key = $3 AND state = $4 AND attempts = $5 AND claimed_at = $6",
    )
    .bind(now.0)
    .bind(job.to_owned())
    .bind(run_key.to_owned())
    .bind(state.key())
    .bind(i64::from(attempts))
    .bind(claimed_at.0)
    .execute(store.pool())
    .await?;
    if taken.rows_affected() == 1 {
        Ok(Claimed::Yes(Claim {
            job: job.to_owned(),
            run_key: run_key.to_owned(),
            attempt: attempts.saturating_add(1),
        }))
    } else {
        Ok(Claimed::No(read_state(store, job, run_key).await?.0))
    }
}

/// Records that a claimed run succeeded (counts only, never personal data):
/// it will never be claimed again.
pub async fn finish(store: &Store, claim: &Claim, now: Timestamp, outcome: &str) -> Result<()> {
    sqlx::query(
        "UPDATE job_runs SET state = 'done', finished_at = $1, outcome = $2, next_attempt_at = NULL \
         WHERE job = $3 AND run_key = $4",
    )
    .bind(now.0)
    .bind(outcome.to_owned())
    .bind(claim.job.clone())
    .bind(claim.run_key.clone())
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Records that a claimed attempt failed with `error` (a status, never
/// personal data) and when, by `policy`, the run may be attempted again.
/// An attempt overtaken by a later claim (its process was presumed dead)
/// leaves the record to that claim.
pub async fn fail(
    store: &Store,
    claim: &Claim,
    now: Timestamp,
    error: &str,
    policy: &RetryPolicy,
) -> Result<AfterFailure> {
    let next = policy.after_failure(claim.attempt, now);
    let (state, next_attempt_at) = match next {
        AfterFailure::RetryAt(at) => ("failed", Some(at.0)),
        AfterFailure::GiveUp => ("abandoned", None),
    };
    sqlx::query(
        "UPDATE job_runs SET state = $1, next_attempt_at = $2, last_error = $3 \
         WHERE job = $4 AND run_key = $5 AND state = 'running' AND attempts = $6",
    )
    .bind(state)
    .bind(next_attempt_at)
    .bind(error.to_owned())
    .bind(claim.job.clone())
    .bind(claim.run_key.clone())
    .bind(i64::from(claim.attempt))
    .execute(store.pool())
    .await?;
    Ok(next)
}

/// state, claimed_at, next_attempt_at, attempts, outcome, last_error
type RunRow = (String, i64, Option<i64>, i64, Option<String>, Option<String>);

/// The record of one run, if it was ever claimed.
pub async fn get(store: &Store, job: &str, run_key: &str) -> Result<Option<RunRecord>> {
    let row: Option<RunRow> = sqlx::query_as(
        "SELECT state, claimed_at, next_attempt_at, attempts, outcome, last_error FROM job_runs \
         WHERE job = $1 AND run_key = $2",
    )
    .bind(job.to_owned())
    .bind(run_key.to_owned())
    .fetch_optional(store.pool())
    .await?;
    row.map(|(state, claimed_at, next_attempt_at, attempts, outcome, last_error)| {
        Ok(RunRecord {
            state: state_of(&state, claimed_at, next_attempt_at)?,
            attempts: attempts_of(attempts)?,
            outcome,
            last_error,
        })
    })
    .transpose()
}

async fn read_state(store: &Store, job: &str, run_key: &str) -> Result<(RunState, Timestamp, u32)> {
    let (state, claimed_at, next_attempt_at, attempts): (String, i64, Option<i64>, i64) = sqlx::query_as(
        "SELECT state, claimed_at, next_attempt_at, attempts FROM job_runs WHERE job = $1 AND run_key = $2",
    )
    .bind(job.to_owned())
    .bind(run_key.to_owned())
    .fetch_one(store.pool())
    .await?;
    Ok((
        state_of(&state, claimed_at, next_attempt_at)?,
        Timestamp(claimed_at),
        attempts_of(attempts)?,
    ))
}

fn state_of(state: &str, claimed_at: i64, next_attempt_at: Option<i64>) -> Result<RunState> {
    RunState::from_columns(state, Timestamp(claimed_at), next_attempt_at.map(Timestamp))
        .ok_or(StoreError::Corrupt("job_runs.state"))
}

fn attempts_of(attempts: i64) -> Result<u32> {
    u32::try_from(attempts).map_err(|_| StoreError::Corrupt("job_runs.attempts"))
}

/// When the latest finished run of `job` finished, and its outcome.
pub async fn last_finished(store: &Store, job: &str) -> Result<Option<(Timestamp, Option<String>)>> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT finished_at, outcome FROM job_runs WHERE job = $1 AND state = 'done' \
         AND finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(job.to_owned())
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|(at, outcome)| (Timestamp(at), outcome)))
}
