//! The planned cost of measures against the amount funded for them (the
//! CNCDH asks for an identified cost and a dedicated funding source for
//! every measure): the gap per measure and overall, for one year of the
//! annual strategic plan.

use super::budget::Grant;
use super::money::Euros;
use std::collections::{BTreeMap, BTreeSet};

/// How a measure's funding compares with its planned cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumCount)]
pub enum Coverage {
    /// No planned cost: nothing to compare with.
    NoCost,
    /// Funded below the planned cost by this much.
    Short(Euros),
    Covered,
    /// Funded above the planned cost by this much.
    Over(Euros),
}

impl Coverage {
    /// Every key, in declaration order (`budget-gap-<key>`).
    pub const KEYS: [&'static str; <Self as strum::EnumCount>::COUNT] = ["no-cost", "short", "covered", "over"];

    pub fn of(planned: Option<Euros>, funded: Euros) -> Self {
        let Some(planned) = planned else {
            return Self::NoCost;
        };
        let gap = funded.cents() - planned.cents();
        let euros = |cents: i64| Euros::from_cents(cents.abs()).unwrap_or_default();
        match gap {
            0 => Self::Covered,
            g if g < 0 => Self::Short(euros(g)),
            g => Self::Over(euros(g)),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::NoCost => "no-cost",
            Self::Short(_) => "short",
            Self::Covered => "covered",
            Self::Over(_) => "over",
        }
    }
}

/// One measure's planned cost, funded amount and their gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasureCoverage {
    pub number: u32,
    pub planned: Option<Euros>,
    pub funded: Euros,
    pub coverage: Coverage,
}

/// Every measure's coverage and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostCoverage {
    pub measures: Vec<MeasureCoverage>,
    /// The planned costs added up (measures without one count nothing).
    pub planned_total: Euros,
    pub funded_total: Euros,
    /// The planned total against the funded total.
    pub overall: Coverage,
    /// What the underfunded measures lack together: a surplus on one
    /// measure does not fund another.
    pub shortfall_total: Euros,
    /// Measures with no planned cost.
    pub without_cost: usize,
}

/// Compares each measure's planned cost (`None`: not given) with what is
/// funded for it; a measure missing from `funded` has nothing funded.
/// Measures in either map appear, in number order.
pub fn cost_coverage(planned: &BTreeMap<u32, Option<Euros>>, funded: &BTreeMap<u32, Euros>) -> CostCoverage {
    let numbers: BTreeSet<u32> = planned.keys().chain(funded.keys()).copied().collect();
    let mut measures = Vec::new();
    let (mut planned_total, mut funded_total, mut shortfall_total) =
        (Euros::default(), Euros::default(), Euros::default());
    let mut without_cost = 0;
    for number in numbers {
        let cost = planned.get(&number).copied().flatten();
        let money = funded.get(&number).copied().unwrap_or_default();
        let coverage = Coverage::of(cost, money);
        match (cost, coverage) {
            (None, _) => without_cost += 1,
            (Some(cost), Coverage::Short(gap)) => {
                planned_total = planned_total.saturating_add(cost);
                shortfall_total = shortfall_total.saturating_add(gap);
            }
            (Some(cost), _) => planned_total = planned_total.saturating_add(cost),
        }
        funded_total = funded_total.saturating_add(money);
        measures.push(MeasureCoverage {
            number,
            planned: cost,
            funded: money,
            coverage,
        });
    }
    CostCoverage {
        measures,
        planned_total,
        funded_total,
        overall: Coverage::of(Some(planned_total), funded_total),
        shortfall_total,
        without_cost,
    }
}

/// Each measure's (`numbers`) planned cost for one year, as the annual plan
/// states it in `year_costs`: a measure the year gives no cost has none,
/// whatever the cost the plan gives it for its whole period.
pub fn planned_in_year(
    numbers: impl IntoIterator<Item = u32>,
    year_costs: &BTreeMap<u32, Euros>,
) -> BTreeMap<u32, Option<Euros>> {
    numbers
        .into_iter()
        .map(|number| (number, year_costs.get(&number).copied()))
        .collect()
}

