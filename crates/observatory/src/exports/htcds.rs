//! One case as IOM's Human Trafficking Case Data Standard v2.0 fields (CC BY 4.0, © IOM): a
//! JSON object keyed by each field's name with its prefix (`prs_` the person, `vic_` the
//! person as a victim, `cas_` the case and its referral), values in HTCDS's picklist value
//! names where it has a picklist, several values as an array. Fields Relais does not hold are
//! left out rather than written empty.
//!
//! HTCDS has no "forced criminality" type of exploitation: it is written `Other`.

use relais_domain::casework::case_status::Status;
use relais_domain::intake::person_match::BirthDate;
use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::reference::{iso_639_1, language_codes};
use relais_store::observatory::exports::CaseRecord;
use serde_json::{Map, Value, json};

fn gender(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "Feminine",
        Sex::Male => "Masculine",
        Sex::Other => "NonConforming",
        Sex::Unknown => "NonSpecifiedUnknown",
    }
}

fn exploitation(form: ExploitationForm) -> &'static str {
    match form {
        ExploitationForm::Sexual => "SexualExploitation",
        ExploitationForm::Labour => "ForcedLabour",
        ExploitationForm::DomesticServitude => "Servitude",
        ExploitationForm::ForcedBegging => "ForcedBegging",
        ExploitationForm::OrganRemoval => "OrganRemoval",
        ExploitationForm::ForcedMarriage => "ForcedMarriage",
        ExploitationForm::IllegalAdoption => "ForcedAdoption",
        ExploitationForm::Surrogacy => "Surrogacy",
        ExploitationForm::ForcedCriminality | ExploitationForm::Other => "Other",
    }
}

/// HTCDS's trafficking status from the formal decision in force, or the preliminary one.
fn trafficking_status(status: Status, formal: Option<Status>) -> &'static str {
    match formal.unwrap_or(status) {
        Status::Identified => "ActualVictimOfTrafficking",
        Status::NotIdentified | Status::NegativePreliminary => "NotAVictimOfTrafficking",
        _ => "PossibleVictimOfTrafficking",
    }
}

/// The case's fields.
pub fn case(record: &CaseRecord) -> Value {
    let mut fields = Map::new();
    let mut put = |name: &str, value: Value| {
        fields.insert(name.to_owned(), value);
    };
    if !record.given_names.is_empty() {
        put("prs_FirstName", json!(record.given_names));
    }
    if !record.family_name.is_empty() {
        put("prs_SecondName", json!(record.family_name));
    }
    // A date field takes a whole date; a birth year alone is not one.
    if let Ok(BirthDate::Full(y, m, d)) = BirthDate::parse(&record.birth_date) {
        put("prs_Birthdate", json!(format!("{y:04}-{m:02}-{d:02}")));
    }
    if let Some(sex) = record.sex {
        put("prs_Gender", json!(gender(sex)));
    }
    if let Some(nationality) = &record.nationality {
        put("prs_Citizenship", json!([nationality]));
    }
    let languages: Vec<&str> = language_codes(&record.languages)
        .into_iter()
        .map(|code| iso_639_1(code).unwrap_or(code))
        .collect();
    for (name, language) in ["prs_PrimaryLanguage", "prs_SecondaryLanguage"].iter().zip(&languages) {
        put(name, json!(language));
    }
    let status = trafficking_status(record.status, record.formal);
    put("vic_TraffickingStatus", json!(status));
    if status != "PossibleVictimOfTrafficking" {
        // The decision is the identification authority's, a government body that is not the police.
        put(
            "vic_TraffickingStatusDecisionMakingOrg",
            json!("NonPoliceGovernmentalOrganization"),
        );
    }
    if !record.forms.is_empty() {
        let mut types: Vec<&str> = Vec::new();
        for name in record.forms.iter().map(|&f| exploitation(f)) {
            if !types.contains(&name) {
                types.push(name);
            }
        }
        put("vic_TypeOfExploitation", json!(types));
    }
    put(
        "cas_Status",
        json!(if record.status == Status::Closed {
            "Closed"
        } else {
            "Active"
        }),
    );
    if let Some(organisation) = &record.referring_organisation {
        put("cas_ReferringOrganisation", json!(organisation));
    }
    put("cas_IncomingReferralDate", json!(record.opened_on.to_string()));
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_domain::time::Date;

    fn record() -> CaseRecord {
        CaseRecord {
            given_names: "Ada".into(),
            family_name: "Exemple".into(),
            birth_date: "2001-04-09".into(),
            sex: Some(Sex::Female),
            nationality: Some("NGA".into()),
            languages: "bin, eng".into(),
            forms: vec![
                ExploitationForm::Sexual,
                ExploitationForm::ForcedCriminality,
                ExploitationForm::Other,
            ],
            status: Status::Support,
            formal: Some(Status::Identified),
            referring_organisation: Some("Association Exemple".into()),
            opened_on: Date {
                year: 2026,
                month: 2,
                day: 3,
            },
        }
    }

    #[test]
    fn values_are_htcds_picklist_names() {
        let value = case(&record());
        assert_eq!(value["prs_Gender"], "Feminine");
        assert_eq!(value["prs_Birthdate"], "2001-04-09");
        assert_eq!(value["prs_Citizenship"], json!(["NGA"]));
        assert_eq!(
            value["prs_PrimaryLanguage"], "bin",
            "no two-letter code: the three-letter one"
        );
        assert_eq!(value["prs_SecondaryLanguage"], "en");
        assert_eq!(value["vic_TraffickingStatus"], "ActualVictimOfTrafficking");
        assert_eq!(value["vic_TypeOfExploitation"], json!(["SexualExploitation", "Other"]));
        assert_eq!(value["cas_Status"], "Active");
        assert_eq!(value["cas_IncomingReferralDate"], "2026-02-03");
        let mut waiting = record();
        waiting.formal = None;
        waiting.status = Status::Reflection;
        waiting.birth_date = "2001".into();
        let value = case(&waiting);
        assert_eq!(value["vic_TraffickingStatus"], "PossibleVictimOfTrafficking");
        assert!(value.get("vic_TraffickingStatusDecisionMakingOrg").is_none());
        assert!(value.get("prs_Birthdate").is_none(), "a year is not a date");
        assert_eq!(
            trafficking_status(Status::Closed, Some(Status::NotIdentified)),
            "NotAVictimOfTrafficking"
        );
    }
}
