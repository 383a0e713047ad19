//! What every target shares: the names files are resolved against, and the
//! checks a report must pass whatever the input.

use needsdb_exchange::mapping::Mapper;
use needsdb_exchange::{Data, Format, Lookups};
use std::sync::{Arc, OnceLock};

pub fn lookups() -> Arc<Lookups> {
    static L: OnceLock<Arc<Lookups>> = OnceLock::new();
    L.get_or_init(|| Arc::new(needsdb_exchange::embedded_lookups().expect("the embedded reference data reads")))
        .clone()
}

/// Reads `data` as a file of `format`, as an import does, and checks that
/// whatever it found is reported sensibly: never a panic, and every
/// problem says what is wrong.
pub fn read_file(format: Format, data: &[u8]) -> Mapper {
    let m = needsdb_exchange::import::scan(format, Data::Bytes(data.to_vec()), lookups(), None);
    for p in &m.problems {
        assert!(!p.message.is_empty() && !p.code.is_empty(), "{p:?}");
    }
    assert!(m.problems.len() as u64 <= m.problem_count);
    m
}
