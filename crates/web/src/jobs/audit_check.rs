//! The day's verification of the audit hash chain, so that a broken chain is
//! seen within a day on the dashboards (the `relais_audit_chain_*` metrics
//! read its record), not only when someone runs `relais audit verify`.

use super::daily;
use crate::AppState;
use relais_domain::time::Date;
use relais_store::StoreError;
use relais_store::audit::{self, Verification};

/// The job's name in `job_runs`.
pub const JOB: &str = "audit-verify";

/// The outcome recorded for an intact chain; any other is a broken one.
pub const INTACT: &str = "intact";

/// What one look at the day's run did: whether the chain was intact.
pub type Outcome = daily::Outcome<bool>;

/// Verifies the whole chain once a day, in whichever process gets there first.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let day = Date::utc(state.clock.now()).to_string();
    daily::run(
        state,
        JOB,
        &day,
        || async {
            let outcome = audit::verify(&state.store, &|_| {}).await?;
            Ok::<_, StoreError>(matches!(outcome, Verification::Intact { .. }))
        },
        // The record says intact or broken; which row is broken is for `relais audit verify`.
        |intact| {
            if *intact {
                INTACT.to_owned()
            } else {
                "broken".to_owned()
            }
        },
    )
    .await
}
