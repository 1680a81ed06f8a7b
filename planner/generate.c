/*
** generate.c — random regions (see generate.h). Positions are uniform in
** kilometres over the square (converted to degrees at each point's
** latitude, so the density is uniform on the ground), outputs are
** log-uniform between 10^4 and 10^6 t, and sink capacities are scaled so the
** total is capacity_ratio times the supply of the materials they accept.
*/
#include "generate.h"

#include <math.h>
#include <stdio.h>

#define PI 3.14159265358979323846

void wp_gen_defaults(wp_gen_params *p) {
    p->n_sources = 1000;
    p->n_sinks = 100;
    p->region_km = 300;
    p->lon0 = 113.0;
    p->lat0 = 34.0;
    p->n_materials = 3;
    p->capacity_ratio = 0.8;
    p->seed = 1;
}

uint64_t wp_rand_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double wp_rand_uniform(uint64_t *state) {
    return (double)(wp_rand_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* A uniform point of the square, in lon/lat. */
static void random_point(const wp_gen_params *p, uint64_t *st, double *lon, double *lat) {
    const double km_per_deg = 111.32;
    double dy = (wp_rand_uniform(st) - 0.5) * p->region_km;
    double dx = (wp_rand_uniform(st) - 0.5) * p->region_km;
    *lat = p->lat0 + dy / km_per_deg;
    *lon = p->lon0 + dx / (km_per_deg * cos(*lat * PI / 180.0));
}

int wp_generate(wp_model *m, const wp_gen_params *p) {
    if (p->n_sources < 0 || p->n_sinks < 0 || !(p->region_km > 0) ||
        p->n_materials < 1 || p->n_materials > 6 || p->n_materials > m->materials.count ||
        !(p->capacity_ratio >= 0))
        return -1;
    uint64_t st = p->seed;
    double supply[WP_MAX_MATERIALS] = {0};
    char id[32], name[48];
    for (int i = 0; i < p->n_sources; i++) {
        snprintf(id, sizeof id, "P%06d", i + 1);
        snprintf(name, sizeof name, "producer %d", i + 1);
        wp_source *s = wp_model_add_source(m, id, name);
        if (!s) return -1;
        random_point(p, &st, &s->lon, &s->lat);
        s->material = (int)(wp_rand_next(&st) % (uint64_t)p->n_materials);
        s->supply_t = round(pow(10.0, 4.0 + 2.0 * wp_rand_uniform(&st)));
        supply[s->material] += s->supply_t;
    }
    /* Each sink accepts one to three materials; raw weights first, then
    ** scaled so each material's capacity totals capacity_ratio x supply. */
    double weight_sum[WP_MAX_MATERIALS] = {0};
    int first = m->n_sinks;
    for (int k = 0; k < p->n_sinks; k++) {
        snprintf(id, sizeof id, "S%05d", k + 1);
        snprintf(name, sizeof name, "site %d", k + 1);
        wp_sink *s = wp_model_add_sink(m, id, name);
        if (!s) return -1;
        s->kind = WP_SINK_PLANT;
        random_point(p, &st, &s->lon, &s->lat);
        int nacc = 1 + (int)(wp_rand_next(&st) % 3);
        for (int a = 0; a < nacc; a++)
            s->accepts |= 1u << (wp_rand_next(&st) % (uint64_t)p->n_materials);
        for (int j = 0; j < p->n_materials; j++)
            if (s->accepts >> j & 1u) {
                s->cap_t[j] = 0.2 + wp_rand_uniform(&st);   /* weight for now */
                weight_sum[j] += s->cap_t[j];
            }
    }
    for (int k = first; k < m->n_sinks; k++) {
        wp_sink *s = &m->sinks[k];
        double total = 0;
        for (int j = 0; j < p->n_materials; j++)
            if (s->accepts >> j & 1u) {
                s->cap_t[j] = round(s->cap_t[j] / weight_sum[j] * supply[j] * p->capacity_ratio);
                total += s->cap_t[j];
            }
        s->cap_total_t = round(total * 0.9);   /* the total binds sometimes */
    }
    return 0;
}
