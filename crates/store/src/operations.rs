//! What an operator's checks read from the database (`relais doctor`,
//! `relais migrate`'s backup-first rule; docs/adr/0048-operations.md): the
//! server's version and clock, the migrations applied against those this
//! build carries, and when the last backup was taken.

use crate::audit::{Action, Object};
use crate::{Actor, Backend, Result, Store};
use relais_domain::time::Timestamp;

/// The migrations of a database against those of this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// How many migrations of this build the database has.
    pub applied: usize,
    /// Versions this build would apply.
    pub pending: Vec<i64>,
    /// Versions the database has that this build does not know: a newer
    /// Relais wrote them, and this one must not run on it.
    pub unknown: Vec<i64>,
}

impl MigrationStatus {
    /// A database no migration ever ran on (nothing to back up).
    pub fn is_fresh(&self) -> bool {
        self.applied == 0 && self.unknown.is_empty()
    }
}

pub async fn migration_status(store: &Store) -> Result<MigrationStatus> {
    let known = Store::embedded_migrations();
    let tables = crate::durability::table_names(store).await?;
    let done: Vec<i64> = if tables.iter().any(|t| t == "_sqlx_migrations") {
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(store.pool())
            .await?;
        rows.into_iter().map(|(v,)| v).collect()
    } else {
        Vec::new()
    };
    Ok(MigrationStatus {
        applied: known.iter().filter(|v| done.contains(v)).count(),
        pending: known.iter().copied().filter(|v| !done.contains(v)).collect(),
        unknown: done.into_iter().filter(|v| !known.contains(v)).collect(),
    })
}

/// The database server's name and version, e.g. `PostgreSQL 16.4`.
pub async fn server_version(store: &Store) -> Result<String> {
    let (sql, name) = match store.backend() {
        Backend::Sqlite => ("SELECT sqlite_version()", "SQLite"),
        Backend::Postgres => ("SELECT current_setting('server_version')", "PostgreSQL"),
    };
    let (version,): (String,) = sqlx::query_as(sql).fetch_one(store.pool()).await?;
    Ok(format!("{name} {version}"))
}

/// The database server's clock, in whole seconds since the epoch (SQLite
/// runs in this process: it reads the same clock).
pub async fn server_clock(store: &Store) -> Result<Timestamp> {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT CAST(strftime('%s', 'now') AS INTEGER)",
        Backend::Postgres => "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)",
    };
    let (seconds,): (i64,) = sqlx::query_as(sql).fetch_one(store.pool()).await?;
    Ok(Timestamp(seconds))
}

/// Records in the audit trail that a backup of the whole database was taken
/// (the file's name stays out: a path can name a person's folder).
pub async fn record_backup(store: &Store, now: Timestamp) -> Result<()> {
    let mut tx = store.begin(Actor::system(), "cli-backup", now).await?;
    tx.audit(Action::DatabaseBackup, Object::Database, None, None).await?;
    tx.commit().await
}

/// When the last recorded backup was taken, if the audit trail holds one.
pub async fn last_backup(store: &Store) -> Result<Option<Timestamp>> {
    let (at,): (Option<i64>,) = sqlx::query_as("SELECT MAX(at) FROM audit_log WHERE action = $1")
        .bind(Action::DatabaseBackup.code())
        .fetch_one(store.pool())
        .await?;
    Ok(at.map(Timestamp))
}
