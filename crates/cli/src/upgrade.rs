//! Upgrades: migrations only go forward, and a database that holds data is
//! migrated only once a backup of it is recorded from the last
//! [`BACKUP_MAX_AGE_HOURS`] hours (docs/adr/0048-operations.md).

use crate::config::Config;
use anyhow::Context;
use relais_domain::time::Timestamp;
use relais_store::Store;
use relais_store::operations::{self, MigrationStatus};
use std::path::Path;
use std::process::ExitCode;

/// How old the last backup may be for a migration to go ahead.
pub const BACKUP_MAX_AGE_HOURS: i64 = 24;

/// Why this build must not run on the database: a newer Relais migrated it.
fn refuse_unknown(status: &MigrationStatus) -> anyhow::Result<()> {
    anyhow::ensure!(
        status.unknown.is_empty(),
        "the database has migrations this version of Relais does not know ({}): a newer version \
         wrote them. Migrations only go forward: install that version (or a later one), or \
         restore a backup taken before the upgrade into an empty database",
        versions(&status.unknown)
    );
    Ok(())
}

fn versions(list: &[i64]) -> String {
    list.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// Refuses to migrate a database that holds data without a recent backup;
/// a fresh database, or one with nothing pending, goes ahead.
pub async fn ensure_migration_allowed(store: &Store, now: Timestamp) -> anyhow::Result<()> {
    let status = operations::migration_status(store)
        .await
        .context("reading the applied migrations")?;
    refuse_unknown(&status)?;
    if status.pending.is_empty() || status.is_fresh() {
        return Ok(());
    }
    let last = operations::last_backup(store)
        .await
        .context("reading the last backup")?;
    let recent = last.is_some_and(|at| now.0 - at.0 <= BACKUP_MAX_AGE_HOURS * 3600);
    anyhow::ensure!(
        recent,
        "{} migrations are pending ({}) and no backup of this database was taken in the last \
         {BACKUP_MAX_AGE_HOURS} hours: migrations cannot be undone. Stop the server, then run \
         `relais migrate --backup-to FILE` (or `relais backup --to FILE` first)",
        status.pending.len(),
        versions(&status.pending)
    );
    Ok(())
}

/// `relais migrate [--backup-to FILE]`.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn migrate(config: &Config, backup_to: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = config.open_store().await?;
    let status = operations::migration_status(&store)
        .await
        .context("reading the applied migrations")?;
    refuse_unknown(&status)?;
    let backed_up = match backup_to {
        Some(file) if !status.is_fresh() => {
            crate::backup_cmd::backup(config, &store, file).await?;
            true
        }
        _ => false,
    };
    if !backed_up {
        ensure_migration_allowed(&store, crate::now()).await?;
    }
    let store = crate::migrate_and_load(store).await?;
    if backed_up {
        // Recorded once the schema is this build's, whose audit rows it writes.
        crate::backup_cmd::record(&store).await?;
    }
    if status.pending.is_empty() {
        println!("Nothing to migrate: the database is up to date.");
    } else {
        println!(
            "{} migrations applied (up to version {}).",
            status.pending.len(),
            status.pending.last().copied().unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
