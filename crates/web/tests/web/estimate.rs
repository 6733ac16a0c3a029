//! The observatory's estimate page (issue 19, part 3): an analyst gives a table of overlaps —
//! a CSV file or the histories of a finished linkage run — a serving process runs the three
//! methods, and the page shows them side by side with the stepwise sensitivity and the
//! warnings in words; an estimate left by a stopped process is taken over by another.

use super::harness::{TestApp, csrf_of, location};
use super::linkage::encoded;
use relais_store::{Actor, observatory::estimates as store};
use relais_web::AppState;
use relais_web::jobs::estimate::{Outcome, run_next};

/// Three lists that overlap well enough for every method.
const TABLE: &str =
    "police,inspection,associations,count\n1,0,0,300\n0,1,0,250\n1,1,0,40\n0,0,1,280\n1,0,1,35\n0,1,1,30\n1,1,1,8\n";

/// Posts the estimate form with short chains and few replicates, so that the test is quick.
async fn start(
    app: &TestApp,
    analyst: &reqwest::Client,
    title: &str,
    source: &str,
    file: Option<&str>,
    linkage_run: &str,
) -> reqwest::Response {
    let (_, html) = app.get(analyst, "/observatory/estimates/new").await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("title", title.to_owned())
        .text("source", source.to_owned())
        .text("linkage_run", linkage_run.to_owned())
        .text("replicates", "40")
        .text("seed", "1")
        .text("burnin", "200")
        .text("samples", "100")
        .text("thinning", "2");
    if let Some(text) = file {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(text.as_bytes().to_vec())
                .file_name("recoupements.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    }
    analyst
        .post(app.url("/observatory/estimates"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn process(app: &TestApp) -> AppState {
    AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap()
}

pub async fn an_analyst_compares_the_methods_on_a_file_and_on_a_linkage_run(app: &TestApp) {
    let responder = app.sign_in(&app.responder).await;
    let (status, _) = app.get(&responder, "/observatory/estimates").await;
    assert_eq!(status, 403, "the estimates are the observatory's");

    let analyst = app.sign_in(&app.analyst).await;
    let (status, html) = app.get(&analyst, "/observatory/estimates").await;
    assert_eq!(status, 200);
    assert!(html.contains("Aucune estimation n’a encore été lancée."));
    assert!(
        html.contains("chiffres de travail"),
        "the page says the figures are not published"
    );
    let (status, html) = app.get(&analyst, "/observatory/estimates/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"1000\""), "the command line's defaults");
    assert!(html.contains("value=\"50000\""));

    // No file, then a file that is not a table: the title stays, the file is named.
    let refused = start(app, &analyst, "Estimation 2025", "file", None, "").await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Choisissez le fichier CSV du tableau."), "{html}");
    assert!(html.contains("value=\"Estimation 2025\""));
    let refused = start(app, &analyst, "Estimation 2025", "file", Some("a,b,count\n1,0,x\n"), "").await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Ce tableau ne peut pas servir à une estimation"),
        "{html}"
    );
    assert!(html.contains("choisissez-le à nouveau"));

    let queued = start(app, &analyst, "Estimation 2025", "file", Some(TABLE), "").await;
    assert_eq!(queued.status().as_u16(), 303);
    let path = location(&queued);
    let path = path
        .strip_suffix("?done=estimate-queued")
        .expect("the estimate's page with its notice");
    let (_, html) = app.get(&analyst, &format!("{path}?done=estimate-queued")).await;
    assert!(html.contains("L’estimation est lancée."));
    assert!(html.contains("En attente"));
    assert!(html.contains("<progress"));
    assert!(html.contains("recoupements.csv"));
    let fragment = analyst.get(app.url(&format!("{path}/progress"))).send().await.unwrap();
    assert_eq!(fragment.status().as_u16(), 200);
    assert!(fragment.headers().get("hx-refresh").is_none());

    let state = process(app);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Done);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Idle);
    let fragment = analyst.get(app.url(&format!("{path}/progress"))).send().await.unwrap();
    assert_eq!(
        fragment.headers().get("hx-refresh").map(|v| v.to_str().unwrap()),
        Some("true")
    );

    let (status, html) = app.get(&analyst, path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Terminé"));
    assert!(!html.contains("<progress"));
    assert!(html.contains("943 personnes vues par au moins une liste"), "{html}");
    for method in ["Pas à pas", "Critère BIC", "Classes latentes"] {
        assert!(
            html.contains(&format!("<th scope=\"row\">{method}</th>")),
            "{method}: {html}"
        );
    }
    assert!(html.contains("id=\"methods-chart\""));
    assert!(html.contains("rééchantillonnage (BCa)"));
    assert!(html.contains("intervalle de crédibilité bayésien"));
    assert!(html.contains("Sensibilité de la méthode pas à pas à son seuil"));
    assert!(html.contains("<th scope=\"row\">0,05</th>"), "{html}");
    // Chains this short do not agree, and the page says so in plain words.
    assert!(
        html.contains("Les chaînes de la méthode des classes latentes ne s’accordent pas"),
        "{html}"
    );

    // The histories of a finished linkage run are a table too.
    let queued = super::linkage::start_run(
        app,
        &analyst,
        "Rapprochement pour estimer",
        &[
            ("Police", encoded("police", &[0, 1, 2, 3, 6], super::linkage::SECRET)),
            (
                "Associations",
                encoded("asso", &[1, 2, 4, 6, 7], super::linkage::SECRET),
            ),
            ("DNR", encoded("dnr", &[2, 3, 5, 6], super::linkage::SECRET)),
        ],
    )
    .await;
    let run = location(&queued);
    let run_id = run
        .trim_start_matches("/observatory/linkage/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        relais_web::jobs::linkage::run_next(&state).await.unwrap(),
        relais_web::jobs::linkage::Outcome::Done
    );
    let (_, form) = app.get(&analyst, "/observatory/estimates/new").await;
    assert!(form.contains("Rapprochement pour estimer"), "finished runs are offered");
    let queued = start(app, &analyst, "Estimation du rapprochement", "linkage", None, &run_id).await;
    assert_eq!(queued.status().as_u16(), 303);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Done);
    let (_, html) = app.get(&analyst, location(&queued).split('?').next().unwrap()).await;
    assert!(
        html.contains("effectifs du rapprochement « Rapprochement pour estimer »"),
        "{html}"
    );
    assert!(html.contains("8 personnes vues par au moins une liste"), "{html}");
    assert!(
        html.contains("Seules "),
        "so few shared persons are warned about: {html}"
    );
    let (_, list) = app.get(&analyst, "/observatory/estimates").await;
    assert!(list.contains("Estimation 2025") && list.contains("Estimation du rapprochement"));
}

pub async fn an_estimate_left_by_a_stopped_process_is_taken_over(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let queued = start(app, &analyst, "Estimation reprise", "file", Some(TABLE), "").await;
    assert_eq!(queued.status().as_u16(), 303);
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let first = store::claim_next(&mut tx).await.unwrap().expect("the estimate waits");
    tx.commit().await.unwrap();
    assert!(String::from_utf8_lossy(&first.table_csv).starts_with("police,"));
    let state = process(app);
    assert_eq!(
        run_next(&state).await.unwrap(),
        Outcome::Idle,
        "a live estimate is left alone"
    );
    app.clock
        .advance(relais_domain::observatory::work::ABANDONED_AFTER_SECONDS);
    assert_eq!(run_next(&state).await.unwrap(), Outcome::Done);
    let mut tx = app.store.begin(Actor::system(), "test", app.clock.now()).await.unwrap();
    let ended = store::end(&mut tx, &first, store::End::Failed { reason: "late" })
        .await
        .unwrap();
    drop(tx);
    assert!(!ended, "the estimate's end was the second process's to record");
    let (_, html) = app.get(&analyst, location(&queued).split('?').next().unwrap()).await;
    assert!(html.contains("Terminé"));
}
