//! How an all-or-nothing file import says it imported nothing.

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

/// Lists every problem of `file` on standard error; exit status 2.
pub fn import_refused<P: Display>(file: &Path, problems: &[P]) -> ExitCode {
    eprintln!("{}: nothing imported, {} problem(s):", file.display(), problems.len());
    for problem in problems {
        eprintln!("  {problem}");
    }
    ExitCode::from(2)
}
