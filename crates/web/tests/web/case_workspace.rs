//! The case workspace (issue 16, parts 5 and 7, and the casework half of
//! part 3): a header on every page of a case, tabs for the pages the reader
//! may open, a confirmation after every action, and the decision letter as
//! an official letter of the State in the person's language.

use super::cases_flow::{accept, author_and_officer, decide};
use super::harness::{TestApp, csrf_of, location};
use super::triage::{details, referral};
use relais_domain::access::role::Role;
use relais_domain::casework::case_access::{CaseArea, CaseRelation, Mode, SharePurpose};
use relais_store::testing::texts;

/// POSTs a form of `page` to `action`; follows the redirect and returns the page it led to.
async fn act(app: &TestApp, client: &reqwest::Client, page: &str, action: &str, fields: &[(&str, &str)]) -> String {
    let response = app.submit(client, page, action, fields).await;
    assert_eq!(response.status().as_u16(), 303, "{action}");
    let (status, html) = app.get(client, &location(&response)).await;
    assert_eq!(status, 200, "{action}");
    html
}

/// The success notice of a page, if any.
fn notice(html: &str) -> Option<&str> {
    let start = html.find("fr-alert--success")?;
    let text = &html[start..];
    let open = text.find("<p>")? + 3;
    let close = text[open..].find("</p>")?;
    Some(&text[open..open + close])
}

fn tab(case: &str, path: &str) -> String {
    format!("class=\"fr-tabs__tab\" href=\"/cases/{case}{path}\"")
}

