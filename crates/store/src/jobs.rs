//! Claims on scheduled job runs, in the database so that one process of
//! several does each run once.

use crate::{Result, Store, StoreError};
use relais_domain::time::Timestamp;

/// Claims the run `run_key` of `job` (e.g. the digest of one day). Returns
/// false when another process already claimed it.
pub async fn claim(store: &Store, job: &str, run_key: &str, now: Timestamp) -> Result<bool> {
    let inserted = sqlx::query("INSERT INTO job_runs (job, run_key, claimed_at) VALUES ($1, $2, $3)")
        .bind(job.to_owned())
        .bind(run_key.to_owned())
        .bind(now.0)
        .execute(store.pool())
        .await
        .map_err(|e| StoreError::on_unique(e, "job run already claimed"));
    match inserted {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Records how a claimed run ended (counts only, never personal data).
pub async fn finish(store: &Store, job: &str, run_key: &str, now: Timestamp, outcome: &str) -> Result<()> {
    sqlx::query("UPDATE job_runs SET finished_at = $1, outcome = $2 WHERE job = $3 AND run_key = $4")
        .bind(now.0)
        .bind(outcome.to_owned())
        .bind(job.to_owned())
        .bind(run_key.to_owned())
        .execute(store.pool())
        .await?;
    Ok(())
}
