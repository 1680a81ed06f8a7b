/*
** multiperiod.c — the plan over a horizon of years as one time-expanded
** minimum-cost flow (see multiperiod.h; docs/model.md has the formulation
** with a figure).
**
** Network, for every year y of the horizon (all lower bounds 0):
**
**   plant P(s,y)  supply = new waste of s in year y
**     P(s,y) --haul (handling + rate*km)--> sink K(k,y) or its material node
**     P(s,y) --penalty (unallocated cost)--> T
**     P(s,y) --store (haul to the yard)--> N(v,y)   if the material may be stored
**   yard v, four nodes per year:
**     O(v,y)  the opening stock still there (supply stock0 at O(v,0))
**     N(v,y)  new waste put into the yard during the horizon
**     O(v,y) --> D(v,y),  N(v,y) --> D(v,y)          what is drawn this year
**     D(v,y) --cap = max draw-down per year--> E(v,y) --haul--> sinks
**     O(v,y) --storage cost per t*yr--> O(v,y+1)    (T after the last year)
**     N(v,y) --storage cost, cap = room left and the years-of-output rule-->
**            N(v,y+1)                                (T after the last year)
**   sink k:
**     material node (k,j,y) --cap = limit of j in year y--> K(k,y)
**     K(k,y) --cap = intake in year y--> T,  or, when the sink has a total
**     over the horizon (a mine's void), K(k,y) --> H(k) --cap total--> T
**
** The flow on each carry arc is the stock at the end of year y, so stock
** balances hold by conservation at O and N: closing = opening + stored -
** drawn. Everything can always flow to T (penalty, closing stock), so the
** problem is feasible unless a target is enforced.
**
** Enforced targets stay network constraints. A target "share f of the new
** waste of material j is used in year y" caps what is NOT used: the
** penalty and store arcs of j's plants in year y are routed through a pool
**     P(s,y) --0--> Z(j,y) --cap (1-f) * generated(j,y)--> Z'(j,y)
**     Z'(j,y) --penalty--> T,   Z'(j,y) --store--> N(v,y)
** and the target's price is minus the reduced cost of the capped arc: what
** one more tonne used would cost at the optimum. The pool forgets which
** plant a tonne came from, so storage from it goes into yard v at the
** cheapest store cost of the plants that store there, at most their output
** of the year. That is exact when nothing of j is stored in year y (no new
** storage for j, as for red mud in Henan, or storage not worth it) and a
** relaxation otherwise: one producer's use may free its yard for another
** producer's waste. wp_plan_row.pooled_store_t says when it happened.
** A stock target "share f of each yard's opening stock drawn by the end of
** year y" caps the carry arc O(v,y) -> O(v,y+1) at (1-f) * stock0.
** When an enforced problem is infeasible it is solved again with a parallel
** arc beside every capped target arc at a cost above any route through the
** network (the relaxation): the flow on those arcs is the shortfall.
**
** Scaling follows allocate.c: a power-of-two flow unit u from the total
** supply (new waste of every year plus opening stocks), a power-of-two cost
** unit from the largest cost, capacities rounded down. Capacities above the
** total supply are clamped to it (they cannot bind), so the solver's bound
** on the sum of capacities holds for any number of years.
*/
#include "multiperiod.h"
#include "clock.h"
#include "mincostflow.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLOW_UNITS_MAX 17592186044416.0     /* 2^44 */
#define COST_UNITS_MAX 68719476736.0        /* 2^36 */
#define WM WP_MAX_MATERIALS

/* ------------------------------------------------------------ horizon */

void wp_horizon_free(wp_horizon *h) {
    free(h->gen_t);
    free(h->stock0_t);
    free(h->drawdown_t);
    free(h->storage_t);
    free(h->storage_cost);
    free(h->store_yard);
    free(h->store_cost);
    free(h->sink_cap_t);
    free(h->sink_mat_cap_t);
    free(h->sink_horizon_t);
    free(h->target_new);
    free(h->target_stock);
    memset(h, 0, sizeof *h);
}

