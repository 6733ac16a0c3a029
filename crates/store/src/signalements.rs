//! Public signalements: a report without an account, followed later with a
//! follow-up code and a passphrase shown once.
//!
//! The content is stored like any referral (kind `public`, encrypted
//! details, the child rule applied by [`referrals::finalise`]); only the
//! passphrase's Argon2 hash is kept. Rate limits are counted per keyed hash
//! of the network address and of the follow-up code (see [`rate_limit`]).
//! Every function runs as the system actor: there is no user.

use crate::referrals::{self, Author, Origin};
use crate::{Result, Store, StoreError, Tx, passwords, rate_limit};
use relais_domain::ids::ReferralId;
use relais_domain::referral::ReferralKind;
use relais_domain::referral::public::{PublicLimits, PublicReport, complement_problem};
use relais_domain::referral::reference::{FollowUpCode, Passphrase};
use relais_domain::referral::status::{Event, Status};
use relais_domain::time::Timestamp;

const SUBMIT_BUCKET: &str = "signalement-submit";
const FOLLOW_UP_BUCKET: &str = "signalement-follow-up";
const CODE_FAILURE_BUCKET: &str = "signalement-code-failure";

/// What the reporter is shown once after submitting.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub id: ReferralId,
    pub code: FollowUpCode,
    pub passphrase: Passphrase,
}

/// How an attempt ended. `Throttled` writes nothing: do not commit it.
#[derive(Debug, Clone)]
pub enum Outcome<T> {
    Done(T),
    /// Unknown code or wrong passphrase (indistinguishable on purpose).
    WrongCredentials,
    Throttled,
}

impl<T> Outcome<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Self::Done(t) => Outcome::Done(f(t)),
            Self::WrongCredentials => Outcome::WrongCredentials,
            Self::Throttled => Outcome::Throttled,
        }
    }
}

/// After adding information: the page to show, and whether it was added
/// (not once the authority has decided).
#[derive(Debug, Clone)]
pub struct Addition {
    pub view: FollowUp,
    pub added: bool,
}

/// A code and passphrase that match nothing, for the honeypot's answer:
/// a robot cannot tell it was ignored.
/// It hashes the passphrase like a real submission so that the answer
/// takes about as long.
pub fn decoy() -> (FollowUpCode, Passphrase) {
    let passphrase = Passphrase::from_random(crate::random_bytes());
    let _ = passwords::hash(passphrase.as_str());
    (FollowUpCode::from_random(crate::random_bytes()), passphrase)
}

/// What the follow-up page shows: no content of the signalement (the
/// reporter may be on a shared device), only status, dates and the
/// authority's messages.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub status: Status,
    pub submitted_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    /// The authority's messages, oldest first.
    pub messages: Vec<referrals::Message>,
    /// When the reporter added information (not what they wrote).
    pub additions: Vec<Timestamp>,
}

fn address_key(tx: &Tx, address: &str) -> String {
    rate_limit::subject_key(tx, "signalement-address", address)
}

/// Files a signalement from `address` (a network address, hashed before
/// use). Refused as incomplete if the report has problems.
pub async fn submit(
    tx: &mut Tx,
    address: &str,
    report: &PublicReport,
    limits: &PublicLimits,
) -> Result<Outcome<Receipt>> {
    if !report.problems().is_empty() {
        return Err(StoreError::Incomplete);
    }
    let address = address_key(tx, address);
    if !rate_limit::allowed(tx, SUBMIT_BUCKET, &address, limits.submissions_per_address).await? {
        return Ok(Outcome::Throttled);
    }
    rate_limit::record(tx, SUBMIT_BUCKET, &address, limits.submissions_per_address).await?;
    let origin = Origin {
        kind: ReferralKind::Public,
        organisation_id: None,
        created_by: None,
        api_token_id: None,
    };
    let details = report.to_details();
    let id = referrals::insert_draft(tx, &origin, &details, None).await?;
    referrals::finalise(tx, &id, ReferralKind::Public, &details, None).await?;
    let code = FollowUpCode::from_random(crate::random_bytes());
    let passphrase = Passphrase::from_random(crate::random_bytes());
    let hash = passwords::hash(passphrase.as_str())?;
    sqlx::query("UPDATE referrals SET followup_code = $1, passphrase_hash = $2 WHERE id = $3")
        .bind(code.as_str().to_owned())
        .bind(hash)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "follow-up code collision"))?;
    tx.audit("signalement.submit", "referral", Some(id.as_str()), None)
        .await?;
    Ok(Outcome::Done(Receipt { id, code, passphrase }))
}

