#!/usr/bin/env python3
"""Checks an IATI activity file against the IATI standard ruleset.

The schema (xmllint) says what elements may appear; the ruleset says what a
useful activity must carry: at least one sector (on the activity or on its
transactions), a start date, dates in order, identifiers without / & | ?,
and country and region percentages that add up to 100.

Usage: check_iati_rules.py RULESET.json ACTIVITIES.xml
Prints every broken rule and exits 1 when there is one. Uses the standard
library only, so it runs wherever the tests run.
"""

import datetime
import json
import re
import sys
import xml.etree.ElementTree as ET

NOW = datetime.date.today().isoformat()


def alternatives(path):
    """Expands a path whose predicate uses `or` into plain ElementTree paths:
    activity-date[@type='1' or @type='2'] -> activity-date[@type='1'], ..."""
    m = re.match(r"^(.*)\[(.* or .*)\](.*)$", path)
    if not m:
        return [path]
    head, pred, tail = m.groups()
    return [f"{head}[{p.strip()}]{tail}" for p in pred.split(" or ")]


def values(el, path):
    """The text or attribute values a ruleset path selects under `el`."""
    out = []
    for p in alternatives(path):
        if "/@" in p or p.startswith("@"):
            elem_path, attr = (p.rsplit("/@", 1) if "/@" in p else (".", p[1:]))
            for e in el.findall(elem_path):
                v = e.get(attr)
                if v is not None:
                    out.append(v)
        else:
            for e in el.findall(p):
                out.append((e.text or "").strip() or "present")
    return out


def check(ruleset, root):
    broken = []
    contexts = {
        "//iati-activity": root.iter("iati-activity"),
        "//transaction": root.iter("transaction"),
        "//participating-org": root.iter("participating-org"),
    }
    for context, elements in contexts.items():
        rules = ruleset.get(context, {})
        for i, el in enumerate(elements):
            where = f"{context}[{i + 1}]"
            ident = el.findtext("iati-identifier") or ""
            for kind, spec in rules.items():
                for case in spec["cases"]:
                    if kind == "atleast_one":
                        if not any(values(el, p) for p in case["paths"]):
                            broken.append(f"{where} {ident}: needs at least one of {case['paths']}")
                    elif kind == "date_order":
                        less = NOW if case["less"] == "NOW" else (values(el, case["less"]) or [None])[0]
                        more = NOW if case["more"] == "NOW" else (values(el, case["more"]) or [None])[0]
                        if less and more and less[:10] > more[:10]:
                            broken.append(f"{where} {ident}: {case['less']} {less} is after {case['more']} {more}")
                    elif kind == "regex_matches":
                        for p in case["paths"]:
                            for v in values(el, p):
                                if not re.fullmatch(case["regex"], v):
                                    broken.append(f"{where} {ident}: {p} '{v}' does not match {case['regex']}")
                    elif kind == "sum":
                        got = [float(v) for p in case["paths"] for v in values(el, p)]
                        if got and abs(sum(got) - case["sum"]) > 1e-9:
                            broken.append(f"{where} {ident}: {case['paths']} add up to {sum(got)}, not {case['sum']}")
                    else:
                        broken.append(f"{where}: rule {kind} is not known to this checker")
    return broken


def main():
    ruleset = json.load(open(sys.argv[1], encoding="utf-8"))
    root = ET.parse(sys.argv[2]).getroot()
    activities = len(list(root.iter("iati-activity")))
    broken = check(ruleset, root)
    for b in broken:
        print(b)
    print(f"{activities} activities, {len(broken)} broken rules")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
