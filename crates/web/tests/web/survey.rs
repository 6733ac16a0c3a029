//! The associations' annual survey (issue 14, part 3): the observatory opens
//! a campaign, an association fills in its totals and profiles (errors named,
//! what was typed kept), leaves and comes back, checks and sends; another
//! association never sees it; the observatory follows who has answered.

use super::harness::{TestApp, csrf_of, location};
use super::triage::user;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::jobs::RunState;
use relais_domain::time::{Date, Zone};
use relais_store::outbox;
use relais_store::testing::texts;
use relais_web::AppState;
use relais_web::jobs::survey_reminders::{self, Outcome};

/// The questionnaire's id, from the association's list.
fn questionnaire_id(list: &str) -> String {
    let start = list.find("href=\"/survey/").expect("a questionnaire link") + "href=\"/survey/".len();
    list[start..start + 32].to_owned()
}

const PROFILE: &[(&str, &str)] = &[
    ("relation", "accompanied"),
    ("sex", "female"),
    ("age_group", "25-34"),
    ("minor_at_start", "no"),
    ("exploited_in", "france"),
    ("network", "yes"),
    ("exploiter_family", "no"),
    ("housed_by_exploiter", "yes"),
    ("complaint", "unknown"),
    ("residence_permit", "yes"),
    ("care", "yes"),
    ("housing", "yes"),
    ("unaccompanied_minor", "no"),
    ("nationality", "NGA"),
    ("forms", "sexual"),
];

