/*
** tool_alloc_random.c — random allocation instances for the LP oracle
** (tests/oracle_allocate.py). `tool_alloc_random SEED` builds an instance
** from the seed, solves it with wp_allocate and prints one JSON object:
** the instance (supplies, limits, arc costs, penalties) and the solution
** (objective, arc tonnes, per-source unallocated tonnes and reasons, sink
** receipts and shadow prices). The oracle solves the same instance as an LP
** with HiGHS and checks every claim.
**
** The seed also picks a scale: quantities from 1 t to 10^8 t and costs from
** 0.01 to 10^6 yuan, and the classes the issue names: capacity shortfalls,
** unreachable sources, materials accepted nowhere.
*/
#include "../planner/allocate.h"
#include "../planner/generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static double runif(uint64_t *st, double lo, double hi) {
    return lo + (hi - lo) * wp_rand_uniform(st);
}

static void build(wp_model *m, uint64_t seed) {
    uint64_t st = seed * 7919 + 13;
    int S = 1 + (int)(wp_rand_next(&st) % 40);
    int K = 1 + (int)(wp_rand_next(&st) % 15);
    int M = 1 + (int)(wp_rand_next(&st) % 4);
    int cls = (int)(seed % 5);  /* 0 normal, 1 short capacity, 2 unreachable, 3 nowhere, 4 roomy */
    double qscale = pow(10.0, (double)(wp_rand_next(&st) % 9));        /* 1 .. 1e8 */
    double cscale = pow(10.0, -2.0 + (double)(wp_rand_next(&st) % 9)); /* 0.01 .. 1e6 */
    for (int j = 0; j < M; j++) {
        wp_material *mt = &m->materials.m[j];
        mt->road_rate = runif(&st, 0.2, 0.8) * cscale / 10;
        mt->handling = runif(&st, 0, 10) * cscale / 10;
        mt->unallocated_cost = runif(&st, 5, 60) * cscale / 10;
        mt->max_haul_km = 200;
    }
    unsigned nowhere = cls == 3 ? 1u : 0u;   /* material 0 accepted nowhere */
    for (int i = 0; i < S; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        wp_source *s = wp_model_add_source(m, id, id);
        s->material = (int)(wp_rand_next(&st) % (uint64_t)M);
        s->supply_t = (wp_rand_next(&st) % 7 == 0) ? 0 : floor(runif(&st, 1, 1000)) * qscale;
        if (wp_rand_next(&st) % 4 == 0) s->supply_t += runif(&st, 0, 1) * qscale; /* fractional */
    }
    double capf = cls == 1 ? 0.3 : cls == 4 ? 5 : 1.0;
    for (int k = 0; k < K; k++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", k);
        wp_sink *s = wp_model_add_sink(m, id, id);
        for (int j = 0; j < M; j++)
            if (wp_rand_next(&st) % 2 && !(nowhere >> j & 1u)) {
                s->accepts |= 1u << j;
                s->cap_t[j] = wp_rand_next(&st) % 3 == 0
                                  ? HUGE_VAL
                                  : floor(runif(&st, 0, 3000) * capf) * qscale;
            }
        s->cap_total_t = wp_rand_next(&st) % 3 == 0 ? HUGE_VAL
                                                    : floor(runif(&st, 0, 5000) * capf) * qscale;
    }
    for (int i = 0; i < S; i++) {
        if (cls == 2 && i % 3 == 0) continue;    /* unreachable */
        for (int k = 0; k < K; k++) {
            int j = m->sources[i].material;
            if (!(m->sinks[k].accepts >> j & 1u) || m->sinks[k].cap_t[j] <= 0) continue;
            if (wp_rand_next(&st) % 3 == 0) continue;
            wp_arc a = {i, k, runif(&st, 0, 200), 0, 0};
            wp_model_add_arc(m, &a);
        }
    }
}

static void print_num(double v) {
    if (v == HUGE_VAL) printf("null");
    else printf("%.17g", v);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: tool_alloc_random SEED\n");
        return 1;
    }
    wp_model m;
    wp_model_init(&m);
    build(&m, strtoull(argv[1], NULL, 10));
    wp_result r;
    char err[512];
    if (wp_allocate(&m, &r, err, sizeof err) < 0) {
        fprintf(stderr, "wp_allocate: %s\n", err);
        wp_model_free(&m);
        return 2;
    }
    printf("{\"materials\":[");
    for (int j = 0; j < m.materials.count; j++) {
        printf("%s{\"pen\":", j ? "," : "");
        print_num(m.materials.m[j].unallocated_cost);
        printf("}");
    }
    printf("],\"sources\":[");
    for (int i = 0; i < m.n_sources; i++) {
        printf("%s{\"mat\":%d,\"supply\":", i ? "," : "", m.sources[i].material);
        print_num(m.sources[i].supply_t);
        printf(",\"delivered\":");
        print_num(r.src_delivered[i]);
        printf(",\"unalloc\":");
        print_num(r.src_unalloc[i]);
        printf(",\"reason\":\"%s\",\"marginal\":", wp_reason_str(r.src_reason[i]));
        print_num(r.src_marginal[i]);
        printf("}");
    }
    printf("],\"sinks\":[");
    for (int k = 0; k < m.n_sinks; k++) {
        const wp_sink *s = &m.sinks[k];
        printf("%s{\"accepts\":%u,\"total\":", k ? "," : "", s->accepts);
        print_num(s->cap_total_t);
        printf(",\"caps\":[");
        for (int j = 0; j < m.materials.count; j++) {
            printf("%s", j ? "," : "");
            print_num(s->cap_t[j]);
        }
        printf("],\"received\":");
        print_num(r.sink_received[k]);
        printf(",\"shadow\":");
        print_num(r.sink_shadow[k]);
        printf("}");
    }
    printf("],\"arcs\":[");
    for (size_t a = 0; a < m.n_arcs; a++) {
        printf("%s{\"s\":%d,\"k\":%d,\"cost\":", a ? "," : "", m.arcs[a].src, m.arcs[a].sink);
        print_num(wp_arc_cost_per_t(&m, &m.arcs[a]));
        printf(",\"t\":");
        print_num(r.arc_t[a]);
        printf("}");
    }
    printf("],\"objective\":");
    print_num(r.total_cost);
    printf(",\"flow_unit\":");
    print_num(r.flow_unit_t);
    printf("}\n");
    wp_result_free(&r);
    wp_model_free(&m);
    return 0;
}
