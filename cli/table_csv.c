/*
** table_csv.c — CSV output of wp_table (see table_csv.h).
*/
#include "table_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Quote a field when it holds a comma, quote, CR or LF. */
static int put_text(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\r\n")) return fputs(s, f) < 0 ? -1 : 0;
    if (fputc('"', f) == EOF) return -1;
    for (const char *p = s; *p; p++) {
        if (*p == '"' && fputc('"', f) == EOF) return -1;
        if (fputc(*p, f) == EOF) return -1;
    }
    return fputc('"', f) == EOF ? -1 : 0;
}

int wp_table_write_csv(FILE *f, const wp_table *t, int with_bom) {
    if (with_bom && fputs("\xEF\xBB\xBF", f) < 0) return -1;
    for (int c = 0; c < t->n_cols; c++)
        if ((c && fputc(',', f) == EOF) || put_text(f, t->cols[c].name) < 0) return -1;
    if (fputs("\r\n", f) < 0) return -1;
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            if (c && fputc(',', f) == EOF) return -1;
            const wp_cell *cell = wp_table_cell(t, r, c);
            if (cell->is_null) continue;
            int rc = 0;
            switch (t->cols[c].type) {
            case WP_COL_TEXT: rc = put_text(f, cell->text); break;
            case WP_COL_REAL: rc = fprintf(f, "%.17g", cell->real) < 0 ? -1 : 0; break;
            case WP_COL_INT: rc = fprintf(f, "%lld", cell->integer) < 0 ? -1 : 0; break;
            }
            if (rc < 0) return -1;
        }
        if (fputs("\r\n", f) < 0) return -1;
    }
    return ferror(f) ? -1 : 0;
}

int wp_table_save_csv(const char *path, const wp_table *t, char *err, int errlen) {
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp) {
        snprintf(err, (size_t)errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, (size_t)errlen, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = wp_table_write_csv(f, t, 1);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) rc = -1;
    if (fclose(f) != 0) rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) rc = -1;
    if (rc < 0) {
        snprintf(err, (size_t)errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}
