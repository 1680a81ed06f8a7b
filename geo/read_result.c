/*
** read_result.c — read wasteplan GeoPackages (or any OGR vector dataset)
** back into wp_tables; see read_result.h.
*/
#include "read_result.h"

#include "crs.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wp_col_type col_type_of(OGRFieldType t) {
    switch (t) {
    case OFTReal: return WP_COL_REAL;
    case OFTInteger:
    case OFTInteger64: return WP_COL_INT;
    default: return WP_COL_TEXT;
    }
}

static wp_geom_kind geom_kind_of(OGRwkbGeometryType t) {
    switch (wkbFlatten(t)) {
    case wkbNone: return WP_GEOM_NONE;
    case wkbPoint: return WP_GEOM_POINT;
    case wkbLineString: return WP_GEOM_LINE;
    case wkbPolygon: return WP_GEOM_POLYGON;
    default: return WP_GEOM_ANY;
    }
}

/* Copy one feature's geometry into row r of t as lon/lat ISO WKB. ct may be
** NULL (already lon/lat). A feature without geometry leaves the row's WKB
** NULL. Returns 0 or -1 with a message. */
static int copy_geometry(OGRFeatureH f, OGRCoordinateTransformationH ct, wp_table *t,
                         int r, const char *path, const char *layer,
                         char *err, int errlen) {
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g)) return 0;
    OGRGeometryH c = OGR_G_Clone(g);
    if (!c) {
        snprintf(err, (size_t)errlen, "%s: layer %s: out of memory", path, layer);
        return -1;
    }
    if (ct && OGR_G_Transform(c, ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(c);
        snprintf(err, (size_t)errlen, "%s: layer %s, feature %lld: cannot transform the "
                 "geometry to WGS84", path, layer, (long long)OGR_F_GetFID(f));
        return -1;
    }
    size_t n = (size_t)OGR_G_WkbSizeEx(c);
    unsigned char *buf = malloc(n ? n : 1);
    int rc = -1;
    if (buf && OGR_G_ExportToIsoWkb(c, wkbNDR, buf) == OGRERR_NONE &&
        wp_table_set_wkb(t, r, buf, n) == 0)
        rc = 0;
    else
        snprintf(err, (size_t)errlen, "%s: layer %s, feature %lld: cannot copy the geometry",
                 path, layer, (long long)OGR_F_GetFID(f));
    free(buf);
    OGR_G_DestroyGeometry(c);
    return rc;
}

/* Read layer lname of the open dataset ds into a new table (see
** wp_read_layer for the return values). */
static int read_layer_ds(GDALDatasetH ds, const char *path, const char *lname,
                         int with_geom, wp_table **out, char *err, int errlen) {
    *out = NULL;
    OGRLayerH l = GDALDatasetGetLayerByName(ds, lname);
    if (!l) return 1;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    wp_geom_kind gk = with_geom ? geom_kind_of(OGR_L_GetGeomType(l)) : WP_GEOM_NONE;
    if (with_geom && OGR_FD_GetGeomFieldCount(defn) > 0 && gk == WP_GEOM_NONE) gk = WP_GEOM_ANY;
    if (OGR_FD_GetGeomFieldCount(defn) == 0) gk = WP_GEOM_NONE;
    wp_table *t = wp_table_new(lname, NULL, NULL, gk);
    OGRCoordinateTransformationH ct = NULL;
    int rc = -1;
    if (!t) {
        snprintf(err, (size_t)errlen, "%s: layer %s: out of memory", path, lname);
        return -1;
    }
    int nf = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < nf; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        if (wp_table_add_col(t, OGR_Fld_GetNameRef(fd), col_type_of(OGR_Fld_GetType(fd)),
                             NULL) < 0) {
            snprintf(err, (size_t)errlen, "%s: layer %s: out of memory", path, lname);
            goto out;
        }
    }
    if (gk != WP_GEOM_NONE) {
        OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
        if (srs) {
            OGRSpatialReferenceH s = wp_crs_clone(srs);
            if (!s) {
                snprintf(err, (size_t)errlen, "%s: layer %s: cannot read its CRS", path, lname);
                goto out;
            }
            int same = wp_crs_is_wgs84(s);
            if (!same) ct = wp_crs_to_wgs84(s, err, errlen);
            OSRDestroySpatialReference(s);
            if (!same && !ct) goto out;
        }
    }
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(l)) != NULL) {
        int r = wp_table_add_row(t);
        int bad = r < 0;
        for (int i = 0; !bad && i < nf; i++) {
            if (!OGR_F_IsFieldSetAndNotNull(f, i)) continue;
            switch (t->cols[i].type) {
            case WP_COL_REAL: bad = wp_table_set_real(t, r, i, OGR_F_GetFieldAsDouble(f, i)) < 0; break;
            case WP_COL_INT: bad = wp_table_set_int(t, r, i, OGR_F_GetFieldAsInteger64(f, i)) < 0; break;
            case WP_COL_TEXT: bad = wp_table_set_text(t, r, i, OGR_F_GetFieldAsString(f, i)) < 0; break;
            }
        }
        if (bad) {
            OGR_F_Destroy(f);
            snprintf(err, (size_t)errlen, "%s: layer %s: out of memory", path, lname);
            goto out;
        }
        if (gk != WP_GEOM_NONE &&
            copy_geometry(f, ct, t, r, path, lname, err, errlen) < 0) {
            OGR_F_Destroy(f);
            goto out;
        }
        OGR_F_Destroy(f);
    }
    *out = t;
    t = NULL;
    rc = 0;
