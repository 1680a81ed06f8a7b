/*
** cmd_site.c — `wasteplan site SCENARIO -o OUT.gpkg [--problem P] [--k N]
** [--time-limit S] [--heuristic]`: where to build new utilisation parks.
** Load the scenario as `solve` does, solve the allocation as it stands
** (the "before"), build the candidates and add them as sinks, choose parks
** (planner/siting.h), keep the chosen ones, solve the allocation again
** with them (the "after") and write the standard layers plus `parks` and
** `siting_summary`.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"
#include "report.h"

#include "../geo/candidates.h"
#include "../geo/qgis_style.h"
#include "../geo/gpkg.h"
#include "../planner/allocate.h"
#include "../planner/siting.h"
#include "../planner/table.h"
#include "../planner/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "wasteplan site SCENARIO [-o OUT.gpkg] [--problem cflp|k|target|budget] [--k N]\n"
    "                        [--time-limit S] [--heuristic] [--set SECTION.KEY=VALUE]...";
static const char description[] =
    "Choose where to build new utilisation parks, how big, and which waste they\n"
    "take. Park types ([park.<id>]: accepted materials, capacity options and their\n"
    "annualised fixed costs) and candidate sites ([candidates]: a layer, and/or\n"
    "generated at yards, producers and on a grid; [exclusion.<name>] zones remove\n"
    "them) come from the scenario; docs/scenario.md, \"Siting\", lists the keys.\n"
    "\n"
    "problems:\n"
    "  cflp    least fixed + haulage + penalty cost; the solver picks how many parks\n"
    "          (at most [siting] max_parks)\n"
    "  k       exactly --k parks at least cost\n"
    "  target  the fewest parks that reach [siting] target.<material> (a share of\n"
    "          new output), then the least cost\n"
    "  budget  the most tonnes used with fixed costs within [siting] budget\n"
    "\n"
    "The default method is exact: a mixed-integer program solved by CBC; the\n"
    "proven optimality gap is reported (non-zero only when the time limit stops\n"
    "it). --heuristic uses greedy add/drop/swap moves, each evaluated by the\n"
    "allocation, and reports the LP relaxation as its bound.\n"
    "\n"
    "The GeoPackage holds flows, sources and sinks with the new parks, a parks\n"
    "layer (every candidate: built or not, size, fixed cost, tonnes by material,\n"
    "fill %) and a siting_summary table (before/after utilisation and cost, gap).\n"
    "\n"
    "examples:\n"
    "  wasteplan site samples/jiaozuo/siting.ini -o siting.gpkg\n"
    "  wasteplan site siting.ini --problem k --k 2\n"
    "  wasteplan site siting.ini --problem target --set siting.target.red_mud=0.25\n"
    "  wasteplan site big.ini --heuristic --time-limit 120";




/* Parse an amount of yuan: a number with optional 万/亿 (as fixed_costs). */
static int money(const char *text, double *out) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == ' ') buf[--n] = '\0';
    if (n >= 3 && !strcmp(buf + n - 3, "元")) buf[n -= 3] = '\0';
    double scale = 1;
    if (n >= 3 && !strcmp(buf + n - 3, "万")) scale = 1e4, buf[n - 3] = '\0';
    else if (n >= 3 && !strcmp(buf + n - 3, "亿")) scale = 1e8, buf[n - 3] = '\0';
    double v;
    if (wp_number_parse(buf, &v) < 0 || v < 0) return -1;
    *out = v * scale;
    return 0;
}

