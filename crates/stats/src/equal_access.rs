//! Equal-access monitoring: whether every group of victims (by form of
//! exploitation, sex, age, nationality, département) is identified,
//! decided on, housed and given a residence permit like the others, as the
//! seed opinion asks for all forms of exploitation without discrimination.
//!
//! Each group's figures are set against the overall figures and flagged when
//! they differ by more than a margin. No figure derived from fewer than
//! `min_group` people is disclosed: a group that small shows nothing, and a
//! rate or median over fewer people than that is suppressed. Because the
//! overall figures are shown, the next smallest groups are hidden too until
//! the hidden ones hold at least `min_group` people (secondary suppression):
//! otherwise a small group would be the overall minus the others. Both rules
//! are the one policy of [`crate::disclosure`].

use std::collections::BTreeMap;
use strum::EnumCount;

use serde::{Deserialize, Serialize};

use crate::disclosure::{Cell, Disclosure};
/// Flag a rate 10 points off the overall one, or a median 10 % off.
pub const DEFAULT_MARGIN: f64 = 0.10;

/// One case, with its categories as keys (the caller translates them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseRow {
    pub form: String,
    pub sex: String,
    pub age_group: String,
    pub nationality_group: String,
    pub departement: String,
    /// The formal decision; `None` while there is none yet.
    pub identified: Option<bool>,
    pub days_to_decision: Option<f64>,
    pub accommodation_need: bool,
    pub accommodation_met: bool,
    pub permit_applied: bool,
    pub permit_granted: bool,
    pub days_to_permit: Option<f64>,
}

/// What the cases are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    Form,
    Sex,
    AgeGroup,
    NationalityGroup,
    Departement,
}

impl Dimension {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Form,
        Self::Sex,
        Self::AgeGroup,
        Self::NationalityGroup,
        Self::Departement,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Sex => "sex",
            Self::AgeGroup => "age-group",
            Self::NationalityGroup => "nationality-group",
            Self::Departement => "departement",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }

    /// The group a case belongs to along this dimension.
    pub fn group_of(self, row: &CaseRow) -> &str {
        match self {
            Self::Form => &row.form,
            Self::Sex => &row.sex,
            Self::AgeGroup => &row.age_group,
            Self::NationalityGroup => &row.nationality_group,
            Self::Departement => &row.departement,
        }
    }
}

/// The figures compared between groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, EnumCount)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Identified among those with a formal decision.
    IdentificationRate,
    MedianDaysToDecision,
    /// Housed among those who needed accommodation.
    AccommodationMetShare,
    /// Applied for a residence permit among all cases.
    PermitAppliedShare,
    /// Granted among those who applied.
    PermitGrantedShare,
    MedianDaysToPermit,
}

impl Metric {
    pub const ALL: [Self; Self::COUNT] = [
        Self::IdentificationRate,
        Self::MedianDaysToDecision,
        Self::AccommodationMetShare,
        Self::PermitAppliedShare,
        Self::PermitGrantedShare,
        Self::MedianDaysToPermit,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::IdentificationRate => "identification-rate",
            Self::MedianDaysToDecision => "median-days-to-decision",
            Self::AccommodationMetShare => "accommodation-met-share",
            Self::PermitAppliedShare => "permit-applied-share",
            Self::PermitGrantedShare => "permit-granted-share",
            Self::MedianDaysToPermit => "median-days-to-permit",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Medians are compared by relative difference, proportions by absolute difference.
    pub fn is_median(self) -> bool {
        matches!(self, Self::MedianDaysToDecision | Self::MedianDaysToPermit)
    }
}

/// The figures of one group (or of all cases).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// The group's key; empty for the overall figures.
    pub group: String,
    /// Number of cases.
    pub cases: Cell,
    pub identification_rate: Cell,
    pub median_days_to_decision: Cell,
    pub accommodation_met_share: Cell,
    pub permit_applied_share: Cell,
    pub permit_granted_share: Cell,
    pub median_days_to_permit: Cell,
    /// Metrics that differ from the overall figure by more than the margin.
    pub flags: Vec<Metric>,
}

