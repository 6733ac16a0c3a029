//! Rate limits of the public pages, counted in the database (table
//! `rate_events`) so that every app process sees the same numbers.
//!
//! Subjects are keyed hashes (`Keys::keyed_hash(purpose, raw)`), never a raw
//! address or code. Counting and recording happen in an audited [`Tx`],
//! which takes the audit head's lock first: two processes cannot both count
//! 4 and both record the 5th.

use crate::{Result, Store, Tx};
use relais_domain::intake::referral::public::Limit;
use relais_domain::time::Timestamp;
use sqlx::AnyConnection;

/// The key a raw subject is counted under for `purpose`.
pub fn subject_key(tx: &Tx, purpose: &str, raw: &str) -> String {
    tx.keys().keyed_hash(purpose, raw)
}

/// The key a raw subject is counted under, outside a transaction.
pub fn store_subject_key(store: &Store, purpose: &str, raw: &str) -> String {
    store.keys().keyed_hash(purpose, raw)
}

async fn count_on(conn: &mut AnyConnection, bucket: &str, subject_key: &str, since: i64) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND subject_key = $2 AND at > $3")
            .bind(bucket.to_owned())
            .bind(subject_key.to_owned())
            .bind(since)
            .fetch_one(conn)
            .await?;
    Ok(n)
}

/// Events of `bucket` for `subject_key` in the window of `limit`.
pub async fn count(tx: &mut Tx, bucket: &str, subject_key: &str, limit: Limit) -> Result<i64> {
    let since = limit.since(tx.now().0);
    count_on(tx.conn(), bucket, subject_key, since).await
}

/// Whether one more event would be allowed, asked outside a transaction to
/// refuse before costly work (a password hash); the answer given inside
/// the transaction that records the event is the one that counts.
pub async fn allowed_now(store: &Store, bucket: &str, subject_key: &str, limit: Limit, now: Timestamp) -> Result<bool> {
    let mut conn = store.pool().acquire().await?;
    Ok(limit.allows(count_on(&mut conn, bucket, subject_key, limit.since(now.0)).await?))
}

/// Whether one more event of `bucket` is allowed for `subject_key`.
pub async fn allowed(tx: &mut Tx, bucket: &str, subject_key: &str, limit: Limit) -> Result<bool> {
    Ok(limit.allows(count(tx, bucket, subject_key, limit).await?))
}

/// Records one event now, and forgets the bucket's events that no window
/// can count any more.
pub async fn record(tx: &mut Tx, bucket: &str, subject_key: &str, limit: Limit) -> Result<()> {
    let now = tx.now().0;
    sqlx::query("INSERT INTO rate_events (id, bucket, subject_key, at) VALUES ($1, $2, $3, $4)")
        .bind(crate::record_id_hex())
        .bind(bucket.to_owned())
        .bind(subject_key.to_owned())
        .bind(now)
        .execute(tx.conn())
        .await?;
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at < $2")
        .bind(bucket.to_owned())
        .bind(now - 2 * limit.window_seconds)
        .execute(tx.conn())
        .await?;
    Ok(())
}
