//! Access requests from agents a provider vouches for (ADR 0051): the administrator of their
//! organisation approves (creating the account with one role, or linking the account that has
//! their address) or refuses.

use crate::AppState;
use crate::access::authorized::{self, Authorized};
use crate::error::AppError;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::account::may_grant;
use relais_domain::access::authz::{ManageUsers, Privileged};
use relais_domain::access::role::Role;
use relais_store::access::access_requests::{self, Approval};
use serde::Deserialize;

pub struct RequestRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub siret: String,
    pub received: String,
    /// Whether an account with this address exists, so approval can link it.
    pub linkable: bool,
}

#[derive(Template)]
#[template(path = "admin/admin_access_requests.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<RequestRow>,
    /// Roles the administrator may give: key and name.
    roles: Vec<(String, String)>,
    notice: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageUsers>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let requests = access_requests::pending(&mut tx, &can).await?;
    tx.commit().await?;
    let rows = requests
        .into_iter()
        .map(|r| RequestRow {
            received: page.when(r.requested_at.0),
            linkable: r.existing_account.is_some(),
            id: r.id,
            name: r.display_name,
            email: r.email,
            organisation: r.organisation_name,
            siret: r.siret.unwrap_or_default(),
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .filter(|r| may_grant(can.scope(), **r))
        .map(|r| (r.key().to_owned(), page.t(&format!("role-{}", r.key()))))
        .collect();
    render(&ListPage {
        notice: query.notice(&page),
        page: &page,
        rows,
        roles,
    })
}

fn privileged(state: &AppState, user: &SignedIn) -> Result<Privileged<ManageUsers>, AppError> {
    authorized::privileged::<ManageUsers>(user, state.clock.now(), "/admin/access-requests")
}

#[derive(Deserialize)]
pub struct DecisionForm {
    /// `create` or `link`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    role: String,
}

pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &user)?;
    let approval = match form.decision.as_str() {
        "link" => Approval::Link,
        _ => Approval::Create(Role::parse(&form.role).ok_or(AppError::Conflict("role".into()))?),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    access_requests::approve(&mut tx, &can, &id, approval).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/access-requests?done=access-request-approved").into_response())
}

pub async fn refuse(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let can = privileged(&state, &user)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    access_requests::refuse(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/access-requests?done=access-request-refused").into_response())
}
