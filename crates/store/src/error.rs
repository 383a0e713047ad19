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
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
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

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("serialisation: {e}"))
    }
}
