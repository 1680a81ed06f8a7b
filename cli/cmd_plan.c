/*
** cmd_plan.c — `wasteplan plan SCENARIO [-o OUT.gpkg]`: the allocation
** planned over a horizon of years (planner/multiperiod.h). Loads the
** layers as `solve` does, adds their year columns and the [horizon],
** [storage] and [target] sections, solves the time-expanded flow exactly,
** prints the yearly balance per material and writes a GeoPackage with the
** tables `yearly` (per material and year) and `flows_by_year` (one line
** feature per haul and year) plus the scenario table.
**
** The standard flows/sources/sinks layers describe one year; a plan's
** year is the row of `flows_by_year`, so the plan writes that table
** instead of choosing one year to show in them.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"

#include "../geo/gpkg.h"
#include "../geo/load_years.h"
#include "../planner/multiperiod.h"
#include "../planner/table.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] = "wasteplan plan SCENARIO [-o OUT.gpkg] [--enforce|--report] [--set K=V]...";
static const char description[] =
    "Plan the allocation over the scenario's years ([scenario] years = 2025-2030,\n"
    "or [horizon] start/end): producers' output year by year, yard stock drawn\n"
    "down or carried at its storage cost, new waste stored where the material\n"
    "allows it, sinks open only in their years, a mine's void shared by all\n"
    "years. Solved exactly as one time-expanded min-cost flow.\n"
    "\n"
    "Targets ([target] red_mud.2027 = 15%) are reported by default: the yearly\n"
    "table shows what the cost-optimal plan achieves and the gap. With --enforce\n"
    "(or [target] mode = enforce) they are constraints: the table then shows\n"
    "what one more tonne of the target costs (shadow_price), or, when no plan\n"
    "can meet it, the shortfall and which sites are full.\n"
    "\n"
    "Writes tables yearly and flows_by_year (line layer, field year) and the\n"
    "scenario table; docs/scenario.md, \"Plans over years\", lists the keys.\n"
    "\n"
    "examples:\n"
    "  wasteplan plan samples/jiaozuo/years.ini -o plan.gpkg\n"
    "  wasteplan plan years.ini --enforce -o enforced.gpkg\n"
    "  wasteplan plan years.ini --set target.red_mud.2030=40% --enforce";




/* ISO WKB of a two-point line, little-endian. */
static void line_wkb(unsigned char out[41], double x0, double y0, double x1, double y1) {
    uint32_t type = 2, n = 2;
    double c[4] = {x0, y0, x1, y1};
    out[0] = 1;
    memcpy(out + 1, &type, 4);
    memcpy(out + 5, &n, 4);
    memcpy(out + 9, c, sizeof c);
}

/* Sinks of material j full in year y, as "id, id" (at most a few). */
static void full_sinks(const wp_model *m, const wp_horizon *h, const wp_plan_result *r,
                       int y, int j, char *out, size_t n) {
    size_t len = 0;
    int count = 0;
    out[0] = 0;
    for (int k = 0; k < m->n_sinks; k++) {
        if (!(m->sinks[k].accepts >> j & 1u)) continue;
        size_t ky = (size_t)k * h->n_years + (size_t)y;
        if (!(h->sink_cap_t[ky] > 0)) continue;   /* closed that year: not "full" */
        if (!(r->sink_shadow[ky] > 0) && !(r->sink_t[ky] >= h->sink_cap_t[ky] - r->flow_unit_t))
            continue;
        if (count++ < 6 && len + strlen(m->sinks[k].id) + 3 < n)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", m->sinks[k].id);
    }
    if (count > 6 && len + 16 < n) snprintf(out + len, n - len, " (+%d more)", count - 6);
}

/* Stock draw-down of material j by the end of year y, over its yards:
** share of the opening stock drawn, the target, the tonnes short of it and
** the highest price of any yard's enforced target. */
typedef struct { double share, target, short_t, price; } stock_state;

