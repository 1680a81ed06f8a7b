#!/usr/bin/python3
"""
bench_siting.py — siting benchmark: fixed-charge capacitated facility
location on generated regions of 1,000 / 10,000 sources (sinks = sources /
10) with 50 / 200 candidate parks of three sizes.

Each instance is solved by CBC on wasteplan's strong formulation (per-arc
linking rows), by CBC on the naive aggregated formulation (the peer), and
by the heuristic (greedy + swap over min-cost-flow allocations, LP bound).
Reported: time to proven optimality, or the gap left at the time limit.
The ratio column is naive time / strong time when both are proven, else
naive gap / strong gap.

Run: /usr/bin/python3 bench/bench_siting.py BUILD_DIR [--quick] [--time-limit S]
The driver is tests/tool_siting (make build/tests/tool_siting).
"""

import json
import os
import subprocess
import sys

BUILD = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "build"
QUICK = "--quick" in sys.argv
LIMIT = 10.0 if QUICK else 60.0
if "--time-limit" in sys.argv:
    LIMIT = float(sys.argv[sys.argv.index("--time-limit") + 1])
TOOL = os.path.join(BUILD, "tests", "tool_siting")
SIZES = [(1000, 50), (1000, 200)] if QUICK else [(1000, 50), (1000, 200), (10000, 50), (10000, 200)]


def run(src, cand, *flags):
    r = subprocess.run([TOOL, str(src), str(src // 10), str(cand), "1", "--no-instance",
                        "--time-limit", str(LIMIT)] + list(flags),
                       capture_output=True, text=True)
    if r.returncode != 0:
        return {"status": "refused" if "heuristic" in r.stderr else "error", "seconds": float("nan"), "gap": -1, "total_cost": float("nan"),
                "n_arcs": 0, "built": 0, "err": r.stderr.strip()[-200:]}
    return json.loads(r.stdout)


def cell(r):
    if r["status"] in ("error", "refused"):
        return r["status"]
    if r["status"] == "no_solution":
        return "no solution"
    if r["status"] == "optimal":
        return "%.2f s" % r["seconds"]
    if r["gap"] is None or r["gap"] < 0:
        return "no bound"
    return "gap %.2f%%" % (100 * r["gap"])


def main():
    if not os.path.exists(TOOL):
        sys.exit("bench_siting: %s missing (make %s)" % (TOOL, TOOL))
    print("siting (cflp), time limit %g s; CBC %s" % (LIMIT, "strong vs naive formulation"))
    hdr = "%-8s %-6s %-8s | %-14s %-14s %-8s | %-14s %-10s | %s" % (
        "sources", "cands", "arcs", "cbc strong", "cbc naive", "ratio", "heuristic", "vs best", "parks")
    print(hdr)
    print("-" * len(hdr))
    rows = []
    for src, cand in SIZES:
        s = run(src, cand)
        n = run(src, cand, "--naive")
        h = run(src, cand, "--heuristic")
        if s["status"] == "optimal" and n["status"] == "optimal":
            ratio = "%.2fx" % (n["seconds"] / max(s["seconds"], 1e-9))
        elif s.get("gap", -1) > 0 and n.get("gap", -1) >= 0:
            ratio = "%.2fx gap" % (n["gap"] / s["gap"])
        elif s["status"] == "optimal":
            ratio = "naive open"
        else:
            ratio = "-"
        best = min(x["total_cost"] for x in (s, n) if x["status"] in ("optimal", "feasible")) \
            if any(x["status"] in ("optimal", "feasible") for x in (s, n)) else float("nan")
        vs = "%+.2f%%" % (100 * (h["total_cost"] / best - 1)) if best == best and h["status"] != "error" else "-"
        print("%-8d %-6d %-8d | %-14s %-14s %-8s | %-14s %-10s | %d" % (
            src, cand, s.get("n_arcs", 0), cell(s), cell(n), ratio,
            "%s %.1f s" % (cell(h) if h["status"] != "optimal" else "gap 0", h["seconds"]), vs,
            s.get("built", 0)))
        rows.append({"sources": src, "candidates": cand, "strong": s, "naive": n, "heuristic": h})
        sys.stdout.flush()
    out = os.path.join(BUILD, "bench", "siting.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as fh:
        json.dump(rows, fh, indent=1)
    print("written: %s" % out)


if __name__ == "__main__":
    main()
