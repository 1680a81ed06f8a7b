/*
** test_gpkg.c — the result GeoPackage: a hand-built model and result (two
** materials; point, line and polygon sinks; a stranded source) are written
** and read back through OGR: layers, feature counts, field values worked
** out here from the inputs, output CRS, Chinese aliases in
** gpkg_data_columns, default QGIS styles in layer_styles (QML checked with
** an XML parser), and GDAL's validate_gpkg.py. Failure cases: missing
** directory, bad CRS, invalid sink geometry mid-write, and a signal while
** the temporary file exists: the earlier file stays byte-identical and no
** temporary file is left behind.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "../geo/atomic_file.h"
#include "../geo/gpkg.h"

#define PY "/usr/bin/python3"
#define VALIDATE "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

/* Everything one test writes; built fresh for each test. */
typedef struct {
    char dir[256];
    char out[320];
    wp_geo *g;
    wp_model m;
    wp_result r;
    wp_config cfg;
    wp_gpkg_options o;
} fixture;

enum { RED = 0, ASH = 1 };
/* material parameters, chosen unlike the built-in defaults on purpose */
static const double RATE[2] = {0.4, 0.5}, HANDLING[2] = {8, 6}, CO2[2] = {0.08, 0.1};

/* arcs: source, sink, km, tonnes; arc 4 carries nothing and must be left out */
static const struct {
    int src, sink;
    double km, t;
} ARCS[] = {
    {0, 0, 10, 600}, {0, 1, 20, 400}, {1, 0, 15, 200}, {1, 2, 30, 300}, {1, 1, 25, 0},
};
#define N_ARCS 5

static unsigned char *iso_wkb(const char *wkt, size_t *len) {
    OGRGeometryH g = NULL;
    char *p = (char *)wkt;
    assert_int_equal(OGR_G_CreateFromWkt(&p, NULL, &g), OGRERR_NONE);
    *len = (size_t)OGR_G_WkbSize(g);
    unsigned char *b = malloc(*len);
    assert_non_null(b);
    assert_int_equal(OGR_G_ExportToIsoWkb(g, wkbNDR, b), OGRERR_NONE);
    OGR_G_DestroyGeometry(g);
    return b;
}

static void set_material(wp_material *mat, const char *id, const char *zh, int k) {
    memset(mat, 0, sizeof *mat);
    snprintf(mat->id, sizeof mat->id, "%s", id);
    snprintf(mat->name_zh, sizeof mat->name_zh, "%s", zh);
    mat->density_t_m3 = 1.5;
    mat->max_haul_km = 100;
    mat->road_rate = RATE[k];
    mat->handling = HANDLING[k];
    mat->unallocated_cost = 55;
    mat->co2_kg_per_tkm = CO2[k];
}

