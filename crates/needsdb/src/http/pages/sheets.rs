//! Every table on a page can be downloaded as CSV or Excel, with the page's
//! filters kept: the link is the page's own address plus
//! `download=<table>&format=csv|xlsx`, so the figures are the ones shown.
//! Headers are in the page's language; numbers are plain (a point, no
//! grouping) and dates ISO, so a spreadsheet reads them as numbers and dates.

use super::Page;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub enum Cell {
    Text(String),
    /// A decimal as the API writes it (`"1234.5"`), or an integer.
    Num(String),
    Date(chrono::NaiveDate),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell::Text(s.into())
    }

    pub fn num(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Number(n) => Cell::Num(n.to_string()),
            serde_json::Value::String(s) => Cell::Num(s.clone()),
            serde_json::Value::Null => Cell::Text(String::new()),
            other => Cell::Text(other.to_string()),
        }
    }

    pub fn int(v: i64) -> Self {
        Cell::Num(v.to_string())
    }
}

/// One table as data: its file name, header and rows.
pub struct Sheet {
    pub name: &'static str,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A header from Fluent keys, in the page's language.
    pub fn new(page: &Page, name: &'static str, keys: &[&str]) -> Self {
        Sheet {
            name,
            head: keys.iter().map(|k| page.t(k)).collect(),
            rows: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Download {
    Csv,
    Xlsx,
}

impl Download {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Download::Csv),
            "xlsx" => Some(Download::Xlsx),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Download::Csv => "csv",
            Download::Xlsx => "xlsx",
        }
    }
}

/// The table and format a page's address asks for, if any.
pub fn requested(query: Option<&str>) -> Option<(usize, Download)> {
    let q = query?;
    let mut table = None;
    let mut format = None;
    for (k, v) in form_urlencoded::parse(q.as_bytes()) {
        match &*k {
            "download" => table = v.parse::<usize>().ok(),
            "format" => format = Download::parse(&v),
            _ => {}
        }
    }
    Some((table?, format?))
}

/// The page's query without the download's own parameters or a notice.
pub fn kept_query(query: Option<&str>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if !matches!(&*k, "download" | "format" | "done") {
            ser.append_pair(&k, &v);
        }
    }
    ser.finish()
}

/// The answer to a download: the sheet `n` of `sheets`, or a 404 page when
/// the page has no such table.
pub fn send(page: Page, sheets: Vec<Sheet>, n: usize, format: Download) -> Response {
    let Some(sheet) = sheets.into_iter().nth(n) else {
        return super::message(page, StatusCode::NOT_FOUND, "not-found-title", "not-found-text");
    };
    let body = match format {
        Download::Csv => csv_bytes(&sheet),
        Download::Xlsx => xlsx_bytes(&sheet),
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "a table download failed");
            return super::message(
                page,
                StatusCode::INTERNAL_SERVER_ERROR,
                "unavailable-title",
                "unavailable-text",
            );
        }
    };
    let content_type = match format {
        Download::Csv => "text/csv; charset=utf-8",
        Download::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"needsdb-{}.{}\"",
        sheet.name,
        format.as_str()
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(page.lang.code()));
    r
}

fn csv_bytes(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(
        sheet
            .head
            .iter()
            .map(|h| needsdb_exchange::cells::neutralise(h).into_owned()),
    )?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) => needsdb_exchange::cells::neutralise(s).into_owned(),
            Cell::Num(n) => n.clone(),
            Cell::Date(d) => d.to_string(),
        }))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

fn xlsx_bytes(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = book.add_worksheet();
    for (c, h) in sheet.head.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, h, &bold)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (c, cell) in row.iter().enumerate() {
            let c = col(c)?;
            // Strings are written as strings, never as formulas.
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Num(n) => match n.parse::<f64>() {
                    Ok(v) => ws.write_number(r, c, v)?,
                    Err(_) => ws.write_string(r, c, n)?,
                },
                Cell::Date(d) => ws.write_date_with_format(r, c, excel_date(*d)?, &date)?,
            };
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !sheet.head.is_empty() {
        ws.autofilter(0, 0, u32::try_from(sheet.rows.len())?, col(sheet.head.len() - 1)?)?;
    }
    Ok(book.save_to_buffer()?)
}

fn excel_date(d: chrono::NaiveDate) -> anyhow::Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Datelike;
    Ok(rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(d.year())?,
        u8::try_from(d.month())?,
        u8::try_from(d.day())?,
    )?)
}

fn col(c: usize) -> anyhow::Result<u16> {
    Ok(u16::try_from(c)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_asked_by_table_and_format_and_keeps_the_filters() {
        assert_eq!(
            requested(Some("country=KEN&download=1&format=xlsx")),
            Some((1, Download::Xlsx))
        );
        assert_eq!(requested(Some("download=1&format=pdf")), None);
        assert_eq!(requested(Some("country=KEN")), None);
        assert_eq!(
            kept_query(Some("country=KEN&done=merged&download=0&format=csv&item=A%20B")),
            "country=KEN&item=A+B"
        );
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised_and_numbers_stay_plain() {
        let sheet = Sheet {
            name: "t",
            head: vec!["What".into(), "How many".into()],
            rows: vec![vec![Cell::text("=HYPERLINK(1)"), Cell::Num("1234.5".into())]],
        };
        let out = String::from_utf8(csv_bytes(&sheet).expect("csv")).expect("utf8");
        assert_eq!(out, "What,How many\n'=HYPERLINK(1),1234.5\n");
        assert!(xlsx_bytes(&sheet).expect("xlsx").starts_with(b"PK"));
    }
}
