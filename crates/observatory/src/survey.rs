//! The associations' annual survey as one of the observatory's sources
//! (issue 14, parts 3 and 5): every profile of every sent questionnaire,
//! one line per person under a keyed pseudonym with the campaign's data
//! year, written by Relais and imported like any file, so that its figures
//! go through the same checks, versions and disclosure policy as the others.
//! Refreshed when a questionnaire is sent.

use crate::sources::ImportError;
use crate::written_source::{self, Refreshed, Written};
use relais_domain::observatory::source::RawDefinition;
use relais_domain::observatory::survey::{FORMS, Profile};
use relais_store::Tx;
use relais_store::observatory::survey::{self as store, SurveyRecord};

/// The source's code.
pub const CODE: &str = "enquete-associations";

/// The form column's value for a person exploited in several forms.
const SEVERAL: &str = "multiple";

/// The yes/no questions, as the file's columns.
const YES_NO: [(&str, &str, &str); 10] = [
    ("minor_at_start", "mineur_debut", "Mineure au début de l’exploitation"),
    ("network", "reseau", "Exploitation par un réseau"),
    (
        "exploiter_family",
        "exploiteur_famille",
        "Exploiteur de la famille ou partenaire",
    ),
    ("housed_by_exploiter", "heberge_exploiteur", "Hébergée par l’exploiteur"),
    ("complaint", "plainte", "Plainte déposée"),
    ("residence_permit", "titre_sejour", "Titre de séjour obtenu ou demandé"),
    ("care", "soins", "Orientée vers des soins"),
    ("housing", "hebergement", "Orientée vers un hébergement"),
    ("unaccompanied_minor", "mna", "Mineur non accompagné"),
    ("exploited_in", "lieu", "Lieu d’exploitation"),
];

fn quoted(values: impl IntoIterator<Item = &'static str>) -> String {
    let list: Vec<String> = values.into_iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", list.join(", "))
}

