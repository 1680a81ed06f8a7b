#!/usr/bin/python3
"""oracle_roadnet.py — road distances of `wasteplan matrix` against an
independent router (networkx's Dijkstra on a graph this script builds itself
from the same road layer, with its own geodesic and its own snapping).

Networks: the real OpenStreetMap extracts Debian ships (python-osmnx-doc's
West-Oakland.osm.bz2, with one-way streets and footways to leave out;
osmium-tool's karlsruhe.osm.bz2, whose lines are boundaries without a highway
tag, read with field.class switched off), decompressed to a temporary
directory, and generated GeoPackage networks (perturbed grids with road
classes, cost multipliers, one-way streets and a disconnected island).
Points: random sources and sinks, some far from any road (beyond the snap
limit: they must get no arc), limits small enough that some pairs are out of
reach. Two materials, one with fewer sinks than sources, so both the forward
and the reverse search are checked.

Usage: /usr/bin/python3 tests/oracle_roadnet.py BUILD_DIR
"""
import bz2
import csv
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile

import networkx as nx
from osgeo import ogr, osr

ogr.UseExceptions()

LORRY = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
         "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
         "residential", "living_street", "service", "road"}


def vincenty_km(lon1, lat1, lon2, lat2):
    """Geodesic distance on WGS84 (Vincenty's inverse formula), km."""
    a, f = 6378137.0, 1 / 298.257223563
    b = a * (1 - f)
    if lon1 == lon2 and lat1 == lat2:
        return 0.0
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sU1, cU1, sU2, cU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        ss = math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl)
        if ss == 0:
            return 0.0
        cs = sU1 * sU2 + cU1 * cU2 * cl
        sig = math.atan2(ss, cs)
        sa = cU1 * cU2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * sU1 * sU2 / c2a if c2a else 0.0
        C = f / 16 * c2a * (4 + f * (4 - 3 * c2a))
        prev = lam
        lam = L + (1 - C) * f * sa * (sig + C * ss * (c2sm + C * cs * (-1 + 2 * c2sm * c2sm)))
        if abs(lam - prev) < 1e-13:
            break
    u2 = c2a * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = B * ss * (c2sm + B / 4 * (cs * (-1 + 2 * c2sm * c2sm) -
                                   B / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)))
    return b * A * (sig - ds) / 1000.0


def other_tag(tags, key):
    if not tags:
        return None
    pat = '"%s"=>"' % key
    i = tags.find(pat)
    if i < 0:
        return None
    j = tags.find('"', i + len(pat))
    return tags[i + len(pat):j]


def read_network(path, osm, field_class="highway", mult=None):
    """Segments (u, v, len, w_uv, w_vu) and node coordinates, by our rules."""
    mult = mult or {}
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName("lines") if osm else ds.GetLayer(0)
    defn = lyr.GetLayerDefn()
    has = lambda n: n and defn.GetFieldIndex(n) >= 0
    nodes, coords, segs = {}, [], []

    def node(x, y):
        k = (round((x + 360) * 1e7), round((y + 180) * 1e7))
        if k not in nodes:
            nodes[k] = len(coords)
            coords.append((x, y))
        return nodes[k]

    for f in lyr:
        g = f.GetGeometryRef()
        if g is None:
            continue
        cls = f.GetField(field_class) if has(field_class) else None
        tags = f.GetField("other_tags") if has("other_tags") else None
        m = 1.0
        if has(field_class):
            if cls is None:
                if osm:
                    continue
            elif cls in mult:
                m = mult[cls]
            elif cls not in LORRY:
                continue
        if m < 0:
            continue
        ow = f.GetField("oneway") if has("oneway") else other_tag(tags, "oneway")
        d = 0
        if ow in ("yes", "true", "1"):
            d = 1
        elif ow in ("-1", "reverse"):
            d = -1
        elif ow is None and osm and other_tag(tags, "junction") == "roundabout":
            d = 1
        parts = [g] if g.GetGeometryType() in (ogr.wkbLineString, ogr.wkbLineString25D) else \
            [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())]
        for p in parts:
            prev = None
            for i in range(p.GetPointCount()):
                cur = node(p.GetX(i), p.GetY(i))
                if prev is not None and prev != cur:
                    (x0, y0), (x1, y1) = coords[prev], coords[cur]
                    ln = vincenty_km(x0, y0, x1, y1)
                    segs.append((prev, cur, ln, ln * m if d >= 0 else -1, ln * m if d <= 0 else -1))
                prev = cur
    return coords, segs


