//! The posted fields of one form step, copied into the draft as typed.
//! Nothing is checked here ([`super::steps::problems`] does that), so a
//! wrong value is saved and shown back rather than lost.

use super::ReferralDetails;
use super::steps::{Step, parse_answer};
use crate::intake::date_fields::DateFields;
use crate::intake::screening::Answer;
use crate::reference;

/// Form field name prefix of an indicator answer: `a:` + the answer key.
pub const ANSWER_PREFIX: &str = "a:";

struct Fields<'a>(&'a [(String, String)]);

impl Fields<'_> {
    fn one(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A date asked as three fields `{name}_day`, `{name}_month`, `{name}_year`,
    /// or as one stored-form field `{name}` by a client that sends no parts.
    fn date(&self, name: &str) -> String {
        let part = |p: &str| {
            let key = format!("{name}_{p}");
            self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
        };
        match (part("day"), part("month"), part("year")) {
            (None, None, None) => self.one(name),
            (d, m, y) => DateFields::new(d.unwrap_or(""), m.unwrap_or(""), y.unwrap_or("")).stored(),
        }
    }

    /// Languages chosen from the list (ISO 639-3 codes), several at once.
    fn languages(&self, name: &str) -> String {
        reference::store_languages(&self.all(name))
    }

    /// A checkbox: sent only when ticked.
    fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// Applies the fields of `step` to `details`; other steps' answers stay.
pub fn apply(step: Step, details: &mut ReferralDetails, posted: &[(String, String)]) {
    let f = Fields(posted);
    let d = details;
    match step {
        Step::Person => {
            d.family_name = f.one("family_name");
            d.given_names = f.one("given_names");
            d.aliases = f
                .one("aliases")
                .lines()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect();
            d.birth_date = f.date("birth_date");
            d.age = f.one("age");
            d.sex = f.one("sex");
            d.nationality = f.one("nationality").to_uppercase();
            d.departement = f.one("departement").to_uppercase();
            d.safe_contact = f.one("safe_contact");
        }
        Step::Languages => {
            d.languages = f.languages("languages");
            d.interpreter_needed = f.one("interpreter_needed");
            d.interpreter_language = f.one("interpreter_language");
        }
        Step::Circumstances => d.circumstances = f.one("circumstances"),
        Step::Exploitation => {
            d.forms = f.all("forms");
            d.form_other = f.one("form_other");
        }
        Step::Places => {
            d.places = f.one("places");
            d.location = f.one("location");
            d.period_start = f.date("period_start");
            d.period_end = f.date("period_end");
        }
        Step::Indicators => {
            if f.ticked("act") {
                d.act = parse_answer(&f.one("act"));
            }
            for (name, value) in posted {
                if let Some(key) = name.strip_prefix(ANSWER_PREFIX) {
                    match parse_answer(value) {
                        Answer::Unknown => d.answers.remove(key),
                        answer => d.answers.insert(key.to_owned(), answer),
                    };
                }
            }
        }
        Step::Needs => {
            d.need_safety = f.ticked("need_safety");
            d.need_medical = f.ticked("need_medical");
            d.need_shelter_tonight = f.ticked("need_shelter_tonight");
            d.needs_details = f.one("needs_details");
        }
        Step::Consent => {
            d.consent = f.one("consent");
            d.consent_language = f.one("consent_language");
            d.consent_interpreter = f.one("consent_interpreter");
            d.consent_explained_by = f.one("consent_explained_by");
            d.consent_date = f.one("consent_date");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_step_only_touches_its_own_fields() {
        let mut d = ReferralDetails {
            circumstances: "kept".into(),
            ..ReferralDetails::default()
        };
        apply(
            Step::Person,
            &mut d,
            &posted(&[
                ("family_name", " Doe "),
                ("aliases", "A\n\n B \n"),
                ("nationality", "fra"),
                ("circumstances", "x"),
            ]),
        );
        assert_eq!(d.family_name, "Doe");
        assert_eq!(d.aliases, vec!["A", "B"]);
        assert_eq!(d.nationality, "FRA");
        assert_eq!(d.circumstances, "kept");
    }

    #[test]
    fn a_birth_date_comes_in_three_fields_and_languages_as_codes() {
        let mut d = ReferralDetails::default();
        let three = [
            ("birth_date_day", "4"),
            ("birth_date_month", "3"),
            ("birth_date_year", "1999"),
        ];
        apply(Step::Person, &mut d, &posted(&three));
        assert_eq!(d.birth_date, "1999-03-04");
        apply(
            Step::Person,
            &mut d,
            &posted(&[("birth_date_month", "13"), ("birth_date_year", "1999")]),
        );
        assert_eq!(d.birth_date, "1999-13-", "kept as typed");
        apply(Step::Person, &mut d, &posted(&[("birth_date", "1987")]));
        assert_eq!(d.birth_date, "1987");
        apply(
            Step::Languages,
            &mut d,
            &posted(&[("languages", "bin"), ("languages", "ENG")]),
        );
        assert_eq!(d.languages, "bin, eng");
        apply(
            Step::Languages,
            &mut d,
            &posted(&[("languages", "anglais, pidgin"), ("languages", "bin")]),
        );
        assert_eq!(d.languages, "anglais, pidgin, bin");
    }

    #[test]
    fn indicator_answers_are_set_and_cleared() {
        let mut d = ReferralDetails::default();
        apply(
            Step::Indicators,
            &mut d,
            &posted(&[("a:dim/one", "yes"), ("a:dim/two", "no"), ("act", "yes")]),
        );
        assert_eq!(d.answers.len(), 2);
        assert_eq!(d.act, Answer::Yes);
        apply(Step::Indicators, &mut d, &posted(&[("a:dim/one", "unknown")]));
        assert_eq!(d.answers.len(), 1);
        assert_eq!(d.act, Answer::Yes, "act untouched when not posted");
    }

    #[test]
    fn checkboxes_are_ticked_only_when_sent() {
        let mut d = ReferralDetails {
            need_medical: true,
            ..ReferralDetails::default()
        };
        apply(Step::Needs, &mut d, &posted(&[("need_safety", "on")]));
        assert!(d.need_safety && !d.need_medical);
    }
}
