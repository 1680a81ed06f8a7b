/*
** allocate.c — the single-year allocation as a minimum-cost flow.
**
** Network (every arc has lower bound 0):
**
**   source s --(cap inf, cost handling + rate*km)--> sink node k
**            or, when sink k limits material m below its total limit,
**   source s --(...)--> material node (k,m) --(cap = limit of m at k)--> k
**   sink node k --(cap = total limit of k, cost 0)--> T
**   source s --(cap inf, cost = unallocated penalty)--> T
**
** with supply(s) = the source's tonnes and demand(T) = their sum, so the flow
** problem is always feasible: whatever no sink takes flows on the penalty
** arc and is reported as unallocated, with its reason.
**
** Real data become integers by two power-of-two scales chosen from the
** data: a flow unit u (tonnes) that keeps the total supply below 2^50 units,
** and a cost unit cu (yuan/t) that keeps the largest arc cost below 2^36.
** Both bounds are those of mincostflow.h. Powers of two make the integer
** problem identical when every quantity (or every cost) of a scenario is
** scaled by a power of two, and keep relative rounding below 2^-36 of the
** largest cost and 2^-50 of the total supply. Capacities are rounded down
** so that no sink ever receives more than its real limit.
**
** Shadow prices come from the optimal potentials pi (rc = c + pi(u) - pi(v)):
** one more tonne of capacity on a saturated arc k->T saves -rc(k->T), and one
** more tonne at source s costs pi(T) - pi(s) (which never exceeds the
** penalty, since the penalty arc has rc >= 0).
*/
#include "allocate.h"
#include "clock.h"
#include "mincostflow.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLOW_UNITS_MAX 1125899906842624.0   /* 2^50 */
#define COST_UNITS_MAX 68719476736.0        /* 2^36 */

static int64_t to_units_floor(double v, double unit) {
    if (v == HUGE_VAL) return WP_MCF_CAP_MAX;
    double q = floor(v / unit);
    if (q >= (double)WP_MCF_CAP_MAX) return WP_MCF_CAP_MAX;
    return q > 0 ? (int64_t)q : 0;
}

/* Is sink limit v real (finite and below the total)? */
static int binding(double v, double total) {
    return v != HUGE_VAL && v < total;
}

/* The flow network of one solve and how it maps onto the model. Arcs can
** be appended after a solve (column generation); arc_of grows with them. */
typedef struct {
    const wp_model *m;
    wp_mcf *p;
    int n_nodes, node_t;
    int *sink_node;         /* per sink */
    int *mat_node;          /* per sink * WP_MAX_MATERIALS, -1 if none */
    int64_t *arc_of;        /* model arc -> solver arc (-1: not in the network) */
    size_t arc_of_cap;
    int64_t *sink_arc;      /* per sink: k -> T */
    double u, cu;           /* flow unit (t), cost unit (yuan/t) */
} network;

static void network_free(network *nw) {
    wp_mcf_free(nw->p);
    free(nw->sink_node);
    free(nw->mat_node);
    free(nw->arc_of);
    free(nw->sink_arc);
    memset(nw, 0, sizeof *nw);
}

void wp_result_free(wp_result *r) {
    free(r->arc_t);
    free(r->src_delivered);
    free(r->src_unalloc);
    free(r->src_reason);
    free(r->src_marginal);
    free(r->sink_received);
    free(r->sink_received_mat);
    free(r->sink_shadow);
    free(r->sink_shadow_mat);
    memset(r, 0, sizeof *r);
}

double wp_sink_best_shadow(const wp_model *m, const wp_result *r, int k, int *mat) {
    *mat = -1;
    double best = r->sink_shadow[k];
    if (best > 0) return best;
    for (int j = 0; j < m->materials.count; j++) {
        double v = r->sink_shadow_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
        if (v > best) {
            best = v;
            *mat = j;
        }
    }
    return best;
}

