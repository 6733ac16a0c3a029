//! `relais backup`, `relais restore` and `relais db digest`
//! (docs/adr/0018-durability-crash-and-backup.md).
//!
//! SQLite: a consistent copy taken while the server runs (`VACUUM INTO`),
//! restored by copying it back while the server is stopped. PostgreSQL:
//! `pg_dump --format=custom`, restored by `pg_restore` in one transaction.
//! Neither file holds the secret key: keep it apart, and restore with it.

use crate::config::Config;
use anyhow::Context;
use relais_store::{Backend, Store};
use relais_store::{durability, operations};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup file (written by `relais backup`).
    #[arg(long)]
    pub from: PathBuf,
    /// Replace whatever the target database holds (refused otherwise unless it is empty).
    #[arg(long)]
    pub force: bool,
}

/// A PostgreSQL client tool (`pg_dump`, `pg_restore`) with the connection
/// of `url`: the password goes in the environment, never on the command
/// line where every local account could read it.
fn pg_tool(tool: &str, url: &str) -> anyhow::Result<Command> {
    let mut parsed = url::Url::parse(url).context("DATABASE_URL is not a valid URL")?;
    let password = parsed
        .password()
        .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    parsed
        .set_password(None)
        .map_err(|()| anyhow::anyhow!("DATABASE_URL cannot hold a password"))?;
    let mut command = Command::new(tool);
    command.arg(format!("--dbname={parsed}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    Ok(command)
}

/// Runs a PostgreSQL client tool; a missing tool is named with the package to install.
fn run_pg_tool(mut command: Command, tool: &str) -> anyhow::Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "{tool} is not installed (or not on PATH): install the PostgreSQL client tools \
             (Debian: apt-get install postgresql-client), of the server's major version or newer"
        ),
        Err(e) => return Err(e).with_context(|| format!("starting {tool}")),
    };
    anyhow::ensure!(
        output.status.success(),
        "{tool} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

/// Creates `path` empty, readable by its owner only; refuses an existing file.
fn create_private(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    Ok(())
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn backup(config: &Config, store: &Store, to: &Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(!to.exists(), "{} already exists", to.display());
    match store.backend() {
        Backend::Sqlite => {
            let destination = to.to_str().context("the destination path must be valid UTF-8")?;
            store.backup_sqlite(destination).await?;
        }
        Backend::Postgres => {
            create_private(to)?;
            let mut command = pg_tool("pg_dump", &config.database_url)?;
            command.arg("--format=custom").arg("--file").arg(to);
            if let Err(error) = run_pg_tool(command, "pg_dump") {
                // Leave no empty or partial file that looks like a backup.
                let _ = std::fs::remove_file(to);
                return Err(error);
            }
        }
    }
    println!("Backup written to {}", to.display());
    Ok(ExitCode::SUCCESS)
}

/// Records a backup in the audit trail, for the backup-first rule of
/// upgrades; only a database at this build's migrations takes the row
/// (`relais migrate --backup-to` records its backup once migrated).
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn record(store: &Store) -> anyhow::Result<()> {
    let status = operations::migration_status(store).await?;
    if status.pending.is_empty() && status.unknown.is_empty() {
        operations::record_backup(store, crate::now())
            .await
            .context("recording the backup in the audit trail")?;
    } else {
        println!(
            "Not recorded: the database is not at this version's migrations \
             (to upgrade, `relais migrate --backup-to FILE` backs up and records it)."
        );
    }
    Ok(())
}

/// Restores into the configured database, then verifies the audit chain
/// (exit 1 if it is broken, like `relais audit verify`).
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn restore(config: &Config, args: &RestoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.from.is_file(), "{} is not a file", args.from.display());
    match Backend::from_url(&config.database_url)? {
        Backend::Sqlite => {
            durability::restore_sqlite(&args.from, &config.database_url, args.force)
                .await
                .map_err(|e| match e {
                    relais_store::StoreError::Conflict(_) => anyhow::anyhow!(
                        "the target database is not empty: restore goes into an empty database \
                         (--force replaces everything in it; stop the server first)"
                    ),
                    other => other.into(),
                })?;
        }
        Backend::Postgres => {
            let store = config.open_store().await?;
            if !durability::is_empty(&store).await? {
                anyhow::ensure!(
                    args.force,
                    "the target database is not empty: restore goes into an empty database \
                     (--force replaces everything in it; stop the server first)"
                );
                durability::clear_postgres_schema(&store).await?;
            }
            store.close().await;
            let mut command = pg_tool("pg_restore", &config.database_url)?;
            command
                .args([
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                ])
                .arg(&args.from);
            run_pg_tool(command, "pg_restore")?;
        }
    }
    println!("Restored from {}.", args.from.display());
    // The restored file is itself the backup the backup-first rule asks for.
    let store = crate::migrate_and_load(config.open_store().await?).await?;
    crate::audit_cmd::verify(&store).await
}

/// Prints each table's row count and hash, then one hash over them all.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn digest(config: &Config) -> anyhow::Result<ExitCode> {
    let store = config.open_store().await?;
    let digest = durability::digest(&store).await?;
    for table in &digest.tables {
        println!("{} {} {}", table.table, table.rows, table.sha256);
    }
    println!("total {}", digest.total());
    Ok(ExitCode::SUCCESS)
}