/* Contract in multiperiod.h. */
int wp_horizon_init(wp_horizon *h, const wp_model *m, int year0, int n_years) {
    memset(h, 0, sizeof *h);
    if (n_years < 1) return -1;
    size_t S = (size_t)(m->n_sources ? m->n_sources : 1);
    size_t K = (size_t)(m->n_sinks ? m->n_sinks : 1);
    size_t Y = (size_t)n_years;
    h->year0 = year0;
    h->n_years = n_years;
    h->n_sources = m->n_sources;
    h->n_sinks = m->n_sinks;
    h->gen_t = calloc(S * Y, sizeof(double));
    h->stock0_t = calloc(S, sizeof(double));
    h->drawdown_t = calloc(S * Y, sizeof(double));
    h->storage_t = calloc(S, sizeof(double));
    h->storage_cost = calloc(S, sizeof(double));
    h->store_yard = malloc(S * sizeof(int));
    h->store_cost = calloc(S, sizeof(double));
    h->sink_cap_t = calloc(K * Y, sizeof(double));
    h->sink_mat_cap_t = calloc(K * Y * WM, sizeof(double));
    h->sink_horizon_t = calloc(K, sizeof(double));
    h->target_new = malloc(Y * WM * sizeof(double));
    h->target_stock = malloc(Y * WM * sizeof(double));
    if (!h->gen_t || !h->stock0_t || !h->drawdown_t || !h->storage_t ||
        !h->storage_cost || !h->store_yard || !h->store_cost || !h->sink_cap_t ||
        !h->sink_mat_cap_t || !h->sink_horizon_t || !h->target_new || !h->target_stock) {
        wp_horizon_free(h);
        return -1;
    }
    for (int s = 0; s < m->n_sources; s++) {
        const wp_source *src = &m->sources[s];
        h->store_yard[s] = -1;
        h->storage_t[s] = HUGE_VAL;
        h->storage_cost[s] = m->materials.m[src->material].unallocated_cost;
        if (src->kind == WP_SRC_YARD) h->stock0_t[s] = src->supply_t;
        for (size_t y = 0; y < Y; y++) {
            if (src->kind == WP_SRC_YARD)
                h->drawdown_t[(size_t)s * Y + y] = src->supply_t;
            else
                h->gen_t[(size_t)s * Y + y] = src->supply_t;
        }
    }
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *sk = &m->sinks[k];
        h->sink_horizon_t[k] = HUGE_VAL;
        for (size_t y = 0; y < Y; y++) {
            size_t ky = (size_t)k * Y + y;
            h->sink_cap_t[ky] = sk->cap_total_t;
            for (int j = 0; j < WM; j++)
                h->sink_mat_cap_t[ky * WM + (size_t)j] = (sk->accepts >> j & 1u) ? sk->cap_t[j] : 0;
        }
    }
    for (int j = 0; j < WM; j++) {
        h->new_storage[j] = 1;
        h->max_store_years[j] = HUGE_VAL;
    }
    for (size_t i = 0; i < Y * WM; i++) h->target_new[i] = h->target_stock[i] = NAN;
    return 0;
}

/* --------------------------------------------------------------- network */

/* The time-expanded network and how its nodes and arcs map back onto the
** model. Arc indices are -1 where the arc is absent. */
typedef struct {
    const wp_model *m;
    const wp_horizon *h;
    int S, K, Y;
    wp_mcf *p;
    int n_nodes, node_t;
    int *plant;              /* [s*Y+y] */
    int *yo, *yn, *yd, *ye;  /* yard nodes [s*Y+y] */
    int *sink, *matn;        /* [k*Y+y], [(k*Y+y)*WM+j] */
    int *hnode;              /* [k] */
    int *zin, *zout;         /* pool nodes [y*WM+j] */
    int64_t *haul;           /* [y*n_arcs+a] */
    int64_t *pen, *store;    /* [s*Y+y] plants */
    int64_t *draw_o, *draw_n, *carry_o, *carry_n, *relax_o;   /* [s*Y+y] yards */
    int64_t *sink_arc;       /* [k*Y+y] */
    int64_t *zcap, *zpen, *zrelax;   /* [y*WM+j] */
    int64_t *zstore;         /* [(y*WM+j)*S + v] pool -> yard v */
    int64_t *supply0;        /* [s] units of stock0 (yards) */
    int64_t *gen_units;      /* [s*Y+y] */
    double u, cu, big;
    int relax;               /* add the relaxation arcs */
} network;

static void network_free(network *nw) {
    wp_mcf_free(nw->p);
    free(nw->plant); free(nw->yo); free(nw->yn); free(nw->yd); free(nw->ye);
    free(nw->sink); free(nw->matn); free(nw->hnode); free(nw->zin); free(nw->zout);
    free(nw->haul); free(nw->pen); free(nw->store);
    free(nw->draw_o); free(nw->draw_n); free(nw->carry_o); free(nw->carry_n);
    free(nw->relax_o); free(nw->sink_arc); free(nw->zcap); free(nw->zpen);
    free(nw->zrelax); free(nw->zstore); free(nw->supply0); free(nw->gen_units);
    memset(nw, 0, sizeof *nw);
}

static int *new_ints(size_t n) {
    int *a = malloc((n ? n : 1) * sizeof *a);
    if (a) for (size_t i = 0; i < n; i++) a[i] = -1;
    return a;
}

static int64_t *new_arcs(size_t n) {
    int64_t *a = malloc((n ? n : 1) * sizeof *a);
    if (a) for (size_t i = 0; i < n; i++) a[i] = -1;
    return a;
}

/* Capacity in units, rounded down, clamped to the total supply `tot`
** (a larger capacity cannot bind); HUGE_VAL is unbounded. */
static int64_t cap_units(double v, double u, int64_t tot) {
    if (v == HUGE_VAL) return WP_MCF_CAP_MAX;
    double q = floor(v / u);
    if (!(q > 0)) return 0;
    if (q >= (double)tot) return tot;
    return (int64_t)q;
}

static int is_target(double f) { return f == f && f > 0; }

/* Is the new waste of material j in year y pooled for an enforced target? */
static int pooled(const wp_horizon *h, int y, int j) {
    return h->enforce && is_target(h->target_new[(size_t)y * WM + (size_t)j]);
}