static int result_alloc(wp_result *r, const wp_model *m) {
    memset(r, 0, sizeof *r);
    size_t na = m->n_arcs ? m->n_arcs : 1;
    size_t ns = m->n_sources ? (size_t)m->n_sources : 1;
    size_t nk = m->n_sinks ? (size_t)m->n_sinks : 1;
    r->arc_t = calloc(na, sizeof *r->arc_t);
    r->src_delivered = calloc(ns, sizeof(double));
    r->src_unalloc = calloc(ns, sizeof(double));
    r->src_reason = calloc(ns, sizeof *r->src_reason);
    r->src_marginal = calloc(ns, sizeof(double));
    r->sink_received = calloc(nk, sizeof(double));
    r->sink_received_mat = calloc(nk * WP_MAX_MATERIALS, sizeof(double));
    r->sink_shadow = calloc(nk, sizeof(double));
    r->sink_shadow_mat = calloc(nk * WP_MAX_MATERIALS, sizeof(double));
    if (!r->arc_t || !r->src_delivered || !r->src_unalloc || !r->src_reason ||
        !r->src_marginal || !r->sink_received || !r->sink_received_mat ||
        !r->sink_shadow || !r->sink_shadow_mat) {
        wp_result_free(r);
        return -1;
    }
    return 0;
}

/* Check the model's numbers before they reach the solver. */
static int validate(const wp_model *m, char *err, int errlen) {
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        if (s->material < 0 || s->material >= m->materials.count) {
            snprintf(err, (size_t)errlen, "source %s has no material", s->id);
            return -1;
        }
        if (!(s->supply_t >= 0) || s->supply_t == HUGE_VAL) {
            snprintf(err, (size_t)errlen, "source %s: supply %g is not a finite "
                     "non-negative number of tonnes", s->id, s->supply_t);
            return -1;
        }
    }
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        if (!(s->cap_total_t >= 0)) {
            snprintf(err, (size_t)errlen, "sink %s: capacity %g is negative",
                     s->id, s->cap_total_t);
            return -1;
        }
        for (int j = 0; j < m->materials.count; j++)
            if ((s->accepts >> j & 1u) && !(s->cap_t[j] >= 0)) {
                snprintf(err, (size_t)errlen, "sink %s: limit for %s is negative",
                         s->id, m->materials.m[j].id);
                return -1;
            }
    }
    for (int j = 0; j < m->materials.count; j++) {
        const wp_material *mt = &m->materials.m[j];
        if (!(mt->handling >= 0 && mt->road_rate >= 0 && mt->unallocated_cost >= 0) ||
            mt->handling == HUGE_VAL || mt->road_rate == HUGE_VAL ||
            mt->unallocated_cost == HUGE_VAL) {
            snprintf(err, (size_t)errlen, "material %s: costs must be finite and >= 0", mt->id);
            return -1;
        }
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        if (arc->src < 0 || arc->src >= m->n_sources || arc->sink < 0 ||
            arc->sink >= m->n_sinks || !(arc->dist_km >= 0) ||
            arc->dist_km == HUGE_VAL) {
            snprintf(err, (size_t)errlen, "arc %zu is malformed", a);
            return -1;
        }
    }
    return 0;
}

/* The scales of the header comment. The largest cost is taken over every
** arc the model could ever have (handling + rate x haul limit), not just the
** arcs present, so column generation and a full solve see the same integer
** problem. */
static void choose_scales(const wp_model *m, network *nw) {
    double total_supply = 0, max_cost = 0;
    unsigned used = 0;
    for (int i = 0; i < m->n_sources; i++) {
        total_supply += m->sources[i].supply_t;
        used |= 1u << m->sources[i].material;
    }
    for (int j = 0; j < m->materials.count; j++) {
        if (!(used >> j & 1u)) continue;
        const wp_material *mt = &m->materials.m[j];
        double c = mt->handling + mt->road_rate * mt->max_haul_km;
        if (c > max_cost && c != HUGE_VAL) max_cost = c;
        if (mt->unallocated_cost > max_cost) max_cost = mt->unallocated_cost;
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        double c = wp_arc_cost_per_t(m, &m->arcs[a]);
        if (c > max_cost) max_cost = c;
    }
    nw->u = wp_mcf_pow2_scale(total_supply, FLOW_UNITS_MAX);
    nw->cu = wp_mcf_pow2_scale(max_cost, COST_UNITS_MAX);
}

