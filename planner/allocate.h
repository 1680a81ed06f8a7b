/*
** allocate.h — the single-year allocation: send every source's waste to the
** sinks that accept it, over the candidate arcs, at least total cost
** (haulage + handling + a penalty per tonne left unallocated), within every
** sink's per-material and total limits. Solved exactly as a min-cost flow.
*/
#ifndef WP_ALLOCATE_H
#define WP_ALLOCATE_H

#include <stdint.h>
#include "model.h"

typedef enum {
    WP_REASON_NONE = 0,          /* fully delivered */
    WP_REASON_NOT_ACCEPTED,      /* no sink anywhere accepts the material */
    WP_REASON_OUT_OF_REACH,      /* sinks accept it, none within the haul limit */
    WP_REASON_SITES_FULL,        /* reachable sinks are full */
    WP_REASON_UNECONOMIC         /* room exists, but haul + handling costs more
                                    than leaving it (the unallocated penalty) */
} wp_reason;

typedef struct {
    double supply_t, delivered_t, unallocated_t;
    double haul_cost, handling_cost, penalty_cost;   /* yuan */
    double t_km, co2_t;
} wp_material_total;

typedef struct {
    double *arc_t;          /* tonnes on each model arc */
    double *src_delivered;  /* per source */
    double *src_unalloc;
    wp_reason *src_reason;
    double *src_marginal;   /* marginal delivered cost per t at the source (yuan/t) */
    double *sink_received;  /* per sink, all materials */
    double *sink_received_mat; /* n_sinks * WP_MAX_MATERIALS */
    double *sink_shadow;    /* yuan saved per extra t of total capacity (0 if not full) */
    double *sink_shadow_mat; /* n_sinks * WP_MAX_MATERIALS: yuan saved per extra t
                                of the sink's own limit for that material */
    wp_material_total mat[WP_MAX_MATERIALS];
    double total_cost, haul_cost, handling_cost, penalty_cost;
    double t_km, co2_t;
    double flow_unit_t;     /* tonnes per integer flow unit used by the solver */
    double cost_unit;       /* yuan per t per integer cost unit */
    long long pivots;
    double solve_seconds;
} wp_result;

/* Solve the allocation for model m over every arc in m->arcs (any order).
** Returns 0 and fills *r (free with wp_result_free), or -1 with a message in
** err. */
int wp_allocate(const wp_model *m, wp_result *r, char *err, int errlen);

/* Optimal potentials handed to a pricer, in the solver's integer units.
** An arc (s,k) that is not in the network, of material j = the source's
** material and cost c yuan/t, would improve the optimum exactly when
**     llround(c / cost_unit) + src[s] - dest[k * WP_MAX_MATERIALS + j] < 0.
** dest is filled for every (sink, material) the sink accepts. */
typedef struct {
    const int64_t *src;
    const int64_t *dest;
    double cost_unit;
} wp_duals;

/* Supplies omitted arcs on demand, so that a national-scale allocation
** never materialises every pair within reach (column generation). */
typedef struct wp_pricer {
    /* Append to m->arcs (wp_model_add_arc) candidate arcs that are not in
    ** m->arcs yet, lie within the material's haul limit, and price out under
    ** d (most negative first, at most max_per_source per source). Must add
    ** nothing when none prices out: that is the proof of optimality. Returns
    ** the number added, or -1 with a message in err. */
    long (*price)(struct wp_pricer *self, wp_model *m, const wp_duals *d,
                  int max_per_source, char *err, int errlen);
    /* Append every remaining arc within reach of source s (used to give
    ** sources left with unallocated tonnes their true reason). Returns the
    ** number added or -1. */
    long (*complete)(struct wp_pricer *self, wp_model *m, int s,
                     char *err, int errlen);
    void *state;
} wp_pricer;

/* Solve the allocation exactly by column generation: start from the arcs
** already in m->arcs (e.g. the few nearest sinks of each source), solve,
** ask the pricer for arcs with negative reduced cost, re-solve from the
** previous basis, and stop when the pricer finds none. The arcs that were
** generated stay in m->arcs, which is then sorted by (source, sink).
** rounds, if not NULL, receives the number of pricing rounds. */
int wp_allocate_priced(wp_model *m, wp_pricer *pricer, wp_result *r,
                       int *rounds, char *err, int errlen);
void wp_result_free(wp_result *r);

/* The most valuable extra tonne at sink k: its total capacity's shadow
** price, or, when that is 0, the highest of its per-material limits' (the
** material in *mat, -1 for the total or none). */
double wp_sink_best_shadow(const wp_model *m, const wp_result *r, int k, int *mat);

const char *wp_reason_str(wp_reason r);     /* "out_of_reach" */
const char *wp_reason_zh(wp_reason r);      /* "运距内无接收点" */

#endif
