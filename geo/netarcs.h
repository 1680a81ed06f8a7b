/*
** netarcs.h — haul distances along a road network for a planning model:
** every source and sink snapped to its nearest road, bounded many-to-many
** shortest paths per material (from whichever side has fewer points, on
** two threads), the arcs they give, and the road geometry of the arcs that
** carry waste.
**
** Distance of an arc (wp_arc.dist_km, what cost and the haul limit use) =
** access leg at the source + cost km along the roads + access leg at the
** sink; cost km = road km x class multiplier (1 by default, so then it is
** plain road km). Access legs are straight, geodesic, multiplier 1. The
** geodesic detour factor does not apply.
*/
#ifndef WP_NETARCS_H
#define WP_NETARCS_H

#include "arcs.h"
#include "geo.h"
#include "roadnet.h"
#include "snap.h"
#include "../planner/model.h"

typedef struct wp_netplan wp_netplan;

/* One origin-destination result, in the order of the model's arcs. */
typedef struct {
    int src, sink;
    double cost_km;     /* = wp_arc.dist_km */
    double road_km;     /* physical length of the road part */
    double access_km;   /* both straight legs */
} wp_net_od;

/* Snap m's sources and sinks to net (taken: freed with the plan), at most
** snap_km away. Sinks with line or polygon geometry enter the network at
** its point nearest the geometry. NULL with a message in err on OOM or a
** GEOS failure. m's sources and sinks must not change afterwards. */
wp_netplan *wp_netplan_new(wp_geo *g, wp_roadnet *net, const wp_model *m,
                           double snap_km, char *err, int errlen);
void wp_netplan_free(wp_netplan *p);

void wp_netplan_set_threads(wp_netplan *p, int n);   /* 1..16, default 2 */
const wp_roadnet *wp_netplan_network(const wp_netplan *p);

/* How source i / sink k meets the network (seg < 0: beyond the limit). */
const wp_snap *wp_netplan_source_snap(const wp_netplan *p, int i);
const wp_snap *wp_netplan_sink_snap(const wp_netplan *p, int k);

/* Build m->arcs: arcs of materials in net_mask (bit j) along the network,
** the others through the geodesic pricer (wp_build_arcs with d), all
** ordered by source then sink. 0, or -1 with err. */
int wp_netplan_build_arcs(wp_netplan *p, wp_geo *g, const wp_distance *d,
                          unsigned net_mask, wp_model *m, char *err, int errlen);

/* The network arcs of the last build, sorted by (src, sink); NULL if none. */
const wp_net_od *wp_netplan_od(const wp_netplan *p, size_t *n);
/* The record of (src, sink), or NULL when that arc is not a network arc. */
const wp_net_od *wp_netplan_find(const wp_netplan *p, int src, int sink);

/* Fill m->arc_route_wkb / arc_route_len for every network arc a with
** arc_t[a] > min_t (arc_t NULL: every network arc): the line source ->
** road entry -> roads -> road exit -> delivery point, as lon/lat ISO WKB.
** Searches once per source. 0, or -1 with err. */
int wp_netplan_routes(wp_netplan *p, wp_model *m, const double *arc_t, double min_t,
                      char *err, int errlen);

/* Work done, for --timings and benchmarks. */
typedef struct {
    long long searches, settled;
    double seconds;
} wp_netplan_stats;
wp_netplan_stats wp_netplan_get_stats(const wp_netplan *p);

#endif
