/*
** peer_clp.c — benchmark driver for COIN-OR CLP, the general LP simplex,
** on the min-cost flow written as an LP in column form: one column per arc
** (bounds [0, cap], objective coefficient = cost), one equality row per node
** (outflow - inflow = supply). This is what a planner would do with a
** general LP solver, and it measures what the specialised network simplex
** gains. Usage: peer_clp FILE [repeats] [dual|primal]; prints
** "clp_dual STATUS OBJECTIVE SECONDS" (or clp_primal).
**
** The node-arc incidence matrix is totally unimodular, so every basic
** solution is integral: the objective is recomputed exactly from the column
** values rounded to the nearest integer (after checking they are within
** 1e-6 of one), not taken from CLP's floating-point objective.
** Loading the problem is not timed; each repeat loads it afresh so no
** repeat starts from the previous optimal basis.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <coin/Clp_C_Interface.h>

#include "dimacs.h"

/* The LP in CLP's column-major form, built once from the network. */
typedef struct {
    int ncols, nrows;
    CoinBigIndex *start;   /* ncols + 1 */
    int *index;            /* 2 per column: tail row, head row */
    double *value;         /* +1 at the tail, -1 at the head */
    double *collb, *colub, *obj, *rowlb, *rowub;
} lp_form;

static void lp_free(lp_form *lp)
{
    free(lp->start);
    free(lp->index);
    free(lp->value);
    free(lp->collb);
    free(lp->colub);
    free(lp->obj);
    free(lp->rowlb);
    free(lp->rowub);
}

/* Build the LP for g. Returns 0, or -1 when out of memory. */
static int lp_build(const bench_net *g, lp_form *lp)
{
    size_t m = (size_t)g->m, n = (size_t)g->n;
    memset(lp, 0, sizeof *lp);
    lp->ncols = (int)g->m;
    lp->nrows = g->n;
    lp->start = malloc((m + 1) * sizeof *lp->start);
    lp->index = malloc((2 * m + 1) * sizeof *lp->index);
    lp->value = malloc((2 * m + 1) * sizeof *lp->value);
    lp->collb = malloc((m + 1) * sizeof *lp->collb);
    lp->colub = malloc((m + 1) * sizeof *lp->colub);
    lp->obj = malloc((m + 1) * sizeof *lp->obj);
    lp->rowlb = malloc(n * sizeof *lp->rowlb);
    lp->rowub = malloc(n * sizeof *lp->rowub);
    if (!lp->start || !lp->index || !lp->value || !lp->collb || !lp->colub ||
        !lp->obj || !lp->rowlb || !lp->rowub) {
        lp_free(lp);
        return -1;
    }
    for (size_t j = 0; j < m; j++) {
        lp->start[j] = (CoinBigIndex)(2 * j);
        lp->index[2 * j] = g->from[j];
        lp->value[2 * j] = 1.0;
        lp->index[2 * j + 1] = g->to[j];
        lp->value[2 * j + 1] = -1.0;
        lp->collb[j] = 0.0;
        lp->colub[j] = (double)g->cap[j];
        lp->obj[j] = (double)g->cost[j];
    }
    lp->start[m] = (CoinBigIndex)(2 * m);
    for (size_t i = 0; i < n; i++)
        lp->rowlb[i] = lp->rowub[i] = (double)g->supply[i];
    return 0;
}

/* Load, solve with the chosen simplex, and read the flows back rounded.
** Returns the status word; *secs is the solve call alone. */
static const char *solve_once(const bench_net *g, const lp_form *lp,
                              int use_primal, int64_t *flow, double *secs)
{
    Clp_Simplex *model = Clp_newModel();
    const char *status = "optimal";
    double t0;
    int st;

    if (!model)
        return "nomem";
    Clp_setLogLevel(model, 0);
    Clp_loadProblem(model, lp->ncols, lp->nrows, lp->start, lp->index,
                    lp->value, lp->collb, lp->colub, lp->obj, lp->rowlb,
                    lp->rowub);
    t0 = bench_now();
    if (use_primal)
        Clp_primal(model, 0);
    else
        Clp_dual(model, 0);
    *secs = bench_now() - t0;
    st = Clp_status(model);
    if (st == 1)
        status = "infeasible";
    else if (st == 2)
        status = "unbounded";
    else if (st != 0)
        status = "error";
    else {
        const double *x = Clp_getColSolution(model);
        for (int64_t j = 0; j < g->m; j++) {
            double r = floor(x[j] + 0.5);
            if (fabs(x[j] - r) > 1e-6) {
                fprintf(stderr, "clp: column %lld has non-integral value %.9g\n",
                        (long long)j, x[j]);
                status = "nonintegral";
            }
            flow[j] = (int64_t)r;
        }
    }
    Clp_deleteModel(model);
    return status;
}

int main(int argc, char **argv)
{
    bench_net g;
    lp_form lp;
    int reps, use_primal = 0;
    double *t;
    int64_t *flow;
    const char *status = "optimal";

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [repeats] [dual|primal]\n", argv[0]);
        return 2;
    }
    reps = bench_repeats(argc, argv, 2);
    if (argc > 3) {
        if (strcmp(argv[3], "primal") == 0)
            use_primal = 1;
        else if (strcmp(argv[3], "dual") != 0) {
            fprintf(stderr, "%s: method must be 'dual' or 'primal', not '%s'\n",
                    argv[0], argv[3]);
            return 2;
        }
    }
    if (bench_read_dimacs(argv[1], &g) != 0)
        return 1;
    if (g.m > 0x3fffffff) {
        fprintf(stderr, "%s: %lld arcs exceed CLP's int matrix index\n",
                argv[1], (long long)g.m);
        bench_net_free(&g);
        return 1;
    }
    t = malloc((size_t)reps * sizeof *t);
    flow = calloc((size_t)(g.m ? g.m : 1), sizeof *flow);
    if (!t || !flow || lp_build(&g, &lp) != 0) {
        fprintf(stderr, "%s: out of memory building the LP\n", argv[1]);
        free(t);
        free(flow);
        bench_net_free(&g);
        return 1;
    }
    for (int r = 0; r < reps; r++)
        status = solve_once(&g, &lp, use_primal, flow, &t[r]);
    if (strcmp(status, "optimal") == 0 &&
        bench_check_flow(use_primal ? "clp_primal" : "clp_dual", &g, flow) != 0)
        status = "invalid";
    bench_print(use_primal ? "clp_primal" : "clp_dual", status,
                bench_objective(&g, flow), bench_median(t, reps));
    lp_free(&lp);
    free(t);
    free(flow);
    bench_net_free(&g);
    return 0;
}