def snap(coords, segs, lat0, x, y, limit):
    """Nearest segment in the plane wasteplan documents; None beyond limit."""
    kx, ky = 111.32 * math.cos(math.radians(lat0)), 110.57
    px, py = x * kx, y * ky
    best = None
    for s, (u, v, ln, wuv, wvu) in enumerate(segs):
        x0, y0 = coords[u][0] * kx, coords[u][1] * ky
        x1, y1 = coords[v][0] * kx, coords[v][1] * ky
        dx, dy = x1 - x0, y1 - y0
        l2 = dx * dx + dy * dy
        t = 0.0 if l2 <= 0 else max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / l2))
        d = math.hypot(x0 + t * dx - px, y0 + t * dy - py)
        if best is None or d < best[0] - 1e-12:
            best = (d, s, t)
    _, s, t = best
    u, v = segs[s][0], segs[s][1]
    sx = coords[u][0] + t * (coords[v][0] - coords[u][0])
    sy = coords[u][1] + t * (coords[v][1] - coords[u][1])
    acc = vincenty_km(x, y, sx, sy)
    return (s, t, acc) if acc <= limit else None


def oracle(coords, segs, points, limit_km, snap_km):
    """{(src_id, sink_id): km} for pairs within the limit by road."""
    lat0 = sum(c[1] for c in coords) / len(coords)
    G = nx.DiGraph()
    for (u, v, ln, wuv, wvu) in segs:
        for a, b, w in ((u, v, wuv), (v, u, wvu)):
            if w >= 0 and (not G.has_edge(a, b) or G[a][b]["w"] > w):
                G.add_edge(a, b, w=w)
    sn = {p["id"]: snap(coords, segs, lat0, p["lon"], p["lat"], snap_km) for p in points}
    srcs = [p for p in points if p["kind"] == "src" and sn[p["id"]]]
    sinks = [p for p in points if p["kind"] == "sink" and sn[p["id"]]]
    for p in srcs:            # virtual source node: out ports
        s, t, _ = sn[p["id"]]
        u, v, ln, wuv, wvu = segs[s]
        if t <= 0 or t >= 1:   # at a node: leaves from it whatever the direction
            G.add_edge(("S", p["id"]), u if t <= 0 else v, w=0.0)
            continue
        if wuv >= 0:
            G.add_edge(("S", p["id"]), v, w=(1 - t) * wuv)
        if wvu >= 0:
            G.add_edge(("S", p["id"]), u, w=t * wvu)
    for p in sinks:           # virtual sink node: in ports
        s, t, _ = sn[p["id"]]
        u, v, ln, wuv, wvu = segs[s]
        if t <= 0 or t >= 1:
            G.add_edge(u if t <= 0 else v, ("K", p["id"]), w=0.0)
            continue
        if wuv >= 0:
            G.add_edge(u, ("K", p["id"]), w=t * wuv)
        if wvu >= 0:
            G.add_edge(v, ("K", p["id"]), w=(1 - t) * wvu)
    out = {}
    for p in srcs:
        ps, pt, pa = sn[p["id"]]
        dist = nx.single_source_dijkstra_path_length(G, ("S", p["id"]), weight="w")
        for q in sinks:
            if q["material"] != p["material"]:
                continue
            qs, qt, qa = sn[q["id"]]
            d = dist.get(("K", q["id"]), math.inf)
            if ps == qs:      # along their common segment
                u, v, ln, wuv, wvu = segs[ps]
                if qt >= pt and wuv >= 0:
                    d = min(d, (qt - pt) * wuv)
                if qt <= pt and wvu >= 0:
                    d = min(d, (pt - qt) * wvu)
            tot = pa + d + qa
            if tot <= limit_km + 1e-9:
                out[(p["id"], q["id"])] = tot
    return out


