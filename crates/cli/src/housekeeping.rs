//! Scheduled housekeeping that every `relais serve` process runs: the
//! claim of each run in the database (`job_runs`) makes exactly one of
//! several processes do it.

use relais_store::access::sessions;
use relais_web::AppState;
use std::time::Duration;

/// How often a serving process looks for a run to do.
const CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// Purges expired sessions once an hour, whichever process claims the hour.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        loop {
            match sessions::purge_job(&state.store, state.clock.now(), &state.settings.session).await {
                Ok(Some(purged)) => tracing::info!(purged, "expired sessions purged"),
                Ok(None) => {}
                Err(error) => tracing::error!(%error, "session purge failed"),
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}
