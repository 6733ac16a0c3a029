//! Data protection through the pages (issue 11, part 2): emergency access
//! with its alerts by e-mail (a real SMTP server) and in the application
//! and its review; erasure and subject access with four eyes; the
//! retention report, its confirmation page and run; the register.

use super::cases_flow::accept;
use super::digest::{Inbox, smtp_server};
use super::harness::{PASSWORD, TestApp, TestUser, location};
use super::triage::{details, referral, user};
use relais_domain::access::account::DisplayName;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::territory::{Departement, Territory};
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::audit::{self, Verification};
use relais_store::testing::texts;
use relais_store::{Actor, access::passwords, access::totp, bootstrap, outbox};
use relais_web::jobs::digest::MailSettings;

/// An identification officer of the Nord's authority: cases of the 93 are outside their reach.
async fn nord_officer(app: &TestApp, email: &'static str) -> TestUser {
    let mut tx = app
        .store
        .begin(Actor::system(), "test-setup", app.clock.now())
        .await
        .unwrap();
    let org = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: "Autorité Nord".into(),
            org_type: OrganisationType::IdentificationAuthority,
            territory: Territory::Departement(Departement::parse("59").unwrap()),
        },
    )
    .await
    .unwrap();
    let secret = totp::new_secret();
    let new = NewUser {
        organisation_id: org,
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse("Yaël Nord").unwrap(),
        roles: vec![Role::IdentificationOfficer],
    };
    bootstrap::create_demo_user(&mut tx, &new, &passwords::hash(PASSWORD).unwrap(), &secret)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    TestUser { email, secret }
}

async fn reference_of(app: &TestApp, case: &str) -> String {
    texts(
        &app.store,
        &format!("SELECT r.reference FROM cases c JOIN referrals r ON r.id = c.referral_id WHERE c.id = '{case}'"),
    )
    .await
    .unwrap()
    .remove(0)
}

async fn follow(app: &TestApp, client: &reqwest::Client, response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    if status == 303 {
        let to = location(&response);
        let (_, html) = app.get(client, &to).await;
        (status, html, to)
    } else {
        (status, response.text().await.unwrap(), String::new())
    }
}

async fn intact(app: &TestApp) {
    assert!(matches!(
        audit::verify(&app.store, &|_| {}).await.unwrap(),
        Verification::Intact { .. }
    ));
}

