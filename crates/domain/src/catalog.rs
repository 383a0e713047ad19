//! What validation needs to know about the world: which items, countries,
//! parties, areas and clusters exist. The store fills it from the database
//! (the catalogue can be extended), so validation itself stays pure.

use crate::codes::{Iso3, ItemCode, PartyCode};
use crate::party::PartyKind;
use crate::reference::{CatalogueItem, Country, IncomeGroup, NamStatus, WhoRegion};
use std::collections::{HashMap, HashSet};

/// The facts about a country that rules and earmarks look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryFacts {
    pub iso3: Iso3,
    pub nam_status: NamStatus,
    pub who_region: Option<WhoRegion>,
    pub income_group: Option<IncomeGroup>,
    /// The M49 codes of every area the country lies in (region, sub-region...).
    pub m49_areas: Vec<String>,
    pub population: Option<i64>,
}

impl CountryFacts {
    pub fn from_country(c: &Country) -> Self {
        Self {
            iso3: c.iso3.clone(),
            nam_status: c.nam_status,
            who_region: c.who_region,
            income_group: c.income_group,
            m49_areas: [&c.region, &c.subregion, &c.intermediate_region]
                .into_iter()
                .flatten()
                .map(|a| a.code.clone())
                .collect(),
            population: c.population,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub items: HashMap<ItemCode, CatalogueItem>,
    pub countries: HashMap<Iso3, CountryFacts>,
    pub parties: HashMap<PartyCode, PartyKind>,
}

impl Catalog {
    pub fn item(&self, code: &ItemCode) -> Option<&CatalogueItem> {
        self.items.get(code)
    }

    pub fn country(&self, iso3: &Iso3) -> Option<&CountryFacts> {
        self.countries.get(iso3)
    }

    pub fn party(&self, code: &PartyCode) -> Option<PartyKind> {
        self.parties.get(code).copied()
    }

    pub fn m49_area_exists(&self, code: &str) -> bool {
        self.countries.values().any(|c| c.m49_areas.iter().any(|a| a == code))
    }

    pub fn cluster_exists(&self, cluster: &str) -> bool {
        self.items.values().any(|i| i.cluster == cluster)
    }

    /// A catalog of the embedded reference data alone, for tests and for
    /// validating before a database exists.
    pub fn from_reference(r: &crate::reference::Reference) -> Self {
        let mut parties: HashMap<PartyCode, PartyKind> = r
            .countries
            .iter()
            .map(|c| (PartyCode::from(c.iso3.clone()), PartyKind::State))
            .collect();
        parties.extend(
            r.organisations
                .iter()
                .map(|o| (o.code.clone(), PartyKind::Organisation)),
        );
        Self {
            items: r.items.iter().map(|i| (i.code.clone(), i.clone())).collect(),
            countries: r
                .countries
                .iter()
                .map(|c| (c.iso3.clone(), CountryFacts::from_country(c)))
                .collect(),
            parties,
        }
    }

    pub fn clusters(&self) -> HashSet<&str> {
        self.items.values().map(|i| i.cluster.as_str()).collect()
    }
}
