//! Keyset pagination: a page ends at a row, and the next page starts after
//! that row's sort value and id. The cursor carries both, hex-encoded so
//! clients treat it as opaque.

use needsdb_domain::Invalid;

pub(super) fn encode(value: &str, id: i64) -> String {
    hex::encode(format!("{value}\u{1f}{id}"))
}

pub(super) fn decode(cursor: &str) -> Result<(String, i64), Invalid> {
    let bad = || {
        Invalid::one(
            "cursor",
            "invalid_cursor",
            "the cursor is not one this server gave out; start again from the first page",
        )
    };
    let bytes = hex::decode(cursor.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (value, id) = text.split_once('\u{1f}').ok_or_else(bad)?;
    Ok((value.to_owned(), id.parse().map_err(|_| bad())?))
}

/// A parsed `sort` parameter: a key from `allowed` and a direction.
pub(super) fn sort_spec<'a>(sort: Option<&str>, allowed: &[&'a str]) -> Result<(&'a str, bool), Invalid> {
    let s = sort.map(str::trim).unwrap_or("id");
    let (key, desc) = match s.strip_prefix('-') {
        Some(k) => (k, true),
        None => (s, false),
    };
    allowed.iter().find(|a| **a == key).map(|a| (*a, desc)).ok_or_else(|| {
        Invalid::one(
            "sort",
            "invalid_choice",
            format!(
                "cannot sort by '{key}' (use one of {}, with - for descending)",
                allowed.join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = super::encode("2026-12-31", 42);
        assert_eq!(super::decode(&c).unwrap(), ("2026-12-31".into(), 42));
        assert!(super::decode("zz").is_err());
        assert!(super::decode(&hex::encode("no separator")).is_err());
    }
}
