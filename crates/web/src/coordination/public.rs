//! GET /plans: the public page of the plans the coordinator published —
//! progress by axis (the government's status, and the rapporteur's rating
//! where given), what measures lack, with charts and their tables; and the
//! number of committee meetings held each year, with their days (never a
//! name, a place or minutes).

use super::view::{AxisView, Bar, SummaryView, by_axis, summary_view};
use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use relais_domain::coordination::committee::{MIN_MEETINGS_PER_YEAR, MeetingFact, meetings_held_per_year};
use relais_domain::coordination::completeness::Summary;
use relais_domain::time::Date;
use relais_store::coordination;

pub struct PublishedPlan {
    pub code: String,
    pub title: String,
    pub period: String,
    pub summary: SummaryView,
    pub axes: Vec<AxisView>,
}

#[derive(Template)]
#[template(path = "coordination/public.html")]
struct PublicPage<'a> {
    page: &'a Page,
    plans: Vec<PublishedPlan>,
    /// Meetings held per year, oldest first, as bars.
    meetings: Vec<Bar>,
    /// Per year: the year, the count and the days, for the sentence under the chart.
    meeting_years: Vec<String>,
}

pub async fn page(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let published = coordination::published_plans(&state.store).await?;
    let plans = published
        .iter()
        .map(|(plan, measures)| {
            let records: Vec<_> = measures.iter().collect();
            PublishedPlan {
                code: plan.code.as_str().to_owned(),
                title: plan.title.clone(),
                period: format!("{}–{}", plan.period.start, plan.period.end),
                summary: summary_view(&page, &Summary::of(measures)),
                axes: by_axis(&page, &records),
            }
        })
        .collect();
    let starts = coordination::committee::held_meeting_starts(&state.store).await?;
    let facts: Vec<MeetingFact> = starts.iter().map(|&start| MeetingFact { start, held: true }).collect();
    let per_year = meetings_held_per_year(&facts, &page.zone);
    let most = per_year.values().copied().max().unwrap_or(0).max(MIN_MEETINGS_PER_YEAR);
    let meetings = per_year
        .iter()
        .map(|(year, held)| Bar {
            label: year.to_string(),
            count: *held,
            percent: held * 100 / most,
        })
        .collect();
    let meeting_years = per_year
        .iter()
        .map(|(year, held)| {
            let days: Vec<String> = starts
                .iter()
                .map(|at| Date::local(*at, &page.zone))
                .filter(|d| d.year == *year)
                .map(|d| page.day(d))
                .collect();
            page.tr.tn(
                "public-committee-year",
                &[
                    ("year", year.to_string()),
                    ("held", held.to_string()),
                    ("days", days.join(", ")),
                ],
            )
        })
        .collect();
    render(&PublicPage {
        page: &page,
        plans,
        meetings,
        meeting_years,
    })
}
