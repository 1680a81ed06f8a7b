"""e2e_jiaozuo.py — the Jiaozuo sample end to end, through the CLI.

Runs `wasteplan solve` on samples/jiaozuo, reads the GeoPackage back with
GDAL and checks what a planner relies on: every tonne delivered or
unallocated, no haul beyond its material's limit, no site above capacity,
distances consistent with the straight line x detour, summary totals equal
to the sum of the layers, styles and aliases present, GDAL's validator
happy, the same layers on a second run. Then bad inputs: each gets one
clear message naming what to fix, exit status 2, and no file written.

usage: /usr/bin/python3 tests/e2e_jiaozuo.py BUILD_DIR
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "samples", "jiaozuo")
VALIDATE = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
failures = []
passed = 0


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL:", what)


def run(wp, *args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([wp, *args], capture_output=True, text=True, env=e)


def features(ds, name):
    lyr = ds.GetLayerByName(name)
    assert lyr is not None, f"layer {name} missing"
    out = []
    for f in lyr:
        d = f.items()
        g = f.GetGeometryRef()
        d["_geom"] = g.ExportToWkt() if g else None
        out.append(d)
    return out


def haversine_km(lon1, lat1, lon2, lat2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def check_result(path):
    ds = ogr.Open(path)
    ok(ds is not None, "output opens")
    names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    for n in ("flows", "sources", "sinks", "summary", "scenario"):
        ok(n in names, f"layer {n} present")
    scen = {r["key"]: r["value"] for r in features(ds, "scenario")}
    detour = float(scen.get("scenario.detour", "1.3"))
    flows = features(ds, "flows")
    sources = features(ds, "sources")
    sinks = features(ds, "sinks")
    summary = features(ds, "summary")
    ok(len(flows) > 0 and len(sources) > 0 and len(sinks) > 0, "layers not empty")

    # mass balance, per source (a plant has one row per material)
    out = {}
    for f in flows:
        key = (f["source_id"], f["material"])
        out[key] = out.get(key, 0.0) + f["tonnes"]
    for s in sources:
        sup, dlv, un = s["supply_t"], s["delivered_t"], s["unallocated_t"]
        ok(abs(sup - dlv - un) <= 1e-6 * max(sup, 1), f"source {s['source_id']}: supply = delivered + unallocated")
        ok(abs(out.get((s["source_id"], s["material"]), 0.0) - dlv) <= 1e-6 * max(sup, 1),
           f"source {s['source_id']}: flows sum to delivered")
        ok((un > 1e-6) == (s["reason"] != "delivered"), f"source {s['source_id']}: reason given iff unallocated")

    # haul limits and distances
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lyr_srs = ds.GetLayerByName("flows").GetSpatialRef()
    lyr_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(lyr_srs, srs)
    for f in flows:
        limit = float(scen[f"material.{f['material']}.max_haul_km"])
        ok(f["distance_km"] <= limit + 1e-9, f"flow {f['source_id']}->{f['sink_id']} within {limit} km")
        g = ogr.CreateGeometryFromWkt(f["_geom"])
        g.Transform(ct)
        n = g.GetPointCount()
        lon1, lat1 = g.GetX(0), g.GetY(0)
        lon2, lat2 = g.GetX(n - 1), g.GetY(n - 1)
        straight = haversine_km(lon1, lat1, lon2, lat2) * detour
        ok(abs(straight - f["distance_km"]) <= 0.006 * f["distance_km"] + 0.01,
           f"flow {f['source_id']}->{f['sink_id']}: distance {f['distance_km']:.3f} vs straight x detour {straight:.3f}")
        ok(abs(f["t_km"] - f["tonnes"] * f["distance_km"]) <= 1e-6 * max(f["t_km"], 1), "t_km = tonnes x km")
        ok(abs(f["cost_yuan"] - f["tonnes"] * f["cost_per_t"]) <= 1e-6 * max(f["cost_yuan"], 1), "cost = tonnes x cost_per_t")

    # capacities
    into = {}
    for f in flows:
        into[f["sink_id"]] = into.get(f["sink_id"], 0.0) + f["tonnes"]
    for k in sinks:
        cap = k["capacity_t"]
        got = k["received_t"]
        ok(abs(into.get(k["sink_id"], 0.0) - got) <= 1e-6 * max(got, 1), f"sink {k['sink_id']}: flows sum to received")
        if cap is not None:
            ok(got <= cap * (1 + 1e-12) + 1e-6, f"sink {k['sink_id']}: received {got} <= capacity {cap}")

    # summary = sum of the layers
    for row in summary:
        mat = row["material"]
        rows = [s for s in sources if mat == "all" or s["material"] == mat]
        sup = sum(s["supply_t"] for s in rows)
        dlv = sum(s["delivered_t"] for s in rows)
        ok(abs(row["supply_t"] - sup) <= 1e-6 * max(sup, 1), f"summary {mat}: supply")
        ok(abs(row["delivered_t"] - dlv) <= 1e-6 * max(dlv, 1), f"summary {mat}: delivered")

    # styles and aliases
    styled = {r["f_table_name"] for r in features(ds, "layer_styles")} if "layer_styles" in names else set()
    for n in ("flows", "sources", "sinks"):
        ok(n in styled, f"default QGIS style for {n}")
    ds = None
    con = __import__("sqlite3").connect(path)
    aliases = con.execute("select count(*) from gpkg_data_columns where name is not null and name <> ''").fetchone()[0]
    con.close()
    ok(aliases > 10, "Chinese aliases in gpkg_data_columns")
    v = subprocess.run(["/usr/bin/python3", VALIDATE, path], capture_output=True, text=True)
    ok(v.returncode == 0, "validate_gpkg.py: " + (v.stdout + v.stderr).strip()[:300])
    return flows, sources, sinks


def dump(path):
    ds = ogr.Open(path)
    out = {}
    for n in ("flows", "sources", "sinks", "summary"):
        out[n] = features(ds, n)
    return out


def copy_sample(tmp):
    dst = os.path.join(tmp, "jiaozuo")
    shutil.copytree(SAMPLE, dst)
    return dst, os.path.join(dst, "jiaozuo.ini")


def set_field(shp, field, value, fid=0):
    ds = ogr.Open(shp, update=1)
    lyr = ds.GetLayer(0)
    f = lyr.GetFeature(fid)
    f.SetField(field, value)
    lyr.SetFeature(f)
    ds = None


def bad_input_cases(wp, tmp):
    """Each returns (label, args, words the message must contain)."""
    d, ini = copy_sample(tmp)
    out = os.path.join(tmp, "bad.gpkg")
    cases = []
    cases.append(("missing scenario", [os.path.join(tmp, "nope.ini")], ["nope.ini"]))
    cases.append(("missing layer file", [ini, "--set", "plants.path=data/none.shp"], ["none.shp"]))
    cases.append(("missing field", [ini, "--set", "plants.field.name=不存在"], ["plants.shp", "不存在"]))
    cases.append(("bad number in scenario", [ini, "--set", "scenario.detour=abc"], ["detour", "abc"]))
    cases.append(("absurd haul limit", [ini, "--set", "material.red_mud.max_haul_km=-5"], ["max_haul_km"]))
    # negative output in a copy of the plants layer
    d2, ini2 = copy_sample(os.path.join(tmp, "neg"))
    set_field(os.path.join(d2, "data", "plants.shp"), "年产生量", -3.0, fid=0)
    neg_name = None
    cases.append(("negative output", [ini2], ["plants.shp", "feature", "年产生量"]))
    # unknown material
    d3, ini3 = copy_sample(os.path.join(tmp, "mat"))
    set_field(os.path.join(d3, "data", "yards.shp"), "固废种类", "铀矿渣", fid=0)
    cases.append(("unknown material", [ini3], ["yards.shp", "feature", "铀矿渣"]))
    # no CRS
    d4, ini4 = copy_sample(os.path.join(tmp, "crs"))
    os.remove(os.path.join(d4, "data", "roads.prj"))
    cases.append(("unknown CRS", [ini4], ["roads.shp", "crs"]))
    return cases, out, neg_name


def reverse_layer(src_shp, dst_dir):
    """Rewrite a shapefile with its features in reverse order (same bytes per record)."""
    name = os.path.splitext(os.path.basename(src_shp))[0]
    drv = ogr.GetDriverByName("ESRI Shapefile")
    src = gdal.OpenEx(src_shp, gdal.OF_VECTOR, open_options=["ENCODING=GBK"])
    lyr = src.GetLayer(0)
    feats = [f.Clone() for f in lyr][::-1]
    dst_path = os.path.join(dst_dir, name + ".shp")
    drv.DeleteDataSource(dst_path)
    dst = drv.CreateDataSource(dst_path)
    out = dst.CreateLayer(name, lyr.GetSpatialRef(), lyr.GetGeomType(), ["ENCODING=GBK"])
    defn = lyr.GetLayerDefn()
    for i in range(defn.GetFieldCount()):
        out.CreateField(defn.GetFieldDefn(i))
    for f in feats:
        g = ogr.Feature(out.GetLayerDefn())
        g.SetFrom(f)
        out.CreateFeature(g)
    dst = None


def solve_reordered(wp, tmp):
    d, ini = copy_sample(os.path.join(tmp, "reversed"))
    for name in ("plants", "users", "yards", "mines", "roads"):
        reverse_layer(os.path.join(SAMPLE, "data", name + ".shp"), os.path.join(d, "data"))
    out = os.path.join(tmp, "reversed.gpkg")
    r = run(wp, "solve", ini, "-o", out, "-q")
    ok(r.returncode == 0, "reordered solve runs: " + r.stderr[-300:])
    return out


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    wp = os.path.abspath(os.path.join(build, "wasteplan"))
    ini = os.path.join(SAMPLE, "jiaozuo.ini")
    tmp = tempfile.mkdtemp(prefix="wp-e2e-")
    try:
        out = os.path.join(tmp, "jiaozuo.gpkg")
        r = run(wp, "solve", ini, "-o", out, env={"SOURCE_DATE_EPOCH": "1767225600"})
        ok(r.returncode == 0, "solve exits 0: " + r.stderr[-500:])
        ok("red_mud" in r.stdout and "万吨" in r.stdout, "summary table on stdout")
        if r.returncode == 0:
            check_result(out)
            # same layers again, and again with a shuffled --set that changes nothing
            out2 = os.path.join(tmp, "again.gpkg")
            r2 = run(wp, "solve", ini, "-o", out2, "-q", env={"SOURCE_DATE_EPOCH": "1767225600"})
            ok(r2.returncode == 0 and r2.stderr == "", "quiet solve prints nothing on stderr")
            ok(dump(out) == dump(out2), "second run gives identical layers")
            # byte-identical file for the same inputs, path and SOURCE_DATE_EPOCH
            with open(out, "rb") as fh:
                first = fh.read()
            r2 = run(wp, "solve", ini, "-o", out, "-q", env={"SOURCE_DATE_EPOCH": "1767225600"})
            with open(out, "rb") as fh:
                ok(r2.returncode == 0 and fh.read() == first, "same inputs give a byte-identical GeoPackage")
            # the order of features in the inputs does not matter
            ok(dump(out) == dump(solve_reordered(wp, tmp)), "reversed input feature order gives identical layers")
            # a longer haul limit can only help red mud
            out3 = os.path.join(tmp, "haul.gpkg")
            r3 = run(wp, "solve", ini, "-o", out3, "-q", "--set", "material.red_mud.max_haul_km=200")
            ok(r3.returncode == 0, "--set override runs")
            if r3.returncode == 0:
                a = {x["material"]: x for x in dump(out)["summary"]}
                b = {x["material"]: x for x in dump(out3)["summary"]}
                ok(b["all"]["total_cost_yuan"] <= a["all"]["total_cost_yuan"] + 1e-6,
                   "relaxing a limit never raises the optimal cost")
        c = run(wp, "check", ini)
        ok(c.returncode == 0 and "GBK" in c.stdout and "EPSG:4547" in c.stdout,
           "check reports encodings and CRSs: " + c.stdout[-300:])

        # bad inputs: exit 2 (or 1 for a bad command line), one clear message, nothing written
        cases, bad_out, _ = bad_input_cases(wp, tmp)
        with open(out, "rb") as fh:
            before = fh.read()
        for label, args, words in cases:
            for target in (bad_out, out):
                r = run(wp, "solve", *args, "-o", target, "-q")
                msg = r.stderr
                ok(r.returncode in (1, 2), f"{label}: exit {r.returncode}, want 2: {msg.strip()[:200]}")
                ok(all(w.lower() in msg.lower() for w in words), f"{label}: message names {words}: {msg.strip()[:300]}")
                ok("Segmentation" not in msg and "Traceback" not in msg, f"{label}: no crash")
            ok(not os.path.exists(bad_out), f"{label}: nothing written")
            with open(out, "rb") as fh:
                ok(fh.read() == before, f"{label}: earlier output untouched")
        leftovers = [f for f in os.listdir(tmp) if f.startswith(".") or "tmp" in f]
        ok(not leftovers, f"no temporary files left: {leftovers}")
        r = run(wp, "solve", ini, "-o", os.path.join(tmp, "no", "such", "dir", "x.gpkg"), "-q")
        ok(r.returncode == 3, f"unwritable output: exit 3, got {r.returncode}: {r.stderr.strip()[:200]}")
        r = run(wp, "solve")
        ok(r.returncode == 1, "no scenario: exit 1")
        r = run(wp, "--help")
        ok(r.returncode == 0 and "solve" in r.stdout and "exit status" in r.stdout, "--help teaches")
        r = run(wp, "--version")
        ok(r.returncode == 0 and r.stdout.startswith("wasteplan "), "--version")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"e2e_jiaozuo: {passed} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
