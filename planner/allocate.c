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
#include "mincostflow.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLOW_UNITS_MAX 1125899906842624.0   /* 2^50 */
#define COST_UNITS_MAX 68719476736.0        /* 2^36 */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Smallest power of two p with value / p <= limit (p may be < 1). */
static double pow2_scale(double value, double limit) {
    if (!(value > 0)) return 1.0;
    int e;
    frexp(value / limit, &e);     /* value/limit = f * 2^e, 0.5 <= f < 1 */
    return ldexp(1.0, e);
}

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

typedef struct {
    int n_nodes, node_t;
    int *sink_node;         /* per sink */
    int *mat_node;          /* per sink * WP_MAX_MATERIALS, -1 if none */
    int64_t *arc_of;        /* model arc -> solver arc */
    int64_t *pen_arc;       /* per source */
    int64_t *mat_arc;       /* per sink * WP_MAX_MATERIALS: (k,m) -> k, -1 */
    int64_t *sink_arc;      /* per sink: k -> T, -1 when k takes nothing */
} network_map;

static void map_free(network_map *nm) {
    free(nm->sink_node);
    free(nm->mat_node);
    free(nm->arc_of);
    free(nm->pen_arc);
    free(nm->mat_arc);
    free(nm->sink_arc);
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
    memset(r, 0, sizeof *r);
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
    if (!r->arc_t || !r->src_delivered || !r->src_unalloc || !r->src_reason ||
        !r->src_marginal || !r->sink_received || !r->sink_received_mat ||
        !r->sink_shadow) {
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
        if (!(mt->handling >= 0 && mt->road_rate >= 0 && mt->unallocated_cost >= 0)) {
            snprintf(err, (size_t)errlen, "material %s: costs must be >= 0", mt->id);
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

/* Build the flow network of the header comment into p, recording in nm
** which solver arc and node stands for each part of the model. */
static int build_network(const wp_model *m, wp_result *r, network_map *nm,
                         wp_mcf **out) {
    int S = m->n_sources, K = m->n_sinks;
    size_t KM = (size_t)(K ? K : 1) * WP_MAX_MATERIALS;
    memset(nm, 0, sizeof *nm);
    nm->sink_node = malloc((size_t)(K ? K : 1) * sizeof(int));
    nm->mat_node = malloc(KM * sizeof(int));
    nm->mat_arc = malloc(KM * sizeof(int64_t));
    nm->sink_arc = malloc((size_t)(K ? K : 1) * sizeof(int64_t));
    nm->arc_of = malloc((m->n_arcs ? m->n_arcs : 1) * sizeof(int64_t));
    nm->pen_arc = malloc((size_t)(S ? S : 1) * sizeof(int64_t));
    unsigned char *used = calloc(KM, 1);
    if (!nm->sink_node || !nm->mat_node || !nm->mat_arc || !nm->sink_arc ||
        !nm->arc_of || !nm->pen_arc || !used) {
        free(used);
        return -1;
    }
    for (size_t i = 0; i < KM; i++) {
        nm->mat_node[i] = -1;
        nm->mat_arc[i] = -1;
    }

    /* Which (sink, material) pairs carry arcs at all. */
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        used[(size_t)arc->sink * WP_MAX_MATERIALS + (size_t)m->sources[arc->src].material] = 1;
    }
    int n = S;
    for (int k = 0; k < K; k++) {
        nm->sink_node[k] = n++;
        const wp_sink *sk = &m->sinks[k];
        for (int j = 0; j < m->materials.count; j++)
            if (used[(size_t)k * WP_MAX_MATERIALS + (size_t)j] &&
                binding(sk->cap_t[j], sk->cap_total_t))
                nm->mat_node[(size_t)k * WP_MAX_MATERIALS + (size_t)j] = n++;
    }
    nm->node_t = n++;
    nm->n_nodes = n;

    /* Scales. */
    double total_supply = 0, max_cost = 0;
    for (int i = 0; i < S; i++) total_supply += m->sources[i].supply_t;
    for (int i = 0; i < S; i++) {
        double pen = m->materials.m[m->sources[i].material].unallocated_cost;
        if (pen > max_cost) max_cost = pen;
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        double c = wp_arc_cost_per_t(m, &m->arcs[a]);
        if (c > max_cost) max_cost = c;
    }
    r->flow_unit_t = pow2_scale(total_supply, FLOW_UNITS_MAX);
    r->cost_unit = pow2_scale(max_cost, COST_UNITS_MAX);
    double u = r->flow_unit_t, cu = r->cost_unit;

    wp_mcf *p = wp_mcf_new(n, (int64_t)m->n_arcs + S + K * 2);
    if (!p) {
        free(used);
        return -1;
    }
    int64_t total_units = 0;
    for (int i = 0; i < S; i++) {
        int64_t b = (int64_t)llround(m->sources[i].supply_t / u);
        wp_mcf_set_supply(p, i, b);
        total_units += b;
    }
    wp_mcf_set_supply(p, nm->node_t, -total_units);

    int bad = 0;
    for (size_t a = 0; a < m->n_arcs && !bad; a++) {
        const wp_arc *arc = &m->arcs[a];
        int mat = m->sources[arc->src].material;
        int mn = nm->mat_node[(size_t)arc->sink * WP_MAX_MATERIALS + (size_t)mat];
        int to = mn >= 0 ? mn : nm->sink_node[arc->sink];
        int64_t cost = (int64_t)llround(wp_arc_cost_per_t(m, arc) / cu);
        int64_t cap = to_units_floor(m->sinks[arc->sink].cap_t[mat], u);
        nm->arc_of[a] = wp_mcf_add_arc(p, arc->src, to, cap, cost);
        bad = nm->arc_of[a] < 0;
    }
    for (int k = 0; k < K && !bad; k++) {
        const wp_sink *sk = &m->sinks[k];
        for (int j = 0; j < m->materials.count && !bad; j++) {
            size_t idx = (size_t)k * WP_MAX_MATERIALS + (size_t)j;
            if (nm->mat_node[idx] < 0) continue;
            nm->mat_arc[idx] = wp_mcf_add_arc(p, nm->mat_node[idx], nm->sink_node[k],
                                              to_units_floor(sk->cap_t[j], u), 0);
            bad = nm->mat_arc[idx] < 0;
        }
        if (bad) break;
        nm->sink_arc[k] = wp_mcf_add_arc(p, nm->sink_node[k], nm->node_t,
                                         to_units_floor(sk->cap_total_t, u), 0);
        bad = nm->sink_arc[k] < 0;
    }
    for (int i = 0; i < S && !bad; i++) {
        const wp_source *s = &m->sources[i];
        int64_t cost = (int64_t)llround(m->materials.m[s->material].unallocated_cost / cu);
        /* uncapacitated: a capacity would make the potentials price the
        ** penalty arc's bound instead of the marginal tonne */
        nm->pen_arc[i] = wp_mcf_add_arc(p, i, nm->node_t, WP_MCF_CAP_MAX, cost);
        bad = nm->pen_arc[i] < 0;
    }
    free(used);
    if (bad) {
        wp_mcf_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

/* Why source i keeps unallocated tonnes, given the solved flows. A sink is
** full for material j when less than one flow unit of its total or of its
** limit for j is left (capacities are whole units, so this is exact). */
static wp_reason reason_for(const wp_model *m, const wp_result *r,
                            const size_t *first_arc, int i, double u) {
    const wp_source *s = &m->sources[i];
    int j = s->material;
    int accepted = 0;
    for (int k = 0; k < m->n_sinks && !accepted; k++)
        accepted = (m->sinks[k].accepts >> j & 1u) && m->sinks[k].cap_t[j] > 0 &&
                   m->sinks[k].cap_total_t > 0;
    if (!accepted) return WP_REASON_NOT_ACCEPTED;
    if (first_arc[i] == first_arc[i + 1]) return WP_REASON_OUT_OF_REACH;
    for (size_t a = first_arc[i]; a < first_arc[i + 1]; a++) {
        int k = m->arcs[a].sink;
        const wp_sink *sk = &m->sinks[k];
        double got = r->sink_received[k];
        double got_j = r->sink_received_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j];
        int full = (sk->cap_total_t != HUGE_VAL && got > sk->cap_total_t - u) ||
                   (sk->cap_t[j] != HUGE_VAL && got_j > sk->cap_t[j] - u);
        if (!full) return WP_REASON_UNECONOMIC;
    }
    return WP_REASON_SITES_FULL;
}

int wp_allocate(const wp_model *m, wp_result *r, char *err, int errlen) {
    if (validate(m, err, errlen) < 0) return -1;
    for (size_t a = 1; a < m->n_arcs; a++)
        if (m->arcs[a].src < m->arcs[a - 1].src) {
            snprintf(err, (size_t)errlen, "arcs must be ordered by source");
            return -1;
        }
    if (result_alloc(r, m) < 0) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    network_map nm;
    wp_mcf *p = NULL;
    if (build_network(m, r, &nm, &p) < 0) {
        map_free(&nm);
        wp_result_free(r);
        snprintf(err, (size_t)errlen, "out of memory building the flow network "
                 "(or a value out of the solver's range)");
        return -1;
    }
    double t0 = now_seconds();
    wp_mcf_status st = wp_mcf_solve(p);
    r->solve_seconds = now_seconds() - t0;
    r->pivots = (long long)wp_mcf_pivots(p);
    if (st != WP_MCF_OPTIMAL) {
        snprintf(err, (size_t)errlen, "min-cost flow solver: %s", wp_mcf_status_str(st));
        wp_mcf_free(p);
        map_free(&nm);
        wp_result_free(r);
        return -1;
    }

    double u = r->flow_unit_t, cu = r->cost_unit;
    int S = m->n_sources;
    size_t *first_arc = calloc((size_t)S + 1, sizeof *first_arc);
    if (!first_arc) {
        wp_mcf_free(p);
        map_free(&nm);
        wp_result_free(r);
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    for (size_t a = 0; a < m->n_arcs; a++) first_arc[m->arcs[a].src + 1]++;
    for (int i = 0; i < S; i++) first_arc[i + 1] += first_arc[i];

    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        const wp_source *s = &m->sources[arc->src];
        const wp_material *mt = &m->materials.m[s->material];
        double t = (double)wp_mcf_flow(p, nm.arc_of[a]) * u;
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
    int64_t pi_t = wp_mcf_potential(p, nm.node_t);
    for (int i = 0; i < S; i++) {
        const wp_source *s = &m->sources[i];
        wp_material_total *mtot = &r->mat[s->material];
        double un = s->supply_t - r->src_delivered[i];
        if (un < 0.5 * u) un = 0;   /* rounding of the supply to whole units */
        r->src_unalloc[i] = un;
        mtot->supply_t += s->supply_t;
        mtot->unallocated_t += un;
        mtot->penalty_cost += un * m->materials.m[s->material].unallocated_cost;
        r->src_marginal[i] = (double)(pi_t - wp_mcf_potential(p, i)) * cu;
    }
    for (int i = 0; i < S; i++)
        r->src_reason[i] = r->src_unalloc[i] > 0
                               ? reason_for(m, r, first_arc, i, u)
                               : WP_REASON_NONE;
    for (int k = 0; k < m->n_sinks; k++) {
        if (nm.sink_arc[k] < 0) continue;
        int64_t rc = wp_mcf_potential(p, nm.sink_node[k]) - pi_t;   /* cost 0 */
        r->sink_shadow[k] = rc < 0 ? (double)(-rc) * cu : 0.0;
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
    free(first_arc);
    wp_mcf_free(p);
    map_free(&nm);
    return 0;
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
