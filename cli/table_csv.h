/*
** table_csv.h — write a wp_table as CSV (RFC 4180, UTF-8 with BOM so that
** Excel on a Chinese Windows opens it correctly), atomically.
*/
#ifndef WP_TABLE_CSV_H
#define WP_TABLE_CSV_H

#include <stdio.h>
#include "../planner/table.h"

/* Write t to f: a header row of column names, then one line per row; NULL
** cells are empty, reals with up to 17 significant digits. Geometry is not
** written. Returns 0 or -1 on a write error. */
int wp_table_write_csv(FILE *f, const wp_table *t, int with_bom);

/* Write t to path through a temporary file renamed into place on success.
** Returns 0, or -1 with a message in err. */
int wp_table_save_csv(const char *path, const wp_table *t, char *err, int errlen);

#endif
