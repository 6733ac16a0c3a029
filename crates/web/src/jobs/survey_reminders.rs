//! The day's reminders of the associations' survey: two weeks and three
//! days before a campaign closes, the associations that have not sent their
//! questionnaire are reminded, once that day (claimed in the database,
//! retried after a failure). The e-mails are queued in one transaction.

use super::daily;
use crate::AppState;
use crate::observatory::survey_mail::{self, Kind};
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::observatory::survey;
use relais_store::{Actor, StoreError};

pub const JOB: &str = "survey-reminders";

/// Days before the closing on which the late are reminded.
pub const DAYS_BEFORE_CLOSING: [i64; 2] = [14, 3];

/// What one look at the day's run did: how many reminders were queued.
pub type Outcome = daily::Outcome<usize>;

/// Queues today's reminders if they are due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let now = state.clock.now();
    // Campaigns are national: their day is the one in Paris.
    let today = Date::local(now, &Zone::paris());
    daily::run(
        state,
        JOB,
        &today.to_string(),
        || remind(state, today, now),
        |sent| format!("{sent} reminders"),
    )
    .await
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
