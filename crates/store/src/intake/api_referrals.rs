//! Referrals submitted by an organisation's information system through the
//! API (`/api/v1/referrals`), and what it may read back: the status only.
//!
//! Rule for reading back: a referral is visible to a caller when it was
//! created through an API token (`api_token_id` set) of the caller's
//! organisation — any of its tokens, so that a rotated token does not lose
//! track of earlier referrals. Referrals written by hand in the web form,
//! even by the same organisation, are not exposed to integrations.

use crate::audit::{Action, Object};
use crate::intake::referrals::{self, Origin, Submitted};
use crate::{Result, Store, StoreError, Tx, intake::catalogues};
use relais_domain::intake::catalogue::Catalogue;
use relais_domain::intake::referral::reference::Reference;
use relais_domain::intake::referral::screen;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::{self, Step};
use relais_domain::intake::referral::{ReferralDetails, ReferralKind};
use relais_domain::intake::screening::Overall;
use relais_domain::time::{Date, Timestamp, Zone};

pub use crate::access::api_tokens::ApiCaller;

/// The catalogue API referrals are screened with (its newest version).
pub const CATALOGUE: &str = "ilo-ec-delphi-2009-labour";

/// One problem of a submitted referral: `problem` is a stable key. `field`
/// is always a documented field name (or empty): never something the
/// caller chose, which might be personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub step: &'static str,
    pub field: &'static str,
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
pub async fn catalogue(store: &Store) -> Result<(i64, std::sync::Arc<Catalogue>)> {
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
                    field: p.field,
                    problem: p.problem,
                })
        })
        .collect();
    let known: Vec<String> = catalogue
        .set(screen::set_key(details))
        .map(|set| set.entries.iter().map(screen::answer_key).collect())
        .unwrap_or_default();
    // The unknown key itself is not named: the caller chose it.
    if details.answers.keys().any(|k| !known.contains(k)) {
        out.push(FieldProblem {
            step: Step::Indicators.key(),
            field: "answers",
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
    let found = problems(details, catalogue, Date::local(tx.now(), &Zone::paris()));
    if !found.is_empty() {
        return Err(SubmitError::Invalid(found));
    }
    let screening = screen::screen(details, catalogue, None).ok().map(|s| s.overall());
    let origin = Origin {
        kind: ReferralKind::Full,
        organisation_id: Some(caller.organisation_id().clone()),
        created_by: None,
        api_token_id: Some(caller.token_id().as_str().to_owned()),
    };
    let id = referrals::insert_draft(tx, &origin, details, Some((CATALOGUE, version))).await?;
    let submitted = referrals::finalise(tx, &id, ReferralKind::Full, details, screening).await?;
    tx.audit(
        Action::ApiReferralSubmit,
        Object::Referral,
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
    tx.audit(
        Action::ApiReferralRead,
        Object::Referral,
        Some(&id),
        Some(&token_reason(caller)),
    )
    .await?;
    Ok(StatusView {
        reference: reference.as_str().to_owned(),
        status: Status::parse(&status).ok_or(StoreError::Corrupt("referral status"))?,
        kind: ReferralKind::parse(&kind).ok_or(StoreError::Corrupt("referral kind"))?,
        submitted_at: submitted_at.map(Timestamp),
        screening: screening.as_deref().and_then(Overall::parse),
    })
}

// ---------------------------------------------------------------- Idempotency-Key

/// How long a request's `Idempotency-Key` is remembered.
pub const IDEMPOTENCY_SECONDS: i64 = 24 * 60 * 60;

/// A request's `Idempotency-Key` and body, kept only as SHA-256 hashes: the
/// key is whatever the client chose, and the body is personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    key_hash: String,
    body_hash: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

impl Idempotency {
    pub fn new(key: &str, body: &[u8]) -> Self {
        Self {
            key_hash: sha256_hex(key.as_bytes()),
            body_hash: sha256_hex(body),
        }
    }
}

/// What an earlier request with the same key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// No request with this key in the last 24 hours: go ahead.
    New,
    /// The same body was accepted: its response, to send again (audited:
    /// commit).
    Same(String),
    /// The key was used with another body. Writes nothing: do not commit.
    OtherBody,
}

/// Looks up the caller's token's earlier request with this key.
pub async fn replay(tx: &mut Tx, caller: &ApiCaller, idempotency: &Idempotency) -> Result<Replay> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT body_hash, response, referral_id FROM api_idempotency_keys \
         WHERE token_id = $1 AND key_hash = $2 AND created_at > $3",
    )
    .bind(caller.token_id().as_str().to_owned())
    .bind(idempotency.key_hash.clone())
    .bind(tx.now().0 - IDEMPOTENCY_SECONDS)
    .fetch_optional(tx.conn())
    .await?;
    match row {
        None => Ok(Replay::New),
        Some((body_hash, response, referral_id)) if body_hash == idempotency.body_hash => {
            tx.audit(
                Action::ApiReferralReplay,
                Object::Referral,
                Some(&referral_id),
                Some(&token_reason(caller)),
            )
            .await?;
            Ok(Replay::Same(response))
        }
        Some(_) => Ok(Replay::OtherBody),
    }
}

/// Remembers the response to a request with this key, in the transaction
/// that created `referral`, and forgets keys older than 24 hours.
pub async fn remember(
    tx: &mut Tx,
    caller: &ApiCaller,
    idempotency: &Idempotency,
    referral: &Submitted,
    response: &str,
) -> Result<()> {
    let now = tx.now().0;
    sqlx::query("DELETE FROM api_idempotency_keys WHERE created_at <= $1")
        .bind(now - IDEMPOTENCY_SECONDS)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO api_idempotency_keys (token_id, key_hash, body_hash, referral_id, response, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(caller.token_id().as_str().to_owned())
    .bind(idempotency.key_hash.clone())
    .bind(idempotency.body_hash.clone())
    .bind(referral.id.as_str().to_owned())
    .bind(response.to_owned())
    .bind(now)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "idempotency key already used"))?;
    Ok(())
}
