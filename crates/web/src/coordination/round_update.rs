//! One measure's update in a reporting round: the focal point's form
//! (status with its evidence, a value of one of the measure's indicators of
//! the round's year and its date, the year's spending), and the
//! coordinator's validation or return with a comment.

use super::view::{round_id, state_label, status_label};
use crate::AppState;
use crate::access::authorized::capability;
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
use relais_domain::coordination::measure::TEXT_MAX;
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::round::{ReportInput, UpdateStatus, check_report};
use relais_domain::coordination::status::MeasureStatus;
use relais_domain::time::Date;
use relais_store::StoreError;
use relais_store::coordination::rounds::{self, Decision, IndicatorChoice, Report, UpdateView};
use serde::Deserialize;

/// The focal point's form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    indicator_value: String,
    #[serde(default)]
    indicator_date: String,
    #[serde(default)]
    spent_eur: String,
}

impl ReportForm {
    /// The form filled with what was sent, or, the first time, with the
    /// measure's only indicator of the year chosen.
    fn of(report: &Report, indicators: &[IndicatorChoice]) -> Self {
        let only = match indicators {
            [only] => only.id.clone(),
            _ => String::new(),
        };
        Self {
            status: report.status.map(|s| s.key().to_owned()).unwrap_or_default(),
            evidence: report.evidence.clone(),
            indicator: report.indicator.clone().unwrap_or(only),
            indicator_value: report.indicator_value.clone().unwrap_or_default(),
            indicator_date: report.indicator_date.map(|d| d.to_string()).unwrap_or_default(),
            spent_eur: report.spent.map(Euros::to_text).unwrap_or_default(),
        }
    }

    /// The report (the rules are the domain's), or every wrong answer named.
    fn check(&self, page: &Page, indicators: &[IndicatorChoice], today: Date) -> Result<Report, FieldErrors> {
        let input = ReportInput {
            status: &self.status,
            evidence: &self.evidence,
            indicator: &self.indicator,
            indicator_value: &self.indicator_value,
            indicator_date: &self.indicator_date,
            spent: &self.spent_eur,
        };
        let ids: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
        check_report(&input, &ids, today).map_err(|problems| {
            let mut errors = FieldErrors::default();
            for problem in problems {
                errors.add(problem.column, page.t(problem_key(problem.column, problem.key)));
            }
            errors
        })
    }
}

