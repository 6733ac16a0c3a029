//! Administration of organisations.

use crate::AppState;
use crate::access::authorized::{Authorized, privileged};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageOrganisations;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::ids::OrganisationId;
use relais_domain::territory::{Departement, Territory};
use relais_store::access::organisations::{self, NewOrganisation};
use serde::Deserialize;

pub struct OrganisationRow {
    pub id: String,
    pub name: String,
    pub org_type: String,
    pub territory: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin/admin_organisations.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<OrganisationRow>,
    notice: Option<String>,
}

pub fn territory_label(page: &Page, territory: Territory) -> String {
    match territory {
        Territory::National => page.t("territory-national"),
        Territory::Departement(d) => d.code().to_owned(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, .. }: Authorized<ManageOrganisations>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let rows = organisations::list(&state.store, &can)
        .await?
        .into_iter()
        .map(|o| OrganisationRow {
            id: o.id.to_string(),
            org_type: page.t(&format!("org-type-{}", o.org_type.key())),
            territory: territory_label(&page, o.territory),
            name: o.name,
            active: o.active,
        })
        .collect();
    let notice = query.notice(&page);
    render(&ListPage {
        page: &page,
        rows,
        notice,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct OrganisationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    org_type: String,
    #[serde(default)]
    territory: String,
}

#[derive(Template)]
#[template(path = "admin/admin_organisation_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: &'a OrganisationForm,
    types: Vec<(&'static str, String)>,
    territories: Vec<(&'static str, String)>,
    errors: FieldErrors,
}

fn render_new(
    state: &AppState,
    ctx: &RequestContext,
    form: &OrganisationForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let types = OrganisationType::ALL
        .iter()
        .map(|t| (t.key(), page.t(&format!("org-type-{}", t.key()))))
        .collect();
    let territories = std::iter::once(("national", page.t("territory-national")))
        .chain(Departement::all().map(|d| (d.code(), d.code().to_owned())))
        .collect();
    render(&NewPage {
        page: &page,
        form,
        types,
        territories,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    privileged::<ManageOrganisations>(&user, state.clock.now(), &ctx.path)?;
    render_new(&state, &ctx, &OrganisationForm::default(), FieldErrors::default())
}

fn parse(page: &Page, form: &OrganisationForm) -> Result<NewOrganisation, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", page.t("organisation-name-required"));
    } else if name.chars().count() > 200 {
        errors.add("name", page.tr.t1("field-too-long", "max", "200"));
    }
    let org_type = OrganisationType::parse(&form.org_type);
    if org_type.is_none() {
        errors.add("org_type", page.t("organisation-type-required"));
    }
    let territory = Territory::parse(&form.territory);
    if territory.is_none() {
        errors.add("territory", page.t("organisation-territory-required"));
    }
    match (org_type, territory) {
        (Some(org_type), Some(territory)) if errors.is_empty() => Ok(NewOrganisation {
            name: name.to_owned(),
            org_type,
            territory,
        }),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageOrganisations>(&user, state.clock.now(), "/admin/organisations/new")?;
    let page = Page::new(&state, &ctx);
    let new = match parse(&page, &form) {
        Ok(new) => new,
        Err(errors) => {
            let body = render_new(&state, &ctx, &form, errors)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    organisations::create(&mut tx, &can, &new).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/organisations?done=organisation-created").into_response())
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<crate::handler::ActiveForm>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageOrganisations>(&user, state.clock.now(), "/admin/organisations")?;
    let id = OrganisationId::parse(&id).ok_or(AppError::NotFound)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    organisations::set_active(&mut tx, &can, &id, form.active()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/organisations?done=organisation-updated").into_response())
}
