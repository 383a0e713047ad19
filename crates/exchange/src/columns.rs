//! The columns needsdb reads and writes, and how an HXL hashtag row (or a
//! plain header row of API field names) maps onto them.
//!
//! HXL hashtags and attributes are matched in any order and case:
//! `#Item +Code`, `#item+code` and `#item+CODE` are one column. A column
//! needsdb does not use is ignored with a warning.

use std::collections::BTreeSet;

/// A parsed HXL tag: `#country+code` is hashtag `country`, attributes `{code}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub hashtag: String,
    pub attrs: BTreeSet<String>,
}

impl Tag {
    pub fn parse(s: &str) -> Option<Tag> {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        let rest = s.strip_prefix('#')?;
        let mut parts = rest.split('+');
        let hashtag = parts.next()?.to_owned();
        let valid = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid(&hashtag) {
            return None;
        }
        let mut attrs = BTreeSet::new();
        for a in parts {
            if !valid(a) {
                return None;
            }
            attrs.insert(a.to_owned());
        }
        Some(Tag { hashtag, attrs })
    }

    fn has(&self, attr: &str) -> bool {
        self.attrs.contains(attr)
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ExternalId,
    Country,
    CountryName,
    Place,
    Pcode,
    Item,
    ItemName,
    /// Written for people; not read back (the item decides it).
    Cluster,
    Unit,
    Quantity,
    Amount,
    Currency,
    UsdRate,
    Priority,
    NeededBy,
    Justification,
    ReportedVia,
    Status,
    Donor,
    Recipient,
    Channel,
    StageDate,
    Description,
    SourceUrl,
    /// The needs a contribution is for: `ISO3/external id=quantity; ...`.
    Needs,
    /// Earmarks: `nam-members=50%; who:AFR=2000000`.
    Earmarks,
    /// Goods: the donor's value in US dollars.
    UsdValue,
    /// The DAC 5-digit sector declared for cash.
    Sector,
    /// People in need and people targeted (HXL #inneed, #targeted), the
    /// source of the figures, and what meeting the need makes possible.
    PeopleInNeed,
    PeopleTargeted,
    PeopleSource,
    Outcome,
}

impl Field {
    /// The name of the API field a problem with this column is reported under.
    pub fn api_name(self, contributions: bool) -> &'static str {
        match self {
            Self::ExternalId => "external_id",
            Self::Country | Self::CountryName => {
                if contributions {
                    "recipient"
                } else {
                    "country"
                }
            }
            Self::Place => "place",
            Self::Pcode => "pcode",
            Self::Item | Self::ItemName => "item",
            Self::Cluster => "cluster",
            Self::Unit => "unit",
            Self::Quantity => "quantity",
            Self::Amount => "amount",
            Self::Currency => "currency",
            Self::UsdRate => "usd_rate",
            Self::Priority => "priority",
            Self::NeededBy => "needed_by",
            Self::Justification => "justification",
            Self::ReportedVia => "reported_via",
            Self::Status => {
                if contributions {
                    "stage"
                } else {
                    "status"
                }
            }
            Self::Donor => "donor",
            Self::Recipient => "recipient",
            Self::Channel => "channel",
            Self::StageDate => "stage_date",
            Self::Description => "description",
            Self::SourceUrl => "source_url",
            Self::Needs => "needs",
            Self::Earmarks => "earmarks",
            Self::UsdValue => "usd_value",
            Self::Sector => "sector",
            Self::PeopleInNeed => "people_in_need",
            Self::PeopleTargeted => "people_targeted",
            Self::PeopleSource => "people_source",
            Self::Outcome => "outcome",
        }
    }

    /// Fields that hold numbers, read in the file's decimal style.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Self::Quantity | Self::Amount | Self::UsdRate | Self::UsdValue | Self::PeopleInNeed | Self::PeopleTargeted
        )
    }

    /// Columns written for people that an import does not need.
    pub fn informational(self) -> bool {
        matches!(self, Self::Cluster | Self::Unit)
    }
}

/// One exported column: its header for people and its HXL tag.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub field: Field,
    pub label: &'static str,
    pub tag: &'static str,
}

