/*
** spatial_grid.h — a uniform lon/lat bucket grid over bounding boxes, used to
** find the sinks that may lie within haul range of a source without testing
** every pair. Items are boxes (a point is a degenerate box); each item is
** filed in every cell its box overlaps. A query returns, once each, the
** items whose box intersects the query box, and understands query boxes that
** run past the antimeridian.
*/
#ifndef WP_SPATIAL_GRID_H
#define WP_SPATIAL_GRID_H

/* Longitude/latitude box in degrees, lon_lo <= lon_hi, lat_lo <= lat_hi. */
typedef struct {
    double lon_lo, lat_lo, lon_hi, lat_hi;
} wp_bbox;

/* A growable list of item ids; the caller owns v. */
typedef struct {
    int n, cap;
    int *v;
} wp_idlist;

typedef struct {
    int n_items;
    wp_bbox *box;          /* copy of the item boxes, clamped to the world */
    double lon0, lat0;     /* south-west corner of cell (0,0) */
    double dlon, dlat;     /* cell size, degrees, > 0 */
    int nx, ny;
    int *cell_start;       /* nx*ny+1 offsets into cell_items (CSR layout) */
    int *cell_items;       /* item ids, ascending within a cell */
    unsigned *seen;        /* per item: stamp of the last query that took it */
    unsigned stamp;
} wp_grid;

/* Build a grid over n item boxes with cells of about cell_lon x cell_lat
** degrees (enlarged when the grid would have too many cells). Item
** boxes must lie in lon [-180, 180], lat [-90, 90]; an item crossing the
** antimeridian should be passed as the full longitude range. Returns 0, or
** -1 on OOM (g is then left freeable). */
int wp_grid_build(wp_grid *g, const wp_bbox *boxes, int n,
                  double cell_lon, double cell_lat);
void wp_grid_free(wp_grid *g);

/* Append to out the id of every item whose box intersects q, each once, in
** no particular order. q may extend past +-180 in longitude (the excess
** wraps round) and past +-90 in latitude (clamped). Not re-entrant: the
** grid keeps per-item marks. Returns 0, or -1 on OOM. */
int wp_grid_query(wp_grid *g, const wp_bbox *q, wp_idlist *out);

/* Append one id; 0 or -1 on OOM. */
int wp_idlist_push(wp_idlist *l, int id);
void wp_idlist_free(wp_idlist *l);

#endif
