/*
** test_mincostflow.c — unit tests of the network simplex in
** planner/mincostflow.c.
**
** Every solution is checked by certificate: the flow must respect the
** capacities and conserve flow at every node, and the potentials must meet
** the complementary-slackness conditions of mincostflow.h. A feasible flow
** with such potentials is optimal by LP duality, so these checks alone prove
** optimality; objectives are further compared with hand-computed values, with
** exhaustive enumeration of integer flows on tiny instances, and with an
** independent successive-shortest-path solver (Bellman-Ford) written here.
** Objectives are compared exactly in 128-bit integers (a GCC/Clang type,
** used only in this test) since they can exceed int64.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../planner/mincostflow.h"

typedef __int128 i128;

#define MAXN 400
#define MAXM 4000

/* A test instance in plain arrays. */
typedef struct {
    int n, m;
    int from[MAXM], to[MAXM];
    int64_t cap[MAXM], cost[MAXM];
    int64_t supply[MAXN];
} instance;

/* ---------------------------------------------------------------- helpers */

/* Deterministic xorshift64* generator for the random instances. */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
/* Uniform integer in [lo, hi]. */
static int64_t rnd_range(int64_t lo, int64_t hi) {
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static int is_inf(int64_t cap) { return cap >= WP_MCF_CAP_MAX; }

/* Build a solver problem from arcs [0, m_upto) of the instance. */
static wp_mcf *build(const instance *in, int m_upto) {
    wp_mcf *p = wp_mcf_new(in->n, m_upto);
    assert_non_null(p);
    for (int v = 0; v < in->n; v++) wp_mcf_set_supply(p, v, in->supply[v]);
    for (int j = 0; j < m_upto; j++)
        assert_int_equal(wp_mcf_add_arc(p, in->from[j], in->to[j], in->cap[j],
                                        in->cost[j]), j);
    return p;
}

/* Exact objective of the solver's flow. */
static i128 solver_objective(const wp_mcf *p, const instance *in) {
    i128 s = 0;
    for (int j = 0; j < in->m; j++) s += (i128)wp_mcf_flow(p, j) * in->cost[j];
    return s;
}

/* Assert the optimality certificate: bounds, conservation, complementary
** slackness of the reduced costs with the reported potentials. */
static void check_certificate(const wp_mcf *p, const instance *in) {
    i128 net[MAXN];
    for (int v = 0; v < in->n; v++) net[v] = 0;
    for (int j = 0; j < in->m; j++) {
        int64_t x = wp_mcf_flow(p, j);
        assert_true(x >= 0);
        if (!is_inf(in->cap[j])) assert_true(x <= in->cap[j]);
        net[in->from[j]] += x;
        net[in->to[j]] -= x;
        int64_t rc = in->cost[j] + wp_mcf_potential(p, in->from[j]) -
                     wp_mcf_potential(p, in->to[j]);
        if (x == 0 && in->cap[j] > 0) assert_true(rc >= 0);
        if (!is_inf(in->cap[j]) && x == in->cap[j] && x > 0)
            assert_true(rc <= 0);
        if (x > 0 && (is_inf(in->cap[j]) || x < in->cap[j]))
            assert_true(rc == 0);
    }
    for (int v = 0; v < in->n; v++) assert_true(net[v] == in->supply[v]);
    /* LEMON's normalisation: the largest potential is <= 0 */
    for (int v = 0; v < in->n; v++) assert_true(wp_mcf_potential(p, v) <= 0);
    /* the reported double total agrees with the exact sum */
    /* the double total may round, relative to the size of its terms */
    double exact = (double)solver_objective(p, in);
    double tot = wp_mcf_total_cost(p), mag = 0.0;
    for (int j = 0; j < in->m; j++)
        mag += (double)wp_mcf_flow(p, j) * (in->cost[j] < 0 ? -(double)in->cost[j]
                                                            : (double)in->cost[j]);
    double tol = 1e-12 * mag + 1e-9;
    assert_true(tot - exact <= tol && exact - tot <= tol);
}

/* ------------------------------------------------ reference solver (SSP) */

/* Independent reference: returns the status and, when optimal, the exact
** optimum in *obj. Unbounded iff feasible and some cycle of infinite arcs
** has negative cost. Otherwise infinite capacities are replaced by
** K = S + U + 1 (a basic optimum never needs more), negative arcs are
** saturated so that the residual graph has no negative cycle, and the
** excesses are routed along shortest residual paths found by Bellman-Ford
** from all excess nodes at once. *neg_inf_cycle reports the cycle test. */
static wp_mcf_status ref_solve(const instance *in, i128 *obj,
                               int *neg_inf_cycle) {
    int n = in->n, m = in->m;
    static int64_t x[MAXM], dist[MAXN], rescap[2 * MAXM];
    static int prev_arc[MAXN];
    static i128 excess[MAXN];

    /* negative cycle among infinite arcs: Bellman-Ford from a virtual
    ** source at distance 0 to all nodes */
    for (int v = 0; v < n; v++) dist[v] = 0;
    int relaxed = 0;
    for (int it = 0; it <= n; it++) {
        relaxed = 0;
        for (int j = 0; j < m; j++) {
            if (!is_inf(in->cap[j])) continue;
            if (dist[in->from[j]] + in->cost[j] < dist[in->to[j]]) {
                dist[in->to[j]] = dist[in->from[j]] + in->cost[j];
                relaxed = 1;
            }
        }
        if (!relaxed) break;
    }
    *neg_inf_cycle = relaxed;

    i128 big = 1;
    for (int v = 0; v < n; v++) if (in->supply[v] > 0) big += in->supply[v];
    for (int j = 0; j < m; j++) if (!is_inf(in->cap[j])) big += in->cap[j];
    int64_t K = (int64_t)big;

    /* with a negative infinite cycle, only feasibility matters: route with
    ** zero costs */
    int zero_cost = *neg_inf_cycle;
    for (int v = 0; v < n; v++) excess[v] = in->supply[v];
    for (int j = 0; j < m; j++) {
        int64_t c = zero_cost ? 0 : in->cost[j];
        int64_t u = is_inf(in->cap[j]) ? K : in->cap[j];
        x[j] = c < 0 ? u : 0;
        excess[in->from[j]] -= x[j];
        excess[in->to[j]] += x[j];
    }
    for (;;) {
        for (int j = 0; j < m; j++) {
            int64_t u = is_inf(in->cap[j]) ? K : in->cap[j];
            rescap[2 * j] = u - x[j];   /* forward */
            rescap[2 * j + 1] = x[j];   /* backward */
        }
        const int64_t UNREACHED = INT64_MAX;
        int any = 0;
        for (int v = 0; v < n; v++) {
            dist[v] = excess[v] > 0 ? 0 : UNREACHED;
            prev_arc[v] = -1;
            if (excess[v] > 0) any = 1;
        }
        if (!any) break;
        for (int it = 0; it < n; it++) {
            int ch = 0;
            for (int r = 0; r < 2 * m; r++) {
                if (rescap[r] == 0) continue;
                int j = r / 2;
                int a = r % 2 ? in->to[j] : in->from[j];
                int b = r % 2 ? in->from[j] : in->to[j];
                int64_t c = zero_cost ? 0 : (r % 2 ? -in->cost[j] : in->cost[j]);
                if (dist[a] == UNREACHED) continue;
                if (dist[a] + c < dist[b]) {
                    dist[b] = dist[a] + c;
                    prev_arc[b] = r;
                    ch = 1;
                }
            }
            if (!ch) break;
        }
        int t = -1;
        for (int v = 0; v < n; v++)
            if (excess[v] < 0 && dist[v] != UNREACHED &&
                (t < 0 || dist[v] < dist[t]))
                t = v;
        if (t < 0) return WP_MCF_INFEASIBLE;
        /* trace back to an excess node, find the bottleneck */
        i128 amount = -excess[t];
        int v = t;
        while (prev_arc[v] >= 0) {
            int r = prev_arc[v];
            if (rescap[r] < amount) amount = rescap[r];
            int j = r / 2;
            v = r % 2 ? in->to[j] : in->from[j];
        }
        if (excess[v] < amount) amount = excess[v];
        excess[v] -= amount;
        excess[t] += amount;
        for (int w = t; prev_arc[w] >= 0;) {
            int r = prev_arc[w];
            int j = r / 2;
            if (r % 2) { x[j] -= (int64_t)amount; w = in->to[j]; }
            else { x[j] += (int64_t)amount; w = in->from[j]; }
        }
    }
    if (*neg_inf_cycle) return WP_MCF_UNBOUNDED;
    i128 s = 0;
    for (int j = 0; j < m; j++) s += (i128)x[j] * in->cost[j];
    *obj = s;
    return WP_MCF_OPTIMAL;
}

/* Solve with the simplex and with the reference; assert agreement and the
** certificate. Returns the solver's status. */
static wp_mcf_status solve_and_compare(const instance *in) {
    i128 ref_obj = 0;
    int neg_cycle = 0;
    wp_mcf_status ref = ref_solve(in, &ref_obj, &neg_cycle);
    wp_mcf *p = build(in, in->m);
    wp_mcf_status st = wp_mcf_solve(p);
    if (neg_cycle && ref == WP_MCF_INFEASIBLE) {
        /* infeasible and with a negative infinite cycle: either verdict */
        assert_true(st == WP_MCF_INFEASIBLE || st == WP_MCF_UNBOUNDED);
    } else {
        assert_int_equal(st, ref);
    }
    if (st == WP_MCF_OPTIMAL) {
        check_certificate(p, in);
        assert_true(solver_objective(p, in) == ref_obj);
    }
    wp_mcf_free(p);
    return st;
}

/* Random small instance: n in [1, max_n], m in [0, max_m]; costs in
** [cost_lo, cost_hi]; caps in [0, cap_hi] or infinite with probability
** inf_pct %, such arcs having cost >= 0 unless neg_inf is set. */
static void random_instance(instance *in, int max_n, int max_m,
                            int64_t cost_lo, int64_t cost_hi, int64_t cap_hi,
                            int inf_pct, int neg_inf, int64_t supply_hi) {
    in->n = (int)rnd_range(1, max_n);
    in->m = (int)rnd_range(0, max_m);
    for (int j = 0; j < in->m; j++) {
        in->from[j] = (int)rnd_range(0, in->n - 1);
        in->to[j] = (int)rnd_range(0, in->n - 1);
        in->cost[j] = rnd_range(cost_lo, cost_hi);
        if (rnd_range(0, 99) < inf_pct) {
            in->cap[j] = WP_MCF_CAP_MAX;
            if (!neg_inf && in->cost[j] < 0) in->cost[j] = -in->cost[j];
        } else {
            in->cap[j] = rnd_range(0, cap_hi);
        }
    }
    int64_t sum = 0;
    for (int v = 0; v < in->n; v++) {
        in->supply[v] = rnd_range(0, 2) == 0 ? 0 : rnd_range(-supply_hi, supply_hi);
        sum += in->supply[v];
    }
    /* balance on one node, spreading if that would leave the range */
    int v = (int)rnd_range(0, in->n - 1);
    while (sum != 0) {
        int64_t room = sum > 0 ? in->supply[v] + supply_hi : supply_hi - in->supply[v];
        int64_t step = sum > 0 ? (sum < room ? sum : room) : (-sum < room ? -sum : room);
        in->supply[v] += sum > 0 ? -step : step;
        sum += sum > 0 ? -step : step;
        v = (v + 1) % in->n;
    }
}

/* ------------------------------------------------------ hand-made cases */

/* 2 x 3 transportation problem. For two sources the optimum is the
** fractional-knapsack greedy: s2 ships where its extra cost over s1 is
** smallest (t1 +1, t3 +3, then t2 +6): 10*9 + 15*13 + 5*12 + 20*6 = 465. */
static void test_transportation(void **state) {
    (void)state;
    instance in = {0};
    in.n = 5;
    int64_t sup[5] = {20, 30, -10, -25, -15};
    memcpy(in.supply, sup, sizeof sup);
    int64_t c[2][3] = {{8, 6, 10}, {9, 12, 13}};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 3; k++) {
            in.from[in.m] = i;
            in.to[in.m] = 2 + k;
            in.cap[in.m] = WP_MCF_CAP_MAX;
            in.cost[in.m] = c[i][k];
            in.m++;
        }
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_true(solver_objective(p, &in) == 465);
    assert_true(wp_mcf_total_cost(p) == 465.0);
    assert_int_equal(wp_mcf_flow(p, 1), 20);   /* s1 -> t2 */
    assert_int_equal(wp_mcf_flow(p, 3), 10);   /* s2 -> t1 */
    assert_int_equal(wp_mcf_flow(p, 4), 5);    /* s2 -> t2 */
    assert_int_equal(wp_mcf_flow(p, 5), 15);   /* s2 -> t3 */
    wp_mcf_free(p);
}

