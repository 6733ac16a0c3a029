//! The case file page (issue 4, parts 4–5): notes by sensitivity, the
//! owner's shares and access log, and the list of cases shared with one's
//! organisation.

use super::admin_audit::format_time;
use super::cases::stage_label;
use crate::AppState;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::authz::{self, Capability, IdentifyVictims, ViewCaseFile};
use relais_domain::case_file::{Sensitivity, readable};
use relais_domain::document::{self, Refusal};
use relais_domain::ids::{CaseId, OrganisationId};
use relais_domain::referral::steps::MAX_TEXT;
use relais_domain::sharing;
use relais_domain::time::Date;
use relais_store::case_file::{self, PURPOSES};
use relais_store::organisations;

pub(super) fn capability(user: &SignedIn, ctx: &RequestContext) -> Result<Capability<ViewCaseFile>, AppError> {
    authz::authorize::<ViewCaseFile>(&user.principal).map_err(|d| AppError::denied(d, &ctx.path))
}

fn owner_capability(user: &SignedIn, ctx: &RequestContext) -> Result<Capability<IdentifyVictims>, AppError> {
    authz::authorize::<IdentifyVictims>(&user.principal).map_err(|d| AppError::denied(d, &ctx.path))
}

pub(super) fn parse_id(raw: &str) -> Result<CaseId, AppError> {
    CaseId::parse(raw).ok_or(AppError::NotFound)
}

pub struct NoteView {
    pub at: String,
    pub author: String,
    pub level: &'static str,
    pub level_label: String,
    pub body: String,
}

pub struct DocumentView {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub level_label: String,
    pub at: String,
}

pub struct TaskView {
    pub id: String,
    pub title: String,
    pub due: String,
    pub done: bool,
    pub overdue: bool,
}

pub struct ShareView {
    pub id: String,
    pub organisation: String,
    pub purpose: String,
    pub basis: String,
    pub until: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "case_file.html")]
struct FilePage<'a> {
    page: &'a Page,
    id: String,
    reference: String,
    stage: String,
    owner: bool,
    lead_organisation: Option<String>,
    notes: Vec<NoteView>,
    documents: Vec<DocumentView>,
    tasks: Vec<TaskView>,
    levels: Vec<(String, String)>,
    shares: Vec<ShareView>,
    access_log: Vec<(String, String, String, String)>,
    organisations: Vec<(String, String)>,
    purposes: Vec<(String, String)>,
    form: &'a FileForm,
    errors: FieldErrors,
    /// A supporting organisation (not the authority) may ask for a negative
    /// decision to be reconsidered.
    can_request_reconsideration: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct FileForm {
    #[serde(default)]
    sensitivity: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    information: String,
}

fn level_label(page: &Page, level: Sensitivity) -> String {
    page.t(&format!("case-file-level-{}", level.key()))
}

