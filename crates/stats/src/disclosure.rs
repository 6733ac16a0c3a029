//! The one disclosure-control policy of every figure published from the
//! cases (equal access, timeliness): no figure derived from fewer than
//! `min_group` people is shown, and because totals are shown too, the next
//! smallest groups are hidden with the small ones until what is hidden holds
//! at least `min_group` people (secondary suppression), so that no small
//! group can be recovered by subtraction.

use serde::{Serialize, Serializer};

/// Groups smaller than this show no figure.
pub const DEFAULT_MIN_GROUP: usize = 5;

/// One figure as it may be shown. Serialised as the number, `"suppressed"`
/// or `null` (missing).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Derived from too few people: shown "< 5".
    Suppressed,
    /// Nobody to compute it over (no denominator).
    Missing,
    Value(f64),
}

impl Cell {
    pub fn value(self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(v),
            Self::Suppressed | Self::Missing => None,
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => serializer.serialize_f64(*v),
            Self::Suppressed => serializer.serialize_str("suppressed"),
            Self::Missing => serializer.serialize_none(),
        }
    }
}

/// The policy, with its threshold (configuration `equal_access_min_group`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure {
    min_group: usize,
}

impl Default for Disclosure {
    fn default() -> Self {
        Self::new(DEFAULT_MIN_GROUP)
    }
}

impl Disclosure {
    /// A threshold of 0 is read as 1: a figure always needs someone behind it.
    pub fn new(min_group: usize) -> Self {
        Self {
            min_group: min_group.max(1),
        }
    }

    pub fn min_group(self) -> usize {
        self.min_group
    }

    /// Whether `people` are too few to show a figure about (zero discloses nobody).
    pub fn too_few(self, people: usize) -> bool {
        people > 0 && people < self.min_group
    }

    /// A count as it may be shown.
    pub fn count(self, people: usize) -> Cell {
        if self.too_few(people) {
            Cell::Suppressed
        } else {
            Cell::Value(people as f64)
        }
    }

    /// The groups to hide, given each group's size: the small groups
    /// themselves, then the next smallest ones (smallest first, then by key)
    /// until what is hidden holds at least `min_group` people and at least
    /// two groups, or everything is hidden.
    pub fn hidden<K: Ord + Clone>(self, sizes: &[(K, usize)]) -> Vec<K> {
        let mut by_size: Vec<&(K, usize)> = sizes.iter().collect();
        by_size.sort_by(|(a, n), (b, m)| n.cmp(m).then_with(|| a.cmp(b)));
        let small = |n: usize| n < self.min_group;
        let mut hidden: Vec<K> = by_size
            .iter()
            .filter(|(_, n)| small(*n))
            .map(|(g, _)| g.clone())
            .collect();
        if hidden.is_empty() {
            return hidden;
        }
        let mut total: usize = by_size.iter().filter(|(_, n)| small(*n)).map(|(_, n)| n).sum();
        for (group, n) in by_size.iter().filter(|(_, n)| !small(*n)) {
            if hidden.len() >= 2 && total >= self.min_group {
                break;
            }
            hidden.push(group.clone());
            total += n;
        }
        hidden
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_group_is_hidden_with_the_next_smallest_until_the_hidden_hold_enough() {
        let policy = Disclosure::default();
        assert_eq!(policy.hidden(&[("a", 10), ("b", 6), ("c", 4)]), ["c", "b"]);
        // Two small groups that together hold five hide nothing else.
        assert_eq!(policy.hidden(&[("a", 10), ("b", 3), ("c", 2)]), ["c", "b"]);
        // One small group of one: the next one alone (six) is enough.
        assert_eq!(policy.hidden(&[("a", 7), ("b", 6), ("c", 1)]), ["c", "b"]);
        assert!(policy.hidden(&[("a", 5), ("b", 6)]).is_empty());
        assert_eq!(policy.hidden(&[("a", 2)]), ["a"]);
    }

    #[test]
    fn counts_under_the_threshold_are_suppressed_zero_is_not() {
        let policy = Disclosure::new(5);
        assert_eq!(policy.count(0), Cell::Value(0.0));
        assert_eq!(policy.count(4), Cell::Suppressed);
        assert_eq!(policy.count(5), Cell::Value(5.0));
        assert_eq!(Disclosure::new(0).min_group(), 1);
        assert_eq!(Disclosure::new(1).count(1), Cell::Value(1.0));
    }
}
