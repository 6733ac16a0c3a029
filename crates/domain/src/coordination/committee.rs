//! The national coordination committee (*comité de coordination*): who sits
//! on it, when it meets, and the rules the CNCDH's opinion sets for it — it
//! meets at least twice a year (R3) and includes victims' representatives
//! and trade unions.

use crate::time::{Date, Timestamp, Zone};
use std::collections::BTreeMap;
use strum::EnumCount;

/// What a member represents (*collège*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum MemberCategory {
    /// A ministry or one of its directorates.
    Ministry,
    Association,
    /// *Organisation syndicale*.
    TradeUnion,
    /// *Représentants des victimes*.
    VictimsRepresentatives,
    /// *Autorité administrative indépendante* (e.g. the Défenseur des droits).
    IndependentAuthority,
    Other,
}

impl MemberCategory {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Ministry,
        Self::Association,
        Self::TradeUnion,
        Self::VictimsRepresentatives,
        Self::IndependentAuthority,
        Self::Other,
    ];

    /// The categories R3 of the opinion asks the committee to include.
    pub const REQUIRED: [Self; 2] = [Self::VictimsRepresentatives, Self::TradeUnion];

    /// The stored key; labels are `committee-category-<key>` in Fluent.
    pub fn key(self) -> &'static str {
        match self {
            Self::Ministry => "ministry",
            Self::Association => "association",
            Self::TradeUnion => "trade-union",
            Self::VictimsRepresentatives => "victims-representatives",
            Self::IndependentAuthority => "independent-authority",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == raw.trim())
    }
}

/// The longest name, organisation, place or action item owner (characters).
pub const NAME_MAX: usize = 200;
/// The longest decision or action item (characters).
pub const SHORT_TEXT_MAX: usize = 2_000;
/// The longest agenda or minutes (characters).
pub const LONG_TEXT_MAX: usize = 20_000;

/// A day typed as `YYYY-MM-DD` (a date field) or the French `JJ/MM/AAAA`.
pub fn parse_day(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    Date::parse(raw).or_else(|| {
        let mut parts = raw.split('/');
        let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || day.len() != 2 || month.len() != 2 || year.len() != 4 {
            return None;
        }
        Date::parse(&format!("{year}-{month}-{day}"))
    })
}

/// The least number of meetings held in a calendar year (R3).
pub const MIN_MEETINGS_PER_YEAR: usize = 2;

/// The longest a meeting may last: a day.
const MAX_MEETING_SECONDS: i64 = 24 * 3600;

/// When a meeting starts and ends; the end is after the start, within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingTimes {
    start: Timestamp,
    end: Timestamp,
}

impl MeetingTimes {
    pub fn new(start: Timestamp, end: Timestamp) -> Option<Self> {
        let length = end.seconds_since(start);
        (length > 0 && length <= MAX_MEETING_SECONDS).then_some(Self { start, end })
    }

    /// From a day and two "HH:MM" times read in `zone`.
    pub fn parse_local(date: &str, start: &str, end: &str, zone: &Zone) -> Option<Self> {
        let day = parse_day(date)?;
        let instant = |raw: &str| {
            let (hour, minute) = raw.trim().split_once(':')?;
            if hour.len() != 2 || minute.len() != 2 {
                return None;
            }
            zone.instant(day, hour.parse().ok()?, minute.parse().ok()?)
        };
        Self::new(instant(start)?, instant(end)?)
    }

    pub fn start(self) -> Timestamp {
        self.start
    }

    pub fn end(self) -> Timestamp {
        self.end
    }
}

/// What the rules need of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingFact {
    pub start: Timestamp,
    /// Recorded as held (minutes taken), as opposed to planned.
    pub held: bool,
}

/// The number of meetings held in each calendar year (read in `zone`) that
/// has any meeting, held or planned.
pub fn meetings_held_per_year(meetings: &[MeetingFact], zone: &Zone) -> BTreeMap<i32, usize> {
    let mut years = BTreeMap::new();
    for meeting in meetings {
        let held = years.entry(Date::local(meeting.start, zone).year).or_insert(0);
        if meeting.held {
            *held += 1;
        }
    }
    years
}

/// A calendar year in which fewer than [`MIN_MEETINGS_PER_YEAR`] meetings were held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    pub year: i32,
    pub held: usize,
    /// Meetings of that year not recorded as held yet.
    pub planned: usize,
}

/// Every calendar year from the first meeting's (or `current_year` when
/// there is none) to `current_year` in which fewer than two meetings were
/// held, oldest first. Later years are not judged yet.
pub fn years_with_too_few_meetings(meetings: &[MeetingFact], zone: &Zone, current_year: i32) -> Vec<Shortfall> {
    let mut held: BTreeMap<i32, usize> = BTreeMap::new();
    let mut planned: BTreeMap<i32, usize> = BTreeMap::new();
    for meeting in meetings {
        let year = Date::local(meeting.start, zone).year;
        let count = if meeting.held { &mut held } else { &mut planned };
        *count.entry(year).or_insert(0) += 1;
    }
    let first = held
        .keys()
        .chain(planned.keys())
        .copied()
        .min()
        .map_or(current_year, |y| y.min(current_year));
    (first..=current_year)
        .map(|year| Shortfall {
            year,
            held: held.get(&year).copied().unwrap_or(0),
            planned: planned.get(&year).copied().unwrap_or(0),
        })
        .filter(|s| s.held < MIN_MEETINGS_PER_YEAR)
        .collect()
}

/// The categories R3 requires that no active member represents, in
/// [`MemberCategory::REQUIRED`] order.
pub fn missing_categories(active: impl IntoIterator<Item = MemberCategory>) -> Vec<MemberCategory> {
    let present: Vec<MemberCategory> = active.into_iter().collect();
    MemberCategory::REQUIRED
        .into_iter()
        .filter(|c| !present.contains(c))
        .collect()
}

