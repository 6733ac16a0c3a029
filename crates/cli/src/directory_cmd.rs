//! `relais directory import|export`: the service directory and the
//! prefecture contacts as CSV files, the département code in the first column.

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use relais_store::directory::{self, FileKind, ImportError, ImportRun};
use relais_store::{Actor, Store};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Services: departement, organisation, name, kind, covers, sexes, min_age,
    /// max_age, children, forms, languages, contact, places.
    Services,
    /// Prefecture trafficking contacts: departement, prefecture, name, email, phone.
    PrefectureContacts,
}

impl Kind {
    fn file_kind(self) -> FileKind {
        match self {
            Self::Services => FileKind::Services,
            Self::PrefectureContacts => FileKind::PrefectureContacts,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
}

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(long)]
    pub kind: Kind,
    /// The CSV file (comma or semicolon separated, UTF-8, a header line naming the columns).
    pub file: PathBuf,
}

#[derive(Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(long)]
    pub kind: Kind,
    /// The file format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Imports the whole file or nothing: exit 2 listing every wrong line.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn import(store: &Store, args: &ImportArgs, now: relais_domain::time::Timestamp) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {} (UTF-8 expected)", args.file.display()))?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} rows")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    let run = ImportRun {
        actor: Actor::system(),
        request_id: "cli-directory-import",
        now,
    };
    let outcome = directory::import_as_system(store, &run, args.kind.file_kind(), &text, &|done, total| {
        bar.set_length(u64::try_from(total).unwrap_or(0));
        bar.set_position(u64::try_from(done).unwrap_or(0));
    })
    .await;
    bar.finish_and_clear();
    match outcome {
        Ok(imported) => {
            println!("Imported {} {}.", imported.rows, args.kind.file_kind().key());
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid(problems)) => Ok(crate::refusal::import_refused(&args.file, &problems)),
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn export(store: &Store, args: &ExportArgs, now: relais_domain::time::Timestamp) -> anyhow::Result<ExitCode> {
    let Format::Csv = args.format;
    let mut tx = store.begin(Actor::system(), "cli-directory-export", now).await?;
    let csv = directory::export_csv(&mut tx, args.kind.file_kind()).await?;
    tx.commit().await?;
    match &args.output {
        Some(path) => {
            std::fs::write(path, csv).with_context(|| format!("writing {}", path.display()))?;
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}
