/*
** crs.h — coordinate reference systems of input layers: parse what a
** scenario writes (`crs = EPSG:4490`), name a layer's CRS for the record
** ("EPSG:4547" when identifiable), and build the transformation to WGS84
** longitude/latitude. Every SRS made here uses the traditional GIS axis
** order (x = easting/longitude), whatever the EPSG definition says, because
** files store x first.
*/
#ifndef WP_CRS_H
#define WP_CRS_H

#include <ogr_srs_api.h>

/* Parse a user CRS ("EPSG:4490", "CGCS2000 / 3-degree Gauss-Kruger CM 114E"
** as WKT, a PROJ string). Never reads files or the network. Returns a new
** SRS (OSRDestroySpatialReference it) or NULL with a message in err. */
OGRSpatialReferenceH wp_crs_parse(const char *text, char *err, int errlen);

/* Clone srs with traditional axis order. NULL on failure. */
OGRSpatialReferenceH wp_crs_clone(OGRSpatialReferenceH srs);

/* A malloc'd label: "EPSG:4547" when the SRS carries or can be matched to
** an authority code with full confidence, else its name, else "unknown".
** NULL on OOM. */
char *wp_crs_label(OGRSpatialReferenceH srs);

/* Transformation from srs to WGS84 lon/lat (EPSG:4326, traditional order).
** NULL with a message in err when PROJ cannot relate the two. */
OGRCoordinateTransformationH wp_crs_to_wgs84(OGRSpatialReferenceH srs,
                                             char *err, int errlen);

/* 1 when srs is geographic (degrees), 0 when projected or other. */
int wp_crs_is_geographic(OGRSpatialReferenceH srs);

/* 1 when srs already is WGS84 lon/lat (no transformation needed). */
int wp_crs_is_wgs84(OGRSpatialReferenceH srs);

#endif