static void add_layer(wp_model *m, const char *role, const char *section, long n) {
    wp_layer_info li;
    memset(&li, 0, sizeof li);
    li.role = (char *)role;
    li.section = (char *)section;
    li.path = (char *)"/data/in.gpkg";
    li.layer_name = (char *)role;
    li.crs = (char *)"EPSG:4490";
    li.encoding = (char *)"UTF-8";
    memset(li.sha256, 'a', 64);
    li.features = n;
    assert_true(wp_model_add_layer(m, &li) >= 0);
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_gpkg.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->out, sizeof f->out, "%s/out.gpkg", f->dir);
    f->g = wp_geo_new();
    assert_non_null(f->g);

    wp_model *m = &f->m;
    wp_model_init(m);
    m->materials.count = 2;
    set_material(&m->materials.m[RED], "red_mud", "赤泥", RED);
    set_material(&m->materials.m[ASH], "fly_ash", "粉煤灰", ASH);
    m->detour = 1.25;
    add_layer(m, "plants", "plants", 3);
    add_layer(m, "mines", "mines.2", 1);

    static const struct {
        const char *id, *name;
        wp_source_kind kind;
        int mat;
        double t, lon, lat;
    } S[] = {
        {"P1", "中州铝业", WP_SRC_PLANT, RED, 1000, 113.44, 35.37},
        {"Y1", "电厂灰场", WP_SRC_YARD, ASH, 500, 113.20, 35.22},
        {"P2", "远处铝厂", WP_SRC_PLANT, RED, 200, 118.07, 36.75},
    };
    for (int i = 0; i < 3; i++) {
        wp_source *s = wp_model_add_source(m, S[i].id, S[i].name);
        assert_non_null(s);
        s->kind = S[i].kind;
        s->material = S[i].mat;
        s->supply_t = S[i].t;
        s->lon = S[i].lon;
        s->lat = S[i].lat;
        s->layer = 0;
    }
    /* K1: a cement plant, point, no WKB; K2: a road (line), unlimited;
    ** K3: a backfill mine (polygon), fly ash only. */
    wp_sink *k = wp_model_add_sink(m, "K1", "水泥厂");
    assert_non_null(k);
    k->kind = WP_SINK_PLANT;
    k->lon = 113.15;
    k->lat = 35.25;
    k->accepts = 3;
    k->cap_total_t = 800;
    k->layer = 0;
    k = wp_model_add_sink(m, "K2", "焦荥高速");
    assert_non_null(k);
    k->kind = WP_SINK_ROAD;
    k->lon = 113.5;
    k->lat = 35.1;
    k->accepts = 3;
    k->layer = 0;
    k->wkb = iso_wkb("LINESTRING (113.5 35.1,113.6 35.0,113.7 34.95)", &k->wkb_len);
    k = wp_model_add_sink(m, "K3", "九里山矿");
    assert_non_null(k);
    k->kind = WP_SINK_MINE;
    k->lon = 113.40;
    k->lat = 35.27;
    k->accepts = 1u << ASH;
    k->cap_total_t = 1000;
    k->layer = 1;
    k->wkb = iso_wkb("POLYGON ((113.39 35.26,113.41 35.26,113.41 35.28,113.39 35.28,113.39 35.26))",
                     &k->wkb_len);
    for (int a = 0; a < N_ARCS; a++) {
        wp_arc arc = {ARCS[a].src, ARCS[a].sink, ARCS[a].km, 0, 0};
        arc.to_lon = m->sinks[arc.sink].lon + 0.001 * a;
        arc.to_lat = m->sinks[arc.sink].lat;
        assert_int_equal(wp_model_add_arc(m, &arc), 0);
    }

    /* The result, as an allocation of these numbers would give it. */
    wp_result *r = &f->r;
    memset(r, 0, sizeof *r);
    r->arc_t = calloc(N_ARCS, sizeof(double));
    r->src_delivered = calloc(3, sizeof(double));
    r->src_unalloc = calloc(3, sizeof(double));
    r->src_reason = calloc(3, sizeof(wp_reason));
    r->src_marginal = calloc(3, sizeof(double));
    r->sink_received = calloc(3, sizeof(double));
    r->sink_received_mat = calloc(3 * WP_MAX_MATERIALS, sizeof(double));
    r->sink_shadow = calloc(3, sizeof(double));
    r->sink_shadow_mat = calloc(3 * WP_MAX_MATERIALS, sizeof(double));
    assert_true(r->arc_t && r->src_delivered && r->src_unalloc && r->src_reason &&
                r->src_marginal && r->sink_received && r->sink_received_mat &&
                r->sink_shadow && r->sink_shadow_mat);
    for (int a = 0; a < N_ARCS; a++) {
        int s = ARCS[a].src, kk = ARCS[a].sink, mat = m->sources[s].material;
        double t = ARCS[a].t;
        r->arc_t[a] = t;
        r->src_delivered[s] += t;
        r->sink_received[kk] += t;
        r->sink_received_mat[kk * WP_MAX_MATERIALS + mat] += t;
        r->mat[mat].delivered_t += t;
        r->mat[mat].haul_cost += t * RATE[mat] * ARCS[a].km;
        r->mat[mat].handling_cost += t * HANDLING[mat];
        r->mat[mat].t_km += t * ARCS[a].km;
        r->mat[mat].co2_t += t * ARCS[a].km * CO2[mat] / 1000;
    }
    r->src_unalloc[2] = 200;
    r->src_reason[2] = WP_REASON_OUT_OF_REACH;
    r->src_marginal[0] = 14.5;
    r->src_marginal[1] = 15.0;
    r->src_marginal[2] = 55;
    r->sink_shadow[0] = 5.5;
    r->sink_shadow_mat[2 * WP_MAX_MATERIALS + ASH] = 7.25;   /* K3's fly-ash limit */
    r->mat[RED].supply_t = 1200;
    r->mat[RED].unallocated_t = 200;
    r->mat[RED].penalty_cost = 200 * 55;
    r->mat[ASH].supply_t = 500;
    for (int k2 = 0; k2 < 2; k2++) {
        r->haul_cost += r->mat[k2].haul_cost;
        r->handling_cost += r->mat[k2].handling_cost;
        r->penalty_cost += r->mat[k2].penalty_cost;
        r->t_km += r->mat[k2].t_km;
        r->co2_t += r->mat[k2].co2_t;
    }
    r->total_cost = r->haul_cost + r->handling_cost + r->penalty_cost;
    r->flow_unit_t = 0.001;
    r->cost_unit = 0.01;

    wp_config_init(&f->cfg);
    assert_int_equal(wp_config_set(&f->cfg, "scenario.name", "测试情景", "t.ini:2"), 0);
    assert_int_equal(wp_config_set(&f->cfg, "material.red_mud.max_haul_km", "100", "t.ini:7"), 0);

    f->o.out_path = f->out;
    f->o.out_crs = "EPSG:4490";
    f->o.tool_version = "0.1.0-test";
    f->o.run_time = "2025-01-01T00:00:00Z";
    *state = f;
    return 0;
}

