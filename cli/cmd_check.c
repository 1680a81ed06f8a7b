/*
** cmd_check.c — `wasteplan check SCENARIO`: load and validate everything,
** and say what was found per layer (features, CRS, encoding), the totals
** per material, and every problem. Writes nothing.
*/
#include "commands.h"
#include "pipeline.h"
#include "report.h"

#include "../geo/areas.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char usage[] = "wasteplan check SCENARIO [--set SECTION.KEY=VALUE]...";
static const char description[] =
    "Read the scenario and every layer it names, and report what was found:\n"
    "per layer the features, CRS and text encoding; per material the supply,\n"
    "the capacity that accepts it and the hauls within reach; and every\n"
    "problem, each naming file, feature and field. Nothing is written.\n"
    "Exit status 0 when the scenario can be solved, 2 when it cannot.";

static void print_layers(const wp_model *m) {
    printf("layers:\n");
    printf("  %-16s %-7s %-28s %8s  %-10s %s\n", "section", "role", "file", "features", "CRS", "encoding");
    for (int i = 0; i < m->n_layers; i++) {
        const wp_layer_info *l = &m->layers[i];
        const char *base = strrchr(l->path, '/');
        printf("  %-16s %-7s %-28s %8ld  %-10s %s\n", l->section, l->role,
               base ? base + 1 : l->path, l->features, l->crs, l->encoding);
    }
}

static void print_materials(const wp_model *m) {
    printf("\nmaterials:\n  ");
    wp_print_cell(stdout, "material 固废", 24, 0);
    printf("%8s %12s %8s %14s %10s %10s\n", "sources", "supply 万吨", "sinks",
           "capacity 万吨", "haul km", "hauls");
    for (int j = 0; j < m->materials.count; j++) {
        int ns = 0, nk = 0, unlimited = 0;
        double supply = 0, cap = 0;
        size_t hauls = 0;
        for (int i = 0; i < m->n_sources; i++)
            if (m->sources[i].material == j) {
                ns++;
                supply += m->sources[i].supply_t;
            }
        for (int k = 0; k < m->n_sinks; k++) {
            const wp_sink *s = &m->sinks[k];
            if (!(s->accepts >> j & 1u)) continue;
            nk++;
            double c = fmin(s->cap_t[j], s->cap_total_t);
            if (c == HUGE_VAL) unlimited = 1;
            else cap += c;
        }
        for (size_t a = 0; a < m->n_arcs; a++)
            if (m->sources[m->arcs[a].src].material == j) hauls++;
        if (!ns && !nk) continue;
        char label[128], capbuf[32];
        snprintf(label, sizeof label, "%s %s", m->materials.m[j].id, m->materials.m[j].name_zh);
        if (unlimited) snprintf(capbuf, sizeof capbuf, "unlimited");
        else snprintf(capbuf, sizeof capbuf, "%.2f", cap / 1e4);
        printf("  ");
        wp_print_cell(stdout, label, 24, 0);
        printf("%8d %12.2f %8d %14s %10.0f %10zu\n", ns, supply / 1e4, nk, capbuf,
               m->materials.m[j].max_haul_km, hauls);
    }
}

int wp_cmd_check(int argc, char **argv) {
    wp_opt_list sets = {0};
    const wp_option opts[] = {
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n != 1) {
        if (n >= 0)
            fprintf(stderr, "wasteplan check: expected one scenario file (see 'wasteplan check --help')\n");
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    wp_pipeline pl;
    int rc = wp_pipeline_load(&pl, argv[0], &sets, 0);
    if (pl.geo) {   /* the scenario itself was readable: report what loaded */
        printf("scenario: %s\n", argv[0]);
        print_layers(&pl.model);
        if (rc == WP_EXIT_OK) rc = wp_pipeline_arcs(&pl);
        print_materials(&pl.model);
        printf("\nproblems: %d (%d fatal)\n", pl.probs.count, pl.probs.fatal);
        for (int i = 0; i < pl.probs.count; i++) printf("  %s\n", pl.probs.text[i]);
        /* keys only `solve` reads are not misspelt */
        wp_config_get(&pl.cfg, "scenario.output");
        wp_config_get(&pl.cfg, "scenario.output_crs");
        wp_config_get(&pl.cfg, "scenario.name");
        if (rc == WP_EXIT_OK) {   /* the boundary layer, if the scenario names one */
            char aerr[1024];
            int na = wp_areas_check(pl.geo, &pl.cfg, aerr, sizeof aerr);
            if (na < 0) {
                printf("  %s\n", aerr);
                rc = WP_EXIT_INPUT;
            } else if (na > 0) {
                printf("areas: %d\n", na);
            }
        }
        /* after a failed load some keys were never reached: no notes then */
        for (int i = 0; rc == WP_EXIT_OK && i < pl.cfg.count; i++)
            if (!pl.cfg.e[i].used)
                printf("  note: %s: key '%s' is not used by wasteplan (misspelt?)\n",
                       pl.cfg.e[i].origin, pl.cfg.e[i].key);
        printf("\n%s\n", rc == WP_EXIT_OK ? "ok: the scenario can be solved"
                                          : "not ok: fix the problems above");
    }
    wp_pipeline_free(&pl);
    wp_opt_list_free(&sets);
    return rc;
}
