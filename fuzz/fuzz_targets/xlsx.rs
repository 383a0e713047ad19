#![no_main]
//! Any bytes, read as an XLSX import: mostly broken ZIPs and workbooks.

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::read_file(needsdb_exchange::Format::Xlsx, data);
});
