/*
** test_multiperiod.c — the multi-year plan: a one-year horizon reproduces
** the single-year allocation (cost and per-source tonnes) on generated
** regions; stock and storage balances hold to the tonne in every year;
** hand-made cases whose optimum is known (carrying stock to a sink that
** opens later, a mine's void shared across years, no new storage for a
** material, the years-of-output rule) and an enforced target whose price
** is checked by finite differences.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../planner/allocate.h"
#include "../planner/generate.h"
#include "../planner/multiperiod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WM WP_MAX_MATERIALS

/* One material (index 0): handling 8, rate 0.5, penalty 50. */
static void setup_model(wp_model *m) {
    wp_model_init(m);
    wp_material *mt = &m->materials.m[0];
    mt->handling = 8;
    mt->road_rate = 0.5;
    mt->unallocated_cost = 50;
}

static int add_src(wp_model *m, const char *id, wp_source_kind kind, double t) {
    wp_source *s = wp_model_add_source(m, id, id);
    assert_non_null(s);
    s->kind = kind;
    s->material = 0;
    s->supply_t = t;
    return m->n_sources - 1;
}

static int add_sink(wp_model *m, const char *id, double total) {
    wp_sink *k = wp_model_add_sink(m, id, id);
    assert_non_null(k);
    k->accepts = 1u;
    k->cap_total_t = total;
    for (int j = 0; j < WM; j++) k->cap_t[j] = HUGE_VAL;
    return m->n_sinks - 1;
}

static void add_arc(wp_model *m, int s, int k, double km) {
    wp_arc a = {s, k, km, 0, 0};
    assert_int_equal(wp_model_add_arc(m, &a), 0);
}

static void plan(const wp_model *m, const wp_horizon *h, wp_plan_result *r) {
    char err[256];
    if (wp_plan(m, h, r, err, sizeof err) != 0) fail_msg("wp_plan: %s", err);
}

static const wp_plan_row *row(const wp_plan_result *r, int y, int j) {
    return &r->rows[(size_t)y * WM + (size_t)j];
}

/* Every year, per material: generated = used + stored + unallocated, and
** stock at year end = opening + stored - drawn; per yard the same from
** its own flows; and each yard's draw within its limit. Tonnes, to 1e-6 t. */
static void check_balances(const wp_model *m, const wp_horizon *h, const wp_plan_result *r) {
    int Y = h->n_years;
    for (int j = 0; j < m->materials.count; j++) {
        double prev = 0;
        for (int s = 0; s < m->n_sources; s++)
            if (m->sources[s].kind == WP_SRC_YARD && m->sources[s].material == j) prev += h->stock0_t[s];
        for (int y = 0; y < Y; y++) {
            const wp_plan_row *w = row(r, y, j);
            double used = 0, gen = 0;
            for (size_t a = 0; a < m->n_arcs; a++)
                if (m->sources[m->arcs[a].src].kind == WP_SRC_PLANT &&
                    m->sources[m->arcs[a].src].material == j)
                    used += r->arc_t[(size_t)y * m->n_arcs + a];
            for (int s = 0; s < m->n_sources; s++)
                if (m->sources[s].kind == WP_SRC_PLANT && m->sources[s].material == j)
                    gen += h->gen_t[(size_t)s * Y + y];
            assert_true(fabs(w->generated_t - gen) < 1e-6);
            assert_true(fabs(w->used_new_t - used) < 1e-6);
            assert_true(fabs(w->generated_t - w->used_new_t - w->stored_t - w->unallocated_t) < 1e-6);
            assert_true(fabs(w->stock_open_t - prev) < 1e-6);
            assert_true(fabs(prev + w->stored_t - w->drawn_t - w->stock_end_t) < 1e-6);
            prev = w->stock_end_t;
        }
    }
    for (int v = 0; v < m->n_sources; v++) {
        if (m->sources[v].kind != WP_SRC_YARD) continue;
        double prev = h->stock0_t[v];
        for (int y = 0; y < Y; y++) {
            size_t i = (size_t)v * Y + y;
            double drawn = 0;
            for (size_t a = 0; a < m->n_arcs; a++)
                if (m->arcs[a].src == v) drawn += r->arc_t[(size_t)y * m->n_arcs + a];
            assert_true(fabs(drawn - r->drawn_old_t[i] - r->drawn_new_t[i]) < 1e-6);
            assert_true(drawn <= h->drawdown_t[i] + 1e-6);
            double end = r->old_end_t[i] + r->new_end_t[i];
            assert_true(fabs(prev + r->stored_in_t[i] - drawn - end) < 1e-6);
            assert_true(r->new_end_t[i] <= h->storage_t[v] + 1e-6);
            prev = end;
        }
    }
}

