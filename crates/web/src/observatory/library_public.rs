//! GET /library: the published studies and awareness material, for anyone,
//! filtered by kind and audience, newest first, a page at a time; and a
//! published entry's PDF. Drafts and withdrawn entries are never shown.

use super::library_view::{EntryView, cursor, cursor_text, entry_view, kind_label, pdf};
use super::training_view::profession_label;
use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use relais_domain::observatory::library::StudyKind;
use relais_domain::observatory::training::Profession;
use relais_store::observatory::library::{self as store, Filter};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    kind: Option<String>,
    audience: Option<String>,
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "observatory/library_public.html")]
struct PublicPage<'a> {
    page: &'a Page,
    entries: Vec<EntryView>,
    /// (key, label, chosen)
    kinds: Vec<(&'static str, String, bool)>,
    audiences: Vec<(&'static str, String, bool)>,
    /// The next page's query string, filters kept.
    next: Option<String>,
    /// The first page's query string, filters kept, when this is a later page.
    first: Option<String>,
    filtered: bool,
}

/// The query string of a page of the list with these filters.
fn query(kind: Option<StudyKind>, audience: Option<Profession>, after: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = kind {
        parts.push(format!("kind={}", kind.key()));
    }
    if let Some(audience) = audience {
        parts.push(format!("audience={}", audience.key()));
    }
    if let Some(after) = after {
        parts.push(format!("after={after}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// GET /library
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<PublicQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let kind = q.kind.as_deref().and_then(StudyKind::parse);
    let audience = q.audience.as_deref().and_then(Profession::parse);
    let filter = Filter {
        kind,
        audience,
        after: cursor(q.after.as_deref()),
    };
    let found = store::published(&state.store, &filter).await?;
    render(&PublicPage {
        entries: found.entries.iter().map(|e| entry_view(&page, e)).collect(),
        kinds: StudyKind::ALL
            .iter()
            .map(|k| (k.key(), kind_label(&page, *k), Some(*k) == kind))
            .collect(),
        audiences: Profession::ALL
            .iter()
            .map(|p| (p.key(), profession_label(&page, *p), Some(*p) == audience))
            .collect(),
        next: found
            .next
            .as_ref()
            .map(|n| query(kind, audience, Some(&cursor_text(n)))),
        first: filter.after.is_some().then(|| {
            let first = query(kind, audience, None);
            if first.is_empty() { "?".to_owned() } else { first }
        }),
        filtered: kind.is_some() || audience.is_some(),
        page: &page,
    })
}

/// GET /library/{id}/file: a published entry's PDF.
pub async fn file(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let valid = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(AppError::NotFound);
    }
    let (name, bytes) = store::published_file(&state.store, &id).await?;
    Ok(pdf(&name, bytes))
}
