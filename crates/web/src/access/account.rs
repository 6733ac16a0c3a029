//! The signed-in user's own account: profile, password, second factor.

use crate::AppState;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::password::{NewPassword, PasswordError};
use relais_store::{access::passwords, access::users};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "access/account.html")]
struct AccountPage<'a> {
    page: &'a Page,
    user: &'a SignedIn,
    roles: Vec<String>,
    totp_enabled: bool,
    notice: Option<String>,
    errors: FieldErrors,
}

async fn show(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    notice: Option<&str>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let totp_enabled = users::credentials_by_id(&state.store, user.principal.user_id())
        .await?
        .totp_enabled;
    let roles = user
        .principal
        .roles()
        .iter()
        .map(|r| page.t(&format!("role-{}", r.key())))
        .collect();
    let notice = notice.map(|k| page.t(&format!("notice-{k}")));
    render(&AccountPage {
        page: &page,
        user,
        roles,
        totp_enabled,
        notice,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    show(
        &state,
        &ctx,
        &user,
        crate::handler::notice_key(query.done.as_deref()),
        FieldErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let stored = users::credentials_by_id(&state.store, user.principal.user_id())
        .await?
        .password_hash;
    let current = form.current.clone();
    let current_ok = crate::hashing::spawn(move || passwords::verify(&current, stored.as_deref()))
        .await
        .unwrap_or(false);
    if !current_ok {
        errors.add("current", page.t("password-current-wrong"));
    }
    let parsed = NewPassword::parse(&form.password, &form.confirmation);
    if let Err(error) = &parsed {
        let field = if *error == PasswordError::Mismatch {
            "confirmation"
        } else {
            "password"
        };
        errors.add(field, crate::access::view::password_error(&page, *error));
    }
    let Ok(password) = parsed else {
        let body = show(&state, &ctx, &user, None, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    if !errors.is_empty() {
        let body = show(&state, &ctx, &user, None, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let secret = password.expose().to_owned();
    let hash = crate::hashing::spawn(move || passwords::hash(&secret))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    users::change_password(&mut tx, user.principal.user_id(), &hash).await?;
    tx.commit().await?;
    Ok(Redirect::to("/account?done=password-changed").into_response())
}