/* Remove everything in the test directory, then the directory. */
static int teardown(void **state) {
    fixture *f = *state;
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        char p[600];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    wp_result *r = &f->r;
    free(r->arc_t);
    free(r->src_delivered);
    free(r->src_unalloc);
    free(r->src_reason);
    free(r->src_marginal);
    free(r->sink_received);
    free(r->sink_received_mat);
    free(r->sink_shadow);
    free(r->sink_shadow_mat);
    wp_model_free(&f->m);
    wp_config_free(&f->cfg);
    wp_geo_free(f->g);
    free(f);
    return 0;
}

/* Number of entries in dir other than . and .., and of those whose name
** contains ".tmp." (temporary files). */
static int count_files(const char *dir, int *tmp) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    *tmp = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        n++;
        if (strstr(e->d_name, ".tmp.")) (*tmp)++;
    }
    closedir(d);
    return n;
}

/* Run argv[0] with argv; return its exit status (-1 if it did not exit). */
static int run(char *const argv[]) {
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static GDALDatasetH open_out(const char *path) {
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    assert_non_null(ds);
    return ds;
}

static OGRLayerH layer(GDALDatasetH ds, const char *name) {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
    if (!l) fail_msg("layer %s missing", name);
    return l;
}

/* The feature of l whose field `key` equals value (caller destroys). */
static OGRFeatureH find(OGRLayerH l, const char *key, const char *value) {
    int i = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), key);
    assert_true(i >= 0);
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        if (!strcmp(OGR_F_GetFieldAsString(f, i), value)) return f;
        OGR_F_Destroy(f);
    }
    fail_msg("no feature with %s = %s", key, value);
    return NULL;
}

static double fnum(OGRFeatureH f, const char *name) {
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0) fail_msg("field %s missing", name);
    if (!OGR_F_IsFieldSetAndNotNull(f, i)) fail_msg("field %s is NULL", name);
    return OGR_F_GetFieldAsDouble(f, i);
}

static const char *fstr(OGRFeatureH f, const char *name) {
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0) fail_msg("field %s missing", name);
    return OGR_F_GetFieldAsString(f, i);
}

static int fnull(OGRFeatureH f, const char *name) {
    int i = OGR_F_GetFieldIndex(f, name);
    if (i < 0) fail_msg("field %s missing", name);
    return OGR_F_IsFieldNull(f, i);
}

static void near(double got, double want) {
    if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want))))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* One value from an SQL query on ds (first row, first column), copied. */
static char *sql1(GDALDatasetH ds, const char *sql) {
    OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
    if (!res) return NULL;
    OGRFeatureH f = OGR_L_GetNextFeature(res);
    char *v = NULL;
    if (f) {
        v = strdup(OGR_F_GetFieldAsString(f, 0));
        OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, res);
    return v;
}

static void assert_sql(GDALDatasetH ds, const char *sql, const char *want) {
    char *v = sql1(ds, sql);
    if (!v || strcmp(v, want)) fail_msg("%s\n got '%s', want '%s'", sql, v ? v : "(no row)", want);
    free(v);
}

static void write_ok(fixture *f) {
    char err[512];
    int rc = wp_write_gpkg(f->g, &f->m, &f->r, &f->cfg, &f->o, err, sizeof err);
    if (rc != 0) fail_msg("write failed: %s", err);
}

