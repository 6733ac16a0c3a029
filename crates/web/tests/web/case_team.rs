//! The case team: an organisation that supports the person asks for a
//! negative decision to be reconsidered; a transfer hands the follow-up to
//! another organisation, which then reaches the file while the former lead
//! no longer does.

use super::cases_flow::{accept, author_and_officer, decide};
use super::harness::TestApp;
use super::triage::{details, referral, user};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_store::testing::texts;

pub(super) async fn organisation_of(app: &TestApp, user: &relais_domain::ids::UserId) -> String {
    texts(
        &app.store,
        &format!("SELECT organisation_id FROM users WHERE id = '{user}'"),
    )
    .await
    .unwrap()
    .remove(0)
}

pub async fn a_support_organisation_asks_for_reconsideration_and_a_transfer_moves_the_lead(app: &TestApp) {
    let ((_, author), officer) = author_and_officer(app, "team-author@relais.test", "team-officer-1@relais.test").await;
    let (second, _) = user(
        app,
        OrganisationType::IdentificationAuthority,
        "team-officer-2@relais.test",
        Role::IdentificationOfficer,
    )
    .await;
    let (support, support_id) = user(
        app,
        OrganisationType::Association,
        "team-support@relais.test",
        Role::SupportWorker,
    )
    .await;
    let (next, next_id) = user(
        app,
        OrganisationType::Association,
        "team-next@relais.test",
        Role::SupportWorker,
    )
    .await;
    let id = referral(app, &author, &details("Adeyemi", "93", false)).await;
    let one = app.sign_in(&officer).await;
    let case = accept(app, &one, &id).await;
    let file = format!("/cases/{case}/file");

    // The first support organisation leads the follow-up after a transfer.
    let support_org = organisation_of(app, &support_id).await;
    let (status, html) = decide(app, &one, &case, &[("event", "transfer")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Un transfert nomme un département ou une organisation"));
    let (status, _) = decide(
        app,
        &one,
        &case,
        &[("event", "transfer"), ("transfer_organisation", &support_org)],
    )
    .await;
    assert_eq!(status, 303);
    let supporter = app.sign_in(&support).await;
    assert_eq!(
        app.get(&supporter, &file).await.0,
        200,
        "the lead organisation reaches the file"
    );

    // A negative preliminary decision, confirmed by a second decision-maker.
    let (status, _) = decide(
        app,
        &one,
        &case,
        &[
            ("event", "preliminary-negative"),
            ("reasons", "insufficient-information"),
            ("note", "Peu d’éléments à ce stade"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let two = app.sign_in(&second).await;
    let (status, _) = decide(app, &two, &case, &[("event", "confirm-decision")]).await;
    assert_eq!(status, 303);

    // The supporting organisation asks for reconsideration with new information.
    let (_, html) = app.get(&supporter, &file).await;
    assert!(html.contains("Demander un réexamen"));
    let empty = app
        .submit(
            &supporter,
            &file,
            &format!("{file}/reconsideration"),
            &[("information", " ")],
        )
        .await;
    assert_eq!(empty.status().as_u16(), 422);
    let asked = app
        .submit(
            &supporter,
            &file,
            &format!("{file}/reconsideration"),
            &[("information", "Un certificat médical confirme les violences")],
        )
        .await;
    assert_eq!(asked.status().as_u16(), 303);
    let (_, html) = app.get(&one, &format!("/cases/{case}")).await;
    assert!(
        html.contains("Demande de réexamen") || html.contains("réexamen"),
        "in the timeline"
    );
    let stages = texts(&app.store, &format!("SELECT status FROM cases WHERE id = '{case}'"))
        .await
        .unwrap();
    assert_eq!(stages, vec!["referred"], "back to the preliminary decision");
    let (_, html) = app.get(&supporter, &file).await;
    assert!(
        !html.contains("Envoyer la demande de réexamen"),
        "nothing to reconsider any more"
    );

    // A transfer to another organisation: the former lead no longer reaches the file.
    let next_org = organisation_of(app, &next_id).await;
    let (status, _) = decide(
        app,
        &one,
        &case,
        &[("event", "transfer"), ("transfer_organisation", &next_org)],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(app.get(&supporter, &file).await.0, 404);
    let newcomer = app.sign_in(&next).await;
    assert_eq!(app.get(&newcomer, &file).await.0, 200);
}
