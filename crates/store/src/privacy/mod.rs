//! Data-subject rights on a case (issue 11, part 2): legal holds, and
//! erasure and subject-access requests that one person files with a
//! reason and a second, different person confirms or refuses (four eyes).
//! Reasons are encrypted; audit rows name the request and the case by
//! identifier, with counts, never the content.

pub mod emergency;
pub mod erasure;
pub mod retention;
pub mod subject_access;

use crate::audit::{Action, Object};
use crate::casework::cases::{self, CaseSummary};
use crate::{Result, StoreError, Tx};
use erasure::{Erased, Mode};
use relais_domain::access::authz::{Capability, ConfirmDataRights, RequestDataRights, Scope};
use relais_domain::ids::{CaseId, UserId};
use relais_domain::privacy::{self, EXPORT_AVAILABLE_SECONDS, Reason, RequestKind, RequestStatus};
use relais_domain::territory::Departement;
use relais_domain::time::Timestamp;
use subject_access::SubjectAccess;

fn reaches(scope: &Scope, case: &CaseSummary) -> bool {
    scope.reaches_departement(case.departement.as_deref().and_then(Departement::parse))
}

/// The case, if it lies in the capability's reach.
async fn in_reach(tx: &mut Tx, scope: &Scope, id: &CaseId) -> Result<CaseSummary> {
    let case = cases::summary(tx, id).await?;
    if reaches(scope, &case) {
        Ok(case)
    } else {
        Err(StoreError::NotFound)
    }
}

/// The case with this reference, in reach (its reference is what people know).
pub async fn find_case(tx: &mut Tx, can: &Capability<RequestDataRights>, reference: &str) -> Result<CaseId> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT c.id FROM cases c JOIN referrals r ON r.id = c.referral_id WHERE r.reference = $1")
            .bind(reference.trim().to_uppercase())
            .fetch_optional(tx.conn())
            .await?;
    let id = found.and_then(|(id,)| CaseId::parse(&id)).ok_or(StoreError::NotFound)?;
    in_reach(tx, can.scope(), &id).await?;
    tx.audit(Action::PrivacyCaseFind, Object::Case, Some(id.as_str()), None)
        .await?;
    Ok(id)
}

/// A legal hold as listed on the case's data-protection page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: String,
    pub reason: String,
    pub placed_by: String,
    pub placed_at: Timestamp,
    /// Who lifted it, when, and why.
    pub lifted: Option<(String, Timestamp, String)>,
}

/// A request as listed; `reason` and `decision_reason` are filled when one request is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub reference: String,
    /// Cleared once the case is erased.
    pub case_id: Option<CaseId>,
    pub requested_by_id: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub decided_by_id: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub erased_rows: Option<i64>,
    pub reason: Option<String>,
    pub decision_reason: Option<String>,
}

/// What the case's data-protection page shows.
pub struct CaseProtection {
    pub case: CaseSummary,
    pub closed_at: Option<Timestamp>,
    pub holds: Vec<Hold>,
    pub requests: Vec<Request>,
}

fn hold_context(id: &str) -> String {
    format!("legal-hold:{id}")
}

fn lift_context(id: &str) -> String {
    format!("legal-hold-lift:{id}")
}

fn request_context(id: &str) -> String {
    format!("data-request:{id}")
}

fn decision_context(id: &str) -> String {
    format!("data-request-decision:{id}")
}

fn decrypt(tx: &Tx, sealed: &str, context: &str) -> Result<String> {
    Ok(String::from_utf8_lossy(&tx.keys().decrypt(sealed, context)?).into_owned())
}

