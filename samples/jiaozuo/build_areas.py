#!/usr/bin/python3
"""
build_areas.py — approximate prefecture-level areas (地级市) of Henan for
the Jiaozuo sample's by_area summary: samples/jiaozuo/data/areas.shp.

The shared data has province polygons only, so prefecture boundaries are
APPROXIMATED: every point whose prefecture is known is a seed — the
prefecture seats in Natural Earth's populated places, and every power plant
of the WRI Global Power Plant Database tagged with its prefecture — and each
prefecture is the union of the Voronoi cells of its seeds, clipped to the
Henan province polygon. Plants therefore lie in their own prefecture
(unless the coarse province outline cuts them off), but the borders between
seeds are straight bisectors, not the real boundaries: use the layer for
per-city totals of a sample, never as a map of administrative borders.

Written like the other sample layers: CGCS2000 (EPSG:4490) lon/lat, fields
名称 (name) and 代码 (6-digit administrative code), GBK text with a .cpg.
Deterministic: same inputs, same bytes.  Run with Debian's python3:

    /usr/bin/python3 samples/jiaozuo/build_areas.py

The shared data directory is <repo>/../shared/data, or $WP_SHARED_DATA.
"""

import json
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from scipy.spatial import Voronoi

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("WP_SHARED_DATA",
                        os.path.join(os.path.dirname(REPO), "shared", "data"))
OUT = os.path.join(HERE, "data")
NAME = "areas"
DBF_DATE = (2025 - 1900, 6, 30)   # as build.py: fixed header date

# Henan's 17 prefecture-level cities and Jiyuan (a provincially administered
# county-level city, reported alongside them), with their GB/T 2260 codes.
PREFECTURES = {
    "郑州市": "410100", "开封市": "410200", "洛阳市": "410300", "平顶山市": "410400",
    "安阳市": "410500", "鹤壁市": "410600", "新乡市": "410700", "焦作市": "410800",
    "濮阳市": "410900", "许昌市": "411000", "漯河市": "411100", "三门峡市": "411200",
    "南阳市": "411300", "商丘市": "411400", "信阳市": "411500", "周口市": "411600",
    "驻马店市": "411700", "济源市": "419001",
}
# Natural Earth names of the seats it has (its clip stops at 33.5N).
SEATS = {
    "Zhengzhou": "郑州市", "Kaifeng": "开封市", "Luoyang": "洛阳市", "Pingdingshan": "平顶山市",
    "Anyang": "安阳市", "Hebi": "鹤壁市", "Xinxiang": "新乡市", "Jiaozuo": "焦作市",
    "Puyang": "濮阳市", "Xuchang": "许昌市", "Luohe": "漯河市", "Shangqiu": "商丘市",
    "Zhoukou": "周口市",
}


