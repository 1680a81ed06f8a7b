/*
** candidates.c — candidate sites for new parks and the zones that admit or
** exclude them (candidates.h).
**
** Metric work happens in a local azimuthal equidistant plane (PROJ aeqd on
** the WGS84 ellipsoid) centred on the middle of the geometry at hand:
** distances from the centre are exact and across a study area of a few
** hundred km the scale error elsewhere stays below 0.1 %, so a 5 km buffer
** is 5 km to within metres. Buffers are made there and brought back to
** lon/lat; grids are laid out there, so cells are square in kilometres.
**
** Layers are read through OGR, which decodes shapefile text from the .cpg
** or DBF code page; CRSs are handled by crs.h like the input layers.
*/
#include "candidates.h"
#include "../planner/message.h"
#include "crs.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_s(const char *s) {
    size_t n = strlen(s ? s : "");
    char *d = malloc(n + 1);
    if (d) memcpy(d, s ? s : "", n + 1);
    return d;
}

size_t wp_point_wkb(unsigned char buf[21], double lon, double lat) {
    unsigned t = 1;
    buf[0] = 1;
    memcpy(buf + 1, &t, 4);
    memcpy(buf + 5, &lon, 8);
    memcpy(buf + 13, &lat, 8);
    return 21;
}

/* ------------------------------------------------------------ local plane */

typedef struct {
    PJ *pj;
    int inverse;
} plane;

/* aeqd centred on lon0/lat0; raw PROJ operations take radians. */
static int plane_open(wp_geo *g, plane *p, double lon0, double lat0) {
    char def[160];
    snprintf(def, sizeof def, "+proj=aeqd +lat_0=%.9f +lon_0=%.9f +ellps=WGS84 +units=m",
             lat0, lon0);
    for (char *q = def; *q; q++)
        if (*q == ',') *q = '.';
    p->pj = proj_create(g->proj, def);
    p->inverse = 0;
    return p->pj ? 0 : -1;
}

static void plane_close(plane *p) {
    if (p->pj) proj_destroy(p->pj);
    p->pj = NULL;
}

static int plane_xy(double *x, double *y, void *ud) {
    plane *p = ud;
    PJ_COORD c;
    if (p->inverse) {
        c = proj_coord(*x, *y, 0, 0);
        c = proj_trans(p->pj, PJ_INV, c);
        if (c.v[0] == HUGE_VAL) return 0;
        *x = proj_todeg(c.v[0]);
        *y = proj_todeg(c.v[1]);
    } else {
        c = proj_coord(proj_torad(*x), proj_torad(*y), 0, 0);
        c = proj_trans(p->pj, PJ_FWD, c);
        if (c.v[0] == HUGE_VAL) return 0;
        *x = c.v[0];
        *y = c.v[1];
    }
    return 1;
}

/* geom in lon/lat -> plane (inverse 0) or back (1); NULL on failure. */
static GEOSGeometry *plane_map(wp_geo *g, plane *p, const GEOSGeometry *geom, int inverse) {
    p->inverse = inverse;
    return GEOSGeom_transformXY_r(g->geos, geom, plane_xy, p);
}

/* ------------------------------------------------------------ zones */

void wp_cand_zones_init(wp_cand_zones *z) {
    memset(z, 0, sizeof *z);
}

void wp_cand_zones_free(wp_geo *g, wp_cand_zones *z) {
    for (int i = 0; i < z->n; i++) {
        if (z->z[i].prep) GEOSPreparedGeom_destroy_r(g->geos, z->z[i].prep);
        if (z->z[i].geom) GEOSGeom_destroy_r(g->geos, z->z[i].geom);
        free(z->z[i].label);
    }
    free(z->z);
    memset(z, 0, sizeof *z);
}

