//! Cells of files meant for spreadsheets (CSV exports): a cell that a
//! spreadsheet would run as a formula is neutralised (OWASP "CSV
//! injection"). A directory entry typed as `=HYPERLINK(…)` must not become
//! a live link or command on the coordinator's computer.

use std::borrow::Cow;

/// Leading characters that make a spreadsheet read a cell as a formula
/// (tab and carriage return too: some spreadsheets drop them and read on).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as it may be written to a CSV file: prefixed with a single
/// quote when it starts like a formula, so it is shown as text.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The inverse of [`safe_cell`] for an imported cell, so that an exported
/// file imports back unchanged.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_import_back() {
        for cell in [
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            "+33 1 00 00 00 00",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            let safe = safe_cell(cell);
            assert!(safe.starts_with('\''), "{cell:?}");
            assert_eq!(unescape_cell(&safe), cell);
        }
    }

    #[test]
    fn ordinary_cells_are_unchanged() {
        for cell in ["75", "Foyer Saint-Jean", "a=b", "", "'quoted", "emergency:2/5"] {
            assert_eq!(safe_cell(cell), cell);
            assert_eq!(unescape_cell(cell), cell);
        }
    }
}
