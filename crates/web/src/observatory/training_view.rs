//! What the training pages, the library and a plan's indicators share: a
//! profession's label, the year asked for, and counts of people trained as
//! the one disclosure policy lets them be shown.

use crate::page::Page;
use relais_domain::observatory::training::{Profession, TrainingCount};
use relais_stats::Disclosure;
use relais_store::observatory::training::YearTotals;

pub fn profession_label(page: &Page, profession: Profession) -> String {
    page.t(&format!("training-profession-{}", profession.key()))
}

/// A year asked for in the query: four digits, or this year.
pub fn year_of(raw: Option<&str>, this_year: i32) -> i32 {
    raw.filter(|y| y.len() == 4)
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year)
}

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
