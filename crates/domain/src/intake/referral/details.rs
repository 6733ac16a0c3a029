//! The content of a referral, as typed. Stored encrypted; only the
//! [`StatisticalFields`] are kept in clear columns, for filters and counts.

use super::{AgeStatus, ExploitationForm, Location, Sex};
use crate::intake::person_match::{BirthDate, PersonRecord};
use crate::intake::screening::Answer;
use crate::territory::Departement;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Every answer of the referral form. Values stay text until a step is
/// checked, so that a wrong value is shown back to the user, never lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralDetails {
    // The person (identifying).
    pub family_name: String,
    pub given_names: String,
    /// Other names the person is known by, one per entry.
    pub aliases: Vec<String>,
    /// `YYYY` or `YYYY-MM-DD`, often an estimate.
    pub birth_date: String,
    /// `adult`, `minor` or `disputed`.
    pub age: String,
    pub sex: String,
    /// ISO 3166-1 alpha-3 code.
    pub nationality: String,
    /// Where the person was met: the département whose services act.
    pub departement: String,
    /// How to reach the person safely (do not call, safe times, through whom).
    pub safe_contact: String,

    // Languages.
    pub languages: String,
    /// `yes` or `no`.
    pub interpreter_needed: String,
    pub interpreter_language: String,

    // Circumstances (identifying narrative).
    pub circumstances: String,

    // Forms of exploitation.
    pub forms: Vec<String>,
    pub form_other: String,

    // Places and dates.
    pub places: String,
    pub location: String,
    /// `YYYY` or `YYYY-MM-DD`.
    pub period_start: String,
    pub period_end: String,

    // Indicators: `act` and answers keyed by `dimension/indicator`.
    pub act: Answer,
    pub answers: BTreeMap<String, Answer>,
    /// The checklist catalogue (id, version) the draft was started with, so that its answers
    /// keep their meaning when a new version is imported (the Delphi version is kept beside the
    /// referral). `None` for drafts started before checklists existed: the newest is used.
    pub checklists: Option<(String, u32)>,

    // Urgent needs.
    pub need_safety: bool,
    pub need_medical: bool,
    pub need_shelter_tonight: bool,
    pub needs_details: String,

    // Consent (adults only): `given` or `refused`, and how it was obtained.
    pub consent: String,
    pub consent_language: String,
    /// `yes` or `no`.
    pub consent_interpreter: String,
    pub consent_explained_by: String,
    /// `YYYY-MM-DD`.
    pub consent_date: String,
}

/// What is kept of a referral without consent, and what is shown in clear
/// in queues and statistics: closed-list answers and codes only, never text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatisticalFields {
    pub departement: Option<Departement>,
    pub age: Option<AgeStatus>,
    pub sex: Option<Sex>,
    pub nationality: Option<String>,
    pub forms: Vec<ExploitationForm>,
    pub location: Option<Location>,
    pub urgent: bool,
}

impl ReferralDetails {
    pub fn age_status(&self) -> Option<AgeStatus> {
        AgeStatus::parse(&self.age)
    }

    /// Under 18 or age disputed: no consent step, the referral always proceeds.
    pub fn is_child(&self) -> bool {
        self.age_status().is_some_and(AgeStatus::is_child)
    }

    pub fn forms(&self) -> Vec<ExploitationForm> {
        let mut forms: Vec<_> = self.forms.iter().filter_map(|f| ExploitationForm::parse(f)).collect();
        forms.sort();
        forms.dedup();
        forms
    }

    /// Any urgent need: the item goes to the top of the triage queue.
    pub fn urgent(&self) -> bool {
        self.need_safety || self.need_medical || self.need_shelter_tonight
    }

    /// Whether an adult refused consent (children are never asked).
    pub fn consent_refused(&self) -> bool {
        !self.is_child() && self.consent == "refused"
    }

    pub fn statistical(&self) -> StatisticalFields {
        let nationality = self.nationality.trim().to_uppercase();
        StatisticalFields {
            departement: Departement::parse(self.departement.trim()),
            age: self.age_status(),
            sex: Sex::parse(&self.sex),
            nationality: is_country_code(&nationality).then_some(nationality),
            forms: self.forms(),
            location: Location::parse(&self.location),
            urgent: self.urgent(),
        }
    }

