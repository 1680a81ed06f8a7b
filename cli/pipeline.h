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
    double t_read, t_load, t_arcs;   /* seconds per phase */
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

void wp_pipeline_free(wp_pipeline *pl);

double wp_seconds(void);   /* monotonic clock */

#endif
