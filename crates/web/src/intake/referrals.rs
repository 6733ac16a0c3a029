//! What a referrer sees of their referrals: the list (drafts to resume,
//! submitted ones with their status), one referral's status and thread, and
//! their answers to the identification authority.

use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::handler::DoneQuery;
use crate::intake::referral_view::{parse_id, status_label};
use crate::intake::screening_view::ScreeningView;
use crate::intake::screening_view::{catalogues_of, screening_of};
use crate::page::{Page, render};
use crate::session::{RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::SubmitReferrals;
use relais_domain::casework::case_status::Status as CaseStatus;
use relais_domain::casework::deadline::{self, Targets};
use relais_domain::ids::ReferralId;
use relais_domain::intake::referral::ReferralKind;
use relais_domain::intake::referral::status::Status;
use relais_domain::intake::referral::steps::MAX_TEXT;
use relais_domain::time::{Date, Zone};
use relais_store::casework::cases;
use relais_store::intake::own_referrals::{self, Cursor};
use relais_store::intake::referrals::{self, Author, Message, Referral};
use serde::Deserialize;

pub struct Row {
    pub id: String,
    pub reference: Option<String>,
    /// The badge's DSFR colour class.
    pub status_tone: &'static str,
    pub status: String,
    pub updated: String,
}

/// A draft to resume: whom it is about, when it was started and left, where.
pub struct DraftRow {
    pub id: String,
    pub person: String,
    pub started: String,
    pub updated: String,
    pub step: String,
}

#[derive(Template)]
#[template(path = "intake/referrals.html")]
struct ListPage<'a> {
    page: &'a Page,
    drafts: Vec<DraftRow>,
    rows: Vec<Row>,
    /// The next page's query string, when there are more sent referrals.
    next: Option<String>,
    /// This page follows another: the drafts were shown on the first.
    later_page: bool,
    notice: Option<String>,
}

/// The list's query: a notice to show and where the page of sent referrals starts.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    after: String,
}

/// GET /referrals: the drafts first, then the sent referrals a page at a time.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let after = Cursor::parse(&query.after);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let drafts = match after {
        Some(_) => Vec::new(),
        None => own_referrals::drafts(&mut tx, &can).await?,
    };
    let sent = own_referrals::sent(&mut tx, &can, after.as_ref()).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let drafts = drafts
        .into_iter()
        .map(|d| DraftRow {
            id: d.summary.id.to_string(),
            person: if d.person.is_empty() {
                page.t("referrals-person-unnamed")
            } else {
                d.person
            },
            started: page.when(d.summary.created_at.0),
            updated: page.when(d.summary.updated_at.0),
            step: page.t(&format!("referral-step-{}", d.summary.step)),
        })
        .collect();
    let rows = sent
        .rows
        .into_iter()
        .map(|s| Row {
            id: s.id.to_string(),
            reference: s.reference.clone(),
            status_tone: crate::badge::referral(s.status),
            status: status_label(&page, s.status),
            updated: page.when(s.updated_at.0),
        })
        .collect();
    render(&ListPage {
        notice: DoneQuery { done: query.done }.notice(&page),
        drafts,
        rows,
        next: sent.next.map(|c| format!("after={}", c.token())),
        later_page: after.is_some(),
        page: &page,
    })
}

pub struct MessageView {
    pub from: String,
    pub at: String,
    pub body: String,
    pub mine: bool,
}

pub fn message_views(page: &Page, thread: &[Message], mine: Author) -> Vec<MessageView> {
    thread
        .iter()
        .map(|m| MessageView {
            from: page.t(&format!("message-from-{}", m.author.key())),
            at: page.when(m.at.0),
            body: m.body.clone(),
            mine: m.author == mine,
        })
        .collect()
}

/// "Et maintenant ?": what follows a referral just sent, for the referrer.
pub struct NextSteps {
    /// By when the preliminary decision is due (working days from submission), in words.
    decide_by: String,
    /// The day the child-protection unit is to be told, for a child.
    child_by: Option<String>,
    /// Urgent needs were declared: the emergency numbers come first.
    urgent: bool,
}

fn next_steps(page: &Page, referral: &Referral) -> Option<NextSteps> {
    let s = &referral.summary;
    let departement = relais_domain::territory::Departement::parse(&referral.details.departement);
    let submitted = Date::local(s.submitted_at?, &Zone::of(departement));
    let targets = Targets::default();
    Some(NextSteps {
        decide_by: page.tr.tn(
            "referral-next-when",
            &[
                (
                    "day",
                    page.day(deadline::due(submitted, targets.preliminary_decision, departement)),
                ),
                ("days", targets.preliminary_decision.to_string()),
            ],
        ),
        child_by: s.child.then(|| {
            page.day(deadline::due(
                submitted,
                targets.child_protection_notification,
                departement,
            ))
        }),
        urgent: referral.details.urgent(),
    })
}

