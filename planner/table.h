/*
** table.h — a small typed table (named columns of text, real or integer
** cells, optional geometry per row as WKB) for results beyond the fixed
** allocation layers: siting, yearly balances, comparisons, OD matrices.
** Plain data: geo/gpkg.c writes tables into the GeoPackage, cli/ prints
** them or writes CSV.
**
** Ownership: the table owns every string and WKB copied into it.
*/
#ifndef WP_TABLE_H
#define WP_TABLE_H

#include <stddef.h>

typedef enum { WP_COL_TEXT = 0, WP_COL_REAL, WP_COL_INT } wp_col_type;

/* Geometry of a table's rows (an OGR geometry type is chosen from it). */
typedef enum {
    WP_GEOM_NONE = 0, WP_GEOM_POINT, WP_GEOM_LINE, WP_GEOM_POLYGON, WP_GEOM_ANY
} wp_geom_kind;

typedef struct {
    char *name;          /* ascii column name */
    wp_col_type type;
    char *alias;         /* Chinese display name (may be NULL) */
} wp_column;

typedef struct {
    int is_null;
    char *text;          /* WP_COL_TEXT */
    double real;         /* WP_COL_REAL */
    long long integer;   /* WP_COL_INT */
} wp_cell;

typedef struct {
    char *name;          /* layer/table name: "yearly" */
    char *title;         /* shown in QGIS: "yearly 年度平衡" */
    char *description;
    wp_geom_kind geom;
    char *qml;           /* optional default QGIS style */
    int n_cols, cap_cols;
    wp_column *cols;
    int n_rows, cap_rows;
    wp_cell *cells;      /* row-major, n_rows * n_cols; columns fixed once a row exists */
    unsigned char **wkb; /* per row (lon/lat ISO WKB), only when geom != NONE */
    size_t *wkb_len;
} wp_table;

/* NULL on OOM. title and description may be NULL. */
wp_table *wp_table_new(const char *name, const char *title,
                       const char *description, wp_geom_kind geom);
void wp_table_free(wp_table *t);

/* Add a column (before any row). Returns its index or -1. */
int wp_table_add_col(wp_table *t, const char *name, wp_col_type type,
                     const char *alias);
/* Index of column name, or -1. */
int wp_table_col(const wp_table *t, const char *name);

/* Append a row of NULL cells; returns its index or -1 on OOM. */
int wp_table_add_row(wp_table *t);

/* Set a cell; the type must match the column's. A NaN real is stored as
** NULL. Return 0, or -1 on a bad index/type or OOM. */
int wp_table_set_text(wp_table *t, int row, int col, const char *v);
int wp_table_set_real(wp_table *t, int row, int col, double v);
int wp_table_set_int(wp_table *t, int row, int col, long long v);
int wp_table_set_wkb(wp_table *t, int row, const unsigned char *wkb, size_t len);
/* Copy a QGIS style into the table (replacing any). */
int wp_table_set_qml(wp_table *t, const char *qml);

const wp_cell *wp_table_cell(const wp_table *t, int row, int col);

#endif
