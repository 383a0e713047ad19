//! Printing results as a readable table, JSON, or CSV.

use super::Format;
use serde_json::Value;
use std::io::Write;

/// Prints a list. `columns` are the fields a table shows (dotted paths reach
/// into nested objects); JSON and CSV carry every field.
pub fn print_rows(
    fmt: Format,
    rows: &[Value],
    columns: &[&str],
    page: Option<(i64, Option<i64>)>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match fmt {
        Format::Json => {
            let v = match page {
                Some((total, next)) => serde_json::json!({"total": total, "next": next, "items": rows}),
                None => Value::Array(rows.to_vec()),
            };
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(&mut out, rows)?,
        Format::Table => {
            write_table(&mut out, rows, columns)?;
            if let Some((total, next)) = page {
                let shown = rows.len();
                write!(out, "{shown} of {total}")?;
                if let Some(n) = next {
                    write!(out, "; next page: --after {n}")?;
                }
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

/// Prints one record: as a two-column table, a JSON object or a one-row CSV.
pub fn print_value(fmt: Format, v: &Value, columns: &[&str]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match fmt {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, v)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(&mut out, std::slice::from_ref(v))?,
        Format::Table => {
            let width = columns.iter().map(|c| c.len()).max().unwrap_or(0);
            for c in columns {
                writeln!(out, "{c:width$}  {}", cell(lookup(v, c)))?;
            }
        }
    }
    Ok(())
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |v, key| v.get(key))
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().map(|x| cell(Some(x))).collect::<Vec<_>>().join(", "),
        Some(other) => other.to_string(),
    }
}

const MAX_CELL: usize = 48;

fn write_table(out: &mut impl Write, rows: &[Value], columns: &[&str]) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    let s = cell(lookup(r, c)).replace(['\n', '\r', '\t'], " ");
                    if s.chars().count() > MAX_CELL {
                        format!("{}…", s.chars().take(MAX_CELL - 1).collect::<String>())
                    } else {
                        s
                    }
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |out: &mut dyn Write, vals: &[String]| -> std::io::Result<()> {
        let parts: Vec<String> = vals
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v}{}", " ".repeat(w - v.chars().count())))
            .collect();
        writeln!(out, "{}", parts.join("  ").trim_end())
    };
    line(out, &columns.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>())?;
    for r in &cells {
        line(out, r)?;
    }
    Ok(())
}

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

/// A spreadsheet would run a cell starting with one of these as a formula.
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn write_csv(out: &mut impl Write, rows: &[Value]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = Vec::new();
    let flat: Vec<Vec<(String, Value)>> = rows
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
    for f in &flat {
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
        write_csv(&mut buf, &[json!({"a": "=SUM(A1)", "b": {"c": 2}, "d": [1, 2]})]).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(text, "a,b.c,d\n'=SUM(A1),2,\"[1,2]\"\n");
    }

    #[test]
    fn tables_align_and_reach_into_objects() {
        let mut buf = Vec::new();
        write_table(
            &mut buf,
            &[
                json!({"id": 1, "coverage": {"unmet": 40}}),
                json!({"id": 22, "coverage": {"unmet": 5}}),
            ],
            &["id", "coverage.unmet"],
        )
        .unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), "ID  COVERAGE.UNMET\n1   40\n22  5\n");
    }
}