/* Parallel arcs fill cheapest first: 2@1 + 3@5 + 1@7 = 24. */
static void test_parallel_arcs(void **state) {
    (void)state;
    instance in = {.n = 2, .m = 3,
                   .from = {0, 0, 0}, .to = {1, 1, 1},
                   .cap = {3, 2, 10}, .cost = {5, 1, 7},
                   .supply = {6, -6}};
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_true(solver_objective(p, &in) == 24);
    assert_int_equal(wp_mcf_flow(p, 0), 3);
    assert_int_equal(wp_mcf_flow(p, 1), 2);
    assert_int_equal(wp_mcf_flow(p, 2), 1);
    wp_mcf_free(p);
}

/* A zero-cost cycle offers a free route 0 -> 1 -> 2; the direct arc costs 3. */
static void test_zero_cost_cycle(void **state) {
    (void)state;
    instance in = {.n = 3, .m = 4,
                   .from = {0, 1, 2, 0}, .to = {1, 2, 0, 2},
                   .cap = {5, 5, 5, 10}, .cost = {0, 0, 0, 3},
                   .supply = {4, 0, -4}};
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_true(solver_objective(p, &in) == 0);
    assert_int_equal(wp_mcf_flow(p, 3), 0);
    wp_mcf_free(p);
}

