/*
** netconfig.h — the scenario's road-network keys: [scenario] distance,
** material.<id>.distance and the [network] section (docs/scenario.md,
** "Road network"). Turns them into a network with every source and sink
** snapped, for the pipeline.
*/
#ifndef WP_NETCONFIG_H
#define WP_NETCONFIG_H

#include "pipeline.h"

/* material.<id>.distance keys, held aside while the material sections are
** applied (the material parser knows only material parameters). */
typedef struct {
    int count;
    char **key, **value, **origin;
} wp_netcfg_pending;

/* Move every material.<id>.distance key out of cfg into pend. 0 or -1 (OOM). */
int wp_netcfg_take(wp_config *cfg, wp_netcfg_pending *pend);

/* After materials and layers are loaded: put the held keys back (marked
** used), decide which materials are routed, and if any, read the network
** and snap the model's points (warnings in pl->probs for points beyond the
** snap limit). Returns WP_EXIT_OK or an exit code after printing one
** message. Frees pend's contents. */
int wp_netcfg_apply(wp_pipeline *pl, wp_netcfg_pending *pend);

void wp_netcfg_pending_free(wp_netcfg_pending *pend);

#endif
