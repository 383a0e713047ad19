//! Lexicographic max-min over whole lots: raise the lowest ratio, then the
//! next.
//!
//! The continuous problem is an LP solved by progressive filling: maximise a
//! common level t, freeze the agents whose cap binds, repeat. Over this
//! structure (one budget, separable bounds) progressive filling ends at the
//! water level: every agent at clamp(w·t − offset, 0, cap) for one t, which
//! [`water_level`] finds exactly by sorting breakpoints. An LP solve per round
//! costs milliseconds (a benchmark needed 14,000 of them), so the fast path
//! uses the closed form and [`certify`] checks it with good_lp's pure-Rust
//! microlp solver: one LP over the agents the level leaves free must reach
//! the same t. Whole lots are then handed out one at a time to the lowest
//! ratio, which is the exact integer answer; the level only shortens that walk.

use good_lp::{Expression, Solution, SolverModel, Variable, constraint, microlp, variable, variables};

/// One recipient in one pass. Its ratio is `(offset + lots·lot) / weight`,
/// all in base units; it takes at most `cap` lots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    pub weight: i64,
    pub offset: i64,
    pub cap: i64,
}

/// Which agent the next lot goes to: the lower ratio `(offset + lots·lot) /
/// weight` (compared exactly); among equal ratios, the one a lot raises
/// most (the smaller weight), since when a tie at the bottom cannot be
/// lifted, leximin wants the next ratio as high as possible.
fn cmp_next(a: &Agent, la: i64, b: &Agent, lb: i64, lot: i64) -> std::cmp::Ordering {
    let left = (i128::from(a.offset) + i128::from(la) * i128::from(lot)) * i128::from(b.weight);
    let right = (i128::from(b.offset) + i128::from(lb) * i128::from(lot)) * i128::from(a.weight);
    left.cmp(&right).then(a.weight.cmp(&b.weight))
}

/// The agent with room that gets the next lot; ties go to the earlier one.
fn next_agent(agents: &[Agent], x: &[i64], lot: i64) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, a) in agents.iter().enumerate() {
        if x[i] >= a.cap {
            continue;
        }
        best = match best {
            Some(b) if cmp_next(&agents[b], x[b], a, x[i], lot) != std::cmp::Ordering::Greater => Some(b),
            _ => Some(i),
        };
    }
    best
}

/// The level the continuous LP reaches in its first round: the largest
/// common ratio every agent can be raised to.
pub fn first_round_level(agents: &[Agent], lots: f64, lot: i64) -> Option<f64> {
    progressive_filling(agents, lots, lot).map(|(_, first)| first)
}

/// The first-round LP exactly as solved, scaled: maximise t subject to
/// y_i - w_i·t >= -offset_i, 0 <= y_i <= cap_i, sum(y) <= lots. Benchmarks
/// hand the same numbers to another solver to check the answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LpInstance {
    pub w: Vec<f64>,
    pub offset: Vec<f64>,
    pub cap: Vec<f64>,
    pub lots: f64,
}

pub fn first_round_instance(agents: &[Agent], lots: f64, lot: i64) -> LpInstance {
    let mean_w = agents.iter().map(|a| a.weight as f64).sum::<f64>() / agents.len().max(1) as f64;
    LpInstance {
        w: agents.iter().map(|a| a.weight as f64 / mean_w).collect(),
        offset: agents.iter().map(|a| a.offset as f64 / lot as f64).collect(),
        cap: agents.iter().map(|a| a.cap as f64).collect(),
        lots,
    }
}

/// Solves an instance with good_lp's microlp; returns the optimal t.
pub fn solve_instance(lp: &LpInstance) -> Option<f64> {
    let mut vars = variables!();
    let t = vars.add(variable().min(0.0));
    let ys: Vec<Variable> = lp.cap.iter().map(|c| vars.add(variable().min(0.0).max(*c))).collect();
    let total: Expression = ys.iter().copied().sum();
    let lots = lp.lots;
    let mut model = vars.maximise(t).using(microlp).with(constraint!(total <= lots));
    for (k, y) in ys.iter().enumerate() {
        model = model.with(constraint!(*y - lp.w[k] * t >= -lp.offset[k]));
    }
    model.solve().ok().map(|s| s.value(t))
}

