//! Coordination of the national action plan (issue 13): the coordinator
//! imports a plan and edits a measure, the rapporteur rates it and sees the
//! divergence, the history shows who changed what, and the public page shows
//! only what the coordinator published.

use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Informer et communiquer,1,Mobiliser la société,1,Informer et sensibiliser sur les risques d'exploitation,MIPROF,,,,,,,,,partially_done
1,,1,,2,Créer un site gouvernemental dédié,,,,,,,,,,not_done
";

pub async fn import(app: &TestApp, client: &reqwest::Client, csv: &str, create_bodies: bool) -> reqwest::Response {
    let (_, html) = app.get(client, "/coordination/import").await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("code", "PNLTEH-2")
        .text("title", "2e plan d'action national")
        .text("start", "2019")
        .text("end", "2021");
    if create_bodies {
        form = form.text("create_bodies", "true");
    }
    let form = form.part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
            .file_name("plan.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    client
        .post(app.url("/coordination/import"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn a_plan_is_imported_edited_rated_and_published(app: &TestApp) {
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof@relais.test",
        Role::Coordinator,
    )
    .await;
    let (rapporteur, _) = user(
        app,
        OrganisationType::IndependentRapporteur,
        "cncdh@relais.test",
        Role::Rapporteur,
    )
    .await;
    let coordinator = app.sign_in(&coordinator).await;
    let rapporteur = app.sign_in(&rapporteur).await;
    let anonymous = app.client();

    let refused = import(app, &coordinator, PLAN, false).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Rien n’a été importé") && html.contains("Aucun organisme ne porte ce nom"),
        "{html}"
    );
    assert!(html.contains("value=\"PNLTEH-2\""), "what was typed is kept");

    let imported = import(app, &coordinator, PLAN, true).await;
    assert_eq!(imported.status().as_u16(), 303);
    assert_eq!(location(&imported), "/coordination/plans/PNLTEH-2?done=plan-imported");
    let (status, html) = app
        .get(&coordinator, "/coordination/plans/PNLTEH-2?done=plan-imported")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Le plan a été importé."));
    assert!(html.contains("2 mesures, dont 0 complètes"), "{html}");
    assert!(html.contains("Axe 1 — Informer et communiquer"));

    let (_, page) = app.get(&coordinator, "/coordination/plans/PNLTEH-2/measures/2").await;
    let edit = [
        ("csrf", csrf_of(&page)),
        ("version", "1".to_owned()),
        ("title", "Créer un site gouvernemental dédié".to_owned()),
        ("description", String::new()),
        ("pilot", "MIPROF".to_owned()),
        ("deadline", "juin".to_owned()),
        ("indicator", "Site en ligne".to_owned()),
        ("baseline", String::new()),
        ("target", "Oui".to_owned()),
        ("cost_eur", "15 000".to_owned()),
        ("funding", "Programme 137".to_owned()),
        ("status", "done".to_owned()),
    ];
    let url = app.url("/coordination/plans/PNLTEH-2/measures/2");
    let wrong = coordinator.post(&url).form(&edit).send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 422);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("Indiquez une échéance") && html.contains("value=\"15 000\""),
        "{html}"
    );
    let mut edit = edit.to_vec();
    edit[5].1 = "2021-06".to_owned();
    let saved = coordinator.post(&url).form(&edit).send().await.unwrap();
    assert_eq!(
        location(&saved),
        "/coordination/plans/PNLTEH-2/measures/2?done=plan-measure-updated"
    );
    let stale = coordinator.post(&url).form(&edit).send().await.unwrap();
    assert_eq!(
        stale.status().as_u16(),
        422,
        "an edit of version 1 after version 2 is refused"
    );
    assert!(stale.text().await.unwrap().contains("modifiée entre-temps"));

    let (_, page) = app.get(&rapporteur, "/coordination/plans/PNLTEH-2/measures/2").await;
    assert!(
        !page.contains("id=\"edit-form\""),
        "the rapporteur does not edit the government's measure"
    );
    let rating_url = app.url("/coordination/plans/PNLTEH-2/measures/2/rating");
    let unjustified = rapporteur
        .post(&rating_url)
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", "2".into()),
            ("rating", "not_done".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unjustified.status().as_u16(), 422);
    let rated = rapporteur
        .post(&rating_url)
        .form(&[
            ("csrf", csrf_of(&page)),
            ("version", "2".into()),
            ("rating", "not_done".into()),
            ("justification", "Aucun site n'a été créé.".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&rated),
        "/coordination/plans/PNLTEH-2/measures/2?done=plan-measure-rated"
    );
    let (_, page) = app.get(&rapporteur, "/coordination/plans/PNLTEH-2/measures/2").await;
    assert!(page.contains("Divergence"), "done against not done");
    assert!(page.contains("Version 3"));
    assert!(
        page.contains("<del>Non commencée</del>") || page.contains("<ins>Réalisée</ins>"),
        "the history shows the status change as labels: {page}"
    );
    assert!(page.contains("<ins>15\u{202f}000\u{a0}€</ins>"), "{page}");
    let (_, plan) = app.get(&rapporteur, "/coordination/plans/PNLTEH-2").await;
    assert!(plan.contains("Pour 1 mesures"), "{plan}");

    let (_, public) = app.get(&anonymous, "/plans").await;
    assert!(public.contains("Aucun plan n’est publié"), "nothing before publication");
    let publish = rapporteur
        .post(app.url("/coordination/plans/PNLTEH-2/publication"))
        .form(&[("csrf", csrf_of(&plan)), ("published", "true".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(publish.status().as_u16(), 403, "only the coordinator publishes");
    let (_, plan) = app.get(&coordinator, "/coordination/plans/PNLTEH-2").await;
    let publish = coordinator
        .post(app.url("/coordination/plans/PNLTEH-2/publication"))
        .form(&[("csrf", csrf_of(&plan)), ("published", "true".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&publish), "/coordination/plans/PNLTEH-2?done=plan-published");
    let (status, public) = app.get(&anonymous, "/plans").await;
    assert_eq!(status, 200);
    assert!(
        public.contains("id=\"plan-PNLTEH-2\"") && public.contains("(2019–2021)"),
        "{public}"
    );
    assert!(public.contains("Axe 1 — Informer et communiquer"));

    let csv = coordinator
        .get(app.url("/coordination/plans/PNLTEH-2/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("2,Créer un site gouvernemental dédié,MIPROF,,2021-06,Site en ligne,,Oui,15000.00,Programme 137,done,not_done"),
        "{csv}"
    );
}
