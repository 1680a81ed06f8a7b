/*
** test_allocate.c — the allocation model on hand-made cases whose optimum
** is known, the reasons for unallocated tonnes, shadow prices checked by
** finite differences, and invariance under the scale of the data.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../planner/allocate.h"
#include "../planner/generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One material (index 0): handling 8, rate 0.5, penalty 50. */
static void setup_model(wp_model *m) {
    wp_model_init(m);
    wp_material *mt = &m->materials.m[0];
    mt->handling = 8;
    mt->road_rate = 0.5;
    mt->unallocated_cost = 50;
    mt->co2_kg_per_tkm = 0.1;
}

static wp_source *src(wp_model *m, const char *id, int mat, double t) {
    wp_source *s = wp_model_add_source(m, id, id);
    assert_non_null(s);
    s->material = mat;
    s->supply_t = t;
    return s;
}

static wp_sink *sink(wp_model *m, const char *id, unsigned accepts, double total) {
    wp_sink *k = wp_model_add_sink(m, id, id);
    assert_non_null(k);
    k->accepts = accepts;
    k->cap_total_t = total;
    return k;
}

static void arc(wp_model *m, int s, int k, double km) {
    wp_arc a = {s, k, km, 0, 0};
    assert_int_equal(wp_model_add_arc(m, &a), 0);
}

static void solve(const wp_model *m, wp_result *r) {
    char err[256];
    int rc = wp_allocate(m, r, err, sizeof err);
    if (rc != 0) fail_msg("wp_allocate: %s", err);
}

/* Two sources compete for one sink of 100 t: the nearer wins; the other
** is stranded because the site is full, and the site's capacity is worth
** the penalty minus the farther source's haul cost. */
static void test_competition(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    src(&m, "near", 0, 80);
    src(&m, "far", 0, 80);
    sink(&m, "cement", 1u, 100);
    arc(&m, 0, 0, 10);   /* cost 8 + 5 = 13 */
    arc(&m, 1, 0, 40);   /* cost 8 + 20 = 28 */
    wp_result r;
    solve(&m, &r);
    assert_float_equal(r.arc_t[0], 80, 1e-9);
    assert_float_equal(r.arc_t[1], 20, 1e-9);
    assert_float_equal(r.src_unalloc[1], 60, 1e-9);
    assert_int_equal(r.src_reason[0], WP_REASON_NONE);
    assert_int_equal(r.src_reason[1], WP_REASON_SITES_FULL);
    assert_float_equal(r.total_cost, 80 * 13 + 20 * 28 + 60 * 50, 1e-6);
    assert_float_equal(r.sink_shadow[0], 50 - 28, 1e-6);
    assert_float_equal(r.src_marginal[1], 50, 1e-6);
    assert_float_equal(r.mat[0].t_km, 80 * 10 + 20 * 40, 1e-9);
    assert_float_equal(r.mat[0].co2_t, (80 * 10 + 20 * 40) * 0.1 / 1000, 1e-12);
    wp_result_free(&r);
    wp_model_free(&m);
}

/* Each reason in turn. */
static void test_reasons(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    src(&m, "nowhere", 1, 10);        /* material 1: no sink takes it */
    src(&m, "remote", 0, 10);         /* no arc */
    src(&m, "costly", 0, 10);         /* arc costs more than the penalty */
    src(&m, "ok", 0, 10);
    sink(&m, "a", 1u, HUGE_VAL);
    arc(&m, 2, 0, 100);               /* 8 + 50 = 58 > 50 */
    arc(&m, 3, 0, 1);
    wp_result r;
    solve(&m, &r);
    assert_int_equal(r.src_reason[0], WP_REASON_NOT_ACCEPTED);
    assert_int_equal(r.src_reason[1], WP_REASON_OUT_OF_REACH);
    assert_int_equal(r.src_reason[2], WP_REASON_UNECONOMIC);
    assert_int_equal(r.src_reason[3], WP_REASON_NONE);
    assert_float_equal(r.src_unalloc[0] + r.src_unalloc[1] + r.src_unalloc[2], 30, 1e-9);
    assert_float_equal(r.sink_shadow[0], 0, 0);
    assert_string_equal(wp_reason_str(WP_REASON_OUT_OF_REACH), "out_of_reach");
    wp_result_free(&r);
    wp_model_free(&m);
}

