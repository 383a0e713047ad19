use super::*;
use proptest::prelude::*;

fn r(iso3: &str, population: i64, need: i64) -> Recipient {
    Recipient {
        iso3: iso3.into(),
        name: iso3.into(),
        population,
        unmet: [0, need, 0, 0],
        total_need: need,
        delivered: 0,
        capacity: None,
        facts: None,
    }
}

fn req(policy: Policy, supply: i64, recipients: Vec<Recipient>) -> Request {
    Request {
        supply,
        lot: 1,
        min_shipment: 0,
        policy,
        recipients,
        earmarks: vec![],
        certify: true,
    }
}

fn covax() -> Policy {
    Policy::PopulationCap { cap: 2000, buffer: 500 }
}

fn qty(a: &Allocation, iso3: &str) -> i64 {
    a.lines.iter().find(|l| l.iso3 == iso3).map(|l| l.quantity).unwrap()
}

#[test]
fn covax_phase_one_caps_at_twenty_percent_after_a_five_percent_buffer() {
    let rs = vec![
        r("AAA", 1_000_000, 10_000_000),
        r("BBB", 3_000_000, 10_000_000),
        r("CCC", 500_000, 10_000_000),
    ];
    // Plenty: everyone reaches 20% of population; 5% of supply is held back.
    let a = allocate(&req(covax(), 10_000_000, rs.clone())).unwrap();
    assert_eq!(a.buffer, 500_000);
    assert_eq!(
        (qty(&a, "AAA"), qty(&a, "BBB"), qty(&a, "CCC")),
        (200_000, 600_000, 100_000)
    );
    assert!(
        a.lines[0].reason.contains("cap of 20% of its population"),
        "{}",
        a.lines[0].reason
    );
    // Scarce: everyone gets the same share of its population.
    let a = allocate(&req(covax(), 450_000 * 100 / 95 + 1, rs)).unwrap();
    let shares: Vec<f64> = a
        .lines
        .iter()
        .map(|l| {
            l.quantity as f64 / [1_000_000.0, 3_000_000.0, 500_000.0][a.lines.iter().position(|x| x == l).unwrap()]
        })
        .collect();
    assert!(shares.iter().all(|s| (s - shares[0]).abs() < 1e-5), "{shares:?}");
    assert!(a.checks.iter().all(|c| c.passed));
    assert!(a.lines[1].reason.contains("common level"), "{}", a.lines[1].reason);
}

#[test]
fn delivered_doses_count_towards_the_share() {
    let mut a = r("AAA", 1_000_000, 1_000_000);
    a.delivered = 100_000;
    let b = r("BBB", 1_000_000, 1_000_000);
    let out = allocate(&req(
        Policy::PopulationCap { cap: 2000, buffer: 0 },
        100_000,
        vec![a, b],
    ))
    .unwrap();
    assert_eq!(
        (qty(&out, "AAA"), qty(&out, "BBB")),
        (0, 100_000),
        "BBB catches up first"
    );
    assert!(
        out.lines[0].reason.starts_with("nothing: it already stands at 10.0%"),
        "{}",
        out.lines[0].reason
    );
}

#[test]
fn need_proportional_gives_each_the_same_share_of_its_unmet_need() {
    let out = allocate(&req(
        Policy::NeedProportional,
        300,
        vec![r("AAA", 1, 100), r("BBB", 1, 500)],
    ))
    .unwrap();
    assert_eq!((qty(&out, "AAA"), qty(&out, "BBB")), (50, 250));
}

#[test]
fn priority_serves_critical_needs_first() {
    let mut a = r("AAA", 1, 0);
    a.unmet = [100, 0, 0, 0];
    a.total_need = 100;
    let mut b = r("BBB", 1, 0);
    b.unmet = [0, 500, 0, 0];
    b.total_need = 500;
    let out = allocate(&req(Policy::Priority(Box::new(Policy::MaxMin)), 150, vec![a, b])).unwrap();
    assert_eq!((qty(&out, "AAA"), qty(&out, "BBB")), (100, 50));
}

