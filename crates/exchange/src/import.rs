//! Import: a reader thread turns the file into chunks of records while the
//! store writes them inside one transaction. The channel between them holds
//! a few chunks, so memory stays flat however long the file is.

use crate::cells::Cell;
use crate::mapping::{Kind, Lookups, Mapper};
use crate::report::{FileProblem, Report, fix_for};
use crate::source::ReadSeek;
use crate::{Format, Progress};
use needsdb_store::{Actor, ImportChunk, ImportOptions, ImportSource, Store, StoreError};
use sha2::{Digest, Sha256};
use std::io::{BufReader, Cursor};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc::{Receiver, Sender, channel};

/// Where the file is: on disk (the CLI) or in memory (an upload).
pub enum Data {
    Path(PathBuf),
    Bytes(Vec<u8>),
}

pub struct Options {
    pub dry_run: bool,
    pub accept_suggestions: bool,
    /// Suggested names the user confirmed one by one: (as written, code).
    /// Each is taken as if it had been written exactly; other suggestions
    /// stay problems.
    pub confirmed: Vec<(String, String)>,
    /// Needs or contributions; found from the columns when not given.
    pub kind: Option<Kind>,
    /// The file's name, for the report and the audit log.
    pub label: String,
    /// Who may import what; none for the command line, which is trusted.
    pub guard: Option<Arc<dyn crate::mapping::RowGuard>>,
    /// How numbers in text cells are written; without it, a number whose
    /// value depends on the decimal mark is a problem, never a guess.
    pub decimal: Option<needsdb_domain::decimal::Style>,
    /// Told when the import moves from checking to writing.
    pub on_phase: Option<Arc<dyn Fn(&'static str) + Send + Sync>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the reader stopped unexpectedly")]
    Reader,
}

struct ChannelSource {
    rx: Receiver<ImportChunk>,
    failed: Arc<AtomicBool>,
}

#[async_trait::async_trait]
impl ImportSource for ChannelSource {
    async fn next_chunk(&mut self) -> Option<ImportChunk> {
        self.rx.recv().await
    }
    fn has_problems(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }
}

fn fingerprint(data: &Data) -> std::io::Result<String> {
    let mut h = Sha256::new();
    match data {
        Data::Bytes(b) => h.update(b),
        Data::Path(p) => {
            let mut f = BufReader::new(std::fs::File::open(p)?);
            std::io::copy(&mut f, &mut h)?;
        }
    }
    Ok(hex::encode(h.finalize()))
}

pub async fn import(
    store: &dyn Store,
    actor: &Actor,
    lookups: Arc<Lookups>,
    format: Format,
    data: Data,
    opts: &Options,
    progress: Arc<dyn Progress>,
) -> Result<Report, ImportError> {
    let sha = fingerprint(&data).map_err(|e| ImportError::Io(opts.label.clone(), e))?;
    let (tx, rx) = channel::<ImportChunk>(4);
    let failed = Arc::new(AtomicBool::new(false));
    let mut mapper = Mapper::new(lookups, opts.accept_suggestions, opts.kind)
        .with_confirmed(&opts.confirmed)
        .with_guard(opts.guard.clone())
        .with_style(opts.decimal);
    let flag = failed.clone();
    let reader = std::thread::spawn(move || {
        let mut out = Out {
            tx,
            failed: flag,
            progress,
        };
        read(format, data, &mut mapper, &mut out);
        if let Some(chunk) = mapper.finish() {
            out.send(&mapper, chunk);
        }
        out.failed.store(mapper.problem_count > 0, Ordering::SeqCst);
        out.progress.done(mapper.rows);
        mapper
    });
    let mut source = ChannelSource { rx, failed };
    let store_opts = ImportOptions {
        dry_run: opts.dry_run,
        label: opts.label.clone(),
        fingerprint: sha,
        on_phase: opts.on_phase.clone(),
    };
    let outcome = store.import(actor, &mut source, &store_opts).await;
    // Unblocks the reader if the store stopped early.
    drop(source);
    // The reader has finished or stops at its next send; waiting for it
    // must not hold up the runtime.
    let mapper = tokio::task::spawn_blocking(move || reader.join())
        .await
        .map_err(|_| ImportError::Reader)?
        .map_err(|_| ImportError::Reader)?;
    let outcome = outcome?;
    let mut problems = mapper.problems.clone();
    for p in outcome.problems {
        problems.push(FileProblem {
            row: p.row,
            column: mapper.column_of(&p.field),
            fix: fix_for(&p.code, &p.field),
            field: p.field,
            code: p.code,
            message: p.message,
            suggestion: None,
        });
    }
    problems.sort_by_key(|p| p.row);
    problems.truncate(needsdb_store::MAX_ROW_PROBLEMS);
    let problem_count = mapper.problem_count + outcome.problem_count;
    Ok(Report {
        file: opts.label.clone(),
        format: format.as_str(),
        kind: mapper.kind(),
        dry_run: opts.dry_run,
        rows: mapper.rows,
        created: outcome.created,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        duplicates: outcome.duplicates,
        committed: outcome.committed && problem_count == 0,
        warnings: mapper.warnings,
        accepted: mapper.accepted,
        accepted_count: mapper.accepted_count,
        problem_count,
        problems,
    })
}

/// The reader's end of the channel.
struct Out {
    tx: Sender<ImportChunk>,
    failed: Arc<AtomicBool>,
    progress: Arc<dyn Progress>,
}

impl Out {
    /// False once the store has stopped listening.
    fn send(&mut self, mapper: &Mapper, chunk: ImportChunk) -> bool {
        self.failed.store(mapper.problem_count > 0, Ordering::SeqCst);
        self.progress.rows(mapper.rows);
        // The reader is a plain thread: it may block while the store catches up.
        self.tx.blocking_send(chunk).is_ok()
    }