/* Check the year data before they reach the solver. */
static int validate(const wp_model *m, const wp_horizon *h, char *err, int errlen) {
    if (h->n_years < 1 || h->n_sources != m->n_sources || h->n_sinks != m->n_sinks) {
        snprintf(err, (size_t)errlen, "year data were made for another model");
        return -1;
    }
    size_t Y = (size_t)h->n_years;
    for (int s = 0; s < m->n_sources; s++) {
        const wp_source *src = &m->sources[s];
        if (src->material < 0 || src->material >= m->materials.count) {
            snprintf(err, (size_t)errlen, "source %s has no material", src->id);
            return -1;
        }
        for (size_t y = 0; y < Y; y++) {
            double g = h->gen_t[(size_t)s * Y + y], d = h->drawdown_t[(size_t)s * Y + y];
            if (!(g >= 0) || g == HUGE_VAL || !(d >= 0)) {
                snprintf(err, (size_t)errlen, "source %s, year %d: output %g or draw-down %g "
                         "is not a finite non-negative number of tonnes", src->id,
                         h->year0 + (int)y, g, d);
                return -1;
            }
        }
        if (!(h->stock0_t[s] >= 0) || h->stock0_t[s] == HUGE_VAL || !(h->storage_t[s] >= 0) ||
            !(h->storage_cost[s] >= 0) || h->storage_cost[s] == HUGE_VAL ||
            !(h->store_cost[s] >= 0) || h->store_cost[s] == HUGE_VAL) {
            snprintf(err, (size_t)errlen, "source %s: stock, storage room and costs must be "
                     "finite and >= 0", src->id);
            return -1;
        }
        int v = h->store_yard[s];
        if (v != -1 && (v < 0 || v >= m->n_sources || m->sources[v].kind != WP_SRC_YARD ||
                        m->sources[v].material != src->material || src->kind != WP_SRC_PLANT)) {
            snprintf(err, (size_t)errlen, "source %s: its storage yard must be a yard of the "
                     "same material", src->id);
            return -1;
        }
    }
    for (int k = 0; k < m->n_sinks; k++) {
        if (!(h->sink_horizon_t[k] >= 0)) {
            snprintf(err, (size_t)errlen, "sink %s: total over the horizon is negative", m->sinks[k].id);
            return -1;
        }
        for (size_t y = 0; y < Y; y++) {
            size_t ky = (size_t)k * Y + y;
            int bad = !(h->sink_cap_t[ky] >= 0);
            for (int j = 0; j < m->materials.count; j++)
                bad |= !(h->sink_mat_cap_t[ky * WM + (size_t)j] >= 0);
            if (bad) {
                snprintf(err, (size_t)errlen, "sink %s, year %d: a capacity is negative",
                         m->sinks[k].id, h->year0 + (int)y);
                return -1;
            }
        }
    }
    for (int j = 0; j < m->materials.count; j++) {
        const wp_material *mt = &m->materials.m[j];
        if (!(mt->handling >= 0 && mt->road_rate >= 0 && mt->unallocated_cost >= 0) ||
            mt->handling == HUGE_VAL || mt->road_rate == HUGE_VAL ||
            mt->unallocated_cost == HUGE_VAL || !(h->max_store_years[j] >= 0)) {
            snprintf(err, (size_t)errlen, "material %s: costs must be finite and >= 0", mt->id);
            return -1;
        }
        for (size_t y = 0; y < Y; y++) {
            double a = h->target_new[y * WM + (size_t)j], b = h->target_stock[y * WM + (size_t)j];
            if ((a == a && !(a >= 0 && a <= 1)) || (b == b && !(b >= 0 && b <= 1))) {
                snprintf(err, (size_t)errlen, "material %s, year %d: a target must lie in "
                         "0..1", mt->id, h->year0 + (int)y);
                return -1;
            }
        }
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        if (arc->src < 0 || arc->src >= m->n_sources || arc->sink < 0 ||
            arc->sink >= m->n_sinks || !(arc->dist_km >= 0) || arc->dist_km == HUGE_VAL) {
            snprintf(err, (size_t)errlen, "arc %zu is malformed", a);
            return -1;
        }
    }
    return 0;
}

/* The flow and cost units of the header comment. */
static void choose_scales(network *nw) {
    const wp_model *m = nw->m;
    const wp_horizon *h = nw->h;
    double total = 0, cmax = 0;
    unsigned used = 0;
    for (int s = 0; s < nw->S; s++) {
        const wp_source *src = &m->sources[s];
        used |= 1u << src->material;
        if (src->kind == WP_SRC_YARD) {
            total += h->stock0_t[s];
            if (h->storage_cost[s] > cmax) cmax = h->storage_cost[s];
        } else {
            for (int y = 0; y < nw->Y; y++) total += h->gen_t[(size_t)s * nw->Y + y];
            if (h->store_yard[s] >= 0 && h->store_cost[s] > cmax) cmax = h->store_cost[s];
        }
    }
    /* As allocate.c: over every arc the model could have, so a one-year plan
    ** rounds its costs exactly as the single-year solver does. */
    for (int j = 0; j < m->materials.count; j++) {
        if (!(used >> j & 1u)) continue;
        const wp_material *mt = &m->materials.m[j];
        double c = mt->handling + mt->road_rate * mt->max_haul_km;
        if (c > cmax && c != HUGE_VAL) cmax = c;
        if (mt->unallocated_cost > cmax) cmax = mt->unallocated_cost;
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        double c = wp_arc_cost_per_t(m, &m->arcs[a]);
        if (c > cmax) cmax = c;
    }
    /* A relaxation tonne must cost more than any route that avoids it: a
    ** route crosses at most 4 arcs per year plus a few at either end. */
    nw->big = (double)(8 * (nw->Y + 2)) * (cmax > 1 ? cmax : 1);
    nw->u = wp_mcf_pow2_scale(total, FLOW_UNITS_MAX);
    nw->cu = wp_mcf_pow2_scale(nw->relax ? nw->big : cmax, COST_UNITS_MAX);
}

