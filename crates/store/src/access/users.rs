//! User accounts, their roles, and what the login needs to know.

use crate::access::setup_tokens::{self, SetupToken};
use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::account::{DisplayName, may_grant};
use relais_domain::access::authz::{Capability, ManageUsers, Principal, Privileged, Scope};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::access::role_fit;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::territory::Territory;
use relais_domain::time::Timestamp;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub active: bool,
    pub totp_enabled: bool,
    pub has_password: bool,
    /// The kind of organisation, to tell whether a role usually fits it.
    pub organisation_type: OrganisationType,
    pub last_signed_in_at: Option<Timestamp>,
}

/// How many accounts a page of the user list shows.
pub const USERS_PER_PAGE: usize = 50;

/// One page of the user list: a search over names and e-mail addresses, in
/// name order, after the account whose id ends the previous page (keyset).
#[derive(Debug, Clone, Default)]
pub struct UserListing {
    pub search: String,
    pub after: Option<UserId>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub organisation_id: OrganisationId,
    pub email: Email,
    pub display_name: DisplayName,
    pub roles: Vec<Role>,
}

/// What the login and session layers need about an account.
#[derive(Debug)]
pub struct Credentials {
    pub user_id: UserId,
    pub organisation_id: OrganisationId,
    pub password_hash: Option<String>,
    pub active: bool,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub roles: Vec<Role>,
    pub locale: Option<String>,
}

impl Credentials {
    /// MFA is required when any role can see personal data, or when the user
    /// chose to enrol anyway.
    pub fn mfa_required(&self) -> bool {
        self.totp_enabled || self.roles.iter().any(|r| r.sees_personal_data())
    }
}

type UserRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
    String,
    Option<i64>,
);
const USER_SELECT: &str = "SELECT u.id, u.organisation_id, o.name, u.email, u.display_name, u.active, u.totp_enabled, u.password_hash, \
     o.org_type, u.last_signed_in_at FROM users u JOIN organisations o ON o.id = u.organisation_id";

fn parse_user(row: UserRow, roles: &mut HashMap<String, Vec<Role>>) -> Result<User> {
    let (id, org, org_name, email, display_name, active, totp, hash, org_type, last_signed_in_at) = row;
    Ok(User {
        organisation_type: OrganisationType::parse(&org_type).ok_or(StoreError::Corrupt("organisation type"))?,
        last_signed_in_at: last_signed_in_at.map(Timestamp),
        roles: roles.remove(&id).unwrap_or_default(),
        id: UserId::parse(&id).ok_or(StoreError::Corrupt("user id"))?,
        organisation_id: OrganisationId::parse(&org).ok_or(StoreError::Corrupt("organisation id"))?,
        organisation_name: org_name,
        email,
        display_name,
        active: active != 0,
        totp_enabled: totp != 0,
        has_password: hash.is_some(),
    })
}

/// SQL filter (on alias `u` and `o`) for a scope, with its one bound value.
fn scope_filter(scope: &Scope) -> (&'static str, Option<String>) {
    match scope {
        Scope::National => ("1 = 1", None),
        Scope::Territory(Territory::National) => ("1 = 1", None),
        Scope::Territory(t) => ("o.territory = $1", Some(t.as_code().to_owned())),
        Scope::Organisation(org) => ("u.organisation_id = $1", Some(org.as_str().to_owned())),
        Scope::Own(user) => ("u.id = $1", Some(user.as_str().to_owned())),
    }
}

/// The roles of the given users, in two round trips whatever their number.
async fn roles_of(conn: &mut sqlx::AnyConnection, ids: &[String]) -> Result<HashMap<String, Vec<Role>>> {
    let mut map: HashMap<String, Vec<Role>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let query = format!(
        "SELECT user_id, role FROM user_roles WHERE user_id IN ({}) ORDER BY role",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&query);
    for id in ids {
        q = q.bind(id.clone());
    }
    for (user, role) in q.fetch_all(conn).await? {
        if let Some(role) = Role::parse(&role) {
            map.entry(user).or_default().push(role);
        }
    }
    Ok(map)
}

