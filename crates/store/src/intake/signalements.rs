//! Public signalements: a report without an account, followed later with a
//! follow-up code and a passphrase shown once.
//!
//! The content is stored like any referral (kind `public`, encrypted
//! details, the child rule applied by [`referrals::finalise`]); only the
//! passphrase's Argon2 hash is kept. Rate limits are counted per keyed hash
//! of the network address and of the follow-up code (see [`rate_limit`]).
//! Every function runs as the system actor: there is no user.

use crate::audit::{Action, Object};
use crate::intake::referrals::{self, Author, Origin};
use crate::{Result, Store, StoreError, Tx, access::passwords, access::rate_limit};
use relais_domain::ids::ReferralId;
use relais_domain::intake::referral::ReferralKind;
use relais_domain::intake::referral::public::{PublicLimits, PublicReport, complement_problem};
use relais_domain::intake::referral::reference::{FollowUpCode, Passphrase};
use relais_domain::intake::referral::status::{Event, Status};
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
pub fn decoy() -> (FollowUpCode, Passphrase) {
    (
        FollowUpCode::from_random(crate::random_bytes()),
        Passphrase::from_random(crate::random_bytes()),
    )
}

/// A new passphrase with its Argon2 hash. Hashing is slow on purpose: do
/// it before the transaction, on a blocking thread, so that it neither
/// holds the database's write lock nor an async worker.
pub struct NewPassphrase {
    passphrase: Passphrase,
    hash: String,
}

pub fn new_passphrase() -> Result<NewPassphrase> {
    let passphrase = Passphrase::from_random(crate::random_bytes());
    let hash = passwords::hash(passphrase.as_str())?;
    Ok(NewPassphrase { passphrase, hash })
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

/// How long the follow-up code and passphrase wait, encrypted, for the
/// confirmation page to show them once.
pub const RECEIPT_SECONDS: i64 = 15 * 60;

/// How long a used form token is remembered (a resubmission later than
/// that is a new signalement).
const FORM_TOKEN_SECONDS: i64 = 24 * 60 * 60;

/// The one-time token a public form carries (a hidden field, 128 random
/// bits in hex), so that sending the same form twice files one signalement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken(String);

impl FormToken {
    pub fn generate() -> Self {
        Self(hex::encode(crate::random_bytes::<16>()))
    }

    /// A token as posted; None unless it has the generated shape.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn token_key(tx: &Tx, token: &FormToken) -> String {
    tx.keys().keyed_hash("signalement-form", token.as_str())
}

fn receipt_context(token_key: &str) -> String {
    format!("signalement-receipt:{token_key}")
}

/// What sending a public form did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// A new signalement: its code and passphrase wait for the confirmation page.
    Filed(ReferralId),
    /// This form was sent before: nothing new was filed. Writes nothing:
    /// do not commit.
    AlreadySent,
}

/// Files a signalement from `address` (a network address, hashed before
/// use), once per form token. Refused as incomplete if the report has problems.
pub async fn submit(
    tx: &mut Tx,
    address: &str,
    token: &FormToken,
    secret: NewPassphrase,
    report: &PublicReport,
    limits: &PublicLimits,
) -> Result<Outcome<Sent>> {
    if !report.problems().is_empty() {
        return Err(StoreError::Incomplete);
    }
    let token_key = token_key(tx, token);
    let used: Option<(String,)> =
        sqlx::query_as("SELECT token_hash FROM signalement_submissions WHERE token_hash = $1")
            .bind(token_key.clone())
            .fetch_optional(tx.conn())
            .await?;
    if used.is_some() {
        return Ok(Outcome::Done(Sent::AlreadySent));
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
    let NewPassphrase { passphrase, hash } = secret;
    sqlx::query("UPDATE referrals SET followup_code = $1, passphrase_hash = $2 WHERE id = $3")
        .bind(code.as_str().to_owned())
        .bind(hash)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "follow-up code collision"))?;
    let receipt = format!("{} {}", code.as_str(), passphrase.as_str());
    let sealed = tx.keys().encrypt(receipt.as_bytes(), &receipt_context(&token_key))?;
    let now = tx.now().0;
    sqlx::query("DELETE FROM signalement_submissions WHERE created_at < $1")
        .bind(now - FORM_TOKEN_SECONDS)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE signalement_submissions SET receipt = NULL WHERE receipt IS NOT NULL AND created_at < $1")
        .bind(now - RECEIPT_SECONDS)
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO signalement_submissions (token_hash, referral_id, receipt, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_key)
    .bind(id.as_str().to_owned())
    .bind(sealed)
    .bind(now)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "form already sent"))?;
    tx.audit(Action::SignalementSubmit, Object::Referral, Some(id.as_str()), None)
        .await?;
    Ok(Outcome::Done(Sent::Filed(id)))
}

/// What the confirmation page may show for a form token.
#[derive(Debug, Clone)]
pub enum Confirmation {
    /// The first display: the code and passphrase, never shown again.
    Receipt(Receipt),
    /// The form was sent and its code already shown (or no longer kept).
    AlreadyShown,
    /// No signalement was filed with this token.
    Unknown,
}

/// Takes the code and passphrase of the signalement sent with `token`
/// for their one display: they are erased in the same transaction.
/// Commit only a [`Confirmation::Receipt`]; the others write nothing.
pub async fn take_receipt(tx: &mut Tx, token: &FormToken) -> Result<Confirmation> {
    let token_key = token_key(tx, token);
    let row: Option<(String, Option<String>, i64)> =
        sqlx::query_as("SELECT referral_id, receipt, created_at FROM signalement_submissions WHERE token_hash = $1")
            .bind(token_key.clone())
            .fetch_optional(tx.conn())
            .await?;
    let Some((id, receipt, created_at)) = row else {
        return Ok(Confirmation::Unknown);
    };
    let Some(sealed) = receipt.filter(|_| tx.now().0 - created_at <= RECEIPT_SECONDS) else {
        return Ok(Confirmation::AlreadyShown);
    };
    sqlx::query("UPDATE signalement_submissions SET receipt = NULL WHERE token_hash = $1")
        .bind(token_key.clone())
        .execute(tx.conn())
        .await?;
    let plain = tx.keys().decrypt(&sealed, &receipt_context(&token_key))?;
    let text = std::str::from_utf8(&plain).map_err(|_| StoreError::Corrupt("signalement receipt"))?;
    let (code, passphrase) = text.split_once(' ').ok_or(StoreError::Corrupt("signalement receipt"))?;
    let receipt = Receipt {
        id: ReferralId::parse(&id).ok_or(StoreError::Corrupt("referral id"))?,
        code: FollowUpCode::parse(code).ok_or(StoreError::Corrupt("follow-up code"))?,
        passphrase: Passphrase::parse(passphrase).ok_or(StoreError::Corrupt("passphrase"))?,
    };
    tx.audit(Action::SignalementReceiptShown, Object::Referral, Some(&id), None)
        .await?;
    Ok(Confirmation::Receipt(receipt))
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
            tx.audit(Action::SignalementFollowUpFailed, Object::Referral, None, None)
                .await?;
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
    tx.audit(Action::SignalementFollowUp, Object::Referral, Some(id.as_str()), None)
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
            Action::SignalementAddInformationRefused,
            Object::Referral,
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
    tx.audit(
        Action::SignalementAddInformation,
        Object::Referral,
        Some(id.as_str()),
        None,
    )
    .await?;
    Ok(Outcome::Done(Addition { view, added: true }))
}
