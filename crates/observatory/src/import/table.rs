//! An uploaded file as a header and rows of text cells: CSV (UTF-8, `,` or
//! `;`) or the first sheet of an XLSX workbook, told apart by content.

use super::problem::{Problem, ProblemKind};
use super::value::date_from_serial;
use calamine::{Data, Reader};

/// A line of the file and its cells, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<String>,
}

/// The header and the rows; blank lines are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTable {
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// Which reader a file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// A ZIP archive (the XLSX container) starts with `PK\x03\x04`.
    pub fn of(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }
}

/// Reads the file whatever its format.
pub fn read(bytes: &[u8]) -> Result<RawTable, Problem> {
    rows(bytes)?.into_table()
}

/// The file's header, then its rows one at a time: a CSV file is read as it
/// goes, so that a file of a million lines is never held as cells (issue 17);
/// a workbook is read whole (its archive is, anyway).
pub fn rows(bytes: &[u8]) -> Result<Rows<'_>, Problem> {
    match Format::of(bytes) {
        Format::Csv => {
            let text = std::str::from_utf8(bytes).map_err(|_| Problem::new(0, "", ProblemKind::NotText))?;
            csv_rows(text)
        }
        Format::Xlsx => {
            let table = read_xlsx(bytes)?;
            Ok(Rows {
                header: table.header,
                rest: Rest::Read(table.rows.into_iter()),
            })
        }
    }
}

/// A file's header and the rows after it; an unreadable CSV line ends them with its problem.
pub struct Rows<'a> {
    pub header: Vec<String>,
    rest: Rest<'a>,
}

enum Rest<'a> {
    Csv {
        records: csv::StringRecordsIntoIter<&'a [u8]>,
        lines: Lines<'a>,
    },
    Read(std::vec::IntoIter<RawRow>),
}

impl Rows<'_> {
    /// Every row read at once.
    pub fn into_table(mut self) -> Result<RawTable, Problem> {
        let rows = self.by_ref().collect::<Result<Vec<_>, _>>()?;
        Ok(RawTable {
            header: self.header,
            rows,
        })
    }
}

impl Iterator for Rows<'_> {
    type Item = Result<RawRow, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.rest {
            Rest::Read(rows) => rows.next().map(Ok),
            Rest::Csv { records, lines } => next_csv_row(records, lines),
        }
    }
}

/// The next CSV line that is not blank.
fn next_csv_row(
    records: &mut csv::StringRecordsIntoIter<&[u8]>,
    lines: &mut Lines<'_>,
) -> Option<Result<RawRow, Problem>> {
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => return Some(Err(Problem::new(lines.at(e.position()), "", ProblemKind::Csv))),
        };
        let line = lines.at(record.position());
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        if !blank(&cells) {
            return Some(Ok(RawRow { line, cells }));
        }
    }
    None
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(String::is_empty)
}

/// The separator of the header line: `;` when it has more of them than `,`
/// (French spreadsheets write `;`).
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

pub fn read_csv(text: &str) -> Result<RawTable, Problem> {
    csv_rows(text)?.into_table()
}

fn csv_rows(text: &str) -> Result<Rows<'_>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes())
        .into_records();
    let mut lines = Lines::new(text);
    let header = match next_csv_row(&mut records, &mut lines) {
        Some(header) => header?.cells,
        None => return Err(Problem::new(1, "", ProblemKind::Empty)),
    };
    Ok(Rows {
        header,
        rest: Rest::Csv { records, lines },
    })
}

/// Line numbers of the reader's positions, counted from the byte offset (the reader's own
/// count skips blank lines). Positions come in increasing order, so each count goes on from
/// the last one: counting from the start of the file every time made a file of a hundred
/// thousand lines take minutes (issue 17).
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return 0;
        };
        let mut offset = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A record's position may be that of the blank lines before it.
        while self.text.get(offset).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            offset += 1;
        }
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        let between = self.text.get(self.offset..offset).unwrap_or_default();
        self.line += between.iter().filter(|b| **b == b'\n').count() as u64;
        self.offset = offset;
        self.line
    }
}

