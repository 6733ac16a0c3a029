//! The people of a case on every backend: the person's record and their
//! dependants written and read back encrypted, what a share may see of
//! them, and the audit row of each read and change.

use super::case_file::{NOW, access, audited, begin, share_with_responder};
use super::privacy::{full_case, people};
use relais_domain::casework::case_access::SharePurpose;
use relais_domain::casework::case_people::{Dependant, Person, Relation, SafeContact};
use relais_store::casework::case_people;
use relais_store::{Store, StoreError, testing};

pub async fn the_person_record_and_dependants_round_trip_encrypted_and_audited(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Dimitrova").await;
    let person = Person {
        family_name: "Dimitrova".into(),
        given_names: "Elena".into(),
        aliases: vec!["Lena".into()],
        birth_date: "1998".into(),
        nationality: "BGR".into(),
        languages: "bulgare".into(),
        safe_contact: SafeContact {
            do_not_call: true,
            safe_times: "mardi matin".into(),
            through_whom: "sa cousine à Montreuil".into(),
        },
    };
    let partner = Dependant {
        name: "Ivan".into(),
        relation: Relation::Partner,
        birth_year: Some(1995),
        accompanies: false,
        notes: String::new(),
    };
    // A minute after the fixture's dependant, so the order of the two is by time.
    let mut tx = begin(store, &p.officer, NOW.plus_seconds(60)).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    case_people::save_person(&mut tx, &file, &person).await.unwrap();
    case_people::add_dependant(&mut tx, &file, &partner).await.unwrap();
    assert_eq!(case_people::dependant_count(&mut tx, &file).await.unwrap(), 2);
    tx.commit().await.unwrap();

    let mut tx = begin(store, &p.officer, NOW.plus_seconds(120)).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let read = case_people::people(&mut tx, &file).await.unwrap();
    assert_eq!(
        read.person.as_ref(),
        Some(&person),
        "the second save replaces the first"
    );
    assert_eq!(read.from_referral.family_name, "Dimitrova");
    let names: Vec<&str> = read.dependants.iter().map(|(_, d)| d.name.as_str()).collect();
    assert_eq!(names, vec!["Mila", "Ivan"]);
    case_people::remove_dependant(&mut tx, &file, &read.dependants[0].0)
        .await
        .unwrap();
    assert!(matches!(
        case_people::remove_dependant(&mut tx, &file, &read.dependants[0].0).await,
        Err(StoreError::NotFound)
    ));
    let after = case_people::people(&mut tx, &file).await.unwrap();
    assert_eq!(after.dependants.len(), 1);
    assert_eq!(after.dependants[0].1, partner);
    tx.commit().await.unwrap();

    assert_eq!(audited(store, &case, "case.person-save").await, 2);
    assert_eq!(audited(store, &case, "case.dependant-add").await, 2);
    assert_eq!(audited(store, &case, "case.dependant-remove").await, 1);
    assert_eq!(audited(store, &case, "case.people-read").await, 2);
    let stored = testing::texts(
        store,
        &format!("SELECT details FROM case_people WHERE case_id = '{case}'"),
    )
    .await
    .unwrap();
    assert_eq!(stored.len(), 2);
    assert!(
        stored.iter().all(|d| !d.contains("Dimitrova") && !d.contains("Ivan")),
        "{stored:?}"
    );

    let mut tx = begin(store, &p.nord, NOW).await;
    assert!(matches!(
        access(&mut tx, &p.nord, &case).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn an_investigation_share_reads_the_identity_without_safe_contact_or_dependants(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Stoyanova").await;
    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let mut person = case_people::people(&mut tx, &file).await.unwrap().person.unwrap();
    person.safe_contact.through_whom = "l'assistante sociale".into();
    case_people::save_person(&mut tx, &file, &person).await.unwrap();
    tx.commit().await.unwrap();
    share_with_responder(store, &p, &case, SharePurpose::Investigation).await;

    let mut tx = begin(store, &p.responder, NOW).await;
    let file = access(&mut tx, &p.responder, &case).await.unwrap();
    let read = case_people::people(&mut tx, &file).await.unwrap();
    let seen = read.person.unwrap();
    assert_eq!(seen.family_name, "Stoyanova");
    assert_eq!(
        seen.safe_contact,
        SafeContact::default(),
        "the safe contact stays hidden"
    );
    assert!(read.dependants.is_empty(), "dependants stay hidden");
    assert!(read.from_referral.safe_contact.through_whom.is_empty());
    assert!(matches!(
        case_people::save_person(&mut tx, &file, &seen).await,
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        case_people::add_dependant(
            &mut tx,
            &file,
            &Dependant {
                name: "X".into(),
                relation: Relation::Other,
                birth_year: None,
                accompanies: false,
                notes: String::new(),
            }
        )
        .await,
        Err(StoreError::NotFound)
    ));
    tx.commit().await.unwrap();
    let readers = testing::texts(
        store,
        &format!(
            "SELECT actor_organisation_id FROM audit_log WHERE object_id = '{case}' AND action = 'case.people-read'"
        ),
    )
    .await
    .unwrap();
    assert!(
        readers.contains(&p.responder.organisation_id().as_str().to_owned()),
        "{readers:?}"
    );
}
