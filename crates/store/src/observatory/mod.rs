//! The observatory's sources and their versions (issue 14; ADR 0031). A
//! source's definitions and its Table Schema descriptor; each import a
//! version with its provenance and its rows (JSON objects, read back by
//! version); which version is current, and every change of it (an import
//! supersedes, a restoration brings an earlier version back) with who and
//! when. The descriptor and the rows are checked by `relais-observatory`
//! before they reach this module. Rows of a `records` source are
//! pseudonymised personal data: read and written only in audited
//! transactions, never logged.

use strum::EnumCount;
pub mod estimates;
pub mod exports;
pub mod library;
pub mod linkage;
pub mod new_version;
pub mod nrm;
pub mod release;
pub mod survey;
pub mod training;
pub mod work;

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::source::{DataKind, Definition, SourceCode, Unit};
use relais_domain::time::Timestamp;

/// The current version of a source, in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub number: u32,
    pub imported_at: Timestamp,
    pub row_count: u64,
}

/// A source with its definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    pub definition: Definition,
    pub schema_json: String,
    pub current: Option<Current>,
    pub updated_at: Timestamp,
}

/// One import of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: String,
    pub number: u32,
    pub file_name: String,
    pub sha256: String,
    pub row_count: u64,
    pub note: String,
    pub imported_at: Timestamp,
    /// The importer's display name; `None` from the command line.
    pub imported_by: Option<String>,
    pub current: bool,
}

/// What made a version current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum EventKind {
    Import,
    Restore,
}

impl EventKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Import, Self::Restore];

    pub fn key(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Restore => "restore",
        }
    }
}

/// A version made current: by an import or a restoration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub number: u32,
    pub kind: EventKind,
    pub at: Timestamp,
    pub by: Option<String>,
}

fn new_id() -> String {
    crate::record_id_hex()
}

fn user(tx: &Tx) -> Option<String> {
    tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned())
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: String,
    code: String,
    name: String,
    producer: String,
    unit: String,
    data_kind: String,
    counting_rule: String,
    period: String,
    territory: String,
    contact: String,
    quality_notes: String,
    schema_json: String,
    updated_at: i64,
    number: Option<i64>,
    imported_at: Option<i64>,
    row_count: Option<i64>,
}

const SOURCE_SQL: &str = "SELECT s.id, s.code, s.name, s.producer, s.unit, s.data_kind, s.counting_rule, s.period, \
     s.territory, s.contact, s.quality_notes, s.schema_json, s.updated_at, v.number, v.imported_at, v.row_count \
     FROM observatory_sources s LEFT JOIN observatory_versions v ON v.id = s.current_version_id";

fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt("observatory version number"))
}

fn from_row(row: SourceRow) -> Result<Source> {
    let corrupt = |what| StoreError::Corrupt(what);
    let current = match (row.number, row.imported_at, row.row_count) {
        (Some(number), Some(at), Some(rows)) => Some(Current {
            number: count(number)?,
            imported_at: Timestamp(at),
            row_count: u64::try_from(rows).map_err(|_| corrupt("observatory row count"))?,
        }),
        _ => None,
    };
    Ok(Source {
        id: row.id,
        definition: Definition {
            code: SourceCode::parse(&row.code).ok_or(corrupt("observatory source code"))?,
            name: row.name,
            producer: row.producer,
            unit: Unit::parse(&row.unit).ok_or(corrupt("observatory unit"))?,
            data_kind: DataKind::parse(&row.data_kind).ok_or(corrupt("observatory data kind"))?,
            counting_rule: row.counting_rule,
            period: row.period,
            territory: row.territory,
            contact: row.contact,
            quality_notes: row.quality_notes,
        },
        schema_json: row.schema_json,
        current,
        updated_at: Timestamp(row.updated_at),
    })
}

/// Every source with its current version, by name.
pub async fn sources(tx: &mut Tx, _can: &Capability<ManageObservatory>) -> Result<Vec<Source>> {
    let rows: Vec<SourceRow> = sqlx::query_as(&format!("{SOURCE_SQL} ORDER BY s.name, s.code"))
        .fetch_all(tx.conn())
        .await?;
    tx.audit(Action::ObservatorySourcesRead, Object::ObservatorySource, None, None)
        .await?;
    rows.into_iter().map(from_row).collect()
}

async fn find(tx: &mut Tx, code: &SourceCode) -> Result<Source> {
    let row: Option<SourceRow> = sqlx::query_as(&format!("{SOURCE_SQL} WHERE s.code = $1"))
        .bind(code.as_str())
        .fetch_optional(tx.conn())
        .await?;
    from_row(row.ok_or(StoreError::NotFound)?)
}

