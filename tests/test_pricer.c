/*
** test_pricer.c — the column-generation side of the arc search. The
** reference throughout is the full arc set of wp_build_arcs (itself checked
** against brute force in test_arcs.c), scanned by brute force: the initial
** arcs must be each source's k nearest of it, price() must return exactly
** its arcs with a negative reduced cost (all of them, or each source's most
** negative few), complete() the rest of a source's arcs. The distance lower
** bound is checked against the exact distance on pairs everywhere on the
** globe, and on integer reduced costs of exactly -1 and 0. Instances mix
** point, line and polygon sinks; results must not depend on the number of
** threads.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../geo/pricer.h"
#include "../planner/allocate.h"
#include "../planner/generate.h"

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
    free(s->wkb);
    s->wkb = malloc(len);
    assert_non_null(s->wkb);
    memcpy(s->wkb, buf, len);
    s->wkb_len = len;
    GEOSFree_r(g->geos, buf);
    GEOSGeom_destroy_r(g->geos, geom);
    GEOSWKBWriter_destroy_r(g->geos, w);
    GEOSWKTReader_destroy_r(g->geos, r);
}

/* A generated region (3 materials, point sinks), then every fourth sink
** turned into a road line or a mine polygon near its point, some limits
** set to zero, one sink on top of source 0 (distance 0). */
static void make_instance(wp_geo *g, wp_model *m, uint64_t seed, int ns, int nk,
                          double region_km, double haul_km) {
    wp_gen_params gp;
    wp_gen_defaults(&gp);
    gp.n_sources = ns;
    gp.n_sinks = nk;
    gp.region_km = region_km;
    gp.seed = seed;
    wp_model_init(m);
    assert_int_equal(wp_generate(m, &gp), 0);
    for (int j = 0; j < 3; j++) m->materials.m[j].max_haul_km = haul_km * (1.0 - 0.2 * j);
    rng_seed(seed);
    for (int k = 0; k < m->n_sinks; k++) {
        wp_sink *s = &m->sinks[k];
        if (k % 7 == 3) s->cap_t[k % 3] = 0.0;
        if (k % 4 == 1) {
            char wkt[256];
            double x = s->lon, y = s->lat;
            snprintf(wkt, sizeof wkt, "LINESTRING (%.6f %.6f, %.6f %.6f, %.6f %.6f)",
                     x, y, x + uni(-0.4, 0.4), y + uni(-0.3, 0.3),
                     x + uni(-0.6, 0.6), y + uni(-0.5, 0.5));
            set_wkt(g, m, k, wkt);
            s->kind = WP_SINK_ROAD;
        } else if (k % 4 == 2) {
            char wkt[320];
            double x = s->lon, y = s->lat, w = uni(0.01, 0.15), h = uni(0.01, 0.15);
            snprintf(wkt, sizeof wkt,
                     "POLYGON ((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f))",
                     x, y, x + w, y, x + w, y + h, x, y + h, x, y);
            set_wkt(g, m, k, wkt);
            s->kind = WP_SINK_MINE;
        }
    }
    wp_sink *on = &m->sinks[0];
    free(on->wkb);
    on->wkb = NULL;
    on->wkb_len = 0;
    on->lon = m->sources[0].lon;
    on->lat = m->sources[0].lat;
    on->accepts |= 1u << m->sources[0].material;
    on->cap_t[m->sources[0].material] = 1000.0;
}

/* The full arc set of wp_build_arcs, copied out; the model's arcs are
** emptied. */
static wp_arc *full_arcs(wp_geo *g, wp_model *m, size_t *n) {
    char err[256] = "";
    wp_distance d = { WP_DIST_GEODESIC, 1.3 };
    if (wp_build_arcs(g, &d, m, err, sizeof err) != 0) fail_msg("wp_build_arcs: %s", err);
    *n = m->n_arcs;
    wp_arc *a = malloc((m->n_arcs ? m->n_arcs : 1) * sizeof *a);
    assert_non_null(a);
    memcpy(a, m->arcs, m->n_arcs * sizeof *a);
    m->n_arcs = 0;
    return a;
}

