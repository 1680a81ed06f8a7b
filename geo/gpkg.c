/*
** gpkg.c — write the allocation result as one GeoPackage (see gpkg.h):
**
**   flows     LineString  one feature per arc that carries waste
**   sources   Point       every source with what was delivered and why not
**   sinks     GEOMETRY    every sink in its own geometry (point, line, polygon)
**   summary   attributes  per material and 'all': tonnes, cost, t·km, CO2
**   scenario  attributes  every parameter in force and every input's
**                         provenance, so a result can be traced and re-run
**   layer_styles          default QGIS style per map layer (qgis_style.c)
**   gpkg_data_columns     Chinese alias per field (gpkg_schema extension)
**
** GDAL 3.6's GeoPackage driver does not store OGR field alternative names,
** so the aliases are written as gpkg_data_columns rows (name and title)
** with SQL, and also into each layer's QML, which QGIS always reads.
**
** Everything is written inside one dataset transaction into a temporary
** file beside the target; only a complete, closed and fsync'ed file is
** renamed into place (atomic_file.c). Any failure removes the temporary
** file and leaves an earlier file at the target as it was.
*/
#include "gpkg.h"

#include "atomic_file.h"
#include "qgis_style.h"

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
#include <time.h>

/* Arcs with less than this many tonnes carry nothing (solver round-off). */
#define FLOW_MIN_T 0.5e-6

typedef struct {
    const char *name;
    OGRFieldType type;
    const char *alias;     /* Chinese display name */
} field_def;

/* Field tables, indexed by enums so feature code and schema cannot drift. */
enum {
    FL_SOURCE_ID, FL_SOURCE_NAME, FL_SINK_ID, FL_SINK_NAME, FL_MATERIAL,
    FL_MATERIAL_ZH, FL_TONNES, FL_DISTANCE_KM, FL_COST_YUAN, FL_COST_PER_T,
    FL_T_KM, FL_CO2_T, FL_N
};
static const field_def flows_fields[FL_N] = {
    [FL_SOURCE_ID] = {"source_id", OFTString, "产废源编号"},
    [FL_SOURCE_NAME] = {"source_name", OFTString, "产废源名称"},
    [FL_SINK_ID] = {"sink_id", OFTString, "利用点编号"},
    [FL_SINK_NAME] = {"sink_name", OFTString, "利用点名称"},
    [FL_MATERIAL] = {"material", OFTString, "固废种类"},
    [FL_MATERIAL_ZH] = {"material_zh", OFTString, "固废名称"},
    [FL_TONNES] = {"tonnes", OFTReal, "吨数"},
    [FL_DISTANCE_KM] = {"distance_km", OFTReal, "运距(km)"},
    [FL_COST_YUAN] = {"cost_yuan", OFTReal, "运输成本(元)"},
    [FL_COST_PER_T] = {"cost_per_t", OFTReal, "吨运输成本(元/t)"},
    [FL_T_KM] = {"t_km", OFTReal, "周转量(t·km)"},
    [FL_CO2_T] = {"co2_t", OFTReal, "二氧化碳排放(t)"},
};

enum {
    SR_SOURCE_ID, SR_NAME, SR_KIND, SR_MATERIAL, SR_MATERIAL_ZH, SR_SUPPLY_T,
    SR_DELIVERED_T, SR_UNALLOCATED_T, SR_UTILISATION_PCT, SR_REASON,
    SR_REASON_ZH, SR_MARGINAL_COST, SR_LAYER, SR_N
};
static const field_def sources_fields[SR_N] = {
    [SR_SOURCE_ID] = {"source_id", OFTString, "产废源编号"},
    [SR_NAME] = {"name", OFTString, "名称"},
    [SR_KIND] = {"kind", OFTString, "类型"},
    [SR_MATERIAL] = {"material", OFTString, "固废种类"},
    [SR_MATERIAL_ZH] = {"material_zh", OFTString, "固废名称"},
    [SR_SUPPLY_T] = {"supply_t", OFTReal, "产生量(t)"},
    [SR_DELIVERED_T] = {"delivered_t", OFTReal, "利用量(t)"},
    [SR_UNALLOCATED_T] = {"unallocated_t", OFTReal, "未利用量(t)"},
    [SR_UTILISATION_PCT] = {"utilisation_pct", OFTReal, "利用率(%)"},
    [SR_REASON] = {"reason", OFTString, "原因"},
    [SR_REASON_ZH] = {"reason_zh", OFTString, "原因说明"},
    [SR_MARGINAL_COST] = {"marginal_cost", OFTReal, "边际成本(元/t)"},
    [SR_LAYER] = {"layer", OFTString, "来源图层"},
};

/* Sinks end with one received_<material> column per material present;
** those are added at run time after the fixed ones. */
enum {
    SK_SINK_ID, SK_NAME, SK_KIND, SK_ACCEPTS, SK_CAPACITY_T, SK_RECEIVED_T,
    SK_FILL_PCT, SK_SHADOW_PRICE, SK_LAYER, SK_N
};
static const field_def sinks_fields[SK_N] = {
    [SK_SINK_ID] = {"sink_id", OFTString, "利用点编号"},
    [SK_NAME] = {"name", OFTString, "名称"},
    [SK_KIND] = {"kind", OFTString, "类型"},
    [SK_ACCEPTS] = {"accepts", OFTString, "接收固废"},
    [SK_CAPACITY_T] = {"capacity_t", OFTReal, "接收能力(t)"},
    [SK_RECEIVED_T] = {"received_t", OFTReal, "接收量(t)"},
    [SK_FILL_PCT] = {"fill_pct", OFTReal, "负荷率(%)"},
    [SK_SHADOW_PRICE] = {"shadow_price", OFTReal, "影子价格(元/t)"},
    [SK_LAYER] = {"layer", OFTString, "来源图层"},
};

enum {
    SU_MATERIAL, SU_MATERIAL_ZH, SU_SUPPLY_T, SU_DELIVERED_T, SU_UNALLOCATED_T,
    SU_UTILISATION_PCT, SU_HAUL, SU_HANDLING, SU_PENALTY, SU_TOTAL,
    SU_COST_PER_T, SU_T_KM, SU_CO2_T, SU_FULL_SITES, SU_MAX_SHADOW,
    SU_MEAN_MARGINAL, SU_N
};
static const field_def summary_fields[SU_N] = {
    [SU_MATERIAL] = {"material", OFTString, "固废种类"},
    [SU_MATERIAL_ZH] = {"material_zh", OFTString, "固废名称"},
    [SU_SUPPLY_T] = {"supply_t", OFTReal, "产生量(t)"},
    [SU_DELIVERED_T] = {"delivered_t", OFTReal, "利用量(t)"},
    [SU_UNALLOCATED_T] = {"unallocated_t", OFTReal, "未利用量(t)"},
    [SU_UTILISATION_PCT] = {"utilisation_pct", OFTReal, "利用率(%)"},
    [SU_HAUL] = {"haul_cost_yuan", OFTReal, "运费(元)"},
    [SU_HANDLING] = {"handling_cost_yuan", OFTReal, "装卸费(元)"},
    [SU_PENALTY] = {"penalty_cost_yuan", OFTReal, "未利用成本(元)"},
    [SU_TOTAL] = {"total_cost_yuan", OFTReal, "总成本(元)"},
    [SU_COST_PER_T] = {"cost_per_t_delivered", OFTReal, "利用吨成本(元/t)"},
    [SU_T_KM] = {"t_km", OFTReal, "周转量(t·km)"},
    [SU_CO2_T] = {"co2_t", OFTReal, "二氧化碳排放(t)"},
    [SU_FULL_SITES] = {"full_sites", OFTInteger, "满负荷利用点数"},
    [SU_MAX_SHADOW] = {"max_shadow_price", OFTReal, "最高影子价格(元/t)"},
    [SU_MEAN_MARGINAL] = {"mean_marginal_cost", OFTReal, "平均边际成本(元/t)"},
};

