//! Emergency access (*bris de glace*): an identification officer opens a
//! case outside their reach for a short time, with a reason. The case's
//! lead organisations are alerted in the application, the caller queues
//! the e-mails to them and to the data-protection officers in the same
//! transaction, and every such access stays on the DPO's review list until
//! a DPO records a finding. This path is separate from the ordinary case
//! access rules (case_file::access), which it only asks whether the case
//! is already in reach.

use crate::audit::{Action, Object};
use crate::casework::cases;
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, EmergencyAccess, ViewCaseFile, ViewDataProtection};
use relais_domain::access::role::Role;
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_people::Person;
use relais_domain::ids::CaseId;
use relais_domain::privacy::{EMERGENCY_ACCESS_SECONDS, Reason, ReviewFinding, emergency_access_open};
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;

fn reason_context(id: &str) -> String {
    format!("break-glass:{id}")
}

fn review_context(id: &str) -> String {
    format!("break-glass-review:{id}")
}

fn decrypt(tx: &Tx, sealed: &str, context: &str) -> Result<String> {
    Ok(String::from_utf8_lossy(&tx.keys().decrypt(sealed, context)?).into_owned())
}

/// Someone to tell by e-mail, in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub locale: Option<String>,
}

/// What asking for emergency access led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The case is in the actor's ordinary reach: no emergency access is needed.
    InReach(CaseId),
    Granted {
        grant: String,
        reference: String,
        /// Who the caller must e-mail (lead organisations' case workers and DPOs).
        recipients: Vec<Recipient>,
    },
}

/// The organisations that lead the case: the organisation named by a
/// transfer, and the identification authorities whose territory reaches it.
async fn lead_organisations(tx: &mut Tx, case: &CaseId, departement: Option<Departement>) -> Result<Vec<String>> {
    let (owner,): (Option<String>,) = sqlx::query_as("SELECT owner_organisation_id FROM cases WHERE id = $1")
        .bind(case.as_str().to_owned())
        .fetch_one(tx.conn())
        .await?;
    let authorities: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT o.id, o.territory FROM organisations o JOIN users u ON u.organisation_id = o.id \
         JOIN user_roles ur ON ur.user_id = u.id WHERE ur.role = 'identification-officer' AND u.active = 1 AND o.active = 1",
    )
    .fetch_all(tx.conn())
    .await?;
    let mut leads: Vec<String> = owner.into_iter().collect();
    leads.extend(
        authorities
            .into_iter()
            .filter(|(_, territory)| Territory::parse(territory).is_some_and(|t| t.reaches(departement)))
            .map(|(id, _)| id),
    );
    leads.sort_unstable();
    leads.dedup();
    Ok(leads)
}

/// Active case workers of `organisation` and every active DPO.
async fn recipients(tx: &mut Tx, organisations: &[String]) -> Result<Vec<Recipient>> {
    let rows: Vec<(String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT u.email, u.locale, u.organisation_id, ur.role FROM users u JOIN user_roles ur ON ur.user_id = u.id \
         JOIN organisations o ON o.id = u.organisation_id WHERE u.active = 1 AND o.active = 1 \
         AND ur.role IN ('identification-officer', 'support-worker', 'dpo') ORDER BY u.email",
    )
    .fetch_all(tx.conn())
    .await?;
    let mut out: Vec<Recipient> = rows
        .into_iter()
        .filter(|(_, _, organisation, role)| role == Role::Dpo.key() || organisations.contains(organisation))
        .map(|(email, locale, _, _)| Recipient { email, locale })
        .collect();
    out.dedup_by(|a, b| a.email == b.email);
    Ok(out)
}

