use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing<'a> {
    page: &'a Page,
}

/// The public front page; signed-in users go straight to their dashboard.
pub async fn landing(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    if ctx.signed_in().is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let page = Page::new(&state, &ctx);
    render(&Landing { page: &page })
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard<'a> {
    page: &'a Page,
    roles: Vec<String>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let roles = user
        .principal
        .roles
        .iter()
        .map(|r| page.t(&format!("role-{}", r.key())))
        .collect();
    render(&Dashboard { page: &page, roles })
}
