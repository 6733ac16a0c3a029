//! A source whose file Relais writes itself (the NRM's referrals, the
//! associations' survey): created with its definitions the first time, then
//! each refresh imports the written file through the same checks as any
//! upload, as the next version — or nothing when it has not changed.

use crate::import::{self, Schema};
use crate::sources::{self, ImportError, Importer, Upload};
use relais_domain::observatory::source::{RawDefinition, SourceCode};
use relais_store::Tx;
use relais_store::observatory as store;

/// What a refresh did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refreshed {
    /// A new version with this many rows.
    Imported { number: u32, rows: usize },
    /// The file is the current version's.
    Unchanged,
}

/// A source and the file just written for it.
pub struct Written<'a> {
    pub code: &'static str,
    pub definition: RawDefinition,
    pub schema: String,
    pub file: &'a str,
    pub file_name: &'a str,
    pub note: &'a str,
}

/// Imports `written.file` as the source's next version unless it is the
/// current one, creating the source first if needed; the caller commits.
pub async fn refresh(tx: &mut Tx, written: &Written<'_>) -> Result<Refreshed, ImportError> {
    let code = SourceCode::parse(written.code).ok_or(ImportError::Schema)?;
    if !exists(tx, &code).await? {
        let definition = written.definition.check().map_err(|_| ImportError::Schema)?;
        Schema::parse(&written.schema).map_err(|_| ImportError::Schema)?;
        store::create_source_as_system(tx, &definition, &written.schema).await?;
    }
    if store::nrm::current_sha256(tx, written.code).await? == Some(import::sha256(written.file.as_bytes())) {
        return Ok(Refreshed::Unchanged);
    }
    let upload = Upload {
        file_name: written.file_name,
        bytes: written.file.as_bytes(),
        note: written.note,
    };
    let imported = sources::import(tx, Importer::System, &code, &upload).await?;
    Ok(Refreshed::Imported {
        number: imported.number,
        rows: imported.rows,
    })
}

async fn exists(tx: &mut Tx, code: &SourceCode) -> Result<bool, ImportError> {
    match store::source_as_system(tx, code).await {
        Ok(_) => Ok(true),
        Err(relais_store::StoreError::NotFound) => Ok(false),
        Err(other) => Err(other.into()),
    }
}
