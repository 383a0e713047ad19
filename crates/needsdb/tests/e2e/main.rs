//! End-to-end tests of the real binary: the command line, and the server
//! over real HTTP, on SQLite and on PostgreSQL.

// Tests may panic on what they did not expect; that is how they fail.
#![allow(clippy::unwrap_used)]

mod analysis;
mod api;
mod authz;
mod browser;
mod cli;
mod contract;
mod exchange;
mod faults;
mod figures;
mod harness;
mod openapi;
mod records;
mod safety;
