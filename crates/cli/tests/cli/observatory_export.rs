//! `relais observatory export eurostat|ctdc`: an empty year, a k the year cannot meet, and the
//! demo's history written as the partners' files, each audited.

use super::{Env, stdout};
use relais_domain::time::{Date, Timestamp, Zone};
use std::collections::HashMap;

const CTDC_HEADER: &str = "yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourDomesticWork";
const EUROSTAT_HEADER: &str = "FREQ,UNIT,SEX,AGE,CITIZEN,EXPLOIT,GEO,TIME_PERIOD,OBS_VALUE,OBS_FLAG";

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub async fn export_a_year(postgres: bool) {
    let env = Env::new(postgres).await;
    assert!(stdout(&env.run(&["observatory", "--help"])).contains("export"));
    let help = stdout(&env.run(&["observatory", "export", "--help"]));
    for word in ["eurostat", "ctdc", "--year", "--k", "--out", "--schema"] {
        assert!(help.contains(word), "{word}: {help}");
    }
    let migrated = env.run(&["migrate"]);
    assert!(migrated.status.success(), "{}", stderr(&migrated));

    // A year with no data: the Eurostat table counts zeros, the extract has no line.
    let eurostat = env.run(&["observatory", "export", "eurostat", "--year", "2020"]);
    assert_eq!(eurostat.status.code(), Some(0), "{}", stderr(&eurostat));
    let text = stdout(&eurostat);
    assert_eq!(text.lines().next(), Some(EUROSTAT_HEADER));
    assert!(text.lines().count() > 1);
    assert!(
        text.lines().skip(1).all(|l| l.ends_with(",FR,2020,0,")),
        "nobody, and no figure hidden: {text}"
    );
    let ctdc = env.run(&["observatory", "export", "ctdc", "--year", "2020"]);
    assert_eq!(ctdc.status.code(), Some(0), "{}", stderr(&ctdc));
    assert_eq!(stdout(&ctdc), format!("{CTDC_HEADER}\n"));

    let bad_k = env.run(&["observatory", "export", "ctdc", "--year", "2020", "--k", "1"]);
    assert_eq!(bad_k.status.code(), Some(2));
    assert!(stderr(&bad_k).contains("--k must be at least 2"), "{}", stderr(&bad_k));
    let bad_year = env.run(&["observatory", "export", "eurostat", "--year", "1990"]);
    assert_eq!(bad_year.status.code(), Some(2));
    assert!(stderr(&bad_year).contains("--year must be between 2000 and 2100"));

    // The demo's history: last year's cases, as one extract.
    let seeded = env.run(&["demo", "seed"]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    // The year before the demo's latest case: a whole year of its history.
    let store = env.store().await;
    let latest = relais_store::testing::texts(&store, "SELECT CAST(MAX(opened_at) AS TEXT) FROM cases")
        .await
        .unwrap()
        .remove(0);
    let latest = Timestamp(latest.parse().unwrap());
    let year = (Date::local(latest, &Zone::paris()).year - 1).to_string();
    let refused = env.run(&["observatory", "export", "ctdc", "--year", &year, "--k", "100000"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stdout(&refused).is_empty(), "nothing written");
    assert!(
        stderr(&refused).contains("No extract written: the extract holds")
            && stderr(&refused).contains("fewer than k = 100000"),
        "{}",
        stderr(&refused)
    );

    let file = env.dir.path().join("ctdc.csv");
    let schema = env.dir.path().join("ctdc.schema.json");
    let written = env.run(&[
        "observatory",
        "export",
        "ctdc",
        "--year",
        &year,
        "--out",
        file.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
    ]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert!(stdout(&written).is_empty(), "the file, not the terminal");
    let csv = std::fs::read_to_string(&file).unwrap();
    assert_eq!(csv.lines().next(), Some(CTDC_HEADER));
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap();
    let names: Vec<&str> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.join(","),
        CTDC_HEADER,
        "the descriptor describes the file's columns"
    );
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert!(lines.len() >= 5, "the demo opens cases every year: {csv}");
    let mut classes: HashMap<String, usize> = HashMap::new();
    for line in &lines {
        assert!(line.starts_with(&format!("{year},")), "{line}");
        let key: Vec<&str> = line.split(',').take(4).collect();
        *classes.entry(key.join(",")).or_default() += 1;
    }
    assert!(classes.values().all(|&n| n >= 5), "{classes:?}");

    let audited = relais_store::testing::texts(
        &store,
        "SELECT reason FROM audit_log WHERE action LIKE 'observatory.export-%' ORDER BY seq",
    )
    .await
    .unwrap();
    assert_eq!(
        audited,
        vec![
            "2020".to_owned(),
            "2020: 0 lines, k = 5".to_owned(),
            format!("{year}: 0 lines, k = 100000"),
            format!("{year}: {} lines, k = 5", lines.len()),
        ]
    );
    assert_eq!(env.run(&["audit", "verify"]).status.code(), Some(0));
    store.close().await;
}
