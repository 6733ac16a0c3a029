//! The observatory's releases (issue 14, part 7; ADR 0043): a draft holds
//! its frozen content (published figures only, written by
//! `relais-observatory`) and the checksum of its open-data file; publishing
//! gives it the next version of its year. Published releases are read
//! without login, outside any transaction with an actor: they hold nothing
//! that is not already public.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::release::{Act, Status};
use relais_domain::time::Timestamp;

/// A release, its content still as stored (JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub id: String,
    pub year: i32,
    pub version: Option<u32>,
    pub status: Status,
    pub title: String,
    pub note: String,
    pub content_json: String,
    pub sha256: String,
    pub created_at: Timestamp,
    /// When it was published or discarded.
    pub decided_at: Option<Timestamp>,
    /// A later version of the same year, once published.
    pub replaced_by: Option<u32>,
    /// The differential-privacy budget ε in hundredths; `None` for exact counts.
    pub epsilon_hundredths: Option<u32>,
}

/// What one table of a release spent of its privacy budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    pub source_code: String,
    pub dimension: String,
    pub epsilon_hundredths: u32,
    pub mechanism: String,
}

/// A release to store as a draft.
#[derive(Debug, Clone, Copy)]
pub struct NewRelease<'a> {
    pub year: i32,
    pub title: &'a str,
    pub note: &'a str,
    pub content_json: &'a str,
    pub sha256: &'a str,
    pub epsilon_hundredths: Option<u32>,
    /// One entry per table when the release is differentially private.
    pub spends: &'a [Spend],
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    id: String,
    year: i64,
    version: Option<i64>,
    status: String,
    title: String,
    note: String,
    content: String,
    sha256: String,
    created_at: i64,
    decided_at: Option<i64>,
    replaced_by: Option<i64>,
    epsilon_hundredths: Option<i64>,
}

/// The latest published version of the same year, when later than this one.
const COLUMNS: &str = "r.id, r.year, r.version, r.status, r.title, r.note, r.content, r.sha256, r.created_at, \
     r.decided_at, r.epsilon_hundredths, (SELECT MAX(l.version) FROM observatory_releases l \
     WHERE l.year = r.year AND l.status = 'published' AND l.version > r.version) AS replaced_by";

fn from_row(row: ReleaseRow) -> Result<Release> {
    let corrupt = |_| StoreError::Corrupt("observatory release");
    Ok(Release {
        id: row.id,
        year: i32::try_from(row.year).map_err(corrupt)?,
        version: row.version.map(u32::try_from).transpose().map_err(corrupt)?,
        status: Status::parse(&row.status).ok_or(StoreError::Corrupt("observatory release status"))?,
        title: row.title,
        note: row.note,
        content_json: row.content,
        sha256: row.sha256,
        created_at: Timestamp(row.created_at),
        decided_at: row.decided_at.map(Timestamp),
        replaced_by: row.replaced_by.map(u32::try_from).transpose().map_err(corrupt)?,
        epsilon_hundredths: row.epsilon_hundredths.map(u32::try_from).transpose().map_err(corrupt)?,
    })
}

