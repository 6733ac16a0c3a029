//! E-mails written in the same transaction as what they announce (an alert
//! is never lost because a mail server was down, and never sent for a
//! change that rolled back), then sent by whichever serving process claims
//! them first. Messages carry references and links, never a name.

use crate::{Result, Store, Tx};
use relais_domain::time::Timestamp;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attachment: Option<Attachment>,
}

/// Someone to write to, in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub locale: Option<String>,
}

/// A file sent with a message (a meeting's calendar invitation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    /// Its MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`.
    pub content_type: String,
    pub content: String,
}

/// A claim older than this is taken to belong to a process that died.
const CLAIM_EXPIRES_SECONDS: i64 = 15 * 60;

/// After this many failed attempts a message stays for an operator to look at.
pub const MAX_ATTEMPTS: i64 = 10;

/// Queues a message in the caller's transaction.
pub async fn enqueue(tx: &mut Tx, recipient: &str, subject: &str, body: &str) -> Result<()> {
    enqueue_with(tx, recipient, subject, body, None).await
}

/// Queues a message with an attachment in the caller's transaction.
pub async fn enqueue_with(
    tx: &mut Tx,
    recipient: &str,
    subject: &str,
    body: &str,
    attachment: Option<&Attachment>,
) -> Result<()> {
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO mail_outbox (id, recipient, subject, body, created_at, attachment_name, attachment_type, \
         attachment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(recipient.to_owned())
    .bind(subject.to_owned())
    .bind(body.to_owned())
    .bind(now)
    .bind(attachment.map(|a| a.file_name.clone()))
    .bind(attachment.map(|a| a.content_type.clone()))
    .bind(attachment.map(|a| a.content.clone()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Claims up to `limit` messages for this process: a message is claimed by
/// one process only (the claim is a conditional update).
pub async fn claim(store: &Store, now: Timestamp, limit: i64) -> Result<Vec<Mail>> {
    let stale = now.0 - CLAIM_EXPIRES_SECONDS;
    let candidates: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM mail_outbox WHERE (claimed_at IS NULL OR claimed_at < $1) AND attempts < $2 \
         ORDER BY created_at, id LIMIT $3",
    )
    .bind(stale)
    .bind(MAX_ATTEMPTS)
    .bind(limit)
    .fetch_all(store.pool())
    .await?;
    let mut claimed = vec![];
    for (id,) in candidates {
        let taken = sqlx::query(
            "UPDATE mail_outbox SET claimed_at = $1, attempts = attempts + 1 \
             WHERE id = $2 AND (claimed_at IS NULL OR claimed_at < $3)",
        )
        .bind(now.0)
        .bind(id.clone())
        .bind(stale)
        .execute(store.pool())
        .await?;
        if taken.rows_affected() == 1 {
            type Row = (String, String, String, Option<String>, Option<String>, Option<String>);
            let (recipient, subject, body, file_name, content_type, content): Row = sqlx::query_as(
                "SELECT recipient, subject, body, attachment_name, attachment_type, attachment \
                 FROM mail_outbox WHERE id = $1",
            )
            .bind(id.clone())
            .fetch_one(store.pool())
            .await?;
            let attachment = match (file_name, content_type, content) {
                (Some(file_name), Some(content_type), Some(content)) => Some(Attachment {
                    file_name,
                    content_type,
                    content,
                }),
                _ => None,
            };
            claimed.push(Mail {
                id,
                recipient,
                subject,
                body,
                attachment,
            });
        }
    }
    Ok(claimed)
}

/// A message went out: it is deleted (the audit row of what it announced stays).
pub async fn sent(store: &Store, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM mail_outbox WHERE id = $1")
        .bind(id.to_owned())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Sending failed: the claim is released so that a later round tries again.
pub async fn failed(store: &Store, id: &str) -> Result<()> {
    sqlx::query("UPDATE mail_outbox SET claimed_at = NULL WHERE id = $1")
        .bind(id.to_owned())
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Messages waiting to be sent (for the operators' view and tests).
pub async fn pending(store: &Store) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox")
        .fetch_one(store.pool())
        .await?;
    Ok(n)
}
