/*
** test_siting.c — the siting model: with no park worth building the MIP's
** optimum equals the allocation's; on tiny random instances every problem
** type matches brute force over all choices of parks and sizes (each
** choice evaluated by the min-cost-flow allocation); the strong and the
** naive formulation agree; the heuristic's cost and bound bracket the
** proven optimum; required sites, county limits, targets and budgets hold;
** park costs per tonne (revenue too) are priced exactly; candidates are
** generated at yards and on a grid, and removed by exclusion zones.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../planner/siting.h"
#include "../planner/generate.h"
#include "../geo/candidates.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CBC's own presolve (libCoinUtils) keeps a few hundred bytes to process
** exit; the sanitizer build must not count a leak that is not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
    return "leak:libCoinUtils.so\nleak:libCbc.so\nleak:libCbcSolver.so\nleak:libClp.so\n"
           "leak:libCgl.so\nleak:libOsiClp.so\n";
}

/* ------------------------------------------------------------ instances */

/* Straight-line km between two lon/lat points (good enough for arcs in a
** test: what matters is that every solver sees the same arcs). */
static double plain_km(double lon1, double lat1, double lon2, double lat2) {
    double kx = 111.32 * cos((lat1 + lat2) * 0.5 * 3.14159265358979323846 / 180.0), ky = 110.57;
    return hypot((lon2 - lon1) * kx, (lat2 - lat1) * ky);
}

static void plain_arcs(wp_model *m) {
    m->n_arcs = 0;
    for (int i = 0; i < m->n_sources; i++)
        for (int k = 0; k < m->n_sinks; k++) {
            const wp_source *s = &m->sources[i];
            const wp_sink *sk = &m->sinks[k];
            if (!(sk->accepts >> s->material & 1u)) continue;
            double km = plain_km(s->lon, s->lat, sk->lon, sk->lat) * m->detour;
            if (km > m->materials.m[s->material].max_haul_km) continue;
            wp_arc a = {i, k, km, sk->lon, sk->lat};
            assert_int_equal(wp_model_add_arc(m, &a), 0);
        }
}

/* A random region with n_src sources, n_sink existing sinks (too little
** capacity, so parks are worth something) and n_cand candidates of one
** park type with two options, accepting materials 0 and 1. */
static void make_instance(wp_model *m, wp_siting *s, int n_src, int n_sink, int n_cand,
                          uint64_t seed, double fixed_scale) {
    wp_model_init(m);
    m->detour = 1.3;
    wp_gen_params gp;
    wp_gen_defaults(&gp);
    gp.n_sources = n_src;
    gp.n_sinks = n_sink;
    gp.region_km = 120;
    gp.n_materials = 2;
    gp.capacity_ratio = 0.4;
    gp.seed = seed;
    assert_int_equal(wp_generate(m, &gp), 0);
    wp_model_sort_by_id(m);
    wp_siting_init(s);
    wp_park_type t;
    memset(&t, 0, sizeof t);
    t.id = "park";
    t.name = "park";
    t.accepts = 3u;
    t.n_options = 2;
    double supply = 0;
    for (int i = 0; i < m->n_sources; i++) supply += m->sources[i].supply_t;
    t.cap_t[0] = round(supply * 0.15);
    t.cap_t[1] = round(supply * 0.35);
    t.fixed_cost[0] = fixed_scale * t.cap_t[0] * 12;
    t.fixed_cost[1] = fixed_scale * t.cap_t[1] * 9;
    assert_int_equal(wp_siting_add_type(s, &t), 0);
    uint64_t st = seed * 7919 + 1;
    for (int c = 0; c < n_cand; c++) {
        char id[16];
        snprintf(id, sizeof id, "C%02d", c);
        wp_candidate *cd = wp_siting_add_candidate(s, id, id);
        assert_non_null(cd);
        cd->type = 0;
        cd->lon = gp.lon0 + (wp_rand_uniform(&st) - 0.5) * 1.2;
        cd->lat = gp.lat0 + (wp_rand_uniform(&st) - 0.5) * 1.0;
    }
}

