/*
** areas.h — summarise a result by administrative area (city, county; 各市
** 各县) when the scenario names a boundary layer in an [areas] section:
**
**   [areas]
**   path = data/areas.shp      polygons, any CRS, any OGR format
**   layer = ...                optional, default the first layer
**   encoding = GBK             optional, as for input layers
**   crs = EPSG:4490            optional, overrides the dataset's CRS
**   field.name = 名称           area name (default name, 名称, NAME)
**   field.code = 代码           optional area code (default code, adcode, 代码, 区划代码)
**
** Each source and sink is placed in the first polygon (in layer order)
** that contains or touches its point; points in none go to an 'outside'
** row. The by_area table has one row per area and material with any
** source or any accepting sink there: supply, delivered, unallocated and
** utilisation of the sources in the area, tonnes received by the sinks in
** the area, and the cost of the area's sources (haul + handling of what
** they send, penalty for what they keep). Summed over areas, every column
** of a material equals the material's summary total.
*/
#ifndef WP_AREAS_H
#define WP_AREAS_H

#include "geo.h"
#include "../planner/allocate.h"
#include "../planner/config.h"
#include "../planner/model.h"
#include "../planner/table.h"

/* 1 when the scenario has an [areas] section with a path, else 0. */
int wp_areas_configured(wp_config *cfg);

/* Validate the boundary layer alone (for `wasteplan check`): open it, find
** the fields, read every polygon. Returns the number of areas (0 when the
** scenario names no boundary layer), or -1 with a message in err. */
int wp_areas_check(wp_geo *g, wp_config *cfg, char *err, int errlen);

/* Build the by_area table for model m and its result r. Returns 0 with
** *out set (NULL when the scenario names no boundary layer), or -1 with a
** message naming file, layer, feature and field in err. */
int wp_areas_table(wp_geo *g, wp_config *cfg, const wp_model *m, const wp_result *r,
                   wp_table **out, char *err, int errlen);

#endif
