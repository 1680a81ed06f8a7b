/*
** peer_glpk.c — benchmark driver for GLPK's two network codes on a
** glp_graph: glp_mincost_relax4 (Bertsekas–Tseng RELAX-IV, a dual
** coordinate-ascent method) and glp_mincost_okalg (out-of-kilter).
** Usage: peer_glpk FILE [repeats] [relax4|okalg]; prints
** "glpk_relax4 STATUS OBJECTIVE SECONDS" (or glpk_okalg).
**
** Both need integer data held in int: okalg up to INT_MAX, RELAX-IV up to
** INT_MAX/4 for every supply, capacity and cost (GLPK returns GLP_EDATA
** otherwise). The benchmark generator keeps total supply below that; an
** instance that breaks the limit is reported as status "edata".
** Building the graph is not timed; the solve call is, including GLPK's
** copy of the graph into its own arrays.
**
** GLPK 5.0 ships RELAX-IV disabled ("temporarily disabled due to licensing
** problems"): the call ends in a GLPK fatal error. The driver catches that
** through glp_error_hook and prints status "unavailable" instead of dying,
** so the harness can say why the column is empty.
*/
#include <math.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "dimacs.h"

/* Where a GLPK fatal error (glp_error) returns to. */
static jmp_buf glpk_fatal;

/* glp_error_hook callback: leave the failed GLPK call. GLPK's environment
** must then be freed (glp_free_env) before anything else is done. */
static void on_glpk_error(void *info)
{
    (void)info;
    longjmp(glpk_fatal, 1);
}

typedef struct {
    double rhs;
} v_data;

typedef struct {
    double low, cap, cost, x;
} a_data;

/* Build the glp_graph for g, arcs in file order (GLPK stores each vertex's
** out-arcs as a list, so arc i is remembered through ptr[i]). */
static glp_graph *build(const bench_net *g, glp_arc **ptr)
{
    glp_graph *G = glp_create_graph(sizeof(v_data), sizeof(a_data));
    glp_add_vertices(G, g->n);
    for (int v = 0; v < g->n; v++)
        ((v_data *)G->v[v + 1]->data)->rhs = (double)g->supply[v];
    for (int64_t i = 0; i < g->m; i++) {
        glp_arc *a = glp_add_arc(G, g->from[i] + 1, g->to[i] + 1);
        a_data *d = (a_data *)a->data;
        d->low = 0.0;
        d->cap = (double)g->cap[i];
        d->cost = (double)g->cost[i];
        d->x = 0.0;
        ptr[i] = a;
    }
    return G;
}

/* Returned by solve_all when GLPK hit a fatal error. */
#define FATAL (-1000)

/* glp_term_hook callback: GLPK's messages go to stderr, keeping stdout for
** the one result line. */
static int to_stderr(void *info, const char *s)
{
    (void)info;
    fputs(s, stderr);
    return 1;
}

/* Run the chosen solver reps times on G, the times into t[0..*done-1].
** Returns GLPK's code of the last call, or FATAL after a GLPK fatal error
** (then GLPK's environment has been freed). Kept apart from main so that
** no variable live across setjmp is modified after it. */
static int solve_all(glp_graph *G, int use_okalg, int reps, double *t,
                     int *done)
{
    double sol;
    volatile int ret = 0;   /* volatile: assigned after setjmp */

    glp_error_hook(on_glpk_error, NULL);
    if (setjmp(glpk_fatal)) {
        glp_free_env();
        return FATAL;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now();
        if (use_okalg)
            ret = glp_mincost_okalg(G, offsetof(v_data, rhs),
                                    offsetof(a_data, low), offsetof(a_data, cap),
                                    offsetof(a_data, cost), &sol,
                                    offsetof(a_data, x), -1);
        else
            ret = glp_mincost_relax4(G, offsetof(v_data, rhs),
                                     offsetof(a_data, low), offsetof(a_data, cap),
                                     offsetof(a_data, cost), 0, &sol,
                                     offsetof(a_data, x), -1);
        t[r] = bench_now() - t0;
        *done = r + 1;
        if (ret != 0)
            break;
    }
    return ret;
}

/* Map a GLPK return code to the status word. */
static const char *status_of(int ret)
{
    switch (ret) {
    case 0: return "optimal";
    case GLP_ENOPFS: return "infeasible";
    case GLP_EDATA: return "edata";
    case GLP_ERANGE: return "erange";
    default: return "error";
    }
}

int main(int argc, char **argv)
{
    bench_net g;
    int reps, done = 0, use_okalg = 0, ret;
    double *t;
    int64_t *flow;
    glp_arc **ptr;
    glp_graph *G;
    const char *status;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [repeats] [relax4|okalg]\n", argv[0]);
        return 2;
    }
    reps = bench_repeats(argc, argv, 2);
    if (argc > 3) {
        if (strcmp(argv[3], "okalg") == 0)
            use_okalg = 1;
        else if (strcmp(argv[3], "relax4") != 0) {
            fprintf(stderr, "%s: method must be 'relax4' or 'okalg', not '%s'\n",
                    argv[0], argv[3]);
            return 2;
        }
    }
    if (bench_read_dimacs(argv[1], &g) != 0)
        return 1;
    if (g.m > 0x7ffffffe) {
        fprintf(stderr, "%s: too many arcs for GLPK\n", argv[1]);
        bench_net_free(&g);
        return 1;
    }
    glp_term_hook(to_stderr, NULL);
    t = malloc((size_t)reps * sizeof *t);
    flow = calloc((size_t)(g.m ? g.m : 1), sizeof *flow);
    ptr = malloc((size_t)(g.m ? g.m : 1) * sizeof *ptr);
    if (!t || !flow || !ptr) {
        fprintf(stderr, "%s: out of memory\n", argv[1]);
        free(t);
        free(flow);
        free(ptr);
        bench_net_free(&g);
        return 1;
    }
    G = build(&g, ptr);
    ret = solve_all(G, use_okalg, reps, t, &done);
    if (ret == FATAL) {
        /* GLPK's environment, graph included, went with glp_free_env. */
        bench_print(use_okalg ? "glpk_okalg" : "glpk_relax4", "unavailable",
                    0, 0.0);
        free(t);
        free(flow);
        free(ptr);
        bench_net_free(&g);
        return 0;
    }
    if (ret == 0)
        for (int64_t i = 0; i < g.m; i++)
            flow[i] = (int64_t)llround(((a_data *)ptr[i]->data)->x);
    status = status_of(ret);
    if (ret == 0 && bench_check_flow(use_okalg ? "glpk_okalg" : "glpk_relax4",
                                     &g, flow) != 0)
        status = "invalid";
    bench_print(use_okalg ? "glpk_okalg" : "glpk_relax4", status,
                ret == 0 ? bench_objective(&g, flow) : 0,
                bench_median(t, done));
    glp_delete_graph(G);
    free(t);
    free(flow);
    free(ptr);
    bench_net_free(&g);
    return 0;
}
