//! Operations without a signed-in principal, for the command line only:
//! creating the first administrator and seeding demonstration data. They
//! are audited with the system as actor.

use crate::access::organisations::{self, NewOrganisation};
use crate::access::setup_tokens::SetupToken;
use crate::access::users::{self, NewUser};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::account::DisplayName;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::territory::Territory;

/// The organisation that hosts platform administrators, created on first use.
pub async fn administration_organisation(tx: &mut Tx) -> Result<OrganisationId> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM organisations WHERE org_type = $1 AND territory = 'national' ORDER BY created_at LIMIT 1",
    )
    .bind(OrganisationType::NationalCoordination.key())
    .fetch_optional(tx.conn())
    .await?;
    if let Some((id,)) = row {
        return OrganisationId::parse(&id).ok_or(StoreError::Corrupt("organisation id"));
    }
    let new = NewOrganisation {
        name: "Administration de Relais".into(),
        org_type: OrganisationType::NationalCoordination,
        territory: Territory::National,
    };
    organisations::insert(tx, &new).await
}

pub async fn create_administrator(tx: &mut Tx, email: Email) -> Result<(UserId, SetupToken)> {
    let organisation_id = administration_organisation(tx).await?;
    let display_name = DisplayName::parse(email.as_str()).map_err(|_| StoreError::Corrupt("display name"))?;
    let new = NewUser {
        organisation_id,
        email,
        display_name,
        roles: vec![Role::Administrator],
    };
    users::insert(tx, &new).await
}

pub async fn create_organisation(tx: &mut Tx, new: &NewOrganisation) -> Result<OrganisationId> {
    organisations::insert(tx, new).await
}

/// Gives a demonstration organisation a (fictitious) SIRET, so that agents a provider sends
/// can be matched to its accounts.
pub async fn set_demo_siret(
    tx: &mut Tx,
    id: &OrganisationId,
    siret: &relais_domain::access::openid::Siret,
) -> Result<()> {
    sqlx::query("UPDATE organisations SET siret = $1 WHERE id = $2")
        .bind(siret.as_str().to_owned())
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Creates a user with a password and an enrolled authenticator at once, for
/// demonstration data only.
pub async fn create_demo_user(tx: &mut Tx, new: &NewUser, password_hash: &str, totp_secret: &[u8]) -> Result<UserId> {
    let id = users::insert_account(tx, new).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash.to_owned())
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    users::enrol_totp(tx, &id, totp_secret, 0).await?;
    Ok(id)
}

/// Whether any user exists (the demo seed runs only on an empty database).
pub async fn has_users(store: &Store) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(store.pool())
        .await?;
    Ok(n > 0)
}

/// A user's id by e-mail (for `relais demo code`).
pub async fn user_id_by_email(store: &Store, email: &Email) -> Result<UserId> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str().to_owned())
        .fetch_optional(store.pool())
        .await?;
    let (id,) = row.ok_or(StoreError::NotFound)?;
    UserId::parse(&id).ok_or(StoreError::Corrupt("user id"))
}
