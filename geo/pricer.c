/*
** pricer.c — candidate search, initial arcs and column-generation pricing
** (see pricer.h). This is the one place where (source, sink) pairs are found
** and measured; wp_build_arcs (arcs.c) is the "every arc" job of it.
**
** Search. Per material, the sinks that accept it with a positive limit are
** filed in a lon/lat grid (spatial_grid.c) by their box. A source's search
** box is sized from a lower bound on kilometres per degree, so it holds every
** point within the search radius: a geodesic of length s changes latitude
** by at most s / 110.57 km (the shortest meridian degree, at the equator)
** and, staying within that latitude band, longitude by at most
** s / (111.32 km * cos |lat|max) (a parallel's radius is N cos(lat) >=
** a cos(lat)). Since no road is shorter than the geodesic, the radius for a
** network distance would simply be the haul limit (search_radius_km).
**
** Distance. Road km = geodesic km x detour, to the sink's point or to the
** nearest point of its line or polygon. Lines and polygons are read from WKB
** into a local azimuthal equidistant plane centred on the sink, where GEOS
** finds the nearest point to a source; that point is taken back to lon/lat
** and its geodesic distance used.
**
** Lower bound. Every pair met in a search box first gets a cheap lower
** bound on its road distance; a pair is measured exactly only if the bound
** can neither rule it out of reach nor (when pricing) out of a negative
** reduced cost. The bound must never exceed the exact distance, or a
** priced-out arc could be missed and "no arc prices out" would prove
** nothing. The argument:
**
**   On the ellipsoid, ds^2 = M^2 dphi^2 + N^2 cos^2(phi) dlambda^2, where M
**   (meridional) and N (prime vertical) are the radii of curvature; N >= M
**   and M(phi) = a (1 - e^2) / (1 - e^2 sin^2 phi)^1.5 grows with |phi|,
**   from b^2 / a = 6335.439 km at the equator to 6399.6 km at the poles. The
**   Gauss map (a point to its unit normal, i.e. to the unit vector of its
**   geodetic lon/lat) takes the arc element to dsigma^2 = dphi^2 +
**   cos^2(phi) dlambda^2 on the unit sphere, so ds >= M(phi) dsigma. The
**   geodesic from P to Q maps to a curve on the unit sphere from n(P) to
**   n(Q), at least as long as the great-circle angle between them, which is
**   at least the chord |n(P) - n(Q)|. Hence  s >= M_lo x chord, with M_lo
**   the least M along the geodesic: M(0) in general, and M(min(|phi_P|,
**   |phi_Q|)) when P and Q are in the same hemisphere and the chord is
**   below 1 (60 degrees). Reason for the latter: a geodesic's latitude has
**   its extremes only at its vertices, alternately north and south, so a
**   stretch whose |latitude| dipped below both ends' would cross the
**   equator twice, and consecutive equator crossings are about half the
**   globe (> 19,000 km) apart, while a chord below 1 means s < 6399.6 km x
**   60 degrees = 6,700 km. The latitude-dependent M_lo brings the bound
**   within 0.5 % of the truth everywhere instead of 1 % near the poles.
**
**   Rounding: the unit vectors are within a few ulp (1e-15) of the truth,
**   so the computed chord is within 1e-14 of the true one; Karney's inverse
**   geodesic is accurate to about 15 nm. The bound subtracts CHORD_MARGIN
**   (1e-12, 100 times the chord error) from the chord and KM_MARGIN (1 mm,
**   10^5 times the geodesic error) from the result, and scales M_lo by
**   (1 - 1e-9), far more than the relative rounding of M and the products.
**   Multiplying both the bound and the geodesic by the same detour keeps
**   the order (IEEE rounding is monotone), as does the cost handling + rate
**   x km for rate >= 0 (both through wp_arc_cost_per_t), division by the
**   cost unit, and floor(x) <= llround(y) for x <= y.
**
**   Line and polygon sinks: the exact distance is to a point of the sink's
**   geometry, and that point lies in the sink's box (the same box the grid
**   files it under, so a sink outside it would be missed by the search
**   itself; the box is widened for edges bowing out of the vertex box). The
**   bound is therefore the smallest chord from n(P) to the box's image on
**   the unit sphere (box_chord), with M_lo from the box's latitude nearest
**   the equator, less the same margins.
**
** Threads. Sources are split into contiguous blocks, one per thread; each
** thread has its own GEOS handle, PROJ context, prepared geometries and
** grids (none of these may be shared between threads), and collects its
** arcs in its own buffer (the first thread straight into the model). The
** buffers are concatenated in block order, so the arcs never depend on
** timing. The membership set is only read during a job and only written
** between jobs.
*/
#include "pricer.h"
#include "spatial_grid.h"

#include <geodesic.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* Lower bounds, km per degree (see the header comment), rounded down. */
#define KM_PER_DEG_LAT_MIN 110.5
#define KM_PER_DEG_LON_EQ_MIN 111.3
#define CHORD_MARGIN 1e-12
#define KM_MARGIN 1e-6
/* A search radius this large reaches (nearly) everywhere: search the world. */
#define WORLD_KM 10000.0
/* Beyond this |latitude| the longitude bound degenerates: search all longitudes. */
#define POLAR_LAT 89.0
/* Integer costs at or beyond this are not representable by the solver. */
#define COST_UNITS_HUGE 1e18

#define PI 3.14159265358979323846
#define DEG2RAD (PI / 180.0)

enum { SHAPE_NONE = 0, SHAPE_POINT, SHAPE_GEOM };
enum { JOB_ALL = 0, JOB_INITIAL, JOB_PRICE };

/* What the search needs to know about one sink, shared by all threads. */
typedef struct {
    int kind;                 /* SHAPE_*: NONE for sinks no source can use */
    int geom;                 /* index of its geometry in each worker, or -1 */
    double u[3];              /* unit vector of a point sink */
    wp_bbox box;              /* what the grid files */
    int hemi;                 /* +1 / -1: wholly north / south of the equator, else 0 */
    double m_lo;              /* least meridional radius over it, km (scaled down) */
} sink_info;

/* A line or polygon sink in one worker's local plane. */
typedef struct {
    PJ *pj;                   /* lon/lat -> local aeqd metres */
    int in_rad, out_rad;      /* pj takes / gives radians rather than degrees */
    GEOSGeometry *geom;       /* in the local plane */
    const GEOSPreparedGeometry *prep;
} geom_shape;

/* The sinks accepting one material with a positive limit. */
typedef struct {
    int n;
    int *sink;                /* sink indices, ascending; grid items are positions */
    double radius_km;         /* geodesic search radius */
    double cell_lon, cell_lat;
    int64_t *dest;            /* per position: this round's sink potential */
    int cost_bound_ok;        /* the cost is non-decreasing in km (rate >= 0) */
} mat_index;

/* One measured (or bounded) pair while a source is processed. */
typedef struct {
    int sink;
    int64_t rc;               /* reduced cost, integer units (pricing) */
    double key;               /* lower bound (nearest search) */
    double km, tlon, tlat;
} cand;

