//! The observatory's releases (issue 14, part 7): an analyst freezes tables with a
//! methodology note, checks them, publishes; anyone reads the report and its open data without
//! an account; a correction is a new version that says what it replaces.

use super::harness::{TestApp, location};
use super::observatory::upload;
use super::observatory_statistics::{VICTIMS, cells, source};
use relais_store::testing::texts;
use sha2::{Digest, Sha256};

const NOTE: &str = "Victimes enregistrées par les services, par forme d’exploitation et par sexe.";

fn victims(female_sexual_2024: u32) -> String {
    [
        "annee;forme;sexe;victimes".to_owned(),
        "2023;sexual;F;1100".into(),
        "2023;sexual;M;90".into(),
        "2023;labour;F;30".into(),
        "2023;labour;M;150".into(),
        format!("2024;sexual;F;{female_sexual_2024}"),
        "2024;sexual;M;95".into(),
        "2024;labour;F;41".into(),
        "2024;labour;M;160".into(),
        "2024;forced-begging;F;2".into(),
        "2025;sexual;F;77".into(),
    ]
    .join("\n")
}

async fn draft(app: &TestApp, analyst: &reqwest::Client, fields: &[(&str, &str)]) -> reqwest::Response {
    app.submit(analyst, "/observatory/releases/new", "/observatory/releases", fields)
        .await
}

