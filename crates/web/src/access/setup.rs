//! The one-time link that lets a new user (or one whose password an
//! administrator reset) choose a password.

use crate::AppState;
use crate::access::view::password_error;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::password::{NewPassword, PasswordError};
use relais_store::{Actor, access::passwords, access::setup_tokens};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "access/setup.html")]
struct SetupPage<'a> {
    page: &'a Page,
    token: &'a str,
    valid: bool,
    errors: FieldErrors,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let valid = setup_tokens::peek(&state.store, &token, state.clock.now())
        .await
        .is_ok();
    let page = Page::new(&state, &ctx);
    let body = render(&SetupPage {
        page: &page,
        token: &token,
        valid,
        errors: FieldErrors::default(),
    })?;
    Ok(if valid {
        body
    } else {
        (StatusCode::NOT_FOUND, body).into_response()
    })
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    let password = match NewPassword::parse(&form.password, &form.confirmation) {
        Ok(p) => p,
        Err(error) => {
            let page = Page::new(&state, &ctx);
            let valid = setup_tokens::peek(&state.store, &token, state.clock.now())
                .await
                .is_ok();
            let mut errors = FieldErrors::default();
            let field = if error == PasswordError::Mismatch {
                "confirmation"
            } else {
                "password"
            };
            errors.add(field, password_error(&page, error));
            let body = render(&SetupPage {
                page: &page,
                token: &token,
                valid,
                errors,
            })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let secret = password.expose().to_owned();
    let hash = crate::hashing::spawn(move || passwords::hash(&secret))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let mut tx = crate::handler::begin_as(&state, &ctx, Actor::system()).await?;
    setup_tokens::consume(&mut tx, &token, &hash).await?;
    tx.commit().await?;
    Ok(Redirect::to("/login?done=password-set").into_response())
}
