/*
** crs.c — CRS parsing, naming and transformation to WGS84 for input
** layers, on top of OGR's SRS API (which uses PROJ underneath).
**
** Axis order: since GDAL 3, EPSG:4326 and EPSG:4490 are latitude-first by
** definition, and a transformation built from such SRSs would swap x and y
** of every point read from a shapefile. OAMS_TRADITIONAL_GIS_ORDER on both
** ends keeps x = longitude, which is how every vector format stores them.
*/
#include "crs.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* See crs.h. OSRSetFromUserInput would also open a file or fetch a URL
** named by the text; GDAL 3.6 has no C switch to forbid that, so such text
** is refused before it gets there: a scenario value must not make us read
** arbitrary paths or the network. */
OGRSpatialReferenceH wp_crs_parse(const char *text, char *err, int errlen) {
    OGRSpatialReferenceH srs;
    OGRErr rc;

    if (!text || !*text || strstr(text, "://") || text[0] == '/' ||
        text[0] == '.' || text[0] == '\\') {
        if (err)
            snprintf(err, (size_t)errlen, "'%s' is not a CRS: write a code "
                     "such as EPSG:4490, WKT or a PROJ string, not a file or URL",
                     text ? text : "");
        return NULL;
    }
    srs = OSRNewSpatialReference(NULL);
    if (!srs) {
        if (err) snprintf(err, (size_t)errlen, "out of memory");
        return NULL;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    rc = OSRSetFromUserInput(srs, text);
    CPLPopErrorHandler();
    if (rc != OGRERR_NONE) {
        OSRDestroySpatialReference(srs);
        if (err)
            snprintf(err, (size_t)errlen, "'%s' is not a known CRS "
                     "(write e.g. EPSG:4490, EPSG:4326 or EPSG:4547)", text);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

OGRSpatialReferenceH wp_crs_clone(OGRSpatialReferenceH srs) {
    OGRSpatialReferenceH c = OSRClone(srs);
    if (c) OSRSetAxisMappingStrategy(c, OAMS_TRADITIONAL_GIS_ORDER);
    return c;
}

/* "AUTH:code" of the root node when present. */
static char *authority_label(OGRSpatialReferenceH srs) {
    const char *auth = OSRGetAuthorityName(srs, NULL);
    const char *code = OSRGetAuthorityCode(srs, NULL);
    char buf[96];
    if (!auth || !code) return NULL;
    snprintf(buf, sizeof buf, "%s:%s", auth, code);
    return strdup(buf);
}

/* Identification in three steps, cheapest first: an authority code already
** in the definition (GeoPackage, GeoJSON, EPSG user input); OGR's
** AutoIdentifyEPSG, which recognises the common geographic and UTM
** definitions; finally PROJ's matcher, which compares an ESRI .prj against
** the whole EPSG database and is the only step that recognises e.g.
** "CGCS2000_3_Degree_GK_CM_114E" as EPSG:4547. Only a 100 % match counts:
** a near match is a different CRS. */
char *wp_crs_label(OGRSpatialReferenceH srs) {
    OGRSpatialReferenceH c;
    OGRSpatialReferenceH *matches;
    int n = 0, *conf = NULL;
    char *label = authority_label(srs);
    const char *name;

    if (label) return label;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    c = OSRClone(srs);
    if (c && OSRAutoIdentifyEPSG(c) == OGRERR_NONE) label = authority_label(c);
    if (c) OSRDestroySpatialReference(c);
    if (!label) {
        matches = OSRFindMatches(srs, NULL, &n, &conf);
        if (matches && n > 0 && conf && conf[0] >= 100)
            label = authority_label(matches[0]);
        if (matches) OSRFreeSRSArray(matches);
        CPLFree(conf);
    }
    CPLPopErrorHandler();
    if (label) return label;
    name = OSRGetName(srs);
    return strdup(name && *name ? name : "unknown");
}

OGRCoordinateTransformationH wp_crs_to_wgs84(OGRSpatialReferenceH srs,
                                             char *err, int errlen) {
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH src;
    OGRCoordinateTransformationH ct = NULL;

    if (!wgs || OSRImportFromEPSG(wgs, 4326) != OGRERR_NONE) {
        if (wgs) OSRDestroySpatialReference(wgs);
        if (err) snprintf(err, (size_t)errlen, "cannot create the WGS84 CRS (is PROJ's proj.db installed?)");
        return NULL;
    }
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    src = wp_crs_clone(srs);
    if (src) {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
        ct = OCTNewCoordinateTransformation(src, wgs);
        if (!ct && err)
            snprintf(err, (size_t)errlen, "cannot transform from this CRS to "
                     "WGS84: %s", CPLGetLastErrorMsg());
        CPLPopErrorHandler();
        OSRDestroySpatialReference(src);
    } else if (err) {
        snprintf(err, (size_t)errlen, "out of memory");
    }
    OSRDestroySpatialReference(wgs);
    return ct;
}

int wp_crs_is_geographic(OGRSpatialReferenceH srs) {
    return OSRIsGeographic(srs) ? 1 : 0;
}

/* EPSG:4326 exactly: same datum and degrees. Compared by the identified
** code rather than OSRIsSame, which also calls CGCS2000 "the same" when
** told to ignore the datum. */
int wp_crs_is_wgs84(OGRSpatialReferenceH srs) {
    char *label = wp_crs_label(srs);
    int yes = label && strcmp(label, "EPSG:4326") == 0;
    free(label);
    return yes;
}