/// The message of a problem of the focal point's form.
fn problem_key(field: &str, key: &str) -> &'static str {
    match (field, key) {
        ("status", _) => "round-error-status",
        ("evidence", "required") => "round-error-evidence",
        (_, "too-long") => "plan-problem-too-long",
        ("indicator_date", "required") => "round-error-date-missing",
        (_, "future-date") => "round-error-future-date",
        ("indicator_date", _) => "round-error-date",
        ("indicator", _) => "round-error-indicator",
        ("indicator_value", _) => "round-error-value-missing",
        _ => "plan-problem-cost",
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

#[derive(Template)]
#[template(path = "coordination/round_update.html")]
struct UpdatePage<'a> {
    page: &'a Page,
    round: String,
    round_title: String,
    code: String,
    number: u32,
    title: String,
    body: String,
    state: String,
    state_key: &'static str,
    open: bool,
    /// The year of the annual plan the round concerns.
    year: i32,
    status: String,
    evidence: String,
    indicator: String,
    spent: String,
    comment: String,
    submitted_at: String,
    decided_at: String,
    report: Option<ReportForm>,
    decide: Option<DecideForm>,
    statuses: Vec<(&'static str, String)>,
    /// The measure's indicators of the year: (id, `definition (unit)`).
    indicators: Vec<(String, String)>,
    errors: FieldErrors,
    notice: Option<String>,
}

fn indicator_label(definition: &str, unit: &str) -> String {
    format!("{definition} ({unit})")
}

fn number(raw: &str) -> Result<u32, AppError> {
    raw.parse()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or(AppError::NotFound)
}

async fn load(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    round: &str,
    number: u32,
) -> Result<UpdateView, AppError> {
    let view = capability::<ViewPlans>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let found = rounds::update(&mut tx, &view, round, number).await?;
    tx.commit().await?;
    Ok(found)
}

#[allow(clippy::too_many_arguments, reason = "one page, shown fresh or with a refused form")]
async fn render_update(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    round: &str,
    number: u32,
    report: Option<ReportForm>,
    decide: Option<DecideForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = load(state, ctx, user, round, number).await?;
    let page = Page::new(state, ctx);
    let update = &view.update;
    let open = view.round.is_open();
    let reports = open
        && update.state.awaits_focal_point()
        && capability::<ReportOnMeasures>(user, &ctx.path).is_ok()
        && view.organisation.as_ref() == Some(user.principal.organisation_id());
    let decides = open && update.state == UpdateStatus::Submitted && capability::<ManagePlans>(user, &ctx.path).is_ok();
    let unspecified = || page.t("plan-not-specified");
    let r = &update.report;
    let body = render(&UpdatePage {
        round: round.to_owned(),
        round_title: view.round.title.clone(),
        code: view.plan.as_str().to_owned(),
        number,
        title: update.measure_title.clone(),
        body: update.body.clone(),
        state: state_label(&page, update.state),
        state_key: update.state.key(),
        open,
        year: view.round.year,
        status: r.status.map_or_else(unspecified, |s| status_label(&page, Some(s))),
        evidence: r.evidence.clone(),
        indicator: match (&r.indicator_value, r.indicator_date) {
            (Some(value), Some(date)) => {
                let reached = page.tr.tn(
                    "round-indicator-on",
                    &[("value", value.clone()), ("date", page.day(date))],
                );
                match &update.indicator {
                    Some(indicator) => format!("{} : {reached}", indicator_label(&indicator.0, &indicator.1)),
                    None => reached,
                }
            }
            (Some(value), None) => value.clone(),
            _ => unspecified(),
        },
        spent: r.spent.map_or_else(unspecified, Euros::french),
        comment: update.comment.clone(),
        submitted_at: update.submitted_at.map(|t| page.when(t.0)).unwrap_or_default(),
        decided_at: update.decided_at.map(|t| page.when(t.0)).unwrap_or_default(),
        report: reports.then(|| report.unwrap_or_else(|| ReportForm::of(r, &view.indicators))),
        decide: decides.then(|| decide.unwrap_or_default()),
        statuses: MeasureStatus::ALL
            .into_iter()
            .map(|s| (s.key(), status_label(&page, Some(s))))
            .collect(),
        indicators: view
            .indicators
            .iter()
            .map(|i| (i.id.clone(), indicator_label(&i.definition, &i.unit)))
            .collect(),
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

/// GET /coordination/rounds/{id}/measures/{number}
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, raw_number)): Path<(String, String)>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let number = number(&raw_number)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    render_update(
        &state,
        &ctx,
        &user,
        &id,
        number,
        None,
        None,
        FieldErrors::default(),
        notice,
    )
    .await
}

/// POST /coordination/rounds/{id}/measures/{number}: the focal point sends the update.
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, raw_number)): Path<(String, String)>,
    Form(form): Form<ReportForm>,
) -> Result<Response, AppError> {
    let can = capability::<ReportOnMeasures>(&user, &ctx.path)?;
    let id = round_id(&id)?;
    let number = number(&raw_number)?;
    let page = Page::new(&state, &ctx);
    let indicators = load(&state, &ctx, &user, &id, number).await?.indicators;
    let report = match form.check(&page, &indicators, page.today(state.clock.now())) {
        Ok(report) => report,
        Err(errors) => return render_update(&state, &ctx, &user, &id, number, Some(form), None, errors, None).await,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rounds::submit(&mut tx, &can, &id, number, &report).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Redirect::to("/coordination/asked?done=round-update-sent").into_response())
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("status", page.t("round-error-not-awaited"));
            render_update(&state, &ctx, &user, &id, number, Some(form), None, errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /coordination/rounds/{id}/measures/{number}/decision: validate or return.
pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((id, raw_number)): Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let id = round_id(&id)?;
    let number = number(&raw_number)?;
    let page = Page::new(&state, &ctx);
    let comment = form.comment.trim();
    let mut errors = FieldErrors::default();
    let decision = match form.decision.as_str() {
        "validate" => Some(Decision::Validate),
        "return" if comment.is_empty() => {
            errors.add("comment", page.t("round-error-comment"));
            None
        }
        "return" if comment.chars().count() > TEXT_MAX => {
            errors.add("comment", page.t("plan-problem-too-long"));
            None
        }
        "return" => Some(Decision::Return {
            comment: comment.to_owned(),
        }),
        _ => {
            errors.add("decision", page.t("round-error-decision"));
            None
        }
    };
    let Some(decision) = decision else {
        return render_update(&state, &ctx, &user, &id, number, None, Some(form), errors, None).await;
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match rounds::decide(&mut tx, &can, &id, number, &decision).await {
        Ok(()) => {
            tx.commit().await?;
            let done = match decision {
                Decision::Validate => "round-update-validated",
                Decision::Return { .. } => "round-update-returned",
            };
            Ok(Redirect::to(&format!("/coordination/rounds/{id}?done={done}")).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            errors.add("decision", page.t("round-error-not-awaited"));
            render_update(&state, &ctx, &user, &id, number, None, Some(form), errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}