async fn render_file(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: &FileForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let can = capability(user, ctx)?;
    let mut tx = super::begin(state, ctx, user).await?;
    let file = case_file::open(&mut tx, &can, &user.principal.roles, id).await?;
    let documents = case_file::documents(&mut tx, &can, &user.principal.roles, id).await?;
    let tasks = case_file::tasks(&mut tx, &can, id).await?;
    tx.commit().await?;
    let today = Date::of(state.clock.now());
    let page = Page::new(state, ctx);
    let organisations = if file.owner {
        organisations::list_all(&state.store)
            .await?
            .into_iter()
            .filter(|o| o.active && o.id != user.principal.organisation_id)
            .map(|o| (o.id.to_string(), o.name))
            .collect()
    } else {
        vec![]
    };
    render(&FilePage {
        id: id.to_string(),
        reference: file.case.reference.clone(),
        stage: stage_label(&page, file.case.case.status),
        owner: file.owner,
        lead_organisation: file.lead_organisation.clone(),
        notes: file
            .notes
            .iter()
            .map(|n| NoteView {
                at: format_time(n.at.0),
                author: n.author.clone().unwrap_or_default(),
                level: n.sensitivity.key(),
                level_label: level_label(&page, n.sensitivity),
                body: n.body.clone(),
            })
            .collect(),
        documents: documents
            .iter()
            .map(|d| DocumentView {
                id: d.id.clone(),
                name: d.file_name.clone(),
                kind: d.kind.key().to_uppercase(),
                size: format!("{:.1}", d.size_bytes as f64 / 1024.0),
                level_label: level_label(&page, d.sensitivity),
                at: format_time(d.at.0),
            })
            .collect(),
        tasks: tasks
            .iter()
            .map(|t| TaskView {
                id: t.id.clone(),
                title: t.title.clone(),
                due: t.due.to_string(),
                done: t.done,
                overdue: !t.done && t.due < today,
            })
            .collect(),
        levels: readable(&user.principal.roles)
            .into_iter()
            .map(|l| (l.key().to_owned(), level_label(&page, l)))
            .collect(),
        shares: file
            .shares
            .iter()
            .map(|s| ShareView {
                id: s.id.clone(),
                organisation: s.organisation.clone(),
                purpose: page.t(&format!("case-share-purpose-{}", s.purpose)),
                basis: page.t(&format!("case-share-basis-{}", s.basis)),
                until: format_time(s.expires_at.0),
                active: s.active,
            })
            .collect(),
        access_log: file
            .access_log
            .iter()
            .map(|a| {
                (
                    format_time(a.at.0),
                    a.user.clone().unwrap_or_default(),
                    a.organisation.clone().unwrap_or_default(),
                    a.action.clone(),
                )
            })
            .collect(),
        organisations,
        purposes: PURPOSES
            .iter()
            .map(|p| ((*p).to_owned(), page.t(&format!("case-share-purpose-{p}"))))
            .collect(),
        form,
        errors,
        can_request_reconsideration: !file.owner
            && relais_domain::case_status::target(
                file.case.case.status,
                relais_domain::case_status::Event::RequestReconsideration,
            )
            .is_ok(),
        page: &page,
    })
}

