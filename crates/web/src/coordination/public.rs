//! GET /plans: the public page of the plans the coordinator published —
//! progress by axis (the government's status, and the rapporteur's rating
//! where given), what measures lack, with charts and their tables.

use super::view::{AxisView, SummaryView, by_axis, summary_view};
use crate::AppState;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use relais_domain::coordination::completeness::Summary;
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
    render(&PublicPage { page: &page, plans })
}
