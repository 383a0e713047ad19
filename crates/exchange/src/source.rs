//! What the readers of each format read from, and hand their rows to. It
//! sits below both the formats and the import that drives them.

use crate::cells::Cell;
use crate::mapping::Mapper;
use std::io::{Read, Seek};

/// A file to read: on disk or in memory.
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// Called for each row a tabular reader finds; false stops reading.
pub type RowSink<'a> = dyn FnMut(&mut Mapper, u64, Vec<Cell>) -> bool + 'a;
