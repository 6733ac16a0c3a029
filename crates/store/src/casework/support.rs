//! Support of a person (issue 6): needs assessments repeated over time,
//! the residence permits asked and granted, and the closure of the case
//! with its outcome. Each part follows the case-access policy (needs,
//! permits, closure); health needs and closing summaries follow the case
//! file's health level; every read and change is audited on the case, so
//! it shows in the access log.

use crate::audit::{Action, Object};
use crate::casework::cases::{self, CaseSummary};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, CaseAccess, IdentifyVictims};
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_status::{Event, Policy, Status};
use relais_domain::casework::closure::{self, Closure};
use relais_domain::casework::needs::{
    self, AccommodationType, Need, NeedKind, NeedStatus, ReturnRisk, UnmetReason, Urgency,
};
use relais_domain::casework::rights::{self, DeadlineKind, Permit, PermitKind, RefusalReason};
use relais_domain::casework::statement::Statement;
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp};

/// One assessment as the reader may see it: needs at levels their roles
/// may not read are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRecord {
    pub id: String,
    pub on: Date,
    pub at: Timestamp,
    pub author: Option<String>,
    pub needs: Vec<Need>,
}

/// One permit application and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRecord {
    pub id: String,
    pub permit: Permit,
    /// The prefecture, as its département code.
    pub prefecture: Option<String>,
    pub note: Option<String>,
    pub next: Option<(DeadlineKind, Date)>,
    pub updated_at: Timestamp,
}

/// The closure in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureRecord {
    pub outcome: closure::Outcome,
    /// Empty for roles that may not read health information.
    pub summary: String,
    pub at: Timestamp,
}

/// Everything the support page shows; the parts the reader may not read are empty.
pub struct SupportFile {
    pub case: CaseSummary,
    /// Oldest first.
    pub assessments: Vec<AssessmentRecord>,
    pub permits: Vec<PermitRecord>,
    pub closure: Option<ClosureRecord>,
    /// Every closure and reopening, oldest first (a reopening never erases a closure).
    pub history: Vec<cases::CaseEvent>,
}

fn needs_context(id: &str) -> String {
    format!("need-assessment:{id}")
}

fn permit_context(id: &str) -> String {
    format!("permit-note:{id}")
}

fn closure_context(case: &CaseId) -> String {
    format!("case-closure:{case}")
}

