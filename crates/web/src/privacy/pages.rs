//! Data protection (*protection des données*, issue 11 part 2): the hub,
//! a case's legal holds and rights requests, the four-eyes confirmation of
//! erasure and subject-access requests, the subject-access export (page
//! and JSON), and the data-protection officer's pages: emergency accesses
//! to review, the retention report and the records of processing.

use crate::AppState;
use crate::access::authorized::{Authorized, capability, holds, optional};
use crate::casework::view::stage_label;
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::page::{Page, render};
use crate::privacy::view::{notice, period, reason_problem, schedule};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{
    ConfirmDataRights, EmergencyAccess, RequestDataRights, ViewCaseFile, ViewDataProtection,
};
use relais_domain::ids::CaseId;
use relais_domain::jobs::RetryPolicy;
use relais_domain::privacy::register::{self, Kept};
use relais_domain::privacy::retention::RecordKind;
use relais_domain::privacy::{Reason, RequestKind, RequestStatus, ReviewFinding};
use relais_domain::time::Date;
use relais_store::jobs::{self, Claimed};
use relais_store::privacy::subject_access::SubjectAccess;
use relais_store::privacy::{self as rights, Request};
use relais_store::{Actor, privacy::emergency, privacy::retention};
use serde::Deserialize;

fn case_id(raw: &str) -> Result<CaseId, AppError> {
    CaseId::parse(raw).ok_or(AppError::NotFound)
}

/// A request id: 32 lowercase hexadecimal characters, like every id.
fn request_id(raw: &str) -> Result<&str, AppError> {
    (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then_some(raw)
        .ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------- hub

#[derive(Template)]
#[template(path = "privacy/hub.html")]
struct HubPage<'a> {
    page: &'a Page,
    reference: String,
    errors: FieldErrors,
    dpo: bool,
    emergency: bool,
    case_worker: bool,
}

#[derive(Deserialize, Default)]
pub struct LookupForm {
    #[serde(default)]
    reference: String,
}

fn hub_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    reference: &str,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    render(&HubPage {
        page: &page,
        reference: reference.to_owned(),
        errors,
        dpo: holds::<ViewDataProtection>(user),
        emergency: holds::<EmergencyAccess>(user),
        case_worker: holds::<ViewCaseFile>(user),
    })
}

/// GET /privacy
pub async fn hub(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<RequestDataRights>,
) -> Result<Response, AppError> {
    hub_page(&state, &ctx, &user, "", FieldErrors::default())
}

