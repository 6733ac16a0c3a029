//! A plan's budget for one year: its lines by programme and action, the
//! execution rates per measure, per programme and overall as charts with
//! their tables, the planned cost of measures against their funding, the
//! grants, and the CSV exports.

use super::view::{measure_label, nature_label, plan_code};
use crate::AppState;
use crate::access::authorized::{Authorized, capability, holds};
use crate::download::{FileKind, attachment};
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext, SignedIn};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use relais_domain::access::authz::{ManagePlans, ViewPlans};
use relais_domain::coordination::coverage::{Coverage, cost_coverage, funded_in_year, planned_in_year};
use relais_domain::coordination::execution::{self, Execution, FundingLine, Rate};
use relais_domain::coordination::money::Euros;
use relais_domain::time::Date;
use relais_store::coordination::{self, PlanBudget, StoredLine};
use std::collections::{BTreeMap, HashMap};

/// One bar of a rate chart: what was planned, what was done and the rate.
pub struct RateBar {
    pub label: String,
    pub planned: String,
    pub done: String,
    /// `62,5 %`, or a sentence when nothing was planned.
    pub rate: String,
    /// Width in per cent of the chart, at most 100.
    pub width: usize,
}

fn rate_bar(page: &Page, label: String, planned: Euros, done: Euros, rate: Option<Rate>) -> RateBar {
    RateBar {
        label,
        planned: planned.french(),
        done: done.french(),
        rate: rate.map_or_else(|| page.t("budget-no-rate"), Rate::french),
        width: rate.map_or(0, Rate::bar_width),
    }
}

/// The AE and CP bars of one execution.
fn ae_cp(page: &Page, label: &str, execution: Execution) -> (RateBar, RateBar) {
    let a = execution.amounts;
    (
        rate_bar(
            page,
            label.to_owned(),
            a.ae_planned,
            a.ae_committed,
            execution.ae_rate(),
        ),
        rate_bar(page, label.to_owned(), a.cp_planned, a.cp_paid, execution.cp_rate()),
    )
}

/// A line in its programme's table.
pub struct LineView {
    pub id: String,
    pub action: String,
    pub nature: String,
    pub ae_planned: String,
    pub ae_committed: String,
    pub cp_planned: String,
    pub cp_paid: String,
    /// `Mesure 1 : 50 000 €` for each measure it funds.
    pub measures: Vec<String>,
}

/// The lines of one programme for the year.
pub struct ProgrammeView {
    pub code: String,
    pub heading: String,
    pub lines: Vec<LineView>,
}

/// A measure's planned cost for the year against its funding, and what
/// was spent on it.
pub struct CoverageRow {
    pub measure: String,
    pub planned: String,
    /// As validated in a reporting round (the total: their sum).
    pub spent: String,
    pub funded: String,
    pub gap: String,
    pub short: bool,
}

pub struct GrantRow {
    pub beneficiary: String,
    pub measure: String,
    pub amount: String,
    pub line: String,
}

#[derive(Template)]
#[template(path = "coordination/budget.html")]
struct BudgetPage<'a> {
    page: &'a Page,
    code: String,
    title: String,
    period: String,
    year: i32,
    years: Vec<i32>,
    programmes: Vec<ProgrammeView>,
    overall: Vec<RateBar>,
    programmes_ae: Vec<RateBar>,
    programmes_cp: Vec<RateBar>,
    measures_ae: Vec<RateBar>,
    measures_cp: Vec<RateBar>,
    coverage: Vec<CoverageRow>,
    coverage_total: CoverageRow,
    without_cost: usize,
    shortfall_total: Option<String>,
    grants: Vec<GrantRow>,
    manages: bool,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct BudgetQuery {
    year: Option<String>,
    done: Option<String>,
}

/// The lines as the rates see them.
pub(super) fn funding_lines<'a>(lines: impl Iterator<Item = &'a StoredLine>) -> Vec<FundingLine> {
    lines
        .map(|l| FundingLine {
            programme: l.line.programme,
            amounts: l.line.amounts,
            assigned: l.assigned.clone(),
        })
        .collect()
}

