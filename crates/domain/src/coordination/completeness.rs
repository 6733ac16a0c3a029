//! What each measure lacks of what the CNCDH asks for every measure of an
//! annual plan (recommendation 4: a body in charge, a deadline, an indicator
//! with its target, a cost and a funding source), and the counts a plan's
//! report gives.

use super::measure::MeasureRecord;
use super::money::Euros;
use super::status::{MeasureStatus, Rating, diverges};
use strum::EnumCount;

/// Something a measure does not specify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum Gap {
    Pilot,
    Deadline,
    Indicator,
    Target,
    Cost,
    Funding,
}

impl Gap {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Pilot,
        Self::Deadline,
        Self::Indicator,
        Self::Target,
        Self::Cost,
        Self::Funding,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Pilot => "pilot",
            Self::Deadline => "deadline",
            Self::Indicator => "indicator",
            Self::Target => "target",
            Self::Cost => "cost",
            Self::Funding => "funding",
        }
    }
}

/// The gaps of one measure, in [`Gap::ALL`] order.
pub fn gaps(measure: &MeasureRecord) -> Vec<Gap> {
    Gap::ALL
        .into_iter()
        .filter(|gap| match gap {
            Gap::Pilot => measure.pilot.is_none(),
            Gap::Deadline => measure.deadline.is_none(),
            Gap::Indicator => measure.indicator.is_none(),
            Gap::Target => measure.target.is_none(),
            Gap::Cost => measure.cost.is_none(),
            Gap::Funding => measure.funding.is_none(),
        })
        .collect()
}

/// The counts of a set of measures (a plan, or one of its axes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    pub measures: usize,
    /// Per status in [`MeasureStatus::ALL`] order.
    pub status: [usize; 5],
    pub status_unknown: usize,
    /// Per rating in [`Rating::ALL`] order.
    pub rating: [usize; 3],
    pub unassessed: usize,
    /// Per gap in [`Gap::ALL`] order: how many measures lack it.
    pub missing: [usize; 6],
    /// Measures that lack nothing.
    pub complete: usize,
    /// Measures rated by both whose status, on the rapporteur's scale, differs.
    pub divergent: usize,
    pub cost_total: Euros,
}

impl Summary {
    pub fn of<'a>(measures: impl IntoIterator<Item = &'a MeasureRecord>) -> Self {
        let mut summary = Self::default();
        for measure in measures {
            summary.measures += 1;
            match measure.status {
                Some(status) => summary.status[index_of(&MeasureStatus::ALL, status)] += 1,
                None => summary.status_unknown += 1,
            }
            match measure.rating {
                Some(rating) => summary.rating[index_of(&Rating::ALL, rating)] += 1,
                None => summary.unassessed += 1,
            }
            let lacks = gaps(measure);
            for gap in &lacks {
                summary.missing[index_of(&Gap::ALL, *gap)] += 1;
            }
            summary.complete += usize::from(lacks.is_empty());
            summary.divergent += usize::from(diverges(measure.status, measure.rating) == Some(true));
            if let Some(cost) = measure.cost {
                summary.cost_total = summary.cost_total.saturating_add(cost);
            }
        }
        summary
    }

    pub fn count_of(&self, status: MeasureStatus) -> usize {
        self.status[index_of(&MeasureStatus::ALL, status)]
    }

    pub fn rated(&self, rating: Rating) -> usize {
        self.rating[index_of(&Rating::ALL, rating)]
    }

    pub fn lacking(&self, gap: Gap) -> usize {
        self.missing[index_of(&Gap::ALL, gap)]
    }

    /// Share of the measures done, in whole per cent (0 for no measure).
    pub fn done_percent(&self) -> usize {
        (self.count_of(MeasureStatus::Done) * 100)
            .checked_div(self.measures)
            .unwrap_or(0)
    }
}

fn index_of<T: PartialEq + Copy>(all: &[T], value: T) -> usize {
    all.iter().position(|v| *v == value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coordination::deadline::Deadline;

    fn measure(number: u32) -> MeasureRecord {
        MeasureRecord {
            axis: Some(1),
            axis_title: String::new(),
            action: None,
            action_title: String::new(),
            number,
            title: format!("Mesure {number}"),
            pilot: None,
            partners: Vec::new(),
            deadline: None,
            indicator: None,
            baseline: None,
            target: None,
            cost: None,
            funding: None,
            status: None,
            rating: None,
        }
    }

    #[test]
    fn a_bare_measure_lacks_everything_and_a_full_one_nothing() {
        assert_eq!(gaps(&measure(1)), Gap::ALL);
        let full = MeasureRecord {
            pilot: Some("MIPROF".into()),
            deadline: Deadline::parse("2025"),
            indicator: Some("Nombre".into()),
            target: Some("10".into()),
            cost: Euros::parse("1000"),
            funding: Some("AGRASC".into()),
            ..measure(2)
        };
        assert!(gaps(&full).is_empty());
        assert_eq!(
            gaps(&MeasureRecord {
                indicator: None,
                ..full
            }),
            [Gap::Indicator]
        );
    }

    #[test]
    fn the_summary_counts_status_ratings_gaps_divergence_and_cost() {
        let measures = [
            MeasureRecord {
                status: Some(MeasureStatus::Done),
                rating: Some(Rating::PartiallyDone),
                cost: Euros::parse("100,50"),
                ..measure(1)
            },
            MeasureRecord {
                status: Some(MeasureStatus::InProgress),
                rating: Some(Rating::PartiallyDone),
                pilot: Some("DGT".into()),
                cost: Euros::parse("0.50"),
                ..measure(2)
            },
            MeasureRecord {
                rating: Some(Rating::NotDone),
                ..measure(3)
            },
            MeasureRecord {
                status: Some(MeasureStatus::Abandoned),
                ..measure(4)
            },
        ];
        let summary = Summary::of(&measures);
        assert_eq!(summary.measures, 4);
        assert_eq!(summary.status, [0, 1, 0, 1, 1]);
        assert_eq!(summary.status_unknown, 1);
        assert_eq!(summary.rating, [0, 2, 1]);
        assert_eq!(summary.unassessed, 1);
        assert_eq!(summary.lacking(Gap::Pilot), 3);
        assert_eq!(summary.lacking(Gap::Cost), 2);
        assert_eq!(summary.complete, 0);
        assert_eq!(summary.divergent, 1, "only the done measure rated partly done");
        assert_eq!(summary.cost_total, Euros::parse("101").unwrap());
        assert_eq!(summary.done_percent(), 25);
        assert_eq!(Summary::of(&[]).done_percent(), 0);
    }
}
