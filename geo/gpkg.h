/*
** gpkg.h — write the result as a GeoPackage that opens styled in QGIS:
** layers flows, sources, sinks; tables summary and scenario; a default QML
** style per layer in layer_styles; Chinese field aliases in
** gpkg_data_columns. Written in one transaction to a temporary file in the
** target's directory and renamed into place only on success.
*/
#ifndef WP_GPKG_H
#define WP_GPKG_H

#include "geo.h"
#include "../planner/allocate.h"
#include "../planner/config.h"
#include "../planner/model.h"
#include "../planner/table.h"

typedef struct {
    const char *out_path;
    const char *out_crs;        /* "EPSG:4490" etc.; NULL: EPSG:4326 */
    const char *tool_version;
    const char *run_time;       /* ISO 8601 UTC */
    int n_tables;               /* further tables/layers (siting, yearly, ...) */
    wp_table *const *tables;
    int tables_only;            /* write only the scenario table and `tables`
                                ** (r may then be NULL; m is still required) */
} wp_gpkg_options;

/* Returns 0, or -1 with a message in err; on failure nothing is left at
** out_path that was not there before. */
int wp_write_gpkg(wp_geo *g, const wp_model *m, const wp_result *r,
                  wp_config *cfg, const wp_gpkg_options *o,
                  char *err, int errlen);

#endif
