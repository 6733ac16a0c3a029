//! Relais storage: one code path for SQLite and PostgreSQL.
//!
//! Every query goes through sqlx's `Any` driver with portable SQL (see
//! docs/adr/0001-database-access.md). Changes and reads of personal data go
//! through an audited transaction ([`Tx`]) whose audit rows commit with it.

mod backend;
mod crypto;
mod error;
mod scope;
mod tx;

pub mod api_referrals;
pub mod api_tokens;
pub mod audit;
pub mod bootstrap;
pub mod case_access;
pub mod case_file;
pub mod case_people;
pub mod cases;
pub mod catalogues;
pub mod child_protection;
pub mod deadlines;
pub mod directory;
pub mod emergency;
pub mod equal_access;
pub mod erasure;
pub mod jobs;
pub mod key_rotation;
pub mod onward;
pub mod organisations;
pub mod outbox;
pub mod passwords;
pub mod persons;
pub mod privacy;
pub mod rate_limit;
pub mod referrals;
pub mod retention;
pub mod sessions;
pub mod setup_tokens;
pub mod signalements;
pub mod subject_access;
pub mod support;
pub mod throttle;
pub mod totp;
pub mod triage;
pub mod users;

#[cfg(feature = "testing")]
pub mod testing;

pub use backend::{Backend, RetryPolicy, Store, StoreOptions};
pub use crypto::{KeyRing, Keys, LEGACY_KEY_ID, SecretKey, ciphertext_key_id};
pub use error::StoreError;
pub use tx::{Actor, Tx};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Fresh random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}
