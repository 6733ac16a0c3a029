//! The identification workflow's pages (issue 4): the case queue sorted by
//! deadline with overdue items highlighted, the decision page (screening,
//! answers, timeline, the transitions possible now) and the decision letter.

use crate::AppState;
use crate::access::authorized::{Authorized, capability, optional};
use crate::casework::header::{self, CaseHeader, Tab};
use crate::casework::view::{next_deadline, parse_id, stage_label};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::intake::screening_view::ScreeningView;
use crate::intake::screening_view::{catalogues_of, screening_of};
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{IdentifyVictims, ViewCaseFile};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::casework::case_access::{CaseArea, Mode};
use relais_domain::casework::case_status::{self, Event, Policy, Refused};
use relais_domain::casework::deadline::{self, Targets, Urgency};
use relais_domain::casework::statement::{Draft, Problem};
use relais_domain::ids::CaseId;
use relais_domain::intake::referral::steps::MAX_TEXT;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::StoreError;
use relais_store::access::organisations::Organisation;
use relais_store::casework::case_access;
use relais_store::casework::cases::{self, CaseEvent};
use relais_store::casework::queue::{self, QueueKey, QueuedCase};

use relais_domain::casework::case_status::REASONS;

pub struct Row {
    pub id: String,
    pub reference: String,
    pub status: String,
    pub departement: String,
    pub child: bool,
    pub deadline_kind: String,
    pub deadline: String,
    pub urgency: &'static str,
    pub urgency_label: String,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "casework/cases.html")]
struct QueuePage<'a> {
    page: &'a Page,
    rows: Vec<Row>,
    overdue: i64,
    /// `after=…` of the next page's link, when there is one.
    next: Option<String>,
    /// Whether this is a later page (the link back to the first is shown).
    paged: bool,
}

/// Cases on one page of the queue.
pub const CASES_PAGE: usize = 100;

/// `?after=` of the queue: the key of the last case of the previous page.
#[derive(serde::Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    after: String,
}

/// GET /cases: open cases by their next deadline (the stage's or a permit's),
/// a page at a time after a key, so the page costs the same however many
/// cases are open (issue 17).
pub async fn queue(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    // A key that does not read (an old or edited link) shows the first page.
    let after = QueueKey::parse(query.after.trim());
    let now = state.clock.now();
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = queue::page(&mut tx, &can, after.as_ref(), CASES_PAGE).await?;
    let waiting = queue::attention(&mut tx, &can, now).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let targets = Targets::default();
    let rows = found.items.iter().map(|q| row(&page, q, now, &targets)).collect();
    render(&QueuePage {
        overdue: waiting.overdue,
        rows,
        page: &page,
        next: found.next.map(|key| format!("after={}", key.encode())),
        paged: after.is_some(),
    })
}

fn row(page: &Page, queued: &QueuedCase, now: Timestamp, targets: &Targets) -> Row {
    let c = &queued.case;
    let departement = c.departement.as_deref().and_then(Departement::parse);
    let today = Date::local(now, &Zone::of(departement));
    let urgency = queued
        .deadline
        .map(|due| deadline::urgency(due.date(), today, targets, departement));
    Row {
        id: c.id.to_string(),
        reference: c.reference.clone(),
        status: stage_label(page, c.case.status),
        departement: relais_domain::territory::departement_label(c.departement.as_deref().unwrap_or_default()),
        child: c.child,
        deadline_kind: queued
            .deadline
            .map(|due| page.t(&format!("case-deadline-{}", due.key())))
            .unwrap_or_default(),
        deadline: queued.deadline.map(|due| page.day(due.date())).unwrap_or_default(),
        urgency: urgency.map_or("none", Urgency::key),
        urgency_label: urgency
            .map(|u| page.t(&format!("digest-urgency-{}", u.key())))
            .unwrap_or_default(),
        pending: c.case.pending.is_some(),
    }
}

pub struct EventView {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub stage: String,
    pub pending: bool,
    pub reasons: String,
    pub note: String,
}

fn reasons_label(page: &Page, event: Event, reasons: &[String]) -> String {
    // A closure's only reason is its outcome code.
    let prefix = if event == Event::Close {
        "closure-outcome"
    } else {
        "case-reason"
    };
    reasons
        .iter()
        .filter(|r| {
            if event == Event::Close {
                relais_domain::casework::closure::Outcome::parse(r).is_some()
            } else {
                REASONS.contains(&r.as_str())
            }
        })
        .map(|r| page.t(&format!("{prefix}-{r}")))
        .collect::<Vec<_>>()
        .join(" ; ")
}

