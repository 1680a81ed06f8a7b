/*
** mincostflow.c — exact minimum-cost flow by the primal network simplex
** method, on integer data. See mincostflow.h for the interface.
**
** THE PROBLEM
**   Given a digraph with node supplies b(v) (sum b = 0), arc capacities
**   cap(e) >= 0 and integer costs c(e), find a flow x with 0 <= x <= cap,
**   out(v) - in(v) = b(v) at every node, minimising sum c(e) x(e).
**
** THE METHOD (primal network simplex, in the layout popularised by LEMON)
**   A basis of the flow LP is a spanning tree: every non-tree arc sits at one
**   of its bounds (state LOWER: x = 0, or UPPER: x = cap), and the tree-arc
**   flows are then forced by conservation. Node potentials pi are fixed by
**   asking every tree arc to have reduced cost
**         rc(u,v) = c(u,v) + pi(u) - pi(v) = 0.
**   The basis is optimal when no non-tree arc can improve the cost: rc >= 0
**   at LOWER and rc <= 0 at UPPER. Otherwise such an arc ENTERS: together
**   with the tree path between its ends it closes a cycle, flow is pushed
**   round the cycle (up on the entering arc if it was at LOWER, down if at
**   UPPER) until some arc hits a bound, and that arc LEAVES the tree.
**
**   Starting basis. An artificial root node r is added, and one artificial
**   arc per real node: v -> r (cost 0) when b(v) >= 0, r -> v (cost ART)
**   when b(v) < 0, each carrying |b(v)|. These arcs form the first tree. ART
**   is a "big M": ART = (Cmax + 1) * n with Cmax = max |c(e)|, which exceeds
**   the cost of any simple path of real arcs, so at an optimum of the
**   extended LP an artificial arc carries flow only when the real problem is
**   infeasible (proof below). Artificial arcs are never chosen to enter, so
**   once one leaves the tree it is gone for good; the argument holds for
**   any subset of them.
**
**   Tree storage (all int arrays indexed by node, r = n):
**     parent[v]     parent node, -1 for r;
**     pred[v]       the tree arc joining v to parent[v];
**     pred_dir[v]   +1 (UP) if that arc is v -> parent, -1 (DOWN) if
**                   parent -> v;
**     thread[v]     successor of v in a depth-first preorder of the whole
**                   tree (cyclic: the last node's thread is r);
**     rev_thread[v] its predecessor in that order;
**     succ_num[v]   number of nodes in the subtree of v (v included);
**     last_succ[v]  last node of v's subtree in thread order, so the subtree
**                   of v is exactly thread-order v .. last_succ[v].
**   With these, the lowest common ancestor ("join") of the entering arc's
**   ends is found by climbing from whichever end has the smaller subtree,
**   the cycle is walked by parent links, and re-hanging the cut-off subtree
**   touches only the nodes on the "stem" (the path from the entering arc's
**   end to the leaving arc) and the ancestors whose subtree ends moved.
**   Potentials change only on the re-hung subtree, by one constant.
**
**   Pricing is LEMON's Block Search: scan the (mixed-order) arcs cyclically
**   in blocks of B = max(sqrt(m), 10); at the end of a block in which some
**   arc is eligible, take the most violating arc seen so far; resume the next
**   search where this one stopped. Arcs are stored in a "mixed" order
**   (stride max(m/n, 3)) so that a block samples the whole graph rather
**   than the arcs of one node.
**
**   Anti-cycling. The tree is kept STRONGLY FEASIBLE: from every node a
**   positive amount of flow can be pushed along its tree path to r (every
**   degenerate tree arc points away from r). The first tree is so: v -> r
**   arcs may carry 0 but point to r, r -> v arcs carry |b(v)| > 0. The
**   property is kept by the leaving-arc rule: orient the cycle along the
**   direction flow is pushed, start at the join, and among the arcs that
**   block first (smallest residual) pick the LAST one met. Then every
**   degenerate pivot keeps the cost and strictly changes the potentials in a
**   way that cannot repeat, so the method terminates (Cunningham 1976).
**   In code: the side of the cycle walked from the entering arc's tail
**   ("first") keeps the earliest minimum (strict <), the entering arc
**   itself comes next, and the other side ("second") keeps the latest
**   (<=), because those walks run against, resp. along, the orientation.
**
**   Warm restart. After a solve the tree, flows and states are kept. New
**   arcs join as non-tree arcs at LOWER with flow 0, which leaves the basis
**   primal feasible and strongly feasible, so the simplex just continues.
**   The arc arrays are re-laid in mixed order (tree arcs remapped), ART is
**   recomputed from the new Cmax, and the potentials are recomputed from the
**   tree. Changing a supply discards the basis (the next solve is cold).
**
** RESULTS
**   OPTIMAL when no arc is eligible and no artificial arc carries flow;
**   INFEASIBLE when an artificial arc still does; UNBOUNDED when the
**   entering cycle has no blocking arc (all of it is forward arcs of
**   infinite capacity, cap >= WP_MCF_CAP_MAX). Potentials are shifted so
**   that their maximum over real nodes is <= 0, as LEMON does for its
**   default (GEQ) form; any shift keeps the optimality conditions.
**
** PROOF OF CORRECT INFEASIBILITY DETECTION
**   Let x* be optimal for the LP with the artificial arcs still present, and
**   suppose a feasible real flow y exists (zero on artificial arcs). If x*
**   carries artificial flow, the difference y - x* is a circulation in the
**   residual graph of x* and decomposes into simple cycles; some cycle uses
**   an artificial arc, hence passes r, entering it on the reverse of some
**   r -> v (residual cost -ART: y is 0 there, x* positive) and leaving on the
**   reverse of some u -> r (cost 0): forward artificial arcs cannot appear
**   because y is 0 on them. The rest of the cycle is a simple path of at
**   most n-1 real residual arcs, each of cost at most Cmax. Its total cost
**   is <= -ART + (n-1) Cmax < 0, contradicting optimality of x*. The same
**   bound shows that a cycle through r never has cost < 0 when it uses two
**   forward artificial arcs (cost >= ART - (n-1) Cmax > 0), so an UNBOUNDED
**   verdict always comes from a cycle of real infinite-capacity arcs.
**
** PROOF OF THE MAGNITUDE BOUNDS (n <= 2^24, |c| <= 2^36, cap, |b| <= 2^60)
**   Potentials. pi(r) = 0 and every tree arc has rc = 0, so pi(v) is the
**   signed sum of costs along the tree path r .. v. That path starts with
**   exactly one artificial arc (they are the only arcs at r), cost 0 or
**   ART, followed by at most n-1 real arcs. Hence
**         -(n-1) Cmax <= pi(v) <= ART + (n-1) Cmax,
**   with ART = (Cmax+1) n <= (2^36+1) 2^24 = 2^60 + 2^24 and
**   (n-1) Cmax < 2^60, so |pi| < 2^61 + 2^24. A reduced cost adds one cost
**   and a difference of two potentials: |rc| < 2^36 + 2^61 + 2^60 + 2^24
**   < 2^62. The potential update pi += sigma uses sigma = (the new value of
**   pi(u_in)) - (the old one), |sigma| < 2^62, and lands on a tree potential
**   again; no intermediate leaves int64. The reported (shifted) potentials
**   lie in [-(ART + 2(n-1) Cmax), 0], above -2^62.
**   Flows. Removing a tree arc e splits the nodes into X and its complement;
**   conservation over X gives |x(e)| <= |b(X)| + (sum of the capacities of
**   the non-tree arcs at UPPER across the cut) <= S + U, where S is the
**   total positive supply and U the sum of all finite capacities. The solver
**   requires S + U <= 2^62 (else WP_MCF_BAD_INPUT), so every flow value,
**   every residual cap - x, every step delta and every x +/- delta of a
**   basic solution stays below 2^62. Infinite capacities are stored as
**   INT64_MAX, whose residual INT64_MAX - x >= 2^63 - 1 - 2^62 marks them
**   as non-blocking; a cycle whose smallest residual exceeds 2^62 is
**   therefore unbounded.
*/
#include "mincostflow.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MCF_MAX_NODES   (1 << 24)
#define MCF_FLOW_LIMIT  ((int64_t)1 << 62)   /* bound on S + U, see above */
#define MCF_INF         INT64_MAX            /* stored cap of infinite arcs */

