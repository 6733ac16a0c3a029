//! The case file page (issue 4, parts 4–5): notes by sensitivity, the
//! owner's shares and access log, and the list of cases shared with one's
//! organisation.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::audit_words::{LineView, line_view};
use crate::casework::header::{self, CaseHeader, Tab};
use crate::casework::view::{open_case, open_to_change, parse_id, purpose_label, shared_for, stage_label};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::ViewCaseFile;
use relais_domain::access::authz::{CaseAccess, IdentifyVictims};
use relais_domain::casework::case_access::{CaseArea, Mode, SharePurpose};
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::document::{self, Refusal};
use relais_domain::casework::sharing::{self, ShareDuration};
use relais_domain::ids::{CaseId, OrganisationId};
use relais_domain::intake::referral::steps::MAX_TEXT;
use relais_domain::time::{Date, Zone};
use relais_store::access::organisations;
use relais_store::casework::case_file;

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
#[template(path = "casework/case_file.html")]
struct FilePage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    access: &'a CaseAccess,
    shared_for: Option<String>,
    id: String,
    reference: String,
    stage: String,
    lead_organisation: Option<String>,
    notes: Vec<NoteView>,
    documents: Vec<DocumentView>,
    tasks: Vec<TaskView>,
    levels: Vec<(String, String)>,
    shares: Vec<ShareView>,
    access_log: Vec<LineView>,
    organisations: Vec<(String, String)>,
    purposes: Vec<(String, String)>,
    /// (days, selected): the posted duration, or a month.
    durations: Vec<(&'static str, bool)>,
    form: &'a FileForm,
    errors: FieldErrors,
    /// The lead organisation or a share whose purpose allows it (not the
    /// authority) may ask for a negative decision to be reconsidered.
    can_request_reconsideration: bool,
}