/// Opens the case with `reference` for the actor in an emergency. When the
/// case is in the actor's ordinary reach (`ordinary`), nothing is recorded.
pub async fn request(
    tx: &mut Tx,
    can: &Capability<EmergencyAccess>,
    ordinary: Option<&Capability<ViewCaseFile>>,
    reference: &str,
    reason: &Reason,
) -> Result<Outcome> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT c.id, r.reference FROM cases c JOIN referrals r ON r.id = c.referral_id WHERE r.reference = $1",
    )
    .bind(reference.trim().to_uppercase())
    .fetch_optional(tx.conn())
    .await?;
    let (case, reference) = found.ok_or(StoreError::NotFound)?;
    let case = CaseId::parse(&case).ok_or(StoreError::Corrupt("case id"))?;
    if let Some(ordinary) = ordinary
        && crate::casework::case_access::open(tx, ordinary, &case).await.is_ok()
    {
        return Ok(Outcome::InReach(case));
    }
    let summary = cases::summary(tx, &case).await?;
    let grant = crate::record_id_hex();
    let sealed = tx.keys().encrypt(reason.as_str().as_bytes(), &reason_context(&grant))?;
    let now = tx.now();
    sqlx::query(
        "INSERT INTO break_glass (id, case_id, reference, user_id, organisation_id, reason, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(grant.clone())
    .bind(case.as_str().to_owned())
    .bind(reference.clone())
    .bind(can.actor().as_str().to_owned())
    .bind(can.actor_organisation().as_str().to_owned())
    .bind(sealed)
    .bind(now.0)
    .bind(now.plus_seconds(EMERGENCY_ACCESS_SECONDS).0)
    .execute(tx.conn())
    .await?;
    let departement = summary.departement.as_deref().and_then(Departement::parse);
    let leads: Vec<String> = lead_organisations(tx, &case, departement)
        .await?
        .into_iter()
        .filter(|o| o != can.actor_organisation().as_str())
        .collect();
    for organisation in &leads {
        sqlx::query("INSERT INTO break_glass_alerts (break_glass_id, organisation_id) VALUES ($1, $2)")
            .bind(grant.clone())
            .bind(organisation.clone())
            .execute(tx.conn())
            .await?;
    }
    let recipients = recipients(tx, &leads).await?;
    tx.audit(Action::CaseBreakGlass, Object::Case, Some(case.as_str()), Some(&grant))
        .await?;
    Ok(Outcome::Granted {
        grant,
        reference,
        recipients,
    })
}

/// A note of the case as the emergency view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub at: Timestamp,
    pub level: Sensitivity,
    pub body: String,
}

/// What an emergency access shows: enough to act safely, read-only.
#[derive(Debug, Clone)]
pub struct EmergencyFile {
    pub case_id: CaseId,
    pub reference: String,
    pub status: relais_domain::casework::case_status::Status,
    pub departement: Option<String>,
    pub expires_at: Timestamp,
    /// The saved record, or what the referral said.
    pub person: Person,
    pub dependants: usize,
    pub notes: Vec<Note>,
}