/// An action item (*relevé de décisions : action à mener*) is overdue when
/// it is not done and its due day is before `today`.
pub fn action_item_overdue(due: Date, done: bool, today: Date) -> bool {
    !done && due < today
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        Timestamp::parse_rfc3339(rfc3339).unwrap()
    }

    fn held(rfc3339: &str) -> MeetingFact {
        MeetingFact {
            start: at(rfc3339),
            held: true,
        }
    }

    fn planned(rfc3339: &str) -> MeetingFact {
        MeetingFact {
            start: at(rfc3339),
            held: false,
        }
    }

    #[test]
    fn days_are_read_in_both_forms() {
        let day = Date::parse("2025-06-12").unwrap();
        assert_eq!(parse_day("2025-06-12"), Some(day));
        assert_eq!(parse_day(" 12/06/2025 "), Some(day));
        assert_eq!(parse_day("31/02/2025"), None);
        assert_eq!(parse_day("12/6/2025"), None);
        assert_eq!(parse_day("juin"), None);
    }

    #[test]
    fn categories_round_trip() {
        for category in MemberCategory::ALL {
            assert_eq!(MemberCategory::parse(category.key()), Some(category));
        }
        assert_eq!(MemberCategory::parse("syndicat"), None);
    }

    #[test]
    fn meetings_are_counted_in_the_local_year() {
        let paris = Zone::paris();
        // 23:30 UTC on 31 December is already the next year in Paris.
        let meetings = [
            held("2024-12-31T23:30:00Z"),
            held("2025-06-10T08:00:00Z"),
            planned("2025-11-10T09:00:00Z"),
        ];
        let per_year = meetings_held_per_year(&meetings, &paris);
        assert_eq!(per_year, BTreeMap::from([(2025, 2)]));
        let per_year = meetings_held_per_year(&meetings, &Zone::utc());
        assert_eq!(per_year, BTreeMap::from([(2024, 1), (2025, 1)]));
    }

    #[test]
    fn a_year_with_fewer_than_two_meetings_held_is_named() {
        let paris = Zone::paris();
        let meetings = [
            held("2024-03-01T09:00:00Z"),
            held("2025-03-01T09:00:00Z"),
            held("2025-10-01T09:00:00Z"),
            planned("2026-04-01T09:00:00Z"),
        ];
        assert_eq!(
            years_with_too_few_meetings(&meetings, &paris, 2026),
            vec![
                Shortfall {
                    year: 2024,
                    held: 1,
                    planned: 0
                },
                Shortfall {
                    year: 2026,
                    held: 0,
                    planned: 1
                }
            ]
        );
        // A year with no meeting at all between two others is named too.
        let gap = [held("2023-03-01T09:00:00Z"), held("2023-09-01T09:00:00Z")];
        let years: Vec<i32> = years_with_too_few_meetings(&gap, &paris, 2025)
            .iter()
            .map(|s| s.year)
            .collect();
        assert_eq!(years, vec![2024, 2025]);
        // No meeting at all: the current year falls short.
        assert_eq!(years_with_too_few_meetings(&[], &paris, 2026).len(), 1);
        // A planned meeting does not count until it is held.
        let two = [held("2026-02-01T09:00:00Z"), held("2026-06-01T09:00:00Z")];
        assert!(years_with_too_few_meetings(&two, &paris, 2026).is_empty());
        // Meetings planned in later years are not judged yet.
        let later = [
            held("2026-02-01T09:00:00Z"),
            held("2026-06-01T09:00:00Z"),
            planned("2027-02-01T09:00:00Z"),
        ];
        assert!(years_with_too_few_meetings(&later, &paris, 2026).is_empty());
    }

    #[test]
    fn the_composition_lacks_victims_representatives_or_trade_unions() {
        use MemberCategory::*;
        assert_eq!(
            missing_categories([Ministry, Association]),
            vec![VictimsRepresentatives, TradeUnion]
        );
        assert_eq!(missing_categories([Ministry, TradeUnion]), vec![VictimsRepresentatives]);
        assert!(missing_categories([TradeUnion, VictimsRepresentatives, Ministry]).is_empty());
    }

    #[test]
    fn an_action_item_is_overdue_after_its_day_until_done() {
        let due = Date::parse("2025-06-30").unwrap();
        let same_day = Date::parse("2025-06-30").unwrap();
        let after = Date::parse("2025-07-01").unwrap();
        assert!(!action_item_overdue(due, false, same_day));
        assert!(action_item_overdue(due, false, after));
        assert!(!action_item_overdue(due, true, after));
    }

    #[test]
    fn meeting_times_are_read_in_the_zone_and_end_after_they_start() {
        let paris = Zone::paris();
        let times = MeetingTimes::parse_local("2025-06-12", "14:00", "16:30", &paris).unwrap();
        assert_eq!(times.start(), at("2025-06-12T12:00:00Z"));
        assert_eq!(times.end(), at("2025-06-12T14:30:00Z"));
        assert!(MeetingTimes::parse_local("2025-06-12", "16:00", "14:00", &paris).is_none());
        assert!(MeetingTimes::parse_local("2025-06-12", "14h", "16:00", &paris).is_none());
        assert_eq!(
            MeetingTimes::parse_local("12/06/2025", "14:00", "16:30", &paris),
            Some(times)
        );
        assert!(MeetingTimes::parse_local("2025-06-31", "14:00", "16:00", &paris).is_none());
        assert!(MeetingTimes::new(at("2025-06-12T08:00:00Z"), at("2025-06-14T08:00:00Z")).is_none());
    }
}
