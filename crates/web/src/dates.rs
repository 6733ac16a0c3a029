//! Days and instants as people read them, in the page's language: "1er
//! décembre 2026 à 9 h 05" in French, "1 December 2026 at 09:05" in English.
//! Never an ISO date, never "UTC": the instant is already in the reader's zone.

use crate::i18n::Locale;
use relais_domain::time::{Date, LocalTime};

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day in words. French writes the first of the month "1er" (an ordinal).
pub fn day(date: Date, locale: Locale) -> String {
    let index = usize::from(date.month.clamp(1, 12)) - 1;
    match locale {
        Locale::Fr => {
            let day = if date.day == 1 {
                "1er".to_owned()
            } else {
                date.day.to_string()
            };
            format!("{day} {} {}", MONTHS_FR[index], date.year)
        }
        Locale::En => format!("{} {} {}", date.day, MONTHS_EN[index], date.year),
    }
}

/// A local instant in words, to the minute ("15 h 24" is the French
/// typographic form of the time; a non-breaking space keeps it on one line).
pub fn instant(local: LocalTime, locale: Locale) -> String {
    match locale {
        Locale::Fr => format!(
            "{} à {}\u{a0}h\u{a0}{:02}",
            day(local.date, locale),
            local.hour,
            local.minute
        ),
        Locale::En => format!("{} at {:02}:{:02}", day(local.date, locale), local.hour, local.minute),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> LocalTime {
        LocalTime {
            date: Date { year, month, day },
            hour,
            minute,
        }
    }

    #[test]
    fn french_reads_the_day_in_words_with_the_first_as_an_ordinal() {
        assert_eq!(
            instant(at(2026, 12, 2, 15, 24), Locale::Fr),
            "2 décembre 2026 à 15\u{a0}h\u{a0}24"
        );
        assert_eq!(
            instant(at(2027, 1, 1, 9, 5), Locale::Fr),
            "1er janvier 2027 à 9\u{a0}h\u{a0}05"
        );
        assert_eq!(
            day(
                Date {
                    year: 2027,
                    month: 8,
                    day: 15
                },
                Locale::Fr
            ),
            "15 août 2027"
        );
    }

    #[test]
    fn english_reads_the_day_in_words_and_a_24_hour_time() {
        assert_eq!(instant(at(2026, 12, 2, 15, 24), Locale::En), "2 December 2026 at 15:24");
        assert_eq!(
            day(
                Date {
                    year: 2027,
                    month: 1,
                    day: 1
                },
                Locale::En
            ),
            "1 January 2027"
        );
    }
}
