//! A source's next version written a chunk of rows at a time as its file is
//! checked, so that an import of a million lines holds a chunk, not the file's
//! rows (issue 17). All in the caller's transaction: a file refused halfway
//! is dropped with it, and nothing was stored.

use super::{EventKind, count, find, new_id, record_event, user};
use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::source::SourceCode;

/// Rows per INSERT statement (well under every backend's limit of bound values).
const ROWS_PER_STATEMENT: usize = 100;

/// What a version says of its file, besides its rows.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub note: &'a str,
    /// The descriptor the rows were checked against.
    pub schema_json: &'a str,
}

/// A version being written: [`VersionWriter::push`] each accepted row, then
/// [`VersionWriter::finish`] makes it the source's current version.
pub struct VersionWriter {
    id: String,
    source_id: String,
    number: i64,
    code: String,
    rows: usize,
    /// Each row's line in the file and its values as a JSON object, not yet inserted.
    pending: Vec<(u64, String)>,
}

/// Starts the source's next version.
pub async fn start(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    code: &SourceCode,
    new: &NewVersion<'_>,
) -> Result<VersionWriter> {
    start_as_system(tx, code, new).await
}

/// [`start`] for the command line, the daily refreshes and the demo data.
pub async fn start_as_system(tx: &mut Tx, code: &SourceCode, new: &NewVersion<'_>) -> Result<VersionWriter> {
    let source = find(tx, code).await?;
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(number) FROM observatory_versions WHERE source_id = $1")
        .bind(source.id.clone())
        .fetch_one(tx.conn())
        .await?;
    let number = last.unwrap_or(0) + 1;
    let id = new_id();
    // The row count is known at the end: `finish` writes it.
    sqlx::query(
        "INSERT INTO observatory_versions (id, source_id, number, file_name, sha256, row_count, note, schema_json, \
         imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9)",
    )
    .bind(id.clone())
    .bind(source.id.clone())
    .bind(number)
    .bind(new.file_name)
    .bind(new.sha256)
    .bind(new.note)
    .bind(new.schema_json)
    .bind(tx.now().0)
    .bind(user(tx))
    .execute(tx.conn())
    .await?;
    Ok(VersionWriter {
        id,
        source_id: source.id,
        number,
        code: code.as_str().to_owned(),
        rows: 0,
        pending: Vec::with_capacity(ROWS_PER_STATEMENT),
    })
}

impl VersionWriter {
    /// Adds a row: its line in the file and its values as a JSON object.
    pub async fn push(&mut self, tx: &mut Tx, line: u64, data: String) -> Result<()> {
        self.pending.push((line, data));
        self.rows += 1;
        if self.pending.len() >= ROWS_PER_STATEMENT {
            self.flush(tx).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Tx) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let values: Vec<String> = (0..self.pending.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO observatory_rows (version_id, line, data) VALUES {}",
            values.join(", ")
        );
        let mut insert = sqlx::query(&sql);
        for (line, data) in self.pending.drain(..) {
            insert = insert
                .bind(self.id.clone())
                .bind(i64::try_from(line).map_err(|_| StoreError::Corrupt("line"))?)
                .bind(data);
        }
        insert.execute(tx.conn()).await?;
        Ok(())
    }

    /// Stores the last rows and makes the version current (it supersedes the
    /// one before); returns its number.
    pub async fn finish(mut self, tx: &mut Tx) -> Result<u32> {
        self.flush(tx).await?;
        let rows = i64::try_from(self.rows).map_err(|_| StoreError::Corrupt("row count"))?;
        sqlx::query("UPDATE observatory_versions SET row_count = $1 WHERE id = $2")
            .bind(rows)
            .bind(self.id.clone())
            .execute(tx.conn())
            .await?;
        record_event(tx, &self.source_id, &self.id, EventKind::Import).await?;
        tx.audit(
            Action::ObservatoryImport,
            Object::ObservatoryVersion,
            Some(&self.id),
            Some(&format!("{}:{}:{rows}", self.code, self.number)),
        )
        .await?;
        count(self.number)
    }
}
