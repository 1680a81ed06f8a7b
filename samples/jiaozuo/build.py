#!/usr/bin/python3
"""
build.py — generate the Jiaozuo–Xinxiang sample scenario's input layers.

Writes samples/jiaozuo/data/{plants,users,yards,mines,roads}.shp the way a
Henan planning office would hand them over: CGCS2000 (EPSG:4490) lon/lat,
the mines layer in the 3-degree Gauss–Krüger zone CM 114E (EPSG:4547),
Chinese column names and values in GBK, a .cpg saying GBK on every layer
except users.shp (left without one on purpose, so that the loader's encoding
detection is exercised).

Coal power plants come from the WRI Global Power Plant Database (CC BY 4.0);
everything else comes from the figures in the project's domain brief, and
every estimate is listed in PROVENANCE.md.  Run with Debian's python3:

    /usr/bin/python3 samples/jiaozuo/build.py

The shared data directory is <repo>/../shared/data, or $WP_SHARED_DATA.
The output is byte-for-byte deterministic: same inputs, same files.  After
writing, every layer is read back and checked (field names, GBK text, and
coordinates transformed back to WGS84); any mismatch stops the build.
"""

import json
import math
import os
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("WP_SHARED_DATA",
                        os.path.join(os.path.dirname(REPO), "shared", "data"))
OUT = os.path.join(HERE, "data")

# Producer yields per MW of coal capacity per year (domain brief ranges
# 350–400 and 60–80 t/MW/yr; the middle of each is used).
FLY_ASH_T_PER_MW = 370.0
FGD_GYPSUM_T_PER_MW = 70.0

# Study area: every coal plant in Jiaozuo and Xinxiang prefectures, plus those
# of the neighbouring prefectures that lie within this distance of Jiaozuo.
HOME_PREFECTURES = ["焦作市", "新乡市"]
NEIGHBOUR_PREFECTURES = ["郑州市", "济源市", "洛阳市", "晋城市", "鹤壁市"]
NEIGHBOUR_RADIUS_KM = 100.0

# Fill demand of expressway roadbed (万吨 per km over the construction
# period): the bottom of the brief's 50–200 kt/km range.  Red mud is further
# limited to the one real red-mud section's 3.8 kt/km.
ROAD_FILL_WAN_T_PER_KM = 5.0
ROAD_RED_MUD_WAN_T_PER_KM = 0.38

# DBF header "date of last update", fixed so that rebuilding gives the same bytes.
DBF_DATE = (2025 - 1900, 6, 30)

# Chinese names for the GPPD plants (GPPD has English names only; these are
# translations, not official registrations).
GPPD_NAMES_ZH = {
    "WRI1070433": "国能焦作电厂（7-8号机组）",
    "WRI1070062": "万方铝业自备电厂（5-6号机组）",
    "WRI1070750": "万方铝业自备电厂（3-4号机组）",
    "WRI1070437": "华润焦作博爱电厂",
    "WRI1070744": "武陟热电厂",
    "WRI1075603": "焦煤集团冯营电厂",
    "WRI1070738": "华电新乡宝山电厂",
    "WRI1070067": "华电新乡渠东电厂",
    "WRI1070730": "辉县孟电电厂",
    "WRI1070674": "新乡华豫电厂",
    "WRI1070819": "国投晋城电厂",
    "WRI1070345": "阳城电厂",
    "WRI1075617": "河南铝业自备电厂（上街）",
    "WRI1075760": "国电荥阳电厂",
    "WRI1070077": "巩义豫联电厂",
    "WRI1070671": "郑州泰祥热电厂",
    "WRI1075621": "巩义中迈永安电厂",
    "WRI1075794": "郑州郑东热电厂",
    "WRI1070733": "新密电厂",
    "WRI1070630": "登封电厂（二期）",
    "WRI1070635": "登封电厂（一期）",
    "WRI1070183": "华能沁北电厂",
    "WRI1070133": "国电豫源电厂",
    "WRI1075730": "中石化洛阳分公司自备电厂",
    "WRI1070442": "洛阳首龙电厂",
    "WRI1070446": "大唐首阳山电厂",
    "WRI1070445": "华润首阳山电厂（三期）",
    "WRI1075677": "国华孟津电厂",
    "WRI1070439": "大唐洛阳热电厂",
}

