//! Training sessions (*formations*, issue 14, part 8): the day, theme,
//! organiser and département of a session and how many people of each
//! profession it trained — counts only, never a trainee's name — and how a
//! plan indicator counts them ("people trained", of one profession or all).

use crate::access::organisation::OrganisationType;
use crate::territory::Departement;
use crate::time::Date;

/// The profession of people trained: the sectors of the organisation types
/// that meet possible victims, and "other".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profession {
    /// Police, gendarmerie, labour inspection, justice (magistrates),
    /// health, education, social services, associations.
    Of(OrganisationType),
    Other,
}

impl Profession {
    pub const ALL: [Self; 9] = [
        Self::Of(OrganisationType::Police),
        Self::Of(OrganisationType::Gendarmerie),
        Self::Of(OrganisationType::LabourInspectorate),
        Self::Of(OrganisationType::Justice),
        Self::Of(OrganisationType::Health),
        Self::Of(OrganisationType::Education),
        Self::Of(OrganisationType::SocialServices),
        Self::Of(OrganisationType::Association),
        Self::Other,
    ];

    /// The organisation type's key, or `other`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Of(kind) => kind.key(),
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key.trim())
    }
}

/// The longest title or organiser's name.
pub const TEXT_MAX: usize = 200;
/// The most people one session may count for one profession: a typing
/// error beyond (a whole year's training is rarely more).
pub const COUNT_MAX: u32 = 10_000;

/// What is wrong with one field: its name and a translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
}

/// Every field a [`Problem`] may name apart from the counts (`trained-<profession>`):
/// `training-field-<field>`, checked in both languages.
pub const FIELDS: [&str; 4] = ["held_on", "title", "organiser", "departement"];

/// Every key a [`Problem`] may carry (for the translation check).
pub const PROBLEM_KEYS: [&str; 7] = [
    "required",
    "too-long",
    "date",
    "future-date",
    "departement",
    "count",
    "nobody",
];

/// A session as typed: `counts` are the raw numbers by profession key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSession {
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub departement: String,
    pub counts: Vec<(String, String)>,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub held_on: Date,
    pub title: String,
    /// The body that ran it (a school, a ministry, an association).
    pub organiser: String,
    pub departement: Departement,
    /// People trained by profession, professions with nobody left out.
    pub trained: Vec<(Profession, u32)>,
}

impl Session {
    pub fn total(&self) -> u64 {
        self.trained.iter().map(|(_, n)| u64::from(*n)).sum()
    }
}

fn problem(field: &str, key: &'static str) -> Problem {
    Problem {
        field: field.to_owned(),
        key,
    }
}

fn text(raw: &str, field: &str, problems: &mut Vec<Problem>) -> String {
    let value = raw.trim();
    if value.is_empty() {
        problems.push(problem(field, "required"));
    } else if value.chars().count() > TEXT_MAX {
        problems.push(problem(field, "too-long"));
    }
    value.to_owned()
}

/// A count typed for a profession: empty is nobody.
fn count(raw: &str) -> Option<u32> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(0);
    }
    if !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|n| *n <= COUNT_MAX)
}

impl RawSession {
    /// Checks every field against `today` (a session is recorded once held);
    /// all problems at once. A count field is named `trained-KEY`.
    pub fn check(&self, today: Date) -> Result<Session, Vec<Problem>> {
        let mut problems = Vec::new();
        let held_on = match self.held_on.trim() {
            "" => {
                problems.push(problem("held_on", "required"));
                None
            }
            raw => match Date::parse(raw) {
                Some(day) if day > today => {
                    problems.push(problem("held_on", "future-date"));
                    None
                }
                Some(day) => Some(day),
                None => {
                    problems.push(problem("held_on", "date"));
                    None
                }
            },
        };
        let title = text(&self.title, "title", &mut problems);
        let organiser = text(&self.organiser, "organiser", &mut problems);
        let departement = Departement::parse(&self.departement);
        if departement.is_none() {
            problems.push(problem("departement", "departement"));
        }
        let mut trained = Vec::new();
        let mut counted = true;
        for profession in Profession::ALL {
            let raw = self
                .counts
                .iter()
                .find(|(key, _)| key == profession.key())
                .map_or("", |(_, raw)| raw.as_str());
            match count(raw) {
                Some(0) => {}
                Some(n) => trained.push((profession, n)),
                None => {
                    counted = false;
                    problems.push(problem(&format!("trained-{}", profession.key()), "count"));
                }
            }
        }
        if counted && trained.is_empty() {
            problems.push(problem(&format!("trained-{}", Profession::ALL[0].key()), "nobody"));
        }
        match (held_on, departement) {
            (Some(held_on), Some(departement)) if problems.is_empty() => Ok(Session {
                held_on,
                title,
                organiser,
                departement,
                trained,
            }),
            _ => Err(problems),
        }
    }
}

