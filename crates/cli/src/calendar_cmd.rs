//! `relais calendar add-working-days`: lets anyone check a deadline by hand.

use anyhow::{Context, anyhow};
use relais_domain::calendar;
use relais_domain::territory::Departement;
use relais_domain::time::Date;
use std::process::ExitCode;

/// Arguments of `relais calendar add-working-days`.
#[derive(clap::Args, Debug)]
pub struct AddWorkingDaysArgs {
    /// The starting day, YYYY-MM-DD (not counted).
    date: String,
    /// How many working days to add.
    n: u32,
    /// Département code (e.g. 57, 2A, 974) whose own public holidays also count.
    #[arg(long)]
    departement: Option<String>,
}

/// Prints the date reached after N working days counted from the day after DATE.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub fn add_working_days(args: &AddWorkingDaysArgs) -> anyhow::Result<ExitCode> {
    let from = Date::parse(&args.date).with_context(|| format!("`{}` is not a date (YYYY-MM-DD)", args.date))?;
    let departement = match &args.departement {
        Some(code) => Some(Departement::parse(code).ok_or_else(|| anyhow!("`{code}` is not a département code"))?),
        None => None,
    };
    println!("{}", calendar::add_working_days(from, args.n, departement));
    Ok(ExitCode::SUCCESS)
}
