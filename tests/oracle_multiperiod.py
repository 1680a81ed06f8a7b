"""oracle_multiperiod.py — the multi-year plan checked against an independent LP.

For many seeded random instances (yards with opening stock and draw-down
limits, storage of new waste with a room and a years-of-output rule, sinks
open only in some years or sharing a total over the horizon, targets on
new waste and on stock draw-down, reported or enforced), write the instance,
solve it with tests/tool_multiperiod (the time-expanded min-cost flow), and
solve the same plan written directly as a linear programme with HiGHS
(scipy.optimize.linprog, presolve off). Checks: equal objective (1e-6
relative), the same verdict on infeasible enforced targets, and balances
in every year: generated = used + stored + unallocated, and stock at year
end = opening + stored - drawn, per material and per yard, to the tonne.

usage: /usr/bin/python3 tests/oracle_multiperiod.py BUILD_DIR [N]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

NONE = -1


def make_instance(seed):
    rnd = random.Random(seed)
    Y = rnd.randint(1, 5)
    J = rnd.randint(1, 3)
    enforce = seed % 3 == 2
    scale = 10 ** rnd.randint(0, 5)
    mats = []
    for j in range(J):
        mats.append(dict(handling=round(rnd.uniform(0, 10), 2), rate=round(rnd.uniform(0.2, 0.8), 3),
                         pen=round(rnd.uniform(20, 80), 2), new_storage=int(rnd.random() < 0.7),
                         max_years=(rnd.choice([1, 2, 3]) if rnd.random() < 0.5 else NONE)))
    src = []
    # yards first, so plants can name one; at most one plant stores per yard
    # (the case in which storage under an enforced target is exact)
    for _ in range(rnd.randint(0, 4)):
        j = rnd.randrange(J)
        src.append(dict(kind=1, mat=j, stock=rnd.randint(0, 3000) * scale,
                        dd=[(rnd.randint(0, 800) * scale if rnd.random() < 0.8 else NONE) for _ in range(Y)],
                        room=(rnd.randint(0, 2000) * scale if rnd.random() < 0.7 else NONE),
                        scost=round(rnd.uniform(5, 60), 2)))
    free_yards = [i for i, s in enumerate(src)]
    for _ in range(rnd.randint(1, 12)):
        j = rnd.randrange(J)
        base = rnd.randint(0, 1000) * scale
        gen = [int(base * (1 + rnd.uniform(-0.3, 0.3))) for _ in range(Y)]
        yard, stc = NONE, 0.0
        cand = [v for v in free_yards if src[v]["mat"] == j]
        if cand and rnd.random() < 0.7:
            yard = rnd.choice(cand)
            free_yards.remove(yard)
            stc = round(rnd.uniform(0, 15), 2)
        src.append(dict(kind=0, mat=j, gen=gen, yard=yard, stcost=stc))
    K = rnd.randint(1, 8)
    snk = []
    for _ in range(K):
        acc = 0
        while acc == 0:
            acc = rnd.randrange(1, 1 << J)
        y0 = rnd.randrange(Y)
        y1 = rnd.randrange(y0, Y)
        base = rnd.randint(0, 1500) * scale
        cap = [(base if y0 <= y <= y1 else 0) for y in range(Y)]
        if rnd.random() < 0.2:
            cap = [NONE if c else 0 for c in cap]
        mcap = [[(rnd.randint(0, 800) * scale if rnd.random() < 0.4 else NONE) for _ in range(J)]
                for _ in range(Y)]
        hor = rnd.randint(0, 3000) * scale if rnd.random() < 0.3 else NONE
        snk.append(dict(acc=acc, hor=hor, cap=cap, mcap=mcap))
    arcs = []
    for i, s in enumerate(src):
        for k, t in enumerate(snk):
            if (t["acc"] >> s["mat"]) & 1 and rnd.random() < 0.6:
                arcs.append((i, k, round(rnd.uniform(0, 120), 3)))
    tn = [[(round(rnd.uniform(0.05, 0.9), 3) if rnd.random() < 0.4 else NONE) for _ in range(J)]
          for _ in range(Y)]
    ts = [[(round(rnd.uniform(0.0, 0.5), 3) if rnd.random() < 0.25 else NONE) for _ in range(J)]
          for _ in range(Y)]
    return dict(Y=Y, J=J, enforce=int(enforce), mats=mats, src=src, snk=snk, arcs=arcs, tn=tn, ts=ts)


def write_instance(inst, path):
    out = [f'{inst["Y"]} {inst["J"]} {len(inst["src"])} {len(inst["snk"])} {len(inst["arcs"])} {inst["enforce"]}']
    for m in inst["mats"]:
        out.append(f'{m["handling"]} {m["rate"]} {m["pen"]} {m["new_storage"]} {m["max_years"]}')
    for s in inst["src"]:
        if s["kind"] == 0:
            out.append(" ".join(map(str, [0, s["mat"], *s["gen"], s["yard"], s["stcost"]])))
        else:
            out.append(" ".join(map(str, [1, s["mat"], s["stock"], *s["dd"], s["room"], s["scost"]])))
    for t in inst["snk"]:
        out.append(" ".join(map(str, [t["acc"], t["hor"], *t["cap"], *[v for row in t["mcap"] for v in row]])))
    for a in inst["arcs"]:
        out.append(" ".join(map(str, a)))
    out.append(" ".join(str(v) for row in inst["tn"] for v in row))
    out.append(" ".join(str(v) for row in inst["ts"] for v in row))
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def target_at(tab, y, j):
    v = tab[y][j]
    return v if v != NONE and v > 0 else None


def lp(inst):
    """The plan as an LP, written from the model's definition (not from the
    network): returns (status, objective)."""
    Y, J, src, snk, arcs, mats = inst["Y"], inst["J"], inst["src"], inst["snk"], inst["arcs"], inst["mats"]
    var = {}
    cost = []
    ub = []

    def v(key, c, u=None):
        var[key] = len(cost)
        cost.append(c)
        ub.append(u)

    for y in range(Y):
        for ai, (i, k, d) in enumerate(arcs):
            m = mats[src[i]["mat"]]
            if snk[k]["cap"][y] == 0 or snk[k]["mcap"][y][src[i]["mat"]] == 0:
                continue
            v(("x", ai, y), m["handling"] + m["rate"] * d)
        for i, s in enumerate(src):
            m = mats[s["mat"]]
            if s["kind"] == 0:
                v(("pen", i, y), m["pen"])
                if m["new_storage"] and s["yard"] != NONE:
                    v(("st", i, y), s["stcost"])
            else:
                v(("dO", i, y), 0)
                v(("dN", i, y), 0)
                v(("O", i, y), s["scost"])
                v(("N", i, y), s["scost"])
    eq_r, eq_c, eq_v, beq = [], [], [], []
    in_r, in_c, in_v, bin_ = [], [], [], []

    def eq(terms, rhs):
        r = len(beq)
        for key, coef in terms:
            if key in var:
                eq_r.append(r); eq_c.append(var[key]); eq_v.append(coef)
        beq.append(rhs)

    def le(terms, rhs):
        r = len(bin_)
        for key, coef in terms:
            if key in var:
                in_r.append(r); in_c.append(var[key]); in_v.append(coef)
        bin_.append(rhs)

    out_arcs = {}
    for ai, (i, k, d) in enumerate(arcs):
        out_arcs.setdefault(i, []).append(ai)
    for y in range(Y):
        for i, s in enumerate(src):
            xs = [(("x", ai, y), 1) for ai in out_arcs.get(i, [])]
            if s["kind"] == 0:
                eq(xs + [(("pen", i, y), 1), (("st", i, y), 1)], s["gen"][y])
            else:
                prevO = [(("O", i, y - 1), -1)] if y else []
                prevN = [(("N", i, y - 1), -1)] if y else []
                eq([(("O", i, y), 1), (("dO", i, y), 1)] + prevO, s["stock"] if y == 0 else 0)
                stores = [(("st", p, y), -1) for p, q in enumerate(src) if q["kind"] == 0 and q["yard"] == i]
                eq([(("N", i, y), 1), (("dN", i, y), 1)] + prevN + stores, 0)
                eq(xs + [(("dO", i, y), -1), (("dN", i, y), -1)], 0)
                if s["dd"][y] != NONE:
                    le([(("dO", i, y), 1), (("dN", i, y), 1)], s["dd"][y])
                room = s["room"]
                my = mats[s["mat"]]["max_years"]
                lim = None if room == NONE else room
                if my != NONE:
                    out = sum(q["gen"][y] for q in src if q["kind"] == 0 and q["yard"] == i) * my
                    lim = out if lim is None else min(lim, out)
                if lim is not None:
                    le([(("N", i, y), 1)], lim)
                f = target_at(inst["ts"], y, s["mat"])
                if inst["enforce"] and f is not None:
                    le([(("O", i, y), 1)], (1 - f) * s["stock"])
        for k, t in enumerate(snk):
            into = [ai for ai, a in enumerate(arcs) if a[1] == k]
            if t["cap"][y] not in (NONE, 0):
                le([(("x", ai, y), 1) for ai in into], t["cap"][y])
            for j in range(J):
                if t["mcap"][y][j] not in (NONE, 0):
                    le([(("x", ai, y), 1) for ai in into if src[arcs[ai][0]]["mat"] == j], t["mcap"][y][j])
        if inst["enforce"]:
            for j in range(J):
                f = target_at(inst["tn"], y, j)
                if f is None:
                    continue
                plants = [i for i, s in enumerate(src) if s["kind"] == 0 and s["mat"] == j]
                g = sum(src[i]["gen"][y] for i in plants)
                le([(("pen", i, y), 1) for i in plants] + [(("st", i, y), 1) for i in plants], (1 - f) * g)
    for k, t in enumerate(snk):
        if t["hor"] != NONE:
            le([(("x", ai, y), 1) for y in range(Y) for ai, a in enumerate(arcs) if a[1] == k], t["hor"])
    n = len(cost)
    a_eq = coo_matrix((eq_v, (eq_r, eq_c)), shape=(len(beq), n)).tocsr()
    a_ub = coo_matrix((in_v, (in_r, in_c)), shape=(len(bin_), n)).tocsr() if bin_ else None
    res = linprog(cost, A_ub=a_ub, b_ub=bin_ if bin_ else None, A_eq=a_eq, b_eq=beq,
                  bounds=[(0, u) for u in ub], method="highs", options={"presolve": False})
    return res.status, (res.fun if res.status == 0 else None)


def check_balances(inst, sol, fails, tag):
    Y, J = inst["Y"], inst["J"]
    tol = 0.5 + 1e-9 * max(1, max([s.get("stock", 0) for s in inst["src"]] + [1]))
    rows = {(r["y"], r["j"]): r for r in sol["rows"]}
    for j in range(J):
        prev = sum(s["stock"] for s in inst["src"] if s["kind"] == 1 and s["mat"] == j)
        for y in range(Y):
            r = rows[(y, j)]
            gen = sum(s["gen"][y] for s in inst["src"] if s["kind"] == 0 and s["mat"] == j)
            if abs(r["generated"] - gen) > tol:
                fails.append(f"{tag}: generated {r['generated']} != {gen} (y{y} j{j})")
            if abs(r["generated"] - r["used_new"] - r["stored"] - r["unallocated"]) > tol:
                fails.append(f"{tag}: new-waste balance off (y{y} j{j}): {r}")
            if abs(r["stock_open"] - prev) > tol or abs(prev + r["stored"] - r["drawn"] - r["stock_end"]) > tol:
                fails.append(f"{tag}: stock balance off (y{y} j{j}): open {prev}, {r}")
            prev = r["stock_end"]
    for yd in sol["yards"]:
        s = inst["src"][yd["s"]]
        if yd["old_end"] < -tol or yd["new_end"] < -tol:
            fails.append(f"{tag}: negative stock {yd}")
        dd = s["dd"][yd["y"]]
        if dd != NONE and yd["drawn_old"] + yd["drawn_new"] > dd + tol:
            fails.append(f"{tag}: draw-down limit exceeded {yd}")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    tool = os.path.join(build, "tests", "tool_multiperiod")
    passed, failed, exact, relaxed = 0, 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, n + 1):
            inst = make_instance(seed)
            path = os.path.join(tmp, f"i{seed}.txt")
            write_instance(inst, path)
            out = subprocess.run([tool, path], capture_output=True, text=True)
            fails = []
            if out.returncode != 0:
                fails.append(f"seed {seed}: tool failed: {out.stderr.strip()}")
            else:
                sol = json.loads(out.stdout)
                status, obj = lp(inst)
                if status == 2:   # LP infeasible: only enforced targets can make it so
                    if not inst["enforce"] or not sol["infeasible"]:
                        fails.append(f"seed {seed}: LP infeasible but plan says feasible")
                elif status != 0:
                    fails.append(f"seed {seed}: HiGHS status {status}")
                else:
                    if sol["infeasible"]:
                        fails.append(f"seed {seed}: plan says infeasible, LP optimum {obj}")
                    elif any(r["pooled_store"] > 0 for r in sol["rows"]):
                        # storage through an enforced target's pool: a relaxation
                        relaxed += 1
                        if sol["total_cost"] > obj + 1e-6 * max(1.0, abs(obj)):
                            fails.append(f"seed {seed}: relaxation {sol['total_cost']!r} above LP {obj!r}")
                    elif abs(sol["total_cost"] - obj) > 1e-6 * max(1.0, abs(obj)):
                        fails.append(f"seed {seed}: objective {sol['total_cost']!r} != LP {obj!r}")
                    else:
                        exact += 1
                check_balances(inst, sol, fails, f"seed {seed}")
            if fails:
                failed += 1
                for f in fails[:5]:
                    print("FAIL", f)
            else:
                passed += 1
    print(f"  {exact} optima equal to HiGHS, {relaxed} relaxations (pooled storage) "
          f"not above it, {n - exact - relaxed - failed} infeasible targets agreed")
    if exact < 50:
        failed += 1
        print("FAIL fewer than 50 instances compared exactly")
    print(f"oracle_multiperiod: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
