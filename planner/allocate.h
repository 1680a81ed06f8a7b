/*
** allocate.h — the single-year allocation: send every source's waste to the
** sinks that accept it, over the candidate arcs, at least total cost
** (haulage + handling + a penalty per tonne left unallocated), within every
** sink's per-material and total limits. Solved exactly as a min-cost flow.
*/
#ifndef WP_ALLOCATE_H
#define WP_ALLOCATE_H

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
    wp_material_total mat[WP_MAX_MATERIALS];
    double total_cost, haul_cost, handling_cost, penalty_cost;
    double t_km, co2_t;
    double flow_unit_t;     /* tonnes per integer flow unit used by the solver */
    double cost_unit;       /* yuan per t per integer cost unit */
    long long pivots;
    double solve_seconds;
} wp_result;

/* Solve the allocation for model m. Returns 0 and fills *r (free with
** wp_result_free), or -1 with a message in err. */
int wp_allocate(const wp_model *m, wp_result *r, char *err, int errlen);
void wp_result_free(wp_result *r);

const char *wp_reason_str(wp_reason r);     /* "out_of_reach" */
const char *wp_reason_zh(wp_reason r);      /* "运距内无接收点" */

#endif
