/*
** test_arcs.c — candidate arcs and the grid index behind them. The arc
** builder is checked against brute force (every pair, exact geodesic) on
** random instances, including ones across the antimeridian and near the
** pole; against sinks placed a metre inside and outside the haul limit in
** every direction; and for line and polygon sinks against a dense sampling
** of the geometry.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../geo/arcs.h"
#include "../geo/spatial_grid.h"

#define PI 3.14159265358979323846

/* ---- helpers ---------------------------------------------------------------- */

/* Deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state;
static void rng_seed(uint64_t s) { rng_state = s * 2654435761u + 1; }
static double rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}
static double uni(double lo, double hi) { return lo + (hi - lo) * rnd(); }

/* Model with nmat materials of the given haul limits. */
static void model_setup(wp_model *m, int nmat, const double *haul) {
    wp_model_init(m);
    if (m->materials.count < nmat) m->materials.count = nmat;
    for (int j = 0; j < nmat; j++) m->materials.m[j].max_haul_km = haul[j];
}

static int add_source(wp_model *m, double lon, double lat, int mat) {
    char id[32];
    snprintf(id, sizeof id, "src:%d", m->n_sources);
    wp_source *s = wp_model_add_source(m, id, NULL);
    assert_non_null(s);
    s->lon = lon;
    s->lat = lat;
    s->material = mat;
    s->supply_t = 1000.0;
    return m->n_sources - 1;
}

static int add_sink(wp_model *m, double lon, double lat, unsigned accepts) {
    char id[32];
    snprintf(id, sizeof id, "sink:%d", m->n_sinks);
    wp_sink *k = wp_model_add_sink(m, id, NULL);
    assert_non_null(k);
    k->lon = lon;
    k->lat = lat;
    k->accepts = accepts;
    k->kind = WP_SINK_PLANT;
    return m->n_sinks - 1;
}

/* Give sink k the geometry written as WKT (lon/lat), as ISO WKB. */
static void set_wkt(wp_geo *g, wp_model *m, int k, const char *wkt) {
    GEOSWKTReader *r = GEOSWKTReader_create_r(g->geos);
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(g->geos);
    assert_non_null(r);
    assert_non_null(w);
    GEOSGeometry *geom = GEOSWKTReader_read_r(g->geos, r, wkt);
    assert_non_null(geom);
    size_t len = 0;
    unsigned char *buf = GEOSWKBWriter_write_r(g->geos, w, geom, &len);
    assert_non_null(buf);
    wp_sink *s = &m->sinks[k];
    s->wkb = malloc(len);
    assert_non_null(s->wkb);
    memcpy(s->wkb, buf, len);
    s->wkb_len = len;
    GEOSFree_r(g->geos, buf);
    GEOSGeom_destroy_r(g->geos, geom);
    GEOSWKBWriter_destroy_r(g->geos, w);
    GEOSWKTReader_destroy_r(g->geos, r);
}

/* Brute force: every (source, sink) pair, in source then sink order,
** measured with wp_geodesic_km. Point sinks only. Caller frees. */
static wp_arc *brute_arcs(const wp_model *m, double detour, size_t *n) {
    size_t cap = 1024, cnt = 0;
    wp_arc *a = malloc(cap * sizeof *a);
    assert_non_null(a);
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        for (int k = 0; k < m->n_sinks; k++) {
            const wp_sink *t = &m->sinks[k];
            if (!((t->accepts >> s->material) & 1u)) continue;
            if (!(t->cap_t[s->material] > 0)) continue;
            double d = wp_geodesic_km(s->lon, s->lat, t->lon, t->lat) * detour;
            if (!(d <= m->materials.m[s->material].max_haul_km)) continue;
            if (cnt == cap) {
                cap *= 2;
                a = realloc(a, cap * sizeof *a);
                assert_non_null(a);
            }
            wp_arc x = { i, k, d, t->lon, t->lat };
            a[cnt++] = x;
        }
    }
    *n = cnt;
    return a;
}

