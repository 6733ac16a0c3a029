//! A birth date asked as three fields (day, month, year), any of which may be
//! unknown, kept in the stored form the rest of the mechanism reads:
//! `YYYY` or `YYYY-MM-DD` (see [`BirthDate`]).
//!
//! A draft keeps the fields as typed so that a wrong value is shown back:
//! when they do not make a date, they are kept as `year-month-day` pieces
//! (hyphens removed from each piece), which [`DateFields::of_stored`] splits
//! again. A month without a day cannot be stored: only the year is kept, as
//! the form's hint says.

use super::person_match::BirthDate;
use crate::time::Date;
use strum::EnumCount;

/// The three fields as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateFields {
    pub day: String,
    pub month: String,
    pub year: String,
}

/// Which field is wrong, and how; the interface names the question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum DateProblem {
    /// The day is not a number between 1 and 31.
    Day,
    /// The month is not a number between 1 and 12.
    Month,
    /// The year is not four digits.
    Year,
    /// A day or a month without a year.
    YearMissing,
    /// A day without a month.
    MonthMissing,
    /// Each field is right but the day does not exist (30 February).
    NoSuchDay,
    /// After today.
    Future,
}

impl DateProblem {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Day,
        Self::Month,
        Self::Year,
        Self::YearMissing,
        Self::MonthMissing,
        Self::NoSuchDay,
        Self::Future,
    ];

    /// A stable key for the interface.
    pub fn key(self) -> &'static str {
        match self {
            Self::Day => "date-day",
            Self::Month => "date-month",
            Self::Year => "date-year",
            Self::YearMissing => "date-year-missing",
            Self::MonthMissing => "date-month-missing",
            Self::NoSuchDay => "date-no-such-day",
            Self::Future => "date-future",
        }
    }

    /// The field the problem points at: `day`, `month` or `year`.
    pub fn part(self) -> &'static str {
        match self {
            Self::Day | Self::NoSuchDay => "day",
            Self::Month | Self::MonthMissing => "month",
            Self::Year | Self::YearMissing | Self::Future => "year",
        }
    }
}

fn number(raw: &str, max_len: usize) -> Option<u32> {
    (!raw.is_empty() && raw.len() <= max_len && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse().ok())
        .flatten()
}

impl DateFields {
    pub fn new(day: &str, month: &str, year: &str) -> Self {
        let clean = |s: &str| s.trim().replace('-', "");
        Self {
            day: clean(day),
            month: clean(month),
            year: clean(year),
        }
    }

    /// The fields of a stored value: a date, a year, or pieces kept as typed.
    pub fn of_stored(stored: &str) -> Self {
        let stored = stored.trim();
        match BirthDate::parse(stored) {
            Ok(BirthDate::Year(y)) => Self::new("", "", &y.to_string()),
            Ok(BirthDate::Full(y, m, d)) => Self::new(&d.to_string(), &m.to_string(), &y.to_string()),
            Err(_) => {
                let mut parts = stored.splitn(3, '-');
                let (y, m, d) = (parts.next(), parts.next(), parts.next());
                Self::new(d.unwrap_or(""), m.unwrap_or(""), y.unwrap_or(""))
            }
        }
    }

    /// What is wrong, the first problem only (one message per question).
    fn check(&self) -> Result<Option<BirthDate>, DateProblem> {
        let (d, m, y) = (self.day.as_str(), self.month.as_str(), self.year.as_str());
        if d.is_empty() && m.is_empty() && y.is_empty() {
            return Ok(None);
        }
        if !d.is_empty() && !number(d, 2).is_some_and(|n| (1..=31).contains(&n)) {
            return Err(DateProblem::Day);
        }
        if !m.is_empty() && !number(m, 2).is_some_and(|n| (1..=12).contains(&n)) {
            return Err(DateProblem::Month);
        }
        if y.is_empty() {
            return Err(DateProblem::YearMissing);
        }
        let year = number(y, 4).filter(|_| y.len() == 4).ok_or(DateProblem::Year)?;
        if !d.is_empty() && m.is_empty() {
            return Err(DateProblem::MonthMissing);
        }
        if d.is_empty() {
            return BirthDate::parse(&format!("{year:04}"))
                .map(Some)
                .map_err(|_| DateProblem::Year);
        }
        let (day, month) = (number(d, 2).unwrap_or(0), number(m, 2).unwrap_or(0));
        BirthDate::parse(&format!("{year:04}-{month:02}-{day:02}"))
            .map(Some)
            .map_err(|_| DateProblem::NoSuchDay)
    }