/* [siting] keys into p; the command line's values (problem, k, time limit,
** heuristic) are applied afterwards by the caller. */
static int read_params(wp_config *cfg, const wp_materials *ms, wp_site_params *p,
                       char *err, int errlen) {
    wp_site_params_init(p);
    const char *v = wp_config_get(cfg, "siting.problem");
    if (v && *v) {
        if (!strcmp(v, "cflp")) p->problem = WP_SITE_CFLP;
        else if (!strcmp(v, "k")) p->problem = WP_SITE_K;
        else if (!strcmp(v, "target")) p->problem = WP_SITE_TARGET;
        else if (!strcmp(v, "budget")) p->problem = WP_SITE_BUDGET;
        else {
            snprintf(err, (size_t)errlen, "%s: siting.problem = '%s': expected cflp, k, "
                     "target or budget", wp_config_entry_of(cfg, "siting.problem")->origin, v);
            return -1;
        }
    }
    double d;
    if (wp_config_get_double(cfg, "siting.k", 1, 0, 100000, &d, err, errlen) < 0) return -1;
    p->k = (int)d;
    if (wp_config_get_double(cfg, "siting.max_parks", 0, 0, 100000, &d, err, errlen) < 0)
        return -1;
    p->max_parks = (int)d;
    if (wp_config_get_double(cfg, "siting.time_limit", 60, 0.1, 1e6, &p->time_limit,
                             err, errlen) < 0 ||
        wp_config_get_bool(cfg, "siting.heuristic", 0, &p->heuristic, err, errlen) < 0)
        return -1;
    v = wp_config_get(cfg, "siting.budget");
    p->budget = -1;
    if (v && *v && money(v, &p->budget) < 0) {
        snprintf(err, (size_t)errlen, "%s: siting.budget = '%s' is not an amount of yuan per "
                 "year (a number, optionally with 万 or 亿)",
                 wp_config_entry_of(cfg, "siting.budget")->origin, v);
        return -1;
    }
    v = wp_config_get(cfg, "siting.target_basis");
    if (v && *v) {
        if (!strcmp(v, "new")) p->target_new_only = 1;
        else if (!strcmp(v, "all")) p->target_new_only = 0;
        else {
            snprintf(err, (size_t)errlen, "%s: siting.target_basis = '%s': expected new "
                     "(plants' output this year) or all (with yards' stock)",
                     wp_config_entry_of(cfg, "siting.target_basis")->origin, v);
            return -1;
        }
    }
    for (int i = 0; i < cfg->count; i++) {
        const char *key = cfg->e[i].key;
        if (strncmp(key, "siting.target.", 14)) continue;
        int j = wp_materials_find(ms, key + 14);
        if (j < 0) {
            snprintf(err, (size_t)errlen, "%s: %s: unknown material '%s'", cfg->e[i].origin,
                     key, key + 14);
            return -1;
        }
        if (wp_config_get_double(cfg, key, 0, 0, 1, &p->target[j], err, errlen) < 0) return -1;
    }
    return 0;
}

/* Per-material delivered tonnes of r over m: all sources, and plants only. */
static void delivered(const wp_model *m, const wp_result *r, double *all, double *fresh,
                      double *supply, double *supply_new) {
    for (int j = 0; j < WP_MAX_MATERIALS; j++) all[j] = fresh[j] = supply[j] = supply_new[j] = 0;
    for (int i = 0; i < m->n_sources; i++) {
        int j = m->sources[i].material;
        all[j] += r->src_delivered[i];
        supply[j] += m->sources[i].supply_t;
        if (m->sources[i].kind == WP_SRC_PLANT) {
            fresh[j] += r->src_delivered[i];
            supply_new[j] += m->sources[i].supply_t;
        }
    }
}

static double pct(double a, double b) {
    return b > 0 ? 100.0 * a / b : NAN;
}

