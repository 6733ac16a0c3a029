//! The plans: their list, one plan's counts and completeness, publication,
//! the file import and the CSV and XLSX exports.

use super::view::{AxisView, SummaryView, by_axis, plan_code, rating_label, status_label, summary_view};
use crate::AppState;
use crate::access::authorized::{Authorized, capability, holds};
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use relais_domain::access::authz::{EvaluatePlans, ManagePlans, ViewPlans};
use relais_domain::coordination::completeness::{Gap, Summary, gaps};
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_domain::coordination::status::diverges;
use relais_store::audit::{Action, Object};
use relais_store::coordination::{self, ImportError, Plan, PlanHeader};

pub struct PlanRow {
    pub code: String,
    pub title: String,
    pub period: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "coordination/plans.html")]
struct ListPage<'a> {
    page: &'a Page,
    plans: Vec<PlanRow>,
    manages: bool,
}

fn period(plan: &Plan) -> String {
    format!("{}–{}", plan.period.start, plan.period.end)
}

/// GET /coordination/plans
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewPlans>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let plans = coordination::plans(&mut tx, &can).await?;
    tx.commit().await?;
    render(&ListPage {
        plans: plans
            .iter()
            .map(|p| PlanRow {
                code: p.code.as_str().to_owned(),
                title: p.title.clone(),
                period: period(p),
                published: p.published,
            })
            .collect(),
        manages: holds::<ManagePlans>(&user),
        page: &page,
    })
}

/// A measure's line in the completeness table.
pub struct MeasureLine {
    pub number: u32,
    pub title: String,
    pub status: String,
    pub rating: String,
    /// Per gap in `Gap::ALL` order: whether the measure specifies it.
    pub has: Vec<bool>,
    pub divergent: bool,
}

#[derive(Template)]
#[template(path = "coordination/plan.html")]
struct PlanPage<'a> {
    page: &'a Page,
    code: String,
    title: String,
    period: String,
    published: bool,
    summary: SummaryView,
    axes: Vec<AxisView>,
    gap_labels: Vec<String>,
    measures: Vec<MeasureLine>,
    /// The years of the period, each with its annual plan.
    years: Vec<i32>,
    manages: bool,
    /// May read the evaluation report.
    evaluates: bool,
    notice: Option<String>,
}

/// GET /coordination/plans/{code}: counts, by axis, and what each measure lacks.
pub async fn plan(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewPlans>,
    Path(code): Path<String>,
    Query(query): Query<crate::handler::DoneQuery>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (plan, measures) = coordination::plan(&mut tx, &can, &code).await?;
    tx.commit().await?;
    let records: Vec<_> = measures.iter().map(|m| &m.record).collect();
    let lines = records
        .iter()
        .map(|m| {
            let lacks = gaps(m);
            MeasureLine {
                number: m.number,
                title: m.title.clone(),
                status: status_label(&page, m.status),
                rating: rating_label(&page, m.rating),
                has: Gap::ALL.iter().map(|g| !lacks.contains(g)).collect(),
                divergent: diverges(m.status, m.rating) == Some(true),
            }
        })
        .collect();
    render(&PlanPage {
        code: plan.code.as_str().to_owned(),
        title: plan.title.clone(),
        period: period(&plan),
        published: plan.published,
        summary: summary_view(&page, &Summary::of(records.iter().copied())),
        axes: by_axis(&page, &records),
        gap_labels: Gap::ALL
            .iter()
            .map(|g| page.t(&format!("plan-gap-{}", g.key())))
            .collect(),
        measures: lines,
        years: (plan.period.start..=plan.period.end).collect(),
        manages: holds::<ManagePlans>(&user),
        evaluates: holds::<EvaluatePlans>(&user),
        notice: query.notice(&page),
        page: &page,
    })
}

#[derive(serde::Deserialize)]
pub struct PublishForm {
    #[serde(default)]
    published: String,
}

/// POST /coordination/plans/{code}/publication: show on the public page, or withdraw.
pub async fn publish(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManagePlans>,
    Path(code): Path<String>,
    Form(form): Form<PublishForm>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let published = form.published == "true";
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    coordination::set_published(&mut tx, &can, &code, published).await?;
    tx.commit().await?;
    let done = if published { "plan-published" } else { "plan-withdrawn" };
    Ok(Redirect::to(&format!("/coordination/plans/{}?done={done}", code.as_str())).into_response())
}

