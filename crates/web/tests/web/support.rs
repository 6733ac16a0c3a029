//! Support of a person (issue 6): needs assessment and the case plan,
//! health needs hidden from the police, permits whose deadlines reach the
//! queue and the digest, closure with its outcome and reopening.

use super::cases_flow::{accept, author_and_officer, decide};
use super::digest::{Inbox, smtp_server};
use super::harness::{TestApp, location};
use super::triage::{details, referral};
use relais_domain::casework::deadline::Targets;
use relais_domain::time::Date;
use relais_store::testing::texts;
use relais_store::{Keys, SecretKey};
use relais_web::AppState;
use relais_web::jobs::digest::{self, MailSettings};

/// Posts the needs form; returns the status and the page shown after it.
async fn assess(app: &TestApp, client: &reqwest::Client, case: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let page = format!("/cases/{case}/support");
    let response = app.submit(client, &page, &format!("{page}/needs"), fields).await;
    let status = response.status().as_u16();
    if status == 303 {
        let target = location(&response);
        assert_eq!(target, format!("{page}?saved=needs"));
        return (status, app.get(client, &target).await.1);
    }
    (status, response.text().await.unwrap())
}

/// The text of the case plan's table (empty when there is none).
fn plan_of(html: &str) -> &str {
    html.split("<table id=\"plan\">")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap_or("")
}

