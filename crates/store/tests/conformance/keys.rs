//! Key rotation (issue 11, docs/adr/0016-key-rotation.md): a database
//! written under an old key is re-encrypted under a new one in batches
//! that can be interrupted and resumed; the old key can then be retired.

use super::privacy::{full_case, people};
use relais_domain::time::Timestamp;
use relais_store::testing::{self, TestDatabase};
use relais_store::{KeyRing, Keys, SecretKey, Store, StoreOptions, audit, key_rotation};

const NOW: Timestamp = Timestamp(1_800_000_000);

async fn open(db: &TestDatabase, ring: &KeyRing) -> Store {
    let store = Store::connect(&db.url, Keys::from_ring(ring), &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

async fn stale(store: &Store) -> i64 {
    key_rotation::stale_counts(store)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum()
}

pub async fn rotation_resumes_after_an_interruption_and_retires_the_old_key(db: &TestDatabase) {
    let old_ring = KeyRing::single(SecretKey::generate());
    let old = open(db, &old_ring).await;
    let p = people(&old).await;
    full_case(&old, &p, "Martin").await;
    full_case(&old, &p, "Durand").await;
    // Notes written before key ids existed (format 1: the bare base64).
    testing::execute_raw(
        &old,
        "UPDATE case_notes SET body = substr(body, 7) WHERE body LIKE 'v2:k0:%'",
    )
    .await
    .unwrap();
    let format_1 = testing::texts(&old, "SELECT body FROM case_notes").await.unwrap();
    assert!(!format_1.is_empty() && format_1.iter().all(|b| !b.starts_with("v2:")));
    old.close().await;

    let ring = old_ring.with_new_active("ka").unwrap();
    let store = open(db, &ring).await;
    let before = stale(&store).await;
    assert!(before > 4, "{before}");

    // One batch, then the run is interrupted.
    let first = key_rotation::rotate(&store, 2, Some(1), &|| NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((first.batches, first.finished), (1, false));
    assert_eq!(stale(&store).await, before - i64::try_from(first.rewritten).unwrap());
    assert!(first.rewritten > 0);
    let progress = testing::texts(&store, "SELECT target_key FROM key_rotation_progress")
        .await
        .unwrap();
    assert_eq!(progress, ["ka"]);

    // The next run resumes and finishes.
    let rest = key_rotation::rotate(&store, 2, None, &|| NOW, &|_| {}).await.unwrap();
    assert!(rest.finished);
    assert_eq!(i64::try_from(first.rewritten + rest.rewritten).unwrap(), before);
    assert_eq!(stale(&store).await, 0);
    for column in key_rotation::COLUMNS {
        let query = format!(
            "SELECT {c} FROM {t} WHERE {c} IS NOT NULL AND {c} NOT LIKE 'v2:ka:%'",
            c = column.column,
            t = column.table
        );
        assert_eq!(
            testing::texts(&store, &query).await.unwrap(),
            Vec::<String>::new(),
            "{}",
            column.name()
        );
    }
    // A run with nothing left does nothing.
    let again = key_rotation::rotate(&store, 2, None, &|| NOW, &|_| {}).await.unwrap();
    assert_eq!((again.batches, again.rewritten, again.finished), (0, 0, true));
    // Each batch left one audit row naming its column, and the chain (keyed
    // by the oldest key) still verifies under the new ring.
    let audited = testing::texts(
        &store,
        "SELECT object_id FROM audit_log WHERE action = 'key.rotate-batch'",
    )
    .await
    .unwrap();
    assert_eq!(audited.len() as u64, first.batches + rest.batches);
    assert!(matches!(
        audit::verify(&store, &|_| {}).await.unwrap(),
        audit::Verification::Intact { .. }
    ));
    store.close().await;

    // Every value opens with the new key alone: the old one can be retired.
    let new_only: String = ring.to_file_text().lines().filter(|l| l.starts_with("ka=")).collect();
    let retired = open(db, &KeyRing::parse(&new_only).unwrap()).await;
    assert!(key_rotation::open_all(&retired).await.unwrap() >= u64::try_from(before).unwrap());
    retired.close().await;
    // While the old key alone opens none of them any more.
    let old_only = open(db, &old_ring).await;
    assert!(key_rotation::open_all(&old_only).await.is_err());
    old_only.close().await;
}
