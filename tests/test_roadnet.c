/*
** test_roadnet.c — road networks, bounded shortest paths, snapping and
** network arcs. Small hand-made networks whose distances are worked out by
** hand (one-way streets, a disconnected part, a point beyond the snap
** limit, two points on one segment, line sinks, noding of lines that cross
** without a shared vertex), and random grids where the forward and reverse
** searches, one and two threads, and a plain O(n^2) Bellman-Ford must all
** agree.
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
#include <unistd.h>

#include "../geo/netarcs.h"
#include "../geo/roadnet.h"
#include "../geo/router.h"
#include "../geo/snap.h"

static uint64_t rng_state;
static void rng_seed(uint64_t s) { rng_state = s * 2654435761u + 1; }
static double rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* Three nodes on a parallel, A - B - C, with A->B one-way. */
static wp_roadnet *line3(double *ab, double *bc) {
    wp_roadnet_builder *b = wp_roadnet_builder_new(1);
    assert_non_null(b);
    int a = wp_roadnet_builder_node(b, 113.0, 35.0);
    int bb = wp_roadnet_builder_node(b, 113.01, 35.0);
    int c = wp_roadnet_builder_node(b, 113.02, 35.0);
    assert_int_equal(wp_roadnet_builder_node(b, 113.0, 35.0), a);   /* deduplicated */
    assert_int_equal(wp_roadnet_builder_segment(b, a, bb, 1.0, WP_ROAD_FORWARD), 0);
    assert_int_equal(wp_roadnet_builder_segment(b, bb, c, 2.0, WP_ROAD_BOTH), 0);
    assert_int_equal(wp_roadnet_builder_segment(b, a, a, 1.0, WP_ROAD_BOTH), 0);  /* ignored */
    assert_int_equal(wp_roadnet_builder_segment(b, a, c, 0.0, WP_ROAD_BOTH), -1);
    *ab = wp_geodesic_km(113.0, 35.0, 113.01, 35.0);
    *bc = wp_geodesic_km(113.01, 35.0, 113.02, 35.0);
    wp_roadnet *n = wp_roadnet_builder_finish(b);
    assert_non_null(n);
    return n;
}

static void test_oneway_and_bound(void **state) {
    (void)state;
    double ab, bc;
    wp_roadnet *n = line3(&ab, &bc);
    assert_int_equal(n->n_nodes, 3);
    assert_int_equal(n->n_segs, 2);
    assert_int_equal(n->n_arcs, 3);
    wp_router *r = wp_router_new(n);
    assert_non_null(r);
    int start = 0;
    double zero = 0;
    /* forward from A: B at ab, C at ab + 2 bc (multiplier 2) */
    assert_int_equal(wp_router_search(r, 0, 1, &start, &zero, &zero, 100), 3);
    assert_true(fabs(wp_router_cost(r, 1) - ab) < 1e-12);
    assert_true(fabs(wp_router_cost(r, 2) - (ab + 2 * bc)) < 1e-12);
    assert_true(fabs(wp_router_len(r, 2) - (ab + bc)) < 1e-12);
    int path[4];
    assert_int_equal(wp_router_path(r, 2, path, 4), 3);
    assert_int_equal(path[0], 0);
    assert_int_equal(path[2], 2);
    /* from C, A cannot be reached: A -> B is one-way */
    start = 2;
    wp_router_search(r, 0, 1, &start, &zero, &zero, 100);
    assert_true(wp_router_cost(r, 0) == HUGE_VAL);
    assert_true(fabs(wp_router_cost(r, 1) - 2 * bc) < 1e-12);
    /* the reverse graph from C gives the cost of reaching C: A can */
    wp_router_search(r, 1, 1, &start, &zero, &zero, 100);
    assert_true(fabs(wp_router_cost(r, 0) - (ab + 2 * bc)) < 1e-12);
    /* a bound between B and C: C is not settled */
    start = 0;
    assert_int_equal(wp_router_search(r, 0, 1, &start, &zero, &zero, ab + bc), 2);
    assert_true(wp_router_cost(r, 2) == HUGE_VAL);
    wp_router_free(r);
    wp_roadnet_free(n);
}

static void model_init_one(wp_model *m, double haul) {
    wp_model_init(m);
    m->materials.m[0].max_haul_km = haul;
}

static int add_src(wp_model *m, double lon, double lat) {
    char id[32];
    snprintf(id, sizeof id, "s%03d", m->n_sources);
    wp_source *s = wp_model_add_source(m, id, NULL);
    assert_non_null(s);
    s->lon = lon;
    s->lat = lat;
    s->material = 0;
    s->supply_t = 100;
    return m->n_sources - 1;
}

