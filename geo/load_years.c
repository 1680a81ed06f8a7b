/*
** load_years.c — year data for `wasteplan plan` (see load_years.h).
**
** The single-year loader (load.c) has already validated every layer and
** made the model's sources and sinks, each remembering its layer and OGR
** feature id. This file opens the same layers again, in the encoding the
** loader settled on, and reads only the columns a plan over years adds;
** features are matched to sources and sinks by (layer, feature id), so
** nothing here depends on feature order or on the model's sorting.
** Column names follow load.c's conventions: case-insensitive ASCII match
** against a list of defaults, or the section's field.<name> mapping.
*/
#include "load_years.h"
#include "encoding.h"

#include "../planner/units.h"

#include <gdal.h>
#include <ogr_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WM WP_MAX_MATERIALS
#define YEAR_MIN 1900
#define YEAR_MAX 2200

/* ------------------------------------------------------------ config */

/* "2025", "2025-2030" (also with '–' or '~'): 1 year or a range. */
static int parse_years(const char *s, int *a, int *b) {
    char *end;
    long x = strtol(s, &end, 10);
    if (end == s || x < YEAR_MIN || x > YEAR_MAX) return -1;
    while (*end == ' ') end++;
    if (!*end) {
        *a = *b = (int)x;
        return 0;
    }
    if (*end == '-' || *end == '~') end++;
    else if (!strncmp(end, "\xe2\x80\x93", 3)) end += 3;   /* en dash */
    else if (!strncmp(end, "\xe8\x87\xb3", 3)) end += 3;   /* 至 */
    else return -1;
    while (*end == ' ') end++;
    char *e2;
    long z = strtol(end, &e2, 10);
    while (*e2 == ' ') e2++;
    if (e2 == end || *e2 || z < x || z > YEAR_MAX) return -1;
    *a = (int)x;
    *b = (int)z;
    return 0;
}

int wp_years_from_config(wp_config *cfg, int *year0, int *n_years, char *err, int errlen) {
    const char *s = wp_config_get(cfg, "horizon.start");
    const char *e = wp_config_get(cfg, "horizon.end");
    int a, b;
    if (s || e) {
        const wp_config_entry *en = wp_config_entry_of(cfg, s ? "horizon.start" : "horizon.end");
        if (!s || !e || parse_years(s, &a, &a) < 0 || parse_years(e, &b, &b) < 0 || b < a) {
            snprintf(err, (size_t)errlen, "%s: [horizon] needs start and end years, "
                     "start <= end, e.g. start = 2025 and end = 2030", en ? en->origin : "scenario");
            return -1;
        }
    } else {
        const char *y = wp_config_get(cfg, "scenario.years");
        if (!y) {
            snprintf(err, (size_t)errlen, "%s: a plan needs its years: set years = 2025-2030 "
                     "in [scenario], or start and end in [horizon]", cfg->path ? cfg->path : "scenario");
            return -1;
        }
        if (parse_years(y, &a, &b) < 0) {
            snprintf(err, (size_t)errlen, "%s: scenario.years = '%s' is not a year range "
                     "like 2025-2030", wp_config_entry_of(cfg, "scenario.years")->origin, y);
            return -1;
        }
    }
    if (b - a >= 100) {
        snprintf(err, (size_t)errlen, "the horizon %d-%d is longer than 100 years", a, b);
        return -1;
    }
    *year0 = a;
    *n_years = b - a + 1;
    return 0;
}

/* A share: "0.15" or "15%". */
static int parse_share(const char *s, double *out) {
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    double div = 1;
    while (n && buf[n - 1] == ' ') buf[--n] = 0;
    if (n && buf[n - 1] == '%') {
        buf[--n] = 0;
        div = 100;
    }
    double v;
    if (wp_number_parse(buf, &v) < 0) return -1;
    *out = v / div;
    return 0;
}

/* The key's value with its origin, for messages. */
static void bad_key(wp_problems *probs, const wp_config_entry *e, const char *what) {
    wp_problems_add(probs, 1, "%s: %s = '%s': %s", e->origin, e->key, e->value, what);
}

/* Targets named for some years hold from that year until the next named
** one ("15 % by 2027, 25 % by 2030": 15 % in 2027-2029, 25 % from 2030). */
static void fill_forward(double *tab, int n_years) {
    for (int j = 0; j < WM; j++) {
        double cur = NAN;
        for (int y = 0; y < n_years; y++) {
            double *v = &tab[(size_t)y * WM + (size_t)j];
            if (*v == *v) cur = *v;
            else *v = cur;
        }
    }
}

