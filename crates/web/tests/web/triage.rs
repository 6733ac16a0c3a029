//! The identification authority's triage queue through the browser's eyes.

use super::harness::{PASSWORD, TestApp, TestUser, location};
use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::{self, SubmitReferrals};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::ids::{ReferralId, UserId};
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::steps::Step;
use relais_domain::territory::Territory;
use relais_domain::time::Date;
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::{Actor, access::passwords, access::totp, bootstrap, intake::referrals};

pub async fn user(app: &TestApp, org_type: OrganisationType, email: &'static str, role: Role) -> (TestUser, UserId) {
    let now = app.clock.now();
    let mut tx = app.store.begin(Actor::system(), "test-setup", now).await.unwrap();
    let org = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: format!("Organisation {email}"),
            org_type,
            territory: Territory::National,
        },
    )
    .await
    .unwrap();
    let secret = totp::new_secret();
    let new = NewUser {
        organisation_id: org,
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(email).unwrap(),
        roles: vec![role],
    };
    let hash = passwords::hash(PASSWORD).unwrap();
    let id = bootstrap::create_demo_user(&mut tx, &new, &hash, &secret)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (TestUser { email, secret }, id)
}

pub fn details(family: &str, departement: &str, urgent: bool) -> ReferralDetails {
    ReferralDetails {
        family_name: family.into(),
        given_names: "Anna".into(),
        birth_date: "1999".into(),
        age: "adult".into(),
        sex: "female".into(),
        nationality: "BGR".into(),
        departement: departement.into(),
        languages: "bulgare".into(),
        interpreter_needed: "no".into(),
        circumstances: "Rencontrée lors d'un contrôle routier".into(),
        forms: vec!["labour".into()],
        location: "france".into(),
        need_safety: urgent,
        consent: "given".into(),
        consent_language: "bulgare".into(),
        consent_interpreter: "no".into(),
        consent_explained_by: "Officier".into(),
        consent_date: "2026-01-10".into(),
        ..ReferralDetails::default()
    }
}

