//! Cases through the identification workflow (issue 4): the decision queue
//! in the officer's territory, one case with its timeline, and transitions
//! applied through the domain's state machine, each recorded with its
//! actor, time, structured reasons and (encrypted) free text.

use crate::audit::{Action, Object};
use crate::casework::queue::{DueChange, Stored, stored_columns};
use crate::intake::referrals::{self, Referral};
use crate::writes::Writes;
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, IdentifyVictims, Scope, SubmitReferrals, ViewStatistics};
use relais_domain::casework::case_status::{self, Case, Event, Policy, Proposal, Status};
use relais_domain::casework::statement::{Draft, Statement};
use relais_domain::ids::{CaseId, ReferralId, UserId};
use relais_domain::time::{Date, Timestamp, Zone};

/// A case as queues and pages show it (no personal content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: CaseId,
    pub referral_id: ReferralId,
    pub reference: String,
    pub departement: Option<String>,
    pub child: bool,
    pub forms: Vec<String>,
    pub submitted_at: Timestamp,
    pub opened_at: Timestamp,
    pub preliminary_at: Option<Timestamp>,
    pub formal_at: Option<Timestamp>,
    pub case: Case,
}

/// One transition of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub actor: Option<String>,
    /// The actor's organisation: the deciding authority of a decision.
    pub actor_organisation: Option<String>,
    pub event: Event,
    pub from: Status,
    pub to: Status,
    /// A negative decision proposed, waiting for its second decision-maker.
    pub pending: bool,
    pub reasons: Vec<String>,
    pub note: Option<String>,
}

/// A case's columns, in [`case_columns`]' order (as a row, or as the JSON array of a chunk).
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct Row {
    id: String,
    pub(crate) referral_id: String,
    reference: Option<String>,
    departement: Option<String>,
    child: i64,
    forms: Option<String>,
    submitted_at: Option<i64>,
    opened_at: i64,
    preliminary_at: Option<i64>,
    formal_at: Option<i64>,
    status: String,
    reflection_ends: Option<String>,
    early_formal_requested: i64,
    pending_event: Option<String>,
    pending_by: Option<String>,
}

/// The columns of a [`Row`], for queries that join more to them.
macro_rules! case_columns {
    () => {
        "c.id, c.referral_id, r.reference, c.departement, r.child, r.forms, r.submitted_at, \
         c.opened_at, c.preliminary_at, c.formal_at, c.status, c.reflection_ends, c.early_formal_requested, \
         c.pending_event, c.pending_by"
    };
}
pub(crate) use case_columns;

/// A case joined to its referral, as every read of [`Row`] takes it.
const CASES: &str = "cases c JOIN referrals r ON r.id = c.referral_id";

pub(crate) fn parse(row: Row) -> Result<CaseSummary> {
    let pending = match (row.pending_event.as_deref().and_then(Event::parse), row.pending_by) {
        (Some(event), Some(proposed_by)) => Some(Proposal { event, proposed_by }),
        _ => None,
    };
    Ok(CaseSummary {
        id: CaseId::parse(&row.id).ok_or(StoreError::Corrupt("case id"))?,
        referral_id: ReferralId::parse(&row.referral_id).ok_or(StoreError::Corrupt("referral id"))?,
        reference: row.reference.unwrap_or_default(),
        departement: row.departement,
        child: row.child != 0,
        forms: crate::stored_list::items(row.forms.as_deref()),
        submitted_at: Timestamp(row.submitted_at.unwrap_or(row.opened_at)),
        opened_at: Timestamp(row.opened_at),
        preliminary_at: row.preliminary_at.map(Timestamp),
        formal_at: row.formal_at.map(Timestamp),
        case: Case {
            status: Status::parse(&row.status).ok_or(StoreError::Corrupt("case status"))?,
            reflection_ends: row.reflection_ends.as_deref().and_then(Date::parse),
            early_formal_requested: row.early_formal_requested != 0,
            pending,
        },
    })
}

/// One case of `scope` by its id, read as `R` from `columns` of the case and its referral.
async fn one<R>(tx: &mut Tx, scope: &Scope, columns: &str, id: &CaseId) -> Result<R>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let (clause, bound) = crate::scope::departement_clause(scope, "c.departement", 1);
    let id_bind = if bound.is_some() { "$2" } else { "$1" };
    let query = format!("SELECT {columns} FROM {CASES} WHERE {clause} AND c.id = {id_bind}");
    let mut q = sqlx::query_as::<_, R>(&query);
    if let Some(value) = bound {
        q = q.bind(value);
    }
    q.bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)
}