EST = "估算"  # marks an estimated value in the 备注 column


# ---------------------------------------------------------------- geodesy

def geodesic_km(lon1, lat1, lon2, lat2):
    """Geodesic distance in km on the CGCS2000/GRS80 ellipsoid (Vincenty's
    inverse formula; converges for all pairs in this study area, which are
    far from antipodal).  Used for lengths and the study-area radius."""
    a = 6378137.0
    f = 1 / 298.257222101
    b = a * (1 - f)
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sinU1, cosU1 = math.sin(U1), math.cos(U1)
    sinU2, cosU2 = math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sinlam, coslam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cosU2 * sinlam,
                               cosU1 * sinU2 - sinU1 * cosU2 * coslam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * coslam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cosU1 * cosU2 * sinlam / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos2sm = cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha if cos2_alpha else 0.0
        C = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        lam_prev = lam
        lam = L + (1 - C) * f * sin_alpha * (
            sigma + C * sin_sigma * (cos2sm + C * cos_sigma * (-1 + 2 * cos2sm ** 2)))
        if abs(lam - lam_prev) < 1e-12:
            break
    u2 = cos2_alpha * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    dsig = B * sin_sigma * (cos2sm + B / 4 * (
        cos_sigma * (-1 + 2 * cos2sm ** 2)
        - B / 6 * cos2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos2sm ** 2)))
    return b * A * (sigma - dsig) / 1000.0


def line_km(pts):
    """Geodesic length in km of a lon/lat polyline."""
    return sum(geodesic_km(*pts[i], *pts[i + 1]) for i in range(len(pts) - 1))