enum { SC_KEY, SC_VALUE, SC_ORIGIN, SC_N };
static const field_def scenario_fields[SC_N] = {
    [SC_KEY] = {"key", OFTString, "参数"},
    [SC_VALUE] = {"value", OFTString, "取值"},
    [SC_ORIGIN] = {"origin", OFTString, "来源"},
};

/* Everything one write needs; err is the caller's buffer. */
typedef struct {
    const char *out;                  /* target path, for messages */
    GDALDatasetH ds;
    OGRSpatialReferenceH srs;         /* output CRS */
    OGRCoordinateTransformationH ct;  /* lon/lat -> output; NULL if same */
    const wp_model *m;
    const wp_result *r;
    unsigned present;                 /* bit k: material k appears in the model */
    const char *run_time;             /* ISO 8601 UTC, stamps the styles */
    char *err;
    int errlen;
} writer;

/* Record an error "OUT: what[: GDAL's message]". Returns -1 for tail calls. */
static int fail(writer *w, const char *fmt, ...) {
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *gdal = CPLGetLastErrorType() >= CE_Failure ? CPLGetLastErrorMsg() : "";
    if (gdal && *gdal)
        snprintf(w->err, (size_t)w->errlen, "%s: %s: %s", w->out, what, gdal);
    else
        snprintf(w->err, (size_t)w->errlen, "%s: %s", w->out, what);
    return -1;
}

/* A number as text, '.' as decimal point whatever the locale. */
static void num_text(double v, char *buf, size_t len) {
    snprintf(buf, len, "%.15g", v);
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.';
}

static double pct(double part, double whole) {
    return part / whole * 100.0;
}

/* Set a double field, or NULL when v is not finite (unlimited, undefined). */
static void set_real(OGRFeatureH f, int i, double v) {
    if (isfinite(v))
        OGR_F_SetFieldDouble(f, i, v);
    else
        OGR_F_SetFieldNull(f, i);
}

static const char *source_kind_str(wp_source_kind k) {
    return k == WP_SRC_YARD ? "yard" : "plant";
}

static const char *sink_kind_str(wp_sink_kind k) {
    switch (k) {
    case WP_SINK_MINE: return "mine";
    case WP_SINK_ROAD: return "road";
    case WP_SINK_PARK: return "park";
    default: return "plant";
    }
}

static const char *layer_section(const wp_model *m, int layer) {
    if (layer < 0 || layer >= m->n_layers || !m->layers[layer].section) return "";
    return m->layers[layer].section;
}

/* Materials that appear in the model: produced by a source or accepted by
** a sink. Only these get summary rows and received_<id> columns. */
static unsigned materials_present(const wp_model *m) {
    unsigned mask = 0;
    unsigned all = m->materials.count >= 32 ? ~0u : (1u << m->materials.count) - 1;
    for (int i = 0; i < m->n_sources; i++) {
        int k = m->sources[i].material;
        if (k >= 0 && k < m->materials.count) mask |= 1u << k;
    }
    for (int i = 0; i < m->n_sinks; i++) mask |= m->sinks[i].accepts & all;
    return mask;
}

/* Create a layer with its fields. gt wkbNone makes a GeoPackage
** 'attributes' table (no geometry, no CRS). */
static OGRLayerH make_layer(writer *w, const char *name, OGRwkbGeometryType gt,
                            const char *identifier, const char *description,
                            const field_def *defs, int n) {
    char **opts = NULL;
    opts = CSLSetNameValue(opts, "FID", strcmp(name, "layer_styles") ? "fid" : "id");
    if (gt != wkbNone) opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
    opts = CSLSetNameValue(opts, "IDENTIFIER", identifier);
    opts = CSLSetNameValue(opts, "DESCRIPTION", description);
    CPLErrorReset();
    OGRLayerH l = GDALDatasetCreateLayer(w->ds, name, gt == wkbNone ? NULL : w->srs,
                                         gt, opts);
    CSLDestroy(opts);
    if (!l) {
        fail(w, "cannot create layer %s", name);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(defs[i].name, defs[i].type);
        if (!fd) {
            fail(w, "layer %s: out of memory creating field %s", name, defs[i].name);
            return NULL;
        }
        OGRErr e = OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            fail(w, "layer %s: cannot create field %s", name, defs[i].name);
            return NULL;
        }
    }
    return l;
}

/* Hand f to layer l; f is destroyed either way. what names the feature. */
static int put_feature(writer *w, OGRLayerH l, OGRFeatureH f, const char *layer,
                       const char *what) {
    CPLErrorReset();
    OGRErr e = OGR_L_CreateFeature(l, f);
    OGR_F_Destroy(f);
    if (e != OGRERR_NONE) return fail(w, "layer %s, %s: cannot write the feature", layer, what);
    return 0;
}

/* Reproject g from lon/lat into the output CRS (no-op when the same). */
static int to_output(writer *w, OGRGeometryH g, const char *layer, const char *what) {
    if (!w->ct) return 0;
    CPLErrorReset();
    if (OGR_G_Transform(g, w->ct) != OGRERR_NONE)
        return fail(w, "layer %s, %s: cannot transform the geometry into the "
                       "output CRS (is it outside the CRS's area of use?)", layer, what);
    return 0;
}

/* Reproject g and give it to f. On failure both f and g are destroyed
** (OGR_F_SetGeometryDirectly frees the geometry itself when it fails). */
static int attach_geometry(writer *w, OGRFeatureH f, OGRGeometryH g,
                           const char *layer, const char *what) {
    if (to_output(w, g, layer, what) < 0) {
        OGR_G_DestroyGeometry(g);
        OGR_F_Destroy(f);
        return -1;
    }
    if (OGR_F_SetGeometryDirectly(f, g) != OGRERR_NONE) {
        OGR_F_Destroy(f);
        return fail(w, "layer %s, %s: cannot set the geometry", layer, what);
    }
    return 0;
}

static OGRFeatureH new_feature(writer *w, OGRLayerH l, const char *layer) {
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    if (!f) fail(w, "layer %s: out of memory", layer);
    return f;
}

