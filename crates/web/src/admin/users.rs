//! Administration of user accounts, within the manager's scope.

use crate::AppState;
use crate::access::authorized::{self, Authorized};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::account::{DisplayName, DisplayNameError, may_grant};
use relais_domain::access::authz::{ManageUsers, Privileged, Scope};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::access::role_fit;
use relais_domain::email::Email;
use relais_domain::ids::{OrganisationId, UserId};
use relais_store::StoreError;
use relais_store::access::organisations;
use relais_store::access::users::{self, NewUser, USERS_PER_PAGE, User, UserListing};
use serde::Deserialize;

pub struct UserRow {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub organisation: String,
    pub roles: String,
    pub active: bool,
    pub mfa: bool,
    /// When the account last signed in, in words, or "never".
    pub last_sign_in: String,
}

#[derive(Template)]
#[template(path = "admin/admin_users.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<UserRow>,
    notice: Option<String>,
    search: String,
    /// The query string of the next page, if there is one.
    next: Option<String>,
}

fn role_names(page: &Page, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| page.t(&format!("role-{}", r.key())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The user list's query: a search and the keyset of the page.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageUsers>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let listing = UserListing {
        search: query.q.trim().to_owned(),
        after: UserId::parse(&query.after),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let mut users = users::list(&mut tx, &can, &listing).await?;
    tx.commit().await?;
    let next = (users.len() > USERS_PER_PAGE).then(|| {
        users.truncate(USERS_PER_PAGE);
        let last = users.last().map_or("", |u| u.id.as_str());
        let q: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &listing.search)
            .append_pair("after", last)
            .finish();
        q
    });
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.to_string(),
            roles: role_names(&page, &u.roles),
            last_sign_in: u
                .last_signed_in_at
                .map_or_else(|| page.t("user-never-signed-in"), |at| page.when(at.0)),
            display_name: u.display_name,
            email: u.email,
            organisation: u.organisation_name,
            active: u.active,
            mfa: u.totp_enabled,
        })
        .collect();
    let notice = crate::handler::DoneQuery { done: query.done }.notice(&page);
    render(&ListPage {
        page: &page,
        rows,
        notice,
        search: listing.search,
        next,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct UserForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    roles: Vec<String>,
    /// "yes" once the manager confirmed a role unusual for the organisation.
    #[serde(default)]
    confirm_unusual: String,
}

/// A role checkbox with what the role lets its holder do.
pub struct RoleChoice {
    pub key: &'static str,
    pub label: String,
    pub description: String,
    pub checked: bool,
}

fn role_choices(page: &Page, scope: &Scope, checked: &[String]) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .filter(|r| may_grant(scope, **r))
        .map(|r| RoleChoice {
            key: r.key(),
            label: page.t(&format!("role-{}", r.key())),
            description: page.t(&format!("role-{}-description", r.key())),
            checked: checked.iter().any(|c| c == r.key()),
        })
        .collect()
}

/// Roles given that do not usually fit the organisation, and the question
/// that asks the manager to confirm them.
#[derive(Default)]
pub struct UnusualRoles {
    pub roles: Vec<String>,
    pub lead: String,
}