#[test]
fn lots_capacity_and_minimum_shipments_are_respected() {
    let mut a = r("AAA", 1, 1000);
    a.capacity = Some(250);
    let rs = vec![a, r("BBB", 1, 1000), r("CCC", 1, 30)];
    let out = allocate(&Request {
        lot: 100,
        min_shipment: 100,
        ..req(Policy::NeedProportional, 1000, rs)
    })
    .unwrap();
    assert_eq!(qty(&out, "AAA"), 200, "capacity 250 in lots of 100");
    assert_eq!(qty(&out, "CCC"), 0, "its need is below one lot");
    assert!(out.lines.iter().all(|l| l.quantity % 100 == 0));
    assert!(
        out.lines[0].reason.contains("absorption capacity"),
        "{}",
        out.lines[0].reason
    );
}

#[test]
fn earmarked_supply_goes_to_the_earmarked_group_first() {
    let reference = crate::reference::embedded().unwrap();
    let with_facts = |iso: &str| {
        let c = reference.country(iso).unwrap();
        Recipient {
            facts: Some(CountryFacts::from_country(c)),
            ..r(iso, c.population.unwrap(), 1_000_000)
        }
    };
    // Brazil is a NAM observer, Kenya a member.
    let rs = vec![with_facts("BRA"), with_facts("KEN")];
    let earmarks = vec![SupplyEarmark {
        target: EarmarkTarget::NamMembers,
        portion: EarmarkPortion::ShareBp(5000),
    }];
    let out = allocate(&Request {
        earmarks,
        ..req(Policy::NeedProportional, 1_000_000, rs)
    })
    .unwrap();
    assert!(qty(&out, "KEN") >= 500_000, "{:?}", out.lines);
    assert!(out.checks.iter().any(|c| c.check == "earmark nam-members" && c.passed));
}

#[test]
fn bad_requests_name_the_field() {
    let e = allocate(&Request {
        lot: 0,
        ..req(Policy::PopulationCap { cap: 0, buffer: 10_000 }, -1, vec![])
    })
    .unwrap_err();
    let fields: Vec<&str> = e.fields().collect();
    assert_eq!(fields, vec!["quantity", "lot", "cap", "buffer", "eligible"]);
    let e = allocate(&req(Policy::MaxMin, 1, vec![r("AAA", 1, 1), r("AAA", 1, 1)])).unwrap_err();
    assert_eq!(e.0[0].code, "duplicate");
}

fn recipients() -> impl Strategy<Value = Vec<Recipient>> {
    prop::collection::vec(
        (
            1i64..5_000_000,
            0i64..2_000_000,
            0i64..300_000,
            prop::option::of(0i64..1_500_000),
            0usize..4,
        ),
        1..12,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (population, need, delivered, capacity, tier))| {
                let mut unmet = [0; 4];
                unmet[tier] = need;
                Recipient {
                    iso3: format!("R{i:02}"),
                    name: format!("R{i:02}"),
                    population,
                    unmet,
                    total_need: need + delivered,
                    delivered,
                    capacity,
                    facts: None,
                }
            })
            .collect()
    })
}

