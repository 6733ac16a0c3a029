//! The coordinator's budget forms: add or change a budget line, choose the
//! measures it funds with the amount assigned to each, add a grant. A
//! refused form comes back filled in with an error summary.

use super::view::{measure_label, nature_label, plan_code};
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
use relais_domain::access::authz::{ManagePlans, ViewPlans};
use relais_domain::coordination::budget::{
    CreditNature, Problem, RawGrant, RawLine, check_assignments, check_grant, check_line,
};
use relais_domain::coordination::measure::PlanCode;
use relais_domain::coordination::money::Euros;
use relais_store::StoreError;
use relais_store::coordination::{self, PlanBudget, StoredLine};
use serde::Deserialize;
use std::collections::HashMap;

/// A line form as typed; also filled from a stored line.
#[derive(Deserialize, Default, Clone)]
pub struct LineForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    programme_label: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    action_label: String,
    #[serde(default)]
    nature: String,
    #[serde(default)]
    ae_planned: String,
    #[serde(default)]
    ae_committed: String,
    #[serde(default)]
    cp_planned: String,
    #[serde(default)]
    cp_paid: String,
}

/// `12 500,50` as a form shows an amount (what `Euros::parse` reads back).
fn typed(amount: Euros) -> String {
    amount.french().trim_end_matches('€').trim_end().to_owned()
}

impl LineForm {
    fn of(stored: &StoredLine) -> Self {
        let l = &stored.line;
        Self {
            year: l.year.to_string(),
            programme: l.programme.code(),
            programme_label: l.programme_label.clone(),
            action: l.action.code(),
            action_label: l.action_label.clone(),
            nature: l.nature.key().to_owned(),
            ae_planned: typed(l.amounts.ae_planned),
            ae_committed: typed(l.amounts.ae_committed),
            cp_planned: typed(l.amounts.cp_planned),
            cp_paid: typed(l.amounts.cp_paid),
        }
    }

    fn raw(&self) -> RawLine {
        RawLine {
            year: self.year.clone(),
            programme: self.programme.clone(),
            programme_label: self.programme_label.clone(),
            action: self.action.clone(),
            action_label: self.action_label.clone(),
            nature: self.nature.clone(),
            ae_planned: self.ae_planned.clone(),
            ae_committed: self.ae_committed.clone(),
            cp_planned: self.cp_planned.clone(),
            cp_paid: self.cp_paid.clone(),
        }
    }
}

/// One measure of the plan in the picker of a line's measures.
pub struct MeasurePick {
    pub field: String,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "coordination/budget_line.html")]
struct LinePage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    /// `None`: a new line.
    line_id: Option<String>,
    form: LineForm,
    years: Vec<i32>,
    natures: Vec<(&'static str, String)>,
    picks: Vec<MeasurePick>,
    errors: FieldErrors,
    notice: Option<String>,
}

fn problems_to_errors(page: &Page, problems: &[Problem]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for p in problems {
        errors.add(p.field, page.t(&format!("budget-problem-{}", p.key)));
    }
    errors
}

/// The plan's budget, for a coordinator (who also views plans).
async fn load(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &PlanCode,
) -> Result<PlanBudget, AppError> {
    let view = capability::<ViewPlans>(user, &ctx.path)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let budget = coordination::budget(&mut tx, &view, code).await?;
    tx.commit().await?;
    Ok(budget)
}

fn budget_url(code: &PlanCode, year: i32, done: &str) -> String {
    format!("/coordination/plans/{}/budget?year={year}&done={done}", code.as_str())
}

