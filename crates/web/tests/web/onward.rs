//! Onward referrals and the safe distant placement: the matching proposes
//! only shelters that fit and says why the others are excluded; the shelter
//! sees only what it was sent, never the case file; accepting records the
//! placement and takes a place; every read is in the case's access log.

use super::case_team::organisation_of;
use super::cases_flow::{accept, author_and_officer};
use super::harness::{TestApp, TestUser, location};
use super::triage::{details, referral, user};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_store::testing::{execute_raw, texts};

/// A support worker of a shelter organisation owning three shelters with
/// secure distant places: one next to Seine-Saint-Denis, one full, one in
/// Gironde that fits. Returns the worker and the organisation id.
async fn shelter_organisation(app: &TestApp, email: &'static str) -> (TestUser, String) {
    let (worker, worker_id) = user(app, OrganisationType::Association, email, Role::SupportWorker).await;
    let organisation = organisation_of(app, &worker_id).await;
    for (id, name, departement, free) in [
        ("5e4c0000000000000000000000000001", "Foyer proche (fictif)", "94", 2),
        ("5e4c0000000000000000000000000002", "Foyer complet (fictif)", "13", 0),
        ("5e4c0000000000000000000000000003", "Foyer lointain (fictif)", "33", 1),
    ] {
        execute_raw(
            &app.store,
            &format!(
                "INSERT INTO services (id, organisation_id, name, kind, departement, covers, accepts_sexes, \
                 accepts_children, contact, created_at, updated_at) VALUES ('{id}', '{organisation}', '{name}', \
                 'accommodation', '{departement}', '*', 'female', 1, 'accueil@foyer.test', 0, 0)"
            ),
        )
        .await
        .unwrap();
        execute_raw(
            &app.store,
            &format!(
                "INSERT INTO service_places (service_id, place_type, total, free, updated_at) \
                 VALUES ('{id}', 'secure-distant', 4, {free}, 0)"
            ),
        )
        .await
        .unwrap();
    }
    (worker, organisation)
}

const REQUEST: [(&str, &str); 6] = [
    ("places", "93"),
    ("avoid", "93 75"),
    ("children", "0"),
    ("needs", "Hébergement sécurisé, suivi psychologique"),
    ("constraints", "Audience au tribunal de Bobigny en mars"),
    ("basis", "consent"),
];