/* Add the candidates as sinks and build arcs; returns n_base. */
static int extend(wp_model *m, const wp_siting *s) {
    int nb = m->n_sinks;
    assert_int_equal(wp_siting_add_sinks(m, s, -1), 0);
    plain_arcs(m);
    return nb;
}

/* Cost of one choice by the allocation: haul + handling + penalty + park
** costs per tonne + fixed costs; also tonnes and count. */
static double choice_cost(const wp_model *mx, int nb, const wp_siting *s, const int *opt,
                          double *tonnes, double *fixed, double *got_basis) {
    wp_model tmp = *mx;
    tmp.sinks = malloc((size_t)mx->n_sinks * sizeof *tmp.sinks);
    assert_non_null(tmp.sinks);
    memcpy(tmp.sinks, mx->sinks, (size_t)mx->n_sinks * sizeof *tmp.sinks);
    double *sc = calloc((size_t)mx->n_sinks, sizeof *sc);
    assert_non_null(sc);
    double f = 0;
    for (int c = 0; c < s->n_cands; c++) {
        const wp_park_type *t = &s->types[s->cands[c].type];
        tmp.sinks[nb + c].cap_total_t = opt[c] >= 0 ? t->cap_t[opt[c]] : 0;
        sc[nb + c] = t->cost_per_t;
        if (opt[c] >= 0) f += t->fixed_cost[opt[c]];
    }
    wp_result r;
    double gate = 0;
    char err[256];
    if (wp_site_allocate(&tmp, sc, &r, &gate, err, sizeof err) < 0) fail_msg("%s", err);
    double tn = 0;
    if (got_basis) memset(got_basis, 0, WP_MAX_MATERIALS * sizeof *got_basis);
    for (int i = 0; i < mx->n_sources; i++) {
        tn += r.src_delivered[i];
        if (got_basis && mx->sources[i].kind == WP_SRC_PLANT)
            got_basis[mx->sources[i].material] += r.src_delivered[i];
    }
    double cost = r.total_cost + gate + f;
    wp_result_free(&r);
    free(sc);
    free(tmp.sinks);
    if (tonnes) *tonnes = tn;
    if (fixed) *fixed = f;
    return cost;
}

static void solve(const wp_model *mx, int nb, const wp_siting *s, const wp_site_params *p,
                  wp_site_result *res) {
    char err[512];
    if (wp_site_solve(mx, nb, s, p, res, err, sizeof err) < 0) fail_msg("wp_site_solve: %s", err);
}

static void free_all(wp_model *m, wp_siting *s) {
    wp_model_free(m);
    wp_siting_free(s);
}

/* Next choice in the odometer over options -1..n-1; 0 when wrapped. */
static int next_choice(int *opt, const wp_siting *s) {
    for (int c = 0; c < s->n_cands; c++) {
        if (++opt[c] < s->types[s->cands[c].type].n_options) return 1;
        opt[c] = -1;
    }
    return 0;
}

static int count_built(const int *opt, int n) {
    int k = 0;
    for (int c = 0; c < n; c++) k += opt[c] >= 0;
    return k;
}

/* ------------------------------------------------------------ tests */

/* Fixed costs too high for any park: the MIP builds nothing and its
** optimum is the allocation's, to the allocation's rounding. */
static void test_no_park_equals_allocation(void **state) {
    (void)state;
    wp_model m;
    wp_siting s;
    make_instance(&m, &s, 40, 6, 5, 11, 1e6);
    wp_result r0;
    char err[256];
    plain_arcs(&m);
    assert_int_equal(wp_allocate(&m, &r0, err, sizeof err), 0);
    int nb = extend(&m, &s);
    wp_site_params p;
    wp_site_params_init(&p);
    wp_site_result res;
    solve(&m, nb, &s, &p, &res);
    assert_int_equal(res.status, WP_SITE_OPTIMAL);
    assert_int_equal(res.n_built, 0);
    assert_true(fabs(res.total_cost - r0.total_cost) <= 1e-6 * r0.total_cost + 1e-3);
    wp_site_result_free(&res);
    /* the heuristic finds the same and proves it with the LP */
    p.heuristic = 1;
    solve(&m, nb, &s, &p, &res);
    assert_int_equal(res.n_built, 0);
    assert_true(fabs(res.total_cost - r0.total_cost) <= 1e-6 * r0.total_cost + 1e-3);
    assert_true(res.bound <= res.total_cost * (1 + 1e-7));
    wp_site_result_free(&res);
    wp_result_free(&r0);
    free_all(&m, &s);
}

