//! Organisations: who takes part in the mechanism, and where.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageOrganisations, Privileged};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::ids::OrganisationId;
use relais_domain::territory::Territory;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub org_type: OrganisationType,
    pub territory: Territory,
    pub active: bool,
}

/// A validated request to create an organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name: String,
    pub org_type: OrganisationType,
    pub territory: Territory,
}

type Row = (String, String, String, String, i64);
const COLUMNS: &str = "id, name, org_type, territory, active";

fn from_row((id, name, org_type, territory, active): Row) -> Result<Organisation> {
    Ok(Organisation {
        id: OrganisationId::parse(&id).ok_or(StoreError::Corrupt("organisation id"))?,
        name,
        org_type: OrganisationType::parse(&org_type).ok_or(StoreError::Corrupt("organisation type"))?,
        territory: Territory::parse(&territory).ok_or(StoreError::Corrupt("territory"))?,
        active: active != 0,
    })
}

pub(crate) async fn insert(tx: &mut Tx, new: &NewOrganisation) -> Result<OrganisationId> {
    let id = OrganisationId::from_bytes(crate::record_id());
    let region = match new.territory {
        Territory::Departement(d) => Some(d.region().to_owned()),
        Territory::National => None,
    };
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO organisations (id, name, org_type, territory, region, active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6)",
    )
    .bind(id.as_str().to_owned())
    .bind(new.name.clone())
    .bind(new.org_type.key())
    .bind(new.territory.as_code())
    .bind(region)
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::OrganisationCreate,
        Object::Organisation,
        Some(id.as_str()),
        None,
    )
    .await?;
    Ok(id)
}

pub async fn create(
    tx: &mut Tx,
    _can: &Privileged<ManageOrganisations>,
    new: &NewOrganisation,
) -> Result<OrganisationId> {
    insert(tx, new).await
}

pub async fn set_active(
    tx: &mut Tx,
    _can: &Privileged<ManageOrganisations>,
    id: &OrganisationId,
    active: bool,
) -> Result<()> {
    let done = sqlx::query("UPDATE organisations SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    if !active {
        // A deactivated organisation's users lose their sessions at once.
        sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE organisation_id = $1)")
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
    }
    let action = if active {
        Action::OrganisationActivate
    } else {
        Action::OrganisationDeactivate
    };
    tx.audit(action, Object::Organisation, Some(id.as_str()), None).await
}

/// Every organisation, for administrators. Organisation records hold no
/// personal data, so reading them is not audited.
pub async fn list(store: &Store, _can: &Capability<ManageOrganisations>) -> Result<Vec<Organisation>> {
    list_all(store).await
}

/// Every organisation (for choosing one in a form).
pub async fn list_all(store: &Store) -> Result<Vec<Organisation>> {
    let query = format!("SELECT {COLUMNS} FROM organisations ORDER BY name");
    let rows: Vec<Row> = sqlx::query_as(&query).fetch_all(store.pool()).await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn get(store: &Store, id: &OrganisationId) -> Result<Organisation> {
    let query = format!("SELECT {COLUMNS} FROM organisations WHERE id = $1");
    let row: Option<Row> = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_optional(store.pool())
        .await?;
    row.map(from_row).ok_or(StoreError::NotFound)?
}

/// How an organisation's members sign in: its SIRET (matched against the one a provider
/// sends) and whether a password still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignIn {
    pub siret: Option<relais_domain::access::openid::Siret>,
    pub password: bool,
}

/// The sign-in methods of the organisation in the capability's reach (its own for an
/// organisation administrator).
pub async fn sign_in(tx: &mut Tx, id: &OrganisationId) -> Result<SignIn> {
    let row: Option<(Option<String>, i64)> =
        sqlx::query_as("SELECT siret, password_sign_in FROM organisations WHERE id = $1")
            .bind(id.as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let (siret, password) = row.ok_or(StoreError::NotFound)?;
    Ok(SignIn {
        siret: siret.as_deref().and_then(relais_domain::access::openid::Siret::parse),
        password: password != 0,
    })
}

/// Changes an organisation's sign-in methods; the SIRET is unique across organisations.
pub async fn set_sign_in(
    tx: &mut Tx,
    _can: &Privileged<relais_domain::access::authz::ManageUsers>,
    id: &OrganisationId,
    sign_in: &SignIn,
) -> Result<()> {
    sqlx::query("UPDATE organisations SET siret = $1, password_sign_in = $2 WHERE id = $3")
        .bind(sign_in.siret.as_ref().map(|s| s.as_str().to_owned()))
        .bind(i64::from(sign_in.password))
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::on_unique(e, "SIRET already used"))?;
    let detail = if sign_in.password {
        "password-on"
    } else {
        "password-off"
    };
    tx.audit(
        Action::OrganisationSignInChange,
        Object::Organisation,
        Some(id.as_str()),
        Some(detail),
    )
    .await
}
