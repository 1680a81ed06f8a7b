/*
** output.c — output path, CRS and run time (see output.h).
*/
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* stem (up to the last '.') + suffix + ext, resolved beside the scenario. */
static char *derived(wp_pipeline *pl, const char *name, const char *suffix, const char *ext) {
    size_t n = strlen(name);
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot && (!slash || dot > slash)) {
        ext = dot;
        n = (size_t)(dot - name);
    }
    size_t len = n + strlen(suffix) + strlen(ext) + 1;
    char *rel = malloc(len);
    if (!rel) return NULL;
    memcpy(rel, name, n);
    strcpy(rel + n, suffix);
    strcat(rel, ext);
    char *full = wp_config_path(&pl->cfg, rel);
    free(rel);
    return full;
}

char *wp_output_path(wp_pipeline *pl, const char *opt, const char *own_key,
                     const char *suffix) {
    if (opt) return strdup(opt);
    const char *v = own_key ? wp_config_get(&pl->cfg, own_key) : NULL;
    if (v && *v) return wp_config_path(&pl->cfg, v);
    v = wp_config_get(&pl->cfg, "scenario.output");
    if (v && *v) return derived(pl, v, suffix, ".gpkg");
    const char *base = strrchr(pl->cfg.path, '/');
    base = base ? base + 1 : pl->cfg.path;
    char *stem = strdup(base);
    if (!stem) return NULL;
    char *dot = strrchr(stem, '.');
    if (dot) *dot = '\0';
    char *full = derived(pl, stem, suffix, ".gpkg");
    free(stem);
    return full;
}

const char *wp_output_crs(wp_pipeline *pl) {
    const char *v = wp_config_get(&pl->cfg, "scenario.output_crs");
    if (v && *v) return v;
    for (int i = 0; i < pl->model.n_layers; i++)
        if (!strncmp(pl->model.layers[i].crs, "EPSG:", 5)) return pl->model.layers[i].crs;
    return "EPSG:4326";
}

void wp_run_time(char *buf, size_t n) {
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) t = (time_t)strtoll(sde, NULL, 10);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
