//! Country names as public lists write them (World Bank, IMF, UNHCR, ITU,
//! UNSD; see fixtures/public_country_names.md) resolve to the right code.

#![allow(clippy::unwrap_used)]

use needsdb_exchange::resolve::{MatchKind, Resolver};

#[test]
fn names_from_public_country_lists_resolve_to_their_codes() {
    let resolver = Resolver::countries(needsdb_domain::reference::embedded().unwrap());
    let text = include_str!("fixtures/public_country_names.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut wrong = Vec::new();
    let mut checked = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let (source, name, iso3, expect) = (&rec[0], &rec[1], &rec[2], &rec[3]);
        let r = resolver.resolve(name);
        let ok = match expect {
            "exact" => r.kind == MatchKind::Exact && r.code.as_deref() == Some(iso3),
            // A name of two states: a question that offers the right one,
            // never an answer taken silently.
            _ => {
                r.kind == MatchKind::Suggestion
                    && r.accepted(true).is_none()
                    && r.candidates.iter().any(|c| c.code == iso3)
            }
        };
        if !ok {
            wrong.push(format!(
                "{source}: '{name}' should be {expect} {iso3}, got {:?} {:?}",
                r.kind, r.code
            ));
        }
        checked += 1;
    }
    assert!(checked > 80, "{checked}");
    assert!(
        wrong.is_empty(),
        "{} of {checked} names resolved wrongly:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
