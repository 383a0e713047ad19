//! Errors of the exchange formats, shared by the readers, the writers and
//! the import and export that drive them.

use needsdb_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
}
