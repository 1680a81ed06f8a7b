/*
** multiperiod.h — the allocation planned over a horizon of years: producers'
** output year by year, yards whose stock is drawn down (or filled with new
** waste) and carried between years at a storage cost, sinks open only in
** some years or sharing one total over the horizon (a mine's void, a road's
** demand), and utilisation targets per material and year, either reported
** (the gap of the cost-optimal plan) or enforced (with what meeting them
** costs per extra tonne). Solved exactly as one time-expanded min-cost flow;
** docs/model.md gives the formulation.
**
** The year data live beside the model (wp_horizon), indexed like the
** model's sources and sinks, so a wp_model stays a one-year snapshot and
** every single-year tool keeps working on it unchanged.
*/
#ifndef WP_MULTIPERIOD_H
#define WP_MULTIPERIOD_H

#include "model.h"

/* Year data of a plan. Arrays indexed [i * n_years + y] hold one value per
** source or sink i and year y (y = 0 is year0). HUGE_VAL means "no limit";
** NaN in a target means "no target". */
typedef struct {
    int year0, n_years;
    int n_sources, n_sinks;          /* sizes the arrays were made for */

    /* Sources. Plants: gen_t is the new waste of year y (yards: 0). */
    double *gen_t;                   /* n_sources * n_years */
    /* Yards (wp_source.kind == WP_SRC_YARD; other sources ignore these). */
    double *stock0_t;                /* opening stock at the start of year0 */
    double *drawdown_t;              /* n_sources * n_years: most that may leave */
    double *storage_t;               /* room left for new waste (t), HUGE_VAL none */
    double *storage_cost;            /* yuan per t of closing stock per year */
    /* Plants: where new waste may be put into storage. */
    int *store_yard;                 /* yard source index, -1 for none */
    double *store_cost;              /* yuan per t to put it there (haul + handling) */

    /* Sinks, per year: 0 outside the sink's years of operation. */
    double *sink_cap_t;              /* n_sinks * n_years: total intake that year */
    double *sink_mat_cap_t;          /* (k * n_years + y) * WP_MAX_MATERIALS + j */
    double *sink_horizon_t;          /* n_sinks: shared total over all years */

    /* Materials. */
    int new_storage[WP_MAX_MATERIALS];        /* 0: new waste of j is never stored */
    double max_store_years[WP_MAX_MATERIALS]; /* temporary storage <= this many
                                              ** years of its producers' output */
    double *target_new;              /* n_years * WP_MAX_MATERIALS, [y*WP_MAX_MATERIALS+j]:
                                     ** share of new waste used in its year */
    double *target_stock;            /* same layout: share of the opening stock of
                                     ** each yard drawn down by the end of year y */
    int enforce;                     /* 1: targets are constraints; 0: reported */
} wp_horizon;

/* Allocate the arrays of h for m's sources and sinks and n_years years,
** filled with defaults that make every year a copy of the one-year model:
** gen = plant supply, stock0 = yard supply, drawdown = yard supply,
** storage none, storage cost = the material's unallocated cost, no store
** yard, sink limits = the model's every year, no horizon totals, new
** storage allowed, no targets. Returns 0, or -1 on OOM (h then empty). */
int wp_horizon_init(wp_horizon *h, const wp_model *m, int year0, int n_years);
void wp_horizon_free(wp_horizon *h);

/* One row of the yearly balance, per material and year. Balances that hold
** to rounding of the solver's flow unit:
**   generated = used_new + stored + unallocated
**   stock_end = previous stock_end (or the opening stock) + stored - drawn */
typedef struct {
    double generated_t, used_new_t, stored_t, unallocated_t;
    double drawn_t, stock_open_t, stock_end_t;
    double util_new;          /* used_new / generated, NaN when nothing generated */
    double target;            /* NaN: none */
    double gap;               /* target - util_new (> 0: short of it), NaN: no target */
    double shadow_price;      /* enforced: yuan per extra tonne the target costs */
    double shortfall_t;       /* enforced but infeasible: tonnes that could not be used */
    double pooled_store_t;    /* stored through an enforced target's pool, where
                              ** the plan is a relaxation (multiperiod.c) */
    double haul_cost, handling_cost, penalty_cost, store_cost, storage_cost;
    double cost;              /* sum of the five */
} wp_plan_row;

typedef struct {
    int n_years;
    double *arc_t;            /* [y * n_arcs + a]: tonnes on model arc a in year y */
    double *unalloc_t;        /* [s * n_years + y] plants: new waste left over */
    double *stored_t;         /* [s * n_years + y] plants: new waste put into storage */
    double *drawn_old_t;      /* [s * n_years + y] yards: drawn from the opening stock */
    double *drawn_new_t;      /* [s * n_years + y] yards: drawn from new storage */
    double *stored_in_t;      /* [s * n_years + y] yards: new waste received */
    double *old_end_t;        /* [s * n_years + y] yards: opening stock left at year end */
    double *new_end_t;        /* [s * n_years + y] yards: new waste held at year end */
    double *stock_shadow;     /* [s * n_years + y] yards: enforced stock target price */
    double *stock_short_t;    /* [s * n_years + y] yards: stock target shortfall */
    double *sink_t;           /* [k * n_years + y] */
    double *sink_shadow;      /* [k * n_years + y]: yuan saved per extra t that year */
    wp_plan_row *rows;        /* [y * WP_MAX_MATERIALS + j] */
    double total_cost, haul_cost, handling_cost, penalty_cost, store_cost, storage_cost;
    int infeasible;           /* enforced targets could not all be met: the plan
                              ** shown is the relaxation, shortfalls say by how much */
    double flow_unit_t, cost_unit;
    long long pivots;
    double solve_seconds;
} wp_plan_result;

/* Solve the plan for model m (arcs as for wp_allocate, valid in every year
** the sink is open) and year data h. Returns 0 and fills *r (free with
** wp_plan_result_free), or -1 with a message in err. Infeasible enforced
** targets are not an error: r->infeasible is set and the shortfalls say
** where. */
int wp_plan(const wp_model *m, const wp_horizon *h, wp_plan_result *r,
            char *err, int errlen);
void wp_plan_result_free(wp_plan_result *r);

#endif
