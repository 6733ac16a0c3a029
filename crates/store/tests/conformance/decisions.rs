//! The store records no decision without its grounds (issue 12): the rule
//! of `relais_domain::casework::statement` holds whoever calls the store.

use relais_domain::access::authz::{self, Capability, IdentifyVictims};
use relais_domain::casework::case_status::{Event, Policy, Status};
use relais_domain::casework::statement::{Draft, Problem};
use relais_domain::ids::CaseId;
use relais_domain::time::Timestamp;
use relais_store::casework::cases;
use relais_store::{Actor, Store, StoreError, testing};

use super::privacy::{full_case, people};

const NOW: Timestamp = Timestamp(1_800_000_000);

async fn events(store: &Store, case: &CaseId) -> Vec<String> {
    testing::texts(
        store,
        &format!("SELECT event || ':' || reasons FROM case_events WHERE case_id = '{case}' ORDER BY at, id"),
    )
    .await
    .unwrap()
}

pub async fn the_store_refuses_a_decision_without_its_reasons_or_a_negative_one_without_a_note(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Ivanova").await;
    let can: Capability<IdentifyVictims> = authz::authorize(&p.officer).unwrap();
    let actor = Actor::user(p.officer.user_id().clone(), p.officer.organisation_id().clone());
    let policy = Policy::default();

    let mut tx = store.begin(actor.clone(), "req-test", NOW).await.unwrap();
    let refusals = [
        (
            Event::PreliminaryNegative,
            Draft::default(),
            vec![Problem::Reasons, Problem::Note],
        ),
        (
            Event::PreliminaryNegative,
            Draft {
                reasons: vec!["indicators".into()],
                note: "   ".into(),
                ..Draft::default()
            },
            vec![Problem::Note],
        ),
        (
            Event::PreliminaryPositive,
            Draft {
                reasons: vec!["not-a-listed-reason".into()],
                ..Draft::default()
            },
            vec![Problem::Reasons],
        ),
        (Event::Transfer, Draft::default(), vec![Problem::Transfer]),
    ];
    for (event, draft, expected) in refusals {
        match cases::apply(&mut tx, &can, &case, event, &draft, &policy).await {
            Err(StoreError::Statement(problems)) => assert_eq!(problems, expected, "{event:?}"),
            other => panic!("{event:?} with {draft:?} was not refused: {other:?}"),
        }
    }
    drop(tx);
    assert!(events(store, &case).await.is_empty(), "nothing was recorded");

    let mut tx = store.begin(actor, "req-test", NOW).await.unwrap();
    let draft = Draft {
        reasons: vec!["insufficient-information".into(), "documents".into()],
        note: " Récit contradictoire ".into(),
        ..Draft::default()
    };
    let decided = cases::apply(&mut tx, &can, &case, Event::PreliminaryNegative, &draft, &policy)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // A negative decision waits for a second decision-maker (the default policy).
    assert_eq!(decided.case.status, Status::Referred);
    assert_eq!(decided.case.pending.map(|p| p.event), Some(Event::PreliminaryNegative));
    assert_eq!(
        events(store, &case).await,
        ["preliminary-negative:insufficient-information,documents"]
    );
}