/// Renders the line page; `typed_picks` given when a refused measures form
/// is shown again.
fn line_page(
    page: &Page,
    budget: &PlanBudget,
    line: Option<&StoredLine>,
    form: Option<LineForm>,
    typed_picks: Option<&HashMap<String, String>>,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let assigned: HashMap<u32, Euros> = line.map(|l| l.assigned.iter().copied().collect()).unwrap_or_default();
    let picks = budget
        .measures
        .iter()
        .map(|m| {
            let field = format!("amount_{}", m.number);
            let value = match typed_picks {
                Some(typed_picks) => typed_picks.get(&field).cloned().unwrap_or_default(),
                None => assigned.get(&m.number).map(|a| typed(*a)).unwrap_or_default(),
            };
            MeasurePick {
                label: measure_label(page, m.number, &m.title),
                field,
                value,
            }
        })
        .collect();
    let plan = &budget.plan;
    let refused = !errors.is_empty();
    let body = render(&LinePage {
        page,
        code: plan.code.as_str().to_owned(),
        plan_title: plan.title.clone(),
        line_id: line.map(|l| l.id.clone()),
        form: form.unwrap_or_else(|| line.map(LineForm::of).unwrap_or_default()),
        years: (plan.period.start..=plan.period.end).collect(),
        natures: CreditNature::ALL
            .into_iter()
            .map(|n| (n.key(), nature_label(page, n)))
            .collect(),
        picks,
        errors,
        notice,
    })?;
    if refused {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
    } else {
        Ok(body.into_response())
    }
}

/// GET /coordination/plans/{code}/budget/lines/new
pub async fn new_line(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<ManagePlans>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let budget = load(&state, &ctx, &user, &code).await?;
    line_page(&page, &budget, None, None, None, FieldErrors::default(), None)
}

/// GET /coordination/plans/{code}/budget/lines/{id}: the line and its measures.
pub async fn edit_line(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, id)): Path<(String, String)>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    capability::<ManagePlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let budget = load(&state, &ctx, &user, &code).await?;
    let line = budget.line(&id).ok_or(AppError::NotFound)?;
    line_page(
        &page,
        &budget,
        Some(line),
        None,
        None,
        FieldErrors::default(),
        query.notice(&page),
    )
}

/// Checks and saves a line (`id` `None`: a new one).
async fn save(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &PlanCode,
    id: Option<&str>,
    form: LineForm,
) -> Result<Response, AppError> {
    let manage = capability::<ManagePlans>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let budget = load(state, ctx, user, code).await?;
    let existing = match id {
        Some(id) => Some(budget.line(id).ok_or(AppError::NotFound)?),
        None => None,
    };
    let checked = check_line(&form.raw(), budget.plan.period).and_then(|line| {
        // A line's planned AE may not fall below what it already assigns.
        let assigned = existing.map(|l| l.assigned.as_slice()).unwrap_or_default();
        match check_assignments(line.amounts.ae_planned, assigned) {
            Ok(()) => Ok(line),
            Err(key) => Err(vec![Problem {
                field: "ae_planned",
                key,
            }]),
        }
    });
    let line = match checked {
        Ok(line) => line,
        Err(problems) => {
            let errors = problems_to_errors(&page, &problems);
            return line_page(&page, &budget, existing, Some(form), None, errors, None);
        }
    };
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let saved = coordination::save_line(&mut tx, &manage, code, id, &line).await?;
    tx.commit().await?;
    let to = match id {
        Some(_) => budget_url(code, line.year, "budget-line-saved"),
        None => format!(
            "/coordination/plans/{}/budget/lines/{saved}?done=budget-line-created",
            code.as_str()
        ),
    };
    Ok(Redirect::to(&to).into_response())
}

/// POST /coordination/plans/{code}/budget/lines: a new line, then its measures.
pub async fn create_line(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<ManagePlans>,
    Path(code): Path<String>,
    Form(form): Form<LineForm>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    save(&state, &ctx, &user, &code, None, form).await
}

/// POST /coordination/plans/{code}/budget/lines/{id}
pub async fn update_line(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<LineForm>,
) -> Result<Response, AppError> {
    capability::<ManagePlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    save(&state, &ctx, &user, &code, Some(&id), form).await
}

