"""e2e_tools.py — the scenario tools end to end, through the CLI.

sweep: material.red_mud.max_haul_km=5,50,200 on samples/jiaozuo gives three
GeoPackages, each equal to a plain `solve --set` of the same value, and a
comparison (gpkg, csv, svg) whose rows match each file's own summary; as
the limit grows, red-mud utilisation never falls and the total cost never
rises (relaxing a limit only adds hauls, so the old plan stays feasible).
A two-key sweep draws one chart panel per value of the second key.

compare: between two variants, every difference agrees with the two files'
own tables (summary, sinks, flows); flows that appear, vanish or change are
exactly those the flows layers say.

by_area: with the sample's approximate prefecture layer, each column of
by_area summed over areas equals the summary total of its material, and the
GPPD plants (whose prefecture is known independently) are counted in their
own prefecture.

Bad input: a bad --vary, a file that is not a result, each one clear
message and a non-zero exit.

usage: /usr/bin/python3 tests/e2e_tools.py BUILD_DIR
"""
import csv
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from osgeo import gdal, ogr

gdal.UseExceptions()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "samples", "jiaozuo")
INI = os.path.join(SAMPLE, "jiaozuo.ini")
KEY = "material.red_mud.max_haul_km"
failures = []
passed = 0


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def run(wp, *args):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1750000000")
    return subprocess.run([wp, *args], capture_output=True, text=True, env=env)


def rows(path, layer):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer)
    if lyr is None:
        return None
    out = []
    for f in lyr:
        d = f.items()
        g = f.GetGeometryRef()
        d["_geom"] = g.ExportToWkt() if g else None
        out.append(d)
    return out


def close(a, b, tol=1e-6):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def by_material(summary):
    return {r["material"]: r for r in summary}


def test_sweep(wp, tmp):
    out = os.path.join(tmp, "sweep")
    r = run(wp, "sweep", INI, "--vary", KEY + "=5,50,200", "-o", out, "--jobs", "2")
    ok(r.returncode == 0, "sweep exits 0: " + r.stderr[-500:])
    ok("variant 3/3 done" in r.stderr or "3 of 3 finished" in r.stderr,
       "progress on stderr: " + r.stderr[-300:])
    names = sorted(n for n in os.listdir(out) if n.endswith(".gpkg") and n != "sweep.gpkg")
    ok(len(names) == 3, "three variant GeoPackages: %s" % names)
    for n in ("sweep.gpkg", "sweep.csv", "sweep.svg"):
        ok(os.path.exists(os.path.join(out, n)), n + " written")
    if len(names) != 3:
        return None
    values = [5.0, 50.0, 200.0]
    files = {}
    for n in names:
        scen = {s["key"]: s["value"] for s in rows(os.path.join(out, n), "scenario")}
        files[float(scen.get(KEY, "nan"))] = os.path.join(out, n)
    ok(sorted(files) == values, "each variant records its value: %s" % sorted(files))

    # a variant is exactly `solve --set`
    ref = os.path.join(tmp, "ref50.gpkg")
    s = run(wp, "solve", INI, "--set", KEY + "=50", "-o", ref, "-q")
    ok(s.returncode == 0, "reference solve")
    if s.returncode == 0 and 50.0 in files:
        a = by_material(rows(ref, "summary"))
        b = by_material(rows(files[50.0], "summary"))
        ok(a.keys() == b.keys() and all(close(a[k]["total_cost_yuan"], b[k]["total_cost_yuan"])
                                        and close(a[k]["delivered_t"], b[k]["delivered_t"])
                                        for k in a), "variant 50 equals solve --set 50")

    # the comparison table agrees with each file's own summary
    table = rows(os.path.join(out, "sweep.gpkg"), "sweep")
    ok(table is not None and len(table) > 0, "sweep table present")
    col = KEY.replace(".", "_")
    for v, path in files.items():
        summ = by_material(rows(path, "summary"))
        mine = [t for t in table if t.get(col) == v]
        ok(len(mine) == len(summ), "one row per material for %g" % v)
        for t in mine:
            sref = summ.get(t["material"])
            ok(sref is not None and close(t["delivered_t"], sref["delivered_t"]) and
               close(t["total_cost_yuan"], sref["total_cost_yuan"]) and
               close(t["utilisation_pct"], sref["utilisation_pct"]) and
               close(t["co2_t"], sref["co2_t"]),
               "sweep row %g/%s matches its summary" % (v, t["material"]))
    with open(os.path.join(out, "sweep.csv"), encoding="utf-8-sig", newline="") as fh:
        crows = list(csv.DictReader(fh))
    ok(len(crows) == len(table), "csv has the same rows")

    # monotone in the haul limit
    util = [by_material(rows(files[v], "summary"))["red_mud"]["utilisation_pct"] for v in values]
    cost = [by_material(rows(files[v], "summary"))["all"]["total_cost_yuan"] for v in values]
    ok(all(util[i] <= util[i + 1] + 1e-9 for i in range(2)),
       "red-mud utilisation non-decreasing: %s" % util)
    ok(all(cost[i + 1] <= cost[i] * (1 + 1e-9) for i in range(2)),
       "total cost non-increasing: %s" % cost)
    ok(util[0] < util[-1], "the sweep shows an effect (5 km strands red mud): %s" % util)

    # the chart is well-formed XML with Chinese names as text
    tree = ET.parse(os.path.join(out, "sweep.svg"))
    texts = [t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}text")]
    ok(any("赤泥" in t for t in texts), "chart names 赤泥")
    ok(any(KEY in t for t in texts), "chart x axis names the key")
    panels = [g for g in tree.iter("{http://www.w3.org/2000/svg}g")]
    ok(len(panels) == 1, "one panel for one --vary")
    return files


