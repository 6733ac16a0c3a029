//! `relais observatory table`: the two-way table of a microdata file as the observatory would
//! publish it, under the disclosure policy. Reading, counting and protecting live in
//! `relais-observatory` and `relais-stats`; this module reads the arguments and prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use relais_observatory::table::{PublishedTable, crosstab};
use relais_stats::{DEFAULT_MIN_GROUP, Disclosure};

/// How the table is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV: a header of the column categories and `total`, one line per row category, a `total` line.
    Csv,
    /// One JSON object for a program.
    Json,
}

/// Arguments of `relais observatory table`.
#[derive(clap::Args, Debug)]
pub struct TableArgs {
    /// CSV microdata: one line per person, a header naming the columns (`,` or `;`).
    pub file: PathBuf,
    /// The column whose categories make the table's rows.
    #[arg(long)]
    pub rows: String,
    /// The column whose categories make the table's columns.
    #[arg(long)]
    pub cols: String,
    /// Figures from fewer people than this are suppressed (written `<N`); others are hidden
    /// with them (written `x`) so that none can be worked out from the totals.
    #[arg(long, default_value_t = DEFAULT_MIN_GROUP)]
    pub threshold: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
}

/// Prints the table on standard output; a file that cannot be read exits with status 2.
pub fn run(args: &TableArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display();
    let file = match std::fs::File::open(&args.file) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("{name}: cannot read the file: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let table = match crosstab(std::io::BufReader::new(file), &args.rows, &args.cols) {
        Ok(table) => table,
        Err(e) => {
            eprintln!("{name}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if table.left_out > 0 {
        eprintln!(
            "warning: {name}: {} line(s) without a value for {:?} or {:?} are left out of the table",
            table.left_out, args.rows, args.cols
        );
    }
    let published = PublishedTable::new(table, Disclosure::new(args.threshold));
    let text = match args.format {
        TableFormat::Csv => published.to_csv()?,
        TableFormat::Json => format!("{}\n", serde_json::to_string_pretty(&published.to_json())?),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
