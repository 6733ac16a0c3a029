//! The support page of a case (issue 6): the case plan derived from the
//! latest needs assessment, the assessment form (one row per need kind),
//! the history of assessments, the rights tracker (permits and their
//! deadlines) and the closure with its outcome, or the reopening.

use crate::AppState;
use crate::access::authorized::{Authorized, holds};
use crate::casework::header::{self, CaseHeader, Tab};
use crate::casework::view::stage_label;
use crate::casework::view::{open_case, open_to_change, parse_id, shared_for};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{CaseAccess, IdentifyVictims};
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_status::{self, Event, Policy, Status};
use relais_domain::casework::closure::{self, Closure, ClosureProblem};
use relais_domain::casework::deadline::{self, Targets};
use relais_domain::casework::needs::{
    self, AccommodationType, Assessment, Need, NeedInput, NeedKind, NeedStatus, ReturnRisk, UnmetReason, Urgency,
};
use relais_domain::casework::rights::{self, Permit, PermitInput, PermitKind, RefusalReason};
use relais_domain::ids::CaseId;
use relais_domain::intake::referral::steps::MAX_TEXT;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Zone};
use relais_store::casework::support::{self, SupportFile};

/// One row of the assessment form, as typed.
pub struct NeedRow {
    pub kind: &'static str,
    pub label: String,
    pub assessed: bool,
    pub urgency: String,
    pub status: String,
    pub unmet_reason: String,
    pub accommodation: String,
    pub return_risk: String,
    pub actor: String,
}

pub struct PlanRow {
    pub label: String,
    pub urgency: &'static str,
    pub urgency_label: String,
    pub status: String,
    pub detail: String,
    pub actor: String,
}

pub struct AssessmentView {
    pub on: String,
    pub author: String,
    pub needs: Vec<String>,
}

pub struct PermitView {
    pub id: String,
    pub kind: String,
    pub basis: &'static str,
    pub prefecture: String,
    pub applied_on: String,
    pub receipt_on: String,
    pub decided_on: String,
    pub expires_on: String,
    pub outcome: String,
    pub note: String,
    pub next: String,
    pub overdue: bool,
}

pub struct HistoryView {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub outcome: String,
    pub summary: String,
}

#[derive(Default, Clone)]
pub struct PermitFields {
    pub permit_id: String,
    pub kind: String,
    pub prefecture: String,
    pub applied_on: String,
    pub receipt_on: String,
    pub decided_on: String,
    pub expires_on: String,
    pub outcome: String,
    pub refusal_reason: String,
    pub note: String,
}

#[derive(Default, Clone)]
pub struct ClosureFields {
    pub outcome: String,
    pub summary: String,
}

/// What the forms show: empty, or what was typed with its errors.
pub struct Forms {
    pub assessed_on: String,
    pub needs: Option<Vec<NeedRow>>,
    pub permit: PermitFields,
    pub closure: ClosureFields,
}

#[derive(Template)]
#[template(path = "casework/support.html")]
struct SupportPage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    access: &'a CaseAccess,
    shared_for: Option<String>,
    id: String,
    reference: String,
    stage: String,
    notice: Option<String>,
    plan: Vec<PlanRow>,
    assessed_on: String,
    rows: Vec<NeedRow>,
    urgencies: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    unmet_reasons: Vec<(String, String)>,
    accommodations: Vec<(String, String)>,
    return_risks: Vec<(String, String)>,
    assessments: Vec<AssessmentView>,
    permits: Vec<PermitView>,
    permit: PermitFields,
    permit_kinds: Vec<(String, String)>,
    permit_outcomes: Vec<(String, String)>,
    refusal_reasons: Vec<(String, String)>,
    departements: Vec<&'static str>,
    can_close: bool,
    can_reopen: bool,
    closure: ClosureFields,
    closure_in_force: Option<(String, String, String)>,
    closure_outcomes: Vec<(String, String)>,
    history: Vec<HistoryView>,
    errors: FieldErrors,
}

impl SupportPage<'_> {
    fn may(&self, area: CaseArea, mode: Mode) -> bool {
        self.access.may(area, mode)
    }

    /// The error of one field of one need row (the row's kind and the field's name).
    fn need_error(&self, kind: &str, field: &str) -> Option<&str> {
        self.errors.of(&format!("{kind}-{field}"))
    }
}

fn options(page: &Page, prefix: &str, keys: impl IntoIterator<Item = &'static str>) -> Vec<(String, String)> {
    keys.into_iter()
        .map(|k| (k.to_owned(), page.t(&format!("{prefix}-{k}"))))
        .collect()
}

fn kind_label(page: &Page, kind: NeedKind) -> String {
    page.t(&format!("need-kind-{}", kind.key()))
}

