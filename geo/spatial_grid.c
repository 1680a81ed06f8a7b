/*
** spatial_grid.c — uniform lon/lat bucket grid over item boxes (see
** spatial_grid.h).
**
** Layout: cells are numbered row-major (iy * nx + ix); the ids filed in cell
** c are cell_items[cell_start[c] .. cell_start[c+1]-1], built by counting
** first and filling second, so there is one allocation per array and no
** per-cell lists. A box spanning several cells is filed in each of them;
** queries drop the repeats with a per-item stamp rather than a sort.
*/
#include "spatial_grid.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Caps that keep a degenerate input (tiny cells, huge extent) from turning
** into a huge allocation. 2^22 cells of 4 bytes is 16 MB. */
#define GRID_MAX_DIM 4096
#define GRID_MAX_CELLS (1 << 22)

/* Clamp x into [lo, hi]; NaN becomes lo. */
static double clampd(double x, double lo, double hi) {
    if (!(x >= lo)) return lo;
    if (x > hi) return hi;
    return x;
}

/* Cell column holding longitude lon, clamped to the grid. */
static int cell_x(const wp_grid *g, double lon) {
    double f = floor((lon - g->lon0) / g->dlon);
    return (int)clampd(f, 0.0, (double)(g->nx - 1));
}

/* Cell row holding latitude lat, clamped to the grid. */
static int cell_y(const wp_grid *g, double lat) {
    double f = floor((lat - g->lat0) / g->dlat);
    return (int)clampd(f, 0.0, (double)(g->ny - 1));
}

/* Number of cells of size cell needed to cover width, at least 1 and at
** most GRID_MAX_DIM. */
static int cells_for(double width, double cell) {
    if (!(cell > 0.0) || !(width > 0.0)) return 1;
    double k = ceil(width / cell);
    if (!(k >= 1.0)) return 1;
    if (k > GRID_MAX_DIM) return GRID_MAX_DIM;
    return (int)k;
}

int wp_grid_build(wp_grid *g, const wp_bbox *boxes, int n,
                  double cell_lon, double cell_lat) {
    memset(g, 0, sizeof *g);
    if (n < 0) n = 0;
    g->n_items = n;
    g->box = malloc((size_t)(n > 0 ? n : 1) * sizeof *g->box);
    g->seen = calloc((size_t)(n > 0 ? n : 1), sizeof *g->seen);
    if (!g->box || !g->seen) return -1;

    /* Extent: the union of the (clamped) item boxes. */
    double lo_x = 180.0, hi_x = -180.0, lo_y = 90.0, hi_y = -90.0;
    for (int i = 0; i < n; i++) {
        wp_bbox b = boxes[i];
        b.lon_lo = clampd(b.lon_lo, -180.0, 180.0);
        b.lon_hi = clampd(b.lon_hi, b.lon_lo, 180.0);
        b.lat_lo = clampd(b.lat_lo, -90.0, 90.0);
        b.lat_hi = clampd(b.lat_hi, b.lat_lo, 90.0);
        g->box[i] = b;
        if (b.lon_lo < lo_x) lo_x = b.lon_lo;
        if (b.lon_hi > hi_x) hi_x = b.lon_hi;
        if (b.lat_lo < lo_y) lo_y = b.lat_lo;
        if (b.lat_hi > hi_y) hi_y = b.lat_hi;
    }
    if (n == 0) lo_x = hi_x = lo_y = hi_y = 0.0;

    g->nx = cells_for(hi_x - lo_x, cell_lon);
    g->ny = cells_for(hi_y - lo_y, cell_lat);
    while ((long)g->nx * g->ny > GRID_MAX_CELLS) {
        if (g->nx > 1) g->nx = (g->nx + 1) / 2;
        if (g->ny > 1) g->ny = (g->ny + 1) / 2;
    }
    /* Cells exactly tile the extent; a zero-width extent gets a unit cell so
    ** that the divisions in cell_x/cell_y stay finite. */
    g->lon0 = lo_x;
    g->lat0 = lo_y;
    g->dlon = hi_x > lo_x ? (hi_x - lo_x) / g->nx : 1.0;
    g->dlat = hi_y > lo_y ? (hi_y - lo_y) / g->ny : 1.0;

    size_t ncell = (size_t)g->nx * (size_t)g->ny;
    g->cell_start = calloc(ncell + 1, sizeof *g->cell_start);
    if (!g->cell_start) return -1;

    /* Pass 1: count the entries of each cell. */
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        const wp_bbox *b = &g->box[i];
        int x0 = cell_x(g, b->lon_lo), x1 = cell_x(g, b->lon_hi);
        int y0 = cell_y(g, b->lat_lo), y1 = cell_y(g, b->lat_hi);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) g->cell_start[(size_t)y * g->nx + x + 1]++;
        total += (size_t)(x1 - x0 + 1) * (size_t)(y1 - y0 + 1);
    }
    if (total > INT_MAX) return -1;
    for (size_t c = 0; c < ncell; c++) g->cell_start[c + 1] += g->cell_start[c];

    /* Pass 2: fill, using a cursor per cell. Items go in ascending id. */
    g->cell_items = malloc((total > 0 ? total : 1) * sizeof *g->cell_items);
    int *cursor = malloc(ncell * sizeof *cursor);
    if (!g->cell_items || !cursor) {
        free(cursor);
        return -1;
    }
    memcpy(cursor, g->cell_start, ncell * sizeof *cursor);
    for (int i = 0; i < n; i++) {
        const wp_bbox *b = &g->box[i];
        int x0 = cell_x(g, b->lon_lo), x1 = cell_x(g, b->lon_hi);
        int y0 = cell_y(g, b->lat_lo), y1 = cell_y(g, b->lat_hi);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                g->cell_items[cursor[(size_t)y * g->nx + x]++] = i;
    }
    free(cursor);
    return 0;
}

