use relais_domain::access::authz::Denied;

/// Everything the store can refuse or fail at. The web layer maps each
/// variant to an HTTP status in one place.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database stayed busy or locked (after [`crate::Store::begin`]'s
    /// retries, or in the middle of a transaction): nothing was written,
    /// and the same request may succeed a moment later.
    #[error("the database is busy")]
    Busy,
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
    /// A read transaction changed data: a defect of the code that opened
    /// it, refused so that no write escapes the write lock.
    #[error("a read transaction tried to change data")]
    WroteInReadTransaction,
    #[error("stored data is corrupt: {0}")]
    Corrupt(&'static str),
    #[error("refused: {0}")]
    Transition(#[from] relais_domain::intake::referral::status::Refused),
    /// The identification workflow refuses the act, and says why.
    #[error("refused: {0}")]
    Workflow(relais_domain::casework::case_status::Refused),
    /// What was stated does not meet the transition's rules (every problem).
    #[error("the statement does not meet the transition's rules")]
    Statement(Vec<relais_domain::casework::statement::Problem>),
    #[error("the referral still has incomplete steps")]
    Incomplete,
    #[error("cryptographic failure")]
    Crypto,
    #[error("unsupported database URL (expected sqlite: or postgres:)")]
    UnsupportedUrl,
    #[error("database file: {0}")]
    File(std::io::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            Self::Busy
        } else {
            Self::Database(error)
        }
    }
}

/// Whether `error` means "busy, try again": SQLite's `SQLITE_BUSY` or
/// `SQLITE_LOCKED` (any extended code: "database is locked"), PostgreSQL's
/// serialization failure (40001), deadlock (40P01) or lock timeout (55P03).
pub(crate) fn is_busy(error: &sqlx::Error) -> bool {
    const SQLITE_BUSY: i64 = 5;
    const SQLITE_LOCKED: i64 = 6;
    let sqlx::Error::Database(db) = error else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        // Extended result codes keep the primary code in the low byte.
        let primary = db.code().and_then(|c| c.parse::<i64>().ok()).map(|c| c & 0xff);
        return matches!(primary, Some(SQLITE_BUSY | SQLITE_LOCKED));
    }
    db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some()
        && matches!(db.code().as_deref(), Some("40001" | "40P01" | "55P03"))
}

impl StoreError {
    /// Maps a unique-constraint violation to a named conflict.
    pub(crate) fn on_unique(error: sqlx::Error, what: &'static str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict(what),
            _ => Self::from(error),
        }
    }
}
