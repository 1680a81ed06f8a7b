/*
** cmd_matrix.c — `wasteplan matrix SCENARIO -o OD.gpkg|OD.csv`: the
** origin-destination cost table on its own (what an OD cost matrix tool
** gives): one row per candidate haul within the material's limit, with the
** distance that the planner would use, its road and access parts, and the
** cost per tonne. Nothing is solved.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"
#include "table_csv.h"

#include "../geo/gpkg.h"
#include "../geo/netarcs.h"
#include "../planner/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
    "wasteplan matrix SCENARIO -o OD.gpkg|OD.csv [--routes] [--set SECTION.KEY=VALUE]...";
static const char description[] =
    "Write the origin-destination table of the scenario: every haul from a\n"
    "source to a site that accepts its material within the material's haul\n"
    "limit, with distance_km (what cost and the limit use), road_km and\n"
    "access_km (its parts along the roads and on the straight legs to them; with\n"
    "geodesic distances road_km is the detoured distance and access_km 0) and\n"
    "cost_per_t (handling + road rate x distance). Pairs beyond the limit, or not\n"
    "connected by road, are absent.\n"
    "\n"
    "The format follows the extension of -o: .csv (UTF-8 with BOM, for\n"
    "spreadsheets) or .gpkg (a layer od_matrix of lines source -> site; with\n"
    "--routes and distance = network the lines follow the roads).\n"
    "\n"
    "examples:\n"
    "  wasteplan matrix samples/jiaozuo/jiaozuo.ini -o od.csv\n"
    "  wasteplan matrix jiaozuo.ini --routes -o od.gpkg\n"
    "  wasteplan matrix jiaozuo.ini --set scenario.distance=geodesic -o od_straight.csv";

/* Straight line as ISO WKB (little endian) into buf (41 bytes). */
static void line_wkb(unsigned char *buf, double x0, double y0, double x1, double y1) {
    unsigned int type = 2, n = 2;
    buf[0] = 1;
    memcpy(buf + 1, &type, 4);
    memcpy(buf + 5, &n, 4);
    memcpy(buf + 9, &x0, 8);
    memcpy(buf + 17, &y0, 8);
    memcpy(buf + 25, &x1, 8);
    memcpy(buf + 33, &y1, 8);
}

/* The OD table of the model's arcs. NULL on OOM. */
static wp_table *od_table(wp_pipeline *pl, int with_geom) {
    const wp_model *m = &pl->model;
    wp_table *t = wp_table_new("od_matrix", "od_matrix 运距成本矩阵",
                               "产废源到接收点的运距与单位成本 (origin-destination costs)",
                               with_geom ? WP_GEOM_LINE : WP_GEOM_NONE);
    if (!t) return NULL;
    int c_oid = wp_table_add_col(t, "origin_id", WP_COL_TEXT, "产废源编号");
    int c_on = wp_table_add_col(t, "origin_name", WP_COL_TEXT, "产废源名称");
    int c_did = wp_table_add_col(t, "destination_id", WP_COL_TEXT, "接收点编号");
    int c_dn = wp_table_add_col(t, "destination_name", WP_COL_TEXT, "接收点名称");
    int c_mat = wp_table_add_col(t, "material", WP_COL_TEXT, "固废种类");
    int c_how = wp_table_add_col(t, "distance_model", WP_COL_TEXT, "距离算法");
    int c_dist = wp_table_add_col(t, "distance_km", WP_COL_REAL, "计费运距(公里)");
    int c_road = wp_table_add_col(t, "road_km", WP_COL_REAL, "道路里程(公里)");
    int c_acc = wp_table_add_col(t, "access_km", WP_COL_REAL, "接驳距离(公里)");
    int c_cost = wp_table_add_col(t, "cost_per_t", WP_COL_REAL, "单位成本(元/吨)");
    if (c_cost < 0) {
        wp_table_free(t);
        return NULL;
    }
    unsigned char wkb[41];
    for (size_t a = 0; a < m->n_arcs; a++) {
        const wp_arc *arc = &m->arcs[a];
        const wp_source *s = &m->sources[arc->src];
        const wp_sink *k = &m->sinks[arc->sink];
        const wp_net_od *od = pl->net ? wp_netplan_find(pl->net, arc->src, arc->sink) : NULL;
        int r = wp_table_add_row(t);
        int bad = r < 0 ||
            wp_table_set_text(t, r, c_oid, s->id) < 0 || wp_table_set_text(t, r, c_on, s->name) < 0 ||
            wp_table_set_text(t, r, c_did, k->id) < 0 || wp_table_set_text(t, r, c_dn, k->name) < 0 ||
            wp_table_set_text(t, r, c_mat, m->materials.m[s->material].id) < 0 ||
            wp_table_set_text(t, r, c_how, od ? "network" : "geodesic") < 0 ||
            wp_table_set_real(t, r, c_dist, arc->dist_km) < 0 ||
            wp_table_set_real(t, r, c_road, od ? od->road_km : arc->dist_km) < 0 ||
            wp_table_set_real(t, r, c_acc, od ? od->access_km : 0.0) < 0 ||
            wp_table_set_real(t, r, c_cost, wp_arc_cost_per_t(m, arc)) < 0;
        if (!bad && with_geom) {
            if (m->arc_route_wkb && a < m->n_arc_routes && m->arc_route_wkb[a]) {
                bad = wp_table_set_wkb(t, r, m->arc_route_wkb[a], m->arc_route_len[a]) < 0;
            } else {
                line_wkb(wkb, s->lon, s->lat, arc->to_lon, arc->to_lat);
                bad = wp_table_set_wkb(t, r, wkb, sizeof wkb) < 0;
            }
        }
        if (bad) {
            wp_table_free(t);
            return NULL;
        }
    }
    return t;
}

