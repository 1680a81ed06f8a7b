#!/usr/bin/python3
"""
oracle_siting.py — cross-check wasteplan's siting optimum against solvers
that share no code with it.

For random instances (tests/tool_siting prints the instance and CBC's
answer), the same fixed-charge model is built here from the raw data and
solved with scipy.optimize.milp (HiGHS), in the aggregated formulation:
  min  sum c_a x_a + sum pen_i u_i + sum F_o y_co
  s.t. sum_out(i) x + u_i = supply_i;  existing sink totals and per-material
       limits;  sum_in(c) x <= sum_o Q_o y_co;  sum_o y_co <= 1;  (k: sum y = k)
On tiny instances every choice of parks is also enumerated and each is
solved as an LP (scipy.optimize.linprog), the brute-force optimum.

Run: /usr/bin/python3 tests/oracle_siting.py BUILD_DIR
"""

import itertools
import json
import os
import subprocess
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
TOOL = os.path.join(BUILD, "tests", "tool_siting")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(*args):
    out = subprocess.run([TOOL] + [str(a) for a in args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def model(inst, fixed_y=None, k=None):
    """Matrices of the aggregated model; fixed_y (option per candidate or -1)
    turns it into the LP for that choice."""
    S, K, C = inst["n_sources"], inst["n_sinks"], inst["n_candidates"]
    arcs = inst["arcs"]
    A, O = len(arcs), len(inst["options_cap"])
    nx, nu, ny = A, S, C * O
    n = nx + nu + ny
    c = np.zeros(n)
    for a, (i, kk, cost) in enumerate(arcs):
        c[a] = cost + (inst["cost_per_t"] if kk >= K else 0.0)
    c[nx:nx + nu] = inst["penalty"]
    for cc in range(C):
        for o in range(O):
            c[nx + nu + cc * O + o] = inst["options_fixed"][o]
    rows, cols, vals, lo, hi = [], [], [], [], []

    def row(entries, l, h):
        r = len(lo)
        for j, v in entries:
            rows.append(r)
            cols.append(j)
            vals.append(v)
        lo.append(l)
        hi.append(h)

    for i in range(S):
        e = [(a, 1.0) for a, arc in enumerate(arcs) if arc[0] == i] + [(nx + i, 1.0)]
        row(e, inst["supply"][i], inst["supply"][i])
    for kk in range(K):
        into = [a for a, arc in enumerate(arcs) if arc[1] == kk]
        if inst["sink_cap"][kk] >= 0:
            row([(a, 1.0) for a in into], -np.inf, inst["sink_cap"][kk])
        for j in range(2):
            lim = inst["sink_cap_mat"][kk][j]
            if lim >= 0 and (inst["sink_cap"][kk] < 0 or lim < inst["sink_cap"][kk]):
                row([(a, 1.0) for a in into if inst["material"][arcs[a][0]] == j], -np.inf, lim)
    for cc in range(C):
        into = [a for a, arc in enumerate(arcs) if arc[1] == K + cc]
        e = [(a, 1.0) for a in into] + [(nx + nu + cc * O + o, -inst["options_cap"][o])
                                         for o in range(O)]
        row(e, -np.inf, 0.0)
        row([(nx + nu + cc * O + o, 1.0) for o in range(O)], -np.inf, 1.0)
    if k is not None:
        row([(nx + nu + j, 1.0) for j in range(ny)], k, k)
    A_ = coo_matrix((vals, (rows, cols)), shape=(len(lo), n)).tocsr()
    lb, ub = np.zeros(n), np.full(n, np.inf)
    ub[nx + nu:] = 1.0
    if fixed_y is not None:
        for cc in range(C):
            for o in range(O):
                lb[nx + nu + cc * O + o] = ub[nx + nu + cc * O + o] = 1.0 if fixed_y[cc] == o else 0.0
    integrality = np.zeros(n)
    integrality[nx + nu:] = 1
    return c, A_, np.array(lo), np.array(hi), lb, ub, integrality


def milp_opt(inst, k=None):
    c, A_, lo, hi, lb, ub, integ = model(inst, k=k)
    r = milp(c, constraints=LinearConstraint(A_, lo, hi), bounds=Bounds(lb, ub),
             integrality=integ, options={"mip_rel_gap": 1e-9, "time_limit": 120})
    return r.fun if r.success else None


def lp_for(inst, choice):
    """Optimum with the parks fixed to choice; the objective includes their
    fixed costs (y is fixed to 1 in the model's own objective)."""
    c, A_, lo, hi, lb, ub, _ = model(inst, fixed_y=choice)
    eq = lo == hi
    A_eq, b_eq = A_[eq], lo[eq]
    A_ub = A_[~eq & np.isfinite(hi)]
    b_ub = hi[~eq & np.isfinite(hi)]
    r = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq,
                bounds=list(zip(lb, ub)), method="highs")
    return r.fun if r.status == 0 else None


def rel(a, b):
    return abs(a - b) / max(1.0, abs(b))


# MIP against scipy's MIP, cflp and k, strong and naive
for seed in (1, 2, 3, 4):
    inst = run(120, 10, 12, seed)
    ref = milp_opt(inst)
    check(ref is not None, "seed %d: scipy milp solved" % seed)
    check(inst["status"] == "optimal", "seed %d: CBC proved optimality (%s)" % (seed, inst["status"]))
    check(ref is not None and rel(inst["total_cost"], ref) < 1e-6,
          "seed %d cflp: wasteplan %.6f vs scipy %.6f" % (seed, inst["total_cost"], ref or -1))
    naive = run(120, 10, 12, seed, "--naive", "--no-instance")
    check(ref is not None and rel(naive["total_cost"], ref) < 1e-6,
          "seed %d cflp naive: %.6f vs %.6f" % (seed, naive["total_cost"], ref or -1))
    heur = run(120, 10, 12, seed, "--heuristic", "--no-instance")
    check(ref is not None and heur["total_cost"] >= ref * (1 - 1e-7) and
          heur["bound"] <= ref * (1 + 1e-7),
          "seed %d heuristic: cost %.6f and bound %.6f bracket %.6f"
          % (seed, heur["total_cost"], heur["bound"], ref or -1))
    for k in (1, 3):
        ik = run(120, 10, 12, seed, "--problem", "k", "--k", k)
        refk = milp_opt(ik, k=k)
        check(ik["built"] == k, "seed %d k=%d: %d built" % (seed, k, ik["built"]))
        check(refk is not None and rel(ik["total_cost"], refk) < 1e-6,
              "seed %d k=%d: wasteplan %.6f vs scipy %.6f" % (seed, k, ik["total_cost"], refk or -1))

# brute force on tiny instances: every choice of sizes, each an LP
for seed in (5, 6, 7):
    inst = run(25, 3, 4, seed)
    O = len(inst["options_cap"])
    best = None
    for choice in itertools.product(range(-1, O), repeat=inst["n_candidates"]):
        v = lp_for(inst, choice)
        if v is None:
            continue
        best = v if best is None else min(best, v)
    check(best is not None and rel(inst["total_cost"], best) < 1e-6,
          "seed %d brute force: wasteplan %.6f vs %.6f" % (seed, inst["total_cost"], best or -1))

print("oracle_siting: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