/* The model's arcs must equal want[] exactly, element by element. */
static void assert_same_arcs(const wp_model *m, const wp_arc *want, size_t n) {
    if (m->n_arcs != n)
        fail_msg("got %zu arcs, brute force has %zu", m->n_arcs, n);
    for (size_t i = 0; i < n; i++) {
        const wp_arc *a = &m->arcs[i], *b = &want[i];
        if (a->src != b->src || a->sink != b->sink)
            fail_msg("arc %zu: got %d->%d, want %d->%d", i, a->src, a->sink,
                     b->src, b->sink);
        assert_true(a->dist_km == b->dist_km);
        assert_true(a->to_lon == b->to_lon);
        assert_true(a->to_lat == b->to_lat);
    }
}

static int build(wp_geo *g, wp_model *m, double detour) {
    wp_distance d = { WP_DIST_GEODESIC, detour };
    char err[256] = "";
    int rc = wp_build_arcs(g, &d, m, err, sizeof err);
    if (rc != 0) fail_msg("wp_build_arcs: %s", err);
    return rc;
}

/* Index of arc src->sink in m, or -1. */
static long find_arc(const wp_model *m, int src, int sink) {
    for (size_t i = 0; i < m->n_arcs; i++)
        if (m->arcs[i].src == src && m->arcs[i].sink == sink) return (long)i;
    return -1;
}

/* Smallest geodesic km from (lon, lat) to the polyline given as n vertices,
** sampling each edge at `per_edge` points evenly in lon/lat; the sample's
** position is returned too. */
static double sampled_min_km(const double *xy, int n, int per_edge,
                             double lon, double lat, double *blon, double *blat) {
    double best = HUGE_VAL;
    for (int e = 0; e + 1 < n; e++) {
        for (int t = 0; t <= per_edge; t++) {
            double u = (double)t / per_edge;
            double x = xy[2 * e] + u * (xy[2 * e + 2] - xy[2 * e]);
            double y = xy[2 * e + 1] + u * (xy[2 * e + 3] - xy[2 * e + 1]);
            double d = wp_geodesic_km(lon, lat, x, y);
            if (d < best) {
                best = d;
                if (blon) *blon = x;
                if (blat) *blat = y;
            }
        }
    }
    return best;
}

static int setup(void **state) {
    wp_geo *g = wp_geo_new();
    if (!g) return -1;
    *state = g;
    return 0;
}

static int teardown(void **state) {
    wp_geo_free(*state);
    return 0;
}

/* ---- the grid ----------------------------------------------------------------- */

/* Does box b intersect q, q possibly running past +-180 (wrapping)? */
static int box_hits(const wp_bbox *b, const wp_bbox *q) {
    if (b->lat_hi < fmax(q->lat_lo, -90) || b->lat_lo > fmin(q->lat_hi, 90)) return 0;
    for (int s = -1; s <= 1; s++) {
        double lo = q->lon_lo + 360.0 * s, hi = q->lon_hi + 360.0 * s;
        if (!(b->lon_hi < lo || b->lon_lo > hi)) return 1;
    }
    return 0;
}