/* flows: one feature per carrying arc, values from the inputs. */
static void test_flows(void **state) {
    fixture *f = *state;
    write_ok(f);
    int tmp;
    assert_int_equal(count_files(f->dir, &tmp), 1);
    assert_int_equal(tmp, 0);
    GDALDatasetH ds = open_out(f->out);
    OGRLayerH l = layer(ds, "flows");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 4);
    assert_int_equal(wkbFlatten(OGR_L_GetGeomType(l)), wkbLineString);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
    assert_non_null(srs);
    assert_string_equal(OSRGetAuthorityCode(srs, NULL), "4490");

    OGR_L_SetAttributeFilter(l, "source_id = 'Y1' AND sink_id = 'K3'");
    OGRFeatureH ft = OGR_L_GetNextFeature(l);
    assert_non_null(ft);
    assert_string_equal(fstr(ft, "material"), "fly_ash");
    assert_string_equal(fstr(ft, "material_zh"), "粉煤灰");
    assert_string_equal(fstr(ft, "source_name"), "电厂灰场");
    assert_string_equal(fstr(ft, "sink_name"), "九里山矿");
    near(fnum(ft, "tonnes"), 300);
    near(fnum(ft, "distance_km"), 30);
    near(fnum(ft, "cost_per_t"), 6 + 0.5 * 30);
    near(fnum(ft, "cost_yuan"), 300 * (6 + 0.5 * 30));
    near(fnum(ft, "t_km"), 9000);
    near(fnum(ft, "co2_t"), 0.1 * 9000 / 1000);
    /* source point -> the arc's delivery point, x = longitude */
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    assert_int_equal(OGR_G_GetPointCount(g), 2);
    assert_true(fabs(OGR_G_GetX(g, 0) - 113.20) < 1e-6);
    assert_true(fabs(OGR_G_GetY(g, 0) - 35.22) < 1e-6);
    assert_true(fabs(OGR_G_GetX(g, 1) - (113.40 + 0.003)) < 1e-6);
    assert_true(fabs(OGR_G_GetY(g, 1) - 35.27) < 1e-6);
    OGR_F_Destroy(ft);
    /* the empty arc Y1 -> K2 is not there */
    OGR_L_SetAttributeFilter(l, "source_id = 'Y1' AND sink_id = 'K2'");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 0);
    OGR_L_SetAttributeFilter(l, NULL);
    GDALClose(ds);
}

/* sources: outcome per source, the stranded one with its reason. */
static void test_sources(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    OGRLayerH l = layer(ds, "sources");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    assert_int_equal(wkbFlatten(OGR_L_GetGeomType(l)), wkbPoint);
    assert_string_equal(OSRGetAuthorityCode(OGR_L_GetSpatialRef(l), NULL), "4490");
    OGRFeatureH ft = find(l, "source_id", "P2");
    assert_string_equal(fstr(ft, "name"), "远处铝厂");
    assert_string_equal(fstr(ft, "kind"), "plant");
    assert_string_equal(fstr(ft, "material"), "red_mud");
    assert_string_equal(fstr(ft, "material_zh"), "赤泥");
    near(fnum(ft, "supply_t"), 200);
    near(fnum(ft, "delivered_t"), 0);
    near(fnum(ft, "unallocated_t"), 200);
    near(fnum(ft, "utilisation_pct"), 0);
    assert_string_equal(fstr(ft, "reason"), wp_reason_str(WP_REASON_OUT_OF_REACH));
    assert_string_equal(fstr(ft, "reason_zh"), wp_reason_zh(WP_REASON_OUT_OF_REACH));
    near(fnum(ft, "marginal_cost"), 55);
    assert_string_equal(fstr(ft, "layer"), "plants");
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    assert_true(fabs(OGR_G_GetX(g, 0) - 118.07) < 1e-6);
    assert_true(fabs(OGR_G_GetY(g, 0) - 36.75) < 1e-6);
    OGR_F_Destroy(ft);
    ft = find(l, "source_id", "Y1");
    assert_string_equal(fstr(ft, "kind"), "yard");
    near(fnum(ft, "delivered_t"), 500);
    near(fnum(ft, "utilisation_pct"), 100);
    assert_string_equal(fstr(ft, "reason"), wp_reason_str(WP_REASON_NONE));
    OGR_F_Destroy(ft);
    GDALClose(ds);
}

