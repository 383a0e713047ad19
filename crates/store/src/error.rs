use needsdb_domain::Invalid;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What can go wrong in the store. Every variant but `Database` and
/// `Internal` is the caller's to fix and says how.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("there is no {entity} {id}")]
    NotFound { entity: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    /// The caller edited an older version than the one stored.
    #[error("{entity} {id} has changed: it is at version {current}, not {expected}; reload it and try again")]
    VersionMismatch {
        entity: &'static str,
        id: String,
        expected: i64,
        current: i64,
    },
    /// The database cannot be reached (down, restarting, no connection free
    /// in time): the request may be tried again.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    /// The disk (or the database's size limit) is full: nothing was written.
    #[error("the database has no space left; nothing was written: {0}")]
    OutOfSpace(String),
    /// The database only reads: it was opened read-only, or is a standby.
    #[error("the database is read-only; nothing was written: {0}")]
    ReadOnly(String),
    /// Another writer held the database too long.
    #[error("the database is busy with another write: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }
}

impl StoreError {
    /// A fault of the database's surroundings (space, access, reachability)
    /// rather than of the request: worth trying again later.
    pub fn is_fault(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_) | Self::OutOfSpace(_) | Self::ReadOnly(_) | Self::Busy(_)
        )
    }
}

/// Sorts database errors by what the caller can do about them. SQLite gives
/// extended result codes (the primary code is the low byte); PostgreSQL
/// SQLSTATEs.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let text = e.to_string();
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                Self::Unavailable(text)
            }
            sqlx::Error::Database(d) => {
                let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
                // A SQLSTATE has five characters; SQLite's codes are shorter numbers.
                if code.len() == 5 {
                    match code.as_str() {
                        "53100" => Self::OutOfSpace(text),
                        "25006" => Self::ReadOnly(text),
                        // A lock not granted, or two record writes that met
                        // crosswise (a deadlock PostgreSQL broke by ending one):
                        // nothing was written, and the same request may be sent again.
                        "55P03" | "40P01" => Self::Busy(text),
                        c if c.starts_with("08") || c.starts_with("57P") || c == "53300" => Self::Unavailable(text),
                        _ => Self::Database(e),
                    }
                } else {
                    match code.parse::<i64>().map(|n| n & 0xff) {
                        Ok(13) => Self::OutOfSpace(text),
                        Ok(8) => Self::ReadOnly(text),
                        Ok(5 | 6) => Self::Busy(text),
                        Ok(10 | 14) => Self::Unavailable(text),
                        _ => Self::Database(e),
                    }
                }
            }
            _ => Self::Database(e),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("serialisation: {e}"))
    }
}
