//! The partners' exports (issue 14, part 7, ADR 0045): the analyst downloads
//! the Eurostat-shaped table and the k-anonymous CTDC-style extract of a
//! year, each audited; the HTCDS file of one case goes only to the
//! identification authority of the case's territory, audited on the case.

use super::case_access::organisation;
use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::triage::{details, referral};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::territory::{Departement, Territory};
use relais_store::testing::texts;
use std::collections::HashMap;

/// The year of the test clock's start, in Paris: the cases and referrals of the tests fall in it.
const YEAR: &str = "2027";

/// GETs a download; returns the status, the content type, the disposition and the body.
async fn download(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String, String, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status().as_u16();
    (status, content_type, disposition, response.text().await.unwrap())
}

fn csv_lines(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

pub async fn the_analyst_downloads_the_eurostat_table_and_the_ctdc_extract_of_a_year(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "export-author@relais.test", "export-officer@relais.test").await;
    let owner = app.sign_in(&officer).await;
    // Six women from Bulgaria exploited for labour, six men from Nigeria for sexual
    // exploitation, and one woman from Nigeria for labour: the figure no one may see.
    for i in 0..13 {
        let mut d = details(&format!("Personne{i}"), "93", false);
        if (6..12).contains(&i) {
            d.sex = "male".into();
            d.forms = vec!["sexual".into()];
        }
        if i >= 6 {
            d.nationality = "NGA".into();
        }
        let id = referral(app, &author, &d).await;
        accept(app, &owner, &id).await;
    }
    let state = relais_web::AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap();
    // Before the NRM's first daily extract, the table counts nobody.
    let analyst = app.sign_in(&app.analyst).await;
    let (status, _, _, csv) = download(app, &analyst, &format!("/observatory/exports/eurostat.csv?year={YEAR}")).await;
    assert_eq!(status, 200, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",0,")), "{csv}");
    relais_web::jobs::nrm_extract::refresh(&state).await.unwrap();

    let (status, html) = app.get(&analyst, "/observatory/exports").await;
    assert_eq!(status, 200);
    assert!(html.contains("action=\"/observatory/exports/eurostat.csv\""), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{YEAR}\"")),
        "the year is offered"
    );

    // Eurostat: long shape, a hidden figure empty with `c`, no figure from 1 to 4.
    let (status, content_type, disposition, csv) =
        download(app, &analyst, &format!("/observatory/exports/eurostat.csv?year={YEAR}")).await;
    assert_eq!(status, 200, "{csv}");
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    assert!(
        disposition.contains(&format!("eurostat-crim-thb-{YEAR}.csv")),
        "{disposition}"
    );
    assert_eq!(
        csv.lines().next().unwrap(),
        "FREQ,UNIT,SEX,AGE,CITIZEN,EXPLOIT,GEO,TIME_PERIOD,OBS_VALUE,OBS_FLAG"
    );
    let lines = csv_lines(&csv);
    assert!(!lines.is_empty());
    for line in &lines {
        assert_eq!((line[6].as_str(), line[7].as_str()), ("FR", YEAR), "{line:?}");
        match line[8].as_str() {
            "" => assert_eq!(line[9], "c", "an empty figure is flagged: {line:?}"),
            value => {
                let n: u64 = value.parse().unwrap();
                assert!(n == 0 || n >= 5, "a figure under 5 is never written: {line:?}");
                assert_eq!(line[9], "", "{line:?}");
            }
        }
    }
    let figure = |sex: &str, age: &str, citizen: &str, exploit: &str| {
        lines
            .iter()
            .find(|l| l[2] == sex && l[3] == age && l[4] == citizen && l[5] == exploit)
            .map(|l| (l[8].clone(), l[9].clone()))
            .unwrap()
    };
    assert_eq!(
        figure("F", "TOTAL", "NEU27_2020_FOR", "TOTAL"),
        (String::new(), "c".into()),
        "the one woman from outside the Union is hidden"
    );
    assert_eq!(
        figure("M", "TOTAL", "TOTAL", "SEX_EXPL"),
        (String::new(), "c".into()),
        "the six men exploited sexually would give her away through the sex totals"
    );
    assert_eq!(figure("T", "TOTAL", "TOTAL", "TOTAL"), ("13".into(), String::new()));
    assert_eq!(
        figure("F", "TOTAL", "EU27_2020_FOR", "TOTAL"),
        ("6".into(), String::new())
    );
    assert_eq!(
        figure("T", "TOTAL", "NEU27_2020_FOR", "TOTAL"),
        ("7".into(), String::new())
    );
    assert_eq!(
        figure("T", "Y_LT18", "TOTAL", "TOTAL"),
        ("0".into(), String::new()),
        "no child"
    );
    let eurostat = texts(
        &app.store,
        "SELECT reason FROM audit_log WHERE action = 'observatory.export-eurostat'",
    )
    .await
    .unwrap();
    assert_eq!(eurostat, vec![YEAR.to_owned(), YEAR.to_owned()]);

    // CTDC: one line per victim, every class of quasi-identifiers at least k lines.
    for k in ["5", "3"] {
        let (status, content_type, disposition, csv) = download(
            app,
            &analyst,
            &format!("/observatory/exports/ctdc.csv?year={YEAR}&k={k}"),
        )
        .await;
        assert_eq!(status, 200, "{csv}");
        assert!(content_type.starts_with("text/csv"));
        assert!(
            disposition.contains(&format!("ctdc-extract-{YEAR}.csv")),
            "{disposition}"
        );
        assert_eq!(
            csv.lines().next().unwrap(),
            "yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourDomesticWork"
        );
        let lines = csv_lines(&csv);
        assert_eq!(lines.len(), 13, "every victim has a line: {csv}");
        let mut classes: HashMap<&[String], usize> = HashMap::new();
        for line in &lines {
            assert_eq!(line[0], YEAR);
            *classes.entry(&line[..4]).or_default() += 1;
        }
        let k: usize = k.parse().unwrap();
        assert!(classes.values().all(|&n| n >= k), "k = {k}: {classes:?}");
        assert!(
            !lines.iter().any(|l| l[1] == "Woman" && l[3] == "NGA"),
            "the one woman from Nigeria is not told apart: {csv}"
        );
        assert!(!csv.contains("Personne"), "no name");
        assert_eq!(lines.iter().filter(|l| l[4] == "1").count(), 7, "forced labour");
        assert_eq!(lines.iter().filter(|l| l[5] == "1").count(), 6, "sexual exploitation");
    }
    let ctdc = texts(
        &app.store,
        "SELECT reason FROM audit_log WHERE action = 'observatory.export-ctdc' ORDER BY seq",
    )
    .await
    .unwrap();
    assert_eq!(
        ctdc,
        vec![format!("{YEAR}: 13 lines, k = 5"), format!("{YEAR}: 13 lines, k = 3")]
    );

    // Too few victims for k, or a k out of bounds: the page says why, nothing is written.
    let (status, _, _, html) = download(
        app,
        &analyst,
        &format!("/observatory/exports/ctdc.csv?year={YEAR}&k=14"),
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("id=\"ctdc-k-error\""), "{html}");
    assert!(html.contains("trop peu de victimes cette année"), "{html}");
    // A year without a case gives an empty file: no line, no class to tell anyone apart.
    let (status, _, _, csv) = download(app, &analyst, "/observatory/exports/ctdc.csv?year=2026").await;
    assert_eq!(status, 200);
    assert_eq!(csv.lines().count(), 1, "the header alone: {csv}");
    let (status, _, _, html) = download(app, &analyst, &format!("/observatory/exports/ctdc.csv?year={YEAR}&k=1")).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Indiquez pour k un nombre entier entre 2 et 100."),
        "{html}"
    );
    assert!(html.contains("value=\"1\""), "what was typed is kept");
    let (status, _, _, html) = download(app, &analyst, "/observatory/exports/eurostat.csv?year=1990").await;
    assert_eq!(status, 422);
    assert!(html.contains("Choisissez une des années proposées."), "{html}");
    let ctdc = texts(
        &app.store,
        "SELECT reason FROM audit_log WHERE action = 'observatory.export-ctdc' ORDER BY seq",
    )
    .await
    .unwrap();
    assert_eq!(
        ctdc[2..],
        [format!("{YEAR}: 0 lines, k = 14"), "2026: 0 lines, k = 5".to_owned()],
        "a refused extract records the read of the cases, and that it produced nothing"
    );
    assert_eq!(ctdc.len(), 4, "an invalid k or year reads nothing");

    // Nobody outside the observatory downloads them.
    let responder = app.sign_in(&app.responder).await;
    for path in [
        "/observatory/exports".to_owned(),
        format!("/observatory/exports/eurostat.csv?year={YEAR}"),
        format!("/observatory/exports/ctdc.csv?year={YEAR}"),
    ] {
        assert_eq!(app.get(&responder, &path).await.0, 403, "{path}");
        assert_eq!(app.get(&owner, &path).await.0, 403, "{path}");
    }
}

