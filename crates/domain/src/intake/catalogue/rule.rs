//! Scoring rules stored with a catalogue: a threshold deciding when one dimension is positive,
//! and per set a boolean combination of dimensions. Both are data so that a new catalogue
//! version can replace them (the combination rule is a working assumption).

use super::{Key, Labels, Provenance, Strength};

/// How a catalogue's observations are scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A flat checklist (`rule: none`): screening lists what was observed, nothing more.
    None,
    Weighted(WeightedRule),
}

/// Threshold per dimension and combination per set (the ILO/EC Delphi sets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightedRule {
    /// The question behind the `act` term: was the person recruited, transported, transferred,
    /// harboured or received?
    pub act: Labels,
    pub threshold: Threshold,
    /// Exactly one per set of the catalogue.
    pub combinations: Vec<Combination>,
}

impl WeightedRule {
    pub fn combination(&self, set: &Key) -> Option<&Combination> {
        self.combinations.iter().find(|c| &c.set == set)
    }
}

/// A dimension is positive when at least one clause holds; the first that holds is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    pub clauses: Vec<Clause>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub key: Key,
    pub labels: Labels,
    pub minimum: Minimum,
}

/// Minimum numbers of indicators by strength. `medium_or_weak` counts the medium and weak
/// indicators left over once `medium` and `weak` are met, so each indicator counts once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Minimum {
    pub strong: u32,
    pub medium: u32,
    pub weak: u32,
    pub medium_or_weak: u32,
}

/// Numbers of indicators by strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub strong: u32,
    pub medium: u32,
    pub weak: u32,
}

impl Tally {
    pub fn add(&mut self, strength: Strength) {
        let count = match strength {
            Strength::Strong => &mut self.strong,
            Strength::Medium => &mut self.medium,
            Strength::Weak => &mut self.weak,
        };
        *count = count.saturating_add(1);
    }
}

impl Minimum {
    /// Whether these numbers of indicators meet the minimum. Monotone: more indicators never
    /// turn a met minimum into an unmet one.
    pub fn is_met_by(&self, tally: Tally) -> bool {
        let spare = tally.medium.saturating_sub(self.medium) + tally.weak.saturating_sub(self.weak);
        tally.strong >= self.strong
            && tally.medium >= self.medium
            && tally.weak >= self.weak
            && spare >= self.medium_or_weak
    }

    /// Whether indicators of this strength count towards the minimum.
    pub fn counts(&self, strength: Strength) -> bool {
        match strength {
            Strength::Strong => self.strong > 0,
            Strength::Medium => self.medium > 0 || self.medium_or_weak > 0,
            Strength::Weak => self.weak > 0 || self.medium_or_weak > 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// How the dimensions of one set combine into the overall presumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    pub set: Key,
    pub expression: Expr,
    pub provenance: Provenance,
}

/// A boolean expression over dimensions and the act, evaluated in three-valued logic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// The observation that the person was recruited, transported, transferred, harboured or
    /// received (children need no means: the act and exploitation suffice).
    Act,
    /// The dimension is positive.
    Dimension(Key),
    All(Vec<Expr>),
    Any(Vec<Expr>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(strong: u32, medium: u32, weak: u32) -> Tally {
        Tally { strong, medium, weak }
    }

    #[test]
    fn medium_or_weak_counts_each_indicator_once() {
        let one_strong_one_other = Minimum {
            strong: 1,
            medium_or_weak: 1,
            ..Minimum::default()
        };
        assert!(one_strong_one_other.is_met_by(tally(1, 1, 0)));
        assert!(one_strong_one_other.is_met_by(tally(1, 0, 1)));
        assert!(!one_strong_one_other.is_met_by(tally(1, 0, 0)));
        assert!(!one_strong_one_other.is_met_by(tally(0, 3, 3)));
        let two_medium_one_either = Minimum {
            medium: 2,
            medium_or_weak: 1,
            ..Minimum::default()
        };
        assert!(!two_medium_one_either.is_met_by(tally(0, 2, 0)));
        assert!(two_medium_one_either.is_met_by(tally(0, 3, 0)));
        assert!(two_medium_one_either.is_met_by(tally(0, 2, 1)));
    }

    #[test]
    fn counts_only_the_strengths_it_names() {
        let three_medium = Minimum {
            medium: 3,
            ..Minimum::default()
        };
        assert!(three_medium.counts(Strength::Medium));
        assert!(!three_medium.counts(Strength::Strong));
        assert!(!three_medium.counts(Strength::Weak));
    }
}
