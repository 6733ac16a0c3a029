//! Key rotation (docs/adr/0016-key-rotation.md): re-encrypts every
//! encrypted column under the active key of the ring, in short batches,
//! each its own audited transaction, so the application keeps serving.
//! Progress is kept in `key_rotation_progress`: an interrupted run resumes
//! where it stopped. Keyed hashes are not touched (they stay stable).

use crate::audit::{Action, Object};
use crate::{Actor, Result, Store, StoreError};
use relais_domain::time::Timestamp;

/// One encrypted column: its rows are found by `id_column`, and each
/// ciphertext is bound to `"{prefix}{id}{suffix}"` (the context it was
/// sealed with, see each module's `*_context`).
#[derive(Debug, Clone, Copy)]
pub struct EncryptedColumn {
    pub table: &'static str,
    pub id_column: &'static str,
    pub column: &'static str,
    pub prefix: &'static str,
    pub suffix: &'static str,
}

impl EncryptedColumn {
    const fn new(table: &'static str, column: &'static str, prefix: &'static str) -> Self {
        Self {
            table,
            id_column: "id",
            column,
            prefix,
            suffix: "",
        }
    }

    /// `table.column`, as recorded in the progress table and audit rows.
    pub fn name(&self) -> String {
        format!("{}.{}", self.table, self.column)
    }

    fn context(&self, id: &str) -> String {
        format!("{}{id}{}", self.prefix, self.suffix)
    }
}

/// Every encrypted column of the schema. A new encrypted column must be
/// added here (the conformance test `every_encrypted_column_is_rotated`
/// writes one of each and checks that rotation leaves none behind).
pub const COLUMNS: &[EncryptedColumn] = &[
    EncryptedColumn::new("persons", "identity", "person:"),
    EncryptedColumn::new("case_events", "note", "case-event:"),
    EncryptedColumn::new("referrals", "details", "referral:"),
    EncryptedColumn::new("referrals", "decision_reason", "referral-decision:"),
    EncryptedColumn::new("referral_messages", "body", "referral-message:"),
    EncryptedColumn::new("onward_referrals", "payload", "onward-payload:"),
    EncryptedColumn::new("onward_referrals", "override_reason", "onward-override:"),
    EncryptedColumn::new("case_people", "details", "case-person:"),
    EncryptedColumn::new("case_notes", "body", "case-note:"),
    EncryptedColumn::new("case_shares", "override_reason", "case-share:"),
    EncryptedColumn {
        suffix: ":name",
        ..EncryptedColumn::new("case_documents", "file_name", "case-document:")
    },
    EncryptedColumn {
        suffix: ":content",
        ..EncryptedColumn::new("case_documents", "content", "case-document:")
    },
    EncryptedColumn::new("tasks", "title", "case-task:"),
    EncryptedColumn::new("users", "totp_secret_enc", "totp:"),
    EncryptedColumn::new("need_assessments", "needs", "need-assessment:"),
    EncryptedColumn::new("permits", "note", "permit-note:"),
    EncryptedColumn::new("cases", "closure_summary", "case-closure:"),
    EncryptedColumn {
        id_column: "token_hash",
        ..EncryptedColumn::new("signalement_submissions", "receipt", "signalement-receipt:")
    },
    EncryptedColumn::new("legal_holds", "reason", "legal-hold:"),
    EncryptedColumn::new("legal_holds", "lift_reason", "legal-hold-lift:"),
    EncryptedColumn::new("data_requests", "reason", "data-request:"),
    EncryptedColumn::new("data_requests", "decision_reason", "data-request-decision:"),
    EncryptedColumn::new("break_glass", "reason", "break-glass:"),
    EncryptedColumn::new("break_glass", "review_note", "break-glass-review:"),
    EncryptedColumn::new("survey_profiles", "answers", "survey-profile:"),
];

/// What one batch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// `table.column`.
    pub column: String,
    /// Ciphertexts read in this batch.
    pub seen: u64,
    /// Of those, the ones re-encrypted (the others were already current).
    pub rewritten: u64,
    /// Whether the column is now entirely under the active key.
    pub column_done: bool,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub batches: u64,
    pub rewritten: u64,
    /// Whether every column is now under the active key.
    pub finished: bool,
}