int wp_cand_zones_add(wp_geo *g, wp_cand_zones *z, wp_zone_kind kind,
                      const unsigned char *wkb, size_t len, double buffer_km,
                      const char *label, char *err, int errlen) {
    GEOSContextHandle_t h = g->geos;
    GEOSGeometry *geom = GEOSGeomFromWKB_buf_r(h, wkb, len);
    if (!geom) {
        wp_set_err(err, errlen, "%s: unreadable geometry (%s)", label, g->geos_msg);
        return -1;
    }
    int type = GEOSGeomTypeId_r(h, geom);
    int polygonal = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
    if (!polygonal && !(buffer_km > 0)) {
        GEOSGeom_destroy_r(h, geom);
        wp_set_err(err, errlen, "%s: a point or line zone needs buffer_km > 0 (e.g. "
                "buffer_km = 5 for 5 km either side of a river)", label);
        return -1;
    }
    if (polygonal && !GEOSisValid_r(h, geom)) {
        GEOSGeom_destroy_r(h, geom);
        wp_set_err(err, errlen, "%s: the polygon is not valid (repair it with QGIS "
                "\"Fix geometries\")", label);
        return -1;
    }
    if (buffer_km > 0) {
        double x0, y0, x1, y1;
        if (!GEOSGeom_getXMin_r(h, geom, &x0) || !GEOSGeom_getYMin_r(h, geom, &y0) ||
            !GEOSGeom_getXMax_r(h, geom, &x1) || !GEOSGeom_getYMax_r(h, geom, &y1)) {
            GEOSGeom_destroy_r(h, geom);
            wp_set_err(err, errlen, "%s: empty geometry", label);
            return -1;
        }
        plane p;
        if (plane_open(g, &p, (x0 + x1) / 2, (y0 + y1) / 2) < 0) {
            GEOSGeom_destroy_r(h, geom);
            wp_set_err(err, errlen, "%s: cannot set up a local projection", label);
            return -1;
        }
        GEOSGeometry *flat = plane_map(g, &p, geom, 0);
        GEOSGeometry *buf = flat ? GEOSBuffer_r(h, flat, buffer_km * 1000.0, 16) : NULL;
        GEOSGeometry *back = buf ? plane_map(g, &p, buf, 1) : NULL;
        plane_close(&p);
        if (flat) GEOSGeom_destroy_r(h, flat);
        if (buf) GEOSGeom_destroy_r(h, buf);
        GEOSGeom_destroy_r(h, geom);
        if (!back) {
            wp_set_err(err, errlen, "%s: buffering failed (%s)", label, g->geos_msg);
            return -1;
        }
        geom = back;
    }
    if (z->n == z->cap) {
        int cap = z->cap ? z->cap * 2 : 16;
        wp_zone *nz = realloc(z->z, (size_t)cap * sizeof *nz);
        if (!nz) {
            GEOSGeom_destroy_r(h, geom);
            wp_set_err(err, errlen, "out of memory");
            return -1;
        }
        z->z = nz;
        z->cap = cap;
    }
    wp_zone *e = &z->z[z->n];
    e->kind = kind;
    e->geom = geom;
    e->prep = GEOSPrepare_r(h, geom);
    e->label = dup_s(label);
    if (!e->prep || !e->label) {
        if (e->prep) GEOSPreparedGeom_destroy_r(h, e->prep);
        GEOSGeom_destroy_r(h, geom);
        free(e->label);
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    z->n++;
    return 0;
}

/* 1 when lon/lat lies in (or on) zone e, 0 when not, -1 on error. */
static int zone_has(wp_geo *g, const wp_zone *e, double lon, double lat) {
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->geos, lon, lat);
    if (!pt) return -1;
    char r = GEOSPreparedIntersects_r(g->geos, e->prep, pt);
    GEOSGeom_destroy_r(g->geos, pt);
    return r == 2 ? -1 : r;
}