out:
    if (ct) OCTDestroyCoordinateTransformation(ct);
    wp_table_free(t);
    return rc;
}

static GDALDatasetH open_vector(const char *path, char *err, int errlen) {
    if (!GDALGetDriverByName("GPKG")) GDALAllRegister();
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (!ds)
        snprintf(err, (size_t)errlen, "%s: cannot open as a vector dataset (expected a GeoPackage "
                 "written by 'wasteplan solve')%s%s", path,
                 CPLGetLastErrorMsg()[0] ? ": " : "", CPLGetLastErrorMsg());
    return ds;
}

int wp_read_layer(const char *path, const char *layer, int with_geom,
                  wp_table **out, char *err, int errlen) {
    *out = NULL;
    GDALDatasetH ds = open_vector(path, err, errlen);
    if (!ds) return -1;
    int rc = read_layer_ds(ds, path, layer, with_geom, out, err, errlen);
    GDALClose(ds);
    return rc;
}

void wp_result_file_free(wp_result_file *rf) {
    free(rf->path);
    wp_table_free(rf->summary);
    wp_table_free(rf->sinks);
    wp_table_free(rf->flows);
    wp_table_free(rf->yearly);
    wp_table_free(rf->scenario);
    memset(rf, 0, sizeof *rf);
}

/* The columns the commands rely on, per required layer. */
static int require_cols(const wp_table *t, const char *path, const char *const *cols,
                        char *err, int errlen) {
    for (int i = 0; cols[i]; i++)
        if (wp_table_col(t, cols[i]) < 0) {
            snprintf(err, (size_t)errlen, "%s: layer %s has no column %s: not a wasteplan "
                     "result, or one from an incompatible version", path, t->name, cols[i]);
            return -1;
        }
    return 0;
}