/* Negative costs: a profitable finite cycle circulates 3 units (-15 + 6),
** and a negative arc into the sink is preferred (-2 * 5 = -10). */
static void test_negative_costs(void **state) {
    (void)state;
    instance in = {.n = 4, .m = 4,
                   .from = {0, 1, 2, 2}, .to = {1, 0, 3, 3},
                   .cap = {4, 3, 10, 10}, .cost = {-5, 2, -2, 1},
                   .supply = {0, 0, 5, -5}};
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_true(solver_objective(p, &in) == -9 - 10);
    assert_int_equal(wp_mcf_flow(p, 0), 3);
    assert_int_equal(wp_mcf_flow(p, 1), 3);
    wp_mcf_free(p);
}

/* Not enough capacity, and a supply on an isolated node. */
static void test_infeasible(void **state) {
    (void)state;
    instance a = {.n = 2, .m = 1, .from = {0}, .to = {1}, .cap = {3},
                  .cost = {1}, .supply = {5, -5}};
    wp_mcf *p = build(&a, a.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_INFEASIBLE);
    wp_mcf_free(p);
    instance b = {.n = 4, .m = 1, .from = {0}, .to = {1}, .cap = {9},
                  .cost = {1}, .supply = {2, -2, 1, -1}};
    p = build(&b, b.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_INFEASIBLE);
    wp_mcf_free(p);
    /* demand reachable only against arc direction */
    instance c = {.n = 2, .m = 1, .from = {1}, .to = {0},
                  .cap = {WP_MCF_CAP_MAX}, .cost = {0}, .supply = {1, -1}};
    p = build(&c, c.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_INFEASIBLE);
    wp_mcf_free(p);
}

