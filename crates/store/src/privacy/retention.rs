//! The retention job: finds what the schedule says is due and erases it,
//! one record per short transaction (a long purge never holds the write
//! lock that public forms wait for), each with its audit row naming the
//! kind, the record and how many rows went. A dry run only counts.

use crate::audit::{Action, Object};
use crate::privacy::erasure::{self, Erased};
use crate::{Actor, Result, Store, StoreError, Tx};
use relais_domain::privacy::retention::{RecordKind, RetentionPolicy};
use relais_domain::time::Timestamp;

/// The name of the daily job in `job_runs`.
pub const JOB: &str = "retention";

/// Not under a legal hold that has not been lifted.
const NOT_HELD: &str = "NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL)";

/// The records of `kind` that are due, as (id column, query with the cutoff as $1).
fn due_query(kind: RecordKind) -> Option<(&'static str, String)> {
    let last_activity = "COALESCE(r.decided_at, r.updated_at) < $1 \
         AND NOT EXISTS (SELECT 1 FROM referral_messages m WHERE m.referral_id = r.id AND m.created_at >= $1)";
    Some(match kind {
        RecordKind::ClosedCase => (
            "c.id",
            format!("SELECT c.id FROM cases c WHERE c.status = 'closed' AND c.closed_at < $1 AND {NOT_HELD}"),
        ),
        RecordKind::CaseDocuments => (
            "c.id",
            format!(
                "SELECT c.id FROM cases c WHERE c.status = 'closed' AND c.closed_at < $1 AND {NOT_HELD} \
                 AND EXISTS (SELECT 1 FROM case_documents d WHERE d.case_id = c.id)"
            ),
        ),
        RecordKind::AnonymousNotification => (
            "r.id",
            "SELECT r.id FROM referrals r WHERE r.kind = 'anonymous' AND r.status = 'recorded' \
             AND COALESCE(r.decided_at, r.updated_at) < $1"
                .to_owned(),
        ),
        RecordKind::UnfollowedSignalement => (
            "r.id",
            format!(
                "SELECT r.id FROM referrals r WHERE r.kind = 'public' AND r.case_id IS NULL \
                 AND r.status IN ('rejected', 'duplicate', 'information-requested') AND {last_activity}"
            ),
        ),
        RecordKind::UnfollowedReferral => (
            "r.id",
            format!(
                "SELECT r.id FROM referrals r WHERE r.kind = 'full' AND r.case_id IS NULL \
                 AND r.status IN ('rejected', 'duplicate') AND {last_activity}"
            ),
        ),
        RecordKind::DraftReferral => (
            "r.id",
            "SELECT r.id FROM referrals r WHERE r.status = 'draft' AND r.updated_at < $1".to_owned(),
        ),
        RecordKind::AuditRows => return None,
    })
}

async fn due_ids(tx: &mut Tx, kind: RecordKind, cutoff: Timestamp) -> Result<Vec<String>> {
    let Some((column, query)) = due_query(kind) else {
        return Ok(vec![]);
    };
    let rows: Vec<(String,)> = sqlx::query_as(&format!("{query} ORDER BY {column}"))
        .bind(cutoff.0)
        .fetch_all(tx.conn())
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Whether the record is still due now, inside the transaction that erases it
/// (a hold placed since the list was read stops it).
async fn still_due(tx: &mut Tx, kind: RecordKind, cutoff: Timestamp, id: &str) -> Result<bool> {
    let Some((column, query)) = due_query(kind) else {
        return Ok(false);
    };
    let found: Option<(String,)> = sqlx::query_as(&format!("{query} AND {column} = $2"))
        .bind(cutoff.0)
        .bind(id.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    Ok(found.is_some())
}

/// The audit rows due: every row up to the last one written before the cutoff.
async fn audit_due(tx: &mut Tx, cutoff: Timestamp) -> Result<Option<i64>> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM audit_log WHERE at < $1")
        .bind(cutoff.0)
        .fetch_one(tx.audit_conn().await?)
        .await?;
    Ok(last)
}

/// What a run found or did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// Records due (dry run) or erased (run), by kind, in schedule order.
    pub records: Vec<(RecordKind, u64)>,
    /// Closed cases past their time but kept under a legal hold.
    pub held: u64,
    /// Rows deleted in all (0 for a dry run).
    pub rows: u64,
}

impl Report {
    pub fn records(&self, kind: RecordKind) -> u64 {
        self.records.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
    }

    /// `kind=count` pairs, for the audit row and the job's outcome (counts only).
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .records
            .iter()
            .map(|(kind, n)| format!("{}={n}", kind.key()))
            .collect();
        parts.push(format!("held={}", self.held));
        parts.push(format!("rows={}", self.rows));
        parts.join(",")
    }
}

