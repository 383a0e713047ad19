//! JSON in the API's own schema: an array of records, read one record at a
//! time and written one record at a time.

use crate::mapping::Mapper;
use crate::source::ReadSeek;
use needsdb_store::ImportChunk;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Write;

type ChunkSink<'a> = dyn FnMut(&mut Mapper, ImportChunk) -> bool + 'a;

struct Records<'m, 's, 'a> {
    mapper: &'m mut Mapper,
    sink: &'s mut ChunkSink<'a>,
}

impl<'de> Visitor<'de> for Records<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0u64;
        while let Some(v) = seq.next_element::<Value>()? {
            n += 1;
            if let Some(chunk) = self.mapper.json_record(n, v)
                && !(self.sink)(self.mapper, chunk)
            {
                return Err(serde::de::Error::custom("the import stopped"));
            }
        }
        Ok(())
    }
}

pub(crate) fn read(reader: Box<dyn ReadSeek>, mapper: &mut Mapper, sink: &mut ChunkSink) {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let result = de.deserialize_seq(Records { mapper, sink }).and_then(|()| de.end());
    if let Err(e) = result {
        mapper.problem(
            e.line() as u64,
            None,
            "file",
            "malformed_json",
            format!(
                "the JSON cannot be read at line {}, column {}: {e}",
                e.line(),
                e.column()
            ),
            "send an array of records, as `needsdb export --format json` writes".into(),
        );
    }
}

/// Writes `[`, records separated by commas, and `]`, one record per line.
pub struct ArrayWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> ArrayWriter<W> {
    pub fn new(mut out: W) -> std::io::Result<Self> {
        out.write_all(b"[")?;
        Ok(Self { out, first: true })
    }

    pub fn item(&mut self, v: &Value) -> Result<(), crate::error::ExportError> {
        self.out.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        serde_json::to_writer(&mut self.out, v).map_err(std::io::Error::from)?;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(b"\n]\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}