/* A negative cycle of infinite arcs is unbounded; one finite arc on it
** bounds it. A negative self-loop of infinite capacity is unbounded too;
** a finite one is simply saturated. */
static void test_unbounded(void **state) {
    (void)state;
    instance a = {.n = 3, .m = 3, .from = {0, 1, 0}, .to = {1, 0, 2},
                  .cap = {WP_MCF_CAP_MAX, WP_MCF_CAP_MAX, 5},
                  .cost = {-1, 0, 4}, .supply = {2, 0, -2}};
    wp_mcf *p = build(&a, a.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_UNBOUNDED);
    wp_mcf_free(p);
    a.cap[1] = 7;
    p = build(&a, a.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &a);
    assert_true(solver_objective(p, &a) == -7 + 8);
    wp_mcf_free(p);

    instance loop = {.n = 1, .m = 1, .from = {0}, .to = {0},
                     .cap = {WP_MCF_CAP_MAX}, .cost = {-3}, .supply = {0}};
    p = build(&loop, loop.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_UNBOUNDED);
    wp_mcf_free(p);
    loop.cap[0] = 11;
    p = build(&loop, loop.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    assert_int_equal(wp_mcf_flow(p, 0), 11);
    check_certificate(p, &loop);
    wp_mcf_free(p);
    /* capacities above the maximum also mean "infinite" */
    p = wp_mcf_new(2, 0);
    assert_non_null(p);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, INT64_MAX, -1), 0);
    assert_int_equal(wp_mcf_add_arc(p, 1, 0, INT64_MAX, 0), 1);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_UNBOUNDED);
    wp_mcf_free(p);
}