/* The parks layer: every candidate. */
static wp_table *parks_table(const wp_model *mf, const wp_result *r, const wp_siting *s,
                             const wp_site_result *res, const int *sink_of_cand) {
    wp_table *t = wp_table_new("parks", "parks 新建利用园区（候选点）",
                               "全部候选点：是否新建、规模、固定成本、按固废接收量、负荷率 "
                               "(candidate sites for new utilisation parks)", WP_GEOM_POINT);
    if (!t) return NULL;
    unsigned used = 0;
    for (int k = 0; k < s->n_types; k++) used |= s->types[k].accepts;
    static const char *const names[] = {"park_id", "name", "park_type", "origin", "county",
                                        "required", "built", "option", "capacity_t",
                                        "fixed_cost", "received_t", "fill_pct", "cost_per_t"};
    static const char *const aliases[] = {"园区编号", "名称", "园区类型", "候选来源", "所在区县",
                                          "必选", "是否新建", "规模档", "设计能力(吨/年)",
                                          "年化固定成本(元)", "接收量(吨)", "负荷率(%)",
                                          "每吨处理净成本(元)"};
    static const wp_col_type types[] = {WP_COL_TEXT, WP_COL_TEXT, WP_COL_TEXT, WP_COL_TEXT,
                                        WP_COL_TEXT, WP_COL_INT, WP_COL_INT, WP_COL_INT,
                                        WP_COL_REAL, WP_COL_REAL, WP_COL_REAL, WP_COL_REAL,
                                        WP_COL_REAL};
    enum { NC = sizeof names / sizeof *names };
    wp_qml_alias all[NC + WP_MAX_MATERIALS];
    char mat_name[WP_MAX_MATERIALS][48], mat_alias[WP_MAX_MATERIALS][96];
    int n = 0;
    for (int c = 0; c < NC; c++) {
        if (wp_table_add_col(t, names[c], types[c], aliases[c]) < 0) goto oom;
        all[n].name = names[c];
        all[n++].alias = aliases[c];
    }
    int mat_col[WP_MAX_MATERIALS];
    for (int j = 0; j < mf->materials.count; j++) {
        mat_col[j] = -1;
        if (!(used >> j & 1u)) continue;
        snprintf(mat_name[j], sizeof mat_name[j], "received_%s", mf->materials.m[j].id);
        snprintf(mat_alias[j], sizeof mat_alias[j], "接收%s(吨)", mf->materials.m[j].name_zh);
        if ((mat_col[j] = wp_table_add_col(t, mat_name[j], WP_COL_REAL, mat_alias[j])) < 0)
            goto oom;
        all[n].name = mat_name[j];
        all[n++].alias = mat_alias[j];
    }
    double max_cap = 0;
    for (int k = 0; k < s->n_types; k++)
        max_cap = fmax(max_cap, s->types[k].cap_t[s->types[k].n_options - 1]);
    for (int c = 0; c < s->n_cands; c++) {
        const wp_candidate *cd = &s->cands[c];
        const wp_park_type *pt = &s->types[cd->type];
        int row = wp_table_add_row(t);
        if (row < 0) goto oom;
        int o = res->option[c], k = sink_of_cand[c];
        int bad = wp_table_set_text(t, row, 0, cd->id) | wp_table_set_text(t, row, 1, cd->name) |
                  wp_table_set_text(t, row, 2, pt->id) | wp_table_set_text(t, row, 3, cd->origin) |
                  wp_table_set_int(t, row, 5, cd->required) | wp_table_set_int(t, row, 6, o >= 0) |
                  wp_table_set_real(t, row, 12, pt->cost_per_t);
        if (cd->group >= 0) bad |= wp_table_set_text(t, row, 4, s->group_name[cd->group]);
        if (o >= 0 && k >= 0) {
            double got = r->sink_received[k];
            bad |= wp_table_set_int(t, row, 7, o + 1) |
                   wp_table_set_real(t, row, 8, pt->cap_t[o]) |
                   wp_table_set_real(t, row, 9, pt->fixed_cost[o]) |
                   wp_table_set_real(t, row, 10, got) |
                   wp_table_set_real(t, row, 11, pct(got, pt->cap_t[o]));
            for (int j = 0; j < mf->materials.count; j++)
                if (mat_col[j] >= 0)
                    bad |= wp_table_set_real(t, row, mat_col[j],
                                             r->sink_received_mat[(size_t)k * WP_MAX_MATERIALS + (size_t)j]);
        }
        unsigned char pt_wkb[21];
        size_t len = wp_point_wkb(pt_wkb, cd->lon, cd->lat);
        bad |= wp_table_set_wkb(t, row, pt_wkb, len);
        if (bad) goto oom;
    }
    char *qml = wp_qml_parks(max_cap, all, n);
    if (!qml || wp_table_set_qml(t, qml) < 0) {
        free(qml);
        goto oom;
    }
    free(qml);
    return t;
oom:
    wp_table_free(t);
    return NULL;
}

