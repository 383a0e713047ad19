//! needsdb: the service and command-line layers over the domain and the store.
//!
//! `cli` parses commands and prints tables, JSON or CSV; `http` serves the
//! web API; both call the same store through `Arc<dyn Store>`.

pub mod accounts;
pub mod allocate;
pub mod analysis;
pub mod bootstrap;
pub mod cli;
pub mod demo;
pub mod http;
pub mod password;
pub mod tabular;
