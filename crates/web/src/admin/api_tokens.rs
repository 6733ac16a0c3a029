//! Administration of API tokens: issued to an organisation for its
//! information system, shown once, revocable at any time.

use crate::AppState;
use crate::access::authorized::{capability, privileged};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageApiTokens;
use relais_domain::ids::{ApiTokenId, OrganisationId};
use relais_store::access::api_tokens::{self, MAX_LABEL};
use relais_store::access::organisations;
use serde::Deserialize;

pub struct TokenRow {
    pub id: String,
    pub organisation: String,
    pub label: String,
    pub created_at: String,
    pub last_used_at: String,
    pub revoked: bool,
}

#[derive(Deserialize, Default, Clone)]
pub struct TokenForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    label: String,
}

#[derive(Template)]
#[template(path = "admin/admin_api_tokens.html")]
struct ListPage<'a> {
    page: &'a Page,
    rows: Vec<TokenRow>,
    organisations: Vec<(String, String)>,
    form: &'a TokenForm,
    errors: FieldErrors,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/admin_api_token_created.html")]
struct CreatedPage<'a> {
    page: &'a Page,
    organisation: String,
    label: String,
    secret: String,
}

async fn render_list(
    state: &AppState,
    ctx: &RequestContext,
    user: &crate::session::SignedIn,
    form: &TokenForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ManageApiTokens>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let tokens = api_tokens::list(&mut tx, &can).await?;
    tx.commit().await?;
    let never = page.t("api-token-never-used");
    let rows = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.to_string(),
            organisation: t.organisation_name,
            label: t.label,
            created_at: page.when(t.created_at.0),
            last_used_at: t.last_used_at.map_or_else(|| never.clone(), |at| page.when(at.0)),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    let organisations = organisations::list_all(&state.store)
        .await?
        .into_iter()
        .filter(|o| o.active)
        .map(|o| (o.id.to_string(), o.name))
        .collect();
    render(&ListPage {
        page: &page,
        rows,
        organisations,
        form,
        errors,
        notice,
    })
}

pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let notice = query.notice(&Page::new(&state, &ctx));
    render_list(
        &state,
        &ctx,
        &user,
        &TokenForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

fn parse(page: &Page, form: &TokenForm) -> Result<(OrganisationId, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let organisation = OrganisationId::parse(&form.organisation_id);
    if organisation.is_none() {
        errors.add("organisation_id", page.t("api-token-organisation-required"));
    }
    let label = form.label.trim();
    if label.is_empty() {
        errors.add("label", page.t("api-token-label-required"));
    } else if label.chars().count() > MAX_LABEL {
        errors.add("label", page.tr.t1("field-too-long", "max", &MAX_LABEL.to_string()));
    }
    match organisation {
        Some(organisation) if errors.is_empty() => Ok((organisation, label.to_owned())),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageApiTokens>(&user, state.clock.now(), "/admin/api-tokens")?;
    let page = Page::new(&state, &ctx);
    let (organisation, label) = match parse(&page, &form) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let body = render_list(&state, &ctx, &user, &form, errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let name = organisations::get(&state.store, &organisation).await?.name;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (_, secret) = api_tokens::issue(&mut tx, &can, &organisation, &label).await?;
    tx.commit().await?;
    // Shown once: the response is never cached (security headers) and the
    // secret cannot be displayed again.
    render(&CreatedPage {
        page: &page,
        organisation: name,
        label,
        secret: secret.expose().to_owned(),
    })
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let can = privileged::<ManageApiTokens>(&user, state.clock.now(), "/admin/api-tokens")?;
    let id = ApiTokenId::parse(&id).ok_or(AppError::NotFound)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    api_tokens::revoke(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/api-tokens?done=api-token-revoked").into_response())
}