    fn row(&mut self, mapper: &mut Mapper, row: u64, cells: Vec<Cell>) -> bool {
        match mapper.row(row, cells) {
            Some(chunk) => self.send(mapper, chunk),
            None => true,
        }
    }
}

fn file_problem(mapper: &mut Mapper, row: u64, code: &str, message: String, fix: &str) {
    mapper.problem(row, None, "file", code, message, fix.to_owned());
}

fn read(format: Format, data: Data, mapper: &mut Mapper, out: &mut Out) {
    let opened: Result<Box<dyn ReadSeek>, std::io::Error> = match data {
        Data::Bytes(b) => Ok(Box::new(Cursor::new(b))),
        Data::Path(p) => std::fs::File::open(&p).map(|f| Box::new(BufReader::new(f)) as Box<dyn ReadSeek>),
    };
    let reader = match opened {
        Ok(r) => r,
        Err(e) => {
            file_problem(
                mapper,
                0,
                "unreadable",
                format!("the file cannot be read: {e}"),
                "check the path",
            );
            return;
        }
    };
    match format {
        Format::Hxl => crate::hxl::read(reader, mapper, &mut |m, row, cells| out.row(m, row, cells)),
        Format::Xlsx => crate::xlsx::read(reader, mapper, &mut |m, row, cells| out.row(m, row, cells)),
        Format::Json => crate::json::read(reader, mapper, &mut |m, chunk| out.send(m, chunk)),
        Format::Iati => file_problem(
            mapper,
            0,
            "unsupported",
            "IATI XML is an export format; needsdb does not import it".into(),
            "import HXL CSV, XLSX or JSON",
        ),
    }
}

/// Reads and maps a whole file without a store: what the reader alone finds
/// (unreadable cells, names that do not resolve, a malformed file). The
/// records are counted and dropped. It blocks: call it outside an async
/// runtime (or from `spawn_blocking`).
pub fn scan(format: Format, data: Data, lookups: Arc<Lookups>, kind: Option<Kind>) -> Mapper {
    let (tx, mut rx) = channel::<ImportChunk>(1);
    let drain = std::thread::spawn(move || while rx.blocking_recv().is_some() {});
    let mut mapper = Mapper::new(lookups, false, kind);
    let mut out = Out {
        tx,
        failed: Arc::new(AtomicBool::new(false)),
        progress: Arc::new(crate::Silent),
    };
    read(format, data, &mut mapper, &mut out);
    if let Some(chunk) = mapper.finish() {
        out.send(&mapper, chunk);
    }
    drop(out);
    let _ = drain.join();
    mapper
}
