/*
** router.h — bounded shortest paths on a road network: one search settles
** every node whose cost from the start ports is within a bound, in cost
** order (Dijkstra with a binary heap), forward from sources or on the
** reverse graph towards sinks.
**
** A router is one thread's scratch space: cost, length and predecessor per
** node, initialised once and reset after each search through the list of
** nodes the search touched, so a search costs time in proportion to what it
** reached, and memory is O(network) per thread whatever the number of
** searches (never sources x nodes).
*/
#ifndef WP_ROUTER_H
#define WP_ROUTER_H

#include "roadnet.h"

typedef struct wp_router wp_router;

/* Scratch for searches on n (which must outlive it). NULL on OOM. */
wp_router *wp_router_new(const wp_roadnet *n);
void wp_router_free(wp_router *r);

/* Search from n_start ports (node[i] reached at cost[i], length len[i]),
** on forward arcs or, with reverse, on reversed arcs (then cost[x] is the
** cost from x to the ports). Settles every node of cost <= bound. Returns
** the number of settled nodes, -1 on OOM. Results stay until the next
** search. */
int wp_router_search(wp_router *r, int reverse, int n_start, const int *node,
                     const double *cost, const double *len, double bound);

/* Settled nodes of the last search, in the order settled. */
const int *wp_router_settled(const wp_router *r, int *count);

/* Cost and road length to node x in the last search: HUGE_VAL and 0 when
** x was not settled. */
double wp_router_cost(const wp_router *r, int x);
double wp_router_len(const wp_router *r, int x);

/* Nodes of the path from a start port to settled node x (start first; for
** a reverse search, x first and the port last, i.e. still in driving
** order) into out (cap entries). Returns the node count, or -1 when x was
** not settled or cap is too small. */
int wp_router_path(const wp_router *r, int x, int *out, int cap);

/* Nodes settled and arcs relaxed over the router's life (for benchmarks). */
long long wp_router_settled_total(const wp_router *r);

#endif