fn event_views(page: &Page, timeline: &[CaseEvent]) -> Vec<EventView> {
    timeline
        .iter()
        .map(|e| EventView {
            at: page.when(e.at.0),
            actor: e.actor.clone().unwrap_or_default(),
            what: page.t(&format!("case-event-{}", e.event.key())),
            stage: stage_label(page, e.to),
            pending: e.pending,
            reasons: reasons_label(page, e.event, &e.reasons),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "casework/case.html")]
struct CasePage<'a> {
    page: &'a Page,
    header: Option<CaseHeader>,
    id: String,
    reference: String,
    stage: String,
    departement: String,
    submitted: String,
    deadline: Option<(String, String)>,
    reflection_ends: String,
    pending: Option<String>,
    screening: Option<ScreeningView>,
    details: Vec<(String, String)>,
    timeline: Vec<EventView>,
    /// (key, label, the group of questions it needs) of each transition possible now.
    events: Vec<(String, String, &'static str)>,
    reasons: Vec<(String, String)>,
    form: &'a EventForm,
    errors: FieldErrors,
    refusal: Option<String>,
    letter: bool,
    /// The reader may read the person's identity: the HTCDS export is offered.
    htcds: bool,
    /// The identification authorities a transfer can send the case to:
    /// (their département's code, "name (code)").
    authorities: Vec<(String, String)>,
    /// Organisations that can lead the case after a transfer: (id, name).
    organisations: Vec<(String, String)>,
    cooperation: String,
    cooperation_options: Vec<(String, String)>,
}

impl CasePage<'_> {
    fn reason_checked(&self, code: &String) -> bool {
        self.form.reasons.contains(code)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct EventForm {
    #[serde(default)]
    event: String,
    #[serde(default)]
    transfer_to: String,
    #[serde(default)]
    transfer_organisation: String,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    note: String,
}

fn refusal_message(page: &Page, refused: &Refused) -> String {
    match refused {
        Refused::NotFrom { .. } => page.t("case-refused-not-from"),
        Refused::ReflectionPeriodRunning { ends } => page.tr.t1("case-refused-reflection", "ends", &page.day(*ends)),
        Refused::AwaitingSecondDecision => page.t("case-refused-awaiting-second"),
        Refused::NothingToConfirm => page.t("case-refused-nothing-to-confirm"),
        Refused::SameDecisionMaker => page.t("case-refused-same-decision-maker"),
    }
}

fn problem_message(page: &Page, problem: Problem) -> String {
    match problem {
        Problem::Reasons => page.t("case-problem-reasons"),
        Problem::Note => page.t("case-problem-note"),
        Problem::NoteTooLong => page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()),
        Problem::Transfer => page.t("case-problem-transfer"),
    }
}

/// The questions a transition needs beyond its explanation: the reasons
/// of a decision, the destination of a transfer, nothing else.
fn group_of(event: Event) -> &'static str {
    if event.is_decision() {
        "decision"
    } else if event == Event::Transfer {
        "transfer"
    } else {
        ""
    }
}

/// The active identification authorities of a département other than the
/// case's: the only ones competent to receive it.
fn authorities(organisations: &[Organisation], current: Option<&str>) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = organisations
        .iter()
        .filter(|o| o.active && o.org_type == OrganisationType::IdentificationAuthority)
        .filter_map(|o| match o.territory {
            Territory::Departement(d) if Some(d.code()) != current => {
                Some((d.code().to_owned(), format!("{} ({})", o.name, d.code())))
            }
            _ => None,
        })
        .collect();
    found.sort();
    found
}

/// What the page says back: the form's errors, a refused transition, or the
/// confirmation of the last action.
#[derive(Default)]
struct Feedback {
    errors: FieldErrors,
    refusal: Option<String>,
    notice: Option<String>,
}

impl Feedback {
    fn errors(errors: FieldErrors) -> Self {
        Self {
            errors,
            ..Self::default()
        }
    }
}