static int add_snk(wp_model *m, double lon, double lat) {
    char id[32];
    snprintf(id, sizeof id, "k%03d", m->n_sinks);
    wp_sink *k = wp_model_add_sink(m, id, NULL);
    assert_non_null(k);
    k->lon = lon;
    k->lat = lat;
    k->accepts = 1u;
    k->cap_total_t = HUGE_VAL;
    for (int j = 0; j < WP_MAX_MATERIALS; j++) k->cap_t[j] = HUGE_VAL;
    return m->n_sinks - 1;
}

static const wp_arc *find_arc(const wp_model *m, int s, int k) {
    for (size_t a = 0; a < m->n_arcs; a++)
        if (m->arcs[a].src == s && m->arcs[a].sink == k) return &m->arcs[a];
    return NULL;
}

/* Access legs, one-way streets, the snap limit, a shared segment. */
static void test_netplan_small(void **state) {
    (void)state;
    wp_geo *g = wp_geo_new();
    assert_non_null(g);
    double ab, bc;
    wp_roadnet *n = line3(&ab, &bc);
    wp_model m;
    model_init_one(&m, 100);
    /* s0 beside A (north by 0.001 deg), s1 beside the middle of B-C,
    ** s2 far from every road, k0 beside C, k1 beside A, k2 beside B-C too */
    int s0 = add_src(&m, 113.0, 35.001);
    int s1 = add_src(&m, 113.015, 35.0005);
    int s2 = add_src(&m, 113.5, 35.5);
    int k0 = add_snk(&m, 113.02, 34.999);
    int k1 = add_snk(&m, 113.0, 34.9995);
    int k2 = add_snk(&m, 113.0175, 35.0);
    char err[256];
    wp_netplan *p = wp_netplan_new(g, n, &m, 1.0, err, sizeof err);
    assert_non_null(p);
    assert_true(wp_netplan_source_snap(p, s2)->seg < 0);
    assert_true(wp_netplan_source_snap(p, s2)->access_km > 50);
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    double leg0 = wp_geodesic_km(113.0, 35.001, 113.0, 35.0);
    double legk0 = wp_geodesic_km(113.02, 34.999, 113.02, 35.0);
    const wp_arc *a = find_arc(&m, s0, k0);
    assert_non_null(a);
    assert_true(fabs(a->dist_km - (leg0 + ab + 2 * bc + legk0)) < 1e-6);
    /* s1 sits on B-C: k1 beside A is beyond the one-way street */
    assert_null(find_arc(&m, s1, k1));
    assert_non_null(find_arc(&m, s1, k0));
    /* s1 and k2 share segment B-C: 0.0025 deg along it at multiplier 2 */
    a = find_arc(&m, s1, k2);
    assert_non_null(a);
    double along = 2 * bc * 0.25;
    double l1 = wp_geodesic_km(113.015, 35.0005, 113.015, 35.0);
    assert_true(fabs(a->dist_km - (l1 + along)) < 1e-4);
    for (size_t i = 0; i < m.n_arcs; i++) assert_int_not_equal(m.arcs[i].src, s2);
    /* arcs sorted by source, then sink */
    for (size_t i = 1; i < m.n_arcs; i++)
        assert_true(m.arcs[i - 1].src < m.arcs[i].src ||
                    (m.arcs[i - 1].src == m.arcs[i].src && m.arcs[i - 1].sink < m.arcs[i].sink));
    /* the haul limit bounds the whole distance, access legs included */
    m.materials.m[0].max_haul_km = leg0 + ab + 2 * bc + legk0 - 1e-6;
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    assert_null(find_arc(&m, s0, k0));
    m.materials.m[0].max_haul_km = 100;
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    /* the route of s0 -> k0: source, A, B, C, sink */
    assert_int_equal(wp_netplan_routes(p, &m, NULL, 0, err, sizeof err), 0);
    size_t ai = (size_t)(find_arc(&m, s0, k0) - m.arcs);
    assert_non_null(m.arc_route_wkb);
    const unsigned char *w = m.arc_route_wkb[ai];
    assert_non_null(w);
    unsigned npts;
    memcpy(&npts, w + 5, 4);
    assert_int_equal(npts, 5);
    assert_int_equal(m.arc_route_len[ai], 9 + 16 * npts);
    double x, y;
    memcpy(&x, w + 9, 8);
    memcpy(&y, w + 17, 8);
    assert_true(x == 113.0 && y == 35.001);
    memcpy(&x, w + 9 + 16 * (npts - 1), 8);
    memcpy(&y, w + 17 + 16 * (npts - 1), 8);
    assert_true(x == 113.02 && y == 34.999);
    wp_netplan_free(p);
    wp_model_free(&m);
    wp_geo_free(g);
}

