"""e2e_scale.py — a generated region big enough to take the column-generation
path and GDAL's bulk-write paths, end to end through the CLI.

`wasteplan gen` writes 20,000 producers and 2,000 users; `solve` with
--pricing auto (column generation: few nearest hauls, the rest priced on
demand) and with --pricing never (every haul within reach up front) must
reach the same optimal cost, balance every tonne, respect every haul limit
and capacity, and write GeoPackages GDAL reads back.

usage: /usr/bin/python3 tests/e2e_scale.py BUILD_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

from osgeo import ogr

ogr.UseExceptions()
failures = []
passed = 0


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def read(path, layer):
    ds = ogr.Open(path)
    rows = [f.items() for f in ds.GetLayerByName(layer)]
    return rows


def solve(wp, ini, out, pricing):
    r = subprocess.run([wp, "solve", ini, "-o", out, "--timings", "--pricing", pricing],
                       capture_output=True, text=True)
    ok(r.returncode == 0, f"solve --pricing {pricing}: {r.stderr[-400:]}")
    return r


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    wp = os.path.abspath(os.path.join(build, "wasteplan"))
    tmp = tempfile.mkdtemp(prefix="wp-scale-")
    try:
        r = subprocess.run([wp, "gen", "-o", tmp, "--sources", "20000", "--sinks", "2000",
                            "--region-km", "700", "--haul-km", "80", "--seed", "7"],
                           capture_output=True, text=True)
        ok(r.returncode == 0, "gen: " + r.stderr)
        ini = os.path.join(tmp, "scenario.ini")
        a = os.path.join(tmp, "priced.gpkg")
        b = os.path.join(tmp, "full.gpkg")
        ra = solve(wp, ini, a, "auto")
        rb = solve(wp, ini, b, "never")
        ok("column generation" in ra.stderr and "pricing rounds" in ra.stderr,
           "auto takes the column-generation path at this size")
        ok("every haul built up front" in rb.stderr, "never builds every haul up front")
        if failures:
            raise SystemExit
        sa = {x["material"]: x for x in read(a, "summary")}
        sb = {x["material"]: x for x in read(b, "summary")}
        ca, cb = sa["all"]["total_cost_yuan"], sb["all"]["total_cost_yuan"]
        ok(abs(ca - cb) <= 1e-9 * cb, f"same optimum both ways: {ca!r} vs {cb!r}")
        for mat in sb:
            ok(abs(sa[mat]["delivered_t"] - sb[mat]["delivered_t"]) <= 1e-6 * max(sb[mat]["supply_t"], 1) or
               abs(ca - cb) <= 1e-9 * cb, f"{mat}: delivered agrees")
        scen = {x["key"]: x["value"] for x in read(a, "scenario")}
        for path in (a, b):
            flows = read(path, "flows")
            sources = read(path, "sources")
            sinks = read(path, "sinks")
            ok(len(sources) == 20000 and len(sinks) == 2000, f"{path}: every source and sink written")
            out = {}
            for f in flows:
                out[f["source_id"]] = out.get(f["source_id"], 0.0) + f["tonnes"]
                limit = float(scen[f"material.{f['material']}.max_haul_km"])
                if f["distance_km"] > limit + 1e-9:
                    ok(False, f"{path}: flow beyond the haul limit")
                    break
            bad = 0
            for s in sources:
                if abs(s["supply_t"] - s["delivered_t"] - s["unallocated_t"]) > 1e-6 * max(s["supply_t"], 1) or \
                   abs(out.get(s["source_id"], 0.0) - s["delivered_t"]) > 1e-6 * max(s["supply_t"], 1):
                    bad += 1
            ok(bad == 0, f"{path}: every tonne delivered or unallocated ({bad} sources off)")
            into = {}
            for f in flows:
                into[f["sink_id"]] = into.get(f["sink_id"], 0.0) + f["tonnes"]
            over = sum(1 for k in sinks if k["capacity_t"] is not None and
                       into.get(k["sink_id"], 0.0) > k["capacity_t"] * (1 + 1e-12) + 1e-6)
            ok(over == 0, f"{path}: no site above capacity ({over} over)")
        # reasons agree where both leave tonnes behind
        ua = {x["source_id"]: x["reason"] for x in read(a, "sources") if x["unallocated_t"] > 1e-6}
        ub = {x["source_id"]: x["reason"] for x in read(b, "sources") if x["unallocated_t"] > 1e-6}
        both = set(ua) & set(ub)
        ok(all(ua[s] == ub[s] for s in both), "the same reasons on both paths")
    except SystemExit:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"e2e_scale: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
