//! The observatory's library (issue 14, part 8; ADR 0044): entries with
//! their audience, an entry's PDF kept apart, and every change of state as
//! an event. The analyst's reads and writes are audited; the public list and
//! a published entry's file are read without the audit lock, like the
//! site's other public pages: they are published material, about no one.

use crate::audit::{Action, Object};
use crate::{Result, Store, StoreError, Tx};
use base64::Engine;
use relais_domain::access::authz::{Capability, ManageObservatory};
use relais_domain::observatory::library::{self, Content, Entry, Event, HttpsLink, State, StudyKind};
use relais_domain::observatory::training::Profession;
use relais_domain::time::{Date, Timestamp};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// How many entries a page of a list holds.
pub const PAGE_SIZE: usize = 20;

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub id: String,
    pub entry: Entry,
    pub state: State,
    /// The PDF's size in bytes, when the entry is a file.
    pub file_size: Option<u64>,
    pub updated_at: Timestamp,
}

/// A change of an entry's state, with who (a display name) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryEvent {
    /// `create`, or an [`Event`]'s key.
    pub event: String,
    pub at: Timestamp,
    pub by: Option<String>,
    pub reason: String,
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub kind: Option<StudyKind>,
    pub audience: Option<Profession>,
    /// The keyset cursor: entries after this (publication day, id) in list
    /// order (newest first).
    pub after: Option<(Date, String)>,
}

/// One page of a list, and the cursor of the next one if there is more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub entries: Vec<StoredEntry>,
    pub next: Option<(Date, String)>,
}

fn new_id() -> String {
    crate::record_id_hex()
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    title: String,
    producer: String,
    published_on: String,
    kind: String,
    summary: String,
    link: Option<String>,
    state: String,
    updated_at: i64,
    file_name: Option<String>,
    size_bytes: Option<i64>,
}

const COLUMNS: &str = "e.id, e.title, e.producer, e.published_on, e.kind, e.summary, e.link, e.state, e.updated_at, \
     f.file_name, f.size_bytes FROM library_entries e LEFT JOIN library_files f ON f.entry_id = e.id";

fn to_entry(row: Row, audience: Vec<Profession>) -> Result<StoredEntry> {
    let corrupt = StoreError::Corrupt;
    let content = match (row.link, row.file_name) {
        (Some(link), None) => Content::Link(HttpsLink::parse(&link).ok_or(corrupt("library link"))?),
        (None, Some(file_name)) => Content::Pdf { file_name },
        _ => return Err(corrupt("library content")),
    };
    Ok(StoredEntry {
        entry: Entry {
            title: row.title,
            producer: row.producer,
            published_on: Date::parse(&row.published_on).ok_or(corrupt("library date"))?,
            kind: StudyKind::parse(&row.kind).ok_or(corrupt("library kind"))?,
            audience,
            summary: row.summary,
            content,
        },
        state: State::parse(&row.state).ok_or(corrupt("library state"))?,
        file_size: row
            .size_bytes
            .map(|n| u64::try_from(n).map_err(|_| corrupt("library file size")))
            .transpose()?,
        updated_at: Timestamp(row.updated_at),
        id: row.id,
    })
}

/// The entries of `rows` with their audiences: one more query whatever their number.
async fn with_audiences(conn: &mut AnyConnection, rows: Vec<Row>) -> Result<Vec<StoredEntry>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Placeholders only: the ids are bound, never written into the SQL.
    let marks: Vec<String> = (1..=rows.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT entry_id, profession FROM library_audiences WHERE entry_id IN ({})",
        marks.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for row in &rows {
        query = query.bind(row.id.clone());
    }
    let mut by_entry: HashMap<String, Vec<Profession>> = HashMap::new();
    for (entry, key) in query.fetch_all(conn).await? {
        let profession = Profession::parse(&key).ok_or(StoreError::Corrupt("library audience"))?;
        by_entry.entry(entry).or_default().push(profession);
    }
    rows.into_iter()
        .map(|row| {
            let chosen = by_entry.remove(&row.id).unwrap_or_default();
            // In the list's order, whatever the database's.
            let audience = Profession::ALL.into_iter().filter(|p| chosen.contains(p)).collect();
            to_entry(row, audience)
        })
        .collect()
}

