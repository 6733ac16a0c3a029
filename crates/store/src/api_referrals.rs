//! Referrals submitted by an organisation's information system through the
//! API (`/api/v1/referrals`), and what it may read back: the status only.
//!
//! Rule for reading back: a referral is visible to a caller when it was
//! created through an API token (`api_token_id` set) of the caller's
//! organisation — any of its tokens, so that a rotated token does not lose
//! track of earlier referrals. Referrals written by hand in the web form,
//! even by the same organisation, are not exposed to integrations.

use crate::referrals::{self, Origin, Submitted};
use crate::{Result, Store, StoreError, Tx, catalogues};
use relais_domain::catalogue::Catalogue;
use relais_domain::referral::reference::Reference;
use relais_domain::referral::screen;
use relais_domain::referral::status::Status;
use relais_domain::referral::steps::{self, Step};
use relais_domain::referral::{ReferralDetails, ReferralKind};
use relais_domain::screening::Overall;
use relais_domain::time::{Date, Timestamp};

pub use crate::api_tokens::ApiCaller;

/// The catalogue API referrals are screened with (its newest version).
pub const CATALOGUE: &str = "ilo-ec-delphi-2009-labour";

/// One problem of a submitted referral: `problem` is a stable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub step: &'static str,
    pub field: String,
    pub problem: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the referral has {} problem(s)", .0.len())]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The newest version of the screening catalogue, loaded outside the
/// transaction (catalogues are not personal data).
pub async fn catalogue(store: &Store) -> Result<(i64, Catalogue)> {
    let version = catalogues::list(store)
        .await?
        .into_iter()
        .filter(|c| c.id == CATALOGUE)
        .map(|c| c.version)
        .max()
        .ok_or(StoreError::NotFound)?;
    Ok((version, catalogues::get(store, CATALOGUE, version).await?))
}

/// Every problem of every step, plus indicator answers the catalogue does not know.
pub fn problems(details: &ReferralDetails, catalogue: &Catalogue, today: Date) -> Vec<FieldProblem> {
    let mut out: Vec<FieldProblem> = Step::sequence(details)
        .into_iter()
        .flat_map(|step| {
            steps::problems(step, details, today)
                .into_iter()
                .map(move |p| FieldProblem {
                    step: step.key(),
                    field: p.field.to_owned(),
                    problem: p.problem,
                })
        })
        .collect();
    let known: Vec<String> = catalogue
        .set(screen::set_key(details))
        .map(|set| set.entries.iter().map(screen::answer_key).collect())
        .unwrap_or_default();
    for key in details.answers.keys().filter(|k| !known.contains(k)) {
        out.push(FieldProblem {
            step: Step::Indicators.key(),
            field: format!("answers/{key}"),
            problem: "unknown-indicator",
        });
    }
    out
}

/// Validates, screens and submits a complete referral in one go. The
/// consent and child rules of [`referrals::finalise`] apply as in the form.
pub async fn submit(
    tx: &mut Tx,
    caller: &ApiCaller,
    details: &ReferralDetails,
    catalogue: (i64, &Catalogue),
) -> Result<Submitted, SubmitError> {
    let (version, catalogue) = catalogue;
    let found = problems(details, catalogue, Date::of(tx.now()));
    if !found.is_empty() {
        return Err(SubmitError::Invalid(found));
    }
    let screening = screen::screen(details, catalogue).ok().map(|s| s.overall());
    let origin = Origin {
        kind: ReferralKind::Full,
        organisation_id: Some(caller.organisation_id().clone()),
        created_by: None,
        api_token_id: Some(caller.token_id().as_str().to_owned()),
    };
    let id = referrals::insert_draft(tx, &origin, details, Some((CATALOGUE, version))).await?;
    let submitted = referrals::finalise(tx, &id, ReferralKind::Full, details, screening).await?;
    tx.audit(
        "api.referral.submit",
        "referral",
        Some(id.as_str()),
        Some(&token_reason(caller)),
    )
    .await?;
    Ok(submitted)
}

/// What an integration sees of its referral: codes and dates, no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusView {
    pub reference: String,
    pub status: Status,
    pub kind: ReferralKind,
    pub submitted_at: Option<Timestamp>,
    pub screening: Option<Overall>,
}

/// The audit row names the token that acted (the actor is its organisation).
fn token_reason(caller: &ApiCaller) -> String {
    format!("api-token:{}", caller.token_id())
}

/// id, status, kind, submitted_at, screening.
type StatusRow = (String, String, String, Option<i64>, Option<String>);

/// The status of a referral this organisation submitted through the API;
/// any other reference is "not found", so nothing leaks about it.
pub async fn get(tx: &mut Tx, caller: &ApiCaller, reference: &Reference) -> Result<StatusView> {
    let row: Option<StatusRow> = sqlx::query_as(
        "SELECT id, status, kind, submitted_at, screening FROM referrals \
         WHERE reference = $1 AND organisation_id = $2 AND api_token_id IS NOT NULL",
    )
    .bind(reference.as_str().to_owned())
    .bind(caller.organisation_id().as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let (id, status, kind, submitted_at, screening) = row.ok_or(StoreError::NotFound)?;
    tx.audit("api.referral.read", "referral", Some(&id), Some(&token_reason(caller)))
        .await?;
    Ok(StatusView {
        reference: reference.as_str().to_owned(),
        status: Status::parse(&status).ok_or(StoreError::Corrupt("referral status"))?,
        kind: ReferralKind::parse(&kind).ok_or(StoreError::Corrupt("referral kind"))?,
        submitted_at: submitted_at.map(Timestamp),
        screening: screening.as_deref().and_then(Overall::parse),
    })
}