fn policies() -> impl Strategy<Value = Policy> {
    prop_oneof![
        (1i64..=10_000, 0i64..2_000).prop_map(|(cap, buffer)| Policy::PopulationCap { cap, buffer }),
        Just(Policy::NeedProportional),
        Just(Policy::MaxMin),
        Just(Policy::Priority(Box::new(Policy::MaxMin))),
        Just(Policy::Priority(Box::new(Policy::NeedProportional))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn never_more_than_supply_need_or_capacity(rs in recipients(), policy in policies(), supply in 0i64..20_000_000, lot in 1i64..5_000, min in 0i64..50_000) {
        let out = allocate(&Request { supply, lot, min_shipment: min, policy, recipients: rs.clone(), earmarks: vec![], certify: true }).unwrap();
        prop_assert!(out.allocated + out.buffer <= supply);
        for l in &out.lines {
            let r = rs.iter().find(|r| r.iso3 == l.iso3).unwrap();
            prop_assert!(l.quantity <= r.unmet_total());
            prop_assert!(r.capacity.is_none_or(|c| l.quantity <= c));
            prop_assert!(l.quantity % lot == 0);
            prop_assert!(l.quantity == 0 || l.quantity >= min);
        }
    }

    #[test]
    fn monotone_in_supply(rs in recipients(), policy in policies(), supply in 0i64..10_000_000, more in 0i64..10_000_000, lot in 1i64..5_000) {
        let run = |s: i64| allocate(&Request { supply: s, lot, min_shipment: 0, policy: policy.clone(), recipients: rs.clone(), earmarks: vec![], certify: true }).unwrap();
        let (small, big) = (run(supply), run(supply + more));
        for (a, b) in small.lines.iter().zip(&big.lines) {
            prop_assert!(b.quantity >= a.quantity, "{} got {} with {} but {} with {}", a.iso3, a.quantity, supply, b.quantity, supply + more);
        }
    }

    #[test]
    fn independent_of_input_order(rs in recipients(), policy in policies(), supply in 0i64..10_000_000, lot in 1i64..5_000, min in 0i64..20_000, seed in any::<u64>()) {
        let mut shuffled = rs.clone();
        // A deterministic shuffle from the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = allocate(&Request { supply, lot, min_shipment: min, policy: policy.clone(), recipients: rs, earmarks: vec![], certify: true }).unwrap();
        let b = allocate(&Request { supply, lot, min_shipment: min, policy, recipients: shuffled, earmarks: vec![], certify: true }).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn population_cap_gives_equal_shares_of_population_within_one_lot_while_nothing_binds(
        pops in prop::collection::vec(100_000i64..50_000_000, 2..10),
        supply in 1_000i64..2_000_000,
        lot in 1i64..200,
    ) {
        // Needs, capacities and the cap are far away: only the supply binds.
        let rs: Vec<Recipient> = pops.iter().enumerate().map(|(i, p)| r(&format!("R{i:02}"), *p, i64::MAX / 64)).collect();
        let out = allocate(&Request { supply, lot, min_shipment: 0, policy: Policy::PopulationCap { cap: 10_000, buffer: 0 }, recipients: rs, earmarks: vec![], certify: true }).unwrap();
        // The common share everyone reached; each is at most one lot above it.
        let level = out.lines.iter().zip(&pops).map(|(l, p)| l.quantity as f64 / *p as f64).fold(f64::MAX, f64::min);
        for (l, p) in out.lines.iter().zip(&pops) {
            let above = l.quantity as f64 - level * *p as f64;
            prop_assert!((-1e-6..=lot as f64 + 1e-6).contains(&above), "{} gets {}, {above} above the common share", l.iso3, l.quantity);
        }
        prop_assert!(out.unallocated < lot, "the whole supply is used, but for less than a lot");
    }

    #[test]
    fn every_reason_is_true_of_the_figures(rs in recipients(), policy in policies(), supply in 0i64..20_000_000, lot in 1i64..5_000, min in 0i64..50_000) {
        let out = allocate(&Request { supply, lot, min_shipment: min, policy: policy.clone(), recipients: rs.clone(), earmarks: vec![], certify: true }).unwrap();
        let base = policy.base().clone();
        let leftover = out.unallocated;
        for l in &out.lines {
            let r = rs.iter().find(|r| r.iso3 == l.iso3).unwrap();
            let limit = bound(&base, r);
            let cap_room = match base {
                Policy::PopulationCap { cap, .. } => Some((portion_of(r.population, cap) - r.delivered).max(0)),
                _ => None,
            };
            let holds = match l.why.as_str() {
                "bound" => l.quantity > 0 && l.quantity == limit / lot * lot,
                "common_level" => l.quantity > 0 && l.quantity < limit / lot * lot,
                "no_need" => l.quantity == 0 && r.unmet_total() == 0,
                "no_population" => l.quantity == 0 && r.population == 0,
                "capacity_zero" => l.quantity == 0 && r.capacity == Some(0),
                "cap_reached" => l.quantity == 0 && cap_room == Some(0),
                "below_one_lot" => l.quantity == 0 && limit < lot,
                "below_minimum" => l.quantity == 0 && min > 0 && limit >= lot,
                // Supply ran out: less than a lot was left over, and (when it
                // says so) the supply was spent before this tier began.
                "lower_tier" => l.quantity == 0 && limit >= lot && matches!(policy, Policy::Priority(_)) && r.unmet[0] == 0,
                "supply_ran_out" | "above_level" => l.quantity == 0 && limit >= lot && leftover < lot,
                other => panic!("unknown reason code {other}"),
            };
            prop_assert!(holds, "{} ({}): '{}' is not true: quantity {}, limit {}, lot {}, leftover {}, recipient {:?}", l.iso3, l.why, l.reason, l.quantity, limit, lot, leftover, r);
            if l.why == "supply_ran_out" {
                prop_assert!(l.reason.contains(&fmt(leftover)), "{}", l.reason);
            }
        }
    }
}

#[test]
fn an_earmark_the_group_cannot_take_is_reported_not_hidden() {
    let reference = crate::reference::embedded().unwrap();
    let with_facts = |iso: &str, need: i64| {
        let c = reference.country(iso).unwrap();
        Recipient {
            facts: Some(CountryFacts::from_country(c)),
            ..r(iso, c.population.unwrap(), need)
        }
    };
    let earmark = |target: EarmarkTarget| SupplyEarmark {
        target,
        portion: EarmarkPortion::ShareBp(5000),
    };
    // Kenya is lower-middle income: no one eligible is low income.
    let out = allocate(&Request {
        earmarks: vec![earmark(EarmarkTarget::IncomeGroup(crate::reference::IncomeGroup::Low))],
        ..req(
            Policy::NeedProportional,
            1_000,
            vec![with_facts("KEN", 5_000), with_facts("BRA", 5_000)],
        )
    })
    .unwrap();
    let c = out.checks.iter().find(|c| c.check == "earmark income:low").unwrap();
    assert!(!c.passed && !c.hard, "{c:?}");
    assert!(c.detail.contains("no eligible recipient"), "{}", c.detail);
    // The group's need is below its earmark: it gets all it can take, and the check says so.
    let out = allocate(&Request {
        earmarks: vec![earmark(EarmarkTarget::NamMembers)],
        ..req(
            Policy::NeedProportional,
            1_000,
            vec![with_facts("KEN", 100), with_facts("BRA", 5_000)],
        )
    })
    .unwrap();
    let c = out.checks.iter().find(|c| c.check == "earmark nam-members").unwrap();
    assert!(!c.passed, "{c:?}");
    assert!(
        c.detail
            .contains("100 went to recipients in nam-members, less than its earmark of 500"),
        "{}",
        c.detail
    );
    assert_eq!(qty(&out, "KEN"), 100);
}

#[test]
fn reasons_name_capacity_lots_and_tiers() {
    let mut zero = r("AAA", 1000, 500);
    zero.capacity = Some(0);
    let small = r("BBB", 1000, 40);
    let out = allocate(&Request {
        lot: 100,
        ..req(Policy::MaxMin, 10_000, vec![zero, small, r("CCC", 1000, 300)])
    })
    .unwrap();
    let why: Vec<&str> = out.lines.iter().map(|l| l.why.as_str()).collect();
    assert_eq!(why, ["capacity_zero", "below_one_lot", "bound"]);
    assert!(out.unallocated >= 100, "supply is left, so nobody is told it ran out");
    let mut low = r("LLL", 1000, 0);
    low.unmet = [0, 0, 0, 500];
    let mut crit = r("CRT", 1000, 0);
    crit.unmet = [1000, 0, 0, 0];
    let out = allocate(&req(Policy::Priority(Box::new(Policy::MaxMin)), 800, vec![low, crit])).unwrap();
    assert_eq!(
        out.lines.iter().find(|l| l.iso3 == "LLL").map(|l| l.why.as_str()),
        Some("lower_tier")
    );
}