/// Open cases in the officer's territory, oldest referral first.
pub async fn queue(tx: &mut Tx, can: &Capability<IdentifyVictims>) -> Result<Vec<CaseSummary>> {
    let (clause, bound) = crate::scope::departement_clause(can.scope(), "c.departement", 1);
    let query = format!(
        "SELECT {} FROM {CASES} WHERE {clause} AND c.status <> 'closed' ORDER BY r.submitted_at, c.id",
        case_columns!()
    );
    let mut q = sqlx::query_as::<_, Row>(&query);
    if let Some(value) = bound {
        q = q.bind(value);
    }
    let found = q
        .fetch_all(tx.conn())
        .await?
        .into_iter()
        .map(parse)
        .collect::<Result<_>>()?;
    tx.audit(Action::CaseList, Object::Case, None, None).await?;
    Ok(found)
}

/// What timeliness figures need of a case: codes and dates, no reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinessRow {
    pub departement: Option<String>,
    pub forms: Vec<String>,
    pub submitted_at: Timestamp,
    pub preliminary_at: Option<Timestamp>,
    pub formal_at: Option<Timestamp>,
    pub case: Case,
}

/// Every case in the scope, closed ones included, for aggregate figures: handed to `take`
/// one at a time, read by chunks in the order of their ids (at a million cases, the rows
/// held at once took hundreds of MB).
pub async fn timeliness_rows(
    tx: &mut Tx,
    can: &Capability<ViewStatistics>,
    mut take: impl FnMut(TimelinessRow),
) -> Result<()> {
    let (clause, bound) = crate::scope::departement_clause(can.scope(), "c.departement", 1);
    // No reference: the referral's columns are then all in migration 0050's covering index,
    // which is read instead of the referral's wide row.
    let columns: Vec<&str> = case_columns!()
        .split(',')
        .map(str::trim)
        .map(|column| if column == "r.reference" { "NULL" } else { column })
        .collect();
    let from_where = format!("FROM {CASES} WHERE {clause}");
    let binds: Vec<String> = bound.into_iter().collect();
    let mut corrupt = None;
    crate::chunked::Chunked {
        columns: &columns,
        from_where: &from_where,
        binds: &binds,
        rows_per_chunk: crate::chunked::CHUNK,
    }
    .each(tx, |row: Row| match parse(row) {
        Ok(c) => take(TimelinessRow {
            departement: c.departement,
            forms: c.forms,
            submitted_at: c.submitted_at,
            preliminary_at: c.preliminary_at,
            formal_at: c.formal_at,
            case: c.case,
        }),
        Err(error) => corrupt = Some(error),
    })
    .await?;
    if let Some(error) = corrupt {
        return Err(error);
    }
    tx.audit(Action::CaseStatistics, Object::Case, None, None).await
}

/// A case whatever the scope: callers decide whether the actor may see it.
pub(crate) async fn summary(tx: &mut Tx, id: &CaseId) -> Result<CaseSummary> {
    parse(one(tx, &Scope::National, case_columns!(), id).await?)
}

pub(crate) async fn in_scope(tx: &mut Tx, can: &Capability<IdentifyVictims>, id: &CaseId) -> Result<CaseSummary> {
    parse(one(tx, can.scope(), case_columns!(), id).await?)
}

/// A case and what is stored of its queue deadline, as [`in_scope_for_change`] reads them.
#[derive(sqlx::FromRow)]
struct RowForChange {
    #[sqlx(flatten)]
    case: Row,
    #[sqlx(flatten)]
    due: Stored,
}

/// [`in_scope`] before a change to the case, with what its queue deadline needs: one
/// statement where reading the case and then its deadline took two (issue 17).
pub(crate) async fn in_scope_for_change(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
) -> Result<(CaseSummary, Stored)> {
    let columns = concat!(case_columns!(), ", ", stored_columns!());
    let row: RowForChange = one(tx, can.scope(), columns, id).await?;
    Ok((parse(row.case)?, row.due))
}

fn note_context(event_id: &str) -> String {
    format!("case-event:{event_id}")
}

