//! API tokens: issued by an administrator to an organisation so that its
//! information system can submit referrals and follow their status.
//!
//! The secret is shown once; the database holds only its SHA-256, like
//! session cookies and setup links, so a copy of the database cannot be
//! used to call the API.

use crate::audit::{Action, Object};
use crate::crypto::digest;
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{ManageApiTokens, Privileged};
use relais_domain::ids::{ApiTokenId, OrganisationId};
use relais_domain::time::Timestamp;
use std::fmt;

/// Every secret starts with this, so that a leaked one is recognisable
/// (secret scanners, logs) and told apart from other credentials.
pub const PREFIX: &str = "rls_";

/// The secret of a new token. Shown once, never logged.
pub struct ApiSecret(String);

impl ApiSecret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiSecret(***)")
    }
}

/// Who calls the API: only [`authenticate`] makes one, so code that holds
/// an `ApiCaller` has checked a live token of an active organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    token_id: ApiTokenId,
    organisation_id: OrganisationId,
}

impl ApiCaller {
    pub fn token_id(&self) -> &ApiTokenId {
        &self.token_id
    }

    pub fn organisation_id(&self) -> &OrganisationId {
        &self.organisation_id
    }
}

/// A token as administrators see it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

/// Longest label, in characters.
pub const MAX_LABEL: usize = 100;

/// Issues a token to `organisation` (which must exist and be active).
pub async fn issue(
    tx: &mut Tx,
    can: &Privileged<ManageApiTokens>,
    organisation: &OrganisationId,
    label: &str,
) -> Result<(ApiTokenId, ApiSecret)> {
    let active: Option<(i64,)> = sqlx::query_as("SELECT active FROM organisations WHERE id = $1")
        .bind(organisation.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    match active {
        Some((1,)) => {}
        Some(_) => return Err(StoreError::Conflict("organisation inactive")),
        None => return Err(StoreError::NotFound),
    }
    let id = ApiTokenId::from_bytes(crate::record_id());
    let secret = ApiSecret(format!("{PREFIX}{}", hex::encode(crate::random_bytes::<32>())));
    sqlx::query(
        "INSERT INTO api_tokens (id, organisation_id, label, token_hash, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_str().to_owned())
    .bind(organisation.as_str().to_owned())
    .bind(label.to_owned())
    .bind(digest(secret.expose()))
    .bind(tx.now().0)
    .bind(can.capability().actor().as_str().to_owned())
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "token collision"))?;
    tx.audit(Action::ApiTokenIssue, Object::ApiToken, Some(id.as_str()), None)
        .await?;
    Ok((id, secret))
}

type Row = (String, String, String, String, i64, Option<i64>, Option<i64>);

fn from_row((id, org, org_name, label, created, revoked, used): Row) -> Result<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId::parse(&id).ok_or(StoreError::Corrupt("api token id"))?,
        organisation_id: OrganisationId::parse(&org).ok_or(StoreError::Corrupt("organisation id"))?,
        organisation_name: org_name,
        label,
        created_at: Timestamp(created),
        revoked_at: revoked.map(Timestamp),
        last_used_at: used.map(Timestamp),
    })
}

/// Every token, by organisation then newest first. Audited: labels and
/// usage say which partners exchange data with the mechanism.
pub async fn list(
    tx: &mut Tx,
    _can: &relais_domain::access::authz::Capability<ManageApiTokens>,
) -> Result<Vec<ApiToken>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.organisation_id, o.name, t.label, t.created_at, t.revoked_at, t.last_used_at \
         FROM api_tokens t JOIN organisations o ON o.id = t.organisation_id \
         ORDER BY o.name, t.created_at DESC, t.id",
    )
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::ApiTokenList, Object::ApiToken, None, None).await?;
    rows.into_iter().map(from_row).collect()
}

/// Revokes a token at once; revoking twice is harmless.
pub async fn revoke(tx: &mut Tx, _can: &Privileged<ManageApiTokens>, id: &ApiTokenId) -> Result<()> {
    let found: Option<(Option<i64>,)> = sqlx::query_as("SELECT revoked_at FROM api_tokens WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let (revoked,) = found.ok_or(StoreError::NotFound)?;
    if revoked.is_none() {
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
            .bind(tx.now().0)
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
    }
    tx.audit(Action::ApiTokenRevoke, Object::ApiToken, Some(id.as_str()), None)
        .await
}

/// `last_used_at` is written at most this often, to spare the database.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// The caller a presented secret belongs to: a token not revoked, of an
/// active organisation. Anything else (unknown, revoked, malformed) is `None`.
pub async fn authenticate(store: &Store, presented: &str, now: Timestamp) -> Result<Option<ApiCaller>> {
    if !presented.starts_with(PREFIX) || presented.len() > 200 {
        return Ok(None);
    }
    let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
        "SELECT t.id, t.organisation_id, t.last_used_at FROM api_tokens t \
         JOIN organisations o ON o.id = t.organisation_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND o.active = 1",
    )
    .bind(digest(presented))
    .fetch_optional(store.pool())
    .await?;
    let Some((id, organisation, last_used)) = row else {
        return Ok(None);
    };
    if last_used.is_none_or(|at| now.0 - at >= TOUCH_EVERY_SECONDS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(id.clone())
            .execute(store.pool())
            .await?;
    }
    Ok(Some(ApiCaller {
        token_id: ApiTokenId::parse(&id).ok_or(StoreError::Corrupt("api token id"))?,
        organisation_id: OrganisationId::parse(&organisation).ok_or(StoreError::Corrupt("organisation id"))?,
    }))
}
