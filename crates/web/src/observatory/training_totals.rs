//! GET /statistics/training?year=: people trained in a year by profession
//! and by département, for everyone who reads the statistics, under the one
//! disclosure policy (a group under the threshold shows "< 5", and enough
//! further groups are hidden that none can be found by subtraction from the
//! total). The protection itself is `training_view`'s, which also gives a
//! plan indicator counted from the training records its value.

use super::training_view::{profession_label, protect, shown_text, total, year_of};
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::ViewStatistics;
use relais_stats::Disclosure;
use relais_store::observatory::training as store;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct TotalsQuery {
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "observatory/training_totals.html")]
struct TotalsPage<'a> {
    page: &'a Page,
    year: i32,
    years: Vec<i32>,
    /// (label, shown)
    professions: Vec<(String, String)>,
    departements: Vec<(String, String)>,
    total: String,
    sessions: u64,
    min_group: usize,
}

/// GET /statistics/training
pub async fn totals(
    State(state): State<AppState>,
    ctx: RequestContext,
    Authorized { can, user }: Authorized<ViewStatistics>,
    Query(query): Query<TotalsQuery>,
) -> Result<Response, AppError> {
    let page = Page::new(&state, &ctx);
    let year = year_of(query.year.as_deref(), page.today(state.clock.now()).year);
    let mut tx = crate::handler::begin(&state, &ctx, &user).await?;
    let (found, mut years) = store::totals(&mut tx, &can, year).await?;
    tx.commit().await?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let policy = Disclosure::new(state.settings.statistics.min_group);
    let by_profession: Vec<(&str, u64)> = found.by_profession.iter().map(|(p, n)| (p.key(), *n)).collect();
    let professions = protect(policy, &by_profession)
        .into_iter()
        .zip(&found.by_profession)
        .map(|((_, shown), (p, _))| (profession_label(&page, *p), shown_text(&page, policy, shown)))
        .collect();
    let by_departement: Vec<(&str, u64)> = found.by_departement.iter().map(|(d, n)| (d.code(), *n)).collect();
    let departements = protect(policy, &by_departement)
        .into_iter()
        .zip(&found.by_departement)
        .map(|((_, shown), (d, _))| (d.label(), shown_text(&page, policy, shown)))
        .collect();
    let people: u64 = found.by_profession.iter().map(|(_, n)| n).sum();
    render(&TotalsPage {
        year,
        years,
        professions,
        departements,
        total: shown_text(&page, policy, total(policy, people)),
        sessions: found.sessions,
        min_group: policy.min_group(),
        page: &page,
    })
}
