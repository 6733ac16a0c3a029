//! Throwaway databases for tests (feature `testing`). PostgreSQL tests need
//! `TEST_DATABASE_URL` (a server where the user may create databases);
//! `make test` sets it, starting a server if none is reachable. Without it
//! the PostgreSQL tests fail: a suite is never skipped silently.

use crate::{Backend, Keys, Result, SecretKey, Store, StoreError, StoreOptions};

/// A database that lives as long as the test. Keep it alive while the store is used.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Result<TestDatabase> {
    let dir = tempfile::tempdir().map_err(|_| StoreError::UnsupportedUrl)?;
    let path = dir.path().join("relais.db");
    Ok(TestDatabase {
        url: format!("sqlite://{}?mode=rwc", path.display()),
        _dir: Some(dir),
    })
}

/// Prefix of every database the tests create, so `make test` can drop them.
pub const POSTGRES_PREFIX: &str = "relais_test_";

pub async fn postgres() -> Result<TestDatabase> {
    let admin_url = std::env::var("TEST_DATABASE_URL").map_err(|_| StoreError::UnsupportedUrl)?;
    sqlx::any::install_default_drivers();
    let name = format!("{POSTGRES_PREFIX}{}", hex::encode(crate::random_bytes::<8>()));
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await?;
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str()).await?;
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
    Ok(TestDatabase {
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

/// A database whose migrations have run, copied from a template migrated once per set of
/// migrations: 51 migrations took about half a second on each of hundreds of PostgreSQL tests
/// (the conformance and web tests: 184 s → 138 s). SQLite migrates a new file in milliseconds.
/// The template is named after the migrations' checksums, so a changed migration makes a new
/// one; `make test` drops it with the tests' databases. [`store`] then finds nothing to run.
pub async fn postgres_migrated() -> Result<TestDatabase> {
    let admin_url = std::env::var("TEST_DATABASE_URL").map_err(|_| StoreError::UnsupportedUrl)?;
    sqlx::any::install_default_drivers();
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
    let template = format!("{POSTGRES_PREFIX}template_{}", crate::backend::migrations_digest());
    let name = format!("{POSTGRES_PREFIX}{}", hex::encode(crate::random_bytes::<8>()));
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url).await?;
    // One creator at a time, across the test processes: a template is copied only while
    // nobody is connected to it, so it is made and closed before anyone copies it.
    sqlx::Executor::execute(&mut admin, "SELECT pg_advisory_lock(1795220717)").await?;
    let made = async {
        let (exists,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM pg_database WHERE datname = $1")
            .bind(&template)
            .fetch_one(&mut admin)
            .await?;
        if exists == 0 {
            let building = format!("{template}_building");
            sqlx::Executor::execute(&mut admin, format!("DROP DATABASE IF EXISTS {building}").as_str()).await?;
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {building}").as_str()).await?;
            let store = store(&TestDatabase {
                url: format!("{base}/{building}"),
                _dir: None,
            })
            .await?;
            store.close().await;
            // Renamed once whole: a process stopped while migrating leaves no half template.
            sqlx::Executor::execute(
                &mut admin,
                format!("ALTER DATABASE {building} RENAME TO {template}").as_str(),
            )
            .await?;
        }
        sqlx::Executor::execute(
            &mut admin,
            format!("CREATE DATABASE {name} TEMPLATE {template}").as_str(),
        )
        .await?;
        Ok::<_, StoreError>(())
    }
    .await;
    sqlx::Executor::execute(&mut admin, "SELECT pg_advisory_unlock(1795220717)").await?;
    made?;
    Ok(TestDatabase {
        url: format!("{base}/{name}"),
        _dir: None,
    })
}

/// A migrated store on `db` with a fresh random key.
pub async fn store(db: &TestDatabase) -> Result<Store> {
    let store = Store::connect(&db.url, Keys::derive(&SecretKey::generate()), &StoreOptions::default()).await?;
    store.migrate().await?;
    Ok(store)
}

/// Runs `sql` directly, bypassing every rule (to simulate tampering).
pub async fn execute_raw(store: &Store, sql: &str) -> Result<u64> {
    Ok(sqlx::query(sql).execute(store.pool()).await?.rows_affected())
}

/// The first column of every row of `sql`, which must select one TEXT
/// column: lets tests look at what is really stored (e.g. ciphertext).
pub async fn texts(store: &Store, sql: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(store.pool()).await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// A write transaction held open from another connection of the pool, as
/// a long writer would: other writers meet a busy (SQLite) or locked
/// (PostgreSQL) database until it is released.
pub struct WriteLock(sqlx::Transaction<'static, sqlx::Any>);

pub async fn hold_write_lock(store: &Store) -> Result<WriteLock> {
    let mut tx = store.pool().begin().await?;
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    Ok(WriteLock(tx))
}

impl WriteLock {
    pub async fn release(self) -> Result<()> {
        self.0.rollback().await?;
        Ok(())
    }
}

/// Whether another connection is in the middle of a write transaction
/// (for the crash tests: kill a process while it writes). On SQLite,
/// whether the write lock is taken; on PostgreSQL, whether another session
/// of this database has a transaction that wrote.
pub async fn writer_in_flight(store: &Store) -> Result<bool> {
    match store.backend() {
        Backend::Sqlite => {
            let mut conn = store.pool().acquire().await?;
            sqlx::Executor::execute(&mut *conn, "PRAGMA busy_timeout = 0").await?;
            let taken = match sqlx::Executor::execute(&mut *conn, "BEGIN IMMEDIATE").await {
                Ok(_) => {
                    sqlx::Executor::execute(&mut *conn, "ROLLBACK").await?;
                    false
                }
                Err(error) if crate::error::is_busy(&error) => true,
                Err(error) => return Err(error.into()),
            };
            let busy_ms = StoreOptions::default().busy_timeout.as_millis();
            sqlx::Executor::execute(&mut *conn, format!("PRAGMA busy_timeout = {busy_ms}").as_str()).await?;
            Ok(taken)
        }
        Backend::Postgres => {
            let (count,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
            )
            .fetch_one(store.pool())
            .await?;
            Ok(count > 0)
        }
    }
}

/// Appends `rows` valid audit rows after the head, as a busy national service would have
/// written them over the years (reads and writes of cases by officers), in transactions of
/// 50,000 rows: for measuring `audit::verify` at tens of millions of rows. Each row is
/// chained and written by the audit module's own pieces, so the trail verifies.
/// `progress` gets the rows written so far.
pub async fn append_chained_audit(store: &Store, rows: u64, progress: &(dyn Fn(u64) + Sync)) -> Result<()> {
    use relais_domain::audit::AuditFields;
    const PER_TRANSACTION: u64 = 50_000;
    let mut head = {
        let mut conn = store.pool().acquire().await?;
        crate::audit::read_head(&mut conn).await?
    };
    let actions = [
        ("case.read", "case"),
        ("case-file.read", "case"),
        ("case-note.create", "case-note"),
    ];
    let mut written = 0;
    while written < rows {
        let mut tx = store.pool().begin().await?;
        let end = rows.min(written + PER_TRANSACTION);
        let mut chained = Vec::new();
        while written < end {
            let n = head.0 + 1;
            let (action, object_type) = actions[usize::try_from(n).unwrap_or(0) % actions.len()];
            let fields = AuditFields {
                at: 1_700_000_000 + n,
                actor_user_id: Some(format!("user-{:04}", n % 2_000)),
                actor_organisation_id: Some(format!("org-{:03}", n % 300)),
                action: action.to_owned(),
                object_type: object_type.to_owned(),
                object_id: Some(format!("case-{:07}", n % 1_000_000)),
                reason: None,
                request_id: Some(format!("request-{n}")),
                client_key: Some(hex::encode(n.to_be_bytes())),
            };
            chained.push(crate::audit::chain(&mut head, fields));
            written += 1;
        }
        crate::audit::write_rows(&mut tx, store.backend(), &mut chained).await?;
        crate::audit::write_head(&mut tx, &head).await?;
        tx.commit().await?;
        progress(written);
    }
    Ok(())
}
