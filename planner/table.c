/*
** table.c — storage for wp_table (see table.h).
*/
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dup_opt(const char *s) {
    return s ? strdup(s) : NULL;
}

wp_table *wp_table_new(const char *name, const char *title,
                       const char *description, wp_geom_kind geom) {
    wp_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->name = strdup(name ? name : "table");
    t->title = dup_opt(title ? title : name);
    t->description = dup_opt(description ? description : "");
    t->geom = geom;
    if (!t->name || !t->title || !t->description) {
        wp_table_free(t);
        return NULL;
    }
    return t;
}

void wp_table_free(wp_table *t) {
    if (!t) return;
    for (int r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) free(t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c].text);
        if (t->wkb) free(t->wkb[r]);
    }
    for (int c = 0; c < t->n_cols; c++) {
        free(t->cols[c].name);
        free(t->cols[c].alias);
    }
    free(t->cols);
    free(t->cells);
    free(t->wkb);
    free(t->wkb_len);
    free(t->name);
    free(t->title);
    free(t->description);
    free(t->qml);
    free(t);
}

int wp_table_add_col(wp_table *t, const char *name, wp_col_type type,
                     const char *alias) {
    if (t->n_rows > 0 || !name) return -1;
    if (t->n_cols == t->cap_cols) {
        int nc = t->cap_cols ? t->cap_cols * 2 : 8;
        wp_column *p = realloc(t->cols, (size_t)nc * sizeof *p);
        if (!p) return -1;
        t->cols = p;
        t->cap_cols = nc;
    }
    wp_column *c = &t->cols[t->n_cols];
    c->name = strdup(name);
    c->alias = dup_opt(alias);
    c->type = type;
    if (!c->name || (alias && !c->alias)) {
        free(c->name);
        free(c->alias);
        return -1;
    }
    return t->n_cols++;
}

int wp_table_col(const wp_table *t, const char *name) {
    for (int c = 0; c < t->n_cols; c++)
        if (!strcmp(t->cols[c].name, name)) return c;
    return -1;
}

int wp_table_add_row(wp_table *t) {
    if (t->n_rows == t->cap_rows) {
        int nr = t->cap_rows ? t->cap_rows * 2 : 16;
        wp_cell *p = realloc(t->cells, (size_t)nr * (size_t)(t->n_cols ? t->n_cols : 1) * sizeof *p);
        if (!p) return -1;
        t->cells = p;
        if (t->geom != WP_GEOM_NONE) {
            unsigned char **w = realloc(t->wkb, (size_t)nr * sizeof *w);
            if (!w) return -1;
            t->wkb = w;
            size_t *l = realloc(t->wkb_len, (size_t)nr * sizeof *l);
            if (!l) return -1;
            t->wkb_len = l;
        }
        t->cap_rows = nr;
    }
    int r = t->n_rows++;
    for (int c = 0; c < t->n_cols; c++) {
        wp_cell *cell = &t->cells[(size_t)r * (size_t)t->n_cols + (size_t)c];
        memset(cell, 0, sizeof *cell);
        cell->is_null = 1;
    }
    if (t->geom != WP_GEOM_NONE) {
        t->wkb[r] = NULL;
        t->wkb_len[r] = 0;
    }
    return r;
}

static wp_cell *cell_at(wp_table *t, int row, int col, wp_col_type type) {
    if (row < 0 || row >= t->n_rows || col < 0 || col >= t->n_cols ||
        t->cols[col].type != type)
        return NULL;
    return &t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
}

int wp_table_set_text(wp_table *t, int row, int col, const char *v) {
    wp_cell *c = cell_at(t, row, col, WP_COL_TEXT);
    if (!c) return -1;
    char *copy = v ? strdup(v) : NULL;
    if (v && !copy) return -1;
    free(c->text);
    c->text = copy;
    c->is_null = v == NULL;
    return 0;
}

int wp_table_set_real(wp_table *t, int row, int col, double v) {
    wp_cell *c = cell_at(t, row, col, WP_COL_REAL);
    if (!c) return -1;
    c->real = v;
    c->is_null = isnan(v);
    return 0;
}

int wp_table_set_int(wp_table *t, int row, int col, long long v) {
    wp_cell *c = cell_at(t, row, col, WP_COL_INT);
    if (!c) return -1;
    c->integer = v;
    c->is_null = 0;
    return 0;
}

int wp_table_set_wkb(wp_table *t, int row, const unsigned char *wkb, size_t len) {
    if (t->geom == WP_GEOM_NONE || row < 0 || row >= t->n_rows) return -1;
    unsigned char *copy = NULL;
    if (wkb && len) {
        copy = malloc(len);
        if (!copy) return -1;
        memcpy(copy, wkb, len);
    }
    free(t->wkb[row]);
    t->wkb[row] = copy;
    t->wkb_len[row] = copy ? len : 0;
    return 0;
}

int wp_table_set_qml(wp_table *t, const char *qml) {
    char *copy = dup_opt(qml);
    if (qml && !copy) return -1;
    free(t->qml);
    t->qml = copy;
    return 0;
}

const wp_cell *wp_table_cell(const wp_table *t, int row, int col) {
    if (row < 0 || row >= t->n_rows || col < 0 || col >= t->n_cols) return NULL;
    return &t->cells[(size_t)row * (size_t)t->n_cols + (size_t)col];
}
