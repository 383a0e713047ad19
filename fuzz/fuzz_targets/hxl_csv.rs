#![no_main]
//! Any bytes, read as an HXL (or plain) CSV import.

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let m = common::read_file(needsdb_exchange::Format::Hxl, data);
    // A row is at most a line of the file.
    let lines = data.iter().filter(|b| **b == b'\n' || **b == b'\r').count() as u64 + 1;
    assert!(m.rows <= lines, "{} rows from {lines} lines", m.rows);
});
