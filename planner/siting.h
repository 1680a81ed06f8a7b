/*
** siting.h — where to build new utilisation parks, how big, and what they
** buy. A park type accepts some materials and comes in a few capacity
** options, each with an annualised fixed cost; candidates are places where
** one park of a type may be built. Four problems are solved over the same
** allocation model (allocate.h: haulage + handling + a penalty per tonne
** left unallocated, existing sinks' limits):
**
**   cflp    fixed-charge capacitated facility location: minimise fixed +
**           transport + per-tonne park costs + penalty; the solver chooses
**           how many parks (optionally at most max_parks);
**   k       exactly k parks (p-median with capacities), least total cost;
**   target  the fewest parks that bring each targeted material to its
**           utilisation share, then the least cost with that many;
**   budget  the most tonnes delivered with fixed costs within a budget,
**           then the least cost for those tonnes.
**
** Exact by default: a mixed-integer program solved by CBC within a time
** limit, with CBC's best bound reported as a proven gap. A heuristic (greedy
** add, then drop / swap / resize moves, each evaluated by the min-cost-flow
** allocation) handles instances too big for the MIP and reports the LP
** relaxation as its bound.
**
** The model handed to the solver is the allocation model with one sink per
** candidate appended (wp_siting_add_sinks) and arcs built over all of them:
** candidate c is sink n_base + c. With no park built the optimum is exactly
** the allocation's optimum.
**
** Ownership: a wp_siting owns its strings, WKB and arrays.
*/
#ifndef WP_SITING_H
#define WP_SITING_H

#include "allocate.h"
#include "config.h"
#include "model.h"

#define WP_PARK_MAX_OPTIONS 8

typedef struct {
    char *id;                 /* "rm_park" (from [park.rm_park]) */
    char *name;               /* UTF-8 display name */
    unsigned accepts;         /* bit m: material m accepted */
    int n_options;            /* 1..WP_PARK_MAX_OPTIONS, capacities ascending */
    double cap_t[WP_PARK_MAX_OPTIONS];        /* t per year */
    double fixed_cost[WP_PARK_MAX_OPTIONS];   /* yuan per year, annualised */
    double cost_per_t;        /* processing cost minus revenue, yuan/t (any sign) */
} wp_park_type;

typedef struct {
    char *id, *name;
    int type;                 /* index into types */
    double lon, lat;          /* where hauls end */
    unsigned char *wkb;       /* geometry as given (point or polygon), may be NULL */
    size_t wkb_len;
    char *origin;             /* "layer", "yard", "producer", "grid" */
    int group;                /* county index, -1 when none */
    int required;             /* an existing or committed site: must be built */
} wp_candidate;

typedef struct {
    int n_types;
    wp_park_type *types;
    int n_cands, cap_cands;
    wp_candidate *cands;
    int n_groups;
    char **group_name;        /* county names */
    int max_per_group;        /* at most this many parks per county (0: no limit) */
} wp_siting;

void wp_siting_init(wp_siting *s);
void wp_siting_free(wp_siting *s);

/* Append a park type (strings copied); index or -1 on OOM. */
int wp_siting_add_type(wp_siting *s, const wp_park_type *t);
/* Append a candidate (id, name copied; everything else zero, group -1);
** the pointer is valid until the next append. NULL on OOM. */
wp_candidate *wp_siting_add_candidate(wp_siting *s, const char *id,
                                      const char *name);
/* Index of county `name`, added when new; -1 on OOM. */
int wp_siting_group(wp_siting *s, const char *name);

/* Read every [park.<id>] section of cfg into s->types:
**   name = 赤泥综合利用园            (default: the id)
**   accepts = 赤泥, 钛石膏           (materials, required)
**   capacities = 50万吨, 100万吨     (quantities, ascending, required)
**   fixed_costs = 2500万, 4000万     (yuan per year, one per capacity; a
**                                     number, optionally with 万 or 亿)
**   cost_per_t = 10                  (yuan/t, default 0; negative: revenue)
** Returns the number of types read, or -1 with a message naming the key,
** its origin and what to fix. */
int wp_siting_read_types(wp_config *cfg, const wp_materials *ms, wp_siting *s,
                         char *err, int errlen);