/// One source with its definitions and descriptor.
pub async fn source(tx: &mut Tx, _can: &Capability<ManageObservatory>, code: &SourceCode) -> Result<Source> {
    let source = find(tx, code).await?;
    tx.audit(
        Action::ObservatorySourceRead,
        Object::ObservatorySource,
        Some(&source.id),
        None,
    )
    .await?;
    Ok(source)
}

/// [`source`] for the command line.
pub async fn source_as_system(tx: &mut Tx, code: &SourceCode) -> Result<Source> {
    let source = find(tx, code).await?;
    tx.audit(
        Action::ObservatorySourceRead,
        Object::ObservatorySource,
        Some(&source.id),
        None,
    )
    .await?;
    Ok(source)
}

/// Adds a source; its descriptor was checked by the caller.
pub async fn create_source(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    definition: &Definition,
    schema_json: &str,
) -> Result<()> {
    create_source_as_system(tx, definition, schema_json).await
}

/// [`create_source`] for the demo data and the command line.
pub async fn create_source_as_system(tx: &mut Tx, definition: &Definition, schema_json: &str) -> Result<()> {
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM observatory_sources WHERE code = $1")
        .bind(definition.code.as_str())
        .fetch_optional(tx.conn())
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict("a source has this code"));
    }
    let id = new_id();
    let d = definition;
    sqlx::query(
        "INSERT INTO observatory_sources (id, code, name, producer, unit, data_kind, counting_rule, period, \
         territory, contact, quality_notes, schema_json, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)",
    )
    .bind(id.clone())
    .bind(d.code.as_str())
    .bind(d.name.clone())
    .bind(d.producer.clone())
    .bind(d.unit.key())
    .bind(d.data_kind.key())
    .bind(d.counting_rule.clone())
    .bind(d.period.clone())
    .bind(d.territory.clone())
    .bind(d.contact.clone())
    .bind(d.quality_notes.clone())
    .bind(schema_json)
    .bind(tx.now().0)
    .bind(user(tx))
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::ObservatorySourceCreate,
        Object::ObservatorySource,
        Some(&id),
        None,
    )
    .await
}

/// Changes a source's definitions and descriptor (its code stays: it is in
/// every link). Versions already imported keep the descriptor they were
/// checked against.
pub async fn update_source(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    definition: &Definition,
    schema_json: &str,
) -> Result<()> {
    let source = find(tx, &definition.code).await?;
    let d = definition;
    sqlx::query(
        "UPDATE observatory_sources SET name = $1, producer = $2, unit = $3, data_kind = $4, counting_rule = $5, \
         period = $6, territory = $7, contact = $8, quality_notes = $9, schema_json = $10, updated_at = $11, \
         updated_by = $12 WHERE id = $13",
    )
    .bind(d.name.clone())
    .bind(d.producer.clone())
    .bind(d.unit.key())
    .bind(d.data_kind.key())
    .bind(d.counting_rule.clone())
    .bind(d.period.clone())
    .bind(d.territory.clone())
    .bind(d.contact.clone())
    .bind(d.quality_notes.clone())
    .bind(schema_json)
    .bind(tx.now().0)
    .bind(user(tx))
    .bind(source.id.clone())
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::ObservatorySourceUpdate,
        Object::ObservatorySource,
        Some(&source.id),
        None,
    )
    .await
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    number: i64,
    file_name: String,
    sha256: String,
    row_count: i64,
    note: String,
    imported_at: i64,
    imported_by: Option<String>,
}

