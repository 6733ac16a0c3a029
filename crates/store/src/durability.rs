//! Backups, restores and the table digest that proves a restore complete
//! (docs/adr/0018-durability-crash-and-backup.md).
//!
//! The digest reads every row of every table of the current schema,
//! renders each value as SQL text (`quote` on SQLite, `quote_nullable` on
//! PostgreSQL), sorts the rows and hashes them: two databases of the same
//! backend with the same content have the same digest, whatever their
//! physical layout. It names tables and counts rows, never a value.

use crate::backend::{Backend, Store, create_private};
use crate::{Result, StoreError};
use sha2::{Digest as _, Sha256};
use sqlx::Row;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One table's share of a [`DatabaseDigest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: String,
    pub rows: u64,
    /// SHA-256 of the sorted rows, hexadecimal.
    pub sha256: String,
}

/// The digest of every table, by table name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseDigest {
    pub tables: Vec<TableDigest>,
}

impl DatabaseDigest {
    /// One hash over every table's name, row count and hash.
    pub fn total(&self) -> String {
        let mut hasher = Sha256::new();
        for table in &self.tables {
            hasher.update(table.table.as_bytes());
            hasher.update([0]);
            hasher.update(table.rows.to_be_bytes());
            hasher.update(table.sha256.as_bytes());
        }
        hex::encode(hasher.finalize())
    }

    /// The digest of one table, if the database has it.
    pub fn table(&self, name: &str) -> Option<&TableDigest> {
        self.tables.iter().find(|t| t.table == name)
    }
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the current schema (SQLite's own tables left out), by name.
pub async fn table_names(store: &Store) -> Result<Vec<String>> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(store.pool()).await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

async fn column_names(store: &Store, table: &str) -> Result<Vec<String>> {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows: Vec<(String,)> = sqlx::query_as(sql)
        .bind(table.to_owned())
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// Whether the database has no table at all (a restore's target must not).
pub async fn is_empty(store: &Store) -> Result<bool> {
    Ok(table_names(store).await?.is_empty())
}

/// The digest of every table. Reads the whole database (one table at a
/// time, sorted in memory): meant for checks after a backup or a restore,
/// not for a busy hour.
pub async fn digest(store: &Store) -> Result<DatabaseDigest> {
    let mut tables = Vec::new();
    for table in table_names(store).await? {
        let columns = column_names(store, &table).await?;
        let rendered: Vec<String> = columns
            .iter()
            .map(|c| match store.backend() {
                Backend::Sqlite => format!("quote({})", quote_identifier(c)),
                Backend::Postgres => format!("quote_nullable({})", quote_identifier(c)),
            })
            .collect();
        let sql = format!("SELECT {} FROM {}", rendered.join(", "), quote_identifier(&table));
        let mut rows: Vec<Vec<Option<String>>> = Vec::new();
        for row in sqlx::query(&sql).fetch_all(store.pool()).await? {
            let mut values = Vec::with_capacity(columns.len());
            for index in 0..columns.len() {
                values.push(row.try_get::<Option<String>, _>(index)?);
            }
            rows.push(values);
        }
        rows.sort();
        let mut hasher = Sha256::new();
        for row in &rows {
            for value in row {
                match value {
                    None => hasher.update([0]),
                    Some(text) => {
                        hasher.update([1]);
                        hasher.update((text.len() as u64).to_be_bytes());
                        hasher.update(text.as_bytes());
                    }
                }
            }
        }
        tables.push(TableDigest {
            table,
            rows: rows.len() as u64,
            sha256: hex::encode(hasher.finalize()),
        });
    }
    Ok(DatabaseDigest { tables })
}

/// The file of a `sqlite:` URL.
pub fn sqlite_file(url: &str) -> Result<PathBuf> {
    if Backend::from_url(url)? != Backend::Sqlite {
        return Err(StoreError::UnsupportedUrl);
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    Ok(options.get_filename().to_path_buf())
}

/// Whether an existing SQLite file holds tables (without creating it).
async fn sqlite_has_tables(path: &Path) -> Result<bool> {
    if !std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        return Ok(false);
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await?;
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_one(&mut conn)
    .await?;
    sqlx::Connection::close(conn).await?;
    Ok(count > 0)
}

/// Checks that `path` is a sound SQLite database made by Relais.
async fn check_sqlite_backup(path: &Path) -> Result<()> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await?;
    let (check,): (String,) = sqlx::query_as("PRAGMA quick_check").fetch_one(&mut conn).await?;
    let head: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'")
            .fetch_optional(&mut conn)
            .await?;
    sqlx::Connection::close(conn).await?;
    if check != "ok" {
        return Err(StoreError::Corrupt("the backup fails SQLite's integrity check"));
    }
    if head.is_none() {
        return Err(StoreError::Corrupt("the backup is not a Relais database"));
    }
    Ok(())
}

/// Restores a SQLite backup (a file written by [`Store::backup_sqlite`])
/// into the database file of `target_url`, which must hold no table
/// unless `force` (then it is replaced, with its `-wal` and `-shm` files).
/// No process may have the target open: stop the server first.
pub async fn restore_sqlite(backup: &Path, target_url: &str, force: bool) -> Result<()> {
    let target = sqlite_file(target_url)?;
    check_sqlite_backup(backup).await?;
    if sqlite_has_tables(&target).await? && !force {
        return Err(StoreError::Conflict("the target database is not empty"));
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = target.clone().into_os_string();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::File(e)),
        }
    }
    create_private(&target)?;
    std::fs::copy(backup, &target).map_err(StoreError::File)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).map_err(StoreError::File)?;
    }
    check_sqlite_backup(&target).await
}

/// Empties the current schema of a PostgreSQL database (every table,
/// sequence and function in it) before a forced restore.
pub async fn clear_postgres_schema(store: &Store) -> Result<()> {
    if store.backend() != Backend::Postgres {
        return Err(StoreError::UnsupportedUrl);
    }
    let (schema,): (String,) = sqlx::query_as("SELECT CAST(current_schema() AS TEXT)")
        .fetch_one(store.pool())
        .await?;
    let schema = quote_identifier(&schema);
    let mut conn = store.pool().acquire().await?;
    sqlx::Executor::execute(&mut *conn, format!("DROP SCHEMA {schema} CASCADE").as_str()).await?;
    sqlx::Executor::execute(&mut *conn, format!("CREATE SCHEMA {schema}").as_str()).await?;
    Ok(())
}
