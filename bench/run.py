#!/usr/bin/python3
"""run.py -- the orchestrator behind `make bench`.

Generates the allocation-shaped instances (bench/gen_alloc.py, cached under
BUILD/bench/instances by size, seed and generator version), runs every
solver driver on each under a time limit, checks that every solver that
finished agrees on the optimal objective (exact integer equality, flows
validated by each driver), and prints the results as Markdown tables, one
per section, ready to paste into docs/performance.md. The raw numbers go to
BUILD/bench/results.json.

The report is a list of sections (SECTIONS below). A section is a function
taking the Context and returning a Section (title, headers, rows, notes)
and may mark the run failed via ctx.fail(). To add one -- e.g. the
end-to-end phases of the CLI -- write such a function and append it to
SECTIONS; ctx.instances gives the generated instances and ctx.run_timed()
the time-limited runner.

Timing policy: a driver is first run once; if that single solve was short
enough that REPEATS runs fit in --budget seconds, it is run again with
REPEATS repeats and the median of those is reported, else the single run
stands (marked '*'). A run that exceeds --limit seconds of solving (plus a
reading allowance) is killed and shown as '> LIMIT s'.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_alloc  # noqa: E402


class Instance:
    """One generated benchmark instance and how to run on it."""

    def __init__(self, key, sources, sinks, width, radius, seed, repeats,
                 quick=False, large=False):
        self.key = key
        self.sources, self.sinks = sources, sinks
        self.width, self.radius, self.seed = width, radius, seed
        self.repeats = repeats
        self.quick = quick      # part of BENCH_QUICK=1
        self.large = large      # slow general-purpose peers skipped by default
        self.path = None
        self.nodes = self.arcs = None

    def filename(self):
        return "alloc-%d-%d-W%g-R%g-s%d-v%d.min" % (
            self.sources, self.sinks, self.width, self.radius, self.seed,
            gen_alloc.GEN_VERSION)


class Solver:
    """A driver binary under BUILD/bench, its output name and extra args."""

    def __init__(self, key, label, exe, extra=(), on_large=True):
        self.key, self.label, self.exe = key, label, exe
        self.extra = list(extra)
        self.on_large = on_large


# Widths chosen so each source sees ~40 candidate sinks on the two smaller
# instances; the largest is the realistic national-scale case (~180 each).
INSTANCES = [
    Instance("alloc-1k", 1000, 100, 260, 150, 1, repeats=3, quick=True),
    Instance("alloc-10k", 10000, 1000, 1000, 150, 1, repeats=3),
    Instance("alloc-100k", 100000, 10000, 1500, 150, 1, repeats=3, large=True),
]

SOLVERS = [
    Solver("wasteplan", "wasteplan", "wp_mcf"),
    Solver("lemon", "LEMON", "peer_lemon"),
    Solver("clp_dual", "CLP dual", "peer_clp", ["dual"], on_large=False),
    Solver("clp_primal", "CLP primal", "peer_clp", ["primal"], on_large=False),
    Solver("glpk_relax4", "GLPK relax4", "peer_glpk", ["relax4"], on_large=False),
    Solver("glpk_okalg", "GLPK okalg", "peer_glpk", ["okalg"], on_large=False),
]

BASE = "wasteplan"      # ratios are peer / BASE


class Result:
    """Outcome of one solver on one instance. status is the driver's word
    (optimal, infeasible, unavailable, invalid, ...) or one of the
    harness's: timeout, skipped, missing (driver not built), crashed."""

    def __init__(self, status, objective=None, seconds=None, runs=0, note=""):
        self.status, self.objective, self.seconds = status, objective, seconds
        self.runs, self.note = runs, note

    def as_json(self):
        return {"status": self.status, "objective": self.objective,
                "seconds": self.seconds, "runs": self.runs, "note": self.note}


