//! One-time links to set a password: at account creation and after an
//! administrator's reset. Only a hash of the token is stored.

use crate::audit::{Action, Object};
use crate::crypto::digest;
use crate::{Result, StoreError, Tx};
use relais_domain::ids::UserId;
use std::fmt;

/// How long a setup link stays valid.
pub const VALIDITY_SECONDS: i64 = 72 * 3600;

/// The secret part of a setup link. Shown once, never logged.
pub struct SetupToken(String);

impl SetupToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SetupToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SetupToken(***)")
    }
}

pub(crate) async fn issue(tx: &mut Tx, user: &UserId) -> Result<SetupToken> {
    let raw = hex::encode(crate::random_bytes::<32>());
    // A new link replaces any earlier unused one.
    sqlx::query("DELETE FROM setup_tokens WHERE user_id = $1")
        .bind(user.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    let expires = tx.now().plus_seconds(VALIDITY_SECONDS).0;
    sqlx::query("INSERT INTO setup_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(digest(&raw))
        .bind(user.as_str().to_owned())
        .bind(expires)
        .execute(tx.conn())
        .await?;
    Ok(SetupToken(raw))
}

/// Whether `raw` is a live token; returns its user without consuming it.
pub async fn peek(store: &crate::Store, raw: &str, now: relais_domain::time::Timestamp) -> Result<UserId> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT user_id FROM setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(digest(raw))
    .bind(now.0)
    .fetch_optional(store.pool())
    .await?;
    let (user,) = row.ok_or(StoreError::NotFound)?;
    UserId::parse(&user).ok_or(StoreError::Corrupt("user id"))
}

/// Uses the token to set the password hash; the token cannot be used again.
pub async fn consume(tx: &mut Tx, raw: &str, password_hash: &str) -> Result<UserId> {
    let now = tx.now().0;
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(now)
    .bind(digest(raw))
    .fetch_optional(tx.conn())
    .await?;
    let (user,) = row.ok_or(StoreError::NotFound)?;
    let user = UserId::parse(&user).ok_or(StoreError::Corrupt("user id"))?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash.to_owned())
        .bind(user.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::AccountPasswordSet, Object::User, Some(user.as_str()), None)
        .await?;
    Ok(user)
}
