//! The steps of the professional referral form, the fields each one owns and
//! what is wrong with their values. A step is saved even when it has
//! problems (nothing typed is lost); a referral is submitted only when no
//! step has any.

use super::{AgeStatus, ExploitationForm, Location, ReferralDetails, Sex};
use crate::intake::date_fields::DateFields;
use crate::intake::person_match::BirthDate;
use crate::intake::screening::Answer;
use crate::territory::Departement;
use crate::time::Date;
use strum::EnumCount;

/// Longest free-text answer accepted, in characters.
pub const MAX_TEXT: usize = 5_000;
/// Longest short answer (a name, a language), in characters.
pub const MAX_SHORT: usize = 200;
/// Most aliases kept.
pub const MAX_ALIASES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Step {
    Person,
    Languages,
    Circumstances,
    Exploitation,
    Places,
    Indicators,
    Needs,
    /// Adults only: children are referred without consent.
    Consent,
}

impl Step {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Person,
        Self::Languages,
        Self::Circumstances,
        Self::Exploitation,
        Self::Places,
        Self::Indicators,
        Self::Needs,
        Self::Consent,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Languages => "languages",
            Self::Circumstances => "circumstances",
            Self::Exploitation => "exploitation",
            Self::Places => "places",
            Self::Indicators => "indicators",
            Self::Needs => "needs",
            Self::Consent => "consent",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The steps this referral goes through, in order.
    pub fn sequence(details: &ReferralDetails) -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|s| *s != Self::Consent || !details.is_child())
            .collect()
    }

    /// The step after this one, or `None` when the next page is the check page.
    pub fn next(self, details: &ReferralDetails) -> Option<Self> {
        let steps = Self::sequence(details);
        let at = steps.iter().position(|s| *s == self)?;
        steps.get(at + 1).copied()
    }

    pub fn previous(self, details: &ReferralDetails) -> Option<Self> {
        let steps = Self::sequence(details);
        let at = steps.iter().position(|s| *s == self)?;
        at.checked_sub(1).and_then(|i| steps.get(i).copied())
    }
}

/// What is wrong with one field; `problem` is a stable key that the user
/// interface translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub problem: &'static str,
}

/// Every key a step's check writes itself (`referral-problem-<key>`, and
/// `field-too-long` for `too-long`); a date's problems add
/// [`DateProblem`](crate::intake::date_fields::DateProblem)'s keys.
pub const PROBLEM_KEYS: [&str; 9] = [
    "too-long",
    "required",
    "choose",
    "invalid-choice",
    "name-or-alias",
    "country-code",
    "end-before-start",
    "date-format",
    "date-future",
];

fn problem(field: &'static str, problem: &'static str) -> Problem {
    Problem { field, problem }
}

fn too_long(out: &mut Vec<Problem>, field: &'static str, value: &str, max: usize) {
    if value.chars().count() > max {
        out.push(problem(field, "too-long"));
    }
}

fn required(out: &mut Vec<Problem>, field: &'static str, value: &str) {
    if value.trim().is_empty() {
        out.push(problem(field, "required"));
    }
}

fn choice(out: &mut Vec<Problem>, field: &'static str, value: &str, valid: bool) {
    if value.is_empty() {
        out.push(problem(field, "choose"));
    } else if !valid {
        out.push(problem(field, "invalid-choice"));
    }
}

/// The answers of a yes-or-no question (interpreter needed, interpreter at the consent).
pub const YES_NO: [&str; 2] = ["yes", "no"];

/// The answers of the consent question; a refusal makes the referral an anonymous notification.
pub const CONSENT: [&str; 2] = ["given", "refused"];

fn yes_no(value: &str) -> bool {
    YES_NO.contains(&value)
}

/// The day, month and year fields of the dates asked in three fields.
const BIRTH_DATE: [&str; 3] = ["birth_date_day", "birth_date_month", "birth_date_year"];
const PERIOD_START: [&str; 3] = ["period_start_day", "period_start_month", "period_start_year"];
const PERIOD_END: [&str; 3] = ["period_end_day", "period_end_month", "period_end_year"];