/* [horizon] growth.<material>, [storage] <material>.new|max_years|cost,
** [target] mode and <material>[.stock].<year>. growth and the default
** storage cost per material are returned for the layer pass. */
static void read_plan_keys(wp_config *cfg, const wp_model *m, wp_horizon *h,
                           double *growth, double *store_cost, wp_problems *probs) {
    const wp_materials *ms = &m->materials;
    for (int i = 0; i < cfg->count; i++) {
        wp_config_entry *e = &cfg->e[i];
        char key[256];
        snprintf(key, sizeof key, "%s", e->key);
        if (!strncmp(key, "horizon.growth.", 15)) {
            e->used = 1;
            int j = wp_materials_find(ms, key + 15);
            double v;
            if (j < 0) bad_key(probs, e, "unknown material");
            else if (parse_share(e->value, &v) < 0 || v < -1 || v > 10)
                bad_key(probs, e, "expected a yearly growth such as 0.02 or 2%");
            else growth[j] = v;
        } else if (!strncmp(key, "storage.", 8)) {
            e->used = 1;
            char *mat = key + 8, *dot = strrchr(mat, '.');
            if (!dot) {
                bad_key(probs, e, "expected <material>.new, <material>.max_years or <material>.cost");
                continue;
            }
            *dot = 0;
            int j = wp_materials_find(ms, mat);
            double v;
            if (j < 0) {
                bad_key(probs, e, "unknown material");
            } else if (!strcmp(dot + 1, "new")) {
                int b;
                char msg[256];
                if (wp_config_get_bool(cfg, e->key, 1, &b, msg, sizeof msg) < 0)
                    wp_problems_add(probs, 1, "%s", msg);
                else h->new_storage[j] = b;
            } else if (!strcmp(dot + 1, "max_years")) {
                if (wp_number_parse(e->value, &v) < 0 || v < 0 || v > 100)
                    bad_key(probs, e, "expected a number of years, 0-100");
                else h->max_store_years[j] = v;
            } else if (!strcmp(dot + 1, "cost")) {
                if (wp_number_parse(e->value, &v) < 0 || v < 0 || v > 1e6)
                    bad_key(probs, e, "expected yuan per t and year, 0-1e6");
                else store_cost[j] = v;
            } else {
                bad_key(probs, e, "unknown key: use new, max_years or cost");
            }
        } else if (!strcmp(key, "target.mode")) {
            e->used = 1;
            if (!strcasecmp(e->value, "enforce")) h->enforce = 1;
            else if (!strcasecmp(e->value, "report")) h->enforce = 0;
            else bad_key(probs, e, "expected report or enforce");
        } else if (!strncmp(key, "target.", 7)) {
            e->used = 1;
            char *mat = key + 7, *dot = strrchr(mat, '.');
            int stock = 0, a, b;
            if (!dot || parse_years(dot + 1, &a, &b) < 0 || a != b) {
                bad_key(probs, e, "expected target.<material>.<year> or target.<material>.stock.<year>");
                continue;
            }
            *dot = 0;
            size_t n = strlen(mat);
            if (n > 6 && !strcmp(mat + n - 6, ".stock")) {
                stock = 1;
                mat[n - 6] = 0;
            }
            int j = wp_materials_find(ms, mat);
            double v;
            if (j < 0) bad_key(probs, e, "unknown material");
            else if (parse_share(e->value, &v) < 0 || v < 0 || v > 1)
                bad_key(probs, e, "expected a share such as 0.15 or 15%");
            else if (a < h->year0 || a >= h->year0 + h->n_years)
                wp_problems_add(probs, 0, "warning: %s: %s: year %d is outside the horizon %d-%d",
                                e->origin, e->key, a, h->year0, h->year0 + h->n_years - 1);
            else
                (stock ? h->target_stock : h->target_new)[(size_t)(a - h->year0) * WM + (size_t)j] = v;
        }
    }
    fill_forward(h->target_new, h->n_years);
    fill_forward(h->target_stock, h->n_years);
}

/* ------------------------------------------------------------ layers */

typedef struct {
    OGRLayerH lyr;
    OGRFeatureDefnH defn;
    wp_decoder dec;
    int n_cols;
    char **cols;            /* decoded column names */
    const char *file;       /* for messages */
    const char *section;
    wp_unit unit;
    wp_problems *probs;
} yl_ctx;

