//! Reference data embedded in the binary: countries and areas with their UN
//! names, regions, income groups, population and NAM status; the relief item
//! catalogue; well-known organisations. The files live in the project's
//! `data/` folder (see `data/SOURCES.md`) and are parsed here, so every count
//! comes from the data files, never from numbers written into code.

mod clusters;
pub mod codelists;
mod countries;
mod items;
mod organisations;

pub use clusters::Cluster;
pub use countries::{Area, Country, IncomeGroup, NamStatus, Names, WhoRegion};
pub use items::{CatalogueItem, UnitKind, default_decimals};
pub use organisations::Organisation;

use std::sync::OnceLock;

pub(crate) const COUNTRIES_CSV: &str = include_str!("../../../../data/countries.csv");
pub(crate) const NAM_CSV: &str = include_str!("../../../../data/nam_membership.csv");
pub(crate) const WHO_CSV: &str = include_str!("../../../../data/who_regions.csv");
pub(crate) const ITEMS_CSV: &str = include_str!("../../../../data/item_catalogue.csv");
pub(crate) const ORGS_CSV: &str = include_str!("../../../../data/organisations.csv");
pub(crate) const CLUSTERS_CSV: &str = include_str!("../../../../data/clusters.csv");
/// The IATI DAC 5-digit sector codelist: the codes an item's `dac_sector` may take.
pub(crate) const SECTOR_XML: &str = include_str!("../../../../data/iati/2.03/codelists/Sector.xml");

/// The embedded files by name, for fingerprinting what a database was loaded from.
pub fn sources() -> [(&'static str, &'static str); 6] {
    [
        ("clusters.csv", CLUSTERS_CSV),
        ("countries.csv", COUNTRIES_CSV),
        ("nam_membership.csv", NAM_CSV),
        ("who_regions.csv", WHO_CSV),
        ("item_catalogue.csv", ITEMS_CSV),
        ("organisations.csv", ORGS_CSV),
    ]
}

/// The parsed reference data.
#[derive(Debug, Clone)]
pub struct Reference {
    pub countries: Vec<Country>,
    pub items: Vec<CatalogueItem>,
    pub organisations: Vec<Organisation>,
    pub clusters: Vec<Cluster>,
    /// DAC 5-digit sector codes with their English names.
    pub dac_sectors: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
#[error("embedded reference data {file}, row {row}: {message}")]
pub struct ReferenceError {
    pub file: &'static str,
    pub row: usize,
    pub message: String,
}

impl Reference {
    pub fn parse() -> Result<Self, ReferenceError> {
        Ok(Self {
            countries: countries::parse(COUNTRIES_CSV, NAM_CSV, WHO_CSV)?,
            items: items::parse(ITEMS_CSV)?,
            organisations: organisations::parse(ORGS_CSV, NAM_CSV)?,
            clusters: clusters::parse(CLUSTERS_CSV)?,
            dac_sectors: codelists::parse(SECTOR_XML),
        })
    }

    pub fn country(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso3.as_str() == iso3)
    }

    pub fn cluster(&self, code: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.code == code)
    }
}

/// The embedded reference data, parsed once. The files are fixed at compile
/// time and a unit test parses them, so a failure here is a build defect.
pub fn embedded() -> Result<&'static Reference, &'static ReferenceError> {
    static CELL: OnceLock<Result<Reference, ReferenceError>> = OnceLock::new();
    CELL.get_or_init(Reference::parse).as_ref()
}

/// Reads an embedded CSV into string records with their 1-based data row numbers.
pub(crate) fn records(
    file: &'static str,
    text: &str,
) -> Result<(csv::StringRecord, Vec<(usize, csv::StringRecord)>), ReferenceError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| ReferenceError {
            file,
            row: 0,
            message: e.to_string(),
        })?
        .clone();
    let mut rows = Vec::new();
    for (i, r) in rdr.records().enumerate() {
        let rec = r.map_err(|e| ReferenceError {
            file,
            row: i + 1,
            message: e.to_string(),
        })?;
        rows.push((i + 1, rec));
    }
    Ok((headers, rows))
}

/// Field access by header name, so a column added to a data file never shifts meaning.
pub(crate) struct Row<'a> {
    pub file: &'static str,
    pub row: usize,
    pub headers: &'a csv::StringRecord,
    pub rec: &'a csv::StringRecord,
}

impl Row<'_> {
    pub fn get(&self, name: &str) -> Result<&str, ReferenceError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.rec.get(i))
            .map(str::trim)
            .ok_or_else(|| self.error(format!("missing column {name}")))
    }

    pub fn opt(&self, name: &str) -> Result<Option<String>, ReferenceError> {
        let v = self.get(name)?;
        Ok((!v.is_empty()).then(|| v.to_owned()))
    }

    pub fn error(&self, message: String) -> ReferenceError {
        ReferenceError {
            file: self.file,
            row: self.row,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_data_parses() {
        let r = embedded().unwrap();
        assert!(!r.countries.is_empty());
        assert!(!r.items.is_empty());
        assert!(!r.organisations.is_empty());
    }

    #[test]
    fn every_catalogue_item_has_a_known_cluster_and_sector() {
        let r = embedded().unwrap();
        assert!(r.dac_sectors.len() > 200, "{}", r.dac_sectors.len());
        assert_eq!(
            r.dac_sectors.get("72010").map(String::as_str),
            Some("Material relief assistance and services")
        );
        for i in &r.items {
            assert!(r.cluster(&i.cluster).is_some(), "{}: cluster {}", i.code, i.cluster);
            assert!(
                r.dac_sectors.contains_key(&i.dac_sector),
                "{}: sector {}",
                i.code,
                i.dac_sector
            );
        }
    }
}