#define STATE_UPPER (-1)
#define STATE_TREE  0
#define STATE_LOWER 1
#define DIR_UP      1
#define DIR_DOWN    (-1)

struct wp_mcf {
    int n;                  /* real nodes 0..n-1; the root is node n */
    int bad_input;          /* a set_supply call was out of range */
    int64_t *supply;        /* [n] */

    /* arcs in the caller's order */
    int64_t m, m_alloc;
    int *a_from, *a_to;
    int64_t *a_cap, *a_cost;

    /* internal layout: m_laid real arcs in mixed order at 0..m_laid-1, then
    ** the artificial arc of node v at m_laid + v */
    int64_t m_laid;
    int have_basis;         /* tree/flow/state arrays describe a basis */
    int *pos;               /* [m_laid] caller's arc -> internal position */
    int *source, *target;
    int64_t *cost, *cap, *flow;
    signed char *state;

    /* spanning tree, [n+1] each */
    int *parent, *pred, *thread, *rev_thread, *succ_num, *last_succ;
    signed char *pred_dir;
    int64_t *pi;

    int64_t art_cost;
    int64_t pi_shift;       /* subtracted from pi in wp_mcf_potential */
    int64_t pivots;
    int solved;             /* a solve produced flows/potentials */

    /* per-pivot working values */
    int in_arc, join, u_in, v_in, u_out;
    int64_t delta;
    int next_arc, block_size, search_num;
};

