//! The application layer: what the command line, the API and the web pages
//! all do, with one set of rules. Each caller parses its own input (flags,
//! JSON, forms), asks `access` who may act, calls an operation here or the
//! store, and renders the answer its own way. Nothing here knows HTTP.

pub mod access;
pub mod accounts;
pub mod allocate;
pub mod analysis;
pub mod backup;
pub mod imports;
pub mod mail;
pub mod notifications;
