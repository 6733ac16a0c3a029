//! The estimates with the methods side by side the analysts queued (issue 19, part 3): a
//! serving process claims the oldest in the database, runs the three methods on a blocking
//! thread while writing its progress (`super::work`), and ends the estimate with the
//! comparison or why it failed.

use crate::AppState;
use relais_stats::{CompareOptions, Comparison, Dataset, compare};
use relais_store::observatory::estimates::{self as store, Claimed, End, QUEUE};
use relais_store::{Actor, StoreError};

/// What one look for work did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was waiting (or another process took it first).
    Idle,
    Done,
    Failed,
    /// Another process took the estimate over before this one ended it.
    TakenOver,
}

/// Claims the oldest waiting estimate, if any, and does it.
pub async fn run_next(state: &AppState) -> Result<Outcome, StoreError> {
    let mut tx = state
        .store
        .begin(Actor::system(), "job-estimate", state.clock.now())
        .await?;
    // Nothing read, nothing to audit: a look that finds no estimate is rolled back.
    let Some(claimed) = store::claim_next(&mut tx).await? else {
        return Ok(Outcome::Idle);
    };
    tx.commit().await?;
    let result = work(state, &claimed).await;
    let json;
    let end = match &result {
        Ok(comparison) => {
            json = serde_json::to_string(comparison).map_err(|_| StoreError::Corrupt("estimate outcome"))?;
            End::Done { outcome_json: &json }
        }
        Err(reason) => End::Failed { reason },
    };
    let mut tx = state
        .store
        .begin(Actor::system(), "job-estimate", state.clock.now())
        .await?;
    let ended = store::end(&mut tx, &claimed, end).await?;
    // An estimate another process took over is that process's to end: nothing was written.
    if ended {
        tx.commit().await?;
    }
    Ok(match (ended, end) {
        (false, _) => Outcome::TakenOver,
        (true, End::Done { .. }) => Outcome::Done,
        (true, End::Failed { .. }) => Outcome::Failed,
    })
}

/// The comparison, or why it failed in words without personal data (stored on the estimate).
async fn work(state: &AppState, claimed: &Claimed) -> Result<Comparison, String> {
    let options: CompareOptions =
        serde_json::from_str(&claimed.claim.settings_json).map_err(|_| "the stored settings could not be read")?;
    let text = String::from_utf8(claimed.table_csv.to_vec()).map_err(|_| "the stored table could not be read")?;
    // The table was checked when queued; its errors name lines and lists, never a person.
    let table = Dataset::from_csv(&text).map_err(|e| e.to_string())?;
    super::work::with_heartbeat(state, QUEUE, &claimed.claim, move |progress| {
        compare(&table.dataset, &options, progress).map_err(|e| e.to_string())
    })
    .await
}