/// POST /privacy/lookup: from a case reference to its data-protection page.
pub async fn lookup(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<RequestDataRights>,
    Form(form): Form<LookupForm>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rights::find_case(&mut tx, &cap, &form.reference).await {
        Ok(id) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/privacy/cases/{id}")).into_response())
        }
        Err(relais_store::StoreError::NotFound) => {
            let mut errors = FieldErrors::default();
            let key = if form.reference.trim().is_empty() {
                "privacy-reference-missing"
            } else {
                "privacy-reference-unknown"
            };
            errors.add("reference", page.t(key));
            let body = hub_page(&state, &ctx, &user, &form.reference, errors)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------- a case

pub struct HoldView {
    pub reason: String,
    pub placed: String,
    pub lifted: Option<String>,
}

pub struct RequestRow {
    pub id: String,
    pub kind: String,
    /// The badge's DSFR colour class.
    pub status_tone: &'static str,
    pub status_label: String,
    pub reference: String,
    pub requested: String,
    pub decided: Option<String>,
}

fn request_row(page: &Page, r: &Request) -> RequestRow {
    RequestRow {
        id: r.id.clone(),
        kind: page.t(&format!("privacy-request-kind-{}", r.kind.key())),
        status_tone: crate::badge::request(r.status),
        status_label: page.t(&format!("privacy-request-status-{}", r.status.key())),
        reference: r.reference.clone(),
        requested: page.tr.tn(
            "privacy-by-on",
            &[("name", r.requested_by.clone()), ("date", page.when(r.requested_at.0))],
        ),
        decided: r.decided_at.map(|at| {
            page.tr.tn(
                "privacy-by-on",
                &[
                    ("name", r.decided_by.clone().unwrap_or_default()),
                    ("date", page.when(at.0)),
                ],
            )
        }),
    }
}

#[derive(Template)]
#[template(path = "privacy/case.html")]
struct CasePage<'a> {
    page: &'a Page,
    id: String,
    reference: String,
    stage: String,
    closed: Option<String>,
    erasure_due: Option<String>,
    holds: Vec<HoldView>,
    held: bool,
    requests: Vec<RequestRow>,
    kinds: Vec<(&'static str, String)>,
    form: &'a CaseForm,
    errors: FieldErrors,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CaseForm {
    #[serde(default)]
    hold_reason: String,
    #[serde(default)]
    lift_reason: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    request_reason: String,
}

async fn render_case(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: &CaseForm,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let cap = capability::<RequestDataRights>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let found = rights::case_protection(&mut tx, &cap, id).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let policy = &state.settings.retention;
    let erasure_due = found.closed_at.map(|closed| {
        let months = policy.months(RecordKind::ClosedCase);
        let due = relais_domain::privacy::retention::months_after(closed, months);
        page.tr.tn(
            "privacy-case-erasure-due",
            &[("months", months.to_string()), ("date", page.when(due.0))],
        )
    });
    let held = found.holds.iter().any(|h| h.lifted.is_none());
    render(&CasePage {
        id: id.to_string(),
        reference: found.case.reference.clone(),
        stage: stage_label(&page, found.case.case.status),
        closed: found.closed_at.map(|at| page.when(at.0)),
        erasure_due,
        held,
        holds: found
            .holds
            .iter()
            .map(|h| HoldView {
                reason: h.reason.clone(),
                placed: page.tr.tn(
                    "privacy-by-on",
                    &[("name", h.placed_by.clone()), ("date", page.when(h.placed_at.0))],
                ),
                lifted: h.lifted.as_ref().map(|(by, at, reason)| {
                    page.tr.tn(
                        "privacy-hold-lifted-by",
                        &[
                            ("name", by.clone()),
                            ("date", page.when(at.0)),
                            ("reason", reason.clone()),
                        ],
                    )
                }),
            })
            .collect(),
        requests: found.requests.iter().map(|r| request_row(&page, r)).collect(),
        kinds: RequestKind::ALL
            .into_iter()
            .map(|k| (k.key(), page.t(&format!("privacy-request-kind-{}", k.key()))))
            .collect(),
        form,
        errors,
        notice,
        page: &page,
    })
}

/// GET /privacy/cases/{id}
pub async fn case(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = case_id(&id)?;
    let page = Page::new(&state, &ctx);
    render_case(
        &state,
        &ctx,
        &user,
        &id,
        &CaseForm::default(),
        FieldErrors::default(),
        notice(&page, &done),
    )
    .await
}

async fn refused(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: &CaseForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let body = render_case(state, ctx, user, id, form, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

/// POST /privacy/cases/{id}/hold
pub async fn place_hold(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    change_hold(&state, &ctx, &user, &id, &form, HoldChange::Place).await
}

/// POST /privacy/cases/{id}/hold/lift
pub async fn lift_hold(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    change_hold(&state, &ctx, &user, &id, &form, HoldChange::Lift).await
}

#[derive(Clone, Copy)]
enum HoldChange {
    Place,
    Lift,
}

/// Placing and lifting a legal hold take the same reason, each from its own field.
async fn change_hold(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    form: &CaseForm,
    change: HoldChange,
) -> Result<Response, AppError> {
    let id = case_id(id)?;
    let cap = capability::<RequestDataRights>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let (field, raw, done) = match change {
        HoldChange::Place => ("hold_reason", &form.hold_reason, "hold-placed"),
        HoldChange::Lift => ("lift_reason", &form.lift_reason, "hold-lifted"),
    };
    let reason = match Reason::parse(raw) {
        Ok(reason) => reason,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add(field, reason_problem(&page, e));
            return refused(state, ctx, user, &id, form, errors).await;
        }
    };
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    match change {
        HoldChange::Place => rights::place_hold(&mut tx, &cap, &id, &reason).await?,
        HoldChange::Lift => rights::lift_hold(&mut tx, &cap, &id, &reason).await?,
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/privacy/cases/{id}?done={done}")).into_response())
}

/// POST /privacy/cases/{id}/requests
pub async fn file_request(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<RequestDataRights>,
    Path(id): Path<String>,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    let id = case_id(&id)?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let kind = RequestKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", page.t("privacy-request-kind-missing"));
    }
    let reason = Reason::parse(&form.request_reason)
        .map_err(|e| errors.add("request_reason", reason_problem(&page, e)))
        .ok();
    let (Some(kind), Some(reason)) = (kind, reason) else {
        return refused(&state, &ctx, &user, &id, &form, errors).await;
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rights::file_request(&mut tx, &cap, &id, kind, &reason).await {
        Ok(request) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/privacy/requests/{request}?done=request-filed")).into_response())
        }
        Err(relais_store::StoreError::Conflict(what)) => {
            drop(tx);
            let key = if what.contains("hold") {
                "privacy-request-held"
            } else {
                "privacy-request-already-waiting"
            };
            errors.add("kind", page.t(key));
            refused(&state, &ctx, &user, &id, &form, errors).await
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------- requests

#[derive(Template)]
#[template(path = "privacy/requests.html")]
struct RequestsPage<'a> {
    page: &'a Page,
    requests: Vec<RequestRow>,
}

/// GET /privacy/requests
pub async fn requests(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<RequestDataRights>,
) -> Result<Response, AppError> {
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = rights::requests(&mut tx, &cap).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    render(&RequestsPage {
        requests: found.iter().map(|r| request_row(&page, r)).collect(),
        page: &page,
    })
}

#[derive(Template)]
#[template(path = "privacy/request.html")]
struct RequestPage<'a> {
    page: &'a Page,
    row: RequestRow,
    erasure: bool,
    pending: bool,
    case_id: Option<String>,
    reason: String,
    decision_reason: Option<String>,
    erased_rows: Option<i64>,
    /// The requester cannot decide their own request.
    mine: bool,
    may_decide: bool,
    /// For an erasure waiting for confirmation: what would go, by table.
    preview: Vec<(String, u64)>,
    preview_total: u64,
    export_available: bool,
    refuse_reason: String,
    errors: FieldErrors,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RefuseForm {
    #[serde(default)]
    refuse_reason: String,
}

async fn render_request(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
    refuse_reason: &str,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let cap = capability::<RequestDataRights>(user, &ctx.path)?;
    let confirm = optional::<ConfirmDataRights>(user);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let request = rights::open_request(&mut tx, &cap, id).await?;
    let mine = request.requested_by_id == user.principal.user_id().as_str();
    let pending = request.status == RequestStatus::Pending;
    let may_decide = pending && !mine && confirm.is_some();
    let preview = match (&confirm, may_decide && request.kind == RequestKind::Erasure) {
        (Some(confirm), true) => Some(rights::erasure_preview(&mut tx, confirm, id).await?),
        _ => None,
    };
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let handled = mine || request.decided_by_id.as_deref() == Some(user.principal.user_id().as_str());
    render(&RequestPage {
        row: request_row(&page, &request),
        erasure: request.kind == RequestKind::Erasure,
        pending,
        case_id: request.case_id.as_ref().map(ToString::to_string),
        reason: request.reason.clone().unwrap_or_default(),
        decision_reason: request.decision_reason.clone(),
        erased_rows: request.erased_rows,
        mine,
        may_decide,
        preview_total: preview
            .as_ref()
            .map_or(0, relais_store::privacy::erasure::Erased::total),
        preview: preview
            .iter()
            .flat_map(|p| p.by_table())
            .map(|(table, n)| (page.t(&table_key(table)), n))
            .collect(),
        export_available: handled
            && request.kind == RequestKind::Access
            && request.status == RequestStatus::Done
            && request.case_id.is_some(),
        refuse_reason: refuse_reason.to_owned(),
        errors,
        notice,
        page: &page,
    })
}

/// GET /privacy/requests/{id}
pub async fn request(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let page = Page::new(&state, &ctx);
    render_request(
        &state,
        &ctx,
        &user,
        id,
        "",
        FieldErrors::default(),
        notice(&page, &done),
    )
    .await
}

/// POST /privacy/requests/{id}/confirm: the second person's confirmation.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<ConfirmDataRights>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let kind = rights::confirm(&mut tx, &cap, id).await?;
    tx.commit().await?;
    let done = match kind {
        RequestKind::Erasure => "request-erased",
        RequestKind::Access => "request-confirmed",
    };
    Ok(Redirect::to(&format!("/privacy/requests/{id}?done={done}")).into_response())
}

/// POST /privacy/requests/{id}/refuse
pub async fn refuse(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<ConfirmDataRights>,
    Path(id): Path<String>,
    Form(form): Form<RefuseForm>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let page = Page::new(&state, &ctx);
    let reason = match Reason::parse(&form.refuse_reason) {
        Ok(reason) => reason,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("refuse_reason", reason_problem(&page, e));
            let body = render_request(&state, &ctx, &user, id, &form.refuse_reason, errors, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    rights::refuse(&mut tx, &cap, id, &reason).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/privacy/requests/{id}?done=request-refused")).into_response())
}

// ---------------------------------------------------------------- export

/// A labelled value of an exported record, for the printable page.
pub struct Field {
    pub label: String,
    pub value: String,
    /// No question of the form names it: the value is shown exactly as stored.
    pub as_stored: bool,
}

/// An exported JSON value as one line of text (keys as written in the record).
fn line(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(line)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k, line(v)))
            .filter(|(_, v)| !v.is_empty() && v != "false")
            .map(|(k, v)| format!("{k} : {v}"))
            .collect::<Vec<_>>()
            .join(" ; "),
        other => other.to_string(),
    }
}

/// Flattens an exported JSON record into labelled lines, empty answers left
/// out: a field the referral form names gets the form's question, a day reads in words.
fn fields(page: &Page, value: &serde_json::Value) -> Vec<Field> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let id = format!("triage-field-{}", k.replace('_', "-"));
                let label = page.t(&id);
                let value = line(v);
                Field {
                    // A field the form does not name is shown as stored, marked as such.
                    as_stored: label == id,
                    label: if label == id { k.replace('_', " ") } else { label },
                    value: Date::parse(&value).map_or(value, |d| page.day(d)),
                }
            })
            .filter(|f| !f.value.is_empty() && f.value != "false")
            .collect(),
        other => vec![Field {
            as_stored: true,
            label: String::new(),
            value: line(other),
        }],
    }
}