/* One siting_summary row; NaN values become NULL. */
static int summary_row(wp_table *t, const char *item, double before, double after,
                       const char *unit, const char *note) {
    int row = wp_table_add_row(t);
    if (row < 0) return -1;
    return wp_table_set_text(t, row, 0, item) | wp_table_set_real(t, row, 1, before) |
           wp_table_set_real(t, row, 2, after) | wp_table_set_text(t, row, 3, unit) |
           (note ? wp_table_set_text(t, row, 4, note) : 0);
}

typedef struct {
    double cost_before, cost_after, gate, haul_before, haul_after, pen_before, pen_after;
    double all0[WP_MAX_MATERIALS], new0[WP_MAX_MATERIALS], all1[WP_MAX_MATERIALS],
        new1[WP_MAX_MATERIALS], sup[WP_MAX_MATERIALS], sup_new[WP_MAX_MATERIALS];
} before_after;

static wp_table *summary_table(const wp_model *mf, const wp_site_result *res,
                               const wp_site_params *p, const before_after *ba, int n_cands) {
    wp_table *t = wp_table_new("siting_summary", "siting_summary 选址结果汇总",
                               "新建园区前后的利用率与总成本、求解方法与最优性间隙 "
                               "(before/after, optimality gap)", WP_GEOM_NONE);
    if (!t) return NULL;
    if (wp_table_add_col(t, "item", WP_COL_TEXT, "项目") < 0 ||
        wp_table_add_col(t, "before", WP_COL_REAL, "新建前") < 0 ||
        wp_table_add_col(t, "after", WP_COL_REAL, "新建后") < 0 ||
        wp_table_add_col(t, "unit", WP_COL_TEXT, "单位") < 0 ||
        wp_table_add_col(t, "note", WP_COL_TEXT, "说明") < 0)
        goto oom;
    char note[256], item[96];
    snprintf(note, sizeof note, "problem %s, method %s, status %s, %d candidates",
             wp_site_problem_str(p->problem), res->method, wp_site_status_str(res->status), n_cands);
    int bad = summary_row(t, "parks_built", 0, res->n_built, "parks", note);
    bad |= summary_row(t, "fixed_cost", 0, res->fixed_cost, "yuan/yr", "annualised");
    bad |= summary_row(t, "haul_handling_cost", ba->haul_before, ba->haul_after, "yuan/yr", NULL);
    bad |= summary_row(t, "park_cost_per_t", 0, ba->gate, "yuan/yr",
                       "processing cost minus revenue at the new parks");
    bad |= summary_row(t, "penalty_cost", ba->pen_before, ba->pen_after, "yuan/yr",
                       "unallocated tonnes x unallocated_cost");
    bad |= summary_row(t, "total_cost", ba->cost_before, ba->cost_after, "yuan/yr",
                       "fixed + haul + handling + park per-t + penalty");
    const char *ounit = p->problem == WP_SITE_BUDGET ? "t" : "yuan/yr";
    bad |= summary_row(t, "objective", NAN, res->objective, ounit,
                       p->problem == WP_SITE_BUDGET ? "tonnes delivered (maximised)"
                       : p->problem == WP_SITE_TARGET ? "total cost with the fewest parks"
                                                      : "total cost (minimised)");
    bad |= summary_row(t, "bound", NAN, res->bound, ounit,
                       p->heuristic ? "LP relaxation" : "CBC best bound");
    bad |= summary_row(t, "gap_pct", NAN, 100.0 * res->gap, "%",
                       res->status == WP_SITE_OPTIMAL ? "proven optimal" : "not proven optimal");
    if (p->problem == WP_SITE_TARGET)
        bad |= summary_row(t, "fewest_parks_bound", NAN, res->phase1_bound, "parks",
                           "no choice of parks reaches the targets with fewer");
    bad |= summary_row(t, "solve_seconds", NAN, res->seconds, "s", NULL);
    for (int j = 0; j < mf->materials.count; j++) {
        if (!(ba->sup[j] > 0)) continue;
        const wp_material *mt = &mf->materials.m[j];
        snprintf(item, sizeof item, "utilisation.%s", mt->id);
        snprintf(note, sizeof note, "%s：已利用 ÷ 产生（含堆场出库）", mt->name_zh);
        bad |= summary_row(t, item, pct(ba->all0[j], ba->sup[j]), pct(ba->all1[j], ba->sup[j]),
                           "%", note);
        if (ba->sup_new[j] > 0) {
            snprintf(item, sizeof item, "utilisation_new.%s", mt->id);
            if (p->target[j] >= 0)
                snprintf(note, sizeof note, "%s：新产生量的利用率；目标 %.4g %%", mt->name_zh,
                         100 * p->target[j]);
            else
                snprintf(note, sizeof note, "%s：新产生量的利用率", mt->name_zh);
            bad |= summary_row(t, item, pct(ba->new0[j], ba->sup_new[j]),
                               pct(ba->new1[j], ba->sup_new[j]), "%", note);
        }
        snprintf(item, sizeof item, "delivered.%s", mt->id);
        bad |= summary_row(t, item, ba->all0[j], ba->all1[j], "t", NULL);
    }
    if (bad) goto oom;
    return t;
oom:
    wp_table_free(t);
    return NULL;
}

