//! Imports of a source's files, checked against the source's Table Schema
//! descriptor before anything is stored (ADR 0031). Pure: no database here;
//! `crate::sources` stores what this module accepts.

pub mod check;
pub mod problem;
pub mod schema;
pub mod table;
pub mod value;

pub use check::CheckedRow;
pub use problem::{Problem, ProblemKind};
pub use schema::{Schema, SchemaProblem};

use sha2::{Digest, Sha256};

/// The SHA-256 of a file, in hexadecimal: the version's provenance.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads and checks a file against a schema: every row, or every problem.
pub fn prepare(schema: &Schema, bytes: &[u8]) -> Result<Vec<CheckedRow>, Vec<Problem>> {
    let table = table::read(bytes).map_err(|p| vec![p])?;
    check::check(schema, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_checked_and_digested() {
        let schema = Schema::parse(r#"{"fields":[{"name":"n","type":"integer"}]}"#).unwrap();
        assert_eq!(prepare(&schema, b"n\n1\n2\n").unwrap().len(), 2);
        let problems = prepare(&schema, b"n\n1\nx\n").unwrap_err();
        assert_eq!(problems[0].to_string(), "line 3, n: expected a value of type integer");
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
