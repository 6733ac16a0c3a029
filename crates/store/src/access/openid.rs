//! Sign-in through an OpenID Connect provider (ADR 0051): the sign-ins under way, consumed
//! once by the callback whichever process serves it, and the provider identities linked to
//! accounts.

use crate::audit::{Action, Object};
use crate::crypto::digest;
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::openid::Refusal;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::time::Timestamp;
use std::fmt;

/// A sign-in sent to a provider: what the callback needs to finish it.
#[derive(Clone)]
pub struct PendingLogin {
    /// The provider's configured identifier.
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once signed in (a local path).
    pub next: String,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingLogin")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

/// Records a sign-in under way; `state` is the value sent to the provider, stored hashed.
pub async fn start(store: &Store, state: &str, login: &PendingLogin, expires_at: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO oidc_pending_logins (state_hash, provider, nonce, pkce_verifier, next_path, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(digest(state))
    .bind(login.provider.clone())
    .bind(login.nonce.clone())
    .bind(login.pkce_verifier.clone())
    .bind(login.next.clone())
    .bind(expires_at.0)
    .execute(store.pool())
    .await?;
    Ok(())
}

/// Takes the sign-in whose state the callback carries: at most once, so a replayed callback
/// (or its nonce) finds nothing. Expired sign-ins are purged on the way.
pub async fn consume(store: &Store, state: &str, now: Timestamp) -> Result<Option<PendingLogin>> {
    sqlx::query("DELETE FROM oidc_pending_logins WHERE expires_at < $1")
        .bind(now.0)
        .execute(store.pool())
        .await?;
    let hash = digest(state);
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT provider, nonce, pkce_verifier, next_path FROM oidc_pending_logins WHERE state_hash = $1",
    )
    .bind(hash.clone())
    .fetch_optional(store.pool())
    .await?;
    let Some((provider, nonce, pkce_verifier, next)) = row else {
        return Ok(None);
    };
    // Two callbacks racing with the same state: only the one whose delete removed the row wins.
    let deleted = sqlx::query("DELETE FROM oidc_pending_logins WHERE state_hash = $1")
        .bind(hash)
        .execute(store.pool())
        .await?
        .rows_affected();
    Ok((deleted == 1).then_some(PendingLogin {
        provider,
        nonce,
        pkce_verifier,
        next,
    }))
}

/// The account a provider's subject was linked to.
pub async fn linked_user(tx: &mut Tx, provider: &str, subject: &str) -> Result<Option<UserId>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT user_id FROM oidc_identities WHERE provider = $1 AND subject = $2")
            .bind(provider.to_owned())
            .bind(subject.to_owned())
            .fetch_optional(tx.conn())
            .await?;
    row.map(|(id,)| UserId::parse(&id).ok_or(StoreError::Corrupt("user id")))
        .transpose()
}

/// An account with the agent's e-mail address, as the matching rule needs it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub active: bool,
    pub organisation_siret: Option<String>,
}

pub async fn candidate_by_email(tx: &mut Tx, email: &Email) -> Result<Option<Candidate>> {
    let row: Option<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.organisation_id, u.active * o.active, o.siret FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.email = $1",
    )
    .bind(email.as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    row.map(|(id, organisation, active, siret)| {
        Ok(Candidate {
            user_id: UserId::parse(&id).ok_or(StoreError::Corrupt("user id"))?,
            organisation_id: OrganisationId::parse(&organisation).ok_or(StoreError::Corrupt("organisation id"))?,
            active: active != 0,
            organisation_siret: siret,
        })
    })
    .transpose()
}

/// Links a provider's subject to an account (first matching sign-in, or an approved request).
pub async fn link(tx: &mut Tx, provider: &str, subject: &str, user: &UserId) -> Result<()> {
    sqlx::query("INSERT INTO oidc_identities (provider, subject, user_id, linked_at) VALUES ($1, $2, $3, $4)")
        .bind(provider.to_owned())
        .bind(subject.to_owned())
        .bind(user.as_str().to_owned())
        .bind(tx.now().0)
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "identity already linked"))?;
    tx.audit(
        Action::AuthOidcLinked,
        Object::User,
        Some(user.as_str()),
        Some(provider),
    )
    .await
}

/// A refused sign-in, with its reason code and the provider: never the token's content.
pub async fn record_refusal(tx: &mut Tx, provider: &str, refusal: Refusal, user: Option<&UserId>) -> Result<()> {
    let detail = format!("{provider} {}", refusal.code());
    tx.audit(
        Action::AuthOidcRefused,
        Object::User,
        user.map(UserId::as_str),
        Some(&detail),
    )
    .await
}

/// Whether members of the account's organisation may sign in with a password.
pub async fn password_sign_in_allowed(store: &Store, organisation: &OrganisationId) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT password_sign_in FROM organisations WHERE id = $1")
        .bind(organisation.as_str().to_owned())
        .fetch_optional(store.pool())
        .await?;
    Ok(row.is_none_or(|(allowed,)| allowed != 0))
}