pub async fn an_association_fills_in_the_survey_and_the_observatory_follows(app: &TestApp) {
    let (worker, _) = user(
        app,
        OrganisationType::Association,
        "survey-asso@relais.test",
        Role::SupportWorker,
    )
    .await;
    let (other, _) = user(
        app,
        OrganisationType::Association,
        "survey-other@relais.test",
        Role::SupportWorker,
    )
    .await;
    let (police, _) = user(
        app,
        OrganisationType::Police,
        "survey-police@relais.test",
        Role::FirstResponder,
    )
    .await;
    let analyst = app.sign_in(&app.analyst).await;

    // The campaign: a wrong year and dates in the wrong order are named, what was typed stays.
    let bad = [("year", "26"), ("opens_on", "2020-03-01"), ("closes_on", "2020-01-01")];
    let response = app
        .submit(&analyst, "/observatory/survey", "/observatory/survey", &bad)
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Indiquez l’année de données en quatre chiffres"));
    assert!(html.contains("La clôture doit venir après l’ouverture."));
    assert!(html.contains("href=\"#closes_on\"") && html.contains("value=\"2020-03-01\""));
    let good = [
        ("year", "2025"),
        ("opens_on", "2020-01-01"),
        ("closes_on", "2099-12-31"),
    ];
    let response = app
        .submit(&analyst, "/observatory/survey", "/observatory/survey", &good)
        .await;
    assert_eq!(location(&response), "/observatory/survey/2025?done=survey-opened");
    let (_, html) = app.get(&analyst, "/observatory/survey/2025?done=survey-opened").await;
    assert!(html.contains("La campagne est ouverte"));
    assert!(html.contains("Organisation survey-asso@relais.test") && html.contains("Pas commencé"));
    assert!(
        !html.contains("Organisation survey-police@relais.test"),
        "only associations are invited"
    );
    let response = app
        .submit(&analyst, "/observatory/survey", "/observatory/survey", &good)
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Une campagne couvre déjà cette année.")
    );

    // The association's questionnaire; the police has none to fill in.
    let client = app.sign_in(&worker).await;
    let (_, list) = app.get(&client, "/survey").await;
    assert!(list.contains("Remplir le questionnaire de l’Enquête 2025"));
    let id = questionnaire_id(&list);
    let page = format!("/survey/{id}");
    let police = app.sign_in(&police).await;
    assert_eq!(app.get(&police, &page).await.0, 403);
    let other = app.sign_in(&other).await;
    assert_eq!(
        app.get(&other, &page).await.0,
        404,
        "another association's questionnaire is not found"
    );

    // Totals: a count that is not a number and a form above the total are named; the typing stays.
    let totals = [
        ("accompanied", "2"),
        ("new_in_year", "1"),
        ("form_sexual", "3"),
        ("form_labour", "1,5"),
    ];
    let response = app.submit(&client, &page, &format!("{page}/totals"), &totals).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Le nombre pour une forme ne peut pas dépasser les personnes accompagnées."));
    assert!(html.contains("Indiquez un nombre entier, sans espace ni virgule."));
    assert!(html.contains("value=\"1,5\"") && html.contains("href=\"#form_sexual\""));
    let totals = [("accompanied", "2"), ("new_in_year", "1"), ("form_sexual", "1")];
    let response = app.submit(&client, &page, &format!("{page}/totals"), &totals).await;
    assert_eq!(location(&response), format!("/survey/{id}?done=survey-totals-saved"));

    // A profile with a question unanswered: named by its words, the other answers kept.
    let missing: Vec<(&str, &str)> = PROFILE.iter().copied().filter(|(k, _)| *k != "network").collect();
    let response = app.submit(&client, &page, &format!("{page}/profiles"), &missing).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Répondez à la question « Exploitation par un réseau »."),
        "{html}"
    );
    assert!(html.contains("<option value=\"25-34\" selected>") && html.contains("value=\"NGA\" selected"));
    for _ in 0..2 {
        let response = app.submit(&client, &page, &format!("{page}/profiles"), PROFILE).await;
        assert_eq!(
            location(&response),
            format!("/survey/{id}?done=survey-profile-added#profiles")
        );
    }
    // Stored encrypted: the nationality is nowhere in clear. (A bare "NGA" may occur by chance
    // in the ciphertext's base64; a quoted one, as the answers' JSON has it, cannot.)
    let stored = texts(&app.store, "SELECT answers FROM survey_profiles").await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(
        stored
            .iter()
            .all(|a| a.starts_with("v2:") && !a.contains("\"NGA\"") && !a.contains("sexual")),
        "{stored:?}"
    );

    // Left and taken up again: the list says in progress, the page shows the profiles in words.
    let (_, list) = app.get(&client, "/survey").await;
    assert!(list.contains("En cours"));
    let (_, html) = app.get(&client, &page).await;
    assert!(html.contains("2 profil(s) saisi(s)"));
    assert!(
        html.contains("Accompagnée par l’association · Femme · 25 à 34 ans · Nigeria"),
        "{html}"
    );

    // The check: two sexual-exploitation profiles for a total of one blocks the sending.
    let (_, check) = app.get(&client, &format!("{page}/check")).await;
    assert!(check.contains("Exploitation sexuelle : 2 profils de personnes accompagnées pour un total déclaré de 1."));
    assert!(
        !check.contains("action=\"/survey/"),
        "no sending while it does not add up"
    );
    let response = app
        .submit(&client, &format!("{page}/check"), &format!("{page}/submit"), &[])
        .await;
    assert_eq!(
        location(&response),
        format!("/survey/{id}/check"),
        "the store refuses it too"
    );

    // One profile removed: it adds up, and the questionnaire is sent.
    let (_, html) = app.get(&client, &page).await;
    let start = html.find(&format!("action=\"/survey/{id}/profiles/")).unwrap()
        + format!("action=\"/survey/{id}/profiles/").len();
    let profile = &html[start..start + 32];
    let response = app
        .submit(&client, &page, &format!("{page}/profiles/{profile}/remove"), &[])
        .await;
    assert_eq!(
        location(&response),
        format!("/survey/{id}?done=survey-profile-removed#profiles")
    );
    let (_, check) = app.get(&client, &format!("{page}/check")).await;
    assert!(check.contains("1 profils de personnes accompagnées pour 2 déclarées : vous pouvez envoyer"));
    let response = app
        .submit(&client, &format!("{page}/check"), &format!("{page}/submit"), &[])
        .await;
    assert_eq!(location(&response), format!("/survey/{id}?done=survey-submitted"));
    let (_, html) = app.get(&client, &format!("{page}?done=survey-submitted")).await;
    assert!(
        html.contains("Le questionnaire est envoyé à l’observatoire.") && html.contains("Questionnaire envoyé le ")
    );
    assert!(
        !html.contains(&format!("action=\"/survey/{id}/totals\"")),
        "sent: read only"
    );
    let response = app.submit(&client, &page, &format!("{page}/profiles"), PROFILE).await;
    assert_eq!(response.status().as_u16(), 409, "nothing changes once sent");

    // The sent profile is the survey source's first version, pseudonymised, for the statistics.
    let rows = texts(
        &app.store,
        "SELECT r.data FROM observatory_rows r JOIN observatory_sources s ON s.current_version_id = r.version_id \
         WHERE s.code = 'enquete-associations'",
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains("\"nationalite\":\"NGA\"") && rows[0].contains("\"forme\":\"sexual\""),
        "{rows:?}"
    );
    assert!(!rows[0].contains(&id), "no questionnaire id in the row");

    // The observatory sees who answered, with how many profiles.
    let (_, html) = app.get(&analyst, "/observatory/survey").await;
    assert!(html.contains("1 questionnaire(s) envoyé(s) sur 2"), "{html}");
    let (_, html) = app.get(&analyst, "/observatory/survey/2025").await;
    let row = &html[html.find("Organisation survey-asso@relais.test").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("Envoyé") && row.contains("<td data-label=\"Profils saisis\">1</td>"),
        "{row}"
    );
}