int wp_cand_grid(wp_geo *g, const wp_cand_zones *z, wp_siting *s, int type,
                 double spacing_km, const char *prefix, char *err, int errlen) {
    GEOSContextHandle_t h = g->geos;
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    for (int i = 0; i < z->n; i++) {
        if (z->z[i].kind != WP_ZONE_ALLOWED) continue;
        double a, b, c, d;
        if (!GEOSGeom_getXMin_r(h, z->z[i].geom, &a) || !GEOSGeom_getYMin_r(h, z->z[i].geom, &b) ||
            !GEOSGeom_getXMax_r(h, z->z[i].geom, &c) || !GEOSGeom_getYMax_r(h, z->z[i].geom, &d))
            continue;
        x0 = fmin(x0, a), y0 = fmin(y0, b), x1 = fmax(x1, c), y1 = fmax(y1, d);
    }
    if (x0 > x1) {
        wp_set_err(err, errlen, "a candidate grid needs an allowed area: [candidates.grid] "
                "path = a polygon layer");
        return -1;
    }
    if (!(spacing_km >= 0.1)) {
        wp_set_err(err, errlen, "grid spacing_km must be at least 0.1");
        return -1;
    }
    plane p;
    if (plane_open(g, &p, (x0 + x1) / 2, (y0 + y1) / 2) < 0) {
        wp_set_err(err, errlen, "cannot set up a local projection for the grid");
        return -1;
    }
    /* the plane extent of the box: its corners and edge midpoints */
    double X0 = HUGE_VAL, Y0 = HUGE_VAL, X1 = -HUGE_VAL, Y1 = -HUGE_VAL;
    for (int i = 0; i <= 4; i++)
        for (int j = 0; j <= 4; j++) {
            double x = x0 + (x1 - x0) * i / 4, y = y0 + (y1 - y0) * j / 4;
            p.inverse = 0;
            if (!plane_xy(&x, &y, &p)) continue;
            X0 = fmin(X0, x), Y0 = fmin(Y0, y), X1 = fmax(X1, x), Y1 = fmax(Y1, y);
        }
    double d = spacing_km * 1000.0;
    long nx = (long)floor(X1 / d) - (long)ceil(X0 / d) + 1;
    long ny = (long)floor(Y1 / d) - (long)ceil(Y0 / d) + 1;
    if (nx * ny > 1000000) {
        plane_close(&p);
        wp_set_err(err, errlen, "a %.3g km grid over the allowed area has %ld nodes; use a "
                "larger spacing_km", spacing_km, nx * ny);
        return -1;
    }
    int added = 0;
    for (long iy = (long)ceil(Y0 / d); iy * d <= Y1; iy++)
        for (long ix = (long)ceil(X0 / d); ix * d <= X1; ix++) {
            double lon = (double)ix * d, lat = (double)iy * d;
            p.inverse = 1;
            if (!plane_xy(&lon, &lat, &p)) continue;
            int inside = 0;
            for (int i = 0; i < z->n && !inside; i++) {
                if (z->z[i].kind != WP_ZONE_ALLOWED) continue;
                int r = zone_has(g, &z->z[i], lon, lat);
                if (r < 0) {
                    plane_close(&p);
                    wp_set_err(err, errlen, "GEOS error testing grid nodes (%s)", g->geos_msg);
                    return -1;
                }
                inside = r;
            }
            if (!inside) continue;
            char id[96];
            snprintf(id, sizeof id, "%s%03d", prefix, added + 1);
            wp_candidate *c = wp_siting_add_candidate(s, id, id);
            if (!c) {
                plane_close(&p);
                wp_set_err(err, errlen, "out of memory");
                return -1;
            }
            c->type = type;
            c->lon = lon;
            c->lat = lat;
            free(c->origin);
            c->origin = dup_s("grid");
            if (!c->origin) {
                plane_close(&p);
                wp_set_err(err, errlen, "out of memory");
                return -1;
            }
            added++;
        }
    plane_close(&p);
    return added;
}

/* Release candidate c's strings. */
static void cand_clear(wp_candidate *c) {
    free(c->id);
    free(c->name);
    free(c->wkb);
    free(c->origin);
}

int wp_cand_exclude(wp_geo *g, const wp_cand_zones *z, wp_siting *s,
                    char *err, int errlen) {
    int n = 0, removed = 0;
    for (int c = 0; c < s->n_cands; c++) {
        wp_candidate *cd = &s->cands[c];
        int out = 0;
        for (int i = 0; i < z->n && !out; i++) {
            if (z->z[i].kind != WP_ZONE_EXCLUDED) continue;
            int r = zone_has(g, &z->z[i], cd->lon, cd->lat);
            if (r < 0) {
                wp_set_err(err, errlen, "GEOS error testing candidate %s (%s)", cd->id, g->geos_msg);
                return -1;
            }
            if (r && cd->required) {
                if (g->verbose)
                    fprintf(stderr, "wasteplan: warning: required candidate %s (%s) lies in "
                            "exclusion zone %s; kept because it is required\n",
                            cd->id, cd->name, z->z[i].label);
                r = 0;
            }
            out = r;
        }
        if (out) {
            cand_clear(cd);
            removed++;
        } else {
            s->cands[n++] = *cd;
        }
    }
    s->n_cands = n;
    return removed;
}

