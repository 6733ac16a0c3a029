//! The independent evaluation report (*rapport d'évaluation*, issue 13 part
//! 6): each measure's government status beside the rapporteur's rating, and
//! the counts at the top of the report. Divergence is [`diverges`]'s.

use super::status::{MeasureStatus, Rating, diverges};
use strum::EnumCount;

/// Where a measure's status and rating stand against each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Agreement {
    /// Rated by the rapporteur, and the status maps onto the same rating.
    Agrees,
    /// Rated, and the status maps onto another rating.
    Diverges,
    /// Rated, but the government gives no status.
    NoStatus,
    /// Not rated yet.
    NotRated,
}

impl Agreement {
    pub const ALL: [Self; Self::COUNT] = [Self::Agrees, Self::Diverges, Self::NoStatus, Self::NotRated];

    pub fn of(status: Option<MeasureStatus>, rating: Option<Rating>) -> Self {
        match (diverges(status, rating), rating) {
            (Some(false), _) => Self::Agrees,
            (Some(true), _) => Self::Diverges,
            (None, Some(_)) => Self::NoStatus,
            (None, None) => Self::NotRated,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Agrees => "agrees",
            Self::Diverges => "diverges",
            Self::NoStatus => "no-status",
            Self::NotRated => "not-rated",
        }
    }
}

/// The counts at the top of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvaluationCounts {
    pub measures: usize,
    /// Per rating in [`Rating::ALL`] order.
    pub rated: [usize; 3],
    pub not_rated: usize,
    pub agreeing: usize,
    pub divergent: usize,
    /// Rated, without a government status to compare with.
    pub without_status: usize,
}

impl EvaluationCounts {
    pub fn of(measures: impl IntoIterator<Item = (Option<MeasureStatus>, Option<Rating>)>) -> Self {
        measures
            .into_iter()
            .fold(Self::default(), |mut counts, (status, rating)| {
                counts.measures += 1;
                if let Some(at) = rating.and_then(|r| Rating::ALL.iter().position(|x| *x == r)) {
                    counts.rated[at] += 1;
                }
                match Agreement::of(status, rating) {
                    Agreement::Agrees => counts.agreeing += 1,
                    Agreement::Diverges => counts.divergent += 1,
                    Agreement::NoStatus => counts.without_status += 1,
                    Agreement::NotRated => counts.not_rated += 1,
                }
                counts
            })
    }

    pub fn rated_as(&self, rating: Rating) -> usize {
        Rating::ALL
            .iter()
            .position(|r| *r == rating)
            .map_or(0, |at| self.rated[at])
    }

    /// Measures the rapporteur rated.
    pub fn rated_total(&self) -> usize {
        self.rated.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::MeasureStatus::*;
    use super::*;

    #[test]
    fn agreement_compares_on_the_rating_scale() {
        assert_eq!(
            Agreement::of(Some(InProgress), Some(Rating::PartiallyDone)),
            Agreement::Agrees
        );
        assert_eq!(Agreement::of(Some(Done), Some(Rating::NotDone)), Agreement::Diverges);
        assert_eq!(Agreement::of(None, Some(Rating::Done)), Agreement::NoStatus);
        assert_eq!(Agreement::of(Some(Done), None), Agreement::NotRated);
        assert_eq!(Agreement::of(None, None), Agreement::NotRated);
    }

    #[test]
    fn the_counts_add_up() {
        let counts = EvaluationCounts::of([
            (Some(Done), Some(Rating::Done)),
            (Some(Done), Some(Rating::PartiallyDone)),
            (Some(Abandoned), Some(Rating::NotDone)),
            (None, Some(Rating::NotDone)),
            (Some(NotStarted), None),
        ]);
        assert_eq!(counts.measures, 5);
        assert_eq!(counts.rated, [1, 1, 2]);
        assert_eq!(counts.rated_as(Rating::NotDone), 2);
        assert_eq!(counts.rated_total(), 4);
        assert_eq!(
            (
                counts.agreeing,
                counts.divergent,
                counts.without_status,
                counts.not_rated
            ),
            (2, 1, 1, 1)
        );
        assert_eq!(EvaluationCounts::of([]), EvaluationCounts::default());
    }
}
