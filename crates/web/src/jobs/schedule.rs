//! The loops every `relais serve` process runs. They only look for work:
//! whether a run is due, and who does it, is decided in the database.

use super::{
    audit_check, digest, estimate, linkage, nrm_extract, outbox, reminders, retention, status_notices, survey_reminders,
};
use crate::AppState;
use digest::MailSettings;
use relais_domain::casework::deadline::Targets;
use relais_domain::jobs::AfterFailure;
use relais_store::access::sessions;
use std::time::Duration;

/// How often a serving process looks for a run to do; shorter than the
/// first retry delay, so a retry starts soon after it is due.
const CHECK_EVERY: Duration = Duration::from_secs(5 * 60);

/// How often a serving process sends the outbox.
const OUTBOX_EVERY: Duration = Duration::from_secs(60);

/// How often a serving process looks for a linkage run or an estimate to do: an analyst
/// waits for it.
const LINKAGE_EVERY: Duration = Duration::from_secs(2);

/// What the schedule runs, from configuration.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// Without a relay there is no digest and no outbox.
    pub mail: Option<MailSettings>,
    /// The UTC hour from which the day's digest is sent.
    pub digest_hour_utc: i64,
    /// The UTC hour from which the day's retention run erases what is due.
    pub retention_hour_utc: i64,
}