/* A generated region with a few yards and planar arcs within reach. */
static void region(wp_model *m, uint64_t seed) {
    wp_model_init(m);
    wp_gen_params gp;
    wp_gen_defaults(&gp);
    gp.n_sources = 300;
    gp.n_sinks = 40;
    gp.n_materials = 3;
    gp.seed = seed;
    assert_int_equal(wp_generate(m, &gp), 0);
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "yard%d", i);
        wp_source *s = wp_model_add_source(m, id, id);
        assert_non_null(s);
        s->kind = WP_SRC_YARD;
        s->material = i % 3;
        s->supply_t = floor(5e5 * (double)(i + 1) / 3.0);
        s->lon = m->sources[i].lon + 0.05;
        s->lat = m->sources[i].lat;
    }
    /* integer tonnes: both solvers then see the data without rounding */
    for (int i = 0; i < m->n_sources; i++) m->sources[i].supply_t = floor(m->sources[i].supply_t);
    for (int k = 0; k < m->n_sinks; k++) {
        wp_sink *sk = &m->sinks[k];
        if (sk->cap_total_t != HUGE_VAL) sk->cap_total_t = floor(sk->cap_total_t);
        for (int j = 0; j < WM; j++)
            if (sk->cap_t[j] != HUGE_VAL) sk->cap_t[j] = floor(sk->cap_t[j]);
    }
    wp_model_sort_by_id(m);
    for (int s = 0; s < m->n_sources; s++)
        for (int k = 0; k < m->n_sinks; k++) {
            const wp_source *a = &m->sources[s];
            const wp_sink *b = &m->sinks[k];
            if (!(b->accepts >> a->material & 1u)) continue;
            double dx = (a->lon - b->lon) * 111.32 * cos(a->lat * 3.14159265358979323846 / 180);
            double dy = (a->lat - b->lat) * 110.57;
            double km = 1.3 * sqrt(dx * dx + dy * dy);
            if (km <= m->materials.m[a->material].max_haul_km) add_arc(m, s, k, km);
        }
}

/* A one-year horizon is the single-year model: same per-source tonnes,
** and the same cost once the storage cost of the stock that could not
** leave the yard anyway (stock beyond this year's draw-down) is added. */
static void test_one_year_equals_allocate(void **state) {
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        wp_model m;
        region(&m, seed);
        wp_result a;
        char err[256];
        if (wp_allocate(&m, &a, err, sizeof err) != 0) fail_msg("%s", err);
        wp_horizon h;
        assert_int_equal(wp_horizon_init(&h, &m, 2025, 1), 0);
        double fixed = 0;
        for (int s = 0; s < m.n_sources; s++)
            if (m.sources[s].kind == WP_SRC_YARD) {
                h.stock0_t[s] = m.sources[s].supply_t * 3;   /* more stock than one year's draw */
                fixed += (h.stock0_t[s] - h.drawdown_t[s]) * h.storage_cost[s];
            }
        wp_plan_result r;
        plan(&m, &h, &r);
        assert_true(fabs(r.total_cost - fixed - a.total_cost) <= 1e-9 * a.total_cost);
        for (int s = 0; s < m.n_sources; s++) {
            double got = 0;
            for (size_t q = 0; q < m.n_arcs; q++)
                if (m.arcs[q].src == s) got += r.arc_t[q];
            assert_true(fabs(got - a.src_delivered[s]) < 1e-6);
        }
        for (size_t q = 0; q < m.n_arcs; q++) assert_true(fabs(r.arc_t[q] - a.arc_t[q]) < 1e-6);
        check_balances(&m, &h, &r);
        wp_plan_result_free(&r);
        wp_horizon_free(&h);
        wp_result_free(&a);
        wp_model_free(&m);
    }
}

