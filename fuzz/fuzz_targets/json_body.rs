#![no_main]
//! Any bytes, as the body of a JSON request (a need, a contribution) and as
//! a JSON import. A body is refused with a 400 or a 422 naming the field,
//! or accepted and validated; never a panic.

mod common;

use libfuzzer_sys::fuzz_target;
use needsdb::http::extract::parse;
use needsdb_domain::{Catalog, NewContribution, NewNeed};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::from_reference(needsdb_domain::reference::embedded().expect("reference data")))
}

fuzz_target!(|data: &[u8]| {
    let check = |status: u16| assert!(status == 400 || status == 422, "{status}");
    match parse::<NewNeed>(data) {
        Ok(n) => {
            let _ = needsdb_domain::need::validate(&n, catalog());
        }
        Err(e) => check(e.status.as_u16()),
    }
    match parse::<NewContribution>(data) {
        Ok(c) => {
            let today = chrono::Utc::now().date_naive();
            let _ = needsdb_domain::contribution::validate(&c, catalog(), &Default::default(), today);
        }
        Err(e) => check(e.status.as_u16()),
    }
    common::read_file(needsdb_exchange::Format::Json, data);
});
