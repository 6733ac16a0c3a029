//! The queue the observatory's long work waits in (ADR 0053): linkage runs and estimates share
//! their columns for the state, the progress, the heartbeat and the attempts, and this one
//! mechanism claims them (a conditional update, so one process of several), records the
//! progress and ends them. A run whose process stopped giving signs of life for
//! `ABANDONED_AFTER_SECONDS` is taken over by another. The progress itself is bookkeeping
//! outside the audit chain, like `job_runs`: it says nothing about a person; the claim and the
//! end are audited by the caller's transaction.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::observatory::work::{ABANDONED_AFTER_SECONDS, Event, RunState};
use relais_domain::time::Timestamp;

/// One kind of work: its table and how its claim and end are audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queue {
    /// A constant table name, never typed by anyone.
    pub table: &'static str,
    pub object: Object,
    pub claim: Action,
    pub end: Action,
}

/// A run this process took: only it may report on it, until another takes it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub(crate) attempt: i64,
    pub settings_json: String,
    pub inputs_json: String,
}

/// A run of work as listed and shown; `outcome_json` once done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub id: String,
    pub title: String,
    pub state: RunState,
    pub progress: u8,
    pub settings_json: String,
    pub inputs_json: String,
    pub outcome_json: Option<String>,
    pub failure: Option<String>,
    pub created_at: Timestamp,
    pub created_by: Option<String>,
    pub finished_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    title: String,
    state: String,
    progress: i64,
    settings: String,
    inputs: String,
    outcome: Option<String>,
    failure: Option<String>,
    created_at: i64,
    created_by: Option<String>,
    finished_at: Option<i64>,
}

const COLUMNS: &str = "r.id, r.title, r.state, r.progress, r.settings, r.inputs, r.outcome, r.failure, r.created_at, \
     u.display_name AS created_by, r.finished_at";

fn from_row(row: RunRow) -> Result<Run> {
    Ok(Run {
        id: row.id,
        title: row.title,
        state: RunState::parse(&row.state).ok_or(StoreError::Corrupt("run state"))?,
        progress: percent(row.progress),
        settings_json: row.settings,
        inputs_json: row.inputs,
        outcome_json: row.outcome,
        failure: row.failure,
        created_at: Timestamp(row.created_at),
        created_by: row.created_by,
        finished_at: row.finished_at.map(Timestamp),
    })
}

/// The latest runs of `queue`, newest first (the caller audits the read).
pub(crate) async fn latest(tx: &mut Tx, queue: Queue, limit: u32) -> Result<Vec<Run>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {} r LEFT JOIN users u ON u.id = r.created_by \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $1",
        queue.table
    ))
    .bind(i64::from(limit))
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// One run of `queue` with its outcome (the caller audits the read).
pub(crate) async fn one(tx: &mut Tx, queue: Queue, id: &str) -> Result<Run> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM {} r LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1",
        queue.table
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    from_row(row.ok_or(StoreError::NotFound)?)
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End<'a> {
    Done { outcome_json: &'a str },
    Failed { reason: &'a str },
}

fn state(key: &str) -> Result<RunState> {
    RunState::parse(key).ok_or(StoreError::Corrupt("run state"))
}

pub(crate) fn percent(progress: i64) -> u8 {
    u8::try_from(progress.clamp(0, 100)).unwrap_or(0)
}

/// Takes the oldest queued run of `queue`, or a running one whose process stopped giving signs
/// of life; `None` when there is nothing to do or another process was faster. The caller reads
/// what the work needs in the same transaction and audits it with `queue.claim`.
pub(crate) async fn claim_next(tx: &mut Tx, queue: Queue) -> Result<Option<Claim>> {
    let now = tx.now().0;
    let table = queue.table;
    let candidate: Option<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT id, state, attempts FROM {table} \
         WHERE state = $1 OR (state = $2 AND heartbeat_at <= $3) ORDER BY created_at, id LIMIT 1"
    ))
    .bind(RunState::Queued.key())
    .bind(RunState::Running.key())
    .bind(now - ABANDONED_AFTER_SECONDS)
    .fetch_optional(tx.conn())
    .await?;
    let Some((id, from, attempts)) = candidate else {
        return Ok(None);
    };
    let from = state(&from)?;
    let event = if from == RunState::Queued {
        Event::Claim
    } else {
        Event::TakeOver
    };
    let to = from
        .after(event)
        .ok_or(StoreError::Conflict("the run cannot be taken"))?;
    // Taken only if nobody took it since it was read.
    let taken = sqlx::query(&format!(
        "UPDATE {table} SET state = $1, attempts = attempts + 1, heartbeat_at = $2 \
         WHERE id = $3 AND state = $4 AND attempts = $5"
    ))
    .bind(to.key())
    .bind(now)
    .bind(&id)
    .bind(from.key())
    .bind(attempts)
    .execute(tx.conn())
    .await?;
    if taken.rows_affected() == 0 {
        return Ok(None);
    }
    let (settings_json, inputs_json): (String, String) =
        sqlx::query_as(&format!("SELECT settings, inputs FROM {table} WHERE id = $1"))
            .bind(&id)
            .fetch_one(tx.conn())
            .await?;
    Ok(Some(Claim {
        id,
        attempt: attempts + 1,
        settings_json,
        inputs_json,
    }))
}

/// Where a run stands and how far it got: bookkeeping read for the progress bar.
pub(crate) async fn progress(store: &Store, queue: Queue, id: &str) -> Result<(RunState, u8)> {
    let row: Option<(String, i64)> =
        sqlx::query_as(&format!("SELECT state, progress FROM {} WHERE id = $1", queue.table))
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    let (run_state, progress) = row.ok_or(StoreError::NotFound)?;
    Ok((state(&run_state)?, percent(progress)))
}

/// Records how far the claimed run got; `false` when another process took it over.
pub async fn heartbeat(store: &Store, queue: Queue, claim: &Claim, progress: u8, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET progress = $1, heartbeat_at = $2 WHERE id = $3 AND state = $4 AND attempts = $5",
        queue.table
    ))
    .bind(i64::from(progress.min(100)))
    .bind(now.0)
    .bind(&claim.id)
    .bind(RunState::Running.key())
    .bind(claim.attempt)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends the claimed run, audited as `queue.end`; `false` when another process took it over
/// (its end is then that process's to record, and nothing is written).
pub(crate) async fn end(tx: &mut Tx, queue: Queue, claim: &Claim, end: End<'_>) -> Result<bool> {
    let (event, outcome, failure) = match end {
        End::Done { outcome_json } => (Event::Finish, Some(outcome_json), None),
        End::Failed { reason } => (Event::Fail, None, Some(reason)),
    };
    let to = RunState::Running
        .after(event)
        .ok_or(StoreError::Conflict("the run cannot end so"))?;
    let ended = sqlx::query(&format!(
        "UPDATE {} SET state = $1, progress = $2, outcome = $3, failure = $4, finished_at = $5 \
         WHERE id = $6 AND state = $7 AND attempts = $8",
        queue.table
    ))
    .bind(to.key())
    .bind(if to == RunState::Done { 100i64 } else { 0 })
    .bind(outcome)
    .bind(failure)
    .bind(tx.now().0)
    .bind(&claim.id)
    .bind(RunState::Running.key())
    .bind(claim.attempt)
    .execute(tx.conn())
    .await?;
    if ended.rows_affected() == 0 {
        return Ok(false);
    }
    tx.audit(queue.end, queue.object, Some(&claim.id), Some(to.key()))
        .await?;
    Ok(true)
}