/* sinks: original geometry kinds, unlimited capacity as NULL, per-material
** received columns. */
static void test_sinks(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    OGRLayerH l = layer(ds, "sinks");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    assert_int_equal(OGR_L_GetGeomType(l), wkbUnknown);
    assert_string_equal(OSRGetAuthorityCode(OGR_L_GetSpatialRef(l), NULL), "4490");

    OGRFeatureH ft = find(l, "sink_id", "K1");
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(OGR_F_GetGeometryRef(ft))), wkbPoint);
    assert_string_equal(fstr(ft, "kind"), "plant");
    assert_string_equal(fstr(ft, "accepts"), "red_mud,fly_ash");
    near(fnum(ft, "capacity_t"), 800);
    near(fnum(ft, "received_t"), 800);
    near(fnum(ft, "fill_pct"), 100);
    near(fnum(ft, "shadow_price"), 5.5);
    near(fnum(ft, "received_red_mud"), 600);
    near(fnum(ft, "received_fly_ash"), 200);
    OGR_F_Destroy(ft);

    ft = find(l, "sink_id", "K2");
    OGRGeometryH g = OGR_F_GetGeometryRef(ft);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(g)), wkbLineString);
    assert_int_equal(OGR_G_GetPointCount(g), 3);
    assert_true(fabs(OGR_G_GetX(g, 2) - 113.7) < 1e-6);
    assert_string_equal(fstr(ft, "kind"), "road");
    assert_true(fnull(ft, "capacity_t"));
    assert_true(fnull(ft, "fill_pct"));
    near(fnum(ft, "received_t"), 400);
    OGR_F_Destroy(ft);

    ft = find(l, "sink_id", "K3");
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(OGR_F_GetGeometryRef(ft))), wkbPolygon);
    assert_string_equal(fstr(ft, "kind"), "mine");
    assert_string_equal(fstr(ft, "accepts"), "fly_ash");
    near(fnum(ft, "fill_pct"), 30);
    near(fnum(ft, "received_red_mud"), 0);
    near(fnum(ft, "received_fly_ash"), 300);
    near(fnum(ft, "shadow_fly_ash"), 7.25);
    assert_true(fnull(ft, "shadow_red_mud"));   /* not accepted */
    near(fnum(ft, "shadow_price"), 7.25);       /* the binding limit's price */
    assert_string_equal(fstr(ft, "layer"), "mines.2");
    OGR_F_Destroy(ft);
    GDALClose(ds);
}

/* summary: one row per material and 'all', costs recomputed from arcs. */
static void test_summary(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    OGRLayerH l = layer(ds, "summary");
    assert_int_equal(OGR_L_GetGeomType(l), wkbNone);
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    OGRFeatureH ft = find(l, "material", "red_mud");
    double haul = 600 * 0.4 * 10 + 400 * 0.4 * 20, handling = 1000 * 8.0;
    near(fnum(ft, "supply_t"), 1200);
    near(fnum(ft, "delivered_t"), 1000);
    near(fnum(ft, "unallocated_t"), 200);
    near(fnum(ft, "utilisation_pct"), 1000.0 / 1200 * 100);
    near(fnum(ft, "haul_cost_yuan"), haul);
    near(fnum(ft, "handling_cost_yuan"), handling);
    near(fnum(ft, "penalty_cost_yuan"), 200 * 55);
    near(fnum(ft, "total_cost_yuan"), haul + handling + 200 * 55);
    near(fnum(ft, "cost_per_t_delivered"), (haul + handling) / 1000);
    near(fnum(ft, "t_km"), 600 * 10 + 400 * 20);
    near(fnum(ft, "co2_t"), (600 * 10 + 400 * 20) * 0.08 / 1000);
    OGR_F_Destroy(ft);
    ft = find(l, "material", "all");
    near(fnum(ft, "supply_t"), 1700);
    near(fnum(ft, "delivered_t"), 1500);
    near(fnum(ft, "utilisation_pct"), 1500.0 / 1700 * 100);
    double ash_haul = 200 * 0.5 * 15 + 300 * 0.5 * 30;
    near(fnum(ft, "total_cost_yuan"), haul + handling + 200 * 55 + ash_haul + 500 * 6);
    OGR_F_Destroy(ft);
    GDALClose(ds);
}

/* scenario: config entries with origins, inputs, run, material params. */
static void test_scenario(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    assert_int_equal(OGR_L_GetGeomType(layer(ds, "scenario")), wkbNone);
    assert_sql(ds, "SELECT value || '|' || origin FROM scenario WHERE key = 'scenario.name'",
               "测试情景|t.ini:2");
    assert_sql(ds, "SELECT count(*) FROM scenario WHERE key = 'material.red_mud.max_haul_km'", "1");
    assert_sql(ds, "SELECT origin FROM scenario WHERE key = 'material.red_mud.max_haul_km'", "t.ini:7");
    assert_sql(ds, "SELECT value || '|' || origin FROM scenario WHERE key = 'material.fly_ash.road_rate'",
               "0.5|in force");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'material.fly_ash.handling'", "6");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'material.red_mud.name_zh'", "赤泥");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'model.detour'", "1.25");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'tool_version'", "0.1.0-test");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'run_time'", "2025-01-01T00:00:00Z");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'input.mines.2.features'", "1");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'input.plants.crs'", "EPSG:4490");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'input.plants.encoding'", "UTF-8");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'input.plants.path'", "/data/in.gpkg");
    assert_sql(ds, "SELECT length(value) FROM scenario WHERE key = 'input.plants.sha256'", "64");
    assert_sql(ds, "SELECT value FROM scenario WHERE key = 'output.crs'", "EPSG:4490");
    GDALClose(ds);
}