/// Re-encrypts the next batch of at most `batch_size` rows of the first
/// column not yet rotated to the active key. `None` when every column is
/// done. One transaction, with one audit row naming the column and counts.
pub async fn rotate_batch(store: &Store, batch_size: u32, now: Timestamp) -> Result<Option<Batch>> {
    let target = store.keys().active_id().to_owned();
    let mut tx = store.begin(Actor::system(), "key-rotation", now).await?;
    for column in COLUMNS {
        let name = column.name();
        let progress: Option<(String, String, i64)> =
            sqlx::query_as("SELECT target_key, last_id, done FROM key_rotation_progress WHERE encrypted_column = $1")
                .bind(name.clone())
                .fetch_optional(tx.conn())
                .await?;
        let last_id = match progress {
            Some((key, _, 1)) if key == target => continue,
            Some((key, last_id, _)) if key == target => last_id,
            _ => String::new(),
        };
        let query = format!(
            "SELECT {id}, {col} FROM {table} WHERE {id} > $1 AND {col} IS NOT NULL ORDER BY {id} LIMIT $2",
            id = column.id_column,
            col = column.column,
            table = column.table,
        );
        let rows: Vec<(String, String)> = sqlx::query_as(&query)
            .bind(last_id.clone())
            .bind(i64::from(batch_size.max(1)))
            .fetch_all(tx.conn())
            .await?;
        let update = format!(
            "UPDATE {table} SET {col} = $1 WHERE {id} = $2 AND {col} = $3",
            id = column.id_column,
            col = column.column,
            table = column.table,
        );
        let mut rewritten = 0u64;
        for (id, sealed) in &rows {
            if let Some(fresh) = tx.keys().reencrypt(sealed, &column.context(id))? {
                sqlx::query(&update)
                    .bind(fresh)
                    .bind(id.clone())
                    .bind(sealed.clone())
                    .execute(tx.conn())
                    .await?;
                rewritten += 1;
            }
        }
        let column_done = rows.len() < batch_size.max(1) as usize;
        let new_last = rows.last().map_or(last_id, |(id, _)| id.clone());
        sqlx::query("DELETE FROM key_rotation_progress WHERE encrypted_column = $1")
            .bind(name.clone())
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO key_rotation_progress (encrypted_column, target_key, last_id, done, rewritten, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(name.clone())
        .bind(target.clone())
        .bind(new_last)
        .bind(i64::from(column_done))
        .bind(i64::try_from(rewritten).unwrap_or(i64::MAX))
        .bind(now.0)
        .execute(tx.conn())
        .await?;
        let counts = format!("key {target}: {} read, {rewritten} re-encrypted", rows.len());
        tx.audit(
            Action::KeyRotateBatch,
            Object::EncryptedColumn,
            Some(&name),
            Some(&counts),
        )
        .await?;
        tx.commit().await?;
        return Ok(Some(Batch {
            column: name,
            seen: rows.len() as u64,
            rewritten,
            column_done,
        }));
    }
    Ok(None)
}

/// Runs batches until every column is rotated, or `max_batches` have run
/// (`None`: no limit). `on_batch` hears of each batch (for a progress line).
pub async fn rotate(
    store: &Store,
    batch_size: u32,
    max_batches: Option<u64>,
    now: &(dyn Fn() -> Timestamp + Sync),
    on_batch: &(dyn Fn(&Batch) + Sync),
) -> Result<Report> {
    let mut report = Report::default();
    loop {
        if max_batches.is_some_and(|max| report.batches >= max) {
            return Ok(report);
        }
        match rotate_batch(store, batch_size, now()).await? {
            Some(batch) => {
                report.batches += 1;
                report.rewritten += batch.rewritten;
                on_batch(&batch);
            }
            None => {
                report.finished = true;
                return Ok(report);
            }
        }
    }
}

/// For each encrypted column, how many ciphertexts are not under the
/// active key (counts only: nothing is decrypted).
pub async fn stale_counts(store: &Store) -> Result<Vec<(String, i64)>> {
    let current = format!("v2:{}:%", store.keys().active_id());
    let mut out = Vec::with_capacity(COLUMNS.len());
    for column in COLUMNS {
        let query = format!(
            "SELECT COUNT(*) FROM {table} WHERE {col} IS NOT NULL AND {col} NOT LIKE $1",
            col = column.column,
            table = column.table,
        );
        let (n,): (i64,) = sqlx::query_as(&query)
            .bind(current.clone())
            .fetch_one(store.pool())
            .await
            .map_err(StoreError::from)?;
        out.push((column.name(), n));
    }
    Ok(out)
}

/// Opens every encrypted value with the store's key ring (nothing is kept
/// or shown): the number opened, or [`StoreError::Crypto`] at the first
/// that does not open. Proves a ring can retire its older keys.
pub async fn open_all(store: &Store) -> Result<u64> {
    let mut opened = 0u64;
    for column in COLUMNS {
        let query = format!(
            "SELECT {id}, {col} FROM {table} WHERE {col} IS NOT NULL",
            id = column.id_column,
            col = column.column,
            table = column.table,
        );
        let rows: Vec<(String, String)> = sqlx::query_as(&query).fetch_all(store.pool()).await?;
        for (id, sealed) in rows {
            store.keys().decrypt(&sealed, &column.context(&id))?;
            opened += 1;
        }
    }
    Ok(opened)
}
