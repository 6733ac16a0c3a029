//! Read transactions (ADR 0052): they read while a writer holds the lock,
//! append their audit rows after it, and may not change anything.

use relais_domain::access::organisation::OrganisationType;
use relais_domain::territory::Territory;
use relais_domain::time::Timestamp;
use relais_store::access::organisations::{self, NewOrganisation};
use relais_store::audit::{self, Action, Object, Verification};
use relais_store::{Actor, Store, StoreError, bootstrap, testing};
use std::time::Duration;

const NOW: Timestamp = Timestamp(1_800_000_000);

fn new_organisation(name: &str) -> NewOrganisation {
    NewOrganisation {
        name: name.into(),
        org_type: OrganisationType::Association,
        territory: Territory::National,
    }
}

/// The request of each row of the trail, in order.
async fn trail(store: &Store) -> Vec<String> {
    testing::texts(store, "SELECT request_id FROM audit_log ORDER BY seq")
        .await
        .unwrap()
}

pub async fn a_read_transaction_reads_while_a_writer_holds_the_lock_and_the_chain_stays_total(store: &Store) {
    let mut tx = store.begin(Actor::system(), "req-setup", NOW).await.unwrap();
    let id = bootstrap::create_organisation(&mut tx, &new_organisation("Lue"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut writer = store.begin(Actor::system(), "req-writer", NOW).await.unwrap();
    bootstrap::create_organisation(&mut writer, &new_organisation("Écrite"))
        .await
        .unwrap();

    // With the writer still open, a reader begins, reads and audits at once:
    // before read transactions, it waited for the writer's commit.
    let read = async {
        let mut reader = store.begin_read(Actor::system(), "req-reader", NOW).await.unwrap();
        let sign_in = organisations::sign_in(&mut reader, &id).await.unwrap();
        reader
            .audit(Action::AuditRead, Object::Organisation, Some(id.as_str()), None)
            .await
            .unwrap();
        (reader, sign_in)
    };
    let (reader, sign_in) = tokio::time::timeout(Duration::from_secs(2), read)
        .await
        .expect("a read transaction must not wait for a writer");
    assert!(sign_in.password);

    // Its commit appends the audit row after the writer's.
    let committing = tokio::spawn(reader.commit());
    tokio::time::sleep(Duration::from_millis(200)).await;
    writer.commit().await.unwrap();
    committing.await.unwrap().unwrap();

    assert_eq!(trail(store).await, ["req-setup", "req-writer", "req-reader"]);
    assert_eq!(
        audit::verify(store, &|_| {}).await.unwrap(),
        Verification::Intact { rows: 3 }
    );
}

pub async fn a_read_transaction_that_changes_data_is_refused_and_leaves_nothing(store: &Store) {
    let mut reader = store.begin_read(Actor::system(), "req-reader", NOW).await.unwrap();
    bootstrap::create_organisation(&mut reader, &new_organisation("Interdite"))
        .await
        .unwrap();
    assert!(matches!(reader.commit().await, Err(StoreError::WroteInReadTransaction)));
    assert!(organisations::list_all(store).await.unwrap().is_empty());
    assert!(trail(store).await.is_empty());

    let unaudited = store.begin_read(Actor::system(), "req-reader", NOW).await.unwrap();
    assert!(matches!(unaudited.commit().await, Err(StoreError::Unaudited)));
}