const fn col(field: Field, label: &'static str, tag: &'static str) -> Column {
    Column { field, label, tag }
}

pub const NEED_COLUMNS: &[Column] = &[
    col(Field::ExternalId, "External id", "#meta+id"),
    col(Field::Country, "Country code", "#country+code"),
    col(Field::CountryName, "Country name", "#country+name"),
    col(Field::Place, "Place", "#adm1+name"),
    col(Field::Pcode, "P-code", "#adm1+code"),
    col(Field::Item, "Item code", "#item+code"),
    col(Field::ItemName, "Item name", "#item+name"),
    col(Field::Cluster, "Cluster", "#sector"),
    col(Field::Unit, "Unit", "#meta+unit"),
    col(Field::Quantity, "Quantity needed", "#need+num"),
    col(Field::Amount, "Amount needed", "#value+needed"),
    col(Field::Currency, "Currency", "#currency"),
    col(Field::UsdRate, "USD per unit of currency", "#meta+usd_rate"),
    col(Field::Priority, "Priority", "#severity"),
    col(Field::NeededBy, "Needed by", "#date+needed"),
    col(Field::Justification, "Justification", "#description"),
    col(Field::ReportedVia, "Reported via", "#meta+reported_via"),
    col(Field::Status, "Status", "#status"),
    col(Field::PeopleInNeed, "People in need", "#inneed"),
    col(Field::PeopleTargeted, "People targeted", "#targeted"),
    col(
        Field::PeopleSource,
        "Source of the people figures",
        "#meta+people_source",
    ),
    col(Field::Outcome, "What it makes possible", "#output"),
];

pub const CONTRIBUTION_COLUMNS: &[Column] = &[
    col(Field::ExternalId, "External id", "#meta+id"),
    col(Field::Donor, "Donor", "#org+funding+code"),
    col(Field::Recipient, "Recipient", "#org+recipient+code"),
    col(Field::Channel, "Channel", "#org+impl+code"),
    col(Field::Item, "Item code", "#item+code"),
    col(Field::ItemName, "Item name", "#item+name"),
    col(Field::Quantity, "Quantity (in kind)", "#value+quantity"),
    col(Field::Amount, "Amount (cash)", "#value+amount"),
    col(Field::Currency, "Currency", "#currency"),
    col(Field::UsdRate, "USD per unit of currency", "#meta+usd_rate"),
    col(Field::Status, "Stage", "#status"),
    col(Field::StageDate, "Stage date", "#date"),
    col(Field::Description, "Description", "#description"),
    col(Field::SourceUrl, "Source", "#meta+url"),
    col(Field::Needs, "For needs", "#meta+needs"),
    col(Field::Earmarks, "Earmarks", "#meta+earmarks"),
    col(Field::UsdValue, "Value in USD (goods)", "#value+usd"),
    col(Field::Sector, "DAC sector (cash)", "#sector+dac"),
];