/* Unbalanced supplies and out-of-range values are refused. */
static void test_bad_input(void **state) {
    (void)state;
    wp_mcf *p = wp_mcf_new(2, 0);
    assert_non_null(p);
    wp_mcf_set_supply(p, 0, 5);
    wp_mcf_set_supply(p, 1, -4);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, 10, 1), 0);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_BAD_INPUT);
    wp_mcf_set_supply(p, 1, -5);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    /* bad arcs */
    assert_int_equal(wp_mcf_add_arc(p, -1, 1, 1, 1), -1);
    assert_int_equal(wp_mcf_add_arc(p, 0, 2, 1, 1), -1);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, -1, 1), -1);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, 1, WP_MCF_COST_MAX + 1), -1);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, 1, -WP_MCF_COST_MAX - 1), -1);
    assert_int_equal(wp_mcf_add_arc(p, 0, 1, 1, -WP_MCF_COST_MAX), 1);
    assert_int_equal(wp_mcf_arc_count(p), 2);
    /* a supply beyond the bound poisons the problem */
    wp_mcf_set_supply(p, 0, WP_MCF_CAP_MAX + 1);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_BAD_INPUT);
    wp_mcf_free(p);
    p = wp_mcf_new(2, 0);
    wp_mcf_set_supply(p, 7, 1);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_BAD_INPUT);
    wp_mcf_free(p);
    /* S + U beyond 2^62: flows could overflow, refused */
    p = wp_mcf_new(2, 0);
    for (int i = 0; i < 5; i++)
        assert_true(wp_mcf_add_arc(p, 0, 1, WP_MCF_CAP_MAX - 1, 1) >= 0);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_BAD_INPUT);
    wp_mcf_free(p);
    assert_null(wp_mcf_new(-1, 0));
    assert_null(wp_mcf_new((1 << 24) + 1, 0));
    assert_string_equal(wp_mcf_status_str(WP_MCF_OPTIMAL), "optimal");
}

/* Nodes without arcs, an empty problem, zero-capacity arcs. */
static void test_isolated_and_zero_cap(void **state) {
    (void)state;
    instance in = {.n = 5, .m = 3, .from = {0, 0, 3}, .to = {1, 1, 3},
                   .cap = {0, 5, 0}, .cost = {-100, 2, -4},
                   .supply = {4, -4, 0, 0, 0}};
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_int_equal(wp_mcf_flow(p, 0), 0);
    assert_int_equal(wp_mcf_flow(p, 1), 4);
    assert_true(solver_objective(p, &in) == 8);
    wp_mcf_free(p);

    p = wp_mcf_new(0, 0);
    assert_non_null(p);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    assert_true(wp_mcf_total_cost(p) == 0.0);
    wp_mcf_free(p);
    p = wp_mcf_new(3, 0);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    assert_int_equal(wp_mcf_pivots(p), 0);
    wp_mcf_free(p);
}

/* ------------------------------------------------- exhaustive enumeration */

