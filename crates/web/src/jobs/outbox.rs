//! Sends the e-mails queued in the outbox (`relais_store::outbox`) through
//! the same SMTP relay as the daily digest ([`crate::jobs::digest::MailSettings`]).
//! Every serving process runs this; a message is claimed by one of them.
//! A message with an attachment (a meeting's .ics) goes as multipart/mixed.

use crate::jobs::digest::{DigestError, MailSettings};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Attachment, Body, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use relais_store::{Store, outbox};

/// How many messages one round claims.
const BATCH: i64 = 50;

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
}

/// Sends what is waiting. A message that fails is released for a later
/// round; an address that cannot be parsed is dropped (it cannot ever go).
pub async fn send_pending(
    store: &Store,
    mail: &MailSettings,
    now: relais_domain::time::Timestamp,
) -> Result<Round, DigestError> {
    let claimed = outbox::claim(store, now, BATCH).await?;
    if claimed.is_empty() {
        return Ok(Round::default());
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
        .map_err(|e| DigestError::Config(e.to_string()))?
        .build();
    let from: lettre::message::Mailbox = mail
        .from
        .parse()
        .map_err(|_| DigestError::Config("invalid sender address".into()))?;
    let mut round = Round::default();
    for message in claimed {
        let Ok(to) = message.recipient.parse() else {
            outbox::sent(store, &message.id).await?;
            round.failed += 1;
            continue;
        };
        let builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(message.subject.clone());
        let built = match &message.attachment {
            None => builder.header(ContentType::TEXT_PLAIN).body(message.body.clone()),
            Some(attachment) => {
                let kind = ContentType::parse(&attachment.content_type)
                    .map_err(|_| DigestError::Send("the attachment's type could not be read".to_owned()))?;
                // Base64, so that the calendar file's CRLF line ends reach the client untouched.
                let content = Body::new_with_encoding(attachment.content.clone(), ContentTransferEncoding::Base64)
                    .map_err(|_| DigestError::Send("the attachment could not be encoded".to_owned()))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(message.body.clone()))
                        .singlepart(Attachment::new(attachment.file_name.clone()).body(content, kind)),
                )
            }
        }
        .map_err(|_| DigestError::Send("the message could not be built".to_owned()))?;
        match transport.send(built).await {
            Ok(_) => {
                outbox::sent(store, &message.id).await?;
                round.sent += 1;
            }
            Err(error) => {
                // Only the SMTP status is logged: a server's message can quote the address.
                let status = error
                    .status()
                    .map_or_else(|| "connection".to_owned(), |c| c.to_string());
                tracing::warn!(%status, "an outbox message could not be sent; it will be retried");
                outbox::failed(store, &message.id).await?;
                round.failed += 1;
            }
        }
    }
    Ok(round)
}
