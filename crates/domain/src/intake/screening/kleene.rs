//! Three-valued (strong Kleene) logic: what the overall result can honestly say when some
//! dimensions are not decided. `Unknown` means "could be either": `False` and anything is
//! `False`, `True` or anything is `True`, otherwise the unknown spreads.

/// A truth value that may not be known yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::False, _) | (_, Self::False) => Self::False,
            (Self::True, Self::True) => Self::True,
            _ => Self::Unknown,
        }
    }

    pub fn or(self, other: Self) -> Self {
        match (self, other) {
            (Self::True, _) | (_, Self::True) => Self::True,
            (Self::False, Self::False) => Self::False,
            _ => Self::Unknown,
        }
    }

    /// Conjunction of all values; `True` for none.
    pub fn all(values: impl IntoIterator<Item = Self>) -> Self {
        values.into_iter().fold(Self::True, Self::and)
    }

    /// Disjunction of all values; `False` for none.
    pub fn any(values: impl IntoIterator<Item = Self>) -> Self {
        values.into_iter().fold(Self::False, Self::or)
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, False, True, Unknown};

    const VALUES: [Truth; 3] = [True, False, Unknown];

    #[test]
    fn truth_tables() {
        let and = [[True, False, Unknown], [False, False, False], [Unknown, False, Unknown]];
        let or = [[True, True, True], [True, False, Unknown], [True, Unknown, Unknown]];
        for (i, a) in VALUES.iter().enumerate() {
            for (j, b) in VALUES.iter().enumerate() {
                assert_eq!(a.and(*b), and[i][j], "{a:?} and {b:?}");
                assert_eq!(a.or(*b), or[i][j], "{a:?} or {b:?}");
            }
        }
    }

    #[test]
    fn folds() {
        assert_eq!(Truth::all([]), True);
        assert_eq!(Truth::any([]), False);
        assert_eq!(Truth::all([True, Unknown, True]), Unknown);
        assert_eq!(Truth::all([Unknown, False]), False);
        assert_eq!(Truth::any([False, Unknown]), Unknown);
        assert_eq!(Truth::any([Unknown, True]), True);
    }
}