/* Column named by [section] field.<name>, else the first default that
** exists; -1 when none. */
static int find_col(yl_ctx *L, wp_config *cfg, const char *field, const char *const *defaults) {
    char key[256];
    snprintf(key, sizeof key, "%s.field.%s", L->section, field);
    const char *mapped = wp_config_get(cfg, key);
    if (mapped) {
        if (!*mapped) return -1;
        for (int i = 0; i < L->n_cols; i++)
            if (!strcasecmp(L->cols[i], mapped)) return i;
        return -1;
    }
    for (int d = 0; defaults[d]; d++)
        for (int i = 0; i < L->n_cols; i++)
            if (!strcasecmp(L->cols[i], defaults[d])) return i;
    return -1;
}

/* Column "<prefix>_<year>" for one of the prefixes; -1 when none. */
static int year_col(yl_ctx *L, const char *const *prefixes, int year) {
    char name[128];
    for (int p = 0; prefixes[p]; p++) {
        snprintf(name, sizeof name, "%s_%d", prefixes[p], year);
        for (int i = 0; i < L->n_cols; i++)
            if (!strcasecmp(L->cols[i], name)) return i;
    }
    return -1;
}

/* Decoded, trimmed text of column fi: 1 with *out (free it), 0 when empty,
** -1 after reporting a problem. */
static int text_of(yl_ctx *L, OGRFeatureH f, int fi, const char *what, char **out) {
    *out = NULL;
    if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) return 0;
    int bad = 0;
    char *s = wp_decode(&L->dec, OGR_F_GetFieldAsString(f, fi), &bad);
    if (!s) {
        wp_problems_add(L->probs, 1, "%s feature %lld (%s): field %s is not valid %s",
                        L->file, (long long)OGR_F_GetFID(f), what, L->cols[fi], L->dec.name);
        return -1;
    }
    char *t = s;
    while (*t == ' ') t++;
    size_t n = strlen(t);
    while (n && t[n - 1] == ' ') t[--n] = 0;
    if (!*t) {
        free(s);
        return 0;
    }
    memmove(s, t, n + 1);
    *out = s;
    return 1;
}

/* A quantity in tonnes: 1 with *v, 0 when empty, -1 after a problem. */
static int qty_of(yl_ctx *L, OGRFeatureH f, int fi, wp_unit unit, double density,
                  const char *what, double *v) {
    if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) return 0;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(L->defn, fi));
    char err[256];
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        double x = OGR_F_GetFieldAsDouble(f, fi);
        double tn = (isfinite(x) && x >= 0) ? wp_unit_to_tonnes(x, unit, density) : NAN;
        if (!(tn >= 0) || tn > 1e10) {
            wp_problems_add(L->probs, 1, "%s feature %lld (%s): field %s = %g is not a "
                            "quantity of 0 to 1e10 t in %s", L->file, (long long)OGR_F_GetFID(f),
                            what, L->cols[fi], x, wp_unit_name(unit));
            return -1;
        }
        *v = tn;
        return 1;
    }
    char *s;
    int rc = text_of(L, f, fi, what, &s);
    if (rc <= 0) return rc;
    rc = wp_quantity_parse(s, unit, density, v, err, sizeof err);
    if (rc < 0)
        wp_problems_add(L->probs, 1, "%s feature %lld (%s): field %s: %s", L->file,
                        (long long)OGR_F_GetFID(f), what, L->cols[fi], err);
    free(s);
    return rc < 0 ? -1 : 1;
}

/* A plain number (growth, cost, year): 1, 0 when empty, -1 after a problem. */
static int num_of(yl_ctx *L, OGRFeatureH f, int fi, const char *what, int share, double *v) {
    if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) return 0;
    OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(L->defn, fi));
    if (t == OFTInteger || t == OFTInteger64 || t == OFTReal) {
        *v = OGR_F_GetFieldAsDouble(f, fi);
        return isfinite(*v) ? 1 : -1;
    }
    char *s;
    int rc = text_of(L, f, fi, what, &s);
    if (rc <= 0) return rc;
    rc = share ? parse_share(s, v) : wp_number_parse(s, v);
    if (rc < 0)
        wp_problems_add(L->probs, 1, "%s feature %lld (%s): field %s = '%s' is not a number",
                        L->file, (long long)OGR_F_GetFID(f), what, L->cols[fi], s);
    free(s);
    return rc < 0 ? -1 : 1;
}

