//! File downloads: the one place that names a file's type and asks the browser to save it
//! under a name (exports of plans, years, budgets, evaluations, descriptors).

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The kinds of file Relais hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
    Json,
}

impl FileKind {
    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Json => "application/json; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
        }
    }
}

/// `bytes` as an attachment named `stem` with the kind's extension. The stem is built from
/// codes and numbers only, never from what a person typed.
pub fn attachment(kind: FileKind, stem: &str, bytes: impl Into<Vec<u8>>) -> Response {
    let disposition = format!("attachment; filename=\"{stem}.{}\"", kind.extension());
    (
        [
            (header::CONTENT_TYPE, kind.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes.into(),
    )
        .into_response()
}