pub async fn a_distant_placement_is_matched_sent_and_accepted_by_a_shelter_that_sees_only_what_it_was_sent(
    app: &TestApp,
) {
    let ((_, author), officer) =
        author_and_officer(app, "onward-author@relais.test", "onward-officer@relais.test").await;
    let (shelter, shelter_org) = shelter_organisation(app, "onward-shelter@relais.test").await;
    let id = referral(app, &author, &details("Petrova", "93", true)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let placement = format!("/cases/{case}/onward/placement");

    let (status, html) = app.get(&owner, &placement).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"avoid\" name=\"avoid\" value=\"93\""),
        "where the person was met is avoided"
    );

    let missing = app.submit(&owner, &placement, &placement, &[("places", "")]).await;
    assert_eq!(missing.status().as_u16(), 422);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Indiquez au moins un lieu d’exploitation") && html.contains("Indiquez le fondement du partage")
    );

    let matched = app.submit(&owner, &placement, &placement, &REQUEST).await;
    assert_eq!(matched.status().as_u16(), 200);
    let html = matched.text().await.unwrap();
    let proposed = html.find("Foyer lointain (fictif)").unwrap();
    assert!(
        proposed < html.find("Foyer proche (fictif)").unwrap(),
        "proposed shelters come first"
    );
    assert!(
        html.contains("Trop proche du 93"),
        "the near shelter is excluded with its distance"
    );
    assert!(html.contains("Complet : aucune place libre"));
    assert_eq!(
        html.matches("Envoyer la demande à ce lieu").count(),
        1,
        "only the shelter that fits can be chosen"
    );

    let send = format!("{placement}/send");
    let mut chosen: Vec<(&str, &str)> = REQUEST.to_vec();
    chosen.push(("service_id", "5e4c0000000000000000000000000001"));
    let refused = app.submit(&owner, &placement, &send, &chosen).await;
    assert_eq!(
        refused.status().as_u16(),
        409,
        "a shelter that does not fit cannot be chosen"
    );
    chosen.pop();
    chosen.push(("service_id", "5e4c0000000000000000000000000003"));
    let sent = app.submit(&owner, &placement, &send, &chosen).await;
    assert_eq!(sent.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &location(&sent)).await;
    assert!(html.contains("Mise à l’abri éloignée (Ac.Sé)") && html.contains("Envoyée"));

    // The shelter sees what it was sent, and nothing else.
    let receiver = app.sign_in(&shelter).await;
    let (status, inbox) = app.get(&receiver, "/onward").await;
    assert_eq!(status, 200);
    let referral_id = texts(
        &app.store,
        &format!("SELECT id FROM onward_referrals WHERE case_id = '{case}'"),
    )
    .await
    .unwrap()
    .remove(0);
    assert!(inbox.contains(&format!("/onward/{referral_id}")));
    let item = format!("/onward/{referral_id}");
    let (status, html) = app.get(&receiver, &item).await;
    assert_eq!(status, 200);
    assert!(html.contains("Anna") && html.contains("93") && html.contains("Audience au tribunal"));
    assert!(
        !html.contains("Petrova") && !html.contains("contrôle routier"),
        "no family name, no circumstances"
    );
    assert_eq!(app.get(&receiver, &format!("/cases/{case}/file")).await.0, 404);
    assert_eq!(app.get(&receiver, &format!("/cases/{case}/onward")).await.0, 404);
    assert_eq!(app.get(&receiver, &format!("/cases/{case}/file/people")).await.0, 404);
    let stored = texts(
        &app.store,
        &format!("SELECT payload FROM onward_referrals WHERE id = '{referral_id}'"),
    )
    .await
    .unwrap();
    assert!(!stored[0].contains("Anna"), "the payload is encrypted");

    // Decline needs a reason; accepting records the placement and takes the place.
    let declined = app
        .submit(&receiver, &item, &format!("{item}/answer"), &[("event", "decline")])
        .await;
    assert_eq!(declined.status().as_u16(), 422);
    let accepted = app
        .submit(&receiver, &item, &format!("{item}/answer"), &[("event", "accept")])
        .await;
    assert_eq!(accepted.status().as_u16(), 303);
    let free = texts(
        &app.store,
        "SELECT CAST(free AS TEXT) FROM service_places WHERE service_id = '5e4c0000000000000000000000000003'",
    )
    .await
    .unwrap();
    assert_eq!(free, vec!["0"]);
    let placed = texts(
        &app.store,
        &format!("SELECT status FROM onward_referrals WHERE id = '{referral_id}' AND placed_at IS NOT NULL"),
    )
    .await
    .unwrap();
    assert_eq!(placed, vec!["accepted"]);
    let completed = app
        .submit(&receiver, &item, &format!("{item}/answer"), &[("event", "complete")])
        .await;
    assert_eq!(completed.status().as_u16(), 303);

    // Every read by the shelter is in the case's access log.
    let reads = texts(
        &app.store,
        &format!(
            "SELECT action FROM audit_log WHERE object_type = 'case' AND object_id = '{case}' \
             AND action = 'case.onward-received-read' AND actor_organisation_id = '{shelter_org}'"
        ),
    )
    .await
    .unwrap();
    assert!(reads.len() >= 2, "the access log is read from these audit entries");
}