/* Add model arcs [from, m->n_arcs) to the network. */
static int network_add_arcs(network *nw, size_t from) {
    const wp_model *m = nw->m;
    if (m->n_arcs > nw->arc_of_cap) {
        size_t cap = nw->arc_of_cap ? nw->arc_of_cap : 1024;
        while (cap < m->n_arcs) cap *= 2;
        int64_t *na = realloc(nw->arc_of, cap * sizeof *na);
        if (!na) return -1;
        nw->arc_of = na;
        nw->arc_of_cap = cap;
    }
    for (size_t a = from; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        int mat = m->sources[arc->src].material;
        int mn = nw->mat_node[(size_t)arc->sink * WP_MAX_MATERIALS + (size_t)mat];
        int to = mn >= 0 ? mn : nw->sink_node[arc->sink];
        double c = wp_arc_cost_per_t(m, arc) / nw->cu;
        if (!(c <= (double)WP_MCF_COST_MAX)) return -1;
        int64_t cap = to_units_floor(m->sinks[arc->sink].cap_t[mat], nw->u);
        nw->arc_of[a] = wp_mcf_add_arc(nw->p, arc->src, to, cap, (int64_t)llround(c));
        if (nw->arc_of[a] < 0) return -1;
    }
    return 0;
}

/* Build the flow network of the header comment for the arcs in m. */
static int network_build(network *nw, const wp_model *m) {
    int S = m->n_sources, K = m->n_sinks;
    size_t KM = (size_t)(K ? K : 1) * WP_MAX_MATERIALS;
    memset(nw, 0, sizeof *nw);
    nw->m = m;
    nw->sink_node = malloc((size_t)(K ? K : 1) * sizeof(int));
    nw->mat_node = malloc(KM * sizeof(int));
    nw->sink_arc = malloc((size_t)(K ? K : 1) * sizeof(int64_t));
    if (!nw->sink_node || !nw->mat_node || !nw->sink_arc) return -1;
    for (size_t i = 0; i < KM; i++) nw->mat_node[i] = -1;

    /* A material node for every accepted material whose own limit is below
    ** the sink's total: present even before any arc uses it, so arcs found
    ** later by pricing have somewhere to go. */
    int n = S;
    for (int k = 0; k < K; k++) {
        nw->sink_node[k] = n++;
        const wp_sink *sk = &m->sinks[k];
        for (int j = 0; j < m->materials.count; j++)
            if ((sk->accepts >> j & 1u) && binding(sk->cap_t[j], sk->cap_total_t))
                nw->mat_node[(size_t)k * WP_MAX_MATERIALS + (size_t)j] = n++;
    }
    nw->node_t = n++;
    nw->n_nodes = n;
    choose_scales(m, nw);
    double u = nw->u, cu = nw->cu;

    nw->p = wp_mcf_new(n, (int64_t)m->n_arcs + S + K * 2);
    if (!nw->p) return -1;
    int64_t total_units = 0;
    for (int i = 0; i < S; i++) {
        int64_t b = (int64_t)llround(m->sources[i].supply_t / u);
        wp_mcf_set_supply(nw->p, i, b);
        total_units += b;
    }
    wp_mcf_set_supply(nw->p, nw->node_t, -total_units);

    for (int k = 0; k < K; k++) {
        const wp_sink *sk = &m->sinks[k];
        for (int j = 0; j < m->materials.count; j++) {
            int mn = nw->mat_node[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
            if (mn < 0) continue;
            if (wp_mcf_add_arc(nw->p, mn, nw->sink_node[k], to_units_floor(sk->cap_t[j], u), 0) < 0)
                return -1;
        }
        nw->sink_arc[k] = wp_mcf_add_arc(nw->p, nw->sink_node[k], nw->node_t,
                                         to_units_floor(sk->cap_total_t, u), 0);
        if (nw->sink_arc[k] < 0) return -1;
    }
    for (int i = 0; i < S; i++) {
        const wp_source *s = &m->sources[i];
        double c = m->materials.m[s->material].unallocated_cost / cu;
        /* uncapacitated: a capacity would make the potentials price the
        ** penalty arc's bound instead of the marginal tonne */
        if (wp_mcf_add_arc(nw->p, i, nw->node_t, WP_MCF_CAP_MAX, (int64_t)llround(c)) < 0)
            return -1;
    }
    return network_add_arcs(nw, 0);
}

static int network_solve(network *nw, wp_result *r, char *err, int errlen) {
    double t0 = wp_clock_seconds();
    wp_mcf_status st = wp_mcf_solve(nw->p);
    r->solve_seconds += wp_clock_seconds() - t0;
    r->pivots += (long long)wp_mcf_pivots(nw->p);
    if (st != WP_MCF_OPTIMAL) {
        snprintf(err, (size_t)errlen, "min-cost flow solver: %s", wp_mcf_status_str(st));
        return -1;
    }
    return 0;
}

/* Why source i keeps unallocated tonnes, given the solved flows and the
** source's arcs idx[first[i] .. first[i+1]). A sink is full for material j
** when less than one flow unit of its total or of its limit for j is left
** (capacities are whole units, so this is exact). */
static wp_reason reason_for(const wp_model *m, const wp_result *r, const size_t *first,
                            const size_t *idx, int i, double u) {
    const wp_source *s = &m->sources[i];
    int j = s->material;
    int accepted = 0;
    for (int k = 0; k < m->n_sinks && !accepted; k++)
        accepted = (m->sinks[k].accepts >> j & 1u) && m->sinks[k].cap_t[j] > 0 &&
                   m->sinks[k].cap_total_t > 0;
    if (!accepted) return WP_REASON_NOT_ACCEPTED;
    if (first[i] == first[i + 1]) return WP_REASON_OUT_OF_REACH;
    for (size_t q = first[i]; q < first[i + 1]; q++) {
        int k = m->arcs[idx[q]].sink;
        const wp_sink *sk = &m->sinks[k];
        double got = r->sink_received[k];
        double got_j = r->sink_received_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
        int full = (sk->cap_total_t != HUGE_VAL && got > sk->cap_total_t - u) ||
                   (sk->cap_t[j] != HUGE_VAL && got_j > sk->cap_t[j] - u);
        if (!full) return WP_REASON_UNECONOMIC;
    }
    return WP_REASON_SITES_FULL;
}

/* Read flows, totals and prices out of the solved network into r (which
** must be sized for m->n_arcs). Reasons are filled by fill_reasons. */
static void extract(const network *nw, wp_result *r) {
    const wp_model *m = nw->m;
    double u = nw->u, cu = nw->cu;
    r->flow_unit_t = u;
    r->cost_unit = cu;
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        const wp_source *s = &m->sources[arc->src];
        const wp_material *mt = &m->materials.m[s->material];
        int64_t sa = a < nw->arc_of_cap ? nw->arc_of[a] : -1;
        double t = sa >= 0 ? (double)wp_mcf_flow(nw->p, sa) * u : 0.0;
        r->arc_t[a] = t;
        if (t == 0) continue;
        r->src_delivered[arc->src] += t;
        r->sink_received[arc->sink] += t;
        r->sink_received_mat[(size_t)arc->sink * WP_MAX_MATERIALS + (size_t)s->material] += t;
        wp_material_total *mtot = &r->mat[s->material];
        double tkm = t * arc->dist_km;
        mtot->delivered_t += t;
        mtot->haul_cost += tkm * mt->road_rate;
        mtot->handling_cost += t * mt->handling;
        mtot->t_km += tkm;
        mtot->co2_t += tkm * mt->co2_kg_per_tkm / 1000.0;
    }
    int64_t pi_t = wp_mcf_potential(nw->p, nw->node_t);
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        wp_material_total *mtot = &r->mat[s->material];
        double un = s->supply_t - r->src_delivered[i];
        if (un < 0.5 * u) un = 0;   /* rounding of the supply to whole units */
        r->src_unalloc[i] = un;
        mtot->supply_t += s->supply_t;
        mtot->unallocated_t += un;
        mtot->penalty_cost += un * m->materials.m[s->material].unallocated_cost;
        r->src_marginal[i] = (double)(pi_t - wp_mcf_potential(nw->p, i)) * cu;
    }
    for (int k = 0; k < m->n_sinks; k++) {
        int64_t pk = wp_mcf_potential(nw->p, nw->sink_node[k]);
        int64_t rc = pk - pi_t;   /* arc k -> T, cost 0 */
        r->sink_shadow[k] = rc < 0 ? (double)(-rc) * cu : 0.0;
        for (int j = 0; j < m->materials.count; j++) {
            int mn = nw->mat_node[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
            if (mn < 0) continue;   /* limit not below the total: priced there */
            int64_t rcm = wp_mcf_potential(nw->p, mn) - pk;   /* arc (k,j) -> k */
            r->sink_shadow_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j] =
                rcm < 0 ? (double)(-rcm) * cu : 0.0;
        }
    }
    for (int j = 0; j < m->materials.count; j++) {
        wp_material_total *mtot = &r->mat[j];
        r->haul_cost += mtot->haul_cost;
        r->handling_cost += mtot->handling_cost;
        r->penalty_cost += mtot->penalty_cost;
        r->t_km += mtot->t_km;
        r->co2_t += mtot->co2_t;
    }
    r->total_cost = r->haul_cost + r->handling_cost + r->penalty_cost;
}

