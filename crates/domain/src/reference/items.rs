use super::{ReferenceError, Row, records};
use crate::codes::ItemCode;
use serde::{Deserialize, Serialize};

/// A relief item from the catalogue. Quantities of it are integers in base
/// units: `10^decimals` base units make one `unit` (a tonne counted in kg).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogueItem {
    pub code: ItemCode,
    pub cluster: String,
    pub category: String,
    pub name_en: String,
    pub unit: String,
    pub unit_kind: UnitKind,
    pub decimals: u32,
    /// OECD DAC 5-digit purpose code, for IATI.
    pub dac_sector: String,
    /// An indicative value of one unit in US dollars, as exact decimal text,
    /// with where it comes from and when: goods are valued with it when
    /// their donor gives no value of their own.
    #[serde(default)]
    pub unit_value_usd: Option<String>,
    #[serde(default)]
    pub unit_value_source: Option<String>,
    #[serde(default)]
    pub unit_value_date: Option<chrono::NaiveDate>,
    /// A retired item is kept, with its needs and history, but no longer
    /// offered for new needs.
    #[serde(default)]
    pub retired: bool,
    /// Changes with every edit; the ETag of the item.
    #[serde(default = "first_version")]
    pub version: i64,
}

fn first_version() -> i64 {
    1
}

impl CatalogueItem {
    /// The indicative US dollars per unit, when the catalogue has one.
    pub fn unit_value(&self) -> Option<crate::money::FxRate> {
        self.unit_value_usd
            .as_deref()
            .and_then(|v| crate::money::FxRate::parse("unit_value_usd", v).ok())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UnitKind {
    Count,
    Mass,
    Volume,
    Area,
    People,
    Money,
}

impl UnitKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Mass => "mass",
            Self::Volume => "volume",
            Self::Area => "area",
            Self::People => "people",
            Self::Money => "money",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "count" => Some(Self::Count),
            "mass" => Some(Self::Mass),
            "volume" => Some(Self::Volume),
            "area" => Some(Self::Area),
            "people" => Some(Self::People),
            "money" => Some(Self::Money),
            _ => None,
        }
    }
}

/// How finely a unit is counted. Tonnes are kept in kilograms, square
/// kilometres in square metres (mine clearance is reported to the m²), litres
/// in millilitres; anything counted in pieces, kits or people is whole.
pub fn default_decimals(unit: &str) -> u32 {
    match unit {
        "tonne" | "litre" | "cubic_metre" => 3,
        "square_kilometre" => 6,
        "usd" => 2,
        _ => 0,
    }
}

pub(super) fn parse(text: &str) -> Result<Vec<CatalogueItem>, ReferenceError> {
    let (h, rows) = records("item_catalogue.csv", text)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, rec) in &rows {
        let r = Row {
            file: "item_catalogue.csv",
            row: *row,
            headers: &h,
            rec,
        };
        let kind = r.get("unit_kind")?;
        let unit = r.get("unit")?.to_owned();
        out.push(CatalogueItem {
            code: ItemCode::parse("code", r.get("code")?).map_err(|e| r.error(e.message))?,
            cluster: r.get("cluster")?.to_owned(),
            category: r.get("category")?.to_owned(),
            name_en: r.get("name_en")?.to_owned(),
            unit_kind: UnitKind::parse(kind).ok_or_else(|| r.error(format!("unknown unit kind '{kind}'")))?,
            decimals: default_decimals(&unit),
            unit,
            dac_sector: r.get("dac_sector")?.to_owned(),
            unit_value_usd: None,
            unit_value_source: None,
            unit_value_date: None,
            retired: false,
            version: 1,
        });
    }
    Ok(out)
}
