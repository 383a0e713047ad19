//! Cells as readers find them, and how a cell becomes the text an API field
//! takes. Spreadsheets hold numbers and dates as such; CSV holds text.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date (the workbook's epoch already applied).
    Date(NaiveDate),
    Bool(bool),
    /// A spreadsheet error value such as `#REF!`.
    Error(String),
}

/// The largest cell needsdb reads, in bytes: longer text is refused, not cut.
pub const MAX_CELL: usize = 32 * 1024;

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for a field that takes text or a decimal number.
    /// A leading apostrophe that neutralised a formula on export is removed.
    pub fn text(&self) -> Result<Option<String>, String> {
        match self {
            Self::Empty => Ok(None),
            Self::Text(s) => {
                if s.len() > MAX_CELL {
                    return Err(format!(
                        "the cell holds {} bytes; the most needsdb reads is {MAX_CELL}",
                        s.len()
                    ));
                }
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                Ok(Some(unneutralise(t).to_owned()))
            }
            Self::Number(f) => Ok(Some(number_text(*f))),
            Self::Date(d) => Ok(Some(d.to_string())),
            Self::Bool(b) => Ok(Some(b.to_string())),
            Self::Error(e) => Err(format!("the cell holds the spreadsheet error {e}")),
        }
    }

    /// The cell as a date, from a date cell, an Excel serial number in the
    /// workbook's epoch, or text in a common form.
    pub fn date(&self, epoch_1904: bool) -> Result<Option<NaiveDate>, String> {
        match self {
            Self::Date(d) => Ok(Some(*d)),
            Self::Number(f) => excel_serial(*f, epoch_1904)
                .map(Some)
                .ok_or_else(|| format!("{} is not a date", number_text(*f))),
            _ => match self.text()? {
                None => Ok(None),
                Some(t) => parse_date(&t).map(Some),
            },
        }
    }
}

/// A cell's text without the apostrophe an export put before `=`, `+`, `-` or `@`.
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

/// A spreadsheet would run a cell starting with one of these as a formula:
/// written out, such a cell gets a leading apostrophe.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A number as a spreadsheet shows it: `12` rather than `12.0`.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        // The shortest text that reads back as the same number.
        format!("{f}")
    }
}

/// An Excel serial day number as a date. The 1900 system counts 1900-01-01 as
/// day 1 and (wrongly) has a 29 February 1900, so days from 61 on are one
/// ahead; the 1904 system counts 1904-01-01 as day 0.
pub fn excel_serial(f: f64, epoch_1904: bool) -> Option<NaiveDate> {
    if !f.is_finite() || !(0.0..=2_958_465.0).contains(&f) {
        return None;
    }
    let days = f.floor() as i64;
    if epoch_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(chrono::Days::new(days as u64))
    } else {
        if days == 0 || days == 60 {
            return None;
        }
        let base = NaiveDate::from_ymd_opt(1899, 12, 31)?;
        let days = if days > 60 { days - 1 } else { days };
        base.checked_add_days(chrono::Days::new(days as u64))
    }
}

/// `YYYY-MM-DD`, exactly.
fn iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Dates as people type them. Day and month written as numbers are read as
/// day first (as most of the world writes them) only when that cannot be
/// mistaken: `03/04/2026` is refused, `23/04/2026` is 23 April.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    // A date-time keeps its date.
    let t = t
        .split(['T', ' '])
        .next()
        .filter(|d| d.len() == 10 && d.contains('-'))
        .unwrap_or(t);
    // The common case, checked without chrono's format parser: a million
    // rows spent more time there than in reading the CSV.
    if let Some(d) = iso_date(t) {
        return Ok(d);
    }
    for f in [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d %b %Y",
        "%d %B %Y",
        "%b %d, %Y",
        "%B %d, %Y",
        "%d-%b-%Y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(t, f) {
            return Ok(d);
        }
    }
    let parts: Vec<&str> = t.split(['/', '.', '-']).collect();
    if let [a, b, y] = parts[..]
        && y.len() == 4
        && let (Ok(a), Ok(b), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>(), y.parse::<i32>())
    {
        let (day, month) = match (a, b) {
            (a, b) if a > 12 && b <= 12 => (a, b),
            (a, b) if b > 12 && a <= 12 => (b, a),
            (a, b) if a == b => (a, b),
            _ => {
                return Err(format!("'{s}' could be day/month or month/day; write it as YYYY-MM-DD"));
            }
        };
        if let Some(d) = NaiveDate::from_ymd_opt(y, month, day) {
            return Ok(d);
        }
    }
    Err(format!("'{s}' is not a date; write it as YYYY-MM-DD"))
}