/// The field a tag names, for needs or contributions. `value_stage` is set
/// when a `#value` column's attributes say what stage its money is at.
pub fn field_for(tag: &Tag, contributions: bool) -> Option<Field> {
    let f = match tag.hashtag.as_str() {
        "meta" if tag.has("id") => Field::ExternalId,
        "meta" if tag.has("unit") => Field::Unit,
        "meta" if tag.has("usd_rate") => Field::UsdRate,
        "meta" if tag.has("reported_via") => Field::ReportedVia,
        "meta" if tag.has("url") => Field::SourceUrl,
        "meta" if tag.has("needs") => Field::Needs,
        "meta" if tag.has("earmarks") => Field::Earmarks,
        "meta" if tag.has("people_source") => Field::PeopleSource,
        "inneed" => Field::PeopleInNeed,
        "targeted" => Field::PeopleTargeted,
        "output" => Field::Outcome,
        "country" if tag.has("name") => Field::CountryName,
        "country" => Field::Country,
        "adm1" if tag.has("code") => Field::Pcode,
        "adm1" => Field::Place,
        "item" if tag.has("name") => Field::ItemName,
        "item" if tag.has("unit") => Field::Unit,
        "item" => Field::Item,
        "sector" if tag.has("dac") && contributions => Field::Sector,
        "sector" => Field::Cluster,
        "need" => Field::Quantity,
        "value" if tag.has("quantity") => Field::Quantity,
        "value" if tag.has("usd") && contributions => Field::UsdValue,
        "value" => Field::Amount,
        "currency" => Field::Currency,
        "severity" | "priority" => Field::Priority,
        "date" if tag.has("needed") => Field::NeededBy,
        "date" if contributions => Field::StageDate,
        "description" if contributions => Field::Description,
        "description" => Field::Justification,
        "status" => Field::Status,
        "org" if tag.has("funding") => Field::Donor,
        "org" if tag.has("impl") => Field::Channel,
        "org" if tag.has("recipient") => Field::Recipient,
        _ => return None,
    };
    // Fields of the other kind of record are not used.
    let need_only = matches!(
        f,
        Field::Place
            | Field::Pcode
            | Field::Priority
            | Field::NeededBy
            | Field::Justification
            | Field::ReportedVia
            | Field::PeopleInNeed
            | Field::PeopleTargeted
            | Field::PeopleSource
            | Field::Outcome
    );
    let contribution_only = matches!(
        f,
        Field::Donor
            | Field::Recipient
            | Field::Channel
            | Field::StageDate
            | Field::Description
            | Field::SourceUrl
            | Field::Needs
            | Field::Earmarks
            | Field::UsdValue
            | Field::Sector
    );
    if (contributions && need_only) || (!contributions && contribution_only) {
        return None;
    }
    Some(f)
}

/// The stage a `#value` column's attributes imply, when the row gives none.
pub fn stage_from_attrs(tag: &Tag) -> Option<&'static str> {
    if tag.has("disbursement") || tag.has("disbursed") || tag.has("expenditure") {
        Some("disbursed")
    } else if tag.has("commitment") || tag.has("committed") {
        Some("committed")
    } else if tag.has("incoming") || tag.has("pledge") || tag.has("pledged") {
        Some("pledged")
    } else {
        None
    }
}

/// A field named by a plain header (an API field name or an export label),
/// for files without a hashtag row.
pub fn field_for_header(header: &str, contributions: bool) -> Option<Field> {
    let h = header.trim().to_lowercase().replace([' ', '-'], "_");
    let columns = if contributions {
        CONTRIBUTION_COLUMNS
    } else {
        NEED_COLUMNS
    };
    columns
        .iter()
        .find(|c| c.field.api_name(contributions) == h || c.label.to_lowercase().replace([' ', '-'], "_") == h)
        .map(|c| c.field)
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
pub fn letters(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn tags_match_in_any_order_and_case() {
        for s in ["#country+code", "#Country +CODE", " #COUNTRY+code "] {
            let t = Tag::parse(s).unwrap();
            assert_eq!(field_for(&t, false), Some(Field::Country), "{s}");
        }
        let a = Tag::parse("#org+code+funding").unwrap();
        let b = Tag::parse("#ORG+Funding+Code").unwrap();
        assert_eq!(a, b);
        assert_eq!(field_for(&a, true), Some(Field::Donor));
        assert_eq!(field_for(&Tag::parse("#need").unwrap(), false), Some(Field::Quantity));
        assert_eq!(
            field_for(&Tag::parse("#value+needed").unwrap(), false),
            Some(Field::Amount)
        );
        assert_eq!(field_for(&Tag::parse("#foo+bar").unwrap(), false), None);
        assert!(Tag::parse("country").is_none());
        assert!(Tag::parse("#").is_none());
        assert!(Tag::parse("#a+").is_none());
    }

    #[test]
    fn every_exported_tag_reads_back_as_its_field() {
        for (cols, contributions) in [(NEED_COLUMNS, false), (CONTRIBUTION_COLUMNS, true)] {
            for c in cols {
                let t = Tag::parse(c.tag).unwrap();
                assert_eq!(field_for(&t, contributions), Some(c.field), "{}", c.tag);
                assert_eq!(field_for_header(c.label, contributions), Some(c.field), "{}", c.label);
            }
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
