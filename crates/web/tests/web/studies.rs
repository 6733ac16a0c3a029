//! Studies and training (issue 14, part 8): the analyst adds studies to the
//! library with a link and with a PDF (bad input named, a file that is not a
//! PDF refused whatever its name), publishes and withdraws them; the public
//! page shows published entries only, filtered by kind and audience, and
//! hands out their PDF under a safe name. A coordinator records training
//! sessions (an error, then fixed) and a plan indicator counts them.

use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_store::Actor;
use relais_store::coordination::{self, PlanHeader};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The fields of a new entry, each overridable.
fn entry<'a>(title: &'a str, kind: &'a str, link: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("producer", "Observatoire national"),
        ("published_on", "2026-10-18"),
        ("kind", kind),
        ("audience", "police"),
        ("audience", "social-services"),
        ("summary", "Les chiffres de l’année et ce qu’ils disent."),
        ("link", link),
    ]
}

/// Posts the new-entry form as multipart, with a file if given.
async fn post_entry(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> reqwest::Response {
    let (_, html) = app.get(client, "/observatory/library/new").await;
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf_of(&html));
    for (name, value) in fields {
        form = form.text((*name).to_owned(), (*value).to_owned());
    }
    let part = match file {
        Some((name, bytes)) => reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name(name.to_owned())
            .mime_str("application/pdf")
            .unwrap(),
        // What a browser sends when no file is chosen.
        None => reqwest::multipart::Part::bytes(Vec::new())
            .file_name(String::new())
            .mime_str("application/octet-stream")
            .unwrap(),
    };
    form = form.part("file", part);
    client
        .post(app.url("/observatory/library"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The entry's id from the redirect after it was saved.
fn created_id(response: &reqwest::Response) -> String {
    let to = location(response);
    assert!(to.ends_with("?done=library-created"), "{to}");
    to.trim_start_matches("/observatory/library/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    what: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.submit(
        client,
        &format!("/observatory/library/{id}"),
        &format!("/observatory/library/{id}/{what}"),
        form,
    )
    .await
}

pub async fn an_analyst_publishes_studies_as_a_link_and_a_pdf_and_the_public_sees_the_published_only(app: &TestApp) {
    let analyst = app.sign_in(&app.analyst).await;
    let anonymous = app.client();
    let (status, html) = app.get(&analyst, "/observatory/library").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"library-empty\""), "{html}");
    let (_, home) = app.get(&analyst, "/observatory").await;
    assert!(
        home.contains("href=\"/observatory/library\""),
        "the observatory links its library"
    );

    // Bad input: each problem named with its question, what was typed kept.
    let mut wrong = entry(" ", "", "http://www.example.org/etude");
    wrong.retain(|(name, _)| *name != "audience");
    wrong.push(("published_on", "2027-03-01"));
    wrong.retain(|field| *field != ("published_on", "2026-10-18"));
    let refused = post_entry(app, &analyst, &wrong, None).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    for message in [
        "Titre : cette information est obligatoire.",
        "Date de publication : la date ne peut pas être dans le futur.",
        "Type : choisissez dans la liste.",
        "Publics : choisissez dans la liste.",
        "Adresse de la publication : indiquez une adresse commençant par https://",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("href=\"#link\"") && html.contains("href=\"#audience\""));
    assert!(
        html.contains("value=\"http://www.example.org/etude\""),
        "what was typed is kept"
    );

    // A file that is not a PDF, whatever its name; a link and a file together.
    let no_link = entry("Rapport annuel 2026", "report", "");
    let refused = post_entry(
        app,
        &analyst,
        &no_link,
        Some(("rapport.pdf", b"MZ\x90\x00 an executable")),
    )
    .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Fichier PDF : le fichier n’est pas un PDF, quel que soit son nom.")
            && html.contains("choisissez-le à nouveau"),
        "{html}"
    );
    assert!(html.contains("value=\"Rapport annuel 2026\""));
    let both = entry("Rapport annuel 2026", "report", "https://www.example.org/rapport");
    let refused = post_entry(app, &analyst, &both, Some(("rapport.pdf", PDF))).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(refused.text().await.unwrap().contains("pas les deux"));

    // A study with a link, a report with a PDF, and a draft that stays one.
    let linked = post_entry(
        app,
        &analyst,
        &entry("Guide de repérage", "guide", "https://www.example.org/guide.pdf"),
        None,
    )
    .await;
    assert_eq!(linked.status().as_u16(), 303);
    let guide = created_id(&linked);
    let filed = post_entry(
        app,
        &analyst,
        &entry("Rapport annuel 2026", "report", ""),
        Some(("Rapport annuel (v2) — été.pdf", PDF)),
    )
    .await;
    assert_eq!(filed.status().as_u16(), 303);
    let report = created_id(&filed);
    let drafted = post_entry(
        app,
        &analyst,
        &entry("Brouillon interne", "study", ""),
        Some(("brouillon.pdf", PDF)),
    )
    .await;
    let draft = created_id(&drafted);

    let (_, page) = app
        .get(&analyst, &format!("/observatory/library/{guide}?done=library-created"))
        .await;
    assert!(
        page.contains("Le brouillon est enregistré.") && page.contains("Brouillon"),
        "{page}"
    );
    let (_, public) = app.get(&anonymous, "/library").await;
    assert!(
        public.contains("id=\"library-empty\""),
        "drafts are not public: {public}"
    );
    assert_eq!(app.get(&anonymous, &format!("/library/{draft}/file")).await.0, 404);

    for id in [&guide, &report] {
        let published = act(app, &analyst, id, "publish", &[]).await;
        assert_eq!(published.status().as_u16(), 303);
        assert_eq!(
            location(&published),
            format!("/observatory/library/{id}?done=library-published")
        );
    }
    let again = act(app, &analyst, &guide, "publish", &[]).await;
    assert_eq!(again.status().as_u16(), 409, "a published entry is not published twice");

    let (status, public) = app.get(&anonymous, "/library").await;
    assert_eq!(status, 200);
    assert!(
        public.contains("Guide de repérage")
            && public.contains("Rapport annuel 2026")
            && !public.contains("Brouillon interne"),
        "{public}"
    );
    assert!(public.contains("href=\"https://www.example.org/guide.pdf\""));
    assert!(public.contains("Publié le 18 octobre 2026") || public.contains("publié le 18 octobre 2026"));
    assert!(public.contains(&format!("href=\"/library/{report}/file\"")));
    assert!(!public.contains("2026-10-18"), "dates in words");

    // Filtered by kind and by audience.
    let (_, guides) = app.get(&anonymous, "/library?kind=guide").await;
    assert!(guides.contains("Guide de repérage") && !guides.contains("Rapport annuel 2026"));
    let (_, judges) = app.get(&anonymous, "/library?audience=justice").await;
    assert!(judges.contains("id=\"library-empty\"") && judges.contains("Aucune publication ne correspond"));
    let (_, police) = app.get(&anonymous, "/library?audience=police&kind=report").await;
    assert!(police.contains("Rapport annuel 2026") && !police.contains("Guide de repérage"));

    // The PDF, under a header-safe name.
    let download = anonymous
        .get(app.url(&format!("/library/{report}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"Rapport_annuel_v2__t.pdf\""
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    assert_eq!(
        app.get(&anonymous, &format!("/library/{guide}/file")).await.0,
        404,
        "a link has no file"
    );

    // A withdrawal needs its reason; then the entry leaves the public page.
    let refused = act(app, &analyst, &report, "withdraw", &[("reason", " ")]).await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Motif du retrait : cette information est obligatoire.")
    );
    let withdrawn = act(
        app,
        &analyst,
        &report,
        "withdraw",
        &[("reason", "Remplacé par l’édition corrigée")],
    )
    .await;
    assert_eq!(withdrawn.status().as_u16(), 303);
    let (_, page) = app.get(&analyst, &format!("/observatory/library/{report}")).await;
    assert!(
        page.contains("Retirée")
            && page.contains("motif : Remplacé par l’édition corrigée")
            && page.contains("Publiée par"),
        "the history is kept: {page}"
    );
    let (_, public) = app.get(&anonymous, "/library").await;
    assert!(!public.contains("Rapport annuel 2026"), "{public}");
    assert_eq!(app.get(&anonymous, &format!("/library/{report}/file")).await.0, 404);
    let own = analyst
        .get(app.url(&format!("/observatory/library/{report}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status().as_u16(), 200, "the observatory still reads it");

    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/observatory/library").await.0, 403);
}

const PLAN: &str = "axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Identifier et protéger,1,Former,1,Former les professionnels de première ligne,MIPROF,,,,,,,,,
";
const MEASURE: &str = "/coordination/plans/FORMER-1/years/2026/measures/1";

async fn seed_plan(app: &TestApp) {
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let header = PlanHeader {
        code: PlanCode::parse("FORMER-1").unwrap(),
        title: "Plan de formation (test)".into(),
        period: Period::new(2026, 2027).unwrap(),
    };
    coordination::import_as_system(&mut tx, &header, PLAN, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

fn session<'a>(held_on: &'a str, departement: &'a str, counts: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("held_on", held_on),
        ("title", "Repérer les victimes d’exploitation"),
        ("organiser", "École de police (test)"),
        ("departement", departement),
    ];
    fields.extend(counts.iter().copied());
    fields
}

/// The indicator ids in `…/indicators/{id}/…` form actions of a page.
fn indicator_ids(html: &str) -> Vec<String> {
    html.split("/indicators/")
        .skip(1)
        .filter_map(|rest| rest.get(..32))
        .filter(|id| id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned)
        .collect()
}

pub async fn training_is_recorded_after_an_error_and_counts_towards_a_plan_indicator(app: &TestApp) {
    seed_plan(app).await;
    let (coordinator, _) = user(
        app,
        OrganisationType::NationalCoordination,
        "miprof-formation@relais.test",
        Role::Coordinator,
    )
    .await;
    let coordinator = app.sign_in(&coordinator).await;
    let (status, html) = app.get(&coordinator, "/training").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/training\""),
        "the navigation offers the training records"
    );
    assert!(html.contains("Formations des professionnels en 2027"), "{html}");

    // Every problem named with its question; what was typed kept.
    let mut wrong = session("2027-02-01", "99", &[("trained-police", "-3"), ("trained-health", "4")]);
    wrong[1] = ("title", " ");
    let refused = app.submit(&coordinator, "/training", "/training", &wrong).await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    for message in [
        "Date de la session : la date ne peut pas être dans le futur.",
        "Thème : cette information est obligatoire.",
        "Département : choisissez un département dans la liste.",
        "Police nationale : indiquez un nombre entier de 0 à 10 000.",
    ] {
        assert!(html.contains(message), "{message}: {html}");
    }
    assert!(html.contains("href=\"#trained-police\"") && html.contains("value=\"-3\""));
    assert!(
        html.contains("value=\"École de police (test)\""),
        "what was typed is kept"
    );
    let nobody = app
        .submit(
            &coordinator,
            "/training",
            "/training",
            &session("2026-03-10", "13", &[]),
        )
        .await;
    assert_eq!(nobody.status().as_u16(), 422);
    assert!(
        nobody
            .text()
            .await
            .unwrap()
            .contains("Personnes formées par profession : indiquez au moins une personne formée.")
    );

    // Fixed: recorded, then listed in its year.
    let fixed = session(
        "2026-03-10",
        "13",
        &[("trained-police", "12"), ("trained-social-services", "3")],
    );
    let recorded = app.submit(&coordinator, "/training", "/training", &fixed).await;
    assert_eq!(recorded.status().as_u16(), 303);
    assert_eq!(location(&recorded), "/training?year=2026&done=training-recorded");
    let second = session("2026-05-02", "69", &[("trained-police", "30"), ("trained-health", "2")]);
    assert_eq!(
        app.submit(&coordinator, "/training", "/training", &second)
            .await
            .status()
            .as_u16(),
        303
    );
    let (_, year) = app
        .get(&coordinator, "/training?year=2026&done=training-recorded")
        .await;
    assert!(year.contains("La session est enregistrée."), "{year}");
    assert!(
        year.contains("2026 : 2 session(s) enregistrée(s), 47 personne(s) formée(s).")
            && year.contains("10 mars 2026")
            && year.contains("13 — Bouches-du-Rhône")
            && year.contains("Police nationale : 12 ; Travail social : 3"),
        "{year}"
    );

    // Indicators of the measure's year counted from the records.
    for (definition, counts) in [
        ("Professionnels formés", "training"),
        ("Policiers formés", "training:police"),
        ("Soignants formés", "training:health"),
    ] {
        let (_, page) = app.get(&coordinator, MEASURE).await;
        let added = coordinator
            .post(app.url(&format!("{MEASURE}/indicators")))
            .form(&[
                ("csrf", csrf_of(&page).as_str()),
                ("definition", definition),
                ("unit", "personnes"),
                ("target", "100"),
                ("counts", counts),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(added.status().as_u16(), 303, "{definition}");
    }
    let (_, page) = app.get(&coordinator, MEASURE).await;
    assert!(
        page.contains("Valeur calculée : 47 — Personnes formées (toutes professions), d’après les formations enregistrées, en 2026"),
        "{page}"
    );
    assert!(
        page.contains("Valeur calculée : 42 — Personnes formées (Police nationale)"),
        "{page}"
    );
    assert!(
        page.contains("Valeur calculée : &#60; 5 — Personnes formées (Santé)"),
        "a small group shows no figure: {page}"
    );
    let ids = indicator_ids(&page);
    assert!(ids.is_empty(), "no value is typed for a computed indicator: {ids:?}");

    // The totals for the statistics' readers, under the disclosure policy.
    let analyst = app.sign_in(&app.analyst).await;
    let (status, totals) = app.get(&analyst, "/statistics/training?year=2026").await;
    assert_eq!(status, 200);
    assert!(
        totals.contains("47 personne(s) formée(s) lors de 2 session(s).")
            && totals.contains("<th scope=\"row\">Police nationale</th><td>42</td>")
            && totals.contains("<th scope=\"row\">Santé</th><td>&#60; 5</td>")
            && totals.contains("<th scope=\"row\">Travail social</th><td>&#60; 5</td>"),
        "{totals}"
    );
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/training").await.0, 403);
    assert_eq!(app.get(&responder, "/statistics/training").await.0, 403);

    // A record entered by mistake is cancelled: the indicator follows.
    let (_, year) = app.get(&coordinator, "/training?year=2026").await;
    let cancel = year
        .split("action=\"/training/")
        .nth(1)
        .and_then(|rest| rest.get(..32))
        .unwrap()
        .to_owned();
    let cancelled = app
        .submit(
            &coordinator,
            "/training?year=2026",
            &format!("/training/{cancel}/cancel"),
            &[("year", "2026")],
        )
        .await;
    assert_eq!(location(&cancelled), "/training?year=2026&done=training-cancelled");
    let (_, page) = app.get(&coordinator, MEASURE).await;
    assert!(
        page.contains("Valeur calculée : 15 — Personnes formées (toutes professions)"),
        "the later session (30 police, 2 health) was the first listed and is cancelled: {page}"
    );
}
