//! The case queue on every backend (issue 17): open cases a page at a time
//! in the order of their next deadline (a permit's when it comes first, none
//! last), the key surviving its text form, the overdue count in local days,
//! and the deadline kept by each change and computed again by `migrate`.

use super::case_file::{NOW, access, begin};
use super::privacy::{full_case, people};
use relais_domain::access::authz::{self, Capability, IdentifyVictims};
use relais_domain::casework::case_status::{Event, Policy};
use relais_domain::casework::deadline::QueueDeadline;
use relais_domain::casework::rights::{self, Permit, PermitKind};
use relais_domain::casework::statement::Draft;
use relais_domain::ids::CaseId;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::casework::queue::{self, Attention, QueueKey};
use relais_store::casework::{cases, support};
use relais_store::{Store, testing};

/// Every open case visible to `can`, page after page of `size`, as (case, deadline key).
async fn walk(store: &Store, p: &relais_domain::access::authz::Principal, size: usize) -> Vec<(CaseId, &'static str)> {
    let can: Capability<IdentifyVictims> = authz::authorize(p).unwrap();
    let mut seen = vec![];
    let mut after: Option<QueueKey> = None;
    loop {
        let mut tx = begin(store, p, NOW).await;
        let page = queue::page(&mut tx, &can, after.as_ref(), size).await.unwrap();
        tx.commit().await.unwrap();
        assert!(page.items.len() <= size);
        seen.extend(
            page.items
                .iter()
                .map(|q| (q.case.id.clone(), q.deadline.map_or("none", QueueDeadline::key))),
        );
        match page.next {
            // The key goes through the link's text, as the web page carries it.
            Some(key) => after = Some(QueueKey::parse(&key.encode()).unwrap()),
            None => return seen,
        }
    }
}

async fn attention(store: &Store, p: &relais_domain::access::authz::Principal, at: Timestamp) -> Attention {
    let can: Capability<IdentifyVictims> = authz::authorize(p).unwrap();
    let mut tx = begin(store, p, NOW).await;
    let counts = queue::attention(&mut tx, &can, at).await.unwrap();
    tx.commit().await.unwrap();
    counts
}

pub async fn the_case_queue_pages_by_deadline_and_counts_what_is_overdue(store: &Store) {
    let p = people(store).await;
    let reflection = full_case(store, &p, "Ababio").await;
    let permit = full_case(store, &p, "Bekova").await;
    let referred = full_case(store, &p, "Cissé").await;
    let refused = full_case(store, &p, "Dragan").await;
    let can: Capability<IdentifyVictims> = authz::authorize(&p.officer).unwrap();
    let today = Date::utc(NOW);

    let mut tx = begin(store, &p.officer, NOW).await;
    let grounds = Draft {
        reasons: vec!["indicators".into()],
        note: "Récit cohérent".into(),
        ..Draft::default()
    };
    cases::apply(
        &mut tx,
        &can,
        &reflection,
        Event::PreliminaryPositive,
        &grounds,
        &Policy::default(),
    )
    .await
    .unwrap();
    // Without a second decision-maker, a negative decision ends the stage's deadlines.
    let alone = Policy {
        second_decision_for_negatives: false,
        ..Policy::default()
    };
    cases::apply(&mut tx, &can, &refused, Event::PreliminaryNegative, &grounds, &alone)
        .await
        .unwrap();
    // A card whose renewal was due 50 days ago comes before the preliminary decision.
    let expires = today.plus_days(10);
    let card = Permit {
        kind: PermitKind::TemporaryResidenceCard,
        applied_on: Some(expires.plus_days(-400)),
        receipt_on: None,
        decided_on: Some(expires.plus_days(-365)),
        expires_on: Some(expires),
        outcome: rights::Outcome::Granted,
        refusal_reason: None,
    };
    let file = access(&mut tx, &p.officer, &permit).await.unwrap();
    support::save_permit(&mut tx, &file, None, &card, None, "")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let expected = vec![
        (permit.clone(), "permit-renewal"),
        (referred.clone(), "preliminary-decision"),
        (reflection.clone(), "reflection-end"),
        (refused.clone(), "none"),
    ];
    for size in [1, 2, 3, 4, 50] {
        assert_eq!(walk(store, &p.officer, size).await, expected, "pages of {size}");
    }
    // The Nord's officer has no case in the 93.
    assert!(walk(store, &p.nord, 2).await.is_empty());

    // Today only the renewal is late; two months on, the preliminary decision and the
    // reflection period's end are too. Nothing waits for a second decision.
    assert_eq!(
        attention(store, &p.officer, NOW).await,
        Attention {
            overdue: 1,
            second_decision: 0
        }
    );
    assert_eq!(
        attention(store, &p.officer, NOW.plus_seconds(60 * 86_400))
            .await
            .overdue,
        3
    );
    assert_eq!(
        attention(store, &p.nord, NOW.plus_seconds(60 * 86_400)).await.overdue,
        0
    );

    // The count is kept per département and due day: a transfer to the Nord moves the case's
    // count there, and the national count keeps it once.
    let mut tx = begin(store, &p.officer, NOW).await;
    let transfer = Draft {
        transfer_to: Departement::parse("59"),
        ..grounds.clone()
    };
    cases::apply(&mut tx, &can, &referred, Event::Transfer, &transfer, &Policy::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let later = NOW.plus_seconds(60 * 86_400);
    assert_eq!(attention(store, &p.nord, later).await.overdue, 1);
    assert_eq!(attention(store, &p.officer, later).await.overdue, 3);
    assert_eq!(attention(store, &p.nord, NOW).await.overdue, 0);

    // Cases from before the column are computed when the store migrates.
    testing::execute_raw(store, "UPDATE cases SET next_due_kind = NULL, next_due_on = NULL")
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert_eq!(walk(store, &p.officer, 3).await, expected);
    assert_eq!(attention(store, &p.nord, later).await.overdue, 1);
    assert_eq!(attention(store, &p.officer, later).await.overdue, 3);

    // Around midnight in Paris after the renewal's due day, the verdict depends on the zone:
    // late just after, not yet just before (the counters of the window's days, by département).
    let mut tx = begin(store, &p.officer, NOW).await;
    let first = queue::page(&mut tx, &can, None, 1).await.unwrap();
    tx.commit().await.unwrap();
    let due = first.items[0].deadline.unwrap().date();
    let paris = Zone::paris();
    let after_midnight = paris.instant(due.plus_days(1), 0, 30).unwrap();
    let before_midnight = paris.instant(due, 23, 30).unwrap();
    assert_eq!(attention(store, &p.officer, after_midnight).await.overdue, 1);
    assert_eq!(attention(store, &p.officer, before_midnight).await.overdue, 0);
}
