//! A synthetic demonstration scenario, so a newcomer sees a living system in
//! one command. Every record says it is synthetic: needs carry
//! "[SYNTHETIC DEMO DATA]" in their justification and contributions in their
//! description, and every external id starts with "demo-".
//!
//! The scenario is deterministic (a fixed seed), and loading it twice changes
//! nothing.

use chrono::{Duration, NaiveDate, Utc};
use needsdb_domain::decimal::format_scaled;
use needsdb_domain::reference::CatalogueItem;
use needsdb_domain::{NewContribution, NewEarmark, NewLink, NewNeed};
use needsdb_store::{Actor, CountryFilter, CountryRow, NeedQuery, StageChange, StatusChange, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{Value, json};

pub const LABEL: &str = "[SYNTHETIC DEMO DATA]";
const SEED: u64 = 2020;

#[derive(Debug, Serialize)]
pub struct Summary {
    pub status: &'static str,
    pub needs: usize,
    pub contributions: usize,
    pub note: &'static str,
}

const NOTE: &str =
    "Synthetic demonstration data, not real needs or pledges. Every record is labelled [SYNTHETIC DEMO DATA].";

/// People per unit a state might ask for, by catalogue category; food and
/// mine action are only asked for by some states (see `eligible`).
fn people_per_unit(item: &CatalogueItem) -> f64 {
    match (item.category.as_str(), item.code.as_str()) {
        (_, "VAX-COVID19-DOSE") => 5.0,
        (_, "VAX-SYRINGE-AD") => 4.5,
        (_, "PPE-MASK-MED" | "WASH-SOAP") => 50.0,
        (_, "WASH-WATER-TABLETS") => 2.0,
        ("personal_protective_equipment", _) => 500.0,
        ("diagnostics", "DX-PCR-INSTRUMENT") => 5_000_000.0,
        ("diagnostics", _) => 200.0,
        ("oxygen_and_biomedical", "BIO-O2-PLANT") => 5_000_000.0,
        ("oxygen_and_biomedical", "BIO-PULSE-OXIMETER") => 10_000.0,
        ("oxygen_and_biomedical", _) => 100_000.0,
        ("vaccines_and_cold_chain", _) => 150_000.0,
        ("medicines", "MED-DEXAMETHASONE") => 1_000.0,
        ("medicines", _) => 200_000.0,
        ("health_workforce", _) => 20_000.0,
        ("food_assistance", "FOOD-FAMILY-RATION") => 100.0,
        ("food_assistance", _) => 20_000.0,
        ("therapeutic_feeding", _) => 2_000.0,
        ("hygiene" | "water", _) => 400.0,
        ("emergency_shelter" | "non_food_items", _) => 3_000.0,
        ("transitional_shelter" | "reconstruction", _) => 40_000.0,
        ("mine_action", "MA-NON-TECH-SURVEY" | "MA-CLEARANCE") => 2_000_000.0,
        ("mine_action", _) => 5_000.0,
        ("infrastructure", _) => 1_000_000.0,
        ("learning_materials", _) => 20_000.0,
        _ => 2_000_000.0,
    }
}

/// States where explosive ordnance contamination is a recorded problem.
const MINE_AFFECTED: &[&str] = &[
    "AFG", "AGO", "AZE", "COL", "IRQ", "KHM", "LAO", "LBN", "LBY", "MMR", "MOZ", "SDN", "SOM", "SSD", "SYR", "YEM",
];

fn eligible(item: &CatalogueItem, c: &CountryRow) -> bool {
    let poorer = matches!(c.income_group.as_deref(), Some("low" | "lower_middle") | None);
    match item.cluster.as_str() {
        "protection" => MINE_AFFECTED.contains(&c.iso3.as_str()),
        "food_security" | "nutrition" | "shelter" | "education" => poorer,
        "multi_sector" => false,
        _ => true,
    }
}

fn needs_per_state(c: &CountryRow) -> usize {
    let base = match c.income_group.as_deref() {
        Some("low") => 5,
        Some("lower_middle") => 4,
        Some("upper_middle") => 2,
        Some("high") => 1,
        _ => 3,
    };
    base + usize::from(c.population.unwrap_or(0) > 50_000_000)
}

/// Donors by cluster: agencies with a mandate there, then states.
fn donors_for(cluster: &str) -> (&'static [&'static str], &'static str) {
    match cluster {
        "health" => (
            &[
                "WHO", "UNICEF", "IND", "CHN", "AZE", "CUB", "EGY", "USA", "DEU", "JPN", "GBR", "NOR",
            ],
            "WHO",
        ),
        "food_security" | "nutrition" => (&["WFP", "UNICEF", "SAU", "ARE", "USA", "DEU", "JPN", "FAO"], "WFP"),
        "wash" | "education" => (&["UNICEF", "KWT", "DEU", "JPN", "GBR", "NOR"], "UNICEF"),
        "shelter" => (&["UNHCR", "IOM", "TUR", "QAT", "SAU", "CAN", "IFRC"], "UNHCR"),
        "protection" => (&["UNMAS", "NOR", "JPN", "DEU", "USA", "GBR"], "UNMAS"),
        "early_recovery" => (&["UNDP", "CHN", "QAT", "KOR", "JPN"], "UNDP"),
        _ => (&["OCHA", "WFP", "USA", "DEU", "GBR"], "WFP"),
    }
}

