//! Importing a file into a source: read the source's descriptor, check the
//! file against it, store the rows as the source's next version — or store
//! nothing and name every wrong cell.

use crate::import::{self, Problem, Schema, check::Checker};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::source::SourceCode;
use relais_store::observatory as store;
use relais_store::observatory::new_version::{self, NewVersion};
use relais_store::{StoreError, Tx};

/// Who imports: an analyst with the permission, or the command line.
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    Analyst(&'a Capability<ManageObservatory>),
    System,
}

/// A file as received.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub note: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Nothing was imported: every problem of the file.
    #[error("{} problem(s) in the file", .0.len())]
    Invalid(Vec<Problem>),
    /// The stored descriptor no longer reads (it is checked when saved).
    #[error("the source's schema cannot be read")]
    Schema,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The imported version's number and row count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub number: u32,
    pub rows: usize,
}

/// Checks `upload` against the source's descriptor and stores it as the
/// source's next version in `tx`; the caller commits. All or nothing.
pub async fn import(
    tx: &mut Tx,
    importer: Importer<'_>,
    code: &SourceCode,
    upload: &Upload<'_>,
) -> Result<Imported, ImportError> {
    let source = match importer {
        Importer::Analyst(can) => store::source(tx, can, code).await?,
        Importer::System => store::source_as_system(tx, code).await?,
    };
    let schema = Schema::parse(&source.schema_json).map_err(|_| ImportError::Schema)?;
    let mut rows = import::table::rows(upload.bytes).map_err(|problem| ImportError::Invalid(vec![problem]))?;
    let mut checker = Checker::new(&schema, &rows.header).map_err(ImportError::Invalid)?;
    let sha256 = import::sha256(upload.bytes);
    let new = NewVersion {
        file_name: upload.file_name,
        sha256: &sha256,
        note: upload.note.trim(),
        schema_json: &source.schema_json,
    };
    // Each accepted row is stored as it is checked; a refused file leaves its
    // rows in a transaction the caller drops.
    let mut version = match importer {
        Importer::Analyst(can) => new_version::start(tx, can, code, &new).await?,
        Importer::System => new_version::start_as_system(tx, code, &new).await?,
    };
    for row in rows.by_ref() {
        let row = row.map_err(|problem| ImportError::Invalid(vec![problem]))?;
        if let Some(checked) = checker.row(row) {
            version.push(tx, checked.line, checked.json).await?;
        }
    }
    let accepted = checker.finish().map_err(ImportError::Invalid)?;
    let number = version.finish(tx).await?;
    Ok(Imported { number, rows: accepted })
}
