//! Referrals: drafts saved at every step, submission (with the consent and
//! child rules), and what a referrer sees of the referrals they wrote.
//!
//! The form content is one encrypted JSON document bound to its row; the
//! clear columns hold only codes and flags (see migration 0003).

use crate::audit::{Action, Object};
use crate::writes::Writes;
use crate::{Result, StoreError, Tx, intake::child_protection};
use relais_domain::access::authz::{Capability, SubmitReferrals};
use relais_domain::ids::{OrganisationId, ReferralId, UserId};
use relais_domain::intake::referral::reference::Reference;
use relais_domain::intake::referral::status::{Event, Status};
use relais_domain::intake::referral::steps::{self, Step};
use relais_domain::intake::referral::{ReferralDetails, ReferralKind};
use relais_domain::intake::screening::Overall;
use relais_domain::time::{Date, Timestamp};
use strum::EnumCount;

/// What lists show: no personal content, only codes and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: ReferralId,
    pub reference: Option<String>,
    pub kind: ReferralKind,
    pub status: Status,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    /// The step a draft was last saved at.
    pub step: String,
    pub departement: Option<String>,
    pub child: bool,
    pub urgent: bool,
    pub screening: Option<Overall>,
    pub forms: Vec<String>,
}

/// A referral with its decrypted content.
#[derive(Debug, Clone)]
pub struct Referral {
    pub summary: Summary,
    pub details: ReferralDetails,
    /// The catalogue version its screening uses.
    pub catalogue: Option<(String, i64)>,
    pub organisation_id: Option<OrganisationId>,
    pub created_by: Option<UserId>,
    pub person_id: Option<String>,
    pub case_id: Option<String>,
    pub decision_reason: Option<String>,
}

/// Who wrote a message of the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum Author {
    /// The identification authority.
    Authority,
    /// The professional who referred.
    Referrer,
    /// The public reporter of a signalement.
    Reporter,
}

impl Author {
    pub const ALL: [Self; Self::COUNT] = [Self::Authority, Self::Referrer, Self::Reporter];

    pub fn key(self) -> &'static str {
        match self {
            Self::Authority => "authority",
            Self::Referrer => "referrer",
            Self::Reporter => "reporter",
        }
    }

    fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub author: Author,
    pub body: String,
    pub at: Timestamp,
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: String,
    kind: String,
    status: String,
    reference: Option<String>,
    created_at: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
    step: String,
    departement: Option<String>,
    child: i64,
    urgent: i64,
    screening: Option<String>,
    forms: Option<String>,
    details: String,
    catalogue_id: Option<String>,
    catalogue_version: Option<i64>,
    organisation_id: Option<String>,
    created_by: Option<String>,
    person_id: Option<String>,
    case_id: Option<String>,
    decision_reason: Option<String>,
}

pub(crate) const SELECT: &str = "SELECT id, kind, status, reference, created_at, updated_at, submitted_at, step, \
     departement, child, urgent, screening, forms, details, catalogue_id, catalogue_version, organisation_id, \
     created_by, person_id, case_id, decision_reason FROM referrals";

fn context(id: &str) -> String {
    format!("referral:{id}")
}

fn reason_context(id: &str) -> String {
    format!("referral-decision:{id}")
}

pub(crate) fn summary(row: &Row) -> Result<Summary> {
    Ok(Summary {
        id: ReferralId::parse(&row.id).ok_or(StoreError::Corrupt("referral id"))?,
        reference: row.reference.clone(),
        kind: ReferralKind::parse(&row.kind).ok_or(StoreError::Corrupt("referral kind"))?,
        status: Status::parse(&row.status).ok_or(StoreError::Corrupt("referral status"))?,
        created_at: Timestamp(row.created_at),
        updated_at: Timestamp(row.updated_at),
        submitted_at: row.submitted_at.map(Timestamp),
        step: row.step.clone(),
        departement: row.departement.clone(),
        child: row.child != 0,
        urgent: row.urgent != 0,
        screening: row.screening.as_deref().and_then(Overall::parse),
        forms: crate::stored_list::items(row.forms.as_deref()),
    })
}

/// The referral's content alone, from its sealed column.
pub(crate) fn open_details(tx: &Tx, id: &str, sealed: &str) -> Result<ReferralDetails> {
    let plain = tx.keys().decrypt(sealed, &context(id))?;
    serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("referral details"))
}

pub(crate) fn decrypt(tx: &Tx, row: &Row) -> Result<Referral> {
    let plain = tx.keys().decrypt(&row.details, &context(&row.id))?;
    let details: ReferralDetails =
        serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("referral details"))?;
    let decision_reason = match &row.decision_reason {
        Some(sealed) => {
            let plain = tx.keys().decrypt(sealed, &reason_context(&row.id))?;
            Some(String::from_utf8_lossy(&plain).into_owned())
        }
        None => None,
    };
    Ok(Referral {
        summary: summary(row)?,
        details,
        catalogue: row.catalogue_id.clone().zip(row.catalogue_version),
        organisation_id: row.organisation_id.as_deref().and_then(OrganisationId::parse),
        created_by: row.created_by.as_deref().and_then(UserId::parse),
        person_id: row.person_id.clone(),
        case_id: row.case_id.clone(),
        decision_reason,
    })
}

