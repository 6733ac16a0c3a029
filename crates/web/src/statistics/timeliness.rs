//! The timeliness dashboard (issue 4, part 6): median and 90th percentile of
//! days from referral to preliminary decision and from preliminary to formal
//! decision, by département and by form of exploitation, with overdue counts.
//! Each chart is an accessible SVG followed by its data table.

use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::{CurrentUser, RequestContext};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use relais_domain::access::authz::{self, ViewStatistics};
use relais_domain::casework::deadline::{self, NextDeadline, Targets};
use relais_domain::statistics::timeliness::{self, Spread};
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Zone};
use relais_store::casework::cases::{self, TimelinessRow};

/// One bar pair of a chart and its table row.
pub struct Bar {
    pub label: String,
    pub count: usize,
    pub median: String,
    pub p90: String,
    /// Bar lengths in chart units (0–`CHART_WIDTH`).
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

fn chart(id: &'static str, title: String, groups: Vec<(String, Spread)>) -> Chart {
    let max = groups.iter().map(|(_, s)| s.p90).fold(1.0_f64, f64::max);
    let width = |days: f64| (days / max * CHART_WIDTH).round() as i64;
    let bars: Vec<Bar> = groups
        .into_iter()
        .enumerate()
        .map(|(i, (label, s))| Bar {
            label,
            count: s.count,
            median: format!("{:.1}", s.median),
            p90: format!("{:.1}", s.p90),
            median_width: width(s.median),
            p90_width: width(s.p90),
            y: i as i64 * ROW_HEIGHT,
        })
        .collect();
    Chart {
        id,
        title,
        height: (bars.len() as i64 * ROW_HEIGHT).max(ROW_HEIGHT),
        bars,
    }
}

#[derive(Template)]
#[template(path = "statistics/timeliness.html")]
struct DashboardPage<'a> {
    page: &'a Page,
    charts: Vec<Chart>,
    overdue: usize,
    open: usize,
}

/// (group label, days) pairs of one interval, grouped one way.
fn durations<'a>(
    rows: &'a [TimelinessRow],
    interval: impl Fn(&TimelinessRow) -> Option<f64> + 'a,
    groups: impl Fn(&'a TimelinessRow) -> Vec<String> + 'a,
) -> Vec<(String, Spread)> {
    let pairs: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|r| interval(r).map(|days| (r, days)))
        .flat_map(|(r, days)| groups(r).into_iter().map(move |g| (g, days)))
        .collect();
    timeliness::by_group(pairs.iter().map(|(g, d)| (g.as_str(), *d)))
        .into_iter()
        .collect()
}

/// GET /statistics/timeliness
pub async fn dashboard(
    State(state): State<AppState>,
    ctx: RequestContext,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let can = authz::authorize::<ViewStatistics>(&user.principal).map_err(|d| AppError::denied(d, &ctx.path))?;
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let rows = cases::timeliness_rows(&mut tx, &can).await?;
    tx.commit().await?;
    let page = Page::new(&state, &ctx);
    let to_preliminary = |r: &TimelinessRow| {
        r.preliminary_at
            .map(|p| timeliness::days_between(r.submitted_at.0, p.0))
    };
    let to_formal = |r: &TimelinessRow| match (r.preliminary_at, r.formal_at) {
        (Some(p), Some(f)) => Some(timeliness::days_between(p.0, f.0)),
        _ => None,
    };
    let none = page.t("answer-none");
    let by_departement = |r: &TimelinessRow| vec![r.departement.clone().unwrap_or_else(|| none.clone())];
    let by_form = |r: &TimelinessRow| r.forms.iter().map(|f| page.t(&format!("form-{f}"))).collect::<Vec<_>>();
    let charts = vec![
        chart(
            "preliminary-by-departement",
            page.t("timeliness-preliminary-by-departement"),
            durations(&rows, to_preliminary, by_departement),
        ),
        chart(
            "preliminary-by-form",
            page.t("timeliness-preliminary-by-form"),
            durations(&rows, to_preliminary, by_form),
        ),
        chart(
            "formal-by-departement",
            page.t("timeliness-formal-by-departement"),
            durations(&rows, to_formal, by_departement),
        ),
        chart(
            "formal-by-form",
            page.t("timeliness-formal-by-form"),
            durations(&rows, to_formal, by_form),
        ),
    ];
    let now = state.clock.now();
    let targets = Targets::default();
    let open: Vec<&TimelinessRow> = rows
        .iter()
        .filter(|r| r.case.status != relais_domain::casework::case_status::Status::Closed)
        .collect();
    let overdue = open
        .iter()
        .filter(|r| {
            let departement = r.departement.as_deref().and_then(Departement::parse);
            let zone = Zone::of(departement);
            let today = Date::local(now, &zone);
            matches!(
                deadline::next_for_case(&r.case, Date::local(r.submitted_at, &zone), departement, &targets),
                Some(NextDeadline::PreliminaryDecision(due)) if due < today
            )
        })
        .count();
    render(&DashboardPage {
        charts,
        overdue,
        open: open.len(),
        page: &page,
    })
}