    /// The anonymous notification made when an adult refuses: every
    /// free-text and identifying answer is dropped, closed-list answers stay.
    pub fn anonymised(&self) -> Self {
        let stats = self.statistical();
        Self {
            age: self.age.clone(),
            sex: stats.sex.map(|s| s.key().to_owned()).unwrap_or_default(),
            nationality: stats.nationality.unwrap_or_default(),
            departement: stats.departement.map(|d| d.code().to_owned()).unwrap_or_default(),
            interpreter_needed: self.interpreter_needed.clone(),
            forms: self.forms().into_iter().map(|f| f.key().to_owned()).collect(),
            location: stats.location.map(|l| l.key().to_owned()).unwrap_or_default(),
            act: self.act,
            answers: self.answers.clone(),
            checklists: self.checklists.clone(),
            need_safety: self.need_safety,
            need_medical: self.need_medical,
            need_shelter_tonight: self.need_shelter_tonight,
            consent: self.consent.clone(),
            ..Self::default()
        }
    }

    /// The person as typed, for duplicate detection.
    pub fn person_record(&self, id: &str) -> PersonRecord {
        let nationality = self.nationality.trim().to_uppercase();
        PersonRecord {
            id: id.to_owned(),
            given_names: self.given_names.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            aliases: self
                .aliases
                .iter()
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            birth: BirthDate::parse(&self.birth_date).ok(),
            nationality: is_country_code(&nationality).then_some(nationality),
        }
    }
}

/// Three ASCII capital letters (ISO 3166-1 alpha-3 shape).
pub(super) fn is_country_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> ReferralDetails {
        ReferralDetails {
            family_name: "Petrova".into(),
            given_names: "Anna".into(),
            aliases: vec!["Ania".into()],
            birth_date: "1999".into(),
            age: "adult".into(),
            sex: "female".into(),
            nationality: "bgr".into(),
            departement: "59".into(),
            safe_contact: "Only through the association".into(),
            languages: "bulgare".into(),
            interpreter_needed: "yes".into(),
            interpreter_language: "bulgare".into(),
            circumstances: "Met at a farm".into(),
            forms: vec!["labour".into(), "sexual".into(), "labour".into(), "bogus".into()],
            form_other: "x".into(),
            places: "Farm near Lille".into(),
            location: "france".into(),
            period_start: "2025".into(),
            period_end: String::new(),
            act: Answer::Yes,
            answers: BTreeMap::from([(
                "exploitative_conditions/excessive working days or hours".into(),
                Answer::Yes,
            )]),
            checklists: Some(("unodc-trafficking-indicators".into(), 1)),
            need_safety: true,
            need_medical: false,
            need_shelter_tonight: false,
            needs_details: "Threatened yesterday".into(),
            consent: "refused".into(),
            consent_language: "bulgare".into(),
            consent_interpreter: "yes".into(),
            consent_explained_by: "Officer Martin".into(),
            consent_date: "2026-11-20".into(),
        }
    }

    #[test]
    fn anonymised_keeps_no_free_text() {
        let anonymous = full().anonymised();
        let json = serde_json::to_string(&anonymous).unwrap();
        for identifying in [
            "Petrova",
            "Anna",
            "Ania",
            "1999",
            "Lille",
            "farm",
            "Threatened",
            "Martin",
            "bulgare",
        ] {
            assert!(!json.contains(identifying), "{identifying} kept in {json}");
        }
        assert_eq!(anonymous.nationality, "BGR");
        assert_eq!(anonymous.forms, vec!["sexual", "labour"]);
        assert_eq!(anonymous.departement, "59");
        assert!(anonymous.need_safety);
        assert_eq!(anonymous.answers.len(), 1);
        assert_eq!(
            anonymous.checklists,
            full().checklists,
            "the answers keep their catalogue"
        );
    }

    #[test]
    fn children_are_never_refusals() {
        let mut child = full();
        child.age = "disputed".into();
        assert!(child.is_child());
        assert!(!child.consent_refused());
        assert!(full().consent_refused());
    }

    #[test]
    fn statistical_fields_parse_codes() {
        let stats = full().statistical();
        assert_eq!(stats.departement.map(|d| d.code()), Some("59"));
        assert_eq!(stats.age, Some(AgeStatus::Adult));
        assert_eq!(stats.forms, vec![ExploitationForm::Sexual, ExploitationForm::Labour]);
        assert!(stats.urgent);
    }
}