/* cflp and k against brute force, strong and naive, on several seeds. */
static void test_brute_force(void **state) {
    (void)state;
    int built_any = 0, built_none = 0;
    for (uint64_t seed = 1; seed <= 6; seed++) {
        wp_model m;
        wp_siting s;
        make_instance(&m, &s, 30, 4, 5, seed, seed % 2 ? 0.3 : 1.0);
        int nb = extend(&m, &s);
        int opt[8];
        for (int c = 0; c < s.n_cands; c++) opt[c] = -1;
        double best = HUGE_VAL, best_k[8];
        for (int k = 0; k < 8; k++) best_k[k] = HUGE_VAL;
        do {
            double v = choice_cost(&m, nb, &s, opt, NULL, NULL, NULL);
            int k = count_built(opt, s.n_cands);
            if (v < best) best = v;
            if (v < best_k[k]) best_k[k] = v;
        } while (next_choice(opt, &s));
        for (int naive = 0; naive <= 1; naive++) {
            wp_site_params p;
            wp_site_params_init(&p);
            p.naive = naive;
            wp_site_result res;
            solve(&m, nb, &s, &p, &res);
            assert_int_equal(res.status, WP_SITE_OPTIMAL);
            if (res.n_built > 0) built_any++;
            else built_none++;
            if (fabs(res.total_cost - best) > 1e-6 * best)
                fail_msg("seed %d naive %d: cflp %.6f, brute force %.6f", (int)seed, naive,
                         res.total_cost, best);
            /* the chosen parks, evaluated again, cost what the MIP says */
            double again = choice_cost(&m, nb, &s, res.option, NULL, NULL, NULL);
            assert_true(fabs(again - best) <= 1e-6 * best);
            wp_site_result_free(&res);
            for (int k = 1; k <= 3; k++) {
                p.problem = WP_SITE_K;
                p.k = k;
                solve(&m, nb, &s, &p, &res);
                assert_int_equal(res.n_built, k);
                if (fabs(res.total_cost - best_k[k]) > 1e-6 * best_k[k])
                    fail_msg("seed %d k=%d: MIP %.6f, brute force %.6f", (int)seed, k,
                             res.total_cost, best_k[k]);
                wp_site_result_free(&res);
            }
        }
        /* the heuristic: never better than the optimum, bound never above */
        wp_site_params p;
        wp_site_params_init(&p);
        p.heuristic = 1;
        wp_site_result res;
        solve(&m, nb, &s, &p, &res);
        assert_true(res.total_cost >= best * (1 - 1e-7));
        assert_true(res.bound <= best * (1 + 1e-7));
        assert_true(res.gap >= 0);
        wp_site_result_free(&res);
        free_all(&m, &s);
    }
    /* the instances are not all trivial: some optima build parks */
    assert_true(built_any >= 4);
}

