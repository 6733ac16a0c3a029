//! The case-access capability, built from what the database says of the
//! case and the actor's organisation (ADR 0009): the territory, the lead
//! organisation, the purposes of active shares. Every store function of a
//! case takes the capability and checks the area it touches.

use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, CaseAccess, CaseTies, Denied, ViewCaseFile};
use relais_domain::casework::case_access::{CaseRefusal, SharePurpose};
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;

impl From<CaseRefusal> for StoreError {
    fn from(refusal: CaseRefusal) -> Self {
        match refusal {
            CaseRefusal::Hidden => Self::NotFound,
            CaseRefusal::ReadOnly => Self::Denied(Denied::NotPermitted),
        }
    }
}

/// The actor's access to the case, as of the transaction's time. A case
/// the actor's organisation has no tie to is not found — also when it only
/// received an onward referral: it reads that through `onward::received`.
pub async fn open(tx: &mut Tx, can: &Capability<ViewCaseFile>, id: &CaseId) -> Result<CaseAccess> {
    let organisation = can.actor_organisation().as_str().to_owned();
    // The case and the organisation's active shares of it, in one statement: a row per
    // share, or one with no purpose.
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT c.departement, c.owner_organisation_id, s.purpose FROM cases c \
         LEFT JOIN case_shares s ON s.case_id = c.id AND s.organisation_id = $2 \
         AND s.revoked_at IS NULL AND s.expires_at > $3 WHERE c.id = $1",
    )
    .bind(id.as_str().to_owned())
    .bind(organisation.clone())
    .bind(tx.now().0)
    .fetch_all(tx.conn())
    .await?;
    let (departement, lead) = rows
        .first()
        .map(|(departement, lead, _)| (departement.clone(), lead.clone()))
        .ok_or(StoreError::NotFound)?;
    let share_purposes = rows
        .iter()
        .filter_map(|(_, _, purpose)| purpose.as_deref())
        .map(|p| SharePurpose::parse(p).ok_or(StoreError::Corrupt("share purpose")))
        .collect::<Result<Vec<_>>>()?;
    let ties = CaseTies {
        departement: departement.as_deref().and_then(Departement::parse),
        lead: lead.as_deref() == Some(organisation.as_str()),
        share_purposes,
    };
    let access = CaseAccess::grant(can, id.clone(), ties);
    if access.relation().reaches_case() {
        Ok(access)
    } else {
        Err(StoreError::NotFound)
    }
}
