//! Instants as Unix seconds: portable across SQLite and PostgreSQL and
//! trivially comparable. The clock is read by callers, never here.
//!
//! Days are local: a deadline or a displayed day is counted in the time
//! zone of the département concerned ([`Zone::of`]), e.g. 23:30 UTC on
//! 31 December is already 1 January in Paris (docs/adr/0017-local-time.md).

use serde::{Deserialize, Serialize};

/// A point in time, in whole seconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds))
    }

    /// Parses an RFC 3339 instant such as `2026-12-31T23:30:00Z`.
    pub fn parse_rfc3339(raw: &str) -> Option<Self> {
        raw.trim().parse::<jiff::Timestamp>().ok().map(|t| Self(t.as_second()))
    }

    /// Seconds elapsed from `earlier` to `self` (negative if `earlier` is later).
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// An IANA time zone from the database bundled in the binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

/// The zone of metropolitan France and Corsica, and of national bodies.
pub const PARIS: &str = "Europe/Paris";

impl Zone {
    /// The zone named `name` (e.g. "Indian/Reunion"), if the database knows it.
    pub fn named(name: &str) -> Option<Self> {
        jiff::tz::TimeZone::get(name).ok().map(Self)
    }

    /// Europe/Paris (metropolitan France, Corsica, national organisations).
    pub fn paris() -> Self {
        Self::named(PARIS).unwrap_or_else(Self::utc)
    }

    pub fn utc() -> Self {
        Self(jiff::tz::TimeZone::UTC)
    }

    /// The zone of a département; Europe/Paris without one (a national
    /// organisation, or a case whose département is not known yet).
    pub fn of(departement: Option<crate::territory::Departement>) -> Self {
        let name = match departement.map(|d| d.code()) {
            Some("971") => "America/Guadeloupe",
            Some("972") => "America/Martinique",
            Some("973") => "America/Cayenne",
            Some("974") => "Indian/Reunion",
            Some("976") => "Indian/Mayotte",
            _ => PARIS,
        };
        Self::named(name).unwrap_or_else(Self::paris)
    }

    /// The zone of a département given by its code (as stored), Paris
    /// when there is none or it is not a known code.
    pub fn of_code(code: Option<&str>) -> Self {
        Self::of(code.and_then(crate::territory::Departement::parse))
    }

    /// The zone of an organisation acting on `territory`.
    pub fn of_territory(territory: crate::territory::Territory) -> Self {
        match territory {
            crate::territory::Territory::Departement(d) => Self::of(Some(d)),
            crate::territory::Territory::National => Self::paris(),
        }
    }

    /// The IANA name ("Europe/Paris"), or "UTC".
    pub fn name(&self) -> &str {
        self.0.iana_name().unwrap_or("UTC")
    }

    /// The instant at `hour:minute` on `date` in this zone; `None` for a
    /// time that does not exist (skipped by a clock change) or is out of range.
    pub fn instant(&self, date: Date, hour: u8, minute: u8) -> Option<Timestamp> {
        let civil = jiff::civil::DateTime::new(
            i16::try_from(date.year).ok()?,
            i8::try_from(date.month).ok()?,
            i8::try_from(date.day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            0,
            0,
        )
        .ok()?;
        let zoned = self.0.to_ambiguous_zoned(civil).compatible().ok()?;
        // A skipped local time is moved by `compatible`: refuse it instead.
        (zoned.hour() == civil.hour() && zoned.minute() == civil.minute())
            .then(|| Timestamp(zoned.timestamp().as_second()))
    }

    /// The local wall-clock reading of `at`: day, hour and minute.
    pub fn local(&self, at: Timestamp) -> LocalTime {
        match jiff::Timestamp::from_second(at.0) {
            Ok(instant) => {
                let zoned = instant.to_zoned(self.0.clone());
                LocalTime {
                    date: Date {
                        year: i32::from(zoned.year()),
                        month: u8::try_from(zoned.month()).unwrap_or(1),
                        day: u8::try_from(zoned.day()).unwrap_or(1),
                    },
                    hour: u8::try_from(zoned.hour()).unwrap_or(0),
                    minute: u8::try_from(zoned.minute()).unwrap_or(0),
                }
            }
            // Beyond jiff's years -9999..=9999: read as UTC.
            Err(_) => {
                let seconds = at.0.rem_euclid(86_400);
                LocalTime {
                    date: Date::utc(at),
                    hour: (seconds / 3600) as u8,
                    minute: (seconds % 3600 / 60) as u8,
                }
            }
        }
    }
}

/// A wall-clock reading in some zone, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
}