/// A source's versions (newest first) and the history of which was current
/// (newest first): three queries whatever their number.
pub async fn versions(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    code: &SourceCode,
) -> Result<(Vec<Version>, Vec<Event>)> {
    let source: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT id, current_version_id FROM observatory_sources WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(tx.conn())
            .await?;
    let (source_id, current) = source.ok_or(StoreError::NotFound)?;
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT v.id, v.number, v.file_name, v.sha256, v.row_count, v.note, v.imported_at, u.display_name AS imported_by \
         FROM observatory_versions v LEFT JOIN users u ON u.id = v.imported_by \
         WHERE v.source_id = $1 ORDER BY v.number DESC",
    )
    .bind(source_id.clone())
    .fetch_all(tx.conn())
    .await?;
    let versions = rows
        .into_iter()
        .map(|r| {
            Ok(Version {
                current: current.as_deref() == Some(r.id.as_str()),
                number: count(r.number)?,
                row_count: u64::try_from(r.row_count).map_err(|_| StoreError::Corrupt("observatory row count"))?,
                id: r.id,
                file_name: r.file_name,
                sha256: r.sha256,
                note: r.note,
                imported_at: Timestamp(r.imported_at),
                imported_by: r.imported_by,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let events: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT v.number, e.kind, e.at, u.display_name FROM observatory_version_events e \
         JOIN observatory_versions v ON v.id = e.version_id LEFT JOIN users u ON u.id = e.by_user \
         WHERE e.source_id = $1 ORDER BY e.at DESC, e.id DESC",
    )
    .bind(source_id.clone())
    .fetch_all(tx.conn())
    .await?;
    let events = events
        .into_iter()
        .map(|(number, kind, at, by)| {
            Ok(Event {
                number: count(number)?,
                kind: if kind == "restore" {
                    EventKind::Restore
                } else {
                    EventKind::Import
                },
                at: Timestamp(at),
                by,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    tx.audit(
        Action::ObservatoryVersionsRead,
        Object::ObservatorySource,
        Some(&source_id),
        None,
    )
    .await?;
    Ok((versions, events))
}

async fn record_event(tx: &mut Tx, source_id: &str, version_id: &str, kind: EventKind) -> Result<()> {
    sqlx::query(
        "INSERT INTO observatory_version_events (id, source_id, version_id, kind, at, by_user) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(source_id)
    .bind(version_id)
    .bind(kind.key())
    .bind(tx.now().0)
    .bind(user(tx))
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE observatory_sources SET current_version_id = $1 WHERE id = $2")
        .bind(version_id)
        .bind(source_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Makes an earlier version current again; the restoration is recorded.
pub async fn restore(tx: &mut Tx, _can: &Capability<ManageObservatory>, code: &SourceCode, number: u32) -> Result<()> {
    let source = find(tx, code).await?;
    let version: Option<(String,)> =
        sqlx::query_as("SELECT id FROM observatory_versions WHERE source_id = $1 AND number = $2")
            .bind(source.id.clone())
            .bind(i64::from(number))
            .fetch_optional(tx.conn())
            .await?;
    let (version_id,) = version.ok_or(StoreError::NotFound)?;
    if source.current.as_ref().is_some_and(|c| c.number == number) {
        return Err(StoreError::Conflict("this version is already the current one"));
    }
    record_event(tx, &source.id, &version_id, EventKind::Restore).await?;
    tx.audit(
        Action::ObservatoryRestore,
        Object::ObservatoryVersion,
        Some(&version_id),
        Some(&format!("{}:{number}", code.as_str())),
    )
    .await
}

/// A source's current version as a consolidation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRows {
    pub number: u32,
    /// The descriptor the rows were checked against (the source's may have changed since).
    pub schema_json: String,
    /// Each row's line in the file and its values as a JSON object, in file order.
    pub rows: Vec<(u64, String)>,
}

/// The rows of a source's current version, as stored: what a consolidation
/// reads, in three queries whatever their number. `None` before the first import.
pub async fn current_rows(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    code: &SourceCode,
) -> Result<Option<CurrentRows>> {
    read_current_rows(tx, code).await
}

/// [`current_rows`] for the command line, which runs as the system.
pub async fn current_rows_as_system(tx: &mut Tx, code: &SourceCode) -> Result<Option<CurrentRows>> {
    read_current_rows(tx, code).await
}

async fn read_current_rows(tx: &mut Tx, code: &SourceCode) -> Result<Option<CurrentRows>> {
    let source = find(tx, code).await?;
    let number = source.current.as_ref().map(|c| c.number);
    tx.audit(
        Action::ObservatoryRowsRead,
        Object::ObservatorySource,
        Some(&source.id),
        number.map(|n| n.to_string()).as_deref(),
    )
    .await?;
    let Some(number) = number else {
        return Ok(None);
    };
    let (schema_json,): (String,) = sqlx::query_as(
        "SELECT v.schema_json FROM observatory_versions v JOIN observatory_sources s ON s.current_version_id = v.id \
         WHERE s.id = $1",
    )
    .bind(source.id.clone())
    .fetch_one(tx.conn())
    .await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.line, r.data FROM observatory_rows r JOIN observatory_sources s ON s.current_version_id = r.version_id \
         WHERE s.id = $1 ORDER BY r.line",
    )
    .bind(source.id.clone())
    .fetch_all(tx.conn())
    .await?;
    let rows = rows
        .into_iter()
        .map(|(line, data)| Ok((u64::try_from(line).map_err(|_| StoreError::Corrupt("line"))?, data)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(CurrentRows {
        number,
        schema_json,
        rows,
    }))
}
