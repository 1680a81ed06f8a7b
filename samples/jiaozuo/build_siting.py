#!/usr/bin/python3
"""
build_siting.py — the extra layers of the Jiaozuo siting scenario
(siting.ini): county-level areas, the Yellow River centre line and the
urban areas excluded from new parks.

Writes into samples/jiaozuo/data/ (GeoJSON, UTF-8, EPSG:4326):

  siting_counties.geojson  county-level areas for the candidate grid and the
                           one-park-per-county limit.  NOT official boundaries:
                           each area is the Voronoi cell of an anchor point,
                           clipped to the study box and to Henan's outline
                           (Natural Earth).  Anchors are the mean position of
                           the GPPD plants that GPPD places in that county,
                           plus Qinyang from the domain brief's site list.
  siting_yellow_river.geojson  the Yellow River centre line from Natural
                           Earth (public domain), clipped to the study box.
  siting_urban.geojson     built-up areas of Jiaozuo and Xinxiang, estimated
                           as 4 km discs round the Natural Earth city points.

Run with Debian's python3:  /usr/bin/python3 samples/jiaozuo/build_siting.py
The output is deterministic.  PROVENANCE.md ("Siting layers") says what is
real and what is estimated.
"""

import json
import math
import os

from osgeo import ogr, osr

ogr.UseExceptions()
osr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("WP_SHARED_DATA",
                        os.path.join(os.path.dirname(REPO), "shared", "data"))
OUT = os.path.join(HERE, "data")

# The counties round Jiaozuo where new parks may go (lon/lat box).
BOX = (112.75, 34.88, 113.95, 35.55)
CENTRE = ((BOX[0] + BOX[2]) / 2, (BOX[1] + BOX[3]) / 2)
# GPPD counties used as anchors (prefecture, county).
GPPD_COUNTIES = [("焦作市", "马村区"), ("焦作市", "解放区"), ("焦作市", "博爱县"),
                 ("焦作市", "武陟县"), ("焦作市", "修武县"), ("新乡市", "辉县市"),
                 ("新乡市", "卫滨区"), ("新乡市", "凤泉区"), ("郑州市", "荥阳市")]
# From the domain brief's places: Qinyang BBMG cement, 35.198N 112.857E.
EXTRA_ANCHORS = [("焦作市", "沁阳市", 112.857, 35.198)]
URBAN_KM = 4.0


def srs_lonlat():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def srs_local():
    s = osr.SpatialReference()
    s.ImportFromProj4("+proj=aeqd +lat_0=%.6f +lon_0=%.6f +ellps=WGS84 +units=m"
                      % (CENTRE[1], CENTRE[0]))
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


LL, LOCAL = srs_lonlat(), srs_local()
TO_LOCAL = osr.CoordinateTransformation(LL, LOCAL)
TO_LL = osr.CoordinateTransformation(LOCAL, LL)


def load(name):
    with open(os.path.join(SHARED, name), encoding="utf-8") as fh:
        return json.load(fh)


def box_polygon():
    x0, y0, x1, y1 = BOX
    ring = ogr.Geometry(ogr.wkbLinearRing)
    n = 20   # densified, so that the box stays a box after projection
    pts = ([(x0 + (x1 - x0) * i / n, y0) for i in range(n)] +
           [(x1, y0 + (y1 - y0) * i / n) for i in range(n)] +
           [(x1 - (x1 - x0) * i / n, y1) for i in range(n)] +
           [(x0, y1 - (y1 - y0) * i / n) for i in range(n)])
    for x, y in pts + [pts[0]]:
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def henan():
    for f in load("natural_earth/provinces.geojson")["features"]:
        p = f["properties"]
        if "Henan" in json.dumps(p, ensure_ascii=False) or "河南" in json.dumps(p, ensure_ascii=False):
            return ogr.CreateGeometryFromJson(json.dumps(f["geometry"]))
    raise SystemExit("build_siting.py: no Henan polygon in provinces.geojson")


