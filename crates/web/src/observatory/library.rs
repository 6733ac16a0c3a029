//! The observatory's library (issue 14, part 8): the analyst's list of
//! every entry, a new entry with an `https` link or a PDF, an entry's page
//! with its publication and withdrawal, and its PDF. The public page is
//! `library_public.rs`.

use super::library_view::{EntryView, cursor, cursor_text, entry_view, kind_label, pdf};
use super::training_view::profession_label;
use super::view::file_name;
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ManageObservatory;
use relais_domain::observatory::library::{Event, Problem, RawEntry, StudyKind, check_reason};
use relais_domain::observatory::training::Profession;
use relais_store::StoreError;
use relais_store::observatory::library::{self as store, EntryEvent, Filter};
use serde::Deserialize;

/// The list's query: the cursor only (the analyst's list is not filtered).
#[derive(Deserialize, Default)]
pub struct ListQuery {
    after: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "observatory/library.html")]
struct ListPage<'a> {
    page: &'a Page,
    entries: Vec<EntryView>,
    next: Option<String>,
    first_page: bool,
    notice: Option<String>,
}

/// GET /observatory/library: every entry, drafts and withdrawn ones too.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let filter = Filter {
        after: cursor(query.after.as_deref()),
        ..Filter::default()
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = store::all(&mut tx, &can, &filter).await?;
    tx.commit().await?;
    let notice = DoneQuery { done: query.done }.notice(&page);
    render(&ListPage {
        entries: found.entries.iter().map(|e| entry_view(&page, e)).collect(),
        next: found.next.as_ref().map(cursor_text),
        first_page: filter.after.is_none(),
        notice,
        page: &page,
    })
}

/// The new entry's fields, as typed (the file cannot be given back).
#[derive(Default, Clone)]
pub struct EntryForm {
    pub title: String,
    pub producer: String,
    pub published_on: String,
    pub kind: String,
    pub audience: Vec<String>,
    pub summary: String,
    pub link: String,
}

impl EntryForm {
    fn raw(&self) -> RawEntry {
        RawEntry {
            title: self.title.clone(),
            producer: self.producer.clone(),
            published_on: self.published_on.clone(),
            kind: self.kind.clone(),
            audience: self.audience.clone(),
            summary: self.summary.clone(),
            link: self.link.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "observatory/library_new.html")]
struct NewPage<'a> {
    page: &'a Page,
    form: EntryForm,
    kinds: Vec<(&'static str, String)>,
    /// (key, label, chosen)
    audiences: Vec<(&'static str, String, bool)>,
    limit_mb: String,
    /// A file was sent with a refused form: it must be chosen again.
    file_again: bool,
    errors: FieldErrors,
}

fn new_page(page: &Page, form: EntryForm, errors: FieldErrors, file_again: bool) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&NewPage {
        kinds: StudyKind::ALL.iter().map(|k| (k.key(), kind_label(page, *k))).collect(),
        audiences: Profession::ALL
            .iter()
            .map(|p| {
                (
                    p.key(),
                    profession_label(page, *p),
                    form.audience.iter().any(|a| a == p.key()),
                )
            })
            .collect(),
        limit_mb: crate::csrf::document_limit_mb(),
        file_again,
        form,
        errors,
        page,
    })?;
    Ok((status, body).into_response())
}

/// GET /observatory/library/new
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManageObservatory>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    new_page(&page, EntryForm::default(), FieldErrors::default(), false)
}

/// Each problem named with its question.
pub fn problem_errors(page: &Page, problems: &[Problem]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for p in problems {
        let message = page.tr.tn(
            "library-error",
            &[
                ("field", page.t(&format!("library-field-{}", p.field))),
                ("problem", page.t(&format!("library-problem-{}", p.key))),
            ],
        );
        errors.add(p.field, message);
    }
    errors
}

/// POST /observatory/library (multipart): a new entry, kept as a draft.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut form = EntryForm::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let sent = file_name(field.file_name());
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec();
            // A form sent without choosing a file has an empty, nameless part.
            if !(sent.is_empty() && bytes.is_empty()) {
                file = Some((sent, bytes));
            }
            continue;
        }
        let text = field.text().await.unwrap_or_default();
        match name.as_str() {
            "title" => form.title = text,
            "producer" => form.producer = text,
            "published_on" => form.published_on = text,
            "kind" => form.kind = text,
            "audience" => form.audience.push(text),
            "summary" => form.summary = text,
            "link" => form.link = text,
            _ => {}
        }
    }
    let today = page.today(state.clock.now());
    let sent = file.as_ref().map(|(name, bytes)| (name.as_str(), bytes.as_slice()));
    let entry = match form.raw().check(today, sent) {
        Ok(entry) => entry,
        Err(problems) => return new_page(&page, form, problem_errors(&page, &problems), file.is_some()),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let bytes = file.as_ref().map(|(_, bytes)| bytes.as_slice());
    let id = store::create(&mut tx, &can, &entry, bytes).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/library/{id}?done=library-created")).into_response())
}

