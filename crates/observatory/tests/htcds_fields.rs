//! The HTCDS export writes only HTCDS v2.0 field names ("Field Name including Prefix" of the
//! standard's field sheet, copied under `tests/data` with its attribution), and picklist
//! values from the field's "Value Names" where the standard gives them.

#![allow(clippy::expect_used, clippy::panic, reason = "tests may fail loudly")]

use std::collections::HashMap;

use relais_domain::casework::case_status::Status;
use relais_domain::intake::referral::{ExploitationForm, Sex};
use relais_domain::time::Date;
use relais_observatory::exports::htcds;
use relais_store::observatory::exports::CaseRecord;
use serde_json::Value;

/// Field name → its picklist value names (empty when not a picklist of names).
fn fields() -> HashMap<String, Vec<String>> {
    let text = include_str!("data/htcds-v2.0-fields.tsv");
    let mut lines = text.lines().skip_while(|l| !l.starts_with("Section\t"));
    let header: Vec<&str> = lines.next().expect("the header line").split('\t').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (field, values, kind) = (
        at("Field Name including Prefix"),
        at("Value Names (if picklist)"),
        at("Field Type"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|cells| cells.len() > field && cells[field].contains('_'))
        .map(|cells| {
            let picklist = cells[kind].contains("Picklist") && !cells[values].contains("ISO");
            let names = if picklist {
                cells[values]
                    .split(" / ")
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            (cells[field].to_owned(), names)
        })
        .collect()
}

fn records() -> Vec<CaseRecord> {
    let full = CaseRecord {
        given_names: "Ada".into(),
        family_name: "Exemple".into(),
        birth_date: "2001-04-09".into(),
        sex: Some(Sex::Female),
        nationality: Some("NGA".into()),
        languages: "bin, eng".into(),
        forms: ExploitationForm::ALL.to_vec(),
        status: Status::Closed,
        formal: Some(Status::Identified),
        referring_organisation: Some("Association Exemple".into()),
        opened_on: Date {
            year: 2026,
            month: 2,
            day: 3,
        },
    };
    let mut records = vec![full.clone()];
    for (sex, status, formal) in [
        (Sex::Male, Status::Reflection, None),
        (Sex::Other, Status::Closed, Some(Status::NotIdentified)),
        (Sex::Unknown, Status::NegativePreliminary, None),
    ] {
        records.push(CaseRecord {
            sex: Some(sex),
            status,
            formal,
            ..full.clone()
        });
    }
    records
}

#[test]
fn every_key_is_an_htcds_field_and_every_picklist_value_one_of_its_names() {
    let fields = fields();
    assert!(fields.contains_key("prs_Gender") && fields.contains_key("cas_Status"));
    for record in records() {
        let Value::Object(object) = htcds::case(&record) else {
            panic!("an object")
        };
        assert!(object.len() >= 12);
        for (key, value) in &object {
            let names = fields
                .get(key)
                .unwrap_or_else(|| panic!("{key} is not an HTCDS v2.0 field"));
            if names.is_empty() {
                continue;
            }
            let written: Vec<&str> = match value {
                Value::Array(values) => values.iter().filter_map(Value::as_str).collect(),
                other => other.as_str().into_iter().collect(),
            };
            for w in written {
                assert!(names.iter().any(|n| n == w), "{key}: {w} is not one of {names:?}");
            }
        }
    }
}
