#!/usr/bin/env python3
"""Recomputes needsdb's figures from its raw records, independently.

Reads the raw records of a running needsdb over its API (every need, every
contribution with its links, earmarks, stage events and merges, the item
catalogue and the countries), recomputes with pandas, from the counting
rules in ARCHITECTURE.md alone:

  - coverage in units, by country and item;
  - coverage in US dollars, by country, across items;
  - equity of deliveries of one item, by income group, and the Gini;
  - earmark follow-through;

and compares every figure with what needsdb itself publishes. Prints each
difference and exits 1 if there is any; exits 0 with "0 differences".

Usage: recompute_figures.py BASE_URL TOKEN ITEM_FOR_EQUITY
"""

import json
import math
import sys

# Minor units of the currencies the scenarios use; every other is 2.
CURRENCY_DIGITS = {"JPY": 0, "KWD": 3}
import urllib.request
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pandas as pd

FUNDED = {"committed", "shipped", "disbursed", "delivered"}
SHARED = {"validated", "partly_met", "met"}


def get(base, token, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def every(base, token, path):
    """Every record of a paged list."""
    out, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        url = f"{path}{sep}limit=1000" + (f"&cursor={cursor}" if cursor else "")
        page = get(base, token, url)
        out.extend(page["items"])
        cursor = page.get("next")
        if not cursor:
            return out


def dec(v):
    return Decimal(str(v))


def base_units(v, decimals):
    """A display quantity (2.5 tonnes) in base units (2500 kg), exactly."""
    return int(dec(v) * (Decimal(10) ** decimals))


def rust_pct(part, whole):
    """One-decimal percentage, as the product computes it in f64 and rounds
    half away from zero."""
    if whole <= 0:
        return 0.0
    x = part / whole * 1000.0
    return float(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP)) / 10.0


class Differences:
    def __init__(self):
        self.items = []
        self.compared = 0

    def check(self, what, ours, theirs):
        self.compared += 1
        if isinstance(ours, str) or isinstance(theirs, str):
            same = ours == theirs
        elif isinstance(ours, float) or isinstance(theirs, float):
            same = theirs is not None and ours is not None and abs(float(ours) - float(theirs)) < 1e-9
        else:
            same = dec(ours) == dec(theirs) if ours is not None and theirs is not None else ours == theirs
        if not same:
            self.items.append(f"{what}: recomputed {ours}, needsdb says {theirs}")


# The map's classes (ARCHITECTURE.md, "The dashboard"): five of 20 % in
# viridis, dark least covered; grey where no need is counted.
VIRIDIS = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
NO_DATA = "#e4e4e4"


def usd_figures(valued_needs):
    """Needs, needed, pledged, committed, delivered, unmet (US cents) and the
    share covered, of a group's valued needs."""
    needed = sum(int(v) for v in valued_needs["value"])
    unmet = sum(max(0, int(v) - int(f)) for v, f in zip(valued_needs["value"], valued_needs["val_funded"]))
    return {
        "needs": len(valued_needs),
        "needed": needed,
        "pledged": sum(int(x) for x in valued_needs["val_pledged"]),
        "committed": sum(int(x) for x in valued_needs["val_funded"]),
        "delivered": sum(int(x) for x in valued_needs["val_delivered"]),
        "unmet": unmet,
        "coverage": rust_pct(needed - unmet, needed),
    }


def public(base, path):
    """A page or file as anyone sees it, without signing in."""
    with urllib.request.urlopen(base + path) as r:
        return r.read().decode("utf-8-sig")