/// A follow-up code and the result of checking its passphrase, obtained
/// before any transaction: Argon2 is deliberately slow, so the caller runs
/// [`check_passphrase`] on a blocking thread and the functions below only
/// take its result. Holding one proves nothing by itself: the rate limits
/// are applied again when it is used.
#[derive(Debug, Clone)]
pub struct CheckedPassphrase {
    code: Option<FollowUpCode>,
    matched: bool,
}

/// The stored passphrase hash of the signalement with this follow-up code,
/// if any. Not personal data: read outside a transaction, before hashing.
pub async fn passphrase_hash(store: &Store, code: &str) -> Result<Option<String>> {
    let Some(code) = FollowUpCode::parse(code) else {
        return Ok(None);
    };
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT passphrase_hash FROM referrals WHERE followup_code = $1 AND kind = $2")
            .bind(code.as_str().to_owned())
            .bind(ReferralKind::Public.key())
            .fetch_optional(store.pool())
            .await?;
    Ok(row.and_then(|(hash,)| hash))
}

/// Compares the typed passphrase with `hash` (from [`passphrase_hash`]);
/// without a hash, with a dummy one so that an unknown code takes as long.
/// CPU-bound (Argon2): call it on a blocking thread.
pub fn check_passphrase(code: &str, passphrase: &str, hash: Option<&str>) -> CheckedPassphrase {
    let canonical = Passphrase::parse(passphrase);
    let typed = canonical.as_ref().map_or(passphrase, Passphrase::as_str);
    CheckedPassphrase {
        code: FollowUpCode::parse(code),
        matched: passwords::verify(typed, hash),
    }
}

fn code_key(code: Option<&FollowUpCode>, key: impl Fn(&str) -> String) -> String {
    // Unparseable codes share one counter: they cannot match anything anyway.
    key(code.map_or("", FollowUpCode::as_str))
}

/// Whether a follow-up from `address` with `code` is still within the rate
/// limits, asked before spending an Argon2 check on it.
pub async fn follow_up_allowed(
    store: &Store,
    address: &str,
    code: &str,
    limits: &PublicLimits,
    now: Timestamp,
) -> Result<bool> {
    let address = rate_limit::store_subject_key(store, "signalement-address", address);
    let code = code_key(FollowUpCode::parse(code).as_ref(), |raw| {
        rate_limit::store_subject_key(store, "signalement-code", raw)
    });
    Ok(
        rate_limit::allowed_now(store, FOLLOW_UP_BUCKET, &address, limits.follow_ups_per_address, now).await?
            && rate_limit::allowed_now(store, CODE_FAILURE_BUCKET, &code, limits.failures_per_code, now).await?,
    )
}

