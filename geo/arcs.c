/*
** arcs.c — candidate arcs (see arcs.h): for each source, every sink that
** accepts its material with a positive limit and lies within the material's
** road haul limit.
**
** The work is split in two so that a road network can replace the
** geodesic estimate without touching the search:
**
**  1. Candidate search, per source. Per material, the accepting sinks are
**     filed in a lon/lat grid (spatial_grid.c) by their box. The source's
**     search box is sized from a lower bound on kilometres per degree, so it
**     holds every point within the search radius: a geodesic of length s
**     changes latitude by at most s / 110.57 km (the shortest meridian
**     degree, at the equator) and, staying within that latitude band,
**     longitude by at most s / (111.32 km * cos |lat|max) (a parallel's
**     radius is N cos(lat) >= a cos(lat)). Point sinks that survive the box
**     go through a cheap spherical pre-filter (chord length between unit
**     vectors, no trigonometry), loose by 1 % because the sphere and the
**     ellipsoid disagree by at most 0.56 %.
**
**  2. Distance, per source, for the batch of surviving sinks
**     (distance_one_to_many): today geodesic km x detour, to the sink's point
**     or to the nearest point of its line or polygon. A network distance
**     would be a one-to-many shortest-path search here; since no road is
**     shorter than the geodesic, the search radius for it is simply the
**     haul limit (search_radius_km).
**
** Lines and polygons (road projects, mine outlines) are read from WKB once
** per sink into a local azimuthal equidistant plane centred on the sink, where
** GEOS finds the nearest point to a source; that point is taken back to
** lon/lat and its geodesic distance used. Arcs come out ordered by source,
** then sink index, whatever the grid's order.
*/
#include "arcs.h"
#include "spatial_grid.h"

#include <geodesic.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* Lower bounds, km per degree (see the header comment), rounded down. */
#define KM_PER_DEG_LAT_MIN 110.5
#define KM_PER_DEG_LON_EQ_MIN 111.3
/* Mean earth radius for the spherical pre-filter, and its slack. */
#define SPHERE_KM 6371.0088
#define PREFILTER_SLACK 1.01
/* A search radius this large reaches (nearly) everywhere: search the world. */
#define WORLD_KM 10000.0
/* Beyond this |latitude| the longitude bound degenerates: search all longitudes. */
#define POLAR_LAT 89.0

#define DEG2RAD (3.14159265358979323846 / 180.0)

enum { SHAPE_NONE = 0, SHAPE_POINT, SHAPE_GEOM };

/* What the search and the distance need to know about one sink, prepared
** once. Geometry sinks own a PROJ transform and GEOS objects. */
typedef struct {
    int kind;                 /* SHAPE_*: NONE for sinks nobody can use */
    double ux, uy, uz;        /* unit vector of a point sink, for the pre-filter */
    wp_bbox box;              /* what the grid files */
    PJ *pj;                   /* lon/lat -> local aeqd metres */
    int in_rad, out_rad;      /* pj takes / gives radians rather than degrees */
    GEOSGeometry *geom;       /* in the local plane */
    const GEOSPreparedGeometry *prep;
} sink_shape;

/* The accepting sinks of one material and their grid. */
typedef struct {
    int built;
    int n;
    int *sink;                /* sink indices, ascending */
    wp_grid grid;             /* items are positions in sink[] */
    double radius_km;         /* geodesic search radius */
    double chord2_max;        /* pre-filter: squared chord on the unit sphere */
} mat_index;

typedef struct {
    wp_geo *g;
    wp_model *m;
    const wp_distance *d;
    struct geod_geodesic geod;
    sink_shape *shape;        /* one per sink */
    GEOSWKBReader *wkb;
    char *err;
    int errlen;
} arc_ctx;