pub async fn a_service_referral_needs_a_basis_and_carries_no_place_of_exploitation(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "service-author@relais.test", "service-officer@relais.test").await;
    shelter_organisation(app, "service-worker@relais.test").await;
    let id = referral(app, &author, &details("Ivanova", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let page = format!("/cases/{case}/onward");
    let refused = app
        .submit(
            &owner,
            &page,
            &page,
            &[
                ("service_id", "5e4c0000000000000000000000000001"),
                ("basis", "override"),
                ("places", "93"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Expliquez pourquoi les informations sont partagées sans consentement")
    );
    let sent = app
        .submit(
            &owner,
            &page,
            &page,
            &[
                ("service_id", "5e4c0000000000000000000000000001"),
                ("basis", "override"),
                ("override_reason", "Danger immédiat, personne injoignable"),
                ("needs", "Hébergement d’urgence"),
            ],
        )
        .await;
    assert_eq!(sent.status().as_u16(), 303);
    let overrides = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' AND action = 'case.onward-send-override'"),
    )
    .await
    .unwrap();
    assert_eq!(overrides.len(), 1, "sharing without consent is audited as such");
}

/// A shelter's dashboard lists the requests it has not answered, with who
/// sent them and how to reach them, and its shelters whose places are a
/// week old; the referrer's dashboard lists the referral whose status changed.
pub async fn a_shelters_dashboard_lists_requests_to_answer_and_places_to_update(app: &TestApp) {
    let ((referrer, author), officer) =
        author_and_officer(app, "inbox-author@relais.test", "inbox-officer@relais.test").await;
    let (shelter, _) = shelter_organisation(app, "inbox-shelter@relais.test").await;
    let id = referral(app, &author, &details("Petrova", "93", true)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let placement = format!("/cases/{case}/onward/placement");
    let mut chosen: Vec<(&str, &str)> = REQUEST.to_vec();
    chosen.push(("service_id", "5e4c0000000000000000000000000003"));
    let sent = app
        .submit(&owner, &placement, &format!("{placement}/send"), &chosen)
        .await;
    assert_eq!(sent.status().as_u16(), 303);

    let receiver = app.sign_in(&shelter).await;
    let (status, html) = app.get(&receiver, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains("Demandes reçues à traiter"));
    assert!(html.contains("Mise à l’abri éloignée (Ac.Sé)") && html.contains("Foyer lointain (fictif)"));
    assert!(
        html.contains("inbox-officer@relais.test (") && html.contains("href=\"mailto:inbox-officer@relais.test\""),
        "who sent it and how to reach them"
    );
    assert!(
        !html.contains("Petrova") && !html.contains("Anna"),
        "no person on the dashboard"
    );
    assert!(html.contains("Places à mettre à jour"));
    assert_eq!(
        html.matches("dernière mise à jour").count(),
        3,
        "the three shelters' places are old"
    );

    let referral_id = texts(
        &app.store,
        &format!("SELECT id FROM onward_referrals WHERE case_id = '{case}'"),
    )
    .await
    .unwrap()
    .remove(0);
    let item = format!("/onward/{referral_id}");
    let accepted = app
        .submit(&receiver, &item, &format!("{item}/answer"), &[("event", "accept")])
        .await;
    assert_eq!(accepted.status().as_u16(), 303);
    let (_, html) = app.get(&receiver, "/dashboard").await;
    assert!(
        !html.contains("Demandes reçues à traiter"),
        "an answered request leaves the list"
    );

    let referrer = app.sign_in(&referrer).await;
    let (_, html) = app.get(&referrer, "/dashboard").await;
    assert!(html.contains("Vos orientations dont le statut a changé"));
    assert!(html.contains("Acceptée — dossier ouvert"));

    // An organisation's administrator keeps its services: no request, no referral, a dashboard all the same.
    let (manager, _) = user(
        app,
        OrganisationType::Association,
        "inbox-manager@relais.test",
        Role::OrganisationAdministrator,
    )
    .await;
    let manager = app.sign_in(&manager).await;
    assert_eq!(app.get(&manager, "/dashboard").await.0, 200);
}
