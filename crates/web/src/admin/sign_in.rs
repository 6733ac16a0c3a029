//! An organisation's sign-in methods, set by its administrator: its SIRET (how agents a
//! provider sends are recognised) and whether a password still works (ADR 0051).

use crate::AppState;
use crate::access::authorized::{Authorized, privileged};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageUsers;
use relais_domain::access::openid::Siret;
use relais_store::access::organisations::{self, SignIn};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/admin_sign_in.html")]
struct SignInPage<'a> {
    page: &'a Page,
    siret: String,
    password: bool,
    errors: FieldErrors,
    notice: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<ManageUsers>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let current = organisations::sign_in(&mut tx, user.principal.organisation_id()).await?;
    // The organisation's own settings: nothing personal was read, so nothing to audit.
    drop(tx);
    let page = Page::new(&state, &ctx);
    render(&SignInPage {
        notice: query.notice(&page),
        page: &page,
        siret: current.siret.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        password: current.password,
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    siret: String,
    #[serde(default)]
    password: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageUsers>(&user, state.clock.now(), "/admin/sign-in")?;
    let siret = form.siret.trim();
    let parsed = Siret::parse(siret);
    if !siret.is_empty() && parsed.is_none() {
        let page = Page::new(&state, &ctx);
        let mut errors = FieldErrors::default();
        errors.add("siret", page.t("organisation-siret-invalid"));
        let body = render(&SignInPage {
            page: &page,
            siret: siret.to_owned(),
            password: form.password.is_some(),
            errors,
            notice: None,
        })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let sign_in = SignIn {
        siret: parsed,
        password: form.password.is_some(),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    organisations::set_sign_in(&mut tx, &can, user.principal.organisation_id(), &sign_in).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/sign-in?done=organisation-updated").into_response())
}