/// A spreadsheet cell as the text a CSV file would hold.
fn cell_text(cell: &Data) -> Result<String, ()> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        // Whole numbers are stored as floats: 12.0 is the integer 12.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => date_from_serial(d.as_f64()).map(|d| d.to_string()).unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => return Err(()),
    })
}

pub fn read_xlsx(bytes: &[u8]) -> Result<RawTable, Problem> {
    let workbook_problem = || Problem::new(0, "", ProblemKind::Workbook);
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| workbook_problem())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(workbook_problem)?
        .map_err(|_| workbook_problem())?;
    // Line numbers as the spreadsheet shows them, wherever the data starts.
    let first_row = u64::from(range.start().map_or(0, |(row, _)| row)) + 1;
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (index, row) in range.rows().enumerate() {
        let line = first_row + index as u64;
        let mut cells = Vec::with_capacity(row.len());
        for (column, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => cells.push(text),
                Err(()) => {
                    let name = header.as_ref().and_then(|h| h.get(column)).cloned().unwrap_or_default();
                    return Err(Problem::new(line, name, ProblemKind::CellError));
                }
            }
        }
        // Trailing empty cells are the sheet's width, not data.
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if blank(&cells) {
            continue;
        }
        if header.is_none() {
            header = Some(cells);
        } else {
            rows.push(RawRow { line, cells });
        }
    }
    let header = header.ok_or_else(|| Problem::new(1, "", ProblemKind::Empty))?;
    Ok(RawTable { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_either_separator() {
        let comma = read(b"year,sex,count\n2024,F,12\n\n2024,M,\"7\"\n").unwrap();
        assert_eq!(comma.header, vec!["year", "sex", "count"]);
        assert_eq!(comma.rows.len(), 2);
        assert_eq!(comma.rows[1].line, 4, "the blank line still counts");
        let semicolon = read("\u{feff}année;sexe;nombre\r\n2024;F;12,5\r\n".as_bytes()).unwrap();
        assert_eq!(semicolon.header, vec!["année", "sexe", "nombre"]);
        assert_eq!(semicolon.rows[0].cells, vec!["2024", "F", "12,5"]);
    }

    /// Each row's line in a long file with blank lines and quoted cells over two lines: the
    /// count goes on from row to row.
    #[test]
    fn lines_are_counted_through_a_long_file() {
        let mut text = String::from("year,note\n");
        let mut expected = Vec::new();
        let mut line = 1;
        for row in 0..3_000 {
            if row % 7 == 0 {
                text.push('\n');
                line += 1;
            }
            line += 1;
            expected.push(line);
            if row % 11 == 0 {
                text.push_str(&format!("{row},\"deux\nlignes\"\n"));
                line += 1;
            } else {
                text.push_str(&format!("{row},une\r\n"));
            }
        }
        let table = read(text.as_bytes()).unwrap();
        assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), expected);
    }

    #[test]
    fn unreadable_files_are_named() {
        assert_eq!(read(&[0xff, 0xfe, 0x00]).unwrap_err().kind, ProblemKind::NotText);
        assert_eq!(read(b"\n\n").unwrap_err().kind, ProblemKind::Empty);
        assert_eq!(read(b"PK\x03\x04garbage").unwrap_err().kind, ProblemKind::Workbook);
    }

    #[test]
    fn xlsx_first_sheet() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "year").unwrap();
        sheet.write_string(0, 1, "count").unwrap();
        sheet.write_string(0, 2, "on").unwrap();
        sheet.write_number(1, 0, 2024.0).unwrap();
        sheet.write_number(1, 1, 12.5).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet.write_datetime_with_format(1, 2, &date, &format).unwrap();
        sheet.write_string(3, 0, "2025").unwrap();
        sheet.write_boolean(3, 1, true).unwrap();
        workbook.add_worksheet().write_string(0, 0, "ignored").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let table = read(&bytes).unwrap();
        assert_eq!(table.header, vec!["year", "count", "on"]);
        assert_eq!(table.rows[0].cells, vec!["2024", "12.5", "2024-03-01"]);
        assert_eq!(table.rows[1].line, 4);
        assert_eq!(table.rows[1].cells, vec!["2025", "true"]);
    }
}
