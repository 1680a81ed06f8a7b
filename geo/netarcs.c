/*
** netarcs.c — network arcs for a model (see netarcs.h).
**
** Terminals. A snapped source or sink sits at fraction t of segment u-v.
** It leaves the network point through "out ports" — to v at (1-t) x the
** u->v cost, to u at t x the v->u cost, each only where that direction may
** be driven — and is entered through "in ports" — from u at t x u->v cost,
** from v at (1-t) x v->u cost. These are the two virtual half-edges the
** snap splits the segment into; the network itself is never modified, so
** any number of threads can search it at once.
**
** Many-to-many. Per material, the side with fewer terminals is searched
** from: forward searches start at a source's out ports and read targets'
** in ports; reverse searches (on the reversed graph) start at a sink's in
** ports and read sources' out ports. Targets are filed by the end nodes of
** their segment (a node -> targets index built once per material), so a
** search only looks at targets at nodes it settled. Two terminals on the
** same segment may also connect directly along it. Each search is bounded
** by the haul limit less the start's access leg.
**
** Threads take searches from a shared counter and write to their own
** buffers; the records are then sorted by (source, sink), so the result
** never depends on the thread count or timing.
*/
#include "netarcs.h"
#include "router.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_THREADS 16

struct wp_netplan {
    wp_geo *g;
    wp_roadnet *net;
    int n_src, n_sink;
    wp_snap *src_snap, *sink_snap;
    double *sink_to_lon, *sink_to_lat;   /* delivery point */
    int threads;
    wp_net_od *od;
    size_t n_od;
    wp_netplan_stats stats;
};

