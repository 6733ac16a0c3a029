//! The service directory on every backend: services written and listed by
//! département and kind, places reported by the owning organisation only,
//! the offers the placement matcher reads, and an audit row for each read
//! and change.

use super::case_file::{NOW, actor};
use super::privacy::{organisation, principal};
use relais_domain::access::authz::{self, Capability, ManageServices, ViewDirectory};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::casework::needs::AccommodationType;
use relais_domain::directory::{Places, RawService, ServiceKind, ServiceRecord};
use relais_domain::ids::OrganisationId;
use relais_domain::territory::{Departement, Territory};
use relais_store::audit::{Action, Object};
use relais_store::directory::{self, Filter};
use relais_store::{Actor, Store, StoreError, testing};

fn record(organisation: &str, name: &str, kind: &str, departement: &str, covers: &str, places: &str) -> ServiceRecord {
    ServiceRecord::parse(&RawService {
        departement: departement.into(),
        organisation: organisation.into(),
        name: name.into(),
        kind: kind.into(),
        covers: covers.into(),
        children: "no".into(),
        contact: "accueil@example.org".into(),
        places: places.into(),
        ..RawService::default()
    })
    .unwrap()
}

async fn upsert(store: &Store, owner: &OrganisationId, service: &ServiceRecord) -> relais_domain::ids::ServiceId {
    let mut tx = store.begin(Actor::system(), "req-directory", NOW).await.unwrap();
    let id = directory::upsert_service(&mut tx, owner, service).await.unwrap();
    tx.audit(Action::DirectoryServiceUpdate, Object::Service, Some(id.as_str()), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn services_are_listed_by_departement_and_kind_and_places_change_only_by_their_owner(store: &Store) {
    let dept = |code: &str| Territory::Departement(Departement::parse(code).unwrap());
    let foyer = organisation(store, "Foyer de la Vallée", OrganisationType::Association, dept("31")).await;
    let amicale = organisation(store, "Amicale du Nord", OrganisationType::Association, dept("59")).await;
    let shelter = upsert(
        store,
        &foyer,
        &record(
            "Foyer de la Vallée",
            "Foyer Garonne",
            "accommodation",
            "31",
            "31 32",
            "emergency:1/2",
        ),
    )
    .await;
    let lawyers = upsert(
        store,
        &amicale,
        &record("Amicale du Nord", "Permanence juridique", "legal-aid", "59", "59", ""),
    )
    .await;
    // The same organisation and name replaces the service, it does not add one.
    let again = upsert(
        store,
        &foyer,
        &record(
            "Foyer de la Vallée",
            "Foyer Garonne",
            "accommodation",
            "31",
            "31 32",
            "emergency:1/3",
        ),
    )
    .await;
    assert_eq!(again, shelter);

    let keeper = principal(store, &foyer, "veilleur@foyer.test", Role::SupportWorker).await;
    let stranger = principal(store, &amicale, "juriste@amicale.test", Role::SupportWorker).await;
    let can: Capability<ViewDirectory> = authz::authorize(&keeper).unwrap();
    let mut tx = store.begin(actor(&keeper), "req-directory", NOW).await.unwrap();
    let names = |list: Vec<directory::Service>| list.into_iter().map(|s| s.name).collect::<Vec<_>>();
    let all = directory::list_services(&mut tx, &can, &Filter::default())
        .await
        .unwrap();
    assert_eq!(names(all), vec!["Foyer Garonne", "Permanence juridique"]);
    let in_gers = Filter {
        departement: Departement::parse("32"),
        kind: None,
    };
    let covered = directory::list_services(&mut tx, &can, &in_gers).await.unwrap();
    assert_eq!(names(covered), vec!["Foyer Garonne"], "the Gers is covered from the 31");
    let legal = Filter {
        departement: None,
        kind: Some(ServiceKind::LegalAid),
    };
    let legal = directory::list_services(&mut tx, &can, &legal).await.unwrap();
    assert_eq!(names(legal), vec!["Permanence juridique"]);
    let read = directory::service(&mut tx, &can, &shelter).await.unwrap();
    assert_eq!(
        read.places
            .iter()
            .map(|p| (p.place_type.as_str(), p.free, p.total))
            .collect::<Vec<_>>(),
        vec![("emergency", 1, 3)]
    );
    tx.commit().await.unwrap();

    let places = [Places::new(AccommodationType::Emergency, 4, 2).unwrap()];
    let manages: Capability<ManageServices> = authz::authorize(&stranger).unwrap();
    let mut tx = store.begin(actor(&stranger), "req-directory", NOW).await.unwrap();
    assert!(matches!(
        directory::update_places(&mut tx, &manages, &shelter, &places).await,
        Err(StoreError::Denied(_))
    ));
    assert!(
        matches!(
            directory::update_places(&mut tx, &manages, &lawyers, &places).await,
            Err(StoreError::Denied(_))
        ),
        "only accommodation services have places"
    );
    drop(tx);
    let manages: Capability<ManageServices> = authz::authorize(&keeper).unwrap();
    let mut tx = store.begin(actor(&keeper), "req-directory", NOW).await.unwrap();
    directory::update_places(&mut tx, &manages, &shelter, &places)
        .await
        .unwrap();
    let offers = directory::accommodation_offers(&mut tx, "emergency").await.unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(
        (&offers[0].service_id, offers[0].free, offers[0].total),
        (&shelter, 2, 4)
    );
    tx.commit().await.unwrap();

    let audited = |action: &'static str| async move {
        testing::texts(
            store,
            &format!("SELECT action FROM audit_log WHERE action = '{action}'"),
        )
        .await
        .unwrap()
        .len()
    };
    assert_eq!(audited("directory.service-list").await, 3);
    assert_eq!(audited("directory.service-read").await, 1);
    assert_eq!(
        audited("directory.places-update").await,
        1,
        "the refused updates left none"
    );
    let by = testing::texts(
        store,
        &format!("SELECT updated_by FROM service_places WHERE service_id = '{shelter}'"),
    )
    .await
    .unwrap();
    assert_eq!(by, vec![keeper.user_id().as_str().to_owned()]);
}