/// `%term%` for LIKE, with the wildcards the user typed taken literally.
fn like_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A page of users within the capability's scope (one more than
/// [`USERS_PER_PAGE`] when another page follows). Two queries whatever the
/// number of users (no N+1). Audited: e-mail addresses and names are
/// personal data.
pub async fn list(tx: &mut Tx, can: &Capability<ManageUsers>, listing: &UserListing) -> Result<Vec<User>> {
    let (filter, bound) = scope_filter(can.scope());
    let mut values: Vec<String> = bound.into_iter().collect();
    let mut conditions = vec![filter.to_owned()];
    if !listing.search.trim().is_empty() {
        values.push(like_pattern(&listing.search));
        let n = values.len();
        conditions.push(format!(
            "(LOWER(u.display_name) LIKE ${n} ESCAPE '\\' OR LOWER(u.email) LIKE ${n} ESCAPE '\\')"
        ));
    }
    if let Some(after) = &listing.after {
        values.push(after.as_str().to_owned());
        let n = values.len();
        conditions.push(format!(
            "(u.display_name, u.id) > (SELECT display_name, id FROM users WHERE id = ${n})"
        ));
    }
    let query = format!(
        "{USER_SELECT} WHERE {} ORDER BY u.display_name, u.id LIMIT {}",
        conditions.join(" AND "),
        USERS_PER_PAGE + 1
    );
    let mut q = sqlx::query_as::<_, UserRow>(&query);
    for value in values {
        q = q.bind(value);
    }
    let rows = q.fetch_all(tx.conn()).await?;
    let ids: Vec<String> = rows.iter().map(|row| row.0.clone()).collect();
    let mut roles = roles_of(tx.conn(), &ids).await?;
    tx.audit(Action::UserList, Object::User, None, None).await?;
    rows.into_iter().map(|row| parse_user(row, &mut roles)).collect()
}

async fn fetch_in_scope(tx: &mut Tx, scope: &Scope, id: &UserId) -> Result<User> {
    let (filter, bound) = scope_filter(scope);
    let (filter, bound) = match bound {
        // The scope value takes $1; the user id takes $2.
        Some(value) => (format!("{filter} AND u.id = $2"), vec![value, id.as_str().to_owned()]),
        None => ("u.id = $1".to_owned(), vec![id.as_str().to_owned()]),
    };
    let query = format!("{USER_SELECT} WHERE {filter}");
    let mut q = sqlx::query_as::<_, UserRow>(&query);
    for value in &bound {
        q = q.bind(value.clone());
    }
    let row = q.fetch_optional(tx.conn()).await?.ok_or(StoreError::NotFound)?;
    let roles = roles_for_user(tx.conn(), id).await?;
    let mut map = HashMap::from([(id.as_str().to_owned(), roles)]);
    parse_user(row, &mut map)
}

async fn roles_for_user(conn: &mut sqlx::AnyConnection, id: &UserId) -> Result<Vec<Role>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(id.as_str().to_owned())
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().filter_map(|(r,)| Role::parse(r)).collect())
}

/// One user, if within scope (otherwise "not found", revealing nothing).
pub async fn get(tx: &mut Tx, can: &Capability<ManageUsers>, id: &UserId) -> Result<User> {
    let user = fetch_in_scope(tx, can.scope(), id).await?;
    tx.audit(Action::UserRead, Object::User, Some(id.as_str()), None)
        .await?;
    Ok(user)
}