/// The case behind the actor's own emergency access `grant`, while it is open.
pub async fn open(tx: &mut Tx, can: &Capability<EmergencyAccess>, grant: &str) -> Result<EmergencyFile> {
    let row: Option<(Option<String>, i64, i64)> =
        sqlx::query_as("SELECT case_id, granted_at, expires_at FROM break_glass WHERE id = $1 AND user_id = $2")
            .bind(grant.to_owned())
            .bind(can.actor().as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let (case, granted_at, expires_at) = row.ok_or(StoreError::NotFound)?;
    if !emergency_access_open(Timestamp(granted_at), tx.now()) {
        return Err(StoreError::Conflict("the emergency access has ended"));
    }
    let case = case.as_deref().and_then(CaseId::parse).ok_or(StoreError::NotFound)?;
    let summary = cases::summary(tx, &case).await?;
    tx.audit(
        Action::CaseEmergencyRead,
        Object::Case,
        Some(case.as_str()),
        Some(grant),
    )
    .await?;
    let people: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, role, details FROM case_people WHERE case_id = $1 ORDER BY created_at, id")
            .bind(case.as_str().to_owned())
            .fetch_all(tx.conn())
            .await?;
    let mut person = None;
    let mut dependants = 0;
    for (row, role, sealed) in people {
        if role == "person" {
            let plain = tx.keys().decrypt(&sealed, &format!("case-person:{row}"))?;
            person = Some(serde_json::from_slice::<Person>(&plain).map_err(|_| StoreError::Corrupt("case person"))?);
        } else {
            dependants += 1;
        }
    }
    let person = match person {
        Some(person) => person,
        None => {
            let details = crate::intake::referrals::fetch(tx, &summary.referral_id).await?.details;
            Person {
                family_name: details.family_name,
                given_names: details.given_names,
                aliases: details.aliases,
                birth_date: details.birth_date,
                nationality: details.nationality,
                languages: details.languages,
                safe_contact: relais_domain::casework::case_people::SafeContact {
                    through_whom: details.safe_contact,
                    ..Default::default()
                },
            }
        }
    };
    let levels = can.readable_levels();
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT id, created_at, sensitivity, body FROM case_notes WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(case.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    let mut notes = vec![];
    for (note, at, level, body) in rows {
        let level = Sensitivity::parse(&level).ok_or(StoreError::Corrupt("note sensitivity"))?;
        if levels.contains(&level) {
            notes.push(Note {
                at: Timestamp(at),
                level,
                body: decrypt(tx, &body, &format!("case-note:{note}"))?,
            });
        }
    }
    Ok(EmergencyFile {
        case_id: case,
        reference: summary.reference,
        status: summary.case.status,
        departement: summary.departement,
        expires_at: Timestamp(expires_at),
        person,
        dependants,
        notes,
    })
}

/// One emergency access, as the DPO and the alerted organisations see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub id: String,
    pub reference: String,
    /// Cleared once the case is erased.
    pub case_id: Option<CaseId>,
    pub user: String,
    pub organisation: String,
    pub reason: String,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
    /// (who, when, finding, note)
    pub review: Option<(String, Timestamp, ReviewFinding, String)>,
    /// For an alerted organisation: who of it acknowledged, and when.
    pub acknowledged: Option<(String, Timestamp)>,
}

type AccessRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

const ACCESS_COLUMNS: &str = "SELECT b.id, b.reference, b.case_id, u.display_name, o.name, b.reason, b.granted_at, \
     b.expires_at, r.display_name, b.reviewed_at, b.finding, b.review_note";

/// Who gave and who reviewed the access, for `ACCESS_COLUMNS`.
const ACCESS_JOINS: &str = "LEFT JOIN users u ON u.id = b.user_id LEFT JOIN organisations o ON o.id = b.organisation_id \
     LEFT JOIN users r ON r.id = b.reviewed_by";

/// An access row followed by who acknowledged the alert and when.
type AlertRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn split_alert(row: AlertRow) -> (AccessRow, Option<String>, Option<i64>) {
    let (a, b, c, d, e, f, g, h, i, j, k, l, by, at) = row;
    ((a, b, c, d, e, f, g, h, i, j, k, l), by, at)
}

fn access(tx: &Tx, row: AccessRow) -> Result<Access> {
    let (id, reference, case, user, organisation, reason, granted_at, expires_at, reviewer, reviewed_at, finding, note) =
        row;
    let review = match (reviewed_at, finding.as_deref().and_then(ReviewFinding::parse)) {
        (Some(at), Some(finding)) => {
            let note = match note {
                Some(sealed) => decrypt(tx, &sealed, &review_context(&id))?,
                None => String::new(),
            };
            Some((reviewer.unwrap_or_default(), Timestamp(at), finding, note))
        }
        _ => None,
    };
    Ok(Access {
        reason: decrypt(tx, &reason, &reason_context(&id))?,
        reference,
        case_id: case.as_deref().and_then(CaseId::parse),
        user: user.unwrap_or_default(),
        organisation: organisation.unwrap_or_default(),
        granted_at: Timestamp(granted_at),
        expires_at: Timestamp(expires_at),
        review,
        acknowledged: None,
        id,
    })
}

/// Every emergency access, those waiting for review first (audited read).
pub async fn accesses(tx: &mut Tx, _can: &Capability<ViewDataProtection>) -> Result<Vec<Access>> {
    let rows: Vec<AccessRow> = sqlx::query_as(&format!(
        "{ACCESS_COLUMNS} FROM break_glass b {ACCESS_JOINS} ORDER BY CASE WHEN b.reviewed_at IS NULL THEN 0 ELSE 1 END, b.granted_at DESC, b.id"
    ))
    .fetch_all(tx.conn())
    .await?;
    let found = rows.into_iter().map(|row| access(tx, row)).collect::<Result<_>>()?;
    tx.audit(Action::PrivacyBreakGlassList, Object::BreakGlass, None, None)
        .await?;
    Ok(found)
}

/// A DPO records a finding on an emergency access; it leaves the waiting list.
pub async fn review(
    tx: &mut Tx,
    can: &Capability<ViewDataProtection>,
    id: &str,
    finding: ReviewFinding,
    note: &str,
) -> Result<()> {
    let note = note.trim();
    let sealed = if note.is_empty() {
        None
    } else {
        Some(tx.keys().encrypt(note.as_bytes(), &review_context(id))?)
    };
    let now = tx.now().0;
    let done = sqlx::query(
        "UPDATE break_glass SET reviewed_by = $1, reviewed_at = $2, finding = $3, review_note = $4 \
         WHERE id = $5 AND reviewed_at IS NULL",
    )
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .bind(finding.key())
    .bind(sealed)
    .bind(id.to_owned())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("this emergency access was already reviewed"));
    }
    tx.audit(
        Action::PrivacyBreakGlassReview,
        Object::BreakGlass,
        Some(id),
        Some(finding.key()),
    )
    .await
}