/// Publishes the draft at `path` and returns the public page's path.
async fn publish(app: &TestApp, analyst: &reqwest::Client, path: &str) -> String {
    let published = app.submit(analyst, path, &format!("{path}/publish"), &[]).await;
    assert_eq!(published.status().as_u16(), 303);
    assert!(location(&published).ends_with("?done=release-published"));
    let (_, html) = app.get(analyst, path).await;
    let start = html
        .find("id=\"public-link\" ")
        .expect("a published release links to its page");
    html[start..]
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

pub async fn an_analyst_freezes_checks_and_publishes_a_release_anyone_reads(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory/releases").await;
    assert_eq!(status, 200);
    assert!(html.contains("Aucune publication pour l’instant."));
    source(app, &analyst, "victimes-stats", "aggregated", VICTIMS, &victims(1234)).await;

    // Every missing answer is named, and what was typed stays.
    let refused = draft(app, &analyst, &[("title", ""), ("year", "2024"), ("note", "")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("id=\"error-summary\""));
    for message in [
        "Indiquez le titre de la publication.",
        "Rédigez la note de méthode",
        "Choisissez au moins un tableau à publier.",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("name=\"year\" value=\"2024\""));
    assert!(
        html.contains("value=\"victimes-stats/sex\""),
        "each source's dimensions are offered"
    );

    // A year the source does not count is refused by name, the choices kept.
    let title = "Rapport annuel 2024";
    let refused = draft(
        app,
        &analyst,
        &[
            ("title", title),
            ("year", "2022"),
            ("note", NOTE),
            ("tables", "victimes-stats/sex"),
        ],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("ne compte personne en 2022"), "{html}");
    assert!(html.contains("value=\"victimes-stats/sex\" checked"));
    assert!(html.contains(&format!("value=\"{title}\"")));

    let made = draft(
        app,
        &analyst,
        &[
            ("title", title),
            ("year", "2024"),
            ("note", NOTE),
            ("tables", "victimes-stats/sex"),
            ("tables", "victimes-stats/form"),
        ],
    )
    .await;
    assert_eq!(made.status().as_u16(), 303, "{}", made.text().await.unwrap());
    let path = location(&made).split('?').next().unwrap().to_owned();
    let (status, html) = app.get(&analyst, &format!("{path}?done=release-drafted")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Les chiffres sont figés."));
    assert!(html.contains("À vérifier") && html.contains("id=\"publish\""));
    // The forms’ table in 2024: forced begging 2 (under five), labour 201, sexual 1329.
    let forms = cells(&html, "t2-year-table");
    assert_eq!(forms.len(), 4, "{forms:?}");
    assert_eq!(forms[0], "&#60;5", "forced begging, 2 people");
    assert_eq!(forms[1], "x", "labour would give the 2 away from the total");
    assert!(!html.contains(">2<"), "the small figure is never written");
    assert!(
        !html.contains(">77<") && !html.contains("2025"),
        "later years are not in a 2024 release"
    );

    let visitor = app.client();
    let (status, _) = app.get(&visitor, "/publications/2024/1").await;
    assert_eq!(status, 404, "a draft is not public");
    let (_, html) = app.get(&visitor, "/publications").await;
    assert!(html.contains("Aucune publication n’est encore en ligne."));

    let public = publish(app, &analyst, &path).await;
    assert_eq!(public, "/publications/2024/1");
    let again = app.submit(&analyst, &path, &format!("{path}/discard"), &[]).await;
    assert!(
        location(&again).ends_with("?done=release-already-decided"),
        "a published release stays"
    );

    let (status, html) = app.get(&visitor, "/publications").await;
    assert_eq!(status, 200);
    assert!(html.contains(title) && html.contains("href=\"/publications/2024/1\""));
    let (status, report) = app.get(&visitor, &public).await;
    assert_eq!(status, 200);
    for expected in [
        title,
        NOTE,
        "Version 1, mise en ligne le",
        "id=\"t1-year-chart\"",
        "victimes-stats (fictif)",
    ] {
        assert!(report.contains(expected), "{expected}: {report}");
    }
    assert_eq!(
        cells(&report, "t2-year-table"),
        forms,
        "the public page shows the checked figures"
    );

    // The open data: the CSV's SHA-256 is the checksum shown and the one its Data Package gives.
    let csv = visitor
        .get(app.url(&format!("{public}/tableaux.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("relais-observatoire-2024-v1.csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("source,version_source,variable,ligne,modalite,annee,effectif,secret\n"));
    assert!(
        csv.contains("victimes-stats,1,form,modalite,forced-begging,2024,,primaire\n"),
        "{csv}"
    );
    let sum = hex::encode(Sha256::digest(csv.as_bytes()));
    assert!(report.contains(&sum));
    let (_, package) = app.get(&visitor, &format!("{public}/datapackage.json")).await;
    let package: serde_json::Value = serde_json::from_str(&package).unwrap();
    assert_eq!(package["resources"][0]["hash"], format!("sha256:{sum}"));
    assert_eq!(package["resources"][0]["path"], "tableaux.csv");
    let xlsx = visitor
        .get(app.url(&format!("{public}/tableaux.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"), "a workbook");

    // A corrected import, then a second version of the year: the first says it is replaced.
    let corrected = upload(
        app,
        &analyst,
        "victimes-stats",
        "corrige.csv",
        victims(1240).as_bytes(),
        "Correction 2024",
    )
    .await;
    assert_eq!(corrected.status().as_u16(), 303);
    let made = draft(
        app,
        &analyst,
        &[
            ("title", "Rapport annuel 2024, corrigé"),
            ("year", "2024"),
            ("note", NOTE),
            ("tables", "victimes-stats/form"),
        ],
    )
    .await;
    let second = location(&made).split('?').next().unwrap().to_owned();
    assert_eq!(publish(app, &analyst, &second).await, "/publications/2024/2");
    let (_, first) = app.get(&visitor, "/publications/2024/1").await;
    assert!(first.contains("Remplacée par la version 2"));
    assert!(first.contains(NOTE), "the first version stays readable");
    let (_, second_report) = app.get(&visitor, "/publications/2024/2").await;
    assert!(
        second_report.contains("1\u{202f}335"),
        "sexual 1240 + 95 in the corrected version"
    );

    // A differentially private release: each table's share of ε is in the ledger, and the
    // method is told to readers.
    let refused = draft(
        app,
        &analyst,
        &[
            ("title", "Rapport bruité"),
            ("year", "2024"),
            ("note", NOTE),
            ("tables", "victimes-stats/form"),
            ("epsilon", "20"),
        ],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Indiquez un budget ε entre 0,01 et 10") && html.contains("value=\"20\""));
    let made = draft(
        app,
        &analyst,
        &[
            ("title", "Rapport bruité"),
            ("year", "2024"),
            ("note", NOTE),
            ("tables", "victimes-stats/form"),
            ("tables", "victimes-stats/sex"),
            ("epsilon", "0,5"),
        ],
    )
    .await;
    let noisy = location(&made).split('?').next().unwrap().to_owned();
    let (_, html) = app.get(&analyst, &noisy).await;
    let ledger = cells(&html, "privacy-ledger");
    assert_eq!(ledger, ["0,25", "0,25"], "the budget split evenly: {ledger:?}");
    assert!(html.contains("ε = 0,5, soit ε = 0,25 par tableau"));
    let spent = texts(
        &app.store,
        "SELECT CAST(SUM(epsilon_hundredths) AS TEXT) FROM observatory_privacy_ledger",
    )
    .await
    .unwrap();
    assert_eq!(spent, ["50"]);
    let public = publish(app, &analyst, &noisy).await;
    let (_, report) = app.get(&visitor, &public).await;
    assert!(report.contains("id=\"release-privacy\""));

    let acts = texts(
        &app.store,
        "SELECT action FROM audit_log WHERE action LIKE 'observatory.release-%' ORDER BY seq",
    )
    .await
    .unwrap();
    for act in [
        "observatory.release-create",
        "observatory.release-publish",
        "observatory.release-read",
    ] {
        assert!(acts.iter().any(|a| a == act), "{act}: {acts:?}");
    }
}
