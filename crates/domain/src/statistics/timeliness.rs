//! Timeliness figures (issue 4, part 6): how long people wait for the
//! preliminary and the formal decision, as a median and a 90th percentile
//! of days, per group. The UK mechanism's median of 526 days to a final
//! decision in 2023 is what these figures exist to prevent.

use std::collections::BTreeMap;

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

/// Durations grouped by a label (département, form of exploitation…).
pub fn by_group<'a>(items: impl IntoIterator<Item = (&'a str, f64)>) -> BTreeMap<String, Spread> {
    let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (group, days) in items {
        groups.entry(group.to_owned()).or_default().push(days);
    }
    groups
        .into_iter()
        .filter_map(|(group, values)| spread(&values).map(|s| (group, s)))
        .collect()
}

/// Whole days from one instant to another (seconds), never negative.
pub fn days_between(from: i64, to: i64) -> f64 {
    (to.saturating_sub(from)).max(0) as f64 / 86_400.0
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
    }

    #[test]
    fn groups_are_summarised_separately() {
        let groups = by_group([("59", 1.0), ("75", 10.0), ("59", 3.0)]);
        assert_eq!(groups.len(), 2);
        assert!((groups["59"].median - 2.0).abs() < 1e-12);
        assert_eq!(days_between(0, 86_400 * 3), 3.0);
        assert_eq!(days_between(100, 0), 0.0);
    }
}
