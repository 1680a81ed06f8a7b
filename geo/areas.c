/*
** areas.c — the by_area summary (see areas.h).
**
** Point-in-area: the boundary polygons are reprojected to WGS84 lon/lat,
** handed to GEOS as prepared geometries, and each point is tested only
** against the areas whose bounding box holds it (a linear bbox prefilter:
** a prefecture or county layer has tens to a few thousand polygons, and
** prepared "intersects" on the few candidates is fast). A point on a
** shared border goes to the first area in layer order, so every point is
** counted exactly once.
*/
#include "areas.h"

#include "crs.h"
#include "encoding.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *name, *code;
    double minx, miny, maxx, maxy;
    GEOSGeometry *geom;
    const GEOSPreparedGeometry *prep;
    unsigned char *wkb;          /* lon/lat ISO WKB for the output table */
    size_t wkb_len;
} area;

typedef struct {
    int n, cap;
    area *a;
} area_set;

static void area_set_free(wp_geo *g, area_set *s) {
    for (int i = 0; i < s->n; i++) {
        free(s->a[i].name);
        free(s->a[i].code);
        if (s->a[i].prep) GEOSPreparedGeom_destroy_r(g->geos, s->a[i].prep);
        if (s->a[i].geom) GEOSGeom_destroy_r(g->geos, s->a[i].geom);
        free(s->a[i].wkb);
    }
    free(s->a);
    memset(s, 0, sizeof *s);
}

int wp_areas_configured(wp_config *cfg) {
    const char *p = wp_config_get(cfg, "areas.path");
    return p && *p;
}

/* Does field i's name (decoded) equal want, ASCII case ignored? */
static int field_is(OGRFeatureDefnH defn, wp_decoder *dec, int i, const char *want) {
    int bad = 0;
    char *s = wp_decode(dec, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), &bad);
    int yes = s && !strcasecmp(s, want);
    free(s);
    return yes;
}

/* Index of the field named by key (or, when the key is absent, the first
** default name present); -1 when none or switched off (empty key), -2
** when the key names a field the layer lacks (*named set to it). */
static int find_field(OGRFeatureDefnH defn, wp_decoder *dec, wp_config *cfg, const char *key,
                      const char *const *defaults, const char **named) {
    const char *v = wp_config_get(cfg, key);
    *named = NULL;
    int n = OGR_FD_GetFieldCount(defn);
    if (v) {
        if (!*v) return -1;
        *named = v;
        for (int i = 0; i < n; i++)
            if (field_is(defn, dec, i, v)) return i;
        return -2;
    }
    for (int d = 0; defaults[d]; d++)
        for (int i = 0; i < n; i++)
            if (field_is(defn, dec, i, defaults[d])) return i;
    return -1;
}

/* The field names of the layer, for "no such field" messages. */
static void field_list(OGRFeatureDefnH defn, wp_decoder *dec, char *buf, size_t n) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < OGR_FD_GetFieldCount(defn) && used < n; i++) {
        int bad = 0;
        char *s = wp_decode(dec, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), &bad);
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s ? s : "?");
        free(s);
    }
}

/* Choose the encoding of a shapefile's attributes the way input layers
** do: the section's key, the .cpg, the .dbf language byte, else UTF-8 when
** every field name is valid UTF-8 and GB18030 otherwise (the names are
** what is at hand before reading; values that do not decode are errors). */
static const char *shp_encoding(wp_config *cfg, const char *path, OGRFeatureDefnH defn,
                                char *buf, size_t n) {
    const char *e = wp_config_get(cfg, "areas.encoding");
    if (e && *e) return e;
    char cpg[64];
    if (wp_cpg_read(path, cpg, sizeof cpg) && wp_cpg_encoding(cpg, buf, n) == 0) return buf;
    const char *l = wp_ldid_encoding(wp_dbf_ldid(path));
    if (l) return l;
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        const char *s = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i));
        if (!wp_utf8_valid(s, strlen(s))) return "GB18030";
    }
    return "UTF-8";
}

