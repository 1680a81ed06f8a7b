"""bench_multiperiod.py — a 6-year plan against the single-year solve.

Generates a region with `wasteplan gen` (10^4 producers x 10^3 users, or
10^3 x 10^2 with --quick), then times, in the same run and on the same
layers, `wasteplan solve` (one year) and `wasteplan plan` over 2025-2030
(output growing 3 % a year, a utilisation target enforced from 2027), each
the best of three. Prints wall time and the min-cost flow's own time and
pivots for both, and the ratios; the goal is a plan within 5x the
single-year time. No other tool plans over years, so the single-year
solver is the reference.

usage: /usr/bin/python3 bench/bench_multiperiod.py BUILD_DIR [--quick]
"""
import os
import re
import subprocess
import sys
import tempfile
import time


def timed(cmd, cwd):
    best = None
    for _ in range(3):
        t0 = time.monotonic()
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"bench_multiperiod: {' '.join(cmd)} failed: {p.stderr}")
        m = re.search(r"flow ([0-9.]+) s, (\d+) pivots", p.stderr)
        flow, piv = (float(m.group(1)), int(m.group(2))) if m else (float("nan"), 0)
        if best is None or wall < best[0]:
            best = (wall, flow, piv)
    return best


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    quick = "--quick" in sys.argv
    wp = os.path.abspath(os.path.join(build, "wasteplan"))
    n, k = (1000, 100) if quick else (10000, 1000)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([wp, "gen", "-o", tmp, "--sources", str(n), "--sinks", str(k),
                        "--region-km", "1000", "--haul-km", "150"], check=True, capture_output=True)
        one = timed([wp, "solve", "scenario.ini", "-q", "--timings", "-o", "one.gpkg"], tmp)
        plan = timed([wp, "plan", "scenario.ini", "-q", "--timings", "-o", "plan.gpkg",
                      "--set", "scenario.years=2025-2030",
                      "--set", "horizon.growth.red_mud=0.03",
                      "--set", "horizon.growth.titanium_gypsum=0.03",
                      "--set", "horizon.growth.fly_ash=0.03",
                      "--set", "target.fly_ash.2027=0.5", "--set", "target.mode=enforce"], tmp)
    print(f"multi-period plan, {n} producers x {k} users, 6 years (best of 3)")
    print(f"{'run':<28} {'wall s':>8} {'flow s':>8} {'pivots':>9}")
    print(f"{'solve (one year)':<28} {one[0]:8.3f} {one[1]:8.3f} {one[2]:9d}")
    print(f"{'plan 2025-2030':<28} {plan[0]:8.3f} {plan[1]:8.3f} {plan[2]:9d}")
    print(f"{'ratio plan / one year':<28} {plan[0] / one[0]:8.2f} {plan[1] / one[1]:8.2f} "
          f"{plan[2] / max(one[2], 1):9.2f}")
    print(f"goal: wall ratio <= 5: {'met' if plan[0] / one[0] <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
