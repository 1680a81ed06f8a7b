/*
** test_load.c — unit tests for geo/load.c and its helpers (encoding, CRS,
** SHA-256). Every fixture is written at test time with OGR (or as plain
** text for CSV) into a fresh mkdtemp directory, so no binary test data is
** kept in the tree. Expected coordinates come from independent formulas
** (meridian arc length integrated numerically), not from the loader.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_string.h>

#include "../geo/crs.h"
#include "../geo/encoding.h"
#include "../geo/load.h"
#include "../geo/sha256.h"
#include "../planner/units.h"

static char tmpdir[256];
static wp_geo *G;

/* ------------------------------------------------------------------ */
/* Fixture helpers                                                      */

static char *tpath(const char *name) {
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

typedef struct {
    const char *name;
    OGRFieldType type;
} col;

/* Write one layer. cells holds nrows rows of (1 + ncols) strings: the WKT
** geometry ("" for none, "NANPOINT" for a point with NaN coordinates)
** followed by field values (NULL leaves the field unset). A GeoPackage
** that exists already gets the layer added. epsg 0 writes no CRS. */
static void write_layer(const char *path, const char *drvname, const char *lname,
                        int epsg, OGRwkbGeometryType gt, const char *const *lco,
                        const col *cols, int ncols, const char *const *cells,
                        int nrows) {
    GDALDriverH drv = GDALGetDriverByName(drvname);
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = NULL;
    OGRLayerH lyr;
    struct stat sb;
    int i, r;

    static const char *const utf8_lco[] = {"ENCODING=UTF-8", NULL};
    assert_non_null(drv);
    /* Shapefiles default to ISO-8859-1 (LDID 87), which cannot hold Chinese. */
    if (!lco && strcmp(drvname, "ESRI Shapefile") == 0) lco = utf8_lco;
    if (strcmp(drvname, "GPKG") == 0 && stat(path, &sb) == 0)
        ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    else
        ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    assert_non_null(ds);
    if (epsg) {
        srs = OSRNewSpatialReference(NULL);
        assert_int_equal(OSRImportFromEPSG(srs, epsg), OGRERR_NONE);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    lyr = GDALDatasetCreateLayer(ds, lname, srs, gt, (char **)lco);
    assert_non_null(lyr);
    for (i = 0; i < ncols; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(cols[i].name, cols[i].type);
        if (cols[i].type == OFTString) OGR_Fld_SetWidth(fd, 80);
        assert_int_equal(OGR_L_CreateField(lyr, fd, 1), OGRERR_NONE);
        OGR_Fld_Destroy(fd);
    }
    for (r = 0; r < nrows; r++) {
        const char *const *row = cells + r * (ncols + 1);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        if (strcmp(row[0], "NANPOINT") == 0) {
            OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(g, 0, NAN, NAN);
            OGR_F_SetGeometryDirectly(f, g);
        } else if (row[0][0]) {
            OGRGeometryH g = NULL;
            char *w = (char *)row[0];
            assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &g), OGRERR_NONE);
            OGR_F_SetGeometryDirectly(f, g);
        }
        for (i = 0; i < ncols; i++)
            if (row[i + 1]) OGR_F_SetFieldString(f, i, row[i + 1]);
        assert_int_equal(OGR_L_CreateFeature(lyr, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    if (srs) OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

static void write_text(const char *path, const char *text, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    fclose(f);
}

/* UTF-8 -> GBK with iconv, for hand-made GBK CSV files. */
static size_t to_gbk(const char *utf8, char *out, size_t cap) {
    iconv_t cd = iconv_open("GBK", "UTF-8");
    char *in = (char *)utf8, *op = out;
    size_t il = strlen(utf8), ol = cap;
    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    return cap - ol;
}

/* ------------------------------------------------------------------ */
/* Loading helpers                                                      */

typedef struct {
    wp_config cfg;
    wp_model m;
    wp_problems p;
    char err[1024];
    int rc;
} run_t;

static void run_init(run_t *r) {
    memset(r, 0, sizeof *r);
    wp_config_init(&r->cfg);
    wp_model_init(&r->m);
}

static void set(run_t *r, const char *section, const char *key, const char *value) {
    assert_int_equal(wp_config_set_in(&r->cfg, section, key, value, "t.ini:3"), 0);
}

static void load(run_t *r) {
    r->rc = wp_load_layers(G, &r->cfg, &r->m, &r->p, r->err, sizeof r->err);
}

static void run_free(run_t *r) {
    wp_problems_free(&r->p);
    wp_model_free(&r->m);
    wp_config_free(&r->cfg);
}

/* Some problem holds every one of the (NULL-terminated) substrings. */
static int has_problem(const run_t *r, ...) {
    int i;
    for (i = 0; i < r->p.count; i++) {
        va_list ap;
        const char *s;
        int ok = 1;
        va_start(ap, r);
        while ((s = va_arg(ap, const char *)) != NULL)
            if (!strstr(r->p.text[i], s)) ok = 0;
        va_end(ap);
        if (ok) return 1;
    }
    return 0;
}

static void dump(const run_t *r) {
    int i;
    for (i = 0; i < r->p.count; i++) fprintf(stderr, "  problem: %s\n", r->p.text[i]);
}

#define ASSERT_PROBLEM(r, ...)                                  \
    do {                                                        \
        if (!has_problem((r), __VA_ARGS__, (const char *)NULL)) \
            dump(r);                                            \
        assert_true(has_problem((r), __VA_ARGS__, (const char *)NULL)); \
    } while (0)

#define ASSERT_LOADED(r)                 \
    do {                                 \
        if ((r)->rc != 0) dump(r);       \
        assert_int_equal((r)->rc, 0);    \
        assert_int_equal((r)->p.fatal, 0); \
    } while (0)

static const wp_source *source_by_id(const wp_model *m, const char *id) {
    int i;
    for (i = 0; i < m->n_sources; i++)
        if (strcmp(m->sources[i].id, id) == 0) return &m->sources[i];
    return NULL;
}

static const wp_sink *sink_by_id(const wp_model *m, const char *id) {
    int i;
    for (i = 0; i < m->n_sinks; i++)
        if (strcmp(m->sinks[i].id, id) == 0) return &m->sinks[i];
    return NULL;
}

static int mat(const wp_model *m, const char *id) {
    int i = wp_materials_find(&m->materials, id);
    assert_true(i >= 0);
    return i;
}

/* Meridian arc length from the equator to latitude phi (degrees) on an
** ellipsoid (a, f), by Simpson's rule on a(1-e²)(1-e² sin²φ)^(-3/2):
** independent of PROJ, accurate to well under a millimetre. */
static double meridian_arc(double a, double f, double phi_deg) {
    double e2 = f * (2 - f), phi = phi_deg * M_PI / 180, h, s = 0;
    int n = 2000, i;
    h = phi / n;
    for (i = 0; i <= n; i++) {
        double x = i * h, sn = sin(x);
        double v = a * (1 - e2) / pow(1 - e2 * sn * sn, 1.5);
        s += v * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    return s * h / 3;
}

/* ------------------------------------------------------------------ */
/* Helpers: SHA-256, encodings, CRS                                     */

static void test_sha256_vectors(void **state) {
    static const struct { const char *in, *out; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[65], err[256];
    wp_sha256 s;
    char block[1000];
    int i;
    (void)state;
    for (i = 0; i < 3; i++) {
        wp_sha256_init(&s);
        wp_sha256_update(&s, v[i].in, strlen(v[i].in));
        wp_sha256_final(&s, hex);
        assert_string_equal(hex, v[i].out);
    }
    /* One million 'a', fed in uneven pieces to exercise the block buffer. */
    memset(block, 'a', sizeof block);
    wp_sha256_init(&s);
    for (i = 0; i < 1000; i++) {
        wp_sha256_update(&s, block, 333);
        wp_sha256_update(&s, block, 667);
    }
    wp_sha256_final(&s, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    write_text(tpath("abc.txt"), "abc", 3);
    assert_int_equal(wp_sha256_file(tpath("abc.txt"), hex, err, sizeof err), 0);
    assert_string_equal(hex, v[1].out);
    assert_int_equal(wp_sha256_file(tpath("nope.txt"), hex, err, sizeof err), -1);
    assert_non_null(strstr(err, "nope.txt"));
}

static void test_encoding_helpers(void **state) {
    wp_decoder d;
    char err[256], out[64];
    char *s;
    int bad;
    (void)state;
    assert_true(wp_utf8_valid("焦作", strlen("焦作")));
    assert_false(wp_utf8_valid("\xbd\xb9\xd7\xf7", 4));        /* 焦作 in GBK */
    assert_false(wp_utf8_valid("\xed\xa0\x80", 3));            /* surrogate */
    assert_false(wp_utf8_valid("\xc0\xaf", 2));                /* overlong */
    assert_int_equal(wp_decoder_open(&d, "GBK", err, sizeof err), 0);
    s = wp_decode(&d, "\xbd\xb9\xd7\xf7", &bad);
    assert_non_null(s);
    assert_string_equal(s, "焦作");
    free(s);
    assert_null(wp_decode(&d, "ab\x81", &bad));                 /* truncated */
    assert_int_equal(bad, 1);
    wp_decoder_close(&d);
    assert_int_equal(wp_decoder_open(&d, "NO-SUCH-ENC", err, sizeof err), -1);
    assert_non_null(strstr(err, "NO-SUCH-ENC"));
    assert_int_equal(wp_cpg_encoding(" 936\n", out, sizeof out), 0);
    assert_string_equal(out, "CP936");
    assert_int_equal(wp_cpg_encoding("ANSI 936", out, sizeof out), 0);
    assert_string_equal(out, "CP936");
    assert_int_equal(wp_cpg_encoding("utf8", out, sizeof out), 0);
    assert_string_equal(out, "UTF-8");
    assert_int_equal(wp_cpg_encoding("88591", out, sizeof out), 0);
    assert_string_equal(out, "ISO-8859-1");
    assert_string_equal(wp_ldid_encoding(0x4D), "CP936");
    assert_null(wp_ldid_encoding(0x57));
    assert_null(wp_ldid_encoding(0));
}

static void test_crs_helpers(void **state) {
    char err[256], *l;
    OGRSpatialReferenceH s;
    (void)state;
    s = wp_crs_parse("EPSG:4490", err, sizeof err);
    assert_non_null(s);
    l = wp_crs_label(s);
    assert_string_equal(l, "EPSG:4490");
    free(l);
    assert_true(wp_crs_is_geographic(s));
    assert_false(wp_crs_is_wgs84(s));
    OSRDestroySpatialReference(s);
    assert_null(wp_crs_parse("EPSG:999999", err, sizeof err));
    assert_non_null(strstr(err, "EPSG:999999"));
    assert_null(wp_crs_parse("/etc/passwd", err, sizeof err));
}

/* ------------------------------------------------------------------ */
/* Encodings of shapefiles and CSV                                     */

static const col gbk_cols[] = {
    {"名称", OFTString}, {"固废种类", OFTString}, {"年产生量", OFTReal}};
static const char *const gbk_rows[] = {
    "POINT (113.20 35.22)", "焦作电厂", "粉煤灰", "45",
    "POINT (113.368 35.25)", "万方铝业自备电厂", "脱硫石膏", "8.5",
};

/* GBK .dbf, with the .cpg GDAL writes ("GBK"). */
static void test_gbk_shapefile_with_cpg(void **state) {
    const char *lco[] = {"ENCODING=GBK", NULL};
    run_t r;
    const wp_source *s;
    (void)state;
    write_layer(tpath("gbk_cpg.shp"), "ESRI Shapefile", "gbk_cpg", 4326, wkbPoint,
                lco, gbk_cols, 3, gbk_rows, 2);
    run_init(&r);
    set(&r, "plants", "path", tpath("gbk_cpg.shp"));
    set(&r, "plants", "unit", "万吨");
    load(&r);
    ASSERT_LOADED(&r);
    assert_int_equal(r.m.n_sources, 2);
    s = &r.m.sources[0];
    assert_string_equal(s->name, "焦作电厂");
    assert_string_equal(s->id, "plants:0");
    assert_int_equal(s->material, mat(&r.m, "fly_ash"));
    assert_true(fabs(s->supply_t - 450000) < 1e-6);
    assert_string_equal(r.m.sources[1].name, "万方铝业自备电厂");
    assert_true(fabs(r.m.sources[1].supply_t - 85000) < 1e-6);
    assert_int_equal(r.m.n_layers, 1);
    assert_string_equal(r.m.layers[0].encoding, "GBK");
    assert_string_equal(r.m.layers[0].crs, "EPSG:4326");
    assert_string_equal(r.m.layers[0].role, "plants");
    assert_int_equal(r.m.layers[0].features, 2);
    assert_int_equal(strlen(r.m.layers[0].sha256), 64);
    {
        /* the fingerprint covers every file of the shapefile, in order */
        char hex[65], shp_only[65], err[128];
        char f0[512], f1[512], f2[512], f3[512], f4[512];
        snprintf(f0, sizeof f0, "%s", tpath("gbk_cpg.shp"));
        snprintf(f1, sizeof f1, "%s", tpath("gbk_cpg.shx"));
        snprintf(f2, sizeof f2, "%s", tpath("gbk_cpg.dbf"));
        snprintf(f3, sizeof f3, "%s", tpath("gbk_cpg.prj"));
        snprintf(f4, sizeof f4, "%s", tpath("gbk_cpg.cpg"));
        const char *files[] = {f0, f1, f2, f3, f4};
        assert_int_equal(wp_sha256_files(files, 5, hex, err, sizeof err), 0);
        assert_string_equal(hex, r.m.layers[0].sha256);
        assert_int_equal(wp_sha256_file(f0, shp_only, err, sizeof err), 0);
        assert_string_not_equal(shp_only, r.m.layers[0].sha256);
    }
    run_free(&r);
}

/* The same bytes with the .cpg deleted: detected as GB18030. With the
** LDID byte set to 0x57 ("ANSI") as many Chinese tools write, too. */
static void test_gbk_shapefile_without_cpg(void **state) {
    const char *lco[] = {"ENCODING=GBK", NULL};
    int pass;
    (void)state;
    for (pass = 0; pass < 2; pass++) {
        run_t r;
        char name[64];
        snprintf(name, sizeof name, "gbk_nocpg%d.shp", pass);
        write_layer(tpath(name), "ESRI Shapefile", "x", 4326, wkbPoint, lco,
                    gbk_cols, 3, gbk_rows, 2);
        snprintf(name, sizeof name, "gbk_nocpg%d.cpg", pass);
        assert_int_equal(unlink(tpath(name)), 0);
        if (pass == 1) {
            FILE *f = fopen(tpath("gbk_nocpg1.dbf"), "r+b");
            assert_non_null(f);
            assert_int_equal(fseek(f, 29, SEEK_SET), 0);
            assert_int_equal(fputc(0x57, f), 0x57);
            fclose(f);
        }
        snprintf(name, sizeof name, "gbk_nocpg%d.shp", pass);
        run_init(&r);
        set(&r, "plants", "path", tpath(name));
        load(&r);
        ASSERT_LOADED(&r);
        assert_int_equal(r.m.n_sources, 2);
        assert_string_equal(r.m.sources[0].name, "焦作电厂");
        assert_string_equal(r.m.sources[1].name, "万方铝业自备电厂");
        assert_int_equal(r.m.sources[1].material, mat(&r.m, "fgd_gypsum"));
        assert_string_equal(r.m.layers[0].encoding, "GB18030");
        run_free(&r);
    }
}

/* UTF-8 shapefile with its .cpg; and the GBK file read with a wrong
** `encoding = UTF-8`, which must fail naming the feature and field. */
static void test_utf8_shapefile_and_wrong_encoding(void **state) {
    const char *lco[] = {"ENCODING=UTF-8", NULL};
    const col cols[] = {{"name", OFTString}, {"material", OFTString}, {"output", OFTString}};
    const char *const rows[] = {"POINT (113.1 35.2)", "博爱电厂", "fly_ash", "1.15 Mt"};
    run_t r;
    (void)state;
    write_layer(tpath("utf8.shp"), "ESRI Shapefile", "utf8", 4326, wkbPoint, lco,
                cols, 3, rows, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("utf8.shp"));
    load(&r);
    ASSERT_LOADED(&r);
    assert_string_equal(r.m.layers[0].encoding, "UTF-8");
    assert_string_equal(r.m.sources[0].name, "博爱电厂");
    assert_true(fabs(r.m.sources[0].supply_t - 1.15e6) < 1e-3);
    run_free(&r);

    run_init(&r);
    set(&r, "plants", "path", tpath("gbk_cpg.shp"));
    set(&r, "plants", "encoding", "UTF-8");
    load(&r);
    assert_int_equal(r.rc, -1);
    /* Column names are GBK too, so the first error is about them. */
    ASSERT_PROBLEM(&r, "gbk_cpg.shp", "not valid UTF-8", "encoding = GBK");
    run_free(&r);

    run_init(&r);
    set(&r, "plants", "path", tpath("gbk_cpg.shp"));
    set(&r, "plants", "encoding", "KLINGON");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "gbk_cpg.shp", "KLINGON");
    run_free(&r);
}

/* Bytes that are neither UTF-8 nor GB18030 in a shapefile without .cpg. */
static void test_undecodable_text(void **state) {
    const char *lco[] = {"ENCODING=", NULL};
    const col cols[] = {{"name", OFTString}, {"material", OFTString}, {"output", OFTReal}};
    const char *const rows[] = {
        "POINT (113.1 35.2)", "ok", "fly_ash", "1",
        "POINT (113.2 35.2)", "bad\x81", "fly_ash", "2",
    };
    run_t r;
    (void)state;
    write_layer(tpath("undec.shp"), "ESRI Shapefile", "undec", 4326, wkbPoint, lco,
                cols, 3, rows, 2);
    run_init(&r);
    set(&r, "plants", "path", tpath("undec.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "undec.shp feature 1", "field name", "not valid GB18030");
    assert_non_null(strstr(r.err, "undec.shp feature 1"));
    run_free(&r);
}

/* CSV with lon/lat in UTF-8, and a GBK CSV with 经度/纬度 and crs key. */
static void test_csv(void **state) {
    char gbk[1024];
    size_t n;
    run_t r;
    const wp_source *s;
    (void)state;
    {
        const char *t = "id,name,material,output,lon,lat\n"
                        "J1,焦作电厂,粉煤灰,45万吨,113.20,35.22\n"
                        "J2,博爱电厂,fly_ash,\"3,500 t\",113.102,35.221\n";
        write_text(tpath("plants.csv"), t, strlen(t));
    }
    run_init(&r);
    set(&r, "plants", "path", tpath("plants.csv"));
    load(&r);
    ASSERT_LOADED(&r);
    assert_int_equal(r.m.n_sources, 2);
    s = source_by_id(&r.m, "J1");
    assert_non_null(s);
    assert_true(fabs(s->supply_t - 450000) < 1e-6);
    assert_true(fabs(s->lon - 113.20) < 1e-12 && fabs(s->lat - 35.22) < 1e-12);
    s = source_by_id(&r.m, "J2");
    assert_true(fabs(s->supply_t - 3500) < 1e-9);
    assert_string_equal(r.m.layers[0].crs, "EPSG:4326");
    assert_string_equal(r.m.layers[0].encoding, "UTF-8");
    run_free(&r);

    n = to_gbk("编号,名称,种类,存量,经度,纬度\n"
               "Y1,中州铝业赤泥堆场,赤泥,6000万吨,113.44,35.37\n", gbk, sizeof gbk);
    write_text(tpath("yards_gbk.csv"), gbk, n);
    run_init(&r);
    set(&r, "yards", "path", tpath("yards_gbk.csv"));
    set(&r, "yards", "crs", "EPSG:4490");
    load(&r);
    ASSERT_LOADED(&r);
    s = source_by_id(&r.m, "Y1");
    assert_non_null(s);
    assert_string_equal(s->name, "中州铝业赤泥堆场");
    assert_int_equal(s->kind, WP_SRC_YARD);
    assert_true(fabs(s->supply_t - 6e7) < 1e-3);
    /* CGCS2000 and WGS84 differ by centimetres at most. */
    assert_true(fabs(s->lon - 113.44) < 1e-6 && fabs(s->lat - 35.37) < 1e-6);
    assert_string_equal(r.m.layers[0].crs, "EPSG:4490");
    assert_string_equal(r.m.layers[0].encoding, "GB18030");
    run_free(&r);

    /* x/y named in the section; a value that is not a number. */
    {
        const char *t = "name,material,output,E,N\nA,red_mud,1,113.1,35.1\nB,red_mud,1,abc,35.1\n";
        write_text(tpath("xy.csv"), t, strlen(t));
    }
    run_init(&r);
    set(&r, "plants", "path", tpath("xy.csv"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "xy.csv", "no coordinate columns", "set x =");
    run_free(&r);
    run_init(&r);
    set(&r, "plants", "path", tpath("xy.csv"));
    set(&r, "plants", "x", "E");
    set(&r, "plants", "y", "N");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "xy.csv feature 2 (B)", "field E", "not a number");
    assert_int_equal(r.p.fatal, 1);
    run_free(&r);
}

/* ------------------------------------------------------------------ */
/* CRSs                                                                 */

/* Gauss–Krüger 3° zone CM 114E (EPSG:4547, CGCS2000) and UTM 50N (EPSG:
** 32650, WGS84, CM 117E): a point on the central meridian has easting
** 500000 and northing k0 × meridian arc, so its lon/lat is known exactly
** without PROJ. */
static void test_projected_crs(void **state) {
    const col cols[] = {{"name", OFTString}, {"material", OFTString}, {"output", OFTReal}};
    static const struct { int epsg; double a, f, k0, cm; } z[] = {
        {4547, 6378137.0, 1 / 298.257222101, 1.0, 114.0},
        {32650, 6378137.0, 1 / 298.257223563, 0.9996, 117.0},
    };
    int i;
    (void)state;
    for (i = 0; i < 2; i++) {
        char wkt[128], name[64];
        const char *rows[4];
        double north = z[i].k0 * meridian_arc(z[i].a, z[i].f, 35.25);
        run_t r;
        snprintf(wkt, sizeof wkt, "POINT (500000 %.4f)", north);
        rows[0] = wkt;
        rows[1] = "p";
        rows[2] = "coal_gangue";
        rows[3] = "1000";
        snprintf(name, sizeof name, "proj%d.shp", z[i].epsg);
        write_layer(tpath(name), "ESRI Shapefile", "p", z[i].epsg, wkbPoint, NULL,
                    cols, 3, rows, 1);
        run_init(&r);
        set(&r, "plants", "path", tpath(name));
        load(&r);
        ASSERT_LOADED(&r);
        assert_true(fabs(r.m.sources[0].lon - z[i].cm) < 1e-6);
        assert_true(fabs(r.m.sources[0].lat - 35.25) < 1e-6);
        snprintf(name, sizeof name, "EPSG:%d", z[i].epsg);
        assert_string_equal(r.m.layers[0].crs, name);
        run_free(&r);
    }
}

static void test_crs_errors(void **state) {
    const col cols[] = {{"name", OFTString}, {"material", OFTString}, {"output", OFTReal}};
    const char *const rows[] = {"POINT (500123 3900000)", "金属厂", "smelting_slag", "5"};
    const char *const rows_deg[] = {"POINT (113.2 35.2)", "degrees", "smelting_slag", "5"};
    run_t r;
    (void)state;
    /* No .prj at all. */
    write_layer(tpath("noprj.shp"), "ESRI Shapefile", "noprj", 0, wkbPoint, NULL,
                cols, 3, rows, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("noprj.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "noprj.shp has no CRS", ".prj", "crs = EPSG:4490", "[plants]");
    assert_non_null(strstr(r.err, "noprj.shp"));
    run_free(&r);
    /* ... the crs key supplies it. */
    run_init(&r);
    set(&r, "plants", "path", tpath("noprj.shp"));
    set(&r, "plants", "crs", "EPSG:4547");
    load(&r);
    ASSERT_LOADED(&r);
    assert_string_equal(r.m.layers[0].crs, "EPSG:4547");
    run_free(&r);
    /* Unknown CRS code. */
    run_init(&r);
    set(&r, "plants", "path", tpath("noprj.shp"));
    set(&r, "plants", "crs", "EPSG:999999");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "noprj.shp", "crs = EPSG:999999", "t.ini:3", "not a known CRS");
    run_free(&r);
    /* Metres in a file whose .prj says degrees. */
    write_layer(tpath("wrongprj.shp"), "ESRI Shapefile", "w", 4326, wkbPoint, NULL,
                cols, 3, rows, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("wrongprj.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "wrongprj.shp feature 0 (金属厂)", "look projected", "EPSG:4326");
    run_free(&r);
    /* Degrees in a file whose .prj says Gauss–Krüger metres. */
    write_layer(tpath("degprj.shp"), "ESRI Shapefile", "d", 4547, wkbPoint, NULL,
                cols, 3, rows_deg, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("degprj.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "degprj.shp feature 0 (degrees)", "look like degrees", "EPSG:4547");
    run_free(&r);
}

/* ------------------------------------------------------------------ */
/* Roles                                                                */

/* GeoPackage with two layers, CGCS2000: produces lists and accepts lists
** with limits, a plant that is both source and sink, layer selection. */
static void test_gpkg_plants_lists(void **state) {
    const col cols[] = {{"code", OFTString}, {"企业名称", OFTString},
                        {"产废", OFTString}, {"接收固废", OFTString},
                        {"接收能力", OFTString}};
    const char *const rows[] = {
        "POINT (113.20 35.22)", "P1", "焦作电厂", "粉煤灰:45万吨; 脱硫石膏：8万吨",
        NULL, NULL,
        "POINT (112.857 35.198)", "C1", "沁阳水泥", NULL,
        "赤泥:10万吨；粉煤灰、脱硫石膏:3,500 t | fly ash", "50万吨",
        "POINT (113.15 35.25)", "C2", "千业水泥", "冶炼渣:1 Mt", "钛石膏:6万吨", NULL,
    };
    const col other[] = {{"name", OFTString}};
    const char *const orows[] = {"POINT (1 1)", "x"};
    const wp_source *s;
    const wp_sink *k;
    run_t r;
    (void)state;
    unlink(tpath("plants.gpkg"));
    write_layer(tpath("plants.gpkg"), "GPKG", "other", 4490, wkbPoint, NULL,
                other, 1, orows, 1);
    write_layer(tpath("plants.gpkg"), "GPKG", "cement", 4490, wkbPoint, NULL,
                cols, 5, rows, 3);
    run_init(&r);
    set(&r, "plants.cement", "path", tpath("plants.gpkg"));
    set(&r, "plants.cement", "layer", "cement");
    load(&r);
    /* "粉煤灰" and "fly ash" are the same material: listed twice. */
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "plants.gpkg layer cement feature 2 id C1 (沁阳水泥)",
                   "field 接收固废", "fly_ash twice");
    run_free(&r);

    {
        const char *const rows2[] = {
            "POINT (113.20 35.22)", "P1", "焦作电厂", "粉煤灰:45万吨; 脱硫石膏：8万吨",
            NULL, NULL,
            "POINT (112.857 35.198)", "C1", "沁阳水泥", NULL,
            "赤泥:10万吨；粉煤灰、脱硫石膏:3,500 t", "50万吨",
            "POINT (113.15 35.25)", "C2", "千业水泥", "冶炼渣:1 Mt", "钛石膏:6万吨", NULL,
        };
        unlink(tpath("plants2.gpkg"));
        write_layer(tpath("plants2.gpkg"), "GPKG", "other", 4490, wkbPoint, NULL,
                    other, 1, orows, 1);
        write_layer(tpath("plants2.gpkg"), "GPKG", "cement", 4490, wkbPoint, NULL,
                    cols, 5, rows2, 3);
    }
    run_init(&r);
    set(&r, "plants.cement", "path", tpath("plants2.gpkg"));
    set(&r, "plants.cement", "layer", "cement");
    load(&r);
    ASSERT_LOADED(&r);
    assert_string_equal(r.m.layers[0].layer_name, "cement");
    assert_string_equal(r.m.layers[0].section, "plants.cement");
    assert_string_equal(r.m.layers[0].crs, "EPSG:4490");
    assert_int_equal(r.m.n_sources, 3);
    s = source_by_id(&r.m, "P1:fly_ash");
    assert_non_null(s);
    assert_true(fabs(s->supply_t - 450000) < 1e-6);
    s = source_by_id(&r.m, "P1:fgd_gypsum");
    assert_non_null(s);
    assert_true(fabs(s->supply_t - 80000) < 1e-6);
    s = source_by_id(&r.m, "C2");
    assert_non_null(s);
    assert_true(fabs(s->supply_t - 1e6) < 1e-6);
    assert_int_equal(r.m.n_sinks, 2);
    k = sink_by_id(&r.m, "C1");
    assert_non_null(k);
    assert_int_equal(k->kind, WP_SINK_PLANT);
    assert_true(fabs(k->cap_total_t - 500000) < 1e-6);
    assert_int_equal(k->accepts, (1u << mat(&r.m, "red_mud")) | (1u << mat(&r.m, "fly_ash")) |
                                     (1u << mat(&r.m, "fgd_gypsum")));
    assert_true(fabs(k->cap_t[mat(&r.m, "red_mud")] - 100000) < 1e-6);
    assert_true(k->cap_t[mat(&r.m, "fly_ash")] == HUGE_VAL);
    assert_true(fabs(k->cap_t[mat(&r.m, "fgd_gypsum")] - 3500) < 1e-9);
    assert_true(k->wkb != NULL && k->wkb_len == 21);
    /* C2 is both: a source (slag) and a sink (titanium gypsum). */
    k = sink_by_id(&r.m, "C2");
    assert_non_null(k);
    assert_true(fabs(k->cap_t[mat(&r.m, "titanium_gypsum")] - 60000) < 1e-6);
    assert_true(k->cap_total_t == HUGE_VAL);
    /* Nobody supplies red mud or titanium gypsum here: warnings only. */
    ASSERT_PROBLEM(&r, "warning: ", "red_mud", "no plant or yard supplies it");
    run_free(&r);

    /* Unknown layer: the message lists those present. */
    run_init(&r);
    set(&r, "plants", "path", tpath("plants2.gpkg"));
    set(&r, "plants", "layer", "kilns");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "plants2.gpkg", "no layer 'kilns'", "other", "cement");
    run_free(&r);
}

/* GeoJSON yards: stock and drawdown with units in text, min() rule;
** zero stock is a warning. */
static void test_geojson_yards(void **state) {
    const col cols[] = {{"name", OFTString}, {"material", OFTString},
                        {"stock", OFTString}, {"drawdown", OFTString}};
    const char *const rows[] = {
        "POLYGON ((113.40 35.36, 113.45 35.36, 113.45 35.38, 113.40 35.38, 113.40 35.36))",
        "赤泥库", "赤泥", "6000万吨", "2.9 Mt",
        "POINT (113.18 35.23)", "钛石膏堆场", "钛石膏", "120万方", NULL,
        "POINT (113.18 35.24)", "empty yard", "钛石膏", "0", NULL,
    };
    const wp_source *s;
    run_t r;
    (void)state;
    write_layer(tpath("yards.geojson"), "GeoJSON", "yards", 4326, wkbUnknown, NULL,
                cols, 4, rows, 3);
    run_init(&r);
    set(&r, "yards", "path", tpath("yards.geojson"));
    load(&r);
    ASSERT_LOADED(&r);
    assert_int_equal(r.m.n_sources, 3);
    s = &r.m.sources[0];
    assert_true(fabs(s->supply_t - 2.9e6) < 1e-6);
    assert_true(s->lon > 113.40 && s->lon < 113.45 && s->lat > 35.36 && s->lat < 35.38);
    s = &r.m.sources[1];
    /* 120万方 of titanium gypsum at 1.3 t/m³ */
    assert_true(fabs(s->supply_t - 1.2e6 * 1.3) < 1e-3);
    ASSERT_PROBLEM(&r, "warning: yards.geojson feature 2 (empty yard)", "supplies nothing");
    run_free(&r);
}

/* Mines: void in m³ with the lowest accepted density or the density
** column; capacity = min(capacity, void). Polygon point on surface. */
static void test_mines(void **state) {
    const col cols[] = {{"name", OFTString}, {"accepts", OFTString},
                        {"void_m3", OFTReal}, {"capacity", OFTString},
                        {"density", OFTReal}};
    /* A U-shaped polygon: its centroid lies in the notch, outside. */
    const char *u = "POLYGON ((113.0 35.0, 113.3 35.0, 113.3 35.3, 113.2 35.3, "
                    "113.2 35.1, 113.1 35.1, 113.1 35.3, 113.0 35.3, 113.0 35.0))";
    const char *const rows[] = {
        u, "九里山矿", "赤泥; 粉煤灰", "1000000", NULL, NULL,
        "POINT (113.45 35.29)", "古汉山矿", "煤矸石", "1000000", "50万吨", NULL,
        "POINT (113.36 35.26)", "演马庄矿", "煤矸石", "1000000", NULL, "2.0",
    };
    const wp_sink *k;
    run_t r;
    OGRGeometryH poly = NULL, pt, back = NULL;
    char *w = (char *)u;
    (void)state;
    write_layer(tpath("mines.gpkg"), "GPKG", "mines", 4326, wkbUnknown, NULL,
                cols, 5, rows, 3);
    run_init(&r);
    set(&r, "mines", "path", tpath("mines.gpkg"));
    load(&r);
    ASSERT_LOADED(&r);
    assert_int_equal(r.m.n_sinks, 3);
    k = &r.m.sinks[0];
    assert_int_equal(k->kind, WP_SINK_MINE);
    assert_true(fabs(k->cap_total_t - 0.9e6) < 1e-6);   /* fly ash 0.9 < red mud 1.5 */
    assert_int_equal(OGR_G_CreateFromWkt(&w, NULL, &poly), OGRERR_NONE);
    pt = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(pt, 0, k->lon, k->lat);
    assert_true(OGR_G_Contains(poly, pt));
    assert_int_equal(OGR_G_CreateFromWkb(k->wkb, NULL, &back, (int)k->wkb_len), OGRERR_NONE);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(back)), wkbPolygon);
    assert_true(OGR_G_Equals(back, poly));
    OGR_G_DestroyGeometry(back);
    OGR_G_DestroyGeometry(pt);
    OGR_G_DestroyGeometry(poly);
    assert_true(fabs(r.m.sinks[1].cap_total_t - 500000) < 1e-6);
    assert_true(fabs(r.m.sinks[2].cap_total_t - 2e6) < 1e-6);
    assert_string_equal(r.m.sinks[2].id, "mines:3");   /* GeoPackage fids start at 1 */
    run_free(&r);
}

/* Roads: length along a meridian = difference of meridian arcs; demand
** per km with a "kt/km" unit; middle vertex; WKB kept. */
static void test_roads(void **state) {
    const col cols[] = {{"项目名称", OFTString}, {"利用固废", OFTString},
                        {"每公里用量", OFTString}, {"demand", OFTReal}};
    const char *const rows[] = {
        "LINESTRING (113.3 35.0, 113.3 35.1, 113.3 36.0)", "焦荥高速", "赤泥", "3.8 kt/km", NULL,
        "MULTILINESTRING ((113.0 35.0, 113.0 35.5), (113.1 35.5, 113.1 36.0))",
        "太行高速东段", "赤泥", NULL, "120000",
    };
    double len = meridian_arc(6378137.0, 1 / 298.257223563, 36.0) / 1000 -
                 meridian_arc(6378137.0, 1 / 298.257223563, 35.0) / 1000;
    const wp_sink *k;
    OGRGeometryH back = NULL;
    run_t r;
    (void)state;
    write_layer(tpath("roads.gpkg"), "GPKG", "roads", 4326, wkbUnknown, NULL,
                cols, 4, rows, 2);
    run_init(&r);
    set(&r, "roads", "path", tpath("roads.gpkg"));
    load(&r);
    ASSERT_LOADED(&r);
    assert_int_equal(r.m.n_sinks, 2);
    k = &r.m.sinks[0];
    assert_int_equal(k->kind, WP_SINK_ROAD);
    assert_true(fabs(k->length_km - len) < 1e-6);
    assert_true(fabs(k->cap_total_t - 3800 * len) < 1e-3);
    /* Half the length is reached at the third vertex (35.1 is short of it). */
    assert_true(fabs(k->lon - 113.3) < 1e-12 && fabs(k->lat - 36.0) < 1e-12);
    assert_int_equal(OGR_G_CreateFromWkb(k->wkb, NULL, &back, (int)k->wkb_len), OGRERR_NONE);
    assert_int_equal(wkbFlatten(OGR_G_GetGeometryType(back)), wkbLineString);
    assert_int_equal(OGR_G_GetPointCount(back), 3);
    OGR_G_DestroyGeometry(back);
    k = &r.m.sinks[1];
    assert_true(fabs(k->length_km - 2 * (meridian_arc(6378137.0, 1 / 298.257223563, 35.5) -
                                         meridian_arc(6378137.0, 1 / 298.257223563, 35.0) +
                                         meridian_arc(6378137.0, 1 / 298.257223563, 36.0) -
                                         meridian_arc(6378137.0, 1 / 298.257223563, 35.5)) /
                                        2000) < 1e-6);
    assert_true(fabs(k->cap_total_t - 120000) < 1e-6);
    run_free(&r);
}

/* ------------------------------------------------------------------ */
/* Errors                                                               */

static void test_missing_file_and_fields(void **state) {
    const col cols[] = {{"name", OFTString}, {"material", OFTString}, {"annual_t", OFTReal}};
    const char *const rows[] = {"POINT (113.2 35.2)", "焦作电厂", "fly_ash", "1"};
    run_t r;
    (void)state;
    run_init(&r);
    set(&r, "plants", "path", tpath("missing.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "missing.shp", "file not found", "t.ini:3");
    run_free(&r);

    write_layer(tpath("fields.shp"), "ESRI Shapefile", "fields", 4326, wkbPoint, NULL,
                cols, 3, rows, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("fields.shp"));
    set(&r, "plants", "field.output", "年产量");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "fields.shp", "field.output = 年产量", "no column '年产量'",
                   "name, material, annual_t");
    run_free(&r);

    /* Yards need stock: the message lists the columns and the key. */
    run_init(&r);
    set(&r, "yards", "path", tpath("fields.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "fields.shp", "no stock column", "name, material, annual_t",
                   "field.stock = <column> in [yards]");
    run_free(&r);

    /* A section without path; field keys the role does not read. */
    run_init(&r);
    set(&r, "mines.2", "unit", "t");
    set(&r, "plants", "path", tpath("fields.shp"));
    set(&r, "plants", "field.void", "annual_t");
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "[mines.2] has no path");
    ASSERT_PROBLEM(&r, "warning: field.void in [plants]", "not a field of plants");
    run_free(&r);
}

/* One layer full of bad features: every problem is listed, each naming
** file, feature and field. */
static void test_bad_values(void **state) {
    const col cols[] = {{"id", OFTString}, {"name", OFTString}, {"material", OFTString},
                        {"annual_t", OFTReal}, {"text_q", OFTString}};
    const char *const rows[] = {
        "POINT (113.2 35.2)", "A", "焦作电厂", "fly_ash", "-3.2", NULL,
        "POINT (113.2 35.2)", "B", "乙厂", "unobtainium", "1", NULL,
        "POINT (113.2 35.2)", "C", "丙厂", "red_mud", "1e12", NULL,
        "", "D", "丁厂", "red_mud", "1", NULL,
        "LINESTRING (113 35, 114 36)", "F", "己厂", "red_mud", "1", NULL,
    };
    /* NaN coordinates survive in a shapefile (a GeoPackage stores them as an
    ** empty point); the duplicate id comes from a second layer. */
    const char *const nan_rows[] = {
        "NANPOINT", "E", "戊厂", "red_mud", "1", NULL,
        "POINT (113.2 35.2)", "A", "重复厂", "red_mud", "1", NULL,
    };
    run_t r;
    (void)state;
    write_layer(tpath("bad.gpkg"), "GPKG", "bad", 4326, wkbUnknown, NULL,
                cols, 5, rows, 5);
    write_layer(tpath("nan.shp"), "ESRI Shapefile", "nan", 4326, wkbPoint, NULL,
                cols, 5, nan_rows, 2);
    run_init(&r);
    set(&r, "plants", "path", tpath("bad.gpkg"));
    set(&r, "plants.2", "path", tpath("nan.shp"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "bad.gpkg feature 1 id A (焦作电厂): field annual_t is negative "
                       "(-3.2); quantities must be >= 0");
    assert_non_null(strstr(r.err, "bad.gpkg feature 1 id A (焦作电厂)"));
    ASSERT_PROBLEM(&r, "bad.gpkg feature 2 id B (乙厂)", "field material",
                   "unknown material 'unobtainium'", "red_mud (赤泥)", "fly_ash (粉煤灰)");
    ASSERT_PROBLEM(&r, "bad.gpkg feature 3 id C (丙厂)", "field annual_t", "1e+12");
    ASSERT_PROBLEM(&r, "bad.gpkg feature 4 id D (丁厂)", "no geometry");
    ASSERT_PROBLEM(&r, "bad.gpkg feature 5 id F (己厂)", "LINESTRING", "points or polygons");
    /* OGR reads a NaN point as an empty one. */
    ASSERT_PROBLEM(&r, "nan.shp feature 0 id E (戊厂)", "NaN");
    /* The first A is itself bad; the clash is reported all the same. */
    ASSERT_PROBLEM(&r, "duplicate id A", "bad.gpkg feature 1 id A (焦作电厂)",
                   "nan.shp feature 1 id A (重复厂)");
    assert_int_equal(r.p.fatal, 7);
    run_free(&r);
}

/* Text quantities that do not parse; a produces item without amount;
** a sink without limit; invalid polygon; a road that is a point. */
static void test_bad_text_and_geometry(void **state) {
    const col cols[] = {{"name", OFTString}, {"material", OFTString},
                        {"output", OFTString}, {"produces", OFTString},
                        {"accepts", OFTString}};
    const char *const rows[] = {
        "POINT (113.2 35.2)", "甲", "fly_ash", "lots", NULL, NULL,
        "POINT (113.2 35.2)", "乙", NULL, NULL, "粉煤灰:45万吨; 脱硫石膏", NULL,
        "POINT (113.2 35.2)", "丙", NULL, NULL, NULL, "赤泥; 粉煤灰",
        "POINT (113.2 35.2)", "丁", NULL, NULL, NULL, "赤泥:1万吨; 粉煤灰",
        "POINT (113.2 35.2)", "戊", NULL, "5", NULL, NULL,
    };
    const col mcols[] = {{"name", OFTString}, {"accepts", OFTString}, {"capacity", OFTReal}};
    const char *const mrows[] = {
        "POLYGON ((113 35, 113.1 35.1, 113.1 35, 113 35.1, 113 35))", "蝴蝶矿", "煤矸石", "1",
    };
    const char *const rrows[] = {"POINT (113 35)", "点路", "赤泥", "1"};
    run_t r;
    (void)state;
    write_layer(tpath("badtext.gpkg"), "GPKG", "badtext", 4326, wkbPoint, NULL,
                cols, 5, rows, 5);
    write_layer(tpath("bowtie.gpkg"), "GPKG", "bowtie", 4326, wkbPolygon, NULL,
                mcols, 3, mrows, 1);
    write_layer(tpath("pointroad.gpkg"), "GPKG", "pointroad", 4326, wkbPoint, NULL,
                mcols, 3, rrows, 1);
    run_init(&r);
    set(&r, "plants", "path", tpath("badtext.gpkg"));
    set(&r, "mines", "path", tpath("bowtie.gpkg"));
    set(&r, "roads", "path", tpath("pointroad.gpkg"));
    load(&r);
    assert_int_equal(r.rc, -1);
    ASSERT_PROBLEM(&r, "badtext.gpkg feature 1 (甲): field output", "'lots'");
    ASSERT_PROBLEM(&r, "badtext.gpkg feature 2 (乙): field produces", "脱硫石膏 has no quantity");
    ASSERT_PROBLEM(&r, "badtext.gpkg feature 3 (丙)", "accepts 赤泥, 粉煤灰 but has no limit");
    ASSERT_PROBLEM(&r, "badtext.gpkg feature 4 (丁)", "accepts 粉煤灰 without a limit");
    ASSERT_PROBLEM(&r, "badtext.gpkg feature 5 (戊)", "field output", "field material is empty");
    ASSERT_PROBLEM(&r, "bowtie.gpkg feature 1 (蝴蝶矿)", "polygon geometry is invalid",
                   "Self-intersection");
    ASSERT_PROBLEM(&r, "pointroad.gpkg feature 1 (点路)", "POINT", "must be lines");
    assert_int_equal(r.p.fatal, 7);
    run_free(&r);
}

static int setup(void **state) {
    char *d;
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wp_test_load_XXXXXX");
    d = mkdtemp(tmpdir);
    if (!d) return -1;
    G = wp_geo_new();
    if (!G) return -1;
    CPLSetConfigOption("CPL_LOG_ERRORS", "OFF");
    return 0;
}

/* Remove the fixtures (flat directory). */
static int teardown(void **state) {
    DIR *dir = opendir(tmpdir);
    struct dirent *e;
    (void)state;
    if (dir) {
        while ((e = readdir(dir)) != NULL) {
            char p[1024];
            if (e->d_name[0] == '.') continue;
            snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
            unlink(p);
        }
        closedir(dir);
    }
    rmdir(tmpdir);
    wp_geo_free(G);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_encoding_helpers),
        cmocka_unit_test(test_crs_helpers),
        cmocka_unit_test(test_gbk_shapefile_with_cpg),
        cmocka_unit_test(test_gbk_shapefile_without_cpg),
        cmocka_unit_test(test_utf8_shapefile_and_wrong_encoding),
        cmocka_unit_test(test_undecodable_text),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_projected_crs),
        cmocka_unit_test(test_crs_errors),
        cmocka_unit_test(test_gpkg_plants_lists),
        cmocka_unit_test(test_geojson_yards),
        cmocka_unit_test(test_mines),
        cmocka_unit_test(test_roads),
        cmocka_unit_test(test_missing_file_and_fields),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_text_and_geometry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
