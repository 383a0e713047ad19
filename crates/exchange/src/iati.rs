//! IATI 2.03 activity XML for contributions. One contribution is one
//! activity: the donor reports it (needsdb is a secondary reporter), the
//! recipient country and the item's DAC 5-digit sector are named, the
//! humanitarian flag is set, and each stage a cash contribution reached is a
//! transaction: a pledge, a commitment, a disbursement.
//!
//! Organisation references are `XM-needsdb-<code>`: needsdb does not know
//! the IATI registry identifiers of its parties.

use crate::error::ExportError;
use needsdb_domain::Stage;
use needsdb_domain::reference::CatalogueItem;
use needsdb_store::{Contribution, Party};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::HashMap;
use std::io::Write;

pub const ORG_PREFIX: &str = "XM-needsdb-";

/// XML 1.0 cannot carry most control characters, even escaped.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// IATI organisation type: 10 government, 40 multilateral, 21 international NGO.
fn org_type(p: Option<&Party>) -> &'static str {
    match p {
        Some(p) if p.kind == "state" => "10",
        Some(p) => match p.org_type.as_deref() {
            Some("ngo") | Some("international_ngo") => "21",
            Some("foundation") => "60",
            Some("private_sector") => "70",
            _ => "40",
        },
        None => "40",
    }
}

/// IATI transaction type of a stage, from the donor's side:
/// 12 outgoing pledge, 2 outgoing commitment, 3 disbursement.
fn transaction_type(stage: Stage) -> Option<&'static str> {
    match stage {
        Stage::Pledged => Some("12"),
        Stage::Committed => Some("2"),
        Stage::Disbursed | Stage::Delivered => Some("3"),
        _ => None,
    }
}

/// The DAC sectors of an activity with their percentages (summing to 100):
/// goods take their item's; cash the sector declared for it, or else the
/// sectors of the needs it funds, in proportion to what it gives each. Cash
/// recorded before a sector was asked for, and linked to nothing, takes the
/// sector of the catalogue's CASH-CONTRIBUTION item.
pub fn sectors(k: &Contribution, items: &HashMap<String, CatalogueItem>, linked: &[String]) -> Vec<(String, u32)> {
    let sector_of = |code: &str| items.get(code).map(|i| i.dac_sector.clone());
    if let Some(s) = k.item.as_deref().and_then(sector_of) {
        return vec![(s, 100)];
    }
    if let Some(s) = &k.sector {
        return vec![(s.clone(), 100)];
    }
    let mut weights: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    for (l, item) in k.links.iter().zip(linked) {
        if let Some(s) = sector_of(item) {
            *weights.entry(s).or_default() += l.quantity.as_f64().unwrap_or(0.0);
        }
    }
    let total: f64 = weights.values().sum();
    if weights.is_empty() || total <= 0.0 {
        return sector_of("CASH-CONTRIBUTION")
            .map(|s| vec![(s, 100)])
            .unwrap_or_default();
    }
    // Whole percentages by largest remainder, so they add up to exactly 100.
    let mut shares: Vec<(String, u32, f64)> = weights
        .into_iter()
        .map(|(s, w)| {
            let exact = w / total * 100.0;
            (s, exact.floor() as u32, exact - exact.floor())
        })
        .collect();
    let mut short = 100 - shares.iter().map(|s| s.1).sum::<u32>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].2.total_cmp(&shares[*a].2).then(a.cmp(b)));
    for i in order {
        if short == 0 {
            break;
        }
        shares[i].1 += 1;
        short -= 1;
    }
    shares.into_iter().filter(|s| s.1 > 0).map(|(s, p, _)| (s, p)).collect()
}

pub struct Writer<'w> {
    xml: quick_xml::Writer<&'w mut (dyn Write + Send)>,
    parties: HashMap<String, Party>,
    iso2: HashMap<String, String>,
    now: String,
}

type R = Result<(), ExportError>;

