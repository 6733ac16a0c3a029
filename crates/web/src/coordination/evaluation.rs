//! A plan's evaluation report for the rapporteur and the coordinator: each
//! measure's government status beside the rapporteur's rating and
//! justification, whether they diverge, the counts at the top; printable,
//! and downloadable as CSV and XLSX.

use super::view::{plan_code, rating_label, status_label};
use crate::AppState;
use crate::access::authorized::{Authorized, capability};
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use relais_domain::access::authz::EvaluatePlans;
use relais_domain::coordination::evaluation::{Agreement, EvaluationCounts};
use relais_domain::coordination::status::Rating;
use relais_store::coordination;

/// A measure's line in the report.
pub struct EvaluationLine {
    pub number: u32,
    pub title: String,
    pub pilot: String,
    pub status: String,
    pub rating: String,
    pub justification: String,
    pub agreement: String,
    pub agreement_key: &'static str,
}

/// A count at the top of the report.
pub struct Count {
    pub id: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "coordination/evaluation.html")]
struct EvaluationPage<'a> {
    page: &'a Page,
    code: String,
    title: String,
    period: String,
    measures: usize,
    counts: Vec<Count>,
    lines: Vec<EvaluationLine>,
    /// Only the measures whose status and rating diverge.
    divergent_only: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct EvaluationQuery {
    only: Option<String>,
}

fn agreement_label(page: &Page, agreement: Agreement) -> String {
    page.t(&format!("evaluation-agreement-{}", agreement.key()))
}

/// GET /coordination/plans/{code}/evaluation[?only=divergent]
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<EvaluatePlans>,
    Path(code): Path<String>,
    Query(query): Query<EvaluationQuery>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (plan, measures) = coordination::evaluation(&mut tx, &can, &code).await?;
    tx.commit().await?;
    let totals = EvaluationCounts::of(measures.iter().map(|m| (m.record.status, m.record.rating)));
    let divergent_only = query.only.as_deref() == Some("divergent");
    let mut counts: Vec<Count> = Rating::ALL
        .into_iter()
        .map(|r| Count {
            id: r.key(),
            label: rating_label(&page, Some(r)),
            count: totals.rated_as(r),
        })
        .collect();
    for (agreement, count) in [
        (Agreement::NotRated, totals.not_rated),
        (Agreement::Agrees, totals.agreeing),
        (Agreement::Diverges, totals.divergent),
        (Agreement::NoStatus, totals.without_status),
    ] {
        counts.push(Count {
            id: agreement.key(),
            label: agreement_label(&page, agreement),
            count,
        });
    }
    let lines = measures
        .iter()
        .filter_map(|m| {
            let record = &m.record;
            let agreement = Agreement::of(record.status, record.rating);
            (!divergent_only || agreement == Agreement::Diverges).then(|| EvaluationLine {
                number: record.number,
                title: record.title.clone(),
                pilot: record.pilot.clone().unwrap_or_else(|| page.t("plan-not-specified")),
                status: status_label(&page, record.status),
                rating: rating_label(&page, record.rating),
                justification: m.justification.clone(),
                agreement: agreement_label(&page, agreement),
                agreement_key: agreement.key(),
            })
        })
        .collect();
    render(&EvaluationPage {
        code: plan.code.as_str().to_owned(),
        title: plan.title.clone(),
        period: format!("{}–{}", plan.period.start, plan.period.end),
        measures: totals.measures,
        counts,
        lines,
        divergent_only,
        page: &page,
    })
}

async fn export(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &str,
    xlsx: bool,
) -> Result<Response, AppError> {
    let can = capability::<EvaluatePlans>(user, &ctx.path)?;
    let code = plan_code(code)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (bytes, kind) = if xlsx {
        (
            coordination::export_evaluation_xlsx(&mut tx, &can, &code).await?,
            FileKind::Xlsx,
        )
    } else {
        (
            coordination::export_evaluation_csv(&mut tx, &can, &code)
                .await?
                .into_bytes(),
            FileKind::Csv,
        )
    };
    tx.commit().await?;
    Ok(attachment(kind, &format!("evaluation-{}", code.as_str()), bytes))
}

/// GET /coordination/plans/{code}/evaluation.csv
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, false).await
}

/// GET /coordination/plans/{code}/evaluation.xlsx
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, true).await
}