/// Emergency accesses to cases the actor's organisation leads, those not
/// yet acknowledged first (audited read).
pub async fn alerts(tx: &mut Tx, can: &Capability<ViewCaseFile>) -> Result<Vec<Access>> {
    let rows: Vec<(AccessRow, Option<String>, Option<i64>)> = sqlx::query_as::<_, AlertRow>(&format!(
        "{ACCESS_COLUMNS}, k.display_name, a.acknowledged_at FROM break_glass_alerts a \
         JOIN break_glass b ON b.id = a.break_glass_id {ACCESS_JOINS} LEFT JOIN users k ON k.id = a.acknowledged_by \
         WHERE a.organisation_id = $1 \
         ORDER BY CASE WHEN a.acknowledged_at IS NULL THEN 0 ELSE 1 END, b.granted_at DESC, b.id"
    ))
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .map(split_alert)
    .collect();
    let mut found = vec![];
    for (row, by, at) in rows {
        let mut one = access(tx, row)?;
        // The DPO's finding is for the DPO; the organisation sees the access and its reason.
        one.review = None;
        one.acknowledged = at.map(|at| (by.unwrap_or_default(), Timestamp(at)));
        found.push(one);
    }
    tx.audit(Action::PrivacyAlertsRead, Object::BreakGlass, None, None)
        .await?;
    Ok(found)
}

/// Someone of the alerted organisation says they took note.
pub async fn acknowledge(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &str) -> Result<()> {
    let now = tx.now().0;
    let done = sqlx::query(
        "UPDATE break_glass_alerts SET acknowledged_by = $1, acknowledged_at = $2 \
         WHERE break_glass_id = $3 AND organisation_id = $4 AND acknowledged_at IS NULL",
    )
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .bind(id.to_owned())
    .bind(can.actor_organisation().as_str().to_owned())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    tx.audit(Action::PrivacyAlertAcknowledge, Object::BreakGlass, Some(id), None)
        .await
}

/// Alerts not yet acknowledged by the actor's organisation (a count, for the dashboard).
pub async fn unacknowledged(tx: &mut Tx, can: &Capability<ViewCaseFile>) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM break_glass_alerts WHERE organisation_id = $1 AND acknowledged_at IS NULL",
    )
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_one(tx.conn())
    .await?;
    Ok(n)
}

/// Emergency accesses waiting for a DPO's review (a count, for the dashboard).
pub async fn unreviewed(tx: &mut Tx, _can: &Capability<ViewDataProtection>) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM break_glass WHERE reviewed_at IS NULL")
        .fetch_one(tx.conn())
        .await?;
    Ok(n)
}

/// Requests waiting for someone other than the actor to decide (a count, for the dashboard).
pub async fn requests_waiting(
    tx: &mut Tx,
    can: &Capability<relais_domain::access::authz::ConfirmDataRights>,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM data_requests WHERE status = 'pending' AND (requested_by IS NULL OR requested_by <> $1)",
    )
    .bind(can.actor().as_str().to_owned())
    .fetch_one(tx.conn())
    .await?;
    Ok(n)
}