/// Illustrative values of one unit in US dollars, so that goods can be
/// valued in the demonstration. They are not prices: each is labelled
/// synthetic in its source.
const ILLUSTRATIVE_VALUES: &[(&str, &str)] = &[
    ("VAX-COVID19-DOSE", "3"),
    ("VAX-SYRINGE-AD", "0.05"),
    ("VAX-SAFETY-BOX", "1"),
    ("PPE-MASK-MED", "0.05"),
    ("PPE-RESP-FFP2", "0.5"),
    ("PPE-GLOVE-EXAM", "0.05"),
    ("PPE-GOWN", "1.5"),
    ("PPE-GOGGLES", "2"),
    ("PPE-FACE-SHIELD", "1"),
    ("PPE-APRON", "0.5"),
    ("PPE-HAND-RUB", "5"),
    ("DX-PCR-TEST", "10"),
    ("DX-AG-RDT", "5"),
    ("DX-SAMPLE-KIT", "1"),
    ("DX-EXTRACTION", "5"),
    ("DX-PCR-INSTRUMENT", "30000"),
    ("BIO-O2-CONCENTRATOR", "650"),
    ("BIO-O2-CYLINDER", "200"),
    ("BIO-O2-PLANT", "500000"),
    ("BIO-VENTILATOR-ICU", "25000"),
    ("BIO-HFNC", "6000"),
    ("BIO-PULSE-OXIMETER", "30"),
    ("BIO-PATIENT-MONITOR", "2000"),
    ("HLT-ICU-BED", "3000"),
    ("CC-FRIDGE-SDD", "4000"),
    ("CC-FREEZER-ULT", "12000"),
    ("CC-COLD-BOX", "300"),
    ("MED-DEXAMETHASONE", "1"),
    ("MED-IEHK-BASIC", "1500"),
    ("MED-TRAUMA-KIT", "2000"),
    ("HLT-WORKER-TRAINING", "200"),
    ("FOOD-FAMILY-RATION", "40"),
    ("FOOD-WHEAT-FLOUR", "400"),
    ("FOOD-RICE", "550"),
    ("FOOD-VEG-OIL", "1500"),
    ("NUT-RUTF", "50"),
    ("WASH-HYGIENE-KIT", "25"),
    ("WASH-SOAP", "0.5"),
    ("WASH-WATER-TABLETS", "0.004"),
    ("WASH-HANDWASH-STATION", "150"),
    ("SHL-FAMILY-TENT", "350"),
    ("SHL-TARPAULIN", "15"),
    ("SHL-BLANKET", "6"),
    ("SHL-REPAIR-KIT", "40"),
    ("SHL-PREFAB-UNIT", "4000"),
    ("MA-NON-TECH-SURVEY", "20000"),
    ("MA-CLEARANCE", "500000"),
    ("MA-DETECTOR", "3000"),
    ("MA-RISK-EDUCATION", "5"),
    ("MA-VICTIM-ASSISTANCE", "500"),
    ("ER-GENERATOR", "8000"),
    ("ER-SOLAR-KIT", "300"),
    ("ER-HOUSE-RECONSTRUCTION", "15000"),
    ("EDU-SCHOOL-KIT", "60"),
    ("LOG-TRUCK", "60000"),
    ("LOG-MOBILE-STORAGE", "20000"),
    ("LOG-AIR-FREIGHT", "3000"),
    ("ETC-SATELLITE-PHONE", "800"),
];