/// The year asked for when it is one of the plan's; else this year, kept
/// within the plan's period.
fn chosen_year(state: &AppState, page: &Page, budget: &PlanBudget, asked: Option<&str>) -> i32 {
    let period = budget.plan.period;
    asked
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (period.start..=period.end).contains(y))
        .unwrap_or_else(|| {
            Date::local(state.clock.now(), &page.zone)
                .year
                .clamp(period.start, period.end)
        })
}

fn gap_text(page: &Page, coverage: Coverage) -> String {
    match coverage {
        Coverage::Short(gap) => page.tr.t1("budget-gap-short", "amount", &gap.french()),
        Coverage::Over(gap) => page.tr.t1("budget-gap-over", "amount", &gap.french()),
        other => page.t(&format!("budget-gap-{}", other.key())),
    }
}

/// The rows, the total, how many measures have no cost, and what the
/// underfunded measures lack together (`None`: none is), for `year`: its
/// planned costs in the annual plan against its lines and grants.
fn coverage_view(
    page: &Page,
    budget: &PlanBudget,
    titles: &HashMap<u32, &str>,
    year: i32,
) -> (Vec<CoverageRow>, CoverageRow, usize, Option<String>) {
    let of_year = |m: &coordination::BudgetMeasure| m.years.get(&year).copied().unwrap_or_default();
    let year_costs: BTreeMap<u32, Euros> = budget
        .measures
        .iter()
        .filter_map(|m| of_year(m).cost.map(|cost| (m.number, cost)))
        .collect();
    let spent: BTreeMap<u32, Euros> = budget
        .measures
        .iter()
        .filter_map(|m| of_year(m).spent.map(|spent| (m.number, spent)))
        .collect();
    let planned = planned_in_year(budget.measures.iter().map(|m| m.number), &year_costs);
    let funded = funded_in_year(
        year,
        budget.lines.iter().map(|l| (l.line.year, l.assigned.as_slice())),
        budget.grants.iter().map(|g| (&g.grant, g.line_id.is_some())),
    );
    let coverage = cost_coverage(&planned, &funded);
    let no_cost = page.t("budget-no-cost");
    let no_spending = page.t("annual-spent-none");
    let rows = coverage
        .measures
        .iter()
        .map(|m| CoverageRow {
            measure: measure_label(page, m.number, titles.get(&m.number).copied().unwrap_or_default()),
            planned: m.planned.map_or_else(|| no_cost.clone(), Euros::french),
            spent: spent.get(&m.number).map_or_else(|| no_spending.clone(), |s| s.french()),
            funded: m.funded.french(),
            gap: gap_text(page, m.coverage),
            short: matches!(m.coverage, Coverage::Short(_)),
        })
        .collect();
    let total = CoverageRow {
        measure: page.t("budget-total"),
        planned: coverage.planned_total.french(),
        spent: spent
            .values()
            .fold(Euros::default(), |sum, s| sum.saturating_add(*s))
            .french(),
        funded: coverage.funded_total.french(),
        gap: gap_text(page, coverage.overall),
        short: matches!(coverage.overall, Coverage::Short(_)),
    };
    let shortfall = (coverage.shortfall_total.cents() > 0).then(|| coverage.shortfall_total.french());
    (rows, total, coverage.without_cost, shortfall)
}