/// The organisation's kind, if it is active and within scope.
async fn organisation_in_scope(tx: &mut Tx, scope: &Scope, org: &OrganisationId) -> Result<OrganisationType> {
    let row: Option<(String, i64, String)> =
        sqlx::query_as("SELECT territory, active, org_type FROM organisations WHERE id = $1")
            .bind(org.as_str().to_owned())
            .fetch_optional(tx.conn())
            .await?;
    let (territory, active, kind) = row.ok_or(StoreError::NotFound)?;
    let territory = Territory::parse(&territory).ok_or(StoreError::Corrupt("territory"))?;
    let kind = OrganisationType::parse(&kind).ok_or(StoreError::Corrupt("organisation type"))?;
    if active == 0 {
        return Err(StoreError::Conflict("organisation inactive"));
    }
    if scope.covers(org, territory) {
        Ok(kind)
    } else {
        Err(StoreError::NotFound)
    }
}

fn check_grants(scope: &Scope, roles: &[Role]) -> Result<()> {
    if roles.iter().all(|role| may_grant(scope, *role)) {
        Ok(())
    } else {
        Err(StoreError::Denied(relais_domain::access::authz::Denied::NotPermitted))
    }
}

/// Inserts the account with a setup link to choose its password.
pub(crate) async fn insert(tx: &mut Tx, new: &NewUser) -> Result<(UserId, SetupToken)> {
    let id = insert_account(tx, new).await?;
    let token = setup_tokens::issue(tx, &id).await?;
    Ok((id, token))
}

/// Inserts the account alone: it gets no password until one is set some other way.
pub(crate) async fn insert_account(tx: &mut Tx, new: &NewUser) -> Result<UserId> {
    let id = UserId::from_bytes(crate::record_id());
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO users (id, organisation_id, email, display_name, active, totp_enabled, created_at) VALUES ($1, $2, $3, $4, 1, 0, $5)",
    )
    .bind(id.as_str().to_owned())
    .bind(new.organisation_id.as_str().to_owned())
    .bind(new.email.as_str().to_owned())
    .bind(new.display_name.as_str().to_owned())
    .bind(now)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "email already used"))?;
    write_roles(tx, &id, &new.roles).await?;
    tx.audit(Action::UserCreate, Object::User, Some(id.as_str()), None)
        .await?;
    Ok(id)
}

