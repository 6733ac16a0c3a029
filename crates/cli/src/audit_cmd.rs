//! `relais audit verify`.

use indicatif::{ProgressBar, ProgressStyle};
use relais_store::Store;
use relais_store::audit::{self, Verification};
use std::io::IsTerminal;
use std::process::ExitCode;

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn verify(store: &Store) -> anyhow::Result<ExitCode> {
    let total = audit::count(store).await?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(u64::try_from(total).unwrap_or(0));
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} rows")?);
        bar
    } else {
        ProgressBar::hidden()
    };
    let outcome = audit::verify(store, &|seq| bar.set_position(u64::try_from(seq).unwrap_or(0))).await?;
    bar.finish_and_clear();
    match outcome {
        Verification::Intact { rows } => {
            println!("Audit chain intact: {rows} rows verified.");
            Ok(ExitCode::SUCCESS)
        }
        Verification::Broken(broken) => {
            println!("Audit chain BROKEN: {broken}");
            Ok(ExitCode::from(1))
        }
    }
}