static int64_t cost_units(const network *nw, double c) {
    return (int64_t)llround(c / nw->cu);
}

static int add(network *nw, int from, int to, int64_t cap, double cost, int64_t *out) {
    int64_t a = wp_mcf_add_arc(nw->p, from, to, cap, cost_units(nw, cost));
    if (a < 0) return -1;
    if (out) *out = a;
    return 0;
}

/* Number the nodes of the header comment. */
static int number_nodes(network *nw) {
    const wp_model *m = nw->m;
    int S = nw->S, K = nw->K, Y = nw->Y;
    size_t SY = (size_t)S * Y, KY = (size_t)K * Y, YM = (size_t)Y * WM;
    nw->plant = new_ints(SY);
    nw->yo = new_ints(SY); nw->yn = new_ints(SY); nw->yd = new_ints(SY); nw->ye = new_ints(SY);
    nw->sink = new_ints(KY);
    nw->matn = new_ints(KY * WM);
    nw->hnode = new_ints((size_t)K);
    nw->zin = new_ints(YM);
    nw->zout = new_ints(YM);
    if (!nw->plant || !nw->yo || !nw->yn || !nw->yd || !nw->ye || !nw->sink ||
        !nw->matn || !nw->hnode || !nw->zin || !nw->zout)
        return -1;
    int n = 0;
    nw->node_t = n++;
    for (int s = 0; s < S; s++)
        for (int y = 0; y < Y; y++) {
            size_t sy = (size_t)s * Y + (size_t)y;
            if (m->sources[s].kind == WP_SRC_YARD) {
                nw->yo[sy] = n++; nw->yn[sy] = n++; nw->yd[sy] = n++; nw->ye[sy] = n++;
            } else {
                nw->plant[sy] = n++;
            }
        }
    for (int k = 0; k < K; k++) {
        const wp_sink *sk = &m->sinks[k];
        if (nw->h->sink_horizon_t[k] != HUGE_VAL) nw->hnode[k] = n++;
        for (int y = 0; y < Y; y++) {
            size_t ky = (size_t)k * Y + (size_t)y;
            nw->sink[ky] = n++;
            double tot = nw->h->sink_cap_t[ky];
            for (int j = 0; j < m->materials.count; j++) {
                double c = nw->h->sink_mat_cap_t[ky * WM + (size_t)j];
                if ((sk->accepts >> j & 1u) && c != HUGE_VAL && c < tot && c > 0)
                    nw->matn[ky * WM + (size_t)j] = n++;
            }
        }
    }
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < m->materials.count; j++)
            if (pooled(nw->h, y, j)) {
                nw->zin[(size_t)y * WM + (size_t)j] = n++;
                nw->zout[(size_t)y * WM + (size_t)j] = n++;
            }
    nw->n_nodes = n;
    return 0;
}

/* Where a haul to sink k in year y for material j enters the sink's
** nodes; -1 when the sink takes no j that year. */
static int sink_entry(const network *nw, int k, int y, int j) {
    size_t ky = (size_t)k * nw->Y + (size_t)y;
    if (!(nw->m->sinks[k].accepts >> j & 1u)) return -1;
    if (!(nw->h->sink_cap_t[ky] > 0) || !(nw->h->sink_mat_cap_t[ky * WM + (size_t)j] > 0))
        return -1;
    int mn = nw->matn[ky * WM + (size_t)j];
    return mn >= 0 ? mn : nw->sink[ky];
}

/* Tonnes of new waste the plants storing in yard v produce in year y. */
static double stored_output(const network *nw, int v, int y) {
    double g = 0;
    for (int s = 0; s < nw->S; s++)
        if (nw->h->store_yard[s] == v) g += nw->h->gen_t[(size_t)s * nw->Y + (size_t)y];
    return g;
}

