//! One error type for every handler, turned into an HTTP response in one
//! place. Pages show a request id and nothing internal; details go to the
//! log without personal data.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::authz::Denied;
use relais_domain::case_access::CaseRefusal;
use relais_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("the form could not be verified")]
    Csrf,
    #[error("sign-in required")]
    SignIn { next: String },
    #[error("recent password confirmation required")]
    Reauthenticate { next: String },
    #[error("request too large")]
    TooLarge,
    /// The act is no longer possible (someone acted first, or the workflow forbids it).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Which error page to render; read by the error-page middleware, which
/// knows the request's language and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    NotFound,
    Forbidden,
    Csrf,
    TooLarge,
    Conflict,
    Internal,
}

impl ErrorPage {
    pub fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Conflict => StatusCode::CONFLICT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::NotFound => "error-not-found",
            Self::Forbidden => "error-forbidden",
            Self::Csrf => "error-csrf",
            Self::TooLarge => "error-too-large",
            Self::Conflict => "error-conflict",
            Self::Internal => "error-internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Denied(_) => Self::Forbidden,
            StoreError::Transition(refused) => Self::Conflict(refused.to_string()),
            StoreError::Incomplete => Self::Conflict("incomplete".into()),
            StoreError::Workflow(refused) => Self::Conflict(refused.to_string()),
            StoreError::Conflict(what) => Self::Conflict(what.into()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<CaseRefusal> for AppError {
    /// A part of a case one may not read does not exist; one open for reading only is forbidden to change.
    fn from(refusal: CaseRefusal) -> Self {
        match refusal {
            CaseRefusal::Hidden => Self::NotFound,
            CaseRefusal::ReadOnly => Self::Forbidden,
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        Self::Internal(format!("template: {error}"))
    }
}

impl AppError {
    /// Turns an authorisation refusal into the right response for `next`.
    pub fn denied(denied: Denied, next: &str) -> Self {
        match denied {
            Denied::NotPermitted => Self::Forbidden,
            Denied::ReauthenticationRequired => Self::Reauthenticate { next: next.to_owned() },
        }
    }
}

/// Only same-site relative paths may be used as a redirect target.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/dashboard"
    }
}

fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match self {
            Self::SignIn { next } => {
                return Redirect::to(&format!("/login?next={}", encode(safe_next(&next)))).into_response();
            }
            Self::Reauthenticate { next } => {
                return Redirect::to(&format!("/reauth?next={}", encode(safe_next(&next)))).into_response();
            }
            Self::NotFound => ErrorPage::NotFound,
            Self::Forbidden => ErrorPage::Forbidden,
            Self::Csrf => ErrorPage::Csrf,
            Self::TooLarge => ErrorPage::TooLarge,
            Self::Conflict(detail) => {
                tracing::info!(%detail, "request refused as a conflict");
                ErrorPage::Conflict
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                ErrorPage::Internal
            }
        };
        let mut response = page.status().into_response();
        response.extensions_mut().insert(page);
        response
    }
}