/* Aliases: a gpkg_data_columns row for every field of every table. */
static void test_aliases(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    static const char *const want[][3] = {
        {"flows", "tonnes", "吨数"},
        {"flows", "distance_km", "运距(km)"},
        {"flows", "cost_yuan", "运输成本(元)"},
        {"sources", "supply_t", "产生量(t)"},
        {"sources", "delivered_t", "利用量(t)"},
        {"sources", "unallocated_t", "未利用量(t)"},
        {"sources", "utilisation_pct", "利用率(%)"},
        {"sources", "reason", "原因"},
        {"sources", "marginal_cost", "边际成本(元/t)"},
        {"sinks", "capacity_t", "接收能力(t)"},
        {"sinks", "received_t", "接收量(t)"},
        {"sinks", "fill_pct", "负荷率(%)"},
        {"sinks", "shadow_price", "影子价格(元/t)"},
        {"summary", "utilisation_pct", "利用率(%)"},
    };
    char sql[256];
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT name || '|' || title FROM gpkg_data_columns "
                 "WHERE table_name = '%s' AND column_name = '%s'", want[i][0], want[i][1]);
        char both[128];
        snprintf(both, sizeof both, "%s|%s", want[i][2], want[i][2]);
        assert_sql(ds, sql, both);
    }
    char *v = sql1(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'sinks' "
                       "AND column_name = 'received_fly_ash'");
    assert_non_null(v);
    assert_non_null(strstr(v, "粉煤灰"));
    free(v);
    /* every user field of each table has its row */
    static const char *const tables[] = {"flows", "sources", "sinks", "summary", "scenario"};
    for (size_t i = 0; i < 5; i++) {
        OGRLayerH l = layer(ds, tables[i]);
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM gpkg_data_columns WHERE table_name = '%s'", tables[i]);
        char n[16];
        snprintf(n, sizeof n, "%d", OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(l)));
        assert_sql(ds, sql, n);
    }
    assert_sql(ds, "SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_schema'", "2");
    GDALClose(ds);
}

/* The QML check run by python3: well-formed XML, the QGIS 3.28 root, the
** renderer each layer must have, and the aliases. argv: file kind values
** aliases ("field=alias;..."). */
static const char *const QML_CHECK =
    "import sys, xml.etree.ElementTree as ET\n"
    "path, kind, values, aliases = sys.argv[1:5]\n"
    "root = ET.parse(path).getroot()\n"
    "assert root.tag == 'qgis', root.tag\n"
    "assert root.get('version', '').startswith('3.28'), root.get('version')\n"
    "assert root.get('styleCategories') == 'AllStyleCategories'\n"
    "r = root.find('renderer-v2')\n"
    "syms = {s.get('name'): s for s in r.find('symbols')}\n"
    "def dd(sym):\n"
    "    return {o.get('name'): o.find(\"Option[@name='expression']\").get('value')\n"
    "            for o in sym.iter('Option')\n"
    "            if o.find(\"Option[@name='expression']\") is not None}\n"
    "if kind in ('flows', 'sources'):\n"
    "    assert r.get('type') == 'categorizedSymbol', r.get('type')\n"
    "    assert r.get('attr') == ('material' if kind == 'flows' else 'reason')\n"
    "    cats = list(r.find('categories'))\n"
    "    got = [c.get('value') for c in cats]\n"
    "    assert set(values.split(',')) <= set(got), got\n"
    "    if kind == 'flows': assert len(got) == len(values.split(',')), got\n"
    "    colours = set()\n"
    "    for c in cats:\n"
    "        s = syms[c.get('symbol')]\n"
    "        assert s.get('type') == ('line' if kind == 'flows' else 'marker')\n"
    "        colours.add(s.find('layer').find(\"Option/Option[@name='line_color']\" if kind == 'flows'\n"
    "                    else \"Option/Option[@name='color']\").get('value'))\n"
    "        e = dd(s)\n"
    "        if kind == 'flows': assert 'tonnes' in e['outlineWidth'], e\n"
    "        else: assert 'supply_t' in e['size'], e\n"
    "    assert len(colours) == len(cats), colours\n"
    "else:\n"
    "    assert r.get('type') == 'RuleRenderer', r.get('type')\n"
    "    top = list(r.find('rules'))\n"
    "    kinds = {'Polygon': 'fill', 'Line': 'line', 'Point': 'marker'}\n"
    "    seen = set()\n"
    "    for rule in top:\n"
    "        gt = [k for k in kinds if \"'%s'\" % k in rule.get('filter')]\n"
    "        assert len(gt) == 1, rule.get('filter')\n"
    "        seen.add(gt[0])\n"
    "        kids = list(rule)\n"
    "        assert any('fill_pct' in k.get('filter') and '80' in k.get('filter') for k in kids)\n"
    "        assert any('IS NULL' in k.get('filter') for k in kids)\n"
    "        for k in kids: assert syms[k.get('symbol')].get('type') == kinds[gt[0]]\n"
    "    assert seen == set(kinds), seen\n"
    "al = {a.get('field'): a.get('name') for a in root.find('aliases')}\n"
    "for pair in aliases.split(';'):\n"
    "    f, a = pair.split('=')\n"
    "    assert al.get(f) == a, (f, al.get(f))\n";

