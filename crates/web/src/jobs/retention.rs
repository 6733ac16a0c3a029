//! The day's retention run: erases what is due, once a day, retried after a
//! failure (a busy database, a restart in the middle) instead of waiting for
//! the next day.

use super::daily;
use crate::AppState;
use relais_domain::time::Date;
use relais_store::privacy::retention;
use relais_store::{Actor, StoreError};

/// What one look at the day's run did: the report's summary when done.
pub type Outcome = daily::Outcome<String>;

/// Runs today's retention if it is due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let now = state.clock.now();
    // The run is keyed by the UTC day, as `retention_hour_utc` is a UTC hour.
    let day = Date::utc(now).to_string();
    let retention = state.settings.retention;
    daily::run(
        state,
        retention::JOB,
        &day,
        || async {
            let report = retention::run(&state.store, Actor::system(), "job-retention", &retention, now).await?;
            Ok::<_, StoreError>(report.summary())
        },
        String::clone,
    )
    .await
}
