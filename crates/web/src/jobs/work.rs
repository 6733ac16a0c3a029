//! What the observatory's long work shares (ADR 0053): a serving process claims the oldest
//! waiting piece in the database, the computation runs on a blocking thread while this
//! process writes its progress every second, a sign of life without which another process
//! takes the work over after `ABANDONED_AFTER_SECONDS`, and the piece ends with its outcome
//! or why it failed.

use crate::AppState;
use relais_store::observatory::work::{self, Claim, End, Queue};
use relais_store::{Actor, StoreError, Tx};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// How often the progress of running work is written.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

/// What one look for work did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing was waiting (or another process took it first).
    Idle,
    Done,
    Failed,
    /// Another process took the work over before this one ended it.
    TakenOver,
}

/// One kind of queued work: how a piece is claimed, done and ended.
pub(crate) trait QueuedWork {
    /// A claimed piece with what its work needs, unsealed.
    type Claimed: Sync;
    /// The request id of the job's transactions (`job-estimate`).
    const REQUEST: &'static str;

    /// Takes the oldest waiting piece in `tx`, the job's, so that reading its inputs is
    /// audited; `None` when there is nothing to do.
    async fn claim(tx: &mut Tx) -> Result<Option<Self::Claimed>, StoreError>;

    /// The outcome as JSON, or why it failed in words without personal data.
    async fn work(state: &AppState, claimed: &Self::Claimed) -> Result<String, String>;

    /// Records how the piece ended; `false` when another process took it over.
    async fn end(tx: &mut Tx, claimed: &Self::Claimed, end: End<'_>) -> Result<bool, StoreError>;
}

/// Claims the oldest waiting piece of `W`, if any, and does it.
pub(crate) async fn run_next<W: QueuedWork>(state: &AppState) -> Result<Outcome, StoreError> {
    let mut tx = state
        .store
        .begin(Actor::system(), W::REQUEST, state.clock.now())
        .await?;
    // Nothing read, nothing to audit: a look that finds nothing is rolled back.
    let Some(claimed) = W::claim(&mut tx).await? else {
        return Ok(Outcome::Idle);
    };
    tx.commit().await?;
    let result = W::work(state, &claimed).await;
    let end = match &result {
        Ok(outcome_json) => End::Done { outcome_json },
        Err(reason) => End::Failed { reason },
    };
    let mut tx = state
        .store
        .begin(Actor::system(), W::REQUEST, state.clock.now())
        .await?;
    let ended = W::end(&mut tx, &claimed, end).await?;
    // A piece another process took over is that process's to end: nothing was written.
    if ended {
        tx.commit().await?;
    }
    Ok(match (ended, end) {
        (false, _) => Outcome::TakenOver,
        (true, End::Done { .. }) => Outcome::Done,
        (true, End::Failed { .. }) => Outcome::Failed,
    })
}

/// Runs `compute` (told the share done, 0 to 100) on a blocking thread, beating for `claim`
/// until it ends; its result, or why it failed in words without personal data.
pub async fn with_heartbeat<T, F>(state: &AppState, queue: Queue, claim: &Claim, compute: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce(&(dyn Fn(u8) + Sync)) -> Result<T, String> + Send + 'static,
{
    let progress = Arc::new(AtomicU8::new(0));
    let shared = Arc::clone(&progress);
    let mut task = tokio::task::spawn_blocking(move || compute(&|p| shared.store(p, Ordering::Relaxed)));
    let mut beat = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tokio::select! {
            joined = &mut task => {
                return joined.unwrap_or_else(|_| Err("the computation stopped unexpectedly".to_owned()));
            }
            _ = beat.tick() => {
                let now = state.clock.now();
                match work::heartbeat(&state.store, queue, claim, progress.load(Ordering::Relaxed), now).await {
                    Ok(true) => {}
                    Ok(false) => return Err("taken over by another process".to_owned()),
                    Err(error) => tracing::warn!(%error, "progress could not be written"),
                }
            }
        }
    }
}
