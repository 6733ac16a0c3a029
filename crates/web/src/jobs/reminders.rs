//! The day's reminders of reporting rounds: every open round's bodies that
//! still owe updates are reminded when the policy says
//! (`relais_domain::coordination::round::ReminderPolicy`), once a day,
//! retried after a failure. The e-mails are queued in the same transaction
//! as the record of the reminder, so both happen or neither.

use super::daily;
use crate::AppState;
use crate::coordination::round_mail::{self, Kind};
use relais_domain::coordination::round::ReminderPolicy;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::coordination::rounds;
use relais_store::{Actor, StoreError};

pub const JOB: &str = "round-reminders";

/// What one look at the day's run did: how many bodies were reminded.
pub type Outcome = daily::Outcome<usize>;

/// Sends today's reminders if they are due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let now = state.clock.now();
    // Rounds are national: their day is the one in Paris.
    let today = Date::local(now, &Zone::paris());
    daily::run(
        state,
        JOB,
        &today.to_string(),
        || remind(state, today, now),
        |bodies| format!("{bodies} bodies reminded"),
    )
    .await
}

async fn remind(state: &AppState, today: Date, now: Timestamp) -> Result<usize, StoreError> {
    let mut tx = state.store.begin(Actor::system(), "job-round-reminders", now).await?;
    let reminders = rounds::remind(&mut tx, ReminderPolicy::DEFAULT, today).await?;
    for reminder in &reminders {
        round_mail::enqueue(
            state,
            &mut tx,
            &reminder.recipients,
            Kind::Reminder,
            &reminder.round_title,
            reminder.due,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(reminders.len())
}
