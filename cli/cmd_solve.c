/*
** cmd_solve.c — `wasteplan solve SCENARIO [-o OUT.gpkg] [--set k=v]...`:
** load, find candidate hauls, solve the allocation exactly, write the
** GeoPackage, print the summary.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"
#include "report.h"

#include "../geo/areas.h"
#include "../geo/gpkg.h"
#include "../geo/netarcs.h"
#include "../planner/allocate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] = "wasteplan solve SCENARIO [-o OUT.gpkg] [--set SECTION.KEY=VALUE]... [--straight-flows]";
static const char description[] =
    "Load the scenario's layers, find every haul within each material's limit,\n"
    "solve the cost-minimising allocation exactly (a min-cost flow), write the\n"
    "result as a GeoPackage (layers flows, sources, sinks; tables summary and\n"
    "scenario; QGIS styles included) and print a summary.\n"
    "\n"
    "The output is written to a temporary file and renamed into place only when\n"
    "complete: a failed run never leaves a partial file or harms an earlier one.\n"
    "\n"
    "With distance = network (a [network] road layer), hauls follow the shortest\n"
    "road path and the flows layer draws that path; --straight-flows draws\n"
    "straight lines instead (lighter files, same numbers).\n"
    "\n"
    "examples:\n"
    "  wasteplan solve samples/jiaozuo/jiaozuo.ini -o jiaozuo.gpkg\n"
    "  wasteplan solve jiaozuo.ini --set material.red_mud.max_haul_km=150\n"
    "  wasteplan solve jiaozuo.ini --set scenario.detour=1.2 -o detour12.gpkg";




int wp_cmd_solve(int argc, char **argv) {
    const char *out = NULL;
    wp_opt_list sets = {0};
    int quiet = 0, timings = 0, straight = 0;
    const char *pricing = "auto";
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &out, "FILE", "GeoPackage to write (default: scenario.output)"},
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value, e.g. --set scenario.detour=1.2"},
        {'q', "quiet", WP_OPT_FLAG, &quiet, NULL, "no progress messages on stderr"},
        {0, "timings", WP_OPT_FLAG, &timings, NULL, "print the time of each phase on stderr"},
        {0, "straight-flows", WP_OPT_FLAG, &straight, NULL,
         "draw flows as straight lines even when hauls follow the road network"},
        {0, "pricing", WP_OPT_STRING, &pricing, "MODE",
         "auto (default), always or never: generate hauls on demand (column generation)"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0) {
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    if (n != 1) {
        fprintf(stderr, "wasteplan solve: expected one scenario file (see 'wasteplan solve --help')\n");
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    wp_pricing_mode mode;
    if (!strcmp(pricing, "auto")) mode = WP_PRICING_AUTO;
    else if (!strcmp(pricing, "always")) mode = WP_PRICING_ALWAYS;
    else if (!strcmp(pricing, "never")) mode = WP_PRICING_NEVER;
    else {
        fprintf(stderr, "wasteplan solve: --pricing must be auto, always or never, not '%s'\n", pricing);
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    wp_pipeline pl;
    int rc = wp_pipeline_load(&pl, argv[0], &sets, !quiet);
    wp_result res;
    int have_res = 0, rounds = -1;
    double t_solve = 0, t_write = 0;
    char err[1024] = "";
    char *path = NULL;
    if (rc == WP_EXIT_OK) {
        rc = wp_pipeline_allocate(&pl, mode, &res, &rounds);
        have_res = rc == WP_EXIT_OK;
        t_solve = pl.t_solve;
    }
    if (rc == WP_EXIT_OK && pl.net && !straight &&
        wp_netplan_routes(pl.net, &pl.model, res.arc_t, 0.25e-6, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INTERNAL;
    }
    wp_table *by_area = NULL;   /* [areas]: summary per administrative area */
    if (rc == WP_EXIT_OK &&
        wp_areas_table(pl.geo, &pl.cfg, &pl.model, &res, &by_area, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INPUT;
    }
    if (rc == WP_EXIT_OK) {
        path = wp_output_path(&pl, out, NULL, "");
        char when[32];
        wp_run_time(when, sizeof when);
        wp_gpkg_options go = {path, wp_output_crs(&pl), WP_VERSION, when, 0, NULL, 0};
        if (by_area) {
            go.n_tables = 1;
            go.tables = &by_area;
        }
        if (!quiet) fprintf(stderr, "wasteplan: writing %s\n", path ? path : "(null)");
        double t0 = wp_seconds();
        if (!path || wp_write_gpkg(pl.geo, &pl.model, &res, &pl.cfg, &go, err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan: cannot write %s: %s\n", path ? path : "output",
                    path ? err : "out of memory");
            rc = WP_EXIT_OUTPUT;
        }
        t_write = wp_seconds() - t0;
    }
    if (rc == WP_EXIT_OK) {
        wp_report_summary(stdout, &pl.model, &res);
        printf("\nwritten: %s\n", path);
    }
    if (timings && pl.geo) {
        char net[48] = "", pr[48] = "every haul built up front";
        if (pl.net) snprintf(net, sizeof net, "network %.3f s, ", pl.t_network);
        if (rounds >= 0) snprintf(pr, sizeof pr, "%d pricing rounds", rounds);
        fprintf(stderr, "timings: read %.3f s, load %.3f s, %sarcs %.3f s, "
                "solve %.3f s (flow %.3f s, %lld pivots, %s), write %.3f s, "
                "peak memory %.0f MB\n",
                pl.t_read, pl.t_load, net, pl.t_arcs, t_solve,
                have_res ? res.solve_seconds : 0.0, have_res ? res.pivots : 0LL, pr, t_write,
                wp_peak_rss_mb());
    }
    wp_table_free(by_area);
    if (have_res) wp_result_free(&res);
    free(path);
    wp_pipeline_free(&pl);
    wp_opt_list_free(&sets);
    return rc;
}
