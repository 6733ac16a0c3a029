//! Onward referrals from a case to a service (issue 6, part 3), and the
//! safe distant placement (Ac.Sé, CESEDA R.425-8) with its matching data.
//!
//! The sender is the authority or the lead organisation (the case-access
//! policy: shares read the list at most, a placement only as in progress,
//! done or not pursued); the receiver is the service's organisation, which
//! sees only what it was sent (the minimised, encrypted payload), never the
//! case file. Every read by the receiver is audited on the case, so it
//! appears in the case's access log.

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, CaseAccess, ViewCaseFile};
use relais_domain::casework::case_access::{CaseArea, Mode, PlacementProgress};
use relais_domain::casework::case_people::{Person, SafeContact};
use relais_domain::casework::onward_referral::{self, DeclineReason, Event, Kind, Shared, Side, Status};
use relais_domain::casework::placement::Offer;
use relais_domain::casework::sharing::{Basis, Justification};
use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp, Zone};

/// The type of place the national scheme offers (relais_domain::casework::needs::AccommodationType).
pub const SECURE_DISTANT: &str = "secure-distant";

/// A shelter's secure distant places, as the matching page shows them.
#[derive(Debug, Clone)]
pub struct PlacementOffer {
    pub service_id: String,
    pub name: String,
    pub organisation: String,
    pub free: i64,
    pub total: i64,
    pub updated_at: Timestamp,
    pub offer: Offer,
}

/// Every accommodation service with secure distant places, full ones included
/// (the matching page says why they are excluded).
pub async fn placement_offers(tx: &mut Tx, access: &CaseAccess) -> Result<Vec<PlacementOffer>> {
    access.check(CaseArea::Placement, Mode::Read)?;
    crate::directory::accommodation_offers(tx, SECURE_DISTANT)
        .await?
        .into_iter()
        .map(|row| {
            Ok(PlacementOffer {
                offer: row.to_offer()?,
                service_id: row.service_id.to_string(),
                name: row.service,
                organisation: row.organisation,
                free: row.free,
                total: row.total,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

/// The directory's services a case can be referred to: (id, "name — organisation (département)").
pub async fn services(tx: &mut Tx) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, o.name, s.departement FROM services s JOIN organisations o ON o.id = s.organisation_id \
         ORDER BY s.name, s.id",
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, organisation, departement)| (id, format!("{name} — {organisation} ({departement})")))
        .collect())
}

/// What the sender adds to the case's data for one referral.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub needs: String,
    pub children: u8,
    pub places_of_exploitation: Vec<Departement>,
    pub constraints: String,
}

/// What the case knows of the person, for the matching and the payload.
pub struct PersonFacts {
    pub person: Person,
    pub sex: Option<Sex>,
    /// Age in years on the day asked, when the birth year is known.
    pub age: Option<u8>,
    /// `minor`, `adult` or `disputed`, as referred.
    pub age_status: String,
    pub forms: Vec<ExploitationForm>,
    /// The département where the person was met (a place to stay away from).
    pub departement: Option<Departement>,
}

/// The facts the placement matching starts from.
pub async fn person_facts(tx: &mut Tx, access: &CaseAccess) -> Result<PersonFacts> {
    access.check(CaseArea::Placement, Mode::Read)?;
    facts(tx, access).await
}

/// The facts the matching and the payload start from; callers check the area.
async fn facts(tx: &mut Tx, access: &CaseAccess) -> Result<PersonFacts> {
    let case = crate::casework::cases::summary(tx, access.case()).await?;
    let details = crate::intake::referrals::fetch(tx, &case.referral_id).await?.details;
    let saved = crate::casework::case_people::people(tx, access).await?;
    let person = saved.person.unwrap_or(saved.from_referral);
    let today = Date::local(tx.now(), &Zone::of_code(case.departement.as_deref()));
    let age = person
        .birth_date
        .get(0..4)
        .and_then(|y| y.parse::<i32>().ok())
        .and_then(|y| u8::try_from(today.year - y).ok());
    Ok(PersonFacts {
        sex: Sex::parse(details.sex.trim()),
        age,
        age_status: details.age.trim().to_owned(),
        forms: case.forms.iter().filter_map(|f| ExploitationForm::parse(f)).collect(),
        departement: case.departement.as_deref().and_then(Departement::parse),
        person,
    })
}