/* The years a sink operates, from start_year/end_year or a "2025-2026"
** years column; *a = YEAR_MIN, *b = YEAR_MAX when not given. */
static int sink_window(yl_ctx *L, OGRFeatureH f, int c_start, int c_end, int c_years,
                       const char *what, int *a, int *b) {
    double v;
    *a = YEAR_MIN;
    *b = YEAR_MAX;
    char *s;
    int rc = text_of(L, f, c_years, what, &s);
    if (rc < 0) return -1;
    if (rc == 1) {
        if (parse_years(s, a, b) < 0) {
            wp_problems_add(L->probs, 1, "%s feature %lld (%s): field %s = '%s' is not a year "
                            "or a range like 2025-2026", L->file, (long long)OGR_F_GetFID(f),
                            what, L->cols[c_years], s);
            free(s);
            return -1;
        }
        free(s);
    }
    if ((rc = num_of(L, f, c_start, what, 0, &v)) < 0) return -1;
    if (rc == 1) *a = (int)v;
    if ((rc = num_of(L, f, c_end, what, 0, &v)) < 0) return -1;
    if (rc == 1) *b = (int)v;
    if (*b < *a) {
        wp_problems_add(L->probs, 1, "%s feature %lld (%s): end year %d is before start year %d",
                        L->file, (long long)OGR_F_GetFID(f), what, *b, *a);
        return -1;
    }
    return 0;
}

static const char *const C_GROWTH[] = {"growth", "年增长率", "增长率", NULL};
static const char *const C_OUTPUT_Y[] = {"output", "out", "产量", "产生量", NULL};
static const char *const C_CAP_Y[] = {"capacity", "cap", "能力", "接收能力", NULL};
static const char *const C_STOCK[] = {"stock", "stock_t", "存量", "堆存量", "现存量", NULL};
static const char *const C_DRAW[] = {"drawdown", "drawdown_t", "年消纳上限", "年最大出库", NULL};
static const char *const C_STORAGE[] = {"storage", "storage_t", "剩余库容", NULL};
static const char *const C_SCOST[] = {"storage_cost", "堆存费", "堆存成本", NULL};
static const char *const C_START[] = {"start_year", "起始年份", "投运年份", "开始年份", NULL};
static const char *const C_END[] = {"end_year", "结束年份", "停止年份", NULL};
static const char *const C_YEARS[] = {"years", "建设年份", "运行年份", NULL};
static const char *const C_CAPACITY[] = {"capacity", "capacity_t", "接收能力", "利用能力", "消纳能力", NULL};
static const char *const C_VOID[] = {"void", "void_m3", "void_t", "采空区体积", "充填需求", NULL};
static const char *const C_DENSITY[] = {"density", "密度", NULL};

/* Lowest density among the materials sink k accepts (fewest tonnes). */
static double lowest_density(const wp_model *m, int k) {
    double d = 0;
    for (int j = 0; j < m->materials.count; j++)
        if ((m->sinks[k].accepts >> j & 1u) && m->materials.m[j].density_t_m3 > 0 &&
            (d == 0 || m->materials.m[j].density_t_m3 < d))
            d = m->materials.m[j].density_t_m3;
    return d;
}