/* Minimum over all integer flows x in [0, cap] (caps small, finite) that
** conserve flow; returns 0 when none does. */
static int brute_force(const instance *in, i128 *best) {
    int64_t x[MAXM] = {0};
    int found = 0;
    for (;;) {
        int64_t net[MAXN] = {0};
        for (int j = 0; j < in->m; j++) {
            net[in->from[j]] += x[j];
            net[in->to[j]] -= x[j];
        }
        int ok = 1;
        for (int v = 0; v < in->n; v++) if (net[v] != in->supply[v]) ok = 0;
        if (ok) {
            i128 c = 0;
            for (int j = 0; j < in->m; j++) c += (i128)x[j] * in->cost[j];
            if (!found || c < *best) *best = c;
            found = 1;
        }
        int j = 0;
        while (j < in->m && x[j] == in->cap[j]) x[j++] = 0;
        if (j == in->m) break;
        x[j]++;
    }
    return found;
}

static void test_brute_force(void **state) {
    (void)state;
    rng_state = 12345;
    int optimal = 0, infeasible = 0;
    for (int t = 0; t < 1500; t++) {
        instance in;
        random_instance(&in, 4, 6, -6, 9, 3, 0, 0, 4);
        i128 best = 0;
        int found = brute_force(&in, &best);
        wp_mcf *p = build(&in, in.m);
        wp_mcf_status st = wp_mcf_solve(p);
        if (found) {
            assert_int_equal(st, WP_MCF_OPTIMAL);
            check_certificate(p, &in);
            assert_true(solver_objective(p, &in) == best);
            optimal++;
        } else {
            assert_int_equal(st, WP_MCF_INFEASIBLE);
            infeasible++;
        }
        wp_mcf_free(p);
    }
    /* the generator must exercise both outcomes */
    assert_true(optimal > 300 && infeasible > 100);
}

/* ------------------------------------------------- random vs reference */

static void test_random_vs_reference(void **state) {
    (void)state;
    rng_state = 777;
    int count[5] = {0};
    for (int t = 0; t < 3000; t++) {
        instance in;
        random_instance(&in, 8, 18, -10, 20, 12, 15, t % 4 == 0, 8);
        count[solve_and_compare(&in)]++;
    }
    assert_true(count[WP_MCF_OPTIMAL] > 500);
    assert_true(count[WP_MCF_INFEASIBLE] > 100);
    assert_true(count[WP_MCF_UNBOUNDED] > 10);
}

/* Medium instances with long pivoting sequences. */
static void test_medium_vs_reference(void **state) {
    (void)state;
    rng_state = 4242;
    for (int t = 0; t < 6; t++) {
        static instance in;
        int n = 60 + 50 * t;
        in.n = n;
        in.m = 8 * n;
        for (int j = 0; j < in.m; j++) {
            in.from[j] = (int)rnd_range(0, n - 1);
            in.to[j] = (int)rnd_range(0, n - 1);
            in.cost[j] = rnd_range(-20, 100);
            in.cap[j] = rnd_range(0, 3) ? rnd_range(1, 40) : WP_MCF_CAP_MAX;
            if (in.cap[j] == WP_MCF_CAP_MAX && in.cost[j] < 0) in.cost[j] = -in.cost[j];
        }
        /* a spine of infinite arcs keeps the instance feasible */
        for (int v = 0; v + 1 < n && in.m < MAXM; v++) {
            in.from[in.m] = v;
            in.to[in.m] = v + 1;
            in.cap[in.m] = WP_MCF_CAP_MAX;
            in.cost[in.m] = 1000;
            in.m++;
        }
        int64_t sum = 0;
        for (int v = 0; v < n; v++) {
            in.supply[v] = v < n / 3 ? rnd_range(0, 30) : v > n / 2 ? -rnd_range(0, 30) : 0;
            sum += in.supply[v];
        }
        in.supply[n - 1] -= sum;
        assert_int_equal(solve_and_compare(&in), WP_MCF_OPTIMAL);
    }
}

/* --------------------------------------------------------- warm restarts */