class Section:
    def __init__(self, title, headers, rows, notes=()):
        self.title, self.headers, self.rows = title, headers, rows
        self.notes = list(notes)

    def markdown(self):
        out = ["### " + self.title, "",
               "| " + " | ".join(self.headers) + " |",
               "|" + "|".join("---" for _ in self.headers) + "|"]
        for r in self.rows:
            out.append("| " + " | ".join(str(c) for c in r) + " |")
        if self.notes:
            out.append("")
            out.extend(self.notes)
        return "\n".join(out)


class Context:
    """What sections share: options, paths, instances, collected data."""

    def __init__(self, opts):
        self.opts = opts
        self.build = opts.build
        self.bench_dir = os.path.join(opts.build, "bench")
        self.instances = []
        self.data = {}          # section key -> JSON-able results
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        print("bench: FAIL: " + msg, file=sys.stderr)

    def read_allowance(self, inst):
        """Seconds granted on top of the solve limit for reading the file
        and building the solver's structures (~15 s per 100 MB, min 30)."""
        mb = os.path.getsize(inst.path) / 1e6
        return max(30.0, 0.15 * mb)

    def run_timed(self, cmd, timeout):
        """Run cmd; returns (returncode or None on timeout, stdout, stderr,
        wall seconds)."""
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout,
                               universal_newlines=True)
        except subprocess.TimeoutExpired as e:
            err = e.stderr.decode(errors="replace") if isinstance(
                e.stderr, bytes) else (e.stderr or "")
            return None, "", err, time.monotonic() - t0
        return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def prepare_instances(ctx):
    """Select the instances for this run and generate missing files."""
    inst_dir = os.path.join(ctx.bench_dir, "instances")
    os.makedirs(inst_dir, exist_ok=True)
    chosen = [i for i in INSTANCES if i.quick] if ctx.opts.quick else INSTANCES
    if ctx.opts.only:
        keys = ctx.opts.only.split(",")
        chosen = [i for i in INSTANCES if i.key in keys]
        unknown = set(keys) - {i.key for i in INSTANCES}
        if unknown:
            sys.exit("run.py: unknown instance(s) %s; known: %s" % (
                ", ".join(sorted(unknown)),
                ", ".join(i.key for i in INSTANCES)))
    for inst in chosen:
        inst.path = os.path.join(inst_dir, inst.filename())
        if not os.path.exists(inst.path):
            t0 = time.monotonic()
            print("bench: generating %s (%d sources, %d sinks) ..." % (
                inst.key, inst.sources, inst.sinks), file=sys.stderr, flush=True)
            data = gen_alloc.make_instance(inst.sources, inst.sinks,
                                           inst.width, inst.radius, inst.seed)
            gen_alloc.write_dimacs(inst.path, inst.sources, inst.sinks,
                                   inst.width, inst.radius, inst.seed, data)
            print("bench:   done in %.1f s" % (time.monotonic() - t0),
                  file=sys.stderr, flush=True)
        with open(inst.path) as f:
            for line in f:
                if line.startswith("p min"):
                    _, _, n, m = line.split()
                    inst.nodes, inst.arcs = int(n), int(m)
                    break
        ctx.instances.append(inst)


def parse_line(out, name):
    """The driver's result line 'name status objective seconds', or None."""
    for line in reversed(out.splitlines()):
        f = line.split()
        if len(f) == 4 and f[0] == name:
            return f[1], int(f[2]), float(f[3])
    return None


