/*
** pipeline.c — scenario -> model -> arcs, shared by solve and check.
*/
#include "pipeline.h"
#include "../planner/clock.h"
#include "netconfig.h"
#include "scenario.h"

#include "../geo/netarcs.h"
#include "../geo/pricer.h"
#include "../planner/allocate.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

double wp_seconds(void) {
    return wp_clock_seconds();
}

/* Warnings found while loading (zero outputs, points beyond the road
** network's snap limit, ...): the first few on stderr, the rest in check. */
static void print_warnings(const wp_pipeline *pl, const char *scenario) {
    const int shown_max = 10;
    int shown = 0, total = pl->probs.count - pl->probs.fatal;
    for (int i = 0; i < pl->probs.count && shown < shown_max; i++) {
        const char *t = pl->probs.text[i];
        if (strncmp(t, "warning: ", 9) != 0) continue;
        fprintf(stderr, "wasteplan: %s\n", t);
        shown++;
    }
    if (total > shown)
        fprintf(stderr, "wasteplan: %d more warnings; 'wasteplan check %s' lists them all\n",
                total - shown, scenario);
}

int wp_pipeline_load(wp_pipeline *pl, const char *scenario,
                     const wp_opt_list *sets, int verbose) {
    char err[1024] = "";
    memset(pl, 0, sizeof *pl);
    wp_config_init(&pl->cfg);
    wp_model_init(&pl->model);
    double t0 = wp_seconds();
    if (wp_scenario_read(scenario, &pl->cfg, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INPUT;
    }
    for (int i = 0; sets && i < sets->count; i++)
        if (wp_scenario_set(&pl->cfg, sets->v[i], err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan: %s\n", err);
            return WP_EXIT_USAGE;
        }
    /* material.<id>.distance is a network key, not a material parameter */
    wp_netcfg_pending pend;
    if (wp_netcfg_take(&pl->cfg, &pend) < 0) {
        wp_netcfg_pending_free(&pend);
        return WP_EXIT_INTERNAL;
    }
    if (wp_scenario_materials(&pl->cfg, &pl->model.materials, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        wp_netcfg_pending_free(&pend);
        return WP_EXIT_INPUT;
    }
    if (wp_config_get_double(&pl->cfg, "scenario.detour", 1.3, 1.0, 3.0,
                             &pl->model.detour, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        wp_netcfg_pending_free(&pend);
        return WP_EXIT_INPUT;
    }
    pl->dist.kind = WP_DIST_GEODESIC;
    pl->dist.detour = pl->model.detour;
    pl->t_read = wp_seconds() - t0;

    pl->geo = wp_geo_new();
    if (!pl->geo) {
        wp_netcfg_pending_free(&pend);
        return WP_EXIT_INTERNAL;
    }
    pl->geo->verbose = verbose;
    t0 = wp_seconds();
    if (verbose) fprintf(stderr, "wasteplan: loading layers of %s\n", scenario);
    int rc = wp_load_layers(pl->geo, &pl->cfg, &pl->model, &pl->probs, err, sizeof err);
    pl->t_load = wp_seconds() - t0;
    if (rc < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        if (pl->probs.fatal > 1)
            fprintf(stderr, "wasteplan: %d more problem%s; 'wasteplan check %s' lists them all\n",
                    pl->probs.fatal - 1, pl->probs.fatal > 2 ? "s" : "", scenario);
        wp_netcfg_pending_free(&pend);
        return WP_EXIT_INPUT;
    }
    wp_model_sort_by_id(&pl->model);
    rc = wp_netcfg_apply(pl, &pend);
    if (rc == WP_EXIT_OK && verbose) print_warnings(pl, scenario);
    return rc;
}

int wp_pipeline_arcs(wp_pipeline *pl) {
    char err[1024] = "";
    double t0 = wp_seconds();
    if (pl->geo->verbose) fprintf(stderr, "wasteplan: finding candidate hauls\n");
    if (pl->net ? wp_netplan_build_arcs(pl->net, pl->geo, &pl->dist, pl->net_mask,
                                        &pl->model, err, sizeof err) < 0
                : wp_build_arcs(pl->geo, &pl->dist, &pl->model, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INTERNAL;
    }
    pl->t_arcs = wp_seconds() - t0;
    return WP_EXIT_OK;
}

void wp_pipeline_free(wp_pipeline *pl) {
    wp_problems_free(&pl->probs);
    wp_model_free(&pl->model);
    wp_config_free(&pl->cfg);
    wp_netplan_free(pl->net);
    pl->net = NULL;
    if (pl->geo) wp_geo_free(pl->geo);
    pl->geo = NULL;
}

double wp_peak_rss_mb(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_maxrss / 1024.0;   /* kB on Linux */
}

/* Column generation over straight-line distances: start from each
** source's nearest sites, let the pricer add the hauls that pay. */
static int allocate_priced(wp_pipeline *pl, wp_result *res, int *rounds) {
    char err[1024] = "";
    double t0 = wp_seconds();
    wp_geo_pricer *pr = wp_pricer_new(pl->geo, &pl->dist, &pl->model, err, sizeof err);
    if (!pr || wp_pricer_initial_arcs(pr, &pl->model, WP_PRICING_K_NEAREST, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        wp_pricer_free(pr);
        return WP_EXIT_INTERNAL;
    }
    pl->t_arcs = wp_seconds() - t0;
    if (pl->geo->verbose)
        fprintf(stderr, "wasteplan: solving by column generation: %d sources, %d sinks, "
                "%zu nearest hauls to start\n", pl->model.n_sources, pl->model.n_sinks,
                pl->model.n_arcs);
    t0 = wp_seconds();
    int rc = wp_allocate_priced(&pl->model, wp_pricer_iface(pr), res, rounds, err, sizeof err);
    pl->t_solve = wp_seconds() - t0;
    wp_pricer_free(pr);
    if (rc < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INTERNAL;
    }
    if (pl->geo->verbose)
        fprintf(stderr, "wasteplan: optimal after %d pricing rounds (%zu hauls generated)\n",
                *rounds, pl->model.n_arcs);
    return WP_EXIT_OK;
}

int wp_pipeline_allocate(wp_pipeline *pl, wp_pricing_mode mode, wp_result *res,
                         int *rounds) {
    *rounds = -1;
    double pairs = (double)pl->model.n_sources * (double)pl->model.n_sinks;
    int priced = !pl->net && (mode == WP_PRICING_ALWAYS ||
                              (mode == WP_PRICING_AUTO && pairs > WP_PRICING_AUTO_PAIRS));
    if (mode == WP_PRICING_ALWAYS && pl->net)
        fprintf(stderr, "wasteplan: note: road-network distances build every haul up front "
                "(column generation works on straight-line distances)\n");
    if (priced) return allocate_priced(pl, res, rounds);
    int rc = wp_pipeline_arcs(pl);
    if (rc != WP_EXIT_OK) return rc;
    char err[1024] = "";
    if (pl->geo->verbose)
        fprintf(stderr, "wasteplan: solving: %d sources, %d sinks, %zu candidate hauls\n",
                pl->model.n_sources, pl->model.n_sinks, pl->model.n_arcs);
    double t0 = wp_seconds();
    rc = wp_allocate(&pl->model, res, err, sizeof err);
    pl->t_solve = wp_seconds() - t0;
    if (rc < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INTERNAL;
    }
    return WP_EXIT_OK;
}
