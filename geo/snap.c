/*
** snap.c — nearest road segment for points and lines (see snap.h).
**
** The STRtree holds every segment's box in a local plane in km (x = lon x
** 111.32 cos(lat0), y = lat x 110.57, lat0 the network's mean latitude), so
** the tree's box distances are true lower bounds of the item distances and
** the branch-and-bound nearest search prunes well. Over a province the
** plane is within a fraction of a percent of the ellipsoid: good for
** choosing the segment and the point on it; the access leg itself is then
** measured geodesically.
*/
#include "snap.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wp_snapper {
    wp_geo *g;
    const wp_roadnet *n;
    GEOSSTRtree *tree;
    double kx, ky;          /* km per degree of lon and lat in the plane */
};

/* What a nearest query asks: a point, or a geometry (in the plane). */
typedef struct {
    struct wp_snapper *s;
    double x, y;
    const GEOSGeometry *geom;   /* NULL for a point query */
    int failed;
} query;

static void to_plane(const wp_snapper *s, double lon, double lat, double *x, double *y) {
    *x = lon * s->kx;
    *y = lat * s->ky;
}

/* Segment end points in the plane. */
static void seg_plane(const wp_snapper *s, int seg, double *x0, double *y0,
                      double *x1, double *y1) {
    const wp_roadnet *n = s->n;
    to_plane(s, n->lon[n->seg_u[seg]], n->lat[n->seg_u[seg]], x0, y0);
    to_plane(s, n->lon[n->seg_v[seg]], n->lat[n->seg_v[seg]], x1, y1);
}

/* Parameter t in [0,1] of the point of segment (x0,y0)-(x1,y1) nearest (x,y). */
static double seg_param(double x0, double y0, double x1, double y1, double x, double y) {
    double dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
    if (!(l2 > 0)) return 0;
    double t = ((x - x0) * dx + (y - y0) * dy) / l2;
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

static GEOSGeometry *seg_geom(wp_snapper *s, int seg) {
    double x0, y0, x1, y1;
    seg_plane(s, seg, &x0, &y0, &x1, &y1);
    GEOSContextHandle_t h = s->g->geos;
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
    if (!cs) return NULL;
    GEOSCoordSeq_setXY_r(h, cs, 0, x0, y0);
    GEOSCoordSeq_setXY_r(h, cs, 1, x1, y1);
    return GEOSGeom_createLineString_r(h, cs);
}

/* STRtree item distance: one item is the query, the other (seg + 1). */
static int item_distance(const void *a, const void *b, double *d, void *ud) {
    query *q = ud;
    const void *other = a == (const void *)q ? b : a;
    int seg = (int)((intptr_t)other - 1);
    if (seg < 0 || seg >= q->s->n->n_segs) {
        *d = HUGE_VAL;
        return 1;
    }
    if (!q->geom) {
        double x0, y0, x1, y1;
        seg_plane(q->s, seg, &x0, &y0, &x1, &y1);
        double t = seg_param(x0, y0, x1, y1, q->x, q->y);
        double px = x0 + t * (x1 - x0) - q->x, py = y0 + t * (y1 - y0) - q->y;
        *d = sqrt(px * px + py * py);
        return 1;
    }
    GEOSGeometry *sg = seg_geom(q->s, seg);
    if (!sg || !GEOSDistance_r(q->s->g->geos, q->geom, sg, d)) {
        q->failed = 1;
        *d = HUGE_VAL;
    }
    if (sg) GEOSGeom_destroy_r(q->s->g->geos, sg);
    return 1;
}

wp_snapper *wp_snapper_new(wp_geo *g, const wp_roadnet *n, char *err, int errlen) {
    wp_snapper *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, (size_t)errlen, "out of memory");
        return NULL;
    }
    s->g = g;
    s->n = n;
    s->kx = 111.32 * cos(n->lat0 * 3.14159265358979323846 / 180.0);
    s->ky = 110.57;
    GEOSContextHandle_t h = g->geos;
    s->tree = GEOSSTRtree_create_r(h, 10);
    if (!s->tree) {
        snprintf(err, (size_t)errlen, "GEOS: cannot create an STRtree");
        free(s);
        return NULL;
    }
    for (int i = 0; i < n->n_segs; i++) {
        /* the tree copies the box, so the segment geometry can go at once */
        GEOSGeometry *sg = seg_geom(s, i);
        if (!sg) {
            snprintf(err, (size_t)errlen, "GEOS: out of memory indexing road segments");
            wp_snapper_free(s);
            return NULL;
        }
        GEOSSTRtree_insert_r(h, s->tree, sg, (void *)(intptr_t)(i + 1));
        GEOSGeom_destroy_r(h, sg);
    }
    return s;
}