pub async fn emergency_access_alerts_by_email_and_in_app_and_waits_for_review(app: &TestApp) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let (_, author) = user(
        app,
        OrganisationType::Police,
        "bg-author@relais.test",
        Role::FirstResponder,
    )
    .await;
    let (lead, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "bg-lead@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let (dpo, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "bg-dpo@relais.test",
        Role::Dpo,
    )
    .await;
    let nord = nord_officer(app, "bg-nord@relais.test").await;
    let id = referral(app, &author, &details("Petrova", "93", false)).await;
    let lead_client = app.sign_in(&lead).await;
    let case = accept(app, &lead_client, &id).await;
    let reference = reference_of(app, &case).await;

    let officer = app.sign_in(&nord).await;
    assert_eq!(
        app.get(&officer, &format!("/cases/{case}/file")).await.0,
        404,
        "outside reach"
    );
    let (status, html) = app.get(&officer, "/emergency-access").await;
    assert_eq!(status, 200);
    assert!(html.contains("exceptionnel"));
    // No reason, no certification: the form says what is missing and keeps the reference.
    let response = app
        .submit(
            &officer,
            "/emergency-access",
            "/emergency-access",
            &[("reference", &reference)],
        )
        .await;
    let (status, html, _) = follow(app, &officer, response).await;
    assert_eq!(status, 422);
    assert!(html.contains("Indiquez le motif.") && html.contains("Cochez la case"));
    assert!(html.contains(&format!("value=\"{reference}\"")));
    let reason = "La personne est aux urgences de Lille, autorité du 93 injoignable";
    let response = app
        .submit(
            &officer,
            "/emergency-access",
            "/emergency-access",
            &[("reference", &reference), ("reason", reason), ("certify", "yes")],
        )
        .await;
    let (status, html, to) = follow(app, &officer, response).await;
    assert_eq!(status, 303);
    assert!(to.starts_with("/emergency-access/"), "{to}");
    assert!(html.contains("Petrova") && html.contains("lecture seule"), "{html}");

    // The e-mails leave through the outbox and the SMTP relay: reference, no name.
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    let round = relais_web::jobs::outbox::send_pending(&app.store, &mail, app.clock.now())
        .await
        .unwrap();
    assert_eq!(round.sent, 2);
    assert_eq!(outbox::pending(&app.store).await.unwrap(), 0);
    let messages = inbox.messages.lock().unwrap().clone();
    let mut to: Vec<String> = messages.iter().flat_map(|(to, _)| to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["bg-dpo@relais.test", "bg-lead@relais.test"]);
    for (_, data) in &messages {
        assert!(data.contains(&reference), "{data}");
        assert!(!data.contains("Petrova") && !data.contains("Lille"), "{data}");
    }

    // The lead sees the alert on the dashboard and in the list, and acknowledges it.
    let lead_client = app.sign_in(&lead).await;
    let (_, html) = app.get(&lead_client, "/dashboard").await;
    assert!(html.contains("/privacy/alerts"), "the dashboard points to the alert");
    let (status, html) = app.get(&lead_client, "/privacy/alerts").await;
    assert_eq!(status, 200);
    assert!(html.contains(&reference) && html.contains(reason) && html.contains("Yaël Nord"));
    let grant = to_grant(&to_first(&html));
    let response = app
        .submit(
            &lead_client,
            "/privacy/alerts",
            &format!("/privacy/alerts/{grant}/acknowledge"),
            &[],
        )
        .await;
    let (status, html, _) = follow(app, &lead_client, response).await;
    assert_eq!(status, 303);
    assert!(html.contains("Vous avez pris connaissance"));

    // The DPO reviews it: a finding is required, then it leaves the waiting list.
    let dpo_client = app.sign_in(&dpo).await;
    let (status, html) = app.get(&dpo_client, "/privacy/break-glass").await;
    assert_eq!(status, 200);
    assert!(html.contains(&reference) && html.contains(reason));
    let action = format!("/privacy/break-glass/{grant}/review");
    let response = app
        .submit(&dpo_client, "/privacy/break-glass", &action, &[("note", "")])
        .await;
    let (status, html, _) = follow(app, &dpo_client, response).await;
    assert_eq!(status, 422);
    assert!(html.contains("Choisissez une conclusion."));
    let response = app
        .submit(
            &dpo_client,
            "/privacy/break-glass",
            &action,
            &[("finding", "justified"), ("note", "Appel des urgences vérifié")],
        )
        .await;
    let (status, html, _) = follow(app, &dpo_client, response).await;
    assert_eq!(status, 303);
    assert!(html.contains("L’accès d’urgence est examiné.") && html.contains("Aucun accès d’urgence à examiner."));
    assert!(html.contains("Appel des urgences vérifié"));
    // The reason is stored encrypted, the access is in the case's trail.
    let stored = texts(&app.store, "SELECT reason FROM break_glass").await.unwrap();
    assert!(!stored[0].contains("Lille"));
    let actions = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' ORDER BY seq"),
    )
    .await
    .unwrap();
    assert!(actions.contains(&"case.break-glass".to_owned()) && actions.contains(&"case.emergency-read".to_owned()));
    intact(app).await;
}

/// The first acknowledge form's action on the alerts page.
fn to_first(html: &str) -> String {
    let marker = "action=\"/privacy/alerts/";
    let start = html.find(marker).unwrap() + "action=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn to_grant(action: &str) -> String {
    action.split('/').nth(3).unwrap().to_owned()
}

