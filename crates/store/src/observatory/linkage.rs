//! The observatory's linkage runs (issue 15, part 4; ADR 0050). A run is queued with its
//! settings, its inputs' checksums and the encoded files sealed with the field key; a
//! serving process claims it (a conditional update, so one process of several), reports its
//! progress, and ends it with its outcome or the reason it failed, erasing the files. The
//! progress itself (state and percentage) is bookkeeping outside the audit chain, like
//! `job_runs`: it says nothing about a person.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::linkage::{ABANDONED_AFTER_SECONDS, Event, RunState};
use relais_domain::time::Timestamp;
use zeroize::Zeroizing;

/// A run as listed and shown; `outcome_json` once done.
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

/// A run to queue: the JSON of its settings and inputs (checksums), and the files themselves.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    pub title: &'a str,
    pub settings_json: &'a str,
    pub inputs_json: &'a str,
    pub files: &'a [Vec<u8>],
}

/// A run this process took: only it may report on it, until another takes it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: String,
    attempt: i64,
    pub settings_json: String,
    pub inputs_json: String,
    pub files: Vec<Zeroizing<Vec<u8>>>,
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
        state: RunState::parse(&row.state).ok_or(StoreError::Corrupt("linkage run state"))?,
        progress: u8::try_from(row.progress.clamp(0, 100)).map_err(|_| StoreError::Corrupt("linkage run progress"))?,
        settings_json: row.settings,
        inputs_json: row.inputs,
        outcome_json: row.outcome,
        failure: row.failure,
        created_at: Timestamp(row.created_at),
        created_by: row.created_by,
        finished_at: row.finished_at.map(Timestamp),
    })
}

fn input_context(run: &str, position: usize) -> String {
    format!("linkage-input:{run}:{position}")
}

/// Queues a run; its id.
pub async fn create(tx: &mut Tx, _can: &Capability<ManageObservatory>, new: &NewRun<'_>) -> Result<String> {
    let id = hex::encode(crate::random_bytes::<16>());
    sqlx::query(
        "INSERT INTO observatory_linkage_runs (id, title, state, progress, settings, inputs, created_at, created_by) \
         VALUES ($1, $2, $3, 0, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(new.title)
    .bind(RunState::Queued.key())
    .bind(new.settings_json)
    .bind(new.inputs_json)
    .bind(tx.now().0)
    .bind(super::user(tx))
    .execute(tx.conn())
    .await?;
    for (position, file) in new.files.iter().enumerate() {
        let sealed = tx.keys().encrypt(file, &input_context(&id, position))?;
        sqlx::query("INSERT INTO observatory_linkage_inputs (run_id, position, sealed) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(i64::try_from(position).map_err(|_| StoreError::Conflict("too many files"))?)
            .bind(sealed)
            .execute(tx.conn())
            .await?;
    }
    tx.audit(
        Action::ObservatoryLinkageCreate,
        Object::ObservatoryLinkageRun,
        Some(&id),
        None,
    )
    .await?;
    Ok(id)
}

/// The latest runs, newest first.
pub async fn runs(tx: &mut Tx, _can: &Capability<ManageObservatory>, limit: u32) -> Result<Vec<Run>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM observatory_linkage_runs r LEFT JOIN users u ON u.id = r.created_by \
         ORDER BY r.created_at DESC, r.id DESC LIMIT $1"
    ))
    .bind(i64::from(limit))
    .fetch_all(tx.conn())
    .await?;
    tx.audit(
        Action::ObservatoryLinkageRunsRead,
        Object::ObservatoryLinkageRun,
        None,
        None,
    )
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// One run with its outcome.
pub async fn run(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<Run> {
    let row: Option<RunRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM observatory_linkage_runs r LEFT JOIN users u ON u.id = r.created_by WHERE r.id = $1"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    let run = from_row(row.ok_or(StoreError::NotFound)?)?;
    tx.audit(
        Action::ObservatoryLinkageRead,
        Object::ObservatoryLinkageRun,
        Some(id),
        None,
    )
    .await?;
    Ok(run)
}

/// Where a run stands and how far it got: bookkeeping read for the progress bar.
pub async fn progress(store: &Store, _can: &Capability<ManageObservatory>, id: &str) -> Result<(RunState, u8)> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT state, progress FROM observatory_linkage_runs WHERE id = $1")
            .bind(id)
            .fetch_optional(store.pool())
            .await?;
    let (state, progress) = row.ok_or(StoreError::NotFound)?;
    let state = RunState::parse(&state).ok_or(StoreError::Corrupt("linkage run state"))?;
    Ok((state, u8::try_from(progress.clamp(0, 100)).unwrap_or(0)))
}

