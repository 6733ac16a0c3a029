//! The government's status of a measure and the independent rapporteur's
//! rating, on their two scales, and how the first maps onto the second.

use strum::EnumCount;
/// Where the government says a measure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum MeasureStatus {
    NotStarted,
    InProgress,
    PartiallyDone,
    Done,
    Abandoned,
}

/// The independent rapporteur's rating of a measure (the CNCDH's scale in
/// its 2023 evaluation: réalisée, partiellement réalisée, non réalisée).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum Rating {
    Done,
    PartiallyDone,
    NotDone,
}

impl MeasureStatus {
    pub const ALL: [Self; Self::COUNT] = [
        Self::NotStarted,
        Self::InProgress,
        Self::PartiallyDone,
        Self::Done,
        Self::Abandoned,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::PartiallyDone => "partially_done",
            Self::Done => "done",
            Self::Abandoned => "abandoned",
        }
    }

    /// The French label, as administrations write it in their spreadsheets.
    pub fn french(self) -> &'static str {
        match self {
            Self::NotStarted => "non commencée",
            Self::InProgress => "en cours",
            Self::PartiallyDone => "partiellement réalisée",
            Self::Done => "réalisée",
            Self::Abandoned => "abandonnée",
        }
    }

    /// Accepts the key or the French label, in any case, with or without accents.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded = fold(raw);
        Self::ALL
            .into_iter()
            .find(|s| folded == s.key() || folded == fold(s.french()))
    }

    /// The status on the rapporteur's scale: done → done; partly done or
    /// in progress → partly done; not started or abandoned → not done.
    pub fn on_rating_scale(self) -> Rating {
        match self {
            Self::Done => Rating::Done,
            Self::PartiallyDone | Self::InProgress => Rating::PartiallyDone,
            Self::NotStarted | Self::Abandoned => Rating::NotDone,
        }
    }
}

impl Rating {
    pub const ALL: [Self; Self::COUNT] = [Self::Done, Self::PartiallyDone, Self::NotDone];

    pub fn key(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::PartiallyDone => "partially_done",
            Self::NotDone => "not_done",
        }
    }

    pub fn french(self) -> &'static str {
        match self {
            Self::Done => "réalisée",
            Self::PartiallyDone => "partiellement réalisée",
            Self::NotDone => "non réalisée",
        }
    }

    /// Accepts the key or the French label, in any case, with or without accents.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded = fold(raw);
        Self::ALL
            .into_iter()
            .find(|r| folded == r.key() || folded == fold(r.french()))
    }
}

/// Whether the government's status and the rapporteur's rating disagree;
/// `None` unless both exist.
pub fn diverges(status: Option<MeasureStatus>, rating: Option<Rating>) -> Option<bool> {
    Some(status?.on_rating_scale() != rating?)
}

/// Lower case without French accents, spaces trimmed and runs of blanks made
/// one, so that "Partiellement  Réalisée" and "partiellement realisee" match.
fn fold(raw: &str) -> String {
    let lower: String = raw
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '\u{a0}' | '\u{202f}' | '\t' => ' ',
            other => other,
        })
        .collect();
    lower.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_french_labels_parse() {
        for status in MeasureStatus::ALL {
            assert_eq!(MeasureStatus::parse(status.key()), Some(status));
            assert_eq!(MeasureStatus::parse(status.french()), Some(status));
        }
        for rating in Rating::ALL {
            assert_eq!(Rating::parse(rating.key()), Some(rating));
            assert_eq!(Rating::parse(rating.french()), Some(rating));
        }
        assert_eq!(
            MeasureStatus::parse(" Partiellement  REALISEE "),
            Some(MeasureStatus::PartiallyDone)
        );
        assert_eq!(MeasureStatus::parse("Non commencée"), Some(MeasureStatus::NotStarted));
        assert_eq!(Rating::parse("non réalisée"), Some(Rating::NotDone));
        assert_eq!(MeasureStatus::parse("fini"), None);
        assert_eq!(MeasureStatus::parse(""), None);
        assert_eq!(Rating::parse("in_progress"), None);
    }

    #[test]
    fn the_status_maps_onto_the_rating_scale() {
        let mapped: Vec<_> = MeasureStatus::ALL
            .into_iter()
            .map(MeasureStatus::on_rating_scale)
            .collect();
        assert_eq!(
            mapped,
            [
                Rating::NotDone,
                Rating::PartiallyDone,
                Rating::PartiallyDone,
                Rating::Done,
                Rating::NotDone
            ]
        );
    }

    #[test]
    fn divergence_needs_both_and_compares_on_the_rating_scale() {
        assert_eq!(diverges(None, Some(Rating::Done)), None);
        assert_eq!(diverges(Some(MeasureStatus::Done), None), None);
        assert_eq!(
            diverges(Some(MeasureStatus::InProgress), Some(Rating::PartiallyDone)),
            Some(false)
        );
        assert_eq!(
            diverges(Some(MeasureStatus::Abandoned), Some(Rating::NotDone)),
            Some(false)
        );
        assert_eq!(
            diverges(Some(MeasureStatus::Done), Some(Rating::PartiallyDone)),
            Some(true)
        );
        assert_eq!(
            diverges(Some(MeasureStatus::NotStarted), Some(Rating::Done)),
            Some(true)
        );
    }
}