/// Applies the rate limits to a checked code and passphrase; the referral
/// id when they match. Failures are recorded and audited (commit them).
async fn authenticate(
    tx: &mut Tx,
    address: &str,
    checked: &CheckedPassphrase,
    limits: &PublicLimits,
) -> Result<Outcome<ReferralId>> {
    let address = address_key(tx, address);
    let code_key = code_key(checked.code.as_ref(), |raw| {
        rate_limit::subject_key(tx, "signalement-code", raw)
    });
    if !rate_limit::allowed(tx, FOLLOW_UP_BUCKET, &address, limits.follow_ups_per_address).await?
        || !rate_limit::allowed(tx, CODE_FAILURE_BUCKET, &code_key, limits.failures_per_code).await?
    {
        return Ok(Outcome::Throttled);
    }
    rate_limit::record(tx, FOLLOW_UP_BUCKET, &address, limits.follow_ups_per_address).await?;
    let row: Option<(String,)> = match (&checked.code, checked.matched) {
        (Some(code), true) => {
            sqlx::query_as("SELECT id FROM referrals WHERE followup_code = $1 AND kind = $2")
                .bind(code.as_str().to_owned())
                .bind(ReferralKind::Public.key())
                .fetch_optional(tx.conn())
                .await?
        }
        _ => None,
    };
    match row {
        Some((id,)) => Ok(Outcome::Done(
            ReferralId::parse(&id).ok_or(StoreError::Corrupt("referral id"))?,
        )),
        None => {
            rate_limit::record(tx, CODE_FAILURE_BUCKET, &code_key, limits.failures_per_code).await?;
            tx.audit("signalement.follow-up-failed", "referral", None, None).await?;
            Ok(Outcome::WrongCredentials)
        }
    }
}

/// What the reporter may see of their signalement.
pub async fn follow_up(
    tx: &mut Tx,
    address: &str,
    checked: &CheckedPassphrase,
    limits: &PublicLimits,
) -> Result<Outcome<FollowUp>> {
    let id = match authenticate(tx, address, checked, limits).await? {
        Outcome::Done(id) => id,
        Outcome::WrongCredentials => return Ok(Outcome::WrongCredentials),
        Outcome::Throttled => return Ok(Outcome::Throttled),
    };
    let view = status_of(tx, &id).await?;
    tx.audit("signalement.follow-up", "referral", Some(id.as_str()), None)
        .await?;
    Ok(Outcome::Done(view))
}

async fn status_of(tx: &mut Tx, id: &ReferralId) -> Result<FollowUp> {
    let found = referrals::summaries(tx, "id = $1", "id", &[id.as_str().to_owned()]).await?;
    let summary = found.into_iter().next().ok_or(StoreError::NotFound)?;
    let thread = referrals::messages(tx, id).await?;
    let additions = thread
        .iter()
        .filter(|m| m.author == Author::Reporter)
        .map(|m| m.at)
        .collect();
    Ok(FollowUp {
        status: summary.status,
        submitted_at: summary.submitted_at,
        updated_at: summary.updated_at,
        messages: thread.into_iter().filter(|m| m.author == Author::Authority).collect(),
        additions,
    })
}

/// The reporter adds information; refused once the authority has decided.
/// Returns the page to show afterwards.
pub async fn add_information(
    tx: &mut Tx,
    address: &str,
    checked: &CheckedPassphrase,
    text: &str,
    limits: &PublicLimits,
) -> Result<Outcome<Addition>> {
    if complement_problem(text).is_some() {
        return Err(StoreError::Incomplete);
    }
    let id = match authenticate(tx, address, checked, limits).await? {
        Outcome::Done(id) => id,
        Outcome::WrongCredentials => return Ok(Outcome::WrongCredentials),
        Outcome::Throttled => return Ok(Outcome::Throttled),
    };
    let referral = referrals::fetch(tx, &id).await?;
    if !referral.summary.status.is_open() {
        let view = status_of(tx, &id).await?;
        tx.audit(
            "signalement.add-information-refused",
            "referral",
            Some(id.as_str()),
            None,
        )
        .await?;
        return Ok(Outcome::Done(Addition { view, added: false }));
    }
    let status = referral.summary.status;
    if status.after(Event::ProvideInformation, referral.summary.kind).is_ok() {
        referrals::transition(tx, &referral, Event::ProvideInformation).await?;
    }
    referrals::add_message(tx, &id, Author::Reporter, text.trim()).await?;
    let view = status_of(tx, &id).await?;
    tx.audit("signalement.add-information", "referral", Some(id.as_str()), None)
        .await?;
    Ok(Outcome::Done(Addition { view, added: true }))
}
