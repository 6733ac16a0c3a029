//! Relais storage: one code path for SQLite and PostgreSQL.
//!
//! Every query goes through sqlx's `Any` driver with portable SQL (see
//! docs/adr/0001-database-access.md). Changes and reads of personal data go
//! through an audited transaction ([`Tx`]) whose audit rows commit with it.

mod backend;
mod chunked;
mod crypto;
mod csv_rows;
mod error;
mod ids;
mod scope;
mod stored_list;
mod tx;
mod writes;

pub mod access;
pub mod audit;
pub mod bootstrap;
pub mod casework;
pub mod coordination;
pub mod directory;
pub mod durability;
pub mod intake;
pub mod jobs;
pub mod key_rotation;
pub mod observatory;
pub mod operations;
pub mod outbox;
pub mod privacy;
pub mod statistics;

#[cfg(feature = "testing")]
pub mod testing;

pub use backend::{Backend, RetryPolicy, Store, StoreOptions};
pub use crypto::{KeyRing, Keys, LEGACY_KEY_ID, SecretKey, ciphertext_key_id};
pub use error::StoreError;
pub(crate) use ids::{record_id, record_id_hex};
pub use tx::{Actor, Tx};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Fresh random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}