pub async fn needs_are_assessed_and_the_plan_follows_the_latest(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "needs-author@relais.test", "needs-officer@relais.test").await;
    let id = referral(app, &author, &details("Ivanova", "13", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let (status, html) = app.get(&owner, &format!("/cases/{case}/support")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Plan d’accompagnement") && html.contains("plan-empty"));
    assert!(
        app.get(&owner, &format!("/cases/{case}"))
            .await
            .1
            .contains(&format!("/cases/{case}/support"))
    );
    assert!(
        app.get(&owner, &format!("/cases/{case}/file"))
            .await
            .1
            .contains(&format!("/cases/{case}/support"))
    );

    // Accommodation without its type, medical without urgency: both named, what was typed kept.
    let (status, html) = assess(
        app,
        &owner,
        &case,
        &[
            ("assessed_on", "2026-11-20"),
            ("accommodation-assessed", "yes"),
            ("accommodation-urgency", "immediate"),
            ("accommodation-status", "open"),
            ("accommodation-actor", "Ac.Sé"),
            ("medical-assessed", "yes"),
            ("medical-status", "open"),
            ("medical-actor", "Centre de santé"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Choisissez le type d’hébergement nécessaire."), "{html}");
    assert!(html.contains("Choisissez l’urgence."));
    assert!(html.contains("href=\"#accommodation-accommodation\"") && html.contains("href=\"#medical-urgency\""));
    assert!(html.contains("aria-describedby=\"accommodation-accommodation-error\""));
    assert!(html.contains("value=\"Centre de santé\"") && html.contains("value=\"Ac.Sé\""));
    assert!(html.contains("value=\"immediate\" selected"));
    assert!(html.contains("value=\"2026-11-20\""));

    let (status, html) = assess(
        app,
        &owner,
        &case,
        &[
            ("assessed_on", "2026-11-20"),
            ("accommodation-assessed", "yes"),
            ("accommodation-urgency", "immediate"),
            ("accommodation-status", "open"),
            ("accommodation-accommodation", "secure-distant"),
            ("accommodation-actor", "Ac.Sé"),
            ("medical-assessed", "yes"),
            ("medical-urgency", "normal"),
            ("medical-status", "met"),
            ("legal-aid-assessed", "yes"),
            ("legal-aid-urgency", "high"),
            ("legal-aid-status", "unmet"),
            ("legal-aid-unmet_reason", "waiting-list"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(html.contains("L’évaluation des besoins est enregistrée"));
    let plan = plan_of(&html);
    assert!(plan.contains("Hébergement sécurisé éloigné (Ac.Sé)") && plan.contains("Immédiate"));
    assert!(plan.contains("Aide juridictionnelle") && plan.contains("Non satisfait"));
    assert!(!plan.contains("Soins médicaux"), "a met need leaves the plan");
    assert!(
        plan.find("Hébergement").unwrap() < plan.find("Aide juridictionnelle").unwrap(),
        "most urgent first"
    );

    // The needs are encrypted; the accommodation summary stays clear for statistics.
    let stored = texts(
        &app.store,
        &format!(
            "SELECT needs || ' ' || has_accommodation_need || ' ' || accommodation_met FROM need_assessments WHERE case_id = '{case}'"
        ),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("secure-distant") && !stored[0].contains("medical"));
    assert!(stored[0].ends_with(" 1 0"), "{}", stored[0]);

    // A later assessment: accommodation found; the plan follows it, the history keeps both.
    let (status, html) = assess(
        app,
        &owner,
        &case,
        &[
            ("assessed_on", "2026-11-27"),
            ("accommodation-assessed", "yes"),
            ("accommodation-urgency", "immediate"),
            ("accommodation-status", "met"),
            ("accommodation-accommodation", "secure-distant"),
            ("legal-aid-assessed", "yes"),
            ("legal-aid-urgency", "high"),
            ("legal-aid-status", "open"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let plan = plan_of(&html);
    assert!(!plan.contains("Hébergement") && plan.contains("Aide juridictionnelle"));
    assert!(html.contains("27 novembre 2026") && html.contains("20 novembre 2026"));
    let met = texts(
        &app.store,
        &format!("SELECT assessed_on FROM need_assessments WHERE case_id = '{case}' AND accommodation_met = 1"),
    )
    .await
    .unwrap();
    assert_eq!(met, vec!["2026-11-27"]);
}

pub async fn health_needs_stay_hidden_from_the_police_on_a_shared_case(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "hn-author@relais.test", "hn-officer@relais.test").await;
    let id = referral(app, &author, &details("Okoro", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let (status, _) = assess(
        app,
        &owner,
        &case,
        &[
            ("assessed_on", "2026-11-20"),
            ("safety-assessed", "yes"),
            ("safety-urgency", "immediate"),
            ("safety-status", "open"),
            ("safety-actor", "Brigade de protection"),
            ("sexual-health-assessed", "yes"),
            ("sexual-health-urgency", "high"),
            ("sexual-health-status", "open"),
            ("sexual-health-actor", "Planning familial"),
            ("psychological-assessed", "yes"),
            ("psychological-urgency", "normal"),
            ("psychological-status", "open"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let file = format!("/cases/{case}/file");
    let shares = format!("{file}/shares");
    let share = |purpose: &'static str| {
        let fields = [
            ("organisation_id", app.organisation.as_str()),
            ("purpose", purpose),
            ("basis", "consent"),
        ];
        let (owner, file, shares) = (&owner, &file, &shares);
        async move { app.submit(owner, file, shares, &fields).await.status().as_u16() }
    };
    assert_eq!(share("investigation").await, 303);

    // An investigation needs no needs plan (ADR 0009): the page does not exist for it.
    let police = app.sign_in(&app.responder).await;
    let support = format!("/cases/{case}/support");
    assert_eq!(app.get(&police, &support).await.0, 404);

    // Shared for support too: the plan, without what the police's role may not read.
    assert_eq!(share("support").await, 303);
    let (status, html) = app.get(&police, &support).await;
    assert_eq!(status, 200);
    assert!(html.contains("Sécurité et risque de représailles") && html.contains("Brigade de protection"));
    for hidden in ["Santé sexuelle", "Planning familial", "Soutien psychologique"] {
        assert!(!html.contains(hidden), "{hidden} reached the police");
    }
    assert!(!html.contains("/support/needs"), "no assessment form for the police");
    let refused = app
        .submit(
            &police,
            &support,
            &format!("{support}/needs"),
            &[
                ("assessed_on", "2026-11-21"),
                ("safety-assessed", "yes"),
                ("safety-urgency", "normal"),
                ("safety-status", "met"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 403);

    // The owner still sees everything, and the police's read in the access log.
    let (_, html) = app.get(&owner, &support).await;
    assert!(html.contains("Santé sexuelle et reproductive") && html.contains("Planning familial"));
    let (_, html) = app.get(&owner, &file).await;
    assert!(html.contains("Consultation de l’accompagnement") && html.contains("responder@relais.test"));
}

pub async fn a_permit_deadline_reaches_the_queue_and_the_digest(app: &TestApp) {
    let inbox = Inbox::default();
    let port = smtp_server(inbox.clone());
    let ((_, author), officer) = author_and_officer(app, "pd-author@relais.test", "pd-officer@relais.test").await;
    let id = referral(app, &author, &details("Marinescu", "69", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let support = format!("/cases/{case}/support");
    let today = Date::local(app.clock.now(), &relais_domain::time::Zone::paris());
    let decided = today.plus_days(-300).to_string();
    let expires = today.plus_days(30).to_string();
    let renewal = today.plus_days(-30);

    // Granted without a decision date: named, what was typed kept.
    let refused = app
        .submit(
            &owner,
            &support,
            &format!("{support}/permits"),
            &[
                ("kind", "temporary-residence-card"),
                ("prefecture", "69"),
                ("applied_on", "2025-13-01"),
                ("outcome", "granted"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Un titre accordé a une date de décision.")
            && html.contains("Saisissez une date au format AAAA-MM-JJ.")
    );
    assert!(html.contains("value=\"temporary-residence-card\" selected") && html.contains("value=\"2025-13-01\""));

    let saved = app
        .submit(
            &owner,
            &support,
            &format!("{support}/permits"),
            &[
                ("kind", "temporary-residence-card"),
                ("prefecture", "69"),
                ("decided_on", &decided),
                ("expires_on", &expires),
                ("outcome", "granted"),
                ("note", "Convocation préfecture guichet 4"),
            ],
        )
        .await;
    assert_eq!(location(&saved), format!("{support}?saved=permit"));
    let (_, html) = app.get(&owner, &format!("{support}?saved=permit")).await;
    assert!(html.contains("Le titre de séjour est enregistré."));
    assert!(
        html.contains("CESEDA L.425-1")
            && html.contains(&format!(
                "renouvellement du titre : {}",
                relais_web::day_in_words(renewal, relais_web::Locale::Fr)
            ))
    );
    assert!(html.contains("Convocation préfecture guichet 4"));
    let stored = texts(
        &app.store,
        &format!(
            "SELECT note || ' ' || next_deadline_kind || ' ' || next_deadline_on FROM permits WHERE case_id = '{case}'"
        ),
    )
    .await
    .unwrap();
    assert!(!stored[0].contains("Convocation"), "the note is encrypted");
    assert!(stored[0].ends_with(&format!(" renewal {renewal}")));

    // The queue shows the renewal, overdue, before the preliminary decision's deadline.
    let (_, html) = app.get(&owner, "/cases").await;
    let row = html
        .split("<tr class=\"relais-deadline-")
        .find(|r| r.contains(&format!("/cases/{case}")))
        .unwrap();
    assert!(row.starts_with("overdue"), "{row}");
    assert!(
        row.contains(&format!(
            "renouvellement du titre : {}",
            relais_web::day_in_words(renewal, relais_web::Locale::Fr)
        )) && row.contains("EN RETARD")
    );

    // An update: the renewal was asked and a new card runs a year; the row is replaced, not added.
    let permit = texts(&app.store, &format!("SELECT id FROM permits WHERE case_id = '{case}'"))
        .await
        .unwrap()
        .remove(0);
    let (_, form) = app.get(&owner, &format!("{support}?permit={permit}")).await;
    assert!(form.contains(&format!("value=\"{expires}\"")) && form.contains("Modifier le titre"));

    // The digest lists the reference and the kind of deadline, never a name.
    let settings = super::harness::settings("https://relais.test");
    let state = AppState::new(
        app.store.clone(),
        Keys::derive(&SecretKey::generate()),
        settings,
        app.clock.clone(),
    )
    .unwrap();
    let mail = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Relais <no-reply@relais.test>".into(),
    };
    digest::run(&state, &mail, &Targets::default()).await.unwrap();
    let messages = inbox.messages.lock().unwrap().clone();
    let (to, data) = messages
        .iter()
        .find(|(to, _)| to.contains(&"pd-officer@relais.test".to_owned()))
        .unwrap();
    assert_eq!(to.len(), 1);
    let data = quoted_printable(&data.replace("=\r\n", ""));
    let reference = texts(
        &app.store,
        &format!("SELECT reference FROM referrals WHERE id = '{id}'"),
    )
    .await
    .unwrap()
    .remove(0);
    assert!(
        data.contains(&reference) && data.contains("renouvellement du titre"),
        "{data}"
    );
    assert!(
        data.contains(&relais_web::day_in_words(renewal, relais_web::Locale::Fr)),
        "{data}"
    );
    assert!(!data.contains("Marinescu") && !data.contains("Convocation"), "{data}");

    let updated = app
        .submit(
            &owner,
            &support,
            &format!("{support}/permits"),
            &[
                ("permit_id", &permit),
                ("kind", "temporary-residence-card"),
                ("prefecture", "69"),
                ("decided_on", &today.to_string()),
                ("outcome", "granted"),
            ],
        )
        .await;
    assert_eq!(updated.status().as_u16(), 303);
    let rows = texts(
        &app.store,
        &format!("SELECT next_deadline_on FROM permits WHERE case_id = '{case}'"),
    )
    .await
    .unwrap();
    assert_eq!(rows, vec![today.plus_days(365 - 60).to_string()]);
}

pub async fn a_case_closes_with_its_outcome_and_reopens_with_its_history(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "cl-author@relais.test", "cl-officer@relais.test").await;
    let id = referral(app, &author, &details("Nowak", "75", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    for fields in [
        &[("event", "preliminary-positive"), ("reasons", "indicators")][..],
        &[("event", "request-early-formal-decision")][..],
        &[("event", "formal-positive"), ("reasons", "person-account")][..],
        &[("event", "start-support")][..],
    ] {
        assert_eq!(decide(app, &owner, &case, fields).await.0, 303, "{fields:?}");
    }
    // Closing states an outcome: not through the decision form.
    let (status, _) = decide(app, &owner, &case, &[("event", "close")]).await;
    assert_eq!(status, 409);

    let support = format!("/cases/{case}/support");
    let refused = app
        .submit(
            &owner,
            &support,
            &format!("{support}/close"),
            &[("outcome", "other"), ("summary", "Parti.")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Expliquez l’issue « Autre »") && html.contains("Parti.</textarea>"));
    assert!(html.contains("value=\"other\" selected"));

    let closed = app
        .submit(
            &owner,
            &support,
            &format!("{support}/close"),
            &[("outcome", "integrated"), ("summary", "Logement à Lyon, emploi stable")],
        )
        .await;
    assert_eq!(location(&closed), format!("{support}?saved=closed"));
    let (_, html) = app.get(&owner, &format!("{support}?saved=closed")).await;
    assert!(html.contains("Le dossier est clos.") && html.contains("closure-in-force"));
    assert!(html.contains("Insertion") && html.contains("Logement à Lyon, emploi stable"));
    assert!(html.contains("Rouvrir le dossier"));
    let stored = texts(
        &app.store,
        &format!("SELECT status || ' ' || closure_outcome || ' ' || closure_summary FROM cases WHERE id = '{case}'"),
    )
    .await
    .unwrap();
    assert!(stored[0].starts_with("closed integrated ") && !stored[0].contains("Lyon"));
    // A first responder's unit shared for support sees the outcome, not the
    // summary (it may speak of health, which their role does not read).
    let file = format!("/cases/{case}/file");
    let shared = app
        .submit(
            &owner,
            &file,
            &format!("{file}/shares"),
            &[
                ("organisation_id", app.organisation.as_str()),
                ("purpose", "support"),
                ("basis", "consent"),
            ],
        )
        .await;
    assert_eq!(shared.status().as_u16(), 303);
    let police = app.sign_in(&app.responder).await;
    let (status, html) = app.get(&police, &support).await;
    assert_eq!(status, 200);
    assert!(html.contains("Insertion") && !html.contains("Logement à Lyon"));
    assert!(
        !html.contains("Rouvrir le dossier"),
        "only the owning authority reopens"
    );
    // A closed case leaves the queue.
    assert!(!app.get(&owner, "/cases").await.1.contains(&format!("/cases/{case}\"")));

    let reopened = app.submit(&owner, &support, &format!("{support}/reopen"), &[]).await;
    assert_eq!(location(&reopened), format!("{support}?saved=reopened"));
    let (_, html) = app.get(&owner, &format!("{support}?saved=reopened")).await;
    assert!(html.contains("Le dossier est rouvert") && !html.contains("closure-in-force"));
    let history = html.split("id=\"closure-history\"").nth(1).unwrap();
    assert!(history.contains("Clore le dossier") && history.contains("Insertion"));
    assert!(history.contains("Logement à Lyon") && history.contains("Réouverture du dossier"));
    assert!(html.contains("Clore le dossier"), "the closure form is back");
    let stored = texts(
        &app.store,
        &format!("SELECT status FROM cases WHERE id = '{case}' AND closure_outcome IS NULL"),
    )
    .await
    .unwrap();
    assert_eq!(stored, vec!["support"]);
    let (_, timeline) = app.get(&owner, &format!("/cases/{case}")).await;
    assert!(timeline.contains("Clore le dossier") && timeline.contains("Réouverture du dossier"));
    assert!(timeline.contains("Insertion"));
}

/// A quoted-printable mail body decoded (its `=XX` bytes), so that accented words compare.
fn quoted_printable(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
