//! A plan's year (the annual strategic plan): every measure by axis with its
//! milestones, indicators, cost, funding and status; what each measure and
//! the whole year lack, as a chart with its table; the CSV and XLSX files.
//! The page prints on A4 without navigation or buttons.

use super::view::{Bar, funding_label, plan_code, status_label, year};
use crate::AppState;
use crate::access::authorized::capability;
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use relais_domain::access::authz::ViewPlans;
use relais_domain::coordination::annual::{YearCompleteness, year_gaps};
use relais_domain::coordination::completeness::Gap;
use relais_domain::coordination::measure::PlanCode;
use relais_store::audit::{Action, Object};
use relais_store::coordination::annual::{self, AnnualMeasure};

pub struct MilestoneLine {
    pub title: String,
    pub due: String,
    pub done: Option<String>,
}

pub struct IndicatorLine {
    pub definition: String,
    pub unit: String,
    pub target: Option<String>,
    /// The latest value and its date.
    pub latest: Option<(String, String)>,
}

/// A measure's line on the year's page.
pub struct MeasureLine {
    pub number: u32,
    pub title: String,
    pub pilot: Option<String>,
    pub milestones: Vec<MilestoneLine>,
    pub indicators: Vec<IndicatorLine>,
    pub cost: Option<String>,
    /// Spent in the year, as validated in a reporting round.
    pub spent: Option<String>,
    pub funding: Option<String>,
    pub status: String,
    pub status_on: Option<String>,
    /// Per gap in `Gap::ALL` order: whether the year states it.
    pub has: Vec<bool>,
    pub complete: bool,
}

pub struct AxisSection {
    pub title: String,
    pub complete: usize,
    pub measures: Vec<MeasureLine>,
}

#[derive(Template)]
#[template(path = "coordination/annual.html")]
struct YearPage<'a> {
    page: &'a Page,
    code: String,
    plan_title: String,
    year: i32,
    years: Vec<i32>,
    measures: usize,
    complete: usize,
    complete_percent: usize,
    cost_total: String,
    chart: Vec<Bar>,
    gap_labels: Vec<String>,
    axes: Vec<AxisSection>,
}

fn line(page: &Page, year: i32, measure: &AnnualMeasure) -> MeasureLine {
    let (milestones, indicators) = measure.parts();
    let gaps = year_gaps(year, &measure.with_year(&milestones, &indicators));
    let entry = &measure.entry;
    MeasureLine {
        number: measure.record.number,
        title: measure.record.title.clone(),
        pilot: measure.record.pilot.clone(),
        milestones: milestones
            .iter()
            .map(|m| MilestoneLine {
                title: m.title.clone(),
                due: page.day(m.due),
                done: m.done.map(|d| page.day(d)),
            })
            .collect(),
        indicators: entry
            .indicators
            .iter()
            .map(|i| IndicatorLine {
                definition: i.indicator.definition.clone(),
                unit: i.indicator.unit.clone(),
                target: i.indicator.target.clone(),
                latest: i.values.last().map(|v| (v.value.clone(), page.day(v.on))),
            })
            .collect(),
        cost: entry.money.cost.map(|c| c.french()),
        spent: entry.spent.map(|c| c.french()),
        funding: entry.money.funding.as_ref().map(|f| funding_label(page, f)),
        status: status_label(page, entry.status.as_ref().map(|s| s.status)),
        status_on: entry.status.as_ref().map(|s| page.day(s.on)),
        has: Gap::ALL.iter().map(|g| !gaps.contains(g)).collect(),
        complete: gaps.is_empty(),
    }
}

/// GET /coordination/plans/{code}/years/{year}
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path((code, raw_year)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let can = capability::<ViewPlans>(&user, &ctx.path)?;
    let code = plan_code(&code)?;
    let year = year(&raw_year)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let annual = annual::annual_plan(&mut tx, &can, &code, year).await?;
    tx.commit().await?;
    let parts: Vec<_> = annual.measures.iter().map(AnnualMeasure::parts).collect();
    let counts = YearCompleteness::of(
        year,
        annual
            .measures
            .iter()
            .zip(&parts)
            .map(|(m, (milestones, indicators))| m.with_year(milestones, indicators)),
    );
    let total = counts.measures;
    let bar = |label: String, count: usize| Bar {
        label,
        count,
        percent: (count * 100).checked_div(total).unwrap_or(0),
    };
    let mut chart: Vec<Bar> = Gap::ALL
        .into_iter()
        .map(|g| {
            bar(
                page.tr
                    .t1("annual-lacking", "what", &page.t(&format!("plan-gap-{}", g.key()))),
                counts.lacking(g),
            )
        })
        .collect();
    chart.push(bar(page.t("annual-complete-measures"), counts.complete));
    let mut axes: Vec<AxisSection> = Vec::new();
    let mut axis_numbers: Vec<Option<u32>> = annual.measures.iter().map(|m| m.record.axis).collect();
    axis_numbers.sort_by_key(|a| (a.is_none(), *a));
    axis_numbers.dedup();
    for axis in axis_numbers {
        let of_axis: Vec<&AnnualMeasure> = annual.measures.iter().filter(|m| m.record.axis == axis).collect();
        let title = match axis {
            Some(number) => match of_axis
                .iter()
                .map(|m| m.record.axis_title.as_str())
                .find(|t| !t.is_empty())
            {
                Some(title) => page.tr.tn(
                    "plan-axis-titled",
                    &[("number", number.to_string()), ("title", title.to_owned())],
                ),
                None => page.tr.t1("plan-axis-untitled", "number", &number.to_string()),
            },
            None => page.t("plan-axis-none"),
        };
        let measures: Vec<MeasureLine> = of_axis.iter().map(|m| line(&page, year, m)).collect();
        axes.push(AxisSection {
            title,
            complete: measures.iter().filter(|m| m.complete).count(),
            measures,
        });
    }
    let period = annual.plan.period;
    render(&YearPage {
        code: annual.plan.code.as_str().to_owned(),
        plan_title: annual.plan.title.clone(),
        year,
        years: (period.start..=period.end).collect(),
        measures: counts.measures,
        complete: counts.complete,
        complete_percent: counts.complete_percent(),
        cost_total: counts.cost_total.french(),
        chart,
        gap_labels: Gap::ALL
            .iter()
            .map(|g| page.t(&format!("plan-gap-{}", g.key())))
            .collect(),
        axes,
        page: &page,
    })
}

async fn export(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    (code, raw_year): (String, String),
    xlsx: bool,
) -> Result<Response, AppError> {
    capability::<ViewPlans>(user, &ctx.path)?;
    let code: PlanCode = plan_code(&code)?;
    let year = year(&raw_year)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (bytes, kind) = if xlsx {
        (annual::export_year_xlsx(&mut tx, &code, year).await?, FileKind::Xlsx)
    } else {
        (
            annual::export_year_csv(&mut tx, &code, year).await?.into_bytes(),
            FileKind::Csv,
        )
    };
    tx.audit(
        Action::CoordinationAnnualExport,
        Object::Plan,
        Some(code.as_str()),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(attachment(kind, &format!("plan-{}-{year}", code.as_str()), bytes))
}

/// GET /coordination/plans/{code}/years/{year}/export.csv
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(path): Path<(String, String)>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, path, false).await
}

/// GET /coordination/plans/{code}/years/{year}/export.xlsx
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(path): Path<(String, String)>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, path, true).await
}
