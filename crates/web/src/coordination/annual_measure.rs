//! One measure's year: what it states and lacks, the forms that set the
//! year's cost and funding source, its status with evidence, milestones and
//! indicators with dated values, and the history of the year's entry.

use super::view::{funding_label, plan_code, status_label, year};
use crate::AppState;
use crate::access::authorized::{capability, holds};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::observatory::training_view::{indicator_value, shown_text};
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManagePlans, ViewPlans};
use relais_domain::coordination::annual::{
    check_indicator, check_milestone, check_money, check_reached, check_status, check_value, field, year_gaps,
};
use relais_domain::coordination::funding::{FundingSource, KINDS};
use relais_domain::coordination::measure::{Problem, diff};
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::status::MeasureStatus;
use relais_domain::observatory::training::TrainingCount;
use relais_domain::time::Date;
use relais_stats::Disclosure;
use relais_store::StoreError;
use relais_store::coordination::annual::{
    self, AnnualMeasurePage, MilestoneReached, MoneyEdit, StatusReport, ValueReport, YearMeasure,
};
use relais_store::observatory::training;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize, Default, Clone)]
pub struct MoneyForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    cost_eur: String,
    #[serde(default)]
    funding_kind: String,
    #[serde(default)]
    funding_programme: String,
    #[serde(default)]
    funding_action: String,
    #[serde(default)]
    funding_label: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct StatusForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    status_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct MilestoneForm {
    #[serde(default)]
    milestone_title: String,
    #[serde(default)]
    milestone_due: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ReachForm {
    #[serde(default)]
    done_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct IndicatorForm {
    #[serde(default)]
    counts: String,
    #[serde(default)]
    definition: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    target: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ValueForm {
    #[serde(default)]
    value_on: String,
    #[serde(default)]
    value: String,
}

/// What was typed in the form that was refused; the other forms show the
/// stored values.
#[derive(Default)]
struct Typed {
    money: Option<MoneyForm>,
    status: Option<StatusForm>,
    milestone: Option<MilestoneForm>,
    /// The milestone's id and the date typed.
    reach: Option<(String, ReachForm)>,
    indicator: Option<IndicatorForm>,
    /// The indicator's id and what was typed.
    value: Option<(String, ValueForm)>,
}

pub struct MilestoneView {
    pub id: String,
    pub title: String,
    pub due: String,
    pub done: Option<String>,
    pub overdue: bool,
    /// The date typed in its "reached" form.
    pub done_on: String,
}

pub struct ValueView {
    pub on: String,
    pub value: String,
}

pub struct IndicatorView {
    pub id: String,
    pub definition: String,
    pub unit: String,
    pub source: String,
    pub baseline: String,
    pub target: String,
    pub values: Vec<ValueView>,
    pub value_on: String,
    pub value: String,
    /// For an indicator counted from the training records: its value for
    /// the year, in a sentence (ADR 0044); no value is typed for it.
    pub computed: Option<String>,
}

pub struct ChangeView {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct VersionView {
    pub version: i64,
    pub at: String,
    pub by: String,
    pub changes: Vec<ChangeView>,
}

#[derive(Template)]
#[template(path = "coordination/annual_measure.html")]
struct MeasureYearPage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    year: i32,
    number: u32,
    title: String,
    pilot: String,
    cost: String,
    spent: String,
    funding: String,
    status: String,
    evidence: String,
    status_on: String,
    missing: Vec<String>,
    milestones: Vec<MilestoneView>,
    indicators: Vec<IndicatorView>,
    versions: Vec<VersionView>,
    manages: bool,
    money: MoneyForm,
    status_form: StatusForm,
    milestone: MilestoneForm,
    indicator: IndicatorForm,
    kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    /// What an indicator's values may come from: typed, or counted from the
    /// training records (all professions, or one).
    counts: Vec<(String, String)>,
    errors: FieldErrors,
    notice: Option<String>,
}

fn number(raw: &str) -> Result<u32, AppError> {
    raw.parse()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or(AppError::NotFound)
}

fn at(code: &str, raw_year: &str, raw_number: &str) -> Result<YearMeasure, AppError> {
    Ok(YearMeasure {
        code: plan_code(code)?,
        year: year(raw_year)?,
        number: number(raw_number)?,
    })
}

fn url(at: &YearMeasure, done: &str) -> String {
    format!(
        "/coordination/plans/{}/years/{}/measures/{}?done={done}",
        at.code.as_str(),
        at.year,
        at.number
    )
}

/// Each problem named with its question, on the field `id` (`field-ID` for
/// the forms repeated per milestone or indicator).
fn problems(page: &Page, problems: &[Problem], suffix: Option<&str>) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for p in problems {
        let message = page.tr.tn(
            "annual-error",
            &[
                ("field", page.t(&format!("annual-field-{}", p.column))),
                ("problem", page.t(&format!("annual-problem-{}", p.key))),
            ],
        );
        match suffix {
            Some(id) => errors.add(format!("{}-{id}", p.column), message),
            None => errors.add(p.column, message),
        }
    }
    errors
}

/// How a versioned field's value reads.
#[derive(Clone, Copy)]
enum Shown {
    Milestone,
    Indicator,
    Status,
    Cost,
    Date,
    Text,
}

/// "people trained (all professions)", "people trained: police".
fn counts_label(page: &Page, count: TrainingCount) -> String {
    match count.profession {
        None => page.t("annual-counts-training-all"),
        Some(p) => page.tr.t1(
            "annual-counts-training-of",
            "profession",
            &page.t(&format!("training-profession-{}", p.key())),
        ),
    }
}

fn date_text(raw: &str) -> String {
    Date::parse(raw).map_or_else(|| raw.to_owned(), Date::french)
}

/// The `at`-th part of a `|`-separated versioned value.
fn part(raw: &str, at: usize) -> String {
    raw.split('|').nth(at).unwrap_or_default().to_owned()
}

fn show(page: &Page, shown: Shown, raw: &str) -> String {
    if raw.is_empty() {
        return String::new();
    }
    match shown {
        Shown::Milestone => {
            let due = page.tr.t1("annual-history-due", "date", &date_text(&part(raw, 0)));
            match part(raw, 1).as_str() {
                "" => due,
                done => format!(
                    "{due} — {}",
                    page.tr.t1("annual-history-done", "date", &date_text(done))
                ),
            }
        }
        Shown::Indicator => {
            let facts = page.tr.tn(
                "annual-history-indicator-value",
                &[
                    ("unit", part(raw, 0)),
                    ("baseline", part(raw, 1)),
                    ("target", part(raw, 2)),
                ],
            );
            match TrainingCount::parse(&part(raw, 5)) {
                Some(count) => format!("{facts} — {}", counts_label(page, count)),
                None => facts,
            }
        }
        Shown::Status => MeasureStatus::parse(raw).map_or_else(|| raw.to_owned(), |s| status_label(page, Some(s))),
        Shown::Cost => Euros::parse(raw).map_or_else(|| raw.to_owned(), Euros::french),
        Shown::Date => date_text(raw),
        Shown::Text => raw.to_owned(),
    }
}

/// A history change as people read it: labels, French amounts and dates.
fn change(page: &Page, field: &str, before: &str, after: &str, definitions: &HashMap<String, String>) -> ChangeView {
    let title_of = |at: usize| match part(after, at) {
        title if title.is_empty() => part(before, at),
        title => title,
    };
    let (label, shown) = match field.split(':').collect::<Vec<_>>()[..] {
        ["milestone", _] => (
            page.tr.t1("annual-history-milestone", "title", &title_of(2)),
            Shown::Milestone,
        ),
        ["indicator", _] => (
            page.tr.t1("annual-history-indicator", "definition", &title_of(4)),
            Shown::Indicator,
        ),
        ["value", indicator, on] => (
            page.tr.tn(
                "annual-history-value",
                &[
                    ("definition", definitions.get(indicator).cloned().unwrap_or_default()),
                    ("date", date_text(on)),
                ],
            ),
            Shown::Text,
        ),
        [name] => (
            page.t(&format!("annual-field-{name}")),
            match name {
                field::STATUS => Shown::Status,
                field::COST | field::SPENT => Shown::Cost,
                field::STATUS_ON => Shown::Date,
                _ => Shown::Text,
            },
        ),
        _ => (field.to_owned(), Shown::Text),
    };
    ChangeView {
        field: label,
        before: show(page, shown, before),
        after: show(page, shown, after),
    }
}

fn history(page: &Page, found: &AnnualMeasurePage) -> Vec<VersionView> {
    let definitions: HashMap<String, String> = found
        .measure
        .entry
        .indicators
        .iter()
        .map(|i| (i.id.clone(), i.indicator.definition.clone()))
        .collect();
    let mut history = Vec::new();
    let mut previous = BTreeMap::new();
    for version in &found.versions {
        history.push(VersionView {
            version: version.version,
            at: page.when(version.changed_at.0),
            by: version
                .changed_by
                .clone()
                .unwrap_or_else(|| page.t("plan-changed-by-system")),
            changes: diff(&previous, &version.fields)
                .into_iter()
                .map(|c| change(page, &c.field, &c.before, &c.after, &definitions))
                .collect(),
        });
        previous.clone_from(&version.fields);
    }
    history.reverse();
    history
}

/// Renders the page; `typed` carries what was typed when a form was refused.
async fn render_page(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    at: &YearMeasure,
    typed: Typed,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = capability::<ViewPlans>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let found = annual::annual_measure(&mut tx, &view, at).await?;
    let counted = found
        .measure
        .entry
        .indicators
        .iter()
        .any(|i| i.indicator.counts.is_some());
    let trained = if counted {
        Some(training::totals_for_plans(&mut tx, &view, at.year).await?)
    } else {
        None
    };
    tx.commit().await?;
    let policy = Disclosure::new(state.settings.statistics.min_group);
    let today = page.today(state.clock.now());
    let measure = &found.measure;
    let entry = &measure.entry;
    let (milestones, indicators) = measure.parts();
    let missing = year_gaps(at.year, &measure.with_year(&milestones, &indicators))
        .into_iter()
        .map(|g| page.t(&format!("plan-gap-{}", g.key())))
        .collect();
    let unspecified = || page.t("plan-not-specified");
    let funding = entry.money.funding.as_ref();
    let budget = funding.and_then(FundingSource::budget_codes);
    let stored_money = MoneyForm {
        version: entry.version,
        cost_eur: entry.money.cost.map(|c| c.to_text()).unwrap_or_default(),
        funding_kind: funding.map(|f| f.kind().to_owned()).unwrap_or_default(),
        funding_programme: budget.map(|(p, _)| p.to_owned()).unwrap_or_default(),
        funding_action: budget.map(|(_, a)| a.to_owned()).unwrap_or_default(),
        funding_label: funding
            .and_then(FundingSource::label)
            .map(str::to_owned)
            .unwrap_or_default(),
    };
    let status = entry.status.as_ref();
    let stored_status = StatusForm {
        version: entry.version,
        status: status.map(|s| s.status.key().to_owned()).unwrap_or_default(),
        evidence: status.map(|s| s.evidence.clone()).unwrap_or_default(),
        status_on: status.map(|s| s.on.to_string()).unwrap_or_default(),
    };
    let body = render(&MeasureYearPage {
        code: found.plan.code.as_str().to_owned(),
        plan_title: found.plan.title.clone(),
        year: at.year,
        number: measure.record.number,
        title: measure.record.title.clone(),
        pilot: measure.record.pilot.clone().unwrap_or_else(unspecified),
        cost: entry.money.cost.map_or_else(unspecified, |c| c.french()),
        spent: entry.spent.map_or_else(|| page.t("annual-spent-none"), |c| c.french()),
        funding: funding.map_or_else(unspecified, |f| funding_label(&page, f)),
        status: status_label(&page, status.map(|s| s.status)),
        evidence: status.map(|s| s.evidence.clone()).unwrap_or_default(),
        status_on: status.map(|s| page.day(s.on)).unwrap_or_default(),
        missing,
        milestones: entry
            .milestones
            .iter()
            .map(|m| MilestoneView {
                id: m.id.clone(),
                title: m.milestone.title.clone(),
                due: page.day(m.milestone.due),
                done: m.milestone.done.map(|d| page.day(d)),
                overdue: m.milestone.overdue(today),
                done_on: match &typed.reach {
                    Some((id, form)) if *id == m.id => form.done_on.clone(),
                    _ => String::new(),
                },
            })
            .collect(),
        indicators: entry
            .indicators
            .iter()
            .map(|i| {
                let (value_on, value) = match &typed.value {
                    Some((id, form)) if *id == i.id => (form.value_on.clone(), form.value.clone()),
                    _ => (String::new(), String::new()),
                };
                let text = |t: &Option<String>| t.clone().unwrap_or_else(unspecified);
                IndicatorView {
                    id: i.id.clone(),
                    definition: i.indicator.definition.clone(),
                    unit: i.indicator.unit.clone(),
                    source: text(&i.indicator.source),
                    baseline: text(&i.indicator.baseline),
                    target: text(&i.indicator.target),
                    values: i
                        .values
                        .iter()
                        .map(|v| ValueView {
                            on: page.day(v.on),
                            value: v.value.clone(),
                        })
                        .collect(),
                    value_on,
                    value,
                    computed: i.indicator.counts.zip(trained.as_ref()).map(|(count, totals)| {
                        let shown = indicator_value(policy, totals, count);
                        page.tr.tn(
                            "annual-indicator-computed",
                            &[
                                ("value", shown_text(&page, policy, shown)),
                                ("what", counts_label(&page, count)),
                                ("year", at.year.to_string()),
                                ("day", page.day(today)),
                            ],
                        )
                    }),
                }
            })
            .collect(),
        versions: history(&page, &found),
        manages: holds::<ManagePlans>(user),
        money: typed.money.unwrap_or(stored_money),
        status_form: typed.status.unwrap_or(stored_status),
        milestone: typed.milestone.unwrap_or_default(),
        indicator: typed.indicator.unwrap_or_default(),
        kinds: KINDS
            .into_iter()
            .map(|k| (k, page.t(&format!("annual-funding-{k}"))))
            .collect(),
        statuses: MeasureStatus::ALL
            .into_iter()
            .map(|s| (s.key(), status_label(&page, Some(s))))
            .collect(),
        counts: TrainingCount::all()
            .map(|c| (c.key(), counts_label(&page, c)))
            .collect(),
        errors: errors.clone(),
        notice,
        page: &page,
    })?;
    if errors.is_empty() {
        Ok(body.into_response())
    } else {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
    }
}

/// GET /coordination/plans/{code}/years/{year}/measures/{number}
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number)): Path<(String, String, String)>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let at = at(&code, &raw_year, &raw_number)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    render_page(
        &state,
        &ctx,
        &user,
        &at,
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// The outcome of a change: the page with a notice, the form again when the
/// entry changed meanwhile (on `field`), or the error.
async fn finish<T>(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    at: &YearMeasure,
    tx: relais_store::Tx,
    outcome: Result<T, StoreError>,
    (done, field, typed): (&str, &'static str, Typed),
) -> Result<Response, AppError> {
    match outcome {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&url(at, done)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add(field, Page::new(state, ctx).t("annual-error-changed-meanwhile"));
            render_page(state, ctx, user, at, typed, errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}

type MeasurePath = Path<(String, String, String)>;

/// POST …/measures/{number}/money: the year's cost and funding source.
pub async fn set_money(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number)): MeasurePath,
    Form(form): Form<MoneyForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let checked = check_money(
        &form.cost_eur,
        &form.funding_kind,
        &form.funding_programme,
        &form.funding_action,
        &form.funding_label,
    );
    let typed = Typed {
        money: Some(form.clone()),
        ..Typed::default()
    };
    let money = match checked {
        Ok(money) => money,
        Err(found) => return render_page(&state, &ctx, &user, &at, typed, problems(&page, &found, None), None).await,
    };
    let edit = MoneyEdit {
        expected_version: form.version,
        money,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::set_money(&mut tx, &can, &at, &edit).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-money-saved", field::COST, typed),
    )
    .await
}

/// POST …/measures/{number}/status: the year's status with its evidence and date.
pub async fn report_status(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number)): MeasurePath,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let today = page.today(state.clock.now());
    let typed = Typed {
        status: Some(form.clone()),
        ..Typed::default()
    };
    let status = match check_status(&form.status, &form.evidence, &form.status_on, today) {
        Ok(status) => status,
        Err(found) => return render_page(&state, &ctx, &user, &at, typed, problems(&page, &found, None), None).await,
    };
    let report = StatusReport {
        expected_version: form.version,
        status,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::report_status(&mut tx, &can, &at, &report).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-status-saved", "status", typed),
    )
    .await
}