/* Solve arcs in `parts` batches, resolving after each; the final answer
** must match a cold solve of all arcs (status and exact objective) and the
** reference. Returns the final status. */
static wp_mcf_status warm_compare(const instance *in, int parts) {
    wp_mcf *cold = build(in, in->m);
    wp_mcf_status cst = wp_mcf_solve(cold);
    wp_mcf *p = build(in, 0);
    int done = 0;
    wp_mcf_status st = WP_MCF_OPTIMAL;
    for (int k = 1; k <= parts; k++) {
        int upto = in->m * k / parts;
        for (; done < upto; done++)
            assert_int_equal(wp_mcf_add_arc(p, in->from[done], in->to[done],
                                            in->cap[done], in->cost[done]),
                             done);
        st = wp_mcf_solve(p);
    }
    i128 ref_obj = 0;
    int neg_cycle = 0;
    wp_mcf_status ref = ref_solve(in, &ref_obj, &neg_cycle);
    if (neg_cycle && ref == WP_MCF_INFEASIBLE)
        assert_true(st == WP_MCF_INFEASIBLE || st == WP_MCF_UNBOUNDED);
    else
        assert_int_equal(st, cst);
    if (st == WP_MCF_OPTIMAL) {
        check_certificate(p, in);
        assert_true(solver_objective(p, in) == ref_obj);
        assert_true(solver_objective(p, in) == solver_objective(cold, in));
    }
    /* a further solve with nothing new changes nothing */
    if (st == WP_MCF_OPTIMAL) {
        i128 before = solver_objective(p, in);
        assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
        assert_int_equal(wp_mcf_pivots(p), 0);
        assert_true(solver_objective(p, in) == before);
    }
    wp_mcf_free(cold);
    wp_mcf_free(p);
    solve_and_compare(in);
    return st;
}

static void test_warm_restart(void **state) {
    (void)state;
    rng_state = 99;
    int opt = 0;
    for (int t = 0; t < 1500; t++) {
        instance in;
        random_instance(&in, 8, 20, -10, 20, 12, 15, t % 5 == 0, 8);
        if (t % 3 == 0) {
            /* later arcs far more expensive: the big-M cost must grow */
            for (int j = in.m / 2; j < in.m; j++) in.cost[j] *= 1000;
        }
        opt += warm_compare(&in, 2 + t % 3) == WP_MCF_OPTIMAL;
    }
    assert_true(opt > 300);
}

/* Column generation pattern on a transportation problem: start with a
** dump arc per source only (feasible, expensive), then add the real arcs
** in rounds. */
static void test_warm_column_generation(void **state) {
    (void)state;
    rng_state = 2024;
    static instance in;
    int ns = 40, nk = 15;
    in.n = ns + nk + 1;
    in.m = 0;
    int64_t total = 0;
    for (int i = 0; i < ns; i++) {
        in.supply[i] = rnd_range(1, 50);
        total += in.supply[i];
        in.from[in.m] = i; in.to[in.m] = ns + nk;
        in.cap[in.m] = WP_MCF_CAP_MAX; in.cost[in.m] = 5000; in.m++;
    }
    for (int k = 0; k < nk; k++) {
        in.supply[ns + k] = 0;
        in.from[in.m] = ns + k; in.to[in.m] = ns + nk;
        in.cap[in.m] = rnd_range(10, 80); in.cost[in.m] = -rnd_range(0, 30); in.m++;
    }
    in.supply[ns + nk] = -total;
    for (int i = 0; i < ns; i++)
        for (int k = 0; k < nk; k++)
            if (rnd_range(0, 2) == 0) {
                in.from[in.m] = i; in.to[in.m] = ns + k;
                in.cap[in.m] = WP_MCF_CAP_MAX; in.cost[in.m] = rnd_range(10, 400);
                in.m++;
            }
    assert_int_equal(warm_compare(&in, 6), WP_MCF_OPTIMAL);
}

