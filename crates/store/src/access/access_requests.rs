//! Access requests: an agent a provider vouches for and Relais does not know (ADR 0051).
//! Never an account created silently: an administrator of the organisation whose SIRET the
//! provider sent (or a platform administrator, without one) approves or refuses.

use crate::access::openid;
use crate::access::users::{self, NewUser};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{Capability, ManageUsers, Privileged, Scope};
use relais_domain::access::openid::Siret;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::time::Timestamp;

/// What the provider said about the agent.
#[derive(Debug, Clone)]
pub struct NewAccessRequest {
    pub provider: String,
    pub subject: String,
    pub email: Email,
    pub display_name: String,
    pub siret: Option<Siret>,
}

/// Files the request, once: a second sign-in while one is pending changes nothing.
pub async fn file(tx: &mut Tx, new: &NewAccessRequest) -> Result<()> {
    let organisation: Option<(String,)> = match &new.siret {
        Some(siret) => {
            sqlx::query_as("SELECT id FROM organisations WHERE siret = $1 AND active = 1")
                .bind(siret.as_str().to_owned())
                .fetch_optional(tx.conn())
                .await?
        }
        None => None,
    };
    let pending: Option<(String,)> =
        sqlx::query_as("SELECT id FROM access_requests WHERE provider = $1 AND subject = $2 AND status = 'pending'")
            .bind(new.provider.clone())
            .bind(new.subject.clone())
            .fetch_optional(tx.conn())
            .await?;
    let id = match pending {
        Some((id,)) => id,
        None => {
            let id = crate::record_id_hex();
            sqlx::query(
                "INSERT INTO access_requests (id, provider, subject, email, display_name, siret, organisation_id, status, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
            )
            .bind(id.clone())
            .bind(new.provider.clone())
            .bind(new.subject.clone())
            .bind(new.email.as_str().to_owned())
            .bind(new.display_name.clone())
            .bind(new.siret.as_ref().map(|s| s.as_str().to_owned()))
            .bind(organisation.map(|(o,)| o))
            .bind(tx.now().0)
            .execute(tx.conn())
            .await?;
            id
        }
    };
    tx.audit(
        Action::AccessRequestCreate,
        Object::AccessRequest,
        Some(&id),
        Some(&new.provider),
    )
    .await
}

/// A pending request as its administrator sees it.
#[derive(Debug, Clone)]
pub struct AccessRequest {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub siret: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub requested_at: Timestamp,
    /// The account that has this e-mail address already, which approval links.
    pub existing_account: Option<UserId>,
}

type Row = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
);

const SELECT: &str = "SELECT r.id, r.email, r.display_name, r.siret, r.organisation_id, o.name, r.requested_at, u.id \
     FROM access_requests r LEFT JOIN organisations o ON o.id = r.organisation_id \
     LEFT JOIN users u ON u.email = r.email";

fn from_row(row: Row) -> Result<AccessRequest> {
    let (id, email, display_name, siret, organisation, organisation_name, requested_at, existing) = row;
    Ok(AccessRequest {
        id,
        email,
        display_name,
        siret,
        organisation_id: organisation
            .map(|o| OrganisationId::parse(&o).ok_or(StoreError::Corrupt("organisation id")))
            .transpose()?,
        organisation_name,
        requested_at: Timestamp(requested_at),
        existing_account: existing
            .map(|u| UserId::parse(&u).ok_or(StoreError::Corrupt("user id")))
            .transpose()?,
    })
}

/// The pending requests the capability reaches: its organisation's, or all for a platform
/// administrator (the only ones who see requests without an organisation).
pub async fn pending(tx: &mut Tx, can: &Capability<ManageUsers>) -> Result<Vec<AccessRequest>> {
    let rows: Vec<Row> = match can.scope() {
        Scope::Organisation(org) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE r.status = 'pending' AND r.organisation_id = $1 ORDER BY r.requested_at, r.id"
            ))
            .bind(org.as_str().to_owned())
            .fetch_all(tx.conn())
            .await?
        }
        Scope::National => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE r.status = 'pending' ORDER BY r.requested_at, r.id"
            ))
            .fetch_all(tx.conn())
            .await?
        }
        Scope::Territory(_) | Scope::Own(_) => Vec::new(),
    };
    tx.audit(Action::AccessRequestList, Object::AccessRequest, None, None)
        .await?;
    rows.into_iter().map(from_row).collect()
}

async fn pending_in_scope(
    tx: &mut Tx,
    can: &Capability<ManageUsers>,
    id: &str,
) -> Result<(AccessRequest, String, String)> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT provider, subject FROM access_requests WHERE id = $1 AND status = 'pending'")
            .bind(id.to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let (provider, subject) = row.ok_or(StoreError::NotFound)?;
    let request = pending(tx, can)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound)?;
    Ok((request, provider, subject))
}

/// The administrator's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// Create the account in the request's organisation with this one role.
    Create(Role),
    /// Link the account that already has the request's e-mail address.
    Link,
}

/// Approves: creates or links the account and records the identity, in one transaction.
pub async fn approve(tx: &mut Tx, can: &Privileged<ManageUsers>, id: &str, approval: Approval) -> Result<UserId> {
    let (request, provider, subject) = pending_in_scope(tx, can.capability(), id).await?;
    let user = match approval {
        Approval::Link => request.existing_account.clone().ok_or(StoreError::NotFound)?,
        Approval::Create(role) => {
            let organisation = match (&request.organisation_id, can.capability().scope()) {
                (Some(org), _) => org.clone(),
                (None, Scope::Organisation(org)) => org.clone(),
                (None, _) => return Err(StoreError::Conflict("request without an organisation")),
            };
            let new = NewUser {
                organisation_id: organisation,
                email: Email::parse(&request.email).map_err(|_| StoreError::Corrupt("e-mail"))?,
                display_name: DisplayName::parse(&request.display_name)
                    .or_else(|_| DisplayName::parse(&request.email))
                    .map_err(|_| StoreError::Corrupt("display name"))?,
                roles: vec![role],
            };
            users::create_for_provider(tx, can, &new).await?
        }
    };
    openid::link(tx, &provider, &subject, &user).await?;
    decide(tx, id, "approved", Some(&user)).await?;
    tx.audit(Action::AccessRequestApprove, Object::AccessRequest, Some(id), None)
        .await?;
    Ok(user)
}

pub async fn refuse(tx: &mut Tx, can: &Privileged<ManageUsers>, id: &str) -> Result<()> {
    pending_in_scope(tx, can.capability(), id).await?;
    decide(tx, id, "refused", None).await?;
    tx.audit(Action::AccessRequestRefuse, Object::AccessRequest, Some(id), None)
        .await
}

async fn decide(tx: &mut Tx, id: &str, status: &str, user: Option<&UserId>) -> Result<()> {
    let actor = tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned());
    sqlx::query("UPDATE access_requests SET status = $1, decided_by = $2, decided_at = $3, user_id = $4 WHERE id = $5")
        .bind(status.to_owned())
        .bind(actor)
        .bind(tx.now().0)
        .bind(user.map(|u| u.as_str().to_owned()))
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}
