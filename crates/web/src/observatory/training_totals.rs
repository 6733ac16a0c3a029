//! GET /statistics/training?year=: people trained in a year by profession
//! and by département, for everyone who reads the statistics, under the one
//! disclosure policy (a group under the threshold shows "< 5", and enough
//! further groups are hidden that none can be found by subtraction from the
//! total). The same protection gives a plan indicator counted from the
//! training records its value (`indicator_value`).

use super::library::profession_label;
use super::training::year_of;
use crate::AppState;
use crate::access::authorized::Authorized;
use crate::error::AppError;
use crate::page::{Page, render};
use crate::session::RequestContext;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use relais_domain::access::authz::ViewStatistics;
use relais_domain::observatory::training::TrainingCount;
use relais_stats::Disclosure;
use relais_store::observatory::training::{self as store, YearTotals};
use serde::Deserialize;

/// A count as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Count(u64),
    /// Under the threshold.
    Under,
    /// Hidden so that a small group cannot be found by subtraction.
    Hidden,
}

/// Each group's count as it may be shown beside their total.
pub fn protect<K: Ord + Clone>(policy: Disclosure, groups: &[(K, u64)]) -> Vec<(K, Shown)> {
    let sizes: Vec<(K, usize)> = groups
        .iter()
        .map(|(k, n)| (k.clone(), usize::try_from(*n).unwrap_or(usize::MAX)))
        .collect();
    let hidden = policy.hidden(&sizes);
    groups
        .iter()
        .map(|(k, n)| {
            let shown = if !hidden.contains(k) {
                Shown::Count(*n)
            } else if policy.too_few(usize::try_from(*n).unwrap_or(usize::MAX)) {
                Shown::Under
            } else {
                Shown::Hidden
            };
            (k.clone(), shown)
        })
        .collect()
}

/// A total as it may be shown.
pub fn total(policy: Disclosure, n: u64) -> Shown {
    if policy.too_few(usize::try_from(n).unwrap_or(usize::MAX)) {
        Shown::Under
    } else {
        Shown::Count(n)
    }
}

pub fn shown_text(page: &Page, policy: Disclosure, shown: Shown) -> String {
    match shown {
        Shown::Count(n) => page.decimal(n as f64, 0),
        Shown::Under => page
            .tr
            .t1("equal-access-suppressed", "min", &policy.min_group().to_string()),
        Shown::Hidden => page.t("training-hidden"),
    }
}

/// The value of an indicator counted from the training records, from its
/// year's totals, as the totals page would show it.
pub fn indicator_value(policy: Disclosure, totals: &YearTotals, count: TrainingCount) -> Shown {
    match count.profession {
        None => total(policy, count.value(&totals.by_profession)),
        Some(wanted) => {
            let keyed: Vec<(&str, u64)> = totals.by_profession.iter().map(|(p, n)| (p.key(), *n)).collect();
            protect(policy, &keyed)
                .into_iter()
                .find(|(k, _)| *k == wanted.key())
                .map_or(Shown::Count(0), |(_, shown)| shown)
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use relais_domain::access::organisation::OrganisationType;
    use relais_domain::observatory::training::Profession;

    #[test]
    fn a_small_group_hides_with_the_next_smallest_and_the_indicator_follows() {
        let policy = Disclosure::new(5);
        let shown = protect(policy, &[("a", 40), ("b", 3), ("c", 9)]);
        assert_eq!(
            shown,
            vec![("a", Shown::Count(40)), ("b", Shown::Under), ("c", Shown::Hidden)]
        );
        let police = Profession::Of(OrganisationType::Police);
        let health = Profession::Of(OrganisationType::Health);
        let totals = YearTotals {
            by_profession: vec![(police, 40), (health, 3), (Profession::Other, 9)],
            ..YearTotals::default()
        };
        let of = |profession| indicator_value(policy, &totals, TrainingCount { profession });
        assert_eq!(of(None), Shown::Count(52));
        assert_eq!(of(Some(police)), Shown::Count(40));
        assert_eq!(of(Some(health)), Shown::Under);
        assert_eq!(of(Some(Profession::Other)), Shown::Hidden);
        let education = Profession::Of(OrganisationType::Education);
        assert_eq!(of(Some(education)), Shown::Count(0), "nobody trained is no secret");
        assert_eq!(total(policy, 4), Shown::Under);
    }
}