/* Six years of a generated region with growth, sink windows, shared
** totals and storage: balances hold every year. */
static void test_balances_six_years(void **state) {
    (void)state;
    wp_model m;
    region(&m, 7);
    wp_horizon h;
    int Y = 6;
    assert_int_equal(wp_horizon_init(&h, &m, 2025, Y), 0);
    for (int s = 0; s < m.n_sources; s++) {
        if (m.sources[s].kind == WP_SRC_YARD) {
            h.stock0_t[s] = m.sources[s].supply_t * 4;
            h.storage_t[s] = 2e5;
            h.storage_cost[s] = 20;
            continue;
        }
        for (int y = 0; y < Y; y++) h.gen_t[(size_t)s * Y + y] = floor(m.sources[s].supply_t * pow(1.05, y));
        for (int v = 0; v < m.n_sources; v++)
            if (m.sources[v].kind == WP_SRC_YARD && m.sources[v].material == m.sources[s].material &&
                s % 5 == 0) {
                h.store_yard[s] = v;
                h.store_cost[s] = 12;
                break;
            }
    }
    h.max_store_years[1] = 2;
    for (int k = 0; k < m.n_sinks; k++) {
        if (k % 4 == 0)
            for (int y = 0; y < 2; y++) h.sink_cap_t[(size_t)k * Y + y] = 0;   /* opens in 2027 */
        if (k % 4 == 1) h.sink_horizon_t[k] = 3 * m.sinks[k].cap_total_t;
    }
    wp_plan_result r;
    plan(&m, &h, &r);
    check_balances(&m, &h, &r);
    for (int k = 0; k < m.n_sinks; k += 4)
        assert_true(r.sink_t[(size_t)k * Y] == 0 && r.sink_t[(size_t)k * Y + 1] == 0);
    for (int k = 1; k < m.n_sinks; k += 4) {
        double tot = 0;
        for (int y = 0; y < Y; y++) tot += r.sink_t[(size_t)k * Y + y];
        assert_true(tot <= h.sink_horizon_t[k] + 1e-6);
    }
    wp_plan_result_free(&r);
    wp_horizon_free(&h);
    wp_model_free(&m);
}

/* A yard's stock waits for a sink that opens in year 2, paying storage
** meanwhile; a mine's void is shared, so it takes the stock only once. */
static void test_stock_waits_for_sink(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    int v = add_src(&m, "yard", WP_SRC_YARD, 100);
    int k = add_sink(&m, "mine", 1000);
    add_arc(&m, v, k, 10);   /* 8 + 5 = 13 yuan/t */
    wp_horizon h;
    assert_int_equal(wp_horizon_init(&h, &m, 2025, 3), 0);
    h.stock0_t[v] = 300;
    for (int y = 0; y < 3; y++) h.drawdown_t[(size_t)v * 3 + y] = 100;
    h.storage_cost[v] = 30;
    h.sink_cap_t[(size_t)k * 3 + 0] = 0;   /* opens in 2026 */
    h.sink_horizon_t[k] = 150;
    wp_plan_result r;
    plan(&m, &h, &r);
    /* 2025: nothing drawn (300 held); 2026: 100; 2027: 50 (void exhausted) */
    assert_true(fabs(r.arc_t[0] - 0) < 1e-9);
    assert_true(fabs(r.arc_t[1] - 100) < 1e-9);
    assert_true(fabs(r.arc_t[2] - 50) < 1e-9);
    double want = 150 * 13 + (300 + 200 + 150) * 30.0;
    assert_true(fabs(r.total_cost - want) < 1e-6);
    check_balances(&m, &h, &r);
    wp_plan_result_free(&r);
    wp_horizon_free(&h);
    wp_model_free(&m);
}

/* New waste goes into the producer's yard when storing (5 + 10/yr) beats
** the penalty, bounded by the years-of-output rule and the room, and is
** drawn when a sink opens; with new storage forbidden it is unallocated. */
static void test_storage_rules(void **state) {
    (void)state;
    for (int forbid = 0; forbid <= 1; forbid++) {
        wp_model m;
        setup_model(&m);
        int p = add_src(&m, "plant", WP_SRC_PLANT, 100);
        int v = add_src(&m, "yard", WP_SRC_YARD, 0);
        int k = add_sink(&m, "user", 1000);
        add_arc(&m, v, k, 0);    /* 8 yuan/t from the yard */
        wp_horizon h;
        int Y = 3;
        assert_int_equal(wp_horizon_init(&h, &m, 2025, Y), 0);
        for (int y = 0; y < Y; y++) {
            h.gen_t[(size_t)p * Y + y] = 100;
            h.drawdown_t[(size_t)v * Y + y] = HUGE_VAL;
        }
        h.store_yard[p] = v;
        h.store_cost[p] = 5;
        h.storage_cost[v] = 10;
        h.storage_t[v] = 1000;
        h.max_store_years[0] = 1.5;   /* at most 150 t held */
        h.new_storage[0] = !forbid;
        for (int y = 0; y < 2; y++) h.sink_cap_t[(size_t)k * Y + y] = 0;   /* opens in 2027 */
        wp_plan_result r;
        plan(&m, &h, &r);
        check_balances(&m, &h, &r);
        if (forbid) {
            assert_true(fabs(row(&r, 0, 0)->unallocated_t - 100) < 1e-9);
            assert_true(fabs(row(&r, 2, 0)->stored_t) < 1e-9);
            assert_true(fabs(r.total_cost - 300 * 50.0) < 1e-6);
        } else {
            /* a tonne of 2025 stored until 2027 costs 5 + 10 + 10 + 8 = 33,
            ** one of 2026 costs 23, one of 2027 13 (drawn the same year): all
            ** beat the penalty, but at most 150 t may be held at a year end,
            ** so 2026 fills the room first: 2025 stores 50 and leaves 50,
            ** 2026 stores 100, 2027 stores 100 and 250 are drawn */
            assert_true(fabs(row(&r, 0, 0)->stored_t - 50) < 1e-9);
            assert_true(fabs(row(&r, 0, 0)->unallocated_t - 50) < 1e-9);
            assert_true(fabs(row(&r, 1, 0)->stored_t - 100) < 1e-9);
            assert_true(fabs(row(&r, 2, 0)->drawn_t - 250) < 1e-9);
            assert_true(fabs(row(&r, 1, 0)->stock_end_t - 150) < 1e-9);
            assert_true(fabs(row(&r, 2, 0)->stock_end_t) < 1e-9);
            double want = 250 * 5 + 50 * 50 + (50 + 150) * 10 + 250 * 8;
            assert_true(fabs(r.total_cost - want) < 1e-6);
        }
        wp_plan_result_free(&r);
        wp_horizon_free(&h);
        wp_model_free(&m);
    }
}