/// A date as an Excel serial number in the 1900 system.
pub fn to_excel_serial(d: NaiveDate) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let days = (d - base).num_days();
    // Serial numbers below 61 precede Excel's phantom 29 February 1900.
    let days = if d.year() == 1900 && d.month() <= 2 {
        days - 1
    } else {
        days
    };
    days as f64
}

/// One exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    /// A decimal number, as text so nothing is lost on the way.
    Number(String),
    /// YYYY-MM-DD.
    Date(String),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn excel_serials_in_both_epochs() {
        assert_eq!(excel_serial(1.0, false), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial(59.0, false), Some(d(1900, 2, 28)));
        assert_eq!(excel_serial(60.0, false), None, "29 February 1900 never was");
        assert_eq!(excel_serial(61.0, false), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial(46349.0, false), Some(d(2026, 11, 23)));
        assert_eq!(excel_serial(46349.75, false), Some(d(2026, 11, 23)));
        assert_eq!(excel_serial(0.0, true), Some(d(1904, 1, 1)));
        assert_eq!(excel_serial(46349.0 - 1462.0, true), Some(d(2026, 11, 23)));
        assert_eq!(excel_serial(-1.0, false), None);
        assert_eq!(excel_serial(f64::NAN, false), None);
        assert_eq!(excel_serial(1e300, true), None);
        for day in [d(1900, 1, 1), d(1900, 3, 1), d(2026, 11, 23), d(9999, 12, 31)] {
            assert_eq!(excel_serial(to_excel_serial(day), false), Some(day));
        }
    }

    #[test]
    fn iso_dates_take_the_fast_path_and_agree_with_chrono() {
        for t in ["2026-11-23", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(iso_date(t), NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(), "{t}");
            assert!(iso_date(t).is_some(), "{t}");
        }
        // Not a date, or not exactly YYYY-MM-DD: left to the slower readers.
        for t in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-23",
            "2026/11/23",
            "20x6-11-23",
            "2026-11-2x",
            "+026-11-23",
        ] {
            assert_eq!(iso_date(t), None, "{t}");
        }
        assert_eq!(parse_date("2026-1-23"), Ok(d(2026, 1, 23)), "still read, the slow way");
    }

    #[test]
    fn dates_as_people_type_them() {
        for s in [
            "2026-11-23",
            "2026/11/23",
            "23/11/2026",
            "11/23/2026",
            "23.11.2026",
            "23 Nov 2026",
            "23 November 2026",
            "Nov 23, 2026",
            "2026-11-23T10:00:00",
            "2026-11-23 00:00:00",
        ] {
            assert_eq!(parse_date(s), Ok(d(2026, 11, 23)), "{s}");
        }
        assert!(parse_date("03/04/2026").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(parse_date("04/04/2026"), Ok(d(2026, 4, 4)));
        assert!(parse_date("31/02/2026").is_err());
        assert!(parse_date("soon").is_err());
    }

    #[test]
    fn neutralised_cells_read_back_as_written() {
        for s in ["=SUM(A1)", "+1", "-3", "@x", "plain"] {
            assert_eq!(
                Cell::Text(neutralise(s).into_owned()).text().unwrap().as_deref(),
                Some(s)
            );
        }
        assert_eq!(Cell::Text("'quoted".into()).text().unwrap().as_deref(), Some("'quoted"));
        assert!(Cell::Text("x".repeat(MAX_CELL + 1)).text().is_err());
        assert_eq!(Cell::Number(12.0).text().unwrap().as_deref(), Some("12"));
        assert_eq!(Cell::Number(0.25).text().unwrap().as_deref(), Some("0.25"));
    }
}