/// POST …/measures/{number}/milestones: a new milestone.
pub async fn add_milestone(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number)): MeasurePath,
    Form(form): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let typed = Typed {
        milestone: Some(form.clone()),
        ..Typed::default()
    };
    let milestone = match check_milestone(&form.milestone_title, &form.milestone_due) {
        Ok(milestone) => milestone,
        Err(found) => return render_page(&state, &ctx, &user, &at, typed, problems(&page, &found, None), None).await,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::add_milestone(&mut tx, &can, &at, &milestone).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-milestone-added", field::MILESTONE_TITLE, typed),
    )
    .await
}

/// POST …/measures/{number}/milestones/{id}/reached: the day it was reached.
pub async fn reach_milestone(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number, id)): Path<(String, String, String, String)>,
    Form(form): Form<ReachForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let today = page.today(state.clock.now());
    let typed = Typed {
        reach: Some((id.clone(), form.clone())),
        ..Typed::default()
    };
    let on = match check_reached(&form.done_on, today) {
        Ok(on) => on,
        Err(found) => {
            let errors = problems(&page, &found, Some(&id));
            return render_page(&state, &ctx, &user, &at, typed, errors, None).await;
        }
    };
    let reached = MilestoneReached { milestone_id: id, on };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::reach_milestone(&mut tx, &can, &at, &reached).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-milestone-reached", "milestones", typed),
    )
    .await
}

