//! What the access pages share.

use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use relais_domain::access::password::PasswordError;

pub(crate) fn password_error(page: &Page, error: PasswordError) -> String {
    match error {
        PasswordError::TooShort(n) => page.tr.t1("password-too-short", "min", &n.to_string()),
        PasswordError::TooLong(n) => page.tr.t1("password-too-long", "max", &n.to_string()),
        PasswordError::Mismatch => page.t("password-mismatch"),
    }
}

#[derive(Template)]
#[template(path = "access/login.html")]
pub(crate) struct LoginPage<'a> {
    pub page: &'a Page,
    pub email: &'a str,
    pub next: &'a str,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The configured identity providers: the link that starts a sign-in there, and its label.
    pub providers: Vec<(String, String)>,
}

/// A link, not a form: the page's `form-action 'self'` would stop a form's redirection to the
/// provider.
pub(crate) fn providers(state: &AppState, next: &str) -> Vec<(String, String)> {
    let next: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
    state
        .oidc
        .providers()
        .iter()
        .map(|p| (format!("/login/oidc/{}?next={next}", p.id), p.label.clone()))
        .collect()
}

/// The sign-in page with an error from a provider's sign-in.
pub(crate) fn refused_page(state: &AppState, ctx: &RequestContext, error: String) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let body = render(&LoginPage {
        page: &page,
        email: "",
        next: "/dashboard",
        error: Some(error),
        notice: None,
        providers: providers(state, "/dashboard"),
    })?;
    Ok((StatusCode::FORBIDDEN, body).into_response())
}