/// What a plan indicator counts from the training records: the people
/// trained in the indicator's year, of one profession or of all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingCount {
    pub profession: Option<Profession>,
}

impl TrainingCount {
    /// Every choice: all professions, then each one.
    pub fn all() -> impl Iterator<Item = Self> {
        std::iter::once(Self { profession: None })
            .chain(Profession::ALL.into_iter().map(|p| Self { profession: Some(p) }))
    }

    /// The stored key: `training`, or `training:KEY` for one profession.
    pub fn key(self) -> String {
        match self.profession {
            None => "training".to_owned(),
            Some(p) => format!("training:{}", p.key()),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::all().find(|c| c.key() == key.trim())
    }

    /// The count from a year's totals by profession.
    pub fn value(self, by_profession: &[(Profession, u64)]) -> u64 {
        by_profession
            .iter()
            .filter(|(p, _)| self.profession.is_none_or(|wanted| wanted == *p))
            .map(|(_, n)| n)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 3,
        day: 15,
    };

    fn raw() -> RawSession {
        RawSession {
            held_on: "2026-03-10".into(),
            title: "Repérer les victimes d’exploitation par le travail".into(),
            organiser: "Institut national du travail".into(),
            departement: "13".into(),
            counts: vec![
                ("labour-inspectorate".into(), "18".into()),
                ("gendarmerie".into(), " 4 ".into()),
                ("police".into(), String::new()),
            ],
        }
    }

    #[test]
    fn keys_round_trip() {
        for p in Profession::ALL {
            assert_eq!(Profession::parse(p.key()), Some(p));
        }
        for c in TrainingCount::all() {
            assert_eq!(TrainingCount::parse(&c.key()), Some(c));
        }
        assert_eq!(TrainingCount::all().count(), 10);
        assert_eq!(Profession::parse("identification-authority"), None);
    }

    #[test]
    fn a_session_counts_people_by_profession_only() {
        let session = raw().check(TODAY).unwrap();
        assert_eq!(
            session.trained,
            vec![
                (Profession::Of(OrganisationType::Gendarmerie), 4),
                (Profession::Of(OrganisationType::LabourInspectorate), 18),
            ]
        );
        assert_eq!(session.total(), 22);
        assert_eq!(session.departement.code(), "13");
    }

    #[test]
    fn every_problem_is_named() {
        let bad = RawSession {
            held_on: "2026-03-16".into(),
            title: " ".into(),
            organiser: "x".repeat(TEXT_MAX + 1),
            departement: "99".into(),
            counts: vec![("police".into(), "-3".into()), ("health".into(), "2,5".into())],
        };
        let problems: Vec<_> = bad
            .check(TODAY)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.key))
            .collect();
        assert_eq!(
            problems,
            vec![
                ("held_on".to_owned(), "future-date"),
                ("title".to_owned(), "required"),
                ("organiser".to_owned(), "too-long"),
                ("departement".to_owned(), "departement"),
                ("trained-police".to_owned(), "count"),
                ("trained-health".to_owned(), "count"),
            ]
        );
    }

    #[test]
    fn a_session_trains_at_least_one_person() {
        let nobody = RawSession {
            counts: vec![("police".into(), "0".into())],
            ..raw()
        };
        let problems = nobody.check(TODAY).unwrap_err();
        assert_eq!(problems, vec![problem("trained-police", "nobody")]);
        let too_many = RawSession {
            counts: vec![("police".into(), (COUNT_MAX + 1).to_string())],
            ..raw()
        };
        assert_eq!(too_many.check(TODAY).unwrap_err()[0].key, "count");
        let not_a_day = RawSession {
            held_on: "2026-02-30".into(),
            ..raw()
        };
        assert_eq!(not_a_day.check(TODAY).unwrap_err()[0].key, "date");
    }

    #[test]
    fn an_indicator_counts_its_profession_or_everyone() {
        let police = Profession::Of(OrganisationType::Police);
        let totals = [(police, 40), (Profession::Other, 2)];
        assert_eq!(TrainingCount { profession: None }.value(&totals), 42);
        assert_eq!(
            TrainingCount {
                profession: Some(police)
            }
            .value(&totals),
            40
        );
        let health = Profession::Of(OrganisationType::Health);
        assert_eq!(
            TrainingCount {
                profession: Some(health)
            }
            .value(&totals),
            0
        );
    }

    /// Every field a problem names, apart from the counts, is listed.
    #[test]
    fn fields_list_every_field_a_problem_names() {
        let bad = RawSession {
            held_on: "2026-03-16".into(),
            title: " ".into(),
            organiser: "x".repeat(TEXT_MAX + 1),
            departement: "99".into(),
            counts: vec![],
        };
        let mut named: Vec<String> = bad
            .check(TODAY)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .filter(|f| !f.starts_with("trained-"))
            .collect();
        named.sort_unstable();
        let mut listed = FIELDS.to_vec();
        listed.sort_unstable();
        assert_eq!(named, listed);
    }
}
