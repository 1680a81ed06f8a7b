/*
** output.h — where a command writes and how the file is stamped: the output
** path (the -o option, a scenario key, or a name derived from the scenario),
** the output CRS, and the run time (SOURCE_DATE_EPOCH for reproducible
** files). Shared by solve, plan, site, sweep and compare.
*/
#ifndef WP_OUTPUT_H
#define WP_OUTPUT_H

#include <stddef.h>
#include "pipeline.h"

/* The path to write, malloc'd (NULL on OOM): opt when given; else the
** value of own_key (may be NULL) resolved beside the scenario; else
** scenario.output with suffix put before its extension; else
** "<scenario file stem><suffix>.gpkg" beside the scenario. suffix is ""
** for solve, "_plan", "_siting"... so the commands never overwrite each
** other's results. */
char *wp_output_path(wp_pipeline *pl, const char *opt, const char *own_key,
                     const char *suffix);

/* scenario.output_crs, else the first layer's EPSG code, else EPSG:4326. */
const char *wp_output_crs(wp_pipeline *pl);

/* ISO 8601 UTC time of the run into buf; SOURCE_DATE_EPOCH fixes it. */
void wp_run_time(char *buf, size_t n);

#endif