static int build(network *nw) {
    const wp_model *m = nw->m;
    const wp_horizon *h = nw->h;
    int S = nw->S, K = nw->K, Y = nw->Y;
    size_t SY = (size_t)S * Y, KY = (size_t)K * Y, YM = (size_t)Y * WM;
    if (number_nodes(nw) < 0) return -1;
    choose_scales(nw);
    double u = nw->u;
    nw->haul = new_arcs((size_t)Y * m->n_arcs);
    nw->pen = new_arcs(SY); nw->store = new_arcs(SY);
    nw->draw_o = new_arcs(SY); nw->draw_n = new_arcs(SY);
    nw->carry_o = new_arcs(SY); nw->carry_n = new_arcs(SY); nw->relax_o = new_arcs(SY);
    nw->sink_arc = new_arcs(KY);
    nw->zcap = new_arcs(YM); nw->zpen = new_arcs(YM); nw->zrelax = new_arcs(YM);
    nw->zstore = new_arcs(YM * (size_t)(S ? S : 1));
    nw->supply0 = calloc((size_t)(S ? S : 1), sizeof(int64_t));
    nw->gen_units = calloc(SY ? SY : 1, sizeof(int64_t));
    if (!nw->haul || !nw->pen || !nw->store || !nw->draw_o || !nw->draw_n ||
        !nw->carry_o || !nw->carry_n || !nw->relax_o || !nw->sink_arc || !nw->zcap ||
        !nw->zpen || !nw->zrelax || !nw->zstore || !nw->supply0 || !nw->gen_units)
        return -1;
    nw->p = wp_mcf_new(nw->n_nodes, (int64_t)Y * ((int64_t)m->n_arcs + 3 * S + 2 * K));
    if (!nw->p) return -1;

    /* Supplies. */
    int64_t tot = 0;
    for (int s = 0; s < S; s++) {
        if (m->sources[s].kind == WP_SRC_YARD) {
            nw->supply0[s] = llround(h->stock0_t[s] / u);
            wp_mcf_set_supply(nw->p, nw->yo[(size_t)s * Y], nw->supply0[s]);
            tot += nw->supply0[s];
        } else {
            for (int y = 0; y < Y; y++) {
                size_t sy = (size_t)s * Y + (size_t)y;
                nw->gen_units[sy] = llround(h->gen_t[sy] / u);
                wp_mcf_set_supply(nw->p, nw->plant[sy], nw->gen_units[sy]);
                tot += nw->gen_units[sy];
            }
        }
    }
    wp_mcf_set_supply(nw->p, nw->node_t, -tot);
    int64_t clamp = tot > 0 ? tot : 1;

    /* Sinks. */
    for (int k = 0; k < K; k++) {
        int to_h = nw->hnode[k];
        if (to_h >= 0 && add(nw, to_h, nw->node_t, cap_units(h->sink_horizon_t[k], u, clamp), 0, NULL) < 0)
            return -1;
        for (int y = 0; y < Y; y++) {
            size_t ky = (size_t)k * Y + (size_t)y;
            for (int j = 0; j < m->materials.count; j++) {
                int mn = nw->matn[ky * WM + (size_t)j];
                if (mn >= 0 && add(nw, mn, nw->sink[ky],
                                   cap_units(h->sink_mat_cap_t[ky * WM + (size_t)j], u, clamp), 0, NULL) < 0)
                    return -1;
            }
            if (add(nw, nw->sink[ky], to_h >= 0 ? to_h : nw->node_t,
                    cap_units(h->sink_cap_t[ky], u, clamp), 0, &nw->sink_arc[ky]) < 0)
                return -1;
        }
    }

    /* Yards. */
    for (int v = 0; v < S; v++) {
        if (m->sources[v].kind != WP_SRC_YARD) continue;
        int j = m->sources[v].material;
        double c = h->storage_cost[v];
        for (int y = 0; y < Y; y++) {
            size_t vy = (size_t)v * Y + (size_t)y;
            int last = y == Y - 1;
            if (add(nw, nw->yo[vy], nw->yd[vy], WP_MCF_CAP_MAX, 0, &nw->draw_o[vy]) < 0 ||
                add(nw, nw->yn[vy], nw->yd[vy], WP_MCF_CAP_MAX, 0, &nw->draw_n[vy]) < 0 ||
                add(nw, nw->yd[vy], nw->ye[vy], cap_units(h->drawdown_t[vy], u, clamp), 0, NULL) < 0)
                return -1;
            int64_t ocap = WP_MCF_CAP_MAX;
            double f = h->target_stock[(size_t)y * WM + (size_t)j];
            if (h->enforce && is_target(f))
                ocap = (int64_t)floor((1.0 - f) * (double)nw->supply0[v]);
            int onext = last ? nw->node_t : nw->yo[vy + 1];
            if (add(nw, nw->yo[vy], onext, ocap, c, &nw->carry_o[vy]) < 0) return -1;
            if (nw->relax && ocap != WP_MCF_CAP_MAX &&
                add(nw, nw->yo[vy], onext, WP_MCF_CAP_MAX, c + nw->big, &nw->relax_o[vy]) < 0)
                return -1;
            double room = h->storage_t[v];
            double ycap = h->max_store_years[j];
            if (ycap != HUGE_VAL) {
                double lim = ycap * stored_output(nw, v, y);
                if (lim < room) room = lim;
            }
            if (add(nw, nw->yn[vy], last ? nw->node_t : nw->yn[vy + 1],
                    cap_units(room, u, clamp), c, &nw->carry_n[vy]) < 0)
                return -1;
        }
    }

    /* Plants: penalty and storage, directly or through a target pool. */
    for (int s = 0; s < S; s++) {
        const wp_source *src = &m->sources[s];
        if (src->kind == WP_SRC_YARD) continue;
        int j = src->material;
        double pen = m->materials.m[j].unallocated_cost;
        int v = h->new_storage[j] ? h->store_yard[s] : -1;
        for (int y = 0; y < Y; y++) {
            size_t sy = (size_t)s * Y + (size_t)y;
            if (pooled(h, y, j)) {
                if (add(nw, nw->plant[sy], nw->zin[(size_t)y * WM + (size_t)j], WP_MCF_CAP_MAX, 0,
                        &nw->pen[sy]) < 0)
                    return -1;
                continue;
            }
            if (add(nw, nw->plant[sy], nw->node_t, WP_MCF_CAP_MAX, pen, &nw->pen[sy]) < 0) return -1;
            if (v >= 0 && add(nw, nw->plant[sy], nw->yn[(size_t)v * Y + (size_t)y], WP_MCF_CAP_MAX,
                              h->store_cost[s], &nw->store[sy]) < 0)
                return -1;
        }
    }
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < m->materials.count; j++) {
            size_t yj = (size_t)y * WM + (size_t)j;
            if (nw->zin[yj] < 0) continue;
            int64_t g = 0;
            for (int s = 0; s < S; s++)
                if (m->sources[s].kind == WP_SRC_PLANT && m->sources[s].material == j)
                    g += nw->gen_units[(size_t)s * Y + (size_t)y];
            int64_t cap = (int64_t)floor((1.0 - h->target_new[yj]) * (double)g);
            double pen = m->materials.m[j].unallocated_cost;
            if (add(nw, nw->zin[yj], nw->zout[yj], cap, 0, &nw->zcap[yj]) < 0 ||
                add(nw, nw->zout[yj], nw->node_t, WP_MCF_CAP_MAX, pen, &nw->zpen[yj]) < 0)
                return -1;
            if (nw->relax &&
                add(nw, nw->zin[yj], nw->node_t, WP_MCF_CAP_MAX, pen + nw->big, &nw->zrelax[yj]) < 0)
                return -1;
            if (!h->new_storage[j]) continue;
            for (int v = 0; v < S; v++) {
                if (m->sources[v].kind != WP_SRC_YARD || m->sources[v].material != j) continue;
                double best = HUGE_VAL;
                int64_t out = 0;
                for (int s = 0; s < S; s++)
                    if (h->store_yard[s] == v) {
                        if (h->store_cost[s] < best) best = h->store_cost[s];
                        out += nw->gen_units[(size_t)s * Y + (size_t)y];
                    }
                if (best == HUGE_VAL) continue;
                /* a yard never takes more than its own producers make */
                if (add(nw, nw->zout[yj], nw->yn[(size_t)v * Y + (size_t)y], out, best,
                        &nw->zstore[yj * (size_t)S + (size_t)v]) < 0)
                    return -1;
            }
        }

    /* Hauls, every year the sink takes the material. */
    for (int y = 0; y < Y; y++)
        for (size_t a = 0; a < m->n_arcs; a++) {
            const wp_arc *arc = &m->arcs[a];
            const wp_source *src = &m->sources[arc->src];
            int to = sink_entry(nw, arc->sink, y, src->material);
            if (to < 0) continue;
            size_t sy = (size_t)arc->src * Y + (size_t)y;
            int from = src->kind == WP_SRC_YARD ? nw->ye[sy] : nw->plant[sy];
            double c = wp_arc_cost_per_t(m, arc);
            if (!(c / nw->cu <= (double)WP_MCF_COST_MAX)) return -1;
            if (add(nw, from, to, WP_MCF_CAP_MAX, c, &nw->haul[(size_t)y * m->n_arcs + a]) < 0)
                return -1;
        }
    return 0;
}

