#!/usr/bin/python3
"""build_roads.py — the Jiaozuo sample's road network, GENERATED (no real
road data is shipped in ../shared/data): data/roads_network.gpkg, layer
roads, WGS84, with an OSM-style `highway` column and `oneway`.

What it is: expressway corridors (highway=motorway) drawn as straight
polylines between real cities of Natural Earth's places.geojson (Jincheng,
Jiaozuo, Xinxiang, Zhengzhou, Luoyang, Kaifeng) and the sites named in
DOMAIN.md, plus a jittered 4 km grid of county roads (highway=secondary) over
the region, deterministic from a fixed seed. Grid roads that would cross the
Yellow River (Natural Earth rivers.geojson) are kept only every 20 km, as
bridges. The lines cross without shared vertices, so the scenario sets
`node = yes` and wasteplan nodes them with GEOS. PROVENANCE.md says the same.

usage: /usr/bin/python3 samples/jiaozuo/build_roads.py [SHARED_DATA_DIR]
"""
import json
import math
import os
import random
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data")
    ne = os.path.join(shared, "natural_earth")
    places = {}
    with open(os.path.join(ne, "places.geojson"), encoding="utf-8") as f:
        for ft in json.load(f)["features"]:
            x, y = ft["geometry"]["coordinates"][:2]
            places[ft["properties"]["name"]] = (x, y)
    # corridors: real city positions and DOMAIN.md sites as way points
    P = dict(places)
    P.update({"Boai": (113.102, 35.221), "Wuzhi": (113.388, 35.124), "Xiuwu": (113.44, 35.37),
              "Qinyang": (112.857, 35.198), "Huixian": (113.832, 35.431),
              "Yellow River crossing": (113.33, 34.93), "Xingyang": (113.38, 34.79)})
    corridors = [
        ["Jincheng", "Qinyang", "Boai", "Jiaozuo", "Xiuwu", "Xinxiang", "Huixian"],
        ["Jiaozuo", "Wuzhi", "Yellow River crossing", "Xingyang", "Zhengzhou"],
        ["Xinxiang", "Zhengzhou", "Kaifeng"],
        ["Luoyang", "Xingyang", "Zhengzhou"],
        ["Jiaozuo", "Qinyang", "Luoyang"],
    ]
    river = None
    with open(os.path.join(ne, "rivers.geojson"), encoding="utf-8") as f:
        for ft in json.load(f)["features"]:
            nm = (ft["properties"].get("name") or "") + (ft["properties"].get("name_en") or "")
            if "Huang" in nm or "Yellow" in nm:
                g = ogr.CreateGeometryFromJson(json.dumps(ft["geometry"]))
                river = g if river is None else river.Union(g)
    out = os.path.join(HERE, "data", "roads_network.gpkg")
    if os.path.exists(out):
        os.remove(out)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(out)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    lyr = ds.CreateLayer("roads", srs, ogr.wkbLineString)
    for name in ("highway", "name", "oneway"):
        lyr.CreateField(ogr.FieldDefn(name, ogr.OFTString))

    def add(pts, hw, name):
        ft = ogr.Feature(lyr.GetLayerDefn())
        g = ogr.Geometry(ogr.wkbLineString)
        for x, y in pts:
            g.AddPoint_2D(x, y)
        ft.SetGeometry(g)
        ft.SetField("highway", hw)
        ft.SetField("name", name)
        lyr.CreateFeature(ft)

    n_mw = n_grid = 0
    for c in corridors:
        pts = [P[n] for n in c]
        add(pts, "motorway", " - ".join(c) + " (generated corridor)")
        n_mw += 1
    rng = random.Random(35113)
    lon0, lon1, lat0, lat1 = 112.35, 114.45, 34.30, 35.78
    step_y = 4.0 / 110.9
    step_x = 4.0 / (111.32 * math.cos(math.radians(35.2)))
    nx = int((lon1 - lon0) / step_x) + 1
    ny = int((lat1 - lat0) / step_y) + 1
    G = {(i, j): (lon0 + (i + rng.uniform(-0.25, 0.25)) * step_x,
                  lat0 + (j + rng.uniform(-0.25, 0.25)) * step_y)
         for i in range(nx) for j in range(ny)}
    for i in range(nx):
        for j in range(ny):
            for di, dj in ((1, 0), (0, 1)):
                if (i + di, j + dj) not in G:
                    continue
                a, b = G[i, j], G[i + di, j + dj]
                if river is not None and dj == 1 and i % 5 != 0:
                    seg = ogr.Geometry(ogr.wkbLineString)
                    seg.AddPoint_2D(*a)
                    seg.AddPoint_2D(*b)
                    if seg.Intersects(river):
                        continue          # no bridge here
                add([a, b], "secondary", "county road (generated grid)")
                n_grid += 1
    ds = None
    print("wrote %s: %d expressway corridors, %d county-road segments (generated)" % (out, n_mw, n_grid))


if __name__ == "__main__":
    main()
