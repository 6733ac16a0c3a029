//! The identification workflow from triage to a formal decision: deadlines,
//! the reflection period, four eyes on a negative decision, the letter.

use super::harness::{TestApp, location};
use super::triage::{details, referral, user};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::territory::{Departement, Territory};
use relais_store::access::organisations::NewOrganisation;
use relais_store::testing::texts;
use relais_store::{Actor, bootstrap};

pub(super) async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    case: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let page = format!("/cases/{case}");
    let response = app.submit(client, &page, &format!("{page}/events"), fields).await;
    let status = response.status().as_u16();
    let body = if status == 303 {
        app.get(client, &location(&response)).await.1
    } else {
        response.text().await.unwrap()
    };
    (status, body)
}

/// Accepts the referral in triage as the signed-in officer; returns the case id.
pub(super) async fn accept(
    app: &TestApp,
    officer: &reqwest::Client,
    referral: &relais_domain::ids::ReferralId,
) -> String {
    let item = format!("/triage/{referral}");
    let accepted = app.submit(officer, &item, &format!("{item}/accept"), &[]).await;
    assert_eq!(accepted.status().as_u16(), 303);
    texts(
        &app.store,
        &format!("SELECT case_id FROM referrals WHERE id = '{referral}'"),
    )
    .await
    .unwrap()
    .remove(0)
}

/// A first responder and an identification officer of their own organisations.
pub(super) async fn author_and_officer(
    app: &TestApp,
    author: &'static str,
    officer: &'static str,
) -> (
    (super::harness::TestUser, relais_domain::ids::UserId),
    super::harness::TestUser,
) {
    let author = user(app, OrganisationType::Police, author, Role::FirstResponder).await;
    let (officer, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        officer,
        Role::IdentificationOfficer,
    )
    .await;
    (author, officer)
}

async fn decide_cooperation(app: &TestApp, client: &reqwest::Client, case: &str, value: &str) -> (u16, String) {
    let page = format!("/cases/{case}");
    let response = app
        .submit(client, &page, &format!("{page}/cooperation"), &[("cooperation", value)])
        .await;
    let status = response.status().as_u16();
    (status, app.get(client, &page).await.1)
}

pub async fn the_case_queue_shows_a_page_at_a_time_in_deadline_order(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "case-author@relais.test", "decider-1@relais.test").await;
    let mut client = app.sign_in(&officer).await;
    let page = relais_web::CASES_PAGE;
    let mut cases = vec![];
    for i in 0..=page {
        // Names unlike each other, so that no one is offered as another's duplicate.
        let letters: String = [i / 26, i % 26]
            .into_iter()
            .map(|n| char::from(b'a' + u8::try_from(n).unwrap()))
            .collect();
        let name = format!("Okafor{letters}");
        // The last referral comes a week later (signed in again): its preliminary decision is due last.
        if i == page {
            app.clock.advance(7 * 86_400);
            client = app.sign_in(&officer).await;
        }
        let id = referral(app, &author, &details(&name, "67", false)).await;
        cases.push(accept(app, &client, &id).await);
        app.clock.advance(60);
    }
    let shown = |html: &str| cases.iter().filter(|c| html.contains(&format!("/cases/{c}\""))).count();
    let (status, html) = app.get(&client, "/cases").await;
    assert_eq!(status, 200);
    assert_eq!(shown(&html), page);
    assert!(
        !html.contains(&format!("/cases/{}\"", cases[page])),
        "due last, on the second page"
    );
    assert!(!html.contains("Première page"));
    let start = html.find("href=\"/cases?").expect("a link to the next page") + "href=\"/cases?".len();
    let next = html[start..].split('"').next().unwrap().replace("&#38;", "&");
    assert!(next.starts_with("after="), "{next}");
    let (status, second) = app.get(&client, &format!("/cases?{next}")).await;
    assert_eq!(status, 200);
    assert_eq!(shown(&second), 1);
    assert!(second.contains(&format!("/cases/{}\"", cases[page])));
    assert!(second.contains("Première page") && !second.contains("Page suivante"));
    // A key that does not read (an edited link) shows the first page.
    assert_eq!(shown(&app.get(&client, "/cases?after=x.2027").await.1), page);
}

