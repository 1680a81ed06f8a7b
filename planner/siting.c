/*
** siting.c — choosing new utilisation parks (siting.h): park types from the
** scenario, the mixed-integer programs solved by CBC, the local-search
** heuristic with its LP bound, and the model surgery around them.
**
** The MIP (units: kilotonnes and thousands of yuan, so that coefficients
** stay near 1 and CBC's absolute tolerances mean grams and fen):
**
**   x_a  >= 0   tonnes on arc a (source i -> sink k)
**   u_i  >= 0   tonnes of source i left unallocated
**   y_co in {0,1}  park at candidate c built with option o
**
**   min  sum_a c_a x_a + sum_i pen_i u_i + sum_co F_o y_co
**   s.t. sum_{a out of i} x_a + u_i = supply_i            (every tonne somewhere)
**        sum_{a into k} x_a <= cap_k, per material too    (existing sinks)
**        sum_{a into c} x_a <= sum_o Q_o y_co              (park capacity)
**        sum_o y_co <= 1  (= 1 when the site is required)  (one size per site)
**        x_a <= sum_o min(supply_i, Q_o) y_co              (linking, per arc)
**        sum_{c in county} sum_o y_co <= max_per_group
**
** The per-arc linking rows are what makes the formulation strong: without
** them (the "naive", aggregated model) the LP relaxation may open a
** fraction Q_used/Q_o of a park and pay only that fraction of its fixed
** cost, which gives weak bounds and large search trees. With them the
** relaxation must open a site at least as far as any single source uses
** it. c_a includes the park type's cost per tonne, so revenue (a negative
** cost) is exact too.
**
** The problem types add rows: sum y = k (k); per-material delivered >=
** share x supply (target); sum F y <= budget (budget). Target and budget
** are lexicographic and solved in two phases: first the fewest parks (or
** the most tonnes), then the least cost with that fixed.
**
** With no park built the MIP is exactly the allocation of allocate.h, so
** its optimum equals wp_allocate's (up to the allocation's integer
** scaling, below 2^-36 of the largest cost).
*/
#include "siting.h"
#include "clock.h"
#include "message.h"
#include "units.h"

#include <Cbc_C_Interface.h>

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dup_s(const char *s) {
    size_t n = strlen(s ? s : "");
    char *d = malloc(n + 1);
    if (d) memcpy(d, s ? s : "", n + 1);
    return d;
}

/* ------------------------------------------------------------ containers */

void wp_siting_init(wp_siting *s) {
    memset(s, 0, sizeof *s);
}

void wp_siting_free(wp_siting *s) {
    for (int t = 0; t < s->n_types; t++) {
        free(s->types[t].id);
        free(s->types[t].name);
    }
    free(s->types);
    for (int c = 0; c < s->n_cands; c++) {
        free(s->cands[c].id);
        free(s->cands[c].name);
        free(s->cands[c].wkb);
        free(s->cands[c].origin);
    }
    free(s->cands);
    for (int g = 0; g < s->n_groups; g++) free(s->group_name[g]);
    free(s->group_name);
    memset(s, 0, sizeof *s);
}

int wp_siting_add_type(wp_siting *s, const wp_park_type *t) {
    wp_park_type *nt = realloc(s->types, (size_t)(s->n_types + 1) * sizeof *nt);
    if (!nt) return -1;
    s->types = nt;
    wp_park_type *d = &nt[s->n_types];
    *d = *t;
    d->id = dup_s(t->id);
    d->name = dup_s(t->name && *t->name ? t->name : t->id);
    if (!d->id || !d->name) {
        free(d->id);
        free(d->name);
        return -1;
    }
    return s->n_types++;
}

wp_candidate *wp_siting_add_candidate(wp_siting *s, const char *id, const char *name) {
    if (s->n_cands == s->cap_cands) {
        int cap = s->cap_cands ? s->cap_cands * 2 : 64;
        wp_candidate *nc = realloc(s->cands, (size_t)cap * sizeof *nc);
        if (!nc) return NULL;
        s->cands = nc;
        s->cap_cands = cap;
    }
    wp_candidate *c = &s->cands[s->n_cands];
    memset(c, 0, sizeof *c);
    c->id = dup_s(id);
    c->name = dup_s(name && *name ? name : id);
    c->origin = dup_s("layer");
    c->group = -1;
    if (!c->id || !c->name || !c->origin) {
        free(c->id);
        free(c->name);
        free(c->origin);
        return NULL;
    }
    s->n_cands++;
    return c;
}

int wp_siting_group(wp_siting *s, const char *name) {
    for (int g = 0; g < s->n_groups; g++)
        if (!strcmp(s->group_name[g], name)) return g;
    char **ng = realloc(s->group_name, (size_t)(s->n_groups + 1) * sizeof *ng);
    if (!ng) return -1;
    s->group_name = ng;
    if (!(ng[s->n_groups] = dup_s(name))) return -1;
    return s->n_groups++;
}

/* ------------------------------------------------------------ park types */

/* Split a list at , ; | and the Chinese ，；、 into at most max trimmed
** items written into buf (items point into it). Returns the count, or -1
** when there are more than max items or an item is empty. */
static int split_list(const char *text, char *buf, size_t buflen, char **items, int max) {
    size_t n = strlen(text);
    if (n + 1 > buflen) return -1;
    memcpy(buf, text, n + 1);
    int count = 0;
    char *p = buf, *start = buf;
    for (;;) {
        int sep = 0;
        if (*p == ',' || *p == ';' || *p == '|' || *p == '\0') sep = 1;
        else if (!strncmp(p, "\xef\xbc\x8c", 3) || !strncmp(p, "\xef\xbc\x9b", 3) ||
                 !strncmp(p, "\xe3\x80\x81", 3)) sep = 3;
        if (!sep) {
            p++;
            continue;
        }
        int end = *p == '\0';
        for (int i = 0; i < sep && *p; i++) *p++ = '\0';
        if (end) p = NULL;
        while (*start == ' ' || *start == '\t') start++;
        char *e = start + strlen(start);
        while (e > start && (e[-1] == ' ' || e[-1] == '\t')) *--e = '\0';
        if (!*start) return -1;
        if (count == max) return -1;
        items[count++] = start;
        if (!p) break;
        start = p;
    }
    return count;
}

/* Money per year: a number, optionally followed by 万 (1e4) or 亿 (1e8),
** then optionally 元 and a per-year suffix. -1 when it does not parse or is
** negative. */
static int parse_money(const char *text, double *out) {
    char buf[128];
    size_t n = strlen(text);
    if (n >= sizeof buf) return -1;
    memcpy(buf, text, n + 1);
    static const char *const suffixes[] = {"/年", "每年", "/yr", "/a", "元", "yuan"};
    int again = 1;
    while (again) {
        again = 0;
        while (n && buf[n - 1] == ' ') buf[--n] = '\0';
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
            size_t sl = strlen(suffixes[i]);
            if (n >= sl && !strcmp(buf + n - sl, suffixes[i])) {
                n -= sl;
                buf[n] = '\0';
                again = 1;
            }
        }
    }
    double scale = 1;
    if (n >= 3 && !strcmp(buf + n - 3, "万")) scale = 1e4, n -= 3;
    else if (n >= 3 && !strcmp(buf + n - 3, "亿")) scale = 1e8, n -= 3;
    buf[n] = '\0';
    double v;
    if (wp_number_parse(buf, &v) < 0 || v < 0) return -1;
    *out = v * scale;
    return 0;
}

/* "file:line" of key, for messages. */
static const char *origin_of(wp_config *cfg, const char *key) {
    const wp_config_entry *e = wp_config_entry_of(cfg, key);
    return e && e->origin ? e->origin : "scenario";
}

