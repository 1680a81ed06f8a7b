/*
** arcs.c — candidate arcs (see arcs.h): for each source, every sink that
** accepts its material with a positive limit and lies within the material's
** road haul limit.
**
** The search and the distance live in pricer.c, which also generates arcs
** on demand for column generation; building the full set is its "every arc
** within reach" job, so an arc has the same road distance whichever way it
** was found. In short (pricer.c explains each step): per material, the
** accepting sinks are filed in a lon/lat grid by their box; a source's
** search box is sized from lower bounds on kilometres per degree so that it
** holds every point within the search radius; each pair in the box gets a
** cheap, provably low bound on its road distance and is measured (geodesic
** x detour, to the point or to the nearest point of a line or polygon) only
** when that bound is within the limit. Arcs come out ordered by source,
** then sink index, whatever the grid's order or the number of threads.
*/
#include "arcs.h"
#include "pricer.h"

#include <stdio.h>

int wp_build_arcs(wp_geo *g, const wp_distance *d, wp_model *m,
                  char *err, int errlen) {
    m->n_arcs = 0;
    wp_geo_pricer *p = wp_pricer_new(g, d, m, err, errlen);
    if (!p) return -1;
    int rc = wp_pricer_all_arcs(p, m, err, errlen);
    if (rc == 0 && g && g->verbose) {
        wp_pricer_stats st = wp_pricer_get_stats(p);
        fprintf(stderr, "arcs: %zu arcs from %d sources to %d sinks "
                "(%lld pairs in search boxes, %lld measured)\n",
                m->n_arcs, m->n_sources, m->n_sinks, st.box_pairs, st.measured);
    }
    wp_pricer_free(p);
    return rc;
}