pub(crate) async fn events(tx: &mut Tx, id: &CaseId) -> Result<Vec<CaseEvent>> {
    type EventRow = (
        String,
        i64,
        Option<String>,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.at, u.display_name, e.event, e.from_status, e.to_status, e.pending, e.reasons, e.note, \
         o.name FROM case_events e LEFT JOIN users u ON u.id = e.actor_user_id \
         LEFT JOIN organisations o ON o.id = u.organisation_id WHERE e.case_id = $1 ORDER BY e.at, e.id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(
            |(event_id, at, actor, event, from, to, pending, reasons, note, actor_organisation)| {
                let note = match note {
                    Some(sealed) => {
                        let plain = tx.keys().decrypt(&sealed, &note_context(&event_id))?;
                        Some(String::from_utf8_lossy(&plain).into_owned())
                    }
                    None => None,
                };
                Ok(CaseEvent {
                    at: Timestamp(at),
                    actor,
                    actor_organisation,
                    event: Event::parse(&event).ok_or(StoreError::Corrupt("case event"))?,
                    from: Status::parse(&from).ok_or(StoreError::Corrupt("case status"))?,
                    to: Status::parse(&to).ok_or(StoreError::Corrupt("case status"))?,
                    pending: pending != 0,
                    reasons: crate::stored_list::items(Some(&reasons)),
                    note,
                })
            },
        )
        .collect()
}

/// One case with its timeline and its referral (audited read).
pub async fn open(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
) -> Result<(CaseSummary, Vec<CaseEvent>, Referral)> {
    let summary = in_scope(tx, can, id).await?;
    let timeline = events(tx, id).await?;
    let referral = referrals::fetch(tx, &summary.referral_id).await?;
    tx.audit(Action::CaseRead, Object::Case, Some(id.as_str()), None)
        .await?;
    Ok((summary, timeline, referral))
}

/// Where the person stands with police and justice: recorded, never a condition.
pub const COOPERATION: [&str; 5] = ["none", "complaint-filed", "testimony", "declined", "unknown"];

/// Records the person's cooperation with police and justice (apart from decisions).
pub async fn record_cooperation(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
    value: &str,
) -> Result<()> {
    if !COOPERATION.contains(&value) {
        return Err(StoreError::Conflict("unknown cooperation value"));
    }
    in_scope(tx, can, id).await?;
    let now = tx.now().0;
    sqlx::query("UPDATE cases SET cooperation = $1, cooperation_at = $2 WHERE id = $3")
        .bind(value.to_owned())
        .bind(now)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CaseCooperation, Object::Case, Some(id.as_str()), Some(value))
        .await
}

/// The recorded cooperation, if any.
pub async fn cooperation(tx: &mut Tx, id: &CaseId) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT cooperation FROM cases WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    Ok(row.and_then(|(c,)| c))
}

/// Applies `event` with what was posted, or refuses: with every problem of
/// the statement ([`Statement::new`]), or with the workflow's explanation.
pub async fn apply(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    id: &CaseId,
    event: Event,
    draft: &Draft,
    policy: &Policy,
) -> Result<CaseSummary> {
    // A closure states its outcome and a reopening clears it: both go through `support`.
    if matches!(event, Event::Close | Event::Reopen) {
        return Err(StoreError::Conflict(
            "closing and reopening go through the support page",
        ));
    }
    let (summary, stored_due) = in_scope_for_change(tx, can, id).await?;
    let statement = Statement::new(event, draft).map_err(StoreError::Statement)?;
    record(tx, can.actor(), (summary, Some(stored_due)), &statement, policy).await
}

/// The identification stage of the case opened from the user's own referral, if any.
pub async fn stage_of_own_referral(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    referral: &ReferralId,
) -> Result<Option<Status>> {
    Ok(own_referral_case(tx, can, referral).await?.map(|c| c.case.status))
}

async fn own_referral_case(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    referral: &ReferralId,
) -> Result<Option<CaseSummary>> {
    let found = referrals::fetch(tx, referral).await?;
    if found.created_by.as_ref() != Some(can.actor()) {
        return Err(StoreError::NotFound);
    }
    match found.case_id.as_deref().and_then(CaseId::parse) {
        Some(case) => Ok(Some(summary(tx, &case).await?)),
        None => Ok(None),
    }
}

/// The referrer asks for a negative decision to be reconsidered, with new information.
pub async fn request_reconsideration(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    referral: &ReferralId,
    information: &str,
) -> Result<()> {
    let case = own_referral_case(tx, can, referral)
        .await?
        .ok_or(StoreError::NotFound)?;
    let draft = Draft {
        note: information.to_owned(),
        ..Draft::default()
    };
    let statement = Statement::new(Event::RequestReconsideration, &draft).map_err(StoreError::Statement)?;
    record(tx, can.actor(), (case, None), &statement, &Policy::default()).await?;
    Ok(())
}