def random_points(rng, ext, n_src, n_sink, n_far):
    x0, x1, y0, y1 = ext
    pts = []
    for i in range(n_src):
        pts.append(dict(id="S%03d" % i, kind="src", material=rng.choice(["fly_ash", "red_mud"]),
                        lon=rng.uniform(x0, x1), lat=rng.uniform(y0, y1)))
    for i in range(n_sink):
        pts.append(dict(id="K%03d" % i, kind="sink", material=rng.choice(["fly_ash", "red_mud"]),
                        lon=rng.uniform(x0, x1), lat=rng.uniform(y0, y1)))
    for i in range(n_far):    # well outside the network
        pts.append(dict(id="F%03d" % i, kind=rng.choice(["src", "sink"]), material="fly_ash",
                        lon=x1 + 0.3 + 0.1 * i, lat=y0 - 0.2))
    return pts


def write_scenario(d, net_path, pts, limit, snap_km, extra=""):
    with open(os.path.join(d, "pts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "material", "output", "accepts", "capacity", "lon", "lat"])
        for p in pts:
            if p["kind"] == "src":
                w.writerow([p["id"], p["id"], p["material"], 1000, "", "", repr(p["lon"]), repr(p["lat"])])
            else:
                w.writerow([p["id"], p["id"], "", "", p["material"], 1000, repr(p["lon"]), repr(p["lat"])])
    with open(os.path.join(d, "s.ini"), "w") as f:
        f.write("[scenario]\nname = oracle\ndistance = network\n[plants]\npath = pts.csv\n"
                "[material.fly_ash]\nmax_haul_km = %r\n[material.red_mud]\nmax_haul_km = %r\n"
                "[network]\npath = %s\nsnap_km = %r\n%s" % (limit, limit, net_path, snap_km, extra))
    return os.path.join(d, "s.ini")


def run_matrix(build, ini, out):
    r = subprocess.run([os.path.join(build, "wasteplan"), "matrix", ini, "-q", "-o", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("wasteplan matrix failed: %s" % r.stderr)
    got = {}
    with open(out, encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            got[(row["origin_id"], row["destination_id"])] = float(row["distance_km"])
    return got


def compare(name, got, want, limit):
    fails = []
    for k, v in want.items():
        if k not in got:
            if v < limit - 1e-6:
                fails.append("%s: pair %s missing (oracle %.6f km)" % (name, k, v))
        elif abs(got[k] - v) > 1e-6 * max(1.0, v):
            fails.append("%s: pair %s: wasteplan %.9f km, oracle %.9f km" % (name, k, got[k], v))
    for k, v in got.items():
        if k not in want and v < limit - 1e-6:
            fails.append("%s: pair %s not in oracle (wasteplan %.6f km)" % (name, k, v))
        if k[0].startswith("F") or k[1].startswith("F"):
            fails.append("%s: pair %s uses a point beyond the snap limit" % (name, k))
    return fails


def make_grid(path, rng, n, step, oneway_share, island):
    """A perturbed grid of roads around Jiaozuo as a GeoPackage, with
    classes and one-way streets, plus an island not connected to it."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("roads", srs, ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn("kind", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("oneway", ogr.OFTString))
    lon0, lat0 = 113.0, 35.0
    P = {}
    for i in range(n):
        for j in range(n):
            P[i, j] = (lon0 + i * step + rng.uniform(-0.3, 0.3) * step,
                       lat0 + j * step + rng.uniform(-0.3, 0.3) * step)

    def add(pts, kind, ow):
        f = ogr.Feature(lyr.GetLayerDefn())
        g = ogr.Geometry(ogr.wkbLineString)
        for x, y in pts:
            g.AddPoint_2D(x, y)
        f.SetGeometry(g)
        f.SetField("kind", kind)
        if ow:
            f.SetField("oneway", ow)
        lyr.CreateFeature(f)

    for i in range(n):
        for j in range(n):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < n and j + dj < n:
                    kind = "highway" if (i % 5 == 0 and di == 0) or (j % 5 == 0 and dj == 0) else \
                        rng.choice(["local", "local", "county"])
                    r = rng.random()
                    ow = "yes" if r < oneway_share else ("-1" if r < 1.5 * oneway_share else None)
                    add([P[i, j], P[i + di, j + dj]], kind, ow)
    if island:   # a separate block east of the grid
        x = lon0 + (n + 3) * step
        sq = [(x, lat0), (x + step, lat0), (x + step, lat0 + step), (x, lat0 + step), (x, lat0)]
        add(sq, "local", None)
    ds = None
    return (lon0 - step, lon0 + (n + 4) * step, lat0 - step, lat0 + n * step)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    passed, failed = 0, 0
    tmp = tempfile.mkdtemp(prefix="wp_oracle_roadnet_")
    rng = random.Random(20240611)
    cases = []
    try:
        wo = "/usr/share/doc/python-osmnx-doc/examples/tests/input_data/West-Oakland.osm.bz2"
        ka = "/usr/share/doc/osmium-tool/examples/extract-example-config/karlsruhe.osm.bz2"
        for src, name in ((wo, "west_oakland.osm"), (ka, "karlsruhe.osm")):
            if os.path.exists(src):
                with bz2.open(src) as f, open(os.path.join(tmp, name), "wb") as g:
                    shutil.copyfileobj(f, g)
            else:
                print("note: %s not installed (apt-get install python-osmnx-doc osmium-tool)" % src)
        if os.path.exists(os.path.join(tmp, "west_oakland.osm")):
            cases.append(("west_oakland", os.path.join(tmp, "west_oakland.osm"), True, "highway",
                          {}, "", 1.2, 0.3))
        if os.path.exists(os.path.join(tmp, "karlsruhe.osm")):
            # boundary lines, no highway tag: every line a road
            cases.append(("karlsruhe", os.path.join(tmp, "karlsruhe.osm"), True, None,
                          {}, "field.class =\n", 12.0, 2.0))
        for k, (n, step, ow) in enumerate(((14, 0.01, 0.15), (25, 0.02, 0.3))):
            p = os.path.join(tmp, "grid%d.gpkg" % k)
            make_grid(p, rng, n, step, ow, True)
            cases.append(("grid%d" % k, p, False, "kind",
                          {"highway": 1.0, "county": 1.3, "local": 1.6}, "field.class = kind\n"
                          "class.highway = 1.0\nclass.county = 1.3\nclass.local = 1.6\n",
                          n * step * 60, step * 111 * 0.6))
        for (name, path, osm, fclass, mult, extra, limit, snap_km) in cases:
            coords, segs = read_network(path, osm, fclass or "", mult)
            xs = [c[0] for c in coords]
            ys = [c[1] for c in coords]
            ext = (min(xs), max(xs), min(ys), max(ys))
            for rep, (ns, nk) in enumerate(((30, 8), (8, 30))):
                d = os.path.join(tmp, "%s_%d" % (name, rep))
                os.makedirs(d)
                pts = random_points(rng, ext, ns, nk, 3)
                ini = write_scenario(d, path, pts, limit, snap_km, extra)
                want = oracle(coords, segs, pts, limit, snap_km)
                got = run_matrix(build, ini, os.path.join(d, "od.csv"))
                fails = compare("%s/%d" % (name, rep), got, want, limit)
                if not want:
                    fails.append("%s/%d: the oracle found no pair: the case tests nothing" % (name, rep))
                if len(want) == sum(1 for p in pts if p["kind"] == "src") * nk:
                    pass
                for msg in fails[:10]:
                    print("FAIL", msg)
                if fails:
                    failed += 1
                else:
                    passed += 1
                    print("ok   %s/%d: %d pairs agree (%d segments)" % (name, rep, len(want), len(segs)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("oracle_roadnet: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