fn encode_needs(needs: &[Need]) -> String {
    let list: Vec<serde_json::Value> = needs
        .iter()
        .map(|n| {
            serde_json::json!({
                "kind": n.kind.key(),
                "urgency": n.urgency.key(),
                "status": n.status.key(),
                "unmet_reason": n.unmet_reason.map(UnmetReason::key),
                "accommodation": n.accommodation.map(AccommodationType::key),
                "return_risk": n.return_risk.map(ReturnRisk::key),
                "actor": n.actor,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

fn decode_needs(raw: &[u8]) -> Result<Vec<Need>> {
    let corrupt = || StoreError::Corrupt("needs");
    let list: Vec<serde_json::Value> = serde_json::from_slice(raw).map_err(|_| corrupt())?;
    let text = |v: &serde_json::Value, field: &str| v.get(field).and_then(|f| f.as_str()).map(str::to_owned);
    list.iter()
        .map(|v| {
            Ok(Need {
                kind: text(v, "kind")
                    .as_deref()
                    .and_then(NeedKind::parse)
                    .ok_or_else(corrupt)?,
                urgency: text(v, "urgency")
                    .as_deref()
                    .and_then(Urgency::parse)
                    .ok_or_else(corrupt)?,
                status: text(v, "status")
                    .as_deref()
                    .and_then(NeedStatus::parse)
                    .ok_or_else(corrupt)?,
                unmet_reason: text(v, "unmet_reason").as_deref().and_then(UnmetReason::parse),
                accommodation: text(v, "accommodation").as_deref().and_then(AccommodationType::parse),
                return_risk: text(v, "return_risk").as_deref().and_then(ReturnRisk::parse),
                actor: text(v, "actor").unwrap_or_default(),
            })
        })
        .collect()
}

/// Records an assessment made on `on`. Only someone who may read health
/// information assesses (the policy says so): an assessment replaces the
/// previous one in the plan, so one written without the health needs
/// would silently drop them.
pub async fn add_assessment(tx: &mut Tx, access: &CaseAccess, on: Date, needs: &[Need]) -> Result<String> {
    access.check(CaseArea::Needs, Mode::Write)?;
    let id = access.case();
    let assessment_id = crate::record_id_hex();
    let sealed = tx
        .keys()
        .encrypt(encode_needs(needs).as_bytes(), &needs_context(&assessment_id))?;
    let this = needs::Assessment {
        at_days: on.to_days(),
        needs: needs.to_vec(),
    };
    let accommodation = needs::accommodation_met(std::slice::from_ref(&this));
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO need_assessments (id, case_id, assessed_on, author_user_id, created_at, needs, \
         has_accommodation_need, accommodation_met) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(assessment_id.clone())
    .bind(id.as_str().to_owned())
    .bind(on.to_string())
    .bind(access.actor().as_str().to_owned())
    .bind(now)
    .bind(sealed)
    .bind(i64::from(accommodation.is_some()))
    .bind(accommodation.map(i64::from))
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::CaseNeedsAssess,
        Object::Case,
        Some(id.as_str()),
        Some(&assessment_id),
    )
    .await?;
    Ok(assessment_id)
}

async fn assessments(tx: &mut Tx, id: &CaseId, levels: &[Sensitivity]) -> Result<Vec<AssessmentRecord>> {
    let rows: Vec<(String, String, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT a.id, a.assessed_on, a.created_at, u.display_name, a.needs FROM need_assessments a \
         LEFT JOIN users u ON u.id = a.author_user_id WHERE a.case_id = $1 ORDER BY a.assessed_on, a.created_at, a.id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(assessment, on, at, author, sealed)| {
            let plain = tx.keys().decrypt(&sealed, &needs_context(&assessment))?;
            let needs = decode_needs(&plain)?
                .into_iter()
                .filter(|n| levels.contains(&n.kind.sensitivity()))
                .collect();
            Ok(AssessmentRecord {
                on: Date::parse(&on).ok_or(StoreError::Corrupt("assessment date"))?,
                at: Timestamp(at),
                author,
                needs,
                id: assessment,
            })
        })
        .collect()
}

fn date_text(date: Option<Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

/// Adds a permit (`permit_id` none) or updates one of the case's. The next
/// renewal or expiry is kept in clear columns for the queue and the digest.
pub async fn save_permit(
    tx: &mut Tx,
    access: &CaseAccess,
    permit_id: Option<&str>,
    permit: &Permit,
    prefecture: Option<Departement>,
    note: &str,
) -> Result<String> {
    access.check(CaseArea::Permits, Mode::Write)?;
    let id = access.case();
    let existing = permit_id.is_some();
    let permit_id = permit_id.map_or_else(crate::record_id_hex, str::to_owned);
    let note = note.trim();
    let sealed = if note.is_empty() {
        None
    } else {
        Some(tx.keys().encrypt(note.as_bytes(), &permit_context(&permit_id))?)
    };
    let next = rights::next_deadline(permit, rights::RENEWAL_LEAD_DAYS);
    let now = tx.now().0;
    // One statement either way, the same values in the same places: a new permit is inserted
    // at once (trying its update first cost a statement, issue 17).
    let sql = if existing {
        "UPDATE permits SET kind = $1, prefecture = $2, applied_on = $3, receipt_on = $4, decided_on = $5, \
         expires_on = $6, outcome = $7, refusal_reason = $8, note = $9, next_deadline_on = $10, \
         next_deadline_kind = $11, updated_at = $12, updated_by = $13 WHERE id = $14 AND case_id = $15"
    } else {
        "INSERT INTO permits (kind, prefecture, applied_on, receipt_on, decided_on, expires_on, outcome, \
         refusal_reason, note, next_deadline_on, next_deadline_kind, updated_at, updated_by, id, case_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $12)"
    };
    let written = sqlx::query(sql)
        .bind(permit.kind.key())
        .bind(prefecture.map(|d| d.code().to_owned()))
        .bind(date_text(permit.applied_on))
        .bind(date_text(permit.receipt_on))
        .bind(date_text(permit.decided_on))
        .bind(date_text(permit.expires_on))
        .bind(permit.outcome.key())
        .bind(permit.refusal_reason.map(RefusalReason::key))
        .bind(sealed)
        .bind(next.map(|(_, due)| due.to_string()))
        .bind(next.map(|(kind, _)| kind.key()))
        .bind(now)
        .bind(access.actor().as_str().to_owned())
        .bind(permit_id.clone())
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    let action = match (existing, written.rows_affected()) {
        (false, _) => Action::CasePermitAdd,
        // Another case's permit, or none: never created under an id the client chose.
        (true, 0) => return Err(StoreError::NotFound),
        (true, _) => Action::CasePermitUpdate,
    };
    crate::casework::queue::refresh(tx, id).await?;
    tx.audit(action, Object::Case, Some(id.as_str()), Some(permit.kind.key()))
        .await?;
    Ok(permit_id)
}

#[derive(sqlx::FromRow)]
struct PermitRow {
    id: String,
    kind: String,
    prefecture: Option<String>,
    applied_on: Option<String>,
    receipt_on: Option<String>,
    decided_on: Option<String>,
    expires_on: Option<String>,
    outcome: String,
    refusal_reason: Option<String>,
    note: Option<String>,
    next_deadline_on: Option<String>,
    next_deadline_kind: Option<String>,
    updated_at: i64,
}

async fn permits(tx: &mut Tx, id: &CaseId) -> Result<Vec<PermitRecord>> {
    let rows: Vec<PermitRow> = sqlx::query_as(
        "SELECT id, kind, prefecture, applied_on, receipt_on, decided_on, expires_on, outcome, refusal_reason, note, \
         next_deadline_on, next_deadline_kind, updated_at FROM permits WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    let day = |raw: Option<String>| raw.as_deref().and_then(Date::parse);
    rows.into_iter()
        .map(|row| {
            let note = match &row.note {
                Some(sealed) => {
                    Some(String::from_utf8_lossy(&tx.keys().decrypt(sealed, &permit_context(&row.id))?).into_owned())
                }
                None => None,
            };
            let next = match (
                row.next_deadline_kind.as_deref().and_then(DeadlineKind::parse),
                day(row.next_deadline_on),
            ) {
                (Some(kind), Some(due)) => Some((kind, due)),
                _ => None,
            };
            Ok(PermitRecord {
                permit: Permit {
                    kind: PermitKind::parse(&row.kind).ok_or(StoreError::Corrupt("permit kind"))?,
                    applied_on: day(row.applied_on),
                    receipt_on: day(row.receipt_on),
                    decided_on: day(row.decided_on),
                    expires_on: day(row.expires_on),
                    outcome: rights::Outcome::parse(&row.outcome).ok_or(StoreError::Corrupt("permit outcome"))?,
                    refusal_reason: row.refusal_reason.as_deref().and_then(RefusalReason::parse),
                },
                prefecture: row.prefecture,
                note,
                next,
                updated_at: Timestamp(row.updated_at),
                id: row.id,
            })
        })
        .collect()
}

async fn closure_in_force(tx: &mut Tx, id: &CaseId) -> Result<Option<ClosureRecord>> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT closure_outcome, closure_summary, closed_at FROM cases WHERE id = $1")
            .bind(id.as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let Some((Some(outcome), Some(sealed), Some(at))) = row else {
        return Ok(None);
    };
    let summary = tx.keys().decrypt(&sealed, &closure_context(id))?;
    Ok(Some(ClosureRecord {
        outcome: closure::Outcome::parse(&outcome).ok_or(StoreError::Corrupt("closure outcome"))?,
        summary: String::from_utf8_lossy(&summary).into_owned(),
        at: Timestamp(at),
    }))
}

/// Opens the support file: assessments (needs at the levels the reader may
/// read), and the permits and the closure in force when the policy opens
/// them. One audited read.
pub async fn open(tx: &mut Tx, access: &CaseAccess) -> Result<SupportFile> {
    access.check(CaseArea::Needs, Mode::Read)?;
    let id = access.case();
    let case = cases::summary(tx, id).await?;
    tx.audit(Action::CaseSupportRead, Object::Case, Some(id.as_str()), None)
        .await?;
    let levels = access.levels();
    let assessments = assessments(tx, id, &levels).await?;
    let permits = if access.may(CaseArea::Permits, Mode::Read) {
        permits(tx, id).await?
    } else {
        vec![]
    };
    let (closure, history) = if access.may(CaseArea::Closure, Mode::Read) {
        // A closing summary tells how support went, health included: it follows the health level.
        let summaries = levels.contains(&Sensitivity::Health);
        let closure = closure_in_force(tx, id).await?.map(|c| ClosureRecord {
            summary: if summaries { c.summary } else { String::new() },
            ..c
        });
        let history = cases::events(tx, id)
            .await?
            .into_iter()
            .filter(|e| e.to == Status::Closed || e.event == Event::Reopen)
            .map(|e| cases::CaseEvent {
                note: e.note.filter(|_| summaries),
                ..e
            })
            .collect();
        (closure, history)
    } else {
        (None, vec![])
    };
    Ok(SupportFile {
        history,
        case,
        assessments,
        permits,
        closure,
    })
}

/// Closes the case with its outcome; the summary is encrypted, in the case
/// (the closure in force) and in the timeline's event (kept when reopened).
pub async fn close(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
    closure: &Closure,
    policy: &Policy,
) -> Result<()> {
    let (summary, stored_due) = cases::in_scope_for_change(tx, can, id).await?;
    cases::record(
        tx,
        can.actor(),
        (summary, Some(stored_due)),
        &Statement::closure(closure),
        policy,
    )
    .await?;
    let sealed = tx.keys().encrypt(closure.summary.as_bytes(), &closure_context(id))?;
    let now = tx.now().0;
    sqlx::query("UPDATE cases SET closure_outcome = $1, closure_summary = $2, closed_at = $3 WHERE id = $4")
        .bind(closure.outcome.key())
        .bind(sealed)
        .bind(now)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(
        Action::CaseClosure,
        Object::Case,
        Some(id.as_str()),
        Some(closure.outcome.key()),
    )
    .await
}

/// Reopens a closed case into support; the closure leaves the case but
/// stays in the timeline.
pub async fn reopen(tx: &mut Tx, can: &Capability<IdentifyVictims>, id: &CaseId, policy: &Policy) -> Result<()> {
    let (summary, stored_due) = cases::in_scope_for_change(tx, can, id).await?;
    cases::record(
        tx,
        can.actor(),
        (summary, Some(stored_due)),
        &Statement::bare(Event::Reopen),
        policy,
    )
    .await?;
    sqlx::query("UPDATE cases SET closure_outcome = NULL, closure_summary = NULL, closed_at = NULL WHERE id = $1")
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}
