//! The people of a case file: the person's record starts from the referral,
//! keeps safe-contact instructions, lists dependants; stored encrypted,
//! every read in the case's access log, nothing for outsiders.

use super::cases_flow::{accept, author_and_officer};
use super::harness::TestApp;
use super::triage::{details, referral, user};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_store::testing::texts;

pub async fn the_person_record_and_dependants_are_kept_safely(app: &TestApp) {
    let ((_, author), officer) =
        author_and_officer(app, "people-author@relais.test", "people-officer@relais.test").await;
    let id = referral(app, &author, &details("Okafor", "93", false)).await;
    let owner = app.sign_in(&officer).await;
    let case = accept(app, &owner, &id).await;
    let people = format!("/cases/{case}/file/people");

    let (status, html) = app.get(&owner, &people).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"Okafor\""), "the record starts from the referral");

    let refused = app
        .submit(
            &owner,
            &people,
            &format!("{people}/person"),
            &[
                ("family_name", "Okafor"),
                ("nationality", "Nigeria"),
                ("safe_times", "Mardi matin"),
            ],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("dans la liste des pays") && html.contains("value=\"Mardi matin\""));

    let saved = app
        .submit(
            &owner,
            &people,
            &format!("{people}/person"),
            &[
                ("family_name", "Okafor"),
                ("given_names", "Blessing"),
                ("aliases", "Joy\nBlessy"),
                ("nationality", "nga"),
                ("do_not_call", "yes"),
                ("safe_times", "Mardi matin"),
                ("through_whom", "Association du Relais"),
            ],
        )
        .await;
    assert_eq!(saved.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &people).await;
    assert!(
        html.contains("Ne jamais téléphoner") && html.contains("value=\"NGA\" selected") && html.contains("Blessy")
    );

    let missing = app
        .submit(
            &owner,
            &people,
            &format!("{people}/dependants"),
            &[("birth_year", "2031")],
        )
        .await;
    assert_eq!(missing.status().as_u16(), 422);
    assert!(missing.text().await.unwrap().contains("value=\"2031\""));
    let added = app
        .submit(
            &owner,
            &people,
            &format!("{people}/dependants"),
            &[
                ("name", "Lena"),
                ("relation", "child"),
                ("birth_year", "2019"),
                ("accompanies", "yes"),
            ],
        )
        .await;
    assert_eq!(added.status().as_u16(), 303);
    let (_, html) = app.get(&owner, &people).await;
    assert!(html.contains("Lena") && html.contains("Enfant"));

    let stored = texts(
        &app.store,
        &format!("SELECT details FROM case_people WHERE case_id = '{case}'"),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(
        stored.iter().all(|d| !d.contains("Okafor") && !d.contains("Lena")),
        "encrypted at rest"
    );
    let reads = texts(
        &app.store,
        &format!("SELECT action FROM audit_log WHERE object_id = '{case}' AND action = 'case.people-read'"),
    )
    .await
    .unwrap();
    assert!(reads.len() >= 3, "every read is in the case's access log");

    let row = texts(
        &app.store,
        &format!("SELECT id FROM case_people WHERE case_id = '{case}' AND role = 'dependant'"),
    )
    .await
    .unwrap()
    .remove(0);
    let (outsider, _) = user(
        app,
        OrganisationType::Association,
        "people-outsider@relais.test",
        Role::SupportWorker,
    )
    .await;
    let stranger = app.sign_in(&outsider).await;
    assert_eq!(app.get(&stranger, &people).await.0, 404, "not shared: nothing to see");
    let removed = app
        .submit(&owner, &people, &format!("{people}/dependants/{row}/remove"), &[])
        .await;
    assert_eq!(removed.status().as_u16(), 303);
    assert!(!app.get(&owner, &people).await.1.contains("Lena"));
}