/// POST /cases/{id}/file/reconsideration
pub async fn request_reconsideration(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let page = Page::new(&state, &ctx);
    let information = form.information.trim();
    let mut errors = FieldErrors::default();
    if information.is_empty() {
        errors.add("information", page.t("referral-problem-required"));
    } else if information.chars().count() > MAX_TEXT {
        errors.add(
            "information",
            page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()),
        );
    }
    if !errors.is_empty() {
        let body = render_file(&state, &ctx, &user, &id, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::request_reconsideration(&mut tx, &can, &id, information).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// GET /cases/{id}/file
pub async fn file(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    render_file(&state, &ctx, &user, &id, &FileForm::default(), FieldErrors::default()).await
}

/// POST /cases/{id}/file/notes
pub async fn add_note(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let level = Sensitivity::parse(&form.sensitivity);
    if level.is_none() {
        errors.add("sensitivity", page.t("referral-problem-choose"));
    }
    if form.body.trim().is_empty() {
        errors.add("body", page.t("referral-problem-required"));
    } else if form.body.chars().count() > MAX_TEXT {
        errors.add("body", page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()));
    }
    let Some(level) = level.filter(|_| errors.is_empty()) else {
        let body = render_file(&state, &ctx, &user, &id, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::add_note(&mut tx, &can, &user.principal.roles, &id, level, form.body.trim()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// POST /cases/{id}/file/tasks
pub async fn add_task(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() {
        errors.add("title", page.t("referral-problem-required"));
    } else if title.chars().count() > relais_domain::referral::steps::MAX_SHORT {
        let max = relais_domain::referral::steps::MAX_SHORT.to_string();
        errors.add("title", page.tr.t1("field-too-long", "max", &max));
    }
    let due = Date::parse(&form.due);
    if due.is_none() {
        errors.add("due", page.t("referral-problem-date-format"));
    }
    let Some(due) = due.filter(|_| errors.is_empty()) else {
        let body = render_file(&state, &ctx, &user, &id, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::add_task(&mut tx, &can, &id, title, due).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// POST /cases/{id}/file/tasks/{task}/done
pub async fn task_done(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, task)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::complete_task(&mut tx, &can, &id, &task).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// POST /cases/{id}/file/shares
pub async fn share(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = owner_capability(&user, &ctx)?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let organisation = OrganisationId::parse(&form.organisation_id);
    if organisation.is_none() {
        errors.add("organisation_id", page.t("referral-problem-choose"));
    }
    if !PURPOSES.contains(&form.purpose.as_str()) {
        errors.add("purpose", page.t("referral-problem-choose"));
    }
    let basis = match sharing::justify(&form.basis, &form.override_reason) {
        Ok(basis) => Some(basis),
        Err(problem) => {
            errors.add(problem.field(), page.t(problem.key()));
            None
        }
    };
    let days: i64 = match form.days.as_str() {
        "7" => 7,
        "90" => 90,
        _ => 30,
    };
    let (Some(organisation), Some(basis)) = (organisation.filter(|_| errors.is_empty()), basis) else {
        let body = render_file(&state, &ctx, &user, &id, &form, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let expires = state.clock.now().plus_seconds(days * 86_400);
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::share(&mut tx, &can, &id, &organisation, &form.purpose, &basis, expires).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// POST /cases/{id}/file/shares/{share}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, share)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = owner_capability(&user, &ctx)?;
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::revoke(&mut tx, &can, &id, &share).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// POST /cases/{id}/file/documents (multipart): one file, checked by its content.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let page = Page::new(&state, &ctx);
    let mut level = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        match field.name() {
            Some("sensitivity") => level = Sensitivity::parse(&field.text().await.unwrap_or_default()),
            Some("document") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let mut errors = FieldErrors::default();
    if level.is_none() {
        errors.add("document_sensitivity", page.t("referral-problem-choose"));
    }
    let kind = match file.as_ref().map(|(_, bytes)| document::accept(bytes)) {
        Some(Ok(kind)) => Some(kind),
        Some(Err(Refusal::TooLarge)) => {
            errors.add("document", page.t("case-document-too-large"));
            None
        }
        Some(Err(Refusal::UnsupportedType)) => {
            errors.add("document", page.t("case-document-type"));
            None
        }
        Some(Err(Refusal::Empty)) | None => {
            errors.add("document", page.t("case-document-required"));
            None
        }
    };
    let (Some(level), Some(kind), Some((name, bytes))) = (level, kind, file.as_ref()) else {
        let body = render_file(&state, &ctx, &user, &id, &FileForm::default(), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = super::begin(&state, &ctx, &user).await?;
    case_file::add_document(&mut tx, &can, &user.principal.roles, &id, level, name, kind, bytes).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file")).into_response())
}

/// GET /cases/{id}/file/documents/{document}: the file, as an attachment; audited.
pub async fn download(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability(&user, &ctx)?;
    let mut tx = super::begin(&state, &ctx, &user).await?;
    let (name, kind, bytes) = case_file::download(&mut tx, &can, &user.principal.roles, &id, &document).await?;
    tx.commit().await?;
    let disposition = format!("attachment; filename=\"{}\"", document::download_name(&name, kind));
    Ok((
        [
            (CONTENT_TYPE, kind.content_type().to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "shared_cases.html")]
struct SharedPage<'a> {
    page: &'a Page,
    rows: Vec<(String, String, String, String)>,
}

/// GET /shared-cases: the cases shared with the user's organisation.
pub async fn shared(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let can = capability(&user, &ctx)?;
    let mut tx = super::begin(&state, &ctx, &user).await?;
    let found = case_file::shared_with_me(&mut tx, &can).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let rows = found
        .into_iter()
        .map(|(id, reference, purpose, until)| {
            (
                id.to_string(),
                reference,
                page.t(&format!("case-share-purpose-{purpose}")),
                format_time(until.0),
            )
        })
        .collect();
    render(&SharedPage { rows, page: &page })
}
