//! The identification authority's triage queue (file de tri): the referrals
//! waiting for a decision in the officer's territory, one item with its
//! thread and duplicate-person candidates, and the decisions.
//!
//! Scope is applied in SQL on the referral's département: a national
//! officer sees everything, a département officer their département only
//! (and a referral without a département only nationally). Outside scope an
//! item does not exist (`NotFound`), so ids cannot be probed.

use crate::audit::{Action, Object};
use crate::casework::queue::DueChange;
use crate::intake::child_protection::{TASK_KIND, Unit};
use crate::intake::persons::{self, Identity, PersonSummary};
use crate::intake::referrals::{self, Author, Message, Referral, Summary};
use crate::writes::Writes;
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, TriageReferrals};
use relais_domain::ids::{CaseId, PersonId, ReferralId};
use relais_domain::intake::person_match::Candidate;
use relais_domain::intake::referral::ReferralKind;
use relais_domain::intake::referral::status::{Event, Status};
use relais_domain::intake::triage::Explanation;
use relais_domain::territory::Departement;
use relais_domain::time::Timestamp;

/// The status a case starts in: waiting for the identification workflow.
pub const CASE_REFERRED: &str = "referred";

const DAY_SECONDS: i64 = 24 * 60 * 60;

/// The queue's filters; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub departement: Option<String>,
    pub child: Option<bool>,
    pub urgent: Option<bool>,
    /// Only items submitted at least this many days ago.
    pub older_than_days: Option<i64>,
    /// One status; by default the open ones (submitted, information requested).
    pub status: Option<Status>,
}

/// A child-protection notification task of a referral, with its addressee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildTask {
    pub id: String,
    pub departement: Option<String>,
    pub recipient: Option<String>,
    pub due_at: Timestamp,
    pub done: bool,
    pub done_at: Option<Timestamp>,
    /// The unit's contact, when the directory has the département.
    pub unit: Option<Unit>,
}

/// One queue item, as the officer opens it.
#[derive(Debug, Clone)]
pub struct Item {
    pub referral: Referral,
    pub thread: Vec<Message>,
    /// Known persons who may be this person (only while undecided).
    pub candidates: Vec<(PersonSummary, Candidate)>,
    pub child_tasks: Vec<ChildTask>,
}

/// Items on one page of the queue.
pub const QUEUE_PAGE: usize = 50;

/// Where a page of the queue starts: after this item, in the queue's order
/// (urgent first, then the oldest), so a page is found by the index however
/// long the queue (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueKey {
    pub urgent: bool,
    pub submitted_at: Timestamp,
    pub id: ReferralId,
}

impl QueueKey {
    /// The key as the next page's link carries it.
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", u8::from(self.urgent), self.submitted_at.0, self.id.as_str())
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let (urgent, rest) = raw.split_once('.')?;
        let (submitted_at, id) = rest.split_once('.')?;
        Some(Self {
            urgent: match urgent {
                "1" => true,
                "0" => false,
                _ => return None,
            },
            submitted_at: Timestamp(submitted_at.parse().ok()?),
            id: ReferralId::parse(id)?,
        })
    }

    fn of(summary: &Summary) -> Option<Self> {
        Some(Self {
            urgent: summary.urgent,
            submitted_at: summary.submitted_at?,
            id: summary.id.clone(),
        })
    }
}

/// One page of the queue, and where the next one starts.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub items: Vec<Summary>,
    pub next: Option<QueueKey>,
}

/// How many referrals wait for the authority in the officer's territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub all: i64,
    pub urgent: i64,
}

/// The filter's SQL conditions and their values.
fn conditions(tx: &Tx, can: &Capability<TriageReferrals>, filter: &QueueFilter) -> (Vec<String>, Vec<String>) {
    let mut binds: Vec<String> = Vec::new();
    let mut clauses: Vec<String> = Vec::new();
    match filter.status {
        Some(status) => {
            binds.push(status.key().to_owned());
            clauses.push(format!("status = ${}", binds.len()));
        }
        // Written as migration 0049's partial index says it, so that the queue is read from it.
        None => clauses.push(format!(
            "status IN ('{}', '{}')",
            Status::Submitted.key(),
            Status::InformationRequested.key()
        )),
    }
    let (scope, bound) = crate::scope::departement_clause(can.scope(), "departement", binds.len() + 1);
    clauses.push(scope);
    binds.extend(bound);
    if let Some(departement) = &filter.departement {
        binds.push(departement.clone());
        clauses.push(format!("departement = ${}", binds.len()));
    }
    // Flags and ages are integers built here, not user text: written inline
    // so that PostgreSQL compares BIGINT with BIGINT.
    if let Some(child) = filter.child {
        clauses.push(format!("child = {}", i64::from(child)));
    }
    if let Some(urgent) = filter.urgent {
        clauses.push(format!("urgent = {}", i64::from(urgent)));
    }
    if let Some(days) = filter.older_than_days {
        let before = tx.now().0.saturating_sub(days.max(0).saturating_mul(DAY_SECONDS));
        clauses.push(format!("submitted_at <= {before}"));
    }
    (clauses, binds)
}