pub async fn the_associations_are_invited_by_email_and_the_late_reminded(app: &TestApp) {
    let (worker, _) = user(
        app,
        OrganisationType::Association,
        "mail-asso@relais.test",
        Role::SupportWorker,
    )
    .await;
    user(
        app,
        OrganisationType::Association,
        "mail-admin@relais.test",
        Role::OrganisationAdministrator,
    )
    .await;
    user(
        app,
        OrganisationType::Police,
        "mail-police@relais.test",
        Role::FirstResponder,
    )
    .await;
    let analyst = app.sign_in(&app.analyst).await;
    let today = Date::local(app.clock.now(), &Zone::paris());
    let opens = today.plus_days(-1).to_string();
    let closes = today.plus_days(20).to_string();
    let campaign = [
        ("year", "2026"),
        ("opens_on", opens.as_str()),
        ("closes_on", closes.as_str()),
    ];
    let response = app
        .submit(&analyst, "/observatory/survey", "/observatory/survey", &campaign)
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // The invitation: each association's support worker and administrator, the police nobody.
    let mails = outbox::claim(&app.store, app.clock.now(), 10).await.unwrap();
    let mut to: Vec<&str> = mails.iter().map(|m| m.recipient.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["mail-admin@relais.test", "mail-asso@relais.test"]);
    assert_eq!(mails[0].subject, "Relais — enquête annuelle 2026 : votre questionnaire");
    let closing = relais_web::day_in_words(today.plus_days(20), relais_web::Locale::Fr);
    assert!(
        mails[0].body.contains(&format!("au plus tard le {closing}")) && mails[0].body.contains(&app.url("/survey")),
        "{}",
        mails[0].body
    );
    for mail in &mails {
        outbox::sent(&app.store, &mail.id).await.unwrap();
    }

    // Two weeks before the closing, the associations that have not sent are reminded, once that day.
    let process = AppState::new(
        app.store.clone(),
        app.keys.clone(),
        super::harness::settings("https://relais.test"),
        app.clock.clone(),
    )
    .unwrap();
    assert_eq!(
        survey_reminders::run_daily(&process).await.unwrap(),
        Outcome::Done(0),
        "too early"
    );
    app.clock.advance(6 * 86_400);
    assert_eq!(survey_reminders::run_daily(&process).await.unwrap(), Outcome::Done(2));
    assert_eq!(
        survey_reminders::run_daily(&process).await.unwrap(),
        Outcome::NotNow(RunState::Done),
        "once a day"
    );
    let mails = outbox::claim(&app.store, app.clock.now(), 10).await.unwrap();
    assert_eq!(mails.len(), 2);
    assert!(
        mails[0].subject.starts_with("Relais — rappel : enquête annuelle 2026"),
        "{}",
        mails[0].subject
    );
    for mail in &mails {
        outbox::sent(&app.store, &mail.id).await.unwrap();
    }

    // The worker's association sends its questionnaire; three days before the closing only the other is reminded.
    let client = app.sign_in(&worker).await;
    let (_, list) = app.get(&client, "/survey").await;
    let page = format!("/survey/{}", questionnaire_id(&list));
    let totals = [("accompanied", "0")];
    app.submit(&client, &page, &format!("{page}/totals"), &totals).await;
    let sent = app
        .submit(&client, &format!("{page}/check"), &format!("{page}/submit"), &[])
        .await;
    assert_eq!(location(&sent), format!("{page}?done=survey-submitted"));
    app.clock.advance(11 * 86_400);
    assert_eq!(survey_reminders::run_daily(&process).await.unwrap(), Outcome::Done(1));
    let mails = outbox::claim(&app.store, app.clock.now(), 10).await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].recipient, "mail-admin@relais.test");
}