impl GroupFigures {
    pub fn figure(&self, metric: Metric) -> Cell {
        match metric {
            Metric::IdentificationRate => self.identification_rate,
            Metric::MedianDaysToDecision => self.median_days_to_decision,
            Metric::AccommodationMetShare => self.accommodation_met_share,
            Metric::PermitAppliedShare => self.permit_applied_share,
            Metric::PermitGrantedShare => self.permit_granted_share,
            Metric::MedianDaysToPermit => self.median_days_to_permit,
        }
    }
}

/// The outcome of [`monitor`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Monitoring {
    /// All cases together (never flagged); follows the same suppression rules.
    pub overall: GroupFigures,
    /// By group key.
    pub groups: Vec<GroupFigures>,
}

/// Compares each group of `dimension` with all cases.
///
/// `margin` applies to proportions as an absolute difference (0.10: ten
/// points) and to medians as a relative one (0.10: 10 % of the overall
/// median); a difference equal to the margin is not flagged. A figure is
/// compared only when both it and the overall one can be shown.
pub fn monitor(rows: &[CaseRow], dimension: Dimension, min_group: usize, margin: f64) -> Monitoring {
    let policy = Disclosure::new(min_group);
    let all: Vec<&CaseRow> = rows.iter().collect();
    let overall = figures(String::new(), &all, policy, false);
    let mut by_group: BTreeMap<&str, Vec<&CaseRow>> = BTreeMap::new();
    for row in rows {
        by_group.entry(dimension.group_of(row)).or_default().push(row);
    }
    let sizes: Vec<(&str, usize)> = by_group.iter().map(|(g, members)| (*g, members.len())).collect();
    let hidden = policy.hidden(&sizes);
    let groups = by_group
        .into_iter()
        .map(|(group, members)| {
            let mut figures = figures(group.to_owned(), &members, policy, hidden.contains(&group));
            figures.flags = Metric::ALL
                .into_iter()
                .filter(|&m| differs(m, figures.figure(m), overall.figure(m), margin))
                .collect();
            figures
        })
        .collect();
    Monitoring { overall, groups }
}

fn differs(metric: Metric, group: Cell, overall: Cell, margin: f64) -> bool {
    let (Some(g), Some(o)) = (group.value(), overall.value()) else {
        return false;
    };
    let allowed = if metric.is_median() { margin * o.abs() } else { margin };
    (g - o).abs() > allowed
}

