//! Hostile input: random bytes, truncated files, huge cells, wrong
//! encodings and a million columns. Every reader must end with a clear
//! problem, never a panic.
#![allow(clippy::unwrap_used)]

use needsdb_exchange::import::scan;
use needsdb_exchange::resolve::Resolver;
use needsdb_exchange::{Data, Format, Lookups};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn lookups() -> Arc<Lookups> {
    static L: OnceLock<Arc<Lookups>> = OnceLock::new();
    L.get_or_init(|| {
        let r = needsdb_domain::reference::embedded().unwrap();
        Arc::new(Lookups {
            countries: Resolver::countries(r),
            items: Resolver::items(&r.items),
            organisations: ["WHO".to_owned()].into_iter().collect(),
        })
    })
    .clone()
}

fn problems(format: Format, bytes: Vec<u8>) -> Vec<(u64, String, String)> {
    let m = scan(format, Data::Bytes(bytes), lookups(), None);
    m.problems
        .iter()
        .map(|p| (p.row, p.code.clone(), p.message.clone()))
        .collect()
}

const GOOD: &str = "Country,Item,Quantity,Priority,Needed by\n#country+code,#item+code,#need,#severity,#date+needed\nKEN,PPE-MASK-MED,100,high,2027-01-31\n";

#[test]
fn a_good_file_has_no_problems() {
    assert_eq!(problems(Format::Hxl, GOOD.as_bytes().to_vec()), vec![]);
}

#[test]
fn a_million_columns_is_refused_as_a_whole() {
    let mut wide = "#country+code,".repeat(1_000_000);
    wide.push('\n');
    let p = problems(Format::Hxl, wide.into_bytes());
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].1, "too_many_columns");

    let mut row = String::from(GOOD);
    row.push_str(&"x,".repeat(1_000_000));
    row.push('\n');
    let p = problems(Format::Hxl, row.into_bytes());
    assert_eq!(p[0].0, 4, "{p:?}");
    assert_eq!(p[0].1, "too_many_columns");
}

#[test]
fn a_huge_cell_is_refused_with_its_row_and_column() {
    let text = format!("{GOOD}KEN,PPE-MASK-MED,100,high,2027-01-31,{}\n", "x".repeat(10));
    assert!(problems(Format::Hxl, text.into_bytes()).is_empty());
    let huge = format!("{GOOD}KEN,{},100,high,2027-01-31\n", "x".repeat(5_000_000));
    let m = scan(Format::Hxl, Data::Bytes(huge.into_bytes()), lookups(), None);
    assert_eq!(m.problems.len(), 1);
    assert_eq!(m.problems[0].row, 4);
    assert_eq!(m.problems[0].code, "unreadable_cell");
    assert!(
        m.problems[0].column.as_deref().unwrap().starts_with('B'),
        "{:?}",
        m.problems[0]
    );
}

#[test]
fn wrong_encodings_are_named() {
    // "Côte d'Ivoire" in Latin-1.
    let mut latin1 = GOOD.as_bytes().to_vec();
    latin1.extend_from_slice(b"C\xf4te d'Ivoire,PPE-MASK-MED,1,high,2027-01-31\n");
    let p = problems(Format::Hxl, latin1);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1.as_str()), (4, "wrong_encoding"));

    let mut utf16 = vec![0xFF, 0xFE];
    for u in GOOD.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let p = problems(Format::Hxl, utf16);
    assert_eq!(p[0].1, "wrong_encoding");
    assert!(p[0].2.contains("UTF-16"));
}

#[test]
fn truncated_and_foreign_files_are_refused() {
    let xlsx =
        needsdb_exchange::xlsx::write_template("KEN", "Kenya", &needsdb_domain::reference::embedded().unwrap().items)
            .unwrap();
    assert!(problems(Format::Xlsx, xlsx.clone()).is_empty());
    for cut in [0, 10, xlsx.len() / 3, xlsx.len() / 2, xlsx.len() - 10] {
        let p = problems(Format::Xlsx, xlsx[..cut].to_vec());
        assert!(!p.is_empty(), "cut at {cut}");
    }
    let p = problems(Format::Json, b"[{\"country\": \"KEN\"".to_vec());
    assert_eq!(p[0].1, "malformed_json");
    let p = problems(Format::Json, b"{\"not\": \"an array\"}".to_vec());
    assert_eq!(p[0].1, "malformed_json");
    let p = problems(Format::Hxl, Vec::new());
    assert_eq!(p[0].1, "empty");
    let p = problems(Format::Iati, b"<x/>".to_vec());
    assert_eq!(p[0].1, "unsupported");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        for f in [Format::Hxl, Format::Xlsx, Format::Json] {
            let _ = scan(f, Data::Bytes(bytes.clone()), lookups(), None);
        }
    }

    #[test]
    fn mangled_good_files_never_panic(cut in 0usize..400, flip in 0usize..400, byte in any::<u8>()) {
        let mut csv = GOOD.as_bytes().to_vec();
        let json = br#"[{"country":"KEN","item":"PPE-MASK-MED","quantity":"5","priority":"high","needed_by":"2027-01-31"}]"#.to_vec();
        for (f, mut b) in [(Format::Hxl, std::mem::take(&mut csv)), (Format::Json, json)] {
            if !b.is_empty() {
                let i = flip % b.len();
                b[i] = byte;
            }
            b.truncate(cut.min(b.len()));
            let _ = scan(f, Data::Bytes(b), lookups(), None);
        }
    }
}