#[derive(Template)]
#[template(path = "privacy/export.html")]
struct ExportPage<'a> {
    page: &'a Page,
    id: String,
    generated: String,
    export: &'a SubjectAccess,
    people: Vec<Vec<Field>>,
    answers: Vec<Vec<Field>>,
}

impl ExportPage<'_> {
    fn time(&self, at: &i64) -> String {
        self.page.when(*at)
    }

    /// An act of the access log in words.
    fn act(&self, code: &str) -> String {
        crate::audit_words::action(&self.page.tr, code)
    }

    fn time_opt(&self, at: &Option<i64>) -> String {
        at.map(|at| self.page.when(at)).unwrap_or_default()
    }

    /// The person's record of the case at `index`, as labelled lines.
    fn person(&self, index: &usize) -> &[Field] {
        self.people.get(*index).map_or(&[], Vec::as_slice)
    }

    /// The answers of the referral at `index`, as labelled lines.
    fn answers(&self, index: &usize) -> &[Field] {
        self.answers.get(*index).map_or(&[], Vec::as_slice)
    }

    fn line(&self, value: &serde_json::Value) -> String {
        line(value)
    }

    fn withheld(&self, reason: &Option<&'static str>) -> String {
        reason.map_or_else(String::new, |r| self.page.t(&format!("privacy-withheld-{r}")))
    }

    fn level(&self, level: &str) -> String {
        self.page.t(&format!("case-file-level-{level}"))
    }
}

