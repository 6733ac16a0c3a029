//! Server-side sessions. The cookie holds a random token; the database holds
//! only its SHA-256, so a copy of the database cannot be used to log in.

use crate::crypto::digest;
use crate::jobs::{self, Claimed};
use crate::{Result, Store, StoreError};
use relais_domain::access::session::{SessionPolicy, SessionStatus};
use relais_domain::ids::UserId;
use relais_domain::jobs::RetryPolicy;
use relais_domain::time::Timestamp;
use std::fmt;

/// How far a session got through the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Password accepted; the TOTP code is still to be given.
    MfaPending,
    /// Password accepted; MFA is required and must be set up first.
    MfaEnrolment,
    /// Fully signed in.
    Complete,
}

impl Stage {
    fn key(self) -> &'static str {
        match self {
            Self::MfaPending => "mfa",
            Self::MfaEnrolment => "enrol",
            Self::Complete => "complete",
        }
    }

    fn parse(key: &str) -> Option<Self> {
        match key {
            "mfa" => Some(Self::MfaPending),
            "enrol" => Some(Self::MfaEnrolment),
            "complete" => Some(Self::Complete),
            _ => None,
        }
    }
}

/// The cookie value. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn from_cookie(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    fn generate() -> Self {
        Self(hex::encode(crate::random_bytes::<32>()))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub stage: Stage,
    pub created_at: Timestamp,
    pub authenticated_at: Timestamp,
}

/// Writes to `last_seen_at` at most this often, to spare the database.
const TOUCH_EVERY_SECONDS: i64 = 60;

pub async fn create(store: &Store, user: &UserId, stage: Stage, now: Timestamp) -> Result<SessionToken> {
    let token = SessionToken::generate();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, authenticated_at) VALUES ($1, $2, $3, $4, $4, $4)",
    )
    .bind(digest(token.expose()))
    .bind(user.as_str().to_owned())
    .bind(stage.key())
    .bind(now.0)
    .execute(store.pool())
    .await?;
    Ok(token)
}

/// Looks up a live session and records activity; an expired one is deleted.
pub async fn find(
    store: &Store,
    token: &SessionToken,
    now: Timestamp,
    policy: &SessionPolicy,
) -> Result<Option<Session>> {
    let id_hash = digest(token.expose());
    let row: Option<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT user_id, stage, created_at, last_seen_at, authenticated_at FROM sessions WHERE id_hash = $1",
    )
    .bind(id_hash.clone())
    .fetch_optional(store.pool())
    .await?;
    let Some((user, stage, created, last_seen, authenticated)) = row else {
        return Ok(None);
    };
    if policy.status(now, Timestamp(created), Timestamp(last_seen)) != SessionStatus::Active {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(store.pool())
            .await?;
        return Ok(None);
    }
    if now.seconds_since(Timestamp(last_seen)) >= TOUCH_EVERY_SECONDS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now.0)
            .bind(id_hash)
            .execute(store.pool())
            .await?;
    }
    Ok(Some(Session {
        user_id: UserId::parse(&user).ok_or(StoreError::Corrupt("user id"))?,
        stage: Stage::parse(&stage).ok_or(StoreError::Corrupt("session stage"))?,
        created_at: Timestamp(created),
        authenticated_at: Timestamp(authenticated),
    }))
}

/// Replaces the session with a new token (after MFA, re-authentication or
/// any change of privilege) so a token seen before cannot be reused.
pub async fn rotate(
    store: &Store,
    old: &SessionToken,
    stage: Stage,
    authenticated_at: Timestamp,
    now: Timestamp,
) -> Result<SessionToken> {
    let new = SessionToken::generate();
    let done = sqlx::query(
        "UPDATE sessions SET id_hash = $1, stage = $2, authenticated_at = $3, last_seen_at = $4 WHERE id_hash = $5",
    )
    .bind(digest(new.expose()))
    .bind(stage.key())
    .bind(authenticated_at.0)
    .bind(now.0)
    .bind(digest(old.expose()))
    .execute(store.pool())
    .await?;
    if done.rows_affected() == 1 {
        Ok(new)
    } else {
        Err(StoreError::NotFound)
    }
}

/// Records that the session was opened through `provider`, with the ID token to send back as
/// the hint when signing out there.
pub async fn set_provider(store: &Store, token: &SessionToken, provider: &str, id_token: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET oidc_provider = $1, oidc_id_token = $2 WHERE id_hash = $3")
        .bind(provider.to_owned())
        .bind(id_token.to_owned())
        .bind(digest(token.expose()))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// The provider a session was opened through, and its ID token.
pub async fn provider(store: &Store, token: &SessionToken) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT oidc_provider, oidc_id_token FROM sessions WHERE id_hash = $1")
            .bind(digest(token.expose()))
            .fetch_optional(store.pool())
            .await?;
    Ok(row.and_then(|(provider, token)| provider.zip(token)))
}

pub async fn delete(store: &Store, token: &SessionToken) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(digest(token.expose()))
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Removes sessions that can no longer be used.
pub async fn purge_expired(store: &Store, now: Timestamp, policy: &SessionPolicy) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE created_at < $1 OR last_seen_at < $2")
        .bind(now.0 - policy.absolute_seconds)
        .bind(now.0 - policy.idle_seconds)
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected())
}

/// The scheduled job that purges expired sessions (run by every `relais
/// serve` process); the claim in `job_runs` makes one process of several do
/// each hour's run, and a failed run is attempted again as the standard
/// retry policy says. `None` when this hour's run is done, running elsewhere
/// or not due again yet.
pub async fn purge_job(store: &Store, now: Timestamp, policy: &SessionPolicy) -> Result<Option<u64>> {
    const JOB: &str = "session-purge";
    let retry = &RetryPolicy::STANDARD;
    let run_key = now.0.div_euclid(3600).to_string();
    let Claimed::Yes(claim) = jobs::claim(store, JOB, &run_key, now, retry).await? else {
        return Ok(None);
    };
    match purge_expired(store, now, policy).await {
        Ok(purged) => {
            jobs::finish(store, &claim, now, &format!("{purged} purged")).await?;
            Ok(Some(purged))
        }
        Err(error) => {
            jobs::fail(store, &claim, now, "purge failed", retry).await?;
            Err(error)
        }
    }
}