/* Random boxes and queries, some past the antimeridian: the grid returns
** exactly the intersecting items, each once. */
static void test_grid_vs_brute(void **state) {
    (void)state;
    rng_seed(7);
    for (int round = 0; round < 20; round++) {
        int n = 1 + (int)(rnd() * 400);
        wp_bbox *b = malloc((size_t)n * sizeof *b);
        assert_non_null(b);
        int world = round % 4 == 0;     /* whole globe or a region */
        for (int i = 0; i < n; i++) {
            double x = world ? uni(-180, 180) : uni(100, 120);
            double y = world ? uni(-90, 90) : uni(20, 40);
            double w = rnd() < 0.5 ? 0.0 : uni(0, 3), h = rnd() < 0.5 ? 0.0 : uni(0, 3);
            b[i].lon_lo = x;
            b[i].lon_hi = fmin(x + w, 180.0);
            b[i].lat_lo = y;
            b[i].lat_hi = fmin(y + h, 90.0);
        }
        wp_grid grid;
        assert_int_equal(wp_grid_build(&grid, b, n, uni(0.1, 5), uni(0.1, 5)), 0);
        int *hit = calloc((size_t)n, sizeof *hit);
        assert_non_null(hit);
        wp_idlist out = { 0, 0, NULL };
        for (int qn = 0; qn < 200; qn++) {
            double x = world ? uni(-185, 185) : uni(98, 122);
            double y = world ? uni(-95, 95) : uni(18, 42);
            double rx = uni(0, world ? 30 : 4), ry = uni(0, 4);
            wp_bbox q = { x - rx, y - ry, x + rx, y + ry };
            out.n = 0;
            assert_int_equal(wp_grid_query(&grid, &q, &out), 0);
            memset(hit, 0, (size_t)n * sizeof *hit);
            for (int j = 0; j < out.n; j++) {
                assert_true(out.v[j] >= 0 && out.v[j] < n);
                assert_int_equal(hit[out.v[j]], 0);          /* once each */
                hit[out.v[j]] = 1;
            }
            for (int i = 0; i < n; i++) assert_int_equal(hit[i], box_hits(&b[i], &q));
        }
        wp_idlist_free(&out);
        free(hit);
        free(b);
        wp_grid_free(&grid);
    }
}

/* An empty grid and degenerate cell sizes are harmless. */
static void test_grid_degenerate(void **state) {
    (void)state;
    wp_grid grid;
    wp_idlist out = { 0, 0, NULL };
    wp_bbox q = { -10, -10, 10, 10 };
    assert_int_equal(wp_grid_build(&grid, NULL, 0, 1, 1), 0);
    assert_int_equal(wp_grid_query(&grid, &q, &out), 0);
    assert_int_equal(out.n, 0);
    wp_grid_free(&grid);

    wp_bbox one = { 5, 5, 5, 5 };
    assert_int_equal(wp_grid_build(&grid, &one, 1, 0.0, NAN), 0);
    assert_int_equal(wp_grid_query(&grid, &q, &out), 0);
    assert_int_equal(out.n, 1);
    wp_grid_free(&grid);
    wp_idlist_free(&out);
}

/* ---- arcs vs brute force ---------------------------------------------------- */

/* Random sources and sinks over a region; three materials, random accepts
** and some zero limits; several detours. */
static void random_instance(wp_geo *g, uint64_t seed, double lon0, double lon1,
                            double lat0, double lat1, int ns, int nk,
                            const double *haul, double detour) {
    wp_model m;
    model_setup(&m, 3, haul);
    rng_seed(seed);
    for (int i = 0; i < ns; i++) {
        double lon = uni(lon0, lon1);
        if (lon >= 180.0) lon -= 360.0;
        add_source(&m, lon, uni(lat0, lat1), (int)(rnd() * 3));
    }
    for (int k = 0; k < nk; k++) {
        double lon = uni(lon0, lon1);
        if (lon >= 180.0) lon -= 360.0;
        int s = add_sink(&m, lon, uni(lat0, lat1), (unsigned)(rnd() * 8));
        for (int j = 0; j < 3; j++)
            if (rnd() < 0.15) m.sinks[s].cap_t[j] = 0.0;
            else if (rnd() < 0.5) m.sinks[s].cap_t[j] = uni(1, 1e5);
    }
    assert_int_equal(build(g, &m, detour), 0);
    size_t n;
    wp_arc *want = brute_arcs(&m, detour, &n);
    assert_true(n > 0);
    assert_same_arcs(&m, want, n);
    free(want);
    wp_model_free(&m);
}

static void test_random_jiaozuo(void **state) {
    const double haul[3] = { 50, 100, 150 };
    random_instance(*state, 1, 111.0, 115.5, 33.0, 37.0, 800, 500, haul, 1.3);
    random_instance(*state, 2, 111.0, 115.5, 33.0, 37.0, 500, 300, haul, 1.0);
    random_instance(*state, 3, 112.5, 114.0, 34.5, 35.8, 300, 300, haul, 2.5);
}