async fn load_export(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &str,
) -> Result<SubjectAccess, AppError> {
    let cap = capability::<RequestDataRights>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (_, export) = rights::export(&mut tx, &cap, id).await?;
    tx.commit().await?;
    Ok(export)
}

/// GET /privacy/requests/{id}/export: the printable page.
pub async fn export_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let export = load_export(&state, &ctx, &user, id).await?;
    let page = Page::new(&state, &ctx);
    render(&ExportPage {
        id: id.to_owned(),
        generated: page.when(export.generated_at),
        people: export
            .cases
            .iter()
            .map(|c| c.person.as_ref().map(|p| fields(&page, p)).unwrap_or_default())
            .collect(),
        answers: export.referrals.iter().map(|r| fields(&page, &r.answers)).collect(),
        export: &export,
        page: &page,
    })
}

/// GET /privacy/requests/{id}/export/json: the same export, machine-readable.
pub async fn export_json(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let export = load_export(&state, &ctx, &user, id).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"relais-acces-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

// ---------------------------------------------------------------- the DPO's pages

pub struct AccessView {
    pub id: String,
    pub reference: String,
    pub who: String,
    pub when: String,
    pub until: String,
    pub reason: String,
    pub review: Option<String>,
    pub not_justified: bool,
}

#[derive(Template)]
#[template(path = "privacy/break_glass.html")]
struct BreakGlassPage<'a> {
    page: &'a Page,
    waiting: Vec<AccessView>,
    reviewed: Vec<AccessView>,
    findings: Vec<(&'static str, String)>,
    errors: FieldErrors,
    /// The access whose review form was sent without a finding, and the message.
    failed: String,
    failed_message: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    finding: String,
    #[serde(default)]
    note: String,
}

async fn render_break_glass(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    failed: &str,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let cap = capability::<ViewDataProtection>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let found = emergency::accesses(&mut tx, &cap).await?;
    tx.commit().await?;
    let page = Page::new(state, ctx);
    let view = |a: &emergency::Access| AccessView {
        id: a.id.clone(),
        reference: a.reference.clone(),
        who: format!("{} — {}", a.user, a.organisation),
        when: page.when(a.granted_at.0),
        until: page.when(a.expires_at.0),
        reason: a.reason.clone(),
        review: a.review.as_ref().map(|(by, at, finding, note)| {
            page.tr.tn(
                "privacy-break-glass-reviewed-by",
                &[
                    ("finding", page.t(&format!("privacy-finding-{}", finding.key()))),
                    ("name", by.clone()),
                    ("date", page.when(at.0)),
                    ("note", note.clone()),
                ],
            )
        }),
        not_justified: a
            .review
            .as_ref()
            .is_some_and(|(_, _, f, _)| *f == ReviewFinding::NotJustified),
    };
    render(&BreakGlassPage {
        waiting: found.iter().filter(|a| a.review.is_none()).map(view).collect(),
        reviewed: found.iter().filter(|a| a.review.is_some()).map(view).collect(),
        findings: ReviewFinding::ALL
            .into_iter()
            .map(|f| (f.key(), page.t(&format!("privacy-finding-{}", f.key()))))
            .collect(),
        failed_message: errors.all().first().map(|e| e.message.clone()),
        errors,
        failed: failed.to_owned(),
        notice,
        page: &page,
    })
}

/// GET /privacy/break-glass: every emergency access, those to review first.
pub async fn break_glass(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render_break_glass(&state, &ctx, &user, "", FieldErrors::default(), notice(&page, &done)).await
}

/// POST /privacy/break-glass/{id}/review
pub async fn review(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: cap, user }: Authorized<ViewDataProtection>,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let id = request_id(&id)?;
    let page = Page::new(&state, &ctx);
    let Some(finding) = ReviewFinding::parse(&form.finding) else {
        let mut errors = FieldErrors::default();
        errors.add(format!("finding-{id}"), page.t("privacy-finding-missing"));
        let body = render_break_glass(&state, &ctx, &user, id, errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    emergency::review(&mut tx, &cap, id, finding, &form.note).await?;
    tx.commit().await?;
    Ok(Redirect::to("/privacy/break-glass?done=break-glass-reviewed").into_response())
}

pub struct RetentionRow {
    pub label: String,
    pub period: String,
    pub due: u64,
}

#[derive(Template)]
#[template(path = "privacy/retention.html")]
struct RetentionPage<'a> {
    page: &'a Page,
    rows: Vec<RetentionRow>,
    held: u64,
    total: u64,
    last_run: Option<(String, Vec<(String, String)>)>,
    notice: Option<String>,
    confirm: bool,
}

async fn render_retention(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    confirm: bool,
    notice: Option<String>,
) -> Result<Response, AppError> {
    capability::<ViewDataProtection>(user, &ctx.path)?;
    let actor = Actor::user(
        user.principal.user_id().clone(),
        user.principal.organisation_id().clone(),
    );
    let policy = state.settings.retention;
    let report = retention::dry_run(&state.store, actor, &ctx.request_id, &policy, state.clock.now()).await?;
    let last = retention::last_run(&state.store).await?;
    let page = Page::new(state, ctx);
    let rows: Vec<RetentionRow> = RecordKind::ALL
        .into_iter()
        .zip(schedule(&page, &policy))
        .map(|(kind, (label, period))| RetentionRow {
            label,
            period,
            due: report.records(kind),
        })
        .collect();
    let last_run = last.map(|(at, outcome)| {
        let counts = outcome
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .filter_map(|(key, n)| {
                RecordKind::parse(key).map(|k| (page.t(&format!("privacy-kind-{}", k.key())), n.to_owned()))
            })
            .collect();
        (page.when(at.0), counts)
    });
    render(&RetentionPage {
        total: rows.iter().map(|r| r.due).sum(),
        rows,
        held: report.held,
        last_run,
        notice,
        confirm,
        page: &page,
    })
}

/// GET /privacy/retention: the schedule, what is due now (a dry run), the last run.
pub async fn retention_report(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render_retention(&state, &ctx, &user, false, notice(&page, &done)).await
}

/// GET /privacy/retention/confirm: what will be erased, before erasing it.
pub async fn retention_confirm(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    render_retention(&state, &ctx, &user, true, None).await
}

/// POST /privacy/retention/run: erases what is due now, as the DPO.
pub async fn retention_run(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<ViewDataProtection>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let run_key = format!("manual-{}-{}", now.0, ctx.request_id);
    if let Claimed::Yes(claim) =
        jobs::claim(&state.store, retention::JOB, &run_key, now, &RetryPolicy::STANDARD).await?
    {
        let actor = Actor::user(
            user.principal.user_id().clone(),
            user.principal.organisation_id().clone(),
        );
        let report = retention::run(&state.store, actor, &ctx.request_id, &state.settings.retention, now).await?;
        jobs::finish(&state.store, &claim, state.clock.now(), &report.summary()).await?;
    }
    Ok(Redirect::to("/privacy/retention?done=retention-run").into_response())
}

pub struct ActivityView {
    pub key: &'static str,
    pub name: String,
    pub purpose: String,
    pub subjects: String,
    pub data: String,
    pub basis: String,
    pub special: bool,
    pub encrypted: bool,
    pub kept: String,
    pub readers: Vec<String>,
    pub tables: String,
}

#[derive(Template)]
#[template(path = "privacy/register.html")]
struct RegisterPage<'a> {
    page: &'a Page,
    activities: Vec<ActivityView>,
}

