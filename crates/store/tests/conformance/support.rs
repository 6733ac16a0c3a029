//! Needs, permits and the closure on every backend: written and read back,
//! health needs and the closing summary at the health level, a share that
//! reads but does not write, the permit's next deadline, and an
//! audit row on the case for each read and change.

use super::case_file::{NOW, access, audited, begin, share_with_responder};
use super::privacy::{full_case, people};
use relais_domain::access::authz::{self, Capability, IdentifyVictims};
use relais_domain::casework::case_access::SharePurpose;
use relais_domain::casework::case_status::Policy;
use relais_domain::casework::closure::{self, Closure};
use relais_domain::casework::needs::{Need, NeedKind, NeedStatus, Urgency};
use relais_domain::casework::rights::{self, DeadlineKind, Permit, PermitKind};
use relais_domain::territory::Departement;
use relais_domain::time::Date;
use relais_store::casework::support;
use relais_store::{Store, StoreError, testing};

fn need(kind: NeedKind, urgency: Urgency) -> Need {
    Need {
        kind,
        urgency,
        status: NeedStatus::Open,
        unmet_reason: None,
        accommodation: None,
        return_risk: None,
        actor: "Association Ruelle".into(),
    }
}

fn card(expires_on: Date) -> Permit {
    Permit {
        kind: PermitKind::TemporaryResidenceCard,
        applied_on: Some(expires_on.plus_days(-400)),
        receipt_on: None,
        decided_on: Some(expires_on.plus_days(-365)),
        expires_on: Some(expires_on),
        outcome: rights::Outcome::Granted,
        refusal_reason: None,
    }
}

pub async fn needs_and_permits_round_trip_and_a_share_reads_without_health(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Petrova").await;
    let today = Date::utc(NOW);
    let needs = vec![
        need(NeedKind::Medical, Urgency::Immediate),
        need(NeedKind::LegalAid, Urgency::Normal),
    ];
    let expires = today.plus_days(100);
    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    support::add_assessment(&mut tx, &file, today, &needs).await.unwrap();
    let permit = support::save_permit(
        &mut tx,
        &file,
        None,
        &card(expires),
        Departement::parse("93"),
        "rendez-vous en préfecture",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let opened = support::open(&mut tx, &file).await.unwrap();
    assert_eq!(opened.assessments.len(), 1);
    assert_eq!(opened.assessments[0].needs, needs);
    assert_eq!(opened.permits.len(), 1);
    let saved = &opened.permits[0];
    assert_eq!((saved.id.as_str(), &saved.permit), (permit.as_str(), &card(expires)));
    assert_eq!(saved.note.as_deref(), Some("rendez-vous en préfecture"));
    let renewal = expires.plus_days(-rights::RENEWAL_LEAD_DAYS);
    assert_eq!(saved.next, Some((DeadlineKind::Renewal, renewal)));
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.needs-assess").await, 1);
    assert_eq!(audited(store, &case, "case.permit-add").await, 1);
    assert_eq!(audited(store, &case, "case.support-read").await, 1);
    let notes = testing::texts(store, &format!("SELECT note FROM permits WHERE case_id = '{case}'"))
        .await
        .unwrap();
    assert!(notes.iter().all(|n| !n.contains("préfecture")), "{notes:?}");

    // The permit renewed: the same row updated, not a second one; an id that is not this
    // case's permit is refused, never created.
    let renewed = today.plus_days(400);
    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let same = support::save_permit(&mut tx, &file, Some(&permit), &card(renewed), None, "")
        .await
        .unwrap();
    assert_eq!(same, permit);
    assert!(matches!(
        support::save_permit(&mut tx, &file, Some("0000000000000000"), &card(renewed), None, "").await,
        Err(StoreError::NotFound)
    ));
    let opened = support::open(&mut tx, &file).await.unwrap();
    assert_eq!(opened.permits.len(), 1);
    assert_eq!(opened.permits[0].permit, card(renewed));
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.permit-update").await, 1);
    assert_eq!(audited(store, &case, "case.permit-add").await, 1);

    // An accommodation share reads the needs but not the medical one, nor the permits.
    share_with_responder(store, &p, &case, SharePurpose::Accommodation).await;
    let mut tx = begin(store, &p.responder, NOW).await;
    let file = access(&mut tx, &p.responder, &case).await.unwrap();
    let opened = support::open(&mut tx, &file).await.unwrap();
    let kinds: Vec<NeedKind> = opened.assessments[0].needs.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, vec![NeedKind::LegalAid]);
    assert!(opened.permits.is_empty() && opened.closure.is_none());
    assert!(matches!(
        support::add_assessment(&mut tx, &file, today, &needs).await,
        Err(StoreError::Denied(_))
    ));
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.support-read").await, 3);

    let mut tx = begin(store, &p.nord, NOW).await;
    assert!(matches!(
        access(&mut tx, &p.nord, &case).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_case_closes_with_an_encrypted_summary_and_reopens_keeping_its_history(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Kovacheva").await;
    // The identification itself is the cases conformance's: start from support.
    testing::execute_raw(
        store,
        &format!("UPDATE cases SET status = 'support' WHERE id = '{case}'"),
    )
    .await
    .unwrap();
    let can: Capability<IdentifyVictims> = authz::authorize(&p.officer).unwrap();
    let closing = Closure::parse("integrated", "Logement autonome, emploi stable").unwrap();
    let mut tx = begin(store, &p.officer, NOW).await;
    support::close(&mut tx, &can, &case, &closing, &Policy::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stored = testing::texts(store, &format!("SELECT closure_summary FROM cases WHERE id = '{case}'"))
        .await
        .unwrap();
    assert!(!stored[0].contains("Logement"), "the summary is encrypted");

    let mut tx = begin(store, &p.officer, NOW.plus_seconds(60)).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let closure = support::open(&mut tx, &file).await.unwrap().closure.unwrap();
    assert_eq!(
        (closure.outcome, closure.summary.as_str()),
        (closure::Outcome::Integrated, "Logement autonome, emploi stable")
    );
    support::reopen(&mut tx, &can, &case, &Policy::default()).await.unwrap();
    let reopened = support::open(&mut tx, &file).await.unwrap();
    assert!(reopened.closure.is_none());
    assert_eq!(
        reopened.history.len(),
        2,
        "the closing and the reopening stay in the timeline"
    );
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.closure").await, 1);

    // The nord's officer is outside the case's territory: closing is refused.
    let nord: Capability<IdentifyVictims> = authz::authorize(&p.nord).unwrap();
    let mut tx = begin(store, &p.nord, NOW.plus_seconds(120)).await;
    assert!(
        support::close(&mut tx, &nord, &case, &closing, &Policy::default())
            .await
            .is_err()
    );
}