/// Continuous lots per agent, by progressive filling with one LP per round:
/// the reference the closed form is tested against. each round is an LP
/// maximising the common level `t`; agents whose cap binds at that level
/// are frozen and the rest go round again.
fn progressive_filling(agents: &[Agent], lots: f64, lot: i64) -> Option<(Vec<f64>, f64)> {
    // Scale so the LP sees numbers near 1 whatever the units.
    let mean_w = agents.iter().map(|a| a.weight as f64).sum::<f64>() / agents.len().max(1) as f64;
    let lot_f = lot as f64;
    let w: Vec<f64> = agents.iter().map(|a| a.weight as f64 / mean_w).collect();
    let off: Vec<f64> = agents.iter().map(|a| a.offset as f64 / lot_f).collect();
    let mut y = vec![0.0; agents.len()];
    let mut active: Vec<usize> = (0..agents.len()).filter(|i| agents[*i].cap > 0).collect();
    let mut remaining = lots;
    let mut first = None;
    while !active.is_empty() && remaining > 1e-9 {
        let mut vars = variables!();
        let t = vars.add(variable().min(0.0));
        let ys: Vec<Variable> = active
            .iter()
            .map(|i| vars.add(variable().min(0.0).max(agents[*i].cap as f64)))
            .collect();
        let total: Expression = ys.iter().copied().sum();
        let mut model = vars.maximise(t).using(microlp).with(constraint!(total <= remaining));
        for (k, i) in active.iter().enumerate() {
            model = model.with(constraint!(ys[k] - w[*i] * t >= -off[*i]));
        }
        let level = model.solve().ok()?.value(t);
        first.get_or_insert(level);
        let mut frozen = Vec::new();
        for i in &active {
            let cap = agents[*i].cap as f64;
            if off[*i] + cap <= w[*i] * level + 1e-9 * (1.0 + cap) {
                y[*i] = cap;
                remaining -= cap;
                frozen.push(*i);
            }
        }
        if frozen.is_empty() {
            for i in &active {
                y[*i] = (w[*i] * level - off[*i]).clamp(0.0, agents[*i].cap as f64);
            }
            break;
        }
        active.retain(|i| !frozen.contains(i));
    }
    Some((y, first.unwrap_or(0.0)))
}

/// The water level, exactly: the t at which sum(clamp(w·t − offset, 0, cap))
/// uses all `lots` (in lots, with weights scaled as the LP scales them), and
/// each agent's continuous lots at that level.
pub fn water_level(agents: &[Agent], lots: f64, lot: i64) -> (Vec<f64>, f64) {
    let lp = first_round_instance(agents, lots, lot);
    let n = agents.len();
    let total_cap: f64 = lp.cap.iter().sum();
    let at = |t: f64| -> Vec<f64> {
        (0..n)
            .map(|i| (lp.w[i] * t - lp.offset[i]).clamp(0.0, lp.cap[i]))
            .collect()
    };
    // Breakpoints where an agent starts to take lots, and where it is full.
    let mut points: Vec<f64> = (0..n)
        .filter(|i| lp.cap[*i] > 0.0 && lp.w[*i] > 0.0)
        .flat_map(|i| [lp.offset[i] / lp.w[i], (lp.offset[i] + lp.cap[i]) / lp.w[i]])
        .collect();
    points.sort_by(f64::total_cmp);
    if total_cap <= lots || points.is_empty() {
        let t = points.last().copied().unwrap_or(0.0);
        return (at(t), t);
    }
    let used = |t: f64| -> f64 { at(t).iter().sum() };
    // The segment where the budget runs out, then linear inside it.
    let mut lo = 0.0;
    for p in points {
        if used(p) >= lots {
            let (u_lo, u_hi) = (used(lo), used(p));
            let t = if u_hi > u_lo {
                lo + (p - lo) * (lots - u_lo) / (u_hi - u_lo)
            } else {
                p
            };
            return (at(t), t);
        }
        lo = p;
    }
    (at(lo), lo)
}