impl LocalTime {
    /// "03/12/2026 à 09:05", the French form.
    pub fn french(self) -> String {
        format!("{} à {:02}:{:02}", self.date.french(), self.hour, self.minute)
    }

    /// "2026-12-03 09:05".
    pub fn iso(self) -> String {
        format!("{} {:02}:{:02}", self.date, self.hour, self.minute)
    }
}

/// A calendar day (proleptic Gregorian), ordered by time. Which day an
/// instant falls on depends on the zone: see [`Date::local`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, refusing days that do not exist.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: i32 = raw.get(0..4)?.parse().ok()?;
        let month: u8 = raw.get(5..7)?.parse().ok()?;
        let day: u8 = raw.get(8..10)?.parse().ok()?;
        let date = Self { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= date.days_in_month()).then_some(date)
    }

    /// The day that contains `at` in `zone`: the one to use for deadlines
    /// and anything shown.
    pub fn local(at: Timestamp, zone: &Zone) -> Self {
        zone.local(at).date
    }

    /// The first instant of this day in `zone` (local midnight, or the
    /// first instant after it if a clock change skips midnight).
    pub fn start_in(self, zone: &Zone) -> Timestamp {
        let local = jiff::civil::Date::new(
            i16::try_from(self.year).unwrap_or(i16::MAX),
            i8::try_from(self.month).unwrap_or(1),
            i8::try_from(self.day).unwrap_or(1),
        )
        .and_then(|day| day.to_zoned(zone.0.clone()))
        .and_then(|zoned| zoned.start_of_day());
        match local {
            Ok(zoned) => Timestamp(zoned.timestamp().as_second()),
            Err(_) => self.start_utc(),
        }
    }

    /// "03/12/2026", the French form.
    pub fn french(self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }

    /// The UTC day that contains `at`: only where UTC is really meant
    /// (day arithmetic, job keys), never for a deadline or a display.
    pub fn utc(at: Timestamp) -> Self {
        // Howard Hinnant's civil-from-days algorithm.
        let z = at.0.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Self { year, month, day }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(days: i64) -> Self {
        Self::utc(Timestamp(days.saturating_mul(86_400)))
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self::from_days(self.to_days() + days)
    }

    /// ISO weekday: Monday is 1, Sunday is 7.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        ((self.to_days() + 3).rem_euclid(7) + 1) as u8
    }

    /// Midnight UTC at the start of this day: only where UTC is really
    /// meant; a local day starts at [`Date::start_in`].
    pub fn start_utc(self) -> Timestamp {
        Timestamp(self.to_days() * 86_400)
    }

    pub fn days_in_month(self) -> u8 {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_of_a_timestamp() {
        assert_eq!(Date::utc(Timestamp(0)).to_string(), "1970-01-01");
        // 2026-11-29T01:17:41Z
        assert_eq!(Date::utc(Timestamp(1_795_915_061)).to_string(), "2026-11-29");
        assert_eq!(Date::utc(Timestamp(-1)).to_string(), "1969-12-31");
    }

    #[test]
    fn day_numbers_round_trip_and_weekdays() {
        for days in [-800_000, -1, 0, 1, 20_000, 20_786, 400_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        let day = |s: &str| Date::parse(s).unwrap();
        assert_eq!(day("1970-01-01").weekday(), 4);
        assert_eq!(day("2026-11-29").weekday(), 7);
        assert_eq!(day("2024-02-28").plus_days(2).to_string(), "2024-03-01");
        assert_eq!(day("2026-11-29").start_utc(), Timestamp(1_795_910_400));
    }

    #[test]
    fn parses_real_days_only() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("25-01-01").is_none());
    }

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    fn zone(name: &str) -> Zone {
        Zone::named(name).unwrap()
    }

    #[test]
    fn local_day_around_midnight() {
        let paris = Zone::paris();
        // 23:30 UTC on 31 December is 00:30 on 1 January in Paris (UTC+1).
        let new_year = at("2026-12-31T23:30:00Z");
        assert_eq!(Date::utc(new_year).to_string(), "2026-12-31");
        assert_eq!(Date::local(new_year, &paris).to_string(), "2027-01-01");
        assert_eq!(paris.local(new_year).french(), "01/01/2027 à 00:30");
        // Summer (UTC+2): 22:30 UTC is already the next day.
        assert_eq!(
            Date::local(at("2026-07-14T22:30:00Z"), &paris).to_string(),
            "2026-07-15"
        );
        assert_eq!(
            Date::local(at("2026-07-14T21:59:59Z"), &paris).to_string(),
            "2026-07-14"
        );
        // Local midnight, winter and summer.
        let day = |s: &str| Date::parse(s).unwrap();
        assert_eq!(day("2027-01-01").start_in(&paris), at("2026-12-31T23:00:00Z"));
        assert_eq!(day("2026-07-15").start_in(&paris), at("2026-07-14T22:00:00Z"));
    }

    #[test]
    fn clock_changes_in_paris() {
        let paris = Zone::paris();
        let day = |s: &str| Date::parse(s).unwrap();
        // Last Sunday of March 2026: 02:00 becomes 03:00, the day lasts 23 hours.
        let march = day("2026-03-29");
        assert_eq!(
            march
                .plus_days(1)
                .start_in(&paris)
                .seconds_since(march.start_in(&paris)),
            23 * 3600
        );
        assert_eq!(paris.local(at("2026-03-29T01:30:00Z")).iso(), "2026-03-29 03:30");
        // Last Sunday of October 2026: 03:00 becomes 02:00, the day lasts 25 hours.
        let october = day("2026-10-25");
        assert_eq!(
            october
                .plus_days(1)
                .start_in(&paris)
                .seconds_since(october.start_in(&paris)),
            25 * 3600
        );
        // Instants just before local midnight on either side of each change.
        assert_eq!(
            Date::local(at("2026-03-28T22:59:00Z"), &paris).to_string(),
            "2026-03-28"
        );
        assert_eq!(
            Date::local(at("2026-03-29T22:01:00Z"), &paris).to_string(),
            "2026-03-30"
        );
        assert_eq!(
            Date::local(at("2026-10-25T22:59:00Z"), &paris).to_string(),
            "2026-10-25"
        );
        assert_eq!(
            Date::local(at("2026-10-24T22:01:00Z"), &paris).to_string(),
            "2026-10-25"
        );
    }

    #[test]
    fn a_local_time_becomes_an_instant() {
        let paris = zone("Europe/Paris");
        let day = Date::parse("2025-06-12").unwrap();
        assert_eq!(paris.instant(day, 14, 30), Some(at("2025-06-12T12:30:00Z")));
        let winter = Date::parse("2025-12-12").unwrap();
        assert_eq!(paris.instant(winter, 9, 0), Some(at("2025-12-12T08:00:00Z")));
        // 02:30 does not exist on the day clocks go forward.
        let spring = Date::parse("2025-03-30").unwrap();
        assert_eq!(paris.instant(spring, 2, 30), None);
        assert_eq!(paris.instant(day, 24, 0), None);
    }

    #[test]
    fn overseas_zones() {
        use crate::territory::Departement;
        let of = |code: &str| Zone::of(Departement::parse(code));
        assert_eq!(of("75").name(), "Europe/Paris");
        assert_eq!(of("2A").name(), "Europe/Paris");
        assert_eq!(Zone::of(None).name(), "Europe/Paris");
        assert_eq!(of("971").name(), "America/Guadeloupe");
        assert_eq!(of("972").name(), "America/Martinique");
        assert_eq!(of("973").name(), "America/Cayenne");
        assert_eq!(of("974").name(), "Indian/Reunion");
        assert_eq!(of("976").name(), "Indian/Mayotte");
        // Réunion is UTC+4: 20:30 UTC is 00:30 the next day.
        let evening = at("2026-06-01T20:30:00Z");
        assert_eq!(Date::local(evening, &of("974")).to_string(), "2026-06-02");
        // Guadeloupe is UTC-4: 02:30 UTC is 22:30 the day before.
        let night = at("2026-06-02T02:30:00Z");
        assert_eq!(Date::local(night, &of("971")).to_string(), "2026-06-01");
        assert_eq!(of("971").local(night).french(), "01/06/2026 à 22:30");
        assert_eq!(
            Date::parse("2026-06-02").unwrap().start_in(&zone("Indian/Reunion")),
            at("2026-06-01T20:00:00Z")
        );
    }

    #[test]
    fn a_thirty_day_period_across_each_clock_change_ends_on_the_local_day() {
        use crate::casework::case_status::{Case, Event, Policy, apply};
        let paris = Zone::paris();
        let reflection_end = |accepted_at: &str| {
            let today = Date::local(at(accepted_at), &paris);
            apply(
                &Case::referred(),
                Event::PreliminaryPositive,
                "a",
                today,
                &Policy::default(),
            )
            .ok()
            .and_then(|c| c.reflection_ends)
            .map(|d| d.to_string())
        };
        // 00:30 on 11 March in Paris (23:30 UTC on the 10th), across the March change.
        assert_eq!(reflection_end("2026-03-10T23:30:00Z").as_deref(), Some("2026-04-10"));
        // 00:30 on 2 October in Paris (22:30 UTC on the 1st), across the October change.
        assert_eq!(reflection_end("2026-10-01T22:30:00Z").as_deref(), Some("2026-11-01"));
    }
}
