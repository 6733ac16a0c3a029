//! Failed-login counters, in the database so that every app process behind
//! the load balancer counts the same failures.

use crate::{Result, Store};
use relais_domain::throttle::{ThrottlePolicy, ThrottleVerdict};
use relais_domain::time::Timestamp;

/// Keys under which failures are counted: keyed hashes, never the raw
/// e-mail or IP address.
#[derive(Debug, Clone)]
pub struct LoginKeys {
    pub account: String,
    pub address: String,
}

impl LoginKeys {
    pub fn new(store: &Store, email: &str, address: &str) -> Self {
        Self {
            account: store.keys().keyed_hash("login-account", &email.trim().to_lowercase()),
            address: store.keys().keyed_hash("login-address", address),
        }
    }
}

pub async fn verdict(
    store: &Store,
    keys: &LoginKeys,
    now: Timestamp,
    policy: &ThrottlePolicy,
) -> Result<ThrottleVerdict> {
    let since = now.0 - policy.window_seconds;
    let (account,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND at > $2")
        .bind(keys.account.clone())
        .bind(since)
        .fetch_one(store.pool())
        .await?;
    let (address,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE address_key = $1 AND at > $2")
        .bind(keys.address.clone())
        .bind(since)
        .fetch_one(store.pool())
        .await?;
    Ok(policy.verdict(account, address))
}

pub async fn record_failure(store: &Store, keys: &LoginKeys, now: Timestamp, policy: &ThrottlePolicy) -> Result<()> {
    sqlx::query("INSERT INTO login_failures (id, account_key, address_key, at) VALUES ($1, $2, $3, $4)")
        .bind(hex::encode(crate::random_bytes::<16>()))
        .bind(keys.account.clone())
        .bind(keys.address.clone())
        .bind(now.0)
        .execute(store.pool())
        .await?;
    // Old rows are useless once out of the window.
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now.0 - 2 * policy.window_seconds)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A successful login clears the account's counter (not the address's).
pub async fn clear_account(store: &Store, keys: &LoginKeys) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE account_key = $1")
        .bind(keys.account.clone())
        .execute(store.pool())
        .await?;
    Ok(())
}
