//! The people of a case file (issue 4, part 4): the person, with aliases
//! and safe-contact instructions, and their dependants. Stored encrypted;
//! nothing here is used for statistics.
//!
//! Values arrive as typed and are checked here, so that a wrong value is
//! shown back with its problem rather than lost.

use crate::intake::date_fields::{DateFields, DateProblem};
use crate::time::Date;
use serde::{Deserialize, Serialize};
use strum::EnumCount;

/// Longest free-text answer kept (names, instructions, notes).
pub const MAX_TEXT: usize = 500;
/// Most aliases and dependants kept for one case.
pub const MAX_ALIASES: usize = 20;
pub const MAX_DEPENDANTS: usize = 20;

/// How the person may be reached without putting them at risk — whoever
/// contacts them reads this first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SafeContact {
    /// Never telephone: the phone may be controlled by the exploiters.
    pub do_not_call: bool,
    /// When contact is safe, e.g. "weekdays 10–12h, at the day centre".
    pub safe_times: String,
    /// Through whom (a social worker, an association), when not directly.
    pub through_whom: String,
}

/// The person the case is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub family_name: String,
    pub given_names: String,
    pub aliases: Vec<String>,
    /// `YYYY` or `YYYY-MM-DD`, often an estimate; empty when unknown.
    pub birth_date: String,
    /// ISO 3166-1 alpha-3 code; empty when unknown.
    pub nationality: String,
    pub languages: String,
    pub safe_contact: SafeContact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, EnumCount)]
pub enum Relation {
    Child,
    Partner,
    Parent,
    Sibling,
    Other,
}

impl Relation {
    pub const ALL: [Self; Self::COUNT] = [Self::Child, Self::Partner, Self::Parent, Self::Sibling, Self::Other];

    pub fn key(self) -> &'static str {
        match self {
            Self::Child => "child",
            Self::Partner => "partner",
            Self::Parent => "parent",
            Self::Sibling => "sibling",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key.trim())
    }
}

/// Someone who depends on the person: their needs (accommodation, school,
/// protection) belong to the same case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependant {
    pub name: String,
    pub relation: Relation,
    pub birth_year: Option<i32>,
    /// Lives with the person (so a placement must take them too).
    pub accompanies: bool,
    pub notes: String,
}

/// A person form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub family_name: String,
    pub given_names: String,
    /// One alias per line.
    pub aliases: String,
    pub birth_date: String,
    pub nationality: String,
    pub languages: String,
    pub do_not_call: bool,
    pub safe_times: String,
    pub through_whom: String,
}

/// A dependant form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DependantInput {
    pub name: String,
    pub relation: String,
    pub birth_year: String,
    pub accompanies: bool,
    pub notes: String,
}

/// What is wrong with a form, by field; `key()` names the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    TooLong(&'static str),
    TooManyAliases,
    /// One of the three fields of the birth date, and what is wrong with it.
    BirthDate(DateProblem),
    Nationality,
    NameRequired,
    Relation,
    BirthYear,
    TooManyDependants,
}

impl Problem {
    /// The form field the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            Self::TooLong(field) => field,
            Self::TooManyAliases => "aliases",
            Self::BirthDate(p) => match p.part() {
                "day" => "birth_date_day",
                "month" => "birth_date_month",
                _ => "birth_date_year",
            },
            Self::Nationality => "nationality",
            Self::NameRequired => "name",
            Self::Relation => "relation",
            Self::BirthYear => "birth_year",
            Self::TooManyDependants => "name",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::TooLong(_) => "people-too-long",
            Self::TooManyAliases => "people-too-many-aliases",
            Self::BirthDate(p) => match p {
                DateProblem::Day => "referral-problem-birth-date-day",
                DateProblem::Month => "referral-problem-birth-date-month",
                DateProblem::Year => "referral-problem-birth-date-year",
                DateProblem::YearMissing => "referral-problem-birth-date-year-missing",
                DateProblem::MonthMissing => "referral-problem-birth-date-month-missing",
                DateProblem::NoSuchDay => "referral-problem-birth-date-no-such-day",
                DateProblem::Future => "referral-problem-birth-date-future",
            },
            Self::Nationality => "people-nationality",
            Self::NameRequired => "people-name-required",
            Self::Relation => "people-relation",
            Self::BirthYear => "people-birth-year",
            Self::TooManyDependants => "people-too-many-dependants",
        }
    }
}

fn text(raw: &str, field: &'static str, problems: &mut Vec<Problem>) -> String {
    let value = raw.trim().to_owned();
    if value.chars().count() > MAX_TEXT {
        problems.push(Problem::TooLong(field));
    }
    value
}

