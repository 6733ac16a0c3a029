//! The survey's e-mails: the invitation when a campaign opens and the
//! reminders before it closes, to the associations that have not sent their
//! questionnaire. They name the campaign and its closing day and link to
//! the questionnaires; never a person.

use crate::AppState;
use crate::mail_text::{self, Message};
use relais_domain::observatory::survey::Campaign;
use relais_store::outbox::{self, Recipient};
use relais_store::{Result, Tx};

/// Which message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invitation,
    Reminder,
}

fn compose(state: &AppState, locale: Option<&str>, kind: Kind, campaign: &Campaign) -> (String, String) {
    let tr = mail_text::translations_for(state, locale);
    let (subject, lead) = match kind {
        Kind::Invitation => ("survey-mail-subject", "survey-mail-body"),
        Kind::Reminder => ("survey-reminder-subject", "survey-reminder-body"),
    };
    let message = Message {
        subject,
        lead,
        link: "survey-mail-link",
        path: "/survey",
    };
    let values = [
        ("year", campaign.year.to_string()),
        ("closes", crate::dates::day(campaign.closes_on, tr.locale)),
    ];
    mail_text::compose(state, &tr, &message, &values)
}

/// Queues the message for each recipient in the caller's transaction.
pub async fn enqueue(
    state: &AppState,
    tx: &mut Tx,
    recipients: &[Recipient],
    kind: Kind,
    campaign: &Campaign,
) -> Result<()> {
    for recipient in recipients {
        let (subject, body) = compose(state, recipient.locale.as_deref(), kind, campaign);
        outbox::enqueue(tx, &recipient.email, &subject, &body).await?;
    }
    Ok(())
}
