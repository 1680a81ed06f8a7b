/*
** arcs.h — candidate arcs: for every source, the sinks that accept its
** material and lie within the material's haul limit by road. Candidate pairs
** come from a spatial grid index, never from testing every pair. Distance
** is behind one interface (wp_distance) so a road network can replace the
** geodesic x detour estimate.
*/
#ifndef WP_ARCS_H
#define WP_ARCS_H

#include "geo.h"
#include "../planner/model.h"

typedef enum { WP_DIST_GEODESIC = 0 } wp_distance_kind;

typedef struct {
    wp_distance_kind kind;
    double detour;        /* road km per geodesic km, >= 1 */
} wp_distance;

/* Build m->arcs. Returns 0, or -1 with a message in err (OOM, GEOS error). */
int wp_build_arcs(wp_geo *g, const wp_distance *d, wp_model *m,
                  char *err, int errlen);

#endif