pub async fn referral(app: &TestApp, author: &UserId, details: &ReferralDetails) -> ReferralId {
    let principal = relais_store::access::users::principal(&app.store, author, app.clock.now())
        .await
        .unwrap()
        .unwrap()
        .0;
    let can = authz::authorize::<SubmitReferrals>(&principal).unwrap();
    let now = app.clock.now();
    let actor = Actor::user(principal.user_id().clone(), principal.organisation_id().clone());
    let mut tx = app.store.begin(actor, "test-setup", now).await.unwrap();
    let id = referrals::create_draft(&mut tx, &can, ("ilo-ec-delphi-2009-labour", 1))
        .await
        .unwrap();
    referrals::save_draft(&mut tx, &can, &id, Step::Consent, details)
        .await
        .unwrap();
    referrals::submit(
        &mut tx,
        &can,
        &id,
        None,
        Date::local(now, &relais_domain::time::Zone::paris()),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// A first responder who refers, and the identification officer who triages.
async fn author_and_officer(app: &TestApp) -> (UserId, TestUser) {
    let (_, author) = user(
        app,
        OrganisationType::Association,
        "author@relais.test",
        Role::FirstResponder,
    )
    .await;
    let (officer, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "officer@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    (author, officer)
}

pub async fn identification_officer_filters_opens_asks_and_accepts(app: &TestApp) {
    let (author, officer) = author_and_officer(app).await;
    let nord = referral(app, &author, &details("Petrova", "59", false)).await;
    let paris = referral(app, &author, &details("Martin", "75", true)).await;
    app.clock.advance(3 * 86_400);

    let client = app.sign_in(&officer).await;
    let (status, html) = app.get(&client, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/triage\""), "navigation offers the queue");
    let (status, html) = app.get(&client, "/triage").await;
    assert_eq!(status, 200);
    let (at_paris, at_nord) = (html.find(paris.as_str()).unwrap(), html.find(nord.as_str()).unwrap());
    assert!(at_paris < at_nord, "urgent first");
    assert!(html.contains("3 j"), "age of the item in days");
    assert!(!html.contains("Petrova"), "no names in the queue");
    let (_, html) = app.get(&client, "/triage?departement=59&child=&urgent=").await;
    assert!(html.contains(nord.as_str()) && !html.contains(paris.as_str()));
    let (_, html) = app.get(&client, "/triage?urgent=yes").await;
    assert!(!html.contains(nord.as_str()) && html.contains(paris.as_str()));
    let (_, html) = app.get(&client, "/triage?older_than_days=5").await;
    assert!(html.contains("triage-empty"));

    let item = format!("/triage/{nord}");
    let (status, html) = app.get(&client, &item).await;
    assert_eq!(status, 200);
    assert!(html.contains("Petrova") && html.contains("Femme") && html.contains("Exploitation par le travail"));
    assert!(html.contains("pas une identification"));

    let response = app
        .submit(
            &client,
            &item,
            &format!("{item}/request-information"),
            &[("message", "Quelle date exactement ?")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = app.get(&client, &location(&response)).await;
    assert!(html.contains("Quelle date exactement ?") && html.contains("Complément demandé"));

    let response = app.submit(&client, &item, &format!("{item}/accept"), &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = app.get(&client, &location(&response)).await;
    assert!(html.contains("un dossier est ouvert"));
    assert!(html.contains("Acceptée"));

    // The same person referred again, in Cyrillic: the accepted one is a candidate.
    let again = referral(app, &author, &details("Петрова", "59", false)).await;
    let (_, html) = app.get(&client, &format!("/triage/{again}")).await;
    assert!(html.contains("Même nom une fois normalisé"), "reasons are translated");
    assert!(html.contains("name=\"person_id\""));
}

pub async fn the_queue_pages_keep_the_filters_and_the_dashboard_counts_all(app: &TestApp) {
    let (author, officer) = author_and_officer(app).await;
    let page = relais_store::intake::triage::QUEUE_PAGE;
    let mut ids = vec![];
    for i in 0..page + 2 {
        ids.push(referral(app, &author, &details("Page", "59", i == 0)).await);
        app.clock.advance(60);
    }
    let client = app.sign_in(&officer).await;
    let (_, html) = app.get(&client, "/triage?departement=59").await;
    assert!(html.contains(ids[0].as_str()) && html.contains(ids[page - 1].as_str()));
    assert!(!html.contains(ids[page].as_str()), "a page holds {page} referrals");
    let start = html.find("href=\"/triage?").expect("a link to the next page") + "href=\"/triage?".len();
    let next = html[start..].split('"').next().unwrap().replace("&#38;", "&");
    assert!(next.contains("departement=59") && next.contains("after="), "{next}");
    let (status, html) = app.get(&client, &format!("/triage?{next}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(ids[page].as_str()) && html.contains(ids[page + 1].as_str()));
    let row = |id: &relais_domain::ids::ReferralId| format!("href=\"/triage/{id}\"");
    assert!(
        !html.contains(&row(&ids[page - 1])),
        "the second page starts after the first"
    );
    assert!(html.contains("Première page") && !html.contains("Page suivante"));

    // The dashboard counts every waiting referral, not a page of them.
    let (_, html) = app.get(&client, "/dashboard").await;
    let waiting = html.find("en attente de tri").expect("the reminder");
    let count = (page + 2).to_string();
    assert!(
        html[waiting.saturating_sub(40)..waiting].contains(&count),
        "all counted"
    );
}

pub async fn triage_is_refused_to_first_responders(app: &TestApp) {
    let responder = app.sign_in(&app.responder).await;
    assert_eq!(app.get(&responder, "/triage").await.0, 403);
    let (_, html) = app.get(&responder, "/dashboard").await;
    assert!(!html.contains("href=\"/triage\""));
}

pub async fn rejecting_without_a_reason_keeps_the_form(app: &TestApp) {
    let (author, officer) = author_and_officer(app).await;
    let id = referral(app, &author, &details("Doe", "59", false)).await;
    let client = app.sign_in(&officer).await;
    let item = format!("/triage/{id}");
    let response = app
        .submit(&client, &item, &format!("{item}/reject"), &[("reason", "   ")])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Indiquez le motif du rejet"));
    assert!(html.contains("href=\"#reason\""), "the summary links to the field");
    // A request without a message keeps what else was typed.
    let response = app
        .submit(
            &client,
            &item,
            &format!("{item}/request-information"),
            &[("message", ""), ("reason", "gardé")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains(">gardé</textarea>"));

    let response = app
        .submit(&client, &item, &format!("{item}/reject"), &[("reason", "Hors champ")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = app.get(&client, &location(&response)).await;
    assert!(html.contains("Hors champ") && html.contains("Rejetée"));
    // A decision is final.
    let response = app.submit(&client, &item, &format!("{item}/accept"), &[]).await;
    assert_eq!(response.status().as_u16(), 409);
}

pub async fn the_referrer_answers_the_authority_in_the_thread(app: &TestApp) {
    let (author, author_id) = user(
        app,
        OrganisationType::Police,
        "referrer@relais.test",
        Role::FirstResponder,
    )
    .await;
    let (officer, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "officer2@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let id = referral(app, &author_id, &details("Ionescu", "13", false)).await;
    let officer_client = app.sign_in(&officer).await;
    let item = format!("/triage/{id}");
    let response = app
        .submit(
            &officer_client,
            &item,
            &format!("{item}/request-information"),
            &[("message", "Depuis quand travaille-t-elle sur ce chantier ?")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let client = app.sign_in(&author).await;
    // The dashboard says what waits, with a link.
    let (_, dashboard) = app.get(&client, "/dashboard").await;
    assert!(dashboard.contains("l’autorité d’identification vous demande des informations"));
    let page = format!("/referrals/{id}");
    let (status, html) = app.get(&client, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Informations demandées") && html.contains("Depuis quand travaille-t-elle"));
    // An empty answer is refused; what was typed elsewhere is kept.
    let response = app
        .submit(&client, &page, &format!("{page}/reply"), &[("message", "   ")])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let response = app
        .submit(
            &client,
            &page,
            &format!("{page}/reply"),
            &[("message", "Depuis mars, six jours sur sept.")],
        )
        .await;
    assert_eq!(location(&response), format!("{page}?done=reply-sent"));
    let (_, html) = app.get(&client, &format!("{page}?done=reply-sent")).await;
    assert!(html.contains("Message envoyé.") && html.contains("En attente de tri"));

    let (_, html) = app.get(&officer_client, &item).await;
    assert!(html.contains("Depuis mars, six jours sur sept.") && html.contains("À trier"));
    let (_, dashboard) = app.get(&officer_client, "/dashboard").await;
    assert!(dashboard.contains("1 signalement(s) en attente de tri"));
}