/* Append one sink per candidate to m (kind WP_SINK_PARK, the type's
** materials, capacity = the largest option, layer = layer). Call after
** wp_model_sort_by_id and before building arcs. 0 or -1 on OOM. */
int wp_siting_add_sinks(wp_model *m, const wp_siting *s, int layer);

typedef enum {
    WP_SITE_CFLP = 0, WP_SITE_K, WP_SITE_TARGET, WP_SITE_BUDGET
} wp_site_problem;

typedef struct {
    wp_site_problem problem;
    int k;                    /* WP_SITE_K: parks to build */
    int max_parks;            /* WP_SITE_CFLP: at most this many (0: no limit) */
    double target[WP_MAX_MATERIALS]; /* WP_SITE_TARGET: share 0..1, < 0: none */
    int target_new_only;      /* targets count plants' new output only, not yards */
    double budget;            /* WP_SITE_BUDGET: fixed cost limit, yuan/yr */
    double time_limit;        /* seconds for the whole solve (> 0) */
    int heuristic;            /* local search instead of the MIP */
    int naive;                /* MIP without the disaggregated linking rows */
    int verbose;              /* solver log on stderr */
} wp_site_params;

void wp_site_params_init(wp_site_params *p);   /* cflp, 60 s, no targets */

typedef enum {
    WP_SITE_OPTIMAL = 0,      /* proven optimal (gap within 1e-6) */
    WP_SITE_FEASIBLE,         /* a solution, with a gap (time limit, heuristic) */
    WP_SITE_INFEASIBLE,       /* no choice of parks satisfies the constraints */
    WP_SITE_NO_SOLUTION       /* time limit before any solution was found */
} wp_site_status;

typedef struct {
    wp_site_status status;
    int *option;              /* per candidate: chosen option, -1 not built */
    int n_built;
    double fixed_cost;        /* yuan/yr of the built parks */
    double total_cost;        /* fixed + haul + handling + parks' per-t + penalty */
    double delivered_t;       /* all materials */
    /* The objective whose bound is reported: total cost (cflp, k, target
    ** with the park count fixed) or tonnes delivered (budget). */
    double objective, bound, gap;   /* gap = |objective - bound| / |objective| */
    double phase1, phase1_bound;    /* target: parks; budget: = objective */
    const char *method;       /* "cbc", "cbc-naive", "heuristic" */
    double seconds;
    long long nodes;          /* branch-and-bound nodes (MIP) */
    int evaluations;          /* allocations solved (heuristic) */
} wp_site_result;

/* Solve problem p over mx (candidate c is sink n_base + c, arcs built).
** Returns 0 with *res filled (free with wp_site_result_free) whatever the
** status; -1 with a message on bad input, OOM or solver failure. */
int wp_site_solve(const wp_model *mx, int n_base, const wp_siting *s,
                  const wp_site_params *p, wp_site_result *res,
                  char *err, int errlen);
void wp_site_result_free(wp_site_result *res);

/* The allocation of m with a per-tonne cost at some sinks (sink_cost_t:
** per sink, yuan/t of any sign, NULL for none): wp_allocate on a copy
** whose arc costs carry them exactly. r's costs, tonne-km and marginal
** costs are then those of the real hauls, without the sinks' costs, which
** go to *sink_cost (may be NULL). 0, or -1 with a message. */
int wp_site_allocate(const wp_model *m, const double *sink_cost_t,
                     wp_result *r, double *sink_cost, char *err, int errlen);

/* Turn mx into the model with the chosen parks only: candidate sinks not
** built are removed (with their arcs), built ones get the chosen option's
** capacity. cand_of, if not NULL, receives per remaining sink the
** candidate index (-1 for existing sinks); it must hold mx->n_sinks ints.
** 0 or -1 on OOM. */
int wp_site_keep_built(wp_model *mx, int n_base, const wp_siting *s,
                       const int *option, int *cand_of);

const char *wp_site_problem_str(wp_site_problem p);
const char *wp_site_status_str(wp_site_status s);

#endif
