//! Working days in France, for deadlines (issue 4): weekends and public
//! holidays are skipped, including the départements' own holidays.
//!
//! National holidays: Code du travail L.3133-1 (eleven days, three of them
//! moving with Easter). Alsace-Moselle (57, 67, 68) adds Good Friday and
//! 26 December (Code du travail L.3134-13). Overseas départements add the
//! day slavery was abolished there (loi n° 83-550 and décret n° 83-1003):
//! Guadeloupe 27 May, Martinique 22 May, Guyane 10 June, La Réunion
//! 20 December, Mayotte 27 April.

use crate::territory::Departement;
use crate::time::Date;

/// Why a day is not worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    NewYear,
    GoodFriday,
    EasterMonday,
    LabourDay,
    VictoryInEurope,
    AbolitionOfSlavery,
    Ascension,
    WhitMonday,
    BastilleDay,
    Assumption,
    AllSaints,
    Armistice,
    Christmas,
    StStephen,
}

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm).
pub fn easter(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date {
        year,
        month: month as u8,
        day: day as u8,
    }
}

fn alsace_moselle(departement: Departement) -> bool {
    matches!(departement.code(), "57" | "67" | "68")
}

/// The day slavery was abolished, a holiday in each overseas département.
fn abolition_of_slavery(departement: Departement) -> Option<(u8, u8)> {
    match departement.code() {
        "971" => Some((5, 27)),
        "972" => Some((5, 22)),
        "973" => Some((6, 10)),
        "974" => Some((12, 20)),
        "976" => Some((4, 27)),
        _ => None,
    }
}

/// The public holidays of `year`, nationally or in a département, by date.
pub fn holidays(year: i32, departement: Option<Departement>) -> Vec<(Date, Holiday)> {
    let on = |month: u8, day: u8| Date { year, month, day };
    let easter = easter(year);
    let mut days = vec![
        (on(1, 1), Holiday::NewYear),
        (easter.plus_days(1), Holiday::EasterMonday),
        (on(5, 1), Holiday::LabourDay),
        (on(5, 8), Holiday::VictoryInEurope),
        (easter.plus_days(39), Holiday::Ascension),
        (easter.plus_days(50), Holiday::WhitMonday),
        (on(7, 14), Holiday::BastilleDay),
        (on(8, 15), Holiday::Assumption),
        (on(11, 1), Holiday::AllSaints),
        (on(11, 11), Holiday::Armistice),
        (on(12, 25), Holiday::Christmas),
    ];
    if let Some(departement) = departement {
        if alsace_moselle(departement) {
            days.push((easter.plus_days(-2), Holiday::GoodFriday));
            days.push((on(12, 26), Holiday::StStephen));
        }
        if let Some((month, day)) = abolition_of_slavery(departement) {
            days.push((on(month, day), Holiday::AbolitionOfSlavery));
        }
    }
    days.sort_by_key(|(date, _)| *date);
    days
}

/// Whether `date` is a working day: Monday to Friday and not a holiday.
pub fn is_working_day(date: Date, departement: Option<Departement>) -> bool {
    date.weekday() <= 5 && !holidays(date.year, departement).iter().any(|(d, _)| *d == date)
}

/// The date reached after `n` working days counted from the day after
/// `from` (`n` = 0 gives `from`).
pub fn add_working_days(from: Date, n: u32, departement: Option<Departement>) -> Date {
    let mut date = from;
    let mut left = n;
    while left > 0 {
        date = date.plus_days(1);
        if is_working_day(date, departement) {
            left -= 1;
        }
    }
    date
}