/* A per-material limit below the total binds on its own. */
static void test_material_limit(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    m.materials.m[1] = m.materials.m[0];
    src(&m, "a", 0, 50);
    src(&m, "b", 1, 50);
    wp_sink *k = sink(&m, "kiln", 3u, 70);
    k->cap_t[0] = 10;
    arc(&m, 0, 0, 1);
    arc(&m, 1, 0, 1);
    wp_result r;
    solve(&m, &r);
    assert_float_equal(r.arc_t[0], 10, 1e-9);
    assert_float_equal(r.arc_t[1], 50, 1e-9);
    assert_float_equal(r.sink_received_mat[0 * WP_MAX_MATERIALS + 0], 10, 1e-9);
    assert_int_equal(r.src_reason[0], WP_REASON_SITES_FULL);
    assert_float_equal(r.sink_shadow[0], 0, 0);   /* the total does not bind */
    /* the limit on material 0 does: one more tonne of it saves the penalty
    ** minus the haul (8 + 0.5) */
    assert_float_equal(r.sink_shadow_mat[0 * WP_MAX_MATERIALS + 0], 50 - 8.5, 1e-6);
    assert_float_equal(r.sink_shadow_mat[0 * WP_MAX_MATERIALS + 1], 0, 0);
    int best_mat;
    assert_float_equal(wp_sink_best_shadow(&m, &r, 0, &best_mat), 41.5, 1e-6);
    assert_int_equal(best_mat, 0);
    assert_float_equal(wp_sink_capacity(&m, &m.sinks[0]), 70, 0);
    wp_result_free(&r);
    wp_model_free(&m);
}

/* A random instance with real-valued data, for the property tests. */
static void random_model(wp_model *m, uint64_t seed, double qscale, double cscale) {
    wp_model_init(m);
    uint64_t st = seed;
    for (int j = 0; j < 2; j++) {
        m->materials.m[j].handling = (2 + 8 * wp_rand_uniform(&st)) * cscale;
        m->materials.m[j].road_rate = (0.2 + 0.5 * wp_rand_uniform(&st)) * cscale;
        m->materials.m[j].unallocated_cost = (30 + 40 * wp_rand_uniform(&st)) * cscale;
    }
    for (int i = 0; i < 30; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        src(m, id, i % 2, (1 + 999 * wp_rand_uniform(&st)) * qscale);
    }
    for (int k = 0; k < 8; k++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", k);
        wp_sink *s = sink(m, id, 1u + (unsigned)(k % 3 == 0) * 2u, (500 + 2000 * wp_rand_uniform(&st)) * qscale);
        if (k % 4 == 1) s->cap_t[0] = 300 * qscale;
    }
    for (int i = 0; i < 30; i++)
        for (int k = 0; k < 8; k++)
            if ((m->sinks[k].accepts >> (i % 2) & 1u) && wp_rand_uniform(&st) < 0.6)
                arc(m, i, k, 100 * wp_rand_uniform(&st));
}

