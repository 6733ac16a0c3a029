//! A de-identified extract in the style of the Counter-Trafficking Data Collaborative's
//! global dataset (codebook v2): one line per victim, under the codebook's variable names,
//! only the variables Relais can fill honestly. Binary variables are `1` or empty (empty is
//! "not recorded", never "no").
//!
//! The quasi-identifiers — [`QUASI_IDENTIFIERS`] — are made k-anonymous ([`anonymity`]) and
//! the result is checked before a line is written; the lines are sorted by their values, so
//! their order says nothing of when a case was opened.
//!
//! The forms of exploitation map to CTDC's types as its dataset counts them: forced labour
//! includes domestic work (`typeOfLabourDomesticWork`), begging and illicit activities; forced
//! marriage, organ removal, illegal adoption, surrogacy and other forms are `isOtherExploit`.

use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::observatory::age_band::AgeBroad;
use relais_store::observatory::exports::VictimFacts;

use super::anonymity::{self, AnonymityError, Checked, Key};
use super::csv_text;

/// The extract's columns, in the codebook's names.
pub const VARIABLES: [&str; 8] = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourDomesticWork",
];

/// The variables someone who knows a victim could know too: the first columns.
pub const QUASI_IDENTIFIERS: [&str; 4] = ["yearOfRegistration", "gender", "ageBroad", "citizenship"];

/// The default k: the disclosure policy's threshold.
pub const DEFAULT_K: usize = relais_stats::DEFAULT_MIN_GROUP;

/// One line of the extract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Line {
    /// The quasi-identifiers, as [`QUASI_IDENTIFIERS`].
    pub key: Key,
    /// isForcedLabour, isSexualExploit, isOtherExploit, typeOfLabourDomesticWork.
    pub flags: [bool; 4],
}

fn gender(sex: Option<Sex>) -> Option<&'static str> {
    match sex? {
        Sex::Female => Some("Woman"),
        Sex::Male => Some("Man"),
        Sex::Other => Some("Trans/Transgender/NonConforming"),
        Sex::Unknown => None,
    }
}

fn flags(forms: &[ExploitationForm]) -> [bool; 4] {
    use ExploitationForm::*;
    let any = |set: &[ExploitationForm]| forms.iter().any(|f| set.contains(f));
    [
        any(&[Labour, DomesticServitude, ForcedBegging, ForcedCriminality]),
        any(&[Sexual]),
        any(&[OrganRemoval, ForcedMarriage, IllegalAdoption, Surrogacy, Other]),
        any(&[DomesticServitude]),
    ]
}

/// The extract of `people` with its quasi-identifiers k-anonymous and checked. The year is
/// never emptied: an extract is of one year, so every line shares it.
pub fn extract(people: &[VictimFacts], k: usize) -> Result<Checked<Line>, AnonymityError> {
    let keys: Vec<Key> = people
        .iter()
        .map(|p| {
            vec![
                Some(p.year.to_string()),
                gender(p.sex).map(str::to_owned),
                p.age.map(|a| a.label().to_owned()),
                p.nationality.clone(),
            ]
        })
        .collect();
    let keys = anonymity::anonymise(&keys, k, &[0])?;
    let mut lines: Vec<Line> = keys
        .into_iter()
        .zip(people)
        .map(|(key, p)| Line {
            key,
            flags: flags(&p.forms),
        })
        .collect();
    lines.sort();
    anonymity::check(lines, k, |line| line.key.clone())
}

/// The extract's Table Schema descriptor: the codebook's values, binary variables `1` or empty
/// (`make test` has frictionless validate the demo's extract against it).
pub fn schema() -> serde_json::Value {
    let ages: Vec<&str> = AgeBroad::ALL.iter().map(|a| a.label()).collect();
    let genders: Vec<&str> = [Sex::Female, Sex::Male, Sex::Other]
        .into_iter()
        .filter_map(|s| gender(Some(s)))
        .collect();
    let binary = |name: &str| serde_json::json!({"name": name, "type": "integer", "constraints": {"enum": [1]}});
    serde_json::json!({
        "fields": [
            {"name": "yearOfRegistration", "type": "year", "constraints": {"required": true}},
            {"name": "gender", "type": "string", "constraints": {"enum": genders}},
            {"name": "ageBroad", "type": "string", "constraints": {"enum": ages}},
            {"name": "citizenship", "type": "string", "constraints": {"pattern": "[A-Z]{3}"}},
            binary("isForcedLabour"),
            binary("isSexualExploit"),
            binary("isOtherExploit"),
            binary("typeOfLabourDomesticWork")
        ],
        "missingValues": [""]
    })
}

/// The checked extract as CSV.
pub fn to_csv(extract: &Checked<Line>) -> Result<String, csv::Error> {
    let lines = extract.lines().iter().map(|line| {
        let mut cells: Vec<String> = line.key.iter().map(|v| v.clone().unwrap_or_default()).collect();
        cells.extend(line.flags.iter().map(|&f| if f { "1" } else { "" }.to_owned()));
        cells
    });
    csv_text(&VARIABLES, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(sex: Sex, age: Option<AgeBroad>, nationality: &str, forms: &[ExploitationForm]) -> VictimFacts {
        VictimFacts {
            year: 2026,
            sex: Some(sex),
            age,
            nationality: (!nationality.is_empty()).then(|| nationality.to_owned()),
            forms: forms.to_vec(),
        }
    }

    #[test]
    fn variables_take_the_codebooks_values() {
        use ExploitationForm::*;
        assert_eq!(flags(&[DomesticServitude]), [true, false, false, true]);
        assert_eq!(flags(&[Sexual, ForcedMarriage]), [false, true, true, false]);
        assert_eq!(flags(&[]), [false; 4]);
        assert_eq!(gender(Some(Sex::Other)), Some("Trans/Transgender/NonConforming"));
        assert_eq!(gender(Some(Sex::Unknown)), None);
        let people = vec![person(Sex::Female, Some(AgeBroad::From18To20), "NGA", &[Sexual]); 2];
        let csv = to_csv(&extract(&people, 2).unwrap()).unwrap();
        assert_eq!(
            csv,
            "yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourDomesticWork\n\
             2026,Woman,18--20,NGA,,1,,\n2026,Woman,18--20,NGA,,1,,\n"
        );
    }

    #[test]
    fn a_rare_person_is_not_told_apart() {
        use ExploitationForm::*;
        let mut people = vec![person(Sex::Female, Some(AgeBroad::From18To20), "NGA", &[Sexual]); 5];
        people.extend(vec![person(Sex::Male, Some(AgeBroad::From30To38), "ROU", &[Labour]); 5]);
        people.push(person(Sex::Male, Some(AgeBroad::From9To17), "ISL", &[ForcedBegging]));
        let checked = extract(&people, 5).unwrap();
        assert_eq!(checked.k(), 5);
        let csv = to_csv(&checked).unwrap();
        assert!(!csv.contains("ISL") && !csv.contains("9--17"), "{csv}");
        assert_eq!(csv.lines().count(), 12, "every victim has a line");
        assert_eq!(extract(&people[..3], 5), Err(AnonymityError::TooFew { lines: 3, k: 5 }));
    }
}