def check_dashboard(base, shared, items, usd_by_country, diff):
    import csv
    import io
    import re

    # A group whose needs all lack a value has a row of zeros.
    by_cluster = {
        cluster: usd_figures(g[g["value"].notna()])
        for cluster, g in shared.groupby(shared["item"].map(lambda i: items.loc[i, "cluster"]))
    }
    for n, name, ours in [(0, "country", usd_by_country), (1, "cluster", by_cluster)]:
        rows = list(csv.reader(io.StringIO(public(base, f"/en/dashboard?download={n}&format=csv"))))[1:]
        theirs = {r[0]: r for r in rows}
        if set(theirs) - set(ours):
            diff.items.append(f"dashboard by {name}: rows the records do not support: {sorted(set(theirs) - set(ours))}")
        for group, f in ours.items():
            t = theirs.get(group)
            if t is None:
                diff.items.append(f"dashboard by {name} {group}: no row")
                continue
            diff.check(f"dashboard {group} needs", f["needs"], int(t[1]))
            for i, col in enumerate(["needed", "pledged", "committed", "delivered", "unmet"], start=2):
                diff.check(f"dashboard {group} {col}", Decimal(f[col]) / 100, Decimal(t[i]))
            diff.check(f"dashboard {group} coverage", f["coverage"], float(t[7]))
    # The map: each state's colour is the class of its share covered, or of
    # its share arrived (delivered over needed, at most 100 %). A state whose
    # needs all lack a value counts no figure in US dollars: grey.
    usd_by_country = {k: v for k, v in usd_by_country.items() if v["needs"] > 0}
    for show in ["covered", "arrived"]:
        page = public(base, f"/en/dashboard?show={show}")
        fills = dict(re.findall(r'data-iso3="([A-Z]{3})"><(?:path|circle) [^>]*?fill="(#[0-9a-f]{6})"', page))
        if not fills:
            diff.items.append(f"dashboard map ({show}): no state found")
        for iso3, fill in fills.items():
            f = usd_by_country.get(iso3)
            if f is None:
                want = NO_DATA
            else:
                share = f["coverage"] if show == "covered" else min(100.0, rust_pct(f["delivered"], f["needed"]))
                want = VIRIDIS[min(4, max(0, math.floor(share / 20.0)))]
            diff.check(f"dashboard map ({show}) {iso3} colour", want, fill)