/// One onward referral as the sender sees it.
#[derive(Debug, Clone)]
pub struct OnwardSummary {
    pub id: String,
    pub kind: Kind,
    pub service: String,
    pub organisation: String,
    pub status: Status,
    pub decline_reason: Option<DeclineReason>,
    pub sent_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    kind: String,
    service: String,
    organisation: String,
    status: String,
    decline_reason: Option<String>,
    sent_at: i64,
    updated_at: i64,
}

impl TryFrom<SummaryRow> for OnwardSummary {
    type Error = StoreError;

    fn try_from(row: SummaryRow) -> Result<Self> {
        Ok(Self {
            kind: Kind::parse(&row.kind).ok_or(StoreError::Corrupt("onward kind"))?,
            status: Status::parse(&row.status).ok_or(StoreError::Corrupt("onward status"))?,
            decline_reason: row.decline_reason.as_deref().and_then(DeclineReason::parse),
            id: row.id,
            service: row.service,
            organisation: row.organisation,
            sent_at: Timestamp(row.sent_at),
            updated_at: Timestamp(row.updated_at),
        })
    }
}

const SUMMARY: &str = "SELECT r.id, r.kind, s.name AS service, o.name AS organisation, r.status, r.decline_reason, \
     r.sent_at, r.updated_at FROM onward_referrals r JOIN services s ON s.id = r.service_id \
     JOIN organisations o ON o.id = r.receiving_organisation_id";

/// A case's onward referrals as the reader may see them.
pub struct CaseReferrals {
    /// Newest first, with the service and its organisation.
    pub located: Vec<OnwardSummary>,
    /// Safe distant placements the reader may not locate: how far each went, nothing else.
    pub withheld: Vec<PlacementProgress>,
}

/// The case's onward referrals, newest first. Where a safe distant
/// placement took the person stays out unless the reader may locate it.
pub async fn for_case(tx: &mut Tx, access: &CaseAccess) -> Result<CaseReferrals> {
    access.check(CaseArea::OnwardReferrals, Mode::Read)?;
    let id = access.case();
    tx.audit(Action::CaseOnwardRead, Object::Case, Some(id.as_str()), None)
        .await?;
    let rows: Vec<SummaryRow> =
        sqlx::query_as(&format!("{SUMMARY} WHERE r.case_id = $1 ORDER BY r.sent_at DESC, r.id"))
            .bind(id.as_str().to_owned())
            .fetch_all(tx.conn())
            .await?;
    let locates = access.may(CaseArea::Placement, Mode::Read);
    let mut referrals = CaseReferrals {
        located: vec![],
        withheld: vec![],
    };
    for row in rows {
        let summary = OnwardSummary::try_from(row)?;
        if summary.kind == Kind::DistantPlacement && !locates {
            referrals.withheld.push(PlacementProgress::of(summary.status));
        } else {
            referrals.located.push(summary);
        }
    }
    Ok(referrals)
}

fn payload_context(id: &str) -> String {
    format!("onward-payload:{id}")
}

fn reason_context(id: &str) -> String {
    format!("onward-override:{id}")
}

/// The areas an onward referral of `kind` is sent or withdrawn under.
fn check_sender(access: &CaseAccess, kind: Kind) -> Result<()> {
    access.check(CaseArea::OnwardReferrals, Mode::Write)?;
    if kind == Kind::DistantPlacement {
        access.check(CaseArea::Placement, Mode::Write)?;
    }
    Ok(())
}