static stock_state stock_of(const wp_model *m, const wp_horizon *h, const wp_plan_result *r,
                            int y, int j) {
    stock_state st = {NAN, h->target_stock[(size_t)y * WP_MAX_MATERIALS + (size_t)j], 0, 0};
    double open = 0, left = 0;
    for (int v = 0; v < m->n_sources; v++) {
        if (m->sources[v].kind != WP_SRC_YARD || m->sources[v].material != j) continue;
        size_t i = (size_t)v * h->n_years + (size_t)y;
        open += h->stock0_t[v];
        left += r->old_end_t[i];
        st.short_t += r->stock_short_t[i];
        if (r->stock_shadow[i] > st.price) st.price = r->stock_shadow[i];
    }
    if (open > 0) st.share = 1 - left / open;
    return st;
}

static int set_r(wp_table *t, int row, const char *col, double v) {
    return wp_table_set_real(t, row, wp_table_col(t, col), v);
}

/* The yearly table: per material with any tonnes, per year. */
static wp_table *yearly_table(const wp_model *m, const wp_horizon *h, const wp_plan_result *r) {
    wp_table *t = wp_table_new("yearly", "yearly 年度平衡",
                               "per material and year: generated, used from new, drawn from stock, "
                               "stored, stock at year end, utilisation of new, target, gap, cost",
                               WP_GEOM_NONE);
    if (!t) return NULL;
    static const struct { const char *name; wp_col_type type; const char *alias; } cols[] = {
        {"material", WP_COL_TEXT, "固废种类"}, {"material_zh", WP_COL_TEXT, "固废名称"},
        {"year", WP_COL_INT, "年份"}, {"generated_t", WP_COL_REAL, "新产生量(t)"},
        {"used_new_t", WP_COL_REAL, "新产生利用量(t)"}, {"drawn_t", WP_COL_REAL, "存量消纳(t)"},
        {"stored_t", WP_COL_REAL, "新增贮存(t)"}, {"stock_end_t", WP_COL_REAL, "年末存量(t)"},
        {"util_new", WP_COL_REAL, "新产生利用率"}, {"target", WP_COL_REAL, "目标利用率"},
        {"gap", WP_COL_REAL, "差距"}, {"cost", WP_COL_REAL, "费用(元)"},
        {"unallocated_t", WP_COL_REAL, "未利用未贮存(t)"},
        {"shadow_price", WP_COL_REAL, "目标影子价格(元/t)"},
        {"shortfall_t", WP_COL_REAL, "目标缺口(t)"}, {"short_where", WP_COL_TEXT, "已满利用点"},
        {"stock_drawn_share", WP_COL_REAL, "存量累计消纳比例"},
        {"stock_target", WP_COL_REAL, "存量消纳目标"},
        {"stock_shadow_price", WP_COL_REAL, "存量目标影子价格(元/t)"},
        {"stock_shortfall_t", WP_COL_REAL, "存量目标缺口(t)"},
    };
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        if (wp_table_add_col(t, cols[c].name, cols[c].type, cols[c].alias) < 0) goto fail;
    for (int j = 0; j < m->materials.count; j++) {
        int any = 0;
        for (int y = 0; y < h->n_years; y++) {
            const wp_plan_row *w = &r->rows[(size_t)y * WP_MAX_MATERIALS + (size_t)j];
            any |= w->generated_t > 0 || w->stock_open_t > 0 || w->drawn_t > 0;
        }
        if (!any) continue;
        for (int y = 0; y < h->n_years; y++) {
            const wp_plan_row *w = &r->rows[(size_t)y * WP_MAX_MATERIALS + (size_t)j];
            int row = wp_table_add_row(t);
            if (row < 0 ||
                wp_table_set_text(t, row, 0, m->materials.m[j].id) < 0 ||
                wp_table_set_text(t, row, 1, m->materials.m[j].name_zh) < 0 ||
                wp_table_set_int(t, row, 2, h->year0 + y) < 0 ||
                set_r(t, row, "generated_t", w->generated_t) < 0 ||
                set_r(t, row, "used_new_t", w->used_new_t) < 0 ||
                set_r(t, row, "drawn_t", w->drawn_t) < 0 ||
                set_r(t, row, "stored_t", w->stored_t) < 0 ||
                set_r(t, row, "stock_end_t", w->stock_end_t) < 0 ||
                set_r(t, row, "util_new", w->util_new) < 0 ||
                set_r(t, row, "target", w->target) < 0 ||
                set_r(t, row, "gap", w->gap) < 0 ||
                set_r(t, row, "cost", w->cost) < 0 ||
                set_r(t, row, "unallocated_t", w->unallocated_t) < 0)
                goto fail;
            stock_state st = stock_of(m, h, r, y, j);
            if (set_r(t, row, "stock_drawn_share", st.share) < 0 ||
                set_r(t, row, "stock_target", st.target) < 0)
                goto fail;
            if (h->enforce && st.target == st.target && st.target > 0 &&
                (set_r(t, row, "stock_shadow_price", st.short_t > 0 ? NAN : st.price) < 0 ||
                 set_r(t, row, "stock_shortfall_t", st.short_t) < 0))
                goto fail;
            if (h->enforce && w->target == w->target && w->target > 0) {
                if (set_r(t, row, "shadow_price", w->shadow_price) < 0 ||
                    set_r(t, row, "shortfall_t", w->shortfall_t) < 0)
                    goto fail;
                if (w->shortfall_t > 0) {
                    char where[512];
                    full_sinks(m, h, r, y, j, where, sizeof where);
                    if (wp_table_set_text(t, row, wp_table_col(t, "short_where"), where) < 0) goto fail;
                }
            }
        }
    }
    return t;
fail:
    wp_table_free(t);
    return NULL;
}

