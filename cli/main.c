/*
** main.c — the wasteplan command: dispatch to a subcommand.
*/
#include "commands.h"
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "wasteplan — plan where bulk industrial solid waste should go\n"
    "\n"
    "usage: wasteplan COMMAND [options]   (wasteplan COMMAND --help for more)\n"
    "\n"
    "commands:\n"
    "  solve SCENARIO [-o OUT.gpkg]   allocate every waste stream to reuse sites at\n"
    "                                 least total cost; write a styled GeoPackage\n"
    "  plan SCENARIO [-o OUT.gpkg]    plan over years: stock draw-down, storage, sites\n"
    "                                 open in their years, utilisation targets\n"
    "  check SCENARIO                 load and validate the layers; report what was\n"
    "                                 found and every problem; write nothing\n"
    "  gen -o DIR [--sources N] ...   generate a random test region (layers and a\n"
    "                                 scenario) for benchmarks\n"
    "  matrix SCENARIO -o OD.csv      write the origin-destination haul table (road\n"
    "                                 or straight-line distances, cost per tonne)\n"
    "  sweep SCENARIO --vary K=V1,V2  solve every combination of varied values; write\n"
    "                                 one GeoPackage each, a comparison table and chart\n"
    "  compare A.gpkg B.gpkg          differences between two results: per material,\n"
    "                                 per site, flows that appear or vanish\n"
    "  site SCENARIO [-o OUT.gpkg]    choose where to build new utilisation parks, how\n"
    "                                 big, and what they save (exact MIP or heuristic)\n"
    "\n"
    "A scenario is an INI file naming the layers (plants, yards, mines, roads),\n"
    "their field names and the material parameters; docs/scenario.md is the\n"
    "reference. Any value can be overridden: --set material.red_mud.max_haul_km=150\n"
    "\n"
    "exit status:\n"
    "  0  success\n"
    "  1  bad command line\n"
    "  2  the scenario or a layer is invalid (the message names file, feature, field);\n"
    "     nothing was written\n"
    "  3  the output could not be written (an earlier file at the path is kept)\n"
    "  4  internal failure (out of memory, solver error)\n"
    "\n"
    "options:\n"
    "  -h, --help      this text\n"
    "  --version       print the version\n";

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "help")) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? WP_EXIT_USAGE : WP_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("wasteplan %s\n", WP_VERSION);
        return WP_EXIT_OK;
    }
    if (!strcmp(argv[1], "solve")) return wp_cmd_solve(argc - 1, argv + 1);
    if (!strcmp(argv[1], "check")) return wp_cmd_check(argc - 1, argv + 1);
    if (!strcmp(argv[1], "gen")) return wp_cmd_gen(argc - 1, argv + 1);
    if (!strcmp(argv[1], "plan")) return wp_cmd_plan(argc - 1, argv + 1);
    if (!strcmp(argv[1], "matrix")) return wp_cmd_matrix(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sweep")) return wp_cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compare")) return wp_cmd_compare(argc - 1, argv + 1);
    if (!strcmp(argv[1], "site")) return wp_cmd_site(argc - 1, argv + 1);
    fprintf(stderr, "wasteplan: '%s' is not a command (see 'wasteplan --help')\n", argv[1]);
    return WP_EXIT_USAGE;
}