typedef struct {
    double lon, lat;          /* degrees, lon in [-180, 180) */
    double u[3];
    int hemi;                 /* as for sinks */
    double m_lo;
} src_pos;

typedef struct {
    struct wp_geo_pricer *p;
    int ready;
    GEOSContextHandle_t geos;
    PJ_CONTEXT *proj;
    GEOSWKBReader *wkb;
    char geos_msg[256];
    struct geod_geodesic geod;
    geom_shape *geom;         /* p->n_geom of them once ready */
    wp_grid grid[WP_MAX_MATERIALS];
    int grid_built[WP_MAX_MATERIALS];
    wp_idlist hits;
    cand *c, *best;
    size_t cap_c, cap_best;
    /* the current job */
    int lo, hi;
    wp_model *direct;         /* append straight to this model, or ... */
    wp_arc *out;              /* ... collect here */
    size_t n_out, cap_out;
    wp_pricer_stats st;
    int failed;
    char err[256];
} worker;

struct wp_geo_pricer {
    const wp_model *m;
    wp_distance d;
    double m_equator;         /* meridional_km(0) */
    int threads;
    sink_info *sink;
    int n_geom;
    int *geom_sink;           /* sink index of each geometry */
    mat_index mat[WP_MAX_MATERIALS];
    worker w[WP_PRICER_MAX_THREADS];
    /* arcs present in the model: open addressing on (src << 32 | sink) */
    uint64_t *set;
    size_t set_cap, set_n;    /* set_cap = 2^set_bits, or 0 */
    int set_bits;
    int synced;
    size_t synced_arcs;       /* m->n_arcs when the set last matched it */
    /* the current job */
    int job, limit, use_set;
    const wp_duals *duals;
    wp_model *jm;
    wp_pricer iface;
    wp_pricer_stats st;
};

