//! A table checked against its schema: the header, then every cell. All
//! problems are returned together, and no row is accepted unless every row is.

use super::problem::{Problem, ProblemKind};
use super::schema::{Field, Schema};
use super::table::{RawRow, RawTable};
use super::value::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

/// An accepted row: its line in the file and its values as the JSON object
/// stored (field name → value, `null` when missing). Kept as text: a file of a
/// million lines held as maps of values took a gigabyte (issue 17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRow {
    pub line: u64,
    pub json: String,
}

/// Checks the header: each field has one column, each column a field.
/// Returns, for each field, the index of its column.
fn header(schema: &Schema, header: &[String]) -> Result<Vec<usize>, Vec<Problem>> {
    let mut problems = Vec::new();
    for (index, name) in header.iter().enumerate() {
        if header[..index].contains(name) {
            problems.push(Problem::new(1, name.clone(), ProblemKind::DuplicateColumn));
        } else if schema.field(name).is_none() {
            problems.push(Problem::new(1, name.clone(), ProblemKind::UnknownColumn));
        }
    }
    let mut columns = Vec::with_capacity(schema.fields.len());
    for field in &schema.fields {
        match header.iter().position(|h| *h == field.name) {
            Some(index) => columns.push(index),
            None => problems.push(Problem::new(1, field.name.clone(), ProblemKind::MissingColumn)),
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// The list of allowed values as shown in a message.
fn listed(values: &[Value]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Checks one cell; `Ok(None)` is a missing value that may be missing.
fn cell(schema: &Schema, field: &Field, raw: &str, required: bool) -> Result<Option<Value>, ProblemKind> {
    if schema.missing_values.iter().any(|m| m == raw) {
        return if required || field.constraints.required {
            Err(ProblemKind::Required)
        } else {
            Ok(None)
        };
    }
    let value = field.field_type.read(raw).ok_or(ProblemKind::Type(field.field_type))?;
    let c = &field.constraints;
    if let Some(min) = &c.minimum
        && value.compare(min) == Some(Ordering::Less)
    {
        return Err(ProblemKind::Minimum(min.to_string()));
    }
    if let Some(max) = &c.maximum
        && value.compare(max) == Some(Ordering::Greater)
    {
        return Err(ProblemKind::Maximum(max.to_string()));
    }
    if let Some(allowed) = &c.allowed
        && !allowed.iter().any(|a| a.compare(&value) == Some(Ordering::Equal))
    {
        return Err(ProblemKind::Enum(listed(allowed)));
    }
    if let Some(pattern) = &c.pattern
        && !pattern.matches(raw)
    {
        return Err(ProblemKind::Pattern(pattern.source.clone()));
    }
    Ok(Some(value))
}

/// Checks the whole table; every problem, or every row.
pub fn check(schema: &Schema, table: RawTable) -> Result<Vec<CheckedRow>, Vec<Problem>> {
    let mut checker = Checker::new(schema, &table.header)?;
    let rows = table.rows.into_iter().filter_map(|row| checker.row(row)).collect();
    checker.finish().map(|_| rows)
}

/// Checks a file a row at a time, after its header: the rows are handed on
/// as they are accepted, and the problems kept for the end, so that a large
/// file is checked and stored without being held whole (issue 17).
pub struct Checker<'s> {
    schema: &'s Schema,
    /// Each field's column.
    columns: Vec<usize>,
    width: usize,
    problems: Vec<Problem>,
    /// The primary key of each row seen, and its line.
    keys: HashMap<Vec<String>, u64>,
    rows: usize,
}

impl<'s> Checker<'s> {
    /// Checks the header: each field has one column, each column a field.
    pub fn new(schema: &'s Schema, header: &[String]) -> Result<Self, Vec<Problem>> {
        Ok(Self {
            columns: self::header(schema, header)?,
            schema,
            width: header.len(),
            problems: Vec::new(),
            keys: HashMap::new(),
            rows: 0,
        })
    }

    /// Checks a row, freeing its cells: the row as stored, or nothing once any
    /// row had a problem (the file will be refused, nothing more is worth storing).
    pub fn row(&mut self, row: RawRow) -> Option<CheckedRow> {
        let schema = self.schema;
        self.rows += 1;
        if row.cells.len() > self.width {
            self.problems.push(Problem::new(row.line, "", ProblemKind::ExtraCells));
        }
        let mut values = serde_json::Map::new();
        let mut key = Vec::with_capacity(schema.primary_key.len());
        let mut row_ok = true;
        for (field, &column) in schema.fields.iter().zip(&self.columns) {
            let raw = row.cells.get(column).map_or("", String::as_str);
            // The specification: primary-key fields are required.
            let in_key = schema.primary_key.contains(&field.name);
            match cell(schema, field, raw, in_key) {
                Ok(value) => {
                    if in_key {
                        key.push(value.as_ref().map(ToString::to_string).unwrap_or_default());
                    }
                    values.insert(
                        field.name.clone(),
                        value.map_or(serde_json::Value::Null, |v| v.to_json()),
                    );
                }
                Err(kind) => {
                    row_ok = false;
                    self.problems.push(Problem::new(row.line, field.name.clone(), kind));
                }
            }
        }
        if row_ok && !schema.primary_key.is_empty() {
            if let Some(first) = self.keys.get(&key) {
                self.problems.push(Problem::new(
                    row.line,
                    schema.primary_key.join(", "),
                    ProblemKind::DuplicateKey(*first),
                ));
            } else {
                self.keys.insert(key, row.line);
            }
        }
        self.problems.is_empty().then(|| CheckedRow {
            line: row.line,
            json: serde_json::Value::Object(values).to_string(),
        })
    }

    /// Every problem found, or how many rows were accepted (at least one).
    pub fn finish(self) -> Result<usize, Vec<Problem>> {
        if !self.problems.is_empty() {
            Err(self.problems)
        } else if self.rows == 0 {
            Err(vec![Problem::new(2, "", ProblemKind::NoRows)])
        } else {
            Ok(self.rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::read_csv;
    use crate::import::value::FieldType;

    const SCHEMA: &str = r#"{
      "fields": [
        {"name": "year", "type": "year", "constraints": {"required": true, "minimum": 2015, "maximum": 2030}},
        {"name": "form", "type": "string", "constraints": {"required": true, "enum": ["sexual", "labour", "begging"]}},
        {"name": "departement", "type": "string", "constraints": {"pattern": "[0-9]{2}|2[AB]|97[1-6]"}},
        {"name": "victims", "type": "integer", "constraints": {"required": true, "minimum": 0}},
        {"name": "share", "type": "number", "constraints": {"maximum": 1}},
        {"name": "since", "type": "date", "constraints": {"minimum": "2015-01-01"}},
        {"name": "minor", "type": "boolean"}
      ],
      "missingValues": ["", "NA"],
      "primaryKey": ["year", "form", "departement"]
    }"#;

    fn run(csv: &str) -> Result<Vec<CheckedRow>, Vec<(u64, String, ProblemKind)>> {
        let schema = Schema::parse(SCHEMA).unwrap();
        check(&schema, read_csv(csv).unwrap())
            .map_err(|ps| ps.into_iter().map(|p| (p.line, p.column, p.kind)).collect())
    }

    const HEADER: &str = "year,form,departement,victims,share,since,minor";

    #[test]
    fn good_rows_are_typed_values() {
        let rows = run(&format!(
            "{HEADER}\n2024,sexual,93,12,0.5,2024-01-31,false\n2024,labour,2A,0,NA,,1\n"
        ))
        .unwrap();
        assert_eq!(rows.len(), 2);
        let stored: serde_json::Value = serde_json::from_str(&rows[0].json).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({"year": 2024, "form": "sexual", "departement": "93", "victims": 12,
                "share": 0.5, "since": "2024-01-31", "minor": false})
        );
        let second: serde_json::Value = serde_json::from_str(&rows[1].json).unwrap();
        assert_eq!(second["share"], serde_json::Value::Null);
        assert_eq!(second["minor"], serde_json::Value::Bool(true));
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn the_header_is_checked_first() {
        let problems = run("year,form,form,victims,share,since,minor,extra\n2024,x\n").unwrap_err();
        assert_eq!(
            problems,
            vec![
                (1, "form".into(), ProblemKind::DuplicateColumn),
                (1, "extra".into(), ProblemKind::UnknownColumn),
                (1, "departement".into(), ProblemKind::MissingColumn),
            ]
        );
        // Columns may come in any order.
        assert!(run("minor,since,share,victims,departement,form,year\n,,,3,75,begging,2020\n").is_ok());
        assert_eq!(
            run(&format!("{HEADER}\n")).unwrap_err(),
            vec![(2, String::new(), ProblemKind::NoRows)]
        );
    }

    #[test]
    fn every_constraint_names_its_cell() {
        let problems = run(&format!(
            "{HEADER}\n\
             2014,sexual,93,1,,,\n\
             2031,sexual,93,1,,,\n\
             2024,domestic,93,1,,,\n\
             2024,sexual,930,1,,,\n\
             2024,sexual,93,-1,,,\n\
             2024,sexual,94,1.5,,,\n\
             2024,sexual,95,NA,,,\n\
             2024,sexual,96,1,1.2,,\n\
             2024,sexual,97,1,,2014-12-31,\n\
             2024,sexual,98,1,,,oui\n\
             2024,sexual,99,1,,31/01/2024,\n\
             2024,sexual,01,1,,,,surplus\n"
        ))
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                (2, "year".into(), ProblemKind::Minimum("2015".into())),
                (3, "year".into(), ProblemKind::Maximum("2030".into())),
                (4, "form".into(), ProblemKind::Enum("sexual, labour, begging".into())),
                (
                    5,
                    "departement".into(),
                    ProblemKind::Pattern("[0-9]{2}|2[AB]|97[1-6]".into())
                ),
                (6, "victims".into(), ProblemKind::Minimum("0".into())),
                (7, "victims".into(), ProblemKind::Type(FieldType::Integer)),
                (8, "victims".into(), ProblemKind::Required),
                (9, "share".into(), ProblemKind::Maximum("1".into())),
                (10, "since".into(), ProblemKind::Minimum("2015-01-01".into())),
                (11, "minor".into(), ProblemKind::Type(FieldType::Boolean)),
                (12, "since".into(), ProblemKind::Type(FieldType::Date)),
                (13, String::new(), ProblemKind::ExtraCells),
            ]
        );
    }

    #[test]
    fn the_primary_key_is_unique_and_required() {
        let problems = run(&format!(
            "{HEADER}\n2024,sexual,93,1,,,\n2024,labour,93,1,,,\n2024,sexual,93,2,,,\n2024,sexual,,2,,,\n"
        ))
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                (4, "year, form, departement".into(), ProblemKind::DuplicateKey(2)),
                (5, "departement".into(), ProblemKind::Required),
            ]
        );
    }

    #[test]
    fn one_wrong_cell_refuses_every_row() {
        let result = run(&format!(
            "{HEADER}\n2024,sexual,93,1,,,\n2024,labour,93,x,,,\n2024,begging,93,4,,,\n"
        ));
        assert_eq!(
            result.unwrap_err().len(),
            1,
            "only the wrong cell is named, and no row is returned"
        );
    }

    #[test]
    fn a_file_read_as_it_goes_hands_on_rows_until_its_first_problem() {
        let schema = Schema::parse(SCHEMA).unwrap();
        let csv = format!(
            "{HEADER}\n2024,sexual,93,1,,,\n\n2024,labour,93,x,,,\n2024,begging,93,4,,,\n2024,begging,93,5,,,\n"
        );
        let mut rows = crate::import::table::rows(csv.as_bytes()).unwrap();
        let mut checker = Checker::new(&schema, &rows.header).unwrap();
        let handed: Vec<u64> = rows
            .by_ref()
            .filter_map(|row| checker.row(row.unwrap()))
            .map(|row| row.line)
            .collect();
        assert_eq!(handed, vec![2], "the rows after a problem are not worth storing");
        let problems = checker.finish().unwrap_err();
        assert_eq!(
            problems.iter().map(|p| (p.line, p.kind.clone())).collect::<Vec<_>>(),
            vec![
                (4, ProblemKind::Type(FieldType::Integer)),
                (6, ProblemKind::DuplicateKey(5))
            ],
            "every problem is still found, with its line (blank lines counted)"
        );
        let mut empty = crate::import::table::rows(HEADER.as_bytes()).unwrap();
        let checker = Checker::new(&schema, &empty.header).unwrap();
        assert!(empty.next().is_none());
        assert_eq!(checker.finish().unwrap_err()[0].kind, ProblemKind::NoRows);
    }
}