/* --------------------------------------------------------------- results */

void wp_plan_result_free(wp_plan_result *r) {
    free(r->arc_t); free(r->unalloc_t); free(r->stored_t); free(r->drawn_old_t);
    free(r->drawn_new_t); free(r->stored_in_t); free(r->old_end_t); free(r->new_end_t);
    free(r->stock_shadow); free(r->stock_short_t); free(r->sink_t); free(r->sink_shadow);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static int result_alloc(wp_plan_result *r, const wp_model *m, int Y) {
    memset(r, 0, sizeof *r);
    size_t SY = (size_t)(m->n_sources ? m->n_sources : 1) * (size_t)Y;
    size_t KY = (size_t)(m->n_sinks ? m->n_sinks : 1) * (size_t)Y;
    r->n_years = Y;
    r->arc_t = calloc((m->n_arcs ? m->n_arcs : 1) * (size_t)Y, sizeof(double));
    r->unalloc_t = calloc(SY, sizeof(double));
    r->stored_t = calloc(SY, sizeof(double));
    r->drawn_old_t = calloc(SY, sizeof(double));
    r->drawn_new_t = calloc(SY, sizeof(double));
    r->stored_in_t = calloc(SY, sizeof(double));
    r->old_end_t = calloc(SY, sizeof(double));
    r->new_end_t = calloc(SY, sizeof(double));
    r->stock_shadow = calloc(SY, sizeof(double));
    r->stock_short_t = calloc(SY, sizeof(double));
    r->sink_t = calloc(KY, sizeof(double));
    r->sink_shadow = calloc(KY, sizeof(double));
    r->rows = calloc((size_t)Y * WM, sizeof *r->rows);
    if (!r->arc_t || !r->unalloc_t || !r->stored_t || !r->drawn_old_t || !r->drawn_new_t ||
        !r->stored_in_t || !r->old_end_t || !r->new_end_t || !r->stock_shadow ||
        !r->stock_short_t || !r->sink_t || !r->sink_shadow || !r->rows) {
        wp_plan_result_free(r);
        return -1;
    }
    return 0;
}

static double flow_t(const network *nw, int64_t a) {
    return a >= 0 ? (double)wp_mcf_flow(nw->p, a) * nw->u : 0.0;
}

/* Yuan saved per extra tonne of capacity on arc a (>= 0; 0 unless the
** arc's reduced cost is negative, i.e. it is saturated and binding). */
static double arc_price(const network *nw, int64_t a, int from, int to, double cost) {
    if (a < 0) return 0;
    int64_t rc = cost_units(nw, cost) + wp_mcf_potential(nw->p, from) - wp_mcf_potential(nw->p, to);
    return rc < 0 ? (double)(-rc) * nw->cu : 0.0;
}

/* Read flows, balances, costs and prices out of the solved network. */
static void extract(const network *nw, wp_plan_result *r) {
    const wp_model *m = nw->m;
    const wp_horizon *h = nw->h;
    int S = nw->S, K = nw->K, Y = nw->Y;
    double u = nw->u;
    r->flow_unit_t = u;
    r->cost_unit = nw->cu;
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < WM; j++) {
            wp_plan_row *row = &r->rows[(size_t)y * WM + (size_t)j];
            row->target = h->target_new[(size_t)y * WM + (size_t)j];
            row->util_new = row->gap = NAN;
        }
    for (int y = 0; y < Y; y++)
        for (size_t a = 0; a < m->n_arcs; a++) {
            const wp_arc *arc = &m->arcs[a];
            const wp_source *src = &m->sources[arc->src];
            const wp_material *mt = &m->materials.m[src->material];
            double t = flow_t(nw, nw->haul[(size_t)y * m->n_arcs + a]);
            r->arc_t[(size_t)y * m->n_arcs + a] = t;
            if (t == 0) continue;
            wp_plan_row *row = &r->rows[(size_t)y * WM + (size_t)src->material];
            if (src->kind == WP_SRC_PLANT) row->used_new_t += t;
            row->haul_cost += t * arc->dist_km * mt->road_rate;
            row->handling_cost += t * mt->handling;
            r->sink_t[(size_t)arc->sink * Y + (size_t)y] += t;
        }
    for (int s = 0; s < S; s++) {
        const wp_source *src = &m->sources[s];
        int j = src->material;
        double pen = m->materials.m[j].unallocated_cost;
        for (int y = 0; y < Y; y++) {
            size_t sy = (size_t)s * Y + (size_t)y;
            wp_plan_row *row = &r->rows[(size_t)y * WM + (size_t)j];
            if (src->kind == WP_SRC_PLANT) {
                double g = (double)nw->gen_units[sy] * u;
                row->generated_t += g;
                double un = flow_t(nw, nw->pen[sy]);   /* pooled: all not used */
                double st = flow_t(nw, nw->store[sy]);
                r->unalloc_t[sy] = un;
                r->stored_t[sy] = st;
                if (!pooled(h, y, j)) {
                    row->unallocated_t += un;
                    row->penalty_cost += un * pen;
                    row->stored_t += st;
                    row->store_cost += st * h->store_cost[s];
                }
            } else {
                double c = h->storage_cost[s];
                r->drawn_old_t[sy] = flow_t(nw, nw->draw_o[sy]);
                r->drawn_new_t[sy] = flow_t(nw, nw->draw_n[sy]);
                r->old_end_t[sy] = flow_t(nw, nw->carry_o[sy]) + flow_t(nw, nw->relax_o[sy]);
                r->new_end_t[sy] = flow_t(nw, nw->carry_n[sy]);
                r->stock_short_t[sy] = flow_t(nw, nw->relax_o[sy]);
                double open_t = y == 0 ? (double)nw->supply0[s] * u
                                       : r->old_end_t[sy - 1] + r->new_end_t[sy - 1];
                /* conservation at N(v,y): what came in is what left or stayed */
                r->stored_in_t[sy] = r->new_end_t[sy] + r->drawn_new_t[sy] -
                                     (y == 0 ? 0.0 : r->new_end_t[sy - 1]);
                row->drawn_t += r->drawn_old_t[sy] + r->drawn_new_t[sy];
                row->stock_open_t += open_t;
                row->stock_end_t += r->old_end_t[sy] + r->new_end_t[sy];
                row->storage_cost += (r->old_end_t[sy] + r->new_end_t[sy]) * c;
                int last = y == Y - 1;
                int onext = last ? nw->node_t : nw->yo[sy + 1];
                r->stock_shadow[sy] = arc_price(nw, nw->carry_o[sy], nw->yo[sy], onext, c);
                if (r->stock_short_t[sy] > 0) r->stock_shadow[sy] = NAN;
            }
        }
    }
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < m->materials.count; j++) {
            size_t yj = (size_t)y * WM + (size_t)j;
            wp_plan_row *row = &r->rows[yj];
            if (nw->zin[yj] >= 0) {
                double pen = m->materials.m[j].unallocated_cost;
                double un = flow_t(nw, nw->zpen[yj]) + flow_t(nw, nw->zrelax[yj]);
                row->unallocated_t += un;
                row->penalty_cost += un * pen;
                row->shortfall_t = flow_t(nw, nw->zrelax[yj]);
                for (int v = 0; v < S; v++) {
                    int64_t a = nw->zstore[yj * (size_t)S + (size_t)v];
                    if (a < 0) continue;
                    double st = flow_t(nw, a);
                    row->stored_t += st;
                    row->pooled_store_t += st;
                    double best = HUGE_VAL;
                    for (int s = 0; s < S; s++)
                        if (h->store_yard[s] == v && h->store_cost[s] < best) best = h->store_cost[s];
                    row->store_cost += st * best;
                }
                row->shadow_price = row->shortfall_t > 0 ? NAN
                    : arc_price(nw, nw->zcap[yj], nw->zin[yj], nw->zout[yj], 0);
            }
            if (row->generated_t > 0) row->util_new = row->used_new_t / row->generated_t;
            if (is_target(row->target) && row->util_new == row->util_new)
                row->gap = row->target - row->util_new;
            row->cost = row->haul_cost + row->handling_cost + row->penalty_cost +
                        row->store_cost + row->storage_cost;
            r->haul_cost += row->haul_cost;
            r->handling_cost += row->handling_cost;
            r->penalty_cost += row->penalty_cost;
            r->store_cost += row->store_cost;
            r->storage_cost += row->storage_cost;
            if (row->shortfall_t > 0) r->infeasible = 1;
        }
    for (int s = 0; s < S; s++)
        for (int y = 0; y < Y; y++)
            if (r->stock_short_t[(size_t)s * Y + (size_t)y] > 0) r->infeasible = 1;
    r->total_cost = r->haul_cost + r->handling_cost + r->penalty_cost + r->store_cost +
                    r->storage_cost;
    /* One more tonne at sink k in year y (of its intake and, for a shared
    ** total, of the total too) saves pi(T) - pi(K(k,y)) when positive. */
    for (int k = 0; k < K; k++)
        for (int y = 0; y < Y; y++) {
            size_t ky = (size_t)k * Y + (size_t)y;
            int64_t rc = wp_mcf_potential(nw->p, nw->sink[ky]) - wp_mcf_potential(nw->p, nw->node_t);
            r->sink_shadow[ky] = rc < 0 ? (double)(-rc) * nw->cu : 0.0;
        }
}