/* Reallocate *p to n elements of size sz; 0 on success, -1 on failure
** (then *p is left untouched). */
static int grow(void **p, size_t n, size_t sz) {
    void *q = realloc(*p, (n ? n : 1) * sz);
    if (!q) return -1;
    *p = q;
    return 0;
}

/* Contract in mincostflow.h; also NULL when n_nodes is outside
** [0, 2^24], the range the magnitude proof covers. */
wp_mcf *wp_mcf_new(int n_nodes, int64_t arc_hint) {
    if (n_nodes < 0 || n_nodes > MCF_MAX_NODES) return NULL;
    wp_mcf *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n = n_nodes;
    size_t nn = (size_t)n_nodes + 1;
    p->supply = calloc(nn, sizeof *p->supply);
    p->parent = malloc(nn * sizeof(int));
    p->pred = malloc(nn * sizeof(int));
    p->thread = malloc(nn * sizeof(int));
    p->rev_thread = malloc(nn * sizeof(int));
    p->succ_num = malloc(nn * sizeof(int));
    p->last_succ = malloc(nn * sizeof(int));
    p->pred_dir = malloc(nn);
    p->pi = calloc(nn, sizeof(int64_t));
    if (!p->supply || !p->parent || !p->pred || !p->thread || !p->rev_thread ||
        !p->succ_num || !p->last_succ || !p->pred_dir || !p->pi) {
        wp_mcf_free(p);
        return NULL;
    }
    if (arc_hint < 0) arc_hint = 0;
    if (arc_hint > INT_MAX - n_nodes - 1) arc_hint = INT_MAX - n_nodes - 1;
    p->m_alloc = arc_hint > 16 ? arc_hint : 16;
    p->a_from = malloc((size_t)p->m_alloc * sizeof(int));
    p->a_to = malloc((size_t)p->m_alloc * sizeof(int));
    p->a_cap = malloc((size_t)p->m_alloc * sizeof(int64_t));
    p->a_cost = malloc((size_t)p->m_alloc * sizeof(int64_t));
    if (!p->a_from || !p->a_to || !p->a_cap || !p->a_cost) {
        wp_mcf_free(p);
        return NULL;
    }
    return p;
}

/* Free the internal arc layout (not the caller's arcs). */
static void free_layout(wp_mcf *p) {
    free(p->pos); free(p->source); free(p->target);
    free(p->cost); free(p->cap); free(p->flow); free(p->state);
    p->pos = NULL; p->source = p->target = NULL;
    p->cost = p->cap = p->flow = NULL; p->state = NULL;
}

/* Free the problem and everything it owns; NULL is fine. */
void wp_mcf_free(wp_mcf *p) {
    if (!p) return;
    free_layout(p);
    free(p->supply);
    free(p->a_from); free(p->a_to); free(p->a_cap); free(p->a_cost);
    free(p->parent); free(p->pred); free(p->thread); free(p->rev_thread);
    free(p->succ_num); free(p->last_succ); free(p->pred_dir); free(p->pi);
    free(p);
}

/* Append an arc (contract in mincostflow.h). Capacities above
** WP_MCF_CAP_MAX are stored as WP_MCF_CAP_MAX: all of them mean "infinite".
** The arc reaches the internal layout at the next solve. */
int64_t wp_mcf_add_arc(wp_mcf *p, int from, int to, int64_t cap, int64_t cost) {
    if (!p || from < 0 || from >= p->n || to < 0 || to >= p->n) return -1;
    if (cap < 0 || cost > WP_MCF_COST_MAX || cost < -WP_MCF_COST_MAX) return -1;
    /* internal indices are int: real arcs + artificial arcs must fit */
    if (p->m >= (int64_t)INT_MAX - p->n - 1) return -1;
    if (cap > WP_MCF_CAP_MAX) cap = WP_MCF_CAP_MAX;   /* all mean "infinite" */
    if (p->m == p->m_alloc) {
        int64_t na = p->m_alloc * 2;
        if (na > (int64_t)INT_MAX) na = INT_MAX;
        if (grow((void **)&p->a_from, (size_t)na, sizeof(int)) ||
            grow((void **)&p->a_to, (size_t)na, sizeof(int)) ||
            grow((void **)&p->a_cap, (size_t)na, sizeof(int64_t)) ||
            grow((void **)&p->a_cost, (size_t)na, sizeof(int64_t)))
            return -1;
        p->m_alloc = na;
    }
    p->a_from[p->m] = from;
    p->a_to[p->m] = to;
    p->a_cap[p->m] = cap;
    p->a_cost[p->m] = cost;
    return p->m++;
}