/* One line feature per haul and year that carries waste. */
static wp_table *flows_table(const wp_model *m, const wp_horizon *h, const wp_plan_result *r) {
    wp_table *t = wp_table_new("flows_by_year", "flows_by_year 逐年运输",
                               "tonnes on each haul in each year of the plan", WP_GEOM_LINE);
    if (!t) return NULL;
    static const struct { const char *name; wp_col_type type; const char *alias; } cols[] = {
        {"year", WP_COL_INT, "年份"}, {"source_id", WP_COL_TEXT, "产废源编号"},
        {"source_kind", WP_COL_TEXT, "来源"}, {"sink_id", WP_COL_TEXT, "利用点编号"},
        {"material", WP_COL_TEXT, "固废种类"}, {"tonnes", WP_COL_REAL, "吨数"},
        {"distance_km", WP_COL_REAL, "运距(km)"}, {"cost_yuan", WP_COL_REAL, "运输成本(元)"},
    };
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        if (wp_table_add_col(t, cols[c].name, cols[c].type, cols[c].alias) < 0) goto fail;
    for (int y = 0; y < h->n_years; y++)
        for (size_t a = 0; a < m->n_arcs; a++) {
            double tn = r->arc_t[(size_t)y * m->n_arcs + a];
            if (!(tn > 0.5e-6)) continue;
            const wp_arc *arc = &m->arcs[a];
            const wp_source *s = &m->sources[arc->src];
            unsigned char wkb[41];
            line_wkb(wkb, s->lon, s->lat, arc->to_lon, arc->to_lat);
            int row = wp_table_add_row(t);
            if (row < 0 || wp_table_set_int(t, row, 0, h->year0 + y) < 0 ||
                wp_table_set_text(t, row, 1, s->id) < 0 ||
                wp_table_set_text(t, row, 2, s->kind == WP_SRC_YARD ? "stock" : "new") < 0 ||
                wp_table_set_text(t, row, 3, m->sinks[arc->sink].id) < 0 ||
                wp_table_set_text(t, row, 4, m->materials.m[s->material].id) < 0 ||
                wp_table_set_real(t, row, 5, tn) < 0 ||
                wp_table_set_real(t, row, 6, arc->dist_km) < 0 ||
                wp_table_set_real(t, row, 7, tn * wp_arc_cost_per_t(m, arc)) < 0 ||
                wp_table_set_wkb(t, row, wkb, sizeof wkb) < 0)
                goto fail;
        }
    return t;
fail:
    wp_table_free(t);
    return NULL;
}