static void check_qml(fixture *f, const char *qml, const char *kind,
                      const char *values, const char *aliases) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s.qml", f->dir, kind);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(qml, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    char *argv[] = {PY, "-c", (char *)QML_CHECK, path, (char *)kind,
                    (char *)values, (char *)aliases, NULL};
    assert_int_equal(run(argv), 0);
    unlink(path);
}

/* layer_styles: a default style for each map layer, valid QML. */
static void test_styles(void **state) {
    fixture *f = *state;
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    OGRLayerH l = layer(ds, "layer_styles");
    assert_int_equal(OGR_L_GetFeatureCount(l, TRUE), 3);
    static const char *const t[] = {"flows", "sources", "sinks"};
    static const char *const values[] = {"red_mud,fly_ash",
                                         "delivered,out_of_reach,sites_full", ""};
    static const char *const aliases[] = {"tonnes=吨数;cost_yuan=运输成本(元)",
                                          "reason=原因;marginal_cost=边际成本(元/t)",
                                          "fill_pct=负荷率(%);received_fly_ash=接收量·粉煤灰(t)"};
    for (int i = 0; i < 3; i++) {
        OGRFeatureH ft = find(l, "f_table_name", t[i]);
        assert_int_equal(OGR_F_GetFieldAsInteger(ft, OGR_F_GetFieldIndex(ft, "useAsDefault")), 1);
        assert_string_equal(fstr(ft, "f_table_schema"), "");
        assert_string_equal(fstr(ft, "f_geometry_column"), "geom");
        assert_true(strlen(fstr(ft, "styleName")) > 0);
        check_qml(f, fstr(ft, "styleQML"), t[i], values[i], aliases[i]);
        OGR_F_Destroy(ft);
    }
    assert_sql(ds, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'",
               "attributes");
    GDALClose(ds);
}

/* Two materials with the same awkward Chinese name (quote, <, &): the SQL
** and the QML survive it and the aliases stay unique per table. */
static void test_awkward_names(void **state) {
    fixture *f = *state;
    static const char zh[] = "灰'<&>\"渣";
    snprintf(f->m.materials.m[RED].name_zh, sizeof f->m.materials.m[RED].name_zh, "%s", zh);
    snprintf(f->m.materials.m[ASH].name_zh, sizeof f->m.materials.m[ASH].name_zh, "%s", zh);
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    char *a = sql1(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'sinks' "
                       "AND column_name = 'received_red_mud'");
    char *b = sql1(ds, "SELECT name FROM gpkg_data_columns WHERE table_name = 'sinks' "
                       "AND column_name = 'received_fly_ash'");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(strstr(a, zh));
    assert_non_null(strstr(b, zh));
    assert_string_not_equal(a, b);
    free(a);
    free(b);
    OGRFeatureH ft = find(layer(ds, "layer_styles"), "f_table_name", "flows");
    check_qml(f, fstr(ft, "styleQML"), "flows", "red_mud,fly_ash", "tonnes=吨数");
    OGR_F_Destroy(ft);
    ft = find(layer(ds, "flows"), "material", "fly_ash");
    assert_string_equal(fstr(ft, "material_zh"), zh);
    OGR_F_Destroy(ft);
    GDALClose(ds);
}

