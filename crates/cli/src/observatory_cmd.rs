//! `relais observatory import`: a source's file (CSV or XLSX) checked
//! against the source's Table Schema descriptor and stored as its next
//! version, whole or not at all.

use anyhow::Context;
use clap::Args;
use relais_domain::observatory::source::SourceCode;
use relais_observatory::sources::{self, ImportError, Importer, Upload};
use relais_store::{Actor, Store};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ImportArgs {
    /// The source's code (as in /observatory/sources/CODE).
    #[arg(long)]
    pub source: String,
    /// The file: CSV (UTF-8, `,` or `;`, a header line naming the columns) or XLSX (first sheet).
    pub file: PathBuf,
    /// What the file holds or corrects, kept with the version.
    #[arg(long, default_value = "")]
    pub note: String,
}

/// Imports the whole file or nothing: exit 2 listing every wrong cell.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn import(store: &Store, args: &ImportArgs, now: relais_domain::time::Timestamp) -> anyhow::Result<ExitCode> {
    let code = SourceCode::parse(&args.source).context("a source code is lower-case letters, digits and hyphens")?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let upload = Upload {
        file_name: &file_name,
        bytes: &bytes,
        note: &args.note,
    };
    let mut tx = store.begin(Actor::system(), "cli-observatory-import", now).await?;
    match sources::import(&mut tx, Importer::System, &code, &upload).await {
        Ok(imported) => {
            tx.commit().await?;
            println!(
                "Imported {} rows into {code} as version {}.",
                imported.rows, imported.number
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid(problems)) => Ok(crate::refusal::import_refused(&args.file, &problems)),
        Err(ImportError::Store(relais_store::StoreError::NotFound)) => {
            anyhow::bail!("no source has the code {code}")
        }
        Err(error) => Err(error.into()),
    }
}