impl Person {
    /// The record of a posted form; `today` is the case's local day (a birth date is not after it).
    pub fn parse(input: &PersonInput, today: Date) -> Result<Self, Vec<Problem>> {
        let mut problems = vec![];
        let aliases: Vec<String> = input
            .aliases
            .lines()
            .map(|a| text(a, "aliases", &mut problems))
            .filter(|a| !a.is_empty())
            .collect();
        if aliases.len() > MAX_ALIASES {
            problems.push(Problem::TooManyAliases);
        }
        let birth_date = input.birth_date.trim().to_owned();
        if let Some(p) = DateFields::of_stored(&birth_date).problem(today) {
            problems.push(Problem::BirthDate(p));
        }
        let nationality = input.nationality.trim().to_uppercase();
        if !nationality.is_empty() && crate::reference::country(&nationality).is_none() {
            problems.push(Problem::Nationality);
        }
        let person = Self {
            family_name: text(&input.family_name, "family_name", &mut problems),
            given_names: text(&input.given_names, "given_names", &mut problems),
            aliases,
            birth_date,
            nationality,
            languages: text(&input.languages, "languages", &mut problems),
            safe_contact: SafeContact {
                do_not_call: input.do_not_call,
                safe_times: text(&input.safe_times, "safe_times", &mut problems),
                through_whom: text(&input.through_whom, "through_whom", &mut problems),
            },
        };
        if problems.is_empty() { Ok(person) } else { Err(problems) }
    }

    /// The form showing this record (to edit it).
    pub fn input(&self) -> PersonInput {
        PersonInput {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            aliases: self.aliases.join("\n"),
            birth_date: self.birth_date.clone(),
            nationality: self.nationality.clone(),
            languages: self.languages.clone(),
            do_not_call: self.safe_contact.do_not_call,
            safe_times: self.safe_contact.safe_times.clone(),
            through_whom: self.safe_contact.through_whom.clone(),
        }
    }
}

impl Dependant {
    /// `today` bounds the birth year: nobody is born in the future.
    pub fn parse(input: &DependantInput, today: Date) -> Result<Self, Vec<Problem>> {
        let mut problems = vec![];
        let name = text(&input.name, "name", &mut problems);
        if name.is_empty() {
            problems.push(Problem::NameRequired);
        }
        let relation = Relation::parse(&input.relation);
        if relation.is_none() {
            problems.push(Problem::Relation);
        }
        let year = input.birth_year.trim();
        let birth_year = if year.is_empty() {
            None
        } else {
            match year.parse::<i32>() {
                Ok(y) if (1900..=today.year).contains(&y) => Some(y),
                _ => {
                    problems.push(Problem::BirthYear);
                    None
                }
            }
        };
        let notes = text(&input.notes, "notes", &mut problems);
        match relation {
            Some(relation) if problems.is_empty() => Ok(Self {
                name,
                relation,
                birth_year,
                accompanies: input.accompanies,
                notes,
            }),
            _ => Err(problems),
        }
    }

    /// A dependant under 18 in `year` (unknown birth year: not assumed a minor).
    pub fn is_minor_in(&self, year: i32) -> bool {
        self.birth_year.is_some_and(|y| year - y < 18)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-29").unwrap()
    }

    #[test]
    fn a_person_keeps_aliases_one_per_line_and_normalises_nationality() {
        let person = Person::parse(
            &PersonInput {
                family_name: " Ivanova ".into(),
                aliases: "Ania\n\n  Anna I. \n".into(),
                birth_date: "1999".into(),
                nationality: "ukr".into(),
                do_not_call: true,
                through_whom: "Association Le Relais".into(),
                ..PersonInput::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!(person.family_name, "Ivanova");
        assert_eq!(person.aliases, vec!["Ania", "Anna I."]);
        assert_eq!(person.nationality, "UKR");
        assert!(person.safe_contact.do_not_call);
        assert_eq!(Person::parse(&person.input(), today()).unwrap(), person);
    }

    #[test]
    fn every_problem_of_a_person_is_reported_with_its_field() {
        let problems = Person::parse(
            &PersonInput {
                birth_date: "31/12/1999".into(),
                nationality: "Ukraine".into(),
                safe_times: "x".repeat(MAX_TEXT + 1),
                ..PersonInput::default()
            },
            today(),
        )
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field()).collect();
        assert_eq!(fields, vec!["birth_date_year", "nationality", "safe_times"]);
        let future = PersonInput {
            birth_date: "2026-12-01".into(),
            nationality: "ZZZ".into(),
            ..PersonInput::default()
        };
        let problems = Person::parse(&future, today()).unwrap_err();
        assert_eq!(
            problems,
            vec![Problem::BirthDate(DateProblem::Future), Problem::Nationality]
        );
    }

    #[test]
    fn a_dependant_needs_a_name_a_relation_and_a_past_birth_year() {
        let child = Dependant::parse(
            &DependantInput {
                name: "Lena".into(),
                relation: "child".into(),
                birth_year: "2019".into(),
                accompanies: true,
                notes: String::new(),
            },
            today(),
        )
        .unwrap();
        assert!(child.is_minor_in(2026));
        assert!(child.accompanies);
        let problems = Dependant::parse(
            &DependantInput {
                relation: "cousin".into(),
                birth_year: "2031".into(),
                ..DependantInput::default()
            },
            today(),
        )
        .unwrap_err();
        let keys: Vec<_> = problems.iter().map(|p| p.key()).collect();
        assert_eq!(
            keys,
            vec!["people-name-required", "people-relation", "people-birth-year"]
        );
    }

    #[test]
    fn relation_keys_round_trip() {
        for r in Relation::ALL {
            assert_eq!(Relation::parse(r.key()), Some(r));
        }
    }
}
