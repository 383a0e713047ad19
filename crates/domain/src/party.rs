//! Parties: the states and organisations that need, give and channel aid.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A country or area; its party code is its ISO3 code.
    State,
    Organisation,
}

impl PartyKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::State => "state",
            Self::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "state" => Some(Self::State),
            "organisation" => Some(Self::Organisation),
            _ => None,
        }
    }
}

/// What kind of organisation a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgType {
    UnAgency,
    PooledFund,
    Intergovernmental,
    MultilateralBank,
    RedCross,
    Ngo,
    Foundation,
    Movement,
    Private,
    Other,
}

impl OrgType {
    pub const ALL: [OrgType; 10] = [
        Self::UnAgency,
        Self::PooledFund,
        Self::Intergovernmental,
        Self::MultilateralBank,
        Self::RedCross,
        Self::Ngo,
        Self::Foundation,
        Self::Movement,
        Self::Private,
        Self::Other,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::UnAgency => "un_agency",
            Self::PooledFund => "pooled_fund",
            Self::Intergovernmental => "intergovernmental",
            Self::MultilateralBank => "multilateral_bank",
            Self::RedCross => "red_cross",
            Self::Ngo => "ngo",
            Self::Foundation => "foundation",
            Self::Movement => "movement",
            Self::Private => "private",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}