/* Record a printf-style message in err; always -1. */
static int set_err(char *err, int errlen, const char *fmt, ...) {
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, (size_t)errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A worker's failure: its message, for the job's caller. Always -1. */
static int wfail(worker *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    w->failed = 1;
    return -1;
}

static const char *geos_why(const worker *w) {
    return w->geos_msg[0] ? w->geos_msg : "GEOS reported an error";
}

/* GEOS message handler: keep the last message in the worker. */
static void geos_message(const char *msg, void *userdata) {
    worker *w = userdata;
    snprintf(w->geos_msg, sizeof w->geos_msg, "%s", msg ? msg : "");
}

/* ---- geometry helpers ------------------------------------------------------- */

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

static void unit_vector(double lon, double lat, double *u) {
    double cl = cos(lat * DEG2RAD);
    u[0] = cl * cos(lon * DEG2RAD);
    u[1] = cl * sin(lon * DEG2RAD);
    u[2] = sin(lat * DEG2RAD);
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

/* ---- the lower bound (see the header comment) ----------------------------- */

/* Smallest chord on the unit sphere from the source's normal to the image
** of box b (the caller applies the rounding margins). The nearest
** longitude of the box is the one of least circular difference dl (for a
** fixed latitude the distance grows with |dl| up to 180 degrees); along that
** meridian, cos(angle) = sin(phi_p) sin(phi) + cos(phi_p) cos(phi) cos(dl)
** peaks at phi* = atan2(sin phi_p, cos phi_p cos dl) and is unimodal, so the
** box's nearest latitude is phi* clamped to the box. When dl >= 90 degrees
** (only near a pole or for enormous hauls) the latitude gap alone is used:
** the angle between two normals is at least their latitude difference. */
static double box_chord(const src_pos *sp, const wp_bbox *b) {
    double lat_lo = fmax(b->lat_lo, -90.0), lat_hi = fmin(b->lat_hi, 90.0);
    double gap = fmax(0.0, fmax(lat_lo - sp->lat, sp->lat - lat_hi)) * DEG2RAD;
    /* gap radians of angle give a chord of 2 sin(gap / 2) */
    double gap_chord = 2.0 * sin(fmin(gap, PI) / 2.0);
    if (b->lon_hi - b->lon_lo >= 360.0) return gap_chord;
    double dl = HUGE_VAL;
    for (int sh = -1; sh <= 1; sh++) {
        double x = sp->lon + 360.0 * sh;
        double d = fmax(0.0, fmax(b->lon_lo - x, x - b->lon_hi));
        if (d < dl) dl = d;
    }
    if (dl == 0.0 || dl >= 90.0 || fabs(sp->lat) >= 90.0) return gap_chord;
    double pp = sp->lat * DEG2RAD, dlr = dl * DEG2RAD;
    double sp_ = sin(pp), cp = cos(pp), cdl = cos(dlr), sdl = sin(dlr);
    double phi = atan2(sp_, cp * cdl);
    phi = fmin(fmax(phi, lat_lo * DEG2RAD), lat_hi * DEG2RAD);
    double sq = sin(phi), cq = cos(phi);
    double dx = cp - cq * cdl, dy = cq * sdl, dz = sp_ - sq;
    return fmax(gap_chord, sqrt(dx * dx + dy * dy + dz * dz));
}

/* Meridional radius of curvature in km at the latitude whose sine is z,
** scaled down by 1e-9 to cover its rounding (see the header comment). */
static double meridional_km(double z) {
    const double e2 = WGS84_F * (2.0 - WGS84_F);
    double w = 1.0 - e2 * z * z;
    return WGS84_A / 1000.0 * (1.0 - e2) / (w * sqrt(w)) * (1.0 - 1e-9);
}

/* Hemisphere and least meridional radius of the latitudes [lo, hi]. */
static void band_curvature(double lo, double hi, int *hemi, double *m_lo) {
    if (lo > 0.0) {
        *hemi = 1;
        *m_lo = meridional_km(sin(fmin(lo, 90.0) * DEG2RAD));
    } else if (hi < 0.0) {
        *hemi = -1;
        *m_lo = meridional_km(sin(fmin(-hi, 90.0) * DEG2RAD));
    } else {
        *hemi = 0;
        *m_lo = meridional_km(0.0);
    }
}

/* Lower bound on the road km from the source at sp to sink k. */
static double road_lower_bound(const struct wp_geo_pricer *p, const src_pos *sp, int k) {
    const sink_info *si = &p->sink[k];
    double chord;
    if (si->geom < 0) {
        double dx = sp->u[0] - si->u[0], dy = sp->u[1] - si->u[1],
               dz = sp->u[2] - si->u[2];
        chord = sqrt(dx * dx + dy * dy + dz * dz);
    } else {
        chord = box_chord(sp, &si->box);
    }
    double r = p->m_equator;
    if (sp->hemi != 0 && sp->hemi == si->hemi && chord < 1.0)
        r = fmin(sp->m_lo, si->m_lo);
    double km = r * (chord - CHORD_MARGIN) - KM_MARGIN;
    if (!(km > 0.0)) return 0.0;
    return p->d.kind == WP_DIST_GEODESIC ? km * p->d.detour : km;
}

static void source_pos(const wp_source *s, src_pos *sp) {
    sp->lon = norm_lon(s->lon);
    sp->lat = s->lat;
    unit_vector(s->lon, s->lat, sp->u);
    band_curvature(s->lat, s->lat, &sp->hemi, &sp->m_lo);
}

/* ---- local plane of a geometry sink ------------------------------------ */

/* lon/lat degrees -> plane metres, in place. 0 or -1. */
static int to_plane(const geom_shape *gs, double *x, double *y) {
    PJ_COORD a = proj_coord(gs->in_rad ? proj_torad(*x) : *x,
                            gs->in_rad ? proj_torad(*y) : *y, 0, 0);
    PJ_COORD b = proj_trans(gs->pj, PJ_FWD, a);
    if (!isfinite(b.xy.x) || !isfinite(b.xy.y) || b.xy.x == HUGE_VAL) return -1;
    *x = b.xy.x;
    *y = b.xy.y;
    return 0;
}

/* Plane metres -> lon/lat degrees, in place. 0 or -1. */
static int from_plane(const geom_shape *gs, double *x, double *y) {
    PJ_COORD b = proj_trans(gs->pj, PJ_INV, proj_coord(*x, *y, 0, 0));
    if (!isfinite(b.lp.lam) || !isfinite(b.lp.phi) || b.lp.lam == HUGE_VAL)
        return -1;
    *x = gs->out_rad ? proj_todeg(b.lp.lam) : b.lp.lam;
    *y = gs->out_rad ? proj_todeg(b.lp.phi) : b.lp.phi;
    return 0;
}

/* GEOSGeom_transformXY callback: 1 on success as GEOS expects. */
static int transform_cb(double *x, double *y, void *userdata) {
    return to_plane(userdata, x, y) == 0;
}

static void free_geom(worker *w, geom_shape *gs) {
    if (gs->prep) GEOSPreparedGeom_destroy_r(w->geos, gs->prep);
    if (gs->geom) GEOSGeom_destroy_r(w->geos, gs->geom);
    if (gs->pj) proj_destroy(gs->pj);
    memset(gs, 0, sizeof *gs);
}

/* Read sink k's WKB in worker w. A point (or empty geometry) sets *is_point
** and stays at the model's representative lon/lat; anything else becomes a
** GEOS geometry in a local aeqd plane centred on its box, prepared for fast
** repeated nearest-point and intersection tests, and *box (if not NULL)
** receives the box to file it under. 0 or -1 (message in w->err). */
static int prepare_geom(worker *w, const wp_sink *s, geom_shape *gs,
                        int *is_point, wp_bbox *box) {
    GEOSContextHandle_t h = w->geos;

    *is_point = 0;
    w->geos_msg[0] = '\0';
    GEOSGeometry *ll = GEOSWKBReader_read_r(h, w->wkb, s->wkb, s->wkb_len);
    if (!ll)
        return wfail(w, "sink %s (%s): its geometry cannot be read (%s); "
                     "re-export the layer with valid geometries",
                     s->id, s->name, geos_why(w));
    int type = GEOSGeomTypeId_r(h, ll);
    if (type == GEOS_POINT || GEOSisEmpty_r(h, ll) == 1) {
        GEOSGeom_destroy_r(h, ll);
        *is_point = 1;
        return 0;
    }
    double x0, x1, y0, y1;
    if (!GEOSGeom_getXMin_r(h, ll, &x0) || !GEOSGeom_getXMax_r(h, ll, &x1) ||
        !GEOSGeom_getYMin_r(h, ll, &y0) || !GEOSGeom_getYMax_r(h, ll, &y1)) {
        GEOSGeom_destroy_r(h, ll);
        return wfail(w, "sink %s (%s): cannot take the extent of its geometry (%s)",
                     s->id, s->name, geos_why(w));
    }
    if (!isfinite(x0) || !isfinite(x1) || !isfinite(y0) || !isfinite(y1) ||
        y0 < -90.0 || y1 > 90.0 || x0 < -540.0 || x1 > 540.0) {
        GEOSGeom_destroy_r(h, ll);
        return wfail(w, "sink %s (%s): geometry coordinates (%g..%g, %g..%g) "
                     "are not longitude/latitude degrees", s->id, s->name,
                     x0, x1, y0, y1);
    }

    char def[200];
    snprintf(def, sizeof def,
             "+proj=aeqd +lat_0=%.12g +lon_0=%.12g +datum=WGS84 +units=m +no_defs",
             (y0 + y1) / 2.0, norm_lon((x0 + x1) / 2.0));
    gs->pj = proj_create(w->proj, def);
    if (!gs->pj) {
        GEOSGeom_destroy_r(h, ll);
        return wfail(w, "sink %s (%s): cannot set up a local projection: %s",
                     s->id, s->name,
                     proj_context_errno_string(w->proj, proj_context_errno(w->proj)));
    }
    gs->in_rad = proj_angular_input(gs->pj, PJ_FWD);
    gs->out_rad = proj_angular_output(gs->pj, PJ_INV);

    gs->geom = GEOSGeom_transformXY_r(h, ll, transform_cb, gs);
    GEOSGeom_destroy_r(h, ll);
    if (!gs->geom)
        return wfail(w, "sink %s (%s): cannot project its geometry to a local "
                     "plane (%s)", s->id, s->name, geos_why(w));
    gs->prep = GEOSPrepare_r(h, gs->geom);
    if (!gs->prep)
        return wfail(w, "sink %s (%s): cannot prepare its geometry (%s)",
                     s->id, s->name, geos_why(w));
    if (!box) return 0;

    /* The box is of the vertices; an edge, straight in the plane, may bow a
    ** little outside it in lon/lat (about L^2 tan(lat) / 8R for an edge of
    ** length L), so widen it generously. A box wider than half the world is
    ** taken as crossing the antimeridian: all longitudes. */
    double margin = 0.01 + 0.05 * fmax(x1 - x0, y1 - y0);
    if (x1 - x0 > 180.0) {
        box->lon_lo = -180.0;
        box->lon_hi = 180.0;
    } else {
        double shift = norm_lon(x0) - x0;
        box->lon_lo = x0 + shift - margin;
        box->lon_hi = x1 + shift + margin;
        if (box->lon_hi > 180.0) {     /* runs past the antimeridian */
            box->lon_lo = -180.0;
            box->lon_hi = 180.0;
        }
    }
    box->lat_lo = y0 - margin;
    box->lat_hi = y1 + margin;
    return 0;
}

/* Nearest point of geometry gi (sink k) to (lon, lat), and the geodesic km
** to it; 0 km (and the source's own position) when the source is on or
** inside the geometry. 0 or -1. */
static int nearest_point(worker *w, int gi, const wp_sink *s, double lon, double lat,
                         double *nlon, double *nlat, double *km) {
    GEOSContextHandle_t h = w->geos;
    const geom_shape *gs = &w->geom[gi];
    double x = lon, y = lat;

    if (to_plane(gs, &x, &y) < 0)
        return wfail(w, "sink %s (%s): cannot project (%g, %g) into its local "
                     "plane", s->id, s->name, lon, lat);
    w->geos_msg[0] = '\0';
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
    if (!pt) return wfail(w, "sink %s (%s): %s", s->id, s->name, geos_why(w));
    char inside = GEOSPreparedIntersects_r(h, gs->prep, pt);
    if (inside == 2) {
        GEOSGeom_destroy_r(h, pt);
        return wfail(w, "sink %s (%s): cannot test its geometry against a "
                     "source (%s); check that the geometry is valid",
                     s->id, s->name, geos_why(w));
    }
    if (inside) {
        GEOSGeom_destroy_r(h, pt);
        *nlon = lon;
        *nlat = lat;
        *km = 0.0;
        return 0;
    }
    /* The first point of the pair lies on the prepared geometry. */
    GEOSCoordSequence *cs = GEOSPreparedNearestPoints_r(h, gs->prep, pt);
    GEOSGeom_destroy_r(h, pt);
    double px = 0, py = 0;
    int ok = cs && GEOSCoordSeq_getXY_r(h, cs, 0, &px, &py);
    if (cs) GEOSCoordSeq_destroy_r(h, cs);
    if (!ok)
        return wfail(w, "sink %s (%s): cannot find the nearest point of its "
                     "geometry (%s)", s->id, s->name, geos_why(w));
    if (from_plane(gs, &px, &py) < 0)
        return wfail(w, "sink %s (%s): cannot project a point back from its "
                     "local plane", s->id, s->name);
    *nlon = px;
    *nlat = py;
    *km = geod_km(&w->geod, lon, lat, px, py);
    return 0;
}

/* The distance every arc uses: road km and delivery point from source src
** to sink k. A road network would replace this (and its search radius)
** with a one-to-many shortest-path search. 0 or -1. */
static int exact_road_km(worker *w, const wp_model *m, int src, int k,
                         double *road_km, double *to_lon, double *to_lat) {
    const struct wp_geo_pricer *p = w->p;
    const wp_source *s = &m->sources[src];
    const wp_sink *t = &m->sinks[k];
    double km = 0.0;
    if (p->sink[k].geom >= 0) {
        if (nearest_point(w, p->sink[k].geom, t, s->lon, s->lat, to_lon, to_lat, &km) < 0)
            return -1;
    } else {
        km = geod_km(&w->geod, s->lon, s->lat, t->lon, t->lat);
        *to_lon = t->lon;
        *to_lat = t->lat;
    }
    *road_km = km * p->d.detour;
    return 0;
}

/* ---- workers ------------------------------------------------------------- */

/* Create worker w's own GEOS and PROJ contexts. 0 or -1 (message in w->err). */
static int worker_open(struct wp_geo_pricer *p, worker *w) {
    w->p = p;
    geod_init(&w->geod, WGS84_A, WGS84_F);
    w->geos = GEOS_init_r();
    if (!w->geos) return wfail(w, "cannot initialise GEOS");
    GEOSContext_setNoticeMessageHandler_r(w->geos, geos_message, w);
    GEOSContext_setErrorMessageHandler_r(w->geos, geos_message, w);
    w->proj = proj_context_create();
    if (!w->proj) return wfail(w, "cannot create a PROJ context");
    w->wkb = GEOSWKBReader_create_r(w->geos);
    if (!w->wkb) return wfail(w, "cannot create a GEOS WKB reader (%s)", geos_why(w));
    return 0;
}

/* Build worker w's grids, one per material with accepting sinks (the grid
** keeps per-query marks, so threads cannot share one). 0 or -1. */
static int worker_grids(struct wp_geo_pricer *p, worker *w) {
    for (int j = 0; j < WP_MAX_MATERIALS; j++) {
        const mat_index *mi = &p->mat[j];
        if (mi->n == 0) continue;
        wp_bbox *boxes = malloc((size_t)mi->n * sizeof *boxes);
        if (!boxes) return wfail(w, "out of memory building the sink grid");
        for (int q = 0; q < mi->n; q++) boxes[q] = p->sink[mi->sink[q]].box;
        int rc = wp_grid_build(&w->grid[j], boxes, mi->n, mi->cell_lon, mi->cell_lat);
        w->grid_built[j] = 1;
        free(boxes);
        if (rc < 0) return wfail(w, "out of memory building the sink grid");
    }
    return 0;
}

/* Make worker w (not the first, which pricer_new sets up) ready: contexts,
** its own copy of every geometry, grids. 0 or -1. */
static int worker_setup(struct wp_geo_pricer *p, worker *w) {
    if (worker_open(p, w) < 0) return -1;
    w->geom = calloc((size_t)(p->n_geom > 0 ? p->n_geom : 1), sizeof *w->geom);
    if (!w->geom) return wfail(w, "out of memory preparing sink geometries");
    for (int g = 0; g < p->n_geom; g++) {
        int is_point = 0;
        if (prepare_geom(w, &p->m->sinks[p->geom_sink[g]], &w->geom[g], &is_point, NULL) < 0)
            return -1;
        if (is_point) return wfail(w, "sink %s: its geometry changed while in use",
                                   p->m->sinks[p->geom_sink[g]].id);
    }
    if (worker_grids(p, w) < 0) return -1;
    w->ready = 1;
    return 0;
}

static void worker_close(struct wp_geo_pricer *p, worker *w) {
    if (w->geom) {
        for (int g = 0; g < p->n_geom; g++) free_geom(w, &w->geom[g]);
        free(w->geom);
    }
    for (int j = 0; j < WP_MAX_MATERIALS; j++)
        if (w->grid_built[j]) wp_grid_free(&w->grid[j]);
    if (w->wkb) GEOSWKBReader_destroy_r(w->geos, w->wkb);
    if (w->geos) GEOS_finish_r(w->geos);
    if (w->proj) proj_context_destroy(w->proj);
    wp_idlist_free(&w->hits);
    free(w->c);
    free(w->best);
    free(w->out);
    memset(w, 0, sizeof *w);
}

/* Grow a cand array to hold n. 0 or -1. */
static int cand_reserve(cand **a, size_t *cap, size_t n) {
    if (n <= *cap) return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < n) nc *= 2;
    cand *na = realloc(*a, nc * sizeof *na);
    if (!na) return -1;
    *a = na;
    *cap = nc;
    return 0;
}

/* Hand one arc to the job's output. 0 or -1. */
static int emit(worker *w, const wp_arc *a) {
    if (w->direct) {
        if (wp_model_add_arc(w->direct, a) < 0)
            return wfail(w, "out of memory storing candidate arcs (%zu so far)",
                         w->direct->n_arcs);
        return 0;
    }
    if (w->n_out == w->cap_out) {
        size_t nc = w->cap_out ? w->cap_out * 2 : 1024;
        wp_arc *na = realloc(w->out, nc * sizeof *na);
        if (!na) return wfail(w, "out of memory storing candidate arcs");
        w->out = na;
        w->cap_out = nc;
    }
    w->out[w->n_out++] = *a;
    return 0;
}

/* ---- the membership set ------------------------------------------------- */

static uint64_t arc_key(int src, int sink) {
    return ((uint64_t)(uint32_t)src << 32) | (uint32_t)sink;
}

#define SET_EMPTY UINT64_MAX     /* no (src, sink) of int indices maps here */

/* Fibonacci hashing: the high bits of key * 2^64/phi. */
static size_t set_slot(const struct wp_geo_pricer *p, uint64_t key) {
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - p->set_bits));
}

