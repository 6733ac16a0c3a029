//! The age bands of the Counter-Trafficking Data Collaborative's de-identified
//! dataset (CTDC codebook v2, `ageBroad`: age at registration), worked out
//! from a birth date that is often known only to the year. A band is given
//! only when every age the birth date allows falls in it, so an estimate never
//! moves a person into a band they may not be in.

use crate::intake::person_match::BirthDate;
use crate::time::Date;
use strum::EnumCount;

/// CTDC's `ageBroad` bands, youngest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumCount)]
pub enum AgeBroad {
    UpTo8,
    From9To17,
    From18To20,
    From21To23,
    From24To26,
    From27To29,
    From30To38,
    From39To47,
    From48,
}

impl AgeBroad {
    pub const ALL: [Self; Self::COUNT] = [
        Self::UpTo8,
        Self::From9To17,
        Self::From18To20,
        Self::From21To23,
        Self::From24To26,
        Self::From27To29,
        Self::From30To38,
        Self::From39To47,
        Self::From48,
    ];

    /// As CTDC writes it in its files.
    pub fn label(self) -> &'static str {
        match self {
            Self::UpTo8 => "0--8",
            Self::From9To17 => "9--17",
            Self::From18To20 => "18--20",
            Self::From21To23 => "21--23",
            Self::From24To26 => "24--26",
            Self::From27To29 => "27--29",
            Self::From30To38 => "30--38",
            Self::From39To47 => "39--47",
            Self::From48 => "48+",
        }
    }

    /// The band of an age in whole years.
    pub fn of_age(years: u32) -> Self {
        match years {
            0..=8 => Self::UpTo8,
            9..=17 => Self::From9To17,
            18..=20 => Self::From18To20,
            21..=23 => Self::From21To23,
            24..=26 => Self::From24To26,
            27..=29 => Self::From27To29,
            30..=38 => Self::From30To38,
            39..=47 => Self::From39To47,
            _ => Self::From48,
        }
    }

    /// The band of someone born on `birth`, on the day `on`; `None` when a birth
    /// year alone allows two bands, or the birth date is after `on`.
    pub fn at(birth: BirthDate, on: Date) -> Option<Self> {
        let (youngest, oldest) = match birth {
            BirthDate::Full(year, month, day) => {
                let birthday_passed = (on.month, on.day) >= (month, day);
                let age = on.year - year - i32::from(!birthday_passed);
                (age, age)
            }
            BirthDate::Year(year) => (on.year - year - 1, on.year - year),
        };
        let youngest = u32::try_from(youngest.max(0)).ok()?;
        let oldest = u32::try_from(oldest).ok()?;
        let band = Self::of_age(youngest);
        (band == Self::of_age(oldest)).then_some(band)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn bands_follow_the_codebook() {
        let labels: Vec<_> = AgeBroad::ALL.map(AgeBroad::label).to_vec();
        assert_eq!(
            labels,
            [
                "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"
            ]
        );
        assert_eq!(AgeBroad::of_age(17), AgeBroad::From9To17);
        assert_eq!(AgeBroad::of_age(18), AgeBroad::From18To20);
        assert_eq!(AgeBroad::of_age(90), AgeBroad::From48);
    }

    #[test]
    fn the_day_of_birth_decides_and_a_year_alone_only_inside_a_band() {
        let on = day(2026, 3, 10);
        assert_eq!(
            AgeBroad::at(BirthDate::Full(2008, 3, 10), on),
            Some(AgeBroad::From18To20)
        );
        assert_eq!(
            AgeBroad::at(BirthDate::Full(2008, 3, 11), on),
            Some(AgeBroad::From9To17)
        );
        // Born in 2000: 25 or 26, both in 24–26.
        assert_eq!(AgeBroad::at(BirthDate::Year(2000), on), Some(AgeBroad::From24To26));
        // Born in 2008: 17 or 18, on either side of majority.
        assert_eq!(AgeBroad::at(BirthDate::Year(2008), on), None);
        assert_eq!(AgeBroad::at(BirthDate::Full(2027, 1, 1), on), None);
        assert_eq!(AgeBroad::at(BirthDate::Year(2026), on), Some(AgeBroad::UpTo8));
    }
}