/// A page of entries in `states`, newest publication first.
async fn list(conn: &mut AnyConnection, states: &[State], filter: &Filter) -> Result<Page> {
    let mut clauses = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let bind = |value: String, binds: &mut Vec<String>| {
        binds.push(value);
        format!("${}", binds.len())
    };
    let state_marks: Vec<String> = states.iter().map(|s| bind(s.key().to_owned(), &mut binds)).collect();
    clauses.push(format!("e.state IN ({})", state_marks.join(", ")));
    if let Some(kind) = filter.kind {
        let mark = bind(kind.key().to_owned(), &mut binds);
        clauses.push(format!("e.kind = {mark}"));
    }
    if let Some(profession) = filter.audience {
        let mark = bind(profession.key().to_owned(), &mut binds);
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM library_audiences a WHERE a.entry_id = e.id AND a.profession = {mark})"
        ));
    }
    if let Some((day, id)) = &filter.after {
        let day_mark = bind(day.to_string(), &mut binds);
        let day_again = bind(day.to_string(), &mut binds);
        let id_mark = bind(id.clone(), &mut binds);
        clauses.push(format!(
            "(e.published_on < {day_mark} OR (e.published_on = {day_again} AND e.id < {id_mark}))"
        ));
    }
    let sql = format!(
        "SELECT {COLUMNS} WHERE {} ORDER BY e.published_on DESC, e.id DESC LIMIT {}",
        clauses.join(" AND "),
        PAGE_SIZE + 1
    );
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for value in binds {
        query = query.bind(value);
    }
    let mut rows = query.fetch_all(&mut *conn).await?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let entries = with_audiences(conn, rows).await?;
    let next = entries
        .last()
        .filter(|_| more)
        .map(|e| (e.entry.published_on, e.id.clone()));
    Ok(Page { entries, next })
}

/// The published entries, for the public page: not audited, no transaction.
pub async fn published(store: &Store, filter: &Filter) -> Result<Page> {
    let mut conn = store.pool().acquire().await?;
    list(&mut conn, &[State::Published], filter).await
}

/// A published entry's PDF, for anyone: its name and bytes.
pub async fn published_file(store: &Store, id: &str) -> Result<(String, Vec<u8>)> {
    let mut conn = store.pool().acquire().await?;
    file_of(&mut conn, id, Some(State::Published)).await
}

async fn file_of(conn: &mut AnyConnection, id: &str, state: Option<State>) -> Result<(String, Vec<u8>)> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT f.file_name, f.content, e.state FROM library_files f \
         JOIN library_entries e ON e.id = f.entry_id WHERE f.entry_id = $1",
    )
    .bind(id.to_owned())
    .fetch_optional(conn)
    .await?;
    let (name, content, stored_state) = row.ok_or(StoreError::NotFound)?;
    if state.is_some_and(|wanted| wanted.key() != stored_state) {
        return Err(StoreError::NotFound);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content)
        .map_err(|_| StoreError::Corrupt("library file"))?;
    Ok((name, bytes))
}

/// Every entry, drafts and withdrawn ones included, for the observatory.
pub async fn all(tx: &mut Tx, _can: &Capability<ManageObservatory>, filter: &Filter) -> Result<Page> {
    let page = list(tx.conn(), &State::ALL, filter).await?;
    tx.audit(Action::LibraryList, Object::LibraryEntry, None, None).await?;
    Ok(page)
}

/// One entry with its history, oldest first.
pub async fn entry(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    id: &str,
) -> Result<(StoredEntry, Vec<EntryEvent>)> {
    let stored = find(tx, id).await?;
    let events: Vec<(String, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT v.event, v.at, u.display_name, v.reason FROM library_events v \
         LEFT JOIN users u ON u.id = v.by_user WHERE v.entry_id = $1 ORDER BY v.at, v.event",
    )
    .bind(id.to_owned())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::LibraryRead, Object::LibraryEntry, Some(id), None)
        .await?;
    let events = events
        .into_iter()
        .map(|(event, at, by, reason)| EntryEvent {
            event,
            at: Timestamp(at),
            by,
            reason,
        })
        .collect();
    Ok((stored, events))
}