static int set_has(const struct wp_geo_pricer *p, uint64_t key) {
    if (p->set_cap == 0) return 0;
    size_t mask = p->set_cap - 1;
    for (size_t i = set_slot(p, key);; i = (i + 1) & mask) {
        if (p->set[i] == key) return 1;
        if (p->set[i] == SET_EMPTY) return 0;
    }
}

/* Insert into a table known to have room. */
static void set_put(struct wp_geo_pricer *p, uint64_t key) {
    size_t mask = p->set_cap - 1;
    for (size_t i = set_slot(p, key);; i = (i + 1) & mask) {
        if (p->set[i] == key) return;
        if (p->set[i] == SET_EMPTY) {
            p->set[i] = key;
            p->set_n++;
            return;
        }
    }
}

/* Room for n keys at load <= 1/2, rehashing what is there. 0 or -1. */
static int set_reserve(struct wp_geo_pricer *p, size_t n) {
    if (2 * n <= p->set_cap) return 0;
    size_t cap = p->set_cap ? p->set_cap : 1024;
    while (cap < 2 * n) cap *= 2;
    int bits = 0;
    while (((size_t)1 << bits) < cap) bits++;
    uint64_t *old = p->set;
    size_t old_cap = p->set_cap;
    p->set = malloc(cap * sizeof *p->set);
    if (!p->set) {
        p->set = old;
        return -1;
    }
    memset(p->set, 0xff, cap * sizeof *p->set);
    p->set_cap = cap;
    p->set_bits = bits;
    p->set_n = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != SET_EMPTY) set_put(p, old[i]);
    free(old);
    return 0;
}

