//! The case file on every backend: notes, documents and tasks written and
//! read back, the levels a share opens, refusals, and the audit row of each
//! read and change written in the same transaction (so the owner's access
//! log shows it, and a change that rolls back leaves neither).

use super::privacy::{People, full_case, people};
use relais_domain::access::authz::{self, Capability, CaseAccess, IdentifyVictims, Principal, ViewCaseFile};
use relais_domain::casework::case_access::SharePurpose;
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::sharing;
use relais_domain::ids::CaseId;
use relais_domain::time::Timestamp;
use relais_store::casework::{case_access, case_file};
use relais_store::{Actor, Store, StoreError, Tx, audit, testing};

pub(crate) const NOW: Timestamp = Timestamp(1_800_000_000);

pub(crate) fn actor(p: &Principal) -> Actor {
    Actor::user(p.user_id().clone(), p.organisation_id().clone())
}

pub(crate) async fn begin(store: &Store, p: &Principal, at: Timestamp) -> Tx {
    store.begin(actor(p), "req-case-file", at).await.unwrap()
}

pub(crate) async fn access(tx: &mut Tx, p: &Principal, case: &CaseId) -> Result<CaseAccess, StoreError> {
    let can: Capability<ViewCaseFile> = authz::authorize(p).unwrap();
    case_access::open(tx, &can, case).await
}

/// How many audit rows on `case` record `action`.
pub(crate) async fn audited(store: &Store, case: &CaseId, action: &str) -> usize {
    testing::texts(
        store,
        &format!(
            "SELECT action FROM audit_log WHERE object_type = 'case' AND object_id = '{case}' AND action = '{action}'"
        ),
    )
    .await
    .unwrap()
    .len()
}