/* Read layer li's year columns into h. */
static void read_layer(wp_geo *g, wp_config *cfg, const wp_model *m, int li, wp_horizon *h,
                       const double *growth, wp_problems *probs) {
    (void)g;
    const wp_layer_info *info = &m->layers[li];
    yl_ctx L;
    memset(&L, 0, sizeof L);
    L.file = info->path;
    L.section = info->section;
    L.probs = probs;
    const char *base = strrchr(info->path, '/');
    L.file = base ? base + 1 : info->path;
    size_t pl = strlen(info->path);
    int is_shp = pl > 4 && !strcasecmp(info->path + pl - 4, ".shp");
    const char *opts[] = {is_shp ? "ENCODING=" : NULL, NULL};
    GDALDatasetH ds = GDALOpenEx(info->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, opts, NULL);
    char err[256];
    if (!ds) {
        wp_problems_add(probs, 1, "%s: cannot open again for its year columns", info->path);
        return;
    }
    L.lyr = info->layer_name && *info->layer_name ? GDALDatasetGetLayerByName(ds, info->layer_name)
                                                   : GDALDatasetGetLayer(ds, 0);
    if (!L.lyr || wp_decoder_open(&L.dec, is_shp ? info->encoding : "UTF-8", err, sizeof err) < 0) {
        wp_problems_add(probs, 1, "%s: cannot read layer %s again", info->path, info->layer_name);
        GDALClose(ds);
        return;
    }
    L.defn = OGR_L_GetLayerDefn(L.lyr);
    L.n_cols = OGR_FD_GetFieldCount(L.defn);
    L.cols = calloc((size_t)(L.n_cols ? L.n_cols : 1), sizeof(char *));
    for (int i = 0; L.cols && i < L.n_cols; i++) {
        int bad;
        L.cols[i] = wp_decode(&L.dec, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(L.defn, i)), &bad);
        if (!L.cols[i]) L.cols[i] = strdup("?");
    }
    char key[256];
    snprintf(key, sizeof key, "%s.unit", info->section);
    const char *us = wp_config_get(cfg, key);
    L.unit = us ? wp_unit_parse(us) : WP_UNIT_T;
    if (L.unit == WP_UNIT_INVALID) L.unit = WP_UNIT_T;   /* load.c reported it */

    int Y = h->n_years;
    int c_growth = find_col(&L, cfg, "growth", C_GROWTH);
    int c_out[100], c_cap[100];
    for (int y = 0; y < Y; y++) {
        c_out[y] = year_col(&L, C_OUTPUT_Y, h->year0 + y);
        c_cap[y] = year_col(&L, C_CAP_Y, h->year0 + y);
    }
    int c_stock = find_col(&L, cfg, "stock", C_STOCK);
    int c_draw = find_col(&L, cfg, "drawdown", C_DRAW);
    int c_storage = find_col(&L, cfg, "storage", C_STORAGE);
    int c_scost = find_col(&L, cfg, "storage_cost", C_SCOST);
    int c_start = find_col(&L, cfg, "start_year", C_START);
    int c_end = find_col(&L, cfg, "end_year", C_END);
    int c_years = find_col(&L, cfg, "years", C_YEARS);
    int c_capacity = find_col(&L, cfg, "capacity", C_CAPACITY);
    int c_void = find_col(&L, cfg, "void", C_VOID);
    int c_density = find_col(&L, cfg, "density", C_DENSITY);
    int is_mines = !strcmp(info->role, "mines"), is_roads = !strcmp(info->role, "roads");

    OGR_L_ResetReading(L.lyr);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(L.lyr)) != NULL) {
        long fid = (long)OGR_F_GetFID(f);
        int n_here = 0;
        for (int s = 0; s < m->n_sources; s++)
            n_here += m->sources[s].layer == li && m->sources[s].fid == fid;
        for (int s = 0; s < m->n_sources; s++) {
            const wp_source *src = &m->sources[s];
            if (src->layer != li || src->fid != fid) continue;
            double v;
            if (src->kind == WP_SRC_PLANT) {
                double gr = growth[src->material];
                if (num_of(&L, f, c_growth, src->id, 1, &v) == 1) gr = v;
                for (int y = 0; y < Y; y++) {
                    double *gy = &h->gen_t[(size_t)s * Y + (size_t)y];
                    *gy = src->supply_t * pow(1 + gr, y);
                    /* a series column is the plant's one material's output */
                    if (n_here == 1 && qty_of(&L, f, c_out[y], L.unit,
                                              m->materials.m[src->material].density_t_m3,
                                              src->id, &v) == 1)
                        *gy = v;
                }
            } else {
                double dens = m->materials.m[src->material].density_t_m3;
                if (qty_of(&L, f, c_stock, L.unit, dens, src->id, &v) == 1) h->stock0_t[s] = v;
                double dd = HUGE_VAL;
                if (qty_of(&L, f, c_draw, L.unit, dens, src->id, &v) == 1) dd = v;
                for (int y = 0; y < Y; y++) h->drawdown_t[(size_t)s * Y + (size_t)y] = dd;
                if (qty_of(&L, f, c_storage, L.unit, dens, src->id, &v) == 1) h->storage_t[s] = v;
                if (num_of(&L, f, c_scost, src->id, 0, &v) == 1) {
                    if (v < 0 || v > 1e6)
                        wp_problems_add(probs, 1, "%s feature %ld (%s): storage cost %g must lie "
                                        "in 0-1e6 yuan per t and year", L.file, fid, src->id, v);
                    else h->storage_cost[s] = v;
                }
            }
        }
        for (int k = 0; k < m->n_sinks; k++) {
            const wp_sink *sk = &m->sinks[k];
            if (sk->layer != li || sk->fid != fid) continue;
            int a, b;
            if (sink_window(&L, f, c_start, c_end, c_years, sk->id, &a, &b) < 0) continue;
            double annual = sk->cap_total_t, total = HUGE_VAL, v;
            if (is_mines) {
                /* the void is shared by all years; capacity is per year */
                double dens = 0;
                if (num_of(&L, f, c_density, sk->id, 0, &v) == 1) dens = v;
                if (!(dens > 0)) dens = lowest_density(m, k);
                wp_unit vu = L.unit;
                if (!us && c_void >= 0) {
                    size_t n = strlen(L.cols[c_void]);
                    vu = (n > 2 && !strcasecmp(L.cols[c_void] + n - 2, "_t")) ? WP_UNIT_T : WP_UNIT_M3;
                }
                if (qty_of(&L, f, c_void, vu, dens, sk->id, &v) == 1) total = v;
                annual = HUGE_VAL;
                if (qty_of(&L, f, c_capacity, L.unit, dens, sk->id, &v) == 1) annual = v;
                if (annual == HUGE_VAL && total == HUGE_VAL) annual = sk->cap_total_t;
            } else if (is_roads) {
                total = sk->cap_total_t;   /* the project's demand, over its years */
                annual = HUGE_VAL;
            }
            int open_years = 0;
            for (int y = 0; y < Y; y++) open_years += h->year0 + y >= a && h->year0 + y <= b;
            h->sink_horizon_t[k] = total;
            for (int y = 0; y < Y; y++) {
                size_t ky = (size_t)k * Y + (size_t)y;
                int open = h->year0 + y >= a && h->year0 + y <= b;
                double cap = annual;
                if (qty_of(&L, f, c_cap[y], L.unit, lowest_density(m, k), sk->id, &v) == 1) cap = v;
                h->sink_cap_t[ky] = open ? cap : 0;
                for (int j = 0; j < m->materials.count; j++) {
                    double *mc = &h->sink_mat_cap_t[ky * WM + (size_t)j];
                    if (!open) *mc = 0;
                    /* a road's list limit is for the whole project: spread it */
                    else if (is_roads && *mc != HUGE_VAL && open_years > 0) *mc /= open_years;
                }
            }
        }
        OGR_F_Destroy(f);
    }
    for (int i = 0; L.cols && i < L.n_cols; i++) free(L.cols[i]);
    free(L.cols);
    wp_decoder_close(&L.dec);
    GDALClose(ds);
}

