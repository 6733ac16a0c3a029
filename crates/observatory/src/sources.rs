//! Importing a file into a source: read the source's descriptor, check the
//! file against it, store the rows as the source's next version — or store
//! nothing and name every wrong cell.

use crate::import::{self, Problem, Schema};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::source::SourceCode;
use relais_store::observatory::{self as store, NewVersion};
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
    let checked = import::prepare(&schema, upload.bytes).map_err(ImportError::Invalid)?;
    let rows: Vec<(u64, String)> = checked.into_iter().map(|r| (r.line, r.json)).collect();
    let sha256 = import::sha256(upload.bytes);
    let new = NewVersion {
        file_name: upload.file_name,
        sha256: &sha256,
        note: upload.note.trim(),
        schema_json: &source.schema_json,
        rows: &rows,
    };
    let number = match importer {
        Importer::Analyst(can) => store::add_version(tx, can, code, &new).await?,
        Importer::System => store::add_version_as_system(tx, code, &new).await?,
    };
    Ok(Imported {
        number,
        rows: rows.len(),
    })
}