void wp_grid_free(wp_grid *g) {
    free(g->box);
    free(g->seen);
    free(g->cell_start);
    free(g->cell_items);
    memset(g, 0, sizeof *g);
}

int wp_idlist_push(wp_idlist *l, int id) {
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 64;
        int *nv = realloc(l->v, (size_t)nc * sizeof *nv);
        if (!nv) return -1;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = id;
    return 0;
}

void wp_idlist_free(wp_idlist *l) {
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Collect the items of the cells overlapping [lon_lo, lon_hi] x [lat_lo,
** lat_hi] (a box inside the world) whose own box intersects it and that
** this query has not taken yet. */
static int query_part(wp_grid *g, double lon_lo, double lon_hi,
                      double lat_lo, double lat_hi, wp_idlist *out) {
    if (g->n_items == 0) return 0;
    /* Skip parts wholly outside the grid: clamping would otherwise visit
    ** the edge cells for nothing. */
    if (lon_hi < g->lon0 || lon_lo > g->lon0 + g->nx * g->dlon) return 0;
    if (lat_hi < g->lat0 || lat_lo > g->lat0 + g->ny * g->dlat) return 0;
    int x0 = cell_x(g, lon_lo), x1 = cell_x(g, lon_hi);
    int y0 = cell_y(g, lat_lo), y1 = cell_y(g, lat_hi);
    for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
            size_t c = (size_t)y * g->nx + x;
            for (int k = g->cell_start[c]; k < g->cell_start[c + 1]; k++) {
                int id = g->cell_items[k];
                if (g->seen[id] == g->stamp) continue;
                const wp_bbox *b = &g->box[id];
                if (b->lon_hi < lon_lo || b->lon_lo > lon_hi ||
                    b->lat_hi < lat_lo || b->lat_lo > lat_hi)
                    continue;
                g->seen[id] = g->stamp;
                if (wp_idlist_push(out, id) < 0) return -1;
            }
        }
    }
    return 0;
}

int wp_grid_query(wp_grid *g, const wp_bbox *q, wp_idlist *out) {
    /* A fresh stamp per query; on wrap-around clear the marks so an old
    ** stamp can never be mistaken for the current one. */
    if (++g->stamp == 0) {
        memset(g->seen, 0, (size_t)(g->n_items > 0 ? g->n_items : 1) * sizeof *g->seen);
        g->stamp = 1;
    }
    if (!(q->lat_hi >= q->lat_lo) || !(q->lon_hi >= q->lon_lo)) return 0;
    if (q->lat_lo > 90.0 || q->lat_hi < -90.0) return 0;   /* off the globe */
    double lat_lo = clampd(q->lat_lo, -90.0, 90.0);
    double lat_hi = clampd(q->lat_hi, -90.0, 90.0);
    double lo = q->lon_lo, hi = q->lon_hi;

    /* Longitude: a box at least 360 degrees wide is the whole world;
    ** otherwise the part inside [-180, 180] plus what runs past either
    ** side, shifted by 360 degrees. */
    if (hi - lo >= 360.0 || !isfinite(lo) || !isfinite(hi))
        return query_part(g, -180.0, 180.0, lat_lo, lat_hi, out);
    if (lo < -540.0 || hi > 540.0) {
        /* Far outside the usual range: bring the box's west edge into
        ** [-180, 180) first. */
        double shift = 360.0 * floor((lo + 180.0) / 360.0);
        lo -= shift;
        hi -= shift;
    }
    if (hi >= -180.0 && lo <= 180.0 &&
        query_part(g, clampd(lo, -180.0, 180.0), clampd(hi, -180.0, 180.0),
                   lat_lo, lat_hi, out) < 0)
        return -1;
    if (lo < -180.0 &&
        query_part(g, lo + 360.0, 180.0, lat_lo, lat_hi, out) < 0)
        return -1;
    if (hi > 180.0 &&
        query_part(g, -180.0, hi - 360.0, lat_lo, lat_hi, out) < 0)
        return -1;
    return 0;
}
