//! Indicator catalogue versions in the database: the shipped files loaded at
//! start, and new versions imported by an administrator.

use crate::audit::{Action, Object};
use crate::crypto::digest;
use crate::{Actor, Result, Store, StoreError, Tx};
use relais_domain::access::authz::{ManageCatalogues, Privileged};
use relais_domain::intake::catalogue::{Catalogue, CatalogueErrors, shipped};
use relais_domain::time::Timestamp;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueVersion {
    pub id: String,
    pub version: i64,
    pub title_fr: String,
    pub title_en: String,
    pub sha256: String,
    pub shipped: bool,
    pub imported_at: Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Invalid(CatalogueErrors),
    #[error("version {version} of `{id}` is already imported; a changed catalogue needs a new version number")]
    AlreadyImported { id: String, version: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn exists(conn: &mut sqlx::AnyConnection, id: &str, version: i64) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT version FROM catalogues WHERE id = $1 AND version = $2")
        .bind(id.to_owned())
        .bind(version)
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

async fn insert(tx: &mut Tx, text: &str, shipped: bool) -> Result<CatalogueVersion, ImportError> {
    let catalogue = Catalogue::parse(text).map_err(ImportError::Invalid)?;
    let id = catalogue.id().as_str().to_owned();
    let version = i64::from(catalogue.version().get());
    if exists(tx.conn(), &id, version).await? {
        return Err(ImportError::AlreadyImported { id, version });
    }
    let row = CatalogueVersion {
        title_fr: catalogue.title().fr.clone(),
        title_en: catalogue.title().en.clone(),
        sha256: digest(text),
        shipped,
        imported_at: tx.now(),
        id,
        version,
    };
    sqlx::query(
        "INSERT INTO catalogues (id, version, title_fr, title_en, source_text, sha256, shipped, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(row.id.clone())
    .bind(row.version)
    .bind(row.title_fr.clone())
    .bind(row.title_en.clone())
    .bind(text.to_owned())
    .bind(row.sha256.clone())
    .bind(i64::from(shipped))
    .bind(row.imported_at.0)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::on_unique(e, "catalogue version exists"))?;
    let object = format!("{}@{}", row.id, row.version);
    tx.audit(Action::CatalogueImport, Object::Catalogue, Some(&object), None)
        .await?;
    Ok(row)
}

/// Imports a new catalogue version (YAML or JSON). Existing versions are never replaced.
pub async fn import(
    tx: &mut Tx,
    _can: &Privileged<ManageCatalogues>,
    text: &str,
) -> Result<CatalogueVersion, ImportError> {
    insert(tx, text, false).await
}

/// Imports a version from the command line, with the system as actor.
pub async fn import_as_system(tx: &mut Tx, text: &str) -> Result<CatalogueVersion, ImportError> {
    insert(tx, text, false).await
}

/// Loads the catalogue files shipped in the binary that the database does
/// not have yet. Returns how many were loaded.
pub async fn load_shipped(store: &Store, now: Timestamp) -> Result<usize, ImportError> {
    let mut loaded = 0;
    for file in shipped::ALL {
        let mut conn = store.pool().acquire().await.map_err(StoreError::from)?;
        if exists(&mut conn, file.id, i64::from(file.version)).await? {
            continue;
        }
        drop(conn);
        let mut tx = store.begin(Actor::system(), "load-shipped-catalogues", now).await?;
        match insert(&mut tx, file.text, true).await {
            // Another process loaded it meanwhile.
            Err(ImportError::AlreadyImported { .. }) | Err(ImportError::Store(StoreError::Conflict(_))) => continue,
            other => other?,
        };
        tx.commit().await?;
        loaded += 1;
    }
    Ok(loaded)
}

type Row = (String, i64, String, String, String, i64, i64);

fn from_row((id, version, title_fr, title_en, sha256, shipped, at): Row) -> CatalogueVersion {
    CatalogueVersion {
        id,
        version,
        title_fr,
        title_en,
        sha256,
        shipped: shipped != 0,
        imported_at: Timestamp(at),
    }
}

/// Every version, grouped by catalogue, newest version first. Not personal data.
pub async fn list(store: &Store) -> Result<Vec<CatalogueVersion>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, version, title_fr, title_en, sha256, shipped, imported_at FROM catalogues ORDER BY id, version DESC",
    )
    .fetch_all(store.pool())
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// The versions a process has parsed, by catalogue and version.
#[derive(Clone, Default)]
pub(crate) struct Parsed(Arc<Mutex<ByVersion>>);

type ByVersion = HashMap<(String, i64), Arc<Catalogue>>;

impl Parsed {
    fn get(&self, id: &str, version: i64) -> Option<Arc<Catalogue>> {
        let parsed = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        parsed.get(&(id.to_owned(), version)).cloned()
    }

    fn keep(&self, id: &str, version: i64, catalogue: Arc<Catalogue>) {
        let mut parsed = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        parsed.insert((id.to_owned(), version), catalogue);
    }
}

/// One version, parsed (once per process: a version never changes).
pub async fn get(store: &Store, id: &str, version: i64) -> Result<Arc<Catalogue>> {
    if let Some(catalogue) = store.parsed_catalogues.get(id, version) {
        return Ok(catalogue);
    }
    let row: Option<(String,)> = sqlx::query_as("SELECT source_text FROM catalogues WHERE id = $1 AND version = $2")
        .bind(id.to_owned())
        .bind(version)
        .fetch_optional(store.pool())
        .await?;
    let (text,) = row.ok_or(StoreError::NotFound)?;
    let catalogue =
        Arc::new(Catalogue::parse(&text).map_err(|_| StoreError::Corrupt("stored catalogue no longer parses"))?);
    store.parsed_catalogues.keep(id, version, Arc::clone(&catalogue));
    Ok(catalogue)
}
