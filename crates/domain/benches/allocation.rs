//! Allocation benchmark: 150 recipients × 500 items with lot sizes, every
//! policy in turn. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench -p needsdb-domain --bench allocation` (or scripts/bench,
//! which also checks the LP answers against scipy's HiGHS). With
//! `--export PATH` it writes the first-round LP of each item as JSON.

use needsdb_domain::allocation::leximin::{self, Agent};
use needsdb_domain::allocation::{Policy, Recipient, Request, allocate};
use std::time::Instant;

/// A small deterministic generator, so every run sees the same instance.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

const RECIPIENTS: usize = 150;
const ITEMS: usize = 500;

fn main() {
    let export = std::env::args().skip_while(|a| a != "--export").nth(1);
    let mut rng = Rng(2020);
    let populations: Vec<i64> = (0..RECIPIENTS).map(|_| rng.range(50_000, 300_000_000)).collect();
    let mut requests = Vec::new();
    for item in 0..ITEMS {
        let lot = [1, 10, 50, 100, 1000][item % 5];
        let recipients: Vec<Recipient> = (0..RECIPIENTS)
            .map(|i| {
                let need = populations[i] / rng.range(2, 50);
                let mut unmet = [0; 4];
                unmet[rng.range(0, 4) as usize] = need;
                let delivered = need / rng.range(2, 20);
                Recipient {
                    iso3: format!("R{i:03}"),
                    name: format!("Recipient {i}"),
                    population: populations[i],
                    unmet,
                    total_need: need + delivered,
                    delivered,
                    capacity: (rng.range(0, 4) == 0).then_some(need / 3),
                    facts: None,
                }
            })
            .collect();
        let total: i64 = recipients.iter().map(|r| r.unmet_total()).sum();
        let policy = match item % 4 {
            0 => Policy::PopulationCap { cap: 2000, buffer: 500 },
            1 => Policy::NeedProportional,
            2 => Policy::MaxMin,
            _ => Policy::Priority(Box::new(Policy::MaxMin)),
        };
        requests.push(Request {
            supply: total / rng.range(2, 6),
            lot,
            min_shipment: lot * 2,
            policy,
            recipients,
            earmarks: vec![],
            certify: false,
        });
    }

    let start = Instant::now();
    let mut allocated = 0i64;
    for r in &requests {
        let a = allocate(r).expect("allocation passes its checks");
        allocated += a.allocated;
    }
    let elapsed = start.elapsed();
    println!("allocation: {RECIPIENTS} recipients x {ITEMS} items with lot sizes, all checks passed");
    println!(
        "  total {:.3} s ({:.2} ms per item); {allocated} units allocated",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / ITEMS as f64
    );
    println!(
        "  target: under 1 s -> {}",
        if elapsed.as_secs_f64() < 1.0 { "met" } else { "NOT met" }
    );
    let start = Instant::now();
    for r in &requests {
        let a = allocate(&Request {
            certify: true,
            ..r.clone()
        })
        .expect("allocation passes its checks");
        assert!(a.checks.iter().all(|c| c.passed));
    }
    let certified = start.elapsed();
    println!(
        "  with every pass certified by the LP solver (as the CLI and API run): {:.3} s ({:.2} ms per item)",
        certified.as_secs_f64(),
        certified.as_secs_f64() * 1000.0 / ITEMS as f64
    );

    // The first-round LP of each item, solved alone, for the comparison.
    let instances: Vec<leximin::LpInstance> = requests
        .iter()
        .map(|r| {
            let agents: Vec<Agent> = r
                .recipients
                .iter()
                .map(|x| Agent {
                    weight: x.population.max(1),
                    offset: x.delivered,
                    cap: x.unmet_total() / r.lot,
                })
                .collect();
            leximin::first_round_instance(&agents, (r.supply / r.lot) as f64, r.lot)
        })
        .collect();
    // Our objective per instance: the water level, in closed form.
    let start = Instant::now();
    let levels: Vec<f64> = requests
        .iter()
        .map(|r| {
            let agents: Vec<Agent> = r
                .recipients
                .iter()
                .map(|x| Agent {
                    weight: x.population.max(1),
                    offset: x.delivered,
                    cap: x.unmet_total() / r.lot,
                })
                .collect();
            leximin::water_level(&agents, (r.supply / r.lot) as f64, r.lot).1
        })
        .collect();
    let ours = start.elapsed();
    println!(
        "  water levels of {} instances in closed form: {:.4} s",
        instances.len(),
        ours.as_secs_f64()
    );
    if let Some(path) = export {
        let doc = serde_json::json!({"our_seconds": ours.as_secs_f64(), "instances": instances, "levels": levels});
        std::fs::write(&path, doc.to_string()).expect("write the export");
        println!("  exported to {path}");
    }
}
