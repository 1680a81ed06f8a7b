/*
** router.c — bounded Dijkstra (see router.h).
**
** The heap is a plain binary min-heap of (cost, node) with lazy deletion: a
** node whose label improves is pushed again, and stale entries are skipped
** when popped (their cost exceeds the node's label, or the node is done).
** That trades a little heap space for no position index, and is as fast as
** decrease-key on road networks, where few labels improve. The search stops
** when the cheapest entry exceeds the bound, so it never looks beyond the
** material's haul limit.
**
** Inside, nodes are CSR indices (the network's search order, see
** roadnet.h); the interface speaks builder ids, translated on the way in
** (start ports, queries) and out (settled list, paths).
*/
#include "router.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double key;
    int node;
} heap_item;

struct wp_router {
    const wp_roadnet *n;
    double *cost, *len;
    int *pred;                 /* predecessor CSR index, -1 at a start port */
    unsigned char *done;
    int *touched, n_touched;   /* CSR indices labelled by the last search */
    int *settled, n_settled;   /* builder ids, in the order settled */
    int reverse;
    heap_item *heap;
    size_t n_heap, cap_heap;
    long long settled_total;
};

wp_router *wp_router_new(const wp_roadnet *n) {
    wp_router *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    size_t nn = (size_t)(n->n_nodes ? n->n_nodes : 1);
    r->n = n;
    r->cost = malloc(nn * sizeof *r->cost);
    r->len = malloc(nn * sizeof *r->len);
    r->pred = malloc(nn * sizeof *r->pred);
    r->done = calloc(nn, 1);
    r->touched = malloc(nn * sizeof *r->touched);
    r->settled = malloc(nn * sizeof *r->settled);
    r->cap_heap = 1024;
    r->heap = malloc(r->cap_heap * sizeof *r->heap);
    if (!r->cost || !r->len || !r->pred || !r->done || !r->touched || !r->settled || !r->heap) {
        wp_router_free(r);
        return NULL;
    }
    for (size_t i = 0; i < nn; i++) r->cost[i] = HUGE_VAL;
    return r;
}

void wp_router_free(wp_router *r) {
    if (!r) return;
    free(r->cost); free(r->len); free(r->pred); free(r->done);
    free(r->touched); free(r->settled); free(r->heap);
    free(r);
}

static int heap_push(wp_router *r, double key, int node) {
    if (r->n_heap == r->cap_heap) {
        heap_item *h = realloc(r->heap, 2 * r->cap_heap * sizeof *h);
        if (!h) return -1;
        r->heap = h;
        r->cap_heap *= 2;
    }
    heap_item *h = r->heap;
    size_t i = r->n_heap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!(key < h[p].key)) break;
        h[i] = h[p];
        i = p;
    }
    h[i].key = key;
    h[i].node = node;
    return 0;
}

static heap_item heap_pop(wp_router *r) {
    heap_item *h = r->heap, top = h[0], last = h[--r->n_heap];
    size_t n = r->n_heap, i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && h[c + 1].key < h[c].key) c++;
        if (!(h[c].key < last.key)) break;
        h[i] = h[c];
        i = c;
    }
    if (n) h[i] = last;
    return top;
}

/* Forget the last search: only the touched nodes need resetting. */
static void reset(wp_router *r) {
    for (int i = 0; i < r->n_touched; i++) {
        int x = r->touched[i];
        r->cost[x] = HUGE_VAL;
        r->done[x] = 0;
    }
    r->n_touched = 0;
    r->n_settled = 0;
    r->n_heap = 0;
}

/* Label x with cost c (and length l, predecessor p) if that improves it. */
static int relax(wp_router *r, int x, double c, double l, int p) {
    if (!(c < r->cost[x])) return 0;
    if (r->cost[x] == HUGE_VAL) r->touched[r->n_touched++] = x;
    r->cost[x] = c;
    r->len[x] = l;
    r->pred[x] = p;
    return heap_push(r, c, x);
}

int wp_router_search(wp_router *r, int reverse, int n_start, const int *node,
                     const double *cost, const double *len, double bound) {
    reset(r);
    r->reverse = reverse;
    const wp_roadnet *n = r->n;
    const int *off = reverse ? n->rev_off : n->fwd_off;
    const int *oth = reverse ? n->rev_tail : n->fwd_head;
    const double *w = reverse ? n->rev_w : n->fwd_w;
    const double *al = reverse ? n->rev_len : n->fwd_len;
    for (int i = 0; i < n_start; i++)
        if (node[i] >= 0 && node[i] < n->n_nodes && cost[i] <= bound &&
            relax(r, n->order[node[i]], cost[i], len ? len[i] : 0, -1) < 0)
            return -1;
    while (r->n_heap) {
        heap_item it = heap_pop(r);
        int x = it.node;
        if (r->done[x] || it.key > r->cost[x]) continue;   /* stale entry */
        if (it.key > bound) break;
        r->done[x] = 1;
        r->settled[r->n_settled++] = n->node_at[x];
        double cx = r->cost[x], lx = r->len[x];
        for (int a = off[x]; a < off[x + 1]; a++) {
            int y = oth[a];
            double c = cx + w[a];
            if (c <= bound && !r->done[y] && relax(r, y, c, lx + al[a], x) < 0) return -1;
        }
    }
    r->settled_total += r->n_settled;
    return r->n_settled;
}

const int *wp_router_settled(const wp_router *r, int *count) {
    *count = r->n_settled;
    return r->settled;
}

double wp_router_cost(const wp_router *r, int x) {
    if (x < 0 || x >= r->n->n_nodes) return HUGE_VAL;
    int i = r->n->order[x];
    return r->done[i] ? r->cost[i] : HUGE_VAL;
}

double wp_router_len(const wp_router *r, int x) {
    if (x < 0 || x >= r->n->n_nodes) return 0;
    int i = r->n->order[x];
    return r->done[i] ? r->len[i] : 0;
}

int wp_router_path(const wp_router *r, int x, int *out, int cap) {
    if (wp_router_cost(r, x) == HUGE_VAL) return -1;
    int k = 0;
    for (int y = r->n->order[x]; y >= 0; y = r->pred[y]) {
        if (k >= cap) return -1;
        out[k++] = r->n->node_at[y];
    }
    if (!r->reverse)   /* collected end first: turn into driving order */
        for (int i = 0; i < k / 2; i++) {
            int t = out[i];
            out[i] = out[k - 1 - i];
            out[k - 1 - i] = t;
        }
    return k;
}

long long wp_router_settled_total(const wp_router *r) {
    return r->settled_total;
}
