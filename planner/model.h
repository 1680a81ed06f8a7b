/*
** model.h — the planning model: materials, the sources that supply waste
** (plants and yards), the sinks that take it (consuming plants, mines, road
** projects), and the candidate arcs between them. Coordinates are WGS84
** longitude/latitude in degrees; geometry beyond a point is kept as opaque
** WKB for the writer, so planner/ needs no geometry library.
**
** Ownership: a wp_model owns every string and array it points to;
** wp_model_free releases them all.
*/
#ifndef WP_MODEL_H
#define WP_MODEL_H

#include <stddef.h>
#include "material.h"

typedef enum { WP_SRC_PLANT = 0, WP_SRC_YARD } wp_source_kind;
typedef enum { WP_SINK_PLANT = 0, WP_SINK_MINE, WP_SINK_ROAD,
               WP_SINK_PARK /* a new utilisation park chosen by `site` */ } wp_sink_kind;

/* One input layer, for provenance and error messages. */
typedef struct {
    char *role;          /* "plants", "yards", "mines", "roads" */
    char *section;       /* scenario section it came from: "plants", "mines.2" */
    char *path;          /* as resolved */
    char *layer_name;    /* OGR layer name */
    char *crs;           /* e.g. "EPSG:4490" or the CRS name */
    char *encoding;      /* "UTF-8", "GBK", ... as read */
    char sha256[65];     /* of the main file */
    long features;       /* features read */
} wp_layer_info;

typedef struct {
    char *id;            /* stable id, unique in the model ("plants:17" if no id field) */
    char *name;          /* UTF-8 display name (may equal id) */
    int layer;           /* index into model->layers */
    long fid;            /* OGR feature id */
    wp_source_kind kind;
    int material;        /* index into model->materials */
    double supply_t;     /* tonnes available this year (>= 0) */
    double lon, lat;
} wp_source;

typedef struct {
    char *id, *name;
    int layer;
    long fid;
    wp_sink_kind kind;
    double lon, lat;                   /* representative point (roads: any vertex) */
    double cap_total_t;                /* total intake limit, HUGE_VAL if none */
    unsigned accepts;                  /* bit m set: material m accepted */
    double cap_t[WP_MAX_MATERIALS];    /* per-material limit, HUGE_VAL if none */
    unsigned char *wkb;                /* original geometry, lon/lat, ISO WKB */
    size_t wkb_len;
    double length_km;                  /* road projects: geodesic length */
} wp_sink;

/* A candidate haul: source -> sink, within the material's limit. */
typedef struct {
    int src, sink;
    double dist_km;                    /* road distance used for cost */
    double to_lon, to_lat;             /* delivery point (nearest point of a line) */
} wp_arc;

typedef struct {
    wp_materials materials;
    int n_layers;
    wp_layer_info *layers;
    int n_sources, cap_sources;
    wp_source *sources;
    int n_sinks, cap_sinks;
    wp_sink *sinks;
    size_t n_arcs, cap_arcs;
    wp_arc *arcs;
    double detour;                     /* road distance / geodesic distance */
    /* Optional road geometry per arc (lon/lat ISO WKB LineString), parallel
    ** to arcs; NULL when absent, or NULL entries for arcs without a route.
    ** Filled after a solve for routed arcs carrying waste; the writer draws
    ** flows along them instead of straight lines. */
    unsigned char **arc_route_wkb;
    size_t *arc_route_len;
    size_t n_arc_routes;               /* entries in the two arrays */
} wp_model;

void wp_model_init(wp_model *m);       /* empty model, default materials */
void wp_model_free(wp_model *m);

/* Append; the returned pointer is valid until the next append to the same
** array. Strings passed in are copied. NULL on OOM. */
wp_source *wp_model_add_source(wp_model *m, const char *id, const char *name);
wp_sink *wp_model_add_sink(wp_model *m, const char *id, const char *name);
int wp_model_add_layer(wp_model *m, const wp_layer_info *info); /* index or -1 */
int wp_model_add_arc(wp_model *m, const wp_arc *a);            /* 0 or -1 */

/* Order sources (by id, then material) and sinks (by id), so that results
** do not depend on the order of features in the input layers. Must be
** called before arcs are built (arcs refer to indices). Ids are unique
** (the loader checks), so the order is total. */
void wp_model_sort_by_id(wp_model *m);

/* A sink's effective intake limit: its total, or the sum of its accepted
** materials' own limits when that is lower; HUGE_VAL when unlimited. */
double wp_sink_capacity(const wp_model *m, const wp_sink *k);

/* Cost of hauling one tonne along arc a: handling + rate * distance. */
double wp_arc_cost_per_t(const wp_model *m, const wp_arc *a);

#endif
