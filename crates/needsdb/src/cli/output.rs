//! Printing results as a readable table, JSON, or CSV.

use super::Format;
use crate::tabular::write_csv;
use serde_json::Value;
use std::io::Write;

/// Prints a list. `columns` are the fields a table shows (dotted paths reach
/// into nested objects); JSON and CSV carry every field.
pub fn print_rows(
    fmt: Format,
    rows: &[Value],
    columns: &[&str],
    page: Option<(i64, Option<String>)>,
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
                    write!(out, "; next page: --cursor {n}")?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