fn entry_id(raw: &str) -> Result<String, AppError> {
    (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| raw.to_owned())
        .ok_or(AppError::NotFound)
}

pub struct EventView {
    pub text: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "observatory/library_entry.html")]
struct EntryPage<'a> {
    page: &'a Page,
    entry: EntryView,
    can_publish: bool,
    can_withdraw: bool,
    history: Vec<EventView>,
    reason: String,
    errors: FieldErrors,
    notice: Option<String>,
}

fn event_view(page: &Page, e: &EntryEvent) -> EventView {
    let who = e.by.clone().unwrap_or_else(|| page.t("observatory-command-line"));
    EventView {
        text: page.tr.tn(
            &format!("library-event-{}", e.event),
            &[("who", who), ("when", page.when(e.at.0))],
        ),
        reason: e.reason.clone(),
    }
}

async fn entry_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    (reason, errors): (String, FieldErrors),
    notice: Option<String>,
) -> Result<Response, AppError> {
    let can = capability::<ManageObservatory>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (stored, events) = store::entry(&mut tx, &can, id).await?;
    tx.commit().await?;
    let failed = !errors.is_empty();
    let body = render(&EntryPage {
        entry: entry_view(&page, &stored),
        can_publish: relais_domain::observatory::library::apply(stored.state, Event::Publish).is_some(),
        can_withdraw: relais_domain::observatory::library::apply(stored.state, Event::Withdraw).is_some(),
        history: events.iter().rev().map(|e| event_view(&page, e)).collect(),
        reason,
        errors,
        notice,
        page: &page,
    })?;
    Ok(crate::page::form_status(body, failed))
}

/// GET /observatory/library/{id}
pub async fn entry(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = entry_id(&id)?;
    let notice = done.notice(&Page::new(&state, &ctx));
    entry_page(
        &state,
        &ctx,
        &user,
        &id,
        (String::new(), FieldErrors::default()),
        notice,
    )
    .await
}

/// A change the workflow refuses (someone acted first): the page says so.
fn changed(outcome: Result<(), StoreError>) -> Result<(), AppError> {
    match outcome {
        Err(StoreError::Conflict(why)) => Err(AppError::Conflict(why.to_owned())),
        other => other.map_err(AppError::from),
    }
}

/// POST /observatory/library/{id}/publish: on the public page from now on.
pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = entry_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    changed(store::change(&mut tx, &can, &id, Event::Publish, "").await)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/library/{id}?done=library-published")).into_response())
}

#[derive(Deserialize, Default)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

/// POST /observatory/library/{id}/withdraw: off the public page, with a reason.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    let id = entry_id(&id)?;
    let page = Page::new(&state, &ctx);
    let reason = match check_reason(&form.reason) {
        Ok(reason) => reason,
        Err(problem) => {
            let errors = problem_errors(&page, &[problem]);
            return entry_page(&state, &ctx, &user, &id, (form.reason, errors), None).await;
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    changed(store::change(&mut tx, &can, &id, Event::Withdraw, &reason).await)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/observatory/library/{id}?done=library-withdrawn")).into_response())
}

/// GET /observatory/library/{id}/file: any entry's PDF, a draft's too; audited.
pub async fn file(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManageObservatory>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = entry_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (name, bytes) = store::file(&mut tx, &can, &id).await?;
    tx.commit().await?;
    Ok(pdf(&name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_a_day_and_an_id() {
        let id = "0123456789abcdef0123456789abcdef";
        let parsed = cursor(Some(&format!("2025-10-18.{id}"))).unwrap();
        assert_eq!(cursor_text(&parsed), format!("2025-10-18.{id}"));
        assert_eq!(cursor(Some("2025-10-18.x' OR 1=1")), None);
        assert_eq!(cursor(Some("yesterday")), None);
        assert_eq!(cursor(None), None);
    }
}
