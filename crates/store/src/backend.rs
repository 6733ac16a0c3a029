use crate::crypto::Keys;
use crate::tx::{Actor, Tx};
use crate::{Result, StoreError};
use relais_domain::time::Timestamp;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Which database the store talks to. Chosen at run time from the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub max_connections: u32,
    /// How long SQLite waits for a lock before failing.
    pub busy_timeout: Duration,
    /// What to do when the database is still busy after that.
    pub retry: RetryPolicy,
    /// SQLite's page cache per connection, in KiB. The default is SQLite's own (2,000 KiB),
    /// which keeps a server with its eight connections small; a bulk writer such as
    /// `relais demo generate` takes a large one, so that the indexes it grows stay in memory
    /// instead of being read back from the file at every insert.
    pub sqlite_cache_kib: u32,
    /// How many pages SQLite's write-ahead log holds before they are copied into the database
    /// (SQLite's default: 1,000, 4 MB). A bulk writer takes more: a page written again by a
    /// later commit is then copied once, not once per commit (ADR 0070).
    pub sqlite_checkpoint_pages: u32,
    /// How long taking a connection from the pool may wait, opening it included (a server
    /// that refuses is asked again until then): 30 s, sqlx's own default. `relais doctor`
    /// waits less, so that an unreachable database is reported at once.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            busy_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            sqlite_cache_kib: 2_000,
            sqlite_checkpoint_pages: 1_000,
            acquire_timeout: Duration::from_secs(30),
        }
    }
}

/// How often, and after how long, opening a transaction on a busy database
/// is tried again (exponential backoff with jitter, so that waiting
/// writers do not all come back at once).
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// The first pause; each next one doubles.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 3,
            backoff: Duration::from_millis(100),
        }
    }
}

impl RetryPolicy {
    /// The pause before retry number `attempt` (from 1): the backoff
    /// doubled each time, plus up to one backoff of random jitter.
    pub fn delay(&self, attempt: u32) -> Duration {
        let doubled = self.backoff.saturating_mul(1 << attempt.saturating_sub(1).min(10));
        let [byte] = crate::random_bytes::<1>();
        doubled.saturating_add(self.backoff.mul_f64(f64::from(byte) / 255.0))
    }
}

/// The database handle shared by every request of one process.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    keys: Keys,
    retry: RetryPolicy,
    busy_retries: Arc<AtomicU64>,
    /// Catalogue versions already parsed: a version never changes once imported, and parsing
    /// its YAML took a third of the server's time per API referral (docs/PERFORMANCE.md). A
    /// cache of immutable text, not state: a process that starts parses again.
    pub(crate) parsed_catalogues: crate::intake::catalogues::Parsed,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Sixteen hex digits that change with any migration this build carries (the tests' template
/// databases are named after it).
#[cfg(feature = "testing")]
pub(crate) fn migrations_digest() -> String {
    use sha2::Digest;
    let mut digest = sha2::Sha256::new();
    for migration in MIGRATOR.iter() {
        digest.update(migration.version.to_be_bytes());
        digest.update(&migration.checksum);
    }
    hex::encode(&digest.finalize()[..8])
}

impl Store {
    pub async fn connect(url: &str, keys: Keys, options: &StoreOptions) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            create_private_sqlite_file(url)?;
        }
        let connect = AnyConnectOptions::from_str(url)?;
        let busy_ms = options.busy_timeout.as_millis();
        let cache_kib = options.sqlite_cache_kib;
        let checkpoint_pages = options.sqlite_checkpoint_pages;
        let pool = AnyPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(options.acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed during a write; foreign keys are
                        // off by default in SQLite and must be enabled per connection.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute(format!("PRAGMA busy_timeout = {busy_ms}").as_str())
                            .await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute(format!("PRAGMA cache_size = -{cache_kib}").as_str())
                            .await?;
                        conn.execute(format!("PRAGMA wal_autocheckpoint = {checkpoint_pages}").as_str())
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect)
            .await?;
        Ok(Self {
            pool,
            backend,
            keys,
            retry: options.retry,
            busy_retries: Arc::new(AtomicU64::new(0)),
            parsed_catalogues: crate::intake::catalogues::Parsed::default(),
        })
    }

    /// The versions of the migrations this build carries, in order.
    pub(crate) fn embedded_migrations() -> Vec<i64> {
        MIGRATOR
            .iter()
            .filter(|m| !m.migration_type.is_down_migration())
            .map(|m| m.version)
            .collect()
    }

    /// Applies the embedded migrations that have not run yet, then computes
    /// what they added that only Rust can derive from older rows, and (SQLite)
    /// the planner's statistics.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        // Columns derived in Rust for rows older than their migration, a batch per transaction.
        loop {
            let mut batch = self.pool.begin().await?;
            let computed = crate::casework::queue::compute_missing(&mut batch, self.backend).await?;
            batch.commit().await?;
            if computed == 0 {
                break;
            }
        }
        self.refresh_planner_statistics().await
    }

    /// SQLite: the statistics of the tables never measured, or grown many times over since,
    /// sampled (`analysis_limit`) so that it takes milliseconds at a million rows. Without
    /// them the planner guesses that any equality is selective, and sorted every open referral
    /// of the triage queue instead of reading its partial index in order (issue 17). SQLite's
    /// advice for a long-lived connection; PostgreSQL's autovacuum does the same on its own.
    async fn refresh_planner_statistics(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let mut conn = self.pool.acquire().await?;
            conn.execute("PRAGMA analysis_limit = 400").await?;
            conn.execute("PRAGMA optimize = 0x10002").await?;
        }
        Ok(())
    }

    /// After a bulk load (`relais demo generate`): the planner's statistics of the tables, on
    /// SQLite the write-ahead log (a bulk writer's is large) copied into the database, and
    /// on PostgreSQL the dead row versions the load's updates left and the visibility map that
    /// index-only scans need (`VACUUM (ANALYZE)`). Autovacuum would get there on its schedule;
    /// until it does, PostgreSQL plans for the empty tables it last measured. At 100,000
    /// generated cases, the equal-access figures took 34 s to compute before, 3 s after
    /// (docs/PERFORMANCE.md).
    pub async fn after_bulk_load(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                self.refresh_planner_statistics().await?;
                // Everything into the database file, and the write-ahead log emptied.
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
                Ok(())
            }
            Backend::Postgres => {
                let mut conn = self.pool.acquire().await?;
                conn.execute("VACUUM (ANALYZE)").await?;
                Ok(())
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn count_busy_retry(&self) {
        self.busy_retries.fetch_add(1, Ordering::Relaxed);
    }

    /// How many times this process retried a transaction on a busy database.
    pub fn busy_retries(&self) -> u64 {
        self.busy_retries.load(Ordering::Relaxed)
    }

    /// Starts an audited transaction on behalf of `actor`.
    pub async fn begin(&self, actor: Actor, request_id: &str, now: Timestamp) -> Result<Tx> {
        Tx::begin(self, actor, request_id, now).await
    }

    /// Starts an audited transaction that only reads: it takes no lock
    /// while reading, and refuses to commit if it changed anything.
    pub async fn begin_read(&self, actor: Actor, request_id: &str, now: Timestamp) -> Result<Tx> {
        Tx::begin_read(self, actor, request_id, now).await
    }

    /// A consistent copy of a SQLite database, taken while it is in use.
    /// The copy is readable by its owner only, like the database.
    pub async fn backup_sqlite(&self, destination: &str) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::UnsupportedUrl);
        }
        // VACUUM INTO accepts an empty file: create it private first.
        create_private(Path::new(destination))?;
        sqlx::query("VACUUM INTO $1")
            .bind(destination)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Cheap liveness probe for /healthz.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates a new, empty file that only its owner may read and write