/// Gives the catalogue's items their illustrative demo values, where they have none.
async fn value_items(store: &dyn Store, actor: &Actor, today: NaiveDate) -> anyhow::Result<()> {
    for item in store.items().await? {
        let Some((_, v)) = ILLUSTRATIVE_VALUES.iter().find(|(c, _)| *c == item.code.as_str()) else {
            continue;
        };
        if item.unit_value_usd.is_some() || item.retired {
            continue;
        }
        let patch = needsdb_store::ItemPatch {
            unit_value_usd: Some(Some(Value::String((*v).into()))),
            unit_value_source: Some(format!("{LABEL} illustrative value for the demonstration, not a price")),
            unit_value_date: Some(date_text(today)),
            ..Default::default()
        };
        store.update_item(actor, item.code.as_str(), None, &patch).await?;
    }
    Ok(())
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub async fn load(store: &dyn Store) -> anyhow::Result<Summary> {
    let already = store
        .needs(&NeedQuery {
            external_id: Some("demo-n-1".into()),
            limit: Some(1),
            ..Default::default()
        })
        .await?;
    if already.total > 0 {
        return Ok(Summary {
            status: "already loaded",
            needs: 0,
            contributions: 0,
            note: NOTE,
        });
    }
    let actor = Actor("demo".into());
    let mut rng = StdRng::seed_from_u64(SEED);
    let today = Utc::now().date_naive();
    value_items(store, &actor, today).await?;
    let members = store
        .countries(&CountryFilter {
            nam_status: Some("member".into()),
            ..Default::default()
        })
        .await?;
    let items: Vec<CatalogueItem> = store.items().await?;
    let mut need_count = 0usize;
    let mut validated: Vec<(i64, String, CatalogueItem, i64)> = Vec::new();
    let mut financial: Vec<(i64, String, i64)> = Vec::new();

    for c in &members {
        let pop = c.population.unwrap_or(1_000_000) as f64;
        let choices: Vec<&CatalogueItem> = items.iter().filter(|i| eligible(i, c)).collect();
        let picked: Vec<&&CatalogueItem> = choices.choose_multiple(&mut rng, needs_per_state(c)).collect();
        for item in picked {
            let units = (pop / people_per_unit(item) * rng.gen_range(0.5..1.5)).max(1.0);
            let base_units = (units * 10f64.powi(item.decimals as i32)).round().max(1.0) as i64;
            let priority = ["critical", "high", "high", "medium", "medium", "low"]
                .choose(&mut rng)
                .copied()
                .unwrap_or("medium");
            let needed_by = today + Duration::days(rng.gen_range(14..270));
            need_count += 1;
            let input = NewNeed {
                country: Some(c.iso3.clone()),
                item: Some(item.code.to_string()),
                quantity: Some(Value::String(format_scaled(base_units, item.decimals))),
                priority: Some(priority.into()),
                needed_by: Some(date_text(needed_by)),
                justification: Some(format!(
                    "{LABEL} {} needed for {} (illustrative figure scaled to population).",
                    item.name_en, c.name_en
                )),
                reported_via: Some("other".into()),
                external_id: Some(format!("demo-n-{need_count}")),
                ..Default::default()
            };
            let roll: f64 = rng.r#gen();
            let n = store.create_need(&actor, &input, roll >= 0.10).await?;
            if roll < 0.10 {
                continue; // stays a draft
            }
            if roll < 0.25 {
                continue; // submitted, awaiting validation
            }
            if roll < 0.30 {
                store
                    .change_need_status(
                        &actor,
                        n.id,
                        None,
                        &StatusChange {
                            to: Some("withdrawn".into()),
                            note: Some("no longer needed".into()),
                        },
                    )
                    .await?;
                continue;
            }
            store
                .change_need_status(
                    &actor,
                    n.id,
                    None,
                    &StatusChange {
                        to: Some("validated".into()),
                        note: None,
                    },
                )
                .await?;
            validated.push((n.id, c.iso3.clone(), (*item).clone(), base_units));
        }
        // Financial appeals from the poorest members.
        if c.income_group.as_deref() == Some("low") && rng.gen_bool(0.5) {
            need_count += 1;
            let dollars = (pop * rng.gen_range(0.05..0.3)).round().max(100_000.0) as i64;
            let input = NewNeed {
                country: Some(c.iso3.clone()),
                item: Some("CASH-CONTRIBUTION".into()),
                amount: Some(json!(dollars)),
                currency: Some("USD".into()),
                priority: Some("high".into()),
                needed_by: Some(date_text(today + Duration::days(rng.gen_range(30..180)))),
                justification: Some(format!(
                    "{LABEL} Funding gap of the national response plan of {}.",
                    c.name_en
                )),
                reported_via: Some("other".into()),
                external_id: Some(format!("demo-n-{need_count}")),
                ..Default::default()
            };
            let n = store.create_need(&actor, &input, true).await?;
            store
                .change_need_status(
                    &actor,
                    n.id,
                    None,
                    &StatusChange {
                        to: Some("validated".into()),
                        note: None,
                    },
                )
                .await?;
            financial.push((n.id, c.iso3.clone(), dollars));
        }
    }

    let mut contribution_count = 0usize;
    for (need_id, iso3, item, base_units) in &validated {
        if !rng.gen_bool(0.55) {
            continue;
        }
        let (donors, agency) = donors_for(&item.cluster);
        let donor = donors
            .iter()
            .copied()
            .filter(|d| d != iso3)
            .collect::<Vec<_>>()
            .choose(&mut rng)
            .copied()
            .unwrap_or("WHO");
        let channel = (donor.len() == 3 && donor != agency && rng.gen_bool(0.4)).then(|| agency.to_owned());
        let share = rng.gen_range(0.3..1.0);
        let qty = ((*base_units as f64) * share).round().max(1.0) as i64;
        let qty_text = format_scaled(qty, item.decimals);
        contribution_count += 1;
        let target = *[
            ("announced", 0.08),
            ("pledged", 0.30),
            ("committed", 0.50),
            ("shipped", 0.65),
            ("delivered", 1.0),
        ]
        .iter()
        .find(|(_, p)| rng.r#gen::<f64>() < *p)
        .map(|(s, _)| s)
        .unwrap_or(&"delivered");
        let mut date = today - Duration::days(rng.gen_range(90..150));
        let start = if target == "announced" { "announced" } else { "pledged" };
        let input = NewContribution {
            donor: Some(donor.into()),
            recipient: Some(iso3.clone()),
            channel,
            item: Some(item.code.to_string()),
            quantity: Some(Value::String(qty_text.clone())),
            stage: Some(start.into()),
            stage_date: Some(date_text(date)),
            source_url: (start == "announced")
                .then(|| format!("https://example.org/synthetic-demo/announcement/{contribution_count}")),
            description: Some(format!("{LABEL} {} {} to {iso3}.", qty_text, item.name_en)),
            external_id: Some(format!("demo-c-{contribution_count}")),
            links: vec![NewLink {
                need: Some(*need_id),
                quantity: Some(Value::String(qty_text)),
            }],
            ..Default::default()
        };
        let created = store.create_contribution(&actor, &input).await?;
        let path: &[&str] = match target {
            "committed" => &["committed"],
            "shipped" => &["committed", "shipped"],
            "delivered" => &["committed", "shipped", "delivered"],
            _ => &[],
        };
        for next in path {
            date += Duration::days(rng.gen_range(5..25));
            let change = StageChange {
                to: Some((*next).into()),
                date: Some(date_text(date.min(today))),
                ..Default::default()
            };
            store.advance_contribution(&actor, created.id, None, &change).await?;
        }
    }

    // Cash against financial appeals, some in other currencies.
    for (need_id, iso3, dollars) in &financial {
        let (donor, currency, rate) = *[
            ("KWT", "USD", None),
            ("JPN", "JPY", Some("0.0067")),
            ("DEU", "EUR", Some("1.08")),
            ("SAU", "USD", None),
        ]
        .choose(&mut rng)
        .unwrap_or(&("KWT", "USD", None));
        let usd = (*dollars as f64 * rng.gen_range(0.2..0.9)).round();
        let amount = match rate {
            Some(r) => (usd / r.parse::<f64>().unwrap_or(1.0)).round() as i64,
            None => usd as i64,
        };
        contribution_count += 1;
        let input = NewContribution {
            donor: Some(donor.into()),
            recipient: Some(iso3.clone()),
            amount: Some(json!(amount)),
            currency: Some(currency.into()),
            usd_rate: rate.map(|r| json!(r)),
            stage: Some(if rng.gen_bool(0.6) { "committed" } else { "pledged" }.into()),
            stage_date: Some(date_text(today - Duration::days(rng.gen_range(10..60)))),
            description: Some(format!("{LABEL} Cash for the response plan of {iso3}.")),
            external_id: Some(format!("demo-c-{contribution_count}")),
            links: vec![NewLink {
                need: Some(*need_id),
                quantity: Some(json!(amount)),
            }],
            ..Default::default()
        };
        store.create_contribution(&actor, &input).await?;
    }

    // The pattern of 2020: a member state gives WHO $10M, half earmarked for NAM members.
    contribution_count += 1;
    let earmarked = NewContribution {
        donor: Some("AZE".into()),
        recipient: Some("WHO".into()),
        amount: Some(json!(10_000_000)),
        currency: Some("USD".into()),
        stage: Some("committed".into()),
        stage_date: Some(date_text(today - Duration::days(120))),
        description: Some(format!(
            "{LABEL} $10M to WHO, half earmarked for NAM member states (modelled on a 2020 contribution)."
        )),
        external_id: Some(format!("demo-c-{contribution_count}")),
        // Infectious disease control, the DAC sector of a COVID-19 response.
        sector: Some("12250".into()),
        earmarks: vec![NewEarmark {
            target: Some("nam-members".into()),
            share_percent: Some(json!(50)),
            amount: None,
        }],
        ..Default::default()
    };
    let c = store.create_contribution(&actor, &earmarked).await?;
    store
        .advance_contribution(
            &actor,
            c.id,
            None,
            &StageChange {
                to: Some("disbursed".into()),
                date: Some(date_text(today - Duration::days(90))),
                ..Default::default()
            },
        )
        .await?;

    Ok(Summary {
        status: "loaded",
        needs: need_count,
        contributions: contribution_count,
        note: NOTE,
    })
}