def run_solver(ctx, solver, inst):
    """Run one solver on one instance under the timing policy."""
    exe = os.path.join(ctx.bench_dir, solver.exe)
    if not os.path.exists(exe):
        return Result("missing", note="%s not built" % exe)
    if inst.large and not solver.on_large and not ctx.opts.all_peers:
        return Result("skipped")
    limit = ctx.opts.limit
    allowance = ctx.read_allowance(inst)

    def once(reps):
        cmd = [exe, inst.path, str(reps)] + solver.extra
        rc, out, err, wall = ctx.run_timed(cmd, limit * reps + allowance)
        if rc is None:
            return Result("timeout", note="killed after %.0f s" % wall)
        got = parse_line(out, solver.key)
        if rc != 0 or got is None:
            tail = (err.strip().splitlines() or ["no output"])[-1]
            return Result("crashed", note="exit %s: %s" % (rc, tail))
        status, obj, secs = got
        if status != "optimal":
            return Result(status, note=(err.strip().splitlines() or [""])[-1])
        return Result("optimal", obj, secs, reps)

    print("bench: %-11s on %-10s ..." % (solver.key, inst.key),
          end="", file=sys.stderr, flush=True)
    r = once(1)
    if (r.status == "optimal" and inst.repeats > 1 and
            r.seconds * inst.repeats <= ctx.opts.budget):
        r2 = once(inst.repeats)
        if r2.status == "optimal":
            if r2.objective != r.objective:
                ctx.fail("%s on %s: objective changed between runs (%d, %d)"
                         % (solver.key, inst.key, r.objective, r2.objective))
            r = r2
    print(" %s%s" % (r.status, " %.3f s" % r.seconds
                     if r.seconds is not None else ""),
          file=sys.stderr, flush=True)
    return r


def fmt_seconds(s):
    if s < 0.01:
        return "%.4f" % s
    if s < 10:
        return "%.3f" % s
    return "%.1f" % s


def cell(ctx, r, base):
    """Table cell for result r; base is the BASE solver's result."""
    if r.status == "optimal":
        txt = fmt_seconds(r.seconds)
        if r.runs == 1:
            txt += "*"
        if base is not r and base is not None and base.status == "optimal" \
                and base.seconds > 0:
            txt += " (%.1fx)" % (r.seconds / base.seconds)
        return txt
    if r.status == "timeout":
        return "> %g s" % ctx.opts.limit
    if r.status == "unavailable":
        return "n/a"
    if r.status in ("skipped", "missing"):
        return r.status
    return "**%s**" % r.status


def solver_section(ctx):
    """The min-cost flow solve alone: wasteplan against its peers."""
    solvers = SOLVERS
    if ctx.opts.solvers:
        keys = ctx.opts.solvers.split(",")
        solvers = [s for s in SOLVERS if s.key in keys]
    headers = ["instance", "nodes", "arcs", "objective (milli-yuan)"] + \
        [s.label + " s" for s in solvers]
    rows, data, seen = [], {}, set()
    for inst in ctx.instances:
        res = {s.key: run_solver(ctx, s, inst) for s in solvers}
        for s in solvers:
            r = res[s.key]
            if r.status in ("crashed", "invalid", "error", "nonintegral",
                            "infeasible", "unbounded", "bad_input", "nomem",
                            "edata", "erange"):
                ctx.fail("%s on %s: %s %s" % (s.key, inst.key, r.status,
                                               r.note))
            seen.add(r.status)
        objs = {k: r.objective for k, r in res.items() if r.status == "optimal"}
        if len(set(objs.values())) > 1:
            ctx.fail("objectives disagree on %s: %s" % (
                inst.key, ", ".join("%s=%d" % kv for kv in sorted(objs.items()))))
            agreed = "**MISMATCH**"
        elif objs:
            agreed = "%d" % next(iter(objs.values()))
            if len(objs) < 2:
                agreed += " (unchecked)"
        else:
            agreed = "-"
        base = res.get(BASE)
        rows.append([inst.key, inst.nodes, inst.arcs, agreed] +
                    [cell(ctx, res[s.key], base) for s in solvers])
        data[inst.key] = {"sources": inst.sources, "sinks": inst.sinks,
                          "width_km": inst.width, "radius_km": inst.radius,
                          "seed": inst.seed, "nodes": inst.nodes,
                          "arcs": inst.arcs,
                          "results": {k: r.as_json() for k, r in res.items()}}
    ctx.data["solve"] = data
    notes = ["Seconds: median of %s runs of the solve call alone (reading "
             "and building not timed); '*' = single run (too slow to "
             "repeat within the %g s budget); (Nx) = that solver's time / "
             "%s's." % ("/".join(str(i.repeats) for i in ctx.instances) or "-",
                         ctx.opts.budget, BASE)]
    if "timeout" in seen:
        notes.append("'> %g s': killed at the time limit." % ctx.opts.limit)
    if "skipped" in seen:
        notes.append("'skipped': general-purpose peers are not run on the "
                     "largest instance by default (run.py --all-peers).")
    if "unavailable" in seen:
        notes.append("'n/a': the installed library does not provide the "
                     "method (GLPK 5.0 ships RELAX-IV disabled).")
    if "missing" in seen:
        notes.append("'missing': the driver was not built (make bench-drivers).")
    return Section("Min-cost flow solve", headers, rows, notes)