/* Across the antimeridian, near the north pole, in the south, and with a
** haul reaching a third of the globe. */
static void test_random_far_places(void **state) {
    const double haul[3] = { 80, 250, 600 };
    random_instance(*state, 11, 176.0, 184.0, 60.0, 70.0, 400, 300, haul, 1.3);
    random_instance(*state, 12, -180.0, 180.0, 84.0, 90.0, 300, 300, haul, 1.3);
    random_instance(*state, 13, 170.0, 190.0, -50.0, -35.0, 300, 300, haul, 1.1);
    const double longhaul[3] = { 5000, 12000, 30000 };
    random_instance(*state, 14, -180.0, 180.0, -90.0, 90.0, 150, 150, longhaul, 1.0);
}

/* Sinks a metre inside and outside the limit, in 24 directions, from sources
** at Jiaozuo, on the equator and at 70N: inside ones all get arcs, outside
** ones none. */
static void test_boundary(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { 100.0 };
    const double detour = 1.3, r = 100.0 / 1.3;
    const double places[3][2] = { { 113.2, 35.2 }, { 0.0, 0.0 }, { -179.8, 70.0 } };
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1.0 / 298.257223563);

    for (int p = 0; p < 3; p++) {
        wp_model m;
        model_setup(&m, 1, haul);
        int s = add_source(&m, places[p][0], places[p][1], 0);
        for (int dir = 0; dir < 24; dir++) {
            for (int out = 0; out <= 1; out++) {
                double lat2, lon2;
                double km = r + (out ? 0.001 : -0.001);
                geod_direct(&geod, places[p][1], places[p][0], dir * 15.0, km * 1000.0,
                            &lat2, &lon2, NULL);
                add_sink(&m, lon2, lat2, 1u);
            }
        }
        int same = add_sink(&m, places[p][0], places[p][1], 1u);  /* 0 km */
        assert_int_equal(build(g, &m, detour), 0);
        for (int k = 0; k < 48; k++) {
            long a = find_arc(&m, s, k);
            if (k % 2 == 0) {
                if (a < 0) fail_msg("place %d: sink %d just inside is missing", p, k);
                assert_true(m.arcs[a].dist_km <= 100.0 && m.arcs[a].dist_km > 99.99);
            } else if (a >= 0) {
                fail_msg("place %d: sink %d just outside has an arc", p, k);
            }
        }
        long a = find_arc(&m, s, same);
        assert_true(a >= 0);
        assert_true(m.arcs[a].dist_km == 0.0);
        wp_model_free(&m);
    }
}

/* Only accepted materials with a positive limit get arcs. */
static void test_accepts_and_caps(void **state) {
    wp_geo *g = *state;
    const double haul[3] = { 100, 100, 100 };
    wp_model m;
    model_setup(&m, 3, haul);
    int s0 = add_source(&m, 113.20, 35.22, 0);
    int s1 = add_source(&m, 113.21, 35.23, 1);
    int s2 = add_source(&m, 113.22, 35.24, 2);
    int k_only1 = add_sink(&m, 113.25, 35.25, 1u << 1);
    int k_cap0 = add_sink(&m, 113.26, 35.25, (1u << 0) | (1u << 2));
    m.sinks[k_cap0].cap_t[0] = 0.0;                /* takes material 2 only */
    int k_none = add_sink(&m, 113.27, 35.25, 0u);
    assert_int_equal(build(g, &m, 1.3), 0);
    assert_int_equal(m.n_arcs, 2);
    assert_true(find_arc(&m, s1, k_only1) >= 0);
    assert_true(find_arc(&m, s2, k_cap0) >= 0);
    assert_true(find_arc(&m, s0, k_cap0) < 0);
    assert_true(find_arc(&m, s0, k_only1) < 0);
    for (int i = 0; i < 3; i++) assert_true(find_arc(&m, i, k_none) < 0);
    /* a zero haul limit leaves only zero-distance pairs */
    m.materials.m[1].max_haul_km = 0.0;
    add_sink(&m, 113.21, 35.23, 1u << 1);
    assert_int_equal(build(g, &m, 1.3), 0);
    assert_int_equal(m.n_arcs, 2);
    assert_true(find_arc(&m, s1, k_only1) < 0);
    assert_true(find_arc(&m, s1, 3) >= 0);
    wp_model_free(&m);
}