/* Record an error message (printf-style) for the caller; always -1. */
static int fail(arc_ctx *c, const char *fmt, ...) {
    if (c->err && c->errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, (size_t)c->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Geodesic km, computed exactly as wp_geodesic_km does (same ellipsoid,
** same call), so that callers comparing against it see identical values. */
static double geod_km(const struct geod_geodesic *geod, double lon1,
                      double lat1, double lon2, double lat2) {
    double s12 = 0.0;
    geod_inverse(geod, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12 / 1000.0;
}

/* Longitude brought into [-180, 180). */
static double norm_lon(double lon) {
    if (lon >= -180.0 && lon < 180.0) return lon;
    double r = fmod(lon + 180.0, 360.0);
    if (r < 0) r += 360.0;
    return r - 180.0;
}

static void unit_vector(double lon, double lat, double *x, double *y, double *z) {
    double cl = cos(lat * DEG2RAD);
    *x = cl * cos(lon * DEG2RAD);
    *y = cl * sin(lon * DEG2RAD);
    *z = sin(lat * DEG2RAD);
}

/* Geodesic radius within which a sink may be within max_haul_km by road. */
static double search_radius_km(const wp_distance *d, double max_haul_km) {
    double r;
    switch (d->kind) {
    case WP_DIST_GEODESIC:
        r = max_haul_km / d->detour;
        break;
    default:
        r = max_haul_km;      /* no road is shorter than the geodesic */
        break;
    }
    /* A hair more, so that road = geodesic * detour <= limit never fails
    ** the search on the last bit of rounding. */
    return r * (1.0 + 1e-9) + 1e-9;
}

/* A box holding every point within r_km (geodesic) of (lon, lat); see the
** header comment for the bounds. Longitudes may run past +-180. */
static wp_bbox search_box(double lon, double lat, double r_km) {
    wp_bbox b = { -180.0, -90.0, 180.0, 90.0 };
    if (!(r_km < WORLD_KM)) return b;
    double dlat = r_km / KM_PER_DEG_LAT_MIN;
    b.lat_lo = lat - dlat;
    b.lat_hi = lat + dlat;
    double phimax = fmax(fabs(b.lat_lo), fabs(b.lat_hi));
    if (phimax >= POLAR_LAT) return b;
    double dlon = r_km / (KM_PER_DEG_LON_EQ_MIN * cos(phimax * DEG2RAD));
    if (dlon >= 180.0) return b;
    lon = norm_lon(lon);
    b.lon_lo = lon - dlon;
    b.lon_hi = lon + dlon;
    return b;
}

/* ---- local plane of a geometry sink ------------------------------------ */

/* lon/lat degrees -> plane metres, in place. 0 or -1. */
static int to_plane(const sink_shape *sh, double *x, double *y) {
    PJ_COORD a = proj_coord(sh->in_rad ? proj_torad(*x) : *x,
                            sh->in_rad ? proj_torad(*y) : *y, 0, 0);
    PJ_COORD b = proj_trans(sh->pj, PJ_FWD, a);
    if (!isfinite(b.xy.x) || !isfinite(b.xy.y) || b.xy.x == HUGE_VAL) return -1;
    *x = b.xy.x;
    *y = b.xy.y;
    return 0;
}

/* Plane metres -> lon/lat degrees, in place. 0 or -1. */
static int from_plane(const sink_shape *sh, double *x, double *y) {
    PJ_COORD b = proj_trans(sh->pj, PJ_INV, proj_coord(*x, *y, 0, 0));
    if (!isfinite(b.lp.lam) || !isfinite(b.lp.phi) || b.lp.lam == HUGE_VAL)
        return -1;
    *x = sh->out_rad ? proj_todeg(b.lp.lam) : b.lp.lam;
    *y = sh->out_rad ? proj_todeg(b.lp.phi) : b.lp.phi;
    return 0;
}

/* GEOSGeom_transformXY callback: 1 on success as GEOS expects. */
static int transform_cb(double *x, double *y, void *userdata) {
    return to_plane(userdata, x, y) == 0;
}

/* Describe a GEOS failure: its last message, or a generic phrase. */
static const char *geos_why(const arc_ctx *c) {
    return c->g->geos_msg[0] ? c->g->geos_msg : "GEOS reported an error";
}

/* Prepare a sink that has WKB: points stay points (at the model's
** representative lon/lat); anything else becomes a GEOS geometry in a
** local aeqd plane centred on its box, plus a prepared geometry for fast
** repeated nearest-point and intersection tests. 0 or -1. */
static int prepare_geometry(arc_ctx *c, int k) {
    GEOSContextHandle_t h = c->g->geos;
    const wp_sink *s = &c->m->sinks[k];
    sink_shape *sh = &c->shape[k];

    c->g->geos_msg[0] = '\0';
    GEOSGeometry *ll = GEOSWKBReader_read_r(h, c->wkb, s->wkb, s->wkb_len);
    if (!ll)
        return fail(c, "sink %s (%s): its geometry cannot be read (%s); "
                    "re-export the layer with valid geometries",
                    s->id, s->name, geos_why(c));
    int type = GEOSGeomTypeId_r(h, ll);
    if (type == GEOS_POINT || GEOSisEmpty_r(h, ll) == 1) {
        GEOSGeom_destroy_r(h, ll);
        sh->kind = SHAPE_POINT;
        return 0;
    }
    double x0, x1, y0, y1;
    if (!GEOSGeom_getXMin_r(h, ll, &x0) || !GEOSGeom_getXMax_r(h, ll, &x1) ||
        !GEOSGeom_getYMin_r(h, ll, &y0) || !GEOSGeom_getYMax_r(h, ll, &y1)) {
        GEOSGeom_destroy_r(h, ll);
        return fail(c, "sink %s (%s): cannot take the extent of its geometry (%s)",
                    s->id, s->name, geos_why(c));
    }
    if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1) ||
        y0 < -90.0 || y1 > 90.0 || x0 < -540.0 || x1 > 540.0) {
        GEOSGeom_destroy_r(h, ll);
        return fail(c, "sink %s (%s): geometry coordinates (%g..%g, %g..%g) "
                    "are not longitude/latitude degrees", s->id, s->name,
                    x0, x1, y0, y1);
    }

    char def[200];
    snprintf(def, sizeof def,
             "+proj=aeqd +lat_0=%.12g +lon_0=%.12g +datum=WGS84 +units=m +no_defs",
             (y0 + y1) / 2.0, norm_lon((x0 + x1) / 2.0));
    sh->pj = proj_create(c->g->proj, def);
    if (!sh->pj) {
        GEOSGeom_destroy_r(h, ll);
        return fail(c, "sink %s (%s): cannot set up a local projection: %s",
                    s->id, s->name,
                    proj_context_errno_string(c->g->proj,
                                              proj_context_errno(c->g->proj)));
    }
    sh->in_rad = proj_angular_input(sh->pj, PJ_FWD);
    sh->out_rad = proj_angular_output(sh->pj, PJ_INV);

    sh->geom = GEOSGeom_transformXY_r(h, ll, transform_cb, sh);
    GEOSGeom_destroy_r(h, ll);
    if (!sh->geom)
        return fail(c, "sink %s (%s): cannot project its geometry to a local "
                    "plane (%s)", s->id, s->name, geos_why(c));
    sh->prep = GEOSPrepare_r(h, sh->geom);
    if (!sh->prep)
        return fail(c, "sink %s (%s): cannot prepare its geometry (%s)",
                    s->id, s->name, geos_why(c));
    sh->kind = SHAPE_GEOM;

    /* The box is of the vertices; an edge, straight in the plane, may bow a
    ** little outside it in lon/lat (about L^2 tan(lat) / 8R for an edge of
    ** length L), so widen it generously. A box wider than half the world is
    ** taken as crossing the antimeridian: all longitudes. */
    double margin = 0.01 + 0.05 * fmax(x1 - x0, y1 - y0);
    if (x1 - x0 > 180.0) {
        sh->box.lon_lo = -180.0;
        sh->box.lon_hi = 180.0;
    } else {
        double shift = norm_lon(x0) - x0;
        sh->box.lon_lo = x0 + shift - margin;
        sh->box.lon_hi = x1 + shift + margin;
        if (sh->box.lon_hi > 180.0) {     /* runs past the antimeridian */
            sh->box.lon_lo = -180.0;
            sh->box.lon_hi = 180.0;
        }
    }
    sh->box.lat_lo = y0 - margin;
    sh->box.lat_hi = y1 + margin;
    return 0;
}

/* Prepare sink k's shape (point or geometry). 0 or -1. */
static int prepare_sink(arc_ctx *c, int k) {
    const wp_sink *s = &c->m->sinks[k];
    sink_shape *sh = &c->shape[k];

    if (s->wkb && s->wkb_len > 0) {
        if (prepare_geometry(c, k) < 0) return -1;
        if (sh->kind == SHAPE_GEOM) return 0;
    }
    if (!isfinite(s->lon) || !isfinite(s->lat) || s->lat < -90.0 || s->lat > 90.0)
        return fail(c, "sink %s (%s): location (%g, %g) is not a valid "
                    "longitude/latitude", s->id, s->name, s->lon, s->lat);
    sh->kind = SHAPE_POINT;
    unit_vector(s->lon, s->lat, &sh->ux, &sh->uy, &sh->uz);
    sh->box.lon_lo = sh->box.lon_hi = norm_lon(s->lon);
    sh->box.lat_lo = sh->box.lat_hi = s->lat;
    return 0;
}

static void free_shape(arc_ctx *c, sink_shape *sh) {
    if (sh->prep) GEOSPreparedGeom_destroy_r(c->g->geos, sh->prep);
    if (sh->geom) GEOSGeom_destroy_r(c->g->geos, sh->geom);
    if (sh->pj) proj_destroy(sh->pj);
    memset(sh, 0, sizeof *sh);
}

/* ---- distance ------------------------------------------------------------ */

/* Nearest point of geometry sink k to (lon, lat), and the geodesic km to it;
** 0 km (and the source's own position) when the source is on or inside the
** geometry. 0 or -1. */
static int nearest_point(arc_ctx *c, int k, double lon, double lat,
                         double *nlon, double *nlat, double *km) {
    GEOSContextHandle_t h = c->g->geos;
    const sink_shape *sh = &c->shape[k];
    const wp_sink *s = &c->m->sinks[k];
    double x = lon, y = lat;

    if (to_plane(sh, &x, &y) < 0)
        return fail(c, "sink %s (%s): cannot project (%g, %g) into its local "
                    "plane", s->id, s->name, lon, lat);
    c->g->geos_msg[0] = '\0';
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
    if (!pt) return fail(c, "sink %s (%s): %s", s->id, s->name, geos_why(c));
    char inside = GEOSPreparedIntersects_r(h, sh->prep, pt);
    if (inside == 2) {
        GEOSGeom_destroy_r(h, pt);
        return fail(c, "sink %s (%s): cannot test its geometry against a "
                    "source (%s); check that the geometry is valid",
                    s->id, s->name, geos_why(c));
    }
    if (inside) {
        GEOSGeom_destroy_r(h, pt);
        *nlon = lon;
        *nlat = lat;
        *km = 0.0;
        return 0;
    }
    /* The first point of the pair lies on the prepared geometry. */
    GEOSCoordSequence *cs = GEOSPreparedNearestPoints_r(h, sh->prep, pt);
    GEOSGeom_destroy_r(h, pt);
    double px = 0, py = 0;
    int ok = cs && GEOSCoordSeq_getXY_r(h, cs, 0, &px, &py);
    if (cs) GEOSCoordSeq_destroy_r(h, cs);
    if (!ok)
        return fail(c, "sink %s (%s): cannot find the nearest point of its "
                    "geometry (%s)", s->id, s->name, geos_why(c));
    if (from_plane(sh, &px, &py) < 0)
        return fail(c, "sink %s (%s): cannot project a point back from its "
                    "local plane", s->id, s->name);
    *nlon = px;
    *nlat = py;
    *km = geod_km(&c->geod, lon, lat, px, py);
    return 0;
}

/* Geodesic x detour from source src to each of the n sinks in sinks[]. */
static int geodesic_one_to_many(arc_ctx *c, int src, const int *sinks, int n,
                                double *road_km, double *to_lon, double *to_lat) {
    const wp_source *s = &c->m->sources[src];
    for (int i = 0; i < n; i++) {
        int k = sinks[i];
        const wp_sink *t = &c->m->sinks[k];
        double km = 0.0;
        if (c->shape[k].kind == SHAPE_GEOM) {
            if (nearest_point(c, k, s->lon, s->lat, &to_lon[i], &to_lat[i], &km) < 0)
                return -1;
        } else {
            km = geod_km(&c->geod, s->lon, s->lat, t->lon, t->lat);
            to_lon[i] = t->lon;
            to_lat[i] = t->lat;
        }
        road_km[i] = km * c->d->detour;
    }
    return 0;
}

/* The distance interface: road km and delivery point from source src to
** each of the n sinks (ascending indices). One source to many sinks is the
** batch a network search wants (one shortest-path tree per source). */
static int distance_one_to_many(arc_ctx *c, int src, const int *sinks, int n,
                                double *road_km, double *to_lon, double *to_lat) {
    switch (c->d->kind) {
    case WP_DIST_GEODESIC:
        return geodesic_one_to_many(c, src, sinks, n, road_km, to_lon, to_lat);
    }
    return fail(c, "unknown distance kind %d", (int)c->d->kind);
}

/* ---- per-material index ---------------------------------------------------- */

/* File the sinks accepting material mat with a positive limit in a grid
** with cells about the search radius wide. 0 or -1. */
static int build_index(arc_ctx *c, int mat, mat_index *mi) {
    const wp_model *m = c->m;
    wp_bbox *boxes = NULL;

    mi->built = 1;
    mi->radius_km = search_radius_km(c->d, m->materials.m[mat].max_haul_km);
    mi->sink = malloc((size_t)(m->n_sinks > 0 ? m->n_sinks : 1) * sizeof *mi->sink);
    boxes = malloc((size_t)(m->n_sinks > 0 ? m->n_sinks : 1) * sizeof *boxes);
    if (!mi->sink || !boxes) {
        free(boxes);
        return fail(c, "out of memory building the sink index");
    }
    double maxlat = 0.0;
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        if (!((s->accepts >> mat) & 1u) || !(s->cap_t[mat] > 0.0)) continue;
        if (c->shape[k].kind == SHAPE_NONE) continue;   /* not prepared: unusable */
        boxes[mi->n] = c->shape[k].box;
        maxlat = fmax(maxlat, fmax(fabs(boxes[mi->n].lat_lo), fabs(boxes[mi->n].lat_hi)));
        mi->sink[mi->n++] = k;
    }

    /* Cells about one search radius square; longitudes scaled to the
    ** poleward edge. Correctness does not depend on the cell size, only
    ** the work per query does. */
    double r = mi->radius_km;
    double cell_lat = r < WORLD_KM ? fmax(r / KM_PER_DEG_LAT_MIN, 0.01) : 180.0;
    double cell_lon = cell_lat / cos(fmin(maxlat, 80.0) * DEG2RAD);
    int rc = wp_grid_build(&mi->grid, boxes, mi->n, cell_lon, cell_lat);
    free(boxes);
    if (rc < 0) return fail(c, "out of memory building the sink grid");

    /* Pre-filter threshold: the chord of the spherical angle r*slack/R. */
    double theta = r * PREFILTER_SLACK / SPHERE_KM;
    if (theta >= 3.14159265358979323846) {
        mi->chord2_max = 5.0;                   /* > 4: everything passes */
    } else {
        double ch = 2.0 * sin(theta / 2.0);
        mi->chord2_max = ch * ch;
    }
    return 0;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* ---- driver ---------------------------------------------------------------- */

/* Check the inputs that would make the search meaningless; fills *used with
** the materials some source supplies. 0 or -1. */
static int check_inputs(arc_ctx *c, unsigned *used) {
    const wp_model *m = c->m;
    *used = 0;
    if (c->d->kind != WP_DIST_GEODESIC)
        return fail(c, "unknown distance kind %d", (int)c->d->kind);
    if (!isfinite(c->d->detour) || c->d->detour < 1.0)
        return fail(c, "detour %g is not valid: it is road km per straight-line "
                    "km and must be a number >= 1 (typically 1.2-1.5)",
                    c->d->detour);
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        if (s->material < 0 || s->material >= m->materials.count)
            return fail(c, "source %s (%s): material index %d is not a known "
                        "material", s->id, s->name, s->material);
        if (!isfinite(s->lon) || !isfinite(s->lat) || s->lat < -90.0 || s->lat > 90.0)
            return fail(c, "source %s (%s): location (%g, %g) is not a valid "
                        "longitude/latitude", s->id, s->name, s->lon, s->lat);
        *used |= 1u << s->material;
    }
    for (int j = 0; j < m->materials.count; j++) {
        const wp_material *mt = &m->materials.m[j];
        if ((*used >> j) & 1u) {
            if (isnan(mt->max_haul_km) || mt->max_haul_km < 0.0)
                return fail(c, "material %s: max_haul_km %g must be a "
                            "non-negative number of km", mt->id, mt->max_haul_km);
        }
    }
    return 0;
}

