//! A measure's deadline, as precise as the plan states it: a day, a month
//! or only a year.

use crate::time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Deadline {
    Year(i32),
    Month { year: i32, month: u8 },
    Day(Date),
}

impl Deadline {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let year = |text: &str| -> Option<i32> {
            (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
                .filter(|y| (1900..=2200).contains(y))
        };
        match raw.len() {
            4 => year(raw).map(Self::Year),
            7 => {
                let (y, m) = raw.split_once('-')?;
                let month: u8 = (m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| m.parse().ok())
                    .flatten()?;
                (1..=12)
                    .contains(&month)
                    .then_some(Self::Month { year: year(y)?, month })
            }
            10 => Date::parse(raw)
                .filter(|_| year(raw.get(..4).unwrap_or_default()).is_some())
                .map(Self::Day),
            _ => None,
        }
    }

    /// The form [`Deadline::parse`] reads back.
    pub fn to_text(self) -> String {
        match self {
            Self::Year(year) => format!("{year}"),
            Self::Month { year, month } => format!("{year}-{month:02}"),
            Self::Day(date) => date.to_string(),
        }
    }

    /// The French form: "2026", "03/2026" or "15/03/2026".
    pub fn french(self) -> String {
        match self {
            Self::Year(year) => format!("{year}"),
            Self::Month { year, month } => format!("{month:02}/{year}"),
            Self::Day(date) => date.french(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_precisions_round_trip() {
        for raw in ["2026", "2026-03", "2026-03-15"] {
            let deadline = Deadline::parse(raw).unwrap();
            assert_eq!(deadline.to_text(), raw);
        }
        assert_eq!(Deadline::parse("2026-03").unwrap().french(), "03/2026");
        assert_eq!(Deadline::parse(" 2026-03-15 ").unwrap().french(), "15/03/2026");
    }

    #[test]
    fn impossible_or_other_forms_are_refused() {
        for raw in [
            "",
            "26",
            "2026-13",
            "2026-02-30",
            "15/03/2026",
            "2026-3",
            "+202",
            "20x6",
            "0999",
        ] {
            assert_eq!(Deadline::parse(raw), None, "{raw}");
        }
    }
}