void wp_snapper_free(wp_snapper *s) {
    if (!s) return;
    if (s->tree) GEOSSTRtree_destroy_r(s->g->geos, s->tree);
    free(s);
}

/* Fill out from segment seg and the parameter t of the network point. */
static int finish(wp_snapper *s, int seg, double t, double from_lon, double from_lat,
                  double max_km, wp_snap *out) {
    const wp_roadnet *n = s->n;
    int u = n->seg_u[seg], v = n->seg_v[seg];
    out->t = t;
    out->lon = n->lon[u] + t * (n->lon[v] - n->lon[u]);
    out->lat = n->lat[u] + t * (n->lat[v] - n->lat[u]);
    out->from_lon = from_lon;
    out->from_lat = from_lat;
    out->access_km = wp_geodesic_km(from_lon, from_lat, out->lon, out->lat);
    out->seg = out->access_km <= max_km ? seg : -1;
    return out->seg >= 0;
}

int wp_snap_point(wp_snapper *s, double lon, double lat, double max_km, wp_snap *out) {
    memset(out, 0, sizeof *out);
    out->seg = -1;
    out->access_km = HUGE_VAL;
    out->from_lon = lon;
    out->from_lat = lat;
    if (s->n->n_segs == 0) return 0;
    GEOSContextHandle_t h = s->g->geos;
    query q = {s, 0, 0, NULL, 0};
    to_plane(s, lon, lat, &q.x, &q.y);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, q.x, q.y);
    if (!pt) return -1;
    const void *hit = GEOSSTRtree_nearest_generic_r(h, s->tree, &q, pt, item_distance, &q);
    GEOSGeom_destroy_r(h, pt);
    if (!hit || q.failed) return -1;
    int seg = (int)((intptr_t)hit - 1);
    double x0, y0, x1, y1;
    seg_plane(s, seg, &x0, &y0, &x1, &y1);
    return finish(s, seg, seg_param(x0, y0, x1, y1, q.x, q.y), lon, lat, max_km, out);
}

/* Callback for GEOSGeom_transformXY: lon/lat to the plane. */
static int plane_xy(double *x, double *y, void *ud) {
    const wp_snapper *s = ud;
    *x *= s->kx;
    *y *= s->ky;
    return 1;
}

int wp_snap_geometry(wp_snapper *s, const unsigned char *wkb, size_t len,
                     double max_km, wp_snap *out) {
    memset(out, 0, sizeof *out);
    out->seg = -1;
    out->access_km = HUGE_VAL;
    if (s->n->n_segs == 0) return 0;
    GEOSContextHandle_t h = s->g->geos;
    GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
    GEOSGeometry *g0 = rd ? GEOSWKBReader_read_r(h, rd, wkb, len) : NULL;
    if (rd) GEOSWKBReader_destroy_r(h, rd);
    if (!g0) return -1;
    GEOSGeometry *gp = GEOSGeom_transformXY_r(h, g0, plane_xy, s);
    GEOSGeom_destroy_r(h, g0);
    if (!gp) return -1;
    query q = {s, 0, 0, gp, 0};
    const void *hit = GEOSSTRtree_nearest_generic_r(h, s->tree, &q, gp, item_distance, &q);
    int rc = -1;
    if (hit && !q.failed) {
        int seg = (int)((intptr_t)hit - 1);
        GEOSGeometry *sg = seg_geom(s, seg);
        GEOSCoordSequence *np = sg ? GEOSNearestPoints_r(h, gp, sg) : NULL;
        if (np) {
            double fx, fy, nx, ny, x0, y0, x1, y1;
            GEOSCoordSeq_getXY_r(h, np, 0, &fx, &fy);
            GEOSCoordSeq_getXY_r(h, np, 1, &nx, &ny);
            seg_plane(s, seg, &x0, &y0, &x1, &y1);
            rc = finish(s, seg, seg_param(x0, y0, x1, y1, nx, ny), fx / s->kx, fy / s->ky,
                        max_km, out);
            GEOSCoordSeq_destroy_r(h, np);
        }
        if (sg) GEOSGeom_destroy_r(h, sg);
    }
    GEOSGeom_destroy_r(h, gp);
    return rc;
}
