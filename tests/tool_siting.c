/*
** tool_siting.c — helper for tests/oracle_siting.py and bench/bench_siting.py:
** generate a siting instance (planner/generate.h region, random candidates
** of one park type with three options), build arcs with geo/arcs.h, solve
** it with wp_site_solve and print the instance and the answer as JSON, so
** an independent solver can check the optimum.
**
**   tool_siting SOURCES SINKS CANDIDATES SEED [--problem cflp|k] [--k N]
**               [--time-limit S] [--naive] [--heuristic] [--no-instance]
*/
#include "../geo/arcs.h"
#include "../planner/generate.h"
#include "../planner/siting.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void) {
    fprintf(stderr, "usage: tool_siting SOURCES SINKS CANDIDATES SEED [--problem cflp|k] "
            "[--k N] [--time-limit S] [--naive] [--heuristic] [--no-instance]\n");
}

int main(int argc, char **argv) {
    if (argc < 5) {
        usage();
        return 1;
    }
    int n_src = atoi(argv[1]), n_sink = atoi(argv[2]), n_cand = atoi(argv[3]);
    unsigned long long seed = strtoull(argv[4], NULL, 10);
    wp_site_params p;
    wp_site_params_init(&p);
    int instance = 1;
    for (int i = 5; i < argc; i++) {
        if (!strcmp(argv[i], "--problem") && i + 1 < argc) {
            i++;
            p.problem = !strcmp(argv[i], "k") ? WP_SITE_K : WP_SITE_CFLP;
        } else if (!strcmp(argv[i], "--k") && i + 1 < argc) {
            p.k = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--time-limit") && i + 1 < argc) {
            p.time_limit = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--naive")) {
            p.naive = 1;
        } else if (!strcmp(argv[i], "--heuristic")) {
            p.heuristic = 1;
        } else if (!strcmp(argv[i], "--no-instance")) {
            instance = 0;
        } else {
            usage();
            return 1;
        }
    }
    wp_model m;
    wp_model_init(&m);
    m.detour = 1.3;
    wp_gen_params gp;
    wp_gen_defaults(&gp);
    gp.n_sources = n_src;
    gp.n_sinks = n_sink;
    gp.n_materials = 2;
    gp.region_km = 200;
    gp.capacity_ratio = 0.5;
    gp.seed = seed;
    if (wp_generate(&m, &gp) < 0) {
        fprintf(stderr, "tool_siting: bad parameters\n");
        return 1;
    }
    wp_model_sort_by_id(&m);
    double supply = 0;
    for (int i = 0; i < m.n_sources; i++) supply += m.sources[i].supply_t;
    wp_siting s;
    wp_siting_init(&s);
    /* three sizes with economies of scale; sized so that several parks pay */
    double unit = supply / (n_cand > 0 ? n_cand : 1) * 4;
    wp_park_type t = {"park", "park", 3u, 3, {unit, 2 * unit, 4 * unit},
                      {unit * 7, unit * 12, unit * 20}, 2.0};
    if (wp_siting_add_type(&s, &t) < 0) return 1;
    uint64_t st = seed * 104729 + 7;
    double km_deg = 111.32 * cos(gp.lat0 * 3.14159265358979 / 180);
    for (int c = 0; c < n_cand; c++) {
        char id[32];
        snprintf(id, sizeof id, "C%04d", c);
        wp_candidate *cd = wp_siting_add_candidate(&s, id, id);
        if (!cd) return 1;
        cd->type = 0;
        cd->lon = gp.lon0 + (wp_rand_uniform(&st) - 0.5) * gp.region_km / km_deg;
        cd->lat = gp.lat0 + (wp_rand_uniform(&st) - 0.5) * gp.region_km / 110.57;
    }
    int nb = m.n_sinks;
    char err[1024];
    wp_geo *g = wp_geo_new();
    wp_distance d = {WP_DIST_GEODESIC, 1.3};
    if (!g || wp_siting_add_sinks(&m, &s, -1) < 0 || wp_build_arcs(g, &d, &m, err, sizeof err) < 0) {
        fprintf(stderr, "tool_siting: cannot build the instance\n");
        return 1;
    }
    wp_site_result res;
    if (wp_site_solve(&m, nb, &s, &p, &res, err, sizeof err) < 0) {
        fprintf(stderr, "tool_siting: %s\n", err);
        return 1;
    }
    printf("{\"n_sources\": %d, \"n_sinks\": %d, \"n_candidates\": %d, \"n_arcs\": %zu,\n",
           m.n_sources, nb, n_cand, m.n_arcs);
    /* JSON has no NaN: a missing number (no solution, no bound) is -1 */
    printf(" \"status\": \"%s\", \"method\": \"%s\", \"total_cost\": %.17g, \"objective\": %.17g,"
           " \"bound\": %.17g, \"gap\": %.17g, \"seconds\": %.6f, \"nodes\": %lld, \"built\": %d,\n",
           wp_site_status_str(res.status), res.method,
           isnan(res.total_cost) ? -1.0 : res.total_cost, isnan(res.objective) ? -1.0 : res.objective,
           isnan(res.bound) ? -1.0 : res.bound, isnan(res.gap) ? -1.0 : res.gap, res.seconds,
           res.nodes, res.n_built);
    printf(" \"option\": [");
    for (int c = 0; c < n_cand; c++) printf("%s%d", c ? "," : "", res.option[c]);
    printf("]");
    if (instance) {
        printf(",\n \"supply\": [");
        for (int i = 0; i < m.n_sources; i++) printf("%s%.17g", i ? "," : "", m.sources[i].supply_t);
        printf("],\n \"penalty\": [");
        for (int i = 0; i < m.n_sources; i++)
            printf("%s%.17g", i ? "," : "", m.materials.m[m.sources[i].material].unallocated_cost);
        printf("],\n \"material\": [");
        for (int i = 0; i < m.n_sources; i++) printf("%s%d", i ? "," : "", m.sources[i].material);
        printf("],\n \"sink_cap\": [");
        for (int k = 0; k < nb; k++)
            printf("%s%.17g", k ? "," : "", m.sinks[k].cap_total_t == HUGE_VAL ? -1.0 : m.sinks[k].cap_total_t);
        printf("],\n \"sink_cap_mat\": [");
        for (int k = 0; k < nb; k++) {
            printf("%s[", k ? "," : "");
            for (int j = 0; j < 2; j++)
                printf("%s%.17g", j ? "," : "",
                       (m.sinks[k].accepts >> j & 1u) && m.sinks[k].cap_t[j] != HUGE_VAL ? m.sinks[k].cap_t[j] : -1.0);
            printf("]");
        }
        printf("],\n \"options_cap\": [%.17g,%.17g,%.17g], \"options_fixed\": [%.17g,%.17g,%.17g],"
               " \"cost_per_t\": %.17g,\n \"arcs\": [", t.cap_t[0], t.cap_t[1], t.cap_t[2],
               t.fixed_cost[0], t.fixed_cost[1], t.fixed_cost[2], t.cost_per_t);
        for (size_t a = 0; a < m.n_arcs; a++)
            printf("%s[%d,%d,%.17g]", a ? "," : "", m.arcs[a].src, m.arcs[a].sink,
                   wp_arc_cost_per_t(&m, &m.arcs[a]));
        printf("]");
    }
    printf("}\n");
    wp_site_result_free(&res);
    wp_siting_free(&s);
    wp_model_free(&m);
    wp_geo_free(g);
    return 0;
}