/// GET /coordination/plans/{code}/budget?year=YYYY
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewPlans>,
    Path(code): Path<String>,
    Query(query): Query<BudgetQuery>,
) -> Result<Response, AppError> {
    let code = plan_code(&code)?;
    let page = Page::new(&state, &ctx);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let budget = coordination::budget(&mut tx, &can, &code).await?;
    tx.commit().await?;
    let year = chosen_year(&state, &page, &budget, query.year.as_deref());
    let titles: HashMap<u32, &str> = budget.measures.iter().map(|m| (m.number, m.title.as_str())).collect();
    let of_year: Vec<&StoredLine> = budget.lines.iter().filter(|l| l.line.year == year).collect();
    let funding = funding_lines(of_year.iter().copied());

    let mut programmes: Vec<ProgrammeView> = Vec::new();
    for line in &of_year {
        let l = &line.line;
        let view = LineView {
            id: line.id.clone(),
            action: format!("{} — {}", l.action.code(), l.action_label),
            nature: nature_label(&page, l.nature),
            ae_planned: l.amounts.ae_planned.french(),
            ae_committed: l.amounts.ae_committed.french(),
            cp_planned: l.amounts.cp_planned.french(),
            cp_paid: l.amounts.cp_paid.french(),
            measures: line
                .assigned
                .iter()
                .map(|(n, amount)| {
                    page.tr.tn(
                        "budget-measure-amount",
                        &[("number", n.to_string()), ("amount", amount.french())],
                    )
                })
                .collect(),
        };
        match programmes.last_mut() {
            Some(p) if p.code == l.programme.code() => p.lines.push(view),
            _ => programmes.push(ProgrammeView {
                code: l.programme.code(),
                heading: page.tr.tn(
                    "budget-programme-titled",
                    &[("code", l.programme.code()), ("label", l.programme_label.clone())],
                ),
                lines: vec![view],
            }),
        }
    }

    let (overall_ae, overall_cp) = ae_cp(&page, "", execution::overall(&funding));
    let overall = vec![
        RateBar {
            label: page.t("budget-ae"),
            ..overall_ae
        },
        RateBar {
            label: page.t("budget-cp"),
            ..overall_cp
        },
    ];
    let (programmes_ae, programmes_cp) = execution::by_programme(&funding)
        .into_iter()
        .map(|(programme, e)| {
            let label = page.tr.t1("budget-programme", "code", &programme.code());
            ae_cp(&page, &label, e)
        })
        .unzip();
    let (measures_ae, measures_cp) = execution::by_measure(&funding)
        .into_iter()
        .map(|(n, e)| {
            ae_cp(
                &page,
                &measure_label(&page, n, titles.get(&n).copied().unwrap_or_default()),
                e,
            )
        })
        .unzip();
    let (coverage, coverage_total, without_cost, shortfall_total) = coverage_view(&page, &budget, &titles, year);
    let line_names: HashMap<&str, String> = budget.lines.iter().map(|l| (l.id.as_str(), l.line.name())).collect();
    let grants = budget
        .grants
        .iter()
        .filter(|g| g.grant.year == year)
        .map(|g| GrantRow {
            beneficiary: g.grant.beneficiary.clone(),
            measure: measure_label(
                &page,
                g.grant.measure,
                titles.get(&g.grant.measure).copied().unwrap_or_default(),
            ),
            amount: g.grant.amount.french(),
            line: g
                .line_id
                .as_deref()
                .and_then(|id| line_names.get(id).cloned())
                .unwrap_or_else(|| page.t("budget-grant-no-line")),
        })
        .collect();
    let plan = &budget.plan;
    render(&BudgetPage {
        code: plan.code.as_str().to_owned(),
        title: plan.title.clone(),
        period: format!("{}–{}", plan.period.start, plan.period.end),
        year,
        years: (plan.period.start..=plan.period.end).collect(),
        programmes,
        overall,
        programmes_ae,
        programmes_cp,
        measures_ae,
        measures_cp,
        coverage,
        coverage_total,
        without_cost,
        shortfall_total,
        grants,
        manages: holds::<ManagePlans>(&user),
        notice: crate::handler::DoneQuery { done: query.done }.notice(&page),
        page: &page,
    })
}

async fn export(
    state: &AppState,
    ctx: &RequestContext,
    user: &SignedIn,
    code: &str,
    grants: bool,
) -> Result<Response, AppError> {
    let can = capability::<ViewPlans>(user, &ctx.path)?;
    let code = plan_code(code)?;
    let mut tx = crate::handler::begin(state, ctx, user).await?;
    let (text, name) = if grants {
        (coordination::export_grants_csv(&mut tx, &can, &code).await?, "grants")
    } else {
        (coordination::export_budget_csv(&mut tx, &can, &code).await?, "budget")
    };
    tx.commit().await?;
    Ok(attachment(FileKind::Csv, &format!("{name}-{}", code.as_str()), text))
}

/// GET /coordination/plans/{code}/budget/lines.csv: every year's lines.
pub async fn export_lines(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, false).await
}

/// GET /coordination/plans/{code}/budget/grants.csv: every year's grants.
pub async fn export_grants(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    export(&state, &ctx, &user, &code, true).await
}