/* Set b(node). A bad node or a value beyond WP_MCF_CAP_MAX is remembered
** and makes the next solve return WP_MCF_BAD_INPUT. A changed value
** invalidates the basis kept for warm restarts. */
void wp_mcf_set_supply(wp_mcf *p, int node, int64_t supply) {
    if (!p) return;
    if (node < 0 || node >= p->n || supply > WP_MCF_CAP_MAX ||
        supply < -WP_MCF_CAP_MAX) {
        p->bad_input = 1;
        return;
    }
    if (p->supply[node] != supply) p->have_basis = 0;  /* next solve is cold */
    p->supply[node] = supply;
}

/* Internal position of caller's arc j among m arcs: LEMON-style mixing with
** stride max(m/n, 3), so consecutive positions come from distant arcs.
** Returns the whole permutation in pos[0..m-1]. */
static void mixed_positions(int *pos, int64_t m, int n) {
    if (n <= 1 || m < 2) {
        for (int64_t j = 0; j < m; j++) pos[j] = (int)j;
        return;
    }
    int64_t skip = m / n;
    if (skip < 3) skip = 3;
    int64_t i = 0, start = 0;
    for (int64_t j = 0; j < m; j++) {
        pos[j] = (int)i;
        i += skip;
        if (i >= m) i = ++start;
    }
}

/* Lay the caller's m arcs out in mixed order, plus n artificial arcs.
** With keep != 0 the current basis (over the first m_laid caller arcs) is
** carried over: flows and states move with their arcs, tree preds are
** remapped, and arcs new since the last layout start at LOWER with flow 0.
** Returns 0, or -1 when out of memory (the old layout is then intact). */
static int lay_out(wp_mcf *p, int keep) {
    int64_t m = p->m, total = m + p->n;
    int *pos = malloc((size_t)(m ? m : 1) * sizeof(int));
    int *src = malloc((size_t)(total ? total : 1) * sizeof(int));
    int *tgt = malloc((size_t)(total ? total : 1) * sizeof(int));
    int64_t *cost = malloc((size_t)(total ? total : 1) * sizeof(int64_t));
    int64_t *cap = malloc((size_t)(total ? total : 1) * sizeof(int64_t));
    int64_t *flow = malloc((size_t)(total ? total : 1) * sizeof(int64_t));
    signed char *state = malloc((size_t)(total ? total : 1));
    if (!pos || !src || !tgt || !cost || !cap || !flow || !state) {
        free(pos); free(src); free(tgt); free(cost); free(cap); free(flow);
        free(state);
        return -1;
    }
    mixed_positions(pos, m, p->n);
    for (int64_t j = 0; j < m; j++) {
        int k = pos[j];
        src[k] = p->a_from[j];
        tgt[k] = p->a_to[j];
        cost[k] = p->a_cost[j];
        cap[k] = p->a_cap[j] >= WP_MCF_CAP_MAX ? MCF_INF : p->a_cap[j];
        if (keep && j < p->m_laid) {
            flow[k] = p->flow[p->pos[j]];
            state[k] = p->state[p->pos[j]];
        } else {
            flow[k] = 0;
            state[k] = STATE_LOWER;
        }
    }
    for (int v = 0; v < p->n; v++) {
        int64_t k = m + v;
        if (keep) {
            int64_t old = p->m_laid + v;
            src[k] = p->source[old];
            tgt[k] = p->target[old];
            cost[k] = p->cost[old];
            flow[k] = p->flow[old];
            state[k] = p->state[old];
        } else {
            src[k] = tgt[k] = p->n;   /* filled by init_tree */
            cost[k] = 0;
            flow[k] = 0;
            state[k] = STATE_TREE;
        }
        cap[k] = MCF_INF;
    }
    if (keep) {
        /* old internal position -> caller's arc -> new internal position */
        int *inv = malloc((size_t)(p->m_laid ? p->m_laid : 1) * sizeof(int));
        if (!inv) {
            free(pos); free(src); free(tgt); free(cost); free(cap); free(flow);
            free(state);
            return -1;
        }
        for (int64_t j = 0; j < p->m_laid; j++) inv[p->pos[j]] = (int)j;
        for (int v = 0; v < p->n; v++) {
            int e = p->pred[v];
            p->pred[v] = e >= p->m_laid ? (int)(e - p->m_laid + m)
                                        : pos[inv[e]];
        }
        free(inv);
    }
    free_layout(p);
    p->pos = pos; p->source = src; p->target = tgt; p->cost = cost;
    p->cap = cap; p->flow = flow; p->state = state;
    p->m_laid = m;
    return 0;
}