/* flows: source point -> delivery point, per arc with nonzero tonnes. */
static int write_flows(writer *w, double *max_t) {
    const wp_model *m = w->m;
    *max_t = 0;
    OGRLayerH l = make_layer(w, "flows", wkbLineString, "flows 运输流向",
                             "固废运输流向：每条有运量的运输线路 (one feature per arc carrying waste)",
                             flows_fields, FL_N);
    if (!l) return -1;
    char what[256];
    for (size_t a = 0; a < m->n_arcs; a++) {
        double t = w->r->arc_t[a];
        if (!(t > FLOW_MIN_T)) continue;
        const wp_arc *arc = &m->arcs[a];
        const wp_source *s = &m->sources[arc->src];
        const wp_sink *k = &m->sinks[arc->sink];
        const wp_material *mat = &m->materials.m[s->material];
        double cpt = wp_arc_cost_per_t(m, arc);
        double tkm = t * arc->dist_km;
        if (t > *max_t) *max_t = t;
        snprintf(what, sizeof what, "arc %zu (%s -> %s)", a, s->id, k->id);
        OGRFeatureH f = new_feature(w, l, "flows");
        if (!f) return -1;
        OGR_F_SetFieldString(f, FL_SOURCE_ID, s->id);
        OGR_F_SetFieldString(f, FL_SOURCE_NAME, s->name);
        OGR_F_SetFieldString(f, FL_SINK_ID, k->id);
        OGR_F_SetFieldString(f, FL_SINK_NAME, k->name);
        OGR_F_SetFieldString(f, FL_MATERIAL, mat->id);
        OGR_F_SetFieldString(f, FL_MATERIAL_ZH, mat->name_zh);
        OGR_F_SetFieldDouble(f, FL_TONNES, t);
        OGR_F_SetFieldDouble(f, FL_DISTANCE_KM, arc->dist_km);
        OGR_F_SetFieldDouble(f, FL_COST_YUAN, t * cpt);
        OGR_F_SetFieldDouble(f, FL_COST_PER_T, cpt);
        OGR_F_SetFieldDouble(f, FL_T_KM, tkm);
        OGR_F_SetFieldDouble(f, FL_CO2_T, mat->co2_kg_per_tkm * tkm / 1000.0);
        OGRGeometryH g = NULL;
        if (m->arc_route_wkb && a < m->n_arc_routes && m->arc_route_wkb[a]) {
            /* the road path (with access legs), when the arc was routed */
            if (OGR_G_CreateFromWkbEx(m->arc_route_wkb[a], NULL, &g,
                                      m->arc_route_len[a]) != OGRERR_NONE)
                g = NULL;
        } else {
            g = OGR_G_CreateGeometry(wkbLineString);
            if (g) {
                OGR_G_AddPoint_2D(g, s->lon, s->lat);
                OGR_G_AddPoint_2D(g, arc->to_lon, arc->to_lat);
            }
        }
        if (!g) {
            OGR_F_Destroy(f);
            return fail(w, "layer flows, %s: out of memory", what);
        }
        if (attach_geometry(w, f, g, "flows", what) < 0) return -1;
        if (put_feature(w, l, f, "flows", what) < 0) return -1;
    }
    return 0;
}

/* sources: one point per source with its outcome. */
static int write_sources(writer *w, double *max_supply) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    *max_supply = 0;
    OGRLayerH l = make_layer(w, "sources", wkbPoint, "sources 产废源",
                             "产废源与堆场：产生量、利用量及未利用原因 (sources and their outcome)",
                             sources_fields, SR_N);
    if (!l) return -1;
    char what[256];
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        const wp_material *mat = &m->materials.m[s->material];
        if (s->supply_t > *max_supply) *max_supply = s->supply_t;
        snprintf(what, sizeof what, "source %s (%s)", s->id, s->name);
        OGRFeatureH f = new_feature(w, l, "sources");
        if (!f) return -1;
        OGR_F_SetFieldString(f, SR_SOURCE_ID, s->id);
        OGR_F_SetFieldString(f, SR_NAME, s->name);
        OGR_F_SetFieldString(f, SR_KIND, source_kind_str(s->kind));
        OGR_F_SetFieldString(f, SR_MATERIAL, mat->id);
        OGR_F_SetFieldString(f, SR_MATERIAL_ZH, mat->name_zh);
        OGR_F_SetFieldDouble(f, SR_SUPPLY_T, s->supply_t);
        OGR_F_SetFieldDouble(f, SR_DELIVERED_T, r->src_delivered[i]);
        OGR_F_SetFieldDouble(f, SR_UNALLOCATED_T, r->src_unalloc[i]);
        if (s->supply_t > 0)
            OGR_F_SetFieldDouble(f, SR_UTILISATION_PCT, pct(r->src_delivered[i], s->supply_t));
        else
            OGR_F_SetFieldNull(f, SR_UTILISATION_PCT);
        OGR_F_SetFieldString(f, SR_REASON, wp_reason_str(r->src_reason[i]));
        OGR_F_SetFieldString(f, SR_REASON_ZH, wp_reason_zh(r->src_reason[i]));
        set_real(f, SR_MARGINAL_COST, r->src_marginal[i]);
        OGR_F_SetFieldString(f, SR_LAYER, layer_section(m, s->layer));
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        if (!g) {
            OGR_F_Destroy(f);
            return fail(w, "layer sources, %s: out of memory", what);
        }
        OGR_G_SetPoint_2D(g, 0, s->lon, s->lat);
        if (attach_geometry(w, f, g, "sources", what) < 0) return -1;
        if (put_feature(w, l, f, "sources", what) < 0) return -1;
    }
    return 0;
}

/* Names and aliases of the received_<material> columns of sinks. */
typedef struct {
    int n;
    int mat[WP_MAX_MATERIALS];
    char name[WP_MAX_MATERIALS][WP_MATERIAL_ID_MAX + 16];
    char alias[WP_MAX_MATERIALS][96];
    char shadow_name[WP_MAX_MATERIALS][WP_MATERIAL_ID_MAX + 16];
    char shadow_alias[WP_MAX_MATERIALS][112];
} received_cols;

static void received_columns(const writer *w, received_cols *rc) {
    rc->n = 0;
    for (int k = 0; k < w->m->materials.count; k++) {
        if (!(w->present & (1u << k))) continue;
        const wp_material *mat = &w->m->materials.m[k];
        rc->mat[rc->n] = k;
        snprintf(rc->name[rc->n], sizeof rc->name[0], "received_%s", mat->id);
        snprintf(rc->alias[rc->n], sizeof rc->alias[0], "接收量·%s(t)",
                 mat->name_zh[0] ? mat->name_zh : mat->id);
        /* gpkg_data_columns wants aliases unique per table: two materials
        ** given the same Chinese name are told apart by their ids. */
        for (int j = 0; j < rc->n; j++)
            if (strcmp(rc->alias[j], rc->alias[rc->n]) == 0) {
                snprintf(rc->alias[rc->n], sizeof rc->alias[0], "接收量·%s/%s(t)",
                         mat->name_zh, mat->id);
                break;
            }
        snprintf(rc->shadow_name[rc->n], sizeof rc->shadow_name[0], "shadow_%s", mat->id);
        snprintf(rc->shadow_alias[rc->n], sizeof rc->shadow_alias[0], "影子价格·%s(元/t)",
                 strchr(rc->alias[rc->n], '/') ? mat->id : (mat->name_zh[0] ? mat->name_zh : mat->id));
        rc->n++;
    }
}

