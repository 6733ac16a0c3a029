//! Linking any number of sources into persons, then into capture histories for multiple
//! systems estimation (issue 15, part 3).
//!
//! Each pair of sources is matched one to one; the links of every pair are then taken best
//! first and joined into clusters, and a link that would put two records of the same source in
//! one cluster is dropped (a source counts a person once: the weaker link is the wrong one).

use super::clk::Clk;
use super::link::one_to_one;
use crate::{Dataset, MseError};

/// A record: its source (the position of the source's file) and its position in it.
pub type RecordRef = (usize, usize);

/// The persons found, and what one-to-one across sources cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// Each person: a cluster of at most one record per source.
    pub persons: Vec<Vec<RecordRef>>,
    /// Links between two persons already formed that would have put two records of one source
    /// in the same person, so were dropped: many of them say the threshold is too low.
    pub dropped_links: usize,
}

/// Links `sources` at `threshold` into persons.
pub fn clusters(sources: &[Vec<Clk>], threshold: f64) -> Linked {
    let offsets: Vec<usize> = sources
        .iter()
        .scan(0, |next, s| {
            let at = *next;
            *next += s.len();
            Some(at)
        })
        .collect();
    let total: usize = sources.iter().map(Vec::len).sum();
    let mut links = Vec::new();
    for s in 0..sources.len() {
        for t in s + 1..sources.len() {
            for m in one_to_one(&sources[s], &sources[t], threshold) {
                links.push((m.score, offsets[s] + m.a, offsets[t] + m.b));
            }
        }
    }
    links.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let source_of = |record: usize| offsets.iter().rposition(|&o| o <= record).unwrap_or_default();
    let mut sets = Sets::new(total, |r| 1u128 << source_of(r).min(127));
    let mut dropped_links = 0;
    for (_, x, y) in links {
        if sets.join(x, y) == Join::Refused {
            dropped_links += 1;
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<RecordRef>> = std::collections::BTreeMap::new();
    for record in 0..total {
        let source = source_of(record);
        by_root
            .entry(sets.root(record))
            .or_default()
            .push((source, record - offsets[source]));
    }
    Linked {
        persons: by_root.into_values().collect(),
        dropped_links,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Join {
    Joined,
    /// Both records were already in one person.
    Already,
    /// The two persons share a source.
    Refused,
}

/// Union–find over records, each set carrying the sources it holds.
struct Sets {
    parent: Vec<usize>,
    sources: Vec<u128>,
}

impl Sets {
    fn new(n: usize, source: impl Fn(usize) -> u128) -> Self {
        Self {
            parent: (0..n).collect(),
            sources: (0..n).map(source).collect(),
        }
    }

    fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `x` and `y` unless they hold a source in common.
    fn join(&mut self, x: usize, y: usize) -> Join {
        let (rx, ry) = (self.root(x), self.root(y));
        if rx == ry {
            Join::Already
        } else if self.sources[rx] & self.sources[ry] != 0 {
            Join::Refused
        } else {
            self.parent[ry] = rx;
            self.sources[rx] |= self.sources[ry];
            Join::Joined
        }
    }
}

/// The capture history of each person as a table for estimation: bit `i` of a history is
/// set when source `i` counted the person.
pub fn capture_histories(names: Vec<String>, clusters: &[Vec<RecordRef>]) -> Result<Dataset, MseError> {
    let sources = names.len().min(crate::MAX_LISTS + 1);
    let mut counts = vec![0u64; 1 << sources];
    for cluster in clusters {
        let history = cluster.iter().fold(0usize, |h, &(s, _)| h | (1 << s.min(sources - 1)));
        counts[history] += 1;
    }
    Dataset::new(names, counts)
}

/// A history as the JSON shows it: one character per source in the order given, `1` when the
/// source counted the person (`"1010"`).
pub fn history_label(history: usize, sources: usize) -> String {
    (0..sources)
        .map(|i| if history & (1 << i) != 0 { '1' } else { '0' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_across_sources_but_never_two_records_of_one_source() {
        let key = |bits: u64| Clk(vec![bits]);
        let a = vec![key(0b1111_0000), key(0b0000_1111)];
        let b = vec![key(0b1111_1100)];
        let c = vec![key(0b0001_1110)];
        // a0–b0 (0.8) and a1–c0 (0.75) join; b0–c0 (0.6) would put a0 and a1 together: dropped.
        let found = clusters(&[a, b, c], 0.5);
        assert_eq!(found.persons, [vec![(0, 0), (1, 0)], vec![(0, 1), (2, 0)]]);
        assert_eq!(found.dropped_links, 1, "b0–c0 is counted as dropped");
        let table = capture_histories(vec!["a".into(), "b".into(), "c".into()], &found.persons).unwrap();
        assert_eq!(table.counts(), [0, 0, 0, 1, 0, 1, 0, 0]);
        assert_eq!(history_label(0b101, 4), "1010");
    }
}
