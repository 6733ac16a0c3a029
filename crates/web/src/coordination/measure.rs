//! One measure: its facts, the coordinator's edit form, the rapporteur's
//! rating beside the government's status, and every version with what
//! changed.

use super::view::{plan_code, rating_label, status_label};
use crate::AppState;
use crate::access::authorized::{capability, holds};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{ManagePlans, RatePlans, ViewPlans};
use relais_domain::coordination::completeness::gaps;
use relais_domain::coordination::deadline::Deadline;
use relais_domain::coordination::measure::{self as plan_measure, COLUMNS, PlanCode, RawRow, check_row, diff};
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::status::{MeasureStatus, Rating, diverges};
use relais_store::coordination::{self, MeasureEdit, RatingEdit, StoredMeasure};
use serde::Deserialize;

/// The edit form as typed; also filled from the stored measure.
#[derive(Deserialize, Default, Clone)]
pub struct EditForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    pilot: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    baseline: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    cost_eur: String,
    #[serde(default)]
    funding: String,
    #[serde(default)]
    status: String,
}

impl EditForm {
    fn of(measure: &StoredMeasure) -> Self {
        let row: RawRow = COLUMNS.into_iter().zip(measure.record.to_row()).collect();
        let cell = |c: &str| row.get(c).cloned().unwrap_or_default();
        Self {
            version: measure.version,
            title: cell("title"),
            description: measure.description.clone(),
            pilot: cell("pilot"),
            deadline: cell("deadline"),
            indicator: cell("indicator"),
            baseline: cell("baseline"),
            target: cell("target"),
            cost_eur: cell("cost_eur"),
            funding: cell("funding"),
            status: cell("status"),
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct RateForm {
    #[serde(default)]
    version: i64,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    justification: String,
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
#[template(path = "coordination/measure.html")]
struct MeasurePage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    number: u32,
    title: String,
    description: String,
    axis: String,
    pilot: String,
    partners: String,
    deadline: String,
    indicator: String,
    target: String,
    cost: String,
    funding: String,
    status: String,
    rating: String,
    justification: String,
    source: String,
    divergent: bool,
    missing: Vec<String>,
    versions: Vec<VersionView>,
    edit: Option<EditForm>,
    rate: Option<RateForm>,
    bodies: Vec<String>,
    statuses: Vec<(&'static str, String)>,
    ratings: Vec<(&'static str, String)>,
    errors: FieldErrors,
    notice: Option<String>,
}

/// A versioned value as people read it: labels, French amounts and dates.
fn value_label(page: &Page, field: &str, raw: &str) -> String {
    let label = match field {
        "status" => MeasureStatus::parse(raw).map(|s| status_label(page, Some(s))),
        "rapporteur_status" => Rating::parse(raw).map(|r| rating_label(page, Some(r))),
        "cost_eur" => Euros::parse(raw).map(Euros::french),
        "deadline" => Deadline::parse(raw).map(Deadline::french),
        "partners" => Some(raw.replace(';', ", ")),
        _ => None,
    };
    label.unwrap_or_else(|| raw.to_owned())
}

fn number(raw: &str) -> Result<u32, AppError> {
    raw.parse()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or(AppError::NotFound)
}

/// Renders the page; `edit` / `rate` carry what was typed when a form was refused.
#[allow(clippy::too_many_arguments, reason = "one page, shown fresh or with a refused form")]
async fn render_measure(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &PlanCode,
    number: u32,
    edit: Option<EditForm>,
    rate: Option<RateForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let view = capability::<ViewPlans>(user, &ctx.path)?;
    let page = Page::new(state, ctx);
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (plan, measure, versions) = coordination::measure(&mut tx, &view, code, number).await?;
    let bodies = coordination::bodies(&mut tx).await?;
    tx.commit().await?;
    let manages = holds::<ManagePlans>(user);
    let rates = holds::<RatePlans>(user);
    let record = &measure.record;
    let unspecified = || page.t("plan-not-specified");
    let text = |value: &Option<String>| value.clone().unwrap_or_else(unspecified);
    let mut history = Vec::new();
    let mut previous = std::collections::BTreeMap::new();
    for version in &versions {
        history.push(VersionView {
            version: version.version,
            at: page.when(version.changed_at.0),
            by: version
                .changed_by
                .clone()
                .unwrap_or_else(|| page.t("plan-changed-by-system")),
            changes: diff(&previous, &version.fields)
                .into_iter()
                .map(|c| ChangeView {
                    field: page.t(&format!("plan-field-{}", c.field)),
                    before: value_label(&page, &c.field, &c.before),
                    after: value_label(&page, &c.field, &c.after),
                })
                .collect(),
        });
        previous.clone_from(&version.fields);
    }
    history.reverse();
    let body = render(&MeasurePage {
        code: plan.code.as_str().to_owned(),
        plan_title: plan.title.clone(),
        number: record.number,
        title: record.title.clone(),
        description: measure.description.clone(),
        axis: match (record.axis, record.axis_title.is_empty()) {
            (Some(axis), false) => page.tr.tn(
                "plan-axis-titled",
                &[("number", axis.to_string()), ("title", record.axis_title.clone())],
            ),
            (Some(axis), true) => page.tr.t1("plan-axis-untitled", "number", &axis.to_string()),
            (None, _) => page.t("plan-axis-none"),
        },
        pilot: text(&record.pilot),
        partners: if record.partners.is_empty() {
            unspecified()
        } else {
            record.partners.join(", ")
        },
        deadline: record.deadline.map_or_else(unspecified, |d| d.french()),
        indicator: text(&record.indicator),
        target: match (&record.baseline, &record.target) {
            (Some(baseline), Some(target)) => page.tr.tn(
                "plan-baseline-target",
                &[("baseline", baseline.clone()), ("target", target.clone())],
            ),
            (_, target) => text(target),
        },
        cost: record.cost.map_or_else(unspecified, |c| c.french()),
        funding: text(&record.funding),
        status: status_label(&page, record.status),
        rating: rating_label(&page, record.rating),
        justification: measure.justification.clone(),
        source: measure.source.clone(),
        divergent: diverges(record.status, record.rating) == Some(true),
        missing: gaps(record)
            .into_iter()
            .map(|g| page.t(&format!("plan-gap-{}", g.key())))
            .collect(),
        versions: history,
        edit: manages.then(|| edit.unwrap_or_else(|| EditForm::of(&measure))),
        rate: rates.then(|| {
            rate.unwrap_or_else(|| RateForm {
                version: measure.version,
                rating: record.rating.map(|r| r.key().to_owned()).unwrap_or_default(),
                justification: measure.justification.clone(),
            })
        }),
        bodies,
        statuses: MeasureStatus::ALL
            .into_iter()
            .map(|s| (s.key(), status_label(&page, Some(s))))
            .collect(),
        ratings: Rating::ALL
            .into_iter()
            .map(|r| (r.key(), rating_label(&page, Some(r))))
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

/// GET /coordination/plans/{code}/measures/{number}
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_number)): Path<(String, String)>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let number = number(&raw_number)?;
    let notice = query.notice(&Page::new(&state, &ctx));
    render_measure(
        &state,
        &ctx,
        &user,
        &code,
        number,
        None,
        None,
        FieldErrors::default(),
        notice,
    )
    .await
}

fn measure_url(code: &PlanCode, number: u32, done: &str) -> String {
    format!("/coordination/plans/{}/measures/{number}?done={done}", code.as_str())
}

/// The form's cells checked by the same rules as a file's line.
fn check_edit(page: &Page, form: &EditForm, number: u32) -> Result<plan_measure::MeasureRecord, FieldErrors> {
    let row: RawRow = [
        ("measure", number.to_string()),
        ("title", form.title.clone()),
        ("pilot", form.pilot.clone()),
        ("deadline", form.deadline.clone()),
        ("indicator", form.indicator.clone()),
        ("baseline", form.baseline.clone()),
        ("target", form.target.clone()),
        ("cost_eur", form.cost_eur.clone()),
        ("funding", form.funding.clone()),
        ("status", form.status.clone()),
    ]
    .into_iter()
    .collect();
    check_row(&row).map_err(|problems| {
        let mut errors = FieldErrors::default();
        for p in problems {
            errors.add(p.column, page.t(&format!("plan-problem-{}", p.key)));
        }
        errors
    })
}

/// POST /coordination/plans/{code}/measures/{number}: the coordinator's edit.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_number)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> Result<Response, AppError> {
    let can = capability::<ManagePlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    let number = number(&raw_number)?;
    let page = Page::new(&state, &ctx);
    let record = match check_edit(&page, &form, number) {
        Ok(record) => record,
        Err(errors) => return render_measure(&state, &ctx, &user, &code, number, Some(form), None, errors, None).await,
    };
    let edit = MeasureEdit {
        expected_version: form.version,
        record,
        description: form.description.trim().to_owned(),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match coordination::update_measure(&mut tx, &can, &code, number, &edit).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&measure_url(&code, number, "plan-measure-updated")).into_response())
        }
        Err(relais_store::StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("title", page.t("plan-error-changed-meanwhile"));
            render_measure(&state, &ctx, &user, &code, number, Some(form), None, errors, None).await
        }
        Err(relais_store::StoreError::NotFound) if form.pilot.trim().is_empty() => Err(AppError::NotFound),
        Err(relais_store::StoreError::NotFound) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("pilot", page.t("plan-problem-unknown-body"));
            render_measure(&state, &ctx, &user, &code, number, Some(form), None, errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /coordination/plans/{code}/measures/{number}/rating: the rapporteur's rating.
pub async fn rate(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_number)): Path<(String, String)>,
    Form(form): Form<RateForm>,
) -> Result<Response, AppError> {
    let can = capability::<RatePlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    let number = number(&raw_number)?;
    let page = Page::new(&state, &ctx);
    let rating = Rating::parse(&form.rating);
    let justification = form.justification.trim();
    let mut errors = FieldErrors::default();
    if rating.is_none() && !form.rating.trim().is_empty() {
        errors.add("rating", page.t("plan-problem-rapporteur-status"));
    }
    if rating.is_some() && justification.is_empty() {
        errors.add("justification", page.t("plan-error-justification"));
    }
    if justification.chars().count() > plan_measure::TEXT_MAX {
        errors.add("justification", page.t("plan-problem-too-long"));
    }
    if !errors.is_empty() {
        return render_measure(&state, &ctx, &user, &code, number, None, Some(form), errors, None).await;
    }
    let edit = RatingEdit {
        expected_version: form.version,
        rating,
        justification: justification.to_owned(),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match coordination::rate_measure(&mut tx, &can, &code, number, &edit).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&measure_url(&code, number, "plan-measure-rated")).into_response())
        }
        Err(relais_store::StoreError::Conflict(_)) => {
            drop(tx);
            let mut errors = FieldErrors::default();
            errors.add("rating", page.t("plan-error-changed-meanwhile"));
            render_measure(&state, &ctx, &user, &code, number, None, Some(form), errors, None).await
        }
        Err(other) => Err(other.into()),
    }
}
