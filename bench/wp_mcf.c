/*
** wp_mcf.c — benchmark driver for wasteplan's own min-cost flow solver
** (planner/mincostflow.h), with the same command line and output as the
** peer drivers: wp_mcf FILE [repeats] prints
** "wasteplan STATUS OBJECTIVE SECONDS".
**
** Each repeat builds a fresh problem (not timed) and times wp_mcf_solve
** alone: re-solving the same wp_mcf would start from the previous optimal
** basis and measure nothing. The objective is recomputed exactly from the
** integer arc flows rather than taken from wp_mcf_total_cost (a double).
*/
#include <stdlib.h>

#include "dimacs.h"
#include "../planner/mincostflow.h"

/* Build g into a new solver. Returns NULL (after a message) on failure. */
static wp_mcf *build(const bench_net *g)
{
    wp_mcf *p = wp_mcf_new(g->n, g->m);
    if (!p) {
        fprintf(stderr, "wp_mcf: out of memory for %d nodes\n", g->n);
        return NULL;
    }
    for (int64_t i = 0; i < g->m; i++) {
        if (wp_mcf_add_arc(p, g->from[i], g->to[i], g->cap[i], g->cost[i]) != i) {
            fprintf(stderr, "wp_mcf: arc %lld (%d -> %d, cap %lld, cost %lld) "
                    "rejected: out of range or out of memory\n", (long long)i,
                    g->from[i] + 1, g->to[i] + 1, (long long)g->cap[i],
                    (long long)g->cost[i]);
            wp_mcf_free(p);
            return NULL;
        }
    }
    for (int v = 0; v < g->n; v++)
        if (g->supply[v] != 0)
            wp_mcf_set_supply(p, v, g->supply[v]);
    return p;
}

/* The status word printed for s, the same words the peers use. */
static const char *status_word(wp_mcf_status s)
{
    switch (s) {
    case WP_MCF_OPTIMAL: return "optimal";
    case WP_MCF_INFEASIBLE: return "infeasible";
    case WP_MCF_UNBOUNDED: return "unbounded";
    case WP_MCF_BAD_INPUT: return "bad_input";
    case WP_MCF_NOMEM: return "nomem";
    }
    return "error";
}

int main(int argc, char **argv)
{
    bench_net g;
    int reps;
    double *t;
    int64_t *flow;
    wp_mcf_status st = WP_MCF_OPTIMAL;
    const char *st_word;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [repeats]\n", argv[0]);
        return 2;
    }
    reps = bench_repeats(argc, argv, 2);
    if (bench_read_dimacs(argv[1], &g) != 0)
        return 1;
    t = malloc((size_t)reps * sizeof *t);
    flow = calloc((size_t)(g.m ? g.m : 1), sizeof *flow);
    if (!t || !flow) {
        fprintf(stderr, "%s: out of memory\n", argv[1]);
        free(t);
        free(flow);
        bench_net_free(&g);
        return 1;
    }
    for (int r = 0; r < reps; r++) {
        wp_mcf *p = build(&g);
        double t0;
        if (!p) {
            free(t);
            free(flow);
            bench_net_free(&g);
            return 1;
        }
        t0 = bench_now();
        st = wp_mcf_solve(p);
        t[r] = bench_now() - t0;
        if (st == WP_MCF_OPTIMAL && r == reps - 1)
            for (int64_t i = 0; i < g.m; i++)
                flow[i] = wp_mcf_flow(p, i);
        wp_mcf_free(p);
        if (st != WP_MCF_OPTIMAL) {
            reps = r + 1;
            break;
        }
    }
    if (st == WP_MCF_OPTIMAL && bench_check_flow("wasteplan", &g, flow) != 0)
        st_word = "invalid";
    else
        st_word = status_word(st);
    bench_print("wasteplan", st_word,
                st == WP_MCF_OPTIMAL ? bench_objective(&g, flow) : 0,
                bench_median(t, reps));
    free(t);
    free(flow);
    bench_net_free(&g);
    return 0;
}
