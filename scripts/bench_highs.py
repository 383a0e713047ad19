"""Solve the allocation benchmark's instances independently with scipy's HiGHS.

Each instance is the continuous max-min problem: raise a common level t,
y_i = clamp(w_i t - offset_i, 0, cap_i), sum(y) <= lots. HiGHS solves it by
progressive filling, one LP per round (maximise t; freeze the agents whose
cap binds; repeat), from scratch, and its final level is compared with the
closed-form level needsdb computed. Usage: bench_highs.py EXPORT.json
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import linprog


def progressive_filling(w, off, cap, lots):
    n = len(w)
    active = [i for i in range(n) if cap[i] > 0]
    remaining = lots
    level = 0.0
    while active and remaining > 1e-9:
        k = len(active)
        # Variables: t, then y for each active agent. Maximise t.
        c = np.zeros(k + 1)
        c[0] = -1.0
        a_ub = np.zeros((k + 1, k + 1))
        b_ub = np.zeros(k + 1)
        for j, i in enumerate(active):
            # w_i t - y_i <= offset_i
            a_ub[j, 0] = w[i]
            a_ub[j, j + 1] = -1.0
            b_ub[j] = off[i]
        a_ub[k, 1:] = 1.0
        b_ub[k] = remaining
        bounds = [(0, None)] + [(0, cap[i]) for i in active]
        res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        if res.status != 0:
            raise RuntimeError(res.message)
        level = res.x[0]
        frozen = [i for i in active if off[i] + cap[i] <= w[i] * level + 1e-9 * (1 + cap[i])]
        if not frozen:
            break
        remaining -= sum(cap[i] for i in frozen)
        active = [i for i in active if i not in frozen]
    if not active:
        # Everyone is full: the level is where the last agent filled up.
        level = max((off[i] + cap[i]) / w[i] for i in range(n) if cap[i] > 0 and w[i] > 0) if any(c > 0 for c in cap) else 0.0
    return level


def main():
    doc = json.load(open(sys.argv[1]))
    worst = 0.0
    start = time.perf_counter()
    for inst, ours in zip(doc["instances"], doc["levels"]):
        theirs = progressive_filling(inst["w"], inst["offset"], inst["cap"], inst["lots"])
        rel = abs(theirs - ours) / max(abs(ours), 1e-12)
        worst = max(worst, rel)
    highs = time.perf_counter() - start
    n = len(doc["instances"])
    print(f"  HiGHS (scipy) progressive filling: {highs:.3f} s for {n} instances")
    print(f"  largest relative difference in the objective: {worst:.2e} (must be <= 1e-6)")
    print(f"  time ratio HiGHS / needsdb closed form: {highs / max(doc['our_seconds'], 1e-9):.0f}x")
    if worst > 1e-6:
        sys.exit("the objectives differ by more than 1e-6 relative")


if __name__ == "__main__":
    main()