static wp_geo_pricer *new_pricer(wp_geo *g, wp_model *m, int threads) {
    char err[256] = "";
    wp_distance d = { WP_DIST_GEODESIC, 1.3 };
    wp_geo_pricer *p = wp_pricer_new(g, &d, m, err, sizeof err);
    if (!p) fail_msg("wp_pricer_new: %s", err);
    wp_pricer_set_threads(p, threads);
    return p;
}

static int cmp_arc(const void *a, const void *b) {
    const wp_arc *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

/* got[0..ng) must equal want[0..nw) element by element. */
static void assert_arcs_equal(const wp_arc *got, size_t ng, const wp_arc *want,
                              size_t nw, const char *what) {
    size_t n = ng < nw ? ng : nw;
    for (size_t i = 0; i < n; i++) {
        const wp_arc *a = &got[i], *b = &want[i];
        if (a->src != b->src || a->sink != b->sink)
            fail_msg("%s: arc %zu is %d->%d, want %d->%d", what, i, a->src,
                     a->sink, b->src, b->sink);
        if (a->dist_km != b->dist_km || a->to_lon != b->to_lon || a->to_lat != b->to_lat)
            fail_msg("%s: arc %d->%d has %.17g km, want %.17g", what, a->src,
                     a->sink, a->dist_km, b->dist_km);
    }
    if (ng != nw) fail_msg("%s: %zu arcs, want %zu", what, ng, nw);
}

/* Does arcs[0..n) (sorted by source, sink) hold src->sink? */
static int has_arc(const wp_arc *arcs, size_t n, int src, int sink) {
    wp_arc key = { src, sink, 0, 0, 0 };
    return n > 0 && bsearch(&key, arcs, n, sizeof *arcs, cmp_arc) != NULL;
}

/* Potentials as the solver would give them, random. */
typedef struct {
    int64_t *src, *dest;
    wp_duals d;
} duals_buf;

static void duals_random(duals_buf *b, const wp_model *m, uint64_t seed, double cu,
                         int64_t src_lo, int64_t src_hi, int64_t dest_hi) {
    b->src = malloc((size_t)m->n_sources * sizeof *b->src);
    b->dest = calloc((size_t)m->n_sinks * WP_MAX_MATERIALS, sizeof *b->dest);
    assert_non_null(b->src);
    assert_non_null(b->dest);
    rng_seed(seed);
    for (int i = 0; i < m->n_sources; i++)
        b->src[i] = src_lo + (int64_t)(rnd() * (double)(src_hi - src_lo));
    for (size_t i = 0; i < (size_t)m->n_sinks * WP_MAX_MATERIALS; i++)
        b->dest[i] = (int64_t)(rnd() * (double)dest_hi);
    b->d.src = b->src;
    b->d.dest = b->dest;
    b->d.cost_unit = cu;
}

static void duals_free(duals_buf *b) {
    free(b->src);
    free(b->dest);
}

/* Integer reduced cost of arc a under d, as allocate.h defines it. */
static int64_t reduced_cost(const wp_model *m, const wp_arc *a, const wp_duals *d) {
    int j = m->sources[a->src].material;
    return (int64_t)llround(wp_arc_cost_per_t(m, a) / d->cost_unit) + d->src[a->src] -
           d->dest[(size_t)a->sink * WP_MAX_MATERIALS + (size_t)j];
}

typedef struct {
    wp_arc a;
    int64_t rc;
} rc_arc;

static int cmp_rc_arc(const void *x, const void *y) {
    const rc_arc *a = x, *b = y;
    if (a->rc != b->rc) return a->rc < b->rc ? -1 : 1;
    return (a->a.sink > b->a.sink) - (a->a.sink < b->a.sink);
}

/* Brute force: the arcs of full[] not in present[] with negative reduced
** cost, each source's max_per most negative (ties by sink; max_per < 1: all),
** ordered by source then sink. Caller frees. */
static wp_arc *brute_price(const wp_model *m, const wp_arc *full, size_t nf,
                           const wp_arc *present, size_t np, const wp_duals *d,
                           int max_per, size_t *n_out) {
    wp_arc *out = malloc((nf ? nf : 1) * sizeof *out);
    rc_arc *buf = malloc((nf ? nf : 1) * sizeof *buf);
    assert_non_null(out);
    assert_non_null(buf);
    size_t n = 0;
    for (size_t i = 0; i < nf;) {
        size_t e = i, nb = 0;
        while (e < nf && full[e].src == full[i].src) e++;
        for (size_t q = i; q < e; q++) {
            if (has_arc(present, np, full[q].src, full[q].sink)) continue;
            int64_t rc = reduced_cost(m, &full[q], d);
            if (rc < 0) {
                buf[nb].a = full[q];
                buf[nb].rc = rc;
                nb++;
            }
        }
        if (max_per > 0 && nb > (size_t)max_per) {
            qsort(buf, nb, sizeof *buf, cmp_rc_arc);
            nb = (size_t)max_per;
        }
        size_t first = n;
        for (size_t q = 0; q < nb; q++) out[n++] = buf[q].a;
        qsort(out + first, n - first, sizeof *out, cmp_arc);
        i = e;
    }
    free(buf);
    *n_out = n;
    return out;
}

/* Brute force: each source's k nearest arcs of full[] (ties by sink). */
static wp_arc *brute_nearest(const wp_arc *full, size_t nf, int k, size_t *n_out) {
    wp_arc *out = malloc((nf ? nf : 1) * sizeof *out);
    rc_arc *buf = malloc((nf ? nf : 1) * sizeof *buf);
    assert_non_null(out);
    assert_non_null(buf);
    size_t n = 0;
    for (size_t i = 0; i < nf;) {
        size_t e = i, nb = 0;
        while (e < nf && full[e].src == full[i].src) e++;
        /* order by distance: sort (km, sink) via rc_arc with rc unused */
        for (size_t q = i; q < e; q++) buf[nb++].a = full[q];
        for (size_t x = 1; x < nb; x++)        /* insertion sort by (km, sink) */
            for (size_t y = x; y > 0; y--) {
                wp_arc *a = &buf[y - 1].a, *b = &buf[y].a;
                if (a->dist_km < b->dist_km ||
                    (a->dist_km == b->dist_km && a->sink < b->sink)) break;
                rc_arc t = buf[y - 1];
                buf[y - 1] = buf[y];
                buf[y] = t;
            }
        if (nb > (size_t)k) nb = (size_t)k;
        size_t first = n;
        for (size_t q = 0; q < nb; q++) out[n++] = buf[q].a;
        qsort(out + first, n - first, sizeof *out, cmp_arc);
        i = e;
    }
    free(buf);
    *n_out = n;
    return out;
}

static wp_arc *copy_arcs(const wp_model *m, size_t *n) {
    *n = m->n_arcs;
    wp_arc *a = malloc((m->n_arcs ? m->n_arcs : 1) * sizeof *a);
    assert_non_null(a);
    memcpy(a, m->arcs, m->n_arcs * sizeof *a);
    return a;
}

/* ---- the lower bound ---------------------------------------------------------- */

/* Pairs all over the globe, from a few metres to thousands of km, near the
** poles and across the antimeridian, to points, lines and polygons: the
** bound never exceeds the exact distance, and for points it is within
** 0.6 % of it (the sphere/ellipsoid gap), so it prunes. */
static void test_lower_bound(void **state) {
    wp_geo *g = *state;
    wp_model m;
    wp_model_init(&m);
    m.materials.count = 1;
    m.materials.m[0].max_haul_km = 1e6;
    rng_seed(5);
    const int ns = 400, nk = 300;
    for (int i = 0; i < ns; i++) {
        char id[32];
        snprintf(id, sizeof id, "s%d", i);
        wp_source *s = wp_model_add_source(&m, id, NULL);
        assert_non_null(s);
        int zone = i % 4;
        s->lon = zone == 1 ? uni(179.0, 181.0) : uni(-180, 180);
        if (s->lon >= 180.0) s->lon -= 360.0;
        s->lat = zone == 2 ? uni(85.0, 90.0) : uni(-80, 80);
        if (zone == 3) s->lat = uni(33.0, 36.0), s->lon = uni(112.0, 115.0);
        s->material = 0;
        s->supply_t = 1;
    }
    for (int k = 0; k < nk; k++) {
        char id[32];
        snprintf(id, sizeof id, "k%d", k);
        wp_sink *t = wp_model_add_sink(&m, id, NULL);
        assert_non_null(t);
        t->accepts = 1u;
        /* near some source (metres to tens of km), or anywhere */
        const wp_source *s = &m.sources[(k * 7) % ns];
        double r = k % 3 == 0 ? 1e-5 : k % 3 == 1 ? 0.3 : 60.0;
        t->lon = s->lon + uni(-r, r);
        t->lat = fmax(-90.0, fmin(90.0, s->lat + uni(-r, r)));
        if (k % 5 == 1) {
            char wkt[256];
            snprintf(wkt, sizeof wkt, "LINESTRING (%.9f %.9f, %.9f %.9f)", t->lon,
                     t->lat, t->lon + uni(-0.5, 0.5), fmax(-89.0, fmin(89.0, t->lat + uni(-0.5, 0.5))));
            set_wkt(g, &m, k, wkt);
        } else if (k % 5 == 2 && fabs(t->lat) < 85.0) {
            char wkt[320];
            double x = t->lon, y = t->lat, w = uni(0.001, 0.3), h = uni(0.001, 0.3);
            snprintf(wkt, sizeof wkt,
                     "POLYGON ((%.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f, %.9f %.9f))",
                     x, y, x + w, y, x + w, y + h, x, y + h, x, y);
            set_wkt(g, &m, k, wkt);
        }
    }
    wp_geo_pricer *p = new_pricer(g, &m, 1);
    long tight = 0, points = 0;
    for (int i = 0; i < ns; i++)
        for (int k = 0; k < nk; k++) {
            double km = 0, lb = 0;
            assert_int_equal(wp_pricer_distance(p, i, k, &km, NULL, NULL), 0);
            assert_int_equal(wp_pricer_lower_bound(p, i, k, &lb), 0);
            if (!(lb >= 0.0 && lb <= km))
                fail_msg("source %d sink %d: bound %.17g km > exact %.17g km", i, k, lb, km);
            if (!m.sinks[k].wkb) {
                /* the exact distance is the geodesic x detour */
                const wp_source *s = &m.sources[i];
                double want = wp_geodesic_km(s->lon, s->lat, m.sinks[k].lon,
                                             m.sinks[k].lat) * 1.3;
                assert_true(km == want);
                if (km < 1500.0) {
                    points++;
                    if (lb >= km * 0.99) tight++;
                }
            }
        }
    /* within haul distances the bound is tight */
    assert_true(points > 1000);
    assert_int_equal(tight, points);
    wp_pricer_free(p);
    wp_model_free(&m);
}

/* ---- initial arcs -------------------------------------------------------------- */

static void test_initial_nearest(void **state) {
    wp_geo *g = *state;
    const int ks[3] = { 1, 4, 12 };
    for (int round = 0; round < 2; round++) {
        wp_model m;
        make_instance(g, &m, 100 + (uint64_t)round, 1200, 160, 500, 100);
        size_t nf;
        wp_arc *full = full_arcs(g, &m, &nf);
        if (nf < 3000) fail_msg("only %zu arcs", nf);
        for (int t = 0; t < 3; t++) {
            wp_geo_pricer *p = new_pricer(g, &m, 1 + t % 2);
            char err[256] = "";
            if (wp_pricer_initial_arcs(p, &m, ks[t], err, sizeof err) != 0)
                fail_msg("initial arcs: %s", err);
            size_t nw;
            wp_arc *want = brute_nearest(full, nf, ks[t], &nw);
            assert_arcs_equal(m.arcs, m.n_arcs, want, nw, "initial arcs");
            /* measuring in bound order stops early: few pairs beyond the
            ** k kept are measured */
            wp_pricer_stats st = wp_pricer_get_stats(p);
            assert_int_equal(st.added, (long long)nw);
            if (ks[t] <= 4) assert_true(st.measured < st.added * 3 / 2);
            free(want);
            wp_pricer_free(p);
        }
        free(full);
        wp_model_free(&m);
    }
}

/* ---- pricing -------------------------------------------------------------------- */

/* price() with random potentials returns exactly the brute-force set (all
** of it, or the most negative few per source), never a present arc; asked
** again under the same potentials with no limit it finds nothing more. */
static void test_price_vs_brute(void **state) {
    wp_geo *g = *state;
    const int maxper[3] = { 0, 1, 3 };
    for (int round = 0; round < 3; round++) {
        wp_model m;
        make_instance(g, &m, 200 + (uint64_t)round, 1000, 140, 500, 100);
        size_t nf;
        wp_arc *full = full_arcs(g, &m, &nf);
        /* costs are 8 + 0.4 km yuan/t: 800..5000 units of 0.01 yuan */
        duals_buf du;
        duals_random(&du, &m, 300 + (uint64_t)round, 0.01, -3500, 0, 2500);
        wp_geo_pricer *p = new_pricer(g, &m, 2);
        wp_pricer *pi = wp_pricer_iface(p);
        char err[256] = "";
        assert_int_equal(wp_pricer_initial_arcs(p, &m, 3, err, sizeof err), 0);
        size_t np;
        wp_arc *present = copy_arcs(&m, &np);

        size_t nw;
        wp_arc *want = brute_price(&m, full, nf, present, np, &du.d, maxper[round], &nw);
        assert_true(nw > 50);
        assert_true(nw < nf - np);
        long got = pi->price(pi, &m, &du.d, maxper[round], err, sizeof err);
        if (got < 0) fail_msg("price: %s", err);
        assert_int_equal((size_t)got, nw);
        assert_int_equal(m.n_arcs, np + nw);
        assert_arcs_equal(m.arcs + np, (size_t)got, want, nw, "priced arcs");
        /* pruning worked: far fewer pairs measured than in the full set */
        wp_pricer_stats st = wp_pricer_get_stats(p);
        assert_true(st.measured < (long long)nf);

        /* ask until nothing is left: the union is every pricing-out arc */
        long more;
        int rounds = 0;
        while ((more = pi->price(pi, &m, &du.d, maxper[round], err, sizeof err)) > 0)
            rounds++;
        assert_int_equal(more, 0);
        assert_true(maxper[round] != 0 || rounds == 0);
        size_t all_n;
        wp_arc *all = brute_price(&m, full, nf, present, np, &du.d, 0, &all_n);
        size_t nm;
        wp_arc *now = copy_arcs(&m, &nm);
        qsort(now + np, nm - np, sizeof *now, cmp_arc);
        assert_arcs_equal(now + np, nm - np, all, all_n, "all priced arcs");
        qsort(now, nm, sizeof *now, cmp_arc);     /* no duplicates anywhere */
        for (size_t i = 1; i < nm; i++)
            assert_false(now[i].src == now[i - 1].src && now[i].sink == now[i - 1].sink);
        free(now);
        free(all);
        free(want);
        free(present);
        wp_pricer_free(p);
        duals_free(&du);
        free(full);
        wp_model_free(&m);
    }
}

/* Potentials under which nothing prices out: price() adds nothing. First
** all zero (costs are positive); then, for sources each given its own
** sinks, dest = the arc's exact integer cost (reduced cost exactly 0) or
** that plus one (exactly -1), with a cost unit of 1e-7 yuan so that the
** integer boundary sits at a fraction of a millimetre: every -1 arc must be
** found and no 0 arc. */
static void test_price_boundary(void **state) {
    wp_geo *g = *state;
    wp_model m;
    make_instance(g, &m, 400, 800, 120, 400, 100);
    size_t nf;
    wp_arc *full = full_arcs(g, &m, &nf);
    wp_geo_pricer *p = new_pricer(g, &m, 2);
    wp_pricer *pi = wp_pricer_iface(p);
    char err[256] = "";
    duals_buf du;
    duals_random(&du, &m, 1, 1e-7, 0, 1, 1);     /* all zero */
    assert_int_equal(pi->price(pi, &m, &du.d, 0, err, sizeof err), 0);
    assert_int_equal(m.n_arcs, 0);

    /* Each sink gets one owner: the first source (in arc order) reaching it.
    ** Other sources get a potential high enough never to price out. */
    int *owner = malloc((size_t)m.n_sinks * sizeof *owner);
    assert_non_null(owner);
    for (int k = 0; k < m.n_sinks; k++) owner[k] = -1;
    for (size_t a = 0; a < nf; a++)
        if (owner[full[a].sink] < 0) owner[full[a].sink] = full[a].src;
    for (int i = 0; i < m.n_sources; i++) du.src[i] = (int64_t)1 << 40;
    size_t n_minus = 0;
    rng_seed(9);
    for (size_t a = 0; a < nf; a++) {
        const wp_arc *x = &full[a];
        if (owner[x->sink] != x->src) continue;
        du.src[x->src] = 0;
        int j = m.sources[x->src].material;
        int one = rnd() < 0.5;
        du.dest[(size_t)x->sink * WP_MAX_MATERIALS + (size_t)j] =
            (int64_t)llround(wp_arc_cost_per_t(&m, x) / 1e-7) + one;
        n_minus += (size_t)one;
    }
    /* An owner's arcs to sinks it does not own get whatever reduced cost
    ** those potentials give: the reference below holds them too. */
    size_t nw;
    wp_arc *want = brute_price(&m, full, nf, NULL, 0, &du.d, 0, &nw);
    /* every -1 arc is in the reference (it may hold other arcs too) */
    size_t found = 0;
    for (size_t q = 0; q < nw; q++)
        if (owner[want[q].sink] == want[q].src) {
            assert_int_equal(reduced_cost(&m, &want[q], &du.d), -1);
            found++;
        }
    assert_int_equal(found, n_minus);
    assert_true(n_minus > 20);
    long got = pi->price(pi, &m, &du.d, 0, err, sizeof err);
    if (got < 0) fail_msg("price: %s", err);
    assert_arcs_equal(m.arcs, m.n_arcs, want, nw, "boundary arcs");
    free(want);
    free(owner);
    duals_free(&du);
    wp_pricer_free(p);
    free(full);
    wp_model_free(&m);
}

/* ---- complete and membership ---------------------------------------------------- */

/* complete() adds each source's remaining arcs in sink order; after all
** sources the arcs are the full set. Arcs the caller adds itself are
** respected too, and a second complete() adds nothing. */
static void test_complete(void **state) {
    wp_geo *g = *state;
    wp_model m;
    make_instance(g, &m, 500, 900, 130, 500, 100);
    size_t nf;
    wp_arc *full = full_arcs(g, &m, &nf);
    wp_geo_pricer *p = new_pricer(g, &m, 2);
    wp_pricer *pi = wp_pricer_iface(p);
    char err[256] = "";
    assert_int_equal(wp_pricer_initial_arcs(p, &m, 2, err, sizeof err), 0);
    /* the caller appends some arcs itself (every 5th of the full set) */
    size_t n0;
    wp_arc *init = copy_arcs(&m, &n0);
    for (size_t a = 0; a < nf; a += 5)
        if (!has_arc(init, n0, full[a].src, full[a].sink))
            assert_int_equal(wp_model_add_arc(&m, &full[a]), 0);
    size_t n1 = m.n_arcs;
    assert_true(n1 > n0);
    for (int s = 0; s < m.n_sources; s++) {
        size_t before = m.n_arcs;
        long got = pi->complete(pi, &m, s, err, sizeof err);
        if (got < 0) fail_msg("complete: %s", err);
        assert_int_equal(m.n_arcs, before + (size_t)got);
        for (size_t a = before; a < m.n_arcs; a++) {
            assert_int_equal(m.arcs[a].src, s);
            if (a > before) assert_true(m.arcs[a].sink > m.arcs[a - 1].sink);
        }
        assert_int_equal(pi->complete(pi, &m, s, err, sizeof err), 0);
    }
    wp_arc *now = copy_arcs(&m, &n1);
    qsort(now, n1, sizeof *now, cmp_arc);
    assert_arcs_equal(now, n1, full, nf, "completed arcs");
    free(now);
    free(init);
    wp_pricer_free(p);
    free(full);
    wp_model_free(&m);
}

/* ---- determinism ---------------------------------------------------------------- */

/* The same calls with 1, 2 and 3 threads, and twice, give identical arcs. */
static void test_determinism(void **state) {
    wp_geo *g = *state;
    wp_model m;
    make_instance(g, &m, 600, 1500, 150, 600, 100);
    wp_arc *ref = NULL;
    size_t nref = 0, nref_init = 0;
    const int threads[4] = { 1, 2, 3, 2 };
    for (int run = 0; run < 4; run++) {
        wp_geo_pricer *p = new_pricer(g, &m, threads[run]);
        wp_pricer *pi = wp_pricer_iface(p);
        char err[256] = "";
        assert_int_equal(wp_pricer_initial_arcs(p, &m, 5, err, sizeof err), 0);
        size_t ninit = m.n_arcs;
        duals_buf du;
        duals_random(&du, &m, 77, 0.01, -3000, 0, 2500);
        assert_true(pi->price(pi, &m, &du.d, 2, err, sizeof err) > 0);
        assert_true(pi->price(pi, &m, &du.d, 0, err, sizeof err) > 0);
        duals_free(&du);
        if (!ref) {
            ref = copy_arcs(&m, &nref);
            nref_init = ninit;
        } else {
            assert_int_equal(ninit, nref_init);
            assert_arcs_equal(m.arcs, m.n_arcs, ref, nref, "repeat run");
        }
        wp_pricer_free(p);
    }
    /* and the full build does not depend on the thread count either */
    size_t n1, n2;
    setenv("WASTEPLAN_THREADS", "1", 1);
    wp_arc *one = full_arcs(g, &m, &n1);
    setenv("WASTEPLAN_THREADS", "4", 1);
    wp_arc *four = full_arcs(g, &m, &n2);
    unsetenv("WASTEPLAN_THREADS");
    assert_arcs_equal(four, n2, one, n1, "full build, 4 vs 1 threads");
    free(one);
    free(four);
    free(ref);
    wp_model_free(&m);
}

/* ---- end to end ----------------------------------------------------------------- */

/* Column generation from each source's few nearest sinks reaches the same
** optimum as one solve over the full arc set, on generated regions with
** point, line and polygon sinks and with scarce or ample capacity. */
static void test_allocate_priced(void **state) {
    wp_geo *g = *state;
    for (int round = 0; round < 3; round++) {
        wp_model full, cg;
        make_instance(g, &full, 800 + (uint64_t)round, 3000, 300, 600, 100);
        make_instance(g, &cg, 800 + (uint64_t)round, 3000, 300, 600, 100);
        if (round == 1)            /* ample room: everything competes on cost */
            for (int k = 0; k < full.n_sinks; k++) {
                full.sinks[k].cap_total_t *= 3;
                cg.sinks[k].cap_total_t *= 3;
                for (int j = 0; j < 3; j++) {
                    full.sinks[k].cap_t[j] *= 3;
                    cg.sinks[k].cap_t[j] *= 3;
                }
            }
        char err[256] = "";
        wp_distance d = { WP_DIST_GEODESIC, 1.3 };
        if (wp_build_arcs(g, &d, &full, err, sizeof err) != 0) fail_msg("arcs: %s", err);
        size_t nf = full.n_arcs;
        wp_result rf, rc;
        if (wp_allocate(&full, &rf, err, sizeof err) != 0) fail_msg("wp_allocate: %s", err);

        wp_geo_pricer *p = new_pricer(g, &cg, 2);
        /* about 9 arcs per source are in reach: start from 2 to 4 of them */
        assert_int_equal(wp_pricer_initial_arcs(p, &cg, 2 + round, err, sizeof err), 0);
        int rounds = 0;
        if (wp_allocate_priced(&cg, wp_pricer_iface(p), &rc, &rounds, err, sizeof err) != 0)
            fail_msg("wp_allocate_priced: %s", err);
        double rel = fabs(rc.total_cost - rf.total_cost) / fabs(rf.total_cost);
        if (!(rel <= 1e-9))
            fail_msg("instance %d: priced %.6f, full %.6f", round, rc.total_cost,
                     rf.total_cost);
        assert_true(cg.n_arcs < nf);          /* never needed every arc */
        assert_true(rounds >= 1);             /* and pricing had work to do */
        wp_result_free(&rf);
        wp_result_free(&rc);
        wp_pricer_free(p);
        wp_model_free(&full);
        wp_model_free(&cg);
    }
}

/* ---- errors -------------------------------------------------------------------- */

static void test_errors(void **state) {
    wp_geo *g = *state;
    wp_model m, other;
    make_instance(g, &m, 700, 50, 10, 200, 100);
    wp_model_init(&other);
    char err[256];
    wp_distance bad = { WP_DIST_GEODESIC, 0.5 };
    assert_null(wp_pricer_new(g, &bad, &m, err, sizeof err));
    assert_non_null(strstr(err, "detour"));

    wp_geo_pricer *p = new_pricer(g, &m, 2);
    wp_pricer *pi = wp_pricer_iface(p);
    assert_int_equal(wp_pricer_initial_arcs(p, &m, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "k_nearest"));
    assert_int_equal(wp_pricer_initial_arcs(p, &other, 3, err, sizeof err), -1);
    assert_non_null(strstr(err, "another model"));
    duals_buf du;
    duals_random(&du, &m, 1, 0.0, 0, 1, 1);
    assert_int_equal(pi->price(pi, &m, &du.d, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "cost unit"));
    assert_int_equal(pi->complete(pi, &m, m.n_sources, err, sizeof err), -1);
    duals_free(&du);
    /* a pair the search cannot use */
    double km;
    assert_int_equal(wp_pricer_distance(p, -1, 0, &km, NULL, NULL), -1);
    wp_pricer_free(p);

    /* unreadable geometry names the sink */
    static const unsigned char trunc[25] = { 1, 2, 0, 0, 0, 3, 0, 0, 0 };
    wp_sink *k = &m.sinks[1];
    free(k->wkb);
    k->wkb = malloc(sizeof trunc);
    assert_non_null(k->wkb);
    memcpy(k->wkb, trunc, sizeof trunc);
    k->wkb_len = sizeof trunc;
    k->accepts = 7u;
    k->cap_t[0] = k->cap_t[1] = k->cap_t[2] = 1.0;
    assert_null(wp_pricer_new(g, NULL, &m, err, sizeof err));
    assert_non_null(strstr(err, k->id));
    wp_model_free(&other);
    wp_model_free(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower_bound),
        cmocka_unit_test(test_initial_nearest),
        cmocka_unit_test(test_price_vs_brute),
        cmocka_unit_test(test_price_boundary),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_allocate_priced),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