/// The referrals waiting for the authority in the officer's territory:
/// urgent first, then the oldest; one page, after `after`.
pub async fn queue(
    tx: &mut Tx,
    can: &Capability<TriageReferrals>,
    filter: &QueueFilter,
    after: Option<&QueueKey>,
) -> Result<QueuePage> {
    let (mut clauses, mut binds) = conditions(tx, can, filter);
    if let Some(key) = after {
        binds.push(key.id.as_str().to_owned());
        let (urgent, at) = (i64::from(key.urgent), key.submitted_at.0);
        clauses.push(format!(
            "(urgent < {urgent} OR (urgent = {urgent} AND (submitted_at > {at} \
             OR (submitted_at = {at} AND id > ${}))))",
            binds.len()
        ));
    }
    let order = format!("urgent DESC, submitted_at, id LIMIT {}", QUEUE_PAGE + 1);
    let mut items = referrals::summaries(tx, &clauses.join(" AND "), &order, &binds).await?;
    tx.audit(Action::TriageList, Object::Referral, None, None).await?;
    let next = if items.len() > QUEUE_PAGE {
        items.truncate(QUEUE_PAGE);
        items.last().and_then(QueueKey::of)
    } else {
        None
    };
    Ok(QueuePage { items, next })
}

/// How many open referrals wait, and how many of them are urgent: counted
/// by the database, not listed (the home page's reminders).
pub async fn waiting(tx: &mut Tx, can: &Capability<TriageReferrals>) -> Result<Waiting> {
    let (clauses, binds) = conditions(tx, can, &QueueFilter::default());
    let query = format!(
        "SELECT COUNT(*), COUNT(CASE WHEN urgent = 1 THEN 1 END) FROM referrals WHERE {}",
        clauses.join(" AND ")
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(&query);
    for value in binds {
        q = q.bind(value);
    }
    let (all, urgent) = q.fetch_one(tx.conn()).await?;
    tx.audit(Action::TriageList, Object::Referral, None, None).await?;
    Ok(Waiting { all, urgent })
}

/// The referral if it is submitted (not a draft) and in scope.
async fn fetch_in_scope(tx: &mut Tx, can: &Capability<TriageReferrals>, id: &ReferralId) -> Result<Referral> {
    let referral = referrals::fetch(tx, id).await?;
    if referral.summary.status == Status::Draft
        || !can
            .scope()
            .reaches_departement(referral.summary.departement.as_deref().and_then(Departement::parse))
    {
        return Err(StoreError::NotFound);
    }
    Ok(referral)
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    departement: Option<String>,
    recipient: Option<String>,
    due_at: i64,
    status: String,
    done_at: Option<i64>,
    unit_name: Option<String>,
    unit_email: Option<String>,
    unit_phone: Option<String>,
}

async fn child_tasks(tx: &mut Tx, id: &ReferralId) -> Result<Vec<ChildTask>> {
    let rows: Vec<TaskRow> = sqlx::query_as(
        "SELECT t.id, t.departement, t.recipient, t.due_at, t.status, t.done_at, \
         u.name AS unit_name, u.email AS unit_email, u.phone AS unit_phone \
         FROM tasks t LEFT JOIN child_protection_units u ON u.departement = t.departement \
         WHERE t.referral_id = $1 AND t.kind = $2 ORDER BY t.created_at, t.id",
    )
    .bind(id.as_str().to_owned())
    .bind(TASK_KIND)
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let unit = match (r.departement.clone(), r.unit_name, r.unit_email, r.unit_phone) {
                (Some(departement), Some(name), Some(email), Some(phone)) => Some(Unit {
                    departement,
                    name,
                    email,
                    phone,
                }),
                _ => None,
            };
            ChildTask {
                id: r.id,
                departement: r.departement,
                recipient: r.recipient,
                due_at: Timestamp(r.due_at),
                done: r.status == "done",
                done_at: r.done_at.map(Timestamp),
                unit,
            }
        })
        .collect())
}

