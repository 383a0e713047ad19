//! The IATI codelists needsdb checks against, read from the official XML
//! files shipped in `data/iati/2.03/codelists` (see `data/SOURCES.md`).
//! Only codes and English names are needed, so a small scan of the
//! `<codelist-item>` elements does instead of an XML library.

use std::collections::BTreeMap;

/// Codes of a codelist with their English names, in code order.
pub fn parse(xml: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in xml.split("<codelist-item").skip(1) {
        let Some(code) = between(item, "<code>", "</code>") else {
            continue;
        };
        let name = between(item, "<narrative>", "</narrative>").unwrap_or_default();
        out.insert(code.trim().to_owned(), unescape(name.trim()));
    }
    out
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].find(close)? + start;
    Some(&s[start..end])
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_and_names_are_read() {
        let xml = "<codelist><codelist-items><codelist-item><code>1</code><name><narrative>A &amp; B</narrative>\
                   <narrative xml:lang=\"fr\">x</narrative></name></codelist-item><codelist-item><code>2</code>\
                   <name><narrative>Two</narrative></name></codelist-item></codelist-items></codelist>";
        let m = super::parse(xml);
        assert_eq!(m.len(), 2);
        assert_eq!(m["1"], "A & B");
    }
}