/* A line sink enters at the network point nearest the line. */
static void test_line_sink(void **state) {
    (void)state;
    wp_geo *g = wp_geo_new();
    double ab, bc;
    wp_roadnet *n = line3(&ab, &bc);
    wp_model m;
    model_init_one(&m, 100);
    int s0 = add_src(&m, 113.0, 35.0);
    int k0 = add_snk(&m, 113.02, 35.1);
    /* a north-south line whose south end is 0.002 deg north of C */
    unsigned char wkb[41];
    unsigned type = 2, np = 2;
    double c[4] = {113.02, 35.1, 113.02, 35.002};
    wkb[0] = 1;
    memcpy(wkb + 1, &type, 4);
    memcpy(wkb + 5, &np, 4);
    memcpy(wkb + 9, c, 32);
    m.sinks[k0].wkb = malloc(sizeof wkb);
    assert_non_null(m.sinks[k0].wkb);
    memcpy(m.sinks[k0].wkb, wkb, sizeof wkb);
    m.sinks[k0].wkb_len = sizeof wkb;
    m.sinks[k0].kind = WP_SINK_ROAD;
    char err[256];
    wp_netplan *p = wp_netplan_new(g, n, &m, 1.0, err, sizeof err);
    assert_non_null(p);
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    const wp_arc *a = find_arc(&m, s0, k0);
    assert_non_null(a);
    double leg = wp_geodesic_km(113.02, 35.002, 113.02, 35.0);
    assert_true(fabs(a->dist_km - (ab + 2 * bc + leg)) < 1e-4);
    assert_true(fabs(a->to_lat - 35.002) < 1e-6 && fabs(a->to_lon - 113.02) < 1e-6);
    wp_netplan_free(p);
    wp_model_free(&m);
    wp_geo_free(g);
}

/* Random grid: every arc against Bellman-Ford from its source. */
static void test_grid_agreement(void **state) {
    (void)state;
    wp_geo *g = wp_geo_new();
    rng_seed(7);
    const int W = 12;
    wp_roadnet_builder *b = wp_roadnet_builder_new(1);
    int id[12][12];
    for (int i = 0; i < W; i++)
        for (int j = 0; j < W; j++)
            id[i][j] = wp_roadnet_builder_node(b, 113 + 0.01 * i + 0.003 * rnd(), 35 + 0.01 * j + 0.003 * rnd());
    for (int i = 0; i < W; i++)
        for (int j = 0; j < W; j++) {
            double r = rnd();
            int dir = r < 0.2 ? WP_ROAD_FORWARD : r < 0.3 ? WP_ROAD_BACKWARD : WP_ROAD_BOTH;
            if (i + 1 < W && (j < 5 || j > 6 || i != 5))   /* a gap: partly disconnected */
                wp_roadnet_builder_segment(b, id[i][j], id[i + 1][j], 1 + rnd(), dir);
            if (j + 1 < W && j != 5)
                wp_roadnet_builder_segment(b, id[i][j], id[i][j + 1], 1 + rnd(), WP_ROAD_BOTH);
        }
    wp_roadnet *n = wp_roadnet_builder_finish(b);
    assert_non_null(n);
    wp_model m;
    model_init_one(&m, 6.0);
    for (int i = 0; i < 25; i++) add_src(&m, 113 + 0.11 * rnd(), 35 + 0.11 * rnd());
    for (int i = 0; i < 9; i++) add_snk(&m, 113 + 0.11 * rnd(), 35 + 0.11 * rnd());
    char err[256];
    wp_netplan *p = wp_netplan_new(g, n, &m, 5.0, err, sizeof err);
    assert_non_null(p);
    /* fewer sinks than sources: reverse searches */
    wp_netplan_set_threads(p, 2);
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    size_t na = m.n_arcs;
    assert_true(na > 10);
    wp_arc *two = malloc(na * sizeof *two);
    assert_non_null(two);
    memcpy(two, m.arcs, na * sizeof *two);
    wp_netplan_set_threads(p, 1);
    assert_int_equal(wp_netplan_build_arcs(p, g, NULL, 1u, &m, err, sizeof err), 0);
    assert_int_equal(m.n_arcs, na);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(m.arcs[i].src, two[i].src);
        assert_int_equal(m.arcs[i].sink, two[i].sink);
        assert_true(m.arcs[i].dist_km == two[i].dist_km);
    }
    /* Bellman-Ford over segment arcs with virtual source and sink ports */
    const wp_roadnet *net = wp_netplan_network(p);
    double *d = malloc((size_t)net->n_nodes * sizeof *d);
    assert_non_null(d);
    int checked = 0;
    for (int s = 0; s < m.n_sources; s++) {
        const wp_snap *ss = wp_netplan_source_snap(p, s);
        if (ss->seg < 0) continue;
        for (int x = 0; x < net->n_nodes; x++) d[x] = HUGE_VAL;
        int u = net->seg_u[ss->seg], v = net->seg_v[ss->seg];
        if (net->seg_w_uv[ss->seg] >= 0) d[v] = (1 - ss->t) * net->seg_w_uv[ss->seg];
        if (net->seg_w_vu[ss->seg] >= 0) d[u] = fmin(d[u], ss->t * net->seg_w_vu[ss->seg]);
        for (int it = 0; it < net->n_nodes; it++) {
            int changed = 0;
            for (int e = 0; e < net->n_segs; e++) {
                int a = net->seg_u[e], c = net->seg_v[e];
                if (net->seg_w_uv[e] >= 0 && d[a] + net->seg_w_uv[e] < d[c]) {
                    d[c] = d[a] + net->seg_w_uv[e];
                    changed = 1;
                }
                if (net->seg_w_vu[e] >= 0 && d[c] + net->seg_w_vu[e] < d[a]) {
                    d[a] = d[c] + net->seg_w_vu[e];
                    changed = 1;
                }
            }
            if (!changed) break;
        }
        for (int k = 0; k < m.n_sinks; k++) {
            const wp_snap *ks = wp_netplan_sink_snap(p, k);
            if (ks->seg < 0) continue;
            int ku = net->seg_u[ks->seg], kv = net->seg_v[ks->seg];
            double best = HUGE_VAL;
            if (net->seg_w_uv[ks->seg] >= 0) best = d[ku] + ks->t * net->seg_w_uv[ks->seg];
            if (net->seg_w_vu[ks->seg] >= 0)
                best = fmin(best, d[kv] + (1 - ks->t) * net->seg_w_vu[ks->seg]);
            if (ks->seg == ss->seg) {
                if (ks->t >= ss->t && net->seg_w_uv[ss->seg] >= 0)
                    best = fmin(best, (ks->t - ss->t) * net->seg_w_uv[ss->seg]);
                if (ks->t <= ss->t && net->seg_w_vu[ss->seg] >= 0)
                    best = fmin(best, (ss->t - ks->t) * net->seg_w_vu[ss->seg]);
            }
            double total = ss->access_km + best + ks->access_km;
            const wp_arc *a = find_arc(&m, s, k);
            if (total <= 6.0 - 1e-9) {
                assert_non_null(a);
                assert_true(fabs(a->dist_km - total) < 1e-9);
                checked++;
            } else if (total > 6.0 + 1e-9) {
                assert_null(a);
            }
        }
    }
    assert_true(checked > 10);
    free(d);
    free(two);
    wp_netplan_free(p);
    wp_model_free(&m);
    wp_geo_free(g);
}

