/*
** pipeline.h — the steps every command shares: read the scenario and its
** overrides, configure materials, load the layers, build candidate arcs.
** Data flows one way: config -> model -> arcs; the commands add solving,
** writing and reporting on top.
*/
#ifndef WP_PIPELINE_H
#define WP_PIPELINE_H

#include "../geo/arcs.h"
#include "../geo/geo.h"
#include "../geo/load.h"
#include "../planner/allocate.h"
#include "../planner/config.h"
#include "../planner/model.h"
#include "options.h"

/* Exit codes, documented in `wasteplan --help` and README.md. */
enum {
    WP_EXIT_OK = 0,
    WP_EXIT_USAGE = 1,      /* bad command line */
    WP_EXIT_INPUT = 2,      /* scenario or layers invalid: nothing written */
    WP_EXIT_OUTPUT = 3,     /* the output could not be written */
    WP_EXIT_INTERNAL = 4    /* solver failure or out of memory */
};

typedef struct {
    wp_config cfg;
    wp_model model;
    wp_geo *geo;
    wp_problems probs;
    wp_distance dist;
    double t_read, t_load, t_arcs, t_solve;   /* seconds per phase */
    /* road network ([network] section, distance = network): NULL when
    ** every material uses geodesic distances */
    struct wp_netplan *net;
    unsigned net_mask;               /* materials routed on the network (bit j) */
    double t_network;                /* seconds reading and snapping it */
} wp_pipeline;

/* Read the scenario, apply --set overrides, configure materials and the
** distance model, then load every layer. Returns WP_EXIT_OK or an exit
** code after printing one clear message to stderr. Always call
** wp_pipeline_free afterwards. */
int wp_pipeline_load(wp_pipeline *pl, const char *scenario,
                     const wp_opt_list *sets, int verbose);

/* Build the candidate arcs (after a successful load). */
int wp_pipeline_arcs(wp_pipeline *pl);

/* How the allocation finds its hauls: every pair within reach up front, or
** a few nearest per source and the rest on demand by column generation
** (exact either way; only time and memory differ). AUTO generates on demand
** when sources x sinks exceeds WP_PRICING_AUTO_PAIRS and every material uses
** straight-line distances. */
typedef enum { WP_PRICING_AUTO = 0, WP_PRICING_ALWAYS, WP_PRICING_NEVER } wp_pricing_mode;
#define WP_PRICING_AUTO_PAIRS 2000000.0
#define WP_PRICING_K_NEAREST 10

/* Find the hauls and solve the allocation into *res (free it with
** wp_result_free when WP_EXIT_OK is returned). *rounds gets the number of
** pricing rounds, -1 when every arc was built up front. Sets t_arcs and
** t_solve. */
int wp_pipeline_allocate(wp_pipeline *pl, wp_pricing_mode mode, wp_result *res,
                         int *rounds);

/* Peak resident memory of this process so far, in MB. */
double wp_peak_rss_mb(void);

void wp_pipeline_free(wp_pipeline *pl);

double wp_seconds(void);   /* monotonic clock */

#endif