pub async fn the_htcds_file_of_a_case_goes_to_its_identification_authority_only(app: &TestApp) {
    let ((referrer, author), officer) =
        author_and_officer(app, "htcds-author@relais.test", "htcds-officer@relais.test").await;
    let owner = app.sign_in(&officer).await;
    let id = referral(app, &author, &details("Okafor", "93", false)).await;
    let case = accept(app, &owner, &id).await;
    let path = format!("/cases/{case}/htcds.json");
    let (_, html) = app.get(&owner, &format!("/cases/{case}")).await;
    assert!(html.contains(&format!("href=\"{path}\"")), "the case page offers it");

    let (status, content_type, disposition, body) = download(app, &owner, &path).await;
    assert_eq!(status, 200, "{body}");
    assert!(content_type.starts_with("application/json"), "{content_type}");
    assert!(disposition.contains(&format!("htcds-{case}.json")), "{disposition}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let fields = value.as_object().unwrap();
    for key in fields.keys() {
        let (prefix, name) = key.split_once('_').unwrap();
        assert!(
            ["prs", "vic", "cas"].contains(&prefix) && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "an HTCDS field name: {key}"
        );
    }
    assert_eq!(value["prs_FirstName"], "Anna");
    assert_eq!(value["prs_SecondName"], "Okafor");
    assert_eq!(value["prs_Gender"], "Feminine");
    assert_eq!(value["prs_Citizenship"], serde_json::json!(["BGR"]));
    assert!(
        fields.get("prs_Birthdate").is_none(),
        "a birth year alone is not a date"
    );
    assert_eq!(value["vic_TraffickingStatus"], "PossibleVictimOfTrafficking");
    assert_eq!(value["cas_Status"], "Active");
    assert!(value["vic_TypeOfExploitation"].as_array().is_some_and(|a| a.len() == 1));
    assert!(value["cas_IncomingReferralDate"].as_str().unwrap().starts_with(YEAR));
    let exported = format!("SELECT action FROM audit_log WHERE action = 'case.export-htcds' AND object_id = '{case}'");
    assert_eq!(texts(&app.store, &exported).await.unwrap().len(), 1);

    // The analyst, the referrer and another organisation's responder lack the permission;
    // the authority of another territory does not reach the case.
    let (_, others) = organisation(
        app,
        "Autorité d’identification de Haute-Garonne (test)",
        OrganisationType::IdentificationAuthority,
        Territory::Departement(Departement::parse("31").unwrap()),
        "htcds-31",
        &[Role::IdentificationOfficer],
    )
    .await;
    let elsewhere = app.sign_in(&others[0].1).await;
    assert_eq!(app.get(&elsewhere, &path).await.0, 404);
    for (who, user) in [
        ("analyst", &app.analyst),
        ("referrer", &referrer),
        ("responder", &app.responder),
    ] {
        let client = app.sign_in(user).await;
        let (status, body) = app.get(&client, &path).await;
        assert_eq!(status, 403, "{who}");
        assert!(!body.contains("Okafor"), "{who}");
    }
    assert_eq!(
        texts(&app.store, &exported).await.unwrap().len(),
        1,
        "a refused download records no export"
    );
}
