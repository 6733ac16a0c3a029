//! `relais observatory export eurostat|ctdc --year YYYY`: the partners' files of a year, as
//! `/observatory/exports` downloads them (`relais_observatory::exports`), audited the same way.

use anyhow::Context;
use clap::{Args, ValueEnum};
use relais_domain::observatory::source::SourceCode;
use relais_observatory::exports::eurostat::{self, EurostatTable};
use relais_observatory::exports::{REPORTING_COUNTRY, ctdc};
use relais_observatory::nrm;
use relais_stats::Disclosure;
use relais_store::observatory::{self as store, exports};
use relais_store::{Actor, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Which partner's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Partner {
    /// Registered victims by sex and by age group, citizenship and form of exploitation, in
    /// Eurostat's crim_thb long shape (from the relais-mnr records, under the disclosure policy).
    Eurostat,
    /// One line per victim whose case was opened in the year, CTDC codebook variables, its
    /// quasi-identifiers k-anonymous and checked.
    Ctdc,
}

#[derive(Args)]
pub struct ExportArgs {
    pub partner: Partner,
    /// The year.
    #[arg(long)]
    pub year: i32,
    /// The k of the CTDC extract's k-anonymity (at least 2; the disclosure threshold by default).
    #[arg(long, default_value_t = ctdc::DEFAULT_K, value_parser = clap::value_parser!(usize))]
    pub k: usize,
    /// Where to write the CSV; standard output when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the file's Table Schema descriptor (JSON) there, to validate the file against.
    #[arg(long)]
    pub schema: Option<PathBuf>,
}

/// Writes the file; exit 2 when the CTDC extract cannot be made k-anonymous.
#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line tool writes its output"
)]
pub async fn run(
    store: &Store,
    args: &ExportArgs,
    min_group: usize,
    now: relais_domain::time::Timestamp,
) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.k >= 2, "--k must be at least 2");
    anyhow::ensure!(
        (2000..=2100).contains(&args.year),
        "--year must be between 2000 and 2100"
    );
    let mut tx = store.begin(Actor::system(), "cli-observatory-export", now).await?;
    let csv = match args.partner {
        Partner::Eurostat => {
            let source = SourceCode::parse(nrm::CODE).context("the NRM source's code")?;
            let rows = match store::current_rows_as_system(&mut tx, &source).await {
                Ok(rows) => rows,
                // Before the NRM's first daily extract its source does not exist: nobody to count.
                Err(relais_store::StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            };
            exports::eurostat_produced_as_system(&mut tx, args.year).await?;
            tx.commit().await?;
            let rows = rows.map(|r| r.rows).unwrap_or_default();
            EurostatTable::build(&rows, args.year, REPORTING_COUNTRY, Disclosure::new(min_group))?.to_csv()?
        }
        Partner::Ctdc => {
            let people = exports::victims_as_system(&mut tx, args.year).await?;
            match ctdc::extract(&people, args.k) {
                Ok(checked) => {
                    exports::extract_produced_as_system(&mut tx, args.year, checked.lines().len(), args.k).await?;
                    tx.commit().await?;
                    ctdc::to_csv(&checked)?
                }
                Err(refused) => {
                    // The read of the cases is recorded, as an extract of no line.
                    exports::extract_produced_as_system(&mut tx, args.year, 0, args.k).await?;
                    tx.commit().await?;
                    eprintln!("No extract written: {refused}.");
                    return Ok(ExitCode::from(2));
                }
            }
        }
    };
    if let Some(path) = &args.schema {
        let schema = match args.partner {
            Partner::Eurostat => eurostat::schema(),
            Partner::Ctdc => ctdc::schema(),
        };
        std::fs::write(path, serde_json::to_string_pretty(&schema)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    match &args.out {
        Some(path) => {
            std::fs::write(path, csv).with_context(|| format!("writing {}", path.display()))?;
        }
        None => print!("{csv}"),
    }
    Ok(ExitCode::SUCCESS)
}
