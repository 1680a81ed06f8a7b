/*
** read_result.h — read a GeoPackage written by wasteplan back into plain
** wp_tables: the summary, sinks and flows layers, and the yearly and
** scenario tables when present. Used by the commands that work on results
** rather than scenarios (sweep, compare).
**
** Geometry comes back as ISO WKB in WGS84 lon/lat (traditional axis
** order), whatever the file's CRS, so tables read here can be written
** again by wp_write_gpkg. Field types map OFTString -> text, OFTReal ->
** real, OFTInteger/OFTInteger64 -> integer; anything else is kept as text.
**
** Ownership: a wp_result_file owns its tables; free it with
** wp_result_file_free.
*/
#ifndef WP_READ_RESULT_H
#define WP_READ_RESULT_H

#include "../planner/table.h"

typedef struct {
    char *path;
    wp_table *summary;    /* solve results; NULL for a multi-year plan */
    wp_table *sinks;      /* solve results; for a plan, derived from its flows
                             (sink_id, received_t over the horizon) */
    wp_table *flows;      /* flows, or a plan's flows_by_year */
    wp_table *yearly;     /* NULL when the file has no yearly table */
    wp_table *scenario;   /* NULL when absent */
} wp_result_file;

/* Read the result at path. Returns 0, or -1 with a message naming the
** file, the layer and what is wrong ("not a wasteplan result: no layer
** summary") in err; *rf is then empty (safe to free). */
int wp_result_file_read(const char *path, wp_result_file *rf,
                        char *err, int errlen);
void wp_result_file_free(wp_result_file *rf);

/* Read one layer of an open-able vector dataset into a new table (geometry
** as lon/lat WKB when with_geom and the layer has geometry). Returns 0 with
** *out set, 1 when the layer does not exist (*out NULL), -1 with a message
** in err. */
int wp_read_layer(const char *path, const char *layer, int with_geom,
                  wp_table **out, char *err, int errlen);

/* Cell helpers for tables read back: a real (NaN when NULL, when the
** column is missing, or when the cell is text; integers are widened) and a
** text ("" when NULL or missing). col may be -1. */
double wp_cell_real(const wp_table *t, int row, int col);
const char *wp_cell_text(const wp_table *t, int row, int col);

/* The value of key in a scenario table (key/value columns), NULL when the
** table is NULL or has no such key. */
const char *wp_scenario_value(const wp_table *scenario, const char *key);

#endif
