//! `relais screening evaluate` end to end: the JSON contract integrations rely on.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

use std::process::{Command, Output};

use serde_json::{Value, json};

const DELPHI: &str = "ilo-ec-delphi-2009-labour";

fn evaluate(catalogue: &str, sheet: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sheet.json");
    std::fs::write(&file, sheet).unwrap();
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["screening", "evaluate", "--catalogue", catalogue])
        .arg(&file)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn report(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn failure(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn observation(dimension: &str, indicator: &str, answer: &str) -> Value {
    json!({"dimension": dimension, "indicator": indicator, "answer": answer})
}

#[test]
fn adult_vignette_gives_a_presumption_with_its_reasons() {
    let sheet = json!({
        "profile": "adult",
        "act": "yes",
        "observations": [
            observation("deceptive_recruitment", "Deceived about the nature of the job, location or employer", "yes"),
            observation("deceptive_recruitment", "deceived about wages/earnings", "yes"),
            observation("exploitative_conditions", "Excessive working days or hours", "yes"),
            observation("exploitative_conditions", "Low or no salary", "yes"),
            observation("coercion_at_destination", "Confiscation of documents", "yes"),
            observation("coercion_at_destination", "Debt bondage", "yes"),
            observation("coercion_at_destination", "Violence on victims", "no"),
        ],
    });
    let report = report(&evaluate(DELPHI, &sheet.to_string()));
    assert_eq!(
        report["notice"],
        "presumption supporting a referral — not an identification"
    );
    assert_eq!(report["catalogue"], json!({"id": DELPHI, "version": 2}));
    assert_eq!(report["profile"], "adult");
    assert_eq!(report["overall"], "presumption");
    let dimensions = report["dimensions"].as_object().unwrap();
    assert_eq!(dimensions.len(), 6);
    let deceptive = &dimensions["deceptive_recruitment"];
    assert_eq!(deceptive["result"], "positive");
    assert_eq!(deceptive["clause"], "one_strong_one_medium_or_weak");
    let labels: Vec<&str> = deceptive["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Deceived about the nature of the job, location or employer",
            "Deceived about wages/earnings"
        ]
    );
    let salary = &dimensions["exploitative_conditions"]["indicators"][1];
    assert_eq!(salary["strength"], "medium");
    assert_eq!(salary["status"], "disputed");
    assert_eq!(dimensions["coercion_at_destination"]["clause"], "two_strong");
    // Unanswered is unknown: the other dimensions cannot be decided, and do not need to be.
    let coercive = &dimensions["coercive_recruitment"];
    assert_eq!(coercive["result"], "insufficient");
    assert_eq!(coercive["clause"], Value::Null);
    assert_eq!(coercive["could_tip"].as_array().unwrap().len(), 10);
    assert_eq!(report["checked"].as_array().unwrap().len(), 6);
}

#[test]
fn child_vignette_needs_no_means() {
    let sheet = json!({
        "profile": "child",
        "act": "yes",
        "observations": [
            observation("exploitative_conditions", "Excessive working days or hours", "yes"),
            observation("exploitative_conditions", "Hazardous work", "yes"),
        ],
    });
    let report = report(&evaluate(DELPHI, &sheet.to_string()));
    assert_eq!(report["overall"], "presumption");
    assert_eq!(report["dimensions"]["exploitative_conditions"]["result"], "positive");
    assert_eq!(
        report["dimensions"]["coercion_at_destination"]["result"],
        "insufficient"
    );

    let unknown_act = json!({"profile": "child", "observations": sheet["observations"]});
    assert_eq!(report_of(&unknown_act)["overall"], "insufficient");
    let no_act = json!({"profile": "child", "act": "no", "observations": sheet["observations"]});
    assert_eq!(report_of(&no_act)["overall"], "insufficient");
}

fn report_of(sheet: &Value) -> Value {
    report(&evaluate(DELPHI, &sheet.to_string()))
}

#[test]
fn nothing_observed_is_insufficient_not_negative() {
    let report = report_of(&json!({"profile": "adult", "observations": []}));
    assert_eq!(report["overall"], "insufficient");
    assert_eq!(report["act"], "unknown");
}

#[test]
fn a_checklist_lists_the_indicators_observed() {
    let sheet = json!({"observations": [
        {"indicator": "Debt bondage", "answer": "yes"},
        {"indicator": "Isolation", "answer": "no"},
    ]});
    let report = report(&evaluate("ilo-forced-labour-2012", &sheet.to_string()));
    assert_eq!(report["overall"], "not_applicable");
    assert_eq!(report["dimensions"], json!({}));
    assert_eq!(report["checked"][0]["indicator"], "Debt bondage");
    assert_eq!(
        report["notice"],
        "presumption supporting a referral — not an identification"
    );
}

#[test]
fn unknown_names_exit_2_naming_them() {
    let unknown_label = json!({"profile": "adult", "observations": [
        observation("coercion_at_destination", "Confiscation of passports", "yes"),
    ]});
    let message = failure(&evaluate(DELPHI, &unknown_label.to_string()));
    assert!(message.contains("`Confiscation of passports`"), "{message}");
    assert!(message.contains("`coercion_at_destination`"), "{message}");

    let unknown_key = json!({"profile": "adult", "observations": [
        observation("coercion", "Confiscation of documents", "yes"),
    ]});
    let message = failure(&evaluate(DELPHI, &unknown_key.to_string()));
    assert!(message.contains("no dimension `coercion`"), "{message}");

    let child_only_in_adult = json!({"profile": "child", "observations": [
        observation("exploitative_conditions", "No social protection (contract, social insurance, etc.)", "yes"),
    ]});
    let message = failure(&evaluate(DELPHI, &child_only_in_adult.to_string()));
    assert!(message.contains("set `child` has no indicator"), "{message}");

    let message = failure(&evaluate(DELPHI, r#"{"profile": "elderly", "observations": []}"#));
    assert!(
        message.contains("unknown profile `elderly` (expected adult or child)"),
        "{message}"
    );

    let message = failure(&evaluate("delphi", r#"{"profile": "adult"}"#));
    assert!(message.contains("unknown catalogue `delphi`"), "{message}");
    assert!(message.contains(DELPHI), "{message}");

    let message = failure(&evaluate(DELPHI, r#"{"profile": "adult", "act": "maybe"}"#));
    assert!(message.contains("maybe"), "{message}");

    let message = failure(&evaluate(DELPHI, "{\"profile\": \"adult\",\n \"observations\": [\n"));
    assert!(message.contains("line 3"), "{message}");
}