/// Stores a frozen draft and its privacy ledger; its id. Refused when the tables spend more
/// than the release's budget, or spend without one.
pub async fn create(tx: &mut Tx, _can: &Capability<ManageObservatory>, new: &NewRelease<'_>) -> Result<String> {
    let spent: u64 = new.spends.iter().map(|s| u64::from(s.epsilon_hundredths)).sum();
    if spent > new.epsilon_hundredths.map_or(0, u64::from) {
        return Err(StoreError::Conflict(
            "the tables spend more than the release's privacy budget",
        ));
    }
    let id = crate::record_id_hex();
    let (now, by) = (tx.now().0, super::user(tx));
    sqlx::query(
        "INSERT INTO observatory_releases (id, year, version, status, title, note, content, sha256, created_at, created_by, \
         epsilon_hundredths) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(i64::from(new.year))
    .bind(Status::Draft.key())
    .bind(new.title)
    .bind(new.note)
    .bind(new.content_json)
    .bind(new.sha256)
    .bind(now)
    .bind(by)
    .bind(new.epsilon_hundredths.map(i64::from))
    .execute(tx.conn())
    .await?;
    for (position, spend) in (0i64..).zip(new.spends) {
        sqlx::query(
            "INSERT INTO observatory_privacy_ledger (release_id, position, source_code, dimension, epsilon_hundredths, \
             mechanism, spent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(position)
        .bind(&spend.source_code)
        .bind(&spend.dimension)
        .bind(i64::from(spend.epsilon_hundredths))
        .bind(&spend.mechanism)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    tx.audit(
        Action::ObservatoryReleaseCreate,
        Object::ObservatoryRelease,
        Some(&id),
        None,
    )
    .await?;
    Ok(id)
}

/// Every release, newest first: drafts, published and discarded.
pub async fn releases(tx: &mut Tx, _can: &Capability<ManageObservatory>) -> Result<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM observatory_releases r ORDER BY r.created_at DESC, r.id"
    ))
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::ObservatoryReleasesRead, Object::ObservatoryRelease, None, None)
        .await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn release(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<Release> {
    let row: Option<ReleaseRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM observatory_releases r WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
    let release = from_row(row.ok_or(StoreError::NotFound)?)?;
    tx.audit(
        Action::ObservatoryReleaseRead,
        Object::ObservatoryRelease,
        Some(id),
        None,
    )
    .await?;
    Ok(release)
}

/// The privacy ledger of a release, table by table (empty for exact counts). Read with the
/// release, whose reading is audited.
pub async fn ledger(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<Vec<Spend>> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT source_code, dimension, epsilon_hundredths, mechanism FROM observatory_privacy_ledger \
         WHERE release_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(source_code, dimension, hundredths, mechanism)| {
            Ok(Spend {
                source_code,
                dimension,
                epsilon_hundredths: u32::try_from(hundredths).map_err(|_| StoreError::Corrupt("privacy ledger"))?,
                mechanism,
            })
        })
        .collect()
}

/// Moves a release by `act`; refused unless its status allows it. Publishing
/// gives it the next version of its year. The new status and version.
pub async fn decide(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    id: &str,
    act: Act,
) -> Result<(Status, Option<u32>)> {
    let row: Option<(String, i64)> = sqlx::query_as("SELECT status, year FROM observatory_releases WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let (status, year) = row.ok_or(StoreError::NotFound)?;
    let status = Status::parse(&status).ok_or(StoreError::Corrupt("observatory release status"))?;
    let to = status.after(act).ok_or(StoreError::Conflict(
        "the release has already been published or discarded",
    ))?;
    let version = match to {
        Status::Published => {
            let (last,): (Option<i64>,) = sqlx::query_as(
                "SELECT MAX(version) FROM observatory_releases WHERE year = $1 AND status = 'published'",
            )
            .bind(year)
            .fetch_one(tx.conn())
            .await?;
            Some(last.unwrap_or(0) + 1)
        }
        Status::Draft | Status::Discarded => None,
    };
    let (now, by) = (tx.now().0, super::user(tx));
    sqlx::query(
        "UPDATE observatory_releases SET status = $1, version = $2, decided_at = $3, decided_by = $4 \
         WHERE id = $5 AND status = $6",
    )
    .bind(to.key())
    .bind(version)
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(status.key())
    .execute(tx.conn())
    .await?;
    let action = match act {
        Act::Publish => Action::ObservatoryReleasePublish,
        Act::Discard => Action::ObservatoryReleaseDiscard,
    };
    tx.audit(action, Object::ObservatoryRelease, Some(id), None).await?;
    let version = version
        .map(u32::try_from)
        .transpose()
        .map_err(|_| StoreError::Corrupt("observatory release version"))?;
    Ok((to, version))
}

/// The published releases, the latest year and version first: the public list.
pub async fn published(store: &Store) -> Result<Vec<Release>> {
    let rows: Vec<ReleaseRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM observatory_releases r WHERE r.status = 'published' ORDER BY r.year DESC, r.version DESC"
    ))
    .fetch_all(store.pool())
    .await?;
    rows.into_iter().map(from_row).collect()
}

/// One published release, by its year and version.
pub async fn published_release(store: &Store, year: i32, version: u32) -> Result<Release> {
    let row: Option<ReleaseRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM observatory_releases r WHERE r.status = 'published' AND r.year = $1 AND r.version = $2"
    ))
    .bind(i64::from(year))
    .bind(i64::from(version))
    .fetch_optional(store.pool())
    .await?;
    from_row(row.ok_or(StoreError::NotFound)?)
}
