/*
** test_geo.c — the geometry context and the geodesic distance: published
** geodesics, an independent meridian-arc integral, symmetry, and GEOS
** messages landing in the context.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "../geo/geo.h"

#define PI 3.14159265358979323846

/* Degrees from degrees, minutes, seconds. */
static double dms(double d, double m, double s) {
    return d + m / 60.0 + s / 3600.0;
}

/* Meridian arc length (km) between two latitudes on WGS84, by Simpson's
** rule on M(phi) = a (1 - e^2) / (1 - e^2 sin^2 phi)^(3/2): a computation
** that shares nothing with the geodesic code under test. */
static double meridian_arc_km(double lat1, double lat2) {
    const double a = 6378137.0, f = 1.0 / 298.257223563;
    const double e2 = f * (2.0 - f);
    const int n = 2000;                  /* even */
    double p1 = lat1 * PI / 180.0, p2 = lat2 * PI / 180.0, h = (p2 - p1) / n;
    double sum = 0.0;
    for (int i = 0; i <= n; i++) {
        double p = p1 + i * h, s = sin(p);
        double mrad = a * (1.0 - e2) / pow(1.0 - e2 * s * s, 1.5);
        sum += mrad * (i == 0 || i == n ? 1.0 : (i % 2 ? 4.0 : 2.0));
    }
    return sum * h / 3.0 / 1000.0;
}

/* One degree of the equator is a * pi / 180. */
static void test_equator_degree(void **state) {
    (void)state;
    double want = 6378137.0 * PI / 180.0 / 1000.0;     /* 111.3195 km */
    assert_true(fabs(wp_geodesic_km(0, 0, 1, 0) - want) < 1e-6);
    assert_true(fabs(wp_geodesic_km(113.0, 0, 114.0, 0) - want) < 1e-6);
    assert_true(fabs(want - 111.3195) < 1e-4);
}

/* A meridian degree about 35N, against the integral (and about 110.95 km). */
static void test_meridian_degree_35n(void **state) {
    (void)state;
    double got = wp_geodesic_km(113.2, 34.5, 113.2, 35.5);
    assert_true(fabs(got - meridian_arc_km(34.5, 35.5)) < 1e-6);
    assert_true(fabs(got - 110.95) < 0.01);
    /* and a long meridian arc, equator to 60N */
    got = wp_geodesic_km(10.0, 0.0, 10.0, 60.0);
    assert_true(fabs(got - meridian_arc_km(0.0, 60.0)) < 1e-5);
}

/* Published geodesics: GeographicLib's GeodSolve example (JFK to Singapore
** Changi, 15347628 m to the metre) and Vincenty's classic Flinders Peak to
** Buninyong line (54972.271 m, GRS80: the same to the micrometre here). */
static void test_published_geodesics(void **state) {
    (void)state;
    double km = wp_geodesic_km(-dms(73, 46, 44), dms(40, 38, 23),
                               dms(103, 59, 22), dms(1, 21, 33));
    assert_true(fabs(km * 1000.0 - 15347628.0) < 0.6);

    km = wp_geodesic_km(dms(144, 25, 29.52440), -dms(37, 57, 3.72030),
                        dms(143, 55, 35.38390), -dms(37, 39, 10.15610));
    assert_true(fabs(km * 1000.0 - 54972.271) < 0.002);
}

/* Symmetry, zero, antimeridian and poles. */
static void test_geodesic_properties(void **state) {
    (void)state;
    assert_true(wp_geodesic_km(113.2, 35.2, 113.2, 35.2) == 0.0);
    double a = wp_geodesic_km(113.20, 35.22, 113.396, 35.344);
    double b = wp_geodesic_km(113.396, 35.344, 113.20, 35.22);
    assert_true(fabs(a - b) < 1e-9);
    /* across the antimeridian: 0.2 degree of longitude, not 359.8 */
    double w = wp_geodesic_km(179.9, 10.0, -179.9, 10.0);
    assert_true(w > 21.0 && w < 23.0);
    /* pole to pole is twice the quarter meridian (10001.966 km) */
    double pp = wp_geodesic_km(0, -90, 0, 90);
    assert_true(fabs(pp - 2.0 * meridian_arc_km(0.0, 90.0)) < 1e-4);
    assert_true(fabs(pp / 2.0 - 10001.966) < 0.001);
}

/* Jiaozuo: the Zhongzhan plant to Wanfang Aluminium, against a local flat
** estimate with the ellipsoid's radii of curvature at the mid-latitude. */
static void test_jiaozuo_local(void **state) {
    (void)state;
    const double a = 6378137.0, f = 1.0 / 298.257223563, e2 = f * (2 - f);
    double lon1 = 113.20, lat1 = 35.22, lon2 = 113.368, lat2 = 35.250;
    double phi = (lat1 + lat2) / 2.0 * PI / 180.0, s = sin(phi);
    double mrad = a * (1 - e2) / pow(1 - e2 * s * s, 1.5);
    double nrad = a / sqrt(1 - e2 * s * s);
    double dx = (lon2 - lon1) * PI / 180.0 * nrad * cos(phi);
    double dy = (lat2 - lat1) * PI / 180.0 * mrad;
    double flat = sqrt(dx * dx + dy * dy) / 1000.0;
    double km = wp_geodesic_km(lon1, lat1, lon2, lat2);
    assert_true(fabs(km - flat) < 0.002);     /* 15.6 km: agree to metres */
    assert_true(km > 15.0 && km < 16.5);
}

/* The context holds working PROJ and GEOS handles, and GEOS errors are
** kept in the context instead of being printed. */
static void test_context(void **state) {
    (void)state;
    wp_geo *g = wp_geo_new();
    assert_non_null(g);
    assert_non_null(g->proj);
    assert_non_null(g->geos);
    assert_int_equal(g->geos_msg[0], '\0');

    GEOSWKTReader *r = GEOSWKTReader_create_r(g->geos);
    assert_non_null(r);
    GEOSGeometry *bad = GEOSWKTReader_read_r(g->geos, r, "LINESTRING (1 2, oops)");
    assert_null(bad);
    assert_true(strlen(g->geos_msg) > 0);
    GEOSGeometry *ok = GEOSWKTReader_read_r(g->geos, r, "POINT (113.2 35.2)");
    assert_non_null(ok);
    GEOSGeom_destroy_r(g->geos, ok);
    GEOSWKTReader_destroy_r(g->geos, r);

    PJ *p = proj_create(g->proj, "+proj=aeqd +lat_0=35.2 +lon_0=113.2 +datum=WGS84");
    assert_non_null(p);
    proj_destroy(p);
    wp_geo_free(g);
    wp_geo_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equator_degree),
        cmocka_unit_test(test_meridian_degree_35n),
        cmocka_unit_test(test_published_geodesics),
        cmocka_unit_test(test_geodesic_properties),
        cmocka_unit_test(test_jiaozuo_local),
        cmocka_unit_test(test_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
