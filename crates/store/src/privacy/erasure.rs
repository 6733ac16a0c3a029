//! Erasure: a case, a referral or a person with every row that hangs off
//! them, deleted for good (encrypted documents included). The same walk
//! counts the rows without deleting, for the confirmation page and the
//! dry run. Records of the erasure itself (data requests, emergency
//! accesses) lose their link to the case and stay; the audit trail is
//! never touched here (docs/adr/0020-data-protection-lifecycle.md).

use crate::{Result, Tx};
use std::collections::BTreeMap;

/// Tables whose rows belong to one case (`case_id`), deleted with it.
pub const CASE_TABLES: [&str; 10] = [
    "tasks",
    "case_events",
    "case_notes",
    "case_documents",
    "case_people",
    "case_shares",
    "need_assessments",
    "permits",
    "onward_referrals",
    "legal_holds",
];

/// Tables that record something done about a case and outlive it: their
/// `case_id` is cleared, the rest (codes, actors, dates) stays.
pub const CASE_RECORDS: [&str; 2] = ["data_requests", "break_glass"];

/// Tables whose rows belong to one referral (`referral_id`), deleted with it.
pub const REFERRAL_TABLES: [&str; 5] = [
    "referral_messages",
    "referral_status_notices",
    "tasks",
    "signalement_submissions",
    "api_idempotency_keys",
];

/// Tables whose rows belong to one person (`person_id`), deleted with them.
pub const PERSON_TABLES: [&str; 1] = ["person_match_keys"];

/// Count the rows, or delete them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Count,
    Delete,
}

/// Rows erased (or that would be), by table. Counts only: nothing of the content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased(BTreeMap<&'static str, u64>);

impl Erased {
    fn add(&mut self, table: &'static str, rows: u64) {
        if rows > 0 {
            *self.0.entry(table).or_default() += rows;
        }
    }

    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    pub fn rows(&self, table: &str) -> u64 {
        self.0.get(table).copied().unwrap_or(0)
    }

    /// (table, rows), tables in alphabetical order.
    pub fn by_table(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.0.iter().map(|(t, n)| (*t, *n))
    }
}

/// Counts or deletes the rows of `table` where `column` is `value`. Table
/// and column names come from the constants above, never from input.
async fn rows(
    tx: &mut Tx,
    mode: Mode,
    table: &'static str,
    column: &str,
    value: &str,
    erased: &mut Erased,
) -> Result<()> {
    // A case's tasks also name its referral: they are counted with the case, once.
    let once = if table == "tasks" && column == "referral_id" {
        " AND case_id IS NULL"
    } else {
        ""
    };
    let n = match mode {
        Mode::Count => {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1{once}"))
                .bind(value.to_owned())
                .fetch_one(tx.conn())
                .await?;
            u64::try_from(n).unwrap_or(0)
        }
        Mode::Delete => sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1{once}"))
            .bind(value.to_owned())
            .execute(tx.conn())
            .await?
            .rows_affected(),
    };
    erased.add(table, n);
    Ok(())
}

/// A case's own rows and the case; returns its referral and person.
async fn case_rows(
    tx: &mut Tx,
    mode: Mode,
    case: &str,
    erased: &mut Erased,
) -> Result<Option<(String, Option<String>)>> {
    let found: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT referral_id, person_id FROM cases WHERE id = $1")
            .bind(case.to_owned())
            .fetch_optional(tx.conn())
            .await?;
    if found.is_none() {
        return Ok(None);
    }
    for table in CASE_TABLES {
        rows(tx, mode, table, "case_id", case, erased).await?;
    }
    if mode == Mode::Delete {
        for table in CASE_RECORDS {
            sqlx::query(&format!("UPDATE {table} SET case_id = NULL WHERE case_id = $1"))
                .bind(case.to_owned())
                .execute(tx.conn())
                .await?;
        }
        // The referral names the case in a plain column; it is deleted next.
        sqlx::query("UPDATE referrals SET case_id = NULL WHERE case_id = $1")
            .bind(case.to_owned())
            .execute(tx.conn())
            .await?;
    }
    rows(tx, mode, "cases", "id", case, erased).await?;
    Ok(found)
}