pub(crate) fn seal(tx: &Tx, id: &str, details: &ReferralDetails) -> Result<String> {
    let json = serde_json::to_vec(details).map_err(|_| StoreError::Corrupt("referral details"))?;
    tx.keys().encrypt(&json, &context(id))
}

pub(crate) fn seal_reason(tx: &Tx, id: &str, reason: &str) -> Result<String> {
    tx.keys().encrypt(reason.as_bytes(), &reason_context(id))
}

/// Who a new referral row comes from.
pub(crate) struct Origin {
    pub kind: ReferralKind,
    pub organisation_id: Option<OrganisationId>,
    pub created_by: Option<UserId>,
    pub api_token_id: Option<String>,
}

/// Inserts a draft row; [`finalise`] submits it.
pub(crate) async fn insert_draft(
    tx: &mut Tx,
    origin: &Origin,
    details: &ReferralDetails,
    catalogue: Option<(&str, i64)>,
) -> Result<ReferralId> {
    let id = ReferralId::from_bytes(crate::record_id());
    let sealed = seal(tx, id.as_str(), details)?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO referrals (id, kind, status, organisation_id, created_by, api_token_id, created_at, updated_at, \
         step, details, catalogue_id, catalogue_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11)",
    )
    .bind(id.as_str().to_owned())
    .bind(origin.kind.key())
    .bind(Status::Draft.key())
    .bind(origin.organisation_id.as_ref().map(|o| o.as_str().to_owned()))
    .bind(origin.created_by.as_ref().map(|u| u.as_str().to_owned()))
    .bind(origin.api_token_id.clone())
    .bind(now)
    .bind(Step::Person.key())
    .bind(sealed)
    .bind(catalogue.map(|(c, _)| c.to_owned()))
    .bind(catalogue.map(|(_, v)| v))
    .execute(tx.conn())
    .await?;
    Ok(id)
}

pub(crate) async fn fetch(tx: &mut Tx, id: &ReferralId) -> Result<Referral> {
    let query = format!("{SELECT} WHERE id = $1");
    let row: Row = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    decrypt(tx, &row)
}

/// Summaries matching a WHERE clause whose values are bound in order.
pub(crate) async fn summaries(tx: &mut Tx, filter: &str, order: &str, binds: &[String]) -> Result<Vec<Summary>> {
    let query = format!("{SELECT} WHERE {filter} ORDER BY {order}");
    let mut q = sqlx::query_as::<_, Row>(&query);
    for value in binds {
        q = q.bind(value.clone());
    }
    q.fetch_all(tx.conn()).await?.iter().map(summary).collect()
}

/// What submission produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: ReferralId,
    pub reference: Reference,
    pub kind: ReferralKind,
    /// The child-protection unit notified, when the person is a child
    /// (`Some(None)`: a child, but the directory has no unit for the département).
    pub child_notification: Option<Option<String>>,
}

/// Submits a draft: checks every step, applies the consent rule (an adult's
/// refusal keeps statistical fields only), gives a reference, and for a
/// child creates the urgent child-protection notification task.
pub(crate) async fn finalise(
    tx: &mut Tx,
    id: &ReferralId,
    kind: ReferralKind,
    details: &ReferralDetails,
    screening: Option<Overall>,
) -> Result<Submitted> {
    let (kind, details) = if kind == ReferralKind::Full && details.consent_refused() {
        (ReferralKind::AnonymousNotification, details.anonymised())
    } else {
        (kind, details.clone())
    };
    let reference = Reference::from_random(crate::random_bytes());
    let stats = details.statistical();
    let status = Status::Draft.after(Event::Submit, kind)?;
    let forms: Vec<_> = stats.forms.iter().map(|f| f.key()).collect();
    let sealed = seal(tx, id.as_str(), &details)?;
    let now = tx.now().0;
    sqlx::query(
        "UPDATE referrals SET kind = $1, status = $2, reference = $3, submitted_at = $4, updated_at = $4, \
         details = $5, screening = $6, departement = $7, child = $8, urgent = $9, sex = $10, nationality = $11, \
         forms = $12 WHERE id = $13 AND status = $14",
    )
    .bind(kind.key())
    .bind(status.key())
    .bind(reference.as_str().to_owned())
    .bind(now)
    .bind(sealed)
    .bind(screening.map(|s| s.key()))
    .bind(stats.departement.map(|d| d.code().to_owned()))
    .bind(i64::from(details.is_child()))
    .bind(i64::from(stats.urgent))
    .bind(stats.sex.map(|s| s.key()))
    .bind(stats.nationality.clone())
    .bind(forms.join(","))
    .bind(id.as_str().to_owned())
    .bind(Status::Draft.key())
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "reference collision"))?;
    let child_notification = if details.is_child() {
        Some(child_protection::notify(tx, id, stats.departement).await?)
    } else {
        None
    };
    tx.audit(Action::ReferralSubmit, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok(Submitted {
        id: id.clone(),
        reference,
        kind,
        child_notification,
    })
}

