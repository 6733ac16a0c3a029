//! The audit trail as people read it: who (name and organisation), what,
//! on which object, when; filtered, one line per request, and exported.
//! Reading and exporting are themselves audited in the same transaction.

use super::{Action, Object};
use crate::{Result, Tx};
use relais_domain::access::authz::{Capability, ViewAuditLog};
use relais_domain::time::Timestamp;

/// What the reader asked to see; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub actor_user_id: Option<String>,
    pub action: Option<Action>,
    pub object_type: Option<Object>,
    /// From this instant (inclusive).
    pub from: Option<Timestamp>,
    /// Until this instant (exclusive).
    pub until: Option<Timestamp>,
}

impl Filter {
    /// The filter as the export's audit reason: codes, ids and instants, never names.
    fn describe(&self) -> String {
        let mut parts = vec![];
        if let Some(user) = &self.actor_user_id {
            parts.push(format!("actor={user}"));
        }
        if let Some(action) = self.action {
            parts.push(format!("action={}", action.code()));
        }
        if let Some(object) = self.object_type {
            parts.push(format!("object={}", object.code()));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={}", from.0));
        }
        if let Some(until) = self.until {
            parts.push(format!("until={}", until.0));
        }
        parts.join(";")
    }

    /// The SQL conditions after `seq < $1`, with their values in order.
    /// Only placeholders are built here, never the reader's text.
    fn conditions(&self) -> (String, Vec<Bind>) {
        let mut sql = String::new();
        let mut binds = vec![];
        let mut add = |column: &str, op: &str, value: Bind| {
            binds.push(value);
            sql.push_str(&format!(" AND a.{column} {op} ${}", binds.len() + 1));
        };
        if let Some(user) = &self.actor_user_id {
            add("actor_user_id", "=", Bind::Text(user.clone()));
        }
        if let Some(action) = self.action {
            add("action", "=", Bind::Text(action.code().to_owned()));
        }
        if let Some(object) = self.object_type {
            add("object_type", "=", Bind::Text(object.code().to_owned()));
        }
        if let Some(from) = self.from {
            add("at", ">=", Bind::Int(from.0));
        }
        if let Some(until) = self.until {
            add("at", "<", Bind::Int(until.0));
        }
        (sql, binds)
    }
}

enum Bind {
    Text(String),
    Int(i64),
}

/// One audit row with its actor named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: Timestamp,
    pub actor_user_id: Option<String>,
    /// The actor's display name; `None` for the system (CLI, scheduled jobs).
    pub actor_name: Option<String>,
    pub organisation_name: Option<String>,
    /// The stored code; [`Action::parse`] names today's codes.
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub request_id: Option<String>,
}

/// The rows one request wrote (a page that reads a case, its people and its
/// documents writes several), oldest first: the first is the main act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub entries: Vec<Entry>,
    /// The request's rows go on beyond this page (a request that wrote more
    /// rows than a page holds).
    pub continues: bool,
}

impl Line {
    pub fn main(&self) -> Option<&Entry> {
        self.entries.first()
    }
}

/// One page of lines, newest first; `older` is the `before` of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    pub lines: Vec<Line>,
    pub older: Option<i64>,
}

/// A user who may appear as an actor, for the reader's person picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_id: String,
    pub name: String,
    pub organisation: String,
}

/// Rows fetched per page: enough for `lines` requests of a few rows each.
const ROWS_PER_LINE: i64 = 6;
/// At most this many rows in one export.
pub const EXPORT_LIMIT: i64 = 100_000;

const SELECT: &str = "SELECT a.seq, a.at, a.actor_user_id, u.display_name, o.name, a.action, a.object_type, a.object_id, a.request_id \
     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id \
     LEFT JOIN organisations o ON o.id = a.actor_organisation_id";

type EntryRow = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn entry(row: EntryRow) -> Entry {
    let (seq, at, actor_user_id, actor_name, organisation_name, action, object_type, object_id, request_id) = row;
    Entry {
        seq,
        at: Timestamp(at),
        actor_user_id,
        actor_name,
        organisation_name,
        action,
        object_type,
        object_id,
        request_id,
    }
}