fn empty_rows(page: &Page, kinds: &[NeedKind]) -> Vec<NeedRow> {
    kinds
        .iter()
        .map(|k| NeedRow {
            kind: k.key(),
            label: kind_label(page, *k),
            assessed: false,
            urgency: String::new(),
            status: String::new(),
            unmet_reason: String::new(),
            accommodation: String::new(),
            return_risk: String::new(),
            actor: String::new(),
        })
        .collect()
}

fn need_summary(page: &Page, need: &Need) -> String {
    let mut parts = vec![
        page.t(&format!("need-urgency-{}", need.urgency.key())),
        page.t(&format!("need-status-{}", need.status.key())),
    ];
    if let Some(a) = need.accommodation {
        parts.push(page.t(&format!("need-accommodation-{}", a.key())));
    }
    if let Some(r) = need.return_risk {
        parts.push(page.t(&format!("need-return-risk-{}", r.key())));
    }
    if let Some(r) = need.unmet_reason {
        parts.push(page.t(&format!("need-unmet-reason-{}", r.key())));
    }
    format!("{} ({})", kind_label(page, need.kind), parts.join(", "))
}

fn optional_date(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn permit_fields(record: &support::PermitRecord) -> PermitFields {
    let p = &record.permit;
    PermitFields {
        permit_id: record.id.clone(),
        kind: p.kind.key().to_owned(),
        prefecture: record.prefecture.clone().unwrap_or_default(),
        applied_on: optional_date(p.applied_on),
        receipt_on: optional_date(p.receipt_on),
        decided_on: optional_date(p.decided_on),
        expires_on: optional_date(p.expires_on),
        outcome: p.outcome.key().to_owned(),
        refusal_reason: p.refusal_reason.map(RefusalReason::key).unwrap_or_default().to_owned(),
        note: record.note.clone().unwrap_or_default(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct SupportQuery {
    saved: Option<String>,
    /// A permit to edit in the form.
    permit: Option<String>,
}

pub(crate) const SAVED: [&str; 4] = ["needs", "permit", "closed", "reopened"];

async fn render_support(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    query: &SupportQuery,
    forms: Option<Forms>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let (mut tx, access) = open_case(state, ctx, user, id).await?;
    let page = Page::new(state, ctx);
    let file: SupportFile = support::open(&mut tx, &access).await?;
    // After the page's own read (the main act of its audit line); the page
    // says its own confirmations (`?saved=`), under the header.
    let header = header::read(&mut tx, state, &page, user, &access, Tab::Support, None).await?;
    tx.commit().await?;
    let targets = Targets::default();
    let departement = file.case.departement.as_deref().and_then(Departement::parse);
    let today = Date::local(state.clock.now(), &Zone::of(departement));
    let levels = access.levels();
    let kinds: Vec<NeedKind> = NeedKind::ALL
        .into_iter()
        .filter(|k| levels.contains(&k.sensitivity()))
        .collect();
    let history_assessments: Vec<Assessment> = file
        .assessments
        .iter()
        .map(|a| Assessment {
            at_days: a.on.to_days(),
            needs: a.needs.clone(),
        })
        .collect();
    let plan = needs::plan(&history_assessments)
        .into_iter()
        .map(|item| PlanRow {
            label: kind_label(&page, item.kind),
            urgency: item.urgency.key(),
            urgency_label: page.t(&format!("need-urgency-{}", item.urgency.key())),
            status: page.t(&format!("need-status-{}", item.status.key())),
            detail: item
                .accommodation
                .map(|a| page.t(&format!("need-accommodation-{}", a.key())))
                .unwrap_or_default(),
            actor: item.actor,
        })
        .collect();
    let editing = query
        .permit
        .as_deref()
        .and_then(|p| file.permits.iter().find(|r| r.id == p));
    let forms = forms.unwrap_or_else(|| Forms {
        assessed_on: today.to_string(),
        needs: None,
        permit: editing.map(permit_fields).unwrap_or_default(),
        closure: ClosureFields::default(),
    });
    let status = file.case.case.status;
    let closes = access.may(CaseArea::Closure, Mode::Write) && holds::<IdentifyVictims>(user);
    let history = file
        .history
        .iter()
        .map(|e| HistoryView {
            at: page.when(e.at.0),
            actor: e.actor.clone().unwrap_or_default(),
            what: page.t(&format!("case-event-{}", e.event.key())),
            outcome: e
                .reasons
                .iter()
                .filter(|r| closure::Outcome::parse(r).is_some())
                .map(|r| page.t(&format!("closure-outcome-{r}")))
                .collect::<Vec<_>>()
                .join(", "),
            summary: e.note.clone().unwrap_or_default(),
        })
        .collect();
    render(&SupportPage {
        header: Some(header),
        shared_for: shared_for(&page, &access),
        id: id.to_string(),
        reference: file.case.reference.clone(),
        stage: stage_label(&page, status),
        notice: query
            .saved
            .as_deref()
            .filter(|s| SAVED.contains(s))
            .map(|s| page.t(&format!("support-saved-{s}"))),
        plan,
        assessed_on: forms.assessed_on,
        rows: forms.needs.unwrap_or_else(|| empty_rows(&page, &kinds)),
        urgencies: options(&page, "need-urgency", Urgency::ALL.map(Urgency::key)),
        statuses: options(&page, "need-status", NeedStatus::ALL.map(NeedStatus::key)),
        unmet_reasons: options(&page, "need-unmet-reason", UnmetReason::ALL.map(UnmetReason::key)),
        accommodations: options(
            &page,
            "need-accommodation",
            AccommodationType::ALL.map(AccommodationType::key),
        ),
        return_risks: options(&page, "need-return-risk", ReturnRisk::ALL.map(ReturnRisk::key)),
        assessments: file
            .assessments
            .iter()
            .rev()
            .map(|a| AssessmentView {
                on: page.day(a.on),
                author: a.author.clone().unwrap_or_default(),
                needs: a.needs.iter().map(|n| need_summary(&page, n)).collect(),
            })
            .collect(),
        permits: file
            .permits
            .iter()
            .map(|r| {
                let p = &r.permit;
                PermitView {
                    id: r.id.clone(),
                    kind: page.t(&format!("permit-kind-{}", p.kind.key())),
                    basis: p.kind.legal_basis(),
                    prefecture: r.prefecture.clone().unwrap_or_default(),
                    applied_on: p.applied_on.map(|d| page.day(d)).unwrap_or_default(),
                    receipt_on: p.receipt_on.map(|d| page.day(d)).unwrap_or_default(),
                    decided_on: p.decided_on.map(|d| page.day(d)).unwrap_or_default(),
                    expires_on: p.expires_on.map(|d| page.day(d)).unwrap_or_default(),
                    outcome: match p.refusal_reason {
                        Some(reason) => format!(
                            "{} ({})",
                            page.t(&format!("permit-outcome-{}", p.outcome.key())),
                            page.t(&format!("permit-refusal-{}", reason.key()))
                        ),
                        None => page.t(&format!("permit-outcome-{}", p.outcome.key())),
                    },
                    note: r.note.clone().unwrap_or_default(),
                    next: r
                        .next
                        .map(|(kind, due)| {
                            format!(
                                "{} : {}",
                                page.t(&format!(
                                    "case-deadline-{}",
                                    relais_domain::casework::deadline::permit_key(kind)
                                )),
                                page.day(due)
                            )
                        })
                        .unwrap_or_default(),
                    overdue: r.next.is_some_and(|(_, due)| {
                        deadline::urgency(due, today, &targets, departement) == deadline::Urgency::Overdue
                    }),
                }
            })
            .collect(),
        permit: forms.permit,
        permit_kinds: options(&page, "permit-kind", PermitKind::ALL.map(PermitKind::key)),
        permit_outcomes: options(&page, "permit-outcome", rights::Outcome::ALL.map(rights::Outcome::key)),
        refusal_reasons: options(&page, "permit-refusal", RefusalReason::ALL.map(RefusalReason::key)),
        departements: crate::intake::referral_view::departement_codes(),
        can_close: closes && case_status::target(status, Event::Close).is_ok() && status != Status::Closed,
        can_reopen: closes && status == Status::Closed,
        closure: forms.closure,
        closure_in_force: file.closure.as_ref().map(|c| {
            (
                page.t(&format!("closure-outcome-{}", c.outcome.key())),
                c.summary.clone(),
                page.when(c.at.0),
            )
        }),
        closure_outcomes: options(
            &page,
            "closure-outcome",
            closure::Outcome::ALL.map(closure::Outcome::key),
        ),
        history,
        errors,
        access: &access,
        page: &page,
    })
}

/// GET /cases/{id}/support
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<SupportQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    render_support(&state, &ctx, &user, &id, &query, None, FieldErrors::default()).await
}

fn posted<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// POST /cases/{id}/support/needs: one field group per need kind, named `{kind}-{field}`.
pub async fn assess(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Needs).await?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let assessed_on_raw = posted(&form, "assessed_on").trim().to_owned();
    let assessed_on = Date::parse(&assessed_on_raw);
    if assessed_on.is_none() {
        errors.add("assessed_on", page.t("referral-problem-date-format"));
    }
    let mut rows = vec![];
    let mut parsed = vec![];
    for kind in NeedKind::ALL {
        let field = |name: &str| posted(&form, &format!("{}-{name}", kind.key())).to_owned();
        let row = NeedRow {
            kind: kind.key(),
            label: kind_label(&page, kind),
            assessed: field("assessed") == "yes",
            urgency: field("urgency"),
            status: field("status"),
            unmet_reason: field("unmet_reason"),
            accommodation: field("accommodation"),
            return_risk: field("return_risk"),
            actor: field("actor"),
        };
        if row.assessed {
            let input = NeedInput {
                kind: kind.key().to_owned(),
                urgency: row.urgency.clone(),
                status: row.status.clone(),
                unmet_reason: row.unmet_reason.clone(),
                accommodation: row.accommodation.clone(),
                return_risk: row.return_risk.clone(),
                actor: row.actor.clone(),
            };
            match Need::parse(&input) {
                Ok(need) => parsed.push(need),
                Err(problems) => {
                    for p in problems {
                        errors.add(format!("{}-{}", kind.key(), p.field()), page.t(p.key()));
                    }
                }
            }
        }
        rows.push(row);
    }
    if rows.iter().all(|r| !r.assessed) {
        errors.add("safety-assessed", page.t("need-none-assessed"));
    }
    let Some(on) = assessed_on.filter(|_| errors.is_empty()) else {
        drop(tx);
        let forms = Forms {
            assessed_on: assessed_on_raw,
            needs: Some(rows),
            permit: PermitFields::default(),
            closure: ClosureFields::default(),
        };
        let body = render_support(&state, &ctx, &user, &id, &SupportQuery::default(), Some(forms), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    support::add_assessment(&mut tx, &access, on, &parsed).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/support?saved=needs")).into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct PermitForm {
    #[serde(default)]
    permit_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    applied_on: String,
    #[serde(default)]
    receipt_on: String,
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    refusal_reason: String,
    #[serde(default)]
    note: String,
}

/// POST /cases/{id}/support/permits: adds a permit, or updates the one named by `permit_id`.
pub async fn save_permit(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<PermitForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let (mut tx, access) = open_to_change(&state, &ctx, &user, &id, CaseArea::Permits).await?;
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    let input = PermitInput {
        kind: form.kind.clone(),
        applied_on: form.applied_on.clone(),
        receipt_on: form.receipt_on.clone(),
        decided_on: form.decided_on.clone(),
        expires_on: form.expires_on.clone(),
        outcome: form.outcome.clone(),
        refusal_reason: form.refusal_reason.clone(),
    };
    let permit = Permit::parse(&input).map_err(|problems| {
        for p in problems {
            errors.add(format!("permit_{}", p.field()), page.t(p.key()));
        }
    });
    let prefecture = Departement::parse(form.prefecture.trim());
    if !form.prefecture.trim().is_empty() && prefecture.is_none() {
        errors.add("permit_prefecture", page.t("referral-problem-choose"));
    }
    if form.note.chars().count() > MAX_TEXT {
        errors.add(
            "permit_note",
            page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()),
        );
    }
    let Some(permit) = permit.ok().filter(|_| errors.is_empty()) else {
        drop(tx);
        let forms = Forms {
            assessed_on: page.today(state.clock.now()).to_string(),
            needs: None,
            permit: PermitFields {
                permit_id: form.permit_id,
                kind: form.kind,
                prefecture: form.prefecture,
                applied_on: form.applied_on,
                receipt_on: form.receipt_on,
                decided_on: form.decided_on,
                expires_on: form.expires_on,
                outcome: form.outcome,
                refusal_reason: form.refusal_reason,
                note: form.note,
            },
            closure: ClosureFields::default(),
        };
        let body = render_support(&state, &ctx, &user, &id, &SupportQuery::default(), Some(forms), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    let existing = Some(form.permit_id.trim()).filter(|p| !p.is_empty());
    support::save_permit(&mut tx, &access, existing, &permit, prefecture, &form.note).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/support?saved=permit")).into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct ClosureForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    summary: String,
}

/// POST /cases/{id}/support/close: the outcome and a summary.
pub async fn close(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
    Form(form): Form<ClosureForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let closure = match Closure::parse(&form.outcome, &form.summary) {
        Ok(closure) => closure,
        Err(problem) => {
            let page = Page::new(&state, &ctx);
            let mut errors = FieldErrors::default();
            let field = if problem == ClosureProblem::OutcomeUnknown {
                "closure_outcome"
            } else {
                "closure_summary"
            };
            errors.add(field, page.t(problem.key()));
            let forms = Forms {
                assessed_on: page.today(state.clock.now()).to_string(),
                needs: None,
                permit: PermitFields::default(),
                closure: ClosureFields {
                    outcome: form.outcome,
                    summary: form.summary,
                },
            };
            let body = render_support(&state, &ctx, &user, &id, &SupportQuery::default(), Some(forms), errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    support::close(&mut tx, &can, &id, &closure, &Policy::default()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/support?saved=closed")).into_response())
}

/// POST /cases/{id}/support/reopen
pub async fn reopen(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    support::reopen(&mut tx, &can, &id, &Policy::default()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}/support?saved=reopened")).into_response())
}
