use super::{ReferenceError, Row, records};
use crate::codes::PartyCode;
use crate::party::OrgType;
use serde::Serialize;

/// A well-known organisation loaded as a party on first start.
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub code: PartyCode,
    pub name: String,
    pub org_type: OrgType,
    /// Whether it is one of the NAM's observer organisations.
    pub nam_observer: bool,
}

pub(super) fn parse(orgs_csv: &str, nam_csv: &str) -> Result<Vec<Organisation>, ReferenceError> {
    let (h, rows) = records("organisations.csv", orgs_csv)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, rec) in &rows {
        let r = Row {
            file: "organisations.csv",
            row: *row,
            headers: &h,
            rec,
        };
        let t = r.get("org_type")?;
        out.push(Organisation {
            code: PartyCode::parse("code", r.get("code")?).map_err(|e| r.error(e.message))?,
            name: r.get("name")?.to_owned(),
            org_type: OrgType::parse(t).ok_or_else(|| r.error(format!("unknown organisation type '{t}'")))?,
            nam_observer: r.opt("nam_observer_name")?.is_some(),
        });
    }
    // Every observer organisation in the membership list must have a party, so
    // NAM status of organisations is never silently lost.
    let (h, rows) = records("nam_membership.csv", nam_csv)?;
    for (row, rec) in &rows {
        let r = Row {
            file: "nam_membership.csv",
            row: *row,
            headers: &h,
            rec,
        };
        if r.get("status")? == "observer_organisation" {
            let name = r.get("name")?;
            if !out.iter().any(|o| o.nam_observer && o.name == name) {
                return Err(r.error(format!(
                    "observer organisation '{name}' has no row in organisations.csv"
                )));
            }
        }
    }
    Ok(out)
}