pub async fn the_case_header_and_tabs_follow_the_reader_and_every_action_is_confirmed(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "ws-author@relais.test", "ws-officer@relais.test").await;
    let mut child = details("Petrova", "93", true);
    child.age = "minor".into();
    let id = referral(app, &author, &child).await;
    let owner = app.sign_in(&officer).await;

    // Accepting the triage item confirms it with a link to the new case.
    let item = format!("/triage/{id}");
    let accepted = app.submit(&owner, &item, &format!("{item}/accept"), &[]).await;
    assert_eq!(location(&accepted), format!("{item}?done=triage-accepted"));
    let case = texts(&app.store, &format!("SELECT case_id FROM referrals WHERE id = '{id}'"))
        .await
        .unwrap()
        .remove(0);
    let (_, html) = app.get(&owner, &format!("{item}?done=triage-accepted")).await;
    assert!(
        notice(&html).is_some_and(|n| n.contains("un dossier est ouvert")),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/cases/{case}\"")) && html.contains("Ouvrir le dossier"));

    // The header: reference, name, flags as badges, the next deadline in words; the tabs.
    let decision = format!("/cases/{case}");
    let (status, html) = app.get(&owner, &decision).await;
    assert_eq!(status, 200);
    assert!(html.contains("relais-case-header") && html.contains("Anna PETROVA"));
    assert!(html.contains("fr-badge--new\">Mineur") && html.contains("fr-badge--error\">Urgent"));
    assert!(html.contains("décision préliminaire : "), "the deadline in words");
    assert!(!html.contains("T00:") && !html.contains("UTC"));
    for path in ["", "/file", "/file/people", "/support", "/onward"] {
        assert!(html.contains(&tab(&case, path)), "tab {path}");
    }
    assert!(html.contains(&format!("{} aria-current=\"page\">Décision</a>", tab(&case, ""))));
    let (_, file_html) = app.get(&owner, &format!("{decision}/file")).await;
    assert!(file_html.contains(&format!("{} aria-current=\"page\">Dossier</a>", tab(&case, "/file"))));
    for page in ["/file/people", "/support", "/onward", "/onward/placement"] {
        let (status, html) = app.get(&owner, &format!("{decision}{page}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            html.contains("relais-case-header") && html.contains("Anna PETROVA"),
            "{page}"
        );
    }
    let header_reads = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' AND action = 'case.header-read'"),
    )
    .await
    .unwrap();
    assert!(header_reads.len() >= 6, "the name read in the header is audited");

    // Every action says it was done.
    let (status, html) = decide(
        app,
        &owner,
        &case,
        &[("event", "preliminary-positive"), ("reasons", "indicators")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(notice(&html), Some("La décision est enregistrée."));
    let html = act(
        app,
        &owner,
        &decision,
        &format!("{decision}/cooperation"),
        &[("cooperation", "none")],
    )
    .await;
    assert!(notice(&html).is_some_and(|n| n.contains("police et de la justice")));
    let file = format!("{decision}/file");
    let html = act(
        app,
        &owner,
        &file,
        &format!("{file}/notes"),
        &[("sensitivity", "general"), ("body", "Appel passé")],
    )
    .await;
    assert_eq!(notice(&html), Some("La note est ajoutée au dossier."));
    let html = act(
        app,
        &owner,
        &file,
        &format!("{file}/tasks"),
        &[("title", "Préfecture"), ("due", "2027-01-01")],
    )
    .await;
    assert_eq!(notice(&html), Some("La tâche est ajoutée."));
    let task = texts(&app.store, &format!("SELECT id FROM tasks WHERE case_id = '{case}'"))
        .await
        .unwrap()
        .remove(0);
    let html = act(app, &owner, &file, &format!("{file}/tasks/{task}/done"), &[]).await;
    assert_eq!(notice(&html), Some("La tâche est marquée comme faite."));
    let csrf = csrf_of(&app.get(&owner, &file).await.1);
    let upload = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("sensitivity", "general")
        .part(
            "document",
            reqwest::multipart::Part::bytes(&b"Convocation mardi"[..]).file_name("convocation.txt"),
        );
    let uploaded = owner
        .post(app.url(&format!("{file}/documents")))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&uploaded), format!("{file}?done=case-document-uploaded"));
    assert_eq!(
        notice(&app.get(&owner, &location(&uploaded)).await.1),
        Some("Le document est ajouté au dossier.")
    );
    let share = [
        ("organisation_id", app.organisation.as_str()),
        ("purpose", "investigation"),
        ("basis", "consent"),
        ("days", "7"),
    ];
    let html = act(app, &owner, &file, &format!("{file}/shares"), &share).await;
    assert_eq!(notice(&html), Some("Le dossier est partagé avec l’organisation."));
    let people = format!("{file}/people");
    let html = act(
        app,
        &owner,
        &people,
        &format!("{people}/person"),
        &[("family_name", "Petrova"), ("given_names", "Maria")],
    )
    .await;
    assert_eq!(notice(&html), Some("La fiche de la personne est enregistrée."));
    assert!(html.contains("Maria PETROVA"), "the header follows the saved record");
    let html = act(
        app,
        &owner,
        &people,
        &format!("{people}/dependants"),
        &[("name", "Ivo"), ("relation", "child"), ("birth_year", "2019")],
    )
    .await;
    assert_eq!(notice(&html), Some("La personne à charge est ajoutée."));
    let row = texts(
        &app.store,
        &format!("SELECT id FROM case_people WHERE case_id = '{case}' AND role = 'dependant'"),
    )
    .await
    .unwrap()
    .remove(0);
    let html = act(app, &owner, &people, &format!("{people}/dependants/{row}/remove"), &[]).await;
    assert_eq!(notice(&html), Some("La personne à charge est retirée."));
    // Unknown confirmation keys are not shown (no text through the URL).
    let (_, html) = app.get(&owner, &format!("{file}?done=pirate")).await;
    assert_eq!(notice(&html), None);

    // The police, through a share for an investigation, see the header as
    // the policy opens the case to them: the name only where it opens the
    // identity, and only the tabs of the pages they may open.
    let police = app.sign_in(&app.responder).await;
    let relation = CaseRelation::shared([SharePurpose::Investigation]);
    let opens = |area| relation.decide(&[Role::FirstResponder], area, Mode::Read).is_ok();
    let (status, html) = app.get(&police, &file).await;
    assert_eq!(status, 200);
    assert!(html.contains("relais-case-header"));
    assert_eq!(html.contains("Maria PETROVA"), opens(CaseArea::Identity));
    assert!(!html.contains(&tab(&case, "")), "the decision page is the authority's");
    assert_eq!(html.contains(&tab(&case, "/support")), opens(CaseArea::Needs));
    assert_eq!(html.contains(&tab(&case, "/onward")), opens(CaseArea::OnwardReferrals));
    assert_eq!(html.contains(&tab(&case, "/file/people")), opens(CaseArea::Identity));

    let share_id = texts(
        &app.store,
        &format!("SELECT id FROM case_shares WHERE case_id = '{case}'"),
    )
    .await
    .unwrap()
    .remove(0);
    let html = act(app, &owner, &file, &format!("{file}/shares/{share_id}/revoke"), &[]).await;
    assert!(notice(&html).is_some_and(|n| n.starts_with("Le partage est retiré")));
    assert_eq!(app.get(&police, &file).await.0, 404);

    // The letter prints without the header.
    let (_, letter) = app.get(&owner, &format!("{decision}/letter")).await;
    assert!(!letter.contains("relais-case-header"));
}