/// Takes the oldest queued run, or a running one whose process stopped giving signs of life,
/// with its files unsealed; `None` when there is nothing to do or another process was faster.
/// `tx` is the job's (actor: the system), so the read of the files is audited.
pub async fn claim_next(tx: &mut Tx) -> Result<Option<Claimed>> {
    let now = tx.now().0;
    let candidate: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, state, attempts, heartbeat_at FROM observatory_linkage_runs \
         WHERE state = $1 OR (state = $2 AND heartbeat_at <= $3) ORDER BY created_at, id LIMIT 1",
    )
    .bind(RunState::Queued.key())
    .bind(RunState::Running.key())
    .bind(now - ABANDONED_AFTER_SECONDS)
    .fetch_optional(tx.conn())
    .await?;
    let Some((id, state, attempts, _)) = candidate else {
        return Ok(None);
    };
    let from = RunState::parse(&state).ok_or(StoreError::Corrupt("linkage run state"))?;
    let event = if from == RunState::Queued {
        Event::Claim
    } else {
        Event::TakeOver
    };
    let to = from
        .after(event)
        .ok_or(StoreError::Conflict("the run cannot be taken"))?;
    // Taken only if nobody took it since it was read.
    let taken = sqlx::query(
        "UPDATE observatory_linkage_runs SET state = $1, attempts = attempts + 1, heartbeat_at = $2 \
         WHERE id = $3 AND state = $4 AND attempts = $5",
    )
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
        sqlx::query_as("SELECT settings, inputs FROM observatory_linkage_runs WHERE id = $1")
            .bind(&id)
            .fetch_one(tx.conn())
            .await?;
    let sealed: Vec<(i64, String)> =
        sqlx::query_as("SELECT position, sealed FROM observatory_linkage_inputs WHERE run_id = $1 ORDER BY position")
            .bind(&id)
            .fetch_all(tx.conn())
            .await?;
    let mut files = Vec::new();
    for (position, sealed) in sealed {
        let position = usize::try_from(position).map_err(|_| StoreError::Corrupt("linkage input position"))?;
        files.push(tx.keys().decrypt(&sealed, &input_context(&id, position))?);
    }
    tx.audit(
        Action::ObservatoryLinkageClaim,
        Object::ObservatoryLinkageRun,
        Some(&id),
        None,
    )
    .await?;
    Ok(Some(Claimed {
        id,
        attempt: attempts + 1,
        settings_json,
        inputs_json,
        files,
    }))
}

/// Records how far the claimed run got; `false` when another process took it over.
pub async fn heartbeat(store: &Store, claimed: &Claimed, progress: u8, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE observatory_linkage_runs SET progress = $1, heartbeat_at = $2 WHERE id = $3 AND state = $4 AND attempts = $5",
    )
    .bind(i64::from(progress.min(100)))
    .bind(now.0)
    .bind(&claimed.id)
    .bind(RunState::Running.key())
    .bind(claimed.attempt)
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End<'a> {
    Done { outcome_json: &'a str },
    Failed { reason: &'a str },
}

/// Ends the claimed run and erases its files; `false` when another process took it over
/// (its end is then that process's to record).
pub async fn end(tx: &mut Tx, claimed: &Claimed, end: End<'_>) -> Result<bool> {
    let (event, outcome, failure) = match end {
        End::Done { outcome_json } => (Event::Finish, Some(outcome_json), None),
        End::Failed { reason } => (Event::Fail, None, Some(reason)),
    };
    let to = RunState::Running
        .after(event)
        .ok_or(StoreError::Conflict("the run cannot end so"))?;
    let ended = sqlx::query(
        "UPDATE observatory_linkage_runs SET state = $1, progress = $2, outcome = $3, failure = $4, finished_at = $5 \
         WHERE id = $6 AND state = $7 AND attempts = $8",
    )
    .bind(to.key())
    .bind(if to == RunState::Done { 100i64 } else { 0 })
    .bind(outcome)
    .bind(failure)
    .bind(tx.now().0)
    .bind(&claimed.id)
    .bind(RunState::Running.key())
    .bind(claimed.attempt)
    .execute(tx.conn())
    .await?;
    if ended.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM observatory_linkage_inputs WHERE run_id = $1")
        .bind(&claimed.id)
        .execute(tx.conn())
        .await?;
    tx.audit(
        Action::ObservatoryLinkageEnd,
        Object::ObservatoryLinkageRun,
        Some(&claimed.id),
        Some(to.key()),
    )
    .await?;
    Ok(true)
}
