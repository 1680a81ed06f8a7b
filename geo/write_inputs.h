/*
** write_inputs.h — write a model's sources and sinks back out as ordinary
** input layers plus a scenario file that names them, so generated regions
** run through exactly the same loading path as a planner's own data.
*/
#ifndef WP_WRITE_INPUTS_H
#define WP_WRITE_INPUTS_H

#include "geo.h"
#include "../planner/model.h"

/* Write DIR/region.gpkg (layers producers and users, EPSG:4326) and
** DIR/scenario.ini. max_haul_km > 0 sets every used material's haul limit
** in the scenario. Returns 0, or -1 with a message in err. */
int wp_write_input_layers(wp_geo *g, const wp_model *m, const char *dir,
                          double max_haul_km, char *err, int errlen);

#endif
