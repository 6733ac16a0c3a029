//! Timeliness figures (issue 4, part 6; moved here by issue 12): how long
//! people wait for the preliminary and the formal decision, as a median and
//! a 90th percentile of days per group, and how many open cases wait past
//! the preliminary decision's target. The UK mechanism's median of 526 days
//! to a final decision in 2023 is what these figures exist to prevent.
//!
//! Groups are the caller's keys (a département code, a form of exploitation),
//! translated only on screen. Every figure follows the one disclosure policy
//! of [`crate::disclosure`], as equal access does.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::disclosure::{Cell, Disclosure};

/// The `p`-th quantile (0–1) of sorted values, by linear interpolation
/// between closest ranks (Hyndman and Fan type 7, the default of R and NumPy).
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = p.clamp(0.0, 1.0) * last as f64;
    let below = h.floor() as usize;
    let above = h.ceil() as usize;
    let (lo, hi) = (*sorted.get(below)?, *sorted.get(above)?);
    Some(lo + (h - below as f64) * (hi - lo))
}

/// Median and 90th percentile of a group's durations, in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub median: f64,
    pub p90: f64,
}

pub fn spread(values: &[f64]) -> Option<Spread> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    Some(Spread {
        count: sorted.len(),
        median: quantile(&sorted, 0.5)?,
        p90: quantile(&sorted, 0.9)?,
    })
}

/// Whole days from one instant to another (seconds), never negative.
pub fn days_between(from: i64, to: i64) -> f64 {
    (to.saturating_sub(from)).max(0) as f64 / 86_400.0
}

/// One case as the timeliness figures need it: its groups as keys and its waits.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseWaits<K> {
    pub departement: K,
    /// A case counts once in each of its forms of exploitation.
    pub forms: Vec<K>,
    /// Days from the referral to the preliminary decision, once taken.
    pub to_preliminary: Option<f64>,
    /// Days from the preliminary to the formal decision, once taken.
    pub to_formal: Option<f64>,
    pub open: bool,
    /// Open and past the preliminary decision's target.
    pub overdue: bool,
}

/// One group's figures as they may be shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSpread<K> {
    pub group: K,
    pub count: Cell,
    pub median: Cell,
    pub p90: Cell,
}

/// The whole dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeliness<K> {
    pub preliminary_by_departement: Vec<GroupSpread<K>>,
    pub preliminary_by_form: Vec<GroupSpread<K>>,
    pub formal_by_departement: Vec<GroupSpread<K>>,
    pub formal_by_form: Vec<GroupSpread<K>>,
    pub open: Cell,
    pub overdue: Cell,
}

/// The timeliness figures of `cases` under `policy`.
pub fn timeliness<K: Ord + Clone>(cases: &[CaseWaits<K>], policy: Disclosure) -> Timeliness<K> {
    let by_departement = |c: &CaseWaits<K>| vec![c.departement.clone()];
    let by_form = |c: &CaseWaits<K>| c.forms.clone();
    let to_preliminary = |c: &CaseWaits<K>| c.to_preliminary;
    let to_formal = |c: &CaseWaits<K>| c.to_formal;
    let open = cases.iter().filter(|c| c.open).count();
    let overdue = cases.iter().filter(|c| c.open && c.overdue).count();
    Timeliness {
        preliminary_by_departement: by_group(cases, to_preliminary, by_departement, policy),
        preliminary_by_form: by_group(cases, to_preliminary, by_form, policy),
        formal_by_departement: by_group(cases, to_formal, by_departement, policy),
        formal_by_form: by_group(cases, to_formal, by_form, policy),
        open: policy.count(open),
        overdue: policy.count(overdue),
    }
}