/* Build the starting tree: every node hangs from the root by its artificial
** arc carrying |b(v)|, in node order along the thread. Needs a fresh layout
** (real arcs at LOWER with flow 0). */
static void init_tree(wp_mcf *p) {
    int n = p->n, root = n;
    int64_t m = p->m_laid;
    for (int v = 0; v < n; v++) {
        int e = (int)(m + v);
        p->parent[v] = root;
        p->pred[v] = e;
        p->thread[v] = v + 1;
        p->rev_thread[v + 1] = v;
        p->succ_num[v] = 1;
        p->last_succ[v] = v;
        p->state[e] = STATE_TREE;
        if (p->supply[v] >= 0) {
            p->pred_dir[v] = DIR_UP;
            p->source[e] = v;
            p->target[e] = root;
            p->flow[e] = p->supply[v];
            p->cost[e] = 0;
        } else {
            p->pred_dir[v] = DIR_DOWN;
            p->source[e] = root;
            p->target[e] = v;
            p->flow[e] = -p->supply[v];
            p->cost[e] = p->art_cost;
        }
    }
    p->parent[root] = -1;
    p->pred[root] = -1;
    p->pred_dir[root] = 0;
    p->thread[root] = n > 0 ? 0 : root;
    p->rev_thread[n > 0 ? 0 : root] = root;
    p->succ_num[root] = n + 1;
    p->last_succ[root] = n > 0 ? n - 1 : root;
}

/* Recompute every potential from the tree (pi(root) = 0, rc = 0 on tree
** arcs). The thread is a preorder, so a parent is always done first. */
static void compute_potentials(wp_mcf *p) {
    int root = p->n;
    p->pi[root] = 0;
    for (int u = p->thread[root]; u != root; u = p->thread[u])
        p->pi[u] = p->pi[p->parent[u]] - p->pred_dir[u] * p->cost[p->pred[u]];
}

/* Block Search pricing: returns 1 and sets in_arc to the most violating arc
** of the first block (scanning cyclically from next_arc) that has one, or 0
** when no arc violates its optimality condition. */
static int find_entering_arc(wp_mcf *p) {
    const int *src = p->source, *tgt = p->target;
    const int64_t *cost = p->cost, *pi = p->pi;
    const signed char *state = p->state;
    int num = p->search_num, block = p->block_size;
    int64_t best = 0;
    int cnt = block, e, in = -1;
    for (e = p->next_arc; e < num; e++) {
        int64_t c = state[e] * (cost[e] + pi[src[e]] - pi[tgt[e]]);
        if (c < best) { best = c; in = e; }
        if (--cnt == 0) {
            if (best < 0) goto found;
            cnt = block;
        }
    }
    for (e = 0; e < p->next_arc; e++) {
        int64_t c = state[e] * (cost[e] + pi[src[e]] - pi[tgt[e]]);
        if (c < best) { best = c; in = e; }
        if (--cnt == 0) {
            if (best < 0) goto found;
            cnt = block;
        }
    }
    if (best >= 0) return 0;
found:
    /* e ended the block: the next search resumes just after it */
    p->next_arc = e + 1 < num ? e + 1 : 0;
    p->in_arc = in;
    return 1;
}

/* Lowest common ancestor of the entering arc's ends: climb from the end
** with the smaller subtree, since an ancestor's subtree is strictly larger. */
static void find_join(wp_mcf *p) {
    int u = p->source[p->in_arc], v = p->target[p->in_arc];
    while (u != v) {
        if (p->succ_num[u] < p->succ_num[v]) u = p->parent[u];
        else v = p->parent[v];
    }
    p->join = u;
}