def bent_line(start, end, target_km, n=9):
    """A polyline from start to end (lon/lat) that bows to one side so that
    its geodesic length is target_km.  The bow amplitude is found by
    bisection; the shape (a half sine plus a fixed small wiggle) is fixed, so
    the result is deterministic."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy)
    px, py = -dy / norm, dx / norm          # unit normal, in degrees

    def build(amp):
        pts = []
        for i in range(n):
            t = i / (n - 1)
            off = amp * (math.sin(math.pi * t) + 0.15 * math.sin(3 * math.pi * t))
            pts.append((x0 + dx * t + px * off, y0 + dy * t + py * off))
        return pts

    if line_km(build(0.0)) > target_km:
        raise SystemExit("bent_line: straight line already longer than %.1f km" % target_km)
    lo, hi = 0.0, 0.5
    for _ in range(100):
        mid = (lo + hi) / 2
        if line_km(build(mid)) < target_km:
            lo = mid
        else:
            hi = mid
    return [(round(x, 6), round(y, 6)) for x, y in build((lo + hi) / 2)]


def srs(epsg):
    """An osr.SpatialReference for an EPSG code, lon/lat (easting/northing)
    axis order whatever the EPSG definition says."""
    s = osr.SpatialReference()
    s.ImportFromEPSG(epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


WGS84 = srs(4326)


def to_crs(epsg, lon, lat):
    """Transform a WGS84 lon/lat to (x, y) in EPSG:epsg."""
    ct = osr.CoordinateTransformation(WGS84, srs(epsg))
    x, y, _ = ct.TransformPoint(lon, lat)
    return x, y


# ---------------------------------------------------------------- formatting

def wan(t):
    """Tonnes as a 万吨 number text with at most two decimals: 488400 -> '48.84'."""
    s = "%.2f" % (t / 1e4)
    return s.rstrip("0").rstrip(".")


def gbk_len(s):
    return len(s.encode("gbk"))


# ---------------------------------------------------------------- the data

def load_gppd():
    """Coal plants of the study area from the GPPD GeoJSON, ordered by
    prefecture (home prefectures first), then capacity (largest first), then
    GPPD id.  Each is a dict of the GPPD properties plus lon/lat."""
    path = os.path.join(SHARED, "gppd", "gppd_henan_shandong_shanxi.geojson")
    places = os.path.join(SHARED, "natural_earth", "places.geojson")
    try:
        with open(path, encoding="utf-8") as fh:
            plants = json.load(fh)
        with open(places, encoding="utf-8") as fh:
            towns = json.load(fh)
    except OSError as e:
        raise SystemExit("build.py: cannot read shared data (%s); set WP_SHARED_DATA" % e)
    centre = None
    for f in towns["features"]:
        if f["properties"].get("name") == "Jiaozuo":
            centre = f["geometry"]["coordinates"][:2]
    if centre is None:
        raise SystemExit("build.py: %s has no place named Jiaozuo" % places)
    order = HOME_PREFECTURES + NEIGHBOUR_PREFECTURES
    rows = []
    for f in plants["features"]:
        p = dict(f["properties"])
        if p.get("primary_fuel") != "Coal" or p.get("prefecture") not in order:
            continue
        lon, lat = f["geometry"]["coordinates"][:2]
        p["lon"], p["lat"] = lon, lat
        p["dist_km"] = geodesic_km(centre[0], centre[1], lon, lat)
        if p["prefecture"] in NEIGHBOUR_PREFECTURES and p["dist_km"] > NEIGHBOUR_RADIUS_KM:
            continue
        if p["gppd_idnr"] not in GPPD_NAMES_ZH:
            raise SystemExit("build.py: no Chinese name for GPPD plant %s (%s); add one"
                             % (p["gppd_idnr"], p["name"]))
        rows.append(p)
    rows.sort(key=lambda p: (order.index(p["prefecture"]), -p["capacity_mw"], p["gppd_idnr"]))
    return rows


def plants_rows():
    """Producers: GPPD coal plants (fly ash + FGD gypsum as a 产废 list),
    Zhongzhou Aluminium, LB Group and the coal mines' gangue (固废种类 +
    年产生量 in 万吨)."""
    rows = []
    for p in load_gppd():
        mw = p["capacity_mw"]
        year = p.get("commissioning_year") or ""
        rows.append({
            "编号": p["gppd_idnr"],
            "名称": GPPD_NAMES_ZH[p["gppd_idnr"]],
            "英文名": p["name"],
            "所在地市": p["prefecture"],
            "装机容量": mw,
            "投产年份": year.split(".")[0],
            "产废": "粉煤灰:%s万吨；脱硫石膏:%s万吨" % (wan(mw * FLY_ASH_T_PER_MW),
                                                 wan(mw * FGD_GYPSUM_T_PER_MW)),
            "数据来源": "GPPD v1.3.0",
            "备注": "产废量按装机%g/%g吨每兆瓦年%s" % (FLY_ASH_T_PER_MW, FGD_GYPSUM_T_PER_MW, EST),
            "lonlat": (p["lon"], p["lat"]),
        })
    rows.append({
        "编号": "JZ-RM-01", "名称": "中州铝业（氧化铝厂）", "英文名": "Zhongzhou Aluminium",
        "所在地市": "焦作市", "固废种类": "赤泥", "年产生量": 290.0,
        "数据来源": "焦作市固废资料", "备注": "位置约±1-8公里",
        "lonlat": (113.44, 35.37),
    })
    rows.append({
        "编号": "JZ-TG-01", "名称": "龙蟒佰利联（钛白粉厂）", "英文名": "LB Group",
        "所在地市": "焦作市", "固废种类": "钛石膏", "年产生量": 110.0,
        "数据来源": "焦作市固废资料", "备注": "位置约±1-8公里",
        "lonlat": (113.18, 35.23),
    })
    for code, name, en, city, lonlat in MINES:
        rows.append({
            "编号": code + "-G", "名称": name + "（洗选矸石）", "英文名": en + " (gangue)",
            "所在地市": city, "固废种类": "煤矸石", "年产生量": 12.0,
            "数据来源": "本示例", "备注": "按原煤100万吨、矸石率12%" + EST,
            "lonlat": lonlat,
        })
    return rows


# Jiaozuo coal-field mines: code, name, English name, prefecture, lon/lat.
MINES = [
    ("JZ-M01", "焦作煤田九里山矿", "Jiulishan mine", "焦作市", (113.40, 35.27)),
    ("JZ-M02", "焦作煤田古汉山矿", "Guhanshan mine", "焦作市", (113.45, 35.29)),
    ("JZ-M03", "焦作煤田演马庄矿", "Yanmazhuang mine", "焦作市", (113.36, 35.26)),
    ("XX-M04", "焦作煤田赵固矿", "Zhaogu mine", "新乡市", (113.60, 35.35)),
]
# Per mine: void (万方), yearly fill capacity (万吨), polygon radius (m), rotation (deg).
MINE_FILL = {
    "JZ-M01": (300, 110, 1600, 10),
    "JZ-M02": (400, 120, 1800, 35),
    "JZ-M03": (250, 100, 1500, 60),
    "XX-M04": (500, 130, 2100, 20),
}


def users_rows():
    """Sinks: cement lines, brick/block plants, the red-mud building-material
    projects, LB Group's titanium-gypsum brick line and a plasterboard plant.
    Limits follow the brief's absorption table for a 5,000 t/d clinker line
    (red mud 7–12, fly ash 20–60, gypsum 6–10 万吨/yr) and for brick plants
    (20–40 万吨/yr)."""
    cement = "5000吨/日熟料线；能力按典型值" + EST
    return [
        ("JZ-C01", "沁阳金隅水泥", "水泥", "赤泥:10万吨；粉煤灰:40万吨；钛石膏:5万吨；脱硫石膏:3万吨",
         58, (112.857, 35.198), "位置约±1-8公里；" + cement),
        ("JZ-C02", "焦作千业水泥", "水泥", "赤泥:10万吨；粉煤灰:40万吨；钛石膏:5万吨；脱硫石膏:3万吨",
         58, (113.15, 35.25), "位置约±1-8公里；" + cement),
        ("XX-C03", "辉县水泥熟料线（示意）", "水泥", "赤泥:8万吨；粉煤灰:30万吨；脱硫石膏:6万吨",
         44, (113.78, 35.47), "位置" + EST + "；" + cement),
        ("XX-C04", "卫辉水泥熟料线（示意）", "水泥", "赤泥:7万吨；粉煤灰:30万吨；脱硫石膏:6万吨",
         43, (114.05, 35.40), "位置" + EST + "；" + cement),
        ("ZZ-C05", "荥阳水泥熟料线（示意）", "水泥", "赤泥:7万吨；粉煤灰:40万吨；脱硫石膏:8万吨",
         55, (113.35, 34.80), "位置" + EST + "；" + cement),
        ("JZ-B01", "武陟新型墙材厂（示意）", "砖/砌块", "粉煤灰:20万吨；脱硫石膏:5万吨",
         25, (113.40, 35.10), "位置与能力" + EST),
        ("JZ-B02", "修武粉煤灰砖厂（示意）", "砖/砌块", "粉煤灰:20万吨；赤泥:5万吨",
         25, (113.45, 35.23), "位置与能力" + EST),
        ("XX-B03", "新乡加气砌块厂（示意）", "砖/砌块", "粉煤灰:30万吨",
         30, (113.90, 35.30), "位置与能力" + EST),
        ("JZ-R01", "赤泥建材项目A（示意位置）", "赤泥建材", "赤泥:60万吨",
         60, (113.42, 35.385), "两项目满负荷合计115万吨；拆分与位置" + EST),
        ("JZ-R02", "赤泥建材项目B（示意位置）", "赤泥建材", "赤泥:55万吨",
         55, (113.47, 35.355), "两项目满负荷合计115万吨；拆分与位置" + EST),
        ("JZ-T01", "龙蟒佰利联钛石膏制砖线", "砖/砌块", "钛石膏:36万吨",
         36, (113.185, 35.235), "2亿块砖线约36万吨；位置" + EST),
        ("JZ-G01", "焦作纸面石膏板厂（示意）", "石膏板", "脱硫石膏:20万吨",
         20, (113.27, 35.20), "3000万平方米/年、约7公斤石膏每平方米；位置与能力" + EST),
    ]


def yards_rows():
    """Stockpiles: Zhongzhou's red-mud yard and LB Group's titanium-gypsum
    stockpile (stock from the brief; drawdown and storage estimated)."""
    return [
        {"编号": "JZ-Y01", "名称": "中州铝业赤泥堆场", "所属企业": "中州铝业", "固废种类": "赤泥",
         "存量": 6000.0, "年最大出库": 50.0, "剩余库容": 200.0,
         "备注": "存量6000万吨以上；出库上限、库容与位置" + EST, "lonlat": (113.455, 35.385)},
        {"编号": "JZ-Y02", "名称": "龙蟒佰利联钛石膏堆场", "所属企业": "龙蟒佰利联", "固废种类": "钛石膏",
         "存量": 1000.0, "年最大出库": 30.0, "剩余库容": 150.0,
         "备注": "存量1000万吨以上；出库上限、库容与位置" + EST, "lonlat": (113.165, 35.245)},
    ]


def roads_rows():
    """Expressway projects under construction (2025–2026), drawn as
    estimated polylines: Jiaozuo–Xingyang (35.3 km, south-east to the Yellow
    River) and the Taihang expressway's east section along the foothills."""
    jx = bent_line((113.300, 35.180), (113.452, 34.935), 35.3)
    taihang = [(113.20, 35.290), (113.28, 35.305), (113.36, 35.330), (113.43, 35.400),
               (113.52, 35.425), (113.62, 35.445), (113.70, 35.470)]
    rows = []
    for code, name, pts, note in [
            ("JZ-E01", "焦作至荥阳高速（焦作段）", jx, "长度35.3公里为实；走向" + EST),
            ("JZ-E02", "太行高速东段", taihang, "走向与长度" + EST)]:
        km = line_km(pts)
        rows.append({
            "编号": code, "名称": name,
            "接收固废": "赤泥:%s万吨；粉煤灰；钛石膏" % wan(km * ROAD_RED_MUD_WAN_T_PER_KM * 1e4),
            "每公里用量": ROAD_FILL_WAN_T_PER_KM, "长度公里": round(km, 1),
            "建设年份": "2025-2026",
            "备注": note + "；路基填料每公里5万吨、赤泥每公里0.38万吨",
            "line": pts,
        })
    return rows