async fn render_case(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &CaseId,
    form: &EventForm,
    Feedback {
        errors,
        refusal,
        notice,
    }: Feedback,
) -> Result<Response, AppError> {
    let can = capability::<IdentifyVictims>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (summary, timeline, referral) = cases::open(&mut tx, &can, id).await?;
    let cooperation = cases::cooperation(&mut tx, id).await?;
    let page = Page::new(state, ctx);
    // The header and tabs come from the reader's relation to the case; an
    // identification officer always holds the case-file permission too.
    let mut htcds = false;
    let header = match optional::<ViewCaseFile>(user) {
        Some(file) => {
            let access = case_access::open(&mut tx, &file, id).await?;
            htcds = access.may(CaseArea::Identity, Mode::Read);
            Some(header::read(&mut tx, state, &page, user, &access, Tab::Decision, notice).await?)
        }
        None => None,
    };
    tx.commit().await?;
    let catalogues = catalogues_of(state, &referral).await?;
    let targets = Targets::default();
    let today = Date::local(state.clock.now(), &Zone::of_code(summary.departement.as_deref()));
    let events = case_status::possible(&summary.case, can.actor().as_str(), today, &Policy::default())
        .into_iter()
        // Closing states an outcome and reopening clears it: both are on the support page.
        .filter(|e| !matches!(e, Event::Close | Event::Reopen))
        .map(|e| {
            (
                e.key().to_owned(),
                page.t(&format!("case-event-{}", e.key())),
                group_of(e),
            )
        })
        .collect();
    let pending = summary.case.pending.as_ref().map(|p| {
        page.tr.t1(
            "case-pending",
            "decision",
            &page.t(&format!("case-event-{}", p.event.key())),
        )
    });
    let organisations = relais_store::access::organisations::list_all(&state.store).await?;
    let letter = timeline.iter().any(|e| e.event.is_decision() && !e.pending)
        || timeline.iter().any(|e| e.event == Event::ConfirmDecision);
    render(&CasePage {
        header,
        id: summary.id.to_string(),
        reference: summary.reference.clone(),
        stage: stage_label(&page, summary.case.status),
        departement: relais_domain::territory::departement_label(summary.departement.as_deref().unwrap_or_default()),
        submitted: page.when(summary.submitted_at.0),
        deadline: next_deadline(&summary, &targets)
            .map(|(kind, due)| (page.t(&format!("case-deadline-{kind}")), page.day(due))),
        reflection_ends: summary.case.reflection_ends.map(|d| page.day(d)).unwrap_or_default(),
        pending,
        screening: screening_of(&page, &catalogues, &referral.details),
        details: crate::intake::referral_view::detail_rows(&page, &referral.details),
        timeline: event_views(&page, &timeline),
        events,
        reasons: REASONS
            .iter()
            .map(|r| ((*r).to_owned(), page.t(&format!("case-reason-{r}"))))
            .collect(),
        form,
        errors,
        refusal,
        letter,
        htcds,
        authorities: authorities(&organisations, summary.departement.as_deref()),
        organisations: organisations
            .into_iter()
            .filter(|o| o.active && &o.id != user.principal.organisation_id())
            .map(|o| (o.id.to_string(), o.name))
            .collect(),
        cooperation: cooperation.unwrap_or_default(),
        cooperation_options: cases::COOPERATION
            .iter()
            .map(|c| ((*c).to_owned(), page.t(&format!("case-cooperation-{c}"))))
            .collect(),
        page: &page,
    })
}

#[derive(serde::Deserialize)]
pub struct CooperationForm {
    #[serde(default)]
    cooperation: String,
}

/// POST /cases/{id}/cooperation: recorded apart from the decisions.
pub async fn cooperation(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
    Form(form): Form<CooperationForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    if !cases::COOPERATION.contains(&form.cooperation.as_str()) {
        let page = Page::new(&state, &ctx);
        let mut errors = FieldErrors::default();
        errors.add("cooperation", page.t("referral-problem-choose"));
        let body = render_case(
            &state,
            &ctx,
            &user,
            &id,
            &EventForm::default(),
            Feedback::errors(errors),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    cases::record_cooperation(&mut tx, &can, &id, &form.cooperation).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/cases/{id}?done=case-cooperation-recorded")).into_response())
}

/// GET /cases/{id}
pub async fn detail(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let notice = done.notice(&Page::new(&state, &ctx));
    render_case(
        &state,
        &ctx,
        &user,
        &id,
        &EventForm::default(),
        Feedback {
            notice,
            ..Feedback::default()
        },
    )
    .await
}

/// POST /cases/{id}/events: one transition with its reasons.
pub async fn transition(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<IdentifyVictims>,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let page = Page::new(&state, &ctx);
    let Some(event) = Event::parse(&form.event) else {
        let mut errors = FieldErrors::default();
        errors.add("event", page.t("referral-problem-choose"));
        let body = render_case(&state, &ctx, &user, &id, &form, Feedback::errors(errors)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    // Only the chosen transition's questions are read: reasons left ticked
    // under another choice are not recorded with it.
    let draft = Draft {
        reasons: if event.is_decision() {
            form.reasons.clone()
        } else {
            vec![]
        },
        note: form.note.clone(),
        transfer_to: match Departement::parse(&form.transfer_to) {
            // Only a département with an identification authority can receive the case.
            Some(d) if event == Event::Transfer => {
                let organisations = relais_store::access::organisations::list_all(&state.store).await?;
                Some(d).filter(|d| {
                    authorities(&organisations, None)
                        .iter()
                        .any(|(code, _)| code == d.code())
                })
            }
            _ => None,
        },
        transfer_organisation: relais_domain::ids::OrganisationId::parse(&form.transfer_organisation),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match cases::apply(&mut tx, &can, &id, event, &draft, &Policy::default()).await {
        Ok(after) => {
            tx.commit().await?;
            let done = if after.case.pending.is_some() {
                "case-decision-proposed"
            } else {
                "case-decision-recorded"
            };
            Ok(Redirect::to(&format!("/cases/{id}?done={done}")).into_response())
        }
        Err(StoreError::Statement(problems)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            for problem in problems {
                errors.add(problem.field(), problem_message(&page, problem));
            }
            let body = render_case(&state, &ctx, &user, &id, &form, Feedback::errors(errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(StoreError::Workflow(refused)) => {
            drop(tx);
            let message = refusal_message(&page, &refused);
            let body = render_case(
                &state,
                &ctx,
                &user,
                &id,
                &form,
                Feedback {
                    refusal: Some(message),
                    ..Feedback::default()
                },
            )
            .await?;
            Ok((StatusCode::CONFLICT, body).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
