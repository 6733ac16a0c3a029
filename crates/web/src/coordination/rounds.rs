//! Reporting rounds: a plan's rounds and the form to open one, a round's
//! progress body by body, closing it, and a focal point's list of measures
//! to update.

use super::round_mail::{self, Kind};
use super::view::{Bar, plan_code, round_id, state_label};
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManagePlans, ReportOnMeasures, ViewPlans};
use relais_domain::coordination::measure::PlanCode;
use relais_domain::coordination::round::{Completion, due_date_is_valid, is_late};
use relais_domain::time::Date;
use relais_store::StoreError;
use relais_store::coordination::{self, rounds};
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct OpenForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    due: String,
    /// The year of the annual plan; empty: the due date's.
    #[serde(default)]
    year: String,
}

pub struct RoundRow {
    pub id: String,
    pub title: String,
    pub opened: String,
    pub due: String,
    pub year: i32,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "coordination/rounds.html")]
struct RoundsPage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    rounds: Vec<RoundRow>,
    /// The plan's years, for the year of a new round.
    years: Vec<i32>,
    form: Option<OpenForm>,
    errors: FieldErrors,
    notice: Option<String>,
}

async fn render_rounds(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &PlanCode,
    form: Option<OpenForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = capability::<ViewPlans>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (plan, _) = coordination::plan(&mut tx, &view, code).await?;
    let list = rounds::of_plan(&mut tx, &view, code).await?;
    tx.commit().await?;
    let manages = capability::<ManagePlans>(user, &ctx.path).is_ok();
    let body = render(&RoundsPage {
        code: code.as_str().to_owned(),
        plan_title: plan.title.clone(),
        rounds: list
            .iter()
            .map(|r| RoundRow {
                id: r.id.clone(),
                title: r.title.clone(),
                opened: page.when(r.opened_at.0),
                due: page.day(r.due),
                year: r.year,
                open: r.is_open(),
            })
            .collect(),
        years: (plan.period.start..=plan.period.end).collect(),
        form: manages.then(|| form.unwrap_or_default()),
        errors: errors.clone(),
        notice,
        page: &page,
    })?;
    Ok(if errors.is_empty() {
        body
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, body).into_response()
    })
}

/// GET /coordination/plans/{code}/rounds
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    render_rounds(&state, &ctx, &user, &code, None, FieldErrors::default(), notice).await
}