def main():
    base, token, equity_item = sys.argv[1], sys.argv[2], sys.argv[3]
    items = pd.DataFrame(every(base, token, "/api/v1/items?include_retired=true"))
    items = items.set_index("code")
    countries = pd.DataFrame(every(base, token, "/api/v1/countries")).set_index("iso3")
    needs = pd.DataFrame(every(base, token, "/api/v1/needs"))
    contributions = every(base, token, "/api/v1/contributions")
    diff = Differences()

    # ---- Each need's size, in base units, and its value in US cents.
    def decimals(item):
        row = items.loc[item]
        return 2 if row["unit_kind"] == "money" else int(row["decimals"])

    needs["dec"] = needs["item"].map(decimals)
    needs["money"] = needs["item"].map(lambda i: items.loc[i, "unit_kind"] == "money")
    needs["q"] = [base_units(q, d) for q, d in zip(needs["quantity"], needs["dec"])]

    def value_cents(row):
        if row["money"]:
            return row["q"]
        uv = items.loc[row["item"], "unit_value_usd"]
        if uv is None or (isinstance(uv, float) and math.isnan(uv)):
            return None
        cents = (Decimal(row["q"]) * dec(uv) * 100 / (Decimal(10) ** row["dec"])).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
        return int(cents) if cents > 0 else None

    needs["value"] = needs.apply(value_cents, axis=1)
    need_index = needs.set_index("id")

    # ---- What each link gives, by stage: units, and cash for goods in US cents.
    links = []
    for c in contributions:
        if c["merged_into"] is not None or c["stage"] == "cancelled":
            continue
        for l in c["links"]:
            n = need_index.loc[l["need"]]
            if c["kind"] == "in_kind":
                units, cash = base_units(l["quantity"], n["dec"]), 0
            else:
                rate = dec(c["usd_rate"]) if c["usd_rate"] else Decimal(1)
                usd = (dec(l["quantity"]) * rate * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
                units, cash = (int(usd), 0) if n["money"] else (0, int(usd))
            # What arrived of a contribution still on its way: each link's
            # share of the confirmed quantity, in proportion, rounded down.
            if c["stage"] == "delivered":
                got = (units, cash)
            elif c["stage"] in FUNDED and c.get("delivered") not in (None, 0):
                whole, part = dec(c["quantity"]), dec(c["delivered"])
                got = tuple(int((Decimal(x) * part / whole).to_integral_value(rounding=ROUND_FLOOR)) for x in (units, cash))
            else:
                got = (0, 0)
            links.append(
                {"need": l["need"], "stage": c["stage"], "units": units, "cash": cash, "dunits": got[0], "dcash": got[1]}
            )
    links = pd.DataFrame(links, columns=["need", "stage", "units", "cash", "dunits", "dcash"])

    def stage_sum(stages, col):
        sel = links[links["stage"].isin(stages)]
        return sel.groupby("need")[col].sum()

    sums = pd.DataFrame(index=needs["id"])
    for name, stages in [
        ("announced", {"announced"}),
        ("pledged", {"pledged"}),
        ("funded", FUNDED),
    ]:
        sums[name] = stage_sum(stages, "units").reindex(sums.index, fill_value=0)
        sums[name + "_cash"] = stage_sum(stages, "cash").reindex(sums.index, fill_value=0)
    sums["delivered"] = stage_sum(FUNDED, "dunits").reindex(sums.index, fill_value=0)
    sums["delivered_cash"] = stage_sum(FUNDED, "dcash").reindex(sums.index, fill_value=0)
    needs = needs.join(sums, on="id")

    def valued(row, stage):
        """Goods at the need's own price per unit, rounded down, plus cash."""
        v = row["value"]
        # pandas turns a column of numbers and None into floats and NaN.
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        if row["money"]:
            return int(row[stage])
        goods = (Decimal(int(row[stage])) * Decimal(int(v)) / Decimal(int(row["q"]))).to_integral_value(
            rounding=ROUND_FLOOR
        )
        return int(goods) + int(row[stage + "_cash"])

    def open_units(row):
        gap = max(0, row["q"] - row["funded"])
        cash = 0 if row["money"] else row["funded_cash"]
        if cash <= 0 or row["value"] is None or (isinstance(row["value"], float) and math.isnan(row["value"])):
            return gap
        got = valued(row, "funded")
        v = int(row["value"])
        if got >= v:
            return 0
        return min(gap, -((-(v - got) * int(row["q"])) // v))

    needs["open"] = needs.apply(open_units, axis=1)
    for stage in ["announced", "pledged", "funded", "delivered"]:
        needs["val_" + stage] = needs.apply(lambda r, s=stage: valued(r, s), axis=1)

    shared = needs[needs["status"].isin(SHARED)]

    # ---- Coverage in units, by country and item.
    published = {(r["group"], r["item"]): r for r in get(base, token, "/api/v1/coverage?by=country")}
    grouped = shared.groupby(["country", "item"])
    for (country, item), g in grouped:
        theirs = published.pop((country, item), None)
        d = int(g["dec"].iloc[0])
        if theirs is None:
            diff.items.append(f"coverage {country} {item}: needsdb has no row")
            continue
        scale = Decimal(10) ** d
        for col, ours in [
            ("needed", g["q"].sum()),
            ("announced", g["announced"].sum()),
            ("pledged", g["pledged"].sum()),
            ("committed", g["funded"].sum()),
            ("delivered", g["delivered"].sum()),
            ("unmet", g["open"].sum()),
        ]:
            diff.check(f"coverage {country} {item} {col}", Decimal(int(ours)) / scale, theirs[col])
        diff.check(f"coverage {country} {item} needs", len(g), theirs["needs"])
        needed, unmet = int(g["q"].sum()), int(g["open"].sum())
        diff.check(f"coverage {country} {item} coverage_pct", rust_pct(needed - unmet, needed), theirs["coverage_pct"])
    for key in published:
        diff.items.append(f"coverage {key}: needsdb has a row the records do not support")

    # ---- Coverage in US dollars, by country, across items.
    published = {r["group"]: r for r in get(base, token, "/api/v1/coverage?by=country&measure=usd")}
    usd_by_country = {}
    for country, g in shared.groupby("country"):
        theirs = published.pop(country, None)
        if theirs is None:
            diff.items.append(f"usd coverage {country}: needsdb has no row")
            continue
        valued_needs = g[g["value"].notna()]
        diff.check(f"usd coverage {country} needs", len(valued_needs), theirs["needs"])
        diff.check(f"usd coverage {country} unvalued_needs", len(g) - len(valued_needs), theirs["unvalued_needs"])
        cents = lambda s: Decimal(int(s)) / 100
        needed = sum(int(v) for v in valued_needs["value"])
        unmet = sum(max(0, int(v) - int(f)) for v, f in zip(valued_needs["value"], valued_needs["val_funded"]))
        for col, ours in [
            ("needed", needed),
            ("announced", sum(int(x) for x in valued_needs["val_announced"])),
            ("pledged", sum(int(x) for x in valued_needs["val_pledged"])),
            ("committed", sum(int(x) for x in valued_needs["val_funded"])),
            ("delivered", sum(int(x) for x in valued_needs["val_delivered"])),
            ("unmet", unmet),
        ]:
            diff.check(f"usd coverage {country} {col}", cents(ours), theirs[col])
        diff.check(f"usd coverage {country} coverage_pct", rust_pct(needed - unmet, needed), theirs["coverage_pct"])
        usd_by_country[country] = usd_figures(valued_needs)

    # ---- The public dashboard: its tables (downloaded as CSV, the figures
    # shown) and its map's colours, from the same recomputation.
    check_dashboard(base, shared, items, usd_by_country, diff)

    # ---- Equity of deliveries of one item, by income group.
    d = decimals(equity_item)
    delivered = {}
    for c in contributions:
        if c["merged_into"] is None and c["stage"] in FUNDED and c["kind"] == "in_kind" and c["item"] == equity_item:
            arrived = c["quantity"] if c["stage"] == "delivered" else c.get("delivered", 0)
            delivered[c["recipient"]] = delivered.get(c["recipient"], 0) + base_units(arrived, d)
    states = countries[countries["population"].fillna(0) > 0].copy()
    states["delivered"] = [delivered.get(i, 0) for i in states.index]
    states["group"] = states["income_group"].fillna("unclassified")
    pop, dlv = int(states["population"].sum()), int(states["delivered"].sum())
    theirs = get(base, token, f"/api/v1/equity?item={equity_item}")
    diff.check("equity delivered", Decimal(dlv) / (Decimal(10) ** d), theirs["delivered"])
    diff.check("equity population", pop, theirs["population"])
    by_group = {g["group"]: g for g in theirs["by_income_group"]}
    for group, g in states.groupby("group"):
        t = by_group.get(group)
        if t is None:
            diff.items.append(f"equity {group}: needsdb has no row")
            continue
        gp, gd = int(g["population"].sum()), int(g["delivered"].sum())
        diff.check(f"equity {group} states", len(g), t["states"])
        diff.check(f"equity {group} delivered", Decimal(gd) / (Decimal(10) ** d), t["delivered"])
        diff.check(f"equity {group} population_share_pct", rust_pct(gp, pop), t["population_share_pct"])
        diff.check(f"equity {group} delivered_share_pct", rust_pct(gd, dlv), t["delivered_share_pct"])
    if dlv == 0:
        diff.check("equity gini", None, theirs["gini"])
    else:
        # Population-weighted Lorenz curve, poorest-served first.
        states["pp"] = states["delivered"] / (10.0**d) / states["population"]
        ordered = states.sort_values(["pp"], kind="mergesort").reset_index()
        ordered = ordered.sort_values(["pp", "iso3"], kind="mergesort")
        xs = (ordered["population"].cumsum() / pop).tolist()
        ys = (ordered["delivered"].cumsum() / dlv).tolist()
        area, px, py = 0.0, 0.0, 0.0
        for x, y in zip(xs, ys):
            area += (x - px) * (y + py)
            px, py = x, y
        gini = min(1.0, max(0.0, 1.0 - area))
        if theirs["gini"] is None or abs(gini - theirs["gini"]) > 1e-4:
            diff.items.append(f"equity gini: recomputed {gini:.6f}, needsdb says {theirs['gini']}")
        diff.compared += 1

    # ---- Earmark follow-through: one pool per intermediary, in date order.
    facts = countries
    cluster_of = lambda item: items.loc[item, "cluster"] if item else None

    def in_group(target, c):
        kind, _, value = target.partition(":")
        if target == "nam-members":
            return c["recipient"] in facts.index and facts.loc[c["recipient"], "nam_status"] == "member"
        if kind == "cluster":
            return cluster_of(c["item"]) == value
        if c["recipient"] not in facts.index:
            return False
        f = facts.loc[c["recipient"]]
        if kind == "who":
            return f["who_region"] == value
        if kind == "income":
            return f["income_group"] == value
        if kind == "country":
            return c["recipient"] == value
        # The scenario earmarks for NAM members, WHO regions, income groups,
        # countries and clusters; M49 areas would need the region tree.
        raise SystemExit(f"earmark target {target} is not recomputed by this script")

    def funded_on(c):
        dates = [e["date"] for e in c["events"] if e["to"] in FUNDED]
        if dates:
            return min(dates)
        return c["stage_date"] if c["stage"] in FUNDED else None

    counted = [c for c in contributions if c["merged_into"] is None]
    for c in counted:
        c["_funded"] = None if (c["stage"] == "cancelled" and not [e for e in c["events"] if e["to"] in FUNDED]) else funded_on(c)
        c["_value"] = int((dec(c["usd_value"]) * 100).to_integral_value()) if c["usd_value"] is not None else None
        dd = decimals(c["item"]) if c["item"] else None
        if c["currency"]:
            dd = CURRENCY_DIGITS.get(c["currency"], 2)
        c["_q"] = base_units(c["quantity"], dd)
    left = {c["id"]: c["_value"] for c in counted if c["stage"] != "cancelled" and c["_funded"] and c["_value"] is not None}
    ours = []
    for c in sorted((c for c in counted if c["earmarks"]), key=lambda c: (c["_funded"] is None, c["_funded"] or "", c["id"])):
        for e in c["earmarks"]:
            v = c["_value"]
            if e["share_percent"] is not None:
                bp = int(dec(e["share_percent"]) * 100)
                earmarked = (v * bp // 10000) if v is not None else 0
            else:
                dd = CURRENCY_DIGITS.get(c["currency"], 2) if c["currency"] else decimals(c["item"])
                amount = base_units(e["amount"], dd)
                earmarked = int((Decimal(amount) * v / c["_q"]).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)) if v else 0
                earmarked = min(earmarked, v) if v else 0
            status = (
                "cancelled" if c["stage"] == "cancelled"
                else "not_yet_funded" if c["_funded"] is None
                else "not_valued" if v is None
                else "followed"
            )
            reached = 0
            if status == "followed":
                if in_group(e["target"], c):
                    reached = earmarked
                else:
                    pool = [
                        o for o in counted
                        if o["id"] != c["id"] and o["donor"] == c["recipient"] and o["stage"] != "cancelled"
                        and o["_funded"] and o["_funded"] >= c["_funded"] and in_group(e["target"], o)
                    ]
                    for o in sorted(pool, key=lambda o: (o["_funded"], o["id"])):
                        if reached >= earmarked:
                            break
                        rest = left.get(o["id"], 0)
                        take = min(rest, earmarked - reached)
                        if take > 0:
                            left[o["id"]] = rest - take
                            reached += take
            ours.append((c["id"], e["target"], status, earmarked, reached))
    theirs = get(base, token, "/api/v1/earmarks/report")
    if len(theirs) != len(ours):
        diff.items.append(f"earmarks: recomputed {len(ours)} lines, needsdb has {len(theirs)}")
    for (cid, target, status, earmarked, reached), t in zip(ours, theirs):
        what = f"earmark of contribution {cid} for {target}"
        diff.check(what + " contribution", cid, t["contribution"])
        diff.check(what + " status", status, t["status"])
        diff.check(what + " earmarked", Decimal(earmarked) / 100, t["earmarked"])
        diff.check(what + " reached", Decimal(reached) / 100, t["reached"])
        diff.check(what + " shortfall", Decimal(max(0, earmarked - reached)) / 100, t["shortfall"])

    for d_ in diff.items:
        print(d_)
    print(
        f"{len(needs)} needs, {len(contributions)} contributions: {diff.compared} figures compared, "
        f"{len(diff.items)} differences"
    )
    sys.exit(1 if diff.items else 0)


if __name__ == "__main__":
    main()