/* Shadow prices and source marginal costs must lie between the left and
** right finite differences of the optimal cost (they are equal away from
** degeneracy). */
static void test_shadow_prices_by_finite_differences(void **state) {
    (void)state;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        wp_model m;
        random_model(&m, seed, 1, 1);
        wp_result base;
        solve(&m, &base);
        int checked = 0;
        for (int k = 0; k < m.n_sinks; k++) {
            double cap = m.sinks[k].cap_total_t;
            wp_result up, down;
            m.sinks[k].cap_total_t = cap + 1;
            solve(&m, &up);
            m.sinks[k].cap_total_t = cap - 1;
            solve(&m, &down);
            m.sinks[k].cap_total_t = cap;
            double save_right = base.total_cost - up.total_cost;   /* per +1 t */
            double save_left = down.total_cost - base.total_cost;  /* per -1 t */
            double p = base.sink_shadow[k];
            assert_true(p >= save_right - 1e-6);
            assert_true(p <= save_left + 1e-6);
            if (p > 0) checked++;
            wp_result_free(&up);
            wp_result_free(&down);
        }
        for (int k = 0; k < m.n_sinks; k++) {
            double cap = m.sinks[k].cap_t[0];
            if (!(m.sinks[k].accepts & 1u) || cap == HUGE_VAL || cap >= m.sinks[k].cap_total_t)
                continue;
            wp_result up, down;
            m.sinks[k].cap_t[0] = cap + 1;
            solve(&m, &up);
            m.sinks[k].cap_t[0] = cap - 1;
            solve(&m, &down);
            m.sinks[k].cap_t[0] = cap;
            double p = base.sink_shadow_mat[(size_t)k * WP_MAX_MATERIALS];
            assert_true(p >= (base.total_cost - up.total_cost) - 1e-6);
            assert_true(p <= (down.total_cost - base.total_cost) + 1e-6);
            wp_result_free(&up);
            wp_result_free(&down);
        }
        for (int i = 0; i < m.n_sources; i++) {
            double t = m.sources[i].supply_t;
            wp_result up, down;
            m.sources[i].supply_t = t + 1;
            solve(&m, &up);
            m.sources[i].supply_t = t - 1;
            solve(&m, &down);
            m.sources[i].supply_t = t;
            double c = base.src_marginal[i];
            assert_true(c >= (base.total_cost - down.total_cost) - 1e-6);
            assert_true(c <= (up.total_cost - base.total_cost) + 1e-6);
            assert_true(c <= m.materials.m[m.sources[i].material].unallocated_cost + 1e-9);
            wp_result_free(&up);
            wp_result_free(&down);
        }
        (void)checked;
        wp_result_free(&base);
        wp_model_free(&m);
    }
}

/* The optimum scales exactly with the data: quantities from 1 t to 10^8 t,
** costs from 0.01 to 10^6 yuan. */
static void test_scale_invariance(void **state) {
    (void)state;
    wp_model ref;
    random_model(&ref, 42, 1, 1);
    wp_result r0;
    solve(&ref, &r0);
    const double qs[] = {1e-3, 1, 1e4, 1e8, 1024};
    const double cs[] = {1e-2, 1, 1e6, 1, 3};
    for (size_t t = 0; t < sizeof qs / sizeof qs[0]; t++) {
        wp_model m;
        random_model(&m, 42, qs[t], cs[t]);
        wp_result r;
        solve(&m, &r);
        double want = r0.total_cost * qs[t] * cs[t];
        assert_true(fabs(r.total_cost - want) <= 1e-9 * want);
        for (int i = 0; i < m.n_sources; i++)
            assert_true(fabs(r.src_delivered[i] - r0.src_delivered[i] * qs[t]) <=
                        1e-9 * m.sources[i].supply_t + 1e-9 * qs[t]);
        wp_result_free(&r);
        wp_model_free(&m);
    }
    wp_result_free(&r0);
    wp_model_free(&ref);
}

/* Same model, same answer, bit for bit. */
static void test_deterministic(void **state) {
    (void)state;
    wp_model m;
    random_model(&m, 7, 1, 1);
    wp_result a, b;
    solve(&m, &a);
    solve(&m, &b);
    assert_memory_equal(a.arc_t, b.arc_t, m.n_arcs * sizeof(double));
    assert_memory_equal(a.sink_shadow, b.sink_shadow, (size_t)m.n_sinks * sizeof(double));
    assert_true(a.total_cost == b.total_cost);
    wp_result_free(&a);
    wp_result_free(&b);
    wp_model_free(&m);
}

/* Bad numbers are refused with a message, not solved. */
static void test_rejects_bad_numbers(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    src(&m, "a", 0, -5);
    wp_result r;
    char err[256] = "";
    assert_int_equal(wp_allocate(&m, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "a"));
    m.sources[0].supply_t = NAN;
    assert_int_equal(wp_allocate(&m, &r, err, sizeof err), -1);
    wp_model_free(&m);
}

/* Empty model: nothing to do, zero cost. */
static void test_empty(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    wp_result r;
    solve(&m, &r);
    assert_true(r.total_cost == 0);
    wp_result_free(&r);
    wp_model_free(&m);
}


/* A pricer over a hidden list of every arc, for testing column generation
** without geometry: it offers the arcs that price out, most negative first. */
typedef struct {
    wp_arc *all;
    size_t n_all;
    unsigned char *present;
    long calls;
} list_pricer;