/* The sinks layer's full field list: fixed fields, then received_<id> and
** shadow_<id> per material present. defs must hold SK_N + 2 * WP_MAX_MATERIALS. */
static int sink_field_defs(const received_cols *rc, field_def *defs) {
    memcpy(defs, sinks_fields, sizeof sinks_fields);
    for (int j = 0; j < rc->n; j++) {
        defs[SK_N + j].name = rc->name[j];
        defs[SK_N + j].type = OFTReal;
        defs[SK_N + j].alias = rc->alias[j];
        defs[SK_N + rc->n + j].name = rc->shadow_name[j];
        defs[SK_N + rc->n + j].type = OFTReal;
        defs[SK_N + rc->n + j].alias = rc->shadow_alias[j];
    }
    return SK_N + 2 * rc->n;
}

/* sinks: each in its original geometry (ISO WKB, lon/lat), else its point. */
static int write_sinks(writer *w, const received_cols *rc) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    field_def defs[SK_N + 2 * WP_MAX_MATERIALS];
    int nf = sink_field_defs(rc, defs);
    OGRLayerH l = make_layer(w, "sinks", wkbUnknown, "sinks 利用点",
                             "利用点（消纳企业、充填矿山、道路工程）：接收量、负荷率、影子价格 (sinks)",
                             defs, nf);
    if (!l) return -1;
    char what[256];
    for (int i = 0; i < m->n_sinks; i++) {
        const wp_sink *k = &m->sinks[i];
        snprintf(what, sizeof what, "sink %s (%s)", k->id, k->name);
        /* accepts: ids of accepted materials, in table order */
        char accepts[WP_MAX_MATERIALS * WP_MATERIAL_ID_MAX + 1] = "";
        size_t used = 0;
        for (int j = 0; j < m->materials.count; j++) {
            if (!(k->accepts & (1u << j))) continue;
            int n = snprintf(accepts + used, sizeof accepts - used, "%s%s",
                             used ? "," : "", m->materials.m[j].id);
            if (n > 0 && (size_t)n < sizeof accepts - used) used += (size_t)n;
        }
        OGRFeatureH f = new_feature(w, l, "sinks");
        if (!f) return -1;
        OGR_F_SetFieldString(f, SK_SINK_ID, k->id);
        OGR_F_SetFieldString(f, SK_NAME, k->name);
        OGR_F_SetFieldString(f, SK_KIND, sink_kind_str(k->kind));
        OGR_F_SetFieldString(f, SK_ACCEPTS, accepts);
        /* capacity: the total, or the sum of per-material limits when lower */
        double cap = wp_sink_capacity(m, k);
        int best_mat;
        set_real(f, SK_CAPACITY_T, cap);
        OGR_F_SetFieldDouble(f, SK_RECEIVED_T, r->sink_received[i]);
        if (isfinite(cap) && cap > 0)
            OGR_F_SetFieldDouble(f, SK_FILL_PCT, pct(r->sink_received[i], cap));
        else if (isfinite(cap))
            OGR_F_SetFieldDouble(f, SK_FILL_PCT, 100.0);   /* zero capacity: full */
        else
            OGR_F_SetFieldNull(f, SK_FILL_PCT);
        set_real(f, SK_SHADOW_PRICE, wp_sink_best_shadow(m, r, i, &best_mat));
        OGR_F_SetFieldString(f, SK_LAYER, layer_section(m, k->layer));
        for (int j = 0; j < rc->n; j++) {
            size_t at = (size_t)i * WP_MAX_MATERIALS + (size_t)rc->mat[j];
            OGR_F_SetFieldDouble(f, SK_N + j, r->sink_received_mat[at]);
            if (k->accepts >> rc->mat[j] & 1u)
                OGR_F_SetFieldDouble(f, SK_N + rc->n + j, r->sink_shadow_mat[at]);
            else
                OGR_F_SetFieldNull(f, SK_N + rc->n + j);
        }
        OGRGeometryH g = NULL;
        if (k->wkb && k->wkb_len > 0) {
            CPLErrorReset();
            if (OGR_G_CreateFromWkbEx(k->wkb, NULL, &g, k->wkb_len) != OGRERR_NONE || !g) {
                OGR_F_Destroy(f);
                return fail(w, "layer sinks, %s: the stored geometry is not valid "
                               "WKB (%zu bytes)", what, k->wkb_len);
            }
        } else {
            g = OGR_G_CreateGeometry(wkbPoint);
            if (!g) {
                OGR_F_Destroy(f);
                return fail(w, "layer sinks, %s: out of memory", what);
            }
            OGR_G_SetPoint_2D(g, 0, k->lon, k->lat);
        }
        if (attach_geometry(w, f, g, "sinks", what) < 0) return -1;
        if (put_feature(w, l, f, "sinks", what) < 0) return -1;
    }
    return 0;
}

/* One summary row: tonnes from t, costs as given (the 'all' row passes
** the solver's totals). */
/* Prices for the summary of material j (-1: all): how many sinks that
** accept it are full (a positive shadow price on their total or on their
** limit for it), the highest such price, and the supply-weighted mean
** marginal cost at its sources. */
typedef struct {
    int full_sites;
    double max_shadow, mean_marginal;
} price_summary;

static price_summary prices_of(const writer *w, int j) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    price_summary p = {0, 0, NAN};
    for (int k = 0; k < m->n_sinks; k++) {
        if (j >= 0 && !(m->sinks[k].accepts >> j & 1u)) continue;
        double v = r->sink_shadow[k];
        for (int q = 0; q < m->materials.count; q++)
            if ((j < 0 || q == j) && r->sink_shadow_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)q] > v)
                v = r->sink_shadow_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)q];
        if (v > 0) p.full_sites++;
        if (v > p.max_shadow) p.max_shadow = v;
    }
    double wsum = 0, sum = 0;
    for (int i = 0; i < m->n_sources; i++)
        if (j < 0 || m->sources[i].material == j) {
            wsum += m->sources[i].supply_t;
            sum += m->sources[i].supply_t * r->src_marginal[i];
        }
    if (wsum > 0) p.mean_marginal = sum / wsum;
    return p;
}