/// The source's Table Schema descriptor.
pub fn schema() -> String {
    let forms = quoted(FORMS.iter().map(|f| f.key()).chain([SEVERAL]));
    let mut fields = vec![
        r#"{"name": "pseudonyme", "type": "string", "title": "Pseudonyme du profil (clé du serveur)", "constraints": {"required": true, "pattern": "[0-9a-f]{64}"}}"#.to_owned(),
        r#"{"name": "annee", "type": "year", "title": "Année de données", "constraints": {"required": true, "minimum": 2016, "maximum": 2100}}"#.to_owned(),
        r#"{"name": "relation", "type": "string", "title": "Accompagnée ou détectée", "constraints": {"required": true, "enum": ["accompanied", "detected"]}}"#.to_owned(),
        format!(r#"{{"name": "forme", "type": "string", "title": "Forme d’exploitation", "constraints": {{"required": true, "enum": {forms}}}}}"#),
        r#"{"name": "sexe", "type": "string", "title": "Sexe", "constraints": {"enum": ["F", "M", "autre"]}}"#.to_owned(),
        r#"{"name": "tranche_age", "type": "string", "title": "Âge au moment de l’enquête", "constraints": {"enum": ["under-18", "18-24", "25-34", "35-44", "45-plus"]}}"#.to_owned(),
        r#"{"name": "nationalite", "type": "string", "title": "Nationalité (ISO 3166 alpha-3)", "constraints": {"pattern": "[A-Z]{3}"}}"#.to_owned(),
    ];
    for (key, column, title) in YES_NO {
        let values = if key == "exploited_in" {
            r#"["france", "abroad-only"]"#
        } else {
            r#"["yes", "no"]"#
        };
        fields.push(format!(
            r#"{{"name": "{column}", "type": "string", "title": "{title}", "constraints": {{"enum": {values}}}}}"#
        ));
    }
    format!(
        "{{\n  \"fields\": [\n    {}\n  ],\n  \"missingValues\": [\"\"]\n}}",
        fields.join(",\n    ")
    )
}

/// The source's definitions.
pub fn definition() -> RawDefinition {
    let text = |s: &str| s.to_owned();
    RawDefinition {
        code: text(CODE),
        name: text("Enquête annuelle auprès des associations (profils)"),
        producer: text("Associations répondant à l’enquête, recueil par l’observatoire dans Relais"),
        unit: text("person-followed"),
        data_kind: text("records"),
        counting_rule: text(
            "Un profil par personne détectée ou accompagnée par une association dans l’année de données, \
             tel que l’association l’a envoyé. Une personne suivie par deux associations a deux profils.",
        ),
        period: text("Depuis la première campagne en ligne"),
        territory: text("France entière"),
        contact: text("L’équipe de l’observatoire"),
        quality_notes: text(
            "Réponses codées, sans nom ni texte libre ; « inconnu » laissé vide. Seuls les questionnaires \
             envoyés sont comptés. Plusieurs formes d’exploitation : « multiple ».",
        ),
    }
}

fn known(answer: &str) -> &str {
    if answer == "unknown" { "" } else { answer }
}

fn line(record: &SurveyRecord) -> String {
    let p: &Profile = &record.profile;
    let form = match p.forms.as_slice() {
        [one] => one.as_str(),
        _ => SEVERAL,
    };
    let sex = match p.answer("sex") {
        "female" => "F",
        "male" => "M",
        "other" => "autre",
        _ => "",
    };
    let nationality = known(&p.nationality);
    let mut cells = vec![
        record.pseudonym.clone(),
        record.year.to_string(),
        p.answer("relation").to_owned(),
        form.to_owned(),
        sex.to_owned(),
        known(p.answer("age_group")).to_owned(),
        nationality.to_owned(),
    ];
    cells.extend(YES_NO.iter().map(|(key, _, _)| known(p.answer(key)).to_owned()));
    cells.join(",")
}

/// One CSV line per profile, in the schema's order.
pub fn csv(records: &[SurveyRecord]) -> String {
    let header = [
        "pseudonyme",
        "annee",
        "relation",
        "forme",
        "sexe",
        "tranche_age",
        "nationalite",
    ]
    .into_iter()
    .chain(YES_NO.iter().map(|(_, column, _)| *column))
    .collect::<Vec<_>>()
    .join(",");
    let mut lines = vec![header];
    lines.extend(records.iter().map(line));
    lines.join("\n") + "\n"
}

/// Writes the sent profiles' file and imports it as the source's next
/// version, creating the source the first time; the caller commits.
pub async fn refresh(tx: &mut Tx) -> Result<Refreshed, ImportError> {
    let records = store::records(tx).await?;
    // A file needs a line: until a sent questionnaire has a profile there is nothing to import.
    if records.is_empty() {
        return Ok(Refreshed::Unchanged);
    }
    let file = csv(&records);
    let written = Written {
        code: CODE,
        definition: definition(),
        schema: schema(),
        file: &file,
        file_name: "enquete-associations.csv",
        note: "Actualisation à l’envoi d’un questionnaire de l’enquête annuelle.",
    };
    written_source::refresh(tx, &written).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{self, Schema};
    use std::collections::BTreeMap;

    fn record(forms: &[&str], sex: &str, nationality: &str) -> SurveyRecord {
        let mut answers: BTreeMap<String, String> = relais_domain::observatory::survey::QUESTIONS
            .iter()
            .map(|q| (q.key.to_owned(), "unknown".to_owned()))
            .collect();
        answers.insert("relation".into(), "accompanied".into());
        answers.insert("sex".into(), sex.into());
        answers.insert("network".into(), "yes".into());
        SurveyRecord {
            pseudonym: "cd".repeat(32),
            year: 2025,
            profile: Profile {
                answers,
                nationality: nationality.into(),
                forms: forms.iter().map(|f| (*f).to_owned()).collect(),
            },
        }
    }

    #[test]
    fn the_file_follows_the_schema_and_leaves_the_unknown_empty() {
        let records = [
            record(&["sexual"], "female", "NGA"),
            record(&["labour", "sexual"], "unknown", "unknown"),
        ];
        let file = csv(&records);
        let schema = Schema::parse(&schema()).unwrap();
        let rows = import::prepare(&schema, file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(file.contains(",2025,accompanied,sexual,F,,NGA,,yes,"), "{file}");
        assert!(file.contains(",2025,accompanied,multiple,,,,,yes,"), "{file}");
        assert!(definition().check().is_ok());
    }
}