/* An unlimited haul pairs everything accepted, however far; rebuilding
** replaces the arcs rather than appending. */
static void test_unlimited_and_rebuild(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { HUGE_VAL };
    wp_model m;
    model_setup(&m, 1, haul);
    add_source(&m, 116.40, 39.90, 0);     /* Beijing */
    add_source(&m, 113.26, 23.13, 0);     /* Guangzhou */
    add_sink(&m, 87.62, 43.83, 1u);       /* Urumqi */
    add_sink(&m, -74.0, 40.7, 1u);        /* New York */
    assert_int_equal(build(g, &m, 1.3), 0);
    assert_int_equal(m.n_arcs, 4);
    assert_int_equal(build(g, &m, 1.3), 0);
    assert_int_equal(m.n_arcs, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(m.arcs[i].src, (int)i / 2);
        assert_int_equal(m.arcs[i].sink, (int)i % 2);
    }
    wp_model_free(&m);
}

/* ---- lines and polygons ------------------------------------------------------ */

/* A road line near Jiaozuo: the delivery point of each source is the nearest
** point of the line, checked against 4000 samples per edge. */
static void test_line_nearest(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { 1000.0 };
    const double xy[] = { 113.25, 35.20, 113.40, 35.05, 113.55, 34.95, 113.60, 34.80 };
    wp_model m;
    model_setup(&m, 1, haul);
    int k = add_sink(&m, xy[0], xy[1], 1u);
    m.sinks[k].kind = WP_SINK_ROAD;
    set_wkt(g, &m, k, "LINESTRING (113.25 35.20, 113.40 35.05, 113.55 34.95, 113.60 34.80)");
    rng_seed(21);
    for (int i = 0; i < 60; i++) add_source(&m, uni(112.9, 114.0), uni(34.5, 35.6), 0);
    add_source(&m, 113.40, 35.05, 0);     /* on a vertex */
    add_source(&m, 113.70, 34.60, 0);     /* beyond the far end */
    assert_int_equal(build(g, &m, 1.2), 0);
    assert_int_equal(m.n_arcs, (size_t)m.n_sources);
    for (size_t i = 0; i < m.n_arcs; i++) {
        const wp_arc *a = &m.arcs[i];
        const wp_source *s = &m.sources[a->src];
        double best = sampled_min_km(xy, 4, 4000, s->lon, s->lat, NULL, NULL);
        double got = a->dist_km / 1.2;
        if (fabs(got - best) > 0.02)
            fail_msg("source %d: nearest %.4f km, samples say %.4f km", a->src, got, best);
        /* the delivery point lies on the line, near the best sample */
        assert_true(sampled_min_km(xy, 4, 4000, a->to_lon, a->to_lat, NULL, NULL) < 0.02);
        /* and the reported distance is the geodesic to the delivery point */
        assert_true(fabs(wp_geodesic_km(s->lon, s->lat, a->to_lon, a->to_lat) - got) < 1e-9);
    }
    /* the source on a vertex is at (almost) zero distance */
    long v = find_arc(&m, 60, 0);
    assert_true(m.arcs[v].dist_km < 0.001);
    /* the far source is delivered to the end of the line */
    long e = find_arc(&m, 61, 0);
    assert_true(wp_geodesic_km(m.arcs[e].to_lon, m.arcs[e].to_lat, 113.60, 34.80) < 0.01);
    wp_model_free(&m);
}

/* A line along a meridian: the nearest point to a source due east is about
** level with it. */
static void test_line_meridian(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { 100.0 };
    wp_model m;
    model_setup(&m, 1, haul);
    int k = add_sink(&m, 113.2, 35.0, 1u);
    set_wkt(g, &m, k, "LINESTRING (113.2 35.0, 113.2 35.5)");
    add_source(&m, 113.3, 35.25, 0);
    assert_int_equal(build(g, &m, 1.0), 0);
    assert_int_equal(m.n_arcs, 1);
    assert_true(fabs(m.arcs[0].to_lon - 113.2) < 1e-6);
    assert_true(fabs(m.arcs[0].to_lat - 35.25) < 0.001);
    double want = wp_geodesic_km(113.3, 35.25, 113.2, 35.25);
    assert_true(fabs(m.arcs[0].dist_km - want) < 0.005);
    wp_model_free(&m);
}