impl UnusualRoles {
    /// `Some` with an error on the confirmation box when `granted` holds
    /// roles unusual for `kind` and the manager has not confirmed them yet.
    fn check(page: &Page, granted: &[Role], kind: OrganisationType, confirmed: &str, errors: &mut FieldErrors) -> Self {
        let unusual = role_fit::unusual(granted, kind);
        if unusual.is_empty() || confirmed == "yes" {
            return Self::default();
        }
        errors.add("confirm_unusual", page.t("user-unusual-confirm-required"));
        Self {
            roles: unusual.iter().map(|r| page.t(&format!("role-{}", r.key()))).collect(),
            lead: page.tr.t1(
                "user-unusual-lead",
                "type",
                &page.t(&format!("org-type-{}", kind.key())),
            ),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/admin_user_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: &'a UserForm,
    organisations: Vec<(String, String)>,
    roles: Vec<RoleChoice>,
    errors: FieldErrors,
    unusual: UnusualRoles,
}

async fn render_new(
    state: &AppState,
    ctx: &RequestContext,
    can: &Privileged<ManageUsers>,
    form: &UserForm,
    errors: FieldErrors,
    unusual: UnusualRoles,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let scope = can.capability().scope();
    let organisations = organisations::list_all(&state.store)
        .await?
        .into_iter()
        .filter(|o| o.active && scope.covers(&o.id, o.territory))
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    let roles = role_choices(&page, scope, &form.roles);
    render(&NewPage {
        page: &page,
        form,
        organisations,
        roles,
        errors,
        unusual,
    })
}

fn privileged(
    state: &AppState,
    user: &crate::session::SignedIn,
    next: &str,
) -> Result<Privileged<ManageUsers>, AppError> {
    authorized::privileged::<ManageUsers>(user, state.clock.now(), next)
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let can = privileged(&state, &user, &ctx.path)?;
    render_new(
        &state,
        &ctx,
        &can,
        &UserForm::default(),
        FieldErrors::default(),
        UnusualRoles::default(),
    )
    .await
}

fn parse_roles(page: &Page, raw: &[String], errors: &mut FieldErrors) -> Vec<Role> {
    let roles: Vec<Role> = raw.iter().filter_map(|r| Role::parse(r)).collect();
    if roles.is_empty() {
        errors.add("roles", page.t("user-roles-required"));
    }
    roles
}

fn parse(page: &Page, form: &UserForm) -> Result<NewUser, FieldErrors> {
    let mut errors = FieldErrors::default();
    let organisation_id = OrganisationId::parse(&form.organisation_id);
    if organisation_id.is_none() {
        errors.add("organisation_id", page.t("user-organisation-required"));
    }
    let email = Email::parse(&form.email)
        .map_err(|_| errors.add("email", page.t("user-email-invalid")))
        .ok();
    let display_name = DisplayName::parse(&form.display_name)
        .map_err(|e| match e {
            DisplayNameError::Empty => errors.add("display_name", page.t("user-name-required")),
            DisplayNameError::TooLong(n) => {
                errors.add("display_name", page.tr.t1("field-too-long", "max", &n.to_string()))
            }
        })
        .ok();
    let roles = parse_roles(page, &form.roles, &mut errors);
    match (organisation_id, email, display_name) {
        (Some(organisation_id), Some(email), Some(display_name)) if errors.is_empty() => Ok(NewUser {
            organisation_id,
            email,
            display_name,
            roles,
        }),
        _ => Err(errors),
    }
}

#[derive(Template)]
#[template(path = "admin/admin_user_link.html")]
struct LinkPage<'a> {
    page: &'a Page,
    heading: String,
    link: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &user, "/admin/users/new")?;
    let page = Page::new(&state, &ctx);
    let new = match parse(&page, &form) {
        Ok(new) => new,
        Err(errors) => {
            let body = render_new(&state, &ctx, &can, &form, errors, UnusualRoles::default()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let kind = organisations::get(&state.store, &new.organisation_id).await?.org_type;
    let mut errors = FieldErrors::default();
    let unusual = UnusualRoles::check(&page, &new.roles, kind, &form.confirm_unusual, &mut errors);
    if !errors.is_empty() {
        let body = render_new(&state, &ctx, &can, &form, errors, unusual).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let created = users::create(&mut tx, &can, &new, form.confirm_unusual == "yes").await;
    let (_, token) = match created {
        Ok(done) => done,
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("email", page.t("user-email-taken"));
            let body = render_new(&state, &ctx, &can, &form, errors, UnusualRoles::default()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
        Err(other) => return Err(other.into()),
    };
    tx.commit().await?;
    let link = format!("{}/setup/{}", state.settings.public_url, token.expose());
    render(&LinkPage {
        heading: page.t("user-created-title"),
        page: &page,
        link,
    })
}

#[derive(Template)]
#[template(path = "admin/admin_user.html")]
struct DetailPage<'a> {
    page: &'a Page,
    user: &'a User,
    roles: Vec<RoleChoice>,
    errors: FieldErrors,
    unusual: UnusualRoles,
    notice: Option<String>,
    last_sign_in: String,
}

fn last_sign_in(page: &Page, user: &User) -> String {
    user.last_signed_in_at
        .map_or_else(|| page.t("user-never-signed-in"), |at| page.when(at.0))
}

async fn load(
    state: &AppState,
    ctx: &RequestContext,
    actor: &crate::session::SignedIn,
    can: &Privileged<ManageUsers>,
    id: &UserId,
) -> Result<User, AppError> {
    let mut tx = crate::handler::begin(state, ctx, actor).await?;
    let found = users::get(&mut tx, can.capability(), id).await?;
    tx.commit().await?;
    Ok(found)
}

pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(actor): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &actor, &ctx.path)?;
    let id = UserId::parse(&id).ok_or(AppError::NotFound)?;
    let found = load(&state, &ctx, &actor, &can, &id).await?;
    let page = Page::new(&state, &ctx);
    let checked: Vec<String> = found.roles.iter().map(|r| r.key().to_owned()).collect();
    let roles = role_choices(&page, can.capability().scope(), &checked);
    render(&DetailPage {
        last_sign_in: last_sign_in(&page, &found),
        notice: query.notice(&page),
        page: &page,
        user: &found,
        roles,
        errors: FieldErrors::default(),
        unusual: UnusualRoles::default(),
    })
}

#[derive(Deserialize, Default)]
pub struct RolesForm {
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    confirm_unusual: String,
}

pub async fn set_roles(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(actor): CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<RolesForm>,
) -> Result<Response, AppError> {
    let back = format!("/admin/users/{raw_id}");
    let can = privileged(&state, &actor, &back)?;
    let id = UserId::parse(&raw_id).ok_or(AppError::NotFound)?;
    let page = Page::new(&state, &ctx);
    let found = load(&state, &ctx, &actor, &can, &id).await?;
    let mut errors = FieldErrors::default();
    let roles = parse_roles(&page, &form.roles, &mut errors);
    let granted: Vec<Role> = roles.iter().copied().filter(|r| !found.roles.contains(r)).collect();
    let unusual = UnusualRoles::check(
        &page,
        &granted,
        found.organisation_type,
        &form.confirm_unusual,
        &mut errors,
    );
    if !errors.is_empty() {
        let body = render(&DetailPage {
            last_sign_in: last_sign_in(&page, &found),
            notice: None,
            page: &page,
            user: &found,
            roles: role_choices(&page, can.capability().scope(), &form.roles),
            errors,
            unusual,
        })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let mut tx = crate::handler::begin(&state, &ctx, &actor).await?;
    users::set_roles(&mut tx, &can, &id, &roles, form.confirm_unusual == "yes").await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{back}?done=user-updated")).into_response())
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(actor): CurrentUser,
    Path(raw_id): Path<String>,
    Form(form): Form<crate::handler::ActiveForm>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &actor, &format!("/admin/users/{raw_id}"))?;
    let id = UserId::parse(&raw_id).ok_or(AppError::NotFound)?;
    let mut tx = crate::handler::begin(&state, &ctx, &actor).await?;
    users::set_active(&mut tx, &can, &id, form.active()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/users?done=user-updated").into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(actor): CurrentUser,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &actor, &format!("/admin/users/{raw_id}"))?;
    let id = UserId::parse(&raw_id).ok_or(AppError::NotFound)?;
    let mut tx = crate::handler::begin(&state, &ctx, &actor).await?;
    let token = users::reset_password(&mut tx, &can, &id).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let link = format!("{}/setup/{}", state.settings.public_url, token.expose());
    render(&LinkPage {
        heading: page.t("user-reset-title"),
        page: &page,
        link,
    })
}
