//! The timeliness dashboard (issue 4, part 6): median and 90th percentile of
//! days from referral to preliminary decision and from preliminary to formal
//! decision, by département and by form of exploitation, with overdue counts.
//! The figures and their disclosure control are `relais_stats::timeliness`;
//! this page maps each case to its keys and waits, and translates the keys.
//! Each chart is an accessible SVG followed by its data table.

use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{RequestContext, SignedIn};
use crate::statistics::kept::{self, Kept};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use relais_domain::access::authz::ViewStatistics;
use relais_domain::casework::case_status::Status;
use relais_domain::casework::deadline::{self, Targets};
use relais_domain::territory::Departement;
use relais_domain::time::Timestamp;
use relais_stats::{CaseWaits, Cell, Disclosure, GroupSpread, Timeliness, days_between, timeliness};
use relais_store::casework::cases::{self, TimelinessRow};
use relais_store::statistics::snapshots::Dashboard;

/// What a case is grouped by: its keys, translated only for display.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
enum Group {
    /// The département's code; `None` when the referral named none.
    Departement(Option<String>),
    /// A form of exploitation's key.
    Form(String),
}

/// One bar pair of a chart and its table row.
pub struct Bar {
    pub label: String,
    pub count: String,
    pub median: String,
    pub p90: String,
    /// Bar lengths in chart units (0–`CHART_WIDTH`); 0 for a suppressed group.
    pub median_width: i64,
    pub p90_width: i64,
    pub y: i64,
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: i64,
}

const CHART_WIDTH: f64 = 420.0;
const ROW_HEIGHT: i64 = 34;

fn label(page: &Page, group: &Group) -> String {
    match group {
        Group::Departement(Some(code)) => code.clone(),
        Group::Departement(None) => page.t("answer-none"),
        Group::Form(form) => page.t(&format!("form-{form}")),
    }
}

fn text(page: &Page, cell: Cell, min_group: usize, decimals: usize) -> String {
    match cell {
        Cell::Value(v) => page.decimal(v, decimals),
        Cell::Suppressed => page.tr.t1("equal-access-suppressed", "min", &min_group.to_string()),
        Cell::Missing => "—".to_owned(),
    }
}

/// The charts' ids, each titled by its `timeliness-` words.
pub(crate) const CHARTS: [&str; 4] = [
    "preliminary-by-departement",
    "preliminary-by-form",
    "formal-by-departement",
    "formal-by-form",
];

fn chart(page: &Page, id: &'static str, groups: &[GroupSpread<Group>], min_group: usize) -> Chart {
    let max = groups.iter().filter_map(|g| g.p90.value()).fold(1.0_f64, f64::max);
    let width = |cell: Cell| cell.value().map_or(0, |days| (days / max * CHART_WIDTH).round() as i64);
    let bars: Vec<Bar> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| Bar {
            label: label(page, &g.group),
            count: text(page, g.count, min_group, 0),
            median: text(page, g.median, min_group, 1),
            p90: text(page, g.p90, min_group, 1),
            median_width: width(g.median),
            p90_width: width(g.p90),
            y: i as i64 * ROW_HEIGHT,
        })
        .collect();
    Chart {
        id,
        title: page.t(&format!("timeliness-{id}")),
        height: (bars.len() as i64 * ROW_HEIGHT).max(ROW_HEIGHT),
        bars,
    }
}

/// A case as its keys and waits; overdue as the deadline rules say at `now`.
fn waits(row: &TimelinessRow, now: Timestamp, targets: &Targets) -> CaseWaits<Group> {
    let departement = row.departement.as_deref().and_then(Departement::parse);
    CaseWaits {
        departement: Group::Departement(row.departement.clone()),
        forms: row.forms.iter().cloned().map(Group::Form).collect(),
        to_preliminary: row.preliminary_at.map(|p| days_between(row.submitted_at.0, p.0)),
        to_formal: match (row.preliminary_at, row.formal_at) {
            (Some(p), Some(f)) => Some(days_between(p.0, f.0)),
            _ => None,
        },
        open: row.case.status != Status::Closed,
        overdue: deadline::preliminary_overdue(&row.case, row.submitted_at, departement, now, targets),
    }
}

#[derive(Template)]
#[template(path = "statistics/timeliness.html")]
struct DashboardPage<'a> {
    page: &'a Page,
    charts: Vec<Chart>,
    overdue: String,
    /// Whether any preliminary decision is overdue (shown even when the count is not).
    any_overdue: bool,
    open: String,
    rules: String,
    /// When the figures were computed, and how often they are.
    freshness: String,
}

/// The figures from every case of the holder's territory, read in a transaction of their own.
async fn compute(state: AppState, ctx: RequestContext, user: SignedIn) -> Result<Kept<Timeliness<Group>>, AppError> {
    let can = crate::access::authorized::capability::<ViewStatistics>(&user, &ctx.path)?;
    let policy = Disclosure::new(state.settings.statistics.min_group);
    let now = state.clock.now();
    let targets = Targets::default();
    let mut cases: Vec<CaseWaits<Group>> = Vec::new();
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    cases::timeliness_rows(&mut tx, &can, |row| cases.push(waits(&row, now, &targets))).await?;
    tx.commit().await?;
    Ok(Kept {
        figures: timeliness(&cases, policy),
        computed_at: now,
    })
}

/// GET /statistics/timeliness: the figures kept for the territory, computed
/// from its cases when none are (ADR 0061).
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewStatistics>,
) -> Result<Response, AppError> {
    let min_group = Disclosure::new(state.settings.statistics.min_group).min_group();
    let kept_as = format!("min-{min_group}");
    let kept = kept::figures(&state, &ctx, &user, &can, Dashboard::Timeliness, kept_as, compute).await?;
    let page = Page::new(&state, &ctx);
    let figures = &kept.figures;
    render(&DashboardPage {
        charts: vec![
            chart(&page, CHARTS[0], &figures.preliminary_by_departement, min_group),
            chart(&page, CHARTS[1], &figures.preliminary_by_form, min_group),
            chart(&page, CHARTS[2], &figures.formal_by_departement, min_group),
            chart(&page, CHARTS[3], &figures.formal_by_form, min_group),
        ],
        overdue: text(&page, figures.overdue, min_group, 0),
        any_overdue: figures.overdue != Cell::Value(0.0),
        open: text(&page, figures.open, min_group, 0),
        rules: page.tr.t1("timeliness-rules", "min", &min_group.to_string()),
        freshness: kept::freshness(&page, &state, kept.computed_at),
        page: &page,
    })
}
