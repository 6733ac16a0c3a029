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
const REQUEST: &str = "job-observatory-nrm";

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

/// The refresh itself: the referrals read in a read transaction, which
/// holds no lock however many they are, then the file imported in a write
/// transaction when it changed (ADR 0052). The read is audited either way.
pub async fn refresh(state: &AppState) -> Result<Refreshed, ImportError> {
    let now = state.clock.now();
    let mut read = state.store.begin_read(Actor::system(), REQUEST, now).await?;
    let file = nrm::file(&mut read).await?;
    read.commit().await?;
    let mut tx = state.store.begin(Actor::system(), REQUEST, now).await?;
    let done = nrm::import(&mut tx, &file).await?;
    // Unchanged: the write transaction wrote nothing and is dropped.
    if done != Refreshed::Unchanged {
        tx.commit().await?;
    }
    Ok(done)
}