/* Read the boundary layer into s (lon/lat, prepared). */
static int load_areas(wp_geo *g, wp_config *cfg, area_set *s, char *err, int errlen) {
    char *path = wp_config_path(cfg, wp_config_get(cfg, "areas.path"));
    const char *lname = wp_config_get(cfg, "areas.layer");
    const char *crs_text = wp_config_get(cfg, "areas.crs");
    GDALDatasetH ds = NULL;
    OGRSpatialReferenceH srs = NULL;
    OGRCoordinateTransformationH ct = NULL;
    GEOSWKBReader *rd = NULL;
    wp_decoder dec;
    int dec_open = 0, rc = -1;
    if (!path) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    size_t plen = strlen(path);
    int is_shp = plen > 4 && !strcasecmp(path + plen - 4, ".shp");
    const char *open_opts[] = {is_shp ? "ENCODING=" : NULL, NULL};
    if (!GDALGetDriverByName("ESRI Shapefile")) GDALAllRegister();
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_opts, NULL);
    CPLPopErrorHandler();
    if (!ds) {
        snprintf(err, (size_t)errlen, "[areas] path = %s: cannot open the boundary layer%s%s",
                 path, CPLGetLastErrorMsg()[0] ? ": " : "", CPLGetLastErrorMsg());
        goto out;
    }
    OGRLayerH l = lname && *lname ? GDALDatasetGetLayerByName(ds, lname) : GDALDatasetGetLayer(ds, 0);
    if (!l) {
        snprintf(err, (size_t)errlen, "%s: no layer %s (set [areas] layer to one of its layers)",
                 path, lname && *lname ? lname : "at all");
        goto out;
    }
    const char *lab = OGR_L_GetName(l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    char encbuf[64];
    const char *enc = is_shp ? shp_encoding(cfg, path, defn, encbuf, sizeof encbuf) : "UTF-8";
    if (wp_decoder_open(&dec, enc, err, errlen) < 0) goto out;
    dec_open = 1;
    static const char *const name_defaults[] = {"name", "名称", "NAME", "区划名称", "地名", NULL};
    static const char *const code_defaults[] = {"code", "adcode", "代码", "区划代码", "编码", NULL};
    const char *named;
    int f_name = find_field(defn, &dec, cfg, "areas.field.name", name_defaults, &named);
    char fields[1024];
    if (f_name < 0) {
        field_list(defn, &dec, fields, sizeof fields);
        if (f_name == -2)
            snprintf(err, (size_t)errlen, "%s, layer %s: [areas] field.name = %s: no such "
                     "column; the layer has: %s", path, lab, named, fields);
        else
            snprintf(err, (size_t)errlen, "%s, layer %s: no area name column (tried name, "
                     "名称, 区划名称, 地名): set [areas] field.name to one of: %s", path, lab, fields);
        goto out;
    }
    int f_code = find_field(defn, &dec, cfg, "areas.field.code", code_defaults, &named);
    if (f_code == -2) {
        field_list(defn, &dec, fields, sizeof fields);
        snprintf(err, (size_t)errlen, "%s, layer %s: [areas] field.code = %s: no such column; "
                 "the layer has: %s", path, lab, named, fields);
        goto out;
    }
    if (crs_text && *crs_text) {
        OGRSpatialReferenceH p = wp_crs_parse(crs_text, err, errlen);
        if (!p) goto out;
        srs = wp_crs_clone(p);
        OSRDestroySpatialReference(p);
    } else if (OGR_L_GetSpatialRef(l)) {
        srs = wp_crs_clone(OGR_L_GetSpatialRef(l));
    } else {
        snprintf(err, (size_t)errlen, "%s, layer %s: the boundary layer has no CRS: add its "
                 ".prj or set [areas] crs (e.g. crs = EPSG:4490)", path, lab);
        goto out;
    }
    if (!srs) {
        snprintf(err, (size_t)errlen, "%s: cannot read the layer's CRS", path);
        goto out;
    }
    if (!wp_crs_is_wgs84(srs)) {
        ct = wp_crs_to_wgs84(srs, err, errlen);
        if (!ct) goto out;
    }
    rd = GEOSWKBReader_create_r(g->geos);
    if (!rd) {
        snprintf(err, (size_t)errlen, "out of memory");
        goto out;
    }
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        long long fid = (long long)OGR_F_GetFID(f);
        OGRGeometryH geom = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType gt = geom ? wkbFlatten(OGR_G_GetGeometryType(geom)) : wkbNone;
        int bad = 0;
        char *name = NULL, *code = NULL;
        if (!geom || OGR_G_IsEmpty(geom)) {
            snprintf(err, (size_t)errlen, "%s, layer %s, feature %lld: empty geometry: every "
                     "area needs its polygon", path, lab, fid);
            bad = 1;
        } else if (gt != wkbPolygon && gt != wkbMultiPolygon) {
            snprintf(err, (size_t)errlen, "%s, layer %s, feature %lld: geometry is %s, not a "
                     "polygon: the boundary layer must hold polygons", path, lab, fid,
                     OGRGeometryTypeToName(gt));
            bad = 1;
        }
        if (!bad) {
            int b1 = 0, b2 = 0;
            name = OGR_F_IsFieldSetAndNotNull(f, f_name)
                       ? wp_decode(&dec, OGR_F_GetFieldAsString(f, f_name), &b1) : strdup("");
            code = f_code >= 0 && OGR_F_IsFieldSetAndNotNull(f, f_code)
                       ? wp_decode(&dec, OGR_F_GetFieldAsString(f, f_code), &b2) : strdup("");
            if (!name || !code) {
                snprintf(err, (size_t)errlen, "%s, layer %s, feature %lld: %s", path, lab, fid,
                         b1 || b2 ? "text that is not valid in the layer's encoding "
                                    "(set [areas] encoding)" : "out of memory");
                bad = 1;
            }
        }
        OGRGeometryH c = bad ? NULL : OGR_G_Clone(geom);
        if (!bad && (!c || (ct && OGR_G_Transform(c, ct) != OGRERR_NONE))) {
            snprintf(err, (size_t)errlen, "%s, layer %s, feature %lld: cannot transform the "
                     "polygon to WGS84 (is the CRS right?)", path, lab, fid);
            bad = 1;
        }
        if (!bad && s->n == s->cap) {
            int nc = s->cap ? 2 * s->cap : 32;
            area *na = realloc(s->a, (size_t)nc * sizeof *na);
            if (!na) {
                snprintf(err, (size_t)errlen, "out of memory");
                bad = 1;
            } else {
                s->a = na;
                s->cap = nc;
            }
        }
        if (!bad) {
            area *a = &s->a[s->n];
            memset(a, 0, sizeof *a);
            a->name = name;
            a->code = code;
            name = code = NULL;
            s->n++;
            OGREnvelope env;
            OGR_G_GetEnvelope(c, &env);
            a->minx = env.MinX;
            a->miny = env.MinY;
            a->maxx = env.MaxX;
            a->maxy = env.MaxY;
            a->wkb_len = (size_t)OGR_G_WkbSizeEx(c);
            a->wkb = malloc(a->wkb_len);
            if (!a->wkb || OGR_G_ExportToIsoWkb(c, wkbNDR, a->wkb) != OGRERR_NONE) {
                snprintf(err, (size_t)errlen, "out of memory");
                bad = 1;
            } else {
                a->geom = GEOSWKBReader_read_r(g->geos, rd, a->wkb, a->wkb_len);
                if (a->geom) a->prep = GEOSPrepare_r(g->geos, a->geom);
                if (!a->geom || !a->prep) {
                    snprintf(err, (size_t)errlen, "%s, layer %s, feature %lld: GEOS cannot "
                             "read the polygon%s%s", path, lab, fid, g->geos_msg[0] ? ": " : "",
                             g->geos_msg);
                    bad = 1;
                }
            }
        }
        if (c) OGR_G_DestroyGeometry(c);
        free(name);
        free(code);
        OGR_F_Destroy(f);
        if (bad) goto out;
    }
    rc = 0;