/// Sends a referral to `service_id` with only what `kind` needs. A distant
/// placement names the type of place it asks for.
pub async fn send(
    tx: &mut Tx,
    access: &CaseAccess,
    kind: Kind,
    service_id: &str,
    justification: &Justification,
    extras: &Extras,
) -> Result<String> {
    check_sender(access, kind)?;
    let id = access.case();
    let facts = facts(tx, access).await?;
    let receiver: Option<(String,)> = sqlx::query_as("SELECT organisation_id FROM services WHERE id = $1")
        .bind(service_id.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let (receiver,) = receiver.ok_or(StoreError::NotFound)?;
    let person = &facts.person;
    let given = person
        .given_names
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let shared = Shared {
        first_name: Some(given).filter(|g| !g.is_empty()),
        age: facts.age.map(|a| a.to_string()).or(Some(facts.age_status.clone())),
        sex: facts.sex.map(|s| s.key().to_owned()),
        languages: Some(person.languages.clone()).filter(|l| !l.is_empty()),
        needs: Some(extras.needs.trim().to_owned()).filter(|n| !n.is_empty()),
        children: Some(extras.children),
        places_of_exploitation: Some(
            extras
                .places_of_exploitation
                .iter()
                .map(|d| d.code().to_owned())
                .collect(),
        ),
        constraints: Some(extras.constraints.trim().to_owned()).filter(|c| !c.is_empty()),
        safe_contact: Some(person.safe_contact.clone()).filter(|c| *c != SafeContact::default()),
    }
    .minimised(kind);
    let row = crate::record_id_hex();
    let json = serde_json::to_vec(&shared).map_err(|_| StoreError::Corrupt("onward payload"))?;
    let payload = tx.keys().encrypt(&json, &payload_context(&row))?;
    let override_reason = match &justification.override_reason {
        Some(reason) => Some(tx.keys().encrypt(reason.as_bytes(), &reason_context(&row))?),
        None => None,
    };
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO onward_referrals (id, case_id, kind, service_id, receiving_organisation_id, place_type, status, \
         basis, override_reason, payload, sent_by, sent_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'sent', $7, $8, $9, $10, $11, $11)",
    )
    .bind(row.clone())
    .bind(id.as_str().to_owned())
    .bind(kind.key())
    .bind(service_id.to_owned())
    .bind(receiver)
    .bind((kind == Kind::DistantPlacement).then_some(SECURE_DISTANT))
    .bind(justification.basis.key())
    .bind(override_reason)
    .bind(payload)
    .bind(access.actor().as_str().to_owned())
    .bind(now)
    .execute(tx.conn())
    .await?;
    let action = match justification.basis {
        Basis::Consent => Action::CaseOnwardSend,
        Basis::Override => Action::CaseOnwardSendOverride,
    };
    tx.audit(action, Object::Case, Some(id.as_str()), Some(&row)).await?;
    Ok(row)
}

/// One referral received by the actor's organisation.
#[derive(Debug, Clone)]
pub struct Received {
    pub summary: OnwardSummary,
    pub shared: Shared,
}

/// What the actor's organisation has been sent, newest first.
pub async fn inbox(tx: &mut Tx, can: &Capability<ViewCaseFile>) -> Result<Vec<OnwardSummary>> {
    tx.audit(
        Action::OnwardInboxRead,
        Object::Organisation,
        Some(can.actor_organisation().as_str()),
        None,
    )
    .await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY} WHERE r.receiving_organisation_id = $1 ORDER BY r.sent_at DESC, r.id"
    ))
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter().map(OnwardSummary::try_from).collect()
}

/// The case a referral belongs to, when the actor's organisation received it.
async fn received_case(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &str) -> Result<(String, Kind, Status)> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT case_id, kind, status FROM onward_referrals WHERE id = $1 AND receiving_organisation_id = $2",
    )
    .bind(id.to_owned())
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let (case, kind, status) = row.ok_or(StoreError::NotFound)?;
    Ok((
        case,
        Kind::parse(&kind).ok_or(StoreError::Corrupt("onward kind"))?,
        Status::parse(&status).ok_or(StoreError::Corrupt("onward status"))?,
    ))
}