#[derive(Template)]
#[template(path = "intake/referral.html")]
struct StatusPage<'a> {
    page: &'a Page,
    id: String,
    reference: String,
    status_tone: &'static str,
    status: String,
    submitted: String,
    anonymous: bool,
    child: bool,
    just_submitted: bool,
    /// What happens next, shown on the confirmation after sending.
    next: Option<NextSteps>,
    notice: Option<String>,
    can_reply: bool,
    information_requested: bool,
    screening: Option<ScreeningView>,
    thread: Vec<MessageView>,
    reply: String,
    errors: FieldErrors,
    /// The identification stage of the case, once the referral was accepted.
    stage: Option<String>,
    can_reconsider: bool,
}

#[allow(clippy::too_many_arguments, reason = "the page shows each of these")]
async fn render_status(
    state: &AppState,
    ctx: &RequestContext,
    referral: &Referral,
    thread: &[Message],
    stage: Option<CaseStatus>,
    done: &DoneQuery,
    reply: &str,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = Page::new(state, ctx);
    let catalogues = catalogues_of(state, referral).await?;
    let s = &referral.summary;
    render(&StatusPage {
        id: s.id.to_string(),
        reference: s.reference.clone().unwrap_or_default(),
        status_tone: crate::badge::referral(s.status),
        status: status_label(&page, s.status),
        submitted: s.submitted_at.map(|t| page.when(t.0)).unwrap_or_default(),
        anonymous: s.kind == ReferralKind::AnonymousNotification,
        child: s.child,
        just_submitted: done.done.as_deref() == Some("submitted"),
        next: (done.done.as_deref() == Some("submitted") && s.kind != ReferralKind::AnonymousNotification)
            .then(|| next_steps(&page, referral))
            .flatten(),
        notice: done.notice(&page),
        can_reply: s.status.is_open() && s.kind != ReferralKind::AnonymousNotification,
        information_requested: s.status == Status::InformationRequested,
        screening: screening_of(&page, &catalogues, &referral.details),
        thread: message_views(&page, thread, Author::Referrer),
        reply: reply.to_owned(),
        errors,
        stage: stage.map(|s| crate::casework::view::stage_label(&page, s)),
        can_reconsider: stage.is_some_and(|s| {
            matches!(
                s,
                CaseStatus::NegativePreliminary | CaseStatus::NotIdentified | CaseStatus::InsufficientEvidence
            )
        }),
        page: &page,
    })
}

/// GET /referrals/{id}: the status page (a draft goes back to its form).
pub async fn status(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (referral, thread) = referrals::get_own(&mut tx, &can, &id).await?;
    let stage = cases::stage_of_own_referral(&mut tx, &can, &id).await?;
    tx.commit().await?;
    if referral.summary.status == Status::Draft {
        let step = referral.summary.step.clone();
        return Ok(Redirect::to(&format!("/referrals/{id}/steps/{step}")).into_response());
    }
    render_status(
        &state,
        &ctx,
        &referral,
        &thread,
        stage,
        &done,
        "",
        FieldErrors::default(),
    )
    .await
}

/// The status page again with the errors (422).
async fn refuse(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    id: &ReferralId,
    typed: &str,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let can = capability::<SubmitReferrals>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (referral, thread) = referrals::get_own(&mut tx, &can, id).await?;
    let stage = cases::stage_of_own_referral(&mut tx, &can, id).await?;
    tx.commit().await?;
    let body = render_status(
        state,
        ctx,
        &referral,
        &thread,
        stage,
        &DoneQuery::default(),
        typed,
        errors,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    message: String,
}

/// POST /referrals/{id}/reply
pub async fn reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Path(id): Path<String>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let message = form.message.trim();
    let page = Page::new(&state, &ctx);
    let mut errors = FieldErrors::default();
    if message.is_empty() {
        errors.add("message", page.t("referral-problem-required"));
    } else if message.chars().count() > MAX_TEXT {
        errors.add("message", page.tr.t1("field-too-long", "max", &MAX_TEXT.to_string()));
    }
    if !errors.is_empty() {
        return refuse(&state, &ctx, &user, &id, &form.message, errors).await;
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    referrals::reply(&mut tx, &can, &id, message).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/referrals/{id}?done=reply-sent")).into_response())
}

#[derive(Deserialize)]
pub struct ReconsiderationForm {
    #[serde(default)]
    information: String,
}

/// POST /referrals/{id}/reconsideration: the referrer asks for a negative decision to be reconsidered.
pub async fn reconsideration(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<SubmitReferrals>,
    Path(id): Path<String>,
    Form(form): Form<ReconsiderationForm>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let information = form.information.trim();
    if information.is_empty() || information.chars().count() > MAX_TEXT {
        let page = Page::new(&state, &ctx);
        let mut errors = FieldErrors::default();
        errors.add("information", page.t("referral-reconsideration-required"));
        return refuse(&state, &ctx, &user, &id, "", errors).await;
    }
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    cases::request_reconsideration(&mut tx, &can, &id, information).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/referrals/{id}?done=reconsideration-requested")).into_response())
}