static int summary_row(writer *w, OGRLayerH l, const char *id, const char *zh,
                       const wp_material_total *t, double haul, double handling,
                       double penalty, double total, double tkm, double co2,
                       const price_summary *ps) {
    OGRFeatureH f = new_feature(w, l, "summary");
    if (!f) return -1;
    OGR_F_SetFieldString(f, SU_MATERIAL, id);
    OGR_F_SetFieldString(f, SU_MATERIAL_ZH, zh);
    OGR_F_SetFieldDouble(f, SU_SUPPLY_T, t->supply_t);
    OGR_F_SetFieldDouble(f, SU_DELIVERED_T, t->delivered_t);
    OGR_F_SetFieldDouble(f, SU_UNALLOCATED_T, t->unallocated_t);
    if (t->supply_t > 0)
        OGR_F_SetFieldDouble(f, SU_UTILISATION_PCT, pct(t->delivered_t, t->supply_t));
    else
        OGR_F_SetFieldNull(f, SU_UTILISATION_PCT);
    OGR_F_SetFieldDouble(f, SU_HAUL, haul);
    OGR_F_SetFieldDouble(f, SU_HANDLING, handling);
    OGR_F_SetFieldDouble(f, SU_PENALTY, penalty);
    OGR_F_SetFieldDouble(f, SU_TOTAL, total);
    /* What delivering cost per delivered tonne; the penalty for what was
    ** left behind is not a cost of delivery, so it is excluded. */
    if (t->delivered_t > 0)
        OGR_F_SetFieldDouble(f, SU_COST_PER_T, (haul + handling) / t->delivered_t);
    else
        OGR_F_SetFieldNull(f, SU_COST_PER_T);
    OGR_F_SetFieldDouble(f, SU_T_KM, tkm);
    OGR_F_SetFieldDouble(f, SU_CO2_T, co2);
    OGR_F_SetFieldInteger(f, SU_FULL_SITES, ps->full_sites);
    OGR_F_SetFieldDouble(f, SU_MAX_SHADOW, ps->max_shadow);
    set_real(f, SU_MEAN_MARGINAL, ps->mean_marginal);
    char what[96];
    snprintf(what, sizeof what, "material %s", id);
    return put_feature(w, l, f, "summary", what);
}

/* summary: a row per material present, then material='all'. */
static int write_summary(writer *w) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    OGRLayerH l = make_layer(w, "summary", wkbNone, "summary 汇总",
                             "按固废种类汇总：利用率、成本、周转量、碳排放 (totals per material)",
                             summary_fields, SU_N);
    if (!l) return -1;
    wp_material_total all;
    memset(&all, 0, sizeof all);
    for (int k = 0; k < m->materials.count; k++) {
        const wp_material_total *t = &r->mat[k];
        all.supply_t += t->supply_t;
        all.delivered_t += t->delivered_t;
        all.unallocated_t += t->unallocated_t;
        if (!(w->present & (1u << k))) continue;
        const wp_material *mat = &m->materials.m[k];
        price_summary ps = prices_of(w, k);
        if (summary_row(w, l, mat->id, mat->name_zh, t, t->haul_cost,
                        t->handling_cost, t->penalty_cost,
                        t->haul_cost + t->handling_cost + t->penalty_cost,
                        t->t_km, t->co2_t, &ps) < 0)
            return -1;
    }
    /* The totals are the solver's own, not re-summed, so the 'all' row
    ** matches what the run reports elsewhere. */
    price_summary ps = prices_of(w, -1);
    return summary_row(w, l, "all", "全部", &all, r->haul_cost, r->handling_cost,
                       r->penalty_cost, r->total_cost, r->t_km, r->co2_t, &ps);
}

static int scenario_row(writer *w, OGRLayerH l, const char *key,
                        const char *value, const char *origin) {
    OGRFeatureH f = new_feature(w, l, "scenario");
    if (!f) return -1;
    OGR_F_SetFieldString(f, SC_KEY, key);
    OGR_F_SetFieldString(f, SC_VALUE, value ? value : "");
    OGR_F_SetFieldString(f, SC_ORIGIN, origin ? origin : "");
    char what[300];
    snprintf(what, sizeof what, "key %s", key);
    return put_feature(w, l, f, "scenario", what);
}

static int scenario_num(writer *w, OGRLayerH l, const char *key, double v,
                        const char *origin) {
    char buf[64];
    num_text(v, buf, sizeof buf);
    return scenario_row(w, l, key, buf, origin);
}

static int config_has(const wp_config *cfg, const char *key) {
    if (!cfg) return 0;
    for (int i = 0; i < cfg->count; i++)
        if (cfg->e[i].key && strcmp(cfg->e[i].key, key) == 0) return 1;
    return 0;
}

/* scenario: every config entry as written (with its origin), the inputs'
** provenance, the run, the model's derived parameters, every material's
** parameters in force (those not already listed from the config carry
** origin "in force": a built-in default or a value set under another
** spelling of the material's name), and the solver's totals. */
static int write_scenario(writer *w, const wp_config *cfg, const wp_gpkg_options *o,
                          const char *out_crs) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    OGRLayerH l = make_layer(w, "scenario", wkbNone, "scenario 情景参数",
                             "本次计算采用的全部参数及其来源、输入数据指纹 (parameters in force and provenance)",
                             scenario_fields, SC_N);
    if (!l) return -1;
    char key[512];
    if (cfg)
        for (int i = 0; i < cfg->count; i++)
            if (scenario_row(w, l, cfg->e[i].key, cfg->e[i].value, cfg->e[i].origin) < 0)
                return -1;
    for (int i = 0; i < m->n_layers; i++) {
        const wp_layer_info *li = &m->layers[i];
        const char *sec = li->section && *li->section ? li->section : li->role;
        static const char *const attrs[] = {"path", "layer", "sha256", "crs", "encoding"};
        const char *vals[] = {li->path, li->layer_name, li->sha256, li->crs, li->encoding};
        for (size_t j = 0; j < sizeof attrs / sizeof *attrs; j++) {
            snprintf(key, sizeof key, "input.%s.%s", sec ? sec : "", attrs[j]);
            if (scenario_row(w, l, key, vals[j], "input") < 0) return -1;
        }
        snprintf(key, sizeof key, "input.%s.features", sec ? sec : "");
        if (scenario_num(w, l, key, (double)li->features, "input") < 0) return -1;
    }
    if (scenario_row(w, l, "tool_version", o->tool_version, "wasteplan") < 0 ||
        scenario_row(w, l, "run_time", o->run_time, "wasteplan") < 0 ||
        scenario_row(w, l, "output.path", o->out_path, "wasteplan") < 0 ||
        scenario_row(w, l, "output.crs", out_crs, o->out_crs ? "in force" : "default") < 0 ||
        scenario_num(w, l, "model.detour", m->detour, "model") < 0)
        return -1;
    for (int k = 0; k < m->materials.count; k++) {
        const wp_material *mat = &m->materials.m[k];
        const struct {
            const char *param;
            double v;
        } nums[] = {
            {"density", mat->density_t_m3},       {"max_haul_km", mat->max_haul_km},
            {"road_rate", mat->road_rate},        {"handling", mat->handling},
            {"unallocated_cost", mat->unallocated_cost},
            {"co2_kg_per_tkm", mat->co2_kg_per_tkm},
        };
        snprintf(key, sizeof key, "material.%s.name_zh", mat->id);
        if (!config_has(cfg, key) && scenario_row(w, l, key, mat->name_zh, "in force") < 0)
            return -1;
        snprintf(key, sizeof key, "material.%s.aliases", mat->id);
        if (!config_has(cfg, key) && scenario_row(w, l, key, mat->aliases, "in force") < 0)
            return -1;
        for (size_t j = 0; j < sizeof nums / sizeof *nums; j++) {
            snprintf(key, sizeof key, "material.%s.%s", mat->id, nums[j].param);
            if (!config_has(cfg, key) && scenario_num(w, l, key, nums[j].v, "in force") < 0)
                return -1;
        }
    }
    /* No timings here: the same inputs must give the same file. */
    if (r && (scenario_num(w, l, "result.total_cost_yuan", r->total_cost, "solver") < 0 ||
              scenario_num(w, l, "solver.flow_unit_t", r->flow_unit_t, "solver") < 0 ||
              scenario_num(w, l, "solver.cost_unit", r->cost_unit, "solver") < 0 ||
              scenario_num(w, l, "solver.pivots", (double)r->pivots, "solver") < 0))
        return -1;
    return 0;
}