/// Starts the schedule's loops on the current runtime.
pub fn spawn(state: AppState, schedule: Schedule) {
    if let Some(mail) = schedule.mail.clone() {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                send_outbox(&state, &mail).await;
                tokio::time::sleep(OUTBOX_EVERY).await;
            }
        });
    }
    let linkage_state = state.clone();
    tokio::spawn(async move {
        loop {
            run_linkage(&linkage_state).await;
            run_estimates(&linkage_state).await;
            tokio::time::sleep(LINKAGE_EVERY).await;
        }
    });
    tokio::spawn(async move {
        loop {
            let hour = state.clock.now().0.rem_euclid(86_400) / 3600;
            if let Some(mail) = &schedule.mail
                && hour >= schedule.digest_hour_utc
            {
                send_digest(&state, mail).await;
                send_reminders(&state).await;
                send_survey_reminders(&state).await;
            }
            if hour >= schedule.retention_hour_utc {
                run_retention(&state).await;
                refresh_observatory(&state).await;
            }
            verify_audit_chain(&state).await;
            purge_sessions(&state).await;
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}

/// Logs when a failed run is attempted again (no personal data: a time and
/// counts), and counts it for the job-failure alert.
fn log_failure(state: &AppState, job: &str, attempt: u32, next: AfterFailure, reason: &str) {
    state.metrics.job_failed(job);
    match next {
        AfterFailure::RetryAt(at) => tracing::warn!(job, attempt, retry_at = at.0, reason, "scheduled run failed"),
        AfterFailure::GiveUp => tracing::error!(job, attempt, reason, "scheduled run failed for the last time"),
    }
}

async fn send_digest(state: &AppState, mail: &MailSettings) {
    match digest::run(state, mail, &Targets::default()).await {
        Ok(digest::Outcome::Sent { emails, items }) => tracing::info!(emails, items, "daily digest sent"),
        Ok(digest::Outcome::Failed { attempt, next, reason }) => {
            log_failure(state, digest::JOB, attempt, next, &reason)
        }
        Ok(_) => {}
        // The error names a kind and a status, never an address.
        Err(error) => {
            state.metrics.job_failed(digest::JOB);
            tracing::error!(%error, "daily digest could not be run");
        }
    }
}

async fn send_reminders(state: &AppState) {
    match reminders::run_daily(state).await {
        Ok(reminders::Outcome::Done(bodies)) if bodies > 0 => tracing::info!(bodies, "round reminders queued"),
        Ok(reminders::Outcome::Failed { attempt, next }) => {
            log_failure(state, reminders::JOB, attempt, next, "reminders failed");
        }
        Ok(_) => {}
        Err(error) => {
            state.metrics.job_failed(reminders::JOB);
            tracing::error!(%error, "round reminders could not be run");
        }
    }
}

async fn send_survey_reminders(state: &AppState) {
    match survey_reminders::run_daily(state).await {
        Ok(survey_reminders::Outcome::Done(sent)) if sent > 0 => tracing::info!(sent, "survey reminders queued"),
        Ok(survey_reminders::Outcome::Failed { attempt, next }) => {
            log_failure(state, survey_reminders::JOB, attempt, next, "reminders failed");
        }
        Ok(_) => {}
        Err(error) => {
            state.metrics.job_failed(survey_reminders::JOB);
            tracing::error!(%error, "survey reminders could not be run");
        }
    }
}

async fn run_retention(state: &AppState) {
    match retention::run_daily(state).await {
        Ok(retention::Outcome::Done(summary)) => tracing::info!(%summary, "retention run"),
        Ok(retention::Outcome::Failed { attempt, next }) => {
            log_failure(state, "retention", attempt, next, "retention failed");
        }
        Ok(retention::Outcome::NotNow(_)) => {}
        Err(error) => {
            state.metrics.job_failed("retention");
            tracing::error!(%error, "retention run could not be run");
        }
    }
}

async fn refresh_observatory(state: &AppState) {
    match nrm_extract::run_daily(state).await {
        Ok(nrm_extract::Outcome::Done(done)) => tracing::info!(?done, "observatory NRM source refreshed"),
        Ok(nrm_extract::Outcome::Failed { attempt, next }) => {
            log_failure(state, nrm_extract::JOB, attempt, next, "refresh failed");
        }
        Ok(_) => {}
        Err(error) => {
            state.metrics.job_failed(nrm_extract::JOB);
            tracing::error!(%error, "observatory NRM refresh could not be run");
        }
    }
}

async fn verify_audit_chain(state: &AppState) {
    match audit_check::run_daily(state).await {
        Ok(audit_check::Outcome::Done(true)) => tracing::info!("audit chain verified: intact"),
        Ok(audit_check::Outcome::Done(false)) => {
            tracing::error!("audit chain verification: BROKEN (run `relais audit verify` for the first bad row)");
        }
        Ok(audit_check::Outcome::Failed { attempt, next }) => {
            log_failure(state, audit_check::JOB, attempt, next, "verification failed");
        }
        Ok(audit_check::Outcome::NotNow(_)) => {}
        Err(error) => {
            state.metrics.job_failed(audit_check::JOB);
            tracing::error!(%error, "audit chain verification could not be run");
        }
    }
}

async fn run_linkage(state: &AppState) {
    loop {
        match linkage::run_next(state).await {
            Ok(linkage::Outcome::Idle) => return,
            Ok(outcome) => tracing::info!(?outcome, "linkage run ended"),
            Err(error) => {
                tracing::error!(%error, "linkage run could not be done");
                return;
            }
        }
    }
}

async fn run_estimates(state: &AppState) {
    loop {
        match estimate::run_next(state).await {
            Ok(estimate::Outcome::Idle) => return,
            Ok(outcome) => tracing::info!(?outcome, "estimate ended"),
            Err(error) => {
                tracing::error!(%error, "estimate could not be done");
                return;
            }
        }
    }
}

async fn purge_sessions(state: &AppState) {
    match sessions::purge_job(&state.store, state.clock.now(), &state.settings.session).await {
        Ok(Some(purged)) => tracing::info!(purged, "expired sessions purged"),
        Ok(None) => {}
        Err(error) => {
            state.metrics.job_failed("session-purge");
            tracing::error!(%error, "session purge failed");
        }
    }
}

async fn send_outbox(state: &AppState, mail: &MailSettings) {
    match status_notices::queue_pending(state).await {
        Ok(queued) if queued > 0 => tracing::info!(queued, "referral status e-mails queued"),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "referral status e-mails could not be queued"),
    }
    match outbox::send_pending(&state.store, mail, state.clock.now()).await {
        Ok(round) if round.sent + round.failed > 0 => {
            tracing::info!(sent = round.sent, failed = round.failed, "outbox round");
        }
        Ok(_) => {}
        Err(error) => {
            state.metrics.job_failed("outbox");
            tracing::error!(%error, "outbox round failed");
        }
    }
}