/// (mode 0600), atomically: the database holds personal data, and a file
/// readable by every local account would leak it. An existing file is left
/// as it is.
pub(crate) fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::File(e)),
    }
}

/// Creates the SQLite file of `url` with mode 0600 before SQLite does (it
/// would use 0644 less the umask) when the URL allows creating it
/// (`mode=rwc`). SQLite gives its `-wal` and `-shm` files the mode of the
/// database file, so they are private too.
fn create_private_sqlite_file(url: &str) -> Result<()> {
    use sqlx::ConnectOptions;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let creates = options
        .to_url_lossy()
        .query_pairs()
        .any(|(key, value)| key == "mode" && value == "rwc");
    if creates {
        create_private(options.get_filename())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the planner has statistics of the overdue counters' table.
    async fn counters_measured(store: &Store) -> bool {
        let mut conn = store.pool().acquire().await.unwrap();
        let query = match store.backend() {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'case_due_counts'",
            Backend::Postgres => {
                "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'case_due_counts' \
                 AND last_analyze IS NOT NULL"
            }
        };
        let (rows,): (i64,) = sqlx::query_as(query).fetch_one(&mut *conn).await.unwrap();
        rows > 0
    }

    /// A bulk load leaves the planner's statistics behind it.
    async fn a_bulk_load_ends_with_the_planners_statistics(db: crate::testing::TestDatabase) {
        let store = crate::testing::store(&db).await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        for day in 1..=20 {
            sqlx::query("INSERT INTO case_due_counts (departement, due_on, cases) VALUES ('93', $1, 1)")
                .bind(format!("2026-01-{day:02}"))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        drop(conn);
        assert!(!counters_measured(&store).await, "rows loaded, not measured yet");
        store.after_bulk_load().await.unwrap();
        assert!(counters_measured(&store).await);
        store.close().await;
    }

    #[tokio::test]
    async fn sqlite_a_bulk_load_ends_with_the_planners_statistics() {
        a_bulk_load_ends_with_the_planners_statistics(crate::testing::sqlite().await.unwrap()).await;
    }

    /// A bulk writer's larger write-ahead log is emptied into the database when the load ends.
    #[tokio::test]
    async fn sqlite_a_bulk_load_ends_with_its_write_ahead_log_copied_and_emptied() {
        let db = crate::testing::sqlite().await.unwrap();
        let options = StoreOptions {
            max_connections: 1,
            sqlite_checkpoint_pages: 50_000,
            ..StoreOptions::default()
        };
        let store = Store::connect(&db.url, Keys::derive(&crate::SecretKey::generate()), &options)
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        let (pages,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(pages, 50_000);
        sqlx::query("INSERT INTO case_due_counts (departement, due_on, cases) VALUES ('93', '2026-01-01', 1)")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        assert!(wal_frames(&store).await > 0, "the insert is in the log");
        store.after_bulk_load().await.unwrap();
        assert_eq!(wal_frames(&store).await, 0, "the log emptied");
        store.close().await;
    }

    /// How many pages SQLite's write-ahead log holds.
    async fn wal_frames(store: &Store) -> i64 {
        let mut conn = store.pool().acquire().await.unwrap();
        let (_, frames, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        frames
    }

    #[tokio::test]
    async fn postgres_a_bulk_load_ends_with_the_planners_statistics() {
        let db = crate::testing::postgres()
            .await
            .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
        a_bulk_load_ends_with_the_planners_statistics(db).await;
    }
}