async fn holds(tx: &mut Tx, id: &CaseId) -> Result<Vec<Hold>> {
    type HoldRow = (
        String,
        String,
        Option<String>,
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<HoldRow> = sqlx::query_as(
        "SELECT h.id, h.reason, p.display_name, h.placed_at, h.lift_reason, l.display_name, h.lifted_at \
         FROM legal_holds h LEFT JOIN users p ON p.id = h.placed_by LEFT JOIN users l ON l.id = h.lifted_by \
         WHERE h.case_id = $1 ORDER BY h.placed_at DESC, h.id",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(
            |(hold, reason, placed_by, placed_at, lift_reason, lifted_by, lifted_at)| {
                let lifted = match (lifted_at, lift_reason) {
                    (Some(at), Some(sealed)) => Some((
                        lifted_by.unwrap_or_default(),
                        Timestamp(at),
                        decrypt(tx, &sealed, &lift_context(&hold))?,
                    )),
                    _ => None,
                };
                Ok(Hold {
                    reason: decrypt(tx, &reason, &hold_context(&hold))?,
                    placed_by: placed_by.unwrap_or_default(),
                    placed_at: Timestamp(placed_at),
                    lifted,
                    id: hold,
                })
            },
        )
        .collect()
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    kind: String,
    status: String,
    reference: String,
    case_id: Option<String>,
    departement: Option<String>,
    requested_by: Option<String>,
    requester: Option<String>,
    requested_at: i64,
    decided_by: Option<String>,
    decider: Option<String>,
    decided_at: Option<i64>,
    erased_rows: Option<i64>,
    reason: String,
    decision_reason: Option<String>,
}

const REQUESTS: &str = "SELECT d.id, d.kind, d.status, d.reference, d.case_id, c.departement, d.requested_by, \
     q.display_name AS requester, d.requested_at, d.decided_by, k.display_name AS decider, d.decided_at, \
     d.erased_rows, d.reason, d.decision_reason FROM data_requests d LEFT JOIN cases c ON c.id = d.case_id \
     LEFT JOIN users q ON q.id = d.requested_by LEFT JOIN users k ON k.id = d.decided_by";

fn request(tx: &Tx, row: RequestRow, with_reasons: bool) -> Result<Request> {
    let (reason, decision_reason) = if with_reasons {
        let decision = match &row.decision_reason {
            Some(sealed) => Some(decrypt(tx, sealed, &decision_context(&row.id))?),
            None => None,
        };
        (Some(decrypt(tx, &row.reason, &request_context(&row.id))?), decision)
    } else {
        (None, None)
    };
    Ok(Request {
        kind: RequestKind::parse(&row.kind).ok_or(StoreError::Corrupt("request kind"))?,
        status: RequestStatus::parse(&row.status).ok_or(StoreError::Corrupt("request status"))?,
        reference: row.reference,
        case_id: row.case_id.as_deref().and_then(CaseId::parse),
        requested_by_id: row.requested_by.unwrap_or_default(),
        requested_by: row.requester.unwrap_or_default(),
        requested_at: Timestamp(row.requested_at),
        decided_by_id: row.decided_by,
        decided_by: row.decider,
        decided_at: row.decided_at.map(Timestamp),
        erased_rows: row.erased_rows,
        reason,
        decision_reason,
        id: row.id,
    })
}

/// Whether a request is for the actor to see: national reach, the case in
/// their territory, or one they filed or decided.
fn visible(scope: &Scope, actor: &UserId, row: &RequestRow) -> bool {
    matches!(scope, Scope::National)
        || row.requested_by.as_deref() == Some(actor.as_str())
        || row.decided_by.as_deref() == Some(actor.as_str())
        || (row.case_id.is_some() && scope.reaches_departement(row.departement.as_deref().and_then(Departement::parse)))
}

/// The case's holds and requests (audited read).
pub async fn case_protection(tx: &mut Tx, can: &Capability<RequestDataRights>, id: &CaseId) -> Result<CaseProtection> {
    let case = in_reach(tx, can.scope(), id).await?;
    let (closed_at,): (Option<i64>,) = sqlx::query_as("SELECT closed_at FROM cases WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_one(tx.conn())
        .await?;
    let holds = holds(tx, id).await?;
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{REQUESTS} WHERE d.case_id = $1 ORDER BY d.requested_at DESC, d.id"
    ))
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    let requests = rows
        .into_iter()
        .map(|row| request(tx, row, false))
        .collect::<Result<_>>()?;
    tx.audit(Action::PrivacyCaseRead, Object::Case, Some(id.as_str()), None)
        .await?;
    Ok(CaseProtection {
        case,
        closed_at: closed_at.map(Timestamp),
        holds,
        requests,
    })
}

async fn active_hold(tx: &mut Tx, id: &CaseId) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM legal_holds WHERE case_id = $1 AND lifted_at IS NULL")
        .bind(id.as_str().to_owned())
        .fetch_one(tx.conn())
        .await?;
    Ok(n > 0)
}