/* The yearly balance on stdout, in 万吨 as Chinese planners read it. */
static void print_yearly(FILE *f, const wp_model *m, const wp_horizon *h, const wp_plan_result *r) {
    fprintf(f, "%-16s %4s %9s %9s %9s %9s %10s %6s %6s %7s %12s\n", "material", "year",
            "generated", "used new", "drawn", "stored", "stock end", "util", "target", "gap", "cost yuan");
    fprintf(f, "%-16s %4s %9s %9s %9s %9s %10s %6s %6s %7s\n", "", "", "万t", "万t", "万t", "万t", "万t",
            "%", "%", "pts");
    for (int j = 0; j < m->materials.count; j++)
        for (int y = 0; y < h->n_years; y++) {
            const wp_plan_row *w = &r->rows[(size_t)y * WP_MAX_MATERIALS + (size_t)j];
            if (!(w->generated_t > 0 || w->stock_open_t > 0)) continue;
            char util[16] = "-", tg[16] = "-", gap[16] = "-";
            if (w->util_new == w->util_new) snprintf(util, sizeof util, "%.1f", 100 * w->util_new);
            if (w->target == w->target) snprintf(tg, sizeof tg, "%.1f", 100 * w->target);
            if (w->gap == w->gap) snprintf(gap, sizeof gap, "%+.1f", 100 * w->gap);
            fprintf(f, "%-16s %4d %9.2f %9.2f %9.2f %9.2f %10.2f %6s %6s %7s %12.0f", m->materials.m[j].id,
                    h->year0 + y, w->generated_t / 1e4, w->used_new_t / 1e4, w->drawn_t / 1e4,
                    w->stored_t / 1e4, w->stock_end_t / 1e4, util, tg, gap, w->cost);
            if (h->enforce && w->target == w->target && w->target > 0) {
                if (w->shortfall_t > 0) fprintf(f, "  SHORT %.2f 万t", w->shortfall_t / 1e4);
                else fprintf(f, "  price %.2f yuan/t", w->shadow_price);
            }
            stock_state st = stock_of(m, h, r, y, j);
            if (st.target == st.target && st.target > 0) {
                fprintf(f, "  stock drawn %.1f%% of target %.1f%%", 100 * st.share, 100 * st.target);
                if (h->enforce && st.short_t > 0) fprintf(f, " SHORT %.2f 万t", st.short_t / 1e4);
                else if (h->enforce) fprintf(f, " price %.2f yuan/t", st.price);
            }
            fputc('\n', f);
        }
    fprintf(f, "\ntotal cost %.0f yuan (haul %.0f, handling %.0f, unallocated %.0f, "
            "storing %.0f, storage %.0f)\n", r->total_cost, r->haul_cost, r->handling_cost,
            r->penalty_cost, r->store_cost, r->storage_cost);
    if (r->infeasible)
        fprintf(f, "targets: NOT all attainable; the plan shown is the closest one, the "
                "shortfalls say by how much and the yearly table which sites are full\n");
}