/* Find the step size delta and the leaving arc by the strongly feasible
** rule (see the top comment). Returns 1 when a tree arc leaves (u_out, u_in,
** v_in set), 0 when the entering arc itself blocks. delta > MCF_FLOW_LIMIT
** means nothing blocks: the problem is unbounded. */
static int find_leaving_arc(wp_mcf *p) {
    int e_in = p->in_arc, first, second;
    if (p->state[e_in] == STATE_LOWER) {
        first = p->source[e_in];
        second = p->target[e_in];
    } else {
        first = p->target[e_in];
        second = p->source[e_in];
    }
    const int *parent = p->parent, *pred = p->pred;
    const signed char *dir = p->pred_dir;
    const int64_t *flow = p->flow, *cap = p->cap;
    int64_t delta = cap[e_in];
    int result = 0, join = p->join;
    /* first side: flow runs from the join down to `first` */
    for (int u = first; u != join; u = parent[u]) {
        int e = pred[u];
        int64_t d = dir[u] == DIR_DOWN ? cap[e] - flow[e] : flow[e];
        if (d < delta) { delta = d; p->u_out = u; result = 1; }
    }
    /* second side: flow runs from `second` up to the join */
    for (int u = second; u != join; u = parent[u]) {
        int e = pred[u];
        int64_t d = dir[u] == DIR_UP ? cap[e] - flow[e] : flow[e];
        if (d <= delta) { delta = d; p->u_out = u; result = 2; }
    }
    p->delta = delta;
    if (result == 1) { p->u_in = first; p->v_in = second; }
    else { p->u_in = second; p->v_in = first; }
    return result != 0;
}

/* Push delta round the cycle and update the states of the entering and
** (when change) leaving arcs. */
static void change_flow(wp_mcf *p, int change) {
    int e_in = p->in_arc, join = p->join;
    if (p->delta > 0) {
        int64_t val = p->state[e_in] * p->delta;
        p->flow[e_in] += val;
        for (int u = p->source[e_in]; u != join; u = p->parent[u])
            p->flow[p->pred[u]] -= p->pred_dir[u] * val;
        for (int u = p->target[e_in]; u != join; u = p->parent[u])
            p->flow[p->pred[u]] += p->pred_dir[u] * val;
    }
    if (change) {
        int e_out = p->pred[p->u_out];
        p->state[e_in] = STATE_TREE;
        p->state[e_out] = p->flow[e_out] == 0 ? STATE_LOWER : STATE_UPPER;
    } else {
        p->state[e_in] = (signed char)-p->state[e_in];
    }
}

/* Replace tree arc pred[u_out] by the entering arc (u_in, v_in).
**
** The subtree U of u_out is cut off and re-hung below v_in by the entering
** arc. On the stem w0 = u_in, w1 = parent(w0), ..., wk = u_out the parent
** links reverse. The new preorder of U, placed right after v_in in the
** thread (as v_in's first child, so v_in's own last_succ changes only when
** v_in was a leaf), is: the old subtree of w0 whole, then for each i >= 1
** the part of wi's old subtree outside w(i-1)'s, i.e. the thread range
** wi .. rev_thread[w(i-1)] followed by the range after last_succ[w(i-1)]
** up to last_succ[wi] (empty when both subtrees end at the same node).
** Every stem node's new subtree ends where the whole chain ends ("tail"),
** and its new size is |U| minus the old size of w(i-1).
**
** Outside U: ancestors of v_out = old parent(u_out) up to the join lose U,
** ancestors of v_in up to the join gain it (succ_num). last_succ changes
** only for ancestors of v_out whose subtree ended with U (it now ends at
** a = rev_thread[u_out], or at tail if a is v_in and the chain now closes
** the subtree) and for ancestors of v_in whose subtree ended at v_in (now
** at tail). Both sets are contiguous upward chains. */
static void update_tree(wp_mcf *p) {
    int *parent = p->parent, *pred = p->pred, *thread = p->thread;
    int *rev = p->rev_thread, *succ = p->succ_num, *last = p->last_succ;
    signed char *dir = p->pred_dir;
    int u_in = p->u_in, v_in = p->v_in, u_out = p->u_out, e_in = p->in_arc;
    int join = p->join, v_out = parent[u_out];
    int size_out = succ[u_out], l_out = last[u_out];
    int a = rev[u_out], b = thread[l_out];

    /* walk the stem from u_in to u_out, relinking as we go; every value is
    ** read before the links that could change it are written */
    int w = u_in;
    int tail = last[w];                 /* end of the chain built so far */
    int after = thread[tail];           /* old node after w's subtree */
    int prev_last = last[w], prev_succ = succ[w], prev_rev = rev[w];
    int up = parent[w], up_arc = pred[w];
    signed char up_dir = dir[w];
    parent[w] = v_in;
    pred[w] = e_in;
    dir[w] = p->source[e_in] == u_in ? DIR_UP : DIR_DOWN;
    succ[w] = size_out;
    while (w != u_out) {
        int x = up;
        int x_last = last[x], x_succ = succ[x], x_rev = rev[x];
        int x_up = parent[x], x_arc = pred[x];
        signed char x_dir = dir[x];
        thread[tail] = x;               /* range x .. rev(w) */
        rev[x] = tail;
        tail = prev_rev;
        if (x_last != prev_last) {      /* range after(w) .. last(x) */
            thread[tail] = after;
            rev[after] = tail;
            tail = x_last;
            after = thread[x_last];
        }
        parent[x] = w;
        pred[x] = up_arc;
        dir[x] = (signed char)-up_dir;
        succ[x] = size_out - prev_succ;
        prev_last = x_last; prev_succ = x_succ; prev_rev = x_rev;
        w = x; up = x_up; up_arc = x_arc; up_dir = x_dir;
    }

    /* unlink U's old range a -> [u_out .. l_out] -> b, then splice the
    ** chain in right after v_in */
    thread[a] = b;
    rev[b] = a;
    int nxt = thread[v_in];
    thread[v_in] = u_in;
    rev[u_in] = v_in;
    thread[tail] = nxt;
    rev[nxt] = tail;

    /* stem nodes: all subtrees now end at tail (walk u_out -> u_in along
    ** the new parent links) */
    for (int u = u_out; ; u = parent[u]) {
        last[u] = tail;
        if (u == u_in) break;
    }

    int repl = a == v_in ? tail : a;
    for (int u = v_out; u != -1 && last[u] == l_out; u = parent[u])
        last[u] = repl;
    for (int u = v_in; u != -1 && last[u] == v_in; u = parent[u])
        last[u] = tail;

    for (int u = v_in; u != join; u = parent[u]) succ[u] += size_out;
    for (int u = v_out; u != join; u = parent[u]) succ[u] -= size_out;
}