/* A supply change discards the basis: the result equals a fresh solve. */
static void test_supply_change_resets(void **state) {
    (void)state;
    instance in = {.n = 3, .m = 3, .from = {0, 0, 1}, .to = {1, 2, 2},
                   .cap = {5, 5, 5}, .cost = {1, 5, 1},
                   .supply = {4, 0, -4}};
    wp_mcf *p = build(&in, in.m);
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    assert_true(solver_objective(p, &in) == 8);
    wp_mcf_set_supply(p, 0, 8);
    wp_mcf_set_supply(p, 2, -8);
    in.supply[0] = 8;
    in.supply[2] = -8;
    assert_int_equal(wp_mcf_solve(p), WP_MCF_OPTIMAL);
    check_certificate(p, &in);
    assert_true(solver_objective(p, &in) == 10 + 15);
    wp_mcf_free(p);
}

/* ------------------------------------------------------ extreme values */

static void test_extreme_magnitudes(void **state) {
    (void)state;
    rng_state = 31337;
    const int64_t C = WP_MCF_COST_MAX, U = (int64_t)1 << 50;
    for (int t = 0; t < 400; t++) {
        instance in;
        random_instance(&in, 7, 14, -6, 6, 4, 10, 0, 4);
        for (int j = 0; j < in.m; j++) {
            in.cost[j] = in.cost[j] < 0 ? -C + rnd_range(0, 1000) * in.cost[j] * -1
                                        : in.cost[j] == 0 ? 0 : C - rnd_range(0, 1000);
            if (in.cap[j] < WP_MCF_CAP_MAX)
                in.cap[j] = in.cap[j] == 0 ? 0 : U - rnd_range(0, 1 << 20) * in.cap[j];
        }
        for (int v = 0; v < in.n; v++) in.supply[v] *= U / 8 + 12345;
        solve_and_compare(&in);
        if (t % 2) warm_compare(&in, 2);
    }
    /* the largest finite capacity and supply */
    instance big = {.n = 2, .m = 2, .from = {0, 0}, .to = {1, 1},
                    .cap = {WP_MCF_CAP_MAX - 1, 1}, .cost = {C, -C},
                    .supply = {WP_MCF_CAP_MAX, -WP_MCF_CAP_MAX}};
    assert_int_equal(solve_and_compare(&big), WP_MCF_OPTIMAL);
    /* a long path of maximal costs: potentials grow to n * C */
    static instance path;
    path.n = 300;
    path.m = 0;
    for (int v = 0; v + 1 < path.n; v++) {
        path.from[path.m] = v; path.to[path.m] = v + 1;
        path.cap[path.m] = WP_MCF_CAP_MAX; path.cost[path.m] = C; path.m++;
        path.from[path.m] = v + 1; path.to[path.m] = v;
        path.cap[path.m] = U; path.cost[path.m] = -C + 1; path.m++;
    }
    memset(path.supply, 0, sizeof path.supply);
    path.supply[0] = U;
    path.supply[path.n - 1] = -U;
    assert_int_equal(solve_and_compare(&path), WP_MCF_OPTIMAL);
}

/* ---------------------------------------------------------- determinism */

static void test_deterministic(void **state) {
    (void)state;
    rng_state = 5;
    for (int t = 0; t < 50; t++) {
        static instance in;
        random_instance(&in, 40, 300, -5, 50, 20, 10, 0, 10);
        wp_mcf *a = build(&in, in.m), *b = build(&in, in.m);
        assert_int_equal(wp_mcf_solve(a), wp_mcf_solve(b));
        assert_int_equal(wp_mcf_pivots(a), wp_mcf_pivots(b));
        for (int j = 0; j < in.m; j++)
            assert_int_equal(wp_mcf_flow(a, j), wp_mcf_flow(b, j));
        for (int v = 0; v < in.n; v++)
            assert_int_equal(wp_mcf_potential(a, v), wp_mcf_potential(b, v));
        wp_mcf_free(a);
        wp_mcf_free(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transportation),
        cmocka_unit_test(test_parallel_arcs),
        cmocka_unit_test(test_zero_cost_cycle),
        cmocka_unit_test(test_negative_costs),
        cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_unbounded),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_isolated_and_zero_cap),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_medium_vs_reference),
        cmocka_unit_test(test_warm_restart),
        cmocka_unit_test(test_warm_column_generation),
        cmocka_unit_test(test_supply_change_resets),
        cmocka_unit_test(test_extreme_magnitudes),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
