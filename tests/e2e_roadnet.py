#!/usr/bin/python3
"""e2e_roadnet.py — the Jiaozuo sample on its (generated) road network, end
to end: `check` passes, `solve` draws flows along roads (more than two
vertices, starting at the source, ending at the delivery point) and
`--straight-flows` as two-point lines with the same numbers; `matrix` writes
CSV and GeoPackage tables whose road distances are never shorter than the
straight line, and pairs the geodesic run has but the road run lacks are
explained by the road being longer than the limit.

Usage: /usr/bin/python3 tests/e2e_roadnet.py BUILD_DIR
"""
import csv
import math
import os
import subprocess
import sys
import tempfile

from osgeo import ogr

ogr.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
INI = os.path.join(HERE, "..", "samples", "jiaozuo", "jiaozuo_network.ini")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", what)


def haversine_km(x0, y0, x1, y1):
    r = 6371.0
    p0, p1 = math.radians(y0), math.radians(y1)
    a = math.sin((p1 - p0) / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(math.radians(x1 - x0) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


def flows(path):
    ds = ogr.Open(path)
    out = {}
    for f in ds.GetLayerByName("flows"):
        g = f.GetGeometryRef()
        out[(f.GetField("source_id"), f.GetField("sink_id"))] = (
            f.GetField("tonnes"), f.GetField("distance_km"),
            [(g.GetX(i), g.GetY(i)) for i in range(g.GetPointCount())])
    return out


def main():
    wp = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "build", "wasteplan")
    with tempfile.TemporaryDirectory() as tmp:
        r = run([wp, "check", INI])
        check(r.returncode == 0 and "ok: the scenario can be solved" in r.stdout, "check: %s" % r.stderr)
        a, b = os.path.join(tmp, "roads.gpkg"), os.path.join(tmp, "straight.gpkg")
        r = run([wp, "solve", INI, "-q", "-o", a])
        check(r.returncode == 0, "solve: %s" % r.stderr)
        r = run([wp, "solve", INI, "-q", "--straight-flows", "-o", b])
        check(r.returncode == 0, "solve --straight-flows: %s" % r.stderr)
        fa, fb = flows(a), flows(b)
        check(len(fa) > 10 and fa.keys() == fb.keys(), "same flows with and without routes")
        routed = 0
        for k, (t, d, pts) in fa.items():
            tb, db, pb = fb[k]
            check(abs(t - tb) < 1e-6 and abs(d - db) < 1e-9, "flow %s: same tonnes and km" % (k,))
            check(len(pb) == 2, "flow %s: straight line has 2 points" % (k,))
            check(pts[0] == pb[0] and pts[-1] == pb[-1], "flow %s: route starts and ends where the line does" % (k,))
            if len(pts) > 2:
                routed += 1
            drawn = sum(haversine_km(*pts[i], *pts[i + 1]) for i in range(len(pts) - 1))
            check(drawn <= d * 1.003 + 1e-6, "flow %s: drawn route %.3f km not longer than %.3f km" % (k, drawn, d))
        check(routed > len(fa) // 2, "most flows follow roads (%d of %d)" % (routed, len(fa)))
        od = os.path.join(tmp, "od.csv")
        r = run([wp, "matrix", INI, "-q", "-o", od])
        check(r.returncode == 0, "matrix csv: %s" % r.stderr)
        rows = list(csv.DictReader(open(od, encoding="utf-8-sig")))
        check(len(rows) > 100, "matrix has rows")
        for row in rows:
            d, road, acc = float(row["distance_km"]), float(row["road_km"]), float(row["access_km"])
            check(row["distance_model"] == "network", "row is a network distance")
            check(d + 1e-9 >= road + acc and road >= 0 and acc >= 0,
                  "distance %s >= road %s + access %s" % (d, road, acc))
        odg = os.path.join(tmp, "od.gpkg")
        r = run([wp, "matrix", INI, "-q", "--routes", "-o", odg])
        check(r.returncode == 0, "matrix gpkg: %s" % r.stderr)
        if r.returncode == 0:
            ds = ogr.Open(odg)      # keep the dataset alive while its layer is used
            lyr = ds.GetLayerByName("od_matrix")
            check(lyr is not None and lyr.GetFeatureCount() == len(rows), "gpkg has the same pairs")
            ds = None
        # geodesic x 1.0 is a lower bound of every road distance
        og = os.path.join(tmp, "od_geo.csv")
        r = run([wp, "matrix", INI, "-q", "--set", "scenario.distance=geodesic",
                 "--set", "scenario.detour=1.0", "-o", og])
        check(r.returncode == 0, "matrix geodesic: %s" % r.stderr)
        geo = {(x["origin_id"], x["destination_id"], x["material"]): float(x["distance_km"])
               for x in csv.DictReader(open(og, encoding="utf-8-sig"))}
        for row in rows:
            k = (row["origin_id"], row["destination_id"], row["material"])
            check(k in geo and float(row["distance_km"]) >= geo[k] - 1e-6,
                  "road %s km not shorter than straight %s km for %s" % (row["distance_km"], geo.get(k), k))
    print("e2e_roadnet: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
