//! The linkage runs the analysts queued (issue 15, part 4): a serving process claims the
//! oldest in the database, links and estimates on a blocking thread while writing its
//! progress (`super::work`), and ends the run with its outcome or why it failed.

use crate::AppState;
use relais_observatory::linkage::{self, Input, Settings, files};
use relais_store::observatory::linkage::{self as store, Claimed, End, QUEUE};
use relais_store::{Actor, StoreError};

/// What one look for work did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was waiting (or another process took it first).
    Idle,
    Done,
    Failed,
    /// Another process took the run over before this one ended it.
    TakenOver,
}

/// Claims the oldest waiting run, if any, and does it.
pub async fn run_next(state: &AppState) -> Result<Outcome, StoreError> {
    let mut tx = state
        .store
        .begin(Actor::system(), "job-linkage", state.clock.now())
        .await?;
    // Nothing read, nothing to audit: a look that finds no run is rolled back.
    let Some(claimed) = store::claim_next(&mut tx).await? else {
        return Ok(Outcome::Idle);
    };
    tx.commit().await?;
    let result = work(state, &claimed).await;
    let json;
    let end = match &result {
        Ok(outcome) => {
            json = serde_json::to_string(outcome).map_err(|_| StoreError::Corrupt("linkage outcome"))?;
            // A figure that is not finite is written as null and could not be read back.
            if serde_json::from_str::<linkage::Outcome>(&json).is_ok() {
                End::Done { outcome_json: &json }
            } else {
                End::Failed {
                    reason: "the estimate is not a finite number: the sources overlap too little",
                }
            }
        }
        Err(reason) => End::Failed { reason },
    };
    let mut tx = state
        .store
        .begin(Actor::system(), "job-linkage", state.clock.now())
        .await?;
    let ended = store::end(&mut tx, &claimed, end).await?;
    // A run another process took over is that process's to end: nothing was written.
    if ended {
        tx.commit().await?;
    }
    Ok(match (ended, end) {
        (false, _) => Outcome::TakenOver,
        (true, End::Done { .. }) => Outcome::Done,
        (true, End::Failed { .. }) => Outcome::Failed,
    })
}

/// The run itself, or why it failed in words without personal data (stored on the run).
async fn work(state: &AppState, claimed: &Claimed) -> Result<linkage::Outcome, String> {
    let settings: Settings = serde_json::from_str(&claimed.claim.settings_json).map_err(|_| unreadable())?;
    let inputs: Vec<Input> = serde_json::from_str(&claimed.claim.inputs_json).map_err(|_| unreadable())?;
    let names: Vec<String> = inputs.into_iter().map(|i| i.name).collect();
    let mut parsed = Vec::new();
    for (position, bytes) in claimed.files.iter().enumerate() {
        parsed.push(files::read(position, bytes).map_err(|p| p.to_string())?);
    }
    let sources = files::sources(&names, &parsed).map_err(|p| p.to_string())?;
    super::work::with_heartbeat(state, QUEUE, &claimed.claim, move |progress| {
        // The estimation's errors name lists and models, never a person.
        linkage::run(&sources, &settings, progress)
            .map(|(outcome, _)| outcome)
            .map_err(|error| error.to_string())
    })
    .await
}

fn unreadable() -> String {
    "the run's stored settings could not be read".to_owned()
}