/// Posts a spreadsheet to the questionnaire's upload form.
async fn upload(app: &TestApp, client: &reqwest::Client, page: &str, bytes: &[u8]) -> reqwest::Response {
    let (_, html) = app.get(client, page).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf_of(&html)).part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name("profils.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    client
        .post(app.url(&format!("{page}/profiles/upload")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn an_association_uploads_its_profiles_as_a_spreadsheet(app: &TestApp) {
    let (worker, _) = user(
        app,
        OrganisationType::Association,
        "sheet-asso@relais.test",
        Role::SupportWorker,
    )
    .await;
    let analyst = app.sign_in(&app.analyst).await;
    let campaign = [
        ("year", "2025"),
        ("opens_on", "2020-01-01"),
        ("closes_on", "2099-12-31"),
    ];
    app.submit(&analyst, "/observatory/survey", "/observatory/survey", &campaign)
        .await;
    let client = app.sign_in(&worker).await;
    let (_, list) = app.get(&client, "/survey").await;
    let page = format!("/survey/{}", questionnaire_id(&list));

    // The template: one column per question, headed in the reader's words.
    let response = client
        .get(app.url(&format!("{page}/template.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let template = relais_observatory::import::table::read(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(template.header.len(), 15);
    assert_eq!(template.header[0], "Relation avec la personne");
    assert_eq!(template.header[14], "Formes d’exploitation");

    // A file filled in French words, with one wrong answer: named by line and column, nothing added.
    let header = template.header.join(";");
    let good = "Accompagnée par l’association;Femme;25 à 34 ans;Non;En France (aussi à l’étranger le cas échéant);Oui;Non;Oui;Inconnu;Oui;Oui;Oui;Non;Nigeria;Exploitation sexuelle";
    let second = "Détectée, pas accompagnée;Homme;18 à 24 ans;Non;Inconnu;Inconnu;Inconnu;Inconnu;Inconnu;Inconnu;Inconnu;Inconnu;Non;ROU;\"Exploitation par le travail ; Mendicité forcée\"";
    let wrong = second.replace("Homme", "Masculin");
    let response = upload(app, &client, &page, format!("{header}\n{good}\n{wrong}\n").as_bytes()).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Ligne 3, « Sexe » : « Masculin » n’est pas une des réponses proposées."),
        "{html}"
    );
    assert!(html.contains("href=\"#profiles_file\""));
    assert!(
        texts(&app.store, "SELECT id FROM survey_profiles")
            .await
            .unwrap()
            .is_empty()
    );

    // Corrected: both profiles, in the file's order.
    let response = upload(app, &client, &page, format!("{header}\n{good}\n{second}\n").as_bytes()).await;
    assert_eq!(
        location(&response),
        format!("{page}?done=survey-profiles-imported#profiles")
    );
    let (_, html) = app.get(&client, &format!("{page}?done=survey-profiles-imported")).await;
    assert!(html.contains("Les profils du tableur sont ajoutés.") && html.contains("2 profil(s) saisi(s)"));
    let first = html
        .find("Accompagnée par l’association · Femme · 25 à 34 ans · Nigeria")
        .unwrap();
    let then = html
        .find("Détectée, pas accompagnée · Homme · 18 à 24 ans · Roumanie")
        .unwrap();
    assert!(first < then, "the file's order");
    assert!(html.contains("Exploitation par le travail, Mendicité forcée"));
}