/* Polygon mine with a hole: inside is distance 0 delivered at the source,
** in the hole or outside is the distance to the nearest ring. */
static void test_polygon(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { 50.0 };
    const double outer[] = { 113.35, 35.24, 113.45, 35.24, 113.45, 35.30,
                             113.35, 35.30, 113.35, 35.24 };
    const double hole[] = { 113.39, 35.26, 113.41, 35.26, 113.41, 35.28,
                            113.39, 35.28, 113.39, 35.26 };
    wp_model m;
    model_setup(&m, 1, haul);
    int k = add_sink(&m, 113.40, 35.27, 1u);
    m.sinks[k].kind = WP_SINK_MINE;
    set_wkt(g, &m, k, "POLYGON ((113.35 35.24, 113.45 35.24, 113.45 35.30, 113.35 35.30, "
                      "113.35 35.24), (113.39 35.26, 113.41 35.26, 113.41 35.28, "
                      "113.39 35.28, 113.39 35.26))");
    int in = add_source(&m, 113.37, 35.25, 0);
    int inhole = add_source(&m, 113.40, 35.265, 0);
    int outside = add_source(&m, 113.60, 35.10, 0);
    assert_int_equal(build(g, &m, 1.3), 0);
    assert_int_equal(m.n_arcs, 3);

    const wp_arc *a = &m.arcs[find_arc(&m, in, k)];
    assert_true(a->dist_km == 0.0);
    assert_true(a->to_lon == 113.37 && a->to_lat == 35.25);

    a = &m.arcs[find_arc(&m, inhole, k)];
    double want = sampled_min_km(hole, 5, 4000, 113.40, 35.265, NULL, NULL);
    assert_true(want > 0.4);
    assert_true(fabs(a->dist_km / 1.3 - want) < 0.01);

    a = &m.arcs[find_arc(&m, outside, k)];
    want = sampled_min_km(outer, 5, 4000, 113.60, 35.10, NULL, NULL);
    assert_true(fabs(a->dist_km / 1.3 - want) < 0.02);
    wp_model_free(&m);
}

/* Random line and polygon sinks mixed with points: the index finds exactly
** the pairs an unlimited search finds within the limit. */
static void test_geometry_index_vs_unlimited(void **state) {
    wp_geo *g = *state;
    const double haul[2] = { 40.0, 90.0 };
    const double unlimited[2] = { 1e6, 1e6 };
    wp_model lim, all;
    model_setup(&lim, 2, haul);
    model_setup(&all, 2, unlimited);
    rng_seed(31);
    for (int i = 0; i < 300; i++) {
        double lon = uni(111.5, 115.0), lat = uni(33.5, 36.5);
        int mat = (int)(rnd() * 2);
        add_source(&lim, lon, lat, mat);
        add_source(&all, lon, lat, mat);
    }
    for (int k = 0; k < 60; k++) {
        double lon = uni(111.5, 115.0), lat = uni(33.5, 36.5);
        unsigned acc = 1u + (unsigned)(rnd() * 3);
        char wkt[512];
        int shape = k % 3;
        if (shape == 1) {          /* a road of 2-4 vertices, up to ~100 km */
            int nv = 2 + (int)(rnd() * 3);
            int off = snprintf(wkt, sizeof wkt, "LINESTRING (%.6f %.6f", lon, lat);
            double x = lon, y = lat;
            for (int v = 1; v < nv; v++) {
                x += uni(-0.4, 0.4);
                y += uni(-0.3, 0.3);
                off += snprintf(wkt + off, sizeof wkt - (size_t)off, ", %.6f %.6f", x, y);
            }
            snprintf(wkt + off, sizeof wkt - (size_t)off, ")");
        } else if (shape == 2) {   /* a mine outline */
            double w = uni(0.01, 0.2), h = uni(0.01, 0.2);
            snprintf(wkt, sizeof wkt, "POLYGON ((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f))",
                     lon, lat, lon + w, lat, lon + w, lat + h, lon, lat + h, lon, lat);
        }
        add_sink(&lim, lon, lat, acc);
        add_sink(&all, lon, lat, acc);
        if (shape) {
            set_wkt(g, &lim, k, wkt);
            set_wkt(g, &all, k, wkt);
        }
    }
    assert_int_equal(build(g, &lim, 1.3), 0);
    assert_int_equal(build(g, &all, 1.3), 0);
    size_t j = 0;
    for (size_t i = 0; i < all.n_arcs; i++) {
        const wp_arc *a = &all.arcs[i];
        int mat = all.sources[a->src].material;
        if (!(a->dist_km <= haul[mat])) continue;
        if (j >= lim.n_arcs) fail_msg("limited run lacks arc %d->%d", a->src, a->sink);
        const wp_arc *b = &lim.arcs[j++];
        if (a->src != b->src || a->sink != b->sink)
            fail_msg("arc %zu: got %d->%d, want %d->%d", j - 1, b->src, b->sink,
                     a->src, a->sink);
        assert_true(a->dist_km == b->dist_km);
        assert_true(a->to_lon == b->to_lon && a->to_lat == b->to_lat);
    }
    assert_int_equal(j, lim.n_arcs);
    assert_true(j > 100);
    wp_model_free(&lim);
    wp_model_free(&all);
}

