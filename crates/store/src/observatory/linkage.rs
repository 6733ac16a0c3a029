//! The observatory's linkage runs (issue 15, part 4; ADR 0050). A run is queued with its
//! settings, its inputs' checksums and the encoded files sealed with the field key; a
//! serving process claims it through the observatory's queue (`super::work`, ADR 0053),
//! reports its progress, and ends it with its outcome or the reason it failed, erasing the
//! files.

pub use super::work::Run;
use super::work::{self, Claim, Queue};
use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::linkage::RunState;
use zeroize::Zeroizing;

pub use super::work::End;

/// Linkage runs in the observatory's queue.
pub const QUEUE: Queue = Queue {
    table: "observatory_linkage_runs",
    object: Object::ObservatoryLinkageRun,
    claim: Action::ObservatoryLinkageClaim,
    end: Action::ObservatoryLinkageEnd,
};

/// A run to queue: the JSON of its settings and inputs (checksums), and the files themselves.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    pub title: &'a str,
    pub settings_json: &'a str,
    pub inputs_json: &'a str,
    pub files: &'a [Vec<u8>],
}

/// A run this process took, with its files unsealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub claim: Claim,
    pub files: Vec<Zeroizing<Vec<u8>>>,
}

fn input_context(run: &str, position: usize) -> String {
    format!("linkage-input:{run}:{position}")
}

/// Queues a run; its id.
pub async fn create(tx: &mut Tx, _can: &Capability<ManageObservatory>, new: &NewRun<'_>) -> Result<String> {
    let id = crate::record_id_hex();
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
    let runs = work::latest(tx, QUEUE, limit).await?;
    tx.audit(
        Action::ObservatoryLinkageRunsRead,
        Object::ObservatoryLinkageRun,
        None,
        None,
    )
    .await?;
    Ok(runs)
}

/// One run with its outcome.
pub async fn run(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<Run> {
    let run = work::one(tx, QUEUE, id).await?;
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
    work::progress(store, QUEUE, id).await
}

/// Takes the oldest queued run, or a running one whose process stopped giving signs of life,
/// with its files unsealed; `None` when there is nothing to do or another process was faster.
/// `tx` is the job's (actor: the system), so the read of the files is audited.
pub async fn claim_next(tx: &mut Tx) -> Result<Option<Claimed>> {
    let Some(claim) = work::claim_next(tx, QUEUE).await? else {
        return Ok(None);
    };
    let sealed: Vec<(i64, String)> =
        sqlx::query_as("SELECT position, sealed FROM observatory_linkage_inputs WHERE run_id = $1 ORDER BY position")
            .bind(&claim.id)
            .fetch_all(tx.conn())
            .await?;
    let mut files = Vec::new();
    for (position, sealed) in sealed {
        let position = usize::try_from(position).map_err(|_| StoreError::Corrupt("linkage input position"))?;
        files.push(tx.keys().decrypt(&sealed, &input_context(&claim.id, position))?);
    }
    tx.audit(QUEUE.claim, QUEUE.object, Some(&claim.id), None).await?;
    Ok(Some(Claimed { claim, files }))
}

/// Ends the claimed run and erases its files; `false` when another process took it over
/// (its end is then that process's to record).
pub async fn end(tx: &mut Tx, claimed: &Claimed, end: End<'_>) -> Result<bool> {
    if !work::end(tx, QUEUE, &claimed.claim, end).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM observatory_linkage_inputs WHERE run_id = $1")
        .bind(&claimed.claim.id)
        .execute(tx.conn())
        .await?;
    Ok(true)
}
