//! The e-mails of reporting rounds: the request when a round opens and the
//! reminders. They name the round and its due date and link to the focal
//! point's list; never a person.

use crate::AppState;
use crate::mail_text::{self, Message};
use relais_domain::time::Date;
use relais_store::coordination::rounds::Recipient;
use relais_store::{Result, Tx, outbox};

/// Which message: the opening request or a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Reminder,
}

fn compose(state: &AppState, locale: Option<&str>, kind: Kind, title: &str, due: Date) -> (String, String) {
    let tr = mail_text::translations_for(state, locale);
    let (subject, lead) = match kind {
        Kind::Request => ("round-mail-subject", "round-mail-body"),
        Kind::Reminder => ("round-reminder-subject", "round-reminder-body"),
    };
    let message = Message {
        subject,
        lead,
        link: "round-mail-link",
        path: "/coordination/asked",
    };
    mail_text::compose(
        state,
        &tr,
        &message,
        &[("title", title.to_owned()), ("due", due.french())],
    )
}

/// Queues the message for each recipient in the caller's transaction.
pub async fn enqueue(
    state: &AppState,
    tx: &mut Tx,
    recipients: &[Recipient],
    kind: Kind,
    title: &str,
    due: Date,
) -> Result<()> {
    for recipient in recipients {
        let (subject, body) = compose(state, recipient.locale.as_deref(), kind, title, due);
        outbox::enqueue(tx, &recipient.email, &subject, &body).await?;
    }
    Ok(())
}
