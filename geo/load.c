/*
** load.c — read the scenario's layer sections ([plants], [yards], [mines],
** [roads] and their "<role>.<suffix>" variants) through GDAL/OGR into the
** model, following docs/scenario.md: field mapping with English and Chinese
** default column names, quantities with units, accepts/produces lists,
** text encodings and CRSs.
**
** Every problem found is collected (wp_problems) rather than stopping at the
** first, so `wasteplan check` can list a whole layer's mistakes at once.
** Each message names the file, the layer when the file has several, the
** feature (OGR fid and name) and the column, and says what to fix.
**
** Text: shapefiles and CSV files are opened without GDAL's own recoding
** (shapefile open option ENCODING=""), and every string is decoded here
** (geo/encoding.c) from the encoding the section names, else the .cpg,
** else a definite LDID, else the one detected for the whole layer (UTF-8
** when every string is valid UTF-8, otherwise GB18030). GDAL's recoder
** would replace undecodable bytes silently; decoding here reports them.
*/
#include "load.h"
#include "crs.h"
#include "encoding.h"
#include "sha256.h"
#include "../planner/units.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* At most this many problems are listed per layer; the rest are counted
** (a file with a wrong unit can otherwise produce one line per feature). */
#define MAX_SHOWN_PER_LAYER 100

/* ------------------------------------------------------------------ */
/* Problems                                                            */

void wp_problems_free(wp_problems *p) {
    int i;
    for (i = 0; i < p->count; i++) free(p->text[i]);
    free(p->text);
    memset(p, 0, sizeof *p);
}

/* Append one formatted problem. Non-fatal ones are prefixed "warning: " so
** whoever lists them can tell them apart. The fatal count is kept even when
** memory runs out and the text cannot be stored: a solve must still stop. */
void wp_problems_add(wp_problems *p, int fatal, const char *fmt, ...) {
    va_list ap;
    const char *prefix = fatal ? "" : "warning: ";
    size_t plen = strlen(prefix);
    int n;
    char *s;

    if (fatal) p->fatal++;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    s = malloc(plen + (size_t)n + 1);
    if (!s) return;
    memcpy(s, prefix, plen);
    va_start(ap, fmt);
    vsnprintf(s + plen, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (p->count == p->cap) {
        int ncap = p->cap ? p->cap * 2 : 16;
        char **nt = realloc(p->text, (size_t)ncap * sizeof *nt);
        if (!nt) {
            free(s);
            return;
        }
        p->text = nt;
        p->cap = ncap;
    }
    p->text[p->count++] = s;
}

/* ------------------------------------------------------------------ */
/* Roles and planner fields                                            */

enum { R_PLANTS = 1, R_YARDS = 2, R_MINES = 4, R_ROADS = 8 };

static const struct {
    const char *name;
    unsigned role;
} roles[] = {
    {"plants", R_PLANTS}, {"yards", R_YARDS}, {"mines", R_MINES}, {"roads", R_ROADS}
};

enum {
    F_ID, F_NAME, F_MATERIAL, F_OUTPUT, F_PRODUCES, F_STOCK, F_DRAWDOWN,
    F_STORAGE, F_ACCEPTS, F_CAPACITY, F_VOID, F_DENSITY, F_DEMAND,
    F_DEMAND_PER_KM, F_COUNT
};

/* The planner's fields, the roles that read them and the column names
** tried in order when no field.<name> key is given (docs/scenario.md). */
static const struct {
    const char *name;
    unsigned roles;
    const char *defaults[8];
} fields[F_COUNT] = {
    {"id", R_PLANTS | R_YARDS | R_MINES | R_ROADS,
     {"id", "code", "编号", "编码", "代码", NULL}},
    {"name", R_PLANTS | R_YARDS | R_MINES | R_ROADS,
     {"name", "名称", "企业名称", "单位名称", "项目名称", NULL}},
    {"material", R_PLANTS | R_YARDS,
     {"material", "waste", "固废种类", "固废类别", "种类", NULL}},
    {"output", R_PLANTS,
     {"output", "annual_t", "quantity", "年产生量", "产生量", "产量", NULL}},
    {"produces", R_PLANTS, {"produces", "产废", "产生固废", NULL}},
    {"stock", R_YARDS, {"stock", "stock_t", "存量", "堆存量", "现存量", NULL}},
    {"drawdown", R_YARDS,
     {"drawdown", "drawdown_t", "年消纳上限", "年最大出库", NULL}},
    {"storage", R_YARDS, {"storage", "storage_t", "剩余库容", NULL}},
    {"accepts", R_PLANTS | R_MINES | R_ROADS,
     {"accepts", "接收固废", "可用固废", "利用固废", NULL}},
    {"capacity", R_PLANTS | R_MINES | R_ROADS,
     {"capacity", "capacity_t", "接收能力", "利用能力", "消纳能力", NULL}},
    {"void", R_MINES, {"void", "void_m3", "void_t", "采空区体积", "充填需求", NULL}},
    {"density", R_MINES, {"density", "密度", NULL}},
    {"demand", R_ROADS, {"demand", "demand_t", "需求量", "用量", NULL}},
    {"demand_per_km", R_ROADS, {"demand_per_km", "t_per_km", "每公里用量", NULL}},
};

/* ------------------------------------------------------------------ */
/* Load state                                                          */

/* An id seen so far, with the feature it came from, for the duplicate
** check at the end. */
typedef struct {
    char *id;
    char *desc;
} seen_id;

typedef struct {
    wp_geo *g;
    wp_config *cfg;
    wp_model *m;
    wp_problems *probs;
    int n_ids, cap_ids;
    seen_id *ids;
    char known[1024];      /* "red_mud (赤泥), ..." for unknown-material messages */
} load_state;

/* One layer being read. Owns every pointer in it. */
typedef struct {
    load_state *st;
    const char *section;   /* "plants.cement" */
    unsigned role;
    const char *role_name;
    char *path;            /* resolved dataset path */
    const char *file;      /* basename of path */
    char *where;           /* "plants.shp" or "plants.gpkg layer cement" */
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRFeatureDefnH defn;
    int is_shp, is_csv;
    int ncols;
    char **cols;           /* column names, decoded to UTF-8 */
    char *collist;         /* "a, b, c" for messages */
    int col[F_COUNT];      /* column index per planner field, -1 if none */
    int xcol, ycol;        /* CSV coordinate columns, -1 if the driver makes geometry */
    wp_decoder dec;
    int dec_open;
    wp_unit unit;          /* of bare numbers */
    int unit_set;          /* `unit` key given */
    OGRSpatialReferenceH srs;
    OGRCoordinateTransformationH ct;   /* NULL when already WGS84 */
    char *crs_label;
    int geographic;
    int layer_index;       /* into m->layers */
    int shown;
    long hidden;
    char gdal_msg[512];    /* last GDAL error while reading */
} layer_ctx;

/* One feature being read. */
typedef struct {
    long fid;
    char *id;
    char *name;            /* NULL when the layer has no name or it is empty */
    char desc[768];        /* "plants.shp feature 17 (焦作电厂)" */
    int bad;               /* a fatal problem was reported */
} feat_ctx;

/* Problem about the layer as a whole (not a feature), capped per layer. */
static void lprob(layer_ctx *L, int fatal, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    if (L->shown >= MAX_SHOWN_PER_LAYER) {
        L->hidden++;
        if (fatal) L->st->probs->fatal++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    L->shown++;
    wp_problems_add(L->st->probs, fatal, "%s", buf);
}

/* Problem about feature F: "<desc>: <message>". */
static void fprob(layer_ctx *L, feat_ctx *F, int fatal, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    if (fatal) F->bad = 1;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lprob(L, fatal, "%s: %s", F->desc, buf);
}

/* Where a config key came from, for messages: " (jiaozuo.ini:12)" or "". */
static void key_origin(wp_config *cfg, const char *key, char *out, size_t n) {
    const wp_config_entry *e = wp_config_entry_of(cfg, key);
    if (e && e->origin && *e->origin) snprintf(out, n, " (%s)", e->origin);
    else out[0] = '\0';
}

/* Value of "<section>.<key>", NULL when absent. */
static const char *skey(layer_ctx *L, const char *key) {
    char k[256];
    snprintf(k, sizeof k, "%s.%s", L->section, key);
    return wp_config_get(L->st->cfg, k);
}

static void skey_origin(layer_ctx *L, const char *key, char *out, size_t n) {
    char k[256];
    snprintf(k, sizeof k, "%s.%s", L->section, key);
    key_origin(L->st->cfg, k, out, n);
}

/* GDAL error handler for the duration of a layer: keep the last message
** for our own report instead of letting GDAL print to stderr. */
static void CPL_STDCALL gdal_handler(CPLErr cls, CPLErrorNum no, const char *msg) {
    layer_ctx *L = CPLGetErrorHandlerUserData();
    (void)no;
    if (L && cls >= CE_Warning)
        snprintf(L->gdal_msg, sizeof L->gdal_msg, "%s", msg ? msg : "");
    if (L && L->st->g->verbose) fprintf(stderr, "wasteplan: GDAL: %s\n", msg ? msg : "");
}

static const char *basename_of(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ------------------------------------------------------------------ */
/* Text and quantities                                                 */

/* Trim ASCII whitespace in place; returns s. */
static char *trim(char *s) {
    char *e;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

/* Text of column fi, decoded and trimmed, in *out (malloc'd). Returns 1
** with text, 0 when null or blank (*out NULL), -1 when undecodable or OOM
** (problem reported). */
static int get_text(layer_ctx *L, feat_ctx *F, OGRFeatureH f, int fi, char **out) {
    const char *raw;
    char *dec, *t;
    int bad = 0;

    *out = NULL;
    if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) return 0;
    raw = OGR_F_GetFieldAsString(f, fi);
    dec = wp_decode(&L->dec, raw ? raw : "", &bad);
    if (!dec) {
        if (bad)
            fprob(L, F, 1, "field %s holds text that is not valid %s; set "
                  "encoding = GBK (or the file's real encoding) in [%s]",
                  L->cols[fi], L->dec.name, L->section);
        else
            fprob(L, F, 1, "out of memory reading field %s", L->cols[fi]);
        return -1;
    }
    t = trim(dec);
    if (!*t) {
        free(dec);
        return 0;
    }
    if (t != dec) memmove(dec, t, strlen(t) + 1);
    *out = dec;
    return 1;
}

static int is_numeric_field(layer_ctx *L, int fi) {
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(L->defn, fi));
    return t == OFTInteger || t == OFTInteger64 || t == OFTReal;
}

/* Read a quantity from column fi into *t (tonnes, or tonnes per km when
** per_km). Numeric columns are in `unit`; text is parsed with its own unit
** (unit is the default). density converts volumes. Returns 1 with a value,
** 0 when absent, -1 after reporting a problem. */
static int get_quantity(layer_ctx *L, feat_ctx *F, OGRFeatureH f, int fi,
                        wp_unit unit, double density, int per_km, double *t) {
    char err[512], *s;
    int rc;

    if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) return 0;
    if (is_numeric_field(L, fi)) {
        double v = OGR_F_GetFieldAsDouble(f, fi), tn;
        if (!isfinite(v)) {
            fprob(L, F, 1, "field %s is not a finite number", L->cols[fi]);
            return -1;
        }
        if (v < 0) {
            fprob(L, F, 1, "field %s is negative (%g); quantities must be >= 0",
                  L->cols[fi], v);
            return -1;
        }
        if (wp_unit_is_volume(unit) && !(density > 0)) {
            fprob(L, F, 1, "field %s is a volume (%g %s) but no density is "
                  "known to turn it into tonnes: set the material's density",
                  L->cols[fi], v, wp_unit_name(unit));
            return -1;
        }
        tn = wp_unit_to_tonnes(v, unit, density);
        if (!isfinite(tn) || tn > 1e10) {
            fprob(L, F, 1, "field %s is %g %s (%.3g t), more than 1e10 t "
                  "(10 Gt): check the number and the unit (unit = %s in [%s])",
                  L->cols[fi], v, wp_unit_name(unit), tn, wp_unit_name(unit),
                  L->section);
            return -1;
        }
        *t = tn;
        return 1;
    }
    rc = get_text(L, F, f, fi, &s);
    if (rc <= 0) return rc;
    rc = per_km ? wp_quantity_parse_per_km(s, unit, density, t, err, sizeof err)
                : wp_quantity_parse(s, unit, density, t, err, sizeof err);
    free(s);
    if (rc < 0) {
        fprob(L, F, 1, "field %s: %s", L->cols[fi], err);
        return -1;
    }
    return 1;
}

/* Material named by the text of column fi: index, -2 when absent, -1
** after reporting a problem. */
static int get_material(layer_ctx *L, feat_ctx *F, OGRFeatureH f, int fi) {
    char *s;
    int rc = get_text(L, F, f, fi, &s), mi;
    if (rc < 0) return -1;
    if (rc == 0) return -2;
    mi = wp_materials_find(&L->st->m->materials, s);
    if (mi < 0)
        fprob(L, F, 1, "field %s: unknown material '%s'; known materials: %s "
              "(or define it in a [material.<id>] section)",
              L->cols[fi], s, L->st->known);
    free(s);
    return mi;
}

/* ------------------------------------------------------------------ */
/* Material lists: "赤泥:10万吨; 粉煤灰"                                */

typedef struct {
    int n;
    int mat[WP_MAX_MATERIALS];
    double qty[WP_MAX_MATERIALS];   /* HUGE_VAL when the item has no limit */
} mat_list;

/* Length of a list separator at s (, ; | ， ； 、), 0 if none. An ASCII comma
** between a digit and exactly three digits is a thousands separator inside
** a quantity ("赤泥:3,500 t"), not a list separator. */
static size_t list_sep(const char *start, const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    if (*s == ',') {
        if (s > start && s[-1] >= '0' && s[-1] <= '9' &&
            u[1] >= '0' && u[1] <= '9' && u[2] >= '0' && u[2] <= '9' &&
            u[3] >= '0' && u[3] <= '9' && !(u[4] >= '0' && u[4] <= '9'))
            return 0;
        return 1;
    }
    if (*s == ';' || *s == '|') return 1;
    if (u[0] == 0xEF && u[1] == 0xBC && (u[2] == 0x8C || u[2] == 0x9B)) return 3;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x81) return 3;
    return 0;
}