/// Starts a draft for the signed-in referrer, screened with `catalogue`.
pub async fn create_draft(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    catalogue: (&str, i64),
) -> Result<ReferralId> {
    let origin = Origin {
        kind: ReferralKind::Full,
        organisation_id: Some(can.actor_organisation().clone()),
        created_by: Some(can.actor().clone()),
        api_token_id: None,
    };
    let id = insert_draft(tx, &origin, &ReferralDetails::default(), Some(catalogue)).await?;
    tx.audit(Action::ReferralDraftCreate, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok(id)
}

/// One referral the signed-in user wrote, with its message thread.
pub async fn get_own(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    id: &ReferralId,
) -> Result<(Referral, Vec<Message>)> {
    let referral = fetch(tx, id).await?;
    if referral.created_by.as_ref() != Some(can.actor()) {
        return Err(StoreError::NotFound);
    }
    let thread = messages(tx, id).await?;
    tx.audit(Action::ReferralRead, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok((referral, thread))
}

/// Saves one step of a draft (whatever its problems: nothing typed is lost).
pub async fn save_draft(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    id: &ReferralId,
    step: Step,
    details: &ReferralDetails,
) -> Result<()> {
    let sealed = seal(tx, id.as_str(), details)?;
    let now = tx.now().0;
    let done = sqlx::query(
        "UPDATE referrals SET details = $1, step = $2, updated_at = $3 WHERE id = $4 AND created_by = $5 AND status = $6",
    )
    .bind(sealed)
    .bind(step.key())
    .bind(now)
    .bind(id.as_str().to_owned())
    .bind(can.actor().as_str().to_owned())
    .bind(Status::Draft.key())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit(
        Action::ReferralDraftSave,
        Object::Referral,
        Some(id.as_str()),
        Some(step.key()),
    )
    .await
}

/// Submits the signed-in user's draft; refused while a step is incomplete.
pub async fn submit(
    tx: &mut Tx,
    can: &Capability<SubmitReferrals>,
    id: &ReferralId,
    screening: Option<Overall>,
    today: Date,
) -> Result<Submitted> {
    let referral = fetch(tx, id).await?;
    if referral.created_by.as_ref() != Some(can.actor()) {
        return Err(StoreError::NotFound);
    }
    if !steps::incomplete(&referral.details, today).is_empty() {
        return Err(StoreError::Incomplete);
    }
    finalise(tx, id, referral.summary.kind, &referral.details, screening).await
}

pub(crate) async fn add_message(tx: &mut Tx, id: &ReferralId, author: Author, body: &str) -> Result<()> {
    let message_id = crate::record_id_hex();
    let sealed = tx
        .keys()
        .encrypt(body.as_bytes(), &format!("referral-message:{message_id}"))?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO referral_messages (id, referral_id, author_kind, author_user_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(message_id)
    .bind(id.as_str().to_owned())
    .bind(author.key())
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .bind(sealed)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Moves a referral along its workflow, refusing impossible transitions.
pub(crate) async fn transition(tx: &mut Tx, referral: &Referral, event: Event) -> Result<Status> {
    let to = referral.summary.status.after(event, referral.summary.kind)?;
    let mut writes = Writes::default();
    writes
        .push("UPDATE referrals SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.key())?
        .bind(tx.now().0)?
        .bind(referral.summary.id.as_str().to_owned())?
        .bind(referral.summary.status.key())?;
    super::status_notices::record(tx, &mut writes, referral, to)?;
    let backend = tx.backend();
    writes.execute(tx.conn(), backend).await?;
    Ok(to)
}

/// The referrer answers the authority (or adds information).
pub async fn reply(tx: &mut Tx, can: &Capability<SubmitReferrals>, id: &ReferralId, body: &str) -> Result<()> {
    let referral = fetch(tx, id).await?;
    if referral.created_by.as_ref() != Some(can.actor()) {
        return Err(StoreError::NotFound);
    }
    transition(tx, &referral, Event::ProvideInformation).await?;
    add_message(tx, id, Author::Referrer, body).await?;
    tx.audit(Action::ReferralReply, Object::Referral, Some(id.as_str()), None)
        .await
}

/// The thread, oldest first (decrypted; callers audit the read).
pub(crate) async fn messages(tx: &mut Tx, id: &ReferralId) -> Result<Vec<Message>> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT id, author_kind, body, created_at FROM referral_messages WHERE referral_id = $1 ORDER BY created_at, id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(message_id, author, body, at)| {
            let plain = tx.keys().decrypt(&body, &format!("referral-message:{message_id}"))?;
            Ok(Message {
                author: Author::parse(&author).ok_or(StoreError::Corrupt("message author"))?,
                body: String::from_utf8_lossy(&plain).into_owned(),
                at: Timestamp(at),
            })
        })
        .collect()
}