/* Shift the potentials of the re-hung subtree so that the entering arc
** gets reduced cost 0. */
static void update_potentials(wp_mcf *p) {
    int u_in = p->u_in;
    int64_t sigma = p->pi[p->v_in] - p->pred_dir[u_in] * p->cost[p->in_arc]
                    - p->pi[u_in];
    int end = p->thread[p->last_succ[u_in]];
    for (int u = u_in; u != end; u = p->thread[u]) p->pi[u] += sigma;
}

/* One simplex pivot on p->in_arc. Returns 0, or 1 when the cycle has no
** blocking arc (unbounded). */
static int pivot(wp_mcf *p) {
    find_join(p);
    int change = find_leaving_arc(p);
    if (p->delta > MCF_FLOW_LIMIT) return 1;
    change_flow(p, change);
    if (change) {
        update_tree(p);
        update_potentials(p);
    }
    p->pivots++;
    return 0;
}

/* LEMON's start-up heuristic for a cold start: pivot in, for each demand
** node, its cheapest incoming arc (lowest index on ties), when eligible.
** Returns 0, 1 when unbounded, -1 when out of memory. */
static int initial_pivots(wp_mcf *p) {
    int n = p->n;
    int *best = malloc((size_t)(n ? n : 1) * sizeof(int));
    if (!best) return -1;
    for (int v = 0; v < n; v++) best[v] = -1;
    for (int64_t j = 0; j < p->m; j++) {
        int v = p->a_to[j];
        if (p->supply[v] >= 0) continue;
        if (best[v] < 0 || p->a_cost[j] < p->a_cost[best[v]]) best[v] = (int)j;
    }
    int rc = 0;
    for (int v = 0; v < n && rc == 0; v++) {
        if (best[v] < 0) continue;
        int e = p->pos[best[v]];
        int64_t red = p->cost[e] + p->pi[p->source[e]] - p->pi[p->target[e]];
        if (p->state[e] * red >= 0) continue;
        p->in_arc = e;
        rc = pivot(p);
    }
    free(best);
    return rc;
}