def test_two_keys(wp, tmp):
    out = os.path.join(tmp, "sweep2")
    r = run(wp, "sweep", INI, "--vary", KEY + "=5,50", "--vary", "scenario.detour=1.2:1.4:0.2",
            "-o", out, "-q")
    ok(r.returncode == 0, "two-key sweep exits 0: " + r.stderr[-400:])
    n = [x for x in os.listdir(out) if x.endswith(".gpkg") and x != "sweep.gpkg"] if r.returncode == 0 else []
    ok(len(n) == 4, "2 x 2 variants: %s" % n)
    if r.returncode == 0:
        tree = ET.parse(os.path.join(out, "sweep.svg"))
        panels = list(tree.iter("{http://www.w3.org/2000/svg}g"))
        ok(len(panels) == 2, "one panel per detour value")


def test_compare(wp, tmp, files):
    a, b = files[5.0], files[200.0]
    diff = os.path.join(tmp, "diff.gpkg")
    r = run(wp, "compare", a, b, "-o", diff)
    ok(r.returncode == 0, "compare exits 0: " + r.stderr[-400:])
    ok("red_mud" in r.stdout and "flows:" in r.stdout, "compare prints tables")
    if r.returncode != 0:
        return
    sa, sb = by_material(rows(a, "summary")), by_material(rows(b, "summary"))
    cm = rows(diff, "compare_materials")
    ok(len([x for x in cm if x["year"] is None]) == len(sa.keys() | sb.keys()),
       "a materials row per material")
    for x in cm:
        m = x["material"]
        for q in ("supply_t", "delivered_t", "total_cost_yuan", "utilisation_pct"):
            ok(close(x[q + "_a"], sa[m][q]) and close(x[q + "_b"], sb[m][q]) and
               close(x[q + "_diff"], sb[m][q] - sa[m][q]),
               "compare_materials %s %s" % (m, q))
    ka = {k["sink_id"]: k for k in rows(a, "sinks")}
    kb = {k["sink_id"]: k for k in rows(b, "sinks")}
    cs = {x["sink_id"]: x for x in rows(diff, "compare_sites")}
    ok(cs.keys() == ka.keys() | kb.keys(), "compare_sites covers every site")
    ok(all(close(cs[s]["received_t_diff"], kb[s]["received_t"] - ka[s]["received_t"]) for s in cs),
       "received changes match the sinks layers")
    ok(all(cs[s]["_geom"] is not None for s in cs), "sites keep their geometry")

    def flows(p):
        d = {}
        for f in rows(p, "flows"):
            k = (f["source_id"], f["sink_id"], f["material"])
            d[k] = d.get(k, 0.0) + f["tonnes"]
        return d
    fa, fb = flows(a), flows(b)
    expect = {}
    for k in fa.keys() | fb.keys():
        if k not in fb:
            expect[k] = "vanishes"
        elif k not in fa:
            expect[k] = "appears"
        elif abs(fb[k] - fa[k]) > 0.5:
            expect[k] = "changes"
    cf = rows(diff, "compare_flows")
    got = {(x["source_id"], x["sink_id"], x["material"]): x["change"] for x in cf}
    ok(got == expect, "compare_flows lists exactly what changed (%d vs %d)" % (len(got), len(expect)))
    ok(len(got) > 0, "the two variants differ in their flows")
    ok(all(x["_geom"] and x["_geom"].startswith("LINESTRING") for x in cf), "changed flows are lines")
    red = [x for x in cf if x["material"] == "red_mud"]
    ok(any(x["change"] == "appears" for x in red), "red-mud flows appear with the longer limit")
    # CSV form: three files
    r = run(wp, "compare", a, b, "-o", os.path.join(tmp, "d.csv"))
    ok(r.returncode == 0 and all(os.path.exists(os.path.join(tmp, "d_%s.csv" % s))
                                 for s in ("materials", "sites", "flows")), "compare -o x.csv")
    # comparing a file with itself: nothing changes
    r = run(wp, "compare", a, a, "-o", os.path.join(tmp, "same.gpkg"))
    ok(r.returncode == 0 and len(rows(os.path.join(tmp, "same.gpkg"), "compare_flows")) == 0,
       "a file compared with itself has no flow changes")


