//! The estimates with the methods side by side the analysts queued (issue 19, part 3): a
//! serving process claims the oldest in the database, runs the three methods on a blocking
//! thread while writing its progress (`super::work`), and ends the estimate with the
//! comparison or why it failed.

use super::work::QueuedWork;
use crate::AppState;
use relais_stats::{CompareOptions, Comparison, Dataset, compare};
use relais_store::observatory::estimates::{self as store, Claimed, End, QUEUE};
use relais_store::{StoreError, Tx};

pub use super::work::Outcome;

/// Claims the oldest waiting estimate, if any, and does it.
pub async fn run_next(state: &AppState) -> Result<Outcome, StoreError> {
    super::work::run_next::<Estimates>(state).await
}

struct Estimates;

impl QueuedWork for Estimates {
    type Claimed = Claimed;
    const REQUEST: &'static str = "job-estimate";

    async fn claim(tx: &mut Tx) -> Result<Option<Claimed>, StoreError> {
        store::claim_next(tx).await
    }

    async fn work(state: &AppState, claimed: &Claimed) -> Result<String, String> {
        let comparison = work(state, claimed).await?;
        serde_json::to_string(&comparison).map_err(|_| "the comparison could not be written".to_owned())
    }

    async fn end(tx: &mut Tx, claimed: &Claimed, end: End<'_>) -> Result<bool, StoreError> {
        store::end(tx, claimed, end).await
    }
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
