//! The equal-access dashboard (issue 6, part 5): for each form of
//! exploitation, sex, age group, nationality group and département, the
//! rate of positive identification, the time to decision, the share housed
//! and the residence permits, set against the overall figures. Groups
//! smaller than the threshold show "< 5", never a figure; differences
//! larger than the margin are flagged. Computed by `relais_stats`.

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
use relais_domain::nationality;
use relais_domain::time::Date;
use relais_stats::{CaseRow, Cell, Dimension, GroupFigures, Metric, Monitoring, days_between, monitor};
use relais_store::statistics::equal_access::{self, CaseFacts};
use relais_store::statistics::snapshots::Dashboard;
use strum::EnumCount;

/// One figure as shown: the text and whether it is flagged.
pub struct FigureView {
    pub text: String,
    pub flagged: bool,
}

pub struct GroupView {
    pub label: String,
    pub cases: String,
    pub figures: Vec<FigureView>,
    /// Bar length (0–`CHART_WIDTH`) of the identification rate, when shown.
    pub bar: Option<i64>,
    pub rate: String,
    pub y: i64,
}

pub struct DimensionView {
    pub id: &'static str,
    pub title: String,
    pub groups: Vec<GroupView>,
    pub overall: GroupView,
    pub overall_x: Option<i64>,
    pub height: i64,
    pub flagged: usize,
}

#[derive(Template)]
#[template(path = "statistics/equal_access.html")]
struct DashboardPage<'a> {
    page: &'a Page,
    dimensions: Vec<DimensionView>,
    metrics: Vec<String>,
    rules: String,
    /// When the figures were computed, and how often they are.
    freshness: String,
}

const CHART_WIDTH: f64 = 400.0;
const ROW_HEIGHT: i64 = 26;

/// The age groups a case falls in, each with its `equal-access-age-` words.
pub(crate) const AGE_GROUPS: [&str; 2] = ["minor", "adult"];

/// The row the statistics need, with categories as keys.
fn row(facts: &CaseFacts) -> CaseRow {
    let form = match facts.forms.as_slice() {
        [one] => one.clone(),
        [] => "unknown".to_owned(),
        _ => "multiple".to_owned(),
    };
    CaseRow {
        form,
        sex: facts.sex.clone().unwrap_or_else(|| "unknown".to_owned()),
        age_group: if facts.child { AGE_GROUPS[0] } else { AGE_GROUPS[1] }.to_owned(),
        nationality_group: nationality::Group::of(facts.nationality.as_deref()).key().to_owned(),
        departement: facts.departement.clone().unwrap_or_else(|| "unknown".to_owned()),
        identified: facts.formal.map(|f| f == Status::Identified),
        days_to_decision: facts
            .formal_at
            .filter(|_| facts.formal.is_some())
            .map(|at| days_between(facts.submitted_at.0, at.0)),
        accommodation_need: facts.accommodation_need == Some(true),
        accommodation_met: facts.accommodation_need == Some(true) && facts.accommodation_met == Some(true),
        permit_applied: facts.permit_applied,
        permit_granted: facts.permit_granted.is_some(),
        days_to_permit: facts.permit_granted.as_ref().and_then(|(applied, decided)| {
            relais_domain::casework::rights::days_to_permit(Date::parse(applied), Date::parse(decided))
                .map(|d| d as f64)
        }),
    }
}

fn group_label(page: &Page, dimension: Dimension, key: &str) -> String {
    match (dimension, key) {
        (_, "unknown") => page.t("equal-access-unknown"),
        (Dimension::Form, "multiple") => page.t("equal-access-multiple-forms"),
        (Dimension::Form, form) => page.t(&format!("form-{form}")),
        (Dimension::Sex, sex) => page.t(&format!("sex-{sex}")),
        (Dimension::AgeGroup, age) => page.t(&format!("equal-access-age-{age}")),
        (Dimension::NationalityGroup, group) => page.t(&format!("equal-access-nationality-{group}")),
        (Dimension::Departement, code) => code.to_owned(),
    }
}

