//! The observatory's estimates with the methods side by side (issue 19, part 3; ADR 0053). An
//! estimate is queued with its settings, where its table came from and the table itself sealed
//! with the field key (its cells of one or two persons are confidential); a serving process
//! claims it through the observatory's queue (`super::work`), like a linkage run.

use super::work::{self, Claim, Queue};
use crate::audit::{Action, Object};
use crate::{Result, Store, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::work::RunState;
use zeroize::Zeroizing;

pub use super::work::{End, Run};

/// Estimates in the observatory's queue.
pub const QUEUE: Queue = Queue {
    table: "observatory_estimates",
    object: Object::ObservatoryEstimate,
    claim: Action::ObservatoryEstimateClaim,
    end: Action::ObservatoryEstimateEnd,
};

/// An estimate to queue.
#[derive(Debug, Clone, Copy)]
pub struct NewEstimate<'a> {
    pub title: &'a str,
    pub settings_json: &'a str,
    /// Where the table came from.
    pub inputs_json: &'a str,
    /// The table, in the command line's CSV format.
    pub table_csv: &'a str,
}

/// An estimate this process took, with its table unsealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub claim: Claim,
    pub table_csv: Zeroizing<Vec<u8>>,
}

fn table_context(id: &str) -> String {
    format!("estimate-table:{id}")
}

/// Queues an estimate; its id.
pub async fn create(tx: &mut Tx, _can: &Capability<ManageObservatory>, new: &NewEstimate<'_>) -> Result<String> {
    let id = crate::record_id_hex();
    let sealed = tx.keys().encrypt(new.table_csv.as_bytes(), &table_context(&id))?;
    sqlx::query(
        "INSERT INTO observatory_estimates (id, title, state, progress, settings, inputs, sealed_table, created_at, created_by) \
         VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(new.title)
    .bind(RunState::Queued.key())
    .bind(new.settings_json)
    .bind(new.inputs_json)
    .bind(sealed)
    .bind(tx.now().0)
    .bind(super::user(tx))
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::ObservatoryEstimateCreate,
        Object::ObservatoryEstimate,
        Some(&id),
        None,
    )
    .await?;
    Ok(id)
}

/// The latest estimates, newest first.
pub async fn estimates(tx: &mut Tx, _can: &Capability<ManageObservatory>, limit: u32) -> Result<Vec<Run>> {
    let runs = work::latest(tx, QUEUE, limit).await?;
    tx.audit(
        Action::ObservatoryEstimatesRead,
        Object::ObservatoryEstimate,
        None,
        None,
    )
    .await?;
    Ok(runs)
}

/// One estimate with its outcome.
pub async fn estimate(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<Run> {
    let run = work::one(tx, QUEUE, id).await?;
    tx.audit(
        Action::ObservatoryEstimateRead,
        Object::ObservatoryEstimate,
        Some(id),
        None,
    )
    .await?;
    Ok(run)
}

/// Where an estimate stands and how far it got: bookkeeping read for the progress bar.
pub async fn progress(store: &Store, _can: &Capability<ManageObservatory>, id: &str) -> Result<(RunState, u8)> {
    work::progress(store, QUEUE, id).await
}

/// Takes the oldest queued estimate, or a running one whose process stopped giving signs of
/// life, with its table unsealed; `tx` is the job's, so the read of the table is audited.
pub async fn claim_next(tx: &mut Tx) -> Result<Option<Claimed>> {
    let Some(claim) = work::claim_next(tx, QUEUE).await? else {
        return Ok(None);
    };
    let (sealed,): (String,) = sqlx::query_as("SELECT sealed_table FROM observatory_estimates WHERE id = $1")
        .bind(&claim.id)
        .fetch_one(tx.conn())
        .await?;
    let table_csv = tx.keys().decrypt(&sealed, &table_context(&claim.id))?;
    tx.audit(QUEUE.claim, QUEUE.object, Some(&claim.id), None).await?;
    Ok(Some(Claimed { claim, table_csv }))
}

/// Ends the claimed estimate; `false` when another process took it over.
pub async fn end(tx: &mut Tx, claimed: &Claimed, end: End<'_>) -> Result<bool> {
    work::end(tx, QUEUE, &claimed.claim, end).await
}
