//! What the analyst's library pages and the public library share: an entry
//! as the lists show it, the cursor of a page, and a PDF as an attachment.

use super::training_view::profession_label;
use crate::page::Page;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use relais_domain::casework::document::{self, Kind};
use relais_domain::observatory::library::{Content, StudyKind};
use relais_domain::time::Date;
use relais_store::observatory::library::StoredEntry;

/// An entry as the lists show it.
pub struct EntryView {
    pub id: String,
    pub title: String,
    pub producer: String,
    pub published_on: String,
    pub kind: String,
    pub audience: String,
    pub summary: String,
    /// The `https` address, for an entry that is a link.
    pub link: Option<String>,
    /// "PDF, 1,2 Mo", for an entry that is a file.
    pub file: Option<String>,
    pub state: String,
    pub badge: &'static str,
}

pub fn kind_label(page: &Page, kind: StudyKind) -> String {
    page.t(&format!("library-kind-{}", kind.key()))
}

pub fn entry_view(page: &Page, stored: &StoredEntry) -> EntryView {
    let e = &stored.entry;
    let (link, file) = match &e.content {
        Content::Link(link) => (Some(link.as_str().to_owned()), None),
        Content::Pdf { .. } => {
            let size = stored.file_size.unwrap_or(0) as f64 / (1024.0 * 1024.0);
            (
                None,
                Some(page.tr.t1("library-file-size", "size", &page.decimal(size.max(0.1), 1))),
            )
        }
    };
    EntryView {
        id: stored.id.clone(),
        title: e.title.clone(),
        producer: e.producer.clone(),
        published_on: page.day(e.published_on),
        kind: kind_label(page, e.kind),
        audience: e
            .audience
            .iter()
            .map(|p| profession_label(page, *p))
            .collect::<Vec<_>>()
            .join(", "),
        summary: e.summary.clone(),
        link,
        file,
        state: page.t(&format!("library-state-{}", stored.state.key())),
        badge: crate::badge::library(stored.state),
    }
}

/// `?after=YYYY-MM-DD.ID`: where the next page starts (newest first).
pub fn cursor(raw: Option<&str>) -> Option<(Date, String)> {
    let (day, id) = raw?.split_once('.')?;
    let id_ok = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    Some((Date::parse(day)?, id.to_owned())).filter(|_| id_ok)
}

pub fn cursor_text((day, id): &(Date, String)) -> String {
    format!("{day}.{id}")
}

/// A PDF as an attachment under a header-safe name.
pub fn pdf(name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", document::download_name(name, Kind::Pdf));
    (
        [
            (CONTENT_TYPE, Kind::Pdf.content_type().to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}