/// One wait, grouped one way, in key order; hidden groups show no figure.
fn by_group<K: Ord + Clone>(
    cases: &[CaseWaits<K>],
    wait: impl Fn(&CaseWaits<K>) -> Option<f64>,
    groups: impl Fn(&CaseWaits<K>) -> Vec<K>,
    policy: Disclosure,
) -> Vec<GroupSpread<K>> {
    let mut waits: BTreeMap<K, Vec<f64>> = BTreeMap::new();
    for case in cases {
        let Some(days) = wait(case).filter(|d| d.is_finite()) else {
            continue;
        };
        for group in groups(case) {
            waits.entry(group).or_default().push(days);
        }
    }
    let sizes: Vec<(K, usize)> = waits.iter().map(|(g, days)| (g.clone(), days.len())).collect();
    let hidden = policy.hidden(&sizes);
    waits
        .into_iter()
        .map(|(group, days)| match spread(&days) {
            Some(s) if !hidden.contains(&group) => GroupSpread {
                group,
                count: Cell::Value(s.count as f64),
                median: Cell::Value(s.median),
                p90: Cell::Value(s.p90),
            },
            _ => GroupSpread {
                group,
                count: Cell::Suppressed,
                median: Cell::Suppressed,
                p90: Cell::Suppressed,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_the_type_7_definition() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.5, 0.9]) == [3.0, 7.6]
        let s = spread(&[10.0, 1.0, 4.0, 2.0, 3.0]).unwrap();
        assert_eq!(s.count, 5);
        assert!((s.median - 3.0).abs() < 1e-12);
        assert!((s.p90 - 7.6).abs() < 1e-12);
        // numpy.quantile([5, 1], [0.5, 0.9]) == [3.0, 4.6]
        let s = spread(&[5.0, 1.0]).unwrap();
        assert!((s.median - 3.0).abs() < 1e-12 && (s.p90 - 4.6).abs() < 1e-12);
        assert_eq!(spread(&[]), None);
        assert_eq!(spread(&[7.0]).map(|s| (s.median, s.p90)), Some((7.0, 7.0)));
        assert_eq!(days_between(0, 86_400 * 3), 3.0);
        assert_eq!(days_between(100, 0), 0.0);
    }

    fn case(departement: &'static str, forms: &[&'static str], days: f64) -> CaseWaits<&'static str> {
        CaseWaits {
            departement,
            forms: forms.to_vec(),
            to_preliminary: Some(days),
            to_formal: None,
            open: false,
            overdue: false,
        }
    }

    #[test]
    fn groups_are_summarised_by_key_and_small_ones_suppressed() {
        // Six cases in 59 (1…6 days), two in 75: 75 is too small, and 59
        // would give it away by subtraction, so both are hidden.
        let mut cases: Vec<_> = (1..=6).map(|d| case("59", &["labour"], f64::from(d))).collect();
        cases.push(case("75", &["sexual"], 40.0));
        cases.push(case("75", &["labour"], 50.0));
        let figures = timeliness(&cases, Disclosure::default());
        let keys: Vec<_> = figures.preliminary_by_departement.iter().map(|g| g.group).collect();
        assert_eq!(keys, ["59", "75"]);
        for group in &figures.preliminary_by_departement {
            assert_eq!(group.count, Cell::Suppressed, "{}", group.group);
            assert_eq!(group.median, Cell::Suppressed, "{}", group.group);
        }
        // By form: the one sexual case is hidden, and since one hidden case
        // is under the threshold, the seven labour cases are hidden with it.
        let labour = &figures.preliminary_by_form[0];
        assert_eq!(labour.group, "labour");
        assert_eq!(labour.count, Cell::Suppressed);

        // With a threshold of one, every figure shows.
        let figures = timeliness(&cases, Disclosure::new(1));
        let seventy_five = &figures.preliminary_by_departement[1];
        assert_eq!(seventy_five.count, Cell::Value(2.0));
        assert_eq!(seventy_five.median, Cell::Value(45.0));
        assert_eq!(seventy_five.p90, Cell::Value(49.0));
        assert!(figures.formal_by_form.is_empty(), "no formal decision yet");
    }

    #[test]
    fn large_enough_groups_show_their_spread() {
        let mut cases: Vec<_> = (1..=5).map(|d| case("59", &["labour"], f64::from(d))).collect();
        cases.extend((1..=5).map(|d| case("93", &["labour", "begging"], f64::from(d * 10))));
        let figures = timeliness(&cases, Disclosure::default());
        let nord = &figures.preliminary_by_departement[0];
        assert_eq!(
            (nord.group, nord.count, nord.median),
            ("59", Cell::Value(5.0), Cell::Value(3.0))
        );
        let begging = &figures.preliminary_by_form[0];
        assert_eq!((begging.group, begging.median), ("begging", Cell::Value(30.0)));
        let labour = &figures.preliminary_by_form[1];
        assert_eq!(labour.count, Cell::Value(10.0));
    }

    #[test]
    fn open_and_overdue_counts_follow_the_policy() {
        let mut cases: Vec<_> = (0..7)
            .map(|i| CaseWaits {
                open: i < 6,
                overdue: i < 3 || i == 6,
                ..case("59", &["labour"], 1.0)
            })
            .collect();
        let figures = timeliness(&cases, Disclosure::default());
        assert_eq!(figures.open, Cell::Value(6.0));
        // Three open cases overdue (a closed one does not count): too few to show.
        assert_eq!(figures.overdue, Cell::Suppressed);
        cases.iter_mut().for_each(|c| c.overdue = false);
        assert_eq!(timeliness(&cases, Disclosure::default()).overdue, Cell::Value(0.0));
    }
}
