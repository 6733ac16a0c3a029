//! Appending to and verifying the hash-chained audit trail.

mod action;
pub mod log;

pub use action::{Action, Object};

use crate::{Backend, Result, Store, StoreError};
use relais_domain::audit::{AuditFields, AuditRow, ChainBreak, ChainVerifier, chain_hash};
use sqlx::AnyConnection;

type RowTuple = (
    i64,
    i64,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
);

/// The columns of a row, in the order of [`RowTuple`] and of the chain's inserts.
pub(crate) const COLUMNS: &str = "seq, at, actor_user_id, actor_organisation_id, action, object_type, object_id, reason, request_id, prev_hash, hash, client_key";

fn to_row(t: RowTuple) -> AuditRow {
    AuditRow {
        seq: t.0,
        fields: AuditFields {
            at: t.1,
            actor_user_id: t.2,
            actor_organisation_id: t.3,
            action: t.4,
            object_type: t.5,
            object_id: t.6,
            reason: t.7,
            request_id: t.8,
            client_key: t.11,
        },
        prev_hash: t.9,
        hash: t.10,
    }
}

/// The head of the chain: the last row's sequence number and hash.
pub(crate) type Head = (i64, String);

/// Reads the head. The caller holds the head's lock.
pub(crate) async fn read_head(conn: &mut AnyConnection) -> Result<Head, sqlx::Error> {
    sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// Writes the head after the rows chained since it was read.
pub(crate) async fn write_head(conn: &mut AnyConnection, (seq, hash): &Head) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Chains one row after `head` and moves `head` to it. Nothing is written: the row goes to
/// the database with [`write_rows`], the head with [`write_head`]. The caller holds the
/// head's lock.
pub(crate) fn chain(head: &mut Head, fields: AuditFields) -> AuditRow {
    let seq = head.0 + 1;
    let hash = chain_hash(seq, &head.1, &fields);
    let prev_hash = std::mem::replace(&mut head.1, hash.clone());
    head.0 = seq;
    AuditRow {
        seq,
        fields,
        prev_hash,
        hash,
    }
}

/// Most rows written by one statement: 12 values a row, 3,072 in all, well inside
/// SQLite's 32,766 bound parameters and PostgreSQL's 65,535, and a statement of a few
/// hundred kilobytes at most.
pub(crate) const ROWS_PER_STATEMENT: usize = 256;
const VALUES_PER_ROW: usize = 12;
const _: () = assert!(ROWS_PER_STATEMENT * VALUES_PER_ROW <= 32_766 && ROWS_PER_STATEMENT.is_power_of_two());

/// Writes `rows` (chained in order, from the head the caller locked) in multi-row inserts
/// and removes each statement's rows from `rows` once it succeeded, so that what is left
/// after an error is exactly what was not written. A statement takes the largest power of
/// two of rows that is left, up to [`ROWS_PER_STATEMENT`]: a handful of distinct statements
/// stays in each connection's prepared-statement cache, where one per row count would
/// evict the store's other statements.
pub(crate) async fn write_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    rows: &mut Vec<AuditRow>,
) -> Result<(), sqlx::Error> {
    while !rows.is_empty() {
        let count = rows.len().min(ROWS_PER_STATEMENT);
        let count = 1 << count.ilog2();
        let mut sql = format!("INSERT INTO audit_log ({COLUMNS}) VALUES ");
        for i in 0..count {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            let placeholders: Vec<String> = (1..=VALUES_PER_ROW)
                .map(|p| match backend {
                    // Anonymous: SQLite looks a numbered parameter's name up in a list, once
                    // per value as the driver binds it, so thousands of `$n` cost their square.
                    Backend::Sqlite => "?".to_owned(),
                    Backend::Postgres => format!("${}", i * VALUES_PER_ROW + p),
                })
                .collect();
            sql.push_str(&placeholders.join(", "));
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in &rows[..count] {
            let fields = &row.fields;
            query = query
                .bind(row.seq)
                .bind(fields.at)
                .bind(fields.actor_user_id.clone())
                .bind(fields.actor_organisation_id.clone())
                .bind(fields.action.clone())
                .bind(fields.object_type.clone())
                .bind(fields.object_id.clone())
                .bind(fields.reason.clone())
                .bind(fields.request_id.clone())
                .bind(row.prev_hash.clone())
                .bind(row.hash.clone())
                .bind(fields.client_key.clone());
        }
        query.execute(&mut *conn).await?;
        rows.drain(..count);
    }
    Ok(())
}

/// The outcome of a full verification.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Intact { rows: i64 },
    Broken(ChainBreak),
}