async fn request(
    app: &TestApp,
    client: &reqwest::Client,
    case: &str,
    kind: &str,
    reason: &str,
) -> (u16, String, String) {
    let page = format!("/privacy/cases/{case}");
    let response = app
        .submit(
            client,
            &page,
            &format!("{page}/requests"),
            &[("kind", kind), ("request_reason", reason)],
        )
        .await;
    follow(app, client, response).await
}

pub async fn erasure_and_subject_access_take_two_people(app: &TestApp) {
    let (_, author) = user(
        app,
        OrganisationType::Police,
        "rq-author@relais.test",
        Role::FirstResponder,
    )
    .await;
    let (officer, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "rq-officer@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let (dpo, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "rq-dpo@relais.test",
        Role::Dpo,
    )
    .await;
    let id = referral(app, &author, &details("Koleva", "93", false)).await;
    let client = app.sign_in(&officer).await;
    let case = accept(app, &client, &id).await;
    let reference = reference_of(app, &case).await;
    let file = format!("/cases/{case}/file");
    for (level, body) in [("general", "Rendez-vous pris"), ("legal", "Plainte déposée à Bobigny")] {
        let response = app
            .submit(
                &client,
                &file,
                &format!("{file}/notes"),
                &[("sensitivity", level), ("body", body)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }

    // From the reference to the case's data-protection page.
    let response = app
        .submit(&client, "/privacy", "/privacy/lookup", &[("reference", "RL-NOPE")])
        .await;
    let (status, html, _) = follow(app, &client, response).await;
    assert_eq!(status, 422);
    assert!(html.contains("Aucun dossier avec cette référence"));
    let response = app
        .submit(
            &client,
            "/privacy",
            "/privacy/lookup",
            &[("reference", &reference.to_lowercase())],
        )
        .await;
    assert_eq!(location(&response), format!("/privacy/cases/{case}"));

    // A request needs a kind and a reason; the reason typed is kept.
    let (status, html, _) = request(app, &client, &case, "", "La personne le demande").await;
    assert_eq!(status, 422);
    assert!(html.contains("Choisissez le type de demande.") && html.contains("La personne le demande"));
    let (status, html, access) = request(app, &client, &case, "access", "Courrier du 2 mars").await;
    assert_eq!(status, 303);
    assert!(
        html.contains("Une autre personne") || html.contains("une autre personne"),
        "{html}"
    );
    assert!(
        !html.contains("/confirm\""),
        "the requester is not offered the confirmation"
    );
    let access = access.split('?').next().unwrap().to_owned();
    // Officers cannot confirm, whatever they post.
    let response = app.submit(&client, &access, &format!("{access}/confirm"), &[]).await;
    assert_eq!(response.status().as_u16(), 403);

    let dpo_client = app.sign_in(&dpo).await;
    let (_, html) = app.get(&dpo_client, "/dashboard").await;
    assert!(
        html.contains("/privacy/requests"),
        "the DPO's dashboard lists the request"
    );
    let response = app
        .submit(&dpo_client, &access, &format!("{access}/confirm"), &[])
        .await;
    let (status, html, _) = follow(app, &dpo_client, response).await;
    assert_eq!(status, 303);
    assert!(html.contains("L’export est disponible"));
    let (status, page) = app.get(&dpo_client, &format!("{access}/export")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Koleva") && page.contains("Rendez-vous pris"));
    assert!(!page.contains("Plainte déposée"), "a legal note is withheld");
    assert!(page.contains("une procédure est en cours"), "with its reason");
    assert!(
        page.contains("Consultation du dossier") && !page.contains(">case.file-read<"),
        "the access log in words"
    );
    let response = dpo_client
        .get(app.url(&format!("{access}/export/json")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let json: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(json["cases"][0]["reference"], reference.as_str());
    assert!(json["referrals"][0]["answers"]["family_name"] == "Koleva");

    // Erasure: the confirmation page says what will go, then it goes.
    let (status, _, erasure) = request(app, &client, &case, "erasure", "Demande d'effacement écrite").await;
    assert_eq!(status, 303);
    let erasure = erasure.split('?').next().unwrap().to_owned();
    let (status, html) = app.get(&dpo_client, &erasure).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cette action est définitive") && html.contains("Notes"));
    assert!(html.contains("Confirmer l’effacement définitif"));
    let response = app
        .submit(&dpo_client, &erasure, &format!("{erasure}/confirm"), &[])
        .await;
    let (status, html, _) = follow(app, &dpo_client, response).await;
    assert_eq!(status, 303);
    assert!(html.contains("L’effacement est fait"));
    assert_eq!(app.get(&client, &file).await.0, 404, "the case is gone");
    for table in ["cases", "case_notes", "referrals", "persons"] {
        let left = texts(&app.store, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}"))
            .await
            .unwrap();
        assert_eq!(left, vec!["0".to_owned()], "{table}");
    }
    // The export of the erased person is gone too.
    assert_eq!(app.get(&dpo_client, &format!("{access}/export")).await.0, 404);
    intact(app).await;
}

pub async fn the_dpo_sees_the_retention_report_confirms_and_runs_it_and_reads_the_register(app: &TestApp) {
    let (dpo, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "rt-dpo@relais.test",
        Role::Dpo,
    )
    .await;
    let (responder, _) = user(
        app,
        OrganisationType::Police,
        "rt-author@relais.test",
        Role::FirstResponder,
    )
    .await;
    let client = app.sign_in(&responder).await;
    let response = app.submit(&client, "/referrals", "/referrals", &[]).await;
    assert_eq!(response.status().as_u16(), 303, "a draft is started");
    // Seven months later the draft is past its six months.
    app.clock.advance(213 * 86_400);
    let dpo_client = app.sign_in(&dpo).await;
    let (status, html) = app.get(&dpo_client, "/privacy/retention").await;
    assert_eq!(status, 200);
    assert!(html.contains("Brouillons d’orientation") && html.contains("6 mois après la dernière modification"));
    assert!(html.contains("5 ans après la clôture"));
    assert!(html.contains("href=\"/privacy/retention/confirm\""));
    let (status, html) = app.get(&dpo_client, "/privacy/retention/confirm").await;
    assert_eq!(status, 200);
    assert!(html.contains("Confirmer l’effacement") && html.contains("Effacer définitivement"));
    let drafts = "SELECT CAST(COUNT(*) AS TEXT) FROM referrals WHERE status = 'draft'";
    assert_eq!(texts(&app.store, drafts).await.unwrap(), vec!["1".to_owned()]);
    let response = app
        .submit(&dpo_client, "/privacy/retention/confirm", "/privacy/retention/run", &[])
        .await;
    let (status, html, _) = follow(app, &dpo_client, response).await;
    assert_eq!(status, 303);
    assert!(html.contains("La suppression des données arrivées au terme"));
    assert!(html.contains("Brouillons d’orientation : 1"), "the last run's counts");
    assert_eq!(texts(&app.store, drafts).await.unwrap(), vec!["0".to_owned()]);
    let erased = texts(
        &app.store,
        "SELECT reason FROM audit_log WHERE action = 'retention.erase'",
    )
    .await
    .unwrap();
    assert_eq!(erased.len(), 1);
    assert!(erased[0].starts_with("draft-referral:rows="));
    intact(app).await;

    let (status, html) = app.get(&dpo_client, "/privacy/register").await;
    assert_eq!(status, 200);
    for activity in relais_domain::privacy::register::REGISTER {
        assert!(
            html.contains(&format!("id=\"activity-{}\"", activity.key)),
            "{}",
            activity.key
        );
    }
    assert!(html.contains("Délégué à la protection des données (tout le territoire)"));
    assert!(html.contains("(son territoire)"));
    // The DPO reads the audit, which an officer cannot.
    assert_eq!(app.get(&dpo_client, "/admin/audit").await.0, 200);
    let responder = app.sign_in(&responder).await;
    assert_eq!(app.get(&responder, "/privacy/retention").await.0, 403);
}
