//! The linkage runs the analysts queued (issue 15, part 4): a serving process claims the
//! oldest in the database, links and estimates on a blocking thread while writing its
//! progress (`super::work`), and ends the run with its outcome or why it failed.

use super::work::QueuedWork;
use crate::AppState;
use relais_observatory::linkage::{self, Input, Settings, files};
use relais_store::observatory::linkage::{self as store, Claimed, End, QUEUE};
use relais_store::{StoreError, Tx};

pub use super::work::Outcome;

/// Claims the oldest waiting run, if any, and does it.
pub async fn run_next(state: &AppState) -> Result<Outcome, StoreError> {
    super::work::run_next::<Runs>(state).await
}

struct Runs;

impl QueuedWork for Runs {
    type Claimed = Claimed;
    const REQUEST: &'static str = "job-linkage";

    async fn claim(tx: &mut Tx) -> Result<Option<Claimed>, StoreError> {
        store::claim_next(tx).await
    }

    async fn work(state: &AppState, claimed: &Claimed) -> Result<String, String> {
        let outcome = work(state, claimed).await?;
        let json = serde_json::to_string(&outcome).map_err(|_| "the outcome could not be written".to_owned())?;
        // A figure that is not finite is written as null and could not be read back.
        match serde_json::from_str::<linkage::Outcome>(&json) {
            Ok(_) => Ok(json),
            Err(_) => Err("the estimate is not a finite number: the sources overlap too little".to_owned()),
        }
    }

    async fn end(tx: &mut Tx, claimed: &Claimed, end: End<'_>) -> Result<bool, StoreError> {
        store::end(tx, claimed, end).await
    }
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