/// Applies a checked statement's event for `actor` and records it in the timeline. The case
/// comes as read before the change, with its stored queue deadline when the caller read it in
/// the same statement (read here otherwise).
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &UserId,
    (summary, stored_due): (CaseSummary, Option<Stored>),
    statement: &Statement,
    policy: &Policy,
) -> Result<CaseSummary> {
    let id = &summary.id.clone();
    let event = statement.event();
    // The reflection period and every day of the workflow are counted in
    // the local days of the case's département.
    let today = Date::local(tx.now(), &Zone::of_code(summary.departement.as_deref()));
    let next = case_status::apply(&summary.case, event, actor.as_str(), today, policy).map_err(StoreError::Workflow)?;
    let now = tx.now().0;
    let from_status = summary.case.status;
    let decided_now = next.status != from_status;
    let preliminary = decided_now
        && matches!(
            (summary.case.status, next.status),
            (
                Status::Referred | Status::InformationRequested,
                Status::Reflection | Status::NegativePreliminary
            )
        );
    let formal = decided_now
        && summary.case.status == Status::Reflection
        && matches!(
            next.status,
            Status::Identified | Status::NotIdentified | Status::InsufficientEvidence
        );
    let updated = CaseSummary {
        departement: statement
            .transfer_to()
            .map(|to| to.code().to_owned())
            .or_else(|| summary.departement.clone()),
        preliminary_at: if preliminary {
            Some(tx.now())
        } else {
            summary.preliminary_at
        },
        formal_at: if formal { Some(tx.now()) } else { summary.formal_at },
        case: next,
        ..summary
    };
    // The queue's deadline of the case as it is about to be written, in the same statement as
    // its stage: reading the case back and writing the deadline apart cost two statements per
    // event (issue 17).
    let stored_due = match stored_due {
        Some(stored) => Some(stored),
        None => crate::casework::queue::stored(tx.conn(), id).await?,
    };
    let due = stored_due.and_then(|stored| DueChange::of(&updated, stored));
    let set_due = if due.is_some() {
        ", next_due_kind = $10, next_due_on = $11, due_counted_departement = $12, due_counted_on = $13"
    } else {
        ""
    };
    let event_id = crate::record_id_hex();
    let note = statement.note();
    let sealed = if note.is_empty() {
        None
    } else {
        Some(tx.keys().encrypt(note.as_bytes(), &note_context(&event_id))?)
    };
    // The stage, the overdue counts and the event in one statement (ADR 0072).
    let case = &updated.case;
    let mut writes = Writes::default();
    writes
        .push(&format!(
            "UPDATE cases SET status = $1, reflection_ends = $2, early_formal_requested = $3, pending_event = $4, \
             pending_by = $5, updated_at = $6, \
             preliminary_at = CASE WHEN $7 = 1 THEN $6 ELSE preliminary_at END, \
             formal_at = CASE WHEN $8 = 1 THEN $6 ELSE formal_at END{set_due} WHERE id = $9"
        ))
        .bind(case.status.key())?
        .bind(case.reflection_ends.map(|d| d.to_string()))?
        .bind(i64::from(case.early_formal_requested))?
        .bind(case.pending.as_ref().map(|p| p.event.key()))?
        .bind(case.pending.as_ref().map(|p| p.proposed_by.clone()))?
        .bind(now)?
        .bind(i64::from(preliminary))?
        .bind(i64::from(formal))?
        .bind(id.as_str().to_owned())?;
    if let Some(due) = &due {
        writes
            .bind(due.kind)?
            .bind(due.on.clone())?
            .bind(due.counted.as_ref().map(|c| c.0.clone()))?
            .bind(due.counted.as_ref().map(|c| c.1.clone()))?;
        due.move_count(&mut writes)?;
    }
    writes
        .push(
            "INSERT INTO case_events (id, case_id, at, actor_user_id, event, from_status, to_status, pending, reasons, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(event_id)?
        .bind(id.as_str().to_owned())?
        .bind(now)?
        .bind(actor.as_str().to_owned())?
        .bind(event.key())?
        .bind(from_status.key())?
        .bind(updated.case.status.key())?
        .bind(i64::from(updated.case.pending.is_some()))?
        .bind(statement.reasons().join(","))?
        .bind(sealed)?;
    let backend = tx.backend();
    writes.execute(tx.conn(), backend).await?;
    // A transfer moves ownership: the receiving département's authority sees the case, the
    // former one no longer. Apart: on PostgreSQL one statement may not write a row twice.
    if let Some(to) = statement.transfer_to() {
        sqlx::query("UPDATE cases SET departement = $1 WHERE id = $2")
            .bind(to.code().to_owned())
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
    }
    if let Some(to) = statement.transfer_organisation() {
        sqlx::query("UPDATE cases SET owner_organisation_id = $1 WHERE id = $2")
            .bind(to.as_str().to_owned())
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
    }
    tx.audit(Action::case_event(event), Object::Case, Some(id.as_str()), None)
        .await?;
    Ok(updated)
}