fn suppressed(page: &Page, min_group: usize) -> String {
    page.tr.t1("equal-access-suppressed", "min", &min_group.to_string())
}

fn text(page: &Page, metric: Metric, cell: Cell, min_group: usize) -> String {
    match cell {
        Cell::Suppressed => suppressed(page, min_group),
        Cell::Missing => "—".to_owned(),
        Cell::Value(v) if metric.is_median() => page.decimal(v, 1),
        Cell::Value(v) => page.percent(v),
    }
}

fn view(page: &Page, label: String, figures: &GroupFigures, y: i64, min_group: usize) -> GroupView {
    let rate = figures.identification_rate.value();
    GroupView {
        label,
        cases: match figures.cases {
            Cell::Value(n) => page.decimal(n, 0),
            _ => suppressed(page, min_group),
        },
        figures: Metric::ALL
            .into_iter()
            .map(|m| FigureView {
                text: text(page, m, figures.figure(m), min_group),
                flagged: figures.flags.contains(&m),
            })
            .collect(),
        bar: rate.map(|r| (r * CHART_WIDTH).round() as i64),
        rate: text(page, Metric::IdentificationRate, figures.identification_rate, min_group),
        y,
    }
}

fn dimension_view(page: &Page, dimension: Dimension, monitoring: &Monitoring, min_group: usize) -> DimensionView {
    let groups: Vec<GroupView> = monitoring
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let label = group_label(page, dimension, &g.group);
            view(page, label, g, i as i64 * ROW_HEIGHT, min_group)
        })
        .collect();
    let overall = view(page, page.t("equal-access-overall"), &monitoring.overall, 0, min_group);
    DimensionView {
        id: dimension.key(),
        title: page.t(&format!("equal-access-by-{}", dimension.key())),
        height: (groups.len() as i64 * ROW_HEIGHT).max(ROW_HEIGHT),
        flagged: monitoring.groups.iter().filter(|g| !g.flags.is_empty()).count(),
        overall_x: overall.bar,
        groups,
        overall,
    }
}

/// The figures from every case of the holder's territory, read in a transaction of their own.
async fn compute(
    state: AppState,
    ctx: RequestContext,
    user: SignedIn,
) -> Result<Kept<[Monitoring; Dimension::COUNT]>, AppError> {
    let can = crate::access::authorized::capability::<ViewStatistics>(&user, &ctx.path)?;
    let settings = state.settings.statistics;
    let mut rows: Vec<CaseRow> = Vec::new();
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    equal_access::facts(&mut tx, &can, |facts| rows.push(row(&facts))).await?;
    tx.commit().await?;
    Ok(Kept {
        figures: Dimension::ALL.map(|d| monitor(&rows, d, settings.min_group, settings.margin)),
        computed_at: state.clock.now(),
    })
}

/// GET /statistics/equal-access: the figures kept for the territory, computed
/// from its cases when none are (ADR 0061).
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewStatistics>,
) -> Result<Response, AppError> {
    let settings = state.settings.statistics;
    let kept_as = format!("min-{}-margin-{}", settings.min_group, settings.margin);
    let kept = kept::figures(&state, &ctx, &user, &can, Dashboard::EqualAccess, kept_as, compute).await?;
    let page = Page::new(&state, &ctx);
    render(&DashboardPage {
        dimensions: Dimension::ALL
            .into_iter()
            .zip(&kept.figures)
            .map(|(d, monitoring)| dimension_view(&page, d, monitoring, settings.min_group))
            .collect(),
        metrics: Metric::ALL
            .into_iter()
            .map(|m| page.t(&format!("equal-access-metric-{}", m.key())))
            .collect(),
        rules: page.tr.tn(
            "equal-access-rules",
            &[
                ("min", settings.min_group.to_string()),
                ("margin", format!("{:.0}", settings.margin * 100.0)),
            ],
        ),
        freshness: kept::freshness(&page, &state, kept.computed_at),
        page: &page,
    })
}