/* The choice, readable on stdout. */
static void print_choice(const wp_siting *s, const wp_site_result *res, const wp_site_params *p,
                         const wp_model *mf, const before_after *ba) {
    printf("siting (%s, %s): %s, %d of %d candidates built", wp_site_problem_str(p->problem),
           res->method, wp_site_status_str(res->status), res->n_built, s->n_cands);
    if (!isnan(res->gap)) printf(", gap %.4g %%", 100 * res->gap);
    printf(", %.2f s\n", res->seconds);
    for (int c = 0; c < s->n_cands; c++) {
        int o = res->option[c];
        if (o < 0) continue;
        const wp_park_type *t = &s->types[s->cands[c].type];
        printf("  %-24s ", s->cands[c].id);
        wp_print_cell(stdout, s->cands[c].name, 30, 0);
        printf(" %s  %.4g 万吨/年  fixed %.4g 万元/年\n", t->id, t->cap_t[o] / 1e4,
               t->fixed_cost[o] / 1e4);
    }
    printf("total cost: %.6g -> %.6g 万元/年\n", ba->cost_before / 1e4, ba->cost_after / 1e4);
    for (int j = 0; j < mf->materials.count; j++) {
        if (!(ba->sup_new[j] > 0)) continue;
        unsigned acc = 0;
        for (int k = 0; k < s->n_types; k++) acc |= s->types[k].accepts;
        if (!(acc >> j & 1u)) continue;
        printf("utilisation of new %s: %.1f %% -> %.1f %%", mf->materials.m[j].id,
               pct(ba->new0[j], ba->sup_new[j]), pct(ba->new1[j], ba->sup_new[j]));
        if (p->target[j] >= 0) printf(" (target %.4g %%)", 100 * p->target[j]);
        printf("\n");
    }
}