/* Register arcs [from, m->n_arcs) of m. 0 or -1. */
static int set_add_arcs(struct wp_geo_pricer *p, const wp_model *m, size_t from) {
    if (set_reserve(p, p->set_n + (m->n_arcs - from)) < 0) return -1;
    for (size_t a = from; a < m->n_arcs; a++)
        set_put(p, arc_key(m->arcs[a].src, m->arcs[a].sink));
    p->synced = 1;
    p->synced_arcs = m->n_arcs;
    return 0;
}

/* Make the set hold exactly the arcs of m, unless it already does (same
** arc count as when last seen: arcs are only ever appended or reordered
** between calls; anything else changes the count). 0 or -1. */
static int set_sync(struct wp_geo_pricer *p, const wp_model *m) {
    if (p->synced && p->synced_arcs == m->n_arcs) return 0;
    if (p->set) memset(p->set, 0xff, p->set_cap * sizeof *p->set);
    p->set_n = 0;
    return set_add_arcs(p, m, 0);
}

/* ---- per-source work ---------------------------------------------------- */

static int cmp_by_sink(const void *a, const void *b) {
    const cand *x = a, *y = b;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

static int cmp_by_rc(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->rc != y->rc) return x->rc < y->rc ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

static int cmp_by_key(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

/* The sinks in source i's search box (positions in its material's index,
** in w->hits). 0 or -1. */
static int search(worker *w, const wp_model *m, int i, src_pos *sp) {
    const wp_source *s = &m->sources[i];
    const mat_index *mi = &w->p->mat[s->material];
    w->hits.n = 0;
    if (mi->n == 0) return 0;
    source_pos(s, sp);
    wp_bbox q = search_box(s->lon, s->lat, mi->radius_km);
    if (wp_grid_query(&w->grid[s->material], &q, &w->hits) < 0)
        return wfail(w, "out of memory searching the sink grid");
    if (cand_reserve(&w->c, &w->cap_c, (size_t)w->hits.n) < 0)
        return wfail(w, "out of memory searching the sink grid");
    w->st.box_pairs += w->hits.n;
    return 0;
}

/* Emit the first n of w->c, which must be in sink order. 0 or -1. */
static int emit_cands(worker *w, int i, const cand *c, size_t n) {
    for (size_t q = 0; q < n; q++) {
        wp_arc a = { i, c[q].sink, c[q].km, c[q].tlon, c[q].tlat };
        if (emit(w, &a) < 0) return -1;
    }
    w->st.added += (long long)n;
    return 0;
}

/* Every arc of source i within reach, in sink order; with use_set, only
** those not yet in the model. 0 or -1. */
static int all_of_source(worker *w, const wp_model *m, int i, int use_set) {
    const struct wp_geo_pricer *p = w->p;
    const wp_source *s = &m->sources[i];
    const mat_index *mi = &p->mat[s->material];
    double limit = m->materials.m[s->material].max_haul_km;
    src_pos sp;
    size_t nc = 0;

    if (search(w, m, i, &sp) < 0) return -1;
    for (int h = 0; h < w->hits.n; h++) {
        int k = mi->sink[w->hits.v[h]];
        if (!(road_lower_bound(p, &sp, k) <= limit)) continue;
        if (use_set && set_has(p, arc_key(i, k))) continue;
        cand *c = &w->c[nc];
        w->st.measured++;
        if (exact_road_km(w, m, i, k, &c->km, &c->tlon, &c->tlat) < 0) return -1;
        if (!(c->km <= limit)) continue;
        c->sink = k;
        nc++;
    }
    if (nc > 1) qsort(w->c, nc, sizeof *w->c, cmp_by_sink);
    return emit_cands(w, i, w->c, nc);
}

static void swap_cand(cand *a, cand *b) {
    cand t = *a;
    *a = *b;
    *b = t;
}

/* Rearrange c[0..n) so that its k smallest by (key, sink) come first, in
** no particular order (quickselect: median-of-three pivot, Lomuto
** partition; the range shrinks every pass). */
static void select_smallest(cand *c, size_t n, size_t k) {
    size_t lo = 0, hi = n;            /* the split point k lies in [lo, hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_by_key(&c[mid], &c[lo]) < 0) swap_cand(&c[mid], &c[lo]);
        if (cmp_by_key(&c[hi - 1], &c[lo]) < 0) swap_cand(&c[hi - 1], &c[lo]);
        if (cmp_by_key(&c[hi - 1], &c[mid]) < 0) swap_cand(&c[hi - 1], &c[mid]);
        swap_cand(&c[mid], &c[hi - 1]);          /* the median to the end */
        size_t store = lo;
        for (size_t i = lo; i + 1 < hi; i++)
            if (cmp_by_key(&c[i], &c[hi - 1]) < 0) swap_cand(&c[i], &c[store++]);
        swap_cand(&c[store], &c[hi - 1]);
        /* c[lo..store) < c[store] < c[store+1..hi) */
        if (store + 1 == k || store == k) return;
        if (store > k) hi = store;
        else lo = store + 1;
    }
}

/* The kn sinks nearest source i within reach (ties by sink index), in
** sink order. The kn pairs of smallest lower bound are measured first;
** their kn-th exact distance D then rules out every pair whose bound
** exceeds D, and each further pair measured can only lower D. A pair left
** unmeasured had a bound above D at the time, so it is farther than the
** final kn kept. 0 or -1. */
static int nearest_of_source(worker *w, const wp_model *m, int i, int kn) {
    const struct wp_geo_pricer *p = w->p;
    const wp_source *s = &m->sources[i];
    const mat_index *mi = &p->mat[s->material];
    double limit = m->materials.m[s->material].max_haul_km;
    src_pos sp;
    size_t nc = 0, nb = 0;

    if (search(w, m, i, &sp) < 0) return -1;
    for (int h = 0; h < w->hits.n; h++) {
        int k = mi->sink[w->hits.v[h]];
        double lb = road_lower_bound(p, &sp, k);
        if (!(lb <= limit)) continue;
        w->c[nc].sink = k;
        w->c[nc].key = lb;
        nc++;
    }
    if (nc > (size_t)kn) select_smallest(w->c, nc, (size_t)kn);
    if (cand_reserve(&w->best, &w->cap_best, (size_t)kn) < 0)
        return wfail(w, "out of memory finding the nearest sinks");
    cand *best = w->best;            /* sorted by (km, sink), nb <= kn */
    for (size_t q = 0; q < nc; q++) {
        cand c = w->c[q];
        if (nb == (size_t)kn && c.key > best[nb - 1].km) continue;
        w->st.measured++;
        if (exact_road_km(w, m, i, c.sink, &c.km, &c.tlon, &c.tlat) < 0) return -1;
        if (!(c.km <= limit)) continue;
        if (nb == (size_t)kn) {
            const cand *worst = &best[nb - 1];
            if (c.km > worst->km || (c.km == worst->km && c.sink > worst->sink)) continue;
            nb--;
        }
        size_t at = nb;               /* insertion keeps (km, sink) order */
        while (at > 0 && (best[at - 1].km > c.km ||
                          (best[at - 1].km == c.km && best[at - 1].sink > c.sink))) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = c;
        nb++;
    }
    if (nb > 1) qsort(best, nb, sizeof *best, cmp_by_sink);
    return emit_cands(w, i, best, nb);
}

/* The arcs of source i not in the model whose integer reduced cost under
** the job's potentials is negative: the max_per_source most negative (ties
** by sink index), in sink order. A pair is skipped unmeasured when its
** lower bound is out of reach or its reduced cost at the lower bound
** (rounded down) is already >= 0; see the header comment for why these
** tests never drop a pair that prices out. 0 or -1. */
static int price_of_source(worker *w, const wp_model *m, int i) {
    const struct wp_geo_pricer *p = w->p;
    const wp_source *s = &m->sources[i];
    const mat_index *mi = &p->mat[s->material];
    const wp_duals *du = p->duals;
    double limit = m->materials.m[s->material].max_haul_km;
    double cu = du->cost_unit;
    int64_t ps = du->src[i];
    src_pos sp;
    size_t nc = 0;

    if (search(w, m, i, &sp) < 0) return -1;
    for (int h = 0; h < w->hits.n; h++) {
        int q = w->hits.v[h];
        int k = mi->sink[q];
        double lb = road_lower_bound(p, &sp, k);
        if (!(lb <= limit)) continue;
        int64_t pd = mi->dest[q];
        wp_arc a = { i, k, lb, 0.0, 0.0 };
        if (mi->cost_bound_ok) {
            double x = wp_arc_cost_per_t(m, &a) / cu;
            if (x < COST_UNITS_HUGE && (int64_t)floor(x) + ps - pd >= 0) continue;
        }
        if (set_has(p, arc_key(i, k))) continue;
        cand *c = &w->c[nc];
        w->st.measured++;
        if (exact_road_km(w, m, i, k, &c->km, &c->tlon, &c->tlat) < 0) return -1;
        if (!(c->km <= limit)) continue;
        a.dist_km = c->km;
        double x = wp_arc_cost_per_t(m, &a) / cu;
        if (!(x < COST_UNITS_HUGE)) continue;
        c->rc = (int64_t)llround(x) + ps - pd;
        if (c->rc >= 0) continue;
        c->sink = k;
        nc++;
    }
    if (p->limit > 0 && nc > (size_t)p->limit) {
        if (nc > 1) qsort(w->c, nc, sizeof *w->c, cmp_by_rc);
        nc = (size_t)p->limit;
    }
    if (nc > 1) qsort(w->c, nc, sizeof *w->c, cmp_by_sink);
    return emit_cands(w, i, w->c, nc);
}

/* A thread's share of the current job. */
static void *worker_run(void *arg) {
    worker *w = arg;
    struct wp_geo_pricer *p = w->p;
    const wp_model *m = p->jm;
    for (int i = w->lo; i < w->hi && !w->failed; i++) {
        if (p->mat[m->sources[i].material].n == 0) continue;
        switch (p->job) {
        case JOB_ALL: all_of_source(w, m, i, p->use_set); break;
        case JOB_INITIAL: nearest_of_source(w, m, i, p->limit); break;
        case JOB_PRICE: price_of_source(w, m, i); break;
        }
    }
    return NULL;
}

/* Run the job set up in p over sources [lo, hi), split between the
** threads, and append the arcs to m in source order. On failure m->n_arcs
** is back where it was. 0 or -1. */
static int run_job(struct wp_geo_pricer *p, wp_model *m, int lo, int hi,
                   char *err, int errlen) {
    int n = hi - lo, T = p->threads;
    size_t before = m->n_arcs;
    pthread_t tid[WP_PRICER_MAX_THREADS];
    int started[WP_PRICER_MAX_THREADS] = { 0 };

    if (T > n) T = n;
    if (T < 1) T = 1;
    for (int t = 0; t < T; t++) {
        worker *w = &p->w[t];
        if (!w->ready && worker_setup(p, w) < 0) {
            set_err(err, errlen, "%s", w->err);
            worker_close(p, w);
            return -1;
        }
        w->lo = lo + (int)((long long)n * t / T);
        w->hi = lo + (int)((long long)n * (t + 1) / T);
        w->direct = t == 0 ? m : NULL;
        w->n_out = 0;
        w->failed = 0;
        memset(&w->st, 0, sizeof w->st);
    }
    p->jm = m;
    for (int t = 1; t < T; t++)
        started[t] = pthread_create(&tid[t], NULL, worker_run, &p->w[t]) == 0;
    worker_run(&p->w[0]);
    for (int t = 1; t < T; t++) {
        if (started[t]) pthread_join(tid[t], NULL);
        else worker_run(&p->w[t]);     /* no thread to spare: do it here */
    }

    int rc = 0;
    for (int t = 0; t < T && rc == 0; t++)
        if (p->w[t].failed) rc = set_err(err, errlen, "%s", p->w[t].err);
    for (int t = 1; t < T && rc == 0; t++)
        for (size_t a = 0; a < p->w[t].n_out; a++)
            if (wp_model_add_arc(m, &p->w[t].out[a]) < 0) {
                rc = set_err(err, errlen, "out of memory storing candidate "
                             "arcs (%zu so far)", m->n_arcs);
                break;
            }
    for (int t = 0; t < T; t++) {
        worker *w = &p->w[t];
        p->st.box_pairs += w->st.box_pairs;
        p->st.measured += w->st.measured;
        p->st.added += w->st.added;
        /* keep a modest buffer for the next round, not a huge one */
        if (w->cap_out > ((size_t)1 << 20)) {
            free(w->out);
            w->out = NULL;
            w->cap_out = 0;
        }
        w->n_out = 0;
        w->direct = NULL;
    }
    p->jm = NULL;
    if (rc < 0) m->n_arcs = before;
    return rc;
}

/* ---- set-up ---------------------------------------------------------------- */

/* Check the inputs that would make the search meaningless; *used gets the
** materials some source supplies. 0 or -1. */
static int check_inputs(const wp_model *m, const wp_distance *d, unsigned *used,
                        char *err, int errlen) {
    *used = 0;
    if (d->kind != WP_DIST_GEODESIC)
        return set_err(err, errlen, "unknown distance kind %d", (int)d->kind);
    if (!isfinite(d->detour) || d->detour < 1.0)
        return set_err(err, errlen, "detour %g is not valid: it is road km per "
                       "straight-line km and must be a number >= 1 (typically "
                       "1.2-1.5)", d->detour);
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        if (s->material < 0 || s->material >= m->materials.count)
            return set_err(err, errlen, "source %s (%s): material index %d is "
                           "not a known material", s->id, s->name, s->material);
        if (!isfinite(s->lon) || !isfinite(s->lat) || s->lat < -90.0 || s->lat > 90.0)
            return set_err(err, errlen, "source %s (%s): location (%g, %g) is not "
                           "a valid longitude/latitude", s->id, s->name, s->lon, s->lat);
        *used |= 1u << s->material;
    }
    for (int j = 0; j < m->materials.count; j++) {
        const wp_material *mt = &m->materials.m[j];
        if (((*used >> j) & 1u) && (isnan(mt->max_haul_km) || mt->max_haul_km < 0.0))
            return set_err(err, errlen, "material %s: max_haul_km %g must be a "
                           "non-negative number of km", mt->id, mt->max_haul_km);
    }
    return 0;
}