/// Places a legal hold: until it is lifted, the retention job keeps the
/// case and no erasure request can be carried out. One at a time.
pub async fn place_hold(tx: &mut Tx, can: &Capability<RequestDataRights>, id: &CaseId, reason: &Reason) -> Result<()> {
    in_reach(tx, can.scope(), id).await?;
    if active_hold(tx, id).await? {
        return Err(StoreError::Conflict("the case is already under a legal hold"));
    }
    let hold = crate::record_id_hex();
    let sealed = tx.keys().encrypt(reason.as_str().as_bytes(), &hold_context(&hold))?;
    let now = tx.now().0;
    sqlx::query("INSERT INTO legal_holds (id, case_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(hold.clone())
        .bind(id.as_str().to_owned())
        .bind(sealed)
        .bind(can.actor().as_str().to_owned())
        .bind(now)
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CaseLegalHold, Object::Case, Some(id.as_str()), Some(&hold))
        .await
}

/// Lifts the case's hold, with a reason.
pub async fn lift_hold(tx: &mut Tx, can: &Capability<RequestDataRights>, id: &CaseId, reason: &Reason) -> Result<()> {
    in_reach(tx, can.scope(), id).await?;
    let hold: Option<(String,)> = sqlx::query_as("SELECT id FROM legal_holds WHERE case_id = $1 AND lifted_at IS NULL")
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let (hold,) = hold.ok_or(StoreError::Conflict("the case is not under a legal hold"))?;
    let sealed = tx.keys().encrypt(reason.as_str().as_bytes(), &lift_context(&hold))?;
    let now = tx.now().0;
    sqlx::query("UPDATE legal_holds SET lift_reason = $1, lifted_by = $2, lifted_at = $3 WHERE id = $4")
        .bind(sealed)
        .bind(can.actor().as_str().to_owned())
        .bind(now)
        .bind(hold.clone())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::CaseLegalHoldLift, Object::Case, Some(id.as_str()), Some(&hold))
        .await
}

/// Whether the person of the case (any of their cases) is under a hold.
async fn person_held(tx: &mut Tx, id: &CaseId) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM legal_holds h JOIN cases c ON c.id = h.case_id \
         WHERE h.lifted_at IS NULL AND (c.id = $1 OR c.person_id = (SELECT person_id FROM cases WHERE id = $1))",
    )
    .bind(id.as_str().to_owned())
    .fetch_one(tx.conn())
    .await?;
    Ok(n > 0)
}