/// What was sent to the actor's organisation (the read is in the case's access log).
pub async fn received(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &str) -> Result<Received> {
    let (case, _, _) = received_case(tx, can, id).await?;
    tx.audit(Action::CaseOnwardReceivedRead, Object::Case, Some(&case), Some(id))
        .await?;
    let row: SummaryRow = sqlx::query_as(&format!("{SUMMARY} WHERE r.id = $1"))
        .bind(id.to_owned())
        .fetch_one(tx.conn())
        .await?;
    let (sealed,): (String,) = sqlx::query_as("SELECT payload FROM onward_referrals WHERE id = $1")
        .bind(id.to_owned())
        .fetch_one(tx.conn())
        .await?;
    let plain = tx.keys().decrypt(&sealed, &payload_context(id))?;
    let shared = serde_json::from_slice(&plain).map_err(|_| StoreError::Corrupt("onward payload"))?;
    Ok(Received {
        summary: OnwardSummary::try_from(row)?,
        shared,
    })
}

/// The receiver accepts, declines (with a reason) or completes. Accepting a
/// distant placement takes one of the shelter's free places: the placement
/// is recorded, and refused when no place is left.
pub async fn answer(
    tx: &mut Tx,
    can: &Capability<ViewCaseFile>,
    id: &str,
    event: Event,
    decline_reason: Option<DeclineReason>,
) -> Result<()> {
    if onward_referral::actor_side(event) != Side::Receiver {
        return Err(StoreError::NotFound);
    }
    let (case, kind, status) = received_case(tx, can, id).await?;
    let next = onward_referral::apply(status, event).map_err(|_| StoreError::Conflict("onward-not-possible"))?;
    if event == Event::Decline && decline_reason.is_none() {
        return Err(StoreError::Conflict("a decline states its reason"));
    }
    let now = tx.now().0;
    let placed = kind == Kind::DistantPlacement && event == Event::Accept;
    if placed {
        let taken = sqlx::query(
            "UPDATE service_places SET free = free - 1, updated_at = $1 \
             WHERE place_type = $2 AND free > 0 AND service_id = (SELECT service_id FROM onward_referrals WHERE id = $3)",
        )
        .bind(now)
        .bind(SECURE_DISTANT)
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
        if taken.rows_affected() == 0 {
            return Err(StoreError::Conflict("no free place is left"));
        }
    }
    sqlx::query(
        "UPDATE onward_referrals SET status = $1, decline_reason = $2, updated_at = $3, \
         placed_at = CASE WHEN $4 = 1 THEN $3 ELSE placed_at END WHERE id = $5",
    )
    .bind(next.key())
    .bind(decline_reason.map(DeclineReason::key))
    .bind(now)
    .bind(i64::from(placed))
    .bind(id.to_owned())
    .execute(tx.conn())
    .await?;
    tx.audit(Action::onward_event(event), Object::Case, Some(&case), Some(id))
        .await
}

/// The sender calls a referral off (until it is completed).
pub async fn withdraw(tx: &mut Tx, access: &CaseAccess, id: &str) -> Result<()> {
    access.check(CaseArea::OnwardReferrals, Mode::Write)?;
    let case = access.case();
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT kind, status FROM onward_referrals WHERE id = $1 AND case_id = $2")
            .bind(id.to_owned())
            .bind(case.as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let (kind, status) = row.ok_or(StoreError::NotFound)?;
    check_sender(access, Kind::parse(&kind).ok_or(StoreError::Corrupt("onward kind"))?)?;
    let from = Status::parse(&status).ok_or(StoreError::Corrupt("onward status"))?;
    let next =
        onward_referral::apply(from, Event::Withdraw).map_err(|_| StoreError::Conflict("onward-not-possible"))?;
    sqlx::query("UPDATE onward_referrals SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(next.key())
        .bind(tx.now().0)
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CaseOnwardWithdraw, Object::Case, Some(case.as_str()), Some(id))
        .await
}
