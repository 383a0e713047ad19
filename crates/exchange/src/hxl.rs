//! HXL-tagged CSV: a row of hashtags under (or instead of) the headers.
//! Read as UTF-8 with or without a byte-order mark, comma, semicolon or tab
//! separated; written as UTF-8 with commas, a header row and a hashtag row.

use crate::cells::{Cell, neutralise};
use crate::columns::Column;
use crate::mapping::Mapper;
use crate::source::{ReadSeek, RowSink};
use std::io::{Read, Write};

const SNIFF: usize = 64 * 1024;

pub(crate) fn read(mut reader: Box<dyn ReadSeek>, mapper: &mut Mapper, sink: &mut RowSink) {
    let mut head = Vec::with_capacity(SNIFF);
    if let Err(e) = (&mut reader).take(SNIFF as u64).read_to_end(&mut head) {
        mapper.problem(
            0,
            None,
            "file",
            "unreadable",
            format!("the file cannot be read: {e}"),
            "check the file".into(),
        );
        return;
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        mapper.problem(
            0,
            None,
            "file",
            "wrong_encoding",
            "the file is UTF-16 text; needsdb reads UTF-8".into(),
            "save it again as \"CSV UTF-8 (comma delimited)\"".into(),
        );
        return;
    }
    let start = if head.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    let delimiter = sniff_delimiter(&head[start..]);
    let body = std::io::Cursor::new(head[start..].to_vec()).chain(reader);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body);
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e.position().map(|p| p.line()).unwrap_or(0);
                mapper.problem(
                    row,
                    None,
                    "file",
                    "malformed_csv",
                    format!("the CSV cannot be read past line {row}: {e}"),
                    "check the quotes on that line, or export the sheet again as CSV".into(),
                );
                return;
            }
        }
        let row = rec.position().map(|p| p.line()).unwrap_or(0);
        let mut cells = Vec::with_capacity(rec.len());
        let mut bad = false;
        for (i, field) in rec.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok("") => cells.push(Cell::Empty),
                Ok(s) => cells.push(Cell::Text(s.to_owned())),
                Err(_) => {
                    bad = true;
                    mapper.problem(
                        row,
                        Some(crate::columns::letters(i)),
                        "file",
                        "wrong_encoding",
                        format!("column {} is not UTF-8 text", crate::columns::letters(i)),
                        "save the file as \"CSV UTF-8 (comma delimited)\"".into(),
                    );
                    break;
                }
            }
        }
        if bad {
            continue;
        }
        if !sink(mapper, row, cells) {
            return;
        }
    }
}

/// The separator the first line uses most, outside quotes: comma, semicolon or tab.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Writes HXL CSV: the labels, the hashtags, then one row per record.
/// Text that a spreadsheet would run as a formula is neutralised.
pub struct Writer<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, columns: &[Column]) -> csv::Result<Self> {
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(columns.iter().map(|c| c.label))?;
        csv.write_record(columns.iter().map(|c| c.tag))?;
        Ok(Self { csv })
    }

    pub fn row(&mut self, cells: &[crate::cells::Out]) -> csv::Result<()> {
        self.csv.write_record(cells.iter().map(|c| match c {
            crate::cells::Out::Text(s) => neutralise(s).into_owned(),
            crate::cells::Out::Number(s) | crate::cells::Out::Date(s) => s.clone(),
            crate::cells::Out::Empty => String::new(),
        }))
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.csv.flush()?;
        self.csv.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::sniff_delimiter;

    #[test]
    fn separators_are_found_from_the_first_line() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n1,2,3,4,5"), b';');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b""), b',');
    }
}