    /// The problem of these fields, given today, if any.
    pub fn problem(&self, today: Date) -> Option<DateProblem> {
        match self.check() {
            Err(p) => Some(p),
            Ok(Some(BirthDate::Year(y))) if y > today.year => Some(DateProblem::Future),
            Ok(Some(BirthDate::Full(y, m, d))) if (y, m, d) > (today.year, today.month, today.day) => {
                Some(DateProblem::Future)
            }
            Ok(_) => None,
        }
    }

    /// The value to keep: `YYYY-MM-DD`, `YYYY` or empty when the fields make
    /// a date, the pieces as typed otherwise.
    pub fn stored(&self) -> String {
        match self.check() {
            Ok(None) => String::new(),
            Ok(Some(BirthDate::Year(y))) => format!("{y:04}"),
            Ok(Some(BirthDate::Full(y, m, d))) => format!("{y:04}-{m:02}-{d:02}"),
            Err(_) => format!("{}-{}-{}", self.year, self.month, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 12,
        day: 4,
    };

    fn stored(d: &str, m: &str, y: &str) -> String {
        DateFields::new(d, m, y).stored()
    }

    fn problem(d: &str, m: &str, y: &str) -> Option<DateProblem> {
        DateFields::new(d, m, y).problem(TODAY)
    }

    #[test]
    fn fields_keep_the_stored_form() {
        assert_eq!(stored("", "", ""), "");
        assert_eq!(stored("", "", "1999"), "1999");
        assert_eq!(stored("4", "3", "1999"), "1999-03-04");
        assert_eq!(stored(" 04 ", "03", "1999"), "1999-03-04");
        assert_eq!(stored("", "3", "1999"), "1999", "a month without a day keeps the year");
        assert!(BirthDate::parse(&stored("29", "2", "2000")).is_ok());
    }

    #[test]
    fn wrong_fields_are_kept_as_typed_and_named() {
        assert_eq!(problem("4", "13", "1999"), Some(DateProblem::Month));
        assert_eq!(
            DateFields::of_stored(&stored("4", "13", "1999")),
            DateFields::new("4", "13", "1999")
        );
        assert_eq!(problem("32", "1", "1999"), Some(DateProblem::Day));
        assert_eq!(problem("x", "", ""), Some(DateProblem::Day));
        assert_eq!(problem("4", "3", ""), Some(DateProblem::YearMissing));
        assert_eq!(problem("", "", "99"), Some(DateProblem::Year));
        assert_eq!(problem("4", "", "1999"), Some(DateProblem::MonthMissing));
        assert_eq!(problem("30", "2", "2000"), Some(DateProblem::NoSuchDay));
        assert_eq!(problem("", "", "2027"), Some(DateProblem::Future));
        assert_eq!(problem("5", "12", "2026"), Some(DateProblem::Future));
        assert_eq!(problem("4", "12", "2026"), None);
        assert_eq!(problem("", "", ""), None);
        assert_eq!(DateFields::of_stored("-13-a-b"), DateFields::new("ab", "13", ""));
    }

    #[test]
    fn stored_dates_come_back_as_fields() {
        assert_eq!(DateFields::of_stored("1999-03-04"), DateFields::new("4", "3", "1999"));
        assert_eq!(DateFields::of_stored("1987"), DateFields::new("", "", "1987"));
        assert_eq!(DateFields::of_stored(""), DateFields::default());
    }
}
