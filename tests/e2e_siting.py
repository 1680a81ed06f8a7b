#!/usr/bin/python3
"""
e2e_siting.py — run the Jiaozuo siting sample (samples/jiaozuo/siting.ini)
through `wasteplan site` and check what it wrote, read back from the
GeoPackage with GDAL:

- parks holds every candidate; 1 to 3 are built (max_parks = 3), at most one
  per county, none within 5 km of the Yellow River or in an urban zone;
- what each built park receives equals the flows into it, by material, and
  stays within the chosen capacity;
- siting_summary: cost after <= cost before, red-mud utilisation after >=
  before, proven optimal (gap 0);
- the built parks are sinks of the written allocation, and parks has a
  default QGIS style;
- --k 1, 2, 3 build exactly k parks; --problem target reaches the target;
  --problem budget keeps fixed costs within the budget.

Run: /usr/bin/python3 tests/e2e_siting.py BUILD_DIR
"""

import os
import subprocess
import sys
import tempfile

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WASTEPLAN = os.path.abspath(os.path.join(BUILD, "wasteplan"))
SCENARIO = os.path.join(REPO, "samples", "jiaozuo", "siting.ini")
DATA = os.path.join(REPO, "samples", "jiaozuo", "data")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def site(out, *args):
    r = subprocess.run([WASTEPLAN, "site", SCENARIO, "-o", out, "-q"] + list(args),
                       capture_output=True, text=True)
    check(r.returncode == 0, "wasteplan site %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                                  r.stderr[-500:]))
    return r


KEEP = []   # datasets stay open while their geometries are in use


def features(path, layer):
    ds = ogr.Open(path)
    KEEP.append(ds)
    lyr = ds.GetLayerByName(layer)
    rows = []
    for f in lyr:
        d = f.items()
        g = f.GetGeometryRef()
        d["_geom"] = g.Clone() if g else None
        rows.append(d)
    return rows


def summary(path):
    return {r["item"]: r for r in features(path, "siting_summary")}


def local_srs(lon, lat):
    s = osr.SpatialReference()
    s.ImportFromProj4("+proj=aeqd +lat_0=%f +lon_0=%f +ellps=WGS84 +units=m" % (lat, lon))
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def to_lonlat(geom):
    """The output is in EPSG:4490; bring a geometry to WGS84 lon/lat."""
    g = geom.Clone()
    src = g.GetSpatialReference()
    ll = osr.SpatialReference()
    ll.ImportFromEPSG(4326)
    ll.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    if src is not None:
        src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        g.Transform(osr.CoordinateTransformation(src, ll))
    return g


def river_km(lon, lat):
    """Distance in km from lon/lat to the Yellow River line, measured in a
    local equidistant plane centred on the point."""
    ds = ogr.Open(os.path.join(DATA, "siting_yellow_river.geojson"))
    ll = osr.SpatialReference()
    ll.ImportFromEPSG(4326)
    ll.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(ll, local_srs(lon, lat))
    best = 1e9
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef().Clone()
        g.Transform(ct)
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(0, 0)
        best = min(best, g.Distance(p) / 1000.0)
    return best


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "siting.gpkg")
    site(out)
    parks = features(out, "parks")
    built = [p for p in parks if p["built"] == 1]
    check(len(parks) > 50, "parks holds every candidate (%d)" % len(parks))
    check(1 <= len(built) <= 3, "1 to 3 parks built (%d)" % len(built))
    counties = [p["county"] for p in built if p["county"]]
    check(len(counties) == len(set(counties)), "at most one park per county: %s" % counties)
    ll = [to_lonlat(p["_geom"]) for p in parks]
    near = [p["park_id"] for p, g in zip(parks, ll) if river_km(g.GetX(), g.GetY()) < 4.99]
    check(not near, "no candidate within 5 km of the Yellow River: %s" % near[:5])
    uds = ogr.Open(os.path.join(DATA, "siting_urban.geojson"))
    urban = uds.GetLayer(0)
    zones = [f.GetGeometryRef().Clone() for f in urban]
    inside = [p["park_id"] for p, g in zip(parks, ll) if any(z.Contains(g) for z in zones)]
    check(not inside, "no candidate in an urban zone: %s" % inside[:5])
    origins = {p["origin"] for p in parks}
    check({"yard", "producer", "grid"} <= origins, "candidates at yards, producers, grid: %s" % origins)

    flows = features(out, "flows")
    for p in built:
        into = [f for f in flows if f["sink_id"] == p["park_id"]]
        for mat in ("red_mud", "titanium_gypsum"):
            got = sum(f["tonnes"] for f in into if f["material"] == mat)
            check(abs(got - (p["received_%s" % mat] or 0)) <= 1e-6 * max(1, got),
                  "park %s %s: flows %.1f t, parks layer %.1f t" % (p["park_id"], mat, got,
                                                                    p["received_%s" % mat] or 0))
        check(p["received_t"] <= p["capacity_t"] * (1 + 1e-9),
              "park %s within capacity" % p["park_id"])
        check(0 <= p["fill_pct"] <= 100 + 1e-6, "park %s fill %% in range" % p["park_id"])
    sinks = {s["sink_id"] for s in features(out, "sinks")}
    check(all(p["park_id"] in sinks for p in built), "built parks are sinks of the allocation")
    check(not any(p["park_id"] in sinks for p in parks if p["built"] == 0),
          "candidates not built are not sinks")

    sm = summary(out)
    check(sm["total_cost"]["after"] <= sm["total_cost"]["before"] * (1 + 1e-9),
          "cost after <= before (%.0f, %.0f)" % (sm["total_cost"]["after"], sm["total_cost"]["before"]))
    check(sm["utilisation_new.red_mud"]["after"] >= sm["utilisation_new.red_mud"]["before"],
          "red-mud utilisation does not fall")
    check(sm["gap_pct"]["after"] == 0, "proven optimal (gap %s)" % sm["gap_pct"]["after"])
    check(int(sm["parks_built"]["after"]) == len(built), "summary counts the parks")
    fixed = sum(p["fixed_cost"] for p in built)
    check(abs(sm["fixed_cost"]["after"] - fixed) <= 1e-6 * max(1, fixed), "fixed cost adds up")
    sds = ogr.Open(out)
    st = sds.ExecuteSQL("SELECT count(*) FROM layer_styles WHERE f_table_name = 'parks'",
                                  dialect="SQLite")
    check(st.GetNextFeature().GetField(0) == 1, "parks has a default QGIS style")
    sds.ReleaseResultSet(st)
    import sqlite3
    import xml.etree.ElementTree as ET
    con = sqlite3.connect(out)
    qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'parks'").fetchone()[0]
    con.close()
    root = ET.fromstring(qml.split("\n", 1)[1])   # past the DOCTYPE line
    rules = root.findall("./renderer-v2/rules/rule")
    check(root.tag == "qgis" and len(rules) == 2 and
          {r.get("filter") for r in rules} == {'"built" = 0', '"built" = 1'},
          "parks style: well-formed QML, one rule for built parks and one for candidates")
    check(any(a.get("field") == "capacity_t" for a in root.findall("./aliases/alias")),
          "parks style carries the field aliases")

    for k in (1, 2, 3):
        ok = os.path.join(tmp, "k%d.gpkg" % k)
        site(ok, "--k", str(k))
        nk = sum(1 for p in features(ok, "parks") if p["built"] == 1)
        check(nk == k, "--k %d builds %d" % (k, nk))

    ot = os.path.join(tmp, "target.gpkg")
    site(ot, "--problem", "target", "--set", "siting.target.red_mud=0.9")
    smt = summary(ot)
    check(smt["utilisation_new.red_mud"]["after"] >= 90 - 1e-6,
          "target 90 %% reached (%.2f %%)" % smt["utilisation_new.red_mud"]["after"])
    check(smt["parks_built"]["after"] >= smt["fewest_parks_bound"]["after"],
          "parks built >= the proven fewest")

    ob = os.path.join(tmp, "budget.gpkg")
    site(ob, "--problem", "budget", "--time-limit", "6")
    smb = summary(ob)
    check(smb["fixed_cost"]["after"] <= 6000e4 + 1e-6, "budget kept (%.0f)" % smb["fixed_cost"]["after"])
    check(smb["gap_pct"]["after"] is not None, "budget reports a gap")

    oh = os.path.join(tmp, "heur.gpkg")
    site(oh, "--heuristic")
    smh = summary(oh)
    check(smh["total_cost"]["after"] >= sm["total_cost"]["after"] * (1 - 1e-7),
          "heuristic no better than the proven optimum")
    check(smh["bound"]["after"] <= sm["total_cost"]["after"] * (1 + 1e-7),
          "heuristic bound below the optimum")

print("e2e_siting: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