/* Reasons for every source, over the arcs of m in any order. */
static int fill_reasons(const wp_model *m, wp_result *r) {
    int S = m->n_sources;
    size_t *first = calloc((size_t)S + 1, sizeof *first);
    size_t *idx = malloc((m->n_arcs ? m->n_arcs : 1) * sizeof *idx);
    if (!first || !idx) {
        free(first);
        free(idx);
        return -1;
    }
    for (size_t a = 0; a < m->n_arcs; a++) first[m->arcs[a].src + 1]++;
    for (int i = 0; i < S; i++) first[i + 1] += first[i];
    for (size_t a = 0; a < m->n_arcs; a++) idx[first[m->arcs[a].src]++] = a;
    for (int i = S; i > 0; i--) first[i] = first[i - 1];   /* undo the shift */
    first[0] = 0;
    for (int i = 0; i < S; i++)
        r->src_reason[i] = r->src_unalloc[i] > 0
                               ? reason_for(m, r, first, idx, i, r->flow_unit_t)
                               : WP_REASON_NONE;
    free(first);
    free(idx);
    return 0;
}

int wp_allocate(const wp_model *m, wp_result *r, char *err, int errlen) {
    if (validate(m, err, errlen) < 0) return -1;
    network nw;
    memset(&nw, 0, sizeof nw);
    if (result_alloc(r, m) < 0 || network_build(&nw, m) < 0) {
        network_free(&nw);
        wp_result_free(r);
        snprintf(err, (size_t)errlen, "out of memory building the flow network "
                 "(or a value out of the solver's range)");
        return -1;
    }
    if (network_solve(&nw, r, err, errlen) < 0) {
        network_free(&nw);
        wp_result_free(r);
        return -1;
    }
    extract(&nw, r);
    network_free(&nw);
    if (fill_reasons(m, r) < 0) {
        wp_result_free(r);
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* The duals a pricer needs, from the solved network. */
static int make_duals(const network *nw, int64_t *src, int64_t *dest) {
    const wp_model *m = nw->m;
    for (int i = 0; i < m->n_sources; i++) src[i] = wp_mcf_potential(nw->p, i);
    for (int k = 0; k < m->n_sinks; k++) {
        int64_t pk = wp_mcf_potential(nw->p, nw->sink_node[k]);
        for (int j = 0; j < m->materials.count; j++) {
            int mn = nw->mat_node[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
            dest[(size_t)k * WP_MAX_MATERIALS + (size_t)j] =
                mn >= 0 ? wp_mcf_potential(nw->p, mn) : pk;
        }
    }
    return 0;
}

typedef struct {
    wp_arc arc;
    double t;
} arc_flow;

static int cmp_arc_flow(const void *a, const void *b) {
    const wp_arc *x = &((const arc_flow *)a)->arc, *y = &((const arc_flow *)b)->arc;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

/* Sort m->arcs by (source, sink), carrying r->arc_t along; arcs from
** solved_arcs on were added after the solve and carry no flow. (source,
** sink) pairs are unique, so the order is total and deterministic. */
static int sort_arcs_with_flows(wp_model *m, wp_result *r, size_t solved_arcs) {
    size_t n = m->n_arcs;
    arc_flow *af = malloc((n ? n : 1) * sizeof *af);
    double *t = malloc((n ? n : 1) * sizeof *t);
    if (!af || !t) {
        free(af);
        free(t);
        return -1;
    }
    for (size_t a = 0; a < n; a++) {
        af[a].arc = m->arcs[a];
        af[a].t = a < solved_arcs ? r->arc_t[a] : 0.0;
    }
    if (n > 1) qsort(af, n, sizeof *af, cmp_arc_flow);
    for (size_t a = 0; a < n; a++) {
        m->arcs[a] = af[a].arc;
        t[a] = af[a].t;
    }
    free(af);
    free(r->arc_t);
    r->arc_t = t;
    return 0;
}

int wp_allocate_priced(wp_model *m, wp_pricer *pricer, wp_result *r,
                       int *rounds, char *err, int errlen) {
    if (rounds) *rounds = 0;
    if (validate(m, err, errlen) < 0) return -1;
    network nw;
    memset(&nw, 0, sizeof nw);
    memset(r, 0, sizeof *r);
    int64_t *src = malloc(((size_t)m->n_sources + 1) * sizeof *src);
    int64_t *dest = malloc(((size_t)m->n_sinks + 1) * WP_MAX_MATERIALS * sizeof *dest);
    int rc = -1;
    if (!src || !dest || network_build(&nw, m) < 0) {
        snprintf(err, (size_t)errlen, "out of memory building the flow network "
                 "(or a value out of the solver's range)");
        goto done;
    }
    wp_result acc;   /* accumulates solve time and pivots over the rounds */
    memset(&acc, 0, sizeof acc);
    for (;;) {
        if (network_solve(&nw, &acc, err, errlen) < 0) goto done;
        make_duals(&nw, src, dest);
        wp_duals d = {src, dest, nw.cu};
        size_t before = m->n_arcs;
        long added = pricer->price(pricer, m, &d, 8, err, errlen);
        if (added < 0) goto done;
        if (m->n_arcs == before) break;   /* nothing prices out: optimal */
        if (rounds) (*rounds)++;
        if (network_add_arcs(&nw, before) < 0) {
            snprintf(err, (size_t)errlen, "out of memory adding priced arcs");
            goto done;
        }
    }
    /* Give every source left with unallocated tonnes its full set of arcs
    ** within reach (flow 0: they cannot improve the optimum), so that its
    ** reason is decided on every site it could reach. */
    if (result_alloc(r, m) < 0) goto oom;
    extract(&nw, r);
    size_t solved_arcs = m->n_arcs;
    for (int i = 0; i < m->n_sources; i++)
        if (r->src_unalloc[i] > 0 && pricer->complete(pricer, m, i, err, errlen) < 0)
            goto done;
    if (sort_arcs_with_flows(m, r, solved_arcs) < 0) goto oom;
    r->solve_seconds = acc.solve_seconds;
    r->pivots = acc.pivots;
    if (fill_reasons(m, r) < 0) goto oom;
    rc = 0;
    goto done;
oom:
    snprintf(err, (size_t)errlen, "out of memory");
done:
    if (rc < 0) wp_result_free(r);
    network_free(&nw);
    free(src);
    free(dest);
    return rc;
}

const char *wp_reason_str(wp_reason r) {
    switch (r) {
    case WP_REASON_NONE: return "delivered";
    case WP_REASON_NOT_ACCEPTED: return "not_accepted";
    case WP_REASON_OUT_OF_REACH: return "out_of_reach";
    case WP_REASON_SITES_FULL: return "sites_full";
    case WP_REASON_UNECONOMIC: return "uneconomic";
    }
    return "unknown";
}

const char *wp_reason_zh(wp_reason r) {
    switch (r) {
    case WP_REASON_NONE: return "全部利用";
    case WP_REASON_NOT_ACCEPTED: return "无接收该固废的利用点";
    case WP_REASON_OUT_OF_REACH: return "运距内无接收点";
    case WP_REASON_SITES_FULL: return "运距内接收点已满";
    case WP_REASON_UNECONOMIC: return "运输成本高于堆存成本";
    }
    return "未知";
}
