//! Earmarks: conditions donors put on a contribution, such as "half for NAM
//! member states" or "for the African region".

use crate::catalog::{Catalog, CountryFacts};
use crate::codes::Iso3;
use crate::decimal::{self, json_to_text};
use crate::reference::{IncomeGroup, NamStatus, WhoRegion};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// Who an earmarked portion is for. Written as text in every exchange format:
/// `nam-members`, `m49:002`, `who:AFR`, `income:low`, `country:KEN`, `cluster:health`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EarmarkTarget {
    NamMembers,
    M49Area(String),
    WhoRegion(WhoRegion),
    IncomeGroup(IncomeGroup),
    Country(Iso3),
    Cluster(String),
}

impl EarmarkTarget {
    pub fn parse(field: &str, s: &str, catalog: &Catalog) -> Result<Self, FieldError> {
        let t = s.trim();
        let bad = |msg: String| FieldError::new(field, "invalid_earmark", msg);
        if t.eq_ignore_ascii_case("nam-members") {
            return Ok(Self::NamMembers);
        }
        let (kind, value) = t.split_once(':').ok_or_else(|| {
            bad(format!("'{s}' is not an earmark; use nam-members, m49:CODE, who:REGION, income:GROUP, country:ISO3 or cluster:NAME"))
        })?;
        match kind.trim().to_ascii_lowercase().as_str() {
            "m49" => {
                let code = format!("{:0>3}", value.trim());
                if catalog.m49_area_exists(&code) {
                    Ok(Self::M49Area(code))
                } else {
                    Err(bad(format!(
                        "'{value}' is not an M49 region code (Africa is 002, Asia 142)"
                    )))
                }
            }
            "who" => WhoRegion::parse(value)
                .map(Self::WhoRegion)
                .ok_or_else(|| bad(format!("'{value}' is not a WHO region (AFR, AMR, EMR, EUR, SEAR, WPR)"))),
            "income" => IncomeGroup::parse(value).map(Self::IncomeGroup).ok_or_else(|| {
                bad(format!(
                    "'{value}' is not an income group (low, lower_middle, upper_middle, high)"
                ))
            }),
            "country" => {
                let iso3 = Iso3::parse(field, value)?;
                if catalog.country(&iso3).is_some() {
                    Ok(Self::Country(iso3))
                } else {
                    Err(FieldError::new(
                        field,
                        "unknown_country",
                        format!("'{value}' is not a known country code"),
                    ))
                }
            }
            "cluster" => {
                let c = value.trim().to_ascii_lowercase();
                if catalog.cluster_exists(&c) {
                    Ok(Self::Cluster(c))
                } else {
                    Err(bad(format!("'{value}' is not a cluster in the catalogue")))
                }
            }
            other => Err(bad(format!(
                "'{other}' is not an earmark kind; use nam-members, m49, who, income, country or cluster"
            ))),
        }
    }

    /// Whether aid to this country, for an item of this cluster, satisfies the earmark.
    pub fn matches(&self, country: &CountryFacts, cluster: Option<&str>) -> bool {
        match self {
            Self::NamMembers => country.nam_status == NamStatus::Member,
            Self::M49Area(code) => country.m49_areas.iter().any(|a| a == code),
            Self::WhoRegion(r) => country.who_region == Some(*r),
            Self::IncomeGroup(g) => country.income_group == Some(*g),
            Self::Country(c) => &country.iso3 == c,
            Self::Cluster(c) => cluster == Some(c.as_str()),
        }
    }
}

impl fmt::Display for EarmarkTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NamMembers => f.write_str("nam-members"),
            Self::M49Area(c) => write!(f, "m49:{c}"),
            Self::WhoRegion(r) => write!(f, "who:{}", r.as_str()),
            Self::IncomeGroup(g) => write!(f, "income:{}", g.as_str()),
            Self::Country(c) => write!(f, "country:{c}"),
            Self::Cluster(c) => write!(f, "cluster:{c}"),
        }
    }
}