/// POST /coordination/plans/{code}/budget/lines/{id}/measures: one amount
/// field per measure of the plan (`amount_N`); empty or zero: not funded.
pub async fn link_measures(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let manage = capability::<ManagePlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let budget = load(&state, &ctx, &user, &code).await?;
    let line = budget.line(&id).ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    let mut assigned = Vec::new();
    for measure in &budget.measures {
        let field = format!("amount_{}", measure.number);
        let raw = form.get(&field).map(String::as_str).unwrap_or_default();
        if raw.trim().is_empty() {
            continue;
        }
        match Euros::parse(raw) {
            Some(amount) if amount.cents() > 0 => assigned.push((measure.number, amount)),
            Some(_) => {}
            None => errors.add(
                field,
                page.tr.t1(
                    "budget-problem-measure-amount",
                    "measure",
                    &measure_label(&page, measure.number, &measure.title),
                ),
            ),
        }
    }
    if errors.is_empty()
        && let Err(key) = check_assignments(line.line.amounts.ae_planned, &assigned)
    {
        errors.add("measures", page.t(&format!("budget-problem-{key}")));
    }
    if !errors.is_empty() {
        return line_page(&page, &budget, Some(line), None, Some(&form), errors, None);
    }
    let year = line.line.year;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    coordination::set_line_measures(&mut tx, &manage, &code, &id, &assigned).await?;
    tx.commit().await?;
    Ok(Redirect::to(&budget_url(&code, year, "budget-measures-linked")).into_response())
}

/// A grant form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct GrantForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    beneficiary: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    line: String,
}

#[derive(Template)]
#[template(path = "coordination/budget_grant.html")]
struct GrantPage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    form: GrantForm,
    years: Vec<i32>,
    /// (number, "Mesure N — title")
    measures: Vec<(String, String)>,
    /// (id, name)
    lines: Vec<(String, String)>,
    errors: FieldErrors,
}

fn grant_page(page: &Page, budget: &PlanBudget, form: GrantForm, errors: FieldErrors) -> Result<Response, AppError> {
    let plan = &budget.plan;
    let refused = !errors.is_empty();
    let body = render(&GrantPage {
        page,
        code: plan.code.as_str().to_owned(),
        plan_title: plan.title.clone(),
        form,
        years: (plan.period.start..=plan.period.end).collect(),
        measures: budget
            .measures
            .iter()
            .map(|m| (m.number.to_string(), measure_label(page, m.number, &m.title)))
            .collect(),
        lines: budget.lines.iter().map(|l| (l.id.clone(), l.line.name())).collect(),
        errors,
    })?;
    if refused {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
    } else {
        Ok(body.into_response())
    }
}

/// GET /coordination/plans/{code}/budget/grants/new
pub async fn new_grant(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { user, .. }: Authorized<ManagePlans>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let budget = load(&state, &ctx, &user, &code).await?;
    grant_page(&page, &budget, GrantForm::default(), FieldErrors::default())
}

/// POST /coordination/plans/{code}/budget/grants
pub async fn create_grant(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can: manage, user }: Authorized<ManagePlans>,
    Path(code): Path<String>,
    Form(form): Form<GrantForm>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let budget = load(&state, &ctx, &user, &code).await?;
    let numbers: Vec<u32> = budget.measures.iter().map(|m| m.number).collect();
    let raw = RawGrant {
        year: form.year.clone(),
        beneficiary: form.beneficiary.clone(),
        amount: form.amount.clone(),
        measure: form.measure.clone(),
    };
    let line_id = Some(form.line.trim()).filter(|l| !l.is_empty());
    let checked = check_grant(&raw, budget.plan.period, &numbers);
    let mut problems = checked.as_ref().err().cloned().unwrap_or_default();
    if line_id.is_some_and(|id| budget.line(id).is_none()) {
        problems.push(Problem {
            field: "line",
            key: "line",
        });
    }
    let grant = match checked {
        Ok(grant) if problems.is_empty() => grant,
        _ => {
            let errors = problems_to_errors(&page, &problems);
            return grant_page(&page, &budget, form, errors);
        }
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match coordination::add_grant(&mut tx, &manage, &code, &grant, line_id).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    }
    tx.commit().await?;
    Ok(Redirect::to(&budget_url(&code, grant.year, "budget-grant-added")).into_response())
}
