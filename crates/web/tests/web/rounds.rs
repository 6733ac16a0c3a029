//! Reporting rounds (issue 13, part 5): the coordinator links a body to its
//! ministry's organisation and opens a round on a year of the annual plan,
//! the focal point is e-mailed, sends an update with a value of one of the
//! measure's indicators of that year and the year's spending, gets it back
//! with a comment (nothing reaches the annual plan), sends it again; the
//! coordinator validates it: the measure's status changes with its history,
//! the value and the spending become the annual plan's (its history says who
//! validated) and the budget shows the spending; late bodies are reminded
//! once a day; another body's focal point reaches nothing.

use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::jobs::RunState;
use relais_store::access::organisations;
use relais_store::outbox;
use relais_web::AppState;
use relais_web::jobs::reminders::{self, Outcome};

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Identifier,1,Former,1,Former les professionnels,DGCS,,2027-12,Professionnels formés,350,2000,,,in_progress,
1,,1,,2,Ouvrir des places,DGT,,,,,,,,,
1,,1,,3,Une mesure sans pilote,,,,,,,,,,
";

async fn import(app: &TestApp, client: &reqwest::Client) {
    let (_, html) = app.get(client, "/coordination/import").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html))
        .text("code", "ROUND-1")
        .text("title", "Plan des campagnes")
        .text("start", "2027")
        .text("end", "2029")
        .text("create_bodies", "true")
        .part(
            "file",
            reqwest::multipart::Part::bytes(PLAN.as_bytes().to_vec())
                .file_name("plan.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    let response = client
        .post(app.url("/coordination/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
}

async fn organisation_named(app: &TestApp, name: &str) -> String {
    organisations::list_all(&app.store)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == name)
        .unwrap()
        .id
        .as_str()
        .to_owned()
}

async fn link(app: &TestApp, coordinator: &reqwest::Client, body: &str, organisation: &str) {
    let (_, page) = app.get(coordinator, "/coordination/bodies").await;
    let linked = coordinator
        .post(app.url("/coordination/bodies"))
        .form(&[
            ("csrf", csrf_of(&page)),
            ("body", body.to_owned()),
            ("organisation", organisation.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&linked), "/coordination/bodies?done=plan-body-linked");
}

fn report(csrf: &str, evidence: &str, indicator: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_owned()),
        ("status", "partially_done".to_owned()),
        ("evidence", evidence.to_owned()),
        ("indicator", indicator.to_owned()),
        ("indicator_value", "1 250".to_owned()),
        ("indicator_date", "2027-01-10".to_owned()),
        ("spent_eur", "42 000,50".to_owned()),
    ]
}

pub async fn a_round_asks_the_focal_point_who_answers_and_the_coordinator_validates(app: &TestApp) {
    let (coordinator_account, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "round-miprof@relais.test",
        Role::Coordinator,
    )
    .await;
    let (focal, _) = user(app, OrganisationType::Ministry, "dgcs@relais.test", Role::FocalPoint).await;
    let (other_account, _) = user(app, OrganisationType::Ministry, "dgt@relais.test", Role::FocalPoint).await;
    let coordinator = app.sign_in(&coordinator_account).await;
    let focal = app.sign_in(&focal).await;
    let other = app.sign_in(&other_account).await;
    let analyst = app.sign_in(&app.analyst).await;
    import(app, &coordinator).await;
    link(
        app,
        &coordinator,
        "DGCS",
        &organisation_named(app, "Organisation dgcs@relais.test").await,
    )
    .await;
    let (_, bodies) = app
        .get(&coordinator, "/coordination/bodies?done=plan-body-linked")
        .await;
    assert!(
        bodies.contains("Le lien entre l’organisme et l’organisation a été enregistré."),
        "{bodies}"
    );

    let (status, _) = app.get(&analyst, "/coordination/asked").await;
    assert_eq!(status, 403, "the observatory is asked nothing");
    let (_, asked) = app.get(&focal, "/coordination/asked").await;
    assert!(asked.contains("id=\"asked-empty\""), "no round yet");

    // Measure 1's indicator in the 2027 annual plan, the year the round concerns.
    let annual = "/coordination/plans/ROUND-1/years/2027/measures/1";
    let (_, annual_page) = app.get(&coordinator, annual).await;
    let added = coordinator
        .post(app.url(&format!("{annual}/indicators")))
        .form(&[
            ("csrf", csrf_of(&annual_page)),
            ("definition", "Professionnels formés".to_owned()),
            ("unit", "personnes".to_owned()),
            ("target", "2000".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&added), format!("{annual}?done=annual-indicator-added"));

    // The test clock starts on 15 January 2027.
    let (_, rounds_page) = app.get(&coordinator, "/coordination/plans/ROUND-1/rounds").await;
    let url = app.url("/coordination/plans/ROUND-1/rounds");
    let past = coordinator
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&rounds_page)),
            ("title", "Bilan de mars".to_owned()),
            ("due", "2027-01-15".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(past.status().as_u16(), 422);
    let html = past.text().await.unwrap();
    assert!(
        html.contains("postérieure à aujourd’hui") && html.contains("value=\"Bilan de mars\""),
        "{html}"
    );
    let outside = coordinator
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&rounds_page)),
            ("title", "Bilan de mars".to_owned()),
            ("due", "2027-02-01".to_owned()),
            ("year", "2031".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status().as_u16(), 422, "2031 is not one of the plan's years");
    let html = outside.text().await.unwrap();
    assert!(
        html.contains("Choisissez l’une des années du plan.") && html.contains("href=\"#year\""),
        "{html}"
    );
    let opened = coordinator
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&rounds_page)),
            ("title", "Bilan de mars".to_owned()),
            ("due", "2027-02-01".to_owned()),
            ("year", String::new()),
        ])
        .send()
        .await
        .unwrap();
    let round_url = location(&opened);
    assert!(round_url.ends_with("?done=round-opened"), "{round_url}");
    let round_path = round_url.trim_end_matches("?done=round-opened").to_owned();
    let again = coordinator
        .post(&url)
        .form(&[
            ("csrf", csrf_of(&rounds_page)),
            ("title", "Une deuxième".to_owned()),
            ("due", "2027-02-01".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 422, "one open round per plan");
    let (_, rounds_page) = app.get(&coordinator, "/coordination/plans/ROUND-1/rounds").await;
    assert!(
        rounds_page.contains("plan annuel 2027"),
        "the due date's year: {rounds_page}"
    );

    let mails = outbox::claim(&app.store, app.clock.now(), 10).await.unwrap();
    assert_eq!(mails.len(), 1, "DGCS's focal point only: DGT is not linked yet");
    assert_eq!(mails[0].recipient, "dgcs@relais.test");
    assert!(mails[0].subject.contains("Bilan de mars"), "{}", mails[0].subject);
    assert!(
        mails[0].body.contains("01/02/2027") && mails[0].body.contains("/coordination/asked"),
        "{}",
        mails[0].body
    );
    for mail in &mails {
        outbox::sent(&app.store, &mail.id).await.unwrap();
    }

    let (_, round) = app.get(&coordinator, &round_url).await;
    assert!(round.contains("La campagne est ouverte"), "{round}");
    assert!(
        round.contains("Cette campagne porte sur le plan annuel 2027."),
        "{round}"
    );
    assert!(round.contains("0 % des 2 mesures demandées"), "{round}");
    assert!(
        round.contains("Aucun correspondant dans Relais"),
        "DGT has nobody to answer"
    );

    let (_, asked) = app.get(&focal, "/coordination/asked").await;
    assert!(
        asked.contains("Former les professionnels") && !asked.contains("Ouvrir des places"),
        "{asked}"
    );
    let update_path = format!("{round_path}/measures/1");
    let (_, update) = app.get(&focal, &update_path).await;
    assert!(update.contains("id=\"report-form\""), "{update}");
    assert!(update.contains("Dépenses de l’année 2027 à ce jour"), "{update}");
    // The measure's only indicator of the year is chosen already.
    let indicator = update
        .split("<option value=\"")
        .filter_map(|rest| rest.split_once("\" selected>"))
        .map(|(id, _)| id.to_owned())
        .find(|id| id.len() == 32)
        .expect("the indicator chosen");
    assert!(update.contains("Professionnels formés (personnes)"), "{update}");
    let (_, foreign) = app.get(&other, &update_path).await;
    assert!(
        !foreign.contains("id=\"report-form\""),
        "another body's focal point has no form"
    );
    let refused = other
        .post(app.url(&update_path))
        .form(&report(&csrf_of(&foreign), "Circulaire", &indicator))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 404, "another body's measure is not theirs");

    let missing = focal
        .post(app.url(&update_path))
        .form(&report(&csrf_of(&update), " ", &indicator))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 422);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Indiquez ce qui justifie ce statut") && html.contains("value=\"42 000,50\""),
        "{html}"
    );
    let mut no_indicator = report(&csrf_of(&update), "800 professionnels formés", "");
    for (name, value) in &mut no_indicator {
        if *name == "indicator_date" {
            *value = "2999-01-01".to_owned();
        }
    }
    let refused = focal
        .post(app.url(&update_path))
        .form(&no_indicator)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Choisissez l’indicateur dont vous donnez la valeur.")
            && html.contains("La date ne peut pas être dans le futur."),
        "{html}"
    );
    let sent = focal
        .post(app.url(&update_path))
        .form(&report(&csrf_of(&update), "800 professionnels formés", &indicator))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&sent), "/coordination/asked?done=round-update-sent");

    let (_, page) = app.get(&coordinator, &update_path).await;
    assert!(
        page.contains("Professionnels formés (personnes) : 1 250 au 10 janvier 2027")
            && page.contains("42\u{202f}000,50\u{a0}€"),
        "{page}"
    );
    let decision_url = app.url(&format!("{update_path}/decision"));
    let bare = coordinator
        .post(&decision_url)
        .form(&[("csrf", csrf_of(&page)), ("decision", "return".to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status().as_u16(), 422, "a return needs a comment");
    let returned = coordinator
        .post(&decision_url)
        .form(&[
            ("csrf", csrf_of(&page)),
            ("decision", "return".to_owned()),
            ("comment", "Précisez le nombre de gendarmes formés.".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert!(location(&returned).ends_with("?done=round-update-returned"));
    let (_, year_page) = app.get(&coordinator, annual).await;
    assert!(
        !year_page.contains("1 250") && year_page.contains("Aucune dépense validée"),
        "a returned update writes nothing into the annual plan: {year_page}"
    );
    let (_, update) = app.get(&focal, &update_path).await;
    assert!(update.contains("Précisez le nombre de gendarmes formés.") && update.contains("id=\"report-form\""));
    assert!(
        update.contains("value=\"42000.50\""),
        "the form is filled with what was sent"
    );
    focal
        .post(app.url(&update_path))
        .form(&report(
            &csrf_of(&update),
            "800 professionnels dont 120 gendarmes",
            &indicator,
        ))
        .send()
        .await
        .unwrap();
    let (_, page) = app.get(&coordinator, &update_path).await;
    let validated = coordinator
        .post(&decision_url)
        .form(&[("csrf", csrf_of(&page)), ("decision", "validate".to_owned())])
        .send()
        .await
        .unwrap();
    assert!(location(&validated).ends_with("?done=round-update-validated"));
    let twice = coordinator
        .post(&decision_url)
        .form(&[("csrf", csrf_of(&page)), ("decision", "validate".to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status().as_u16(), 422, "a validated update is final");

    let (_, measure) = app.get(&coordinator, "/coordination/plans/ROUND-1/measures/1").await;
    assert!(
        measure.contains("<del>En cours</del>") && measure.contains("<ins>Partiellement réalisée</ins>"),
        "the validated status is the measure's, in its history: {measure}"
    );
    let (_, round) = app.get(&coordinator, &round_path).await;
    assert!(
        round.contains("50 % des 2 mesures demandées") && round.contains("Tout est validé"),
        "{round}"
    );

    // The value and the spending are the annual plan's, by the coordinator who validated.
    let (_, year_page) = app.get(&coordinator, annual).await;
    let spent = "42\u{202f}000,50\u{a0}€";
    assert!(
        year_page.contains(&format!("<dd id=\"spent\">{spent}</dd>")),
        "{year_page}"
    );
    assert!(
        year_page.contains("Valeur de « Professionnels formés » au 10/01/2027")
            || year_page.contains("Valeur de « Professionnels formés » au 10 janvier 2027"),
        "the value in the history: {year_page}"
    );
    assert!(year_page.contains("par round-miprof@relais.test"), "{year_page}");
    let (_, plan_year) = app.get(&coordinator, "/coordination/plans/ROUND-1/years/2027").await;
    assert!(
        plan_year.contains("dernière valeur : 1 250 au") && plan_year.contains(spent),
        "{plan_year}"
    );
    let csv = coordinator
        .get(app.url("/coordination/plans/ROUND-1/years/2027/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().next().unwrap().contains("cost_eur,spent_eur,"), "{csv}");
    assert!(csv.contains("2027-01-10=1 250") && csv.contains(",42000.50,"), "{csv}");
    let (_, budget) = app
        .get(&coordinator, "/coordination/plans/ROUND-1/budget?year=2027")
        .await;
    assert!(budget.contains(&format!("<td>{spent}</td>")), "{budget}");

    // DGT is linked now; a week before the due date its focal point is reminded, once that day.
    link(
        app,
        &coordinator,
        "DGT",
        &organisation_named(app, "Organisation dgt@relais.test").await,
    )
    .await;
    let process = AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap();
    assert_eq!(
        reminders::run_daily(&process).await.unwrap(),
        Outcome::Done(0),
        "too early"
    );
    app.clock.advance(10 * 86_400);
    assert_eq!(reminders::run_daily(&process).await.unwrap(), Outcome::Done(1));
    assert_eq!(
        reminders::run_daily(&process).await.unwrap(),
        Outcome::NotNow(RunState::Done),
        "once a day"
    );
    let mails = outbox::claim(&app.store, app.clock.now(), 10).await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient, "dgt@relais.test");
    assert!(mails[0].subject.starts_with("Relais — rappel"), "{}", mails[0].subject);

    // Ten days later the sessions have expired.
    let coordinator = app.sign_in(&coordinator_account).await;
    let (_, round) = app.get(&coordinator, &round_path).await;
    let closed = coordinator
        .post(app.url(&format!("{round_path}/close")))
        .form(&[("csrf", csrf_of(&round))])
        .send()
        .await
        .unwrap();
    assert!(location(&closed).ends_with("?done=round-closed"));
    let other = app.sign_in(&other_account).await;
    let (_, asked) = app.get(&other, "/coordination/asked").await;
    assert!(asked.contains("id=\"asked-empty\""), "a closed round asks nothing");
}