/* Prepare sink k (usable by some source) with worker w: its point, or its
** geometry in w's local plane. 0 or -1. */
static int prepare_sink(struct wp_geo_pricer *p, worker *w, int k) {
    const wp_sink *s = &p->m->sinks[k];
    sink_info *si = &p->sink[k];

    si->geom = -1;
    if (s->wkb && s->wkb_len > 0) {
        int is_point = 0;
        geom_shape *gs = &w->geom[p->n_geom];
        if (prepare_geom(w, s, gs, &is_point, &si->box) < 0) {
            free_geom(w, gs);
            return -1;
        }
        if (!is_point) {
            si->kind = SHAPE_GEOM;
            band_curvature(si->box.lat_lo, si->box.lat_hi, &si->hemi, &si->m_lo);
            si->geom = p->n_geom;
            p->geom_sink[p->n_geom++] = k;
            return 0;
        }
    }
    if (!isfinite(s->lon) || !isfinite(s->lat) || s->lat < -90.0 || s->lat > 90.0)
        return wfail(w, "sink %s (%s): location (%g, %g) is not a valid "
                     "longitude/latitude", s->id, s->name, s->lon, s->lat);
    si->kind = SHAPE_POINT;
    unit_vector(s->lon, s->lat, si->u);
    si->box.lon_lo = si->box.lon_hi = norm_lon(s->lon);
    si->box.lat_lo = si->box.lat_hi = s->lat;
    band_curvature(s->lat, s->lat, &si->hemi, &si->m_lo);
    return 0;
}