/* Each plant stores new waste, where its material may be stored, in the
** nearest yard of its material within the material's haul limit. */
static void assign_store_yards(const wp_model *m, wp_horizon *h) {
    for (int s = 0; s < m->n_sources; s++) {
        const wp_source *p = &m->sources[s];
        if (p->kind != WP_SRC_PLANT) continue;
        const wp_material *mt = &m->materials.m[p->material];
        double best = HUGE_VAL;
        for (int v = 0; v < m->n_sources; v++) {
            const wp_source *yd = &m->sources[v];
            if (yd->kind != WP_SRC_YARD || yd->material != p->material) continue;
            double km = wp_geodesic_km(p->lon, p->lat, yd->lon, yd->lat) * m->detour;
            if (km <= mt->max_haul_km && km < best) {
                best = km;
                h->store_yard[s] = v;
                h->store_cost[s] = mt->handling + mt->road_rate * km;
            }
        }
    }
}

int wp_load_years(wp_geo *g, wp_config *cfg, const wp_model *m, wp_horizon *h,
                  wp_problems *probs, char *err, int errlen) {
    double growth[WM] = {0}, store_cost[WM];
    for (int j = 0; j < WM; j++) store_cost[j] = NAN;
    int before = probs->fatal;
    read_plan_keys(cfg, m, h, growth, store_cost, probs);
    for (int s = 0; s < m->n_sources; s++)
        if (m->sources[s].kind == WP_SRC_YARD && store_cost[m->sources[s].material] ==
                                                     store_cost[m->sources[s].material])
            h->storage_cost[s] = store_cost[m->sources[s].material];
    for (int li = 0; li < m->n_layers; li++) read_layer(g, cfg, m, li, h, growth, probs);
    assign_store_yards(m, h);
    if (probs->fatal > before) {
        for (int i = 0; i < probs->count; i++)
            if (strncmp(probs->text[i], "warning:", 8)) {
                snprintf(err, (size_t)errlen, "%s", probs->text[i]);
                break;
            }
        return -1;
    }
    return 0;
}
