/*
** cmd_gen.c — `wasteplan gen -o DIR`: a deterministic random region
** (producers, consuming sites and a scenario) that the other commands read
** like any planner's data; the benchmarks are built on it.
*/
#include "commands.h"
#include "pipeline.h"

#include "../geo/write_inputs.h"
#include "../planner/generate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] = "wasteplan gen -o DIR [--sources N] [--sinks K] [--region-km W] [--haul-km R] [--seed S]";
static const char description[] =
    "Write a random region into DIR: region.gpkg (layers producers and users)\n"
    "and scenario.ini naming them. Producers are spread uniformly over a W x W km\n"
    "square around 34N 113E with outputs of 10^4-10^6 t of up to three materials;\n"
    "users accept one to three materials with capacities totalling 80 % of the\n"
    "supply. The same options always give the same files.\n"
    "\n"
    "example:\n"
    "  wasteplan gen -o /tmp/r10k --sources 10000 --sinks 1000 --region-km 1000 --haul-km 150\n"
    "  wasteplan solve /tmp/r10k/scenario.ini -o /tmp/r10k/out.gpkg";

/* mkdir -p: create dir and any missing parents. */
static int make_dirs(const char *dir) {
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(path, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

int wp_cmd_gen(int argc, char **argv) {
    const char *dir = NULL;
    long n_sources = 1000, n_sinks = 100, seed = 1, n_mat = 3;
    double region_km = 300, haul_km = 0;
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &dir, "DIR", "directory to write (created, with its parents, if missing)"},
        {0, "sources", WP_OPT_INT, &n_sources, "N", "number of producers (default 1000)"},
        {0, "sinks", WP_OPT_INT, &n_sinks, "K", "number of consuming sites (default 100)"},
        {0, "materials", WP_OPT_INT, &n_mat, "M", "materials used, 1-6 (default 3)"},
        {0, "region-km", WP_OPT_DOUBLE, &region_km, "W", "side of the square region in km (default 300)"},
        {0, "haul-km", WP_OPT_DOUBLE, &haul_km, "R", "haul limit written to the scenario (default: material defaults)"},
        {0, "seed", WP_OPT_INT, &seed, "S", "random seed (default 1)"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0) return WP_EXIT_USAGE;
    if (n != 0 || !dir) {
        fprintf(stderr, "wasteplan gen: needs -o DIR and no other arguments (see 'wasteplan gen --help')\n");
        return WP_EXIT_USAGE;
    }
    if (n_sources < 0 || n_sources > 10000000 || n_sinks < 0 || n_sinks > 1000000 ||
        n_mat < 1 || n_mat > 6 || !(region_km > 0 && region_km <= 5000) || seed < 0 ||
        haul_km < 0) {
        fprintf(stderr, "wasteplan gen: values out of range (sources <= 10^7, sinks <= 10^6, "
                        "materials 1-6, region-km 0-5000, seed >= 0)\n");
        return WP_EXIT_USAGE;
    }
    if (make_dirs(dir) < 0) {
        fprintf(stderr, "wasteplan gen: cannot create %s: %s\n", dir, strerror(errno));
        return WP_EXIT_OUTPUT;
    }
    wp_model m;
    wp_model_init(&m);
    wp_gen_params p;
    wp_gen_defaults(&p);
    p.n_sources = (int)n_sources;
    p.n_sinks = (int)n_sinks;
    p.n_materials = (int)n_mat;
    p.region_km = region_km;
    p.seed = (uint64_t)seed;
    int rc = WP_EXIT_OK;
    char err[1024];
    wp_geo *g = wp_geo_new();
    if (!g || wp_generate(&m, &p) < 0) {
        fprintf(stderr, "wasteplan gen: out of memory\n");
        rc = WP_EXIT_INTERNAL;
    } else if (wp_write_input_layers(g, &m, dir, haul_km, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan gen: %s\n", err);
        rc = WP_EXIT_OUTPUT;
    } else {
        printf("wrote %s/region.gpkg (%d producers, %d users) and %s/scenario.ini\n", dir,
               m.n_sources, m.n_sinks, dir);
    }
    if (g) wp_geo_free(g);
    wp_model_free(&m);
    return rc;
}