/// POST …/measures/{number}/indicators: a new monitoring indicator.
pub async fn add_indicator(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number)): MeasurePath,
    Form(form): Form<IndicatorForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let typed = Typed {
        indicator: Some(form.clone()),
        ..Typed::default()
    };
    let checked = check_indicator(
        &form.definition,
        &form.unit,
        &form.source,
        (&form.baseline, &form.target),
        &form.counts,
    );
    let indicator = match checked {
        Ok(indicator) => indicator,
        Err(found) => return render_page(&state, &ctx, &user, &at, typed, problems(&page, &found, None), None).await,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::add_indicator(&mut tx, &can, &at, &indicator).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-indicator-added", field::DEFINITION, typed),
    )
    .await
}

/// POST …/measures/{number}/indicators/{id}/values: a dated value.
pub async fn report_value(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year, raw_number, id)): Path<(String, String, String, String)>,
    Form(form): Form<ValueForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let at = at(&code, &raw_year, &raw_number)?;
    let page = Page::new(&state, &ctx);
    let today = page.today(state.clock.now());
    let typed = Typed {
        value: Some((id.clone(), form.clone())),
        ..Typed::default()
    };
    let value = match check_value(&form.value_on, &form.value, today) {
        Ok(value) => value,
        Err(found) => {
            let errors = problems(&page, &found, Some(&id));
            return render_page(&state, &ctx, &user, &at, typed, errors, None).await;
        }
    };
    let report = ValueReport {
        indicator_id: id,
        value,
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let outcome = annual::report_value(&mut tx, &can, &at, &report).await;
    finish(
        &state,
        &ctx,
        &user,
        &at,
        tx,
        outcome,
        ("annual-value-recorded", "indicators", typed),
    )
    .await
}