/// POST /coordination/plans/{code}/rounds: opens a round and asks the focal points.
pub async fn open(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManagePlans>,
    Path(code): Path<String>,
    Form(form): Form<OpenForm>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let today = page.today(state.clock.now());
    let mut errors = FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() {
        errors.add("title", page.t("round-error-title"));
    } else if title.chars().count() > 200 {
        errors.add("title", page.t("plan-problem-too-long"));
    }
    let due = Date::parse(&form.due);
    match due {
        None => errors.add("due", page.t("round-error-due")),
        Some(due) if !due_date_is_valid(today, due) => errors.add("due", page.t("round-error-due-past")),
        Some(_) => {}
    }
    let year = match form.year.trim() {
        "" => None,
        raw => raw.parse::<i32>().ok().or_else(|| {
            errors.add("year", page.t("round-error-year"));
            None
        }),
    };
    let Some(due) = due.filter(|_| errors.is_empty()) else {
        return render_rounds(&state, &ctx, &user, &code, Some(form), errors, None).await;
    };
    let new = rounds::NewRound {
        title: title.to_owned(),
        due,
        year,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rounds::open(&mut tx, &can, &code, &new, today).await {
        Ok(opened) => {
            round_mail::enqueue(&state, &mut tx, &opened.recipients, Kind::Request, title, due).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/coordination/rounds/{}?done=round-opened", opened.round)).into_response())
        }
        Err(StoreError::Conflict(rounds::YEAR_OUTSIDE_PLAN)) => {
            drop(tx);
            errors.add("year", page.t("round-error-year"));
            render_rounds(&state, &ctx, &user, &code, Some(form), errors, None).await
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            errors.add("title", page.t("round-error-already-open"));
            render_rounds(&state, &ctx, &user, &code, Some(form), errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}

pub struct BodyRow {
    pub body: String,
    pub linked: bool,
    pub requested: u32,
    pub submitted: u32,
    pub validated: u32,
    pub returned: u32,
    pub answered_percent: u32,
    pub last_message: String,
    pub reminders: i64,
    pub done: bool,
}

pub struct UpdateRow {
    pub number: u32,
    pub title: String,
    pub body: String,
    pub state: String,
    pub state_key: &'static str,
}

#[derive(Template)]
#[template(path = "coordination/round.html")]
struct RoundPage<'a> {
    page: &'a Page,
    id: String,
    code: String,
    plan_title: String,
    title: String,
    due: String,
    /// The year of the annual plan the round concerns.
    year: i32,
    late: bool,
    open: bool,
    answered_percent: u32,
    total: u32,
    bodies: Vec<BodyRow>,
    /// Per body: the updates sent (submitted or validated) and their share.
    chart: Vec<Bar>,
    updates: Vec<UpdateRow>,
    manages: bool,
    notice: Option<String>,
}

fn body_row(page: &Page, progress: &rounds::BodyProgress) -> BodyRow {
    let c = progress.completion;
    BodyRow {
        body: progress.body.clone(),
        linked: progress.linked,
        requested: c.requested,
        submitted: c.submitted,
        validated: c.validated,
        returned: c.returned,
        answered_percent: c.answered_percent().unwrap_or(0),
        last_message: page.day(progress.last_message_on),
        reminders: progress.reminders,
        done: c.is_done(),
    }
}

/// GET /coordination/rounds/{id}
pub async fn round(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: view, user }: Authorized<ViewPlans>,
    Path(id): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let found = rounds::round(&mut tx, &view, &id).await?;
    tx.commit().await?;
    let overall = Completion::of(found.updates.iter().map(|u| u.state));
    let today = page.today(state.clock.now());
    render(&RoundPage {
        id,
        code: found.plan.code.as_str().to_owned(),
        plan_title: found.plan.title.clone(),
        title: found.round.title.clone(),
        due: page.day(found.round.due),
        year: found.round.year,
        late: found.round.is_open() && is_late(found.round.due, today),
        open: found.round.is_open(),
        answered_percent: overall.answered_percent().unwrap_or(0),
        total: overall.total(),
        bodies: found.bodies.iter().map(|b| body_row(&page, b)).collect(),
        chart: found
            .bodies
            .iter()
            .map(|b| Bar {
                label: b.body.clone(),
                count: usize::try_from(b.completion.submitted + b.completion.validated).unwrap_or(0),
                percent: usize::try_from(b.completion.answered_percent().unwrap_or(0)).unwrap_or(0),
            })
            .collect(),
        updates: found
            .updates
            .iter()
            .map(|u| UpdateRow {
                number: u.measure,
                title: u.measure_title.clone(),
                body: u.body.clone(),
                state: state_label(&page, u.state),
                state_key: u.state.key(),
            })
            .collect(),
        manages: capability::<ManagePlans>(&user, &ctx.path).is_ok(),
        notice: query.notice(&page),
        page: &page,
    })
}

/// POST /coordination/rounds/{id}/close
pub async fn close(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManagePlans>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rounds::close(&mut tx, &can, &id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/coordination/rounds/{id}?done=round-closed")).into_response())
        }
        // Closed meanwhile (a second click): the page says it is closed.
        Err(StoreError::Conflict(_)) => Ok(Redirect::to(&format!("/coordination/rounds/{id}")).into_response()),
        Err(other) => Err(other.into()),
    }
}

pub struct AskedRow {
    pub plan: String,
    pub round: String,
    pub round_title: String,
    pub due: String,
    pub late: bool,
    pub number: u32,
    pub title: String,
    pub state: String,
    pub awaits: bool,
}

#[derive(Template)]
#[template(path = "coordination/asked.html")]
struct AskedPage<'a> {
    page: &'a Page,
    rows: Vec<AskedRow>,
    notice: Option<String>,
}

/// GET /coordination/asked: the measures a focal point is asked to update.
pub async fn asked(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ReportOnMeasures>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let asked = rounds::asked_of_me(&mut tx, &can).await?;
    tx.commit().await?;
    let today = page.today(state.clock.now());
    render(&AskedPage {
        rows: asked
            .iter()
            .map(|a| AskedRow {
                plan: a.plan.clone(),
                round: a.round.id.clone(),
                round_title: a.round.title.clone(),
                due: page.day(a.round.due),
                late: is_late(a.round.due, today),
                number: a.measure,
                title: a.measure_title.clone(),
                state: state_label(&page, a.state),
                awaits: a.state.awaits_focal_point(),
            })
            .collect(),
        notice: query.notice(&page),
        page: &page,
    })
}
