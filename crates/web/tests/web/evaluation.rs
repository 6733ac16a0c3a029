//! The evaluation report (issue 13, part 6): the rapporteur rates a measure,
//! the report puts each government status beside the rating with the
//! justification and says where they diverge, counts at the top, a view of
//! the divergences only, CSV and XLSX downloads with formula-like cells
//! neutralised; the coordinator reads it too, a focal point does not.

use super::coordination::import;
use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Identifier,1,Former,1,Former les professionnels,MIPROF,,,,,,,,done,done
1,,1,,2,Créer un site gouvernemental dédié,MIPROF,,,,,,,,done,
1,,1,,3,Publier les données,MIPROF,,,,,,,,in_progress,partially_done
1,,1,,4,Une mesure sans statut,,,,,,,,,,not_done
";

const REPORT: &str = "/coordination/plans/PNLTEH-2/evaluation";

pub async fn the_rapporteur_reads_prints_and_downloads_the_evaluation_report(app: &TestApp) {
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof-evaluation@relais.test",
        Role::Coordinator,
    )
    .await;
    let (rapporteur, _) = user(
        app,
        OrganisationType::IndependentRapporteur,
        "cncdh-evaluation@relais.test",
        Role::Rapporteur,
    )
    .await;
    let (focal, _) = user(
        app,
        OrganisationType::Ministry,
        "dgcs-evaluation@relais.test",
        Role::FocalPoint,
    )
    .await;
    let coordinator = app.sign_in(&coordinator).await;
    let rapporteur = app.sign_in(&rapporteur).await;
    let focal = app.sign_in(&focal).await;
    assert_eq!(import(app, &coordinator, PLAN, true).await.status().as_u16(), 303);

    let (_, plan) = app.get(&rapporteur, "/coordination/plans/PNLTEH-2").await;
    assert!(
        plan.contains(&format!("href=\"{REPORT}\"")),
        "the plan links to its report"
    );
    let (_, plan) = app.get(&focal, "/coordination/plans/PNLTEH-2").await;
    assert!(!plan.contains(&format!("href=\"{REPORT}\"")), "not for a focal point");
    let (status, _) = app.get(&focal, REPORT).await;
    assert_eq!(status, 403);

    // The rapporteur rates measure 2 "not done", with a formula-like justification.
    let (_, page) = app.get(&rapporteur, "/coordination/plans/PNLTEH-2/measures/2").await;
    let rated = rapporteur
        .post(app.url("/coordination/plans/PNLTEH-2/measures/2/rating"))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", "1".to_owned()),
            ("rating", "not_done".to_owned()),
            ("justification", "=Aucun site n'a été créé.".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&rated),
        "/coordination/plans/PNLTEH-2/measures/2?done=plan-measure-rated"
    );

    let (status, report) = app.get(&rapporteur, REPORT).await;
    assert_eq!(status, 200);
    assert!(
        report.contains("evaluation-print.css"),
        "the page has its print stylesheet"
    );
    let count = |id: &str, label: &str, n: usize| {
        format!("<tr id=\"count-{id}\"><th scope=\"row\">{label}</th><td>{n}</td></tr>")
    };
    for expected in [
        count("done", "Réalisée", 1),
        count("partially_done", "Partiellement réalisée", 1),
        count("not_done", "Non réalisée", 2),
        count("not-rated", "Pas encore appréciée", 0),
        count("agrees", "Concordant", 2),
        count("diverges", "Divergence", 1),
        count("no-status", "Appréciée, sans statut du gouvernement", 1),
    ] {
        assert!(report.contains(&expected), "{expected} in {report}");
    }
    assert!(report.contains("=Aucun site n&#39;a été créé.") || report.contains("=Aucun site n&#x27;a été créé."));
    let row = |n: u32| {
        let start = report.find(&format!("<tr id=\"measure-{n}\">")).unwrap();
        report[start..start + report[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row(2).contains("fr-badge--warning") && row(2).contains("Divergence"),
        "{}",
        row(2)
    );
    assert!(
        row(3).contains("Concordant") && !row(3).contains("fr-badge"),
        "{}",
        row(3)
    );

    let (_, divergent) = app.get(&rapporteur, &format!("{REPORT}?only=divergent")).await;
    assert!(divergent.contains("<tr id=\"measure-2\">") && !divergent.contains("<tr id=\"measure-3\">"));

    let (status, _) = app.get(&coordinator, REPORT).await;
    assert_eq!(status, 200, "the coordinator reads the report too");

    let response = rapporteur.get(app.url(&format!("{REPORT}.csv"))).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with(
            "axis,action,measure,title,pilot,status,rapporteur_status,rapporteur_justification,agreement\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "1,1,2,Créer un site gouvernemental dédié,MIPROF,done,not_done,'=Aucun site n'a été créé.,diverges"
        ),
        "the justification is neutralised: {csv}"
    );
    assert!(
        csv.contains("1,1,4,Une mesure sans statut,,,not_done,,no-status"),
        "{csv}"
    );
    let response = rapporteur.get(app.url(&format!("{REPORT}.xlsx"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(response.bytes().await.unwrap().starts_with(b"PK"), "a zip archive");
}
