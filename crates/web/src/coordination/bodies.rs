//! The plan's bodies and the Relais organisation each one is: a body linked
//! to an organisation is asked in reporting rounds through that
//! organisation's focal points.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManagePlans, ViewPlans};
use relais_domain::ids::OrganisationId;
use relais_store::access::organisations;
use relais_store::coordination::rounds;
use serde::Deserialize;

pub struct BodyRow {
    pub name: String,
    /// The linked organisation's id, or empty.
    pub organisation: String,
    pub organisation_name: String,
}

#[derive(Template)]
#[template(path = "coordination/bodies.html")]
struct BodiesPage<'a> {
    page: &'a Page,
    bodies: Vec<BodyRow>,
    organisations: Vec<(String, String)>,
    manages: bool,
    notice: Option<String>,
}

/// GET /coordination/bodies
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: view, user }: Authorized<ViewPlans>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let links = rounds::body_links(&mut tx, &view).await?;
    tx.commit().await?;
    let organisations: Vec<(String, String)> = organisations::list_all(&state.store)
        .await?
        .into_iter()
        .filter(|o| o.active)
        .map(|o| (o.id.as_str().to_owned(), o.name))
        .collect();
    let name_of = |id: &OrganisationId| {
        organisations
            .iter()
            .find(|(o, _)| o == id.as_str())
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    render(&BodiesPage {
        bodies: links
            .iter()
            .map(|(name, organisation)| BodyRow {
                name: name.clone(),
                organisation: organisation.as_ref().map(|o| o.as_str().to_owned()).unwrap_or_default(),
                organisation_name: organisation.as_ref().map(name_of).unwrap_or_default(),
            })
            .collect(),
        manages: capability::<ManagePlans>(&user, &ctx.path).is_ok(),
        organisations,
        notice: query.notice(&page),
        page: &page,
    })
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    organisation: String,
}

/// POST /coordination/bodies: links a body to an organisation (or unlinks it).
pub async fn link(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManagePlans>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let organisation = match form.organisation.trim() {
        "" => None,
        raw => Some(OrganisationId::parse(raw).ok_or(AppError::NotFound)?),
    };
    if let Some(organisation) = &organisation {
        organisations::get(&state.store, organisation).await?;
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    rounds::link_body(&mut tx, &can, &form.body, organisation.as_ref()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/coordination/bodies?done=plan-body-linked").into_response())
}