/// What the budget of `year` funds for each measure: the parts of that
/// year's lines (`(year, parts by measure)`) assigned to it, and that year's
/// grants not paid from a line (`(grant, paid from a line)`: a grant paid
/// from a line is already in the line's part).
pub fn funded_in_year<'a>(
    year: i32,
    lines: impl IntoIterator<Item = (i32, &'a [(u32, Euros)])>,
    grants: impl IntoIterator<Item = (&'a Grant, bool)>,
) -> BTreeMap<u32, Euros> {
    let mut funded: BTreeMap<u32, Euros> = BTreeMap::new();
    let mut add = |measure: u32, amount: Euros| {
        let sum = funded.entry(measure).or_default();
        *sum = sum.saturating_add(amount);
    };
    for (_, parts) in lines.into_iter().filter(|(y, _)| *y == year) {
        for (measure, amount) in parts {
            add(*measure, *amount);
        }
    }
    for (grant, _) in grants.into_iter().filter(|(g, from_line)| g.year == year && !from_line) {
        add(grant.measure, grant.amount);
    }
    funded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(units: i64) -> Euros {
        Euros::from_cents(units * 100).unwrap()
    }

    #[test]
    fn each_measure_is_short_covered_over_or_without_cost() {
        assert_eq!(Coverage::of(Some(euros(100)), euros(60)), Coverage::Short(euros(40)));
        assert_eq!(Coverage::of(Some(euros(100)), euros(100)), Coverage::Covered);
        assert_eq!(Coverage::of(Some(euros(100)), euros(130)), Coverage::Over(euros(30)));
        assert_eq!(Coverage::of(None, euros(130)), Coverage::NoCost);
        assert_eq!(Coverage::of(Some(euros(0)), euros(0)), Coverage::Covered);
    }

    #[test]
    fn a_surplus_does_not_hide_a_shortfall() {
        let planned = BTreeMap::from([(1, Some(euros(100))), (2, Some(euros(50))), (3, None)]);
        let funded = BTreeMap::from([(1, euros(40)), (2, euros(80)), (3, euros(10))]);
        let coverage = cost_coverage(&planned, &funded);
        assert_eq!(coverage.planned_total, euros(150));
        assert_eq!(coverage.funded_total, euros(130));
        assert_eq!(coverage.overall, Coverage::Short(euros(20)));
        assert_eq!(coverage.shortfall_total, euros(60));
        assert_eq!(coverage.without_cost, 1);
        let kinds: Vec<_> = coverage.measures.iter().map(|m| m.coverage.key()).collect();
        assert_eq!(kinds, ["short", "over", "no-cost"]);
    }

    #[test]
    fn nothing_planned_nor_funded_is_covered_and_unfunded_measures_count() {
        let empty = cost_coverage(&BTreeMap::new(), &BTreeMap::new());
        assert!(empty.measures.is_empty());
        assert_eq!(empty.overall, Coverage::Covered);
        let planned = BTreeMap::from([(4, Some(euros(10)))]);
        let coverage = cost_coverage(&planned, &BTreeMap::new());
        assert_eq!(coverage.measures[0].coverage, Coverage::Short(euros(10)));
    }

    #[test]
    fn a_year_compares_its_own_planned_cost_with_its_own_funding() {
        let year_costs = BTreeMap::from([(1, euros(100)), (3, euros(0))]);
        let planned = planned_in_year([1, 2, 3], &year_costs);
        assert_eq!(
            planned,
            BTreeMap::from([(1, Some(euros(100))), (2, None), (3, Some(euros(0)))]),
            "measure 2 has no cost for the year, whatever its plan-level cost"
        );
        let this_year = [(1, euros(60)), (2, euros(5))];
        let next_year = [(1, euros(1_000))];
        let grant = |year, measure, amount| Grant {
            year,
            beneficiary: "Association".to_owned(),
            amount: euros(amount),
            measure,
        };
        let (free, paid_from_line, other_year) = (grant(2027, 1, 30), grant(2027, 1, 60), grant(2028, 3, 9));
        let funded = funded_in_year(
            2027,
            [(2027, &this_year[..]), (2028, &next_year[..])],
            [(&free, false), (&paid_from_line, true), (&other_year, false)],
        );
        assert_eq!(funded, BTreeMap::from([(1, euros(90)), (2, euros(5))]));
        let coverage = cost_coverage(&planned, &funded);
        let kinds: Vec<_> = coverage.measures.iter().map(|m| m.coverage.key()).collect();
        assert_eq!(kinds, ["short", "no-cost", "covered"]);
        assert_eq!(coverage.planned_total, euros(100));
        assert_eq!(coverage.shortfall_total, euros(10));
        assert_eq!(coverage.without_cost, 1);
    }

    /// `KEYS` in declaration order: adding a variant breaks this exhaustive
    /// match, which then asks for its key in `KEYS` too.
    #[test]
    fn keys_list_every_coverage() {
        let place = |c: Coverage| match c {
            Coverage::NoCost => 0,
            Coverage::Short(_) => 1,
            Coverage::Covered => 2,
            Coverage::Over(_) => 3,
        };
        let euro = Euros::from_cents(100).unwrap();
        for c in [
            Coverage::NoCost,
            Coverage::Short(euro),
            Coverage::Covered,
            Coverage::Over(euro),
        ] {
            assert_eq!(Coverage::KEYS[place(c)], c.key());
        }
    }
}