/* The layer_styles table exactly as QGIS creates it, so QGIS finds these
** styles as the layers' defaults and can add its own rows later. */
enum {
    LS_CATALOG, LS_SCHEMA, LS_TABLE, LS_GEOM, LS_NAME, LS_QML, LS_SLD,
    LS_DEFAULT, LS_DESC, LS_OWNER, LS_UI, LS_TIME, LS_N
};

static OGRLayerH make_styles_layer(writer *w) {
    static const struct {
        const char *name;
        OGRFieldType type;
        int width;
    } f[LS_N] = {
        [LS_CATALOG] = {"f_table_catalog", OFTString, 256},
        [LS_SCHEMA] = {"f_table_schema", OFTString, 256},
        [LS_TABLE] = {"f_table_name", OFTString, 256},
        [LS_GEOM] = {"f_geometry_column", OFTString, 256},
        [LS_NAME] = {"styleName", OFTString, 30},
        [LS_QML] = {"styleQML", OFTString, 0},
        [LS_SLD] = {"styleSLD", OFTString, 0},
        [LS_DEFAULT] = {"useAsDefault", OFTInteger, 0},
        [LS_DESC] = {"description", OFTString, 0},
        [LS_OWNER] = {"owner", OFTString, 30},
        [LS_UI] = {"ui", OFTString, 30},
        [LS_TIME] = {"update_time", OFTDateTime, 0},
    };
    OGRLayerH l = make_layer(w, "layer_styles", wkbNone, "layer_styles",
                             "QGIS layer styles", NULL, 0);
    if (!l) return NULL;
    for (int i = 0; i < LS_N; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(f[i].name, f[i].type);
        if (!fd) {
            fail(w, "layer layer_styles: out of memory");
            return NULL;
        }
        if (f[i].width) OGR_Fld_SetWidth(fd, f[i].width);
        if (i == LS_DEFAULT) OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (i == LS_TIME) OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
        OGRErr e = OGR_L_CreateField(l, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            fail(w, "layer layer_styles: cannot create field %s", f[i].name);
            return NULL;
        }
    }
    return l;
}

/* One default style row; qml may be NULL only after OOM (reported here). */
static int style_row(writer *w, OGRLayerH l, const char *table, char *qml) {
    if (!qml) return fail(w, "out of memory building the QGIS style of %s", table);
    OGRFeatureH f = new_feature(w, l, "layer_styles");
    if (!f) {
        free(qml);
        return -1;
    }
    char name[64];
    snprintf(name, sizeof name, "%s", table);
    OGR_F_SetFieldString(f, LS_CATALOG, "");
    OGR_F_SetFieldString(f, LS_SCHEMA, "");      /* QGIS matches on '' */
    OGR_F_SetFieldString(f, LS_TABLE, table);
    OGR_F_SetFieldString(f, LS_GEOM, "geom");
    OGR_F_SetFieldString(f, LS_NAME, name);
    OGR_F_SetFieldString(f, LS_QML, qml);
    OGR_F_SetFieldString(f, LS_SLD, "");
    OGR_F_SetFieldInteger(f, LS_DEFAULT, 1);
    OGR_F_SetFieldString(f, LS_DESC, "wasteplan default style");
    OGR_F_SetFieldString(f, LS_OWNER, "");
    OGR_F_SetFieldNull(f, LS_UI);
    int y, mo, d, h, mi, sec;
    if (w->run_time && sscanf(w->run_time, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) == 6) {
        OGR_F_SetFieldDateTimeEx(f, LS_TIME, y, mo, d, h, mi, (float)sec, 100);
    } else {
        time_t now = time(NULL);
        struct tm tm;
        if (gmtime_r(&now, &tm))
            OGR_F_SetFieldDateTimeEx(f, LS_TIME, tm.tm_year + 1900, tm.tm_mon + 1,
                                     tm.tm_mday, tm.tm_hour, tm.tm_min,
                                     (float)tm.tm_sec, 100);
    }
    free(qml);
    char what[96];
    snprintf(what, sizeof what, "style of %s", table);
    return put_feature(w, l, f, "layer_styles", what);
}

/* Build alias lists for QML from field tables. */
static void qml_aliases(const field_def *defs, int n, wp_qml_alias *out) {
    for (int i = 0; i < n; i++) {
        out[i].name = defs[i].name;
        out[i].alias = defs[i].alias;
    }
}

/* The default styles of the standard layers; returns the layer_styles
** layer (for further tables' styles) or NULL on failure. */
static OGRLayerH write_styles(writer *w, double max_t, double max_supply,
                              const received_cols *rc) {
    OGRLayerH l = make_styles_layer(w);
    if (!l) return NULL;
    wp_qml_alias al[SK_N + 2 * WP_MAX_MATERIALS + FL_N + SR_N];

    wp_qml_category cats[WP_MAX_MATERIALS];
    char labels[WP_MAX_MATERIALS][128];
    int nc = 0;
    for (int k = 0; k < w->m->materials.count; k++) {
        if (!(w->present & (1u << k))) continue;
        const wp_material *mat = &w->m->materials.m[k];
        snprintf(labels[nc], sizeof labels[nc], "%s (%s)",
                 mat->name_zh[0] ? mat->name_zh : mat->id, mat->id);
        cats[nc].value = mat->id;
        cats[nc].label = labels[nc];
        wp_material_rgb(mat->id, cats[nc].rgb);
        nc++;
    }
    qml_aliases(flows_fields, FL_N, al);
    if (style_row(w, l, "flows", wp_qml_flows(cats, nc, max_t, al, FL_N)) < 0)
        return NULL;

    qml_aliases(sources_fields, SR_N, al);
    if (style_row(w, l, "sources", wp_qml_sources(max_supply, al, SR_N)) < 0)
        return NULL;

    field_def sdefs[SK_N + 2 * WP_MAX_MATERIALS];
    int nsf = sink_field_defs(rc, sdefs);
    qml_aliases(sdefs, nsf, al);
    return style_row(w, l, "sinks", wp_qml_sinks(al, nsf)) < 0 ? NULL : l;
}

/* Run one SQL statement that returns no rows; report GDAL's error. */
static int exec_sql(writer *w, const char *sql) {
    CPLErrorReset();
    OGRLayerH res = GDALDatasetExecuteSQL(w->ds, sql, NULL, NULL);
    if (res) GDALDatasetReleaseResultSet(w->ds, res);
    if (CPLGetLastErrorType() >= CE_Failure)
        return fail(w, "SQL failed (%.60s...)", sql);
    return 0;
}