/* An enforced target on new waste: met at a price equal to the cost
** difference per extra tonne (finite difference of the optimum), gap
** reported without enforcement, and shortfall when capacity is short. */
static void test_target_price(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    int p = add_src(&m, "plant", WP_SRC_PLANT, 1000);
    int k = add_sink(&m, "far", 400);
    add_arc(&m, p, k, 120);    /* 8 + 60 = 68 > penalty 50: uneconomic */
    wp_horizon h;
    assert_int_equal(wp_horizon_init(&h, &m, 2025, 1), 0);
    h.target_new[0] = 0.25;
    wp_plan_result r;
    plan(&m, &h, &r);                       /* report mode */
    assert_true(fabs(row(&r, 0, 0)->util_new) < 1e-12);
    assert_true(fabs(row(&r, 0, 0)->gap - 0.25) < 1e-12);
    wp_plan_result_free(&r);

    h.enforce = 1;
    plan(&m, &h, &r);
    assert_false(r.infeasible);
    assert_true(fabs(row(&r, 0, 0)->used_new_t - 250) < 1e-6);
    double c1 = r.total_cost;
    assert_true(fabs(row(&r, 0, 0)->shadow_price - 18) < 1e-6);
    wp_plan_result_free(&r);
    h.target_new[0] = 0.26;                 /* ten tonnes more */
    plan(&m, &h, &r);
    assert_true(fabs((r.total_cost - c1) / 10 - 18) < 1e-6);
    wp_plan_result_free(&r);

    h.target_new[0] = 0.6;                  /* 600 t, the sink takes 400 */
    plan(&m, &h, &r);
    assert_true(r.infeasible);
    assert_true(fabs(row(&r, 0, 0)->shortfall_t - 200) < 1e-6);
    assert_true(fabs(row(&r, 0, 0)->used_new_t - 400) < 1e-6);
    assert_true(r.sink_t[0] == 400);
    wp_plan_result_free(&r);
    wp_horizon_free(&h);
    wp_model_free(&m);
}

/* An enforced stock target: each yard draws its share by the year named. */
static void test_stock_target(void **state) {
    (void)state;
    wp_model m;
    setup_model(&m);
    int v = add_src(&m, "yard", WP_SRC_YARD, 1000);
    int k = add_sink(&m, "far", HUGE_VAL);
    add_arc(&m, v, k, 200);    /* 108 yuan/t: never worth it against 10/yr */
    wp_horizon h;
    int Y = 2;
    assert_int_equal(wp_horizon_init(&h, &m, 2025, Y), 0);
    h.storage_cost[v] = 10;
    h.enforce = 1;
    h.target_stock[1 * WM + 0] = 0.1;   /* 10 % of 1000 t drawn by end of 2026 */
    wp_plan_result r;
    plan(&m, &h, &r);
    assert_false(r.infeasible);
    assert_true(fabs(r.old_end_t[1] - 900) < 1e-6);
    /* drawn in 2025 it saves 2 years of storage (20), in 2026 one (10) */
    assert_true(fabs(r.arc_t[0] - 100) < 1e-6);
    assert_true(fabs(r.arc_t[1]) < 1e-6);
    /* one tonne less to draw saves 108 - 2 * 10 */
    assert_true(fabs(r.stock_shadow[1] - 88) < 1e-6);
    check_balances(&m, &h, &r);
    wp_plan_result_free(&r);
    wp_horizon_free(&h);
    wp_model_free(&m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_year_equals_allocate),
        cmocka_unit_test(test_balances_six_years),
        cmocka_unit_test(test_stock_waits_for_sink),
        cmocka_unit_test(test_storage_rules),
        cmocka_unit_test(test_target_price),
        cmocka_unit_test(test_stock_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
