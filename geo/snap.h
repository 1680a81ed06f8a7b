/*
** snap.h — attach points and lines to a road network: the nearest segment
** (found with a GEOS STRtree over the segments in a local km plane) and the
** point on it, which splits the segment into two virtual half-edges. A
** source or sink then enters the network there, and the straight access leg
** to that point is charged at the geodesic rate.
*/
#ifndef WP_SNAP_H
#define WP_SNAP_H

#include <stddef.h>
#include "geo.h"
#include "roadnet.h"

/* Where a feature meets the network. seg < 0: nothing within the limit. */
typedef struct {
    int seg;               /* segment index in the network */
    double t;              /* 0 at seg_u, 1 at seg_v */
    double lon, lat;       /* the point on the segment */
    double access_km;      /* geodesic km from the feature to that point */
    double from_lon, from_lat; /* the feature's point the leg starts from */
} wp_snap;

typedef struct wp_snapper wp_snapper;

/* Index every segment of n (n must outlive the snapper). NULL on error
** with a message in err. */
wp_snapper *wp_snapper_new(wp_geo *g, const wp_roadnet *n, char *err, int errlen);
void wp_snapper_free(wp_snapper *s);

/* Nearest network point to (lon, lat). Returns 1 when found within max_km
** (out filled), 0 when the nearest road is farther (out->seg = -1 and
** out->access_km the distance to it, HUGE_VAL on an empty network), -1 on
** a GEOS error. */
int wp_snap_point(wp_snapper *s, double lon, double lat, double max_km, wp_snap *out);

/* Nearest network point to a line or polygon given as ISO WKB in lon/lat:
** out->from_lon/lat is the feature's point nearest the network (where a
** delivery arrives). Same returns as wp_snap_point. */
int wp_snap_geometry(wp_snapper *s, const unsigned char *wkb, size_t len,
                     double max_km, wp_snap *out);

#endif