static long list_price(wp_pricer *self, wp_model *m, const wp_duals *d,
                       int max_per_source, char *err, int errlen) {
    (void)err;
    (void)errlen;
    list_pricer *lp = self->state;
    lp->calls++;
    long added = 0;
    for (int i = 0; i < m->n_sources; i++) {
        int taken = 0;
        for (;;) {
            size_t best = (size_t)-1;
            int64_t best_rc = 0;
            for (size_t a = 0; a < lp->n_all; a++) {
                if (lp->present[a] || lp->all[a].src != i) continue;
                int j = m->sources[i].material;
                int64_t rc = (int64_t)llround(wp_arc_cost_per_t(m, &lp->all[a]) / d->cost_unit) +
                             d->src[i] - d->dest[(size_t)lp->all[a].sink * WP_MAX_MATERIALS + (size_t)j];
                if (rc < best_rc) {
                    best_rc = rc;
                    best = a;
                }
            }
            if (best == (size_t)-1 || taken == max_per_source) break;
            lp->present[best] = 1;
            assert_int_equal(wp_model_add_arc(m, &lp->all[best]), 0);
            taken++;
            added++;
        }
    }
    return added;
}

static long list_complete(wp_pricer *self, wp_model *m, int s, char *err, int errlen) {
    (void)err;
    (void)errlen;
    list_pricer *lp = self->state;
    long added = 0;
    for (size_t a = 0; a < lp->n_all; a++)
        if (!lp->present[a] && lp->all[a].src == s) {
            lp->present[a] = 1;
            assert_int_equal(wp_model_add_arc(m, &lp->all[a]), 0);
            added++;
        }
    return added;
}

/* Column generation from one arc per source reaches the optimum of the
** full arc set: same cost, same reasons, and the same prices wherever the
** dual is unique (checked through the cost). */
static void test_priced_equals_full(void **state) {
    (void)state;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        wp_model full, m;
        random_model(&full, seed, 1, 1);
        random_model(&m, seed, 1, 1);
        list_pricer lp = {full.arcs, full.n_arcs, calloc(full.n_arcs + 1, 1), 0};
        assert_non_null(lp.present);
        /* keep only each source's first arc */
        size_t w = 0;
        for (size_t a = 0; a < m.n_arcs; a++)
            if (a == 0 || m.arcs[a].src != m.arcs[a - 1].src) {
                m.arcs[w++] = m.arcs[a];
                lp.present[a] = 1;
            }
        m.n_arcs = w;
        wp_pricer pr = {list_price, list_complete, &lp};
        wp_result a, b;
        int rounds = 0;
        char err[256];
        solve(&full, &a);
        int rc = wp_allocate_priced(&m, &pr, &b, &rounds, err, sizeof err);
        if (rc) fail_msg("wp_allocate_priced: %s", err);
        assert_true(fabs(a.total_cost - b.total_cost) <= 1e-9 * a.total_cost);
        assert_true(lp.calls >= 1);
        for (size_t q = 1; q < m.n_arcs; q++)   /* sorted by (source, sink) */
            assert_true(m.arcs[q - 1].src < m.arcs[q].src ||
                        (m.arcs[q - 1].src == m.arcs[q].src && m.arcs[q - 1].sink < m.arcs[q].sink));
        for (int i = 0; i < m.n_sources; i++) {
            assert_true(fabs(a.src_unalloc[i] - b.src_unalloc[i]) <= 1e-6 * m.sources[i].supply_t ||
                        a.src_reason[i] == WP_REASON_SITES_FULL);
            if (a.src_unalloc[i] > 0 && b.src_unalloc[i] > 0)
                assert_int_equal(a.src_reason[i], b.src_reason[i]);
        }
        double sum = 0;
        for (size_t q = 0; q < m.n_arcs; q++) sum += b.arc_t[q];
        double delivered = 0;
        for (int i = 0; i < m.n_sources; i++) delivered += b.src_delivered[i];
        assert_true(fabs(sum - delivered) <= 1e-9 * (delivered + 1));
        free(lp.present);
        wp_result_free(&a);
        wp_result_free(&b);
        wp_model_free(&full);
        wp_model_free(&m);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_competition),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_material_limit),
        cmocka_unit_test(test_shadow_prices_by_finite_differences),
        cmocka_unit_test(test_scale_invariance),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_rejects_bad_numbers),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_priced_equals_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
