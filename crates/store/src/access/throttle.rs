//! Login throttling counters (policy in `relais_domain::throttle`, ADR
//! 0015), in the database so that every app process behind the load
//! balancer counts the same failures. One row per subject: its failures and
//! the time of the last one.

use crate::{Result, Store};
use relais_domain::access::throttle::{Failures, Subject, ThrottlePolicy, Verdict};
use relais_domain::time::Timestamp;

/// The subjects of one attempt, as keyed hashes: never the raw e-mail,
/// address or device cookie.
#[derive(Debug, Clone)]
pub struct LoginKeys {
    account: String,
    address: String,
    /// Present when the browser holds a valid device cookie for the account.
    device: Option<String>,
}

impl LoginKeys {
    pub fn new(store: &Store, account: &str, address: &str) -> Self {
        Self {
            account: store.keys().keyed_hash("login-account", &account.trim().to_lowercase()),
            address: store.keys().keyed_hash("login-address", address),
            device: None,
        }
    }

    /// The browser holds a valid device cookie (identified by its random
    /// `nonce`) for this account: only its own failures count.
    #[must_use]
    pub fn with_device(mut self, store: &Store, nonce: Option<&str>) -> Self {
        self.device = nonce.map(|n| store.keys().keyed_hash("login-device", n));
        self
    }

    pub fn trusted_device(&self) -> bool {
        self.device.is_some()
    }

    fn key(&self, subject: Subject) -> String {
        // Purposes differ, so no two subjects share a key; the prefix makes
        // rows readable to an operator all the same.
        match subject {
            Subject::Account => format!("account:{}", self.account),
            Subject::Address => format!("address:{}", self.address),
            Subject::Device => format!("device:{}", self.device.as_deref().unwrap_or_default()),
        }
    }

    fn counted(&self) -> impl Iterator<Item = (Subject, String)> + '_ {
        Subject::counted(self.trusted_device())
            .iter()
            .map(|subject| (*subject, self.key(*subject)))
    }
}

async fn failures(store: &Store, key: &str) -> Result<Option<Failures>> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT failures, last_failure_at FROM login_throttle WHERE subject_key = $1")
            .bind(key.to_owned())
            .fetch_optional(store.pool())
            .await?;
    Ok(row.map(|(count, last)| Failures {
        count,
        last_at: Timestamp(last),
    }))
}

/// Whether this attempt may check the password now. An attempt admitted
/// while a subject is delayed takes that subject's turn (its last-failure
/// time moves to `now`), so of several attempts sent together at the end
/// of a delay only one is let through.
pub async fn admit(store: &Store, keys: &LoginKeys, now: Timestamp, policy: &ThrottlePolicy) -> Result<Verdict> {
    let mut seen = Vec::new();
    let mut verdict = Verdict::Allowed;
    for (subject, key) in keys.counted() {
        let live = policy.live(failures(store, &key).await?, now);
        verdict = verdict.and(policy.verdict(subject, live, now));
        seen.push((subject, key, live));
    }
    if verdict != Verdict::Allowed {
        return Ok(verdict);
    }
    for (subject, key, live) in seen {
        let Some(f) = live.filter(|f| policy.is_delayed(subject, f.count)) else {
            continue;
        };
        let claimed = sqlx::query(
            "UPDATE login_throttle SET last_failure_at = $1 WHERE subject_key = $2 AND last_failure_at = $3",
        )
        .bind(now.0)
        .bind(key)
        .bind(f.last_at.0)
        .execute(store.pool())
        .await?;
        if claimed.rows_affected() == 0 {
            verdict = verdict.and(Verdict::Wait {
                seconds: policy.delay(subject, f.count),
            });
        }
    }
    Ok(verdict)
}

/// Counts a failure against the attempt's subjects.
pub async fn record_failure(store: &Store, keys: &LoginKeys, now: Timestamp, policy: &ThrottlePolicy) -> Result<()> {
    let forgotten_before = now.0 - policy.forget_after_seconds;
    for (_, key) in keys.counted() {
        sqlx::query(
            "INSERT INTO login_throttle (subject_key, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (subject_key) DO UPDATE SET \
             failures = CASE WHEN login_throttle.last_failure_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
             last_failure_at = $2",
        )
        .bind(key)
        .bind(now.0)
        .bind(forgotten_before)
        .execute(store.pool())
        .await?;
    }
    // Counters nobody has failed for a day are forgotten anyway.
    sqlx::query("DELETE FROM login_throttle WHERE last_failure_at <= $1")
        .bind(forgotten_before)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// A success clears the counter it was judged by: the device's, or the
/// account's when the browser was untrusted. The address counter stays, so
/// an attacker cannot reset it by signing in to an account of their own,
/// and the owner's success on a trusted device does not end the delays
/// imposed on an attacker elsewhere.
pub async fn record_success(store: &Store, keys: &LoginKeys) -> Result<()> {
    let subject = if keys.trusted_device() {
        Subject::Device
    } else {
        Subject::Account
    };
    sqlx::query("DELETE FROM login_throttle WHERE subject_key = $1")
        .bind(keys.key(subject))
        .execute(store.pool())
        .await?;
    Ok(())
}