async fn find(tx: &mut Tx, id: &str) -> Result<StoredEntry> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} WHERE e.id = $1"))
        .bind(id.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let row = row.ok_or(StoreError::NotFound)?;
    with_audiences(tx.conn(), vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Any entry's PDF, for the observatory (a draft's too); audited.
pub async fn file(tx: &mut Tx, _can: &Capability<ManageObservatory>, id: &str) -> Result<(String, Vec<u8>)> {
    let found = file_of(tx.conn(), id, None).await?;
    tx.audit(Action::LibraryFileRead, Object::LibraryEntry, Some(id), None)
        .await?;
    Ok(found)
}

/// The event that records an entry's creation (the others are the
/// workflow's [`Event`](relais_domain::observatory::library::Event) keys).
pub const CREATED: &str = "create";

async fn event(tx: &mut Tx, id: &str, event: &str, reason: &str) -> Result<()> {
    sqlx::query("INSERT INTO library_events (entry_id, at, event, reason, by_user) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_owned())
        .bind(tx.now().0)
        .bind(event.to_owned())
        .bind(reason.to_owned())
        .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Adds an entry as a draft; `bytes` is the PDF when the content is a file.
/// Returns its id.
pub async fn create(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    entry: &Entry,
    bytes: Option<&[u8]>,
) -> Result<String> {
    create_as_system(tx, entry, bytes).await
}

/// [`create`] for the demo data.
pub async fn create_as_system(tx: &mut Tx, entry: &Entry, bytes: Option<&[u8]>) -> Result<String> {
    let link = match (&entry.content, bytes) {
        (Content::Link(link), None) => Some(link.as_str().to_owned()),
        (Content::Pdf { .. }, Some(bytes)) => {
            library::accept_pdf(bytes).map_err(|_| StoreError::Conflict("not a PDF"))?;
            None
        }
        _ => return Err(StoreError::Conflict("a link or a file")),
    };
    let id = new_id();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO library_entries (id, title, producer, published_on, kind, summary, link, state, created_at, \
         created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)",
    )
    .bind(id.clone())
    .bind(entry.title.clone())
    .bind(entry.producer.clone())
    .bind(entry.published_on.to_string())
    .bind(entry.kind.key())
    .bind(entry.summary.clone())
    .bind(link)
    .bind(State::Draft.key())
    .bind(now)
    .bind(tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    for profession in &entry.audience {
        sqlx::query("INSERT INTO library_audiences (entry_id, profession) VALUES ($1, $2)")
            .bind(id.clone())
            .bind(profession.key())
            .execute(tx.conn())
            .await?;
    }
    if let (Content::Pdf { file_name }, Some(bytes)) = (&entry.content, bytes) {
        sqlx::query(
            "INSERT INTO library_files (entry_id, file_name, size_bytes, sha256, content) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.clone())
        .bind(file_name.clone())
        .bind(i64::try_from(bytes.len()).map_err(|_| StoreError::Conflict("file too large"))?)
        .bind(hex::encode(Sha256::digest(bytes)))
        .bind(base64::engine::general_purpose::STANDARD.encode(bytes))
        .execute(tx.conn())
        .await?;
    }
    event(tx, &id, CREATED, "").await?;
    tx.audit(Action::LibraryCreate, Object::LibraryEntry, Some(&id), None)
        .await?;
    Ok(id)
}

/// Publishes or withdraws an entry, as the workflow allows; a withdrawal
/// carries its reason (checked by the caller).
pub async fn change(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    id: &str,
    what: Event,
    reason: &str,
) -> Result<()> {
    change_as_system(tx, id, what, reason).await
}

/// [`change`] for the demo data.
pub async fn change_as_system(tx: &mut Tx, id: &str, what: Event, reason: &str) -> Result<()> {
    let current: Option<(String,)> = sqlx::query_as("SELECT state FROM library_entries WHERE id = $1")
        .bind(id.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    let (current,) = current.ok_or(StoreError::NotFound)?;
    let from = State::parse(&current).ok_or(StoreError::Corrupt("library state"))?;
    let to = library::apply(from, what).ok_or(StoreError::Conflict("not possible from this state"))?;
    let written = sqlx::query("UPDATE library_entries SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
        .bind(to.key())
        .bind(tx.now().0)
        .bind(id.to_owned())
        .bind(from.key())
        .execute(tx.conn())
        .await?;
    if written.rows_affected() != 1 {
        return Err(StoreError::Conflict("changed meanwhile"));
    }
    event(tx, id, what.key(), reason).await?;
    let action = match what {
        Event::Publish => Action::LibraryPublish,
        Event::Withdraw => Action::LibraryWithdraw,
    };
    tx.audit(action, Object::LibraryEntry, Some(id), None).await
}
