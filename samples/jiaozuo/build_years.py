#!/usr/bin/python3
"""
build_years.py — the Jiaozuo sample's layers for a plan over 2025–2030.

Copies samples/jiaozuo/data/*.shp (made by build.py; the one-year sample is
left as it is) into samples/jiaozuo/data_years/ with the year columns that
`wasteplan plan` reads, all GBK like their originals:

  plants.shp  产量_2025 … 产量_2030 for the alumina refinery (red mud
              2.9 Mt/yr, DOMAIN.md) and the titanium dioxide plant
              (titanium gypsum 1.1 Mt/yr); other plants keep their output.
  yards.shp   堆存费: storage cost 30 yuan per t and year (the brief's
              stockpiling default); 存量 (60 Mt red mud, 10 Mt titanium
              gypsum) is the opening stock.
  users.shp   the two red-mud building-material projects: 1.15 Mt/yr at
              full load from 2022, 1.8 Mt/yr by 2025 (DOMAIN.md), so
              能力_2025 … 能力_2030 hold their 1.8 Mt split 60:55 like the
              1.15 Mt, and their red-mud limit is lifted to match;
              投运年份 2022. Everything else is copied unchanged.
  mines.shp   unchanged: 采空区体积 is now the void shared by all years and
              年充填能力 the most filled per year.
  roads.shp   unchanged: 建设年份 2025-2026 makes each expressway take fill
              only in its construction years.

Run with Debian's python3 after build.py:
    /usr/bin/python3 samples/jiaozuo/build_years.py
"""

import os
import shutil
import sys

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "data")
OUT = os.path.join(HERE, "data_years")
YEARS = range(2025, 2031)

# 万吨 per year, from DOMAIN.md
OUTPUT_WAN_T = {"JZ-RM-01": 290.0, "JZ-TG-01": 110.0}
RM_BUILDING_2025_WAN_T = 180.0                 # 1.8 Mt/yr by 2025
RM_BUILDING_SPLIT = {"JZ-R01": 60.0, "JZ-R02": 55.0}   # as the 1.15 Mt at full load
STORAGE_COST = 30.0                            # yuan per t and year


def copy_with(name, encoding, add_fields, values):
    """Copy data/<name>.shp to data_years/ adding fields; values(feature)
    returns {field: value} for each feature."""
    src_path = os.path.join(SRC, name + ".shp")
    gdal.SetConfigOption("SHAPE_ENCODING", encoding)
    try:
        src = ogr.Open(src_path)
        lyr = src.GetLayer(0)
        drv = ogr.GetDriverByName("ESRI Shapefile")
        dst_path = os.path.join(OUT, name + ".shp")
        if os.path.exists(dst_path):
            drv.DeleteDataSource(dst_path)
        dst = drv.CreateDataSource(dst_path)
        out = dst.CreateLayer(name, lyr.GetSpatialRef(), lyr.GetGeomType(), ["ENCODING=GBK"])
        defn = lyr.GetLayerDefn()
        for i in range(defn.GetFieldCount()):
            out.CreateField(defn.GetFieldDefn(i))
        for fname, ftype in add_fields:
            fd = ogr.FieldDefn(fname, ftype)
            if ftype == ogr.OFTReal:
                fd.SetWidth(12)
                fd.SetPrecision(2)
            out.CreateField(fd)
        for f in lyr:
            g = ogr.Feature(out.GetLayerDefn())
            g.SetFrom(f)
            for k, v in values(f).items():
                g.SetField(k, v)
            out.CreateFeature(g)
        dst = None
        src = None
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", None)
    shutil.copyfile(os.path.join(SRC, name + ".prj"), os.path.join(OUT, name + ".prj"))
    with open(os.path.join(OUT, name + ".cpg"), "w") as f:
        f.write("GBK\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    out_cols = [(f"产量_{y}", ogr.OFTReal) for y in YEARS]
    copy_with("plants", "GBK", out_cols,
              lambda f: {c: OUTPUT_WAN_T[f["编号"]] for c, _ in out_cols}
              if f["编号"] in OUTPUT_WAN_T else {})
    copy_with("yards", "GBK", [("堆存费", ogr.OFTReal)], lambda f: {"堆存费": STORAGE_COST})
    cap_cols = [(f"能力_{y}", ogr.OFTReal) for y in YEARS]
    total = sum(RM_BUILDING_SPLIT.values())

    def users(f):
        fid = f["编号"]
        if fid not in RM_BUILDING_SPLIT:
            return {}
        cap = round(RM_BUILDING_2025_WAN_T * RM_BUILDING_SPLIT[fid] / total, 2)
        d = {c: cap for c, _ in cap_cols}
        d["接收固废"] = f"赤泥:{cap:g}万吨"
        d["投运年份"] = 2022
        return d
    copy_with("users", "GBK", cap_cols + [("投运年份", ogr.OFTInteger)], users)
    copy_with("mines", "GBK", [], lambda f: {})
    copy_with("roads", "GBK", [], lambda f: {})
    # read back: every layer opens, the new columns are there
    gdal.SetConfigOption("SHAPE_ENCODING", "GBK")
    for name, col in [("plants", "产量_2025"), ("yards", "堆存费"), ("users", "能力_2030")]:
        ds = ogr.Open(os.path.join(OUT, name + ".shp"))
        defn = ds.GetLayer(0).GetLayerDefn()
        if defn.GetFieldIndex(col) < 0:
            sys.exit(f"build_years.py: {name}.shp lacks {col}")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    print(f"build_years.py: wrote {OUT}")


if __name__ == "__main__":
    main()