/* Target: the fewest parks that bring new output of material 0 to a share,
** then the least cost; budget: the most tonnes within the fixed-cost
** budget. Brute force over the choices, with tonnes from the allocation,
** gives an upper bound on the MIP's park count and a lower bound on its
** tonnes (the MIP may also deliver at a loss to meet a target). */
static void test_target_and_budget(void **state) {
    (void)state;
    wp_model m;
    wp_siting s;
    make_instance(&m, &s, 30, 4, 5, 3, 0.5);
    int nb = extend(&m, &s);
    double base_got[WP_MAX_MATERIALS], supply0 = 0;
    int none[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
    choice_cost(&m, nb, &s, none, NULL, NULL, base_got);
    for (int i = 0; i < m.n_sources; i++)
        if (m.sources[i].material == 0) supply0 += m.sources[i].supply_t;
    double share = fmin(0.95, base_got[0] / supply0 + 0.15);

    int opt[8], best_n = 99;
    double budget = s.types[0].fixed_cost[1] * 1.5, best_t = -1;
    for (int c = 0; c < s.n_cands; c++) opt[c] = -1;
    do {
        double got[WP_MAX_MATERIALS], tn, fixed;
        choice_cost(&m, nb, &s, opt, &tn, &fixed, got);
        int k = count_built(opt, s.n_cands);
        if (got[0] >= share * supply0 && k < best_n) best_n = k;
        if (fixed <= budget && tn > best_t) best_t = tn;
    } while (next_choice(opt, &s));

    wp_site_params p;
    wp_site_params_init(&p);
    p.problem = WP_SITE_TARGET;
    p.target[0] = share;
    wp_site_result res;
    solve(&m, nb, &s, &p, &res);
    assert_int_equal(res.status, WP_SITE_OPTIMAL);
    assert_true(res.n_built <= best_n);
    assert_true(res.n_built >= 1);
    assert_true(res.phase1 == res.n_built);
    wp_site_result_free(&res);

    p.problem = WP_SITE_BUDGET;
    p.budget = budget;
    solve(&m, nb, &s, &p, &res);
    assert_int_equal(res.status, WP_SITE_OPTIMAL);
    assert_true(res.fixed_cost <= budget);
    assert_true(res.objective >= best_t * (1 - 1e-7));
    wp_site_result_free(&res);
    p.heuristic = 1;
    solve(&m, nb, &s, &p, &res);
    assert_true(res.fixed_cost <= budget);
    assert_true(res.objective <= res.bound * (1 + 1e-7));   /* tonnes below the LP's */
    wp_site_result_free(&res);
    free_all(&m, &s);
}

/* A required site is built even when it does not pay; a county limit of
** one keeps two candidates of the same county from both being built. */
static void test_required_and_county(void **state) {
    (void)state;
    wp_model m;
    wp_siting s;
    make_instance(&m, &s, 30, 4, 5, 5, 0.05);   /* cheap parks: build many */
    s.cands[4].required = 1;
    s.types[0].fixed_cost[0] = s.types[0].fixed_cost[1] = 1e3;
    int g = wp_siting_group(&s, "county A");
    for (int c = 0; c < 4; c++) s.cands[c].group = g;
    s.max_per_group = 1;
    int nb = extend(&m, &s);
    wp_site_params p;
    wp_site_params_init(&p);
    wp_site_result res;
    solve(&m, nb, &s, &p, &res);
    assert_true(res.option[4] >= 0);
    int in_a = 0;
    for (int c = 0; c < 4; c++) in_a += res.option[c] >= 0;
    assert_true(in_a <= 1);
    wp_site_result_free(&res);
    p.heuristic = 1;
    solve(&m, nb, &s, &p, &res);
    assert_true(res.option[4] >= 0);
    in_a = 0;
    for (int c = 0; c < 4; c++) in_a += res.option[c] >= 0;
    assert_true(in_a <= 1);
    wp_site_result_free(&res);
    free_all(&m, &s);
}

/* A park's cost per tonne, and a revenue larger than the haul, are priced
** exactly: the MIP agrees with brute force over the allocation. */
static void test_cost_per_t(void **state) {
    (void)state;
    for (int sign = -1; sign <= 1; sign += 2) {
        wp_model m;
        wp_siting s;
        make_instance(&m, &s, 25, 4, 4, 9, 0.5);
        s.types[0].cost_per_t = sign * 30.0;
        int nb = extend(&m, &s);
        int opt[8];
        for (int c = 0; c < s.n_cands; c++) opt[c] = -1;
        double best = HUGE_VAL;
        do {
            double v = choice_cost(&m, nb, &s, opt, NULL, NULL, NULL);
            if (v < best) best = v;
        } while (next_choice(opt, &s));
        wp_site_params p;
        wp_site_params_init(&p);
        wp_site_result res;
        solve(&m, nb, &s, &p, &res);
        if (fabs(res.total_cost - best) > 1e-6 * fabs(best) + 1e-3)
            fail_msg("cost_per_t %g: MIP %.6f, brute force %.6f", sign * 30.0,
                     res.total_cost, best);
        wp_site_result_free(&res);
        free_all(&m, &s);
    }
}

/* keep_built drops the candidates not built and their arcs; the allocation
** over what remains equals the evaluation of the choice. */
static void test_keep_built(void **state) {
    (void)state;
    wp_model m;
    wp_siting s;
    make_instance(&m, &s, 30, 4, 5, 2, 0.3);
    int nb = extend(&m, &s);
    int opt[5] = {-1, 1, -1, 0, -1};
    double want = choice_cost(&m, nb, &s, opt, NULL, NULL, NULL);
    int cand_of[16];
    assert_int_equal(wp_site_keep_built(&m, nb, &s, opt, cand_of), 0);
    assert_int_equal(m.n_sinks, nb + 2);
    assert_int_equal(cand_of[nb], 1);
    assert_int_equal(cand_of[nb + 1], 3);
    assert_int_equal(cand_of[0], -1);
    for (size_t a = 0; a < m.n_arcs; a++) assert_true(m.arcs[a].sink < m.n_sinks);
    double fixed = s.types[0].fixed_cost[1] + s.types[0].fixed_cost[0];
    wp_result r;
    char err[256];
    assert_int_equal(wp_allocate(&m, &r, err, sizeof err), 0);
    assert_true(fabs(r.total_cost + fixed - want) <= 1e-6 * want);
    wp_result_free(&r);
    free_all(&m, &s);
}

/* Park types from a scenario: units, 万/亿, errors that name the key. */
static void test_read_types(void **state) {
    (void)state;
    wp_config cfg;
    wp_config_init(&cfg);
    wp_materials ms;
    wp_materials_init_defaults(&ms);
    wp_config_set_in(&cfg, "park.rm", "accepts", "赤泥，钛石膏", "t.ini:2");
    wp_config_set_in(&cfg, "park.rm", "capacities", "50万吨, 1 Mt, 2Mt", "t.ini:3");
    wp_config_set_in(&cfg, "park.rm", "fixed_costs", "2500万, 0.4亿, 70000000元/年", "t.ini:4");
    wp_config_set_in(&cfg, "park.rm", "cost_per_t", "-5", "t.ini:5");
    wp_siting s;
    wp_siting_init(&s);
    char err[512];
    assert_int_equal(wp_siting_read_types(&cfg, &ms, &s, err, sizeof err), 1);
    assert_int_equal(s.n_types, 1);
    assert_string_equal(s.types[0].id, "rm");
    assert_int_equal(s.types[0].n_options, 3);
    assert_true(fabs(s.types[0].cap_t[0] - 5e5) < 1e-6);
    assert_true(fabs(s.types[0].cap_t[2] - 2e6) < 1e-6);
    assert_true(fabs(s.types[0].fixed_cost[1] - 4e7) < 1e-3);
    assert_true(fabs(s.types[0].fixed_cost[2] - 7e7) < 1e-3);
    assert_true(s.types[0].cost_per_t == -5);
    assert_true(s.types[0].accepts == ((1u << wp_materials_find(&ms, "red_mud")) |
                                       (1u << wp_materials_find(&ms, "titanium_gypsum"))));
    wp_siting_free(&s);
    /* one cost too few */
    wp_config_set_in(&cfg, "park.rm", "fixed_costs", "2500万, 4000万", "t.ini:4");
    wp_siting_init(&s);
    assert_int_equal(wp_siting_read_types(&cfg, &ms, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "fixed_costs"));
    wp_siting_free(&s);
    wp_config_set_in(&cfg, "park.rm", "fixed_costs", "2500万, 4000万, 1", "t.ini:4");
    wp_config_set_in(&cfg, "park.rm", "capacities", "50万吨, 20万吨, 2Mt", "t.ini:3");
    wp_siting_init(&s);
    assert_int_equal(wp_siting_read_types(&cfg, &ms, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.ini:3"));
    wp_siting_free(&s);
    wp_config_free(&cfg);
}

/* ------------------------------------------------------------ candidates */

/* WKB of a lon/lat polygon ring (closed by the caller). */
static size_t ring_wkb(unsigned char *buf, const double (*pts)[2], int n) {
    size_t o = 0;
    buf[o++] = 1;
    unsigned t = 3, nr = 1, np = (unsigned)n;
    memcpy(buf + o, &t, 4), o += 4;
    memcpy(buf + o, &nr, 4), o += 4;
    memcpy(buf + o, &np, 4), o += 4;
    for (int i = 0; i < n; i++) {
        memcpy(buf + o, &pts[i][0], 8), o += 8;
        memcpy(buf + o, &pts[i][1], 8), o += 8;
    }
    return o;
}

static size_t line_wkb(unsigned char *buf, const double (*pts)[2], int n) {
    size_t o = 0;
    buf[o++] = 1;
    unsigned t = 2, np = (unsigned)n;
    memcpy(buf + o, &t, 4), o += 4;
    memcpy(buf + o, &np, 4), o += 4;
    for (int i = 0; i < n; i++) {
        memcpy(buf + o, &pts[i][0], 8), o += 8;
        memcpy(buf + o, &pts[i][1], 8), o += 8;
    }
    return o;
}

/* A 10 km grid in a 0.5 x 0.5 degree square, less a 5 km buffer either
** side of a north-south line through its middle: every kept point lies at
** least 5 km from the line, every removed one within it, and the count of
** points matches the square's area over the cell area. */
static void test_grid_and_buffer(void **state) {
    (void)state;
    wp_geo *g = wp_geo_new();
    assert_non_null(g);
    const double sq[5][2] = {{113.0, 35.0}, {113.5, 35.0}, {113.5, 35.5}, {113.0, 35.5}, {113.0, 35.0}};
    const double ln[2][2] = {{113.25, 34.8}, {113.25, 35.7}};
    unsigned char pw[256], lw[128];
    size_t pn = ring_wkb(pw, sq, 5), ln_n = line_wkb(lw, ln, 2);
    wp_cand_zones z;
    wp_cand_zones_init(&z);
    char err[512];
    assert_int_equal(wp_cand_zones_add(g, &z, WP_ZONE_ALLOWED, pw, pn, 0, "test", err, sizeof err), 0);
    wp_siting s;
    wp_siting_init(&s);
    wp_park_type t;
    memset(&t, 0, sizeof t);
    t.id = "p";
    t.accepts = 1;
    t.n_options = 1;
    t.cap_t[0] = 1;
    assert_int_equal(wp_siting_add_type(&s, &t), 0);
    int n_all = wp_cand_grid(g, &z, &s, 0, 10.0, "G", err, sizeof err);
    assert_true(n_all > 0);
    /* the square is about 45.5 x 55.3 km: about 25 cells of 100 km2 */
    assert_true(n_all >= 20 && n_all <= 32);
    assert_int_equal(wp_cand_zones_add(g, &z, WP_ZONE_EXCLUDED, lw, ln_n, 5.0, "river", err, sizeof err), 0);
    int removed = wp_cand_exclude(g, &z, &s, err, sizeof err);
    assert_true(removed > 0 && removed < n_all);
    assert_int_equal(s.n_cands, n_all - removed);
    for (int c = 0; c < s.n_cands; c++) {
        double d = fabs(s.cands[c].lon - 113.25) * 111.32 * cos(s.cands[c].lat * 3.14159265358979323846 / 180);
        assert_true(d >= 4.95);
        assert_true(s.cands[c].lon >= 113.0 && s.cands[c].lon <= 113.5);
    }
    /* at 10 km spacing a 10 km band holds one column of the grid */
    assert_true(removed >= 4 && removed <= 8);
    wp_cand_zones_free(g, &z);
    wp_siting_free(&s);
    wp_geo_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_park_equals_allocation),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_target_and_budget),
        cmocka_unit_test(test_required_and_county),
        cmocka_unit_test(test_cost_per_t),
        cmocka_unit_test(test_keep_built),
        cmocka_unit_test(test_read_types),
        cmocka_unit_test(test_grid_and_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
