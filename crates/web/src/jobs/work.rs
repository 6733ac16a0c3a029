//! What the observatory's long work shares (ADR 0053): the computation runs on a blocking
//! thread while this process writes its progress every second, a sign of life without which
//! another process takes the work over after `ABANDONED_AFTER_SECONDS`.

use crate::AppState;
use relais_store::observatory::work::{self, Claim, Queue};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// How often the progress of running work is written.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);

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
