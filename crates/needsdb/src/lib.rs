//! needsdb: the service and command-line layers over the domain and the store.
//!
//! `cli` parses commands and prints tables, JSON or CSV; `http` serves the
//! web API; both call `services` (the rules and operations they share) and
//! the same store through `Arc<dyn Store>`.

pub mod bootstrap;
pub mod cli;
pub mod demo;
pub mod http;
pub mod password;
pub mod services;
pub mod tabular;