/// What the register says of each activity, in the order of its columns
/// (`register-<activity>-<part>`).
pub(crate) const REGISTER_PARTS: [&str; 4] = ["name", "purpose", "subjects", "data"];

/// GET /privacy/register: the records of processing, generated from the code.
pub async fn register_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ViewDataProtection>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let policy = state.settings.retention;
    let session = state.settings.session;
    let activities = register::REGISTER
        .iter()
        .map(|a| {
            let kept = match a.kept {
                Kept::Schedule(kinds) => kinds
                    .iter()
                    .map(|k| {
                        format!(
                            "{} : {}",
                            page.t(&format!("privacy-kind-{}", k.key())),
                            page.tr.tn(
                                &format!("privacy-kept-{}", k.key()),
                                &[("period", period(&page, policy.months(*k)))]
                            )
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                Kept::Sessions => page.tr.tn(
                    "privacy-kept-sessions",
                    &[
                        ("idle", (session.idle_seconds / 60).to_string()),
                        ("absolute", (session.absolute_seconds / 3600).to_string()),
                    ],
                ),
                Kept::WhileActive => page.t("privacy-kept-while-active"),
                Kept::UntilSent => page.t("privacy-kept-until-sent"),
                Kept::UntilRunEnds => page.t("privacy-kept-until-run-ends"),
                Kept::Reference => page.t("privacy-kept-reference"),
            };
            let [name, purpose, subjects, data] =
                REGISTER_PARTS.map(|part| page.t(&format!("register-{}-{part}", a.key)));
            ActivityView {
                key: a.key,
                name,
                purpose,
                subjects,
                data,
                basis: page.t(&format!("privacy-basis-{}", a.basis.key())),
                special: a.special_categories,
                encrypted: a.encrypted,
                kept,
                readers: a
                    .readers()
                    .into_iter()
                    .map(|(role, scope)| {
                        format!(
                            "{} ({})",
                            page.t(&format!("role-{}", role.key())),
                            page.t(&format!("privacy-reach-{}", scope.key()))
                        )
                    })
                    .collect(),
                tables: a.tables.join(", "),
            }
        })
        .collect();
    render(&RegisterPage {
        page: &page,
        activities,
    })
}

// ---------------------------------------------------------------- dashboard

/// The translation key of a table an erasure counts.
fn table_key(table: &str) -> String {
    format!("privacy-table-{}", table.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::table_key;
    use crate::i18n::{Locale, Translations};
    use relais_store::privacy::erasure::{CASE_RECORDS, CASE_TABLES, PERSON_TABLES, REFERRAL_TABLES};

    #[test]
    fn every_table_an_erasure_counts_has_a_label_in_both_languages() {
        let translations = Translations::load().unwrap();
        let tables = ["cases", "referrals", "persons"]
            .into_iter()
            .chain(CASE_TABLES)
            .chain(CASE_RECORDS)
            .chain(REFERRAL_TABLES)
            .chain(PERSON_TABLES);
        let mut missing = vec![];
        for table in tables {
            for locale in Locale::ALL {
                let key = table_key(table);
                if translations.get(locale, &key, None) == key {
                    missing.push(format!("{key} ({})", locale.code()));
                }
            }
        }
        assert!(missing.is_empty(), "no label: {missing:?}");
    }
}