/// Checks a water level with the LP solver: with the agents the level fills
/// to their cap fixed, maximising t over the others must give `t` again.
/// Returns the solver's t, or why it disagrees.
pub fn certify(agents: &[Agent], lots: f64, lot: i64, t: f64) -> Result<f64, String> {
    let lp = first_round_instance(agents, lots, lot);
    // Agents with no room, or filled to their cap at this level, are fixed.
    let full: Vec<bool> = (0..agents.len())
        .map(|i| lp.cap[i] <= 0.0 || lp.w[i] * t - lp.offset[i] >= lp.cap[i] - 1e-9)
        .collect();
    let budget = lots - (0..agents.len()).filter(|i| full[*i]).map(|i| lp.cap[i]).sum::<f64>();
    let free: Vec<usize> = (0..agents.len()).filter(|i| !full[*i] && lp.w[*i] > 0.0).collect();
    if free.is_empty() || budget <= 1e-9 {
        return Ok(t);
    }
    let sub = LpInstance {
        w: free.iter().map(|i| lp.w[*i]).collect(),
        offset: free.iter().map(|i| lp.offset[*i]).collect(),
        cap: free.iter().map(|i| lp.cap[*i]).collect(),
        lots: budget,
    };
    let solved = solve_instance(&sub).ok_or_else(|| "the LP solver found no solution".to_owned())?;
    // microlp's simplex works to about 1e-6 relative on large levels.
    if (solved - t).abs() <= 1e-5 * t.abs().max(1.0) {
        Ok(solved)
    } else {
        Err(format!("the LP reaches level {solved}, the closed form {t}"))
    }
}

/// Whole lots per agent, lexicographically max-min on the ratios, using at
/// most `lots` lots. Ties go to the earlier agent, so the answer is fixed.
pub fn allocate(agents: &[Agent], lots: i64, lot: i64) -> Vec<i64> {
    let total_cap: i64 = agents.iter().map(|a| a.cap.max(0)).sum();
    if total_cap <= lots {
        return agents.iter().map(|a| a.cap.max(0)).collect();
    }
    // Start from the water level of n lots fewer, which never overshoots the
    // exact walk, then walk the remaining lots to the lowest ratio one by
    // one. Why n fewer: when the walk ends at level t, every agent holds at
    // least its continuous share at t and at most one lot more, so the walk
    // spends at most n lots above that share and t is no lower than the
    // water level of `lots - n`. The level of all `lots` is not safe: with
    // one agent holding most of the weight, the lots the others take above
    // the level cost it several of its own.
    let start_budget = (lots - agents.len() as i64).max(0);
    let (y, _) = water_level(agents, start_budget as f64, lot);
    let mut x: Vec<i64> = y
        .iter()
        .zip(agents)
        .map(|(v, a)| ((v.floor() as i64) - 1).clamp(0, a.cap.max(0)))
        .collect();
    let mut left = lots - x.iter().sum::<i64>();
    while left > 0 {
        let Some(b) = next_agent(agents, &x, lot) else { break };
        x[b] += 1;
        left -= 1;
    }
    x
}

/// The same answer by the plain walk from zero, lot by lot: the reference
/// the fast path is tested against.
pub fn allocate_by_walk(agents: &[Agent], lots: i64, lot: i64) -> Vec<i64> {
    let mut x = vec![0i64; agents.len()];
    for _ in 0..lots {
        match next_agent(agents, &x, lot) {
            Some(b) => x[b] += 1,
            None => break,
        }
    }
    x
}