int wp_cmd_site(int argc, char **argv) {
    const char *out = NULL, *problem = NULL;
    wp_opt_list sets = {0};
    int quiet = 0, heuristic = 0, naive = 0;
    long k = -1;
    double time_limit = -1;
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &out, "FILE", "GeoPackage to write (default: siting.output)"},
        {0, "problem", WP_OPT_STRING, &problem, "P", "cflp, k, target or budget (default: siting.problem)"},
        {0, "k", WP_OPT_INT, &k, "N", "parks to build for --problem k"},
        {0, "time-limit", WP_OPT_DOUBLE, &time_limit, "S", "seconds for the whole solve (default 60)"},
        {0, "heuristic", WP_OPT_FLAG, &heuristic, NULL, "local search with an LP bound instead of the MIP"},
        {0, "naive", WP_OPT_FLAG, &naive, NULL, "MIP without the per-arc linking rows (for comparison)"},
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value, e.g. --set siting.max_parks=2"},
        {'q', "quiet", WP_OPT_FLAG, &quiet, NULL, "no progress messages on stderr"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0) {
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    if (n != 1) {
        fprintf(stderr, "wasteplan site: expected one scenario file (see 'wasteplan site --help')\n");
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    char err[1024] = "";
    wp_pipeline pl;
    wp_siting s;
    wp_siting_init(&s);
    wp_result r0, r1;
    int have_r0 = 0, have_r1 = 0;
    wp_site_result res;
    memset(&res, 0, sizeof res);
    int *cand_of = NULL, *sink_of_cand = NULL;
    double *sink_cost = NULL;
    wp_table *tables[2] = {NULL, NULL};
    char *path = NULL;
    before_after ba;
    memset(&ba, 0, sizeof ba);
    wp_site_params p;

    int rc = wp_pipeline_load(&pl, argv[0], &sets, !quiet);
    if (rc == WP_EXIT_OK) rc = wp_pipeline_arcs(&pl);
    if (rc != WP_EXIT_OK) goto done;
    if (read_params(&pl.cfg, &pl.model.materials, &p, err, sizeof err) < 0 ||
        wp_siting_read_types(&pl.cfg, &pl.model.materials, &s, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INPUT;
        goto done;
    }
    if (problem) {
        if (!strcmp(problem, "cflp")) p.problem = WP_SITE_CFLP;
        else if (!strcmp(problem, "k")) p.problem = WP_SITE_K;
        else if (!strcmp(problem, "target")) p.problem = WP_SITE_TARGET;
        else if (!strcmp(problem, "budget")) p.problem = WP_SITE_BUDGET;
        else {
            fprintf(stderr, "wasteplan site: --problem %s: expected cflp, k, target or budget\n", problem);
            rc = WP_EXIT_USAGE;
            goto done;
        }
    }
    if (k >= 0) {
        p.k = (int)k;
        if (!problem) p.problem = WP_SITE_K;
    }
    if (time_limit > 0) p.time_limit = time_limit;
    if (heuristic) p.heuristic = 1;
    p.naive = naive;
    p.verbose = 0;

    /* before: the allocation as it stands */
    if (wp_allocate(&pl.model, &r0, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    have_r0 = 1;
    delivered(&pl.model, &r0, ba.all0, ba.new0, ba.sup, ba.sup_new);
    ba.cost_before = r0.total_cost;
    ba.haul_before = r0.haul_cost + r0.handling_cost;
    ba.pen_before = r0.penalty_cost;

    int nc = wp_candidates_build(pl.geo, &pl.cfg, &pl.model, &s, err, sizeof err);
    if (nc < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INPUT;
        goto done;
    }
    if (nc == 0) {
        fprintf(stderr, "wasteplan: no candidate sites: every one was excluded, or "
                "[candidates] generates none (see docs/scenario.md, \"Siting\")\n");
        rc = WP_EXIT_INPUT;
        goto done;
    }
    wp_layer_info li = {"parks", "candidates", pl.cfg.path, "candidates", "EPSG:4326", "UTF-8",
                        "", (long)nc};
    int layer = wp_model_add_layer(&pl.model, &li);
    int nb = pl.model.n_sinks;
    if (layer < 0 || wp_siting_add_sinks(&pl.model, &s, layer) < 0) {
        fprintf(stderr, "wasteplan: out of memory\n");
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "wasteplan: %d candidate sites of %d park type%s; finding hauls to them\n",
                nc, s.n_types, s.n_types > 1 ? "s" : "");
    if ((rc = wp_pipeline_arcs(&pl)) != WP_EXIT_OK) goto done;
    if (!quiet)
        fprintf(stderr, "wasteplan: choosing parks (%s, %s, time limit %g s)\n",
                wp_site_problem_str(p.problem), p.heuristic ? "heuristic" : "CBC", p.time_limit);
    if (wp_site_solve(&pl.model, nb, &s, &p, &res, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = strstr(err, "out of memory") || strstr(err, "internal") ? WP_EXIT_INTERNAL
                                                                    : WP_EXIT_INPUT;
        goto done;
    }
    if (res.status == WP_SITE_INFEASIBLE)
        fprintf(stderr, "wasteplan: warning: no choice of parks satisfies the %s problem's "
                "constraints; nothing is built\n", wp_site_problem_str(p.problem));
    else if (res.status == WP_SITE_NO_SOLUTION)
        fprintf(stderr, "wasteplan: warning: no solution within %g s%s; nothing is built "
                "(raise --time-limit%s)\n", p.time_limit,
                p.heuristic ? " that meets the constraints" : "",
                p.heuristic ? " or drop --heuristic" : " or try --heuristic");

    /* after: the allocation with the chosen parks */
    cand_of = malloc((size_t)pl.model.n_sinks * sizeof *cand_of);
    sink_of_cand = malloc((size_t)(nc ? nc : 1) * sizeof *sink_of_cand);
    if (!cand_of || !sink_of_cand ||
        wp_site_keep_built(&pl.model, nb, &s, res.option, cand_of) < 0) {
        fprintf(stderr, "wasteplan: out of memory\n");
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    for (int c = 0; c < nc; c++) sink_of_cand[c] = -1;
    sink_cost = calloc((size_t)(pl.model.n_sinks ? pl.model.n_sinks : 1), sizeof *sink_cost);
    if (!sink_cost) {
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    for (int q = 0; q < pl.model.n_sinks; q++)
        if (cand_of[q] >= 0) {
            sink_of_cand[cand_of[q]] = q;
            sink_cost[q] = s.types[s.cands[cand_of[q]].type].cost_per_t;
        }
    if (wp_site_allocate(&pl.model, sink_cost, &r1, &ba.gate, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    have_r1 = 1;
    delivered(&pl.model, &r1, ba.all1, ba.new1, ba.sup, ba.sup_new);
    ba.cost_after = r1.total_cost + ba.gate + res.fixed_cost;
    ba.haul_after = r1.haul_cost + r1.handling_cost;
    ba.pen_after = r1.penalty_cost;

    tables[0] = parks_table(&pl.model, &r1, &s, &res, sink_of_cand);
    tables[1] = summary_table(&pl.model, &res, &p, &ba, nc);
    if (!tables[0] || !tables[1]) {
        fprintf(stderr, "wasteplan: out of memory building the siting tables\n");
        rc = WP_EXIT_INTERNAL;
        goto done;
    }
    path = wp_output_path(&pl, out, "siting.output", "_siting");
    char when[32];
    wp_run_time(when, sizeof when);
    wp_gpkg_options go = {path, wp_output_crs(&pl), WP_VERSION, when, 2, tables, 0};
    if (!quiet) fprintf(stderr, "wasteplan: writing %s\n", path ? path : "(null)");
    if (!path || wp_write_gpkg(pl.geo, &pl.model, &r1, &pl.cfg, &go, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: cannot write %s: %s\n", path ? path : "output",
                path ? err : "out of memory");
        rc = WP_EXIT_OUTPUT;
        goto done;
    }
    print_choice(&s, &res, &p, &pl.model, &ba);
    printf("\n");
    wp_report_summary(stdout, &pl.model, &r1);
    printf("\nwritten: %s\n", path);
done:
    if (have_r0) wp_result_free(&r0);
    if (have_r1) wp_result_free(&r1);
    wp_site_result_free(&res);
    wp_table_free(tables[0]);
    wp_table_free(tables[1]);
    free(cand_of);
    free(sink_of_cand);
    free(sink_cost);
    free(path);
    wp_siting_free(&s);
    wp_pipeline_free(&pl);
    wp_opt_list_free(&sets);
    return rc;
}