static int has_ext(const char *path, const char *ext) {
    size_t n = strlen(path), e = strlen(ext);
    return n > e && !strcasecmp(path + n - e, ext);
}

int wp_cmd_matrix(int argc, char **argv) {
    const char *out = NULL;
    wp_opt_list sets = {0};
    int quiet = 0, routes = 0;
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &out, "FILE", "table to write: .csv or .gpkg (required)"},
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value, e.g. --set scenario.distance=network"},
        {0, "routes", WP_OPT_FLAG, &routes, NULL, "GeoPackage lines follow the road path (distance = network)"},
        {'q', "quiet", WP_OPT_FLAG, &quiet, NULL, "no progress messages on stderr"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0 || n != 1 || !out) {
        if (n >= 0)
            fprintf(stderr, "wasteplan matrix: expected one scenario file and -o OD.csv or "
                    "-o OD.gpkg (see 'wasteplan matrix --help')\n");
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    int csv = has_ext(out, ".csv");
    if (!csv && !has_ext(out, ".gpkg")) {
        fprintf(stderr, "wasteplan matrix: -o %s: the name must end in .csv or .gpkg\n", out);
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    wp_pipeline pl;
    int rc = wp_pipeline_load(&pl, argv[0], &sets, !quiet);
    if (rc == WP_EXIT_OK) rc = wp_pipeline_arcs(&pl);
    char err[1024] = "";
    if (rc == WP_EXIT_OK && routes && !csv && pl.net &&
        wp_netplan_routes(pl.net, &pl.model, NULL, 0, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INTERNAL;
    }
    wp_table *t = NULL;
    if (rc == WP_EXIT_OK) {
        t = od_table(&pl, !csv);
        if (!t) {
            fprintf(stderr, "wasteplan: out of memory building the OD table\n");
            rc = WP_EXIT_INTERNAL;
        }
    }
    if (rc == WP_EXIT_OK) {
        if (!quiet) fprintf(stderr, "wasteplan: writing %d origin-destination pairs to %s\n",
                            t->n_rows, out);
        int bad;
        if (csv) {
            bad = wp_table_save_csv(out, t, err, sizeof err) < 0;
        } else {
            char when[32];
            wp_run_time(when, sizeof when);
            wp_table *const tabs[1] = {t};
            wp_gpkg_options go = {out, "EPSG:4326", WP_VERSION, when, 1, tabs, 1};
            bad = wp_write_gpkg(pl.geo, &pl.model, NULL, &pl.cfg, &go, err, sizeof err) < 0;
        }
        if (bad) {
            fprintf(stderr, "wasteplan: cannot write %s: %s\n", out, err);
            rc = WP_EXIT_OUTPUT;
        } else if (!quiet) {
            printf("%d origin-destination pairs written to %s\n", t->n_rows, out);
        }
    }
    wp_table_free(t);
    wp_pipeline_free(&pl);
    wp_opt_list_free(&sets);
    return rc;
}