/// Rows matching `filter` below `before`, newest first: one query joining
/// the actors' names and organisations (no query per row).
async fn fetch(tx: &mut Tx, filter: &Filter, before: i64, limit: i64) -> Result<Vec<Entry>> {
    let (conditions, binds) = filter.conditions();
    let query = format!(
        "{SELECT} WHERE a.seq < $1{conditions} ORDER BY a.seq DESC LIMIT ${}",
        binds.len() + 2
    );
    let mut q = sqlx::query_as::<_, EntryRow>(&query).bind(before);
    for bind in binds {
        q = match bind {
            Bind::Text(text) => q.bind(text),
            Bind::Int(value) => q.bind(value),
        };
    }
    let rows = q.bind(limit).fetch_all(tx.audit_conn().await?).await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// Consecutive rows (newest first) of one request by one actor become one
/// line, its rows oldest first.
pub fn group(entries: Vec<Entry>) -> Vec<Line> {
    let mut lines: Vec<Line> = vec![];
    for entry in entries {
        let same = lines.last().and_then(Line::main).is_some_and(|last| {
            entry.request_id.is_some()
                && last.request_id == entry.request_id
                && last.actor_user_id == entry.actor_user_id
        });
        match lines.last_mut() {
            Some(line) if same => line.entries.insert(0, entry),
            _ => lines.push(Line {
                entries: vec![entry],
                continues: false,
            }),
        }
    }
    lines
}

/// Up to `lines` lines of the trail below `before` (newest first), for
/// people allowed to read it. A request's rows are never split across pages,
/// unless one request wrote more rows than a page fetches (then its line
/// says it continues). Reading the trail is itself audited.
pub async fn page(
    tx: &mut Tx,
    _can: &Capability<ViewAuditLog>,
    filter: &Filter,
    lines: usize,
    before: Option<i64>,
) -> Result<LogPage> {
    let limit = i64::try_from(lines).unwrap_or(i64::MAX / ROWS_PER_LINE) * ROWS_PER_LINE;
    let rows = fetch(tx, filter, before.unwrap_or(i64::MAX), limit).await?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit;
    let mut grouped = group(rows);
    let more = if grouped.len() > lines {
        grouped.truncate(lines);
        true
    } else if full && grouped.len() > 1 {
        // The last request may go on below what was fetched: it opens the next page.
        grouped.pop();
        true
    } else if full {
        if let Some(line) = grouped.last_mut() {
            line.continues = true;
        }
        true
    } else {
        false
    };
    let older = more
        .then(|| grouped.last().and_then(Line::main).map(|e| e.seq))
        .flatten();
    tx.audit(Action::AuditRead, Object::AuditLog, None, None).await?;
    Ok(LogPage { lines: grouped, older })
}

/// The latest `limit` rows about one object (a case's access log), one line
/// per request, newest first. Read inside the caller's audited transaction.
pub(crate) async fn of_object(tx: &mut Tx, object: Object, id: &str, limit: i64) -> Result<Vec<Line>> {
    let query = format!("{SELECT} WHERE a.object_type = $1 AND a.object_id = $2 ORDER BY a.seq DESC LIMIT $3");
    let rows: Vec<EntryRow> = sqlx::query_as(&query)
        .bind(object.code())
        .bind(id.to_owned())
        .bind(limit)
        .fetch_all(tx.audit_conn().await?)
        .await?;
    Ok(group(rows.into_iter().map(entry).collect()))
}

/// Every row matching `filter` (at most [`EXPORT_LIMIT`]), newest first, for
/// the CSV export; the export is audited with the filter as its reason.
pub async fn export(tx: &mut Tx, _can: &Capability<ViewAuditLog>, filter: &Filter) -> Result<Vec<Entry>> {
    let rows = fetch(tx, filter, i64::MAX, EXPORT_LIMIT).await?;
    let reason = filter.describe();
    tx.audit(
        Action::AuditExport,
        Object::AuditLog,
        None,
        (!reason.is_empty()).then_some(reason.as_str()),
    )
    .await?;
    Ok(rows)
}

/// The users who may appear as actors, by name, for the person filter.
pub async fn people(tx: &mut Tx, _can: &Capability<ViewAuditLog>) -> Result<Vec<Person>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, o.name FROM users u JOIN organisations o ON o.id = u.organisation_id \
         ORDER BY u.display_name, o.name, u.id",
    )
    .fetch_all(tx.conn())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, organisation)| Person {
            user_id,
            name,
            organisation,
        })
        .collect())
}
