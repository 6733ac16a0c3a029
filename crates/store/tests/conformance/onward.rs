//! Onward referrals on every backend: a referral to a directory service
//! carries only what its kind needs, sealed at rest; the receiving
//! organisation reads it in its inbox, a share for investigation cannot send
//! one, and each send and read leaves an audit row on the case.

use super::case_file::{NOW, access, actor, audited, begin, share_with_responder};
use super::privacy::{full_case, organisation, people, principal};
use relais_domain::access::authz::{self, Capability, ViewCaseFile};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::casework::case_access::SharePurpose;
use relais_domain::casework::onward_referral::Kind;
use relais_domain::casework::sharing;
use relais_domain::directory::{RawService, ServiceRecord};
use relais_domain::territory::{Departement, Territory};
use relais_store::casework::onward::{self, Extras};
use relais_store::directory;
use relais_store::{Actor, Store, StoreError, testing};

pub async fn a_referral_reaches_the_service_sealed_and_minimised(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Ivanova").await;
    let territory = Territory::Departement(Departement::parse("75").unwrap());
    let association = organisation(
        store,
        "Permanence Droits (test)",
        OrganisationType::Association,
        territory,
    )
    .await;
    let service = ServiceRecord::parse(&RawService {
        departement: "75".into(),
        organisation: "Permanence Droits (test)".into(),
        name: "Permanence juridique".into(),
        kind: "legal-aid".into(),
        covers: "*".into(),
        children: "no".into(),
        contact: "accueil@example.org".into(),
        ..RawService::default()
    })
    .unwrap();
    let mut tx = store.begin(Actor::system(), "req-onward", NOW).await.unwrap();
    let service_id = directory::upsert_service(&mut tx, &association, &service)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let extras = Extras {
        needs: "Accompagnement pour un recours".into(),
        children: 1,
        places_of_exploitation: vec![Departement::parse("93").unwrap()],
        constraints: String::new(),
    };
    let consent = sharing::justify("consent", "").unwrap();
    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let id = onward::send(&mut tx, &file, Kind::Service, service_id.as_str(), &consent, &extras)
        .await
        .unwrap();
    let listed = onward::for_case(&mut tx, &file).await.unwrap();
    assert_eq!(listed.located.len(), 1);
    assert_eq!(listed.located[0].id, id);
    assert_eq!(listed.located[0].service, "Permanence juridique");
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.onward-send").await, 1);
    assert_eq!(audited(store, &case, "case.onward-read").await, 1);
    let payloads = testing::texts(
        store,
        &format!("SELECT payload FROM onward_referrals WHERE id = '{id}'"),
    )
    .await
    .unwrap();
    assert!(
        payloads.iter().all(|p| !p.contains("recours")),
        "sealed at rest: {payloads:?}"
    );

    let worker = principal(store, &association, "juriste@permanence.test", Role::SupportWorker).await;
    let can: Capability<ViewCaseFile> = authz::authorize(&worker).unwrap();
    let mut tx = store.begin(actor(&worker), "req-onward", NOW).await.unwrap();
    let inbox = onward::inbox(&mut tx, &can).await.unwrap();
    assert_eq!(inbox.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    let received = onward::received(&mut tx, &can, &id).await.unwrap();
    assert_eq!(received.shared.needs.as_deref(), Some("Accompagnement pour un recours"));
    assert_eq!(
        received.shared.places_of_exploitation, None,
        "a service referral does not say where"
    );
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.onward-received-read").await, 1);

    // A police brigade with a share for investigation sends nothing onward: for it the
    // case's onward referrals do not exist (an area one may not read, ADR 0009).
    share_with_responder(store, &p, &case, SharePurpose::Investigation).await;
    let mut tx = begin(store, &p.responder, NOW).await;
    let shared = access(&mut tx, &p.responder, &case).await.unwrap();
    let sent = onward::send(&mut tx, &shared, Kind::Service, service_id.as_str(), &consent, &extras).await;
    assert!(matches!(sent, Err(StoreError::NotFound)), "{sent:?}");
}
