//! The humanitarian clusters an item belongs to (after the IASC global
//! clusters), with their names in the six UN languages.

use super::{ReferenceError, Row, records};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cluster {
    pub code: String,
    pub name_en: String,
    pub name_fr: String,
    pub name_es: String,
    pub name_ru: String,
    pub name_zh: String,
    pub name_ar: String,
}

impl Cluster {
    /// The name in a UN language (`en`, `fr`, `es`, `ru`, `zh`, `ar`); English otherwise.
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.name_fr,
            "es" => &self.name_es,
            "ru" => &self.name_ru,
            "zh" => &self.name_zh,
            "ar" => &self.name_ar,
            _ => &self.name_en,
        }
    }
}

pub(super) fn parse(text: &str) -> Result<Vec<Cluster>, ReferenceError> {
    let (h, rows) = records("clusters.csv", text)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, rec) in &rows {
        let r = Row {
            file: "clusters.csv",
            row: *row,
            headers: &h,
            rec,
        };
        out.push(Cluster {
            code: r.get("code")?.to_owned(),
            name_en: r.get("name_en")?.to_owned(),
            name_fr: r.get("name_fr")?.to_owned(),
            name_es: r.get("name_es")?.to_owned(),
            name_ru: r.get("name_ru")?.to_owned(),
            name_zh: r.get("name_zh")?.to_owned(),
            name_ar: r.get("name_ar")?.to_owned(),
        });
    }
    Ok(out)
}