/// The sorted ratios of an allocation, for comparing allocations
/// lexicographically (exact, as fractions).
pub fn sorted_ratios(agents: &[Agent], x: &[i64], lot: i64) -> Vec<(i128, i128)> {
    let mut r: Vec<(i128, i128)> = agents
        .iter()
        .zip(x)
        .map(|(a, l)| {
            (
                i128::from(a.offset) + i128::from(*l) * i128::from(lot),
                i128::from(a.weight),
            )
        })
        .collect();
    r.sort_by(|p, q| (p.0 * q.1).cmp(&(q.0 * p.1)));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agents() -> impl Strategy<Value = Vec<Agent>> {
        prop::collection::vec((1i64..50, 0i64..20, 0i64..8), 1..5).prop_map(|v| {
            v.into_iter()
                .map(|(weight, offset, cap)| Agent { weight, offset, cap })
                .collect()
        })
    }

    /// Every allocation of whole lots, for brute force on small cases.
    fn all_allocations(agents: &[Agent], lots: i64) -> Vec<Vec<i64>> {
        let mut out = vec![vec![]];
        for a in agents {
            let mut next = Vec::new();
            for prefix in &out {
                let used: i64 = prefix.iter().sum();
                for l in 0..=a.cap.min(lots - used) {
                    let mut p = prefix.clone();
                    p.push(l);
                    next.push(p);
                }
            }
            out = next;
        }
        out
    }

    fn leximin_cmp(a: &[(i128, i128)], b: &[(i128, i128)]) -> std::cmp::Ordering {
        for (p, q) in a.iter().zip(b) {
            let o = (p.0 * q.1).cmp(&(q.0 * p.1));
            if o != std::cmp::Ordering::Equal {
                return o;
            }
        }
        std::cmp::Ordering::Equal
    }

    proptest! {
        #[test]
        fn the_closed_form_water_level_is_the_lp_optimum(agents in prop::collection::vec((1i64..5000, 0i64..3000, 0i64..400), 1..25), lots in 1i64..3000, lot in 1i64..20) {
            let agents: Vec<Agent> = agents.into_iter().map(|(weight, offset, cap)| Agent { weight, offset, cap }).collect();
            let (y, t) = water_level(&agents, lots as f64, lot);
            let (y_lp, _) = progressive_filling(&agents, lots as f64, lot).unwrap();
            for (a, b) in y.iter().zip(&y_lp) {
                prop_assert!((a - b).abs() < 1e-5 * (1.0 + b.abs()), "{:?} vs {:?}", y, y_lp);
            }
            prop_assert!(certify(&agents, lots as f64, lot, t).is_ok());
        }

        #[test]
        fn max_min_equals_brute_force_on_small_cases(agents in agents(), lots in 0i64..12, lot in 1i64..4) {
            let x = allocate(&agents, lots, lot);
            let best = all_allocations(&agents, lots)
                .into_iter()
                .map(|a| sorted_ratios(&agents, &a, lot))
                .max_by(|a, b| leximin_cmp(a, b))
                .unwrap();
            prop_assert_eq!(leximin_cmp(&sorted_ratios(&agents, &x, lot), &best), std::cmp::Ordering::Equal, "{:?}", x);
        }

        #[test]
        fn the_lp_shortcut_gives_the_walk_when_one_agent_outweighs_the_rest(heavy in 1_000_000i64..50_000_000, light in prop::collection::vec(1_000i64..3_000_000, 1..9), lots in 0i64..100_000, lot in 1i64..200) {
            let agents: Vec<Agent> = std::iter::once(heavy).chain(light).map(|weight| Agent { weight, offset: 0, cap: i64::MAX / 64 }).collect();
            prop_assert_eq!(allocate(&agents, lots, lot), allocate_by_walk(&agents, lots, lot));
        }

        #[test]
        fn the_lp_shortcut_gives_the_walk(agents in prop::collection::vec((1i64..5000, 0i64..3000, 0i64..400), 1..30), lots in 0i64..3000, lot in 1i64..50) {
            let agents: Vec<Agent> = agents.into_iter().map(|(weight, offset, cap)| Agent { weight, offset, cap }).collect();
            prop_assert_eq!(allocate(&agents, lots, lot), allocate_by_walk(&agents, lots, lot));
        }
    }

    #[test]
    fn one_heavy_agent_gets_the_walks_answer() {
        // Seven populations, one of them most of the total: the lots the
        // small ones take above the level pull it down by several of the big
        // one's lots (a case a proptest found).
        let agents: Vec<Agent> = [1_656_083, 154_702, 40_899_447, 2_569_886, 1_220_245, 2_230_108, 405_803]
            .into_iter()
            .map(|weight| Agent {
                weight,
                offset: 0,
                cap: i64::MAX / 64,
            })
            .collect();
        let lots = 1_248_940 / 23;
        assert_eq!(allocate(&agents, lots, 23), allocate_by_walk(&agents, lots, 23));
    }

    #[test]
    fn equal_weights_share_equally() {
        let a = [Agent {
            weight: 10,
            offset: 0,
            cap: 100,
        }; 3];
        assert_eq!(allocate(&a, 9, 1), vec![3, 3, 3]);
        assert_eq!(allocate(&a, 10, 1), vec![4, 3, 3], "the spare lot goes to the first");
        let unequal = [
            Agent {
                weight: 11,
                offset: 0,
                cap: 1,
            },
            Agent {
                weight: 1,
                offset: 0,
                cap: 1,
            },
        ];
        assert_eq!(
            allocate(&unequal, 1, 1),
            vec![0, 1],
            "a tie that cannot be lifted: the lot goes where it raises a ratio most"
        );
    }

    #[test]
    fn the_lp_level_is_the_common_ratio() {
        let a = [
            Agent {
                weight: 100,
                offset: 0,
                cap: 1000,
            },
            Agent {
                weight: 300,
                offset: 0,
                cap: 1000,
            },
        ];
        let t = first_round_level(&a, 40.0, 1).unwrap();
        // 40 lots over a mean weight of 200: t·0.5 + t·1.5 = 40.
        assert!((t - 20.0).abs() < 1e-6, "{t}");
    }
}