/* Two lines crossing without a shared vertex join only when noded. */
static void test_noding(void **state) {
    (void)state;
    char dir[] = "/tmp/wp_test_roadnet_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/roads.geojson", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\"},\"geometry\":"
          "{\"type\":\"LineString\",\"coordinates\":[[113.0,35.0],[113.02,35.0]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\",\"oneway\":\"yes\"},\"geometry\":"
          "{\"type\":\"LineString\",\"coordinates\":[[113.01,34.99],[113.01,35.01]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"highway\":\"footway\"},\"geometry\":"
          "{\"type\":\"LineString\",\"coordinates\":[[113.0,35.0],[113.0,35.01]]}}]}", f);
    fclose(f);
    wp_geo *g = wp_geo_new();
    wp_roadnet_options o;
    memset(&o, 0, sizeof o);
    o.path = path;
    char err[512];
    wp_roadnet *n = wp_roadnet_load(g, &o, err, sizeof err);
    assert_non_null(n);
    assert_int_equal(n->n_nodes, 4);      /* the footway is left out */
    assert_int_equal(n->n_segs, 2);
    assert_int_equal(n->features_skipped, 1);
    wp_roadnet_free(n);
    o.node = 1;
    n = wp_roadnet_load(g, &o, err, sizeof err);
    assert_non_null(n);
    assert_int_equal(n->n_nodes, 5);
    assert_int_equal(n->n_segs, 4);
    assert_int_equal(n->n_arcs, 6);       /* the one-way line keeps one direction */
    wp_roadnet_free(n);
    /* a class field that does not exist is an error naming it */
    o.field_class = "kind";
    assert_null(wp_roadnet_load(g, &o, err, sizeof err));
    assert_non_null(strstr(err, "kind"));
    o.field_class = NULL;
    o.path = "/nonexistent/roads.shp";
    assert_null(wp_roadnet_load(g, &o, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/roads.shp"));
    wp_geo_free(g);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oneway_and_bound),
        cmocka_unit_test(test_netplan_small),
        cmocka_unit_test(test_line_sink),
        cmocka_unit_test(test_grid_agreement),
        cmocka_unit_test(test_noding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
