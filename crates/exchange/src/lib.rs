//! Exchange formats: how needs and contributions enter and leave needsdb
//! without retyping. HXL-tagged CSV, XLSX (with a per-country template),
//! JSON in the API's own schema, and IATI 2.03 activity XML; and the
//! resolver that turns names as people write them into codes.
//!
//! Readers turn a file into rows of [`cells::Cell`]s; [`mapping`] turns rows
//! into records and problems; [`import`] streams the records into the store
//! in one transaction. [`export`] turns records back into the same cells.

pub mod cells;
pub mod columns;
pub mod error;
pub mod export;
pub mod hxl;
pub mod iati;
pub mod import;
pub mod json;
pub mod mapping;
pub mod report;
pub mod resolve;
pub mod source;
pub mod xlsx;

pub use error::ExportError;
pub use export::{Selection, export};
pub use import::{Data, ImportError, Options, import};
pub use mapping::{Kind, Lookups, RowGuard};
pub use report::{FileProblem, Report};

use needsdb_store::Store;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hxl,
    Xlsx,
    Json,
    Iati,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_lowercase().as_str() {
            "hxl" | "csv" => Some(Self::Hxl),
            "xlsx" => Some(Self::Xlsx),
            "json" => Some(Self::Json),
            "iati" | "xml" => Some(Self::Iati),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hxl => "hxl",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
            Self::Iati => "iati",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Hxl => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Json => "application/json",
            Self::Iati => "application/xml",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Hxl => "csv",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
            Self::Iati => "xml",
        }
    }

    /// The format of a file, from its first bytes: a ZIP is XLSX, `[` or `{`
    /// JSON, `<` XML, anything else CSV.
    pub fn sniff(head: &[u8]) -> Format {
        if head.starts_with(b"PK\x03\x04") {
            return Self::Xlsx;
        }
        let text = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') | Some(b'{') => Self::Json,
            Some(b'<') => Self::Iati,
            _ => Self::Hxl,
        }
    }
}

/// How far an import has got, for a progress bar or log lines.
pub trait Progress: Send + Sync {
    fn rows(&self, rows: u64);
    fn done(&self, rows: u64);
}

/// No progress shown (the API).
pub struct Silent;

impl Progress for Silent {
    fn rows(&self, _: u64) {}
    fn done(&self, _: u64) {}
}

/// Names resolved against the embedded reference data alone (countries, the
/// catalogue as shipped, the known organisations): for checking files where
/// no store is at hand, such as the fuzz targets.
pub fn embedded_lookups() -> Result<Lookups, String> {
    let reference = needsdb_domain::reference::embedded().map_err(|e| e.to_string())?;
    Ok(Lookups {
        countries: resolve::Resolver::countries(reference),
        items: resolve::Resolver::items(&reference.items),
        organisations: reference.organisations.iter().map(|o| o.code.to_string()).collect(),
    })
}

/// What names are resolved against: the embedded countries, and the
/// store's own items and organisations (which users may have added to).
pub async fn lookups(store: &dyn Store) -> Result<Lookups, needsdb_store::StoreError> {
    let reference =
        needsdb_domain::reference::embedded().map_err(|e| needsdb_store::StoreError::Internal(e.to_string()))?;
    let items = store.items().await?;
    let organisations: HashSet<String> = store
        .parties()
        .await?
        .into_iter()
        .filter(|p| p.kind == "organisation")
        .map(|p| p.code)
        .collect();
    Ok(Lookups {
        countries: resolve::Resolver::countries(reference),
        items: resolve::Resolver::items(&items),
        organisations,
    })
}