/// Shares `case` with the responder's brigade for `purpose`, with consent, for 30 days.
pub(crate) async fn share_with_responder(store: &Store, p: &People, case: &CaseId, purpose: SharePurpose) -> String {
    let can: Capability<IdentifyVictims> = authz::authorize(&p.officer).unwrap();
    let mut tx = begin(store, &p.officer, NOW).await;
    let basis = sharing::justify("consent", "").unwrap();
    let id = case_file::share(
        &mut tx,
        &can,
        case,
        p.responder.organisation_id(),
        purpose,
        &basis,
        sharing::ShareDuration::Month,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

pub async fn the_case_file_keeps_notes_documents_and_tasks_and_audits_each_read(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Ivanova").await;

    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let opened = case_file::open(&mut tx, &file).await.unwrap();
    let levels: Vec<Sensitivity> = opened.notes.iter().map(|n| n.sensitivity).collect();
    assert_eq!(levels.len(), 4, "the authority reads every level: {levels:?}");
    let documents = case_file::documents(&mut tx, &file).await.unwrap();
    let mut names: Vec<&str> = documents.iter().map(|d| d.file_name.as_str()).collect();
    // Both were added in the same second: their order is their random ids'.
    names.sort_unstable();
    assert_eq!(names, vec!["attestation.txt", "plainte.txt"]);
    let complaint = documents.iter().find(|d| d.file_name == "plainte.txt").unwrap();
    assert_eq!(complaint.sensitivity, Sensitivity::Legal);
    let (name, _, content) = case_file::download(&mut tx, &file, &complaint.id).await.unwrap();
    assert_eq!(
        (name.as_str(), content.as_slice()),
        ("plainte.txt", &b"copie de la plainte"[..])
    );
    let tasks = case_file::tasks(&mut tx, &file).await.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!((tasks[0].title.as_str(), tasks[0].done), ("Appeler l'avocate", false));
    case_file::complete_task(&mut tx, &file, &tasks[0].id).await.unwrap();
    assert!(matches!(
        case_file::complete_task(&mut tx, &file, &tasks[0].id).await,
        Err(StoreError::NotFound)
    ));
    tx.commit().await.unwrap();

    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    assert!(case_file::tasks(&mut tx, &file).await.unwrap()[0].done);
    // Listing tasks writes no audit row of its own: the page opens the file
    // in the same transaction, and a transaction without one cannot commit.
    case_file::open(&mut tx, &file).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.file-read").await, 2);
    assert_eq!(audited(store, &case, "case.document-download").await, 1);
    assert_eq!(audited(store, &case, "case.task-done").await, 1);
    assert_eq!(audited(store, &case, "case.note-add").await, 4);

    // Contents are encrypted at rest.
    let stored = testing::texts(store, &format!("SELECT body FROM case_notes WHERE case_id = '{case}'"))
        .await
        .unwrap();
    assert_eq!(stored.len(), 4);
    assert!(stored.iter().all(|body| !body.contains("Plovdiv")), "{stored:?}");

    // An authority of another département does not reach the case.
    let mut tx = begin(store, &p.nord, NOW).await;
    assert!(matches!(
        access(&mut tx, &p.nord, &case).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn a_note_that_rolls_back_leaves_no_row_and_no_audit_row(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Petrova").await;
    let before = audit::count(store).await.unwrap();
    let mut tx = begin(store, &p.officer, NOW).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    case_file::add_note(&mut tx, &file, Sensitivity::General, "brouillon")
        .await
        .unwrap();
    drop(tx);
    assert_eq!(audit::count(store).await.unwrap(), before);
    let notes = testing::texts(store, &format!("SELECT id FROM case_notes WHERE case_id = '{case}'"))
        .await
        .unwrap();
    assert_eq!(notes.len(), 4, "only the fixture's notes");
}

pub async fn an_investigation_share_reads_what_its_purpose_opens_until_revoked(store: &Store) {
    let p = people(store).await;
    let case = full_case(store, &p, "Georgieva").await;
    let share = share_with_responder(store, &p, &case, SharePurpose::Investigation).await;
    assert_eq!(audited(store, &case, "case.share-consent").await, 1);

    let can: Capability<ViewCaseFile> = authz::authorize(&p.responder).unwrap();
    let mut tx = begin(store, &p.responder, NOW).await;
    let shared = case_file::shared_with_me(&mut tx, &can).await.unwrap();
    assert_eq!(shared.len(), 1);
    assert_eq!((&shared[0].0, shared[0].2), (&case, SharePurpose::Investigation));
    let file = access(&mut tx, &p.responder, &case).await.unwrap();
    let opened = case_file::open(&mut tx, &file).await.unwrap();
    let levels: Vec<Sensitivity> = opened.notes.iter().map(|n| n.sensitivity).collect();
    assert!(!levels.contains(&Sensitivity::Health), "{levels:?}");
    assert!(levels.contains(&Sensitivity::General), "{levels:?}");
    assert!(
        opened.shares.is_empty() && opened.access_log.is_empty(),
        "sharing is the authority's"
    );
    assert!(matches!(
        case_file::add_note(&mut tx, &file, Sensitivity::General, "note de la brigade").await,
        Err(StoreError::Denied(_))
    ));
    assert!(matches!(
        case_file::tasks(&mut tx, &file).await,
        Err(StoreError::NotFound)
    ));
    tx.commit().await.unwrap();

    // The owner's access log shows the brigade's read.
    let mut tx = begin(store, &p.officer, NOW.plus_seconds(60)).await;
    let file = access(&mut tx, &p.officer, &case).await.unwrap();
    let opened = case_file::open(&mut tx, &file).await.unwrap();
    assert!(
        opened
            .access_log
            .iter()
            .flat_map(|line| &line.entries)
            .any(|a| a.action == "case.file-read" && a.organisation_name.as_deref() == Some("Brigade 93")),
        "{:?}",
        opened.access_log
    );
    assert_eq!(opened.shares.len(), 1);
    assert!(opened.shares[0].active);
    let can: Capability<IdentifyVictims> = authz::authorize(&p.officer).unwrap();
    case_file::revoke(&mut tx, &can, &case, &share).await.unwrap();
    assert!(matches!(
        case_file::revoke(&mut tx, &can, &case, &share).await,
        Err(StoreError::NotFound)
    ));
    tx.commit().await.unwrap();
    assert_eq!(audited(store, &case, "case.share-revoke").await, 1);

    let mut tx = begin(store, &p.responder, NOW.plus_seconds(120)).await;
    assert!(matches!(
        access(&mut tx, &p.responder, &case).await,
        Err(StoreError::NotFound)
    ));
}
