//! What is wrong with an imported file: a line, a column and why.

use super::value::FieldType;

/// Why a cell, a line or the file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file is neither UTF-8 text nor an XLSX workbook.
    NotText,
    /// The CSV text could not be split into cells (e.g. an unclosed quote).
    Csv,
    /// The workbook could not be read, or has no sheet.
    Workbook,
    /// No header line.
    Empty,
    /// A header but no row.
    NoRows,
    /// A field of the schema has no column.
    MissingColumn,
    /// A column the schema does not know.
    UnknownColumn,
    /// Two columns with the same name.
    DuplicateColumn,
    /// More cells than the header has columns.
    ExtraCells,
    /// A spreadsheet cell holding a formula error (`#DIV/0!`…).
    CellError,
    /// No value where the schema requires one.
    Required,
    /// Not a value of the field's type.
    Type(FieldType),
    /// Below the field's minimum (shown).
    Minimum(String),
    /// Above the field's maximum (shown).
    Maximum(String),
    /// Not one of the allowed values (listed).
    Enum(String),
    /// Does not match the field's pattern (shown).
    Pattern(String),
    /// The primary key's values were already on an earlier line.
    DuplicateKey(u64),
}

/// Every translation key of a [`ProblemKind`] (for the translation check).
pub const PROBLEM_KEYS: [&str; 22] = [
    "not-text",
    "csv",
    "workbook",
    "empty",
    "no-rows",
    "missing-column",
    "unknown-column",
    "duplicate-column",
    "extra-cells",
    "cell-error",
    "required",
    "type-string",
    "type-integer",
    "type-number",
    "type-date",
    "type-year",
    "type-boolean",
    "minimum",
    "maximum",
    "enum",
    "pattern",
    "duplicate-key",
];

impl ProblemKind {
    /// The translation key (`observatory-problem-KEY`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::NotText => "not-text",
            Self::Csv => "csv",
            Self::Workbook => "workbook",
            Self::Empty => "empty",
            Self::NoRows => "no-rows",
            Self::MissingColumn => "missing-column",
            Self::UnknownColumn => "unknown-column",
            Self::DuplicateColumn => "duplicate-column",
            Self::ExtraCells => "extra-cells",
            Self::CellError => "cell-error",
            Self::Required => "required",
            Self::Type(FieldType::String) => "type-string",
            Self::Type(FieldType::Integer) => "type-integer",
            Self::Type(FieldType::Number) => "type-number",
            Self::Type(FieldType::Date) => "type-date",
            Self::Type(FieldType::Year) => "type-year",
            Self::Type(FieldType::Boolean) => "type-boolean",
            Self::Minimum(_) => "minimum",
            Self::Maximum(_) => "maximum",
            Self::Enum(_) => "enum",
            Self::Pattern(_) => "pattern",
            Self::DuplicateKey(_) => "duplicate-key",
        }
    }

    /// The translation's one argument, `value`, when it has one. It comes
    /// from the schema or the line numbers, never from a cell.
    pub fn argument(&self) -> Option<String> {
        match self {
            Self::Minimum(v) | Self::Maximum(v) | Self::Enum(v) | Self::Pattern(v) => Some(v.clone()),
            Self::DuplicateKey(line) => Some(line.to_string()),
            _ => None,
        }
    }

    /// In English, for the command line.
    pub fn describe(&self) -> String {
        match self {
            Self::NotText => "the file is neither UTF-8 text (CSV) nor an XLSX workbook".into(),
            Self::Csv => "the line cannot be read as CSV (an unclosed quote?)".into(),
            Self::Workbook => "the workbook cannot be read or has no sheet".into(),
            Self::Empty => "the file has no header line".into(),
            Self::NoRows => "the file has a header but no row".into(),
            Self::MissingColumn => "this column of the schema is missing from the header".into(),
            Self::UnknownColumn => "the schema has no such column".into(),
            Self::DuplicateColumn => "this column is named twice".into(),
            Self::ExtraCells => "the line has more cells than the header".into(),
            Self::CellError => "the cell holds a formula error".into(),
            Self::Required => "a value is required".into(),
            Self::Type(t) => format!("expected a value of type {}", t.key()),
            Self::Minimum(v) => format!("below the minimum, {v}"),
            Self::Maximum(v) => format!("above the maximum, {v}"),
            Self::Enum(v) => format!("not one of the allowed values: {v}"),
            Self::Pattern(v) => format!("does not match the pattern {v}"),
            Self::DuplicateKey(line) => format!("the same key as line {line}"),
        }
    }
}

/// One problem: the line (the header is line 1; 0 for the whole file), the
/// column's name (empty for the whole line or file) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(line: u64, column: impl Into<String>, kind: ProblemKind) -> Self {
        Self {
            line,
            column: column.into(),
            kind,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.as_str()) {
            (0, _) => write!(f, "file: {}", self.kind.describe()),
            (line, "") => write!(f, "line {line}: {}", self.kind.describe()),
            (line, column) => write!(f, "line {line}, {column}: {}", self.kind.describe()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_listed_and_lines_named() {
        let kinds = [
            ProblemKind::NotText,
            ProblemKind::Required,
            ProblemKind::Type(FieldType::Year),
            ProblemKind::Enum("F, M".into()),
            ProblemKind::DuplicateKey(3),
        ];
        for kind in kinds {
            assert!(PROBLEM_KEYS.contains(&kind.key()), "{kind:?}");
        }
        for t in FieldType::ALL {
            assert!(PROBLEM_KEYS.contains(&ProblemKind::Type(t).key()));
        }
        assert_eq!(
            Problem::new(4, "sex", ProblemKind::Enum("F, M".into())).to_string(),
            "line 4, sex: not one of the allowed values: F, M"
        );
        assert_eq!(
            Problem::new(0, "", ProblemKind::NotText).to_string(),
            "file: the file is neither UTF-8 text (CSV) nor an XLSX workbook"
        );
    }
}