/* ---- Jiaozuo ------------------------------------------------------------------ */

/* Real places around Jiaozuo (CGCS2000 coordinates, used as WGS84 lon/lat)
** with the built-in materials and their default haul limits. */
static void test_jiaozuo_places(void **state) {
    wp_geo *g = *state;
    wp_model m;
    wp_model_init(&m);
    int red = wp_materials_find(&m.materials, "red_mud");
    int tig = wp_materials_find(&m.materials, "titanium_gypsum");
    int fly = wp_materials_find(&m.materials, "fly_ash");
    int gan = wp_materials_find(&m.materials, "coal_gangue");
    assert_true(red >= 0 && tig >= 0 && fly >= 0 && gan >= 0);

    int zhongzhou = add_source(&m, 113.44, 35.37, red);     /* Zhongzhou Aluminium */
    int lb = add_source(&m, 113.18, 35.23, tig);            /* LB Group */
    int plant = add_source(&m, 113.20, 35.22, fly);         /* Zhongzhan power plant */
    int qinyang = add_sink(&m, 112.857, 35.198, (1u << red) | (1u << tig) | (1u << fly));
    int qianye = add_sink(&m, 113.15, 35.25, 1u << fly);
    int jiulishan = add_sink(&m, 113.40, 35.27, (1u << red) | (1u << fly));
    m.sinks[jiulishan].kind = WP_SINK_MINE;
    int zhaogu = add_sink(&m, 113.6, 35.35, 1u << gan);
    int road = add_sink(&m, 113.25, 35.18, 1u << red);     /* toward Xingyang */
    m.sinks[road].kind = WP_SINK_ROAD;
    set_wkt(g, &m, road, "LINESTRING (113.25 35.18, 113.38 35.05, 113.50 34.93)");
    assert_int_equal(build(g, &m, 1.3), 0);

    /* Everything accepted is within reach in a 60 km wide area. */
    assert_int_equal(m.n_arcs, 7);
    assert_true(find_arc(&m, zhongzhou, qinyang) >= 0);
    assert_true(find_arc(&m, zhongzhou, jiulishan) >= 0);
    assert_true(find_arc(&m, zhongzhou, road) >= 0);
    assert_true(find_arc(&m, lb, qinyang) >= 0);
    assert_true(find_arc(&m, plant, qinyang) >= 0);
    assert_true(find_arc(&m, plant, qianye) >= 0);
    assert_true(find_arc(&m, plant, jiulishan) >= 0);
    for (int i = 0; i < 3; i++) assert_true(find_arc(&m, i, zhaogu) < 0);

    /* LB Group to Qinyang cement, about 29.6 km straight (local flat
    ** estimate), 1.3 times that by road. */
    const wp_arc *a = &m.arcs[find_arc(&m, lb, qinyang)];
    double dx = (112.857 - 113.18) * 111.32 * cos(35.214 * PI / 180.0);
    double dy = (35.198 - 35.23) * 110.95;
    assert_true(fabs(a->dist_km - 1.3 * sqrt(dx * dx + dy * dy)) < 0.1);

    /* Zhongzhou to the road: the nearest point of the line is no farther
    ** than the line's first vertex. */
    a = &m.arcs[find_arc(&m, zhongzhou, road)];
    assert_true(a->dist_km <= 1.3 * wp_geodesic_km(113.44, 35.37, 113.25, 35.18) + 1e-9);
    wp_model_free(&m);
}

