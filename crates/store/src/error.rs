use relais_domain::authz::Denied;

/// Everything the store can refuse or fail at. The web layer maps each
/// variant to an HTTP status in one place.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("refused: {0}")]
    Denied(#[from] Denied),
    #[error("a transaction tried to commit without an audit row")]
    Unaudited,
    #[error("stored data is corrupt: {0}")]
    Corrupt(&'static str),
    #[error("refused: {0}")]
    Transition(#[from] relais_domain::referral::status::Refused),
    /// The identification workflow refuses the act, and says why.
    #[error("refused: {0}")]
    Workflow(relais_domain::case_status::Refused),
    #[error("the referral still has incomplete steps")]
    Incomplete,
    #[error("cryptographic failure")]
    Crypto,
    #[error("unsupported database URL (expected sqlite: or postgres:)")]
    UnsupportedUrl,
}

impl StoreError {
    /// Maps a unique-constraint violation to a named conflict.
    pub(crate) fn on_unique(error: sqlx::Error, what: &'static str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict(what),
            _ => Self::Database(error),
        }
    }
}
