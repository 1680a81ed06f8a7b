/*
** mincostflow.h — exact minimum-cost flow on integer data (primal network
** simplex). The allocation model in allocate.c is reduced to this problem;
** nothing here knows about waste, tonnes or geography.
**
** Conventions (the same as LEMON's NetworkSimplex, so results compare
** one-to-one with that peer):
**   - node supply b(v) > 0 is a source, < 0 a demand; the solver requires
**     sum b(v) == 0 (the caller balances the problem);
**   - every arc has lower bound 0, an upper bound cap >= 0 and an integer
**     cost (any sign);
**   - potentials pi satisfy, at the optimum, for every arc (u,v) with
**     reduced cost rc = cost + pi(u) - pi(v):
**         rc >= 0 where flow == 0,  rc <= 0 where flow == cap,
**         rc == 0 where 0 < flow < cap.
**
** Magnitudes: capacities and |supplies| must not exceed WP_MCF_CAP_MAX and
** |cost| must not exceed WP_MCF_COST_MAX; the positive supplies plus all
** finite capacities must sum to at most 2^62 (an uncapacitated arc may carry
** that much), else the solve returns WP_MCF_BAD_INPUT. With at most 2^24
** nodes every potential and every intermediate sum then fits in int64_t
** (see the proof in mincostflow.c). The caller scales its real data into
** these bounds.
*/
#ifndef WP_MINCOSTFLOW_H
#define WP_MINCOSTFLOW_H

#include <stdint.h>

#define WP_MCF_CAP_MAX  ((int64_t)1 << 60)   /* also "unbounded" capacity */
#define WP_MCF_COST_MAX ((int64_t)1 << 36)

typedef enum {
    WP_MCF_OPTIMAL = 0,
    WP_MCF_INFEASIBLE,     /* supplies cannot be routed within capacities */
    WP_MCF_UNBOUNDED,      /* a negative-cost cycle of unbounded capacity */
    WP_MCF_BAD_INPUT,      /* supplies do not balance, or a value out of range */
    WP_MCF_NOMEM
} wp_mcf_status;

typedef struct wp_mcf wp_mcf;

/* Create a problem with n_nodes nodes (numbered 0..n_nodes-1), all supplies
** zero. arc_hint preallocates room for that many arcs (0 is fine).
** Returns NULL when out of memory. */
wp_mcf *wp_mcf_new(int n_nodes, int64_t arc_hint);
void wp_mcf_free(wp_mcf *p);

/* Add arc from -> to; returns its index (0, 1, 2, ... in order of addition)
** or -1 on bad node/capacity/cost or out of memory. Arcs may be added after a
** solve: the next wp_mcf_solve then starts from the previous optimal basis
** (the new arcs enter non-basic at flow 0), which is what column generation
** needs. */
int64_t wp_mcf_add_arc(wp_mcf *p, int from, int to, int64_t cap, int64_t cost);
void wp_mcf_set_supply(wp_mcf *p, int node, int64_t supply);

/* Solve to optimality. Deterministic: the same problem added in the same
** order gives the same flows and potentials. */
wp_mcf_status wp_mcf_solve(wp_mcf *p);

int wp_mcf_node_count(const wp_mcf *p);
int64_t wp_mcf_arc_count(const wp_mcf *p);
int64_t wp_mcf_flow(const wp_mcf *p, int64_t arc);
int64_t wp_mcf_potential(const wp_mcf *p, int node);
/* Sum of flow*cost over all arcs, as a double (exact sums can exceed int64). */
double wp_mcf_total_cost(const wp_mcf *p);
/* Simplex pivots done by the last solve (for benchmarks and progress). */
int64_t wp_mcf_pivots(const wp_mcf *p);

const char *wp_mcf_status_str(wp_mcf_status s);

/* The smallest power of two p with value / p <= limit (p may be below 1;
** 1 when value is not positive): the unit that brings real data within the
** bounds above. Powers of two make the scaled problem identical whenever
** the data are scaled by a power of two, and rescale without rounding. */
double wp_mcf_pow2_scale(double value, double limit);

#endif
