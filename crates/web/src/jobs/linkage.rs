//! The linkage runs the analysts queued (issue 15, part 4): a serving process claims the
//! oldest in the database, links and estimates on a blocking thread, writes its progress as
//! it goes (a sign of life: a run whose process stops is taken over after
//! `ABANDONED_AFTER_SECONDS`), and ends the run with its outcome or why it failed.

use crate::AppState;
use relais_observatory::linkage::{self, Input, Settings, files};
use relais_store::observatory::linkage::{self as store, Claimed, End};
use relais_store::{Actor, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// How often the progress of a running run is written.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

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
    let settings: Settings = serde_json::from_str(&claimed.settings_json).map_err(|_| unreadable())?;
    let inputs: Vec<Input> = serde_json::from_str(&claimed.inputs_json).map_err(|_| unreadable())?;
    let names: Vec<String> = inputs.into_iter().map(|i| i.name).collect();
    let mut parsed = Vec::new();
    for (position, bytes) in claimed.files.iter().enumerate() {
        parsed.push(files::read(position, bytes).map_err(|p| p.to_string())?);
    }
    let sources = files::sources(&names, &parsed).map_err(|p| p.to_string())?;
    let progress = Arc::new(AtomicU8::new(0));
    let shared = Arc::clone(&progress);
    let mut task = tokio::task::spawn_blocking(move || {
        linkage::run(&sources, &settings, &|p| shared.store(p, Ordering::Relaxed)).map(|(outcome, _)| outcome)
    });
    let mut beat = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tokio::select! {
            joined = &mut task => {
                return match joined {
                    Ok(Ok(outcome)) => Ok(outcome),
                    // The estimation's errors name lists and models, never a person.
                    Ok(Err(error)) => Err(error.to_string()),
                    Err(_) => Err("the computation stopped unexpectedly".to_owned()),
                };
            }
            _ = beat.tick() => {
                let now = state.clock.now();
                match store::heartbeat(&state.store, claimed, progress.load(Ordering::Relaxed), now).await {
                    Ok(true) => {}
                    Ok(false) => return Err("taken over by another process".to_owned()),
                    Err(error) => tracing::warn!(%error, "linkage progress could not be written"),
                }
            }
        }
    }
}

fn unreadable() -> String {
    "the run's stored settings could not be read".to_owned()
}