/* The index of material j: its accepting sinks, search radius and grid
** cells about one search radius square (longitudes scaled to the poleward
** edge; correctness does not depend on the cell size, only the work per
** query does). 0 or -1. */
static int build_index(struct wp_geo_pricer *p, int j) {
    const wp_model *m = p->m;
    mat_index *mi = &p->mat[j];
    const wp_material *mt = &m->materials.m[j];

    mi->radius_km = search_radius_km(&p->d, mt->max_haul_km);
    mi->cost_bound_ok = mt->road_rate >= 0.0;
    mi->sink = malloc((size_t)(m->n_sinks > 0 ? m->n_sinks : 1) * sizeof *mi->sink);
    if (!mi->sink) return -1;
    double maxlat = 0.0;
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        if (!((s->accepts >> j) & 1u) || !(s->cap_t[j] > 0.0)) continue;
        if (p->sink[k].kind == SHAPE_NONE) continue;
        const wp_bbox *b = &p->sink[k].box;
        maxlat = fmax(maxlat, fmax(fabs(b->lat_lo), fabs(b->lat_hi)));
        mi->sink[mi->n++] = k;
    }
    mi->dest = malloc((size_t)(mi->n > 0 ? mi->n : 1) * sizeof *mi->dest);
    if (!mi->dest) return -1;
    double r = mi->radius_km;
    mi->cell_lat = r < WORLD_KM ? fmax(r / KM_PER_DEG_LAT_MIN, 0.01) : 180.0;
    mi->cell_lon = mi->cell_lat / cos(fmin(maxlat, 80.0) * DEG2RAD);
    return 0;
}

static int threads_from_env(void) {
    const char *e = getenv("WASTEPLAN_THREADS");
    if (e && *e) {
        char *end = NULL;
        long v = strtol(e, &end, 10);
        if (end && *end == '\0' && v >= 1)
            return v > WP_PRICER_MAX_THREADS ? WP_PRICER_MAX_THREADS : (int)v;
    }
    return 2;
}

static long price_cb(wp_pricer *self, wp_model *m, const wp_duals *d,
                     int max_per_source, char *err, int errlen);
static long complete_cb(wp_pricer *self, wp_model *m, int s, char *err, int errlen);

wp_geo_pricer *wp_pricer_new(wp_geo *g, const wp_distance *d, const wp_model *m,
                             char *err, int errlen) {
    unsigned used = 0;
    wp_distance dflt;

    if (err && errlen > 0) err[0] = '\0';
    if (!d) {        /* no explicit choice: geodesic with the model's detour */
        dflt.kind = WP_DIST_GEODESIC;
        dflt.detour = m->detour;
        d = &dflt;
    }
    if (check_inputs(m, d, &used, err, errlen) < 0) return NULL;

    struct wp_geo_pricer *p = calloc(1, sizeof *p);
    if (!p) {
        set_err(err, errlen, "out of memory setting up the arc search");
        return NULL;
    }
    (void)g;        /* every worker makes its own GEOS and PROJ contexts */
    p->m = m;
    p->d = *d;
    p->m_equator = meridional_km(0.0);
    p->threads = threads_from_env();
    p->iface.price = price_cb;
    p->iface.complete = complete_cb;
    p->iface.state = p;

    size_t ns = (size_t)(m->n_sinks > 0 ? m->n_sinks : 1);
    worker *w0 = &p->w[0];
    p->sink = calloc(ns, sizeof *p->sink);
    p->geom_sink = malloc(ns * sizeof *p->geom_sink);
    w0->geom = calloc(ns, sizeof *w0->geom);
    if (!p->sink || !p->geom_sink || !w0->geom) {
        set_err(err, errlen, "out of memory preparing %d sinks", m->n_sinks);
        goto fail;
    }
    if (worker_open(p, w0) < 0) {
        set_err(err, errlen, "%s", w0->err);
        goto fail;
    }
    /* Prepare only the sinks some source could use. */
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        unsigned usable = 0;
        p->sink[k].geom = -1;
        for (int j = 0; j < m->materials.count; j++)
            if ((((used & s->accepts) >> j) & 1u) && s->cap_t[j] > 0.0)
                usable = 1;
        if (usable && prepare_sink(p, w0, k) < 0) {
            set_err(err, errlen, "%s", w0->err);
            goto fail;
        }
    }
    for (int j = 0; j < m->materials.count; j++)
        if (((used >> j) & 1u) && build_index(p, j) < 0) {
            set_err(err, errlen, "out of memory building the sink index");
            goto fail;
        }
    if (worker_grids(p, w0) < 0) {
        set_err(err, errlen, "%s", w0->err);
        goto fail;
    }
    w0->ready = 1;
    return p;