async fn export(
    state: &AppState,
    ctx: &RequestContext,
    user: &crate::session::SignedIn,
    code: &str,
    xlsx: bool,
) -> Result<Response, AppError> {
    capability::<ViewPlans>(user, &ctx.path)?;
    let code = plan_code(code)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (bytes, kind) = if xlsx {
        (coordination::export_xlsx(&mut tx, &code).await?, FileKind::Xlsx)
    } else {
        (
            coordination::export_csv(&mut tx, &code).await?.into_bytes(),
            FileKind::Csv,
        )
    };
    tx.audit(Action::CoordinationPlanExport, Object::Plan, Some(code.as_str()), None)
        .await?;
    tx.commit().await?;
    Ok(attachment(kind, &format!("plan-{}", code.as_str()), bytes))
}

/// GET /coordination/plans/{code}/export.csv: the file `relais plan import` reads.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, false).await
}

/// GET /coordination/plans/{code}/export.xlsx
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, true).await
}

/// What the import form holds, as typed (given back with the errors).
#[derive(Default)]
pub struct ImportFields {
    pub code: String,
    pub title: String,
    pub start: String,
    pub end: String,
    pub create_bodies: bool,
}

pub struct ProblemView {
    pub line: u64,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "coordination/import.html")]
struct ImportPage<'a> {
    page: &'a Page,
    fields: ImportFields,
    errors: FieldErrors,
    problems: Vec<ProblemView>,
}

/// GET /coordination/import
pub async fn import_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    _: Authorized<ManagePlans>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    render(&ImportPage {
        page: &page,
        fields: ImportFields::default(),
        errors: FieldErrors::default(),
        problems: vec![],
    })
}

/// Reads the multipart form; the file as text when it is UTF-8.
async fn read_import(multipart: &mut Multipart) -> Result<(ImportFields, Option<Vec<u8>>), AppError> {
    let mut fields = ImportFields::default();
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| AppError::TooLarge)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            file = Some(field.bytes().await.map_err(|_| AppError::TooLarge)?.to_vec());
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "code" => fields.code = value,
            "title" => fields.title = value,
            "start" => fields.start = value,
            "end" => fields.end = value,
            "create_bodies" => fields.create_bodies = value == "true",
            _ => {}
        }
    }
    Ok((fields, file))
}

fn check_import(
    page: &Page,
    fields: &ImportFields,
    file: Option<Vec<u8>>,
) -> Result<(PlanHeader, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let code = PlanCode::parse(&fields.code);
    if code.is_none() {
        errors.add("code", page.t("plan-error-code"));
    }
    let title = fields.title.trim();
    if title.is_empty() {
        errors.add("title", page.t("plan-error-title"));
    }
    let year = |raw: &str| raw.trim().parse::<i32>().ok();
    let period = match (year(&fields.start), year(&fields.end)) {
        (Some(start), Some(end)) => Period::new(start, end),
        _ => None,
    };
    if period.is_none() {
        errors.add("start", page.t("plan-error-period"));
    }
    let text = crate::forms::uploaded_text(page, file, &mut errors);
    match (code, period, text) {
        (Some(code), Some(period), Some(text)) if errors.is_empty() => Ok((
            PlanHeader {
                code,
                title: title.to_owned(),
                period,
            },
            text,
        )),
        _ => Err(errors),
    }
}

/// The import form again, with what was typed and why it was refused.
fn refused(
    page: &Page,
    fields: ImportFields,
    errors: FieldErrors,
    problems: Vec<ProblemView>,
) -> Result<Response, AppError> {
    let body = render(&ImportPage {
        page,
        fields,
        errors,
        problems,
    })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}

/// POST /coordination/import: the whole file or nothing; then the plan's page.
pub async fn import(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ManagePlans>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let (fields, file) = read_import(&mut multipart).await?;
    let (header, text) = match check_import(&page, &fields, file) {
        Ok(checked) => checked,
        Err(errors) => return refused(&page, fields, errors, vec![]),
    };
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    match coordination::import(&mut tx, &can, &header, &text, fields.create_bodies).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!(
                "/coordination/plans/{}?done=plan-imported",
                header.code.as_str()
            ))
            .into_response())
        }
        Err(ImportError::Invalid(found)) => {
            let problems = found
                .iter()
                .map(|p| ProblemView {
                    line: p.line,
                    column: page.t(&format!("plan-field-{}", p.problem.column)),
                    message: page.t(&format!("plan-problem-{}", p.problem.key)),
                })
                .collect();
            refused(&page, fields, FieldErrors::default(), problems)
        }
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}