# ---------------------------------------------------------------- writing

def remove_layer(name):
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj"):
        p = os.path.join(OUT, name + ext)
        if os.path.exists(p):
            os.remove(p)


def write_layer(name, epsg, geom_type, fields, rows, geom_of, cpg=True):
    """Write rows (dicts) to data/<name>.shp in EPSG:epsg with GBK text.
    fields is [(name, ogr type, width, precision)]; a string width of 0 means
    "fit the longest GBK value".  Field names must fit the DBF's 10 bytes.
    geom_of(row) returns an ogr.Geometry in the layer's CRS.  With cpg=False
    the .cpg is removed afterwards and the DBF's language-driver byte is left
    0, so nothing in the files says what the encoding is."""
    remove_layer(name)
    for fname, ftype, width, prec in fields:
        if gbk_len(fname) > 10:
            raise SystemExit("build.py: %s: field name %s is %d bytes in GBK; DBF allows 10"
                             % (name, fname, gbk_len(fname)))
    drv = ogr.GetDriverByName("ESRI Shapefile")
    ds = drv.CreateDataSource(os.path.join(OUT, name + ".shp"))
    lyr = ds.CreateLayer(name, srs(epsg), geom_type, ["ENCODING=GBK"])
    for fname, ftype, width, prec in fields:
        fd = ogr.FieldDefn(fname, ftype)
        if ftype == ogr.OFTString:
            longest = max([gbk_len(str(r.get(fname, ""))) for r in rows] + [1])
            width = width or min(254, max(10, longest + 4))
            if longest > width:
                raise SystemExit("build.py: %s.%s: value of %d bytes > width %d"
                                 % (name, fname, longest, width))
        fd.SetWidth(width)
        fd.SetPrecision(prec)
        lyr.CreateField(fd)
    for r in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for fname, ftype, width, prec in fields:
            v = r.get(fname)
            if v is not None and v != "":
                feat.SetField(fname, v)
        feat.SetGeometry(geom_of(r))
        lyr.CreateFeature(feat)
    ds = None
    dbf = os.path.join(OUT, name + ".dbf")
    with open(dbf, "r+b") as fh:           # fixed header date: deterministic bytes
        fh.seek(1)
        fh.write(bytes(DBF_DATE))
        if not cpg:
            fh.seek(29)
            fh.write(b"\x00")
    if not cpg:
        os.remove(os.path.join(OUT, name + ".cpg"))
        with open(dbf, "rb") as fh:
            raw = fh.read()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise SystemExit("build.py: %s.dbf happens to be valid UTF-8; detection would "
                             "misread it" % name)