pub async fn the_decision_letter_is_an_official_letter_in_the_persons_language(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "letter-author@relais.test", "letter-officer@relais.test").await;
    let id = referral(app, &author, &details("Okoro", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let letter = format!("/cases/{case}/letter");
    assert_eq!(app.get(&owner, &letter).await.0, 404, "no letter before a decision");
    let people = format!("/cases/{case}/file/people");
    act(
        app,
        &owner,
        &people,
        &format!("{people}/person"),
        &[
            ("family_name", "Okoro"),
            ("given_names", "Blessing"),
            ("languages", "bin, eng"),
            ("through_whom", "Association Amicale, 3 rue des Lilas, Saint-Denis"),
        ],
    )
    .await;
    let (status, _) = decide(
        app,
        &owner,
        &case,
        &[
            ("event", "preliminary-positive"),
            ("reasons", "indicators"),
            ("note", "Récit cohérent et détaillé"),
        ],
    )
    .await;
    assert_eq!(status, 303);

    // In English: the person's recorded language (Edo has no translation, English has).
    let (status, html) = app.get(&owner, &letter).await;
    assert_eq!(status, 200);
    assert!(html.contains("<article class=\"relais-letter\" lang=\"en\">"), "{html}");
    assert!(html.contains("République<br>Française"), "the State's letterhead");
    assert!(
        html.contains("Organisation letter-officer@relais.test"),
        "the deciding authority"
    );
    assert!(html.contains("Blessing OKORO") && html.contains("3 rue des Lilas"));
    assert!(
        html.contains("letter-officer@relais.test, Identification officer"),
        "the signatory"
    );
    assert!(html.contains("reasonable grounds") && html.contains("Récit cohérent et détaillé"));
    assert!(html.contains("How and when to challenge this decision") && html.contains("R. 421-1"));
    assert!(html.contains("within two months"));
    assert!(html.contains("does not depend on filing a complaint"));
    assert!(html.contains("/assets/letter-print.css\" media=\"print\""));
    assert!(!html.contains("T00:") && !html.contains("UTC"));

    // In French on request, whatever the reader's language.
    let (_, html) = app.get(&owner, &format!("{letter}?lang=fr")).await;
    assert!(html.contains("lang=\"fr\"") && html.contains("Voies et délais de recours"));
    assert!(html.contains("recours gracieux auprès de Organisation letter-officer@relais.test"));
    assert!(html.contains("tribunal administratif") && html.contains("deux mois"));
    assert!(html.contains("article R. 421-1 du code de justice administrative"));
    assert!(html.contains("ne dépend pas du dépôt d’une plainte"));

    // On paper: A4, no navigation.
    let (status, css) = app.get(&owner, "/assets/letter-print.css").await;
    assert_eq!(status, 200);
    assert!(css.contains("size: A4") && css.contains(".fr-header, .fr-footer"));

    let reads = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' AND action = 'case.letter'"),
    )
    .await
    .unwrap();
    assert_eq!(
        reads.len(),
        3,
        "each reading of the letter is audited, the one before a decision too"
    );
}
