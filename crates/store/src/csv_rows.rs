//! Reading the CSV files administrations send (the directory, the plans):
//! comma or semicolon separated, with a header line naming the columns in
//! any order, cells neutralised against formulas read back as typed.

use relais_domain::spreadsheet;
use std::collections::HashMap;

/// A CSV line: its number (the header is line 1) and its values by column.
pub(crate) type CsvRow = (u64, HashMap<&'static str, String>);

/// The lines of `text` as maps from each of `columns` to its cell; blank
/// lines are skipped. `Err(line)`: the header lacks a column, or that line
/// is not CSV.
pub(crate) fn read(columns: &[&'static str], text: &str) -> Result<Vec<CsvRow>, u64> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| 1_u64)?.clone();
    let mut index = Vec::new();
    for column in columns {
        let at = headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column))
            .ok_or(1_u64)?;
        index.push((*column, at));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.position().map_or(0, csv::Position::line))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let values = index
            .iter()
            .map(|(column, at)| {
                let cell = spreadsheet::unescape_cell(record.get(*at).unwrap_or_default());
                (*column, cell.to_owned())
            })
            .collect();
        rows.push((line, values));
    }
    Ok(rows)
}

/// Writes rows as CSV, every cell neutralised against formulas.
pub(crate) fn write<const N: usize>(
    header: &[&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> crate::Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |_| crate::StoreError::Corrupt("csv export");
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| spreadsheet::safe_cell(cell).into_owned()))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|_| crate::StoreError::Corrupt("csv export"))?;
    String::from_utf8(bytes).map_err(|_| crate::StoreError::Corrupt("csv export"))
}