impl FilePage<'_> {
    fn may(&self, area: CaseArea, mode: Mode) -> bool {
        self.access.may(area, mode)
    }
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
    notice: Option<String>,
) -> Result<Response, AppError> {
    let (mut tx, access) = open_case(state, ctx, user, id).await?;
    let page = Page::new(state, ctx);
    let file = case_file::open(&mut tx, &access).await?;
    // Read after the page's own read, which stays the main act of its audit line.
    let header = header::read(&mut tx, state, &page, user, &access, Tab::File, notice).await?;
    let documents = if access.may(CaseArea::Documents, Mode::Read) {
        case_file::documents(&mut tx, &access).await?
    } else {
        vec![]
    };
    let tasks = if access.may(CaseArea::Tasks, Mode::Read) {
        case_file::tasks(&mut tx, &access).await?
    } else {
        vec![]
    };
    tx.commit().await?;
    // Tasks fall due on the local days of the case's département.
    let today = Date::local(state.clock.now(), &Zone::of_code(file.case.departement.as_deref()));
    let organisations = if access.may(CaseArea::Sharing, Mode::Write) {
        organisations::list_all(&state.store)
            .await?
            .into_iter()
            .filter(|o| o.active && &o.id != user.principal.organisation_id())
            .map(|o| (o.id.to_string(), o.name))
            .collect()
    } else {
        vec![]
    };
    render(&FilePage {
        header: Some(header),
        shared_for: shared_for(&page, &access),
        id: id.to_string(),
        reference: file.case.reference.clone(),
        stage: stage_label(&page, file.case.case.status),
        lead_organisation: file.lead_organisation.clone(),
        notes: file
            .notes
            .iter()
            .map(|n| NoteView {
                at: page.when(n.at.0),
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
                size: page.decimal(d.size_bytes as f64 / 1024.0, 1),
                level_label: level_label(&page, d.sensitivity),
                at: page.when(d.at.0),
            })
            .collect(),
        tasks: tasks
            .iter()
            .map(|t| TaskView {
                id: t.id.clone(),
                title: t.title.clone(),
                due: page.day(t.due),
                done: t.done,
                overdue: !t.done && t.due < today,
            })
            .collect(),
        levels: access
            .levels()
            .into_iter()
            .map(|l| (l.key().to_owned(), level_label(&page, l)))
            .collect(),
        shares: file
            .shares
            .iter()
            .map(|s| ShareView {
                id: s.id.clone(),
                organisation: s.organisation.clone(),
                purpose: purpose_label(&page, s.purpose),
                basis: page.t(&format!("case-share-basis-{}", s.basis)),
                until: page.when(s.expires_at.0),
                active: s.active,
            })
            .collect(),
        access_log: file.access_log.iter().filter_map(|l| line_view(&page, l)).collect(),
        organisations,
        purposes: SharePurpose::ALL
            .iter()
            .map(|p| (p.as_str().to_owned(), purpose_label(&page, *p)))
            .collect(),
        durations: {
            let chosen = ShareDuration::posted(&form.days).unwrap_or_default();
            ShareDuration::ALL.into_iter().map(|d| (d.key(), d == chosen)).collect()
        },
        form,
        errors,
        can_request_reconsideration: access.may(CaseArea::Reconsideration, Mode::Write)
            && relais_domain::casework::case_status::target(
                file.case.case.status,
                relais_domain::casework::case_status::Event::RequestReconsideration,
            )
            .is_ok(),
        access: &access,
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
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Reconsideration).await?;
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
        drop(tx);
        let body = render_file(&state, &ctx, &user, &id, &form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    case_file::request_reconsideration(&mut tx, &access, information).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=reconsideration-requested")).into_response())
}

/// GET /cases/{id}/file
pub async fn file(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let notice = done.notice(&Page::new(&state, &ctx));
    render_file(
        &state,
        &ctx,
        &user,
        &id,
        &FileForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await
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
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Notes).await?;
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
        drop(tx);
        let body = render_file(&state, &ctx, &user, &id, &form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    case_file::add_note(&mut tx, &access, level, form.body.trim()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-note-added")).into_response())
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
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Tasks).await?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() {
        errors.add("title", page.t("referral-problem-required"));
    } else if title.chars().count() > relais_domain::intake::referral::steps::MAX_SHORT {
        let max = relais_domain::intake::referral::steps::MAX_SHORT.to_string();
        errors.add("title", page.tr.t1("field-too-long", "max", &max));
    }
    let due = Date::parse(&form.due);
    if due.is_none() {
        errors.add("due", page.t("referral-problem-date-format"));
    }
    let Some(due) = due.filter(|_| errors.is_empty()) else {
        drop(tx);
        let body = render_file(&state, &ctx, &user, &id, &form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    case_file::add_task(&mut tx, &access, title, due).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-task-added")).into_response())
}

/// POST /cases/{id}/file/tasks/{task}/done
pub async fn task_done(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, task)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Tasks).await?;
    case_file::complete_task(&mut tx, &access, &task).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-task-done")).into_response())
}

/// POST /cases/{id}/file/shares
pub async fn share(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
    Form(form): Form<FileForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let organisation = OrganisationId::parse(&form.organisation_id);
    if organisation.is_none() {
        errors.add("organisation_id", page.t("referral-problem-choose"));
    }
    let purpose = SharePurpose::parse(&form.purpose);
    if purpose.is_none() {
        errors.add("purpose", page.t("referral-problem-choose"));
    }
    let basis = match sharing::justify(&form.basis, &form.override_reason) {
        Ok(basis) => Some(basis),
        Err(problem) => {
            errors.add(problem.field(), page.t(problem.key()));
            None
        }
    };
    let duration = ShareDuration::posted(&form.days);
    if duration.is_none() {
        errors.add("days", page.t("referral-problem-choose"));
    }
    let (Some(organisation), Some(purpose), Some(basis), Some(duration)) =
        (organisation.filter(|_| errors.is_empty()), purpose, basis, duration)
    else {
        let body = render_file(&state, &ctx, &user, &id, &form, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    case_file::share(&mut tx, &can, &id, &organisation, purpose, &basis, duration).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-share-given")).into_response())
}

/// POST /cases/{id}/file/shares/{share}/revoke
pub async fn revoke(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, share)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let can = capability::<IdentifyVictims>(&user, &ctx.path)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    case_file::revoke(&mut tx, &can, &id, &share).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-share-revoked")).into_response())
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
    // Refused before the upload is read; the transaction (which holds the
    // write lock) is not kept open while the file arrives.
    drop(open_to_change(&state, &ctx, &user, &id, CaseArea::Documents).await?);
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
        let body = render_file(&state, &ctx, &user, &id, &FileForm::default(), errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Documents).await?;
    case_file::add_document(&mut tx, &access, level, name, kind, bytes).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/file?done=case-document-uploaded")).into_response())
}

/// GET /cases/{id}/file/documents/{document}: the file, as an attachment; audited.
pub async fn download(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_case(&state, &ctx, &user, &id).await?;
    let (name, kind, bytes) = case_file::download(&mut tx, &access, &document).await?;
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
#[template(path = "casework/shared_cases.html")]
struct SharedPage<'a> {
    page: &'a Page,
    rows: Vec<(String, String, String, String)>,
}

/// GET /shared-cases: the cases shared with the user's organisation.
pub async fn shared(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewCaseFile>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = case_file::shared_with_me(&mut tx, &can).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let rows = found
        .into_iter()
        .map(|(id, reference, purpose, until)| {
            (
                id.to_string(),
                reference,
                purpose_label(&page, purpose),
                page.when(until.0),
            )
        })
        .collect();
    render(&SharedPage { rows, page: &page })
}
