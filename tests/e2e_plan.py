"""e2e_plan.py — `wasteplan plan` on the Jiaozuo 2025–2030 sample, read back
from the GeoPackage it writes.

Checks, per material and year of the `yearly` table: new waste balances
(generated = used from new + stored + unallocated), stock balances to the
tonne (stock at year end = previous year end, or the yards' opening stock
read from yards.shp, + stored - drawn), generation equals the layers'
figures (red mud 2.9 Mt/yr, titanium gypsum 1.1 Mt/yr), red mud is never
stored (no new red-mud yards), the `flows_by_year` layer adds up to what
was used and drawn each year, the targets are the scenario's (15 % from
2027, 25 % from 2030), enforcing the stock target meets it at a positive
price, and an unattainable target is reported with its shortfall.

usage: /usr/bin/python3 tests/e2e_plan.py BUILD_DIR
"""
import os
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SCEN = os.path.join(REPO, "samples", "jiaozuo", "years.ini")
passed, failed = 0, 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL", msg)


def run(wp, out, *extra):
    p = subprocess.run([wp, "plan", SCEN, "-q", "-o", out, *extra], capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1750000000"))
    check(p.returncode == 0, f"plan {extra} exit {p.returncode}: {p.stderr}")
    return p.stdout


def read_table(path, name):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(name)
    rows = []
    for f in lyr:
        d = {lyr.GetLayerDefn().GetFieldDefn(i).GetName(): f.GetField(i)
             for i in range(f.GetFieldCount())}
        rows.append(d)
    return rows


def opening_stock():
    gdal.SetConfigOption("SHAPE_ENCODING", "GBK")
    ds = ogr.Open(os.path.join(REPO, "samples", "jiaozuo", "data_years", "yards.shp"))
    st = {}
    names = {"赤泥": "red_mud", "钛石膏": "titanium_gypsum"}
    for f in ds.GetLayer(0):
        st[names[f["固废种类"]]] = st.get(names[f["固废种类"]], 0) + f["存量"] * 1e4
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    return st


def check_balances(path, tag):
    rows = read_table(path, "yearly")
    flows = read_table(path, "flows_by_year")
    stock0 = opening_stock()
    by = {}
    for r in rows:
        by.setdefault(r["material"], []).append(r)
    check(set(by) >= {"red_mud", "titanium_gypsum", "fly_ash"}, f"{tag}: materials {sorted(by)}")
    for mat, rs in by.items():
        rs.sort(key=lambda r: r["year"])
        check([r["year"] for r in rs] == list(range(2025, 2031)), f"{tag}: years of {mat}")
        prev = stock0.get(mat, 0.0)
        for r in rs:
            used = sum(f["tonnes"] for f in flows if f["material"] == mat and f["year"] == r["year"]
                       and f["source_kind"] == "new")
            drawn = sum(f["tonnes"] for f in flows if f["material"] == mat and f["year"] == r["year"]
                        and f["source_kind"] == "stock")
            check(abs(r["generated_t"] - r["used_new_t"] - r["stored_t"] - r["unallocated_t"]) < 1,
                  f"{tag}: {mat} {r['year']} new-waste balance")
            check(abs(prev + r["stored_t"] - r["drawn_t"] - r["stock_end_t"]) < 1,
                  f"{tag}: {mat} {r['year']} stock balance: {prev} + {r['stored_t']} - {r['drawn_t']} "
                  f"!= {r['stock_end_t']}")
            check(abs(used - r["used_new_t"]) < 1 and abs(drawn - r["drawn_t"]) < 1,
                  f"{tag}: {mat} {r['year']} flows_by_year {used}/{drawn} vs yearly")
            prev = r["stock_end_t"]
    for r in by["red_mud"]:
        check(abs(r["generated_t"] - 2.9e6) < 1, f"{tag}: red mud generated {r['generated_t']}")
        check(r["stored_t"] == 0, f"{tag}: red mud stored {r['stored_t']} despite no new storage")
        want = None if r["year"] < 2027 else (0.15 if r["year"] < 2030 else 0.25)
        check((r["target"] is None and want is None) or
              (want is not None and r["target"] is not None and abs(r["target"] - want) < 1e-12),
              f"{tag}: red mud target {r['year']} = {r['target']}")
        if r["target"] is not None:
            check(abs(r["gap"] - (r["target"] - r["used_new_t"] / r["generated_t"])) < 1e-9,
                  f"{tag}: gap {r['year']}")
    for r in by["titanium_gypsum"]:
        check(abs(r["generated_t"] - 1.1e6) < 1, f"{tag}: titanium gypsum generated")
        check(r["stock_end_t"] - stock0["titanium_gypsum"] <= 3 * 1.1e6 + 1,
              f"{tag}: titanium gypsum new storage above 3 years of output")
    return by


def check_compare(wp, a, b, tmp):
    """compare reads two plans: per material and year, each side equal to
    that plan's own yearly table; sites summed from flows_by_year."""
    diff = os.path.join(tmp, "diff.gpkg")
    p = subprocess.run([wp, "compare", a, b, "-o", diff], capture_output=True, text=True)
    check(p.returncode == 0, f"compare of two plans: exit {p.returncode}: {p.stderr}")
    if p.returncode != 0:
        return
    ya = {(r["year"], r["material"]): r for r in read_table(a, "yearly")}
    yb = {(r["year"], r["material"]): r for r in read_table(b, "yearly")}
    rows = [r for r in read_table(diff, "compare_materials") if r["year"] is not None]
    check(len(rows) == len(ya), f"one compare row per material and year ({len(rows)} vs {len(ya)})")
    for r in rows:
        key = (r["year"], r["material"])
        ra, rb = ya[key], yb[key]
        check(abs(r["delivered_t_a"] - (ra["used_new_t"] + ra["drawn_t"])) <= 1e-6 * max(ra["generated_t"], 1),
              f"compare {key}: delivered A")
        check(abs(r["total_cost_yuan_b"] - rb["cost"]) <= 1e-6 * max(abs(rb["cost"]), 1),
              f"compare {key}: cost B")
    fa = read_table(a, "flows_by_year")
    sites = {r["sink_id"]: r for r in read_table(diff, "compare_sites")}
    got = {}
    for f in fa:
        got[f["sink_id"]] = got.get(f["sink_id"], 0.0) + f["tonnes"]
    check(all(abs(sites[k]["received_t_a"] - v) <= 1e-6 * max(v, 1) for k, v in got.items() if k in sites)
          and set(got) <= set(sites), "compare sites: received over the horizon from flows_by_year")


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    wp = os.path.join(build, "wasteplan")
    with tempfile.TemporaryDirectory() as tmp:
        rep = os.path.join(tmp, "report.gpkg")
        run(wp, rep)
        by = check_balances(rep, "report")
        enf = os.path.join(tmp, "enforce.gpkg")
        out = run(wp, enf, "--enforce")
        be = check_balances(enf, "enforce")
        r30 = [r for r in be["red_mud"] if r["year"] == 2030][0]
        check(r30["stock_drawn_share"] >= 0.05 - 1e-9, f"enforced stock share {r30['stock_drawn_share']}")
        check(r30["stock_shadow_price"] is not None and r30["stock_shadow_price"] > 0,
              f"enforced stock target price {r30['stock_shadow_price']}")
        cost_rep = sum(r["cost"] for rs in by.values() for r in rs)
        cost_enf = sum(r["cost"] for rs in be.values() for r in rs)
        check(cost_enf >= cost_rep - 1e-6 * cost_rep, f"enforcing lowered the cost {cost_enf} < {cost_rep}")
        check("price" in out, "enforced summary shows prices")
        bad = os.path.join(tmp, "short.gpkg")
        out = run(wp, bad, "--enforce", "--set", "target.red_mud.stock.2030=20%")
        bs = check_balances(bad, "short")
        r30 = [r for r in bs["red_mud"] if r["year"] == 2030][0]
        # the yard releases at most 50万t a year: 300万t of 6000万t is 5 %
        check(abs(r30["stock_shortfall_t"] - (0.20 * 60e6 - 6 * 0.5e6)) < 1,
              f"shortfall {r30['stock_shortfall_t']}")
        check("NOT all attainable" in out, "infeasible target reported")
        check_compare(wp, rep, enf, tmp)
    print(f"e2e_plan: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
