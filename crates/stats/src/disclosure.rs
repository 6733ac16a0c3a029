//! The one disclosure-control policy of every published figure: no figure
//! derived from fewer than `min_group` people is shown, and because totals
//! are shown too, other figures are hidden with the small ones so that none
//! can be recovered by subtraction (secondary suppression). Two-way tables
//! are protected by [`Disclosure::protect`] (`two_way.rs`); a list of groups
//! with its total (equal access, timeliness, training) is the one-line case
//! of the same algorithm.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::two_way::{Published, TwoWayTable};

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

/// Reads what [`Cell`]'s serialisation writes (figures kept between requests).
impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Value(f64),
            Word(String),
        }
        match Option::<Written>::deserialize(deserializer)? {
            Some(Written::Value(v)) => Ok(Self::Value(v)),
            Some(Written::Word(word)) if word == "suppressed" => Ok(Self::Suppressed),
            Some(Written::Word(word)) => Err(serde::de::Error::unknown_variant(&word, &["suppressed"])),
            None => Ok(Self::Missing),
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

    /// The groups to hide, given each group's size, smallest first then by key: the groups as
    /// one line of a table with its total, protected by the two-way policy
    /// ([`Self::protect`]) — the small groups, then the cheapest others that keep every hidden
    /// group from being worked out from the total, together at least `min_group` people.
    pub fn hidden<K: Ord + Clone>(self, sizes: &[(K, usize)]) -> Vec<K> {
        let counts = sizes.iter().map(|(_, n)| *n as u64).collect();
        let Ok(table) = TwoWayTable::new(1, sizes.len(), counts) else {
            return Vec::new();
        };
        let protected = self.protect(&table);
        let mut hidden: Vec<&(K, usize)> = sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| protected.cell(0, *i).is_some_and(Published::is_hidden))
            .map(|(_, group)| group)
            .collect();
        hidden.sort_by(|(a, n), (b, m)| n.cmp(m).then_with(|| a.cmp(b)));
        hidden.into_iter().map(|(g, _)| g.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_reads_back_what_it_writes() {
        let cells = [Cell::Value(2.5), Cell::Value(0.0), Cell::Suppressed, Cell::Missing];
        let written = serde_json::to_string(&cells).unwrap();
        assert_eq!(written, r#"[2.5,0.0,"suppressed",null]"#);
        assert_eq!(serde_json::from_str::<[Cell; 4]>(&written).unwrap(), cells);
        assert!(serde_json::from_str::<Cell>(r#""hidden""#).is_err());
    }

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
        // A small total is hidden itself: the zero next to it is shown.
        assert_eq!(policy.hidden(&[("a", 0), ("b", 1)]), ["b"]);
    }

    proptest::proptest! {
        #[test]
        fn no_small_group_is_shown_nor_recovered_from_the_total(sizes in proptest::collection::vec(0usize..30, 1..9)) {
            let policy = Disclosure::default();
            let groups: Vec<(usize, usize)> = sizes.iter().copied().enumerate().collect();
            let hidden = policy.hidden(&groups);
            for (g, n) in &groups {
                if policy.too_few(*n) {
                    proptest::prop_assert!(hidden.contains(g), "{groups:?} shows {g}");
                }
            }
            // One hidden group next to a shown total would be the total minus the others (a
            // total under the threshold is hidden itself).
            let total_hidden = policy.too_few(sizes.iter().sum());
            proptest::prop_assert!(hidden.len() != 1 || groups.len() == 1 || total_hidden, "{groups:?} hides only {hidden:?}");
            // The hidden groups hold enough people together, or every group with someone in it
            // is hidden (and so is the total, then under the threshold); a zero discloses nobody.
            let held: usize = groups.iter().filter(|(g, _)| hidden.contains(g)).map(|(_, n)| n).sum();
            let every_one_with_someone = groups.iter().all(|(g, n)| *n == 0 || hidden.contains(g));
            proptest::prop_assert!(hidden.is_empty() || held == 0 || held >= policy.min_group() || every_one_with_someone);
        }
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
