//! The day's refresh of the observatory's NRM source (issue 14, part 4):
//! the referrals written as pseudonymised records and imported as the
//! source's next version when they changed, once a day, retried after a
//! failure, one process of several doing it.

use super::daily;
use crate::AppState;
use relais_domain::time::{Date, Zone};
use relais_observatory::nrm::{self, Refreshed};
use relais_observatory::sources::ImportError;
use relais_store::{Actor, StoreError};

pub const JOB: &str = "observatory-nrm";

/// What one look at the day's run did.
pub type Outcome = daily::Outcome<Refreshed>;

/// Refreshes the source if today's run is due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let today = Date::local(state.clock.now(), &Zone::paris());
    daily::run(
        state,
        JOB,
        &today.to_string(),
        || refresh(state),
        |done| match done {
            Refreshed::Imported { number, rows } => format!("version {number}, {rows} rows"),
            Refreshed::Unchanged => "unchanged".to_owned(),
        },
    )
    .await
}

/// The refresh itself, in one transaction (committed even when nothing
/// changed: the read of the referrals is audited).
pub async fn refresh(state: &AppState) -> Result<Refreshed, ImportError> {
    let mut tx = state
        .store
        .begin(Actor::system(), "job-observatory-nrm", state.clock.now())
        .await?;
    let done = nrm::refresh(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}