/// Rows read by one query of [`verify`].
const CHUNK: i64 = 20_000;

/// Reads the whole trail in order and checks every link; `progress` is called per row with
/// its sequence number. The rows are read in chunks of consecutive sequence numbers, the
/// next two fetched by tasks of their own while this one checks the current chunk, so
/// reading (on SQLite mostly the driver's work per row) and hashing run side by side and
/// memory stays flat. The chunks together are every row in order, as one query would give.
pub async fn verify(store: &Store, progress: &(dyn Fn(i64) + Sync)) -> Result<Verification> {
    let pool = store.pool();
    let (head_seq, head_hash): (i64, String) = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(pool)
        .await?;
    let checkpoint: Option<(i64, String, String)> =
        sqlx::query_as("SELECT seq, hash, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
    let mut verifier = match checkpoint {
        None => ChainVerifier::default(),
        Some((seq, hash, signature)) => {
            if signature != checkpoint_signature(store.keys(), seq, &hash) {
                return Ok(Verification::Broken(ChainBreak::ForgedCheckpoint { seq }));
            }
            ChainVerifier::after_checkpoint(seq, &hash)
        }
    };
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as("SELECT MIN(seq), MAX(seq) FROM audit_log")
        .fetch_one(pool)
        .await?;
    if let (Some(first), Some(last)) = (first, last) {
        let starts: Vec<i64> = (0..).map(|k| first + k * CHUNK).take_while(|s| *s <= last).collect();
        let fetch = |start: i64| tokio::spawn(chunk(store.clone(), start));
        let mut ahead: std::collections::VecDeque<_> = starts.iter().take(2).map(|s| fetch(*s)).collect();
        for next in starts.iter().skip(2).map(Some).chain(std::iter::repeat(None)) {
            let Some(reading) = ahead.pop_front() else { break };
            if let Some(start) = next {
                ahead.push_back(fetch(*start));
            }
            let rows = reading.await.map_err(|_| StoreError::Corrupt("audit chunk reader"))??;
            for tuple in rows {
                let row = to_row(tuple);
                if let Err(broken) = verifier.check(&row, head_seq) {
                    return Ok(Verification::Broken(broken));
                }
                progress(row.seq);
            }
        }
    }
    match verifier.finish(head_seq, &head_hash) {
        Ok(rows) => Ok(Verification::Intact { rows }),
        Err(broken) => Ok(Verification::Broken(broken)),
    }
}

/// The rows of sequence numbers `start` to `start + CHUNK - 1`, in order. The database
/// gives them as one JSON array: handing over a chunk at once instead of row by row takes
/// the driver's work per row (a value and a thread hand-over per column and row) out of the
/// verification, which it dominated.
async fn chunk(store: Store, start: i64) -> Result<Vec<RowTuple>> {
    let sql = match store.backend() {
        Backend::Sqlite => format!(
            "SELECT json_group_array(json_array({COLUMNS}) ORDER BY seq) \
             FROM audit_log WHERE seq >= $1 AND seq < $2"
        ),
        Backend::Postgres => format!(
            "SELECT COALESCE(json_agg(json_build_array({COLUMNS}) ORDER BY seq), '[]')::text \
             FROM audit_log WHERE seq >= $1 AND seq < $2"
        ),
    };
    let (rows,): (String,) = sqlx::query_as(&sql)
        .bind(start)
        .bind(start + CHUNK)
        .fetch_one(store.pool())
        .await?;
    serde_json::from_str(&rows).map_err(|_| StoreError::Corrupt("audit rows"))
}

/// The keyed signature of a checkpoint: without the secret key nobody can
/// move the start of the trail to hide a deletion.
fn checkpoint_signature(keys: &crate::Keys, seq: i64, hash: &str) -> String {
    keys.keyed_hash("audit-checkpoint", &format!("{seq}:{hash}"))
}

/// Deletes the rows up to `last` (inclusive) at the end of their retention
/// and records a signed checkpoint of where the trail now starts, so that
/// verification still proves every later row. Returns the rows deleted.
/// Runs inside an audited transaction, which holds the head's lock.
pub(crate) async fn purge_through(
    tx: &mut crate::Tx,
    last: i64,
    cutoff: relais_domain::time::Timestamp,
) -> Result<u64> {
    let head = tx.audit_head_seq().await?;
    let last = last.min(head);
    let hash: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(last)
        .fetch_optional(tx.audit_conn().await?)
        .await?;
    let Some((hash,)) = hash else {
        return Ok(0);
    };
    let deleted = sqlx::query("DELETE FROM audit_log WHERE seq <= $1")
        .bind(last)
        .execute(tx.conn())
        .await?
        .rows_affected();
    let signature = checkpoint_signature(tx.keys(), last, &hash);
    sqlx::query("DELETE FROM audit_checkpoints").execute(tx.conn()).await?;
    sqlx::query("INSERT INTO audit_checkpoints (seq, hash, at, signature) VALUES ($1, $2, $3, $4)")
        .bind(last)
        .bind(hash)
        .bind(tx.now().0)
        .bind(signature)
        .execute(tx.conn())
        .await?;
    // The records of rights exercised and emergency accesses reviewed are
    // kept as long as the audit rows that tell their story.
    sqlx::query(
        "DELETE FROM break_glass_alerts WHERE break_glass_id IN \
         (SELECT id FROM break_glass WHERE reviewed_at IS NOT NULL AND granted_at < $1)",
    )
    .bind(cutoff.0)
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM break_glass WHERE reviewed_at IS NOT NULL AND granted_at < $1")
        .bind(cutoff.0)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM data_requests WHERE status <> 'pending' AND decided_at < $1")
        .bind(cutoff.0)
        .execute(tx.conn())
        .await?;
    Ok(deleted)
}

/// Total number of audit rows (for progress bars and the audit page).
pub async fn count(store: &Store) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log")
        .fetch_one(store.pool())
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::{Action, Object, Verification};
    use crate::{Actor, Store, testing};
    use relais_domain::time::Timestamp;

    /// The purge reads the trail inside its transaction: rows of that transaction not yet
    /// written must be written first, or the purge would find nothing to cut at.
    async fn the_purge_sees_the_rows_of_its_own_transaction(store: &Store) {
        let mut tx = store
            .begin(Actor::system(), "req-purge", Timestamp(1_700_000_000))
            .await
            .unwrap();
        for _ in 0..10 {
            tx.audit(Action::DatabaseBackup, Object::Database, None, None)
                .await
                .unwrap();
        }
        tx.set_clock(Timestamp(1_800_000_000));
        for _ in 0..5 {
            tx.audit(Action::DatabaseBackup, Object::Database, None, None)
                .await
                .unwrap();
        }
        let deleted = super::purge_through(&mut tx, 10, Timestamp(1_750_000_000))
            .await
            .unwrap();
        assert_eq!(deleted, 10);
        tx.commit().await.unwrap();
        assert_eq!(super::count(store).await.unwrap(), 5);
        assert_eq!(
            super::verify(store, &|_| {}).await.unwrap(),
            // The chain verifies from the checkpoint to its last row, 15.
            Verification::Intact { rows: 15 }
        );
    }

    #[tokio::test]
    async fn the_purge_sees_unwritten_rows_on_sqlite() {
        let db = testing::sqlite().await.unwrap();
        let store = testing::store(&db).await.unwrap();
        the_purge_sees_the_rows_of_its_own_transaction(&store).await;
        store.close().await;
    }

    #[tokio::test]
    async fn the_purge_sees_unwritten_rows_on_postgres() {
        let db = testing::postgres()
            .await
            .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
        let store = testing::store(&db).await.unwrap();
        the_purge_sees_the_rows_of_its_own_transaction(&store).await;
        store.close().await;
    }
}