/* Check the data, compute ART; returns WP_MCF_OPTIMAL when all is in range. */
static wp_mcf_status check_input(wp_mcf *p) {
    if (p->bad_input) return WP_MCF_BAD_INPUT;
    int64_t pos = 0, neg = 0;
    for (int v = 0; v < p->n; v++) {
        int64_t b = p->supply[v];
        if (b > 0) pos += b;
        else neg -= b;
        /* each term <= 2^60, so testing after every add cannot overflow */
        if (pos > MCF_FLOW_LIMIT || neg > MCF_FLOW_LIMIT)
            return WP_MCF_BAD_INPUT;
    }
    if (pos != neg) return WP_MCF_BAD_INPUT;
    int64_t total = pos, cmax = 0;
    for (int64_t j = 0; j < p->m; j++) {
        int64_t c = p->a_cost[j] < 0 ? -p->a_cost[j] : p->a_cost[j];
        if (c > cmax) cmax = c;
        if (p->a_cap[j] < WP_MCF_CAP_MAX) {
            total += p->a_cap[j];
            if (total > MCF_FLOW_LIMIT) return WP_MCF_BAD_INPUT;
        }
    }
    p->art_cost = (cmax + 1) * p->n;
    return WP_MCF_OPTIMAL;
}

/* Validate, then run the simplex from the kept basis (warm) or from the
** artificial tree (cold); see the top comment for the verdicts. */
wp_mcf_status wp_mcf_solve(wp_mcf *p) {
    if (!p) return WP_MCF_BAD_INPUT;
    p->solved = 0;
    p->pivots = 0;
    wp_mcf_status st = check_input(p);
    if (st != WP_MCF_OPTIMAL) return st;

    int warm = p->have_basis;
    if (!warm || p->m_laid != p->m) {
        if (lay_out(p, warm) != 0) return WP_MCF_NOMEM;
    }
    if (!warm) {
        init_tree(p);
    } else {
        for (int v = 0; v < p->n; v++) {
            int e = (int)(p->m_laid + v);
            if (p->source[e] == p->n) p->cost[e] = p->art_cost;
        }
    }
    p->have_basis = 1;
    compute_potentials(p);

    p->search_num = (int)p->m_laid;
    p->block_size = (int)sqrt((double)p->search_num);
    if (p->block_size < 10) p->block_size = 10;
    p->next_arc = 0;

    int unbounded = 0;
    if (!warm) {
        int rc = initial_pivots(p);
        if (rc < 0) return WP_MCF_NOMEM;
        unbounded = rc;
    }
    while (!unbounded && find_entering_arc(p))
        unbounded = pivot(p);

    p->solved = 1;
    p->pi_shift = 0;
    if (unbounded) return WP_MCF_UNBOUNDED;
    for (int v = 0; v < p->n; v++)
        if (p->flow[p->m_laid + v] != 0) return WP_MCF_INFEASIBLE;
    int64_t top = 0;
    for (int v = 0; v < p->n; v++)
        if (p->pi[v] > top) top = p->pi[v];
    p->pi_shift = top;
    return WP_MCF_OPTIMAL;
}

/* Accessors: flows and potentials read 0 until a solve has run. */
int wp_mcf_node_count(const wp_mcf *p) { return p ? p->n : 0; }

int64_t wp_mcf_arc_count(const wp_mcf *p) { return p ? p->m : 0; }

int64_t wp_mcf_flow(const wp_mcf *p, int64_t arc) {
    if (!p || !p->solved || arc < 0 || arc >= p->m_laid) return 0;
    return p->flow[p->pos[arc]];
}

int64_t wp_mcf_potential(const wp_mcf *p, int node) {
    if (!p || !p->solved || node < 0 || node >= p->n) return 0;
    return p->pi[node] - p->pi_shift;
}

/* Sum of flow * cost over the caller's arcs. */
double wp_mcf_total_cost(const wp_mcf *p) {
    if (!p || !p->solved) return 0.0;
    /* long double keeps 64 mantissa bits on common targets; the products
    ** reach 2^98, beyond any integer type of standard C */
    long double sum = 0.0L;
    for (int64_t j = 0; j < p->m_laid; j++)
        sum += (long double)p->flow[p->pos[j]] * (long double)p->a_cost[j];
    return (double)sum;
}

int64_t wp_mcf_pivots(const wp_mcf *p) { return p ? p->pivots : 0; }

const char *wp_mcf_status_str(wp_mcf_status s) {
    switch (s) {
    case WP_MCF_OPTIMAL: return "optimal";
    case WP_MCF_INFEASIBLE: return "infeasible";
    case WP_MCF_UNBOUNDED: return "unbounded";
    case WP_MCF_BAD_INPUT: return "bad input";
    case WP_MCF_NOMEM: return "out of memory";
    }
    return "unknown";
}

double wp_mcf_pow2_scale(double value, double limit) {
    if (!(value > 0)) return 1.0;
    int e;
    frexp(value / limit, &e);   /* value/limit = f * 2^e, 0.5 <= f < 1 */
    return ldexp(1.0, e);
}