/// Files a request about the person of the case; returns its id.
pub async fn file_request(
    tx: &mut Tx,
    can: &Capability<RequestDataRights>,
    id: &CaseId,
    kind: RequestKind,
    reason: &Reason,
) -> Result<String> {
    let case = in_reach(tx, can.scope(), id).await?;
    if kind == RequestKind::Erasure && person_held(tx, id).await? {
        return Err(StoreError::Conflict("the case is under a legal hold"));
    }
    let (pending,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM data_requests WHERE case_id = $1 AND kind = $2 AND status = $3")
            .bind(id.as_str().to_owned())
            .bind(kind.key())
            .bind(RequestStatus::Pending.key())
            .fetch_one(tx.conn())
            .await?;
    if pending > 0 {
        return Err(StoreError::Conflict("a request of this kind is already waiting"));
    }
    let request = crate::record_id_hex();
    let sealed = tx
        .keys()
        .encrypt(reason.as_str().as_bytes(), &request_context(&request))?;
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO data_requests (id, kind, status, case_id, reference, reason, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(request.clone())
    .bind(kind.key())
    .bind(RequestStatus::Pending.key())
    .bind(id.as_str().to_owned())
    .bind(case.reference)
    .bind(sealed)
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::privacy_request(kind),
        Object::Case,
        Some(id.as_str()),
        Some(&request),
    )
    .await?;
    Ok(request)
}

/// The requests the actor may see, waiting ones first (audited read).
pub async fn requests(tx: &mut Tx, can: &Capability<RequestDataRights>) -> Result<Vec<Request>> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "{REQUESTS} ORDER BY CASE WHEN d.status = 'pending' THEN 0 ELSE 1 END, d.requested_at DESC, d.id"
    ))
    .fetch_all(tx.conn())
    .await?;
    let found = rows
        .into_iter()
        .filter(|row| visible(can.scope(), can.actor(), row))
        .map(|row| request(tx, row, false))
        .collect::<Result<_>>()?;
    tx.audit(Action::PrivacyRequestList, Object::DataRequest, None, None)
        .await?;
    Ok(found)
}

async fn row(tx: &mut Tx, scope: &Scope, actor: &UserId, id: &str) -> Result<RequestRow> {
    let row: Option<RequestRow> = sqlx::query_as(&format!("{REQUESTS} WHERE d.id = $1"))
        .bind(id.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    row.filter(|r| visible(scope, actor, r)).ok_or(StoreError::NotFound)
}

/// One request with its reasons (audited read).
pub async fn open_request(tx: &mut Tx, can: &Capability<RequestDataRights>, id: &str) -> Result<Request> {
    let found = row(tx, can.scope(), can.actor(), id).await?;
    let found = request(tx, found, true)?;
    tx.audit(Action::PrivacyRequestRead, Object::DataRequest, Some(id), None)
        .await?;
    Ok(found)
}

async fn pending_for(tx: &mut Tx, can: &Capability<ConfirmDataRights>, id: &str) -> Result<(RequestRow, CaseId)> {
    let found = row(tx, can.scope(), can.actor(), id).await?;
    let status = RequestStatus::parse(&found.status).ok_or(StoreError::Corrupt("request status"))?;
    privacy::may_decide(
        status,
        found.requested_by.as_deref().unwrap_or_default(),
        can.actor().as_str(),
    )
    .map_err(|refused| {
        StoreError::Conflict(match refused {
            privacy::DecisionRefused::SamePerson => "the person who asked cannot also confirm",
            privacy::DecisionRefused::AlreadyDecided => "the request was already decided",
        })
    })?;
    let case = found
        .case_id
        .as_deref()
        .and_then(CaseId::parse)
        .ok_or(StoreError::Conflict("the case no longer exists"))?;
    Ok((found, case))
}

async fn person_of(tx: &mut Tx, case: &CaseId) -> Result<Option<String>> {
    let (person,): (Option<String>,) = sqlx::query_as("SELECT person_id FROM cases WHERE id = $1")
        .bind(case.as_str().to_owned())
        .fetch_one(tx.conn())
        .await?;
    Ok(person)
}

/// What confirming an erasure request would delete, by table (nothing is deleted).
pub async fn erasure_preview(tx: &mut Tx, can: &Capability<ConfirmDataRights>, id: &str) -> Result<Erased> {
    let (found, case) = pending_for(tx, can, id).await?;
    if found.kind != RequestKind::Erasure.key() {
        return Err(StoreError::NotFound);
    }
    let counted = match person_of(tx, &case).await? {
        Some(person) => erasure::person(tx, Mode::Count, &person).await?,
        None => Erased::default(),
    };
    tx.audit(Action::PrivacyErasurePreview, Object::DataRequest, Some(id), None)
        .await?;
    Ok(counted)
}

/// The second person confirms: an erasure deletes everything held about
/// the person now; an access request makes the export available to the
/// two people who handled it.
pub async fn confirm(tx: &mut Tx, can: &Capability<ConfirmDataRights>, id: &str) -> Result<RequestKind> {
    let (found, case) = pending_for(tx, can, id).await?;
    let kind = RequestKind::parse(&found.kind).ok_or(StoreError::Corrupt("request kind"))?;
    let now = tx.now().0;
    let erased_rows = if kind == RequestKind::Erasure {
        if person_held(tx, &case).await? {
            return Err(StoreError::Conflict("the case is under a legal hold"));
        }
        let erased = match person_of(tx, &case).await? {
            Some(person) => erasure::person(tx, Mode::Delete, &person).await?,
            None => erasure::case(tx, case.as_str()).await?,
        };
        let rows = i64::try_from(erased.total()).unwrap_or(i64::MAX);
        tx.audit(
            Action::PrivacyErase,
            Object::Case,
            Some(case.as_str()),
            Some(&format!("request:{id}:rows={rows}")),
        )
        .await?;
        Some(rows)
    } else {
        None
    };
    sqlx::query(
        "UPDATE data_requests SET status = $1, decided_by = $2, decided_at = $3, erased_rows = $4 WHERE id = $5",
    )
    .bind(RequestStatus::Done.key())
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .bind(erased_rows)
    .bind(id.to_owned())
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::PrivacyRequestConfirm,
        Object::DataRequest,
        Some(id),
        Some(kind.key()),
    )
    .await?;
    Ok(kind)
}

