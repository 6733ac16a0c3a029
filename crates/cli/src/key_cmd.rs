//! `relais key`: a new key for the ring, and the rotation of every
//! encrypted column to the active key (docs/adr/0016-key-rotation.md).

use crate::config::{Config, write_new_secret_file};
use relais_store::{Store, key_rotation};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct GenerateArgs {
    /// The new key's id (lowercase letters or digits) [default: the next free one, e.g. ka, kb]
    #[arg(long)]
    pub id: Option<String>,
    /// Write the new ring (new key first, then the current ones) to this file, created
    /// readable by its owner only; it must not exist. Without it the ring is printed as
    /// one line for RELAIS_SECRET_KEY.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct RotateArgs {
    /// Rows re-encrypted per transaction.
    #[arg(long, default_value_t = 200)]
    pub batch_size: u32,
    /// Stop after this many batches (run again to resume) [default: until done]
    #[arg(long)]
    pub max_batches: Option<u64>,
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub fn generate(config: &Config, args: &GenerateArgs) -> anyhow::Result<ExitCode> {
    let id = args.id.clone().unwrap_or_else(|| config.key_ring.next_id());
    let ring = config.key_ring.with_new_active(&id).map_err(anyhow::Error::msg)?;
    match &args.out {
        Some(path) => {
            write_new_secret_file(path, &ring.to_file_text())?;
            println!(
                "New key {id} written first in {} with the current keys.",
                path.display()
            );
            println!(
                "Put it in place of the key file (key_file, RELAIS_KEY_FILE), restart every app process, \
                 then run `relais key rotate`."
            );
        }
        None => {
            let line: Vec<String> = ring
                .to_file_text()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
            println!("{}", line.join(","));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn rotate(config: &Config, store: &Store, args: &RotateArgs) -> anyhow::Result<ExitCode> {
    println!("Re-encrypting under key {}.", config.keys.active_id());
    let report = key_rotation::rotate(store, args.batch_size, args.max_batches, &crate::now, &|batch| {
        println!(
            "{}: {} read, {} re-encrypted{}",
            batch.column,
            batch.seen,
            batch.rewritten,
            if batch.column_done { " (column done)" } else { "" }
        );
    })
    .await?;
    println!("{} batches, {} values re-encrypted.", report.batches, report.rewritten);
    let stale: i64 = key_rotation::stale_counts(store).await?.iter().map(|(_, n)| n).sum();
    if report.finished && stale == 0 {
        println!("Every encrypted value is under the active key.");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{stale} values are still under older keys: run `relais key rotate` again to resume \
             (every app process must already use the new key ring)."
        );
        Ok(ExitCode::from(3))
    }
}
