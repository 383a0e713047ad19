//! How fairly a supply was shared: each group's share of what was delivered
//! beside its share of population, delivery per person, the Lorenz curve and
//! the Gini coefficient (population-weighted), and one plain sentence.

use crate::decimal::to_json_number;
use crate::reference::IncomeGroup;
use serde::Serialize;

/// One state's or territory's population and what it received, in base units.
#[derive(Debug, Clone, PartialEq)]
pub struct StateFigure {
    pub iso3: String,
    pub name: String,
    pub population: i64,
    pub delivered: i64,
    pub income_group: Option<IncomeGroup>,
    pub region: Option<String>,
    /// An independent state, rather than a territory.
    pub is_state: bool,
}

/// Who the report counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counted {
    pub states: usize,
    pub territories: usize,
    /// In words: which entities, and which were left out.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupShare {
    pub group: String,
    pub states: usize,
    pub population: i64,
    /// In the item's unit.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub delivered: serde_json::Value,
    pub population_share_pct: f64,
    pub delivered_share_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerPerson {
    pub iso3: String,
    pub name: String,
    pub population: i64,
    /// In the item's unit.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub delivered: serde_json::Value,
    /// The item's unit per person.
    pub per_person: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LorenzPoint {
    /// Cumulative share of population, poorest-served first, 0 to 1.
    pub population: f64,
    /// Cumulative share of what was delivered, 0 to 1.
    pub delivered: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equity {
    /// In the item's unit (US dollars for cash).
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub delivered: serde_json::Value,
    pub unit: String,
    pub population: i64,
    pub counted: Counted,
    pub by_income_group: Vec<GroupShare>,
    pub by_region: Vec<GroupShare>,
    pub per_person: Vec<PerPerson>,
    pub lorenz: Vec<LorenzPoint>,
    /// 0 is perfect equality per person; 1 is everything to one state.
    /// Not defined (null) while nothing has been delivered.
    pub gini: Option<f64>,
    pub summary: String,
}

fn pct(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        (part as f64 / whole as f64 * 1000.0).round() / 10.0
    } else {
        0.0
    }
}

fn shares(
    states: &[&StateFigure],
    key: impl Fn(&StateFigure) -> String,
    order: &[String],
    decimals: u32,
) -> Vec<GroupShare> {
    let pop: i64 = states.iter().map(|s| s.population).sum();
    let del: i64 = states.iter().map(|s| s.delivered).sum();
    let mut keys: Vec<String> = order.to_vec();
    for s in states {
        let k = key(s);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter_map(|k| {
            let members: Vec<&&StateFigure> = states.iter().filter(|s| key(s) == k).collect();
            if members.is_empty() {
                return None;
            }
            let p: i64 = members.iter().map(|s| s.population).sum();
            let d: i64 = members.iter().map(|s| s.delivered).sum();
            Some(GroupShare {
                group: k,
                states: members.len(),
                population: p,
                delivered: to_json_number(d, decimals),
                population_share_pct: pct(p, pop),
                delivered_share_pct: pct(d, del),
            })
        })
        .collect()
}

/// The equity report over states and territories with a known population.
/// `unit` names what was delivered ("doses", "US dollars"); `decimals` is
/// how many of its base units make one (3 for tonnes kept in kilograms).
pub fn report(states: &[StateFigure], unit: &str, decimals: u32) -> Equity {
    let mut counted: Vec<&StateFigure> = states.iter().filter(|s| s.population > 0).collect();
    let scale = 10f64.powi(decimals as i32);
    counted.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    let population: i64 = counted.iter().map(|s| s.population).sum();
    let delivered: i64 = counted.iter().map(|s| s.delivered).sum();
    let income_order: Vec<String> = IncomeGroup::ALL.iter().rev().map(|g| g.as_str().to_owned()).collect();
    let by_income_group = shares(
        &counted,
        |s| s.income_group.map_or("unclassified".into(), |g| g.as_str().to_owned()),
        &income_order,
        decimals,
    );
    let by_region = shares(
        &counted,
        |s| s.region.clone().unwrap_or_else(|| "unknown".into()),
        &[],
        decimals,
    );
    let mut per_person: Vec<PerPerson> = counted
        .iter()
        .map(|s| PerPerson {
            iso3: s.iso3.clone(),
            name: s.name.clone(),
            population: s.population,
            delivered: to_json_number(s.delivered, decimals),
            per_person: s.delivered as f64 / scale / s.population as f64,
        })
        .collect();
    // Poorest-served first; ties by code so the curve is the same every time.
    per_person.sort_by(|a, b| a.per_person.total_cmp(&b.per_person).then_with(|| a.iso3.cmp(&b.iso3)));
    let mut lorenz = vec![LorenzPoint {
        population: 0.0,
        delivered: 0.0,
    }];
    let (mut cp, mut cd) = (0i64, 0i64);
    let base: std::collections::HashMap<&str, i64> = counted.iter().map(|s| (s.iso3.as_str(), s.delivered)).collect();
    for p in &per_person {
        cp += p.population;
        cd += base.get(p.iso3.as_str()).copied().unwrap_or(0);
        lorenz.push(LorenzPoint {
            population: if population > 0 {
                cp as f64 / population as f64
            } else {
                0.0
            },
            delivered: if delivered > 0 {
                cd as f64 / delivered as f64
            } else {
                0.0
            },
        });
    }
    let gini = if delivered > 0 && population > 0 {
        let area: f64 = lorenz
            .windows(2)
            .map(|w| (w[1].population - w[0].population) * (w[1].delivered + w[0].delivered))
            .sum();
        Some((1.0 - area).clamp(0.0, 1.0))
    } else {
        None
    };
    let group = |g: &str| by_income_group.iter().find(|s| s.group == g);
    let summary = match (group("high"), group("low")) {
        _ if delivered == 0 => format!(
            "Nothing has been delivered yet to the {} states counted.",
            counted.len()
        ),
        (Some(h), Some(l)) => format!(
            "High-income states received {}% of {unit} for {}% of the population; low-income states {}% for {}%.",
            h.delivered_share_pct, h.population_share_pct, l.delivered_share_pct, l.population_share_pct
        ),
        (Some(h), None) => format!(
            "High-income states received {}% of {unit} for {}% of the population; no low-income state is counted.",
            h.delivered_share_pct, h.population_share_pct
        ),
        (None, Some(l)) => format!(
            "Low-income states received {}% of {unit} for {}% of the population; no high-income state is counted.",
            l.delivered_share_pct, l.population_share_pct
        ),
        (None, None) => format!(
            "{} states received {} {unit} in all.",
            counted.len(),
            to_json_number(delivered, decimals)
        ),
    };
    let states_n = counted.iter().filter(|s| s.is_state).count();
    let territories_n = counted.len() - states_n;
    let left_out = states.len() - counted.len();
    let counted_note = Counted {
        states: states_n,
        territories: territories_n,
        description: format!(
            "{states_n} states and {territories_n} territories with a known population{}",
            if left_out > 0 {
                format!("; {left_out} without a population figure are left out")
            } else {
                String::new()
            }
        ),
    };
    Equity {
        delivered: to_json_number(delivered, decimals),
        unit: unit.to_owned(),
        population,
        counted: counted_note,
        by_income_group,
        by_region,
        per_person,
        lorenz,
        gini: gini.map(|g| (g * 10_000.0).round() / 10_000.0),
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn s(iso3: &str, population: i64, delivered: i64, g: IncomeGroup) -> StateFigure {
        StateFigure {
            iso3: iso3.into(),
            name: iso3.into(),
            population,
            delivered,
            income_group: Some(g),
            region: Some("Africa".into()),
            is_state: true,
        }
    }

    #[test]
    fn the_summary_sentence_reads_like_the_2021_finding() {
        let e = report(
            &[
                s("HHH", 100, 820, IncomeGroup::High),
                s("LLL", 100, 9, IncomeGroup::Low),
                s("MMM", 800, 171, IncomeGroup::LowerMiddle),
            ],
            "doses",
            0,
        );
        assert_eq!(
            e.summary,
            "High-income states received 82% of doses for 10% of the population; low-income states 0.9% for 10%."
        );
        assert_eq!(e.by_income_group[0].group, "high");
        assert!(e.gini.unwrap() > 0.5, "{:?}", e.gini);
    }

    #[test]
    fn equal_delivery_per_person_is_a_gini_of_zero() {
        let e = report(
            &[
                s("AAA", 100, 50, IncomeGroup::High),
                s("BBB", 300, 150, IncomeGroup::Low),
            ],
            "doses",
            0,
        );
        assert_eq!(e.gini, Some(0.0));
        assert_eq!(e.lorenz.last().map(|p| (p.population, p.delivered)), Some((1.0, 1.0)));
    }

    #[test]
    fn everything_to_one_of_many_approaches_one() {
        let mut states: Vec<StateFigure> = (0..99)
            .map(|i| s(&format!("S{i:02}"), 100, 0, IncomeGroup::Low))
            .collect();
        states.push(s("TOP", 100, 1000, IncomeGroup::High));
        assert!((report(&states, "doses", 0).gini.unwrap() - 0.99).abs() < 1e-9);
    }

    #[test]
    fn figures_are_in_the_items_unit_and_nothing_delivered_has_no_gini() {
        // 2.5 tonnes kept as 2,500 kg.
        let e = report(
            &[
                s("AAA", 1000, 2500, IncomeGroup::High),
                s("BBB", 1000, 0, IncomeGroup::Low),
            ],
            "tonnes",
            3,
        );
        assert_eq!(e.delivered, serde_json::json!(2.5));
        assert_eq!(e.per_person.last().map(|p| p.per_person), Some(0.0025));
        assert_eq!(e.by_income_group[0].delivered, serde_json::json!(2.5));
        let none = report(&[s("AAA", 1000, 0, IncomeGroup::High)], "tonnes", 3);
        assert_eq!(none.gini, None);
        assert_eq!(serde_json::to_value(&none).unwrap()["gini"], serde_json::Value::Null);
        let mut t = s("TTT", 50, 0, IncomeGroup::High);
        t.is_state = false;
        let c = report(
            &[s("AAA", 10, 1, IncomeGroup::High), t, s("ZZZ", 0, 0, IncomeGroup::Low)],
            "x",
            0,
        )
        .counted;
        assert_eq!((c.states, c.territories), (1, 1));
        assert!(c.description.contains("1 without a population"), "{}", c.description);
    }

    proptest! {
        #[test]
        fn gini_is_between_zero_and_one_and_the_curve_rises(v in prop::collection::vec((1i64..10_000_000, 0i64..5_000_000), 1..40)) {
            let states: Vec<StateFigure> = v.iter().enumerate().map(|(i, (p, d))| s(&format!("S{i:02}"), *p, *d, IncomeGroup::Low)).collect();
            let e = report(&states, "doses", 0);
            let delivered: i64 = v.iter().map(|(_, d)| d).sum();
            prop_assert_eq!(e.gini.is_some(), delivered > 0);
            prop_assert!(e.gini.is_none_or(|g| (0.0..=1.0).contains(&g)));
            for w in e.lorenz.windows(2) {
                prop_assert!(w[1].population >= w[0].population && w[1].delivered >= w[0].delivered - 1e-12);
                // Poorest-served first: the curve never rises above equality.
                prop_assert!(w[1].delivered <= w[1].population + 1e-9);
            }
            let shares: f64 = e.by_income_group.iter().map(|g| g.population_share_pct).sum();
            prop_assert!((shares - 100.0).abs() < 0.1 * e.by_income_group.len() as f64);
        }
    }
}