def point_in(epsg):
    def geom(r):
        x, y = to_crs(epsg, *r["lonlat"])
        g = ogr.Geometry(ogr.wkbPoint)
        g.AddPoint_2D(x, y)
        return g
    return geom


def mine_polygon(r):
    """An irregular octagon around the mine in Gauss–Krüger metres."""
    void, cap, radius, rot = MINE_FILL[r["编号"]]
    cx, cy = to_crs(4547, *r["lonlat"])
    shape = [1.0, 0.82, 1.12, 0.9, 1.05, 0.78, 0.97, 0.88]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for i, k in enumerate(shape + shape[:1]):
        a = math.radians(rot + 45 * (i % len(shape)))
        ring.AddPoint_2D(round(cx + radius * k * math.cos(a), 2),
                         round(cy + radius * k * math.sin(a), 2))
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def road_line(r):
    g = ogr.Geometry(ogr.wkbLineString)
    for lon, lat in r["line"]:
        x, y = to_crs(4490, lon, lat)
        g.AddPoint_2D(x, y)
    return g


S, R = ogr.OFTString, ogr.OFTReal


def build():
    """Write all five layers; return {layer: rows} for the read-back check."""
    os.makedirs(OUT, exist_ok=True)
    layers = {}

    rows = plants_rows()
    write_layer("plants", 4490, ogr.wkbPoint, [
        ("编号", S, 0, 0), ("名称", S, 0, 0), ("英文名", S, 0, 0), ("所在地市", S, 0, 0),
        ("装机容量", R, 10, 1), ("投产年份", S, 0, 0), ("产废", S, 0, 0),
        ("固废种类", S, 0, 0), ("年产生量", R, 12, 2), ("数据来源", S, 0, 0), ("备注", S, 0, 0),
    ], rows, point_in(4490))
    layers["plants"] = rows

    rows = [{"编号": c, "名称": n, "类型": k, "接收固废": acc, "接收能力": float(cap),
             "备注": note, "lonlat": ll}
            for c, n, k, acc, cap, ll, note in users_rows()]
    write_layer("users", 4490, ogr.wkbPoint, [
        ("编号", S, 0, 0), ("名称", S, 0, 0), ("类型", S, 0, 0), ("接收固废", S, 0, 0),
        ("接收能力", R, 12, 2), ("备注", S, 0, 0),
    ], rows, point_in(4490), cpg=False)
    layers["users"] = rows

    rows = yards_rows()
    write_layer("yards", 4490, ogr.wkbPoint, [
        ("编号", S, 0, 0), ("名称", S, 0, 0), ("所属企业", S, 0, 0), ("固废种类", S, 0, 0),
        ("存量", R, 12, 2), ("年最大出库", R, 12, 2), ("剩余库容", R, 12, 2), ("备注", S, 0, 0),
    ], rows, point_in(4490))
    layers["yards"] = rows

    rows = []
    for code, name, en, city, ll in MINES:
        void, cap, _, _ = MINE_FILL[code]
        rows.append({"编号": code, "名称": name, "英文名": en, "所在地市": city,
                     "接收固废": "赤泥；粉煤灰；煤矸石", "采空区体积": "%d万方" % void,
                     "年充填能力": float(cap),
                     "备注": "充填开采替代原煤约100万吨/年；采空区体积、能力与范围" + EST,
                     "lonlat": ll})
    write_layer("mines", 4547, ogr.wkbPolygon, [
        ("编号", S, 0, 0), ("名称", S, 0, 0), ("英文名", S, 0, 0), ("所在地市", S, 0, 0),
        ("接收固废", S, 0, 0), ("采空区体积", S, 0, 0), ("年充填能力", R, 12, 2), ("备注", S, 0, 0),
    ], rows, mine_polygon)
    layers["mines"] = rows

    rows = roads_rows()
    write_layer("roads", 4490, ogr.wkbLineString, [
        ("编号", S, 0, 0), ("名称", S, 0, 0), ("接收固废", S, 0, 0), ("每公里用量", R, 10, 2),
        ("长度公里", R, 10, 1), ("建设年份", S, 0, 0), ("备注", S, 0, 0),
    ], rows, road_line)
    layers["roads"] = rows
    return layers