def anchors():
    plants = load("gppd/gppd_henan_shandong_shanxi.geojson")["features"]
    out = []
    for pref, county in GPPD_COUNTIES:
        pts = [f["geometry"]["coordinates"][:2] for f in plants
               if f["properties"].get("prefecture") == pref
               and f["properties"].get("county") == county]
        if not pts:
            raise SystemExit("build_siting.py: GPPD has no plant in %s %s" % (pref, county))
        out.append((pref, county, sum(p[0] for p in pts) / len(pts),
                    sum(p[1] for p in pts) / len(pts), "GPPD (%d plants)" % len(pts)))
    for pref, county, lon, lat in EXTRA_ANCHORS:
        out.append((pref, county, lon, lat, "domain brief"))
    return out


def half_plane(a, b, big=1e6):
    """Polygon (local metres) of the points nearer to a than to b."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    ux, uy = dx / n, dy / n          # towards b
    px, py = -uy, ux                 # along the bisector
    pts = [(mx + px * big, my + py * big), (mx - px * big, my - py * big),
           (mx - px * big - ux * big, my - py * big - uy * big),
           (mx + px * big - ux * big, my + py * big - uy * big)]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in pts + [pts[0]]:
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def write(name, features, geom_type):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    fc = {"type": "FeatureCollection", "name": name[:-8],
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
          "features": features}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(fc, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")


def rounded(geom_json):
    """Coordinates rounded to 1e-6 degrees (about 0.1 m) for stable files."""
    def r(c):
        if isinstance(c, (int, float)):
            return round(c, 6)
        return [r(x) for x in c]
    g = json.loads(geom_json)
    g["coordinates"] = r(g["coordinates"])
    return g


def counties():
    clip = box_polygon().Intersection(henan())
    clip_local = clip.Clone()
    clip_local.Transform(TO_LOCAL)
    an = anchors()
    local = []
    for pref, county, lon, lat, src in an:
        x, y, _ = TO_LOCAL.TransformPoint(lon, lat)
        local.append((x, y))
    feats = []
    for i, (pref, county, lon, lat, src) in enumerate(an):
        cell = clip_local.Clone()
        for j in range(len(an)):
            if j != i:
                cell = cell.Intersection(half_plane(local[i], local[j]))
        if cell.IsEmpty():
            continue
        cell = cell.Buffer(0)
        cell.Transform(TO_LL)
        feats.append({"type": "Feature",
                      "properties": {"name": county, "prefecture": pref,
                                     "anchor_lon": round(lon, 5), "anchor_lat": round(lat, 5),
                                     "anchor_source": src,
                                     "note": "Voronoi cell of the anchor, not an official boundary"},
                      "geometry": rounded(cell.ExportToJson())})
    return feats


def yellow_river():
    box = box_polygon()
    feats = []
    for f in load("natural_earth/rivers.geojson")["features"]:
        name = f["properties"].get("name") or ""
        if not name.startswith("Huang"):
            continue
        g = ogr.CreateGeometryFromJson(json.dumps(f["geometry"]))
        part = g.Intersection(box)
        if part.IsEmpty():
            continue
        feats.append({"type": "Feature",
                      "properties": {"name": name, "source": "Natural Earth 10m rivers"},
                      "geometry": rounded(part.ExportToJson())})
    if not feats:
        raise SystemExit("build_siting.py: no Yellow River inside the study box")
    return feats


def urban():
    feats = []
    for f in load("natural_earth/places.geojson")["features"]:
        name = f["properties"].get("name")
        if name not in ("Jiaozuo", "Xinxiang"):
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        x, y, _ = TO_LOCAL.TransformPoint(lon, lat)
        pt = ogr.Geometry(ogr.wkbPoint)
        pt.AddPoint_2D(x, y)
        disc = pt.Buffer(URBAN_KM * 1000.0, 16)
        disc.Transform(TO_LL)
        feats.append({"type": "Feature",
                      "properties": {"name": name, "radius_km": URBAN_KM,
                                     "note": "built-up area estimated as a disc"},
                      "geometry": rounded(disc.ExportToJson())})
    return sorted(feats, key=lambda f: f["properties"]["name"])


def main():
    write("siting_counties.geojson", counties(), "polygon")
    write("siting_yellow_river.geojson", yellow_river(), "line")
    write("siting_urban.geojson", urban(), "polygon")
    for name in ("siting_counties.geojson", "siting_yellow_river.geojson", "siting_urban.geojson"):
        ds = ogr.Open(os.path.join(OUT, name))
        lyr = ds.GetLayer(0)
        print("%-30s %d features" % (name, lyr.GetFeatureCount()))


if __name__ == "__main__":
    main()