out:
    if (rd) GEOSWKBReader_destroy_r(g->geos, rd);
    if (ct) OCTDestroyCoordinateTransformation(ct);
    if (srs) OSRDestroySpatialReference(srs);
    if (dec_open) wp_decoder_close(&dec);
    if (ds) GDALClose(ds);
    free(path);
    return rc;
}

/* Index of the first area holding (lon, lat), or s->n for outside. */
static int locate(wp_geo *g, const area_set *s, double lon, double lat) {
    GEOSGeometry *pt = NULL;
    int found = s->n;
    for (int i = 0; i < s->n; i++) {
        const area *a = &s->a[i];
        if (lon < a->minx || lon > a->maxx || lat < a->miny || lat > a->maxy) continue;
        if (!pt) {
            pt = GEOSGeom_createPointFromXY_r(g->geos, lon, lat);
            if (!pt) break;
        }
        /* intersects, not contains: a point on the border belongs somewhere */
        if (GEOSPreparedIntersects_r(g->geos, a->prep, pt) == 1) {
            found = i;
            break;
        }
    }
    if (pt) GEOSGeom_destroy_r(g->geos, pt);
    return found;
}

int wp_areas_check(wp_geo *g, wp_config *cfg, char *err, int errlen) {
    if (!wp_areas_configured(cfg)) return 0;
    area_set s = {0, 0, NULL};
    int rc = load_areas(g, cfg, &s, err, errlen) < 0 ? -1 : s.n;
    area_set_free(g, &s);
    return rc;
}