/* Append raw text to dst (length len, *used bytes so far). -1 if it
** does not fit. */
static int sql_put(char *dst, size_t len, size_t *used, const char *text) {
    size_t n = strlen(text);
    if (*used + n + 1 > len) return -1;
    memcpy(dst + *used, text, n + 1);
    *used += n;
    return 0;
}

/* Append text as an SQL string literal ('' for '). -1 if it does not fit. */
static int sql_quote(char *dst, size_t len, size_t *used, const char *text) {
    if (sql_put(dst, len, used, "'") < 0) return -1;
    for (const char *p = text; *p; p++) {
        if (*used + 3 > len) return -1;
        if (*p == '\'') dst[(*used)++] = '\'';
        dst[(*used)++] = *p;
    }
    dst[*used] = '\0';
    return sql_put(dst, len, used, "'");
}

/* One gpkg_data_columns row per field: alias as name and title. */
static int alias_rows(writer *w, const char *table, const field_def *defs, int n) {
    char sql[1024];
    for (int i = 0; i < n; i++) {
        size_t used = 0;
        if (sql_put(sql, sizeof sql, &used,
                    "INSERT INTO gpkg_data_columns (table_name, column_name, name, "
                    "title, description, mime_type, constraint_name) VALUES (") < 0 ||
            sql_quote(sql, sizeof sql, &used, table) < 0 ||
            sql_put(sql, sizeof sql, &used, ", ") < 0 ||
            sql_quote(sql, sizeof sql, &used, defs[i].name) < 0 ||
            sql_put(sql, sizeof sql, &used, ", ") < 0 ||
            sql_quote(sql, sizeof sql, &used, defs[i].alias) < 0 ||
            sql_put(sql, sizeof sql, &used, ", ") < 0 ||
            sql_quote(sql, sizeof sql, &used, defs[i].alias) < 0 ||
            sql_put(sql, sizeof sql, &used, ", NULL, NULL, NULL)") < 0)
            return fail(w, "alias of %s.%s is too long", table, defs[i].name);
        if (exec_sql(w, sql) < 0) return -1;
    }
    return 0;
}

/* The gpkg_schema extension: both of its tables (validators require the
** constraints table too, even empty), its two gpkg_extensions rows, and
** one gpkg_data_columns row per field with the Chinese alias as name and
** title. */
static int write_aliases(writer *w, const received_cols *rc, int scenario_only) {
    static const char *const ddl[] = {
        "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
        "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
        "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))",
        "CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
        "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
        "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
        "CONSTRAINT gdc_tn UNIQUE (table_name, name))",
        "CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
        "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, "
        "max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, "
        "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))",
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
        "VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', "
        "'http://www.geopackage.org/spec121/#extension_schema', 'read-write')",
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
        "VALUES ('gpkg_data_column_constraints', NULL, 'gpkg_schema', "
        "'http://www.geopackage.org/spec121/#extension_schema', 'read-write')",
    };
    for (size_t i = 0; i < sizeof ddl / sizeof *ddl; i++)
        if (exec_sql(w, ddl[i]) < 0) return -1;
    if (scenario_only) return alias_rows(w, "scenario", scenario_fields, SC_N);
    field_def sinks_all[SK_N + 2 * WP_MAX_MATERIALS];
    int n_sinks_fields = sink_field_defs(rc, sinks_all);
    if (alias_rows(w, "flows", flows_fields, FL_N) < 0 ||
        alias_rows(w, "sources", sources_fields, SR_N) < 0 ||
        alias_rows(w, "sinks", sinks_all, n_sinks_fields) < 0 ||
        alias_rows(w, "summary", summary_fields, SU_N) < 0 ||
        alias_rows(w, "scenario", scenario_fields, SC_N) < 0)
        return -1;
    return 0;
}

/* Check that the model and result agree before anything touches disk, so
** a caller's bug is reported as such rather than as a crash. */
static int check_inputs(writer *w) {
    const wp_model *m = w->m;
    const wp_result *r = w->r;
    if (!m) return fail(w, "internal error: no model");
    if (!r) return 0;   /* tables only */
    if ((m->n_arcs && !r->arc_t) ||
        (m->n_sources && (!r->src_delivered || !r->src_unalloc || !r->src_reason ||
                          !r->src_marginal)) ||
        (m->n_sinks && (!r->sink_received || !r->sink_received_mat || !r->sink_shadow ||
                        !r->sink_shadow_mat)))
        return fail(w, "internal error: the result does not match the model");
    for (int i = 0; i < m->n_sources; i++)
        if (m->sources[i].material < 0 || m->sources[i].material >= m->materials.count)
            return fail(w, "internal error: source %s has no material", m->sources[i].id);
    for (size_t a = 0; a < m->n_arcs; a++)
        if (m->arcs[a].src < 0 || m->arcs[a].src >= m->n_sources ||
            m->arcs[a].sink < 0 || m->arcs[a].sink >= m->n_sinks)
            return fail(w, "internal error: arc %zu points outside the model", a);
    return 0;
}

/* Output CRS and the transformation from lon/lat into it. */
static int setup_crs(writer *w, const char *crs) {
    w->srs = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL);
    if (!w->srs || !ll) {
        if (ll) OSRDestroySpatialReference(ll);
        return fail(w, "out of memory");
    }
    CPLErrorReset();
    if (OSRSetFromUserInput(w->srs, crs) != OGRERR_NONE) {
        OSRDestroySpatialReference(ll);
        return fail(w, "output CRS '%s' is not a CRS GDAL/PROJ knows; "
                       "set scenario.output_crs to e.g. EPSG:4490", crs);
    }
    OSRSetAxisMappingStrategy(w->srs, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRImportFromEPSG(ll, 4326) != OGRERR_NONE) {
        OSRDestroySpatialReference(ll);
        return fail(w, "cannot set up EPSG:4326 (is PROJ's proj.db installed?)");
    }
    OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    if (!OSRIsSame(ll, w->srs)) {
        w->ct = OCTNewCoordinateTransformation(ll, w->srs);
        if (!w->ct) {
            OSRDestroySpatialReference(ll);
            return fail(w, "no transformation from WGS84 lon/lat to output CRS '%s'", crs);
        }
    }
    OSRDestroySpatialReference(ll);
    return 0;
}

static OGRwkbGeometryType table_geom_type(wp_geom_kind k) {
    switch (k) {
    case WP_GEOM_POINT: return wkbPoint;
    case WP_GEOM_LINE: return wkbLineString;
    case WP_GEOM_POLYGON: return wkbPolygon;
    case WP_GEOM_ANY: return wkbUnknown;
    case WP_GEOM_NONE: break;
    }
    return wkbNone;
}