static int set_err(char *err, int errlen, const char *msg) {
    if (err && errlen > 0) snprintf(err, (size_t)errlen, "%s", msg);
    return -1;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

wp_netplan *wp_netplan_new(wp_geo *g, wp_roadnet *net, const wp_model *m,
                           double snap_km, char *err, int errlen) {
    wp_netplan *p = calloc(1, sizeof *p);
    if (!p) {
        wp_roadnet_free(net);
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    p->g = g;
    p->net = net;
    p->threads = 2;
    const char *env = getenv("WASTEPLAN_THREADS");
    if (env && atoi(env) > 0) wp_netplan_set_threads(p, atoi(env));
    p->n_src = m->n_sources;
    p->n_sink = m->n_sinks;
    p->src_snap = calloc((size_t)(m->n_sources ? m->n_sources : 1), sizeof *p->src_snap);
    p->sink_snap = calloc((size_t)(m->n_sinks ? m->n_sinks : 1), sizeof *p->sink_snap);
    p->sink_to_lon = calloc((size_t)(m->n_sinks ? m->n_sinks : 1), sizeof(double));
    p->sink_to_lat = calloc((size_t)(m->n_sinks ? m->n_sinks : 1), sizeof(double));
    wp_snapper *sn = NULL;
    if (!p->src_snap || !p->sink_snap || !p->sink_to_lon || !p->sink_to_lat) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    sn = wp_snapper_new(g, net, err, errlen);
    if (!sn) goto fail;
    for (int i = 0; i < m->n_sources; i++)
        if (wp_snap_point(sn, m->sources[i].lon, m->sources[i].lat, snap_km, &p->src_snap[i]) < 0) {
            set_err(err, errlen, "GEOS failed snapping a source to the road network");
            goto fail;
        }
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        int rc;
        int is_point = !s->wkb || s->wkb_len < 5 ||
                       (s->wkb[0] == 1 ? s->wkb[1] : s->wkb[4]) == 1;
        if (is_point) rc = wp_snap_point(sn, s->lon, s->lat, snap_km, &p->sink_snap[k]);
        else rc = wp_snap_geometry(sn, s->wkb, s->wkb_len, snap_km, &p->sink_snap[k]);
        if (rc < 0) {
            set_err(err, errlen, "GEOS failed snapping a sink to the road network");
            goto fail;
        }
        p->sink_to_lon[k] = is_point ? s->lon : p->sink_snap[k].from_lon;
        p->sink_to_lat[k] = is_point ? s->lat : p->sink_snap[k].from_lat;
    }
    wp_snapper_free(sn);
    return p;
fail:
    wp_snapper_free(sn);
    wp_netplan_free(p);
    return NULL;
}

void wp_netplan_free(wp_netplan *p) {
    if (!p) return;
    wp_roadnet_free(p->net);
    free(p->src_snap);
    free(p->sink_snap);
    free(p->sink_to_lon);
    free(p->sink_to_lat);
    free(p->od);
    free(p);
}

void wp_netplan_set_threads(wp_netplan *p, int n) {
    p->threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

const wp_roadnet *wp_netplan_network(const wp_netplan *p) { return p->net; }
const wp_snap *wp_netplan_source_snap(const wp_netplan *p, int i) { return &p->src_snap[i]; }
const wp_snap *wp_netplan_sink_snap(const wp_netplan *p, int k) { return &p->sink_snap[k]; }
wp_netplan_stats wp_netplan_get_stats(const wp_netplan *p) { return p->stats; }

/* ---- ports ---- */

typedef struct {
    int node;
    double cost, len;
} port;

/* The out ports (out = 1) or in ports (out = 0) of a terminal snapped at
** sn; returns how many (0..2). */
static int ports(const wp_roadnet *n, const wp_snap *sn, int out, port *pt) {
    int s = sn->seg, k = 0;
    double t = sn->t, l = n->seg_len[s];
    double wuv = n->seg_w_uv[s], wvu = n->seg_w_vu[s];
    /* at an end the point is that node, whatever the segment's direction */
    if (t <= 0) {
        pt[0] = (port){n->seg_u[s], 0, 0};
        return 1;
    }
    if (t >= 1) {
        pt[0] = (port){n->seg_v[s], 0, 0};
        return 1;
    }
    if (out) {
        if (wuv >= 0) pt[k++] = (port){n->seg_v[s], (1 - t) * wuv, (1 - t) * l};
        if (wvu >= 0) pt[k++] = (port){n->seg_u[s], t * wvu, t * l};
    } else {
        if (wuv >= 0) pt[k++] = (port){n->seg_u[s], t * wuv, t * l};
        if (wvu >= 0) pt[k++] = (port){n->seg_v[s], (1 - t) * wvu, (1 - t) * l};
    }
    return k;
}

/* Cost (and length) from a to b directly along their common segment in
** driving direction; HUGE_VAL when they are on different segments or the
** direction is not allowed. */
static double direct(const wp_roadnet *n, const wp_snap *a, const wp_snap *b, double *len) {
    if (a->seg != b->seg) return HUGE_VAL;
    int s = a->seg;
    double d = b->t - a->t;
    if (d >= 0 && n->seg_w_uv[s] >= 0) {
        *len = d * n->seg_len[s];
        return d * n->seg_w_uv[s];
    }
    if (d <= 0 && n->seg_w_vu[s] >= 0) {
        *len = -d * n->seg_len[s];
        return -d * n->seg_w_vu[s];
    }
    return HUGE_VAL;
}

/* ---- one material's many-to-many job ---- */

typedef struct {
    const wp_netplan *p;
    int reverse;              /* 1: search from sinks */
    double limit;
    int n_from, n_to;
    const int *from, *to;     /* model indices of start terminals and targets */
    const int *att_off, *att; /* node -> targets (indices into to[]) */
    int next;                 /* next start to take */
    pthread_mutex_t lock;
    int failed;
} job;

typedef struct {
    job *j;
    wp_net_od *out;
    size_t n_out, cap_out;
    double *best, *best_len;  /* per target, HUGE_VAL when not reached */
    int *hit, n_hit;
    long long searches, settled;
} worker;

static const wp_snap *snap_of(const wp_netplan *p, int is_sink, int i) {
    return is_sink ? &p->sink_snap[i] : &p->src_snap[i];
}

/* Improve target ti's best with cost c, length l. */
static void offer(worker *w, int ti, double c, double l) {
    if (!(c < w->best[ti])) return;
    if (w->best[ti] == HUGE_VAL) w->hit[w->n_hit++] = ti;
    w->best[ti] = c;
    w->best_len[ti] = l;
}

/* Targets attached at node x, reached through their ports at x. */
static void read_targets(worker *w, const wp_router *r, int x, const wp_snap *from) {
    job *j = w->j;
    const wp_roadnet *n = j->p->net;
    double cx = wp_router_cost(r, x), lx = wp_router_len(r, x);
    for (int a = j->att_off[x]; a < j->att_off[x + 1]; a++) {
        int ti = j->att[a];
        const wp_snap *ts = snap_of(j->p, !j->reverse, j->to[ti]);
        port pt[2];
        /* forward searches enter targets (sinks) by in ports; reverse ones
        ** leave targets (sources) by out ports, read backwards */
        int np = ports(n, ts, j->reverse, pt);
        for (int q = 0; q < np; q++)
            if (pt[q].node == x && cx < HUGE_VAL) offer(w, ti, cx + pt[q].cost, lx + pt[q].len);
        if (from && ts->seg == from->seg) {
            double dl = 0;
            double dc = j->reverse ? direct(n, ts, from, &dl) : direct(n, from, ts, &dl);
            if (dc < HUGE_VAL) offer(w, ti, dc, dl);
        }
    }
}

static int push_od(worker *w, int src, int sink, double cost, double road, double access) {
    if (w->n_out == w->cap_out) {
        size_t nc = w->cap_out ? 2 * w->cap_out : 4096;
        wp_net_od *o = realloc(w->out, nc * sizeof *o);
        if (!o) return -1;
        w->out = o;
        w->cap_out = nc;
    }
    w->out[w->n_out++] = (wp_net_od){src, sink, cost, road, access};
    return 0;
}

/* Run one search from start terminal index fi. */
static int search_one(worker *w, wp_router *r, int fi) {
    job *j = w->j;
    const wp_netplan *p = j->p;
    const wp_roadnet *n = p->net;
    int fm = j->from[fi];
    const wp_snap *fs = snap_of(p, j->reverse, fm);
    double bound = j->limit - fs->access_km;
    if (bound < 0) return 0;
    port pt[2];
    int np = ports(n, fs, !j->reverse, pt);
    int node[2];
    double cost[2], len[2];
    for (int q = 0; q < np; q++) {
        node[q] = pt[q].node;
        cost[q] = pt[q].cost;
        len[q] = pt[q].len;
    }
    if (wp_router_search(r, j->reverse, np, node, cost, len, bound) < 0) return -1;
    w->searches++;
    /* targets on the start's own segment, even if its ends are beyond reach */
    int ends[2] = {n->seg_u[fs->seg], n->seg_v[fs->seg]};
    for (int e = 0; e < 2; e++) read_targets(w, r, ends[e], fs);
    int ns;
    const int *settled = wp_router_settled(r, &ns);
    w->settled += ns;
    for (int i = 0; i < ns; i++)
        if (j->att_off[settled[i] + 1] > j->att_off[settled[i]])
            read_targets(w, r, settled[i], NULL);
    int rc = 0;
    for (int h = 0; h < w->n_hit; h++) {
        int ti = w->hit[h];
        int tm = j->to[ti];
        const wp_snap *ts = snap_of(p, !j->reverse, tm);
        double total = fs->access_km + w->best[ti] + ts->access_km;
        if (rc == 0 && total <= j->limit)
            rc = push_od(w, j->reverse ? tm : fm, j->reverse ? fm : tm, total,
                         w->best_len[ti], fs->access_km + ts->access_km);
        w->best[ti] = HUGE_VAL;
    }
    w->n_hit = 0;
    return rc;
}

static void *worker_main(void *arg) {
    worker *w = arg;
    job *j = w->j;
    wp_router *r = wp_router_new(j->p->net);
    if (!r) {
        pthread_mutex_lock(&j->lock);
        j->failed = 1;
        pthread_mutex_unlock(&j->lock);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int fi = j->failed ? j->n_from : j->next++;
        pthread_mutex_unlock(&j->lock);
        if (fi >= j->n_from) break;
        if (search_one(w, r, fi) < 0) {
            pthread_mutex_lock(&j->lock);
            j->failed = 1;
            pthread_mutex_unlock(&j->lock);
            break;
        }
    }
    wp_router_free(r);
    return NULL;
}

static int cmp_od(const void *a, const void *b) {
    const wp_net_od *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

/* All network OD records of material mat into *out (appended). */
static int material_od(wp_netplan *p, const wp_model *m, int mat, wp_net_od **out,
                       size_t *n_out, size_t *cap_out) {
    const wp_roadnet *n = p->net;
    int *srcs = malloc((size_t)(m->n_sources + 1) * sizeof *srcs);
    int *sinks = malloc((size_t)(m->n_sinks + 1) * sizeof *sinks);
    int *att_off = NULL, *att = NULL;
    worker wk[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    int nt = 0, rc = -1, ns = 0, nk = 0;
    memset(wk, 0, sizeof wk);
    if (!srcs || !sinks) goto done;
    for (int i = 0; i < m->n_sources; i++)
        if (m->sources[i].material == mat && p->src_snap[i].seg >= 0) srcs[ns++] = i;
    for (int k = 0; k < m->n_sinks; k++)
        if (((m->sinks[k].accepts >> mat) & 1u) && m->sinks[k].cap_t[mat] > 0 &&
            p->sink_snap[k].seg >= 0)
            sinks[nk++] = k;
    if (!ns || !nk) { rc = 0; goto done; }
    job j;
    memset(&j, 0, sizeof j);
    j.p = p;
    j.reverse = nk < ns;
    j.limit = m->materials.m[mat].max_haul_km;
    j.from = j.reverse ? sinks : srcs;
    j.n_from = j.reverse ? nk : ns;
    j.to = j.reverse ? srcs : sinks;
    j.n_to = j.reverse ? ns : nk;
    /* node -> targets: each target filed at both ends of its segment */
    att_off = calloc((size_t)n->n_nodes + 1, sizeof *att_off);
    att = malloc((size_t)(2 * j.n_to) * sizeof *att);
    if (!att_off || !att) goto done;
    for (int t = 0; t < j.n_to; t++) {
        const wp_snap *s = snap_of(p, !j.reverse, j.to[t]);
        att_off[n->seg_u[s->seg] + 1]++;
        att_off[n->seg_v[s->seg] + 1]++;
    }
    for (int x = 0; x < n->n_nodes; x++) att_off[x + 1] += att_off[x];
    {
        int *pos = malloc((size_t)(n->n_nodes + 1) * sizeof *pos);
        if (!pos) goto done;
        memcpy(pos, att_off, (size_t)n->n_nodes * sizeof *pos);
        for (int t = 0; t < j.n_to; t++) {
            const wp_snap *s = snap_of(p, !j.reverse, j.to[t]);
            att[pos[n->seg_u[s->seg]]++] = t;
            att[pos[n->seg_v[s->seg]]++] = t;
        }
        free(pos);
    }
    j.att_off = att_off;
    j.att = att;
    pthread_mutex_init(&j.lock, NULL);
    int want = p->threads < j.n_from ? p->threads : j.n_from;
    for (int t = 0; t < want; t++) {
        wk[t].j = &j;
        wk[t].best = malloc((size_t)j.n_to * sizeof(double));
        wk[t].best_len = malloc((size_t)j.n_to * sizeof(double));
        wk[t].hit = malloc((size_t)j.n_to * sizeof(int));
        if (!wk[t].best || !wk[t].best_len || !wk[t].hit) {
            free(wk[t].best); free(wk[t].best_len); free(wk[t].hit);
            memset(&wk[t], 0, sizeof wk[t]);
            break;
        }
        for (int i = 0; i < j.n_to; i++) wk[t].best[i] = HUGE_VAL;
        if (t > 0 && pthread_create(&tid[t], NULL, worker_main, &wk[t]) != 0) {
            free(wk[t].best); free(wk[t].best_len); free(wk[t].hit);
            memset(&wk[t], 0, sizeof wk[t]);
            break;
        }
        nt++;
    }
    if (nt == 0) { pthread_mutex_destroy(&j.lock); goto done; }
    worker_main(&wk[0]);             /* this thread works too */
    for (int t = 1; t < nt; t++) pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&j.lock);
    rc = j.failed ? -1 : 0;
    for (int t = 0; t < nt; t++) {
        p->stats.searches += wk[t].searches;
        p->stats.settled += wk[t].settled;
        if (rc == 0 && wk[t].n_out) {
            if (*n_out + wk[t].n_out > *cap_out) {
                size_t nc = (*n_out + wk[t].n_out) * 2;
                wp_net_od *o = realloc(*out, nc * sizeof *o);
                if (!o) { rc = -1; continue; }
                *out = o;
                *cap_out = nc;
            }
            memcpy(*out + *n_out, wk[t].out, wk[t].n_out * sizeof **out);
            *n_out += wk[t].n_out;
        }
    }
done:
    for (int t = 0; t < MAX_THREADS; t++) {
        free(wk[t].out); free(wk[t].best); free(wk[t].best_len); free(wk[t].hit);
    }
    free(att_off);
    free(att);
    free(srcs);
    free(sinks);
    return rc;
}

static int cmp_arc(const void *a, const void *b) {
    const wp_arc *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->sink > y->sink) - (x->sink < y->sink);
}

int wp_netplan_build_arcs(wp_netplan *p, wp_geo *g, const wp_distance *d,
                          unsigned net_mask, wp_model *m, char *err, int errlen) {
    double t0 = now_s();
    unsigned all = m->materials.count >= 32 ? 0xffffffffu : (1u << m->materials.count) - 1u;
    net_mask &= all;
    m->n_arcs = 0;
    if (all & ~net_mask) {       /* some materials stay on straight lines */
        if (wp_build_arcs(g, d, m, err, errlen) < 0) return -1;
        size_t k = 0;
        for (size_t a = 0; a < m->n_arcs; a++)
            if (!((net_mask >> m->sources[m->arcs[a].src].material) & 1u)) m->arcs[k++] = m->arcs[a];
        m->n_arcs = k;
    }
    free(p->od);
    p->od = NULL;
    p->n_od = 0;
    size_t cap = 0;
    for (int mat = 0; mat < m->materials.count; mat++)
        if (((net_mask >> mat) & 1u) && material_od(p, m, mat, &p->od, &p->n_od, &cap) < 0)
            return set_err(err, errlen, "out of memory computing road distances");
    if (p->n_od) qsort(p->od, p->n_od, sizeof *p->od, cmp_od);
    for (size_t i = 0; i < p->n_od; i++) {
        const wp_net_od *o = &p->od[i];
        wp_arc a = {o->src, o->sink, o->cost_km, p->sink_to_lon[o->sink], p->sink_to_lat[o->sink]};
        if (wp_model_add_arc(m, &a) < 0) return set_err(err, errlen, "out of memory");
    }
    if (m->n_arcs) qsort(m->arcs, m->n_arcs, sizeof *m->arcs, cmp_arc);
    p->stats.seconds += now_s() - t0;
    return 0;
}

const wp_net_od *wp_netplan_od(const wp_netplan *p, size_t *n) {
    *n = p->n_od;
    return p->od;
}

const wp_net_od *wp_netplan_find(const wp_netplan *p, int src, int sink) {
    wp_net_od key = {src, sink, 0, 0, 0};
    if (!p->n_od) return NULL;
    return bsearch(&key, p->od, p->n_od, sizeof *p->od, cmp_od);
}

/* ---- routes ---- */

typedef struct {
    unsigned char *b;
    size_t n, cap;
    unsigned npts;
    double lx, ly;
} wkb_buf;

static int wkb_put(wkb_buf *w, const void *v, size_t n) {
    if (w->n + n > w->cap) {
        size_t nc = w->cap ? 2 * w->cap : 256;
        while (nc < w->n + n) nc *= 2;
        unsigned char *b = realloc(w->b, nc);
        if (!b) return -1;
        w->b = b;
        w->cap = nc;
    }
    memcpy(w->b + w->n, v, n);
    w->n += n;
    return 0;
}

/* Append a vertex, skipping exact repeats. */
static int wkb_point(wkb_buf *w, double x, double y) {
    if (w->npts && x == w->lx && y == w->ly) return 0;
    if (wkb_put(w, &x, 8) < 0 || wkb_put(w, &y, 8) < 0) return -1;
    w->npts++;
    w->lx = x;
    w->ly = y;
    return 0;
}

int wp_netplan_routes(wp_netplan *p, wp_model *m, const double *arc_t, double min_t,
                      char *err, int errlen) {
    const wp_roadnet *n = p->net;
    for (size_t a = 0; m->arc_route_wkb && a < m->n_arc_routes; a++) free(m->arc_route_wkb[a]);
    free(m->arc_route_wkb);
    free(m->arc_route_len);
    m->n_arc_routes = 0;
    m->arc_route_wkb = calloc(m->n_arcs ? m->n_arcs : 1, sizeof *m->arc_route_wkb);
    m->arc_route_len = calloc(m->n_arcs ? m->n_arcs : 1, sizeof *m->arc_route_len);
    wp_router *r = wp_router_new(n);
    int *path = malloc((size_t)(n->n_nodes + 1) * sizeof *path);
    if (!m->arc_route_wkb || !m->arc_route_len || !r || !path) {
        wp_router_free(r);
        free(path);
        return set_err(err, errlen, "out of memory drawing routes");
    }
    m->n_arc_routes = m->n_arcs;
    int rc = 0;
    size_t a = 0;
    while (a < m->n_arcs && rc == 0) {
        /* the arcs of one source are consecutive: one search serves them */
        int s = m->arcs[a].src;
        size_t b = a;
        double bound = -1;
        for (; b < m->n_arcs && m->arcs[b].src == s; b++)
            if ((!arc_t || arc_t[b] > min_t) && wp_netplan_find(p, s, m->arcs[b].sink) &&
                m->arcs[b].dist_km > bound)
                bound = m->arcs[b].dist_km;
        const wp_snap *fs = &p->src_snap[s];
        if (bound < 0 || fs->seg < 0) { a = b; continue; }
        port pt[2];
        int np = ports(n, fs, 1, pt), node[2];
        double cost[2], len[2];
        for (int q = 0; q < np; q++) {
            node[q] = pt[q].node;
            cost[q] = pt[q].cost;
            len[q] = pt[q].len;
        }
        /* a hair beyond the arc's cost so rounding cannot lose its path */
        if (wp_router_search(r, 0, np, node, cost, len,
                             bound - fs->access_km + 1e-9 * (1 + bound)) < 0) {
            rc = set_err(err, errlen, "out of memory drawing routes");
            break;
        }
        for (size_t c = a; c < b && rc == 0; c++) {
            if ((arc_t && !(arc_t[c] > min_t)) || !wp_netplan_find(p, s, m->arcs[c].sink)) continue;
            const wp_snap *ts = &p->sink_snap[m->arcs[c].sink];
            port in[2];
            int ni = ports(n, ts, 0, in), via = -1;
            double best = HUGE_VAL, dl = 0;
            for (int q = 0; q < ni; q++) {
                double v = wp_router_cost(r, in[q].node) + in[q].cost;
                if (v < best) { best = v; via = in[q].node; }
            }
            double dc = direct(n, fs, ts, &dl);
            if (dc <= best) via = -1;
            wkb_buf w = {0};
            unsigned char hdr[9] = {1, 2, 0, 0, 0, 0, 0, 0, 0};
            if (wkb_put(&w, hdr, 9) < 0 || wkb_point(&w, fs->from_lon, fs->from_lat) < 0 ||
                wkb_point(&w, fs->lon, fs->lat) < 0) rc = -1;
            if (rc == 0 && via >= 0) {
                int k = wp_router_path(r, via, path, n->n_nodes + 1);
                for (int i = 0; i < k && rc == 0; i++)
                    if (wkb_point(&w, n->lon[path[i]], n->lat[path[i]]) < 0) rc = -1;
            }
            if (rc == 0 && (wkb_point(&w, ts->lon, ts->lat) < 0 ||
                            wkb_point(&w, p->sink_to_lon[m->arcs[c].sink],
                                      p->sink_to_lat[m->arcs[c].sink]) < 0)) rc = -1;
            if (rc == 0 && w.npts < 2 && wkb_point(&w, w.lx + 1e-9, w.ly) < 0) rc = -1;
            if (rc < 0) {
                free(w.b);
                set_err(err, errlen, "out of memory drawing routes");
                break;
            }
            memcpy(w.b + 5, &w.npts, 4);   /* little-endian hosts only, as the rest */
            m->arc_route_wkb[c] = w.b;
            m->arc_route_len[c] = w.n;
        }
        a = b;
    }
    wp_router_free(r);
    free(path);
    return rc;
}