fn figures(group: String, rows: &[&CaseRow], policy: Disclosure, hidden: bool) -> GroupFigures {
    let n = rows.len();
    if hidden || policy.too_few(n) {
        return GroupFigures {
            group,
            cases: Cell::Suppressed,
            identification_rate: Cell::Suppressed,
            median_days_to_decision: Cell::Suppressed,
            accommodation_met_share: Cell::Suppressed,
            permit_applied_share: Cell::Suppressed,
            permit_granted_share: Cell::Suppressed,
            median_days_to_permit: Cell::Suppressed,
            flags: Vec::new(),
        };
    }
    let count = |f: &dyn Fn(&CaseRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let rate = |numerator: usize, denominator: usize| match denominator {
        0 => Cell::Missing,
        d if policy.too_few(d) => Cell::Suppressed,
        d => Cell::Value(numerator as f64 / d as f64),
    };
    let median_of = |days: &dyn Fn(&CaseRow) -> Option<f64>| {
        let mut values: Vec<f64> = rows.iter().filter_map(|r| days(r)).filter(|v| v.is_finite()).collect();
        values.sort_by(f64::total_cmp);
        match values.len() {
            0 => Cell::Missing,
            len if policy.too_few(len) => Cell::Suppressed,
            _ => median(&values).map_or(Cell::Missing, Cell::Value),
        }
    };
    GroupFigures {
        group,
        // Zero cases discloses nobody, so an empty input shows 0.
        cases: policy.count(n),
        identification_rate: rate(
            count(&|r| r.identified == Some(true)),
            count(&|r| r.identified.is_some()),
        ),
        median_days_to_decision: median_of(&|r| r.days_to_decision),
        accommodation_met_share: rate(
            count(&|r| r.accommodation_need && r.accommodation_met),
            count(&|r| r.accommodation_need),
        ),
        permit_applied_share: rate(count(&|r| r.permit_applied), n),
        permit_granted_share: rate(
            count(&|r| r.permit_applied && r.permit_granted),
            count(&|r| r.permit_applied),
        ),
        median_days_to_permit: median_of(&|r| r.days_to_permit),
        flags: Vec::new(),
    }
}

/// The median of sorted values: the middle one, or the mean of the two
/// middle ones (every quantile definition, type 7 included, agrees at 50 %).
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    let upper = *sorted.get(n / 2)?;
    if n % 2 == 1 {
        Some(upper)
    } else {
        let lower = *sorted.get(n / 2 - 1)?;
        Some((lower + upper) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::DEFAULT_MIN_GROUP;

    fn row(form: &str) -> CaseRow {
        CaseRow {
            form: form.to_owned(),
            ..CaseRow::default()
        }
    }

    /// `positive` identified and `negative` not, out of `decided` rows, in a group of `size`.
    fn decided(form: &str, size: usize, positive: usize, negative: usize) -> Vec<CaseRow> {
        (0..size)
            .map(|i| CaseRow {
                identified: if i < positive {
                    Some(true)
                } else if i < positive + negative {
                    Some(false)
                } else {
                    None
                },
                days_to_decision: Some(10.0),
                ..row(form)
            })
            .collect()
    }

    fn group<'a>(m: &'a Monitoring, key: &str) -> &'a GroupFigures {
        m.groups.iter().find(|g| g.group == key).unwrap()
    }

    fn close(cell: Cell, expected: f64) -> bool {
        cell.value().is_some_and(|v| (v - expected).abs() < 1e-12)
    }

    #[test]
    fn a_group_far_from_the_overall_rate_is_flagged_a_near_one_is_not_a_small_one_shows_nothing() {
        // labour 2/10 = 0.20, sexual 5/10 = 0.50, domestic 1/6, begging 0/4; overall 8/30 = 0.2667.
        let rows = [
            decided("labour", 10, 2, 8),
            decided("sexual", 10, 5, 5),
            decided("domestic", 6, 1, 5),
            decided("begging", 4, 0, 4),
        ]
        .concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert!(close(m.overall.cases, 30.0));
        assert!(close(m.overall.identification_rate, 8.0 / 30.0));
        assert!(m.overall.flags.is_empty());
        let keys: Vec<_> = m.groups.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(keys, ["begging", "domestic", "labour", "sexual"]);
        // Begging alone would be the overall minus the others: the next
        // smallest group is hidden with it.
        assert_eq!(group(&m, "domestic").cases, Cell::Suppressed);
        assert_eq!(group(&m, "domestic").identification_rate, Cell::Suppressed);

        // |0.50 − 0.2667| = 0.233 > 0.10.
        let sexual = group(&m, "sexual");
        assert!(close(sexual.identification_rate, 0.5));
        assert_eq!(sexual.flags, [Metric::IdentificationRate]);
        // |0.20 − 0.2667| = 0.067 ≤ 0.10.
        let labour = group(&m, "labour");
        assert!(close(labour.identification_rate, 0.2));
        assert!(labour.flags.is_empty());
        // 4 people: nothing shown, never flagged, though 0/4 is far from 0.27.
        let begging = group(&m, "begging");
        for metric in Metric::ALL {
            assert_eq!(begging.figure(metric), Cell::Suppressed, "{}", metric.key());
        }
        assert_eq!(begging.cases, Cell::Suppressed);
        assert!(begging.flags.is_empty());

        // Equal medians, nobody in need of accommodation, nobody applying.
        assert!(close(labour.median_days_to_decision, 10.0));
        assert_eq!(labour.accommodation_met_share, Cell::Missing);
        assert!(close(labour.permit_applied_share, 0.0));
        assert_eq!(labour.permit_granted_share, Cell::Missing);
        assert_eq!(labour.median_days_to_permit, Cell::Missing);

        // A tighter margin flags labour too.
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, 0.05);
        assert_eq!(group(&m, "labour").flags, [Metric::IdentificationRate]);
    }

    #[test]
    fn a_rate_over_too_few_people_is_suppressed() {
        // 7 cases, 3 decided; 6 need accommodation, 4 housed; 5 applied, 2 granted.
        let rows: Vec<CaseRow> = (0..7)
            .map(|i| CaseRow {
                identified: (i < 3).then_some(i == 0),
                days_to_decision: (i < 3).then_some(20.0),
                accommodation_need: i < 6,
                accommodation_met: i < 4,
                permit_applied: i < 5,
                permit_granted: i < 2,
                days_to_permit: (i < 2).then_some(90.0),
                ..row("labour")
            })
            .collect();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        let g = group(&m, "labour");
        assert!(close(g.cases, 7.0));
        assert_eq!(g.identification_rate, Cell::Suppressed);
        assert_eq!(g.median_days_to_decision, Cell::Suppressed);
        assert!(close(g.accommodation_met_share, 4.0 / 6.0));
        assert!(close(g.permit_applied_share, 5.0 / 7.0));
        assert!(close(g.permit_granted_share, 2.0 / 5.0));
        assert_eq!(g.median_days_to_permit, Cell::Suppressed);
        assert!(g.flags.is_empty());
        // With a threshold of 3, the 3 decisions can be shown: 1 of 3 identified.
        let m = monitor(&rows, Dimension::Form, 3, DEFAULT_MARGIN);
        assert!(close(group(&m, "labour").identification_rate, 1.0 / 3.0));
        assert!(close(group(&m, "labour").median_days_to_decision, 20.0));
    }

    #[test]
    fn medians_of_even_and_odd_counts_and_their_relative_margin() {
        let with_days = |form: &str, days: &[f64]| -> Vec<CaseRow> {
            days.iter()
                .map(|&d| CaseRow {
                    days_to_decision: Some(d),
                    ..row(form)
                })
                .collect()
        };
        let rows = [
            with_days("a", &[1.0, 2.0, 3.0, 4.0, 5.0, 100.0]),
            with_days("b", &[5.0, 1.0, 4.0, 2.0, 3.0]),
        ]
        .concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        // a: (3 + 4) / 2; b: 3; all 11: 1 1 2 2 3 [3] 4 4 5 5 100.
        assert!(close(group(&m, "a").median_days_to_decision, 3.5));
        assert!(close(group(&m, "b").median_days_to_decision, 3.0));
        assert!(close(m.overall.median_days_to_decision, 3.0));
        // 3.5 is 16.7 % above 3: flagged at 10 %, not at 20 %.
        assert_eq!(group(&m, "a").flags, [Metric::MedianDaysToDecision]);
        assert!(group(&m, "b").flags.is_empty());
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, 0.20);
        assert!(group(&m, "a").flags.is_empty());
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7.0]), Some(7.0));
        // Rows with no duration (or a non-finite one) do not count.
        let mut rows = with_days("c", &[2.0, 4.0, 6.0, 8.0, 10.0]);
        rows.push(row("c"));
        rows.push(CaseRow {
            days_to_decision: Some(f64::NAN),
            ..row("c")
        });
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert!(close(group(&m, "c").median_days_to_decision, 6.0));
    }

    #[test]
    fn empty_input_shows_zero_cases_and_nothing_else() {
        let m = monitor(&[], Dimension::Sex, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert!(m.groups.is_empty());
        assert_eq!(m.overall.cases, Cell::Value(0.0));
        for metric in Metric::ALL {
            assert_eq!(m.overall.figure(metric), Cell::Missing, "{}", metric.key());
        }
        assert!(m.overall.flags.is_empty());
    }

    #[test]
    fn fewer_cases_than_the_threshold_overall_disclose_nothing() {
        let rows = decided("sexual", 3, 3, 0);
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert_eq!(m.overall.cases, Cell::Suppressed);
        assert_eq!(m.overall.identification_rate, Cell::Suppressed);
        assert_eq!(m.groups[0].cases, Cell::Suppressed);
    }

    #[test]
    fn groups_follow_the_chosen_dimension() {
        let rows: Vec<CaseRow> = ["female", "male", "female"]
            .iter()
            .zip(["75", "13", "13"])
            .map(|(sex, dep)| CaseRow {
                sex: (*sex).to_owned(),
                departement: dep.to_owned(),
                ..row("sexual")
            })
            .collect();
        let keys = |d: Dimension| -> Vec<String> {
            monitor(&rows, d, 1, DEFAULT_MARGIN)
                .groups
                .into_iter()
                .map(|g| g.group)
                .collect()
        };
        assert_eq!(keys(Dimension::Sex), ["female", "male"]);
        assert_eq!(keys(Dimension::Departement), ["13", "75"]);
        assert_eq!(keys(Dimension::Form), ["sexual"]);
    }

    #[test]
    fn keys_round_trip_and_cells_serialise_plainly() {
        for d in Dimension::ALL {
            assert_eq!(Dimension::parse(d.key()), Some(d));
            assert_eq!(serde_json::to_value(d).unwrap(), d.key());
        }
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.key()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.key());
        }
        assert_eq!(serde_json::to_string(&Cell::Value(0.5)).unwrap(), "0.5");
        assert_eq!(serde_json::to_string(&Cell::Suppressed).unwrap(), "\"suppressed\"");
        assert_eq!(serde_json::to_string(&Cell::Missing).unwrap(), "null");
    }

    #[test]
    fn no_small_group_can_be_recovered_by_subtraction() {
        let sizes = |m: &Monitoring| -> Vec<(String, bool)> {
            m.groups
                .iter()
                .map(|g| (g.group.clone(), g.cases == Cell::Suppressed))
                .collect()
        };
        // One small group: the smallest of the others is hidden too.
        let rows = [decided("a", 3, 1, 2), decided("b", 7, 2, 5), decided("c", 9, 3, 6)].concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert_eq!(sizes(&m), [("a".into(), true), ("b".into(), true), ("c".into(), false)]);
        // Two small groups holding 5 people together: nothing else is hidden.
        let rows = [decided("a", 2, 1, 1), decided("b", 3, 1, 2), decided("c", 9, 3, 6)].concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert_eq!(sizes(&m), [("a".into(), true), ("b".into(), true), ("c".into(), false)]);
        // Two small groups of 3 people together: one more is hidden.
        let rows = [
            decided("a", 1, 1, 0),
            decided("b", 2, 1, 1),
            decided("c", 9, 3, 6),
            decided("d", 8, 3, 5),
        ]
        .concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert_eq!(
            sizes(&m),
            [
                ("a".into(), true),
                ("b".into(), true),
                ("c".into(), false),
                ("d".into(), true)
            ]
        );
        // No small group: everything is shown.
        let rows = [decided("a", 5, 1, 4), decided("b", 6, 1, 5)].concat();
        let m = monitor(&rows, Dimension::Form, DEFAULT_MIN_GROUP, DEFAULT_MARGIN);
        assert!(sizes(&m).iter().all(|(_, hidden)| !hidden));
    }
}