/// Opens one item: the referral decrypted, its thread, the duplicate-person
/// candidates and its child-protection tasks. Audited as a read.
pub async fn open(tx: &mut Tx, can: &Capability<TriageReferrals>, id: &ReferralId) -> Result<Item> {
    let referral = fetch_in_scope(tx, can, id).await?;
    let thread = referrals::messages(tx, id).await?;
    let candidates =
        if referral.summary.status.is_open() && referral.summary.kind != ReferralKind::AnonymousNotification {
            persons::candidates_for(tx, &Identity::of(&referral.details)).await?
        } else {
            Vec::new()
        };
    let child_tasks = child_tasks(tx, id).await?;
    tx.audit(Action::ReferralRead, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok(Item {
        referral,
        thread,
        candidates,
        child_tasks,
    })
}

/// Asks the referrer (or the public reporter) for more information.
pub async fn request_information(
    tx: &mut Tx,
    can: &Capability<TriageReferrals>,
    id: &ReferralId,
    message: &str,
) -> Result<()> {
    let message = Explanation::parse(message).ok_or(StoreError::Conflict("an information request needs a message"))?;
    let referral = fetch_in_scope(tx, can, id).await?;
    referrals::transition(tx, &referral, Event::RequestInformation).await?;
    referrals::add_message(tx, id, Author::Authority, message.as_str()).await?;
    tx.audit(
        Action::ReferralRequestInformation,
        Object::Referral,
        Some(id.as_str()),
        None,
    )
    .await
}

/// What a triage decision records besides the referral's new status.
#[derive(Default)]
struct Outcome<'a> {
    person: Option<&'a PersonId>,
    case: Option<&'a CaseId>,
    sealed_reason: Option<String>,
}

/// A triage decision on a referral, checked against the referral's workflow before anything
/// is written.
struct Decision<'a> {
    referral: &'a Referral,
    to: Status,
}

impl<'a> Decision<'a> {
    fn of(referral: &'a Referral, event: Event) -> Result<Self> {
        let to = referral.summary.status.after(event, referral.summary.kind)?;
        Ok(Self { referral, to })
    }

    /// Moves the referral to its new status and records who decided, when and what it led
    /// to, with the referrer's notice of the new status, after `writes` (what the decision
    /// wrote besides), all in one statement (ADR 0072).
    async fn record(
        self,
        tx: &mut Tx,
        can: &Capability<TriageReferrals>,
        outcome: Outcome<'_>,
        mut writes: Writes,
    ) -> Result<()> {
        let summary = &self.referral.summary;
        writes
            .push(
                "UPDATE referrals SET status = $1, updated_at = $2, person_id = COALESCE($3, person_id), \
                 case_id = COALESCE($4, case_id), decision_reason = COALESCE($5, decision_reason), decided_at = $2, \
                 decided_by = $6 WHERE id = $7 AND status = $8",
            )
            .bind(self.to.key())?
            .bind(tx.now().0)?
            .bind(outcome.person.map(|p| p.as_str().to_owned()))?
            .bind(outcome.case.map(|c| c.as_str().to_owned()))?
            .bind(outcome.sealed_reason)?
            .bind(can.actor().as_str().to_owned())?
            .bind(summary.id.as_str().to_owned())?
            .bind(summary.status.key())?;
        crate::intake::status_notices::record(tx, &mut writes, self.referral, self.to)?;
        let backend = tx.backend();
        writes.execute(tx.conn(), backend).await
    }
}