/* ---- errors ------------------------------------------------------------------- */

static void test_errors(void **state) {
    wp_geo *g = *state;
    const double haul[1] = { 100.0 };
    char err[256];
    wp_model m;
    model_setup(&m, 1, haul);
    add_source(&m, 113.2, 35.2, 0);
    int k = add_sink(&m, 113.3, 35.3, 1u);

    wp_distance bad = { WP_DIST_GEODESIC, 0.8 };
    assert_int_equal(wp_build_arcs(g, &bad, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "detour"));
    bad.detour = NAN;
    assert_int_equal(wp_build_arcs(g, &bad, &m, err, sizeof err), -1);

    wp_distance d = { WP_DIST_GEODESIC, 1.3 };
    m.sources[0].material = 40;
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "src:0"));
    m.sources[0].material = 0;
    m.sources[0].lat = NAN;
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "src:0"));
    m.sources[0].lat = 35.2;

    m.materials.m[0].max_haul_km = -5;
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "max_haul_km"));
    m.materials.m[0].max_haul_km = 100;

    /* garbage WKB: an error naming the sink, not a crash */
    /* little-endian LINESTRING claiming 3 points, holding 1 */
    static const unsigned char trunc[25] = { 1, 2, 0, 0, 0, 3, 0, 0, 0 };
    m.sinks[k].wkb = malloc(sizeof trunc);
    assert_non_null(m.sinks[k].wkb);
    memcpy(m.sinks[k].wkb, trunc, sizeof trunc);
    m.sinks[k].wkb_len = sizeof trunc;
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, "sink:0"));
    assert_int_equal(m.n_arcs, 0);

    /* a point given as WKB is used as the sink's point */
    free(m.sinks[k].wkb);
    m.sinks[k].wkb = NULL;
    set_wkt(g, &m, k, "POINT (113.3 35.3)");
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), 0);
    assert_int_equal(m.n_arcs, 1);
    assert_true(m.arcs[0].to_lon == 113.3);

    /* NULL distance: geodesic with the model's detour */
    m.detour = 2.0;
    assert_int_equal(wp_build_arcs(g, NULL, &m, err, sizeof err), 0);
    assert_true(fabs(m.arcs[0].dist_km - 2.0 * wp_geodesic_km(113.2, 35.2, 113.3, 35.3)) < 1e-9);
    wp_model_free(&m);

    /* an empty model has no arcs and no error */
    wp_model_init(&m);
    assert_int_equal(wp_build_arcs(g, &d, &m, err, sizeof err), 0);
    assert_int_equal(m.n_arcs, 0);
    wp_model_free(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_vs_brute),
        cmocka_unit_test(test_grid_degenerate),
        cmocka_unit_test(test_random_jiaozuo),
        cmocka_unit_test(test_random_far_places),
        cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_accepts_and_caps),
        cmocka_unit_test(test_unlimited_and_rebuild),
        cmocka_unit_test(test_line_nearest),
        cmocka_unit_test(test_line_meridian),
        cmocka_unit_test(test_polygon),
        cmocka_unit_test(test_geometry_index_vs_unlimited),
        cmocka_unit_test(test_jiaozuo_places),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