# End-to-end runs of the CLI on regions made by `wasteplan gen`: (key,
# sources, sinks, region km, haul km, pricing modes, quick?).
E2E_REGIONS = [
    ("region-1k", 1000, 100, 300, 150, ("auto",), True),
    ("region-10k", 10000, 1000, 1000, 150, ("never", "auto"), False),
    ("region-100k", 100000, 10000, 1500, 150, ("auto", "never"), False),
]

TIMINGS_KEYS = ("load", "arcs", "solve", "flow", "write")


def parse_timings(err):
    """The numbers of solve's --timings line, by phase."""
    import re
    line = next((l for l in err.splitlines() if l.startswith("timings:")), "")
    out = {}
    for key in TIMINGS_KEYS:
        m = re.search(r"\b%s ([0-9.]+) s" % key, line)
        if m:
            out[key] = float(m.group(1))
    m = re.search(r"peak memory ([0-9.]+) MB", line)
    if m:
        out["mb"] = float(m.group(1))
    m = re.search(r"(-?[0-9]+) pricing rounds", line)
    if m:
        out["rounds"] = int(m.group(1))
    return out


def e2e_section(ctx):
    """The whole command on generated regions: load, arcs, solve, write."""
    import statistics
    wp = os.path.join(ctx.opts.build, "wasteplan")
    rows, data = [], {}
    for key, ns, nk, width, haul, modes, quick in E2E_REGIONS:
        if ctx.opts.quick and not quick:
            continue
        d = os.path.join(ctx.bench_dir, "regions", "%s-s1" % key)
        ini = os.path.join(d, "scenario.ini")
        if not os.path.exists(ini):
            rc, _, err, _ = ctx.run_timed([wp, "gen", "-o", d, "--sources", str(ns),
                                           "--sinks", str(nk), "--region-km", str(width),
                                           "--haul-km", str(haul), "--seed", "1"], 600)
            if rc != 0:
                ctx.fail("gen %s: %s" % (key, err[-300:]))
                continue
        costs = []
        for mode in modes:
            out = os.path.join(d, "out-%s.gpkg" % mode)
            runs = []
            for rep in range(3):
                rc, sout, err, wall = ctx.run_timed(
                    [wp, "solve", ini, "-o", out, "-q", "--timings", "--pricing", mode], 900)
                if rc != 0:
                    ctx.fail("solve %s --pricing %s: %s" % (key, mode, err[-300:]))
                    break
                t = parse_timings(err)
                t["wall"] = wall
                runs.append(t)
                import re
                m = re.search(r"= ([0-9]+) yuan", sout)
                if m and rep == 0:
                    costs.append(int(m.group(1)))
                if wall * (2 - rep) > ctx.opts.budget:
                    break   # too slow to repeat within the budget
            if not runs:
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            core = med.get("arcs", 0) + med.get("solve", 0)
            rows.append([key, "%d x %d" % (ns, nk), mode, len(runs),
                         "%.2f" % med.get("load", 0), "%.2f" % med.get("arcs", 0),
                         "%.2f" % med.get("solve", 0), "%.2f" % med.get("flow", 0),
                         int(med.get("rounds", -1)), "%.2f" % med.get("write", 0),
                         "**%.2f**" % core, "%.0f" % med.get("mb", 0)])
            data["%s/%s" % (key, mode)] = med
        if costs and max(costs) - min(costs) > 1e-9 * max(costs) + 1:
            ctx.fail("%s: the pricing modes disagree on the optimal cost: %s" % (key, costs))
    ctx.data["e2e"] = data
    headers = ["region", "sources x sinks", "pricing", "runs", "load s", "arcs s",
               "solve s", "of which flow s", "pricing rounds", "write s",
               "arcs+solve s", "peak MB"]
    notes = ["`wasteplan solve --timings` on regions from `wasteplan gen` (uniform over "
             "the square, 150 km haul limit, detour 1.3, 3 materials); medians of the "
             "runs shown. arcs+solve is the run excluding file I/O (load reads the "
             "GeoPackage, write writes the result). pricing auto = column generation "
             "from the 10 nearest sites per source (exact); never = every pair within "
             "reach built up front. Both must report the same optimal cost, else the "
             "bench fails."]
    return Section("End to end (CLI)", headers, rows, notes)