def seeds():
    """(lon, lat, prefecture) for every seat and tagged plant in Henan,
    sorted, duplicates of one position removed."""
    out = set()
    with open(os.path.join(SHARED, "natural_earth", "places.geojson"), encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            p = feat["properties"]
            if p.get("adm1name") == "Henan" and p.get("name") in SEATS:
                out.add((round(p["longitude"], 6), round(p["latitude"], 6), SEATS[p["name"]]))
    with open(os.path.join(SHARED, "gppd", "gppd_henan_shandong_shanxi.geojson"),
              encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            p = feat["properties"]
            if p.get("province") == "河南省" and p.get("prefecture") in PREFECTURES:
                out.add((round(float(p["longitude"]), 6), round(float(p["latitude"]), 6),
                         p["prefecture"]))
    by_pos = {}
    for lon, lat, pref in sorted(out):
        by_pos.setdefault((lon, lat), pref)   # one seed per position
    missing = set(PREFECTURES) - set(by_pos.values())
    if missing:
        raise SystemExit("build_areas.py: no seed point for %s" % ", ".join(sorted(missing)))
    return sorted((lon, lat, pref) for (lon, lat), pref in by_pos.items())


def henan_polygon():
    with open(os.path.join(SHARED, "natural_earth", "provinces.geojson"), encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            if feat["properties"].get("name") == "Henan":
                return ogr.CreateGeometryFromJson(json.dumps(feat["geometry"]))
    raise SystemExit("build_areas.py: no Henan polygon in provinces.geojson")


def voronoi_cells(points):
    """Polygon of each point's Voronoi cell. Four far-away dummy points make
    every real cell finite, so no cell needs clipping at infinity."""
    pts = np.array([(p[0], p[1]) for p in points], dtype=float)
    cx, cy = pts.mean(axis=0)
    far = [(cx - 50, cy - 50), (cx + 50, cy - 50), (cx + 50, cy + 50), (cx - 50, cy + 50)]
    vor = Voronoi(np.vstack([pts, far]))
    cells = []
    for i in range(len(points)):
        region = vor.regions[vor.point_region[i]]
        if -1 in region or not region:
            raise SystemExit("build_areas.py: unbounded Voronoi cell for %s" % (points[i],))
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for v in region + region[:1]:
            ring.AddPoint_2D(float(vor.vertices[v][0]), float(vor.vertices[v][1]))
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        cells.append(poly)
    return cells


def build():
    pts = seeds()
    province = henan_polygon()
    cells = voronoi_cells(pts)
    parts = {}
    for (lon, lat, pref), cell in zip(pts, cells):
        parts.setdefault(pref, []).append(cell)
    areas = []
    for pref in sorted(PREFECTURES, key=lambda k: PREFECTURES[k]):
        union = ogr.Geometry(ogr.wkbMultiPolygon)
        for c in parts[pref]:
            union.AddGeometry(c)
        geom = union.UnionCascaded().Intersection(province)
        if geom.IsEmpty():
            raise SystemExit("build_areas.py: %s is empty after clipping" % pref)
        if geom.GetGeometryType() == ogr.wkbPolygon:
            geom = ogr.ForceToMultiPolygon(geom)
        # drop slivers that are not polygons (lines from touching cells)
        mp = ogr.Geometry(ogr.wkbMultiPolygon)
        for i in range(geom.GetGeometryCount()):
            g = geom.GetGeometryRef(i)
            if g.GetGeometryType() == ogr.wkbPolygon:
                mp.AddGeometry(g)
        areas.append((pref, PREFECTURES[pref], mp))
    write(areas)
    verify(areas, pts)


def write(areas):
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        p = os.path.join(OUT, "%s.%s" % (NAME, ext))
        if os.path.exists(p):
            os.remove(p)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4490)
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(os.path.join(OUT, NAME + ".shp"))
    lyr = ds.CreateLayer(NAME, srs, ogr.wkbMultiPolygon, ["ENCODING=GBK"])
    for fname, width in (("名称", 20), ("代码", 6)):
        fd = ogr.FieldDefn(fname, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    for name, code, geom in areas:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("名称", name)
        f.SetField("代码", code)
        # Natural Earth is WGS84; CGCS2000 differs by centimetres, far
        # below the approximation of these borders, so coordinates are kept.
        f.SetGeometry(geom)
        lyr.CreateFeature(f)
    ds = None
    with open(os.path.join(OUT, NAME + ".dbf"), "r+b") as fh:
        fh.seek(1)
        fh.write(bytes(DBF_DATE))


def verify(areas, pts):
    """Read the layer back: 18 areas, GBK names, every seed inside the area
    of its own prefecture or outside the province outline."""
    ds = ogr.Open(os.path.join(OUT, NAME + ".shp"))
    lyr = ds.GetLayer(0)
    got = [(f.GetField("名称"), f.GetField("代码"), f.GetGeometryRef().Clone()) for f in lyr]
    if [(a[0], a[1]) for a in got] != [(a[0], a[1]) for a in areas]:
        raise SystemExit("build_areas.py: read-back names or codes differ")
    wrong = 0
    for lon, lat, pref in pts:
        p = ogr.Geometry(ogr.wkbPoint)
        p.AddPoint_2D(lon, lat)
        inside = [n for n, _, g in got if g.Intersects(p)]
        if inside and pref not in inside:
            wrong += 1
    if wrong:
        raise SystemExit("build_areas.py: %d seed points fall in another prefecture" % wrong)
    print("build_areas.py: wrote %s (%d areas from %d seed points)"
          % (os.path.join(OUT, NAME + ".shp"), len(got), len(pts)))


if __name__ == "__main__":
    if not os.path.isdir(SHARED):
        sys.exit("build_areas.py: shared data not found at %s (set WP_SHARED_DATA)" % SHARED)
    build()