fn io(e: impl std::fmt::Display) -> ExportError {
    ExportError::Io(std::io::Error::other(e.to_string()))
}

impl<'w> Writer<'w> {
    pub fn new(out: &'w mut (dyn Write + Send), parties: &[Party]) -> Result<Self, ExportError> {
        let iso2 = needsdb_domain::reference::embedded()
            .map(|r| {
                r.countries
                    .iter()
                    .map(|c| (c.iso3.to_string(), c.iso2.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let mut w = Self {
            xml: quick_xml::Writer::new_with_indent(out, b' ', 1),
            parties: parties.iter().map(|p| (p.code.clone(), p.clone())).collect(),
            iso2,
            now: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        };
        w.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(io)?;
        let root = BytesStart::new("iati-activities")
            .with_attributes([("version", "2.03"), ("generated-datetime", w.now.as_str())]);
        w.xml.write_event(Event::Start(root)).map_err(io)?;
        Ok(w)
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> R {
        let e = BytesStart::new(name).with_attributes(attrs.iter().copied());
        self.xml.write_event(Event::Start(e)).map_err(io)
    }

    fn close(&mut self, name: &str) -> R {
        self.xml.write_event(Event::End(BytesEnd::new(name))).map_err(io)
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> R {
        let e = BytesStart::new(name).with_attributes(attrs.iter().copied());
        self.xml.write_event(Event::Empty(e)).map_err(io)
    }

    fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> R {
        self.open(name, attrs)?;
        let t = clean(text);
        self.xml.write_event(Event::Text(BytesText::new(&t))).map_err(io)?;
        self.close(name)
    }

    fn narrative(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> R {
        self.open(name, attrs)?;
        self.text("narrative", &[], text)?;
        self.close(name)
    }

    fn party_name(&self, code: &str) -> String {
        self.parties
            .get(code)
            .map_or_else(|| code.to_owned(), |p| p.name.clone())
    }

    fn org(&mut self, name: &str, code: &str, extra: &[(&str, &str)]) -> R {
        let r = format!("{ORG_PREFIX}{code}");
        let t = org_type(self.parties.get(code));
        let mut attrs = vec![("ref", r.as_str()), ("type", t)];
        attrs.extend_from_slice(extra);
        let label = self.party_name(code);
        self.narrative(name, &attrs, &label)
    }

    /// One activity. `linked` holds the item of each need the contribution's
    /// links name, in link order.
    pub fn activity(&mut self, k: &Contribution, items: &HashMap<String, CatalogueItem>, linked: &[String]) -> R {
        let own = k.external_id.clone().unwrap_or_else(|| format!("{}", k.id));
        let identifier = format!("{ORG_PREFIX}{}-{}", k.donor, own);
        let updated = k.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let cash = k.currency.is_some();
        let currency = k.currency.clone().unwrap_or_else(|| "USD".into());
        self.open(
            "iati-activity",
            &[
                ("last-updated-datetime", updated.as_str()),
                ("xml:lang", "en"),
                ("default-currency", currency.as_str()),
                ("humanitarian", "1"),
            ],
        )?;
        self.text("iati-identifier", &[], &identifier)?;
        self.org("reporting-org", &k.donor.clone(), &[("secondary-reporter", "1")])?;
        let item = k.item.as_ref().and_then(|i| items.get(i));
        let title = match item {
            Some(i) => format!(
                "{} to {}: {} {} of {}",
                self.party_name(&k.donor),
                self.party_name(&k.recipient),
                k.quantity,
                i.unit,
                i.name_en
            ),
            None => format!(
                "{} to {}: {} {}",
                self.party_name(&k.donor),
                self.party_name(&k.recipient),
                k.quantity,
                currency
            ),
        };
        self.narrative("title", &[], &title)?;
        let description = if k.description.trim().is_empty() {
            title.clone()
        } else {
            k.description.clone()
        };
        self.narrative("description", &[("type", "1")], &description)?;
        // Role 1 funding, 4 implementing.
        self.org("participating-org", &k.donor.clone(), &[("role", "1")])?;
        let implementer = k.channel.clone().unwrap_or_else(|| k.recipient.clone());
        self.org("participating-org", &implementer, &[("role", "4")])?;
        // Activity status: 2 implementation, 3 finalisation, 5 cancelled.
        let status = match k.stage {
            Stage::Delivered => "3",
            Stage::Cancelled => "5",
            _ => "2",
        };
        self.empty("activity-status", &[("code", status)])?;
        let first = k.events.first().map_or(k.stage_date, |e| e.date).to_string();
        self.empty("activity-date", &[("iso-date", first.as_str()), ("type", "2")])?;
        if let Some(iso2) = self.iso2.get(&k.recipient).cloned() {
            self.empty("recipient-country", &[("code", iso2.as_str()), ("percentage", "100")])?;
        }
        for (code, pct) in sectors(k, items, linked) {
            let pct = pct.to_string();
            self.empty(
                "sector",
                &[
                    ("vocabulary", "1"),
                    ("code", code.as_str()),
                    ("percentage", pct.as_str()),
                ],
            )?;
        }
        if !cash {
            return self.in_kind_transactions(k, &title, &implementer);
        }
        let value = match &k.quantity {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut stages: Vec<(Stage, String)> = k.events.iter().map(|e| (e.to, e.date.to_string())).collect();
        if stages.is_empty() {
            stages.push((k.stage, k.stage_date.to_string()));
        }
        let mut disbursed = false;
        for (stage, date) in stages {
            let Some(code) = transaction_type(stage) else { continue };
            // Delivered after disbursed is the same money arriving: one disbursement.
            if code == "3" && std::mem::replace(&mut disbursed, true) {
                continue;
            }
            self.open("transaction", &[])?;
            self.empty("transaction-type", &[("code", code)])?;
            self.empty("transaction-date", &[("iso-date", date.as_str())])?;
            self.text(
                "value",
                &[("currency", currency.as_str()), ("value-date", date.as_str())],
                &value,
            )?;
            self.narrative("description", &[], &format!("{}: {}", stage.as_str(), title))?;
            self.org("provider-org", &k.donor.clone(), &[])?;
            self.org("receiver-org", &implementer, &[])?;
            self.close("transaction")?;
        }
        self.close("iati-activity")
    }

    /// Goods carry their value in US dollars: one transaction per stage
    /// reached, as for cash, valued by the donor or else by the catalogue.
    fn in_kind_transactions(&mut self, k: &Contribution, title: &str, implementer: &str) -> R {
        let Some(value) = k.usd_value.as_ref().map(|v| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }) else {
            return self.close("iati-activity");
        };
        let how = if k.usd_value_estimated {
            "valued at the catalogue's indicative unit value"
        } else {
            "valued by the donor"
        };
        let mut disbursed = false;
        for e in &k.events {
            let Some(code) = transaction_type(if e.to == Stage::Shipped { Stage::Disbursed } else { e.to }) else {
                continue;
            };
            if code == "3" && std::mem::replace(&mut disbursed, true) {
                continue;
            }
            let date = e.date.to_string();
            self.open("transaction", &[])?;
            self.empty("transaction-type", &[("code", code)])?;
            self.empty("transaction-date", &[("iso-date", date.as_str())])?;
            self.text("value", &[("currency", "USD"), ("value-date", date.as_str())], &value)?;
            self.narrative(
                "description",
                &[],
                &format!("{} in kind ({how}): {title}", e.to.as_str()),
            )?;
            self.org("provider-org", &k.donor.clone(), &[])?;
            self.org("receiver-org", implementer, &[])?;
            self.close("transaction")?;
        }
        self.close("iati-activity")
    }

    pub fn finish(mut self) -> R {
        self.close("iati-activities")?;
        self.xml.get_mut().write_all(b"\n")?;
        self.xml.get_mut().flush()?;
        Ok(())
    }
}
