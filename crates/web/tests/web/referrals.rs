//! The professional referral form: drafts saved at every step, errors that
//! keep what was typed, check-your-answers, submission with the consent and
//! child rules, and what the referrer sees afterwards.

use super::harness::{TestApp, csrf_of, location};
use relais_store::testing::{execute_raw, texts};

const PERSON: &[(&str, &str)] = &[
    ("family_name", "Petrovaïa"),
    ("given_names", "Anna"),
    ("aliases", "Ania"),
    ("birth_date", "1999"),
    ("age", "adult"),
    ("sex", "female"),
    ("nationality", "bgr"),
    ("departement", "31"),
];

/// Creates a draft and returns its id.
pub async fn new_draft(app: &TestApp, client: &reqwest::Client) -> String {
    let response = app.submit(client, "/referrals", "/referrals", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let to = location(&response);
    assert!(to.ends_with("/steps/person"), "{to}");
    to.trim_start_matches("/referrals/")
        .trim_end_matches("/steps/person")
        .to_owned()
}

/// Posts one step with "save and continue"; returns (status, location, body).
pub async fn step(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    step: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let path = format!("/referrals/{id}/steps/{step}");
    let mut all = fields.to_vec();
    all.push(("action", "continue"));
    let response = app.submit(client, &path, &path, &all).await;
    let status = response.status().as_u16();
    let to = location(&response);
    (status, to, response.text().await.unwrap())
}

/// Walks every step after the person with valid answers, up to consent.
async fn middle_steps(app: &TestApp, client: &reqwest::Client, id: &str) {
    let (s, _, _) = step(
        app,
        client,
        id,
        "languages",
        &[("languages", "bulgare"), ("interpreter_needed", "no")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _, _) = step(
        app,
        client,
        id,
        "circumstances",
        &[("circumstances", "Travail de nuit sans salaire")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _, _) = step(
        app,
        client,
        id,
        "exploitation",
        &[("forms", "labour"), ("forms", "sexual")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _, _) = step(
        app,
        client,
        id,
        "places",
        &[("location", "france"), ("places", "Toulouse")],
    )
    .await;
    assert_eq!(s, 303);
    let (s, _, _) = step(app, client, id, "indicators", &[]).await;
    assert_eq!(s, 303);
}

pub async fn responder_writes_a_referral_step_by_step_and_submits(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let (status, html) = app.get(&client, "/referrals").await;
    assert_eq!(status, 200);
    assert!(html.contains("Nouvelle orientation"));
    let id = new_draft(app, &client).await;

    // A wrong value is saved and shown back with a localised error.
    let mut wrong = PERSON.to_vec();
    wrong.retain(|(k, _)| *k != "age");
    wrong.retain(|(k, _)| *k != "birth_date");
    wrong.extend([
        ("birth_date_day", "31"),
        ("birth_date_month", "13"),
        ("birth_date_year", "1999"),
    ]);
    let (status, _, html) = step(app, &client, &id, "person", &wrong).await;
    assert_eq!(status, 422);
    assert!(html.contains("value=\"Petrovaïa\""), "typed name kept");
    assert!(
        html.contains("value=\"13\"") && html.contains("value=\"31\""),
        "typed date kept"
    );
    assert!(html.contains("Indiquez un mois de naissance entre 1 et 12."));
    assert!(html.contains("Choisissez une réponse."));
    assert!(!html.contains("AAAA-MM-JJ"));

    // Save and come back later: the draft is listed and resumes where it was.
    let path = format!("/referrals/{id}/steps/person");
    let mut save = PERSON.to_vec();
    save.push(("action", "save"));
    let response = app.submit(&client, &path, &path, &save).await;
    assert_eq!(location(&response), "/referrals?done=draft-saved");
    let (_, html) = app.get(&client, "/referrals?done=draft-saved").await;
    assert!(html.contains("Brouillon enregistré") && html.contains("Brouillons à reprendre"));
    assert!(
        html.contains("Reprendre l’orientation de Anna Petrovaïa")
            && html.contains("<td data-label=\"Étape atteinte\">La personne</td>"),
        "the draft by person, with the step it was left at"
    );
    let (_, html) = app.get(&client, &path).await;
    assert!(html.contains("value=\"Petrovaïa\"") && html.contains("value=\"BGR\" selected"));

    let (status, to, _) = step(app, &client, &id, "person", PERSON).await;
    assert_eq!(
        (status, to.as_str()),
        (303, format!("/referrals/{id}/steps/languages").as_str())
    );
    middle_steps(app, &client, &id).await;
    let (status, to, _) = step(app, &client, &id, "needs", &[("need_shelter_tonight", "on")]).await;
    assert_eq!((status, to), (303, format!("/referrals/{id}/steps/consent")));

    // Consent given needs how it was obtained.
    let (status, _, html) = step(app, &client, &id, "consent", &[("consent", "given")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Ce champ est obligatoire."));
    let consent = [
        ("consent", "given"),
        ("consent_language", "bulgare"),
        ("consent_interpreter", "yes"),
        ("consent_explained_by", "Gendarme Martin"),
        ("consent_date", "2027-01-14"),
    ];
    let (status, to, _) = step(app, &client, &id, "consent", &consent).await;
    assert_eq!((status, to), (303, format!("/referrals/{id}/check")));

    let (status, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Vérifiez vos réponses")
            && html.contains("Petrovaïa")
            && html.contains("Exploitation par le travail")
    );
    assert!(html.contains("pas une identification"));
    let check = format!("/referrals/{id}/check");
    let response = app
        .submit(&client, &check, &format!("/referrals/{id}/submit"), &[])
        .await;
    assert_eq!(location(&response), format!("/referrals/{id}?done=submitted"));
    let (_, html) = app.get(&client, &format!("/referrals/{id}?done=submitted")).await;
    assert!(html.contains("Orientation transmise") && html.contains("RL-"));
    // What happens next: who decides, by when, and the emergency numbers for shelter tonight.
    assert!(html.contains("Et maintenant ?") && html.contains("autorité d’identification compétente"));
    assert!(html.contains("Une décision préliminaire est attendue au plus tard le"));
    assert!(html.contains("href=\"tel:115\""), "shelter tonight was declared");
    assert!(html.contains("En attente de tri") && html.contains("Orientation nominative"));

    // Stored encrypted; the reference is the only readable identifier.
    let stored = texts(&app.store, &format!("SELECT details FROM referrals WHERE id = '{id}'"))
        .await
        .unwrap();
    assert!(!stored[0].contains("Petrova") && !stored[0].contains("Toulouse"));
    let rows = texts(
        &app.store,
        &format!("SELECT kind || ' ' || status || ' ' || forms || ' ' || urgent FROM referrals WHERE id = '{id}'"),
    )
    .await
    .unwrap();
    assert_eq!(rows, vec!["full submitted sexual,labour 1"]);
    let audit = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{id}' ORDER BY seq"),
    )
    .await
    .unwrap();
    assert!(audit.contains(&"referral.draft-create".to_owned()) && audit.contains(&"referral.submit".to_owned()));
    assert!(
        audit.iter().filter(|a| *a == "referral.read").count() >= 5,
        "every read is audited: {audit:?}"
    );

    // A submitted referral can no longer be edited.
    let (status, _) = app.get(&client, &format!("/referrals/{id}/steps/person")).await;
    assert_eq!(status, 409);
}

pub async fn an_adult_who_refuses_is_notified_anonymously(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let id = new_draft(app, &client).await;
    step(app, &client, &id, "person", PERSON).await;
    middle_steps(app, &client, &id).await;
    step(app, &client, &id, "needs", &[("needs_details", "Menacée hier soir")]).await;
    let (status, to, _) = step(app, &client, &id, "consent", &[("consent", "refused")]).await;
    assert_eq!((status, to), (303, format!("/referrals/{id}/check")));
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("notification anonyme sera envoyée"));
    let response = app
        .submit(
            &client,
            &format!("/referrals/{id}/check"),
            &format!("/referrals/{id}/submit"),
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = app.get(&client, &format!("/referrals/{id}?done=submitted")).await;
    assert!(html.contains("Notification anonyme"));
    // Identifying answers are gone on the server, not only hidden.
    let (status, html) = app.get(&client, &format!("/referrals/{id}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Petrova") && !html.contains("Menacée"));
    let kind = texts(
        &app.store,
        &format!("SELECT kind || ' ' || nationality FROM referrals WHERE id = '{id}'"),
    )
    .await
    .unwrap();
    assert_eq!(kind, vec!["anonymous BGR"]);
}

pub async fn a_child_skips_consent_and_the_crip_is_notified(app: &TestApp) {
    execute_raw(
        &app.store,
        "INSERT INTO child_protection_units (departement, name, email, phone) VALUES ('31', 'CRIP de la Haute-Garonne', 'crip31@example.org', '05 00 00 00 00')",
    )
    .await
    .unwrap();
    let client = app.sign_in(&app.responder).await;
    let id = new_draft(app, &client).await;
    let mut child = PERSON.to_vec();
    child.retain(|(k, _)| *k != "age");
    child.push(("age", "disputed"));
    step(app, &client, &id, "person", &child).await;
    middle_steps(app, &client, &id).await;
    let (status, to, _) = step(app, &client, &id, "needs", &[]).await;
    assert_eq!(
        (status, to),
        (303, format!("/referrals/{id}/check")),
        "no consent step for a child"
    );
    let (status, _) = app.get(&client, &format!("/referrals/{id}/steps/consent")).await;
    assert_eq!(status, 404);
    let (_, html) = app.get(&client, &format!("/referrals/{id}/check")).await;
    assert!(html.contains("traitée comme un enfant"));
    let response = app
        .submit(
            &client,
            &format!("/referrals/{id}/check"),
            &format!("/referrals/{id}/submit"),
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let tasks = texts(
        &app.store,
        &format!("SELECT kind || ' | ' || recipient || ' | ' || status FROM tasks WHERE referral_id = '{id}'"),
    )
    .await
    .unwrap();
    assert_eq!(
        tasks,
        vec!["child-protection-notification | CRIP de la Haute-Garonne | open"]
    );
    let child_flag = texts(
        &app.store,
        &format!("SELECT kind || ' ' || child FROM referrals WHERE id = '{id}'"),
    )
    .await
    .unwrap();
    assert_eq!(child_flag, vec!["full 1"]);
}

pub async fn incomplete_referrals_cannot_be_submitted_and_drafts_are_private(app: &TestApp) {
    let client = app.sign_in(&app.responder).await;
    let id = new_draft(app, &client).await;
    let check = format!("/referrals/{id}/check");
    let (status, html) = app.get(&client, &check).await;
    assert_eq!(status, 200);
    assert!(html.contains("Des étapes sont à compléter") && !html.contains("Envoyer l’orientation"));
    let response = app
        .submit(&client, &check, &format!("/referrals/{id}/submit"), &[])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let status = texts(&app.store, &format!("SELECT status FROM referrals WHERE id = '{id}'"))
        .await
        .unwrap();
    assert_eq!(status, vec!["draft"]);

    // The live screening saves the answers and returns the result fragment.
    let (_, html) = app.get(&client, &format!("/referrals/{id}/steps/indicators")).await;
    let csrf = csrf_of(&html);
    let fragment = client
        .post(app.url(&format!("/referrals/{id}/screening")))
        .header("HX-Request", "true")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status().as_u16(), 200);
    let fragment = fragment.text().await.unwrap();
    assert!(fragment.contains("relais-overall-insufficient") && fragment.contains("Informations insuffisantes"));
    assert!(fragment.contains("pas une identification"));

    // Someone without the right is refused; another referrer finds nothing.
    let analyst = app.sign_in(&app.analyst).await;
    let (status, _) = app.get(&analyst, &check).await;
    assert_eq!(status, 403);
    let admin = app.sign_in(&app.admin).await;
    let (status, _) = app.get(&admin, "/referrals").await;
    assert_eq!(status, 403);
    // A dashboard with nothing to notify still renders.
    assert_eq!(app.get(&admin, "/dashboard").await.0, 200);
    assert_eq!(app.get(&analyst, "/dashboard").await.0, 200);
    let (status, _) = app
        .get(&client, "/referrals/00000000000000000000000000000000/check")
        .await;
    assert_eq!(status, 404);
}
