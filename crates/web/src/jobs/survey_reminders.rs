//! The day's reminders of the associations' survey: two weeks and three
//! days before a campaign closes, the associations that have not sent their
//! questionnaire are reminded, once that day (claimed in the database,
//! retried after a failure). The e-mails are queued in one transaction.

use crate::AppState;
use crate::observatory::survey_mail::{self, Kind};
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::jobs::{self, Claimed};
use relais_store::observatory::survey;
use relais_store::{Actor, StoreError};

pub const JOB: &str = "survey-reminders";

/// Days before the closing on which the late are reminded.
pub const DAYS_BEFORE_CLOSING: [i64; 2] = [14, 3];

/// What one look at the day's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, running elsewhere, waiting for its retry, or abandoned.
    NotNow(RunState),
    /// This attempt queued this many reminders.
    Done(usize),
    /// This attempt failed and was recorded.
    Failed { attempt: u32, next: AfterFailure },
}

/// Queues today's reminders if they are due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let policy = RetryPolicy::STANDARD;
    let now = state.clock.now();
    // Campaigns are national: their day is the one in Paris.
    let today = Date::local(now, &Zone::paris());
    let claim = match jobs::claim(&state.store, JOB, &today.to_string(), now, &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => return Ok(Outcome::NotNow(state)),
    };
    match remind(state, today, now).await {
        Ok(sent) => {
            jobs::finish(&state.store, &claim, state.clock.now(), &format!("{sent} reminders")).await?;
            Ok(Outcome::Done(sent))
        }
        Err(error) => {
            tracing::warn!(%error, "survey reminders attempt failed");
            let next = jobs::fail(&state.store, &claim, state.clock.now(), "reminders failed", &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
            })
        }
    }
}

async fn remind(state: &AppState, today: Date, now: Timestamp) -> Result<usize, StoreError> {
    let mut tx = state.store.begin(Actor::system(), "job-survey-reminders", now).await?;
    let mut sent = 0;
    for campaign in survey::closing_in(&mut tx, today, &DAYS_BEFORE_CLOSING).await? {
        let recipients = survey::respondents_to_ask(&mut tx, campaign.year).await?;
        survey_mail::enqueue(state, &mut tx, &recipients, Kind::Reminder, &campaign).await?;
        sent += recipients.len();
    }
    tx.commit().await?;
    Ok(sent)
}
