//! What the casework pages share: opening a case for a page, its next deadline, labels.

use crate::AppState;
use crate::access::authorized::capability;
use crate::error::AppError;
use crate::page::Page;
use crate::session::{RequestContext, SignedIn};
use relais_domain::access::authz::{CaseAccess, ViewCaseFile};
use relais_domain::casework::case_access::{CaseArea, CaseRelation, Mode, SharePurpose};
use relais_domain::casework::case_status::Status;
use relais_domain::casework::deadline::{self, Targets};
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;
use relais_domain::time::Date;
use relais_store::Tx;
use relais_store::casework::case_access;
use relais_store::casework::cases::CaseSummary;

/// The next deadline of a case and what it is for (the rule is the domain's).
pub(crate) fn next_deadline(case: &CaseSummary, targets: &Targets) -> Option<(&'static str, Date)> {
    let departement = case.departement.as_deref().and_then(Departement::parse);
    deadline::next_for_case_submitted(&case.case, case.submitted_at, departement, targets).map(|n| (n.key(), n.date()))
}

pub(crate) fn stage_label(page: &Page, status: Status) -> String {
    page.t(&format!("case-status-{}", status.key()))
}

pub(crate) fn parse_id(raw: &str) -> Result<CaseId, AppError> {
    CaseId::parse(raw).ok_or(AppError::NotFound)
}

/// Starts the request's audited transaction and opens the user's access to
/// the case (not found when their organisation has no tie to it).
pub(crate) async fn open_case(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
) -> Result<(Tx, CaseAccess), AppError> {
    let can = capability::<ViewCaseFile>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let access = case_access::open(&mut tx, &can, id).await?;
    Ok((tx, access))
}

/// Opens the case for a change of `area`, refused before the form is even
/// read: 404 where the area does not exist for the user, 403 where it is
/// open for reading only.
pub(crate) async fn open_to_change(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    area: CaseArea,
) -> Result<(Tx, CaseAccess), AppError> {
    let (tx, access) = open_case(state, ctx, user, id).await?;
    access.check(area, Mode::Write)?;
    Ok((tx, access))
}

/// "Shared with your organisation for: …", when a share is the user's only tie.
pub(crate) fn shared_for(page: &Page, access: &CaseAccess) -> Option<String> {
    match access.relation() {
        CaseRelation::Shared(purposes) => {
            let names: Vec<String> = purposes.iter().map(|p| purpose_label(page, *p)).collect();
            Some(page.tr.t1("case-access-shared-for", "purposes", &names.join(", ")))
        }
        _ => None,
    }
}

pub(crate) fn purpose_label(page: &Page, purpose: SharePurpose) -> String {
    page.t(&format!("case-share-purpose-{}", purpose.as_str()))
}