/* Build and solve one network; 1 when infeasible, 0 when optimal, -1 on
** error (message in err). */
static int solve_once(network *nw, wp_plan_result *r, char *err, int errlen) {
    if (build(nw) < 0) {
        snprintf(err, (size_t)errlen, "out of memory building the time-expanded network "
                 "(or a value out of the solver's range)");
        return -1;
    }
    double t0 = wp_clock_seconds();
    wp_mcf_status st = wp_mcf_solve(nw->p);
    r->solve_seconds += wp_clock_seconds() - t0;
    r->pivots += (long long)wp_mcf_pivots(nw->p);
    if (st == WP_MCF_INFEASIBLE) return 1;
    if (st != WP_MCF_OPTIMAL) {
        snprintf(err, (size_t)errlen, "min-cost flow solver: %s", wp_mcf_status_str(st));
        return -1;
    }
    return 0;
}

int wp_plan(const wp_model *m, const wp_horizon *h, wp_plan_result *r,
            char *err, int errlen) {
    memset(r, 0, sizeof *r);
    if (validate(m, h, err, errlen) < 0) return -1;
    if (result_alloc(r, m, h->n_years) < 0) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    network nw;
    memset(&nw, 0, sizeof nw);
    nw.m = m; nw.h = h; nw.S = m->n_sources; nw.K = m->n_sinks; nw.Y = h->n_years;
    int rc = solve_once(&nw, r, err, errlen);
    if (rc == 1) {
        /* Infeasible targets: solve the relaxation to say by how much. */
        double secs = r->solve_seconds;
        long long piv = r->pivots;
        network_free(&nw);
        nw.m = m; nw.h = h; nw.S = m->n_sources; nw.K = m->n_sinks; nw.Y = h->n_years;
        nw.relax = 1;
        r->solve_seconds = secs;
        r->pivots = piv;
        rc = solve_once(&nw, r, err, errlen);
        if (rc == 1) {
            snprintf(err, (size_t)errlen, "the relaxed plan is infeasible (internal error)");
            rc = -1;
        }
    }
    if (rc == 0) extract(&nw, r);
    network_free(&nw);
    if (rc < 0) wp_plan_result_free(r);
    return rc < 0 ? -1 : 0;
}