def test_by_area(wp, tmp):
    out = os.path.join(tmp, "areas.gpkg")
    r = run(wp, "solve", INI, "-o", out, "-q")
    ok(r.returncode == 0, "solve with [areas]: " + r.stderr[-400:])
    if r.returncode != 0:
        return
    ba = rows(out, "by_area")
    ok(ba is not None and len(ba) > 0, "by_area table present")
    if not ba:
        return
    summ = by_material(rows(out, "summary"))
    for m, s in summ.items():
        if m == "all":
            continue
        mine = [x for x in ba if x["material"] == m]
        for q, sq in (("supply_t", "supply_t"), ("delivered_t", "delivered_t"),
                      ("unallocated_t", "unallocated_t"), ("received_t", "delivered_t"),
                      ("cost_yuan", "total_cost_yuan")):
            ok(close(sum(x[q] for x in mine), s[sq], 1e-7),
               "by_area %s sums to the summary's %s for %s" % (q, sq, m))
    ok(any(x["area_name"] == "焦作市" for x in ba), "Jiaozuo prefecture present")
    ok(any(x["area_name"] == "outside" for x in ba), "Jincheng (Shanxi) plants are outside")
    # the prefecture of each GPPD plant is known from the plants layer
    plants = ogr.Open(os.path.join(SAMPLE, "data", "plants.shp"))
    lyr = plants.GetLayer(0)
    pref = {}
    for f in lyr:
        d = f.items()
        pref[d.get("编号")] = d.get("所在地市")
    src = rows(out, "sources")
    # locate each source by its own area with OGR (independent of GEOS code)
    ads = ogr.Open(os.path.join(SAMPLE, "data", "areas.shp"))
    areas = [(f.GetField("名称"), f.GetGeometryRef().Clone()) for f in ads.GetLayer(0)]
    checked = 0
    count = {}
    for s in src:
        g = ogr.CreateGeometryFromWkt(s["_geom"])
        # sources are in EPSG:4490 in the output; degrees, same as the areas
        inside = [n for n, a in areas if a.Intersects(g)]
        key = (inside[0] if inside else "outside", s["material"])
        count[key] = count.get(key, 0) + 1
        pid = s["source_id"].split(":")[0]
        p = pref.get(pid)
        # GPPD plants carry their real prefecture; the brief's mines and
        # plants only an approximate one, so only the former are checked
        if not pid.startswith("WRI") or not p or p == "晋城市":
            continue
        ok(inside[:1] == [p], "plant %s lies in %s (found %s)" % (pid, p, inside))
        checked += 1
    ok(checked >= 10, "checked the prefecture of %d GPPD plants" % checked)
    got = {(x["area_name"], x["material"]): x["sources"] for x in ba if x["sources"]}
    ok(got == count, "sources per area and material agree with OGR's point-in-polygon")
    # without [areas] there is no by_area table
    r = run(wp, "solve", INI, "--set", "areas.path=", "-o", os.path.join(tmp, "noareas.gpkg"), "-q")
    ok(r.returncode == 0 and rows(os.path.join(tmp, "noareas.gpkg"), "by_area") is None,
       "no by_area without a boundary layer")
    # a bad field name: one clear message, nothing written
    bad = os.path.join(tmp, "bad.gpkg")
    r = run(wp, "solve", INI, "--set", "areas.field.name=NAMEX", "-o", bad, "-q")
    ok(r.returncode == 2 and "NAMEX" in r.stderr and "名称" in r.stderr and not os.path.exists(bad),
       "bad [areas] field: exit 2, names the field and the columns: " + r.stderr[-300:])


def test_bad_input(wp, tmp):
    r = run(wp, "sweep", INI, "--vary", "max_haul_km=1,2", "-o", os.path.join(tmp, "x"))
    ok(r.returncode == 1 and "section" in r.stderr, "--vary without a section: " + r.stderr)
    r = run(wp, "sweep", INI, "--vary", KEY + "=50,abc", "-o", os.path.join(tmp, "y"))
    ok(r.returncode == 2 and "abc" in r.stderr and not os.path.exists(os.path.join(tmp, "y")),
       "bad value stops the sweep before any solve: " + r.stderr)
    r = run(wp, "compare", INI, INI)
    ok(r.returncode == 2 and "jiaozuo.ini" in r.stderr, "compare of a non-result: " + r.stderr)
    r = run(wp, "sweep", "--help")
    ok(r.returncode == 0 and "examples" in r.stdout and "--vary" in r.stdout, "sweep --help")
    r = run(wp, "compare", "--help")
    ok(r.returncode == 0 and "compare_flows" in r.stdout, "compare --help")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    wp = os.path.abspath(os.path.join(build, "wasteplan"))
    with tempfile.TemporaryDirectory() as tmp:
        files = test_sweep(wp, tmp)
        test_two_keys(wp, tmp)
        if files and len(files) == 3:
            test_compare(wp, tmp, files)
        test_by_area(wp, tmp)
        test_bad_input(wp, tmp)
    print("e2e_tools: %d passed, %d failed" % (passed, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