int wp_cand_assign_counties(wp_geo *g, const wp_cand_zones *z, wp_siting *s) {
    for (int c = 0; c < s->n_cands; c++) {
        wp_candidate *cd = &s->cands[c];
        cd->group = -1;
        for (int i = 0; i < z->n; i++) {
            if (z->z[i].kind != WP_ZONE_COUNTY) continue;
            int r = zone_has(g, &z->z[i], cd->lon, cd->lat);
            if (r < 0) return -1;
            if (r) {
                cd->group = wp_siting_group(s, z->z[i].label);
                if (cd->group < 0) return -1;
                break;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------ layers */

/* An opened vector layer in lon/lat. */
typedef struct {
    GDALDatasetH ds;
    OGRLayerH l;
    OGRCoordinateTransformationH ct;   /* NULL when already lon/lat */
    OGRSpatialReferenceH own_srs;
    char *path;
} vlayer;

static void vlayer_close(vlayer *v) {
    if (v->ct) OCTDestroyCoordinateTransformation(v->ct);
    if (v->own_srs) OSRDestroySpatialReference(v->own_srs);
    if (v->ds) GDALClose(v->ds);
    free(v->path);
    memset(v, 0, sizeof *v);
}

/* Open section's path (layer, crs, where keys) as in the input layers. */
static int vlayer_open(wp_config *cfg, const char *section, vlayer *v, char *err, int errlen) {
    char key[256];
    memset(v, 0, sizeof *v);
    snprintf(key, sizeof key, "%s.path", section);
    const char *rel = wp_config_get(cfg, key);
    if (!rel || !*rel) {
        wp_set_err(err, errlen, "[%s]: path is missing", section);
        return -1;
    }
    v->path = wp_config_path(cfg, rel);
    if (!v->path) {
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    CPLErrorReset();
    v->ds = GDALOpenEx(v->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!v->ds) {
        wp_set_err(err, errlen, "[%s]: cannot open %s: %s", section, v->path, CPLGetLastErrorMsg());
        return -1;
    }
    snprintf(key, sizeof key, "%s.layer", section);
    const char *ln = wp_config_get(cfg, key);
    v->l = ln && *ln ? GDALDatasetGetLayerByName(v->ds, ln) : GDALDatasetGetLayer(v->ds, 0);
    if (!v->l) {
        wp_set_err(err, errlen, "[%s]: %s has no layer %s", section, v->path, ln ? ln : "");
        return -1;
    }
    snprintf(key, sizeof key, "%s.where", section);
    const char *where = wp_config_get(cfg, key);
    if (where && *where && OGR_L_SetAttributeFilter(v->l, where) != OGRERR_NONE) {
        wp_set_err(err, errlen, "%s: [%s] where = '%s' is not a valid OGR SQL filter for %s",
                wp_config_entry_of(cfg, key)->origin, section, where, v->path);
        return -1;
    }
    snprintf(key, sizeof key, "%s.crs", section);
    const char *crs = wp_config_get(cfg, key);
    OGRSpatialReferenceH srs = NULL;
    if (crs && *crs) {
        v->own_srs = wp_crs_parse(crs, err, errlen);
        if (!v->own_srs) return -1;
        srs = v->own_srs;
    } else {
        srs = OGR_L_GetSpatialRef(v->l);
    }
    if (!srs) {
        wp_set_err(err, errlen, "[%s]: %s has no CRS: add the .prj or set crs", section, v->path);
        return -1;
    }
    if (!wp_crs_is_wgs84(srs)) {
        v->ct = wp_crs_to_wgs84(srs, err, errlen);
        if (!v->ct) return -1;
    }
    return 0;
}

/* Feature f's geometry in lon/lat as ISO WKB (malloc'd into *wkb), flat
** 2D. -1 when it has none or does not transform. */
static int feature_wkb(vlayer *v, OGRFeatureH f, unsigned char **wkb, size_t *len) {
    OGRGeometryH geom = OGR_F_GetGeometryRef(f);
    if (!geom || OGR_G_IsEmpty(geom)) return -1;
    OGRGeometryH c = OGR_G_Clone(geom);
    if (!c) return -1;
    OGR_G_FlattenTo2D(c);
    if (v->ct && OGR_G_Transform(c, v->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(c);
        return -1;
    }
    size_t n = (size_t)OGR_G_WkbSize(c);
    *wkb = malloc(n ? n : 1);
    if (!*wkb || OGR_G_ExportToIsoWkb(c, wkbNDR, *wkb) != OGRERR_NONE) {
        free(*wkb);
        *wkb = NULL;
        OGR_G_DestroyGeometry(c);
        return -1;
    }
    *len = n;
    OGR_G_DestroyGeometry(c);
    return 0;
}

/* Field index of section's field.<name> (or the first default found);
** -1 when none; -2 (with err) when the key names a missing column. */
static int field_of(wp_config *cfg, const char *section, vlayer *v, const char *name,
                    const char *const *defaults, char *err, int errlen) {
    char key[256];
    snprintf(key, sizeof key, "%s.field.%s", section, name);
    OGRFeatureDefnH fd = OGR_L_GetLayerDefn(v->l);
    const char *col = wp_config_get(cfg, key);
    if (col) {
        if (!*col) return -1;
        int i = OGR_FD_GetFieldIndex(fd, col);
        if (i < 0) {
            wp_set_err(err, errlen, "%s: [%s] field.%s = '%s': %s has no such column",
                    wp_config_entry_of(cfg, key)->origin, section, name, col, v->path);
            return -2;
        }
        return i;
    }
    for (int d = 0; defaults && defaults[d]; d++) {
        int i = OGR_FD_GetFieldIndex(fd, defaults[d]);
        if (i >= 0) return i;
    }
    return -1;
}

/* Zones of kind from the layer of section; buffer_km from the section;
** county names from field.name. */
static int load_zones(wp_geo *g, wp_config *cfg, const char *section, wp_zone_kind kind,
                      wp_cand_zones *z, char *err, int errlen) {
    vlayer v;
    char key[256], label[512];
    if (vlayer_open(cfg, section, &v, err, errlen) < 0) {
        vlayer_close(&v);
        return -1;
    }
    double buffer_km = 0;
    snprintf(key, sizeof key, "%s.buffer_km", section);
    if (wp_config_get_double(cfg, key, 0, 0, 1000, &buffer_km, err, errlen) < 0) {
        vlayer_close(&v);
        return -1;
    }
    static const char *const names[] = {"name", "名称", "county", "区县", NULL};
    int fname = field_of(cfg, section, &v, "name", names, err, errlen);
    if (fname == -2) {
        vlayer_close(&v);
        return -1;
    }
    OGR_L_ResetReading(v.l);
    OGRFeatureH f;
    int n = 0, rc = 0;
    while (rc == 0 && (f = OGR_L_GetNextFeature(v.l)) != NULL) {
        long fid = (long)OGR_F_GetFID(f);
        unsigned char *wkb = NULL;
        size_t len = 0;
        if (feature_wkb(&v, f, &wkb, &len) < 0) {
            wp_set_err(err, errlen, "%s, feature %ld: no geometry, or it does not transform to "
                    "WGS84", v.path, fid);
            rc = -1;
        } else {
            if (fname >= 0 && OGR_F_IsFieldSetAndNotNull(f, fname))
                snprintf(label, sizeof label, "%s", OGR_F_GetFieldAsString(f, fname));
            else
                snprintf(label, sizeof label, "%s:%ld", section, fid);
            char what[700];
            snprintf(what, sizeof what, "%s, feature %ld (%s)", v.path, fid, label);
            if (wp_cand_zones_add(g, z, kind, wkb, len, buffer_km,
                                  kind == WP_ZONE_COUNTY ? label : what, err, errlen) < 0) {
                rc = -1;
                if (kind == WP_ZONE_COUNTY) {
                    char tmp[1024];
                    snprintf(tmp, sizeof tmp, "%s: %s", v.path, err);
                    wp_set_err(err, errlen, "%s", tmp);
                }
            }
            n++;
        }
        free(wkb);
        OGR_F_Destroy(f);
    }
    if (rc == 0 && n == 0) {
        wp_set_err(err, errlen, "[%s]: %s has no features%s", section, v.path,
                wp_config_get(cfg, (snprintf(key, sizeof key, "%s.where", section), key))
                    ? " matching where" : "");
        rc = -1;
    }
    vlayer_close(&v);
    return rc;
}

/* Truthy text of a required field: 1/yes/true/是. */
static int truthy(const char *s) {
    return !strcmp(s, "1") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "Y") ||
           !strcmp(s, "y") || !strcmp(s, "是") || !strcmp(s, "TRUE");
}

static int type_by_id(const wp_siting *s, const char *id) {
    for (int t = 0; t < s->n_types; t++)
        if (!strcmp(s->types[t].id, id) || !strcmp(s->types[t].name, id)) return t;
    return -1;
}

/* The park types a generated or layer candidate gets: [candidates] types
** (ids), or every type. Bit t set per type. */
static int default_types(wp_config *cfg, const wp_siting *s, unsigned *mask,
                         char *err, int errlen) {
    const char *v = wp_config_get(cfg, "candidates.types");
    *mask = 0;
    if (!v || !*v) {
        for (int t = 0; t < s->n_types && t < 32; t++) *mask |= 1u << t;
        return 0;
    }
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *tok = strtok(buf, ", ;"); tok; tok = strtok(NULL, ", ;")) {
        int t = type_by_id(s, tok);
        if (t < 0) {
            wp_set_err(err, errlen, "%s: candidates.types: no [park.%s] section",
                    wp_config_entry_of(cfg, "candidates.types")->origin, tok);
            return -1;
        }
        *mask |= 1u << t;
    }
    return 0;
}

/* id for a candidate of type t at a place named base: base itself when
** only one type is in play, else base:type. */
static void cand_id(char *out, size_t n, const char *base, const wp_siting *s, int t,
                    unsigned mask) {
    if ((mask & (mask - 1)) == 0) snprintf(out, n, "%s", base);
    else snprintf(out, n, "%s:%s", base, s->types[t].id);
}

/* Candidates from the [candidates] layer. */
static int load_candidates(wp_geo *g, wp_config *cfg, wp_siting *s, unsigned mask,
                           char *err, int errlen) {
    vlayer v;
    if (vlayer_open(cfg, "candidates", &v, err, errlen) < 0) {
        vlayer_close(&v);
        return -1;
    }
    static const char *const ids[] = {"id", "code", "编号", NULL};
    static const char *const names[] = {"name", "名称", NULL};
    static const char *const types[] = {"type", "park_type", "园区类型", NULL};
    static const char *const reqs[] = {"required", "必选", NULL};
    int fid_i = field_of(cfg, "candidates", &v, "id", ids, err, errlen);
    int fname = field_of(cfg, "candidates", &v, "name", names, err, errlen);
    int ftype = field_of(cfg, "candidates", &v, "type", types, err, errlen);
    int freq = field_of(cfg, "candidates", &v, "required", reqs, err, errlen);
    if (fid_i == -2 || fname == -2 || ftype == -2 || freq == -2) {
        vlayer_close(&v);
        return -1;
    }
    GEOSContextHandle_t h = g->geos;
    OGRFeatureH f;
    int rc = 0;
    OGR_L_ResetReading(v.l);
    while (rc == 0 && (f = OGR_L_GetNextFeature(v.l)) != NULL) {
        long fid = (long)OGR_F_GetFID(f);
        char base[256], name[512], id[300];
        if (fid_i >= 0 && OGR_F_IsFieldSetAndNotNull(f, fid_i))
            snprintf(base, sizeof base, "%s", OGR_F_GetFieldAsString(f, fid_i));
        else
            snprintf(base, sizeof base, "candidates:%ld", fid);
        snprintf(name, sizeof name, "%s", fname >= 0 && OGR_F_IsFieldSetAndNotNull(f, fname)
                                              ? OGR_F_GetFieldAsString(f, fname) : base);
        unsigned fm = mask;
        if (ftype >= 0 && OGR_F_IsFieldSetAndNotNull(f, ftype)) {
            const char *tv = OGR_F_GetFieldAsString(f, ftype);
            int t = type_by_id(s, tv);
            if (t < 0) {
                wp_set_err(err, errlen, "%s, feature %ld (%s): field %s = '%s' names no [park.*] "
                        "type", v.path, fid, name,
                        OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(v.l), ftype)), tv);
                rc = -1;
            }
            fm = 1u << (t < 0 ? 0 : t);
        }
        int required = freq >= 0 && OGR_F_IsFieldSetAndNotNull(f, freq) &&
                       truthy(OGR_F_GetFieldAsString(f, freq));
        unsigned char *wkb = NULL;
        size_t len = 0;
        double lon = 0, lat = 0;
        if (rc == 0 && feature_wkb(&v, f, &wkb, &len) < 0) {
            wp_set_err(err, errlen, "%s, feature %ld (%s): no geometry, or it does not transform "
                    "to WGS84", v.path, fid, name);
            rc = -1;
        }
        if (rc == 0) {
            /* a polygon's hauls end at a point on its surface */
            GEOSGeometry *gg = GEOSGeomFromWKB_buf_r(h, wkb, len);
            GEOSGeometry *pt = gg ? GEOSPointOnSurface_r(h, gg) : NULL;
            if (!pt || !GEOSGeomGetX_r(h, pt, &lon) || !GEOSGeomGetY_r(h, pt, &lat)) {
                wp_set_err(err, errlen, "%s, feature %ld (%s): the geometry has no point on "
                        "its surface (empty or invalid)", v.path, fid, name);
                rc = -1;
            }
            if (pt) GEOSGeom_destroy_r(h, pt);
            if (gg) GEOSGeom_destroy_r(h, gg);
        }
        for (int t = 0; rc == 0 && t < s->n_types; t++) {
            if (!(fm >> t & 1u)) continue;
            cand_id(id, sizeof id, base, s, t, fm);
            wp_candidate *c = wp_siting_add_candidate(s, id, name);
            if (!c) {
                wp_set_err(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            c->type = t;
            c->lon = lon;
            c->lat = lat;
            c->required = required;
            c->wkb = malloc(len);
            if (!c->wkb) {
                wp_set_err(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            memcpy(c->wkb, wkb, len);
            c->wkb_len = len;
        }
        free(wkb);
        OGR_F_Destroy(f);
    }
    vlayer_close(&v);
    return rc;
}

/* Candidates at yards and producers whose material a type accepts; one per
** place and type (a plant's several sources share a place). */
static int at_sources(wp_config *cfg, const wp_model *m, wp_siting *s, unsigned mask,
                      char *err, int errlen) {
    const char *v = wp_config_get(cfg, "candidates.at");
    int yards = 1, plants = 1;
    if (v) {
        yards = strstr(v, "yard") != NULL;
        plants = strstr(v, "producer") != NULL || strstr(v, "plant") != NULL;
        if (!yards && !plants && strcmp(v, "none") && *v) {
            wp_set_err(err, errlen, "%s: candidates.at = '%s': expected yards, producers, both "
                    "(comma-separated) or none", wp_config_entry_of(cfg, "candidates.at")->origin, v);
            return -1;
        }
    }
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *src = &m->sources[i];
        if (src->kind == WP_SRC_YARD ? !yards : !plants) continue;
        for (int t = 0; t < s->n_types; t++) {
            if (!(mask >> t & 1u) || !(s->types[t].accepts >> src->material & 1u)) continue;
            int dup = 0;
            for (int c = 0; c < s->n_cands && !dup; c++)
                dup = s->cands[c].type == t && s->cands[c].lon == src->lon &&
                      s->cands[c].lat == src->lat;
            if (dup) continue;
            /* the plant's id without a ":material" suffix names the place */
            char base[256], id[300], name[512];
            snprintf(base, sizeof base, "%s", src->id);
            char *colon = strrchr(base, ':');
            if (colon && src->kind == WP_SRC_PLANT &&
                !strcmp(colon + 1, m->materials.m[src->material].id))
                *colon = '\0';
            char at[280];
            snprintf(at, sizeof at, "at:%s", base);
            cand_id(id, sizeof id, at, s, t, mask);
            snprintf(name, sizeof name, "%s（%s）", src->name,
                     src->kind == WP_SRC_YARD ? "堆场旁" : "产废企业旁");
            wp_candidate *c = wp_siting_add_candidate(s, id, name);
            if (!c) {
                wp_set_err(err, errlen, "out of memory");
                return -1;
            }
            c->type = t;
            c->lon = src->lon;
            c->lat = src->lat;
            free(c->origin);
            c->origin = dup_s(src->kind == WP_SRC_YARD ? "yard" : "producer");
            if (!c->origin) {
                wp_set_err(err, errlen, "out of memory");
                return -1;
            }
        }
    }
    return 0;
}

static int cmp_cand(const void *a, const void *b) {
    return strcmp(((const wp_candidate *)a)->id, ((const wp_candidate *)b)->id);
}

int wp_candidates_build(wp_geo *g, wp_config *cfg, const wp_model *m,
                        wp_siting *s, char *err, int errlen) {
    wp_cand_zones z;
    wp_cand_zones_init(&z);
    int rc = -1;
    unsigned mask;
    if (s->n_types == 0) {
        wp_set_err(err, errlen, "siting needs at least one park type: a [park.<id>] section "
                "with accepts, capacities and fixed_costs");
        goto done;
    }
    if (default_types(cfg, s, &mask, err, errlen) < 0) goto done;
    if (wp_config_get(cfg, "candidates.path") && load_candidates(g, cfg, s, mask, err, errlen) < 0)
        goto done;
    if (at_sources(cfg, m, s, mask, err, errlen) < 0) goto done;
    if (wp_config_get(cfg, "candidates.grid.path")) {
        double km;
        if (wp_config_get_double(cfg, "candidates.grid.spacing_km", 10, 0.1, 1000, &km,
                                 err, errlen) < 0 ||
            load_zones(g, cfg, "candidates.grid", WP_ZONE_ALLOWED, &z, err, errlen) < 0)
            goto done;
        for (int t = 0; t < s->n_types; t++) {
            if (!(mask >> t & 1u)) continue;
            char prefix[96];
            if ((mask & (mask - 1)) == 0) snprintf(prefix, sizeof prefix, "grid:");
            else snprintf(prefix, sizeof prefix, "grid:%s:", s->types[t].id);
            if (wp_cand_grid(g, &z, s, t, km, prefix, err, errlen) < 0) goto done;
        }
    }
    for (int i = 0; i < cfg->n_sections; i++)
        if (!strncmp(cfg->sections[i], "exclusion.", 10) || !strcmp(cfg->sections[i], "exclusion"))
            if (load_zones(g, cfg, cfg->sections[i], WP_ZONE_EXCLUDED, &z, err, errlen) < 0)
                goto done;
    /* required ids named in the scenario */
    const char *req = wp_config_get(cfg, "candidates.required");
    if (req && *req) {
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", req);
        for (char *tok = strtok(buf, ", ;"); tok; tok = strtok(NULL, ", ;")) {
            int found = 0;
            for (int c = 0; c < s->n_cands; c++)
                if (!strcmp(s->cands[c].id, tok)) s->cands[c].required = found = 1;
            if (!found) {
                wp_set_err(err, errlen, "%s: candidates.required: no candidate has id '%s'",
                        wp_config_entry_of(cfg, "candidates.required")->origin, tok);
                goto done;
            }
        }
    }
    if (wp_cand_exclude(g, &z, s, err, errlen) < 0) goto done;
    if (wp_config_get(cfg, "counties.path")) {
        double lim;
        if (load_zones(g, cfg, "counties", WP_ZONE_COUNTY, &z, err, errlen) < 0 ||
            wp_config_get_double(cfg, "counties.max_parks", 0, 0, 1e6, &lim, err, errlen) < 0)
            goto done;
        s->max_per_group = (int)lim;
        if (wp_cand_assign_counties(g, &z, s) < 0) {
            wp_set_err(err, errlen, "out of memory assigning counties");
            goto done;
        }
        /* a grid node is best known by its county */
        for (int c = 0; c < s->n_cands; c++) {
            wp_candidate *cd = &s->cands[c];
            if (strcmp(cd->origin, "grid") || cd->group < 0) continue;
            char name[512];
            snprintf(name, sizeof name, "%s 网格候选点 %s", s->group_name[cd->group], cd->id);
            char *nn = dup_s(name);
            if (!nn) {
                wp_set_err(err, errlen, "out of memory");
                goto done;
            }
            free(cd->name);
            cd->name = nn;
        }
    }
    /* ids are unique and the order is by id: results never depend on the
    ** order of features or of the generators above */
    qsort(s->cands, (size_t)s->n_cands, sizeof *s->cands, cmp_cand);
    for (int c = 1; c < s->n_cands; c++)
        if (!strcmp(s->cands[c].id, s->cands[c - 1].id)) {
            wp_set_err(err, errlen, "two candidates have the id '%s': ids must be unique",
                    s->cands[c].id);
            goto done;
        }
    for (int c = 0; c < s->n_cands; c++)
        for (int k = 0; k < m->n_sinks; k++)
            if (!strcmp(s->cands[c].id, m->sinks[k].id)) {
                wp_set_err(err, errlen, "candidate id '%s' is also a sink's id; ids must be "
                        "unique across all layers", s->cands[c].id);
                goto done;
            }
    rc = s->n_cands;
done:
    wp_cand_zones_free(g, &z);
    return rc;
}