/// Accepts the referral: records its person and opens a case for the
/// identification workflow.
pub async fn accept(tx: &mut Tx, can: &Capability<TriageReferrals>, id: &ReferralId) -> Result<CaseId> {
    let referral = fetch_in_scope(tx, can, id).await?;
    let decision = Decision::of(&referral, Event::Accept)?;
    let mut writes = Writes::default();
    let person = persons::insert(tx, &mut writes, &Identity::of(&referral.details))?;
    let case = CaseId::from_bytes(crate::record_id());
    let now = tx.now().0;
    // The case opens with its queue deadline and in its overdue bucket: computed from the
    // referral, not read back after the insert (three statements per case, issue 17).
    let submitted_at = referral.summary.submitted_at.unwrap_or(tx.now());
    let due = DueChange::of_new_case(submitted_at, referral.summary.departement.as_deref());
    writes
        .push(
            "INSERT INTO cases (id, person_id, referral_id, status, departement, opened_at, opened_by, \
             next_due_kind, next_due_on, due_counted_departement, due_counted_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(case.as_str().to_owned())?
        .bind(person.as_str().to_owned())?
        .bind(id.as_str().to_owned())?
        .bind(CASE_REFERRED)?
        .bind(referral.summary.departement.clone())?
        .bind(now)?
        .bind(can.actor().as_str().to_owned())?
        .bind(due.kind)?
        .bind(due.on.clone())?
        .bind(due.counted.as_ref().map(|c| c.0.clone()))?
        .bind(due.counted.as_ref().map(|c| c.1.clone()))?;
    due.move_count(&mut writes)?;
    let outcome = Outcome {
        person: Some(&person),
        case: Some(&case),
        ..Outcome::default()
    };
    decision.record(tx, can, outcome, writes).await?;
    tx.audit(Action::PersonCreate, Object::Person, Some(person.as_str()), None)
        .await?;
    tx.audit(Action::CaseOpen, Object::Case, Some(case.as_str()), None)
        .await?;
    tx.audit(Action::ReferralAccept, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok(case)
}

/// Rejects the referral; the reason is required and kept encrypted.
pub async fn reject(tx: &mut Tx, can: &Capability<TriageReferrals>, id: &ReferralId, reason: &str) -> Result<()> {
    let reason = Explanation::parse(reason).ok_or(StoreError::Conflict("a rejection needs a reason"))?;
    let referral = fetch_in_scope(tx, can, id).await?;
    let decision = Decision::of(&referral, Event::Reject)?;
    let sealed = referrals::seal_reason(tx, id.as_str(), reason.as_str())?;
    let outcome = Outcome {
        sealed_reason: Some(sealed),
        ..Outcome::default()
    };
    decision.record(tx, can, outcome, Writes::default()).await?;
    tx.audit(Action::ReferralReject, Object::Referral, Some(id.as_str()), None)
        .await
}

/// Links the referral to a person already known: no new person, no case.
pub async fn mark_duplicate(
    tx: &mut Tx,
    can: &Capability<TriageReferrals>,
    id: &ReferralId,
    person: &PersonId,
) -> Result<()> {
    let referral = fetch_in_scope(tx, can, id).await?;
    let decision = Decision::of(&referral, Event::MarkDuplicate)?;
    if !persons::exists(tx, person).await? {
        return Err(StoreError::NotFound);
    }
    let outcome = Outcome {
        person: Some(person),
        ..Outcome::default()
    };
    decision.record(tx, can, outcome, Writes::default()).await?;
    tx.audit(
        Action::ReferralMarkDuplicate,
        Object::Referral,
        Some(id.as_str()),
        Some(person.as_str()),
    )
    .await
}

/// Records an anonymous notification (counted, closed, no person).
pub async fn record(tx: &mut Tx, can: &Capability<TriageReferrals>, id: &ReferralId) -> Result<()> {
    let referral = fetch_in_scope(tx, can, id).await?;
    Decision::of(&referral, Event::Record)?
        .record(tx, can, Outcome::default(), Writes::default())
        .await?;
    tx.audit(Action::ReferralRecord, Object::Referral, Some(id.as_str()), None)
        .await
}

/// Marks a child-protection notification as done; returns its referral.
pub async fn complete_task(tx: &mut Tx, can: &Capability<TriageReferrals>, task_id: &str) -> Result<ReferralId> {
    let row: Option<(Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT t.referral_id, r.departement, t.status FROM tasks t LEFT JOIN referrals r ON r.id = t.referral_id \
         WHERE t.id = $1 AND t.kind = $2",
    )
    .bind(task_id.to_owned())
    .bind(TASK_KIND)
    .fetch_optional(tx.conn())
    .await?;
    let (referral, departement, status) = row.ok_or(StoreError::NotFound)?;
    let referral = referral
        .as_deref()
        .and_then(ReferralId::parse)
        .ok_or(StoreError::NotFound)?;
    if !can
        .scope()
        .reaches_departement(departement.as_deref().and_then(Departement::parse))
    {
        return Err(StoreError::NotFound);
    }
    if status != "open" {
        return Err(StoreError::Conflict("task already done"));
    }
    let now = tx.now().0;
    sqlx::query("UPDATE tasks SET status = 'done', done_at = $1, done_by = $2 WHERE id = $3 AND status = 'open'")
        .bind(now)
        .bind(can.actor().as_str().to_owned())
        .bind(task_id.to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::TaskDone, Object::Task, Some(task_id), Some(referral.as_str()))
        .await?;
    Ok(referral)
}