/* Position of the first limit separator (':' or '：') in item, or NULL. */
static char *limit_sep(char *item, size_t *len) {
    char *a = strchr(item, ':');
    char *b = strstr(item, "：");
    if (a && (!b || a < b)) {
        *len = 1;
        return a;
    }
    if (b) *len = 3;
    return b;
}

/* Parse the list in column fi. need_qty: each item must carry a quantity
** (produces). Limits are in the section unit with the material's density.
** Returns 1 with a non-empty list, 0 when the field is absent or blank, -1
** after reporting problems. */
static int get_list(layer_ctx *L, feat_ctx *F, OGRFeatureH f, int fi,
                    int need_qty, mat_list *out) {
    char *s, *p, *item_start;
    int rc = get_text(L, F, f, fi, &s), failed = 0;
    const wp_materials *ms = &L->st->m->materials;

    out->n = 0;
    if (rc <= 0) return rc;
    p = item_start = s;
    for (;;) {
        size_t sl = *p ? list_sep(s, p) : 1;
        if (sl == 0) {
            p++;
            continue;
        }
        {
            char saved = *p, *item, *lim, err[512];
            size_t ll = 0;
            int mi, k;
            double q = HUGE_VAL;
            *p = '\0';
            item = trim(item_start);
            if (*item) {
                lim = limit_sep(item, &ll);
                if (lim) {
                    *lim = '\0';
                    lim = trim(lim + ll);
                }
                item = trim(item);
                mi = wp_materials_find(ms, item);
                if (mi < 0) {
                    fprob(L, F, 1, "field %s: unknown material '%s'; known "
                          "materials: %s", L->cols[fi], item, L->st->known);
                    failed = 1;
                } else if (lim && *lim &&
                           wp_quantity_parse(lim, L->unit, ms->m[mi].density_t_m3,
                                             &q, err, sizeof err) < 0) {
                    fprob(L, F, 1, "field %s, %s: %s", L->cols[fi], item, err);
                    failed = 1;
                } else if (need_qty && !(lim && *lim)) {
                    fprob(L, F, 1, "field %s: %s has no quantity; write it as "
                          "%s:45万吨", L->cols[fi], item, item);
                    failed = 1;
                } else {
                    for (k = 0; k < out->n; k++)
                        if (out->mat[k] == mi) break;
                    if (k < out->n) {
                        fprob(L, F, 1, "field %s lists %s twice", L->cols[fi],
                              ms->m[mi].id);
                        failed = 1;
                    } else if (out->n < WP_MAX_MATERIALS) {
                        out->mat[out->n] = mi;
                        out->qty[out->n] = q;
                        out->n++;
                    }
                }
            }
            *p = saved;
            if (!saved) break;
            p += sl;
            item_start = p;
        }
    }
    free(s);
    if (failed) return -1;
    return out->n > 0;
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

/* Call fn on every vertex of g (all parts, all rings); stops early and
** returns 1 when fn returns nonzero. */
static int each_vertex(OGRGeometryH g, int (*fn)(double x, double y, void *ud), void *ud) {
    int n = OGR_G_GetGeometryCount(g), i;
    if (n > 0) {
        for (i = 0; i < n; i++)
            if (each_vertex(OGR_G_GetGeometryRef(g, i), fn, ud)) return 1;
        return 0;
    }
    n = OGR_G_GetPointCount(g);
    for (i = 0; i < n; i++)
        if (fn(OGR_G_GetX(g, i), OGR_G_GetY(g, i), ud)) return 1;
    return 0;
}

typedef struct {
    double x, y;
} xy;

static int v_nonfinite(double x, double y, void *ud) {
    xy *p = ud;
    p->x = x;
    p->y = y;
    return !isfinite(x) || !isfinite(y);
}

static int v_outside_degrees(double x, double y, void *ud) {
    xy *p = ud;
    p->x = x;
    p->y = y;
    return x < -180 || x > 180 || y < -90 || y > 90;
}

static int v_any(double x, double y, void *ud) {
    xy *p = ud;
    p->x = x;
    p->y = y;
    return 1;
}

/* 1 when every vertex lies within [-180,180]x[-90,90]. */
static int all_within_degrees(OGRGeometryH g) {
    xy p;
    return !each_vertex(g, v_outside_degrees, &p);
}

/* Walk a line geometry (LineString or MultiLineString, in lon/lat):
** geodesic length in km, and the vertex where the cumulative length first
** reaches half the total, a point "near the middle" that lies on the line. */
static double line_length_mid(OGRGeometryH g, double *mlon, double *mlat) {
    int nparts = OGR_G_GetGeometryCount(g), p, i;
    int multi = wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiLineString;
    double total = 0, run = 0;
    int pass;

    *mlon = *mlat = NAN;
    if (!multi) nparts = 1;
    /* Two passes: the first sums the length, the second finds the middle. */
    for (pass = 0; pass < 2; pass++) {
        for (p = 0; p < nparts; p++) {
            OGRGeometryH part = multi ? OGR_G_GetGeometryRef(g, p) : g;
            int n = OGR_G_GetPointCount(part);
            for (i = 0; i < n; i++) {
                double x = OGR_G_GetX(part, i), y = OGR_G_GetY(part, i);
                if (i > 0) {
                    double d = wp_geodesic_km(OGR_G_GetX(part, i - 1),
                                              OGR_G_GetY(part, i - 1), x, y);
                    if (pass == 0) total += d;
                    else run += d;
                }
                if (pass == 1 && isnan(*mlon) && run >= total / 2) {
                    *mlon = x;
                    *mlat = y;
                }
            }
        }
    }
    return total;
}

/* GEOS's reason a polygon is invalid ("Self-intersection[113.2 35.1]"),
** in out; 1 when valid. Uses the run's GEOS handle. */
static int polygon_valid(wp_geo *g, OGRGeometryH geom, char *out, size_t n) {
    size_t len = (size_t)OGR_G_WkbSize(geom);
    unsigned char *wkb = malloc(len ? len : 1);
    GEOSGeometry *gg;
    char *reason;
    int ok = 0;

    out[0] = '\0';
    if (!wkb) {
        snprintf(out, n, "out of memory");
        return 0;
    }
    if (OGR_G_ExportToWkb(geom, wkbNDR, wkb) != OGRERR_NONE) {
        snprintf(out, n, "cannot encode the geometry");
        free(wkb);
        return 0;
    }
    g->geos_msg[0] = '\0';
    gg = GEOSGeomFromWKB_buf_r(g->geos, wkb, len);
    free(wkb);
    if (!gg) {
        snprintf(out, n, "%s", g->geos_msg[0] ? g->geos_msg : "GEOS cannot read it");
        return 0;
    }
    reason = GEOSisValidReason_r(g->geos, gg);
    if (reason) {
        ok = strcmp(reason, "Valid Geometry") == 0;
        snprintf(out, n, "%s", reason);
        GEOSFree_r(g->geos, reason);
    } else {
        snprintf(out, n, "%s", g->geos_msg);
    }
    GEOSGeom_destroy_r(g->geos, gg);
    return ok;
}

/* The feature's geometry, checked and transformed to WGS84 lon/lat (2D,
** caller destroys), or NULL after reporting a problem. CSV layers with
** coordinate columns build a point from them. */
static OGRGeometryH feature_geometry(layer_ctx *L, feat_ctx *F, OGRFeatureH f) {
    OGRGeometryH g;
    OGRwkbGeometryType t;
    xy p;
    char why[512];

    if (L->xcol >= 0) {
        int c[2] = {L->xcol, L->ycol}, k;
        double v[2];
        for (k = 0; k < 2; k++) {
            char *s;
            int rc = get_text(L, F, f, c[k], &s);
            if (rc < 0) return NULL;
            if (rc == 0) {
                fprob(L, F, 1, "field %s (%s coordinate) is empty", L->cols[c[k]],
                      k ? "y" : "x");
                return NULL;
            }
            if (wp_number_parse(s, &v[k]) < 0) {
                fprob(L, F, 1, "field %s (%s coordinate): '%s' is not a number",
                      L->cols[c[k]], k ? "y" : "x", s);
                free(s);
                return NULL;
            }
            free(s);
        }
        g = OGR_G_CreateGeometry(wkbPoint);
        if (!g) {
            fprob(L, F, 1, "out of memory");
            return NULL;
        }
        OGR_G_SetPoint_2D(g, 0, v[0], v[1]);
    } else {
        OGRGeometryH src = OGR_F_GetGeometryRef(f);
        if (!src || OGR_G_IsEmpty(src)) {
            fprob(L, F, 1, "has no geometry (it is empty, or a point with NaN "
                  "coordinates)%s%s: every feature needs a location",
                  L->gdal_msg[0] ? "; GDAL says: " : "", L->gdal_msg);
            return NULL;
        }
        g = OGR_G_Clone(src);
        if (!g) {
            fprob(L, F, 1, "out of memory");
            return NULL;
        }
    }
    OGR_G_FlattenTo2D(g);
    t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (L->role == R_ROADS) {
        if (t != wkbLineString && t != wkbMultiLineString) {
            fprob(L, F, 1, "geometry is a %s; road projects must be lines "
                  "(LineString or MultiLineString)", OGR_G_GetGeometryName(g));
            goto fail;
        }
    } else if (t != wkbPoint && t != wkbMultiPoint && t != wkbPolygon &&
               t != wkbMultiPolygon) {
        fprob(L, F, 1, "geometry is a %s; %s must be points or polygons",
              OGR_G_GetGeometryName(g), L->role_name);
        goto fail;
    }
    if (each_vertex(g, v_nonfinite, &p)) {
        fprob(L, F, 1, "geometry has a coordinate that is not a number "
              "(%g, %g)", p.x, p.y);
        goto fail;
    }
    if (t == wkbLineString || t == wkbMultiLineString) {
        int n = t == wkbLineString ? 1 : OGR_G_GetGeometryCount(g), i;
        for (i = 0; i < n; i++) {
            OGRGeometryH part = t == wkbLineString ? g : OGR_G_GetGeometryRef(g, i);
            if (OGR_G_GetPointCount(part) < 2) {
                fprob(L, F, 1, "line geometry has a part with fewer than 2 vertices");
                goto fail;
            }
        }
    }
    if ((t == wkbPolygon || t == wkbMultiPolygon) &&
        !polygon_valid(L->st->g, g, why, sizeof why)) {
        fprob(L, F, 1, "polygon geometry is invalid (%s); repair it, e.g. with "
              "QGIS \"Fix geometries\"", why);
        goto fail;
    }
    /* A .prj that claims degrees on data in metres, or the reverse, is the
    ** commonest CRS mistake; catch it before PROJ turns it into nonsense. */
    if (L->geographic && !all_within_degrees(g)) {
        each_vertex(g, v_outside_degrees, &p);
        fprob(L, F, 1, "coordinates look projected (x=%.1f, y=%.1f) but the "
              "layer's CRS %s is in degrees: the .prj is wrong; fix it, or set "
              "crs = <the real CRS, e.g. EPSG:4547> in [%s]",
              p.x, p.y, L->crs_label, L->section);
        goto fail;
    }
    if (!L->geographic && !each_vertex(g, v_outside_degrees, &p)) {
        each_vertex(g, v_any, &p);
        fprob(L, F, 1, "coordinates look like degrees (x=%.6f, y=%.6f) but the "
              "layer's CRS %s is projected (metres): fix the .prj, or set "
              "crs = EPSG:4326 (or EPSG:4490) in [%s]",
              p.x, p.y, L->crs_label, L->section);
        goto fail;
    }
    if (L->ct) {
        OGRErr rc;
        L->gdal_msg[0] = '\0';
        rc = OGR_G_Transform(g, L->ct);
        if (rc != OGRERR_NONE || each_vertex(g, v_nonfinite, &p)) {
            fprob(L, F, 1, "cannot transform the coordinates from %s to WGS84%s%s",
                  L->crs_label, L->gdal_msg[0] ? ": " : "", L->gdal_msg);
            goto fail;
        }
    }
    if (!all_within_degrees(g)) {
        each_vertex(g, v_outside_degrees, &p);
        fprob(L, F, 1, "coordinates (%g, %g) in %s fall outside the earth "
              "(lon %.3f, lat %.3f after transformation): the CRS does not "
              "fit the data; fix the .prj or set crs in [%s]",
              OGR_G_GetX(g, 0), OGR_G_GetY(g, 0), L->crs_label, p.x, p.y,
              L->section);
        goto fail;
    }
    return g;
fail:
    OGR_G_DestroyGeometry(g);
    return NULL;
}

/* Representative lon/lat: the point itself, a point on the surface of
** polygons and multipoints (inside, unlike a centroid), the middle vertex
** of lines. Returns 0, or -1 when GEOS fails. */
static int representative(OGRGeometryH g, double *lon, double *lat, double *len_km) {
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    *len_km = 0;
    if (t == wkbPoint) {
        *lon = OGR_G_GetX(g, 0);
        *lat = OGR_G_GetY(g, 0);
        return 0;
    }
    if (t == wkbLineString || t == wkbMultiLineString) {
        *len_km = line_length_mid(g, lon, lat);
        return isnan(*lon) ? -1 : 0;
    }
    {
        OGRGeometryH pt = OGR_G_PointOnSurface(g);
        if (!pt || OGR_G_IsEmpty(pt)) {
            if (pt) OGR_G_DestroyGeometry(pt);
            return -1;
        }
        *lon = OGR_G_GetX(pt, 0);
        *lat = OGR_G_GetY(pt, 0);
        OGR_G_DestroyGeometry(pt);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Model building                                                      */

/* Remember id for the duplicate check. 0 or -1 on OOM. */
static int remember_id(load_state *st, const char *id, const char *desc) {
    if (st->n_ids == st->cap_ids) {
        int ncap = st->cap_ids ? st->cap_ids * 2 : 64;
        seen_id *n = realloc(st->ids, (size_t)ncap * sizeof *n);
        if (!n) return -1;
        st->ids = n;
        st->cap_ids = ncap;
    }
    st->ids[st->n_ids].id = strdup(id);
    st->ids[st->n_ids].desc = strdup(desc);
    if (!st->ids[st->n_ids].id || !st->ids[st->n_ids].desc) {
        free(st->ids[st->n_ids].id);
        free(st->ids[st->n_ids].desc);
        return -1;
    }
    st->n_ids++;
    return 0;
}

/* Lowest positive density among the accepted materials (the conservative
** conversion of a volume limit: fewest tonnes), 0 when none is known. */
static double lowest_density(const wp_materials *ms, const mat_list *acc) {
    double d = 0;
    int k;
    for (k = 0; k < acc->n; k++) {
        double x = ms->m[acc->mat[k]].density_t_m3;
        if (x > 0 && (d == 0 || x < d)) d = x;
    }
    return d;
}

/* Add a source for material mi with supply t from feature F. */
static int add_source(layer_ctx *L, feat_ctx *F, wp_source_kind kind, int mi,
                      double t, const char *id, double lon, double lat, long fid) {
    wp_source *s = wp_model_add_source(L->st->m, id, F->name ? F->name : F->id);
    if (!s) {
        fprob(L, F, 1, "out of memory");
        return -1;
    }
    s->layer = L->layer_index;
    s->fid = fid;
    s->kind = kind;
    s->material = mi;
    s->supply_t = t;
    s->lon = lon;
    s->lat = lat;
    if (t == 0)
        fprob(L, F, 0, "%s output is 0: it supplies nothing",
              L->st->m->materials.m[mi].id);
    return 0;
}

/* Plants: sources from material+output and/or produces. Fills the list of
** (material, tonnes); returns its length or -1 after problems. */
static int plant_sources(layer_ctx *L, feat_ctx *F, OGRFeatureH f, mat_list *src) {
    const wp_materials *ms = &L->st->m->materials;
    int mi = -2, rc, k, failed = 0;
    double out = 0;

    src->n = 0;
    if (L->col[F_PRODUCES] >= 0) {
        rc = get_list(L, F, f, L->col[F_PRODUCES], 1, src);
        if (rc < 0) failed = 1;
    }
    if (L->col[F_MATERIAL] >= 0) mi = get_material(L, F, f, L->col[F_MATERIAL]);
    if (mi == -1) failed = 1;
    rc = 0;
    if (L->col[F_OUTPUT] >= 0)
        rc = get_quantity(L, F, f, L->col[F_OUTPUT], L->unit,
                          mi >= 0 ? ms->m[mi].density_t_m3 : 0, 0, &out);
    if (rc < 0) failed = 1;
    if (mi >= 0 && rc == 0) {
        if (L->col[F_OUTPUT] < 0)
            fprob(L, F, 1, "has material %s but the layer has no output column; "
                  "set field.output in [%s] (columns: %s)", ms->m[mi].id,
                  L->section, L->collist);
        else
            fprob(L, F, 1, "field %s is empty: give the annual output of %s",
                  L->cols[L->col[F_OUTPUT]], ms->m[mi].id);
        failed = 1;
    } else if (mi == -2 && rc == 1) {
        fprob(L, F, 1, "field %s gives an output (%g t) but field %s is empty: "
              "say which material it is", L->cols[L->col[F_OUTPUT]], out,
              L->col[F_MATERIAL] >= 0 ? L->cols[L->col[F_MATERIAL]] : "material");
        failed = 1;
    } else if (mi >= 0 && rc == 1) {
        for (k = 0; k < src->n; k++)
            if (src->mat[k] == mi) break;
        if (k < src->n) {
            fprob(L, F, 1, "material %s appears both in field %s and in field %s",
                  ms->m[mi].id, L->cols[L->col[F_MATERIAL]],
                  L->cols[L->col[F_PRODUCES]]);
            failed = 1;
        } else if (src->n < WP_MAX_MATERIALS) {
            src->mat[src->n] = mi;
            src->qty[src->n] = out;
            src->n++;
        }
    }
    return failed ? -1 : src->n;
}

/* Sink limits from accepts and capacity (plants); mines and roads add
** their own limits to *cap_total before the check. Returns 1 when the
** feature accepts something, 0 when not, -1 after problems. */
static int sink_accepts(layer_ctx *L, feat_ctx *F, OGRFeatureH f, mat_list *acc,
                        double *cap_total) {
    int rc = 0;
    double cap;
    *cap_total = HUGE_VAL;
    if (L->col[F_ACCEPTS] >= 0) rc = get_list(L, F, f, L->col[F_ACCEPTS], 0, acc);
    else acc->n = 0;
    if (rc < 0) return -1;
    if (L->col[F_CAPACITY] >= 0) {
        int q = get_quantity(L, F, f, L->col[F_CAPACITY], L->unit,
                             lowest_density(&L->st->m->materials, acc), 0, &cap);
        if (q < 0) return -1;
        if (q == 1 && rc == 0 && L->role == R_PLANTS) {
            fprob(L, F, 0, "field %s gives a capacity but field %s is empty: "
                  "the capacity is ignored", L->cols[L->col[F_CAPACITY]],
                  L->col[F_ACCEPTS] >= 0 ? L->cols[L->col[F_ACCEPTS]] : "accepts");
        }
        if (q == 1) *cap_total = cap;
    }
    return rc;
}

/* Mines: void (m³ unless the unit or the column name says tonnes) with the
** density field or the lowest density of the accepted materials. */
static int mine_limit(layer_ctx *L, feat_ctx *F, OGRFeatureH f, const mat_list *acc,
                      double *cap_total) {
    double density = 0, v;
    int rc;
    wp_unit vu;

    if (L->col[F_DENSITY] >= 0 && OGR_F_IsFieldSetAndNotNull(f, L->col[F_DENSITY])) {
        const char *col = L->cols[L->col[F_DENSITY]];
        if (is_numeric_field(L, L->col[F_DENSITY])) {
            density = OGR_F_GetFieldAsDouble(f, L->col[F_DENSITY]);
        } else {
            char *s;
            rc = get_text(L, F, f, L->col[F_DENSITY], &s);
            if (rc < 0) return -1;
            if (rc == 1 && wp_number_parse(s, &density) < 0) {
                fprob(L, F, 1, "field %s: '%s' is not a number (density in t/m³)",
                      col, s);
                free(s);
                return -1;
            }
            free(s);
        }
        if (!(density > 0.1 && density <= 10)) {
            fprob(L, F, 1, "field %s is %g; a fill density must lie between 0.1 "
                  "and 10 t/m³", col, density);
            return -1;
        }
    }
    if (density == 0) density = lowest_density(&L->st->m->materials, acc);
    if (L->col[F_VOID] < 0) return 0;
    if (L->unit_set) {
        vu = L->unit;
    } else {
        const char *c = L->cols[L->col[F_VOID]];
        size_t n = strlen(c);
        vu = (n > 2 && strcasecmp(c + n - 2, "_t") == 0) ? WP_UNIT_T : WP_UNIT_M3;
    }
    rc = get_quantity(L, F, f, L->col[F_VOID], vu, density, 0, &v);
    if (rc < 0) return -1;
    if (rc == 1 && v < *cap_total) *cap_total = v;
    return 0;
}

/* Roads: demand, demand_per_km × length; each is a limit, the smallest
** wins together with capacity. */
static int road_limit(layer_ctx *L, feat_ctx *F, OGRFeatureH f, const mat_list *acc,
                      double len_km, double *cap_total) {
    double density = lowest_density(&L->st->m->materials, acc), v;
    int rc;
    rc = get_quantity(L, F, f, L->col[F_DEMAND], L->unit, density, 0, &v);
    if (rc < 0) return -1;
    if (rc == 1 && v < *cap_total) *cap_total = v;
    rc = get_quantity(L, F, f, L->col[F_DEMAND_PER_KM], L->unit, density, 1, &v);
    if (rc < 0) return -1;
    if (rc == 1 && v * len_km < *cap_total) *cap_total = v * len_km;
    return 0;
}

/* The check docs/scenario.md asks for: a sink must have a limit; here
** every accepted material needs one (its own or the total), since an
** unlimited intake of any material makes the plan meaningless. */
static int check_limits(layer_ctx *L, feat_ctx *F, const mat_list *acc, double cap_total) {
    char names[512] = "", unl[512] = "", unl_names[512] = "";
    const wp_materials *ms = &L->st->m->materials;
    int k, n_unl = 0;
    if (cap_total < HUGE_VAL) return 0;
    for (k = 0; k < acc->n; k++) {
        const char *nm = ms->m[acc->mat[k]].name_zh[0] ? ms->m[acc->mat[k]].name_zh
                                                       : ms->m[acc->mat[k]].id;
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "", nm);
        if (acc->qty[k] == HUGE_VAL) {
            used = strlen(unl);
            snprintf(unl + used, sizeof unl - used, "%s%s:10万吨", n_unl ? "; " : "", nm);
            used = strlen(unl_names);
            snprintf(unl_names + used, sizeof unl_names - used, "%s%s", n_unl ? ", " : "", nm);
            n_unl++;
        }
    }
    if (n_unl == 0) return 0;
    if (n_unl == acc->n)
        fprob(L, F, 1, "accepts %s but has no limit: set a capacity column "
              "(field.capacity in [%s]) or write a limit per material, e.g. %s",
              names, L->section, unl);
    else
        fprob(L, F, 1, "accepts %s without a limit and has no capacity: give a "
              "capacity or a limit per material, e.g. %s", unl_names, unl);
    return -1;
}

/* Read one feature into sources and/or a sink. */
static void read_feature(layer_ctx *L, OGRFeatureH f) {
    load_state *st = L->st;
    feat_ctx F;
    OGRGeometryH g = NULL;
    mat_list src, acc;
    double lon = 0, lat = 0, len_km = 0, cap_total = HUGE_VAL;
    int n_src = 0, is_sink = 0, k, rc;
    char *id = NULL, *name = NULL;

    memset(&F, 0, sizeof F);
    F.fid = (long)OGR_F_GetFID(f);
    snprintf(F.desc, sizeof F.desc, "%s feature %ld", L->where, F.fid);
    rc = get_text(L, &F, f, L->col[F_ID], &id);
    if (get_text(L, &F, f, L->col[F_NAME], &name) == 1) F.name = name;
    {
        size_t used = strlen(F.desc);
        snprintf(F.desc + used, sizeof F.desc - used, "%s%s%s%s%s",
                 rc == 1 ? " id " : "", rc == 1 ? id : "", name ? " (" : "",
                 name ? name : "", name ? ")" : "");
    }
    if (rc != 1) {
        char buf[300];
        snprintf(buf, sizeof buf, "%s:%ld", L->section, F.fid);
        id = strdup(buf);
        if (!id) {
            fprob(L, &F, 1, "out of memory");
            goto done;
        }
    }
    F.id = id;

    g = feature_geometry(L, &F, f);
    if (g && representative(g, &lon, &lat, &len_km) < 0) {
        fprob(L, &F, 1, "cannot find a representative point of the geometry");
        OGR_G_DestroyGeometry(g);
        g = NULL;
    }

    /* Read every field even when the geometry failed, to report all. */
    src.n = acc.n = 0;
    if (L->role == R_PLANTS) {
        n_src = plant_sources(L, &F, f, &src);
        is_sink = sink_accepts(L, &F, f, &acc, &cap_total);
    } else if (L->role == R_YARDS) {
        int mi = get_material(L, &F, f, L->col[F_MATERIAL]);
        double stock = 0, draw = 0, storage;
        int rs, rd;
        if (mi == -2)
            fprob(L, &F, 1, "field %s is empty: say which material the yard holds",
                  L->cols[L->col[F_MATERIAL]]);
        rs = get_quantity(L, &F, f, L->col[F_STOCK], L->unit,
                          mi >= 0 ? st->m->materials.m[mi].density_t_m3 : 0, 0, &stock);
        if (rs == 0)
            fprob(L, &F, 1, "field %s is empty: give the stock on hand",
                  L->cols[L->col[F_STOCK]]);
        rd = get_quantity(L, &F, f, L->col[F_DRAWDOWN], L->unit,
                          mi >= 0 ? st->m->materials.m[mi].density_t_m3 : 0, 0, &draw);
        (void)get_quantity(L, &F, f, L->col[F_STORAGE], L->unit,
                           mi >= 0 ? st->m->materials.m[mi].density_t_m3 : 0, 0, &storage);
        if (mi >= 0 && rs == 1 && rd >= 0) {
            src.mat[0] = mi;
            src.qty[0] = (rd == 1 && draw < stock) ? draw : stock;
            src.n = 1;
            n_src = 1;
        }
    } else {
        is_sink = sink_accepts(L, &F, f, &acc, &cap_total);
        if (is_sink == 0 && L->col[F_ACCEPTS] >= 0)
            fprob(L, &F, 1, "field %s is empty: say which materials it can take "
                  "(e.g. 赤泥; 煤矸石)", L->cols[L->col[F_ACCEPTS]]);
        if (is_sink == 1) {
            if (L->role == R_MINES) rc = mine_limit(L, &F, f, &acc, &cap_total);
            else rc = g ? road_limit(L, &F, f, &acc, len_km, &cap_total) : 0;
            if (rc < 0) is_sink = -1;
        }
    }
    /* A road without usable geometry has no length, so no limit to check. */
    if (is_sink == 1 && (g || L->role != R_ROADS)) check_limits(L, &F, &acc, cap_total);
    if (L->role == R_PLANTS && n_src == 0 && is_sink == 0 && !F.bad)
        fprob(L, &F, 0, "has no output, produces or accepts: not used");

    /* Every feature's id takes part in the duplicate check, broken ones
    ** too: the clash is worth reporting in the same pass. */
    if (remember_id(st, id, F.desc) < 0) {
        fprob(L, &F, 1, "out of memory");
        goto done;
    }
    if (F.bad || !g) goto done;

    /* Everything checked: add to the model. */
    for (k = 0; k < n_src; k++) {
        char sid[512];
        if (n_src == 1) snprintf(sid, sizeof sid, "%s", id);
        else snprintf(sid, sizeof sid, "%s:%s", id, st->m->materials.m[src.mat[k]].id);
        if (add_source(L, &F, L->role == R_YARDS ? WP_SRC_YARD : WP_SRC_PLANT,
                       src.mat[k], src.qty[k], sid, lon, lat, F.fid) < 0)
            goto done;
    }
    if (is_sink == 1) {
        wp_sink *s = wp_model_add_sink(st->m, id, F.name ? F.name : id);
        size_t wl = (size_t)OGR_G_WkbSize(g);
        if (!s) {
            fprob(L, &F, 1, "out of memory");
            goto done;
        }
        s->layer = L->layer_index;
        s->fid = F.fid;
        s->kind = L->role == R_PLANTS ? WP_SINK_PLANT
                : L->role == R_MINES ? WP_SINK_MINE : WP_SINK_ROAD;
        s->lon = lon;
        s->lat = lat;
        s->cap_total_t = cap_total;
        s->length_km = len_km;
        s->accepts = 0;
        for (k = 0; k < WP_MAX_MATERIALS; k++) s->cap_t[k] = HUGE_VAL;
        for (k = 0; k < acc.n; k++) {
            s->accepts |= 1u << acc.mat[k];
            s->cap_t[acc.mat[k]] = acc.qty[k];
        }
        s->wkb = malloc(wl);
        if (!s->wkb || OGR_G_ExportToIsoWkb(g, wkbNDR, s->wkb) != OGRERR_NONE) {
            free(s->wkb);
            s->wkb = NULL;
            fprob(L, &F, 1, "cannot store the geometry (out of memory?)");
            goto done;
        }
        s->wkb_len = wl;
    }
done:
    if (g) OGR_G_DestroyGeometry(g);
    free(id);
    free(name);
}

/* ------------------------------------------------------------------ */
/* Opening a layer                                                     */

static void layer_free(layer_ctx *L) {
    int i;
    for (i = 0; i < L->ncols; i++) free(L->cols[i]);
    free(L->cols);
    free(L->collist);
    free(L->path);
    free(L->where);
    free(L->crs_label);
    if (L->dec_open) wp_decoder_close(&L->dec);
    if (L->ct) OCTDestroyCoordinateTransformation(L->ct);
    if (L->srs) OSRDestroySpatialReference(L->srs);
    if (L->ds) GDALClose(L->ds);
}

/* Detect a layer's encoding: UTF-8 when every string value and column
** name is valid UTF-8, else GB18030 (Chinese files that are not UTF-8 are
** GBK or GB18030 in practice; GB18030 decodes both). Deciding per layer
** rather than per string avoids decoding the few GBK strings that happen
** to be valid UTF-8 byte sequences as the wrong characters. */
static const char *detect_encoding(layer_ctx *L) {
    int i, n = OGR_FD_GetFieldCount(L->defn);
    OGRFeatureH f;
    const char *enc = "UTF-8";

    for (i = 0; i < n; i++) {
        const char *nm = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(L->defn, i));
        if (!wp_utf8_valid(nm, strlen(nm))) return "GB18030";
    }
    OGR_L_ResetReading(L->lyr);
    while (!strcmp(enc, "UTF-8") && (f = OGR_L_GetNextFeature(L->lyr)) != NULL) {
        for (i = 0; i < n; i++) {
            OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(L->defn, i));
            const char *s;
            if (t != OFTString || !OGR_F_IsFieldSetAndNotNull(f, i)) continue;
            s = OGR_F_GetFieldAsString(f, i);
            if (!wp_utf8_valid(s, strlen(s))) {
                enc = "GB18030";
                break;
            }
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(L->lyr);
    return enc;
}

/* The .shp a shapefile layer reads: the path itself, or <dir>/<layer>.shp
** when the dataset is a directory. malloc'd. */
static char *shp_main_file(layer_ctx *L) {
    struct stat sb;
    if (stat(L->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        const char *ln = OGR_L_GetName(L->lyr);
        size_t n = strlen(L->path) + strlen(ln) + 6;
        char *p = malloc(n);
        if (p) snprintf(p, n, "%s/%s.shp", L->path, ln);
        return p;
    }
    return strdup(L->path);
}

/* Choose and open the decoder (see the file comment). Returns 0 or -1. */
static int setup_encoding(layer_ctx *L, char *enc_out, size_t enc_n) {
    const char *key = skey(L, "encoding");
    char buf[128], err[256], origin[256];
    const char *enc = NULL;

    skey_origin(L, "encoding", origin, sizeof origin);
    if (L->is_shp || L->is_csv) {
        if (key && *key) {
            enc = key;
        } else if (L->is_shp) {
            char *main_file = shp_main_file(L), cpg[128];
            int ldid;
            if (!main_file) return -1;
            if (wp_cpg_read(main_file, cpg, sizeof cpg) &&
                wp_cpg_encoding(cpg, buf, sizeof buf) == 0)
                enc = buf;
            else if ((ldid = wp_dbf_ldid(main_file)) != 0 && wp_ldid_encoding(ldid))
                enc = wp_ldid_encoding(ldid);
            free(main_file);
        }
        if (!enc) enc = detect_encoding(L);
    } else {
        if (key && *key && strcasecmp(key, "UTF-8") && strcasecmp(key, "UTF8"))
            lprob(L, 0, "%s: encoding = %s in [%s]%s is ignored: this format "
                  "always stores UTF-8 text", L->where, key, L->section, origin);
        enc = "UTF-8";
    }
    if (wp_decoder_open(&L->dec, enc, err, sizeof err) < 0) {
        lprob(L, 1, "%s: %s%s%s", L->where, err,
              key && *key ? "; fix encoding in " : "", key && *key ? L->section : "");
        return -1;
    }
    L->dec_open = 1;
    snprintf(enc_out, enc_n, "%s", L->dec.name);
    return 0;
}

/* Decode column names and build the "a, b, c" list. */
static int setup_columns(layer_ctx *L) {
    int i, n = OGR_FD_GetFieldCount(L->defn), bad;
    size_t total = 1;

    L->cols = calloc((size_t)(n ? n : 1), sizeof *L->cols);
    if (!L->cols) return -1;
    L->ncols = n;
    for (i = 0; i < n; i++) {
        const char *raw = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(L->defn, i));
        L->cols[i] = wp_decode(&L->dec, raw, &bad);
        if (!L->cols[i]) {
            if (!bad) return -1;
            lprob(L, 1, "%s: the name of column %d is not valid %s; set encoding "
                  "= GBK (or the file's real encoding) in [%s]", L->where, i + 1,
                  L->dec.name, L->section);
            L->cols[i] = strdup("?");
            if (!L->cols[i]) return -1;
        }
        total += strlen(L->cols[i]) + 2;
    }
    L->collist = malloc(total);
    if (!L->collist) return -1;
    L->collist[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i) strcat(L->collist, ", ");
        strcat(L->collist, L->cols[i]);
    }
    if (n == 0) strcpy(L->collist, "(none)");
    return 0;
}

static int find_column(layer_ctx *L, const char *name) {
    int i;
    for (i = 0; i < L->ncols; i++)
        if (strcasecmp(L->cols[i], name) == 0) return i;
    return -1;
}

/* Map planner fields to columns: field.<name> first (an empty value turns
** the field off), else the default names in order. Reports keys that name
** missing columns and field.<name> keys this role does not read. */
static int map_fields(layer_ctx *L) {
    int fld, failed = 0, i;
    char key[128], origin[256];
    size_t slen = strlen(L->section);

    for (fld = 0; fld < F_COUNT; fld++) {
        const char *v;
        L->col[fld] = -1;
        if (!(fields[fld].roles & L->role)) continue;
        snprintf(key, sizeof key, "field.%s", fields[fld].name);
        v = skey(L, key);
        if (v) {
            if (!*v) continue;
            L->col[fld] = find_column(L, v);
            if (L->col[fld] < 0) {
                skey_origin(L, key, origin, sizeof origin);
                lprob(L, 1, "%s: field.%s = %s in [%s]%s, but the layer has no "
                      "column '%s'; its columns are: %s", L->where,
                      fields[fld].name, v, L->section, origin, v, L->collist);
                failed = 1;
            }
            continue;
        }
        for (i = 0; fields[fld].defaults[i]; i++) {
            L->col[fld] = find_column(L, fields[fld].defaults[i]);
            if (L->col[fld] >= 0) break;
        }
    }
    /* field.<x> keys of this section that this role does not read. */
    for (i = 0; i < L->st->cfg->count; i++) {
        const char *k = L->st->cfg->e[i].key, *nm;
        if (strncmp(k, L->section, slen) != 0 || strncmp(k + slen, ".field.", 7) != 0)
            continue;
        nm = k + slen + 7;
        for (fld = 0; fld < F_COUNT; fld++)
            if (strcmp(nm, fields[fld].name) == 0) break;
        if (fld == F_COUNT || !(fields[fld].roles & L->role)) {
            L->st->cfg->e[i].used = 1;
            lprob(L, 0, "field.%s in [%s] (%s) is not a field of %s; it is ignored",
                  nm, L->section, L->st->cfg->e[i].origin, L->role_name);
        }
    }
    return failed ? -1 : 0;
}

/* Columns a role cannot do without. */
static int require_fields(layer_ctx *L) {
    int failed = 0;
#define NEED(fld, why)                                                            \
    do {                                                                          \
        if (L->col[fld] < 0) {                                                    \
            lprob(L, 1, "%s: no %s column (%s); its columns are: %s; name the "   \
                  "column with field.%s = <column> in [%s]", L->where,            \
                  fields[fld].name, why, L->collist, fields[fld].name, L->section); \
            failed = 1;                                                           \
        }                                                                         \
    } while (0)
    if (L->role == R_PLANTS) {
        if (L->col[F_OUTPUT] < 0 && L->col[F_PRODUCES] < 0 && L->col[F_ACCEPTS] < 0) {
            lprob(L, 1, "%s: no output, produces or accepts column, so its plants "
                  "neither supply nor take anything; its columns are: %s; set "
                  "field.output (with field.material), field.produces or "
                  "field.accepts in [%s]", L->where, L->collist, L->section);
            failed = 1;
        }
        if (L->col[F_OUTPUT] >= 0) NEED(F_MATERIAL, "which material the output is");
    } else if (L->role == R_YARDS) {
        NEED(F_MATERIAL, "which material the yard holds");
        NEED(F_STOCK, "the stock on hand");
    } else if (L->role == R_MINES) {
        NEED(F_ACCEPTS, "the materials the mine can take");
    } else {
        NEED(F_ACCEPTS, "the materials the project can use");
    }
#undef NEED
    return failed ? -1 : 0;
}

/* CSV coordinates: x/y keys or default names, used when the driver made
** no geometry (no WKT column) or when the keys are given. */
static int setup_csv_xy(layer_ctx *L) {
    static const char *xs[] = {"lon", "lng", "longitude", "x", "经度", NULL};
    static const char *ys[] = {"lat", "latitude", "y", "纬度", NULL};
    const char *kx = skey(L, "x"), *ky = skey(L, "y");
    int i, has_geom = OGR_FD_GetGeomFieldCount(L->defn) > 0;

    L->xcol = L->ycol = -1;
    if (!L->is_csv) return 0;
    if ((kx && *kx) || (ky && *ky)) {
        if (!(kx && *kx) || !(ky && *ky)) {
            lprob(L, 1, "%s: set both x and y in [%s] (the longitude/easting and "
                  "latitude/northing columns)", L->where, L->section);
            return -1;
        }
        L->xcol = find_column(L, kx);
        L->ycol = find_column(L, ky);
        if (L->xcol < 0 || L->ycol < 0) {
            lprob(L, 1, "%s: x = %s / y = %s in [%s], but the layer has no column "
                  "'%s'; its columns are: %s", L->where, kx, ky, L->section,
                  L->xcol < 0 ? kx : ky, L->collist);
            return -1;
        }
        return 0;
    }
    if (has_geom) return 0;
    for (i = 0; xs[i] && L->xcol < 0; i++) L->xcol = find_column(L, xs[i]);
    for (i = 0; ys[i] && L->ycol < 0; i++) L->ycol = find_column(L, ys[i]);
    if (L->xcol < 0 || L->ycol < 0) {
        lprob(L, 1, "%s: no coordinate columns (tried lon/lng/longitude/x/经度 and "
              "lat/latitude/y/纬度); its columns are: %s; set x = <column> and "
              "y = <column> in [%s]", L->where, L->collist, L->section);
        L->xcol = L->ycol = -1;
        return -1;
    }
    return 0;
}

/* Pick the CRS (crs key, else the dataset's, else EPSG:4326 for CSV) and
** build the transformation. Returns 0 or -1. */
static int setup_crs(layer_ctx *L) {
    const char *key = skey(L, "crs");
    OGRSpatialReferenceH lsrs = OGR_L_GetSpatialRef(L->lyr);
    char err[512], origin[256];

    skey_origin(L, "crs", origin, sizeof origin);
    if (key && *key) {
        L->srs = wp_crs_parse(key, err, sizeof err);
        if (!L->srs) {
            lprob(L, 1, "%s: crs = %s in [%s]%s: %s", L->where, key, L->section,
                  origin, err);
            return -1;
        }
        if (lsrs) {
            char *a = wp_crs_label(lsrs), *b = wp_crs_label(L->srs);
            if (a && b && strcmp(a, b) != 0)
                lprob(L, 0, "%s: crs = %s in [%s]%s overrides the dataset's own "
                      "CRS %s", L->where, key, L->section, origin, a);
            free(a);
            free(b);
        }
    } else if (lsrs) {
        L->srs = wp_crs_clone(lsrs);
    } else if (L->is_csv) {
        L->srs = wp_crs_parse("EPSG:4326", err, sizeof err);
    } else {
        lprob(L, 1, "%s has no CRS (no .prj or CRS definition): add the .prj "
              "file, or set crs = EPSG:4490 (the data's real CRS) in [%s]",
              L->where, L->section);
        return -1;
    }
    if (!L->srs) {
        lprob(L, 1, "%s: out of memory", L->where);
        return -1;
    }
    L->crs_label = wp_crs_label(L->srs);
    if (!L->crs_label) return -1;
    L->geographic = wp_crs_is_geographic(L->srs);
    if (!wp_crs_is_wgs84(L->srs)) {
        L->ct = wp_crs_to_wgs84(L->srs, err, sizeof err);
        if (!L->ct) {
            lprob(L, 1, "%s: its CRS %s is unknown or cannot be transformed to "
                  "WGS84 (%s); set crs = EPSG:xxxx in [%s]", L->where,
                  L->crs_label, err, L->section);
            return -1;
        }
    }
    return 0;
}

/* Open the dataset and layer of a section; on success the layer is in the
** model's layer list. Returns 0, or -1 after reporting the problem. */
static int open_layer(layer_ctx *L, wp_layer_info *info, char *enc, size_t enc_n) {
    const char *p = skey(L, "path"), *lname = skey(L, "layer");
    char origin[256];
    struct stat sb;
    GDALDriverH drv;
    const char *drv_name;
    char *open_opts[2] = {NULL, NULL};
    int nl, i;

    skey_origin(L, "path", origin, sizeof origin);
    if (!p || !*p) {
        lprob(L, 1, "[%s] has no path: add path = <file> (.shp, .gpkg, .geojson "
              "or .csv)", L->section);
        return -1;
    }
    L->path = wp_config_path(L->st->cfg, p);
    if (!L->path) return -1;
    L->file = basename_of(L->path);
    L->where = strdup(L->file);
    if (!L->where) return -1;
    if (stat(L->path, &sb) != 0) {
        lprob(L, 1, "%s: file not found: %s (path = %s in [%s]%s)", L->file,
              L->path, p, L->section, origin);
        return -1;
    }
    L->gdal_msg[0] = '\0';
    drv = GDALIdentifyDriverEx(L->path, GDAL_OF_VECTOR, NULL, NULL);
    if (!drv) {
        lprob(L, 1, "%s: not a vector dataset GDAL can read (path = %s in [%s]%s)",
              L->file, p, L->section, origin);
        return -1;
    }
    drv_name = GDALGetDriverShortName(drv);
    L->is_shp = strcmp(drv_name, "ESRI Shapefile") == 0;
    L->is_csv = strcmp(drv_name, "CSV") == 0;
    /* Raw bytes: the text is decoded here, where errors can be reported. */
    if (L->is_shp) open_opts[0] = "ENCODING=";
    L->ds = GDALOpenEx(L->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                       (const char *const *)open_opts, NULL);
    if (!L->ds) {
        lprob(L, 1, "%s: cannot open: %s", L->file,
              L->gdal_msg[0] ? L->gdal_msg : "GDAL gave no reason");
        return -1;
    }
    nl = GDALDatasetGetLayerCount(L->ds);
    if (lname && *lname) {
        L->lyr = GDALDatasetGetLayerByName(L->ds, lname);
        if (!L->lyr) {
            char names[1024] = "";
            for (i = 0; i < nl; i++) {
                size_t u = strlen(names);
                snprintf(names + u, sizeof names - u, "%s%s", i ? ", " : "",
                         OGR_L_GetName(GDALDatasetGetLayer(L->ds, i)));
            }
            skey_origin(L, "layer", origin, sizeof origin);
            lprob(L, 1, "%s: no layer '%s' (layer = %s in [%s]%s); its layers are: %s",
                  L->file, lname, lname, L->section, origin, nl ? names : "(none)");
            return -1;
        }
    } else if (nl > 0) {
        L->lyr = GDALDatasetGetLayer(L->ds, 0);
    }
    if (!L->lyr) {
        lprob(L, 1, "%s: the dataset has no layers", L->file);
        return -1;
    }
    if (nl > 1 || (lname && *lname)) {
        size_t n = strlen(L->file) + strlen(OGR_L_GetName(L->lyr)) + 8;
        char *w = malloc(n);
        if (!w) return -1;
        snprintf(w, n, "%s layer %s", L->file, OGR_L_GetName(L->lyr));
        free(L->where);
        L->where = w;
    }
    L->defn = OGR_L_GetLayerDefn(L->lyr);
    if (setup_encoding(L, enc, enc_n) < 0) return -1;
    if (setup_columns(L) < 0) {
        lprob(L, 1, "%s: out of memory", L->where);
        return -1;
    }
    {
        int bad = 0;
        if (map_fields(L) < 0) bad = 1;
        if (!bad && require_fields(L) < 0) bad = 1;
        if (setup_csv_xy(L) < 0) bad = 1;
        if (setup_crs(L) < 0) bad = 1;
        if (bad) return -1;
    }
    {
        const char *u = skey(L, "unit");
        L->unit = WP_UNIT_T;
        if (u && *u) {
            L->unit = wp_unit_parse(u);
            L->unit_set = 1;
            if (L->unit == WP_UNIT_INVALID || L->unit == WP_UNIT_KM) {
                skey_origin(L, "unit", origin, sizeof origin);
                lprob(L, 1, "%s: unit = %s in [%s]%s is not a unit of quantity; use "
                      "t, kt, Mt, 万吨, m3 or 万方", L->where, u, L->section, origin);
                return -1;
            }
        }
    }

    memset(info, 0, sizeof *info);
    info->role = (char *)L->role_name;
    info->section = (char *)L->section;
    info->path = L->path;
    info->layer_name = (char *)OGR_L_GetName(L->lyr);
    info->crs = L->crs_label;
    info->encoding = enc;
    {
        /* A shapefile's data is in several files: fingerprint all of them,
        ** so an edited .dbf changes the recorded hash too. */
        char *main_file = L->is_shp ? shp_main_file(L) : strdup(L->path), err[512];
        if (main_file && stat(main_file, &sb) == 0 && S_ISREG(sb.st_mode)) {
            static const char *const ext[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
            char parts[5][4096];
            const char *files[5];
            int nf = 0;
            size_t stem = strlen(main_file);
            if (L->is_shp && stem > 4 && stem < sizeof parts[0] - 8) {
                stem -= 4;   /* drop ".shp" */
                for (int e = 0; e < 5; e++) {
                    memcpy(parts[nf], main_file, stem);
                    strcpy(parts[nf] + stem, ext[e]);
                    if (stat(parts[nf], &sb) == 0 && S_ISREG(sb.st_mode)) {
                        files[nf] = parts[nf];
                        nf++;
                    }
                }
            } else {
                files[nf++] = main_file;
            }
            if (wp_sha256_files(files, nf, info->sha256, err, sizeof err) < 0)
                lprob(L, 1, "%s: %s", L->where, err);
        }
        free(main_file);
    }
    L->layer_index = wp_model_add_layer(L->st->m, info);
    if (L->layer_index < 0) {
        lprob(L, 1, "%s: out of memory", L->where);
        return -1;
    }
    return 0;
}

/* Load one layer section. */
static void load_section(load_state *st, const char *section, unsigned role,
                         const char *role_name) {
    layer_ctx L;
    wp_layer_info info;
    char enc[64] = "";
    OGRFeatureH f;
    long n = 0;

    memset(&L, 0, sizeof L);
    L.st = st;
    L.section = section;
    L.role = role;
    L.role_name = role_name;
    L.layer_index = -1;
    CPLPushErrorHandlerEx(gdal_handler, &L);
    if (open_layer(&L, &info, enc, sizeof enc) == 0) {
        OGR_L_ResetReading(L.lyr);
        for (;;) {
            L.gdal_msg[0] = '\0';
            f = OGR_L_GetNextFeature(L.lyr);
            if (!f) break;
            read_feature(&L, f);
            OGR_F_Destroy(f);
            n++;
        }
        if (L.gdal_msg[0])
            lprob(&L, 1, "%s: reading stopped after %ld features: %s", L.where, n,
                  L.gdal_msg);
        st->m->layers[L.layer_index].features = n;
        if (n == 0) lprob(&L, 0, "%s has no features", L.where);
        if (st->g->verbose)
            fprintf(stderr, "wasteplan: [%s] %s: %ld features, %s, %s\n", section,
                    L.where, n, L.crs_label, enc);
    }
    CPLPopErrorHandler();
    if (L.hidden)
        wp_problems_add(st->probs, 0, "%s: %ld more problems not listed",
                        L.where ? L.where : section, L.hidden);
    layer_free(&L);
}

/* ------------------------------------------------------------------ */
/* Whole-model checks and the entry point                              */

static int cmp_seen(const void *a, const void *b) {
    return strcmp(((const seen_id *)a)->id, ((const seen_id *)b)->id);
}

/* Ids must be unique across every layer: sort, then compare neighbours.
** The sort is stable enough for messages: both features are named. */
static void check_duplicate_ids(load_state *st) {
    int i;
    if (st->n_ids < 2) return;
    if (st->n_ids > 1) qsort(st->ids, (size_t)st->n_ids, sizeof *st->ids, cmp_seen);
    for (i = 1; i < st->n_ids; i++)
        if (strcmp(st->ids[i].id, st->ids[i - 1].id) == 0)
            wp_problems_add(st->probs, 1, "duplicate id %s: %s and %s; ids must "
                            "be unique across all layers (fix the id column or "
                            "set field.id = in the section to number features)",
                            st->ids[i].id, st->ids[i - 1].desc, st->ids[i].desc);
}

/* Warn about materials some sink accepts but no source supplies. */
static void check_unsupplied(load_state *st) {
    const wp_model *m = st->m;
    unsigned supplied = 0, warned = 0;
    int i, k;
    for (i = 0; i < m->n_sources; i++)
        if (m->sources[i].material >= 0) supplied |= 1u << m->sources[i].material;
    for (i = 0; i < m->n_sinks; i++)
        for (k = 0; k < m->materials.count; k++) {
            unsigned bit = 1u << k;
            if ((m->sinks[i].accepts & bit) && !(supplied & bit) && !(warned & bit)) {
                warned |= bit;
                wp_problems_add(st->probs, 0, "%s (%s) is accepted by %s (%s) "
                                "but no plant or yard supplies it",
                                m->materials.m[k].id, m->materials.m[k].name_zh,
                                m->sinks[i].id, m->sinks[i].name);
            }
        }
}

typedef struct {
    load_state *st;
    int n_layers;
} sections_ud;

/* wp_config_sections callback: load the section when it is a layer role. */
static void on_section(const char *section, void *ud) {
    sections_ud *su = ud;
    size_t i;
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        size_t n = strlen(roles[i].name);
        if (strncmp(section, roles[i].name, n) == 0 &&
            (section[n] == '\0' || section[n] == '.')) {
            load_section(su->st, section, roles[i].role, roles[i].name);
            su->n_layers++;
            return;
        }
    }
}

/* See load.h. */
int wp_load_layers(wp_geo *g, wp_config *cfg, wp_model *m, wp_problems *probs,
                   char *err, int errlen) {
    load_state st;
    sections_ud su;
    int first = probs->count, fatal0 = probs->fatal, i;

    memset(&st, 0, sizeof st);
    st.g = g;
    st.cfg = cfg;
    st.m = m;
    st.probs = probs;
    for (i = 0; i < m->materials.count; i++) {
        size_t u = strlen(st.known);
        snprintf(st.known + u, sizeof st.known - u, "%s%s%s%s%s", i ? ", " : "",
                 m->materials.m[i].id, m->materials.m[i].name_zh[0] ? " (" : "",
                 m->materials.m[i].name_zh, m->materials.m[i].name_zh[0] ? ")" : "");
    }
    su.st = &st;
    su.n_layers = 0;
    wp_config_sections(cfg, on_section, &su);
    if (su.n_layers == 0)
        wp_problems_add(probs, 1, "%s has no layer sections: add [plants] "
                        "(and [yards], [mines], [roads]) with path = <file>",
                        cfg->path ? basename_of(cfg->path) : "the scenario");
    check_duplicate_ids(&st);
    if (probs->fatal == fatal0) check_unsupplied(&st);
    for (i = 0; i < st.n_ids; i++) {
        free(st.ids[i].id);
        free(st.ids[i].desc);
    }
    free(st.ids);
    if (probs->fatal == fatal0) return 0;
    if (err && errlen > 0) {
        err[0] = '\0';
        for (i = first; i < probs->count; i++)
            if (strncmp(probs->text[i], "warning: ", 9) != 0) {
                snprintf(err, (size_t)errlen, "%s", probs->text[i]);
                break;
            }
        if (!err[0]) snprintf(err, (size_t)errlen, "%d problems in the input layers",
                              probs->fatal - fatal0);
    }
    return -1;
}