/* Find, measure and append the arcs of source i. Scratch buffers hold at
** least n_sinks entries. 0 or -1. */
static int arcs_of_source(arc_ctx *c, int i, mat_index *mi, wp_idlist *cand,
                          int *batch, double *km, double *tlon, double *tlat,
                          size_t *n_cand, size_t *n_pass) {
    wp_model *m = c->m;
    const wp_source *s = &m->sources[i];
    double limit = m->materials.m[s->material].max_haul_km;

    cand->n = 0;
    wp_bbox q = search_box(s->lon, s->lat, mi->radius_km);
    if (wp_grid_query(&mi->grid, &q, cand) < 0)
        return fail(c, "out of memory searching the sink grid");
    *n_cand += (size_t)cand->n;

    /* Spherical pre-filter for point sinks; line and polygon sinks were
    ** already narrowed by their boxes and are measured directly. */
    double sx, sy, sz;
    unit_vector(s->lon, s->lat, &sx, &sy, &sz);
    int nb = 0;
    for (int j = 0; j < cand->n; j++) {
        int k = mi->sink[cand->v[j]];
        const sink_shape *sh = &c->shape[k];
        if (sh->kind == SHAPE_POINT) {
            double dx = sx - sh->ux, dy = sy - sh->uy, dz = sz - sh->uz;
            if (dx * dx + dy * dy + dz * dz > mi->chord2_max) continue;
        }
        cand->v[nb++] = cand->v[j];
    }
    /* Grid items are positions in mi->sink[], which is ascending, so
    ** sorting positions sorts sinks: arcs come out in sink order. */
    if (nb > 1) qsort(cand->v, (size_t)nb, sizeof *cand->v, cmp_int);
    for (int j = 0; j < nb; j++) batch[j] = mi->sink[cand->v[j]];
    *n_pass += (size_t)nb;

    if (distance_one_to_many(c, i, batch, nb, km, tlon, tlat) < 0) return -1;
    for (int j = 0; j < nb; j++) {
        if (!(km[j] <= limit)) continue;
        wp_arc a = { i, batch[j], km[j], tlon[j], tlat[j] };
        if (wp_model_add_arc(m, &a) < 0)
            return fail(c, "out of memory storing candidate arcs (%zu so far)",
                        m->n_arcs);
    }
    return 0;
}

