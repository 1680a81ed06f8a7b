/*
** load.h — read the scenario's input layers through GDAL/OGR into the
** planner's model: plants, yards, mines, road projects. Handles field
** mapping (with Chinese and English default names), units, GBK/GB18030
** shapefiles with or without .cpg, and any CRS (reprojected to WGS84
** lon/lat with traditional axis order).
**
** Scenario sections read here: [plants], [yards], [mines], [roads] and
** any "<role>.<suffix>" variants; see docs/scenario.md.
*/
#ifndef WP_LOAD_H
#define WP_LOAD_H

#include "geo.h"
#include "../planner/config.h"
#include "../planner/model.h"

/* Problems found while loading, for `wasteplan check` and error reports. */
typedef struct {
    int count, cap;
    char **text;          /* each "plants.shp feature 17 (焦作电厂): field annual_t is negative" */
    int fatal;            /* count of problems that stop a solve */
} wp_problems;

void wp_problems_free(wp_problems *p);
/* Append a problem (printf-style); fatal ones stop a solve. */
void wp_problems_add(wp_problems *p, int fatal, const char *fmt, ...);

/* Load every layer the scenario names into m (materials must already be
** configured from [material.*]). Returns 0 when everything loaded; -1 when
** any fatal problem was found: all problems are in *probs, the first one is
** also copied into err. */
int wp_load_layers(wp_geo *g, wp_config *cfg, wp_model *m, wp_problems *probs,
                   char *err, int errlen);

#endif
