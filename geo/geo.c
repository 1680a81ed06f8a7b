/*
** geo.c — the geometry context shared by every geo/ call: a PROJ context, a
** re-entrant GEOS handle whose messages land in the context (not on stderr),
** and GDAL driver registration. Also the one geodesic distance function the
** planner uses for straight-line distances.
*/
#include "geo.h"

#include <gdal.h>
#include <geodesic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* WGS84 ellipsoid. CGCS2000 uses the same semi-major axis and a flattening
** that differs in the 11th digit, so one ellipsoid serves both. */
#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)

/* GEOS handler: keep the last message so a caller can quote it in its own
** error report. GEOS messages are short; longer ones are truncated. */
static void geos_message(const char *msg, void *userdata) {
    wp_geo *g = userdata;
    snprintf(g->geos_msg, sizeof g->geos_msg, "%s", msg ? msg : "");
}

/* Create the context. All three libraries are set up here so that a failure
** is reported once, at start-up, rather than in the middle of a run. */
wp_geo *wp_geo_new(void) {
    wp_geo *g = calloc(1, sizeof *g);
    if (!g) {
        fprintf(stderr, "wasteplan: out of memory creating the geometry context\n");
        return NULL;
    }
    g->proj = proj_context_create();
    if (!g->proj) {
        fprintf(stderr, "wasteplan: cannot create a PROJ context\n");
        free(g);
        return NULL;
    }
    g->geos = GEOS_init_r();
    if (!g->geos) {
        fprintf(stderr, "wasteplan: cannot initialise GEOS\n");
        proj_context_destroy(g->proj);
        free(g);
        return NULL;
    }
    GEOSContext_setNoticeMessageHandler_r(g->geos, geos_message, g);
    GEOSContext_setErrorMessageHandler_r(g->geos, geos_message, g);
    GDALAllRegister();
    return g;
}

/* Release everything wp_geo_new created; NULL is allowed. GDAL's driver
** registry is process-wide and stays registered. */
void wp_geo_free(wp_geo *g) {
    if (!g) return;
    if (g->geos) GEOS_finish_r(g->geos);
    if (g->proj) proj_context_destroy(g->proj);
    free(g);
}

/* Geodesic (shortest path on the ellipsoid) distance in km, by Karney's
** algorithm as shipped with PROJ: accurate to nanometres for any pair,
** antipodal ones included. Coordinates are degrees, lon first. */
double wp_geodesic_km(double lon1, double lat1, double lon2, double lat2) {
    struct geod_geodesic geod;
    double s12 = 0.0;

    geod_init(&geod, WGS84_A, WGS84_F);
    geod_inverse(&geod, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12 / 1000.0;
}