/* Totals per (area, material). */
typedef struct {
    double supply, delivered, unalloc, received, cost;
    int n_src, n_sink;
} cell_acc;

int wp_areas_table(wp_geo *g, wp_config *cfg, const wp_model *m, const wp_result *r,
                   wp_table **out, char *err, int errlen) {
    *out = NULL;
    if (!wp_areas_configured(cfg)) return 0;
    area_set s = {0, 0, NULL};
    int rc = -1;
    int *src_area = NULL, *sink_area = NULL;
    cell_acc *acc = NULL;
    wp_table *t = NULL;
    if (load_areas(g, cfg, &s, err, errlen) < 0) goto out;
    int na = s.n + 1, nm = m->materials.count;   /* last area: outside */
    src_area = malloc((size_t)(m->n_sources ? m->n_sources : 1) * sizeof *src_area);
    sink_area = malloc((size_t)(m->n_sinks ? m->n_sinks : 1) * sizeof *sink_area);
    acc = calloc((size_t)na * (size_t)nm, sizeof *acc);
    if (!src_area || !sink_area || !acc) {
        snprintf(err, (size_t)errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *so = &m->sources[i];
        src_area[i] = locate(g, &s, so->lon, so->lat);
        cell_acc *c = &acc[(size_t)src_area[i] * (size_t)nm + (size_t)so->material];
        c->supply += so->supply_t;
        c->delivered += r->src_delivered[i];
        c->unalloc += r->src_unalloc[i];
        c->cost += r->src_unalloc[i] * m->materials.m[so->material].unallocated_cost;
        c->n_src++;
    }
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *sk = &m->sinks[k];
        sink_area[k] = locate(g, &s, sk->lon, sk->lat);
        for (int j = 0; j < nm; j++) {
            cell_acc *c = &acc[(size_t)sink_area[k] * (size_t)nm + (size_t)j];
            if (sk->accepts & (1u << j)) c->n_sink++;
            c->received += r->sink_received_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
        }
    }
    /* haul and handling, charged to the sending source's area, computed
    ** exactly as the allocation's totals are */
    for (size_t a = 0; a < m->n_arcs; a++) {
        double tt = r->arc_t[a];
        if (tt == 0) continue;
        const wp_arc *arc = &m->arcs[a];
        const wp_source *so = &m->sources[arc->src];
        const wp_material *mt = &m->materials.m[so->material];
        acc[(size_t)src_area[arc->src] * (size_t)nm + (size_t)so->material].cost +=
            tt * arc->dist_km * mt->road_rate + tt * mt->handling;
    }
    t = wp_table_new("by_area", "by_area 分地区汇总",
                     "按行政区（各市、各县）与固废种类汇总：产生、利用、接收与成本 "
                     "(per area and material)", WP_GEOM_ANY);
    if (!t) {
        snprintf(err, (size_t)errlen, "out of memory");
        goto out;
    }
    static const struct {
        const char *name, *alias;
        wp_col_type type;
    } cols[] = {
        {"area_code", "区划代码", WP_COL_TEXT},   {"area_name", "地区", WP_COL_TEXT},
        {"material", "固废种类", WP_COL_TEXT},    {"material_zh", "固废名称", WP_COL_TEXT},
        {"supply_t", "产生量(t)", WP_COL_REAL},   {"delivered_t", "利用量(t)", WP_COL_REAL},
        {"unallocated_t", "未利用量(t)", WP_COL_REAL},
        {"utilisation_pct", "利用率(%)", WP_COL_REAL},
        {"received_t", "本地区利用点接收量(t)", WP_COL_REAL},
        {"cost_yuan", "本地区产废源总成本(元)", WP_COL_REAL},
        {"sources", "产废源数", WP_COL_INT},      {"sinks", "利用点数", WP_COL_INT},
    };
    for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
        if (wp_table_add_col(t, cols[c].name, cols[c].type, cols[c].alias) < 0) {
            snprintf(err, (size_t)errlen, "out of memory");
            goto out;
        }
    for (int ai = 0; ai < na; ai++)
        for (int j = 0; j < nm; j++) {
            const cell_acc *c = &acc[(size_t)ai * (size_t)nm + (size_t)j];
            if (!c->n_src && !c->n_sink && c->received == 0) continue;   /* nothing here */
            int row = wp_table_add_row(t);
            const char *code = ai < s.n ? s.a[ai].code : "";
            const char *name = ai < s.n ? s.a[ai].name : "outside";
            int bad = row < 0 || wp_table_set_text(t, row, 0, code) < 0 ||
                      wp_table_set_text(t, row, 1, name) < 0 ||
                      wp_table_set_text(t, row, 2, m->materials.m[j].id) < 0 ||
                      wp_table_set_text(t, row, 3, m->materials.m[j].name_zh) < 0 ||
                      wp_table_set_real(t, row, 4, c->supply) < 0 ||
                      wp_table_set_real(t, row, 5, c->delivered) < 0 ||
                      wp_table_set_real(t, row, 6, c->unalloc) < 0 ||
                      wp_table_set_real(t, row, 7, c->supply > 0 ? 100.0 * c->delivered / c->supply
                                                                 : NAN) < 0 ||
                      wp_table_set_real(t, row, 8, c->received) < 0 ||
                      wp_table_set_real(t, row, 9, c->cost) < 0 ||
                      wp_table_set_int(t, row, 10, c->n_src) < 0 ||
                      wp_table_set_int(t, row, 11, c->n_sink) < 0 ||
                      (ai < s.n && wp_table_set_wkb(t, row, s.a[ai].wkb, s.a[ai].wkb_len) < 0);
            if (bad) {
                snprintf(err, (size_t)errlen, "out of memory");
                goto out;
            }
        }
    *out = t;
    t = NULL;
    rc = 0;
out:
    wp_table_free(t);
    free(acc);
    free(src_area);
    free(sink_area);
    area_set_free(g, &s);
    return rc;
}
