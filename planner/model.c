/*
** model.c — storage for the planning model: growable arrays of sources,
** sinks, layers and arcs, each owning its strings. See model.h.
*/
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const char *s) {
    return strdup(s ? s : "");
}

/* Grow *arr (element size sz) so that it holds at least need elements. */
static int grow(void **arr, size_t *cap, size_t need, size_t sz) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need) nc *= 2;
    void *p = realloc(*arr, nc * sz);
    if (!p) return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

void wp_model_init(wp_model *m) {
    memset(m, 0, sizeof *m);
    wp_materials_init_defaults(&m->materials);
    m->detour = 1.3;
}

static void free_layer(wp_layer_info *l) {
    free(l->role);
    free(l->section);
    free(l->path);
    free(l->layer_name);
    free(l->crs);
    free(l->encoding);
}

void wp_model_free(wp_model *m) {
    for (int i = 0; i < m->n_layers; i++) free_layer(&m->layers[i]);
    for (int i = 0; i < m->n_sources; i++) {
        free(m->sources[i].id);
        free(m->sources[i].name);
    }
    for (int i = 0; i < m->n_sinks; i++) {
        free(m->sinks[i].id);
        free(m->sinks[i].name);
        free(m->sinks[i].wkb);
    }
    free(m->layers);
    free(m->sources);
    free(m->sinks);
    free(m->arcs);
    for (size_t a = 0; m->arc_route_wkb && a < m->n_arc_routes; a++)
        free(m->arc_route_wkb[a]);
    free(m->arc_route_wkb);
    free(m->arc_route_len);
    memset(m, 0, sizeof *m);
}

wp_source *wp_model_add_source(wp_model *m, const char *id, const char *name) {
    size_t cap = (size_t)m->cap_sources;
    if (grow((void **)&m->sources, &cap, (size_t)m->n_sources + 1,
             sizeof *m->sources) < 0)
        return NULL;
    m->cap_sources = (int)cap;
    wp_source *s = &m->sources[m->n_sources];
    memset(s, 0, sizeof *s);
    s->id = dup_or_empty(id);
    s->name = dup_or_empty(name && *name ? name : id);
    if (!s->id || !s->name) {
        free(s->id);
        free(s->name);
        return NULL;
    }
    s->material = -1;
    m->n_sources++;
    return s;
}

wp_sink *wp_model_add_sink(wp_model *m, const char *id, const char *name) {
    size_t cap = (size_t)m->cap_sinks;
    if (grow((void **)&m->sinks, &cap, (size_t)m->n_sinks + 1,
             sizeof *m->sinks) < 0)
        return NULL;
    m->cap_sinks = (int)cap;
    wp_sink *k = &m->sinks[m->n_sinks];
    memset(k, 0, sizeof *k);
    k->id = dup_or_empty(id);
    k->name = dup_or_empty(name && *name ? name : id);
    if (!k->id || !k->name) {
        free(k->id);
        free(k->name);
        return NULL;
    }
    k->cap_total_t = HUGE_VAL;
    for (int i = 0; i < WP_MAX_MATERIALS; i++) k->cap_t[i] = HUGE_VAL;
    m->n_sinks++;
    return k;
}

int wp_model_add_layer(wp_model *m, const wp_layer_info *info) {
    wp_layer_info *nl = realloc(m->layers, (size_t)(m->n_layers + 1) * sizeof *nl);
    if (!nl) return -1;
    m->layers = nl;
    wp_layer_info *l = &m->layers[m->n_layers];
    *l = *info;
    l->role = dup_or_empty(info->role);
    l->section = dup_or_empty(info->section);
    l->path = dup_or_empty(info->path);
    l->layer_name = dup_or_empty(info->layer_name);
    l->crs = dup_or_empty(info->crs);
    l->encoding = dup_or_empty(info->encoding);
    if (!l->role || !l->section || !l->path || !l->layer_name || !l->crs ||
        !l->encoding) {
        free_layer(l);
        return -1;
    }
    return m->n_layers++;
}

int wp_model_add_arc(wp_model *m, const wp_arc *a) {
    if (grow((void **)&m->arcs, &m->cap_arcs, m->n_arcs + 1, sizeof *m->arcs) < 0)
        return -1;
    m->arcs[m->n_arcs++] = *a;
    return 0;
}

double wp_arc_cost_per_t(const wp_model *m, const wp_arc *a) {
    const wp_material *mat = &m->materials.m[m->sources[a->src].material];
    return mat->handling + mat->road_rate * a->dist_km;
}

static int cmp_source(const void *a, const void *b) {
    const wp_source *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->material - y->material;
}

static int cmp_sink(const void *a, const void *b) {
    return strcmp(((const wp_sink *)a)->id, ((const wp_sink *)b)->id);
}

void wp_model_sort_by_id(wp_model *m) {
    if (m->n_sources > 1) qsort(m->sources, (size_t)m->n_sources, sizeof *m->sources, cmp_source);
    if (m->n_sinks > 1) qsort(m->sinks, (size_t)m->n_sinks, sizeof *m->sinks, cmp_sink);
}

double wp_sink_capacity(const wp_model *m, const wp_sink *k) {
    double sum = 0;
    for (int j = 0; j < m->materials.count; j++)
        if (k->accepts >> j & 1u) sum += k->cap_t[j];   /* HUGE_VAL stays HUGE_VAL */
    if (!k->accepts) sum = 0;
    return sum < k->cap_total_t ? sum : k->cap_total_t;
}