pub async fn a_case_goes_from_triage_to_a_formal_decision_with_four_eyes(app: &TestApp) {
    let ((referrer, author), first) = author_and_officer(app, "case-author@relais.test", "decider-1@relais.test").await;
    let (second, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "decider-2@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let id = referral(app, &author, &details("Okafor", "67", false)).await;
    let one = app.sign_in(&first).await;
    let case = accept(app, &one, &id).await;

    let (status, html) = app.get(&one, "/cases").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/cases/{case}")) && html.contains("décision préliminaire"));

    // A decision states its reasons.
    let (status, html) = decide(app, &one, &case, &[("event", "preliminary-positive")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Cochez au moins un motif."));
    let (status, html) = decide(
        app,
        &one,
        &case,
        &[("event", "preliminary-positive"), ("reasons", "indicators")],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("Délai de réflexion et de rétablissement") && html.contains("CESEDA R.425-2"));
    let (status, letter) = app.get(&one, &format!("/cases/{case}/letter")).await;
    assert_eq!(status, 200);
    assert!(letter.contains("motifs raisonnables") && letter.contains("Les indicateurs observés"));

    // No formal decision before the period ends.
    let (status, html) = decide(
        app,
        &one,
        &case,
        &[
            ("event", "formal-negative"),
            ("reasons", "documents"),
            ("note", "Récit contradictoire"),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("Le délai de réflexion court jusqu’au"), "{html}");

    app.clock.advance(31 * 86_400);
    let one = app.sign_in(&first).await;
    let (status, html) = decide(
        app,
        &one,
        &case,
        &[("event", "formal-negative"), ("reasons", "documents")],
    )
    .await;
    assert_eq!(status, 422, "a negative decision is explained");
    assert!(html.contains("Expliquez une décision négative."));
    let (status, html) = decide(
        app,
        &one,
        &case,
        &[
            ("event", "formal-negative"),
            ("reasons", "documents"),
            ("note", "Récit contradictoire sur les dates"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("en attente d’un second décideur") || html.contains("attente d’un second décideur"));
    let (status, html) = decide(app, &one, &case, &[("event", "confirm-decision")]).await;
    assert_eq!(status, 409);
    assert!(html.contains("une autre personne"));

    let two = app.sign_in(&second).await;
    let (status, html) = decide(app, &two, &case, &[("event", "confirm-decision")]).await;
    assert_eq!(status, 303);
    assert!(html.contains("Non identifiée"));
    let (_, letter) = app.get(&two, &format!("/cases/{case}/letter")).await;
    assert!(letter.contains("ne vous reconnaît pas") && letter.contains("Demander un réexamen"));
    assert!(letter.contains("ne dépend pas d’un dépôt de plainte"));

    // The explanation is stored encrypted; every read of the case is audited.
    let notes = texts(
        &app.store,
        &format!("SELECT note FROM case_events WHERE case_id = '{case}' AND note IS NOT NULL"),
    )
    .await
    .unwrap();
    assert_eq!(notes.len(), 1);
    assert!(!notes[0].contains("contradictoire"));
    let reads = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' AND action = 'case.read'"),
    )
    .await
    .unwrap();
    assert!(reads.len() >= 5, "{reads:?}");
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/cases").await.0, 403);
    assert_eq!(app.get(&responder, "/statistics/timeliness").await.0, 403);

    // The referrer sees the outcome and asks for reconsideration with new information.
    let referrer = app.sign_in(&referrer).await;
    let status_page = format!("/referrals/{id}");
    let (_, html) = app.get(&referrer, &status_page).await;
    assert!(html.contains("Non identifiée") && html.contains("Demander un réexamen"));
    let refused = app
        .submit(
            &referrer,
            &status_page,
            &format!("{status_page}/reconsideration"),
            &[("information", " ")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let asked = app
        .submit(
            &referrer,
            &status_page,
            &format!("{status_page}/reconsideration"),
            &[("information", "Un témoin confirme les dates")],
        )
        .await;
    assert_eq!(
        location(&asked),
        format!("{status_page}?done=reconsideration-requested")
    );
    let (_, html) = app.get(&two, &format!("/cases/{case}")).await;
    assert!(html.contains("Demande de réexamen") && html.contains("Un témoin confirme les dates"));
    assert!(
        html.contains("Délai de réflexion et de rétablissement"),
        "back to the formal decision stage"
    );
    let (status, _) = decide(
        app,
        &two,
        &case,
        &[("event", "formal-positive"), ("reasons", "third-party-information")],
    )
    .await;
    assert_eq!(status, 303);

    // Cooperation with police is recorded apart; a transfer moves the case to another département.
    let (status, html) = decide_cooperation(app, &two, &case, "complaint-filed").await;
    assert_eq!(status, 303);
    assert!(html.contains("selected>Plainte déposée"));
    let (status, html) = decide(app, &two, &case, &[("event", "transfer")]).await;
    assert_eq!(
        status, 422,
        "a transfer names the receiving département or organisation"
    );
    assert!(html.contains("Un transfert nomme un département ou une organisation"));
    // A transfer goes only to a département with an identification authority, offered by name.
    let (status, _) = decide(app, &two, &case, &[("event", "transfer"), ("transfer_to", "57")]).await;
    assert_eq!(status, 422, "no authority in Moselle yet");
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: "Autorité d’identification de la Moselle (test)".into(),
            org_type: OrganisationType::IdentificationAuthority,
            territory: Territory::Departement(Departement::parse("57").unwrap()),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (_, html) = app.get(&two, &format!("/cases/{case}")).await;
    assert!(html.contains("<option value=\"57\">Autorité d’identification de la Moselle (test) (57)</option>"));
    assert!(
        html.contains("type=\"radio\" id=\"event-transfer\" name=\"event\" value=\"transfer\" data-group=\"transfer\"")
    );
    let (status, _) = decide(app, &two, &case, &[("event", "transfer"), ("transfer_to", "57")]).await;
    assert_eq!(status, 303);
    let moved = texts(
        &app.store,
        &format!("SELECT departement FROM cases WHERE id = '{case}'"),
    )
    .await
    .unwrap();
    assert_eq!(moved, vec!["57"]);

    // Timeliness: the preliminary decision came the day of the referral, the
    // formal one 31 days later; the analyst sees figures, never a reference.
    // One case is under the disclosure threshold: this process shows groups of one.
    let analyst = app.sign_in(&app.analyst).await;
    let groups_of_one = app.another_process(|s| s.statistics.min_group = 1).await;
    let (status, html) = groups_of_one.get(&analyst, "/statistics/timeliness").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg role=\"img\"") && html.contains("<th scope=\"row\">57</th>"));
    assert!(
        html.contains("<td>0,0</td>") && html.contains("<td>31,0</td>"),
        "{html}"
    );
    assert!(!html.contains("RL-"));
}

pub async fn health_notes_stay_hidden_from_the_police_on_a_shared_case(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "file-author@relais.test", "file-officer@relais.test").await;
    let id = referral(app, &author, &details("Okonkwo", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let file = format!("/cases/{case}/file");
    for (level, body) in [
        ("health", "Enceinte de cinq mois, suivi à organiser"),
        ("general", "Rendez-vous fixé mardi"),
    ] {
        let response = app
            .submit(
                &owner,
                &file,
                &format!("{file}/notes"),
                &[("sensitivity", level), ("body", body)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "{level}");
    }

    // Tasks with due dates; overdue ones are flagged; titles are encrypted.
    let refused = app
        .submit(
            &owner,
            &file,
            &format!("{file}/tasks"),
            &[("title", "Rendez-vous préfecture"), ("due", "demain")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let added = app
        .submit(
            &owner,
            &file,
            &format!("{file}/tasks"),
            &[("title", "Rendez-vous préfecture"), ("due", "2027-01-01")],
        )
        .await;
    assert_eq!(added.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &file).await;
    assert!(html.contains("Rendez-vous préfecture") && html.contains("EN RETARD"));
    let titles = texts(&app.store, &format!("SELECT title FROM tasks WHERE case_id = '{case}'"))
        .await
        .unwrap();
    assert!(!titles[0].contains("préfecture"));
    let task = texts(&app.store, &format!("SELECT id FROM tasks WHERE case_id = '{case}'"))
        .await
        .unwrap()
        .remove(0);
    let done = app
        .submit(&owner, &file, &format!("{file}/tasks/{task}/done"), &[])
        .await;
    assert_eq!(done.status().as_u16(), 303);
    assert!(app.get(&owner, &file).await.1.contains("(faite)"));

    // Documents: checked by content, stored encrypted.
    let (_, html) = app.get(&owner, &file).await;
    let csrf = super::harness::csrf_of(&html);
    let upload = |level: &'static str, name: &'static str, bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("sensitivity", level)
            .part("document", reqwest::multipart::Part::bytes(bytes).file_name(name));
        owner.post(app.url(&format!("{file}/documents"))).multipart(form).send()
    };
    assert_eq!(
        upload("general", "virus.pdf", b"MZ\x90\x00\xff\xfe")
            .await
            .unwrap()
            .status()
            .as_u16(),
        422
    );
    let refused = upload("general", "virus.pdf", b"MZ\x90\x00\xff\xfe")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(refused.contains("le contenu est vérifié"));
    assert_eq!(
        upload("health", "certificat médical.pdf", b"%PDF-1.7 certificat")
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        upload("general", "convocation.txt", b"Convocation mardi 10h")
            .await
            .unwrap()
            .status()
            .as_u16(),
        303
    );
    let stored = texts(&app.store, "SELECT content FROM case_documents").await.unwrap();
    assert!(
        stored
            .iter()
            .all(|c| !c.contains("certificat") && !c.contains("Convocation"))
    );
    let documents = texts(
        &app.store,
        &format!("SELECT sensitivity || ' ' || id FROM case_documents WHERE case_id = '{case}' ORDER BY sensitivity"),
    )
    .await
    .unwrap();
    let (general, health) = (
        documents[0].split(' ').nth(1).unwrap().to_owned(),
        documents[1].split(' ').nth(1).unwrap().to_owned(),
    );

    // The police unit of the harness (the responder's organisation) sees nothing until the case is shared.
    let police = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&police, &file).await.0, 404);
    let response = app
        .submit(
            &owner,
            &file,
            &format!("{file}/shares"),
            &[
                ("organisation_id", app.organisation.as_str()),
                ("purpose", "investigation"),
                ("basis", "override"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422, "an override needs a reason");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Expliquez pourquoi les informations sont partagées sans consentement")
    );
    let response = app
        .submit(
            &owner,
            &file,
            &format!("{file}/shares"),
            &[
                ("organisation_id", app.organisation.as_str()),
                ("purpose", "investigation"),
                ("basis", "consent"),
                ("days", "7"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let (status, html) = app.get(&police, &file).await;
    assert_eq!(status, 200);
    assert!(html.contains("Rendez-vous fixé mardi"), "general notes are shared");
    assert!(!html.contains("Enceinte"), "health notes never reach the police");
    assert!(
        !html.contains("Journal des accès"),
        "only the owner sees the access log"
    );
    let (_, shared) = app.get(&police, "/shared-cases").await;
    assert!(shared.contains(&file) && shared.contains("Enquête"));
    // The general document downloads; the health one does not exist for the police.
    let download = police
        .get(app.url(&format!("{file}/documents/{general}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status().as_u16(), 200);
    assert_eq!(
        download.headers().get("content-disposition").unwrap().to_str().unwrap(),
        "attachment; filename=\"convocation.txt\""
    );
    assert_eq!(download.text().await.unwrap(), "Convocation mardi 10h");
    assert_eq!(app.get(&police, &format!("{file}/documents/{health}")).await.0, 404);
    assert!(
        !html.contains("certificat"),
        "health documents are not listed to the police"
    );
    // The police cannot write a health note either.
    let refused = app
        .submit(
            &police,
            &file,
            &format!("{file}/notes"),
            &[("sensitivity", "health"), ("body", "x")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);

    // The owner sees who read the case, the police included.
    let (_, html) = app.get(&owner, &file).await;
    assert!(html.contains("Enceinte") && html.contains("Journal des accès"));
    assert!(html.contains("responder@relais.test") && html.contains("Consultation du dossier"));
    assert!(html.contains("Téléchargement d’un document") && html.contains("certificat médical.pdf"));

    // Revoked: the police lose access at once.
    let share = texts(
        &app.store,
        &format!("SELECT id FROM case_shares WHERE case_id = '{case}'"),
    )
    .await
    .unwrap()[0]
        .clone();
    let response = app
        .submit(&owner, &file, &format!("{file}/shares/{share}/revoke"), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get(&police, &file).await.0, 404);
    let notes = texts(&app.store, "SELECT body FROM case_notes").await.unwrap();
    assert!(
        notes.iter().all(|n| !n.contains("Enceinte")),
        "notes are encrypted at rest"
    );
}