# ---------------------------------------------------------------- read-back

def verify(layers):
    """Read every layer back through OGR and compare with what was meant:
    field names and text exact (users.shp opened with SHAPE_ENCODING=GBK since
    it has no .cpg), numbers to the DBF precision, and each point (mines: the
    polygon centroid) transformed back to WGS84 within 1e-6 degrees (points)
    or 100 m (mine centroids).  Returns the number of problems."""
    bad = 0
    for name, rows in layers.items():
        enc = "GBK" if name == "users" else None
        gdal.SetConfigOption("SHAPE_ENCODING", enc)
        ds = ogr.Open(os.path.join(OUT, name + ".shp"))
        gdal.SetConfigOption("SHAPE_ENCODING", None)
        lyr = ds.GetLayer(0)
        defn = lyr.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        ct = osr.CoordinateTransformation(lyr.GetSpatialRef(), WGS84)
        ct_srs = lyr.GetSpatialRef()
        code = ct_srs.GetAuthorityCode(None) if ct_srs.AutoIdentifyEPSG() == 0 else None
        print("%-7s %2d features  EPSG:%s  fields: %s"
              % (name, lyr.GetFeatureCount(), code, " ".join(names)))
        if len(rows) != lyr.GetFeatureCount():
            print("  feature count %d, expected %d" % (lyr.GetFeatureCount(), len(rows)))
            bad += 1
        for r, feat in zip(rows, lyr):
            for k, v in r.items():
                if k in ("lonlat", "line"):
                    continue
                if k not in names:
                    print("  %s: field %s missing (laundered?)" % (name, k))
                    bad += 1
                    continue
                got = feat.GetField(k)
                if isinstance(v, float):
                    ok = got is not None and abs(got - v) < 0.051
                else:
                    ok = (got or "") == str(v)
                if not ok:
                    print("  %s %s.%s: wrote %r read %r" % (name, r["编号"], k, v, got))
                    bad += 1
            g = feat.GetGeometryRef().Clone()
            g.Transform(ct)
            if name == "roads":
                pts = [(g.GetX(i), g.GetY(i)) for i in range(g.GetPointCount())]
                err = max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(pts, r["line"]))
                if err > 1e-6:
                    print("  %s %s: line moved by %.2g deg" % (name, r["编号"], err))
                    bad += 1
                continue
            c = g.Centroid() if name == "mines" else g
            lon, lat = c.GetX(), c.GetY()
            dist_m = geodesic_km(lon, lat, *r["lonlat"]) * 1000
            if dist_m > (100 if name == "mines" else 0.2):
                print("  %s %s: at %.6f,%.6f, meant %.6f,%.6f (%.1f m off)"
                      % (name, r["编号"], lon, lat, r["lonlat"][0], r["lonlat"][1], dist_m))
                bad += 1
        ds = None
    return bad


def main():
    layers = build()
    for r in layers["roads"]:
        print("%s %s: %.1f km, fill %.1f 万吨" % (r["编号"], r["名称"], r["长度公里"],
                                               r["长度公里"] * ROAD_FILL_WAN_T_PER_KM))
    bad = verify(layers)
    if bad:
        raise SystemExit("build.py: %d read-back problems" % bad)
    print("wrote %s" % OUT)


if __name__ == "__main__":
    sys.exit(main())