async fn write_roles(tx: &mut Tx, id: &UserId, roles: &[Role]) -> Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    for role in roles {
        sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(id.as_str().to_owned())
            .bind(role.key())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// Refuses roles newly given that do not usually fit the organisation unless
/// the manager confirmed them; a confirmation is audited with their codes.
async fn check_unusual(
    tx: &mut Tx,
    id: &UserId,
    granted: &[Role],
    kind: OrganisationType,
    confirmed: bool,
) -> Result<()> {
    let unusual = role_fit::unusual(granted, kind);
    if unusual.is_empty() {
        return Ok(());
    }
    if !confirmed {
        return Err(StoreError::Conflict("unusual role not confirmed"));
    }
    let codes: Vec<&str> = unusual.iter().map(|r| r.key()).collect();
    tx.audit(
        Action::UserUnusualRoleConfirmed,
        Object::User,
        Some(id.as_str()),
        Some(&codes.join(" ")),
    )
    .await
}

/// Creates an account and returns its one-time setup link token. A role
/// that does not usually fit the organisation needs `unusual_confirmed`.
pub async fn create(
    tx: &mut Tx,
    can: &Privileged<ManageUsers>,
    new: &NewUser,
    unusual_confirmed: bool,
) -> Result<(UserId, SetupToken)> {
    let id = admit(tx, can, new, unusual_confirmed).await?;
    let token = setup_tokens::issue(tx, &id).await?;
    Ok((id, token))
}

/// Creates the account of an agent who signs in through an identity provider: no setup link,
/// since no password is ever chosen.
pub async fn create_for_provider(tx: &mut Tx, can: &Privileged<ManageUsers>, new: &NewUser) -> Result<UserId> {
    admit(tx, can, new, false).await
}

/// The checks of a creation by an administrator (their scope, the roles they may give, the
/// roles unusual for the organisation), then the account.
async fn admit(tx: &mut Tx, can: &Privileged<ManageUsers>, new: &NewUser, unusual_confirmed: bool) -> Result<UserId> {
    let scope = can.capability().scope();
    let kind = organisation_in_scope(tx, scope, &new.organisation_id).await?;
    check_grants(scope, &new.roles)?;
    let id = insert_account(tx, new).await?;
    check_unusual(tx, &id, &new.roles, kind, unusual_confirmed).await?;
    Ok(id)
}

async fn end_sessions(tx: &mut Tx, id: &UserId) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Replaces a user's roles. Their sessions end: rights change at next login.
/// A role newly given that does not usually fit the organisation needs
/// `unusual_confirmed`.
pub async fn set_roles(
    tx: &mut Tx,
    can: &Privileged<ManageUsers>,
    id: &UserId,
    roles: &[Role],
    unusual_confirmed: bool,
) -> Result<()> {
    let scope = can.capability().scope();
    let before = fetch_in_scope(tx, scope, id).await?;
    check_grants(scope, roles)?;
    let granted: Vec<Role> = roles.iter().copied().filter(|r| !before.roles.contains(r)).collect();
    check_unusual(tx, id, &granted, before.organisation_type, unusual_confirmed).await?;
    write_roles(tx, id, roles).await?;
    end_sessions(tx, id).await?;
    tx.audit(Action::UserRolesChanged, Object::User, Some(id.as_str()), None)
        .await
}

pub async fn set_active(tx: &mut Tx, can: &Privileged<ManageUsers>, id: &UserId, active: bool) -> Result<()> {
    fetch_in_scope(tx, can.capability().scope(), id).await?;
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    end_sessions(tx, id).await?;
    let action = if active {
        Action::UserActivate
    } else {
        Action::UserDeactivate
    };
    tx.audit(action, Object::User, Some(id.as_str()), None).await
}

/// Administrator-triggered reset: the password stops working at once and a
/// new one-time link is issued. The authenticator (TOTP) is kept.
pub async fn reset_password(tx: &mut Tx, can: &Privileged<ManageUsers>, id: &UserId) -> Result<SetupToken> {
    fetch_in_scope(tx, can.capability().scope(), id).await?;
    sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1")
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    end_sessions(tx, id).await?;
    let token = setup_tokens::issue(tx, id).await?;
    tx.audit(Action::UserPasswordReset, Object::User, Some(id.as_str()), None)
        .await?;
    Ok(token)
}

type CredentialRow = (String, String, Option<String>, i64, i64, Option<i64>, Option<String>);

/// The login's view of an account, by e-mail. Not audited: the login
/// itself is, once its outcome is known.
pub async fn credentials_by_email(store: &Store, email: &Email) -> Result<Option<Credentials>> {
    let row: Option<CredentialRow> = sqlx::query_as(
        "SELECT id, organisation_id, password_hash, active, totp_enabled, totp_last_step, locale FROM users WHERE email = $1",
    )
    .bind(email.as_str().to_owned())
    .fetch_optional(store.pool())
    .await?;
    match row {
        Some(row) => credentials_from(store, row).await.map(Some),
        None => Ok(None),
    }
}

pub async fn credentials_by_id(store: &Store, id: &UserId) -> Result<Credentials> {
    let row: Option<CredentialRow> = sqlx::query_as(
        "SELECT id, organisation_id, password_hash, active, totp_enabled, totp_last_step, locale FROM users WHERE id = $1",
    )
    .bind(id.as_str().to_owned())
    .fetch_optional(store.pool())
    .await?;
    credentials_from(store, row.ok_or(StoreError::NotFound)?).await
}

async fn credentials_from(store: &Store, row: CredentialRow) -> Result<Credentials> {
    let (id, organisation, password_hash, active, totp, last_step, locale) = row;
    let user_id = UserId::parse(&id).ok_or(StoreError::Corrupt("user id"))?;
    let organisation_id = OrganisationId::parse(&organisation).ok_or(StoreError::Corrupt("organisation id"))?;
    let mut conn = store.pool().acquire().await?;
    let roles = roles_for_user(&mut conn, &user_id).await?;
    Ok(Credentials {
        user_id,
        organisation_id,
        password_hash,
        active: active != 0,
        totp_enabled: totp != 0,
        totp_last_step: last_step,
        roles,
        locale,
    })
}

/// The decrypted TOTP secret of a user, if enrolled.
pub async fn totp_secret(store: &Store, id: &UserId) -> Result<Option<Vec<u8>>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT totp_secret_enc FROM users WHERE id = $1")
        .bind(id.as_str().to_owned())
        .fetch_optional(store.pool())
        .await?;
    match row.and_then(|(s,)| s) {
        Some(sealed) => Ok(Some(store.keys().decrypt(&sealed, &totp_context(id))?.to_vec())),
        None => Ok(None),
    }
}