async fn held(tx: &mut Tx, cutoff: Timestamp) -> Result<u64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM cases c WHERE c.status = 'closed' AND c.closed_at < $1 \
         AND EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id AND h.lifted_at IS NULL)",
    )
    .bind(cutoff.0)
    .fetch_one(tx.conn())
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Counts what is due now, erasing nothing. The counting is audited.
pub async fn dry_run(
    store: &Store,
    actor: Actor,
    request_id: &str,
    policy: &RetentionPolicy,
    now: Timestamp,
) -> Result<Report> {
    let mut tx = store.begin(actor, request_id, now).await?;
    let mut report = Report::default();
    for kind in RecordKind::ALL {
        let cutoff = policy.cutoff(kind, now);
        let n = if kind == RecordKind::AuditRows {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE at < $1")
                .bind(cutoff.0)
                .fetch_one(tx.audit_conn().await?)
                .await?;
            u64::try_from(n).unwrap_or(0)
        } else {
            due_ids(&mut tx, kind, cutoff).await?.len() as u64
        };
        report.records.push((kind, n));
    }
    report.held = held(&mut tx, policy.cutoff(RecordKind::ClosedCase, now)).await?;
    tx.audit(
        Action::RetentionDryRun,
        Object::Retention,
        None,
        Some(&report.summary()),
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Erases one due record in its own transaction; `None` if it is no longer due.
async fn erase_one(
    store: &Store,
    actor: &Actor,
    request_id: &str,
    kind: RecordKind,
    cutoff: Timestamp,
    now: Timestamp,
    id: &str,
) -> Result<Option<Erased>> {
    let mut tx = store.begin(actor.clone(), request_id, now).await?;
    if !still_due(&mut tx, kind, cutoff, id).await? {
        return Ok(None);
    }
    let (object, erased) = match kind {
        RecordKind::ClosedCase => (Object::Case, erasure::case(&mut tx, id).await?),
        RecordKind::CaseDocuments => (Object::Case, erasure::documents(&mut tx, id).await?),
        RecordKind::AnonymousNotification
        | RecordKind::UnfollowedSignalement
        | RecordKind::UnfollowedReferral
        | RecordKind::DraftReferral => (Object::Referral, erasure::referral(&mut tx, id).await?),
        RecordKind::AuditRows => return Err(StoreError::Conflict("audit rows are purged as a whole")),
    };
    let reason = format!("{}:rows={}", kind.key(), erased.total());
    tx.audit(Action::RetentionErase, object, Some(id), Some(&reason))
        .await?;
    tx.commit().await?;
    Ok(Some(erased))
}

/// Erases everything due now. Closed cases go before their documents are
/// looked at, so a case past both times is erased once, whole.
pub async fn run(
    store: &Store,
    actor: Actor,
    request_id: &str,
    policy: &RetentionPolicy,
    now: Timestamp,
) -> Result<Report> {
    let mut report = Report::default();
    for kind in RecordKind::ALL {
        let cutoff = policy.cutoff(kind, now);
        let mut count = 0;
        if kind == RecordKind::AuditRows {
            // Found in a read transaction, which holds no lock while it reads the trail
            // (seconds at ten million rows): rows written since are all after the cutoff, so
            // the last row due is the same when the write transaction purges.
            let due = {
                let mut read = store.begin_read(actor.clone(), request_id, now).await?;
                let due = audit_due(&mut read, cutoff).await?;
                read.audit(Action::RetentionList, Object::Retention, None, Some(kind.key()))
                    .await?;
                read.commit().await?;
                due
            };
            if let Some(last) = due {
                let mut tx = store.begin(actor.clone(), request_id, now).await?;
                let purged = crate::audit::purge_through(&mut tx, last, cutoff).await?;
                count = purged;
                report.rows += purged;
                tx.audit(
                    Action::RetentionErase,
                    Object::AuditLog,
                    Some(&last.to_string()),
                    Some(&format!("{}:rows={purged}", kind.key())),
                )
                .await?;
                tx.commit().await?;
            }
        } else {
            let ids = {
                let mut tx = store.begin_read(actor.clone(), request_id, now).await?;
                let ids = due_ids(&mut tx, kind, cutoff).await?;
                tx.audit(Action::RetentionList, Object::Retention, None, Some(kind.key()))
                    .await?;
                tx.commit().await?;
                ids
            };
            for id in ids {
                if let Some(erased) = erase_one(store, &actor, request_id, kind, cutoff, now, &id).await? {
                    count += 1;
                    report.rows += erased.total();
                }
            }
        }
        report.records.push((kind, count));
    }
    let mut tx = store.begin(actor, request_id, now).await?;
    report.held = held(&mut tx, policy.cutoff(RecordKind::ClosedCase, now)).await?;
    tx.audit(Action::RetentionRun, Object::Retention, None, Some(&report.summary()))
        .await?;
    tx.commit().await?;
    Ok(report)
}

/// When the daily job last ended, and what it did (counts only).
pub async fn last_run(store: &Store) -> Result<Option<(Timestamp, String)>> {
    let row: Option<(Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT finished_at, outcome FROM job_runs WHERE job = $1 AND finished_at IS NOT NULL \
         ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(JOB)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.and_then(|(at, outcome)| Some((Timestamp(at?), outcome.unwrap_or_default()))))
}