/// The second person refuses, with a reason; nothing is erased or exported.
pub async fn refuse(tx: &mut Tx, can: &Capability<ConfirmDataRights>, id: &str, reason: &Reason) -> Result<()> {
    pending_for(tx, can, id).await?;
    let sealed = tx.keys().encrypt(reason.as_str().as_bytes(), &decision_context(id))?;
    let now = tx.now().0;
    sqlx::query(
        "UPDATE data_requests SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $5",
    )
    .bind(RequestStatus::Refused.key())
    .bind(can.actor().as_str().to_owned())
    .bind(now)
    .bind(sealed)
    .bind(id.to_owned())
    .execute(tx.conn())
    .await?;
    tx.audit(Action::PrivacyRequestRefuse, Object::DataRequest, Some(id), None)
        .await
}

/// The export of a confirmed access request, for the two people who
/// handled it, within [`EXPORT_AVAILABLE_SECONDS`] of the confirmation.
/// Each opening is audited on the case.
pub async fn export(tx: &mut Tx, can: &Capability<RequestDataRights>, id: &str) -> Result<(Request, SubjectAccess)> {
    let found = row(tx, can.scope(), can.actor(), id).await?;
    let handled = found.requested_by.as_deref() == Some(can.actor().as_str())
        || found.decided_by.as_deref() == Some(can.actor().as_str());
    let available = found.kind == RequestKind::Access.key()
        && found.status == RequestStatus::Done.key()
        && found
            .decided_at
            .is_some_and(|at| tx.now().seconds_since(Timestamp(at)) < EXPORT_AVAILABLE_SECONDS);
    if !handled || !available {
        return Err(StoreError::NotFound);
    }
    let case = found
        .case_id
        .as_deref()
        .and_then(CaseId::parse)
        .ok_or(StoreError::NotFound)?;
    let request = request(tx, found, false)?;
    let export = subject_access::collect(tx, &case).await?;
    tx.audit(Action::PrivacyAccessExport, Object::Case, Some(case.as_str()), Some(id))
        .await?;
    Ok((request, export))
}