/// A date asked in three fields: its problem, on the field it points at.
fn in_fields(out: &mut Vec<Problem>, [day, month, year]: [&'static str; 3], value: &str, today: Date) {
    if let Some(p) = DateFields::of_stored(value).problem(today) {
        let field = match p.part() {
            "day" => day,
            "month" => month,
            _ => year,
        };
        out.push(problem(field, p.key()));
    }
}

/// The problems of one step's answers, given today's date.
pub fn problems(step: Step, details: &ReferralDetails, today: Date) -> Vec<Problem> {
    let mut out = Vec::new();
    let d = details;
    match step {
        Step::Person => {
            if d.family_name.trim().is_empty() && d.given_names.trim().is_empty() && d.aliases.is_empty() {
                out.push(problem("family_name", "name-or-alias"));
            }
            too_long(&mut out, "family_name", &d.family_name, MAX_SHORT);
            too_long(&mut out, "given_names", &d.given_names, MAX_SHORT);
            if d.aliases.len() > MAX_ALIASES || d.aliases.iter().any(|a| a.chars().count() > MAX_SHORT) {
                out.push(problem("aliases", "too-long"));
            }
            in_fields(&mut out, BIRTH_DATE, &d.birth_date, today);
            choice(&mut out, "age", &d.age, AgeStatus::parse(&d.age).is_some());
            choice(&mut out, "sex", &d.sex, Sex::parse(&d.sex).is_some());
            let nationality = d.nationality.trim().to_uppercase();
            if !nationality.is_empty() && crate::reference::country(&nationality).is_none() {
                out.push(problem("nationality", "country-code"));
            }
            choice(
                &mut out,
                "departement",
                d.departement.trim(),
                Departement::parse(&d.departement).is_some(),
            );
            too_long(&mut out, "safe_contact", &d.safe_contact, MAX_TEXT);
        }
        Step::Languages => {
            required(&mut out, "languages", &d.languages);
            too_long(&mut out, "languages", &d.languages, MAX_SHORT);
            choice(
                &mut out,
                "interpreter_needed",
                &d.interpreter_needed,
                yes_no(&d.interpreter_needed),
            );
            if d.interpreter_needed == "yes" {
                required(&mut out, "interpreter_language", &d.interpreter_language);
            }
            too_long(&mut out, "interpreter_language", &d.interpreter_language, MAX_SHORT);
        }
        Step::Circumstances => {
            required(&mut out, "circumstances", &d.circumstances);
            too_long(&mut out, "circumstances", &d.circumstances, MAX_TEXT);
        }
        Step::Exploitation => {
            if d.forms.is_empty() {
                out.push(problem("forms", "choose"));
            } else if d.forms.iter().any(|f| ExploitationForm::parse(f).is_none()) {
                out.push(problem("forms", "invalid-choice"));
            }
            if d.forms.iter().any(|f| f == "other") {
                required(&mut out, "form_other", &d.form_other);
            }
            too_long(&mut out, "form_other", &d.form_other, MAX_SHORT);
        }
        Step::Places => {
            choice(
                &mut out,
                "location",
                &d.location,
                Location::parse(&d.location).is_some(),
            );
            too_long(&mut out, "places", &d.places, MAX_TEXT);
            in_fields(&mut out, PERIOD_START, &d.period_start, today);
            in_fields(&mut out, PERIOD_END, &d.period_end, today);
            let start = BirthDate::parse(&d.period_start).ok().map(BirthDate::year);
            let end = BirthDate::parse(&d.period_end).ok().map(BirthDate::year);
            if let (Some(start), Some(end)) = (start, end)
                && end < start
            {
                out.push(problem(PERIOD_END[2], "end-before-start"));
            }
        }
        // Every indicator may stay unknown: that is an answer, not a gap.
        Step::Indicators => {}
        Step::Needs => too_long(&mut out, "needs_details", &d.needs_details, MAX_TEXT),
        Step::Consent => {
            choice(&mut out, "consent", &d.consent, CONSENT.contains(&d.consent.as_str()));
            if d.consent == "given" {
                required(&mut out, "consent_language", &d.consent_language);
                choice(
                    &mut out,
                    "consent_interpreter",
                    &d.consent_interpreter,
                    yes_no(&d.consent_interpreter),
                );
                required(&mut out, "consent_explained_by", &d.consent_explained_by);
                match Date::parse(&d.consent_date) {
                    None => out.push(problem("consent_date", "date-format")),
                    Some(date) if date > today => out.push(problem("consent_date", "date-future")),
                    Some(_) => {}
                }
            }
            too_long(&mut out, "consent_language", &d.consent_language, MAX_SHORT);
            too_long(&mut out, "consent_explained_by", &d.consent_explained_by, MAX_SHORT);
        }
    }
    out
}

/// The steps that still have problems, in order: empty means ready to submit.
pub fn incomplete(details: &ReferralDetails, today: Date) -> Vec<Step> {
    Step::sequence(details)
        .into_iter()
        .filter(|s| !problems(*s, details, today).is_empty())
        .collect()
}

/// An answer from a radio button; anything else is unknown.
pub fn parse_answer(raw: &str) -> Answer {
    match raw {
        "yes" => Answer::Yes,
        "no" => Answer::No,
        _ => Answer::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 29,
    };

    fn complete_adult() -> ReferralDetails {
        ReferralDetails {
            family_name: "Doe".into(),
            age: "adult".into(),
            sex: "female".into(),
            departement: "75".into(),
            languages: "anglais".into(),
            interpreter_needed: "no".into(),
            circumstances: "Rencontrée lors d'un contrôle".into(),
            forms: vec!["labour".into()],
            location: "france".into(),
            consent: "refused".into(),
            ..ReferralDetails::default()
        }
    }

    #[test]
    fn an_empty_draft_has_every_step_but_indicators_and_needs_incomplete() {
        let steps = incomplete(&ReferralDetails::default(), TODAY);
        assert_eq!(
            steps,
            vec![
                Step::Person,
                Step::Languages,
                Step::Circumstances,
                Step::Exploitation,
                Step::Places,
                Step::Consent
            ]
        );
    }

    #[test]
    fn a_complete_adult_refusal_is_ready() {
        assert_eq!(incomplete(&complete_adult(), TODAY), vec![]);
    }

    #[test]
    fn children_skip_consent() {
        let mut child = complete_adult();
        child.age = "minor".into();
        child.consent.clear();
        assert!(!Step::sequence(&child).contains(&Step::Consent));
        assert_eq!(Step::Needs.next(&child), None);
        assert_eq!(incomplete(&child, TODAY), vec![]);
    }

    #[test]
    fn given_consent_needs_how_it_was_obtained() {
        let mut d = complete_adult();
        d.consent = "given".into();
        let fields: Vec<_> = problems(Step::Consent, &d, TODAY).iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                "consent_language",
                "consent_interpreter",
                "consent_explained_by",
                "consent_date"
            ]
        );
        d.consent_date = "2026-11-30".into();
        assert!(problems(Step::Consent, &d, TODAY).contains(&Problem {
            field: "consent_date",
            problem: "date-future"
        }));
    }

    #[test]
    fn dates_and_codes_are_checked() {
        let mut d = complete_adult();
        d.birth_date = "31/12/1990".into();
        d.nationality = "France".into();
        d.departement = "20".into();
        let found = problems(Step::Person, &d, TODAY);
        assert!(found.contains(&Problem {
            field: "birth_date_year",
            problem: "date-year"
        }));
        d.birth_date = "1990-13-4".into();
        d.nationality = "ZZZ".into();
        let found = problems(Step::Person, &d, TODAY);
        assert!(found.contains(&Problem {
            field: "birth_date_month",
            problem: "date-month"
        }));
        assert!(found.contains(&Problem {
            field: "nationality",
            problem: "country-code"
        }));
        assert!(found.contains(&Problem {
            field: "departement",
            problem: "invalid-choice"
        }));
        d.period_start = "2025".into();
        d.period_end = "2024-01-01".into();
        assert!(problems(Step::Places, &d, TODAY).contains(&Problem {
            field: "period_end_year",
            problem: "end-before-start"
        }));
    }

    #[test]
    fn navigation_follows_the_sequence() {
        let d = complete_adult();
        assert_eq!(Step::Person.previous(&d), None);
        assert_eq!(Step::Person.next(&d), Some(Step::Languages));
        assert_eq!(Step::Needs.next(&d), Some(Step::Consent));
        assert_eq!(Step::Consent.next(&d), None);
    }

    /// Every key this file writes into a problem is listed, so the
    /// translation check that reads the list covers it.
    #[test]
    fn every_problem_key_written_here_is_listed() {
        let source = include_str!("steps.rs");
        let mut written: Vec<&str> = source
            .split("problem(")
            .skip(1)
            .filter_map(|call| call.split(')').next())
            .filter_map(|args| args.split_once(", \"").map(|(_, key)| key.trim_end_matches('"')))
            .collect();
        written.sort_unstable();
        written.dedup();
        let mut listed = PROBLEM_KEYS.to_vec();
        listed.sort_unstable();
        assert_eq!(written, listed);
    }
}