async fn referral_rows(tx: &mut Tx, mode: Mode, referral: &str, erased: &mut Erased) -> Result<()> {
    for table in REFERRAL_TABLES {
        rows(tx, mode, table, "referral_id", referral, erased).await?;
    }
    rows(tx, mode, "referrals", "id", referral, erased).await
}

async fn person_rows(tx: &mut Tx, mode: Mode, person: &str, erased: &mut Erased) -> Result<()> {
    for table in PERSON_TABLES {
        rows(tx, mode, table, "person_id", person, erased).await?;
    }
    rows(tx, mode, "persons", "id", person, erased).await
}

/// Deletes the person's record once no referral or case names them any more.
async fn person_if_unused(tx: &mut Tx, person: &str, erased: &mut Erased) -> Result<()> {
    let (uses,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM referrals WHERE person_id = $1) + (SELECT COUNT(*) FROM cases WHERE person_id = $1)",
    )
    .bind(person.to_owned())
    .fetch_one(tx.conn())
    .await?;
    if uses == 0 {
        person_rows(tx, Mode::Delete, person, erased).await?;
    }
    Ok(())
}

/// A case, its referral, and the person if nothing else names them.
pub async fn case(tx: &mut Tx, case: &str) -> Result<Erased> {
    let mut erased = Erased::default();
    if let Some((referral, person)) = case_rows(tx, Mode::Delete, case, &mut erased).await? {
        referral_rows(tx, Mode::Delete, &referral, &mut erased).await?;
        if let Some(person) = person {
            person_if_unused(tx, &person, &mut erased).await?;
        }
    }
    Ok(erased)
}

/// A referral that led to no case, and its person if nothing else names them.
pub async fn referral(tx: &mut Tx, referral: &str) -> Result<Erased> {
    let mut erased = Erased::default();
    let person: Option<(Option<String>,)> = sqlx::query_as("SELECT person_id FROM referrals WHERE id = $1")
        .bind(referral.to_owned())
        .fetch_optional(tx.conn())
        .await?;
    referral_rows(tx, Mode::Delete, referral, &mut erased).await?;
    if let Some((Some(person),)) = person {
        person_if_unused(tx, &person, &mut erased).await?;
    }
    Ok(erased)
}

/// The documents of a case, content and names.
pub async fn documents(tx: &mut Tx, case: &str) -> Result<Erased> {
    let mut erased = Erased::default();
    rows(tx, Mode::Delete, "case_documents", "case_id", case, &mut erased).await?;
    Ok(erased)
}

/// Everything held about a person: every case and referral that names
/// them, and their record. `Mode::Count` says what `Mode::Delete` would do.
pub async fn person(tx: &mut Tx, mode: Mode, person: &str) -> Result<Erased> {
    let mut erased = Erased::default();
    let cases: Vec<(String,)> = sqlx::query_as("SELECT id FROM cases WHERE person_id = $1 ORDER BY id")
        .bind(person.to_owned())
        .fetch_all(tx.conn())
        .await?;
    let mut referrals: Vec<String> = vec![];
    for (case,) in &cases {
        if let Some((referral, _)) = case_rows(tx, mode, case, &mut erased).await? {
            referrals.push(referral);
        }
    }
    let named: Vec<(String,)> = sqlx::query_as("SELECT id FROM referrals WHERE person_id = $1 ORDER BY id")
        .bind(person.to_owned())
        .fetch_all(tx.conn())
        .await?;
    referrals.extend(named.into_iter().map(|(id,)| id));
    referrals.sort_unstable();
    referrals.dedup();
    for referral in &referrals {
        referral_rows(tx, mode, referral, &mut erased).await?;
    }
    person_rows(tx, mode, person, &mut erased).await?;
    Ok(erased)
}