fail:
    wp_pricer_free(p);
    return NULL;
}

void wp_pricer_free(wp_geo_pricer *p) {
    if (!p) return;
    for (int t = 0; t < WP_PRICER_MAX_THREADS; t++) worker_close(p, &p->w[t]);
    for (int j = 0; j < WP_MAX_MATERIALS; j++) {
        free(p->mat[j].sink);
        free(p->mat[j].dest);
    }
    free(p->sink);
    free(p->geom_sink);
    free(p->set);
    free(p);
}

void wp_pricer_set_threads(wp_geo_pricer *p, int n) {
    if (n < 1) n = 1;
    if (n > WP_PRICER_MAX_THREADS) n = WP_PRICER_MAX_THREADS;
    p->threads = n;
}

wp_pricer_stats wp_pricer_get_stats(const wp_geo_pricer *p) {
    return p->st;
}

wp_pricer *wp_pricer_iface(wp_geo_pricer *p) {
    return &p->iface;
}

/* The model a call passes must be the one the pricer was built for. */
static int check_model(const wp_geo_pricer *p, const wp_model *m, char *err, int errlen) {
    if (m != p->m)
        return set_err(err, errlen, "the arc search was prepared for another model");
    return 0;
}

/* ---- jobs ---------------------------------------------------------------- */

int wp_pricer_all_arcs(wp_geo_pricer *p, wp_model *m, char *err, int errlen) {
    if (err && errlen > 0) err[0] = '\0';
    m->n_arcs = 0;
    if (check_model(p, m, err, errlen) < 0) return -1;
    p->job = JOB_ALL;
    p->use_set = 0;
    p->synced = 0;
    return run_job(p, m, 0, m->n_sources, err, errlen);
}

int wp_pricer_initial_arcs(wp_geo_pricer *p, wp_model *m, int k_nearest,
                           char *err, int errlen) {
    if (err && errlen > 0) err[0] = '\0';
    if (check_model(p, m, err, errlen) < 0) return -1;
    if (k_nearest < 1)
        return set_err(err, errlen, "k_nearest %d: each source needs at least "
                       "one initial arc", k_nearest);
    m->n_arcs = 0;
    p->job = JOB_INITIAL;
    p->limit = k_nearest;
    p->synced = 0;
    if (run_job(p, m, 0, m->n_sources, err, errlen) < 0) return -1;
    if (set_sync(p, m) < 0)
        return set_err(err, errlen, "out of memory registering %zu arcs", m->n_arcs);
    return 0;
}

/* wp_pricer.price: see allocate.h and the header comment. */
static long price_cb(wp_pricer *self, wp_model *m, const wp_duals *d,
                     int max_per_source, char *err, int errlen) {
    wp_geo_pricer *p = self->state;
    if (err && errlen > 0) err[0] = '\0';
    if (check_model(p, m, err, errlen) < 0) return -1;
    if (!d || !d->src || !d->dest || !(d->cost_unit > 0.0) || !isfinite(d->cost_unit))
        return set_err(err, errlen, "pricing needs potentials and a positive cost unit");
    if (set_sync(p, m) < 0)
        return set_err(err, errlen, "out of memory registering %zu arcs", m->n_arcs);
    for (int j = 0; j < WP_MAX_MATERIALS; j++) {
        mat_index *mi = &p->mat[j];
        for (int q = 0; q < mi->n; q++)
            mi->dest[q] = d->dest[(size_t)mi->sink[q] * WP_MAX_MATERIALS + (size_t)j];
    }
    size_t before = m->n_arcs;
    p->job = JOB_PRICE;
    p->duals = d;
    p->limit = max_per_source;
    int rc = run_job(p, m, 0, m->n_sources, err, errlen);
    p->duals = NULL;
    if (rc < 0) return -1;
    if (set_add_arcs(p, m, before) < 0) {
        m->n_arcs = before;
        p->synced = 0;
        return set_err(err, errlen, "out of memory registering %zu arcs", m->n_arcs);
    }
    return (long)(m->n_arcs - before);
}

/* wp_pricer.complete: every remaining arc of source s, in sink order, on
** the calling thread. */
static long complete_cb(wp_pricer *self, wp_model *m, int s, char *err, int errlen) {
    wp_geo_pricer *p = self->state;
    if (err && errlen > 0) err[0] = '\0';
    if (check_model(p, m, err, errlen) < 0) return -1;
    if (s < 0 || s >= m->n_sources)
        return set_err(err, errlen, "source index %d out of range", s);
    if (set_sync(p, m) < 0)
        return set_err(err, errlen, "out of memory registering %zu arcs", m->n_arcs);
    size_t before = m->n_arcs;
    int threads = p->threads;
    p->threads = 1;
    p->job = JOB_ALL;
    p->use_set = 1;
    int rc = run_job(p, m, s, s + 1, err, errlen);
    p->threads = threads;
    if (rc < 0) return -1;
    if (set_add_arcs(p, m, before) < 0) {
        m->n_arcs = before;
        p->synced = 0;
        return set_err(err, errlen, "out of memory registering %zu arcs", m->n_arcs);
    }
    return (long)(m->n_arcs - before);
}

/* ---- diagnostics ----------------------------------------------------------- */

/* Sink k can be used by source s's search at all. */
static int pair_ok(const wp_geo_pricer *p, int s, int k) {
    return s >= 0 && s < p->m->n_sources && k >= 0 && k < p->m->n_sinks &&
           p->sink[k].kind != SHAPE_NONE;
}

int wp_pricer_distance(wp_geo_pricer *p, int s, int k, double *km,
                       double *to_lon, double *to_lat) {
    double d, x, y;
    if (!pair_ok(p, s, k)) return -1;
    p->w[0].failed = 0;
    if (exact_road_km(&p->w[0], p->m, s, k, &d, &x, &y) < 0) return -1;
    *km = d;
    if (to_lon) *to_lon = x;
    if (to_lat) *to_lat = y;
    return 0;
}

int wp_pricer_lower_bound(const wp_geo_pricer *p, int s, int k, double *km) {
    src_pos sp;
    if (!pair_ok(p, s, k)) return -1;
    source_pos(&p->m->sources[s], &sp);
    *km = road_lower_bound(p, &sp, k);
    return 0;
}