/// How much of the contribution is earmarked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EarmarkPortion {
    /// A share in basis points (5000 = 50%).
    ShareBp(i64),
    /// An amount in the contribution's own base units.
    Amount(i64),
}

impl EarmarkPortion {
    /// The portion in the contribution's base units, rounding shares down.
    pub fn of(&self, total: i64) -> i64 {
        match self {
            Self::ShareBp(bp) => (i128::from(total) * i128::from(*bp) / 10_000) as i64,
            Self::Amount(a) => *a,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earmark {
    pub target: EarmarkTarget,
    pub portion: EarmarkPortion,
}

/// An earmark as sent: a target and either `share_percent` or `amount`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEarmark {
    pub target: Option<String>,
    pub share_percent: Option<Value>,
    pub amount: Option<Value>,
}

impl NewEarmark {
    pub fn validate(&self, catalog: &Catalog, decimals: u32) -> Result<Earmark, FieldError> {
        let target_text = self
            .target
            .as_deref()
            .ok_or_else(|| FieldError::new("target", "required", "target is required (such as nam-members)"))?;
        let target = EarmarkTarget::parse("target", target_text, catalog)?;
        let portion = match (&self.share_percent, &self.amount) {
            (Some(p), None) => {
                let text = json_to_text(p).unwrap_or_default();
                let bp = decimal::parse_scaled(&text, 2)
                    .map_err(|e| FieldError::new("share_percent", e.code(), e.describe(&text)))?;
                if bp == 0 || bp > 10_000 {
                    return Err(FieldError::new(
                        "share_percent",
                        "out_of_range",
                        "share_percent must be more than 0 and at most 100",
                    ));
                }
                EarmarkPortion::ShareBp(bp)
            }
            (None, Some(a)) => {
                let text = json_to_text(a).unwrap_or_default();
                let v = decimal::parse_scaled(&text, decimals)
                    .map_err(|e| FieldError::new("amount", e.code(), e.describe(&text)))?;
                if v == 0 {
                    return Err(FieldError::new(
                        "amount",
                        "not_positive",
                        "amount must be more than zero",
                    ));
                }
                EarmarkPortion::Amount(v)
            }
            _ => {
                return Err(FieldError::new(
                    "share_percent",
                    "required",
                    "give either share_percent or amount, not both",
                ));
            }
        };
        Ok(Earmark { target, portion })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    #[test]
    fn targets_parse_and_print_the_same() {
        let c = Catalog::from_reference(reference::embedded().unwrap());
        for t in [
            "nam-members",
            "m49:002",
            "who:AFR",
            "income:low",
            "country:KEN",
            "cluster:health",
        ] {
            assert_eq!(EarmarkTarget::parse("t", t, &c).unwrap().to_string(), t);
        }
        for t in [
            "nam",
            "m49:999",
            "who:XX",
            "income:rich",
            "country:XXX",
            "cluster:space",
            "planet:mars",
        ] {
            assert!(EarmarkTarget::parse("t", t, &c).is_err(), "{t}");
        }
    }

    #[test]
    fn nam_members_earmark_matches_members_only() {
        let r = reference::embedded().unwrap();
        let facts = |iso: &str| CountryFacts::from_country(r.country(iso).unwrap());
        assert!(EarmarkTarget::NamMembers.matches(&facts("KEN"), None));
        assert!(
            !EarmarkTarget::NamMembers.matches(&facts("BRA"), None),
            "Brazil is an observer"
        );
        assert!(!EarmarkTarget::NamMembers.matches(&facts("FRA"), None));
        assert!(EarmarkTarget::M49Area("002".into()).matches(&facts("KEN"), None));
    }

    #[test]
    fn half_of_ten_million() {
        assert_eq!(EarmarkPortion::ShareBp(5000).of(1_000_000_000), 500_000_000);
    }
}
