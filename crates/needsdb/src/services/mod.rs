//! The application layer: what the command line, the API and the web pages
//! all do, with one set of rules. Each caller parses its own input (flags,
//! JSON, forms), asks `access` who may act, calls an operation here or the
//! store, and renders the answer its own way. Nothing here knows HTTP.

pub mod access;
pub mod accounts;
pub mod allocate;
pub mod analysis;
pub mod backup;
pub mod contributions;
pub mod evidence;
pub mod imports;
pub mod mail;
pub mod needs;
pub mod notifications;
pub mod searches;
pub mod sessions;

/// Why an operation did not happen: the caller may not do it, or the store
/// said no (invalid input, not found, a stale version, a fault).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Denied(#[from] access::Denied),
    #[error(transparent)]
    Store(#[from] needsdb_store::StoreError),
}
