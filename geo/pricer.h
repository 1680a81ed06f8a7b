/*
** pricer.h — the geographic side of column generation: the sparse arc set a
** national-scale allocation starts from (each source's few nearest sinks)
** and the pricer that supplies, round by round, the omitted arcs whose
** reduced cost is negative under the solver's potentials, without ever
** materialising every pair within reach. The same search also builds the
** full candidate set (wp_build_arcs in arcs.c is a thin wrapper over it), so
** every arc, priced or built, has exactly the same road distance.
**
** Threads: the per-source work runs on several threads (2 by default; the
** environment variable WASTEPLAN_THREADS or wp_pricer_set_threads changes
** it), each on a contiguous block of sources with its own GEOS and PROJ
** contexts. Results are concatenated in source order, so they never depend
** on the thread count or on timing.
*/
#ifndef WP_PRICER_H
#define WP_PRICER_H

#include "arcs.h"
#include "../planner/allocate.h"

#define WP_PRICER_MAX_THREADS 16

typedef struct wp_geo_pricer wp_geo_pricer;

/* Work done so far, for progress reports and tests. */
typedef struct {
    long long box_pairs;   /* (source, sink) pairs met in search boxes */
    long long measured;    /* pairs whose exact distance was computed */
    long long added;       /* arcs appended to the model */
} wp_pricer_stats;

/* Prepare the search over model m: check its sources and materials, read
** every sink some source could use (line and polygon geometry into local
** planes) and file them per material. d NULL means geodesic x m->detour.
** m's sinks, sources and materials must not change while the pricer lives;
** its arcs may. Returns NULL with a message in err on bad input or OOM. */
wp_geo_pricer *wp_pricer_new(wp_geo *g, const wp_distance *d, const wp_model *m,
                             char *err, int errlen);

/* Threads used from now on, clamped to 1..WP_PRICER_MAX_THREADS. */
void wp_pricer_set_threads(wp_geo_pricer *p, int n);

/* Replace m->arcs with, for every source, the k_nearest sinks nearest by
** exact road distance among those within the haul limit (ties by sink
** index), ordered by source then sink, and register them as present.
** 0, or -1 with a message in err. */
int wp_pricer_initial_arcs(wp_geo_pricer *p, wp_model *m, int k_nearest,
                           char *err, int errlen);

/* Replace m->arcs with every arc within reach, ordered by source then sink
** (what wp_build_arcs returns). Registers nothing in the membership set,
** which is rebuilt from m->arcs when next needed. 0, or -1 with err. */
int wp_pricer_all_arcs(wp_geo_pricer *p, wp_model *m, char *err, int errlen);

/* The planner's pricer interface (allocate.h) bound to p, valid while p
** lives. price(): max_per_source < 1 means no limit. Both callbacks keep
** the membership set in step with m->arcs: if the model's arc count
** differs from what the pricer last saw, the set is rebuilt from m->arcs. */
wp_pricer *wp_pricer_iface(wp_geo_pricer *p);

/* Road km from source s to sink k as every arc uses it, and a cheap lower
** bound on it; -1 (and *km untouched) if either cannot be used. For
** diagnostics and tests. */
int wp_pricer_distance(wp_geo_pricer *p, int s, int k, double *km,
                       double *to_lon, double *to_lat);
int wp_pricer_lower_bound(const wp_geo_pricer *p, int s, int k, double *km);

wp_pricer_stats wp_pricer_get_stats(const wp_geo_pricer *p);
void wp_pricer_free(wp_geo_pricer *p);

#endif