/// Working days from `from` (excluded) to `to` (included); 0 if `to` is not after `from`.
pub fn working_days_between(from: Date, to: Date, departement: Option<Departement>) -> u32 {
    let mut count = 0;
    let mut date = from;
    while date < to {
        date = date.plus_days(1);
        if is_working_day(date, departement) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn dep(code: &str) -> Option<Departement> {
        Departement::parse(code)
    }

    fn dates(year: i32, departement: Option<Departement>) -> Vec<String> {
        holidays(year, departement).iter().map(|(d, _)| d.to_string()).collect()
    }

    #[test]
    fn easter_sundays() {
        for (year, expected) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter(year).to_string(), expected);
        }
    }

    #[test]
    fn national_holidays_2025_to_2028() {
        assert_eq!(
            dates(2025, None),
            [
                "2025-01-01",
                "2025-04-21",
                "2025-05-01",
                "2025-05-08",
                "2025-05-29",
                "2025-06-09",
                "2025-07-14",
                "2025-08-15",
                "2025-11-01",
                "2025-11-11",
                "2025-12-25"
            ]
        );
        assert_eq!(
            dates(2026, None),
            [
                "2026-01-01",
                "2026-04-06",
                "2026-05-01",
                "2026-05-08",
                "2026-05-14",
                "2026-05-25",
                "2026-07-14",
                "2026-08-15",
                "2026-11-01",
                "2026-11-11",
                "2026-12-25"
            ]
        );
        assert_eq!(
            dates(2027, None),
            [
                "2027-01-01",
                "2027-03-29",
                "2027-05-01",
                "2027-05-06",
                "2027-05-08",
                "2027-05-17",
                "2027-07-14",
                "2027-08-15",
                "2027-11-01",
                "2027-11-11",
                "2027-12-25"
            ]
        );
        assert_eq!(
            dates(2028, None),
            [
                "2028-01-01",
                "2028-04-17",
                "2028-05-01",
                "2028-05-08",
                "2028-05-25",
                "2028-06-05",
                "2028-07-14",
                "2028-08-15",
                "2028-11-01",
                "2028-11-11",
                "2028-12-25"
            ]
        );
    }

    #[test]
    fn alsace_moselle_adds_good_friday_and_st_stephen() {
        for code in ["57", "67", "68"] {
            let extra: Vec<_> = dates(2026, dep(code))
                .into_iter()
                .filter(|d| !dates(2026, None).contains(d))
                .collect();
            assert_eq!(extra, ["2026-04-03", "2026-12-26"], "{code}");
        }
        assert_eq!(
            dates(2026, dep("54")),
            dates(2026, None),
            "Meurthe-et-Moselle is not Moselle"
        );
    }

    #[test]
    fn overseas_abolition_days() {
        assert!(dates(2026, dep("974")).contains(&"2026-12-20".to_owned()));
        assert!(dates(2026, dep("971")).contains(&"2026-05-27".to_owned()));
        assert!(!dates(2026, dep("75")).contains(&"2026-05-27".to_owned()));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // Thursday 2026-12-24 + 1: Friday 25 is Christmas, so Monday 28 —
        // but in Moselle Monday is still fine (26 is a Saturday anyway).
        assert_eq!(add_working_days(day("2026-12-24"), 1, None).to_string(), "2026-12-28");
        // Thursday 2026-04-02 + 1: Good Friday in Moselle, Easter Monday everywhere.
        assert_eq!(add_working_days(day("2026-04-02"), 1, None).to_string(), "2026-04-03");
        assert_eq!(
            add_working_days(day("2026-04-02"), 1, dep("57")).to_string(),
            "2026-04-07"
        );
        // Five working days from a Friday.
        assert_eq!(add_working_days(day("2026-11-27"), 5, None).to_string(), "2026-12-04");
        assert_eq!(add_working_days(day("2026-11-27"), 0, None).to_string(), "2026-11-27");
        assert_eq!(working_days_between(day("2026-11-27"), day("2026-12-04"), None), 5);
    }

    proptest! {
        #[test]
        fn the_date_reached_is_a_working_day_and_counts_back(days in 19_000i64..22_000, n in 1u32..40) {
            let from = Date::from_days(days);
            let to = add_working_days(from, n, dep("67"));
            prop_assert!(is_working_day(to, dep("67")));
            prop_assert_eq!(working_days_between(from, to, dep("67")), n);
            // More holidays can only push a deadline later.
            prop_assert!(to >= add_working_days(from, n, None));
        }
    }
}
