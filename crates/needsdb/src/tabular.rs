//! Lists as CSV, shared by the command line and the API: nested objects
//! become dotted columns, and cells a spreadsheet would run as a formula are
//! neutralised.

use serde_json::Value;
use std::io::Write;

/// Flattens nested objects into dotted column names; arrays become JSON text.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, x, out);
            }
        }
        other => out.push((prefix.to_owned(), other.clone())),
    }
}

/// A spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a
/// formula; the exchange formats and these lists neutralise it the same way.
fn neutralise(s: &str) -> String {
    needsdb_exchange::cells::neutralise(s).into_owned()
}

pub fn write_csv(out: &mut impl Write, rows: &[Value]) -> anyhow::Result<()> {
    write_csv_shaped(out, rows, &Value::Null)
}

/// As `write_csv`, but a list with no rows still gets its header, taken from
/// `shape`, an example row: an empty download should say what it would hold.
pub fn write_csv_shaped(out: &mut impl Write, rows: &[Value], shape: &Value) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = Vec::new();
    let shapes = std::slice::from_ref(shape);
    let source = if rows.is_empty() && shape.is_object() {
        shapes
    } else {
        rows
    };
    let flat: Vec<Vec<(String, Value)>> = source
        .iter()
        .map(|r| {
            let mut f = Vec::new();
            flatten("", r, &mut f);
            f
        })
        .collect();
    for f in &flat {
        for (k, _) in f {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    w.write_record(&header)?;
    for f in flat.iter().take(rows.len()) {
        let rec: Vec<String> = header
            .iter()
            .map(|h| match f.iter().find(|(k, _)| k == h).map(|(_, v)| v) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => neutralise(s),
                Some(v @ Value::Array(_)) => neutralise(&v.to_string()),
                Some(v) => v.to_string(),
            })
            .collect();
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_flattens_and_neutralises_formulas() {
        let mut buf = Vec::new();
        write_csv(
            &mut buf,
            &[json!({"a": "=SUM(A1)", "b": {"c": 2}, "d": [1, 2], "e": "-1+1", "f": "@x"})],
        )
        .unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text, "a,b.c,d,e,f\n'=SUM(A1),2,\"[1,2]\",'-1+1,'@x\n");
    }

    #[test]
    fn an_empty_list_keeps_its_header() {
        let mut buf = Vec::new();
        write_csv_shaped(&mut buf, &[], &json!({"a": 1, "b": {"c": 2}})).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "a,b.c\n");
        let mut buf = Vec::new();
        write_csv_shaped(&mut buf, &[json!({"x": 1})], &json!({"a": 1})).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "x\n1\n");
    }
}
