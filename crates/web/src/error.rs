//! One error type for every handler, turned into an HTTP response in one
//! place. Pages show a request id and nothing internal; details go to the
//! log without personal data.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use relais_domain::access::authz::Denied;
use relais_domain::casework::case_access::CaseRefusal;
use relais_store::StoreError;
use strum::EnumCount;

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
    /// A file upload larger than the document limit.
    #[error("upload too large")]
    UploadTooLarge,
    /// The database stayed busy after the store's retries: try again soon.
    #[error("database busy")]
    Busy,
    /// The act is no longer possible (someone acted first, or the workflow forbids it).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Which error page to render; read by the error-page middleware, which
/// knows the request's language and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum ErrorPage {
    NotFound,
    Forbidden,
    Csrf,
    TooLarge,
    UploadTooLarge,
    Busy,
    Conflict,
    Internal,
}

impl ErrorPage {
    /// Every page, for the translation check (nothing else lists them).
    #[cfg(test)]
    pub const ALL: [Self; Self::COUNT] = [
        Self::NotFound,
        Self::Forbidden,
        Self::Csrf,
        Self::TooLarge,
        Self::UploadTooLarge,
        Self::Busy,
        Self::Conflict,
        Self::Internal,
    ];

    pub fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooLarge | Self::UploadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
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
            Self::UploadTooLarge => "error-upload-too-large",
            Self::Busy => "error-busy",
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
            StoreError::Busy => Self::Busy,
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

/// Where a refused `next` sends the user: their home page.
const HOME: &str = "/dashboard";

/// Only same-origin relative paths may be used as a redirect target;
/// anything else gives the home page.
pub fn safe_next(next: &str) -> &str {
    if is_same_origin_path(next) { next } else { HOME }
}

/// A path of this site, and nothing a browser could read otherwise: only
/// printable ASCII (browsers drop tabs and newlines, so `/\t/evil` would
/// become `//evil`; a raw newline cannot go into a header), no backslash
/// (browsers read it as `/`), and the same rules after decoding
/// percent-escapes, as often as they nest, so no encoded form slips through.
fn is_same_origin_path(next: &str) -> bool {
    let raw_ok = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if !raw_ok || !starts_as_path(next.as_bytes()) {
        return false;
    }
    let mut current = next.as_bytes().to_vec();
    // Each round removes one layer of escapes; a value still changing after
    // a few rounds is nothing a legitimate page produces.
    for _ in 0..4 {
        let Some(decoded) = percent_decode(&current) else {
            return false;
        };
        let forbidden = |b: &u8| b.is_ascii_control() || b.is_ascii_whitespace() || *b == b'\\';
        if decoded.iter().any(forbidden) || !starts_as_path(&decoded) {
            return false;
        }
        if decoded == current {
            return true;
        }
        current = decoded;
    }
    false
}

/// One `/`, then anything but a second `/` or a `\` (which would make a
/// network-path reference to another host).
fn starts_as_path(path: &[u8]) -> bool {
    path.first() == Some(&b'/') && !matches!(path.get(1), Some(b'/' | b'\\'))
}

/// Decodes `%XX` escapes once; `None` for a malformed escape.
fn percent_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    let mut bytes = input.iter();
    while let Some(&b) = bytes.next() {
        if b == b'%' {
            let high = char::from(*bytes.next()?).to_digit(16)?;
            let low = char::from(*bytes.next()?).to_digit(16)?;
            out.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
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
            Self::UploadTooLarge => ErrorPage::UploadTooLarge,
            Self::Busy => {
                tracing::warn!("the database stayed busy after retries");
                ErrorPage::Busy
            }
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_origin_paths_are_kept() {
        for good in [
            "/dashboard",
            "/cases/abc?tab=file&x=1",
            "/directory?q=%C3%A9cole",
            "/login?next=%2Faccount",
            "/a/b/../c",
        ] {
            assert_eq!(safe_next(good), good, "{good}");
        }
    }

    #[test]
    fn other_origins_and_unsafe_characters_give_the_home_page() {
        for bad in [
            "",
            "dashboard",
            "https://evil.example",
            "javascript:alert(1)",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}",
            "/\u{a0}/evil.example",
            "/é",
            "/%0A",
            "/%0d%0aSet-Cookie:x=1",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%5c%5cevil.example",
            "/%252F/evil.example",
            "/%25252F/evil.example",
            "/%2520",
            "/%",
            "/%zz",
            "/%0",
            "/ok/%00",
            "/ok\\..",
        ] {
            assert_eq!(safe_next(bad), "/dashboard", "{bad:?}");
        }
    }
}
