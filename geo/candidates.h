/*
** candidates.h — where new utilisation parks may go: candidates from a
** layer of available land, generated at yards and producers (the policy's
** preference: "优先选择固废堆场或排放源") and on a regular km grid inside
** allowed-area polygons; exclusion zones (polygons, or buffers round lines
** such as 5 km either side of the Yellow River) remove them; county
** polygons give each candidate its county for per-county limits.
**
** Buffers are made in metres in a local azimuthal equidistant projection
** centred on the zone, never in degrees; every test of a candidate against
** a zone uses a GEOS prepared geometry.
**
** Scenario sections read here (docs/scenario.md, "Siting"): [candidates],
** [candidates.grid], [counties], [exclusion.<name>].
*/
#ifndef WP_CANDIDATES_H
#define WP_CANDIDATES_H

#include "geo.h"
#include "../planner/config.h"
#include "../planner/model.h"
#include "../planner/siting.h"
#include "../planner/table.h"

typedef enum { WP_ZONE_ALLOWED = 0, WP_ZONE_EXCLUDED, WP_ZONE_COUNTY } wp_zone_kind;

typedef struct {
    wp_zone_kind kind;
    char *label;                       /* county name, or the zone's section */
    GEOSGeometry *geom;                /* lon/lat, polygonal (buffered if asked) */
    const GEOSPreparedGeometry *prep;
} wp_zone;

typedef struct {
    int n, cap;
    wp_zone *z;
} wp_cand_zones;

void wp_cand_zones_init(wp_cand_zones *z);
void wp_cand_zones_free(wp_geo *g, wp_cand_zones *z);

/* Add one zone from lon/lat ISO WKB. buffer_km > 0 buffers it (needed for
** points and lines, optional for polygons). 0, or -1 with a message. */
int wp_cand_zones_add(wp_geo *g, wp_cand_zones *z, wp_zone_kind kind,
                      const unsigned char *wkb, size_t len, double buffer_km,
                      const char *label, char *err, int errlen);

/* Append candidates of park type `type` on a square grid of spacing_km
** (in the local metric plane of the allowed zones' extent) at every node
** inside an allowed zone; ids prefix + running number, south to north then
** west to east. Returns the number added, or -1 with a message (no allowed
** zone, OOM). */
int wp_cand_grid(wp_geo *g, const wp_cand_zones *z, wp_siting *s, int type,
                 double spacing_km, const char *prefix, char *err, int errlen);

/* Remove candidates inside (or touching) any excluded zone, except
** required ones. Returns the number removed, or -1. */
int wp_cand_exclude(wp_geo *g, const wp_cand_zones *z, wp_siting *s,
                    char *err, int errlen);

/* Set each candidate's group to the first county zone that contains it
** (-1 when none). 0 or -1 on OOM. */
int wp_cand_assign_counties(wp_geo *g, const wp_cand_zones *z, wp_siting *s);

/* Everything the scenario says about candidates: park types already read
** into s (wp_siting_read_types); model m loaded (yards and producers are
** taken from it). Fills s->cands and groups. Returns the number of
** candidates, or -1 with a message naming file, layer, feature and field.
** Warnings (e.g. a required candidate inside an exclusion zone) go to
** stderr when g->verbose. */
int wp_candidates_build(wp_geo *g, wp_config *cfg, const wp_model *m,
                        wp_siting *s, char *err, int errlen);

/* Point WKB (ISO, little-endian) of lon/lat into buf[21]; returns 21. */
size_t wp_point_wkb(unsigned char buf[21], double lon, double lat);

#endif