/* Read one [park.<id>] section. */
static int read_type(wp_config *cfg, const wp_materials *ms, const char *section,
                     wp_siting *s, char *err, int errlen) {
    char key[256], buf[4096];
    char *items[WP_PARK_MAX_OPTIONS + 1];
    wp_park_type t;
    memset(&t, 0, sizeof t);
    t.id = (char *)section + 5;
    snprintf(key, sizeof key, "%s.name", section);
    t.name = (char *)wp_config_get(cfg, key);

    snprintf(key, sizeof key, "%s.accepts", section);
    const char *v = wp_config_get(cfg, key);
    if (!v || !*v) {
        wp_set_err(err, errlen, "[%s]: accepts is missing: list the materials the park "
                "takes, e.g. accepts = 赤泥, 钛石膏", section);
        return -1;
    }
    char *mats[WP_MAX_MATERIALS];
    int nm = split_list(v, buf, sizeof buf, mats, WP_MAX_MATERIALS);
    if (nm < 0) {
        wp_set_err(err, errlen, "%s: %s = '%s' is not a list of materials", origin_of(cfg, key), key, v);
        return -1;
    }
    for (int i = 0; i < nm; i++) {
        int j = wp_materials_find(ms, mats[i]);
        if (j < 0) {
            wp_set_err(err, errlen, "%s: %s: unknown material '%s' (see docs/scenario.md, "
                    "[material.<id>])", origin_of(cfg, key), key, mats[i]);
            return -1;
        }
        t.accepts |= 1u << j;
    }

    snprintf(key, sizeof key, "%s.capacities", section);
    v = wp_config_get(cfg, key);
    int no = v ? split_list(v, buf, sizeof buf, items, WP_PARK_MAX_OPTIONS) : -1;
    if (!v || no < 1) {
        wp_set_err(err, errlen, "%s: %s: give 1 to %d capacity options, e.g. capacities = "
                "50万吨, 100万吨, 200万吨", v ? origin_of(cfg, key) : section, key,
                WP_PARK_MAX_OPTIONS);
        return -1;
    }
    t.n_options = no;
    for (int o = 0; o < no; o++) {
        char qerr[256];
        if (wp_quantity_parse(items[o], WP_UNIT_T, 0, &t.cap_t[o], qerr, sizeof qerr) < 0 ||
            !(t.cap_t[o] > 0) || (o > 0 && !(t.cap_t[o] > t.cap_t[o - 1]))) {
            wp_set_err(err, errlen, "%s: %s: option %d '%s' must be a positive quantity, larger "
                    "than the one before", origin_of(cfg, key), key, o + 1, items[o]);
            return -1;
        }
    }
    snprintf(key, sizeof key, "%s.fixed_costs", section);
    v = wp_config_get(cfg, key);
    int nf = v ? split_list(v, buf, sizeof buf, items, WP_PARK_MAX_OPTIONS) : -1;
    if (nf != no) {
        wp_set_err(err, errlen, "%s: %s: give one annualised fixed cost (yuan per year) per "
                "capacity option (%d), e.g. fixed_costs = 2500万, 4000万, 7000万",
                v ? origin_of(cfg, key) : section, key, no);
        return -1;
    }
    for (int o = 0; o < no; o++)
        if (parse_money(items[o], &t.fixed_cost[o]) < 0) {
            wp_set_err(err, errlen, "%s: %s: '%s' is not an amount of yuan (a number, "
                    "optionally with 万 or 亿)", origin_of(cfg, key), key, items[o]);
            return -1;
        }
    snprintf(key, sizeof key, "%s.cost_per_t", section);
    if (wp_config_get_double(cfg, key, 0, -1e5, 1e5, &t.cost_per_t, err, errlen) < 0)
        return -1;
    if (wp_siting_add_type(s, &t) < 0) {
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int wp_siting_read_types(wp_config *cfg, const wp_materials *ms, wp_siting *s,
                         char *err, int errlen) {
    int n = 0;
    for (int i = 0; i < cfg->n_sections; i++) {
        const char *sec = cfg->sections[i];
        if (strncmp(sec, "park.", 5) || !sec[5]) {
            if (!strcmp(sec, "park")) {
                wp_set_err(err, errlen, "[park] needs a type id: [park.red_mud_park]");
                return -1;
            }
            continue;
        }
        if (read_type(cfg, ms, sec, s, err, errlen) < 0) return -1;
        n++;
    }
    return n;
}

int wp_siting_add_sinks(wp_model *m, const wp_siting *s, int layer) {
    for (int c = 0; c < s->n_cands; c++) {
        const wp_candidate *cd = &s->cands[c];
        const wp_park_type *t = &s->types[cd->type];
        wp_sink *k = wp_model_add_sink(m, cd->id, cd->name);
        if (!k) return -1;
        k->kind = WP_SINK_PARK;
        k->layer = layer;
        k->fid = c;
        k->lon = cd->lon;
        k->lat = cd->lat;
        k->accepts = t->accepts;
        k->cap_total_t = t->cap_t[t->n_options - 1];
    }
    return 0;
}

/* ------------------------------------------------------------ allocation with sink costs */

/* Recompute r's cost totals for model m (the real distances and penalties)
** from its flows; shift[j] (yuan/t) is what the priced copy added to every
** tonne of material j, taken back out of the marginal costs. */
static void retotal(const wp_model *m, wp_result *r, const double *shift) {
    for (int j = 0; j < WP_MAX_MATERIALS; j++) {
        wp_material_total *t = &r->mat[j];
        t->haul_cost = t->handling_cost = t->penalty_cost = t->t_km = t->co2_t = 0;
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        double t = r->arc_t[a];
        if (t == 0) continue;
        const wp_arc *arc = &m->arcs[a];
        int j = m->sources[arc->src].material;
        const wp_material *mt = &m->materials.m[j];
        double tkm = t * arc->dist_km;
        r->mat[j].haul_cost += tkm * mt->road_rate;
        r->mat[j].handling_cost += t * mt->handling;
        r->mat[j].t_km += tkm;
        r->mat[j].co2_t += tkm * mt->co2_kg_per_tkm / 1000.0;
    }
    for (int i = 0; i < m->n_sources; i++) {
        int j = m->sources[i].material;
        r->mat[j].penalty_cost += r->src_unalloc[i] * m->materials.m[j].unallocated_cost;
        r->src_marginal[i] -= shift[j];
    }
    r->haul_cost = r->handling_cost = r->penalty_cost = r->t_km = r->co2_t = 0;
    for (int j = 0; j < m->materials.count; j++) {
        r->haul_cost += r->mat[j].haul_cost;
        r->handling_cost += r->mat[j].handling_cost;
        r->penalty_cost += r->mat[j].penalty_cost;
        r->t_km += r->mat[j].t_km;
        r->co2_t += r->mat[j].co2_t;
    }
    r->total_cost = r->haul_cost + r->handling_cost + r->penalty_cost;
}

/* A sink's per-tonne cost g becomes part of the haul: arc km + g / rate.
** Where that would be negative (revenue), every arc of the material and its
** penalty are raised by the same amount, which leaves the optimum
** unchanged (every tonne pays it once, hauled or left) and keeps the model
** valid for wp_allocate. A material with road_rate 0 cannot carry a sink
** cost that way: an error. */
int wp_site_allocate(const wp_model *m, const double *sink_cost_t,
                     wp_result *r, double *sink_cost, char *err, int errlen) {
    int any = 0;
    if (sink_cost) *sink_cost = 0;
    for (int k = 0; sink_cost_t && k < m->n_sinks && !any; k++) any = sink_cost_t[k] != 0;
    if (!any) return wp_allocate(m, r, err, errlen);
    double lift[WP_MAX_MATERIALS] = {0}, shift[WP_MAX_MATERIALS] = {0};
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        double g = sink_cost_t[arc->sink];
        if (g == 0) continue;
        int j = m->sources[arc->src].material;
        double rate = m->materials.m[j].road_rate;
        if (!(rate > 0)) {
            wp_set_err(err, errlen, "material %s has road_rate 0, so a park's cost per tonne "
                    "cannot be priced into its hauls; set a road_rate above 0",
                    m->materials.m[j].id);
            return -1;
        }
        double km = arc->dist_km + g / rate;
        if (-km > lift[j]) lift[j] = -km;
    }
    wp_model tmp = *m;
    tmp.arcs = malloc((m->n_arcs ? m->n_arcs : 1) * sizeof *tmp.arcs);
    if (!tmp.arcs) {
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    for (int j = 0; j < m->materials.count; j++) {
        shift[j] = lift[j] * m->materials.m[j].road_rate;
        tmp.materials.m[j].unallocated_cost += shift[j];
        /* the haul limit bounds the largest arc cost the scaling expects */
        tmp.materials.m[j].max_haul_km += lift[j];
    }
    double gate = 0;
    for (size_t a = 0; a < m->n_arcs; a++) {
        tmp.arcs[a] = m->arcs[a];
        int j = m->sources[m->arcs[a].src].material;
        double g = sink_cost_t[m->arcs[a].sink];
        tmp.arcs[a].dist_km += lift[j] + (g != 0 ? g / m->materials.m[j].road_rate : 0);
        if (tmp.arcs[a].dist_km < 0) tmp.arcs[a].dist_km = 0;   /* rounding only */
    }
    int rc = wp_allocate(&tmp, r, err, errlen);
    free(tmp.arcs);
    if (rc < 0) return -1;
    retotal(m, r, shift);
    for (size_t a = 0; a < m->n_arcs; a++)
        if (r->arc_t[a] != 0) gate += r->arc_t[a] * sink_cost_t[m->arcs[a].sink];
    if (sink_cost) *sink_cost = gate;
    return 0;
}

/* ------------------------------------------------------------ the instance */

typedef struct {
    const wp_model *m;
    int nb;                   /* existing sinks; candidate c is sink nb + c */
    const wp_siting *s;
    const wp_site_params *p;
    int S, C;
    size_t A;
    double *cost;             /* per arc, yuan/t, with the park's cost per tonne */
    size_t *cin_first;        /* C+1 offsets into cin */
    size_t *cin;              /* arcs into each candidate, ascending */
    double *sink_cost;        /* per sink of m: park cost per tonne, 0 elsewhere */
    double basis[WP_MAX_MATERIALS];   /* supply counted by targets */
    double supply_total;
} instance;

static void instance_free(instance *in) {
    free(in->cost);
    free(in->cin_first);
    free(in->cin);
    free(in->sink_cost);
}

static int counts_for_target(const instance *in, int i) {
    return !in->p->target_new_only || in->m->sources[i].kind == WP_SRC_PLANT;
}

static int instance_make(instance *in, const wp_model *m, int nb, const wp_siting *s,
                         const wp_site_params *p, char *err, int errlen) {
    memset(in, 0, sizeof *in);
    in->m = m;
    in->nb = nb;
    in->s = s;
    in->p = p;
    in->S = m->n_sources;
    in->C = s->n_cands;
    in->A = m->n_arcs;
    if (m->n_sinks != nb + s->n_cands) {
        wp_set_err(err, errlen, "internal error: the model has %d sinks, expected %d existing "
                "+ %d candidates", m->n_sinks, nb, s->n_cands);
        return -1;
    }
    in->cost = malloc((in->A ? in->A : 1) * sizeof *in->cost);
    in->cin_first = calloc((size_t)in->C + 1, sizeof *in->cin_first);
    in->cin = malloc((in->A ? in->A : 1) * sizeof *in->cin);
    in->sink_cost = calloc((size_t)(m->n_sinks ? m->n_sinks : 1), sizeof *in->sink_cost);
    if (!in->cost || !in->cin_first || !in->cin || !in->sink_cost) {
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    for (int c = 0; c < in->C; c++) in->sink_cost[nb + c] = s->types[s->cands[c].type].cost_per_t;
    for (size_t a = 0; a < in->A; a++) {
        const wp_arc *arc = &m->arcs[a];
        in->cost[a] = wp_arc_cost_per_t(m, arc) + in->sink_cost[arc->sink];
        if (arc->sink >= nb) in->cin_first[arc->sink - nb + 1]++;
    }
    for (int c = 0; c < in->C; c++) in->cin_first[c + 1] += in->cin_first[c];
    size_t *fill = calloc((size_t)in->C + 1, sizeof *fill);
    if (!fill) {
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    for (size_t a = 0; a < in->A; a++) {
        int k = m->arcs[a].sink;
        if (k < nb) continue;
        int c = k - nb;
        in->cin[in->cin_first[c] + fill[c]++] = a;
    }
    free(fill);
    for (int i = 0; i < in->S; i++) {
        in->supply_total += m->sources[i].supply_t;
        if (counts_for_target(in, i)) in->basis[m->sources[i].material] += m->sources[i].supply_t;
    }
    return 0;
}

/* ------------------------------------------------------------ the MIP */

/* Beyond this many hauls to candidates (one linking row each) CBC's root
** LP alone runs for minutes, past any sensible time limit: the exact route
** refuses, and the heuristic's bound falls back to the aggregated LP. */
#define STRONG_ROWS_MAX 150000

enum { OBJ_COST, OBJ_COUNT, OBJ_TONNES };

typedef struct {
    int obj;
    int count_eq, count_le;   /* -1: none */
    int targets;              /* add the target rows */
    double budget;            /* < 0: none */
    double min_tonnes;        /* < 0: none */
    int integer;              /* 0: the LP relaxation */
    int strong;
    double seconds;
    const int *start;         /* MIP start: option per candidate, may be NULL */
} mip_spec;

typedef struct {
    int ok;                   /* a solution is available */
    int proven, infeasible;
    double obj, bound;        /* in the objective's units (yuan, parks, t) */
    int *option;              /* per candidate */
    double delivered_t;
    long long nodes;
} mip_out;

/* Growable CSC matrix and row bounds. */
typedef struct {
    int n_rows, cap_rows;
    double *rlo, *rhi;
    int n_cols, cap_cols;
    double *clo, *chi, *obj;
    size_t *start;            /* n_cols + 1 (CoinBigIndex is int in CBC 2.10) */
    size_t nnz, cap_nnz;
    int *idx;
    double *val;
    int oom;
} csc;

static int csc_row(csc *q, double lo, double hi) {
    if (q->oom) return -1;
    if (q->n_rows == q->cap_rows) {
        int cap = q->cap_rows ? q->cap_rows * 2 : 1024;
        double *a = realloc(q->rlo, (size_t)cap * sizeof *a);
        if (a) q->rlo = a;
        double *b = realloc(q->rhi, (size_t)cap * sizeof *b);
        if (b) q->rhi = b;
        if (!a || !b) {
            q->oom = 1;
            return -1;
        }
        q->cap_rows = cap;
    }
    q->rlo[q->n_rows] = lo;
    q->rhi[q->n_rows] = hi;
    return q->n_rows++;
}

static void csc_col(csc *q, double lo, double hi, double obj) {
    if (q->oom) return;
    if (q->n_cols + 1 >= q->cap_cols) {
        int cap = q->cap_cols ? q->cap_cols * 2 : 1024;
        double *a = realloc(q->clo, (size_t)cap * sizeof *a);
        if (a) q->clo = a;
        double *b = realloc(q->chi, (size_t)cap * sizeof *b);
        if (b) q->chi = b;
        double *c = realloc(q->obj, (size_t)cap * sizeof *c);
        if (c) q->obj = c;
        size_t *d = realloc(q->start, (size_t)(cap + 1) * sizeof *d);
        if (d) q->start = d;
        if (!a || !b || !c || !d) {
            q->oom = 1;
            return;
        }
        q->cap_cols = cap;
    }
    q->start[q->n_cols] = q->nnz;
    q->clo[q->n_cols] = lo;
    q->chi[q->n_cols] = hi;
    q->obj[q->n_cols] = obj;
    q->n_cols++;
    q->start[q->n_cols] = q->nnz;
}

/* Add entry (row, v) to the last column. */
static void csc_put(csc *q, int row, double v) {
    if (q->oom || row < 0) return;
    if (q->nnz == q->cap_nnz) {
        size_t cap = q->cap_nnz ? q->cap_nnz * 2 : 4096;
        int *a = realloc(q->idx, cap * sizeof *a);
        if (a) q->idx = a;
        double *b = realloc(q->val, cap * sizeof *b);
        if (b) q->val = b;
        if (!a || !b) {
            q->oom = 1;
            return;
        }
        q->cap_nnz = cap;
    }
    q->idx[q->nnz] = row;
    q->val[q->nnz] = v;
    q->nnz++;
    q->start[q->n_cols] = q->nnz;
}

static void csc_free(csc *q) {
    free(q->rlo);
    free(q->rhi);
    free(q->clo);
    free(q->chi);
    free(q->obj);
    free(q->start);
    free(q->idx);
    free(q->val);
}

static int sink_binding(double v, double total) {
    return v != HUGE_VAL && v < total;
}

/* Build and solve one MIP (or its LP relaxation). Column order: x (arcs),
** u (sources), y (candidate x option, by candidate then option); the y of
** candidate c start at ycol[c]. */
static int mip_solve(const instance *in, const mip_spec *sp, mip_out *out,
                     char *err, int errlen) {
    const wp_model *m = in->m;
    const wp_siting *s = in->s;
    const int S = in->S, C = in->C, nb = in->nb, M = WP_MAX_MATERIALS;
    const double inf = DBL_MAX;
    memset(out, 0, sizeof *out);
    csc q;
    memset(&q, 0, sizeof q);
    int rc = -1;
    int *tot_row = malloc((size_t)(nb ? nb : 1) * sizeof *tot_row);
    int *mat_row = malloc((size_t)(nb ? nb : 1) * (size_t)M * sizeof *mat_row);
    int *cap_row = malloc((size_t)(C ? C : 1) * sizeof *cap_row);
    int *one_row = malloc((size_t)(C ? C : 1) * sizeof *one_row);
    int *arc_row = malloc((in->A ? in->A : 1) * sizeof *arc_row);
    int *grp_row = malloc((size_t)(s->n_groups ? s->n_groups : 1) * sizeof *grp_row);
    int *ycol = malloc((size_t)(C ? C : 1) * sizeof *ycol);
    int *ints = NULL;
    Cbc_Model *cbc = NULL;
    out->option = malloc((size_t)(C ? C : 1) * sizeof *out->option);
    if (!tot_row || !mat_row || !cap_row || !one_row || !arc_row || !grp_row || !ycol ||
        !out->option)
        goto oom;

    for (int i = 0; i < S; i++) {
        double sup = m->sources[i].supply_t / 1000.0;
        csc_row(&q, sup, sup);
    }
    for (int k = 0; k < nb; k++) {
        const wp_sink *sk = &m->sinks[k];
        tot_row[k] = sk->cap_total_t != HUGE_VAL ? csc_row(&q, -inf, sk->cap_total_t / 1000.0) : -1;
        for (int j = 0; j < M; j++)
            mat_row[(size_t)k * M + j] =
                j < m->materials.count && (sk->accepts >> j & 1u) &&
                        sink_binding(sk->cap_t[j], sk->cap_total_t)
                    ? csc_row(&q, -inf, sk->cap_t[j] / 1000.0) : -1;
    }
    for (int c = 0; c < C; c++) {
        cap_row[c] = csc_row(&q, -inf, 0);
        one_row[c] = csc_row(&q, s->cands[c].required ? 1 : -inf, 1);
    }
    for (size_t a = 0; a < in->A; a++) arc_row[a] = -1;
    if (sp->strong)
        for (int c = 0; c < C; c++)
            for (size_t t = in->cin_first[c]; t < in->cin_first[c + 1]; t++)
                arc_row[in->cin[t]] = csc_row(&q, -inf, 0);
    for (int g = 0; g < s->n_groups; g++)
        grp_row[g] = s->max_per_group > 0 ? csc_row(&q, -inf, s->max_per_group) : -1;
    int count_row = -1;
    if (sp->count_eq >= 0) count_row = csc_row(&q, sp->count_eq, sp->count_eq);
    else if (sp->count_le >= 0) count_row = csc_row(&q, -inf, sp->count_le);
    int tgt_row[WP_MAX_MATERIALS];
    for (int j = 0; j < M; j++)
        tgt_row[j] = sp->targets && in->p->target[j] >= 0 && in->basis[j] > 0
                         ? csc_row(&q, in->p->target[j] * in->basis[j] / 1000.0, inf) : -1;
    int budget_row = sp->budget >= 0 ? csc_row(&q, -inf, sp->budget / 1000.0) : -1;
    int tonnes_row = sp->min_tonnes >= 0 ? csc_row(&q, sp->min_tonnes / 1000.0, inf) : -1;

    for (size_t a = 0; a < in->A; a++) {
        const wp_arc *arc = &m->arcs[a];
        int i = arc->src, k = arc->sink, j = m->sources[i].material;
        double hi = m->sources[i].supply_t / 1000.0;
        if (k >= nb) {
            const wp_park_type *t = &s->types[s->cands[k - nb].type];
            hi = fmin(hi, t->cap_t[t->n_options - 1] / 1000.0);
        }
        double obj = sp->obj == OBJ_COST ? in->cost[a] : sp->obj == OBJ_TONNES ? -1.0 : 0.0;
        csc_col(&q, 0, hi, obj);
        csc_put(&q, i, 1);
        if (k < nb) {
            csc_put(&q, tot_row[k], 1);
            csc_put(&q, mat_row[(size_t)k * M + j], 1);
        } else {
            csc_put(&q, cap_row[k - nb], 1);
            csc_put(&q, arc_row[a], 1);
        }
        if (counts_for_target(in, i)) csc_put(&q, tgt_row[j], 1);
        csc_put(&q, tonnes_row, 1);
    }
    for (int i = 0; i < S; i++) {
        double pen = m->materials.m[m->sources[i].material].unallocated_cost;
        csc_col(&q, 0, inf, sp->obj == OBJ_COST ? pen : 0.0);
        csc_put(&q, i, 1);
    }
    int first_y = q.n_cols;
    for (int c = 0; c < C; c++) {
        const wp_candidate *cd = &s->cands[c];
        const wp_park_type *t = &s->types[cd->type];
        ycol[c] = q.n_cols;
        for (int o = 0; o < t->n_options; o++) {
            double F = t->fixed_cost[o] / 1000.0, Q = t->cap_t[o] / 1000.0;
            double obj = sp->obj == OBJ_COST ? F : sp->obj == OBJ_COUNT ? 1.0 : 0.0;
            csc_col(&q, 0, 1, obj);
            csc_put(&q, cap_row[c], -Q);
            csc_put(&q, one_row[c], 1);
            if (sp->strong)
                for (size_t e = in->cin_first[c]; e < in->cin_first[c + 1]; e++) {
                    size_t a = in->cin[e];
                    double sup = m->sources[m->arcs[a].src].supply_t / 1000.0;
                    csc_put(&q, arc_row[a], -fmin(sup, Q));
                }
            if (cd->group >= 0) csc_put(&q, grp_row[cd->group], 1);
            csc_put(&q, count_row, 1);
            csc_put(&q, budget_row, F);
        }
    }
    int n_y = q.n_cols - first_y;
    if (q.oom) goto oom;
    if (q.nnz > (size_t)2147483647) {
        wp_set_err(err, errlen, "the siting MIP has %zu nonzeros, more than CBC takes; use "
                "--heuristic", q.nnz);
        goto done;
    }

    int *starts = malloc(((size_t)q.n_cols + 1) * sizeof *starts);
    if (!starts) goto oom;
    for (int c = 0; c <= q.n_cols; c++) starts[c] = (int)q.start[c];
    cbc = Cbc_newModel();
    if (!cbc) {
        free(starts);
        goto oom;
    }
    Cbc_loadProblem(cbc, q.n_cols, q.n_rows, starts, q.idx, q.val, q.clo, q.chi, q.obj,
                    q.rlo, q.rhi);
    free(starts);
    Cbc_setObjSense(cbc, 1);
    if (sp->integer)
        for (int c = first_y; c < q.n_cols; c++) Cbc_setInteger(cbc, c);
    Cbc_setLogLevel(cbc, in->p->verbose ? 1 : 0);
    Cbc_setMaximumSeconds(cbc, sp->seconds > 0.01 ? sp->seconds : 0.01);
    Cbc_setAllowableFractionGap(cbc, 1e-7);
    if (sp->integer && sp->start) {
        ints = malloc((size_t)(n_y ? n_y : 1) * sizeof *ints);
        double *vals = malloc((size_t)(n_y ? n_y : 1) * sizeof *vals);
        if (!ints || !vals) {
            free(vals);
            goto oom;
        }
        int n = 0;
        for (int c = 0; c < C; c++)
            for (int o = 0; o < s->types[s->cands[c].type].n_options; o++) {
                ints[n] = ycol[c] + o;
                vals[n++] = sp->start[c] == o ? 1.0 : 0.0;
            }
        Cbc_setMIPStartI(cbc, n, ints, vals);
        free(vals);
    }
    Cbc_solve(cbc);

    out->nodes = Cbc_getNodeCount(cbc);
    out->infeasible = Cbc_isProvenInfeasible(cbc);
    const double *x = sp->integer ? Cbc_bestSolution(cbc) : NULL;
    if (!sp->integer && Cbc_isProvenOptimal(cbc)) x = Cbc_getColSolution(cbc);
    double sign = sp->obj == OBJ_TONNES ? -1000.0 : sp->obj == OBJ_COST ? 1000.0 : 1.0;
    if (x && !out->infeasible) {
        out->ok = 1;
        out->proven = Cbc_isProvenOptimal(cbc);
        out->obj = Cbc_getObjValue(cbc) * sign;
        double b = sp->integer ? Cbc_getBestPossibleObjValue(cbc) : Cbc_getObjValue(cbc);
        out->bound = b * sign;
        if (out->proven) out->bound = out->obj;
        for (int c = 0; c < C; c++) {
            out->option[c] = -1;
            int no = s->types[s->cands[c].type].n_options;
            for (int o = 0; o < no; o++)
                if (x[ycol[c] + o] > 0.5) out->option[c] = o;
        }
        for (size_t a = 0; a < in->A; a++) out->delivered_t += x[a] * 1000.0;
    } else if (!out->infeasible) {
        double b = Cbc_getBestPossibleObjValue(cbc);
        out->bound = fabs(b) < 1e50 ? b * sign : NAN;
    }
    rc = 0;
    goto done;
oom:
    wp_set_err(err, errlen, "out of memory building the siting MIP");
done:
    if (cbc) Cbc_deleteModel(cbc);
    if (rc < 0) {
        free(out->option);
        out->option = NULL;
    }
    free(ints);
    free(tot_row);
    free(mat_row);
    free(cap_row);
    free(one_row);
    free(arc_row);
    free(grp_row);
    free(ycol);
    csc_free(&q);
    return rc;
}

/* ------------------------------------------------------------ evaluating a choice */

typedef struct {
    double cost;              /* allocation + park per-t costs + fixed, yuan */
    double fixed;
    double tonnes;            /* delivered, all materials */
    double shortfall;         /* t below the targets (0: met) */
    int count;
} evaluation;

typedef struct {
    const instance *in;
    wp_model tmp;             /* mx with its own sinks array (capacities vary) */
    int *opt;                 /* the incumbent */
    evaluation cur;
    wp_result r;              /* the incumbent's allocation */
    int have_r;
    int evals;
    double deadline;
    char *err;
    int errlen;
} search;

/* Allocation for choice opt; when keep is set, its result replaces the
** incumbent's. */
static int evaluate(search *h, const int *opt, evaluation *e, int keep) {
    const instance *in = h->in;
    const wp_siting *s = in->s;
    memset(e, 0, sizeof *e);
    for (int c = 0; c < in->C; c++) {
        const wp_park_type *t = &s->types[s->cands[c].type];
        wp_sink *k = &h->tmp.sinks[in->nb + c];
        k->cap_total_t = opt[c] >= 0 ? t->cap_t[opt[c]] : 0.0;
        if (opt[c] >= 0) {
            e->fixed += t->fixed_cost[opt[c]];
            e->count++;
        }
    }
    wp_result r;
    double gate = 0;
    if (wp_site_allocate(&h->tmp, in->sink_cost, &r, &gate, h->err, h->errlen) < 0) return -1;
    h->evals++;
    e->cost = r.total_cost + gate + e->fixed;
    double got[WP_MAX_MATERIALS] = {0};
    for (int i = 0; i < in->S; i++) {
        e->tonnes += r.src_delivered[i];
        if (counts_for_target(in, i)) got[in->m->sources[i].material] += r.src_delivered[i];
    }
    for (int j = 0; j < WP_MAX_MATERIALS; j++)
        if (in->p->target[j] >= 0 && in->basis[j] > 0) {
            double need = in->p->target[j] * in->basis[j] - got[j];
            if (need > 1e-6 * in->basis[j]) e->shortfall += need;
        }
    if (keep) {
        if (h->have_r) wp_result_free(&h->r);
        h->r = r;
        h->have_r = 1;
    } else {
        wp_result_free(&r);
    }
    return 0;
}

/* Does e satisfy the problem's hard limits (apart from k, reached later)? */
static int admissible(const search *h, const evaluation *e) {
    const wp_site_params *p = h->in->p;
    if (p->problem == WP_SITE_CFLP && p->max_parks > 0 && e->count > p->max_parks) return 0;
    if (p->problem == WP_SITE_K && e->count > p->k) return 0;
    if (p->problem == WP_SITE_BUDGET && e->fixed > p->budget * (1 + 1e-12)) return 0;
    return 1;
}

/* Is a strictly better than b for the problem? Costs compare with a
** relative tolerance so that rounding never cycles the search. */
static int better(const search *h, const evaluation *a, const evaluation *b) {
    double tol = 1e-9 * (fabs(b->cost) + 1);
    switch (h->in->p->problem) {
    case WP_SITE_TARGET:
        if ((a->shortfall == 0) != (b->shortfall == 0)) return a->shortfall == 0;
        if (a->shortfall > 0) {
            if (a->shortfall < b->shortfall - 1e-6) return 1;
            if (a->shortfall > b->shortfall + 1e-6) return 0;
        }
        if (a->count != b->count) return a->count < b->count;
        return a->cost < b->cost - tol;
    case WP_SITE_BUDGET: {
        double ttol = 1e-9 * (b->tonnes + 1);
        if (a->tonnes > b->tonnes + ttol) return 1;
        if (a->tonnes < b->tonnes - ttol) return 0;
        return a->cost < b->cost - tol;
    }
    default:
        return a->cost < b->cost - tol;
    }
}

/* Would building c with option o break a county limit? */
static int group_full(const search *h, const int *opt, int c) {
    const wp_siting *s = h->in->s;
    int g = s->cands[c].group;
    if (g < 0 || s->max_per_group <= 0) return 0;
    int n = 0;
    for (int d = 0; d < h->in->C; d++)
        if (d != c && opt[d] >= 0 && s->cands[d].group == g) n++;
    return n >= s->max_per_group;
}

typedef struct {
    int c, o;
    double score;
} move;

static int cmp_move(const void *a, const void *b) {
    const move *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->c != y->c) return x->c < y->c ? -1 : 1;   /* ties by candidate id order */
    return x->o - y->o;
}

typedef struct {
    double gain, t;
} fill_item;

static int cmp_fill(const void *a, const void *b) {
    const fill_item *x = a, *y = b;
    return (x->gain < y->gain) - (x->gain > y->gain);
}

/* Rank closed (candidate, option) pairs by an estimate of what opening
** them would bring under the incumbent's allocation: a source would move
** tonnes to the park when its marginal cost (from the flow potentials)
** exceeds the haul there, saving the difference; the tonnes fill the
** option's capacity best first. Cost problems rank by saving - fixed cost,
** target and budget problems by new tonnes (per yuan of fixed cost for
** budget). Writes at most max moves; returns how many. */
static int screen(search *h, move *out, int max, fill_item *buf) {
    const instance *in = h->in;
    const wp_siting *s = in->s;
    const wp_model *m = in->m;
    const wp_result *r = &h->r;
    int n = 0, cap = in->C * WP_PARK_MAX_OPTIONS;
    move *all = malloc((size_t)(cap ? cap : 1) * sizeof *all);
    if (!all) return -1;
    for (int c = 0; c < in->C; c++) {
        if (h->opt[c] >= 0 || group_full(h, h->opt, c)) continue;
        const wp_park_type *t = &s->types[s->cands[c].type];
        int nf = 0;
        for (size_t e = in->cin_first[c]; e < in->cin_first[c + 1]; e++) {
            size_t a = in->cin[e];
            int i = m->arcs[a].src;
            if (in->p->problem == WP_SITE_TARGET || in->p->problem == WP_SITE_BUDGET) {
                int j = m->sources[i].material;
                double pen = m->materials.m[j].unallocated_cost;
                int counts = in->p->problem == WP_SITE_BUDGET ||
                             (in->p->target[j] >= 0 && counts_for_target(in, i));
                if (counts && r->src_unalloc[i] > 0 && in->cost[a] < pen)
                    buf[nf++] = (fill_item){pen - in->cost[a], r->src_unalloc[i]};
            } else {
                double g = r->src_marginal[i] - in->cost[a];
                if (g > 0) buf[nf++] = (fill_item){g, m->sources[i].supply_t};
            }
        }
        qsort(buf, (size_t)nf, sizeof *buf, cmp_fill);
        for (int o = 0; o < t->n_options; o++) {
            double room = t->cap_t[o], saving = 0, tonnes = 0;
            for (int f = 0; f < nf && room > 0; f++) {
                double take = fmin(room, buf[f].t);
                saving += take * buf[f].gain;
                tonnes += take;
                room -= take;
            }
            double score;
            if (in->p->problem == WP_SITE_TARGET) score = tonnes - 1e-12 * t->fixed_cost[o];
            else if (in->p->problem == WP_SITE_BUDGET)
                score = tonnes / (t->fixed_cost[o] + 1.0);
            else score = saving - t->fixed_cost[o];
            all[n++] = (move){c, o, score};
        }
    }
    qsort(all, (size_t)n, sizeof *all, cmp_move);
    if (n > max) n = max;
    memcpy(out, all, (size_t)n * sizeof *out);
    free(all);
    return n;
}

#define SCREENED 10

/* Greedy add, then best-improvement local search over drop, resize and
** swap moves, until nothing improves or the deadline passes. */
static int heuristic(search *h) {
    const instance *in = h->in;
    const wp_siting *s = in->s;
    const wp_site_params *p = in->p;
    int C = in->C, rc = -1;
    int *trial = malloc((size_t)(C ? C : 1) * sizeof *trial);
    int *best = malloc((size_t)(C ? C : 1) * sizeof *best);
    size_t maxin = 1;
    for (int c = 0; c < C; c++)
        if (in->cin_first[c + 1] - in->cin_first[c] > maxin)
            maxin = in->cin_first[c + 1] - in->cin_first[c];
    fill_item *buf = malloc(maxin * sizeof *buf);
    move mv[SCREENED];
    if (!trial || !best || !buf) {
        wp_set_err(h->err, h->errlen, "out of memory");
        goto done;
    }
    for (int c = 0; c < C; c++) {
        const wp_park_type *t = &s->types[s->cands[c].type];
        h->opt[c] = s->cands[c].required ? t->n_options - 1 : -1;
    }
    if (evaluate(h, h->opt, &h->cur, 1) < 0) goto done;

    /* greedy add */
    for (;;) {
        if (wp_clock_seconds() > h->deadline) break;
        if (p->problem == WP_SITE_K && h->cur.count >= p->k) break;
        if (p->problem == WP_SITE_TARGET && h->cur.shortfall == 0) break;
        int nm = screen(h, mv, SCREENED, buf);
        if (nm < 0) {
            wp_set_err(h->err, h->errlen, "out of memory");
            goto done;
        }
        evaluation be;
        int found = 0;
        for (int t = 0; t < nm; t++) {
            memcpy(trial, h->opt, (size_t)C * sizeof *trial);
            trial[mv[t].c] = mv[t].o;
            evaluation e;
            if (evaluate(h, trial, &e, 0) < 0) goto done;
            if (!admissible(h, &e)) continue;
            if (!found || better(h, &e, &be)) {
                be = e;
                memcpy(best, trial, (size_t)C * sizeof *best);
                found = 1;
            }
        }
        /* k must reach k parks even when a park does not pay */
        if (!found || (p->problem != WP_SITE_K && !better(h, &be, &h->cur))) break;
        memcpy(h->opt, best, (size_t)C * sizeof *best);
        if (evaluate(h, h->opt, &h->cur, 1) < 0) goto done;
    }

    /* local search */
    int improved = 1;
    while (improved && wp_clock_seconds() <= h->deadline) {
        improved = 0;
        int nm = screen(h, mv, SCREENED, buf);
        if (nm < 0) {
            wp_set_err(h->err, h->errlen, "out of memory");
            goto done;
        }
        evaluation be = h->cur;
        for (int c = 0; c < C && wp_clock_seconds() <= h->deadline; c++) {
            if (h->opt[c] < 0) continue;
            const wp_park_type *t = &s->types[s->cands[c].type];
            /* drop (not for k, not a required site), resize, swap */
            for (int o = -1; o < t->n_options; o++) {
                if (o == h->opt[c] || (o < 0 && (p->problem == WP_SITE_K || s->cands[c].required)))
                    continue;
                memcpy(trial, h->opt, (size_t)C * sizeof *trial);
                trial[c] = o;
                evaluation e;
                if (evaluate(h, trial, &e, 0) < 0) goto done;
                if (admissible(h, &e) && better(h, &e, &be)) {
                    be = e;
                    memcpy(best, trial, (size_t)C * sizeof *best);
                    improved = 1;
                }
            }
            if (s->cands[c].required) continue;
            for (int q = 0; q < nm; q++) {
                memcpy(trial, h->opt, (size_t)C * sizeof *trial);
                trial[c] = -1;
                if (group_full(h, trial, mv[q].c)) continue;
                trial[mv[q].c] = mv[q].o;
                evaluation e;
                if (evaluate(h, trial, &e, 0) < 0) goto done;
                if (admissible(h, &e) && better(h, &e, &be)) {
                    be = e;
                    memcpy(best, trial, (size_t)C * sizeof *best);
                    improved = 1;
                }
            }
        }
        /* cflp and budget may also gain from one more park */
        if (p->problem == WP_SITE_CFLP || p->problem == WP_SITE_BUDGET)
            for (int q = 0; q < nm && wp_clock_seconds() <= h->deadline; q++) {
                memcpy(trial, h->opt, (size_t)C * sizeof *trial);
                trial[mv[q].c] = mv[q].o;
                evaluation e;
                if (evaluate(h, trial, &e, 0) < 0) goto done;
                if (admissible(h, &e) && better(h, &e, &be)) {
                    be = e;
                    memcpy(best, trial, (size_t)C * sizeof *best);
                    improved = 1;
                }
            }
        if (improved) {
            memcpy(h->opt, best, (size_t)C * sizeof *best);
            if (evaluate(h, h->opt, &h->cur, 1) < 0) goto done;
        }
    }
    rc = 0;
done:
    free(trial);
    free(best);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------ solve */

void wp_site_params_init(wp_site_params *p) {
    memset(p, 0, sizeof *p);
    p->problem = WP_SITE_CFLP;
    p->time_limit = 60;
    p->target_new_only = 1;
    for (int j = 0; j < WP_MAX_MATERIALS; j++) p->target[j] = -1;
}

void wp_site_result_free(wp_site_result *res) {
    free(res->option);
    memset(res, 0, sizeof *res);
}

static double rel_gap(double obj, double bound) {
    if (isnan(obj) || isnan(bound)) return NAN;
    double g = fabs(obj - bound) / fmax(fabs(obj), 1e-9);
    return g < 1e-9 ? 0 : g;
}

static int check_input(const wp_model *mx, int n_base, const wp_siting *s,
                       const wp_site_params *p, char *err, int errlen) {
    if (n_base < 0 || n_base + s->n_cands != mx->n_sinks) {
        wp_set_err(err, errlen, "internal error: candidates are not the model's last sinks");
        return -1;
    }
    for (int c = 0; c < s->n_cands; c++)
        if (s->cands[c].type < 0 || s->cands[c].type >= s->n_types) {
            wp_set_err(err, errlen, "candidate %s has no park type", s->cands[c].id);
            return -1;
        }
    if (p->problem == WP_SITE_K && (p->k < 0 || p->k > s->n_cands)) {
        wp_set_err(err, errlen, "k = %d parks asked for, but there are %d candidates", p->k,
                s->n_cands);
        return -1;
    }
    if (p->problem == WP_SITE_BUDGET && !(p->budget >= 0)) {
        wp_set_err(err, errlen, "the budget problem needs [siting] budget (yuan per year)");
        return -1;
    }
    if (p->problem == WP_SITE_TARGET) {
        int any = 0;
        for (int j = 0; j < WP_MAX_MATERIALS; j++) any |= p->target[j] >= 0;
        if (!any) {
            wp_set_err(err, errlen, "the target problem needs at least one [siting] "
                    "target.<material> (a share such as 0.25)");
            return -1;
        }
    }
    if (!(p->time_limit > 0)) {
        wp_set_err(err, errlen, "the time limit must be positive");
        return -1;
    }
    return 0;
}

/* The exact route: one or two MIPs. */
static int solve_mip(const instance *in, wp_site_result *res, double deadline,
                     char *err, int errlen) {
    const wp_site_params *p = in->p;
    size_t links = in->cin_first[in->C];
    if (!p->naive && links > STRONG_ROWS_MAX) {
        wp_set_err(err, errlen, "the exact siting model has %zu hauls to candidates (more than "
                "%d): CBC cannot solve it within a time limit; use --heuristic (it reports "
                "its own bound), or fewer candidates (a coarser grid)", links, STRONG_ROWS_MAX);
        return -1;
    }
    mip_spec sp = {OBJ_COST, -1, -1, 0, -1, -1, 1, !p->naive, 0, NULL};
    mip_out o1, o2;
    memset(&o1, 0, sizeof o1);
    memset(&o2, 0, sizeof o2);
    int o1_proven = 0;
    if (p->problem == WP_SITE_CFLP && p->max_parks > 0) sp.count_le = p->max_parks;
    if (p->problem == WP_SITE_K) sp.count_eq = p->k;
    res->phase1 = res->phase1_bound = NAN;
    if (p->problem == WP_SITE_TARGET || p->problem == WP_SITE_BUDGET) {
        mip_spec s1 = sp;
        s1.obj = p->problem == WP_SITE_TARGET ? OBJ_COUNT : OBJ_TONNES;
        s1.targets = p->problem == WP_SITE_TARGET;
        s1.budget = p->problem == WP_SITE_BUDGET ? p->budget : -1;
        s1.seconds = (deadline - wp_clock_seconds()) * 0.5;
        if (mip_solve(in, &s1, &o1, err, errlen) < 0) return -1;
        res->nodes += o1.nodes;
        if (o1.infeasible || !o1.ok) {
            res->status = o1.infeasible ? WP_SITE_INFEASIBLE : WP_SITE_NO_SOLUTION;
            res->phase1_bound = o1.bound;
            free(o1.option);
            return 0;
        }
        o1_proven = o1.proven;
        res->phase1 = o1.obj;
        res->phase1_bound = p->problem == WP_SITE_TARGET ? ceil(o1.bound - 1e-6) : o1.bound;
        sp.targets = s1.targets;
        sp.budget = s1.budget;
        if (p->problem == WP_SITE_TARGET) sp.count_eq = (int)llround(o1.obj);
        else sp.min_tonnes = fmax(0, o1.obj * (1 - 1e-7) - 1e-3);
    }
    sp.seconds = deadline - wp_clock_seconds();
    int rc = mip_solve(in, &sp, &o2, err, errlen);
    free(o1.option);
    if (rc < 0) return -1;
    res->nodes += o2.nodes;
    if (o2.infeasible || !o2.ok) {
        res->status = o2.infeasible ? WP_SITE_INFEASIBLE : WP_SITE_NO_SOLUTION;
        free(o2.option);
        return 0;
    }
    memcpy(res->option, o2.option, (size_t)in->C * sizeof *res->option);
    free(o2.option);
    res->total_cost = o2.obj;
    res->delivered_t = o2.delivered_t;
    if (p->problem == WP_SITE_BUDGET) {
        res->objective = res->phase1;
        res->bound = res->phase1_bound;
    } else {
        res->objective = o2.obj;
        res->bound = o2.bound;
    }
    res->gap = rel_gap(res->objective, res->bound);
    int two_phase = p->problem == WP_SITE_TARGET || p->problem == WP_SITE_BUDGET;
    int proven = o2.proven && (!two_phase || o1_proven);
    res->status = proven && res->gap <= 1e-6 ? WP_SITE_OPTIMAL : WP_SITE_FEASIBLE;
    return 0;
}

/* The heuristic route, with the LP relaxation of the final phase as bound. */
static int solve_heuristic(const instance *in, wp_site_result *res, double deadline,
                           double t_start, char *err, int errlen) {
    const wp_site_params *p = in->p;
    search h;
    memset(&h, 0, sizeof h);
    h.in = in;
    h.tmp = *in->m;
    h.err = err;
    h.errlen = errlen;
    /* keep time for the bound: the search gets 3/4 of the limit */
    h.deadline = t_start + 0.75 * (deadline - t_start);
    h.tmp.sinks = malloc((size_t)(in->m->n_sinks ? in->m->n_sinks : 1) * sizeof *h.tmp.sinks);
    h.opt = res->option;
    int rc = -1;
    if (!h.tmp.sinks) {
        wp_set_err(err, errlen, "out of memory");
        goto done;
    }
    memcpy(h.tmp.sinks, in->m->sinks, (size_t)in->m->n_sinks * sizeof *h.tmp.sinks);
    if (heuristic(&h) < 0) goto done;
    res->total_cost = h.cur.cost;
    res->delivered_t = h.cur.tonnes;
    res->phase1 = res->phase1_bound = NAN;
    int feasible = admissible(&h, &h.cur) &&
                   (p->problem != WP_SITE_K || h.cur.count == p->k) &&
                   (p->problem != WP_SITE_TARGET || h.cur.shortfall == 0);
    mip_spec sp = {OBJ_COST, -1, -1, 0, -1, -1, 0, 1, 0, NULL};
    sp.strong = in->cin_first[in->C] <= STRONG_ROWS_MAX;
    if (p->problem == WP_SITE_CFLP && p->max_parks > 0) sp.count_le = p->max_parks;
    if (p->problem == WP_SITE_K) sp.count_eq = p->k;
    if (p->problem == WP_SITE_TARGET) {
        sp.targets = 1;
        sp.count_eq = h.cur.count;
        res->phase1 = h.cur.count;
        /* the fewest parks: the relaxation's count, rounded up */
        mip_spec s1 = sp;
        s1.obj = OBJ_COUNT;
        s1.count_eq = -1;
        s1.seconds = fmax(1.0, (deadline - wp_clock_seconds()) * 0.5);
        mip_out o1;
        if (mip_solve(in, &s1, &o1, err, errlen) < 0) goto done;
        res->phase1_bound = o1.ok ? ceil(o1.obj - 1e-6) : NAN;
        free(o1.option);
    }
    if (p->problem == WP_SITE_BUDGET) {
        sp.obj = OBJ_TONNES;
        sp.budget = p->budget;
    }
    sp.seconds = fmax(1.0, deadline - wp_clock_seconds());
    mip_out lp;
    if (mip_solve(in, &sp, &lp, err, errlen) < 0) goto done;
    free(lp.option);
    if (p->problem == WP_SITE_BUDGET) {
        res->objective = h.cur.tonnes;
        res->phase1 = h.cur.tonnes;
        res->phase1_bound = lp.ok ? lp.obj : NAN;
    } else {
        res->objective = h.cur.cost;
    }
    res->bound = lp.ok ? lp.obj : NAN;
    res->gap = rel_gap(res->objective, res->bound);
    if (!feasible) res->status = lp.infeasible ? WP_SITE_INFEASIBLE : WP_SITE_NO_SOLUTION;
    else res->status = res->gap == 0 ? WP_SITE_OPTIMAL : WP_SITE_FEASIBLE;
    res->evaluations = h.evals;
    rc = 0;
done:
    if (h.have_r) wp_result_free(&h.r);
    free(h.tmp.sinks);
    return rc;
}

int wp_site_solve(const wp_model *mx, int n_base, const wp_siting *s,
                  const wp_site_params *p, wp_site_result *res,
                  char *err, int errlen) {
    memset(res, 0, sizeof *res);
    if (check_input(mx, n_base, s, p, err, errlen) < 0) return -1;
    double t0 = wp_clock_seconds(), deadline = t0 + p->time_limit;
    instance in;
    if (instance_make(&in, mx, n_base, s, p, err, errlen) < 0) {
        instance_free(&in);
        return -1;
    }
    res->option = malloc((size_t)(s->n_cands ? s->n_cands : 1) * sizeof *res->option);
    if (!res->option) {
        instance_free(&in);
        wp_set_err(err, errlen, "out of memory");
        return -1;
    }
    for (int c = 0; c < s->n_cands; c++) res->option[c] = -1;
    res->method = p->heuristic ? "heuristic" : p->naive ? "cbc-naive" : "cbc";
    int rc = p->heuristic ? solve_heuristic(&in, res, deadline, t0, err, errlen)
                          : solve_mip(&in, res, deadline, err, errlen);
    if (rc == 0) {
        for (int c = 0; c < s->n_cands; c++)
            if (res->option[c] >= 0) {
                res->n_built++;
                res->fixed_cost += s->types[s->cands[c].type].fixed_cost[res->option[c]];
            }
        if (res->status == WP_SITE_INFEASIBLE || res->status == WP_SITE_NO_SOLUTION) {
            for (int c = 0; c < s->n_cands; c++) res->option[c] = -1;
            res->n_built = 0;
            res->fixed_cost = 0;
            res->objective = res->total_cost = res->gap = NAN;
        }
    }
    res->seconds = wp_clock_seconds() - t0;
    instance_free(&in);
    if (rc < 0) wp_site_result_free(res);
    return rc;
}

/* ------------------------------------------------------------ the chosen model */

int wp_site_keep_built(wp_model *mx, int n_base, const wp_siting *s,
                       const int *option, int *cand_of) {
    int K = mx->n_sinks;
    int *newidx = malloc((size_t)(K ? K : 1) * sizeof *newidx);
    if (!newidx) return -1;
    int n = 0;
    for (int k = 0; k < K; k++) {
        wp_sink *sk = &mx->sinks[k];
        int c = k - n_base;
        if (c >= 0 && option[c] < 0) {
            free(sk->id);
            free(sk->name);
            free(sk->wkb);
            newidx[k] = -1;
            continue;
        }
        if (c >= 0) {
            const wp_park_type *t = &s->types[s->cands[c].type];
            sk->cap_total_t = t->cap_t[option[c]];
        }
        if (cand_of) cand_of[n] = c >= 0 ? c : -1;
        newidx[k] = n;
        mx->sinks[n++] = *sk;
    }
    mx->n_sinks = n;
    size_t na = 0;
    for (size_t a = 0; a < mx->n_arcs; a++) {
        int k = newidx[mx->arcs[a].sink];
        if (k < 0) continue;
        mx->arcs[na] = mx->arcs[a];
        mx->arcs[na++].sink = k;
    }
    mx->n_arcs = na;
    free(newidx);
    return 0;
}

const char *wp_site_problem_str(wp_site_problem p) {
    switch (p) {
    case WP_SITE_CFLP: return "cflp";
    case WP_SITE_K: return "k";
    case WP_SITE_TARGET: return "target";
    case WP_SITE_BUDGET: return "budget";
    }
    return "unknown";
}

const char *wp_site_status_str(wp_site_status s) {
    switch (s) {
    case WP_SITE_OPTIMAL: return "optimal";
    case WP_SITE_FEASIBLE: return "feasible";
    case WP_SITE_INFEASIBLE: return "infeasible";
    case WP_SITE_NO_SOLUTION: return "no_solution";
    }
    return "unknown";
}