int wp_cmd_plan(int argc, char **argv) {
    const char *out = NULL;
    wp_opt_list sets = {0};
    int quiet = 0, enforce = 0, report = 0, timings = 0;
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &out, "FILE", "GeoPackage to write (default: <scenario.output>_plan.gpkg)"},
        {0, "enforce", WP_OPT_FLAG, &enforce, NULL, "make the targets constraints and price them"},
        {0, "report", WP_OPT_FLAG, &report, NULL, "only report the gap to each target (the default)"},
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value, e.g. --set target.red_mud.2030=0.3"},
        {'q', "quiet", WP_OPT_FLAG, &quiet, NULL, "no progress messages on stderr"},
        {0, "timings", WP_OPT_FLAG, &timings, NULL, "print the time of each phase on stderr"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0 || n != 1 || (enforce && report)) {
        if (n >= 0)
            fprintf(stderr, "wasteplan plan: expected one scenario file and at most one of "
                    "--enforce, --report (see 'wasteplan plan --help')\n");
        wp_opt_list_free(&sets);
        return WP_EXIT_USAGE;
    }
    wp_pipeline pl;
    int rc = wp_pipeline_load(&pl, argv[0], &sets, !quiet);
    char err[1024] = "";
    int year0 = 0, n_years = 0;
    if (rc == WP_EXIT_OK && wp_years_from_config(&pl.cfg, &year0, &n_years, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        rc = WP_EXIT_INPUT;
    }
    if (rc == WP_EXIT_OK) rc = wp_pipeline_arcs(&pl);
    wp_horizon h;
    memset(&h, 0, sizeof h);
    wp_plan_result r;
    int have_r = 0;
    double t_solve = 0;
    if (rc == WP_EXIT_OK) {
        if (wp_horizon_init(&h, &pl.model, year0, n_years) < 0) {
            fprintf(stderr, "wasteplan: out of memory\n");
            rc = WP_EXIT_INTERNAL;
        } else if (wp_load_years(pl.geo, &pl.cfg, &pl.model, &h, &pl.probs, err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan: %s\n", err);
            rc = WP_EXIT_INPUT;
        }
    }
    if (rc == WP_EXIT_OK) {
        if (enforce) h.enforce = 1;
        if (report) h.enforce = 0;
        for (int i = 0; i < pl.probs.count; i++)
            if (!strncmp(pl.probs.text[i], "warning: ", 9) && !quiet && strstr(pl.probs.text[i], "horizon"))
                fprintf(stderr, "wasteplan: %s\n", pl.probs.text[i]);
        if (!quiet)
            fprintf(stderr, "wasteplan: planning %d-%d: %d sources, %d sinks, %zu candidate hauls%s\n",
                    year0, year0 + n_years - 1, pl.model.n_sources, pl.model.n_sinks,
                    pl.model.n_arcs, h.enforce ? ", targets enforced" : "");
        double t0 = wp_seconds();
        if (wp_plan(&pl.model, &h, &r, err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan: %s\n", err);
            rc = WP_EXIT_INTERNAL;
        } else {
            have_r = 1;
        }
        t_solve = wp_seconds() - t0;
    }
    char *path = NULL;
    if (rc == WP_EXIT_OK) {
        wp_table *tabs[2] = {yearly_table(&pl.model, &h, &r), flows_table(&pl.model, &h, &r)};
        path = wp_output_path(&pl, out, NULL, "_plan");
        if (!tabs[0] || !tabs[1] || !path) {
            fprintf(stderr, "wasteplan: out of memory\n");
            rc = WP_EXIT_INTERNAL;
        } else {
            char when[32];
            wp_run_time(when, sizeof when);
            wp_gpkg_options go = {path, wp_output_crs(&pl), WP_VERSION, when, 2, tabs, 1};
            if (!quiet) fprintf(stderr, "wasteplan: writing %s\n", path);
            /* the model is passed although tables_only needs none of it: gpkg.c
            ** reads its materials before looking at tables_only */
            if (wp_write_gpkg(pl.geo, &pl.model, NULL, &pl.cfg, &go, err, sizeof err) < 0) {
                fprintf(stderr, "wasteplan: cannot write %s: %s\n", path, err);
                rc = WP_EXIT_OUTPUT;
            }
        }
        wp_table_free(tabs[0]);
        wp_table_free(tabs[1]);
    }
    if (rc == WP_EXIT_OK) {
        print_yearly(stdout, &pl.model, &h, &r);
        printf("\nwritten: %s\n", path);
    }
    if (timings && have_r)
        fprintf(stderr, "timings: load %.3f s, arcs %.3f s, plan %.3f s (flow %.3f s, %lld pivots)\n",
                pl.t_load, pl.t_arcs, t_solve, r.solve_seconds, r.pivots);
    if (have_r) wp_plan_result_free(&r);
    wp_horizon_free(&h);
    free(path);
    wp_pipeline_free(&pl);
    wp_opt_list_free(&sets);
    return rc;
}
