//! `relais observatory table`: the published two-way table of a microdata file.

use std::process::{Command, Output};

use super::stdout;

fn table(file: &std::path::Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_relais"))
        .args(["observatory", "table"])
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

/// One line per person: département (with leading zeros and Corsica), sex, an id.
fn microdata(dir: &std::path::Path) -> std::path::PathBuf {
    let mut lines = vec!["id,departement,sexe".to_owned()];
    let groups = [
        ("06", "F", 3),
        ("06", "M", 20),
        ("2A", "F", 12),
        ("2A", "M", 15),
        ("75", "F", 9),
        ("75", "M", 50),
    ];
    for (dep, sex, n) in groups {
        for _ in 0..n {
            lines.push(format!("{},{dep},{sex}", lines.len()));
        }
    }
    lines.push(format!("{},,F", lines.len()));
    let path = dir.join("people.csv");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn the_table_hides_the_small_cell_and_enough_others() {
    let dir = tempfile::tempdir().unwrap();
    let file = microdata(dir.path());
    let output = table(&file, &["--rows", "departement", "--cols", "sexe"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 line(s)"));
    // 3 is under 5; the cheapest cycle through it hides 20, 15 and 12 (47 people).
    assert_eq!(
        stdout(&output),
        "departement,F,M,total\n06,<5,x,23\n2A,x,x,27\n75,9,50,59\ntotal,24,85,109\n"
    );

    let none = table(&file, &["--rows", "departement", "--cols", "sexe", "--threshold", "1"]);
    assert_eq!(
        stdout(&none),
        "departement,F,M,total\n06,3,20,23\n2A,12,15,27\n75,9,50,59\ntotal,24,85,109\n"
    );

    let json = table(&file, &["--rows", "sexe", "--cols", "departement", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["columns"], serde_json::json!(["06", "2A", "75", "total"]));
    assert_eq!(value["table"][0]["category"], "F");
    assert_eq!(value["table"][0]["cells"][0], "<5");
    assert_eq!(value["table"][2]["cells"][3], 109);
    assert_eq!(value["suppressed"]["primary"], 1);
}

#[test]
fn a_missing_column_or_file_exits_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = microdata(dir.path());
    let output = table(&file, &["--rows", "departement", "--cols", "age"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("\"age\"") && message.contains("id, departement, sexe"),
        "{message}"
    );
    assert!(output.stdout.is_empty());
    let missing = table(&dir.path().join("absent.csv"), &["--rows", "a", "--cols", "b"]);
    assert_eq!(missing.status.code(), Some(2));
}