/* One extra table (planner/table.h): schema, rows, aliases, style. */
static int write_table(writer *w, OGRLayerH styles, const wp_table *t) {
    field_def *defs = calloc((size_t)(t->n_cols ? t->n_cols : 1), sizeof *defs);
    if (!defs) return fail(w, "out of memory");
    for (int c = 0; c < t->n_cols; c++) {
        defs[c].name = t->cols[c].name;
        defs[c].type = t->cols[c].type == WP_COL_TEXT ? OFTString
                       : t->cols[c].type == WP_COL_INT ? OFTInteger64 : OFTReal;
        defs[c].alias = t->cols[c].alias ? t->cols[c].alias : t->cols[c].name;
    }
    int rc = -1;
    OGRLayerH l = make_layer(w, t->name, table_geom_type(t->geom), t->title,
                             t->description, defs, t->n_cols);
    if (!l) goto out;
    for (int r = 0; r < t->n_rows; r++) {
        OGRFeatureH f = new_feature(w, l, t->name);
        if (!f) goto out;
        for (int c = 0; c < t->n_cols; c++) {
            const wp_cell *cell = wp_table_cell(t, r, c);
            if (cell->is_null) {
                OGR_F_SetFieldNull(f, c);
                continue;
            }
            switch (t->cols[c].type) {
            case WP_COL_TEXT: OGR_F_SetFieldString(f, c, cell->text); break;
            case WP_COL_REAL: OGR_F_SetFieldDouble(f, c, cell->real); break;
            case WP_COL_INT: OGR_F_SetFieldInteger64(f, c, cell->integer); break;
            }
        }
        char what[64];
        snprintf(what, sizeof what, "row %d", r + 1);
        if (t->geom != WP_GEOM_NONE && t->wkb[r]) {
            OGRGeometryH g = NULL;
            if (OGR_G_CreateFromWkbEx(t->wkb[r], NULL, &g, t->wkb_len[r]) != OGRERR_NONE || !g) {
                OGR_F_Destroy(f);
                fail(w, "layer %s, %s: unreadable geometry", t->name, what);
                goto out;
            }
            if (attach_geometry(w, f, g, t->name, what) < 0) goto out;
        }
        if (put_feature(w, l, f, t->name, what) < 0) goto out;
    }
    if (t->qml && t->geom != WP_GEOM_NONE) {
        char *qml = strdup(t->qml);
        if (style_row(w, styles, t->name, qml) < 0) goto out;
    }
    rc = alias_rows(w, t->name, defs, t->n_cols);
out:
    free(defs);
    return rc;
}

/* Write every layer into the open dataset, inside one transaction. */
static int write_all(writer *w, wp_config *cfg, const wp_gpkg_options *o,
                     const char *crs) {
    CPLErrorReset();
    if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE)
        return fail(w, "cannot start a transaction");
    double max_t = 0, max_supply = 0;
    received_cols rc;
    int bad;
    if (o->tables_only) {
        memset(&rc, 0, sizeof rc);
        bad = write_scenario(w, cfg, o, crs) < 0 || write_aliases(w, &rc, 1) < 0;
    } else {
        received_columns(w, &rc);
        bad = write_flows(w, &max_t) < 0 || write_sources(w, &max_supply) < 0 ||
              write_sinks(w, &rc) < 0 || write_summary(w) < 0 ||
              write_scenario(w, cfg, o, crs) < 0 || write_aliases(w, &rc, 0) < 0;
    }
    OGRLayerH styles = NULL;
    if (!bad) {
        styles = o->tables_only ? make_styles_layer(w) : write_styles(w, max_t, max_supply, &rc);
        bad = styles == NULL;
    }
    for (int i = 0; !bad && i < o->n_tables; i++) bad = write_table(w, styles, o->tables[i]) < 0;
    if (bad) {
        GDALDatasetRollbackTransaction(w->ds);
        return -1;
    }
    CPLErrorReset();
    if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
        return fail(w, "cannot commit the transaction");
    return 0;
}

int wp_write_gpkg(wp_geo *g, const wp_model *m, const wp_result *r,
                  wp_config *cfg, const wp_gpkg_options *o,
                  char *err, int errlen) {
    (void)g;   /* GDAL/OGR keeps its own PROJ context */
    writer w;
    memset(&w, 0, sizeof w);
    w.out = o && o->out_path ? o->out_path : "(no output path)";
    w.m = m;
    w.r = r;
    w.err = err;
    w.errlen = errlen;
    w.run_time = o ? o->run_time : NULL;
    err[0] = '\0';
    CPLErrorReset();     /* fail() quotes GDAL's last error: start clean */
    if (!o || !o->out_path || !*o->out_path) return fail(&w, "no output path given");
    const char *crs = o->out_crs && *o->out_crs ? o->out_crs : "EPSG:4326";
    if (!m) return fail(&w, "internal error: no model to write");
    w.present = materials_present(m);

    /* Keep GDAL quiet: its messages go into our error text instead. */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    int rc = -1;
    wp_atomic_file af;
    int begun = 0;
    if ((!r && !o->tables_only) || check_inputs(&w) < 0 || setup_crs(&w, crs) < 0) {
        if (!err[0]) fail(&w, "internal error: no result to write");
        goto done;
    }
    /* GDAL 3.6 builds large layers' R-trees in a background thread whose
    ** temporary database stays attached until the layer is finished; the
    ** SQL this writer runs inside the same transaction then fails with
    ** "database is locked". Build them in line instead. */
    CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", "NO");
    /* The run time stamps gpkg_contents and layer_styles, so that
    ** SOURCE_DATE_EPOCH gives byte-identical files. */
    int y, mo, d, h, mi, sec;
    if (o->run_time && sscanf(o->run_time, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) == 6) {
        char stamp[40];   /* the form GeoPackage requires: milliseconds and Z */
        snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", y, mo, d, h, mi, sec);
        CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", stamp);
    }
    if (wp_atomic_begin(&af, o->out_path, err, errlen) < 0) goto done;
    begun = 1;

    if (!GDALGetDriverByName("GPKG")) GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName("GPKG");
    if (!drv) {
        fail(&w, "GDAL has no GPKG driver");
        goto done;
    }
    CPLErrorReset();
    w.ds = GDALCreate(drv, af.tmp, 0, 0, 0, GDT_Unknown, NULL);
    if (!w.ds) {
        fail(&w, "cannot create the temporary file %s", af.tmp);
        goto done;
    }
    int wrote = write_all(&w, cfg, o, crs);
    CPLErrorReset();
    GDALClose(w.ds);
    w.ds = NULL;
    if (wrote < 0) goto done;
    if (CPLGetLastErrorType() >= CE_Failure) {
        fail(&w, "error while closing the GeoPackage");
        goto done;
    }
    if (wp_atomic_commit(&af, err, errlen) < 0) {
        begun = 0;   /* commit already removed the temporary file */
        goto done;
    }
    begun = 0;
    rc = 0;
done:
    if (w.ds) GDALClose(w.ds);
    if (begun) wp_atomic_abort(&af);
    if (w.ct) OCTDestroyCoordinateTransformation(w.ct);
    if (w.srs) OSRDestroySpatialReference(w.srs);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    CPLSetThreadLocalConfigOption("OGR_GPKG_ALLOW_THREADED_RTREE", NULL);
    CPLPopErrorHandler();
    return rc;
}