fn totp_context(id: &UserId) -> String {
    format!("totp:{id}")
}

/// Records that `step` was used, refusing if a later or equal step already
/// was (so two app processes cannot both accept the same code).
pub async fn consume_totp_step(store: &Store, id: &UserId, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
    )
    .bind(step)
    .bind(id.as_str().to_owned())
    .execute(store.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a new TOTP secret (encrypted) once the user proved they can use it.
pub async fn enrol_totp(tx: &mut Tx, id: &UserId, secret: &[u8], step: i64) -> Result<()> {
    let sealed = tx.keys().encrypt(secret, &totp_context(id))?;
    sqlx::query("UPDATE users SET totp_secret_enc = $1, totp_enabled = 1, totp_last_step = $2 WHERE id = $3")
        .bind(sealed)
        .bind(step)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::AccountMfaEnrolled, Object::User, Some(id.as_str()), None)
        .await
}

pub async fn change_password(tx: &mut Tx, id: &UserId, password_hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash.to_owned())
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::AccountPasswordChanged, Object::User, Some(id.as_str()), None)
        .await
}

pub async fn set_locale(tx: &mut Tx, id: &UserId, locale: &str) -> Result<()> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2")
        .bind(locale.to_owned())
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::AccountLocaleChanged, Object::User, Some(id.as_str()), None)
        .await
}

/// organisation id, territory, organisation name, user active, organisation active, name, e-mail, locale
type PrincipalRow = (String, String, String, i64, i64, String, String, Option<String>);

/// The acting principal for a live session, or None if the account or its
/// organisation was deactivated meanwhile.
pub async fn principal(
    store: &Store,
    id: &UserId,
    authenticated_at: Timestamp,
) -> Result<Option<(Principal, Profile)>> {
    let row: Option<PrincipalRow> = sqlx::query_as(
        "SELECT u.organisation_id, o.territory, o.name, u.active, o.active, u.display_name, u.email, u.locale \
         FROM users u JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1",
    )
    .bind(id.as_str().to_owned())
    .fetch_optional(store.pool())
    .await?;
    let Some((org, territory, org_name, user_active, org_active, display_name, email, locale)) = row else {
        return Ok(None);
    };
    if user_active == 0 || org_active == 0 {
        return Ok(None);
    }
    let mut conn = store.pool().acquire().await?;
    let roles = roles_for_user(&mut conn, id).await?;
    let principal = Principal::authenticated(
        id.clone(),
        OrganisationId::parse(&org).ok_or(StoreError::Corrupt("organisation id"))?,
        Territory::parse(&territory).ok_or(StoreError::Corrupt("territory"))?,
        roles,
        authenticated_at,
    );
    Ok(Some((
        principal,
        Profile {
            display_name,
            email,
            organisation_name: org_name,
            locale,
        },
    )))
}

/// What the page header and account page show about the signed-in user.
#[derive(Debug, Clone)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub organisation_name: String,
    pub locale: Option<String>,
}

/// A completed sign-in: when it happened, for the user list, and the audit row.
pub async fn record_sign_in(tx: &mut Tx, id: &UserId) -> Result<()> {
    sqlx::query("UPDATE users SET last_signed_in_at = $1 WHERE id = $2")
        .bind(tx.now().0)
        .bind(id.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::AuthLogin, Object::User, Some(id.as_str()), None).await
}
