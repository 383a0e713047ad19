//! Identifiers parsed once at the edge. Each constructor checks shape only;
//! whether the code exists (a known country, a catalogue item) is a question
//! for the reference data or the store.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 3166-1 alpha-3 country code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iso3(String);

// Its text is its identity (derived Hash and Eq are the String's), so maps
// keyed by Iso3 can be looked up with a &str.
impl std::borrow::Borrow<str> for Iso3 {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Iso3 {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let t = s.trim().to_ascii_uppercase();
        if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(t))
        } else {
            Err(FieldError::new(
                field,
                "invalid_country_code",
                format!("'{s}' is not an ISO 3166-1 alpha-3 country code (three letters, such as KEN)"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A catalogue item code such as `VAX-COVID19-DOSE`: upper-case letters,
/// digits and hyphens, 2 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct ItemCode(String);

impl ItemCode {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let t = s.trim().to_ascii_uppercase();
        if code_shape_ok(&t, 40) {
            Ok(Self(t))
        } else {
            Err(FieldError::new(
                field,
                "invalid_item_code",
                format!("'{s}' is not an item code (letters, digits and hyphens, such as VAX-COVID19-DOSE)"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The code of a party: a state's ISO3 code, or an organisation's short code
/// (`WHO`, `UNICEF`). Organisation codes never equal a country code, which the
/// store checks when an organisation is added.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartyCode(String);

impl PartyCode {
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let t = s.trim().to_ascii_uppercase();
        if code_shape_ok(&t, 32) {
            Ok(Self(t))
        } else {
            Err(FieldError::new(
                field,
                "invalid_party_code",
                format!(
                    "'{s}' is not a party code (a country's ISO3 code such as KEN, or an organisation code such as WHO)"
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Iso3> for PartyCode {
    fn from(c: Iso3) -> Self {
        Self(c.0)
    }
}

fn code_shape_ok(t: &str, max: usize) -> bool {
    (2..=max).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !t.starts_with('-')
        && !t.ends_with('-')
}

macro_rules! string_code_impls {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = FieldError;
            fn try_from(s: String) -> Result<Self, FieldError> {
                Self::parse(stringify!($t), &s)
            }
        }
        impl From<$t> for String {
            fn from(c: $t) -> String {
                c.0
            }
        }
    )*};
}
string_code_impls!(Iso3, ItemCode, PartyCode);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso3_is_normalised_and_checked() {
        assert_eq!(Iso3::parse("c", " ken ").unwrap().as_str(), "KEN");
        assert!(Iso3::parse("c", "KE").is_err());
        assert!(Iso3::parse("c", "K3N").is_err());
        let e = Iso3::parse("country", "Kenya").unwrap_err();
        assert_eq!(e.field, "country");
    }

    #[test]
    fn item_codes_allow_hyphens_but_not_at_the_ends() {
        assert!(ItemCode::parse("i", "vax-covid19-dose").is_ok());
        assert!(ItemCode::parse("i", "-VAX").is_err());
        assert!(ItemCode::parse("i", "VAX DOSE").is_err());
        assert!(ItemCode::parse("i", "").is_err());
    }
}
