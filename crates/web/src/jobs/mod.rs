//! Scheduled work, apart from the request handlers: the daily digest, the
//! daily verification of the audit chain, the
//! daily retention run, the daily reminders of reporting rounds and of the
//! associations' survey, the daily
//! refresh of the observatory's NRM source, the observatory's linkage runs and estimates, the hourly purge of expired
//! sessions, the referrers' status e-mails and the outbox
//! (docs/adr/0023-job-retries.md). Every serving process runs the same
//! schedule; each run is claimed in the database (`relais_store::jobs`), so
//! one process of several does it, and a failed run is attempted again when
//! the domain's retry policy says (`relais_domain::jobs`).

pub mod audit_check;
pub mod daily;
pub mod digest;
pub mod estimate;
pub mod linkage;
pub mod nrm_extract;
pub mod outbox;
pub mod reminders;
pub mod retention;
mod schedule;
pub mod status_notices;
pub mod survey_reminders;
pub mod work;

pub use schedule::{Schedule, spawn};
