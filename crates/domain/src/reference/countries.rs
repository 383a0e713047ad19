use super::{ReferenceError, Row, records};
use crate::codes::Iso3;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct Country {
    pub iso3: Iso3,
    pub iso2: String,
    /// The three-digit UN M49 code, with its leading zeros.
    pub m49: String,
    pub names: Names,
    pub region: Option<Area>,
    pub subregion: Option<Area>,
    pub intermediate_region: Option<Area>,
    pub income_group: Option<IncomeGroup>,
    pub who_region: Option<WhoRegion>,
    pub nam_status: NamStatus,
    pub nam_group: Option<String>,
    /// World Bank total population, 2019.
    pub population: Option<i64>,
    pub independent: bool,
    /// A point inside the country (latitude, longitude), where a map too
    /// coarse to show it draws it.
    pub point: Option<(f64, f64)>,
}

/// The UN names in the six UN languages.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Names {
    pub en: String,
    pub fr: String,
    pub es: String,
    pub ru: String,
    pub zh: String,
    pub ar: String,
}

impl Names {
    pub fn all(&self) -> [&str; 6] {
        [&self.en, &self.fr, &self.es, &self.ru, &self.zh, &self.ar]
    }
}

/// A UN M49 area (region, sub-region or intermediate region).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Area {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeGroup {
    Low,
    LowerMiddle,
    UpperMiddle,
    High,
}

impl IncomeGroup {
    pub const ALL: [IncomeGroup; 4] = [Self::Low, Self::LowerMiddle, Self::UpperMiddle, Self::High];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::LowerMiddle => "lower_middle",
            Self::UpperMiddle => "upper_middle",
            Self::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        match k.as_str() {
            "low" | "low_income" => Some(Self::Low),
            "lower_middle" | "lower_middle_income" => Some(Self::LowerMiddle),
            "upper_middle" | "upper_middle_income" => Some(Self::UpperMiddle),
            "high" | "high_income" => Some(Self::High),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WhoRegion {
    Afr,
    Amr,
    Emr,
    Eur,
    Sear,
    Wpr,
}

impl WhoRegion {
    pub const ALL: [WhoRegion; 6] = [Self::Afr, Self::Amr, Self::Emr, Self::Eur, Self::Sear, Self::Wpr];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Afr => "AFR",
            Self::Amr => "AMR",
            Self::Emr => "EMR",
            Self::Eur => "EUR",
            Self::Sear => "SEAR",
            Self::Wpr => "WPR",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamStatus {
    Member,
    Observer,
    None,
}

impl NamStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Observer => "observer",
            Self::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "member" => Some(Self::Member),
            "observer" => Some(Self::Observer),
            "none" | "" => Some(Self::None),
            _ => None,
        }
    }
}

pub(super) fn parse(countries_csv: &str, nam_csv: &str, who_csv: &str) -> Result<Vec<Country>, ReferenceError> {
    // NAM status comes from the membership list, which cites its sources;
    // the countries file's own column is checked against it in tests.
    let mut nam: HashMap<String, (NamStatus, Option<String>)> = HashMap::new();
    let (h, rows) = records("nam_membership.csv", nam_csv)?;
    for (row, rec) in &rows {
        let r = Row {
            file: "nam_membership.csv",
            row: *row,
            headers: &h,
            rec,
        };
        let status = match r.get("status")? {
            "member" => NamStatus::Member,
            "observer" => NamStatus::Observer,
            "observer_organisation" => continue,
            other => return Err(r.error(format!("unknown NAM status '{other}'"))),
        };
        nam.insert(r.get("iso3")?.to_owned(), (status, r.opt("nam_group")?));
    }

    let mut who: HashMap<String, WhoRegion> = HashMap::new();
    let (h, rows) = records("who_regions.csv", who_csv)?;
    for (row, rec) in &rows {
        let r = Row {
            file: "who_regions.csv",
            row: *row,
            headers: &h,
            rec,
        };
        let code = r.get("who_region")?;
        let region = WhoRegion::parse(code).ok_or_else(|| r.error(format!("unknown WHO region '{code}'")))?;
        who.insert(r.get("iso3")?.to_owned(), region);
    }

    let (h, rows) = records("countries.csv", countries_csv)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, rec) in &rows {
        let r = Row {
            file: "countries.csv",
            row: *row,
            headers: &h,
            rec,
        };
        let iso3 = Iso3::parse("iso3", r.get("iso3")?).map_err(|e| r.error(e.message))?;
        let area = |code: &str, name: &str| -> Result<Option<Area>, ReferenceError> {
            Ok(match (r.opt(code)?, r.opt(name)?) {
                (Some(code), Some(name)) => Some(Area {
                    code: format!("{:0>3}", code),
                    name,
                }),
                _ => None,
            })
        };
        let income_group = match r.opt("wb_income_group")? {
            Some(v) => Some(IncomeGroup::parse(&v).ok_or_else(|| r.error(format!("unknown income group '{v}'")))?),
            None => None,
        };
        let population = match r.opt("population_wb_2019")? {
            Some(v) => Some(
                v.parse::<i64>()
                    .map_err(|_| r.error(format!("population '{v}' is not a whole number")))?,
            ),
            None => None,
        };
        let point = match (r.opt("latitude")?, r.opt("longitude")?) {
            (Some(lat), Some(lon)) => match (lat.parse::<f64>(), lon.parse::<f64>()) {
                // Some points east of the antimeridian are written past 180 (Fiji at 195).
                (Ok(lat), Ok(lon)) if lat.abs() <= 90.0 && lon.is_finite() => {
                    Some((lat, (lon + 180.0).rem_euclid(360.0) - 180.0))
                }
                _ => return Err(r.error(format!("'{lat}, {lon}' is not a latitude and longitude"))),
            },
            _ => None,
        };
        let (nam_status, nam_group) = nam.remove(iso3.as_str()).unwrap_or((NamStatus::None, None));
        out.push(Country {
            iso2: r.get("iso2")?.to_owned(),
            m49: format!("{:0>3}", r.get("m49")?),
            names: Names {
                en: r.get("name_en")?.to_owned(),
                fr: r.get("name_fr")?.to_owned(),
                es: r.get("name_es")?.to_owned(),
                ru: r.get("name_ru")?.to_owned(),
                zh: r.get("name_zh")?.to_owned(),
                ar: r.get("name_ar")?.to_owned(),
            },
            region: area("region_code", "region_name")?,
            subregion: area("subregion_code", "subregion_name")?,
            intermediate_region: area("intermediate_region_code", "intermediate_region_name")?,
            income_group,
            who_region: who.get(iso3.as_str()).copied(),
            nam_status,
            nam_group,
            population,
            independent: r.get("independent")?.eq_ignore_ascii_case("true"),
            point,
            iso3,
        });
    }
    if let Some(missing) = nam.keys().next() {
        return Err(ReferenceError {
            file: "nam_membership.csv",
            row: 0,
            message: format!("{missing} is listed as a NAM state but is not in countries.csv"),
        });
    }
    Ok(out)
}
