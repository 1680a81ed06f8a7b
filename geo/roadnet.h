/*
** roadnet.h — a road network for haul distances: nodes at road vertices,
** undirected segments between consecutive vertices, and the directed arcs
** they allow (both ways, or one way for one-way streets) stored twice in
** compressed sparse row form: forward (out-arcs per node) for searches from
** sources and reverse (in-arcs per node) for searches from sinks.
**
** Every arc carries two numbers: its length in km (geodesic, per segment)
** and its cost in "cost km" = length x the road class's multiplier (or, by
** travel time, length x reference speed / speed). With every multiplier 1
** (the default) the two agree and the shortest path is the shortest road.
**
** Built from any OGR line layer (OpenStreetMap through GDAL's OSM driver,
** shapefiles, GeoPackages) by wp_roadnet_load, or piece by piece with the
** builder (generated networks, tests, benchmarks).
*/
#ifndef WP_ROADNET_H
#define WP_ROADNET_H

#include <stddef.h>
#include "geo.h"

/* Direction a segment may be driven. */
enum { WP_ROAD_BOTH = 0, WP_ROAD_FORWARD = 1, WP_ROAD_BACKWARD = -1 };

typedef struct {
    int n_nodes;
    double *lon, *lat;        /* per node, WGS84 degrees */
    /* undirected segments u -> v in digitised order */
    int n_segs;
    int *seg_u, *seg_v;
    double *seg_len;          /* km */
    double *seg_w_uv;         /* cost km driving u -> v, < 0 if not allowed */
    double *seg_w_vu;         /* cost km driving v -> u, < 0 if not allowed */
    /* directed arcs, forward CSR (indexed in search order, see order[]):
    ** out-arcs of node x are fwd_off[i] .. fwd_off[i+1]-1 for i = order[x],
    ** each to CSR index fwd_head[a] */
    int n_arcs;
    int *fwd_off, *fwd_head;
    double *fwd_w, *fwd_len;
    /* reverse CSR: in-arcs of node x, each from rev_tail[i] */
    int *rev_off, *rev_tail;
    double *rev_w, *rev_len;
    double lat0;              /* mean latitude: the snapping plane's reference */
    /* what the build saw, for messages */
    long features, features_skipped;
    /* The CSR arrays above number nodes in search order, not builder order:
    ** node x (a builder id, as everywhere else in this struct and in the
    ** router's interface) is CSR index order[x], and CSR index i is node
    ** node_at[i]. Search order follows a Hilbert curve over the nodes'
    ** coordinates, so nodes near each other on the ground, which a search
    ** settles at about the same time, sit near each other in memory. */
    int *order, *node_at;
} wp_roadnet;

/* How a road layer maps to the network. Strings may be NULL. */
#define WP_ROAD_MAX_CLASSES 64
typedef struct {
    const char *path, *layer;          /* layer NULL: "lines" for OSM, else the first */
    const char *field_class;           /* default "highway" when the layer has it */
    const char *field_oneway;          /* default "oneway" (also read from OSM other_tags) */
    const char *field_speed;           /* km/h column (e.g. "maxspeed"); NULL: class speeds */
    const char *field_cost;            /* per-feature cost multiplier column; NULL: none */
    int by_time;                       /* cost km = length x ref_speed / speed */
    double ref_speed;                  /* km/h, for by_time (default 60) */
    int node;                          /* 1: node the lines with GEOS first */
    int n_classes;                     /* overrides / additions to the class table */
    const char *class_name[WP_ROAD_MAX_CLASSES];
    double class_mult[WP_ROAD_MAX_CLASSES];   /* < 0 excludes the class */
} wp_roadnet_options;

/* Cost multiplier and speed of an OSM highway class under the defaults;
** returns 0 when the class is not for lorries (footway, cycleway, ...). */
int wp_road_class_default(const char *cls, double *mult, double *speed_kmh);

/* Read the layer and build the network. Lines are split at every vertex;
** vertices with equal coordinates (to 1e-7 degree) are one node, which is
** how OSM ways meet. Features of an excluded class are skipped. With
** o->node, lines that cross without a shared vertex are split there first.
** Returns NULL with one message in err (file, layer, feature, field). */
wp_roadnet *wp_roadnet_load(wp_geo *g, const wp_roadnet_options *o,
                            char *err, int errlen);

/* Builder: add nodes (deduplicated by coordinate when dedupe is set) and
** segments, then finish into CSR form. */
typedef struct wp_roadnet_builder wp_roadnet_builder;
wp_roadnet_builder *wp_roadnet_builder_new(int dedupe);
/* Node id of (lon, lat), new or existing; -1 on OOM. */
int wp_roadnet_builder_node(wp_roadnet_builder *b, double lon, double lat);
/* Segment u -> v of cost multiplier mult (> 0) and direction dir
** (WP_ROAD_*); its length is the geodesic distance of its nodes. Segments
** from a node to itself are ignored. 0, or -1 on OOM or bad arguments. */
int wp_roadnet_builder_segment(wp_roadnet_builder *b, int u, int v,
                               double mult, int dir);
/* Build the CSR arrays; frees the builder whatever happens. NULL on OOM. */
wp_roadnet *wp_roadnet_builder_finish(wp_roadnet_builder *b);
void wp_roadnet_builder_free(wp_roadnet_builder *b);

void wp_roadnet_free(wp_roadnet *n);

/* Bytes held by the network's arrays (for memory reports). */
size_t wp_roadnet_bytes(const wp_roadnet *n);

#endif