int wp_build_arcs(wp_geo *g, const wp_distance *d, wp_model *m,
                  char *err, int errlen) {
    arc_ctx c;
    wp_distance dflt;
    mat_index idx[WP_MAX_MATERIALS];
    wp_idlist cand = { 0, 0, NULL };
    int *batch = NULL;
    double *km = NULL, *tlon = NULL, *tlat = NULL;
    size_t n_cand = 0, n_pass = 0;
    unsigned used = 0;
    int rc = -1;

    if (err && errlen > 0) err[0] = '\0';
    if (!d) {        /* no explicit choice: geodesic with the model's detour */
        dflt.kind = WP_DIST_GEODESIC;
        dflt.detour = m->detour;
        d = &dflt;
    }
    memset(&c, 0, sizeof c);
    memset(idx, 0, sizeof idx);
    c.g = g;
    c.m = m;
    c.d = d;
    c.err = err;
    c.errlen = errlen;
    geod_init(&c.geod, WGS84_A, WGS84_F);
    m->n_arcs = 0;

    if (check_inputs(&c, &used) < 0) return -1;

    size_t ns = (size_t)(m->n_sinks > 0 ? m->n_sinks : 1);
    c.shape = calloc(ns, sizeof *c.shape);
    batch = malloc(ns * sizeof *batch);
    km = malloc(ns * sizeof *km);
    tlon = malloc(ns * sizeof *tlon);
    tlat = malloc(ns * sizeof *tlat);
    c.wkb = GEOSWKBReader_create_r(g->geos);
    if (!c.shape || !batch || !km || !tlon || !tlat) {
        fail(&c, "out of memory preparing %d sinks", m->n_sinks);
        goto done;
    }
    if (!c.wkb) {
        fail(&c, "cannot create a GEOS WKB reader (%s)", geos_why(&c));
        goto done;
    }

    /* Prepare only the sinks some source could use. */
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        unsigned usable = 0;
        for (int j = 0; j < m->materials.count; j++)
            if ((((used & s->accepts) >> j) & 1u) && s->cap_t[j] > 0.0)
                usable = 1;
        if (usable && prepare_sink(&c, k) < 0) goto done;
    }

    int step = m->n_sources >= 1000 ? (m->n_sources + 9) / 10 : 0;
    for (int i = 0; i < m->n_sources; i++) {
        mat_index *mi = &idx[m->sources[i].material];
        if (!mi->built && build_index(&c, m->sources[i].material, mi) < 0)
            goto done;
        if (mi->n > 0 && arcs_of_source(&c, i, mi, &cand, batch, km, tlon, tlat,
                                        &n_cand, &n_pass) < 0)
            goto done;
        if (g->verbose && step > 0 && (i + 1) % step == 0 && i + 1 < m->n_sources)
            fprintf(stderr, "arcs: %d%% of %d sources, %zu arcs so far\n",
                    (int)(100.0 * (i + 1) / m->n_sources), m->n_sources, m->n_arcs);
    }
    if (g->verbose)
        fprintf(stderr, "arcs: %zu arcs from %d sources to %d sinks "
                "(%zu pairs in search boxes, %zu measured)\n",
                m->n_arcs, m->n_sources, m->n_sinks, n_cand, n_pass);
    rc = 0;

done:
    if (rc < 0) m->n_arcs = 0;
    for (int j = 0; j < WP_MAX_MATERIALS; j++) {
        free(idx[j].sink);
        if (idx[j].built) wp_grid_free(&idx[j].grid);
    }
    if (c.shape)
        for (int k = 0; k < m->n_sinks; k++) free_shape(&c, &c.shape[k]);
    free(c.shape);
    if (c.wkb) GEOSWKBReader_destroy_r(g->geos, c.wkb);
    wp_idlist_free(&cand);
    free(batch);
    free(km);
    free(tlon);
    free(tlat);
    return rc;
}
