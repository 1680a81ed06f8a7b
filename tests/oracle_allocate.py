"""oracle_allocate.py — the allocation checked against an independent LP.

For many seeded random instances (tests/tool_alloc_random.c), solve the same
allocation as a linear programme with HiGHS (scipy.optimize.linprog) and
check that wasteplan's optimum has the same objective (1e-6 relative), that
its flows are feasible (every tonne delivered or unallocated, no limit
exceeded) and that every unallocated source carries a reason that is true.

usage: /usr/bin/python3 tests/oracle_allocate.py BUILD_DIR [N]
"""
import json
import math
import subprocess
import sys

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

INF = math.inf


def cap(v):
    return INF if v is None else v


def lp_optimum(inst):
    """Minimise arc costs + penalties; variables: one per arc, one per source."""
    src, snk, arcs = inst["sources"], inst["sinks"], inst["arcs"]
    na, ns = len(arcs), len(src)
    c = [a["cost"] for a in arcs] + [inst["materials"][s["mat"]]["pen"] for s in src]
    # equalities: sum of a source's arcs + its unallocated = supply
    rows, cols, vals = [], [], []
    for ai, a in enumerate(arcs):
        rows.append(a["s"]); cols.append(ai); vals.append(1.0)
    for i in range(ns):
        rows.append(i); cols.append(na + i); vals.append(1.0)
    a_eq = coo_matrix((vals, (rows, cols)), shape=(ns, na + ns)).tocsr()
    b_eq = [s["supply"] for s in src]
    # inequalities: per (sink, material) limit and per sink total
    rows, cols, vals, b_ub = [], [], [], []
    r = 0
    for k, s in enumerate(snk):
        for j, cj in enumerate(s["caps"]):
            if cj is None:
                continue
            members = [ai for ai, a in enumerate(arcs) if a["k"] == k and src[a["s"]]["mat"] == j]
            if not members:
                continue
            for ai in members:
                rows.append(r); cols.append(ai); vals.append(1.0)
            b_ub.append(cj); r += 1
        if s["total"] is not None:
            members = [ai for ai, a in enumerate(arcs) if a["k"] == k]
            if members:
                for ai in members:
                    rows.append(r); cols.append(ai); vals.append(1.0)
                b_ub.append(s["total"]); r += 1
    kw = {}
    if r:
        kw["A_ub"] = coo_matrix((vals, (rows, cols)), shape=(r, na + ns)).tocsr()
        kw["b_ub"] = b_ub
    res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs",
                  options={"presolve": False}, **kw)
    if res.status != 0:
        raise RuntimeError("HiGHS: " + res.message)
    return res.fun


def check(inst, seed):
    """Return a list of failures (empty when all claims hold)."""
    bad = []
    src, snk, arcs = inst["sources"], inst["sinks"], inst["arcs"]
    total_supply = sum(s["supply"] for s in src)
    tol = max(1e-9 * total_supply, 2 * inst["flow_unit"], 1e-9)
    # mass balance per source
    out = [0.0] * len(src)
    for a in arcs:
        if a["t"] < 0:
            bad.append("negative flow")
        out[a["s"]] += a["t"]
    for i, s in enumerate(src):
        if abs(out[i] - s["delivered"]) > tol:
            bad.append(f"source {i}: arcs carry {out[i]} but delivered says {s['delivered']}")
        if abs(s["delivered"] + s["unalloc"] - s["supply"]) > tol:
            bad.append(f"source {i}: delivered + unallocated != supply")
    # limits
    got = [0.0] * len(snk)
    got_m = [[0.0] * 8 for _ in snk]
    for a in arcs:
        got[a["k"]] += a["t"]
        got_m[a["k"]][src[a["s"]]["mat"]] += a["t"]
    for k, s in enumerate(snk):
        if got[k] > cap(s["total"]) + tol:
            bad.append(f"sink {k}: total limit exceeded")
        for j, cj in enumerate(s["caps"]):
            if got_m[k][j] > cap(cj) + tol:
                bad.append(f"sink {k}: limit of material {j} exceeded")
    # reasons
    for i, s in enumerate(src):
        mine = [a for a in arcs if a["s"] == i]
        accepted = any((t["accepts"] >> s["mat"]) & 1 and cap(t["caps"][s["mat"]]) > 0
                       and cap(t["total"]) > 0 for t in snk)
        r = s["reason"]
        if s["unalloc"] <= 0:
            if r != "delivered":
                bad.append(f"source {i}: nothing unallocated but reason {r}")
            continue
        fu = inst["flow_unit"] * (1 + 1e-9)
        full = lambda k: (got[k] > cap(snk[k]["total"]) - fu or
                          got_m[k][s["mat"]] > cap(snk[k]["caps"][s["mat"]]) - fu)
        want = ("not_accepted" if not accepted else "out_of_reach" if not mine else
                "sites_full" if all(full(a["k"]) for a in mine) else "uneconomic")
        if r != want:
            bad.append(f"source {i}: reason {r}, expected {want}")
        if r == "uneconomic":
            # only sound when every open arc costs at least the penalty
            pen = inst["materials"][s["mat"]]["pen"]
            for a in mine:
                if not full(a["k"]) and a["cost"] < pen * (1 - 1e-9) - 1e-12:
                    bad.append(f"source {i}: left unallocated though a cheaper open site exists")
    # objective
    ref = lp_optimum(inst)
    obj = inst["objective"]
    if abs(obj - ref) > 1e-6 * max(abs(ref), 1e-300) + 1e-9:
        bad.append(f"objective {obj!r} != HiGHS {ref!r} (rel {abs(obj-ref)/max(abs(ref),1e-300):.2e})")
    return bad


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    tool = f"{build}/tests/tool_alloc_random"
    passed = failed = 0
    for seed in range(1, n + 1):
        out = subprocess.run([tool, str(seed)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"seed {seed}: tool failed: {out.stderr.strip()}")
            failed += 1
            continue
        inst = json.loads(out.stdout)
        bad = check(inst, seed)
        if bad:
            failed += 1
            print(f"seed {seed}: " + "; ".join(bad[:5]))
        else:
            passed += 1
    print(f"oracle_allocate: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