/* A plan has no sinks layer: what each site received over the horizon,
** summed from the flows (no geometry, no capacity). */
static int sinks_from_flows(wp_result_file *rf, char *err, int errlen) {
    wp_table *t = wp_table_new("sinks", NULL, NULL, WP_GEOM_NONE);
    if (!t || wp_table_add_col(t, "sink_id", WP_COL_TEXT, NULL) < 0 ||
        wp_table_add_col(t, "name", WP_COL_TEXT, NULL) < 0 ||
        wp_table_add_col(t, "received_t", WP_COL_REAL, NULL) < 0 ||
        wp_table_add_col(t, "fill_pct", WP_COL_REAL, NULL) < 0) {
        wp_table_free(t);
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    const wp_table *f = rf->flows;
    int cs = wp_table_col(f, "sink_id"), ct = wp_table_col(f, "tonnes");
    for (int r = 0; r < f->n_rows; r++) {
        const char *id = wp_cell_text(f, r, cs);
        double tn = wp_cell_real(f, r, ct);
        if (!id || isnan(tn)) continue;
        int row = -1;
        for (int q = 0; q < t->n_rows && row < 0; q++)
            if (!strcmp(wp_table_cell(t, q, 0)->text, id)) row = q;
        if (row < 0) {
            row = wp_table_add_row(t);
            if (row < 0 || wp_table_set_text(t, row, 0, id) < 0 ||
                wp_table_set_real(t, row, 2, 0) < 0) {
                wp_table_free(t);
                snprintf(err, (size_t)errlen, "out of memory");
                return -1;
            }
        }
        wp_table_set_real(t, row, 2, wp_table_cell(t, row, 2)->real + tn);
    }
    rf->sinks = t;
    return 0;
}

int wp_result_file_read(const char *path, wp_result_file *rf, char *err, int errlen) {
    static const char *const summary_cols[] = {"material", "supply_t", "delivered_t",
                                               "total_cost_yuan", NULL};
    static const char *const sinks_cols[] = {"sink_id", "received_t", NULL};
    static const char *const flows_cols[] = {"source_id", "sink_id", "material", "tonnes", NULL};
    memset(rf, 0, sizeof *rf);
    rf->path = strdup(path);
    if (!rf->path) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    GDALDatasetH ds = open_vector(path, err, errlen);
    if (!ds) goto fail;
    /* A multi-year plan (wasteplan plan) has yearly and flows_by_year in
    ** place of summary, sinks and flows. */
    int plan = GDALDatasetGetLayerByName(ds, "yearly") != NULL &&
               GDALDatasetGetLayerByName(ds, "summary") == NULL;
    struct {
        const char *name;
        wp_table **dst;
        int with_geom, required;
        const char *const *cols;
    } want[] = {
        {"summary", &rf->summary, 0, !plan, summary_cols},
        {"sinks", &rf->sinks, 1, !plan, sinks_cols},
        {plan ? "flows_by_year" : "flows", &rf->flows, 1, 1, flows_cols},
        {"yearly", &rf->yearly, 0, 0, NULL},
        {"scenario", &rf->scenario, 0, 0, NULL},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        int rc = read_layer_ds(ds, path, want[i].name, want[i].with_geom, want[i].dst,
                               err, errlen);
        if (rc < 0) goto fail_ds;
        if (rc == 1 && want[i].required) {
            snprintf(err, (size_t)errlen, "%s: not a wasteplan result: no layer %s "
                     "(write one with 'wasteplan solve')", path, want[i].name);
            goto fail_ds;
        }
        if (rc == 0 && want[i].cols && require_cols(*want[i].dst, path, want[i].cols,
                                                    err, errlen) < 0)
            goto fail_ds;
    }
    GDALClose(ds);
    if (plan && sinks_from_flows(rf, err, errlen) < 0) goto fail;
    return 0;
fail_ds:
    GDALClose(ds);
fail:
    wp_result_file_free(rf);
    return -1;
}

double wp_cell_real(const wp_table *t, int row, int col) {
    if (!t || col < 0 || col >= t->n_cols || row < 0 || row >= t->n_rows) return NAN;
    const wp_cell *c = wp_table_cell(t, row, col);
    if (!c || c->is_null) return NAN;
    if (t->cols[col].type == WP_COL_REAL) return c->real;
    if (t->cols[col].type == WP_COL_INT) return (double)c->integer;
    return NAN;
}

const char *wp_cell_text(const wp_table *t, int row, int col) {
    if (!t || col < 0 || col >= t->n_cols || row < 0 || row >= t->n_rows) return "";
    const wp_cell *c = wp_table_cell(t, row, col);
    if (!c || c->is_null || t->cols[col].type != WP_COL_TEXT || !c->text) return "";
    return c->text;
}

const char *wp_scenario_value(const wp_table *scenario, const char *key) {
    if (!scenario) return NULL;
    int kc = wp_table_col(scenario, "key"), vc = wp_table_col(scenario, "value");
    if (kc < 0 || vc < 0) return NULL;
    for (int r = 0; r < scenario->n_rows; r++)
        if (!strcmp(wp_cell_text(scenario, r, kc), key)) return wp_cell_text(scenario, r, vc);
    return NULL;
}