SECTIONS = [solver_section, e2e_section]


def machine_line():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores, %s, Python %s" % (cpu, os.cpu_count() or 0,
                                            platform.platform(),
                                            platform.python_version())


def versions():
    out = {}
    for pkg in ("liblemon-dev", "coinor-libclp-dev", "libglpk-dev"):
        try:
            v = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               universal_newlines=True).stdout.strip()
        except OSError:
            v = ""
        out[pkg] = v or "unknown"
    return out


def solver_source_id():
    """Short sha256 of planner/mincostflow.c: names the solver version
    measured while that file is still changing."""
    import hashlib
    path = os.path.join(HERE, "..", "planner", "mincostflow.c")
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()[:12]
    except OSError:
        return "absent"


def main():
    ap = argparse.ArgumentParser(description="wasteplan solver benchmark")
    ap.add_argument("--build", default="build", help="build directory")
    ap.add_argument("--quick", action="store_true",
                    help="only the 1,000-source instance")
    ap.add_argument("--only", help="comma-separated instance keys (%s)" %
                    ",".join(i.key for i in INSTANCES))
    ap.add_argument("--solvers", help="comma-separated solver keys (%s)" %
                    ",".join(s.key for s in SOLVERS))
    ap.add_argument("--limit", type=float, default=300.0,
                    help="seconds of solving allowed per run (default 300)")
    ap.add_argument("--budget", type=float, default=60.0,
                    help="repeat a solver only if its repeats fit in this "
                    "many seconds (default 60)")
    ap.add_argument("--all-peers", action="store_true",
                    help="also run CLP and GLPK on the largest instance")
    ap.add_argument("--sections", help="comma-separated sections to run "
                    "(solve,e2e; default all)")
    ap.add_argument("--json", help="results file (default "
                    "BUILD/bench/results.json)")
    opts = ap.parse_args()

    ctx = Context(opts)
    prepare_instances(ctx)
    print("Machine: " + machine_line())
    vers = versions()
    print("Peers: " + ", ".join("%s %s" % kv for kv in vers.items()))
    src_id = solver_source_id()
    print("wasteplan solver: planner/mincostflow.c sha256 %s..." % src_id)
    print()
    sections = []
    chosen = opts.sections.split(",") if opts.sections else None
    for fn in SECTIONS:
        if chosen and fn.__name__.replace("_section", "").replace("solver", "solve") not in chosen:
            continue
        sec = fn(ctx)
        sections.append(sec)
        print(sec.markdown())
        print()
    path = opts.json or os.path.join(ctx.bench_dir, "results.json")
    with open(path, "w") as f:
        json.dump({"machine": machine_line(), "versions": vers,
                   "mincostflow_c_sha256": src_id,
                   "limit_s": opts.limit, "sections": ctx.data,
                   "failures": ctx.failures}, f, indent=1)
    print("bench: results in %s" % path)
    if ctx.failures:
        print("bench: %d failure(s):" % len(ctx.failures))
        for m in ctx.failures:
            print("  " + m)
        return 1
    print("bench: all finishing solvers agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
