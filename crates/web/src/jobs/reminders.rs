//! The day's reminders of reporting rounds: every open round's bodies that
//! still owe updates are reminded when the policy says
//! (`relais_domain::coordination::round::ReminderPolicy`), once a day,
//! retried after a failure. The e-mails are queued in the same transaction
//! as the record of the reminder, so both happen or neither.

use crate::AppState;
use crate::coordination::round_mail::{self, Kind};
use relais_domain::coordination::round::ReminderPolicy;
use relais_domain::jobs::{AfterFailure, RetryPolicy, RunState};
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::coordination::rounds;
use relais_store::jobs::{self, Claimed};
use relais_store::{Actor, StoreError};

pub const JOB: &str = "round-reminders";

/// What one look at the day's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Done, running elsewhere, waiting for its retry, or abandoned.
    NotNow(RunState),
    /// This attempt reminded this many bodies.
    Done(usize),
    /// This attempt failed and was recorded.
    Failed { attempt: u32, next: AfterFailure },
}

/// Sends today's reminders if they are due.
pub async fn run_daily(state: &AppState) -> Result<Outcome, StoreError> {
    let policy = RetryPolicy::STANDARD;
    let now = state.clock.now();
    // Rounds are national: their day is the one in Paris.
    let today = Date::local(now, &Zone::paris());
    let claim = match jobs::claim(&state.store, JOB, &today.to_string(), now, &policy).await? {
        Claimed::Yes(claim) => claim,
        Claimed::No(state) => return Ok(Outcome::NotNow(state)),
    };
    match remind(state, today, now).await {
        Ok(bodies) => {
            jobs::finish(
                &state.store,
                &claim,
                state.clock.now(),
                &format!("{bodies} bodies reminded"),
            )
            .await?;
            Ok(Outcome::Done(bodies))
        }
        Err(error) => {
            tracing::warn!(%error, "round reminders attempt failed");
            let next = jobs::fail(&state.store, &claim, state.clock.now(), "reminders failed", &policy).await?;
            Ok(Outcome::Failed {
                attempt: claim.attempt(),
                next,
            })
        }
    }
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
