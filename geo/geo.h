/*
** geo.h — the geometry context: one PROJ context, one GEOS handle and GDAL
** registration, created once per run and passed explicitly to every geo/
** call (no hidden globals, so everything stays re-entrant and testable).
*/
#ifndef WP_GEO_H
#define WP_GEO_H

#include <geos_c.h>
#include <proj.h>

typedef struct {
    PJ_CONTEXT *proj;
    GEOSContextHandle_t geos;
    int verbose;          /* progress on stderr */
    char geos_msg[256];   /* last GEOS error or notice, "" if none */
} wp_geo;

/* NULL on failure (message on stderr). */
wp_geo *wp_geo_new(void);
void wp_geo_free(wp_geo *g);

/* Geodesic distance in km between two lon/lat points on the WGS84
** ellipsoid (CGCS2000's ellipsoid differs by < 0.1 mm). */
double wp_geodesic_km(double lon1, double lat1, double lon2, double lat2);

#endif