/* GDAL's own GeoPackage validator accepts the file. */
static void test_validate(void **state) {
    fixture *f = *state;
    write_ok(f);
    char *argv[] = {PY, VALIDATE, f->out, NULL};
    assert_int_equal(run(argv), 0);
}

/* Writing over an earlier result replaces it completely. */
static void test_overwrite(void **state) {
    fixture *f = *state;
    FILE *fp = fopen(f->out, "w");
    assert_non_null(fp);
    fputs("an earlier file", fp);
    fclose(fp);
    write_ok(f);
    GDALDatasetH ds = open_out(f->out);
    assert_int_equal(OGR_L_GetFeatureCount(layer(ds, "flows"), TRUE), 4);
    GDALClose(ds);
    int tmp;
    assert_int_equal(count_files(f->dir, &tmp), 1);
    assert_int_equal(tmp, 0);
}

static void test_missing_directory(void **state) {
    fixture *f = *state;
    char path[400], err[512], dir[340];
    snprintf(dir, sizeof dir, "%s/no_such_dir", f->dir);
    snprintf(path, sizeof path, "%s/out.gpkg", dir);
    f->o.out_path = path;
    assert_int_equal(wp_write_gpkg(f->g, &f->m, &f->r, &f->cfg, &f->o, err, sizeof err), -1);
    assert_non_null(strstr(err, "does not exist"));
    assert_non_null(strstr(err, "no_such_dir"));
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    int tmp;
    assert_int_equal(count_files(f->dir, &tmp), 0);
}

/* Write junk at the target, run a failing write, check it is unchanged. */
static void expect_failure_keeps_file(fixture *f, const char *needle) {
    static const char old[] = "earlier result, must survive\n";
    FILE *fp = fopen(f->out, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(old, 1, sizeof old - 1, fp), sizeof old - 1);
    assert_int_equal(fclose(fp), 0);
    char err[512];
    assert_int_equal(wp_write_gpkg(f->g, &f->m, &f->r, &f->cfg, &f->o, err, sizeof err), -1);
    if (!strstr(err, needle)) fail_msg("error '%s' lacks '%s'", err, needle);
    char buf[128];
    fp = fopen(f->out, "rb");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_int_equal(n, sizeof old - 1);
    assert_memory_equal(buf, old, n);
    int tmp;
    assert_int_equal(count_files(f->dir, &tmp), 1);
    assert_int_equal(tmp, 0);
}

static void test_bad_crs_keeps_file(void **state) {
    fixture *f = *state;
    f->o.out_crs = "EPSG:99999999";
    expect_failure_keeps_file(f, "EPSG:99999999");
}

/* A failure after the temporary file exists: a sink whose stored WKB is
** junk is found only while writing the sinks layer. */
static void test_bad_geometry_keeps_file(void **state) {
    fixture *f = *state;
    wp_sink *k = &f->m.sinks[2];
    memset(k->wkb, 0xff, k->wkb_len);
    expect_failure_keeps_file(f, "K3");
}

/* SIGTERM while the temporary file exists removes it and still kills. */
static void test_signal_cleanup(void **state) {
    fixture *f = *state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        wp_atomic_file af;
        char err[256];
        if (wp_atomic_begin(&af, f->out, err, sizeof err) != 0) _exit(2);
        FILE *fp = fopen(af.tmp, "w");
        if (!fp) _exit(3);
        fputs("partial", fp);
        fclose(fp);
        raise(SIGTERM);
        _exit(4);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGTERM);
    int tmp;
    assert_int_equal(count_files(f->dir, &tmp), 0);
}

/* The temporary name lies beside the target and keeps the extension. */
static void test_atomic_names(void **state) {
    fixture *f = *state;
    wp_atomic_file af, af2;
    char err[256];
    assert_int_equal(wp_atomic_begin(&af, f->out, err, sizeof err), 0);
    char want[400];
    snprintf(want, sizeof want, "%s/.out.gpkg.tmp.%ld.gpkg", f->dir, (long)getpid());
    assert_string_equal(af.tmp, want);
    /* one at a time */
    assert_int_equal(wp_atomic_begin(&af2, f->out, err, sizeof err), -1);
    wp_atomic_abort(&af);
    assert_int_equal(wp_atomic_begin(&af, f->dir, err, sizeof err), -1);
    assert_non_null(strstr(err, "directory"));
}

int main(void) {
    GDALAllRegister();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scenario, setup, teardown),
        cmocka_unit_test_setup_teardown(test_aliases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_styles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_awkward_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_crs_keeps_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_geometry_keeps_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_cleanup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_atomic_names, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    GDALDestroyDriverManager();
    OGRCleanupAll();
    return rc;
}
