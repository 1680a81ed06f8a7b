/*
** tool_multiperiod.c — solve one multi-year plan given as plain numbers,
** for the LP oracle (tests/oracle_multiperiod.py), which writes the
** instance, solves it independently with HiGHS and compares.
**
** usage: tool_multiperiod FILE       (prints one JSON object on stdout)
**
** FILE is whitespace-separated numbers; -1 stands for "no limit" (or "no
** target", "no yard"):
**   Y J S K A enforce
**   J x: handling road_rate unallocated_cost new_storage max_store_years
**   S x: kind(0 plant, 1 yard) material, then
**        plant: gen[Y] store_yard store_cost
**        yard:  stock0 drawdown[Y] storage storage_cost
**   K x: accepts_mask horizon_total cap[Y] matcap[Y][J]
**   A x: src sink dist_km
**   target_new[Y][J] target_stock[Y][J]
*/
#include "../planner/multiperiod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static FILE *in;

static double num(void) {
    double v;
    if (fscanf(in, "%lf", &v) != 1) {
        fprintf(stderr, "tool_multiperiod: truncated instance\n");
        exit(2);
    }
    return v;
}

static double lim(void) {
    double v = num();
    return v < 0 ? HUGE_VAL : v;
}

static double tgt(void) {
    double v = num();
    return v < 0 ? NAN : v;
}

static void jnum(const char *sep, double v) {
    if (v != v || v == HUGE_VAL) printf("%snull", sep);
    else printf("%s%.17g", sep, v);
}

int main(int argc, char **argv) {
    if (argc != 2 || !(in = fopen(argv[1], "r"))) {
        fprintf(stderr, "usage: tool_multiperiod FILE\n");
        return 2;
    }
    int Y = (int)num(), J = (int)num(), S = (int)num(), K = (int)num(), A = (int)num();
    int enforce = (int)num();
    wp_model m;
    wp_model_init(&m);
    int ns[WP_MAX_MATERIALS];
    double my[WP_MAX_MATERIALS];
    for (int j = 0; j < J; j++) {
        wp_material *mt = &m.materials.m[j];
        mt->handling = num();
        mt->road_rate = num();
        mt->unallocated_cost = num();
        ns[j] = (int)num();
        my[j] = lim();
        mt->max_haul_km = 1e4;
    }
    /* sources: read into temporaries first, the horizon needs the model */
    double *gen = calloc((size_t)S * (size_t)Y + 1, sizeof(double));
    double *dd = calloc((size_t)S * (size_t)Y + 1, sizeof(double));
    double *stock = calloc((size_t)S + 1, sizeof(double));
    double *room = calloc((size_t)S + 1, sizeof(double));
    double *scost = calloc((size_t)S + 1, sizeof(double));
    double *stcost = calloc((size_t)S + 1, sizeof(double));
    int *syard = calloc((size_t)S + 1, sizeof(int));
    for (int s = 0; s < S; s++) {
        char id[16];
        snprintf(id, sizeof id, "s%04d", s);
        wp_source *src = wp_model_add_source(&m, id, id);
        src->kind = (int)num() ? WP_SRC_YARD : WP_SRC_PLANT;
        src->material = (int)num();
        if (src->kind == WP_SRC_PLANT) {
            for (int y = 0; y < Y; y++) gen[(size_t)s * Y + y] = num();
            syard[s] = (int)num();
            stcost[s] = num();
            src->supply_t = gen[(size_t)s * Y];
        } else {
            stock[s] = num();
            for (int y = 0; y < Y; y++) dd[(size_t)s * Y + y] = lim();
            room[s] = lim();
            scost[s] = num();
            syard[s] = -1;
            src->supply_t = stock[s] < dd[(size_t)s * Y] ? stock[s] : dd[(size_t)s * Y];
        }
    }
    double *hor = calloc((size_t)K + 1, sizeof(double));
    double *cap = calloc((size_t)K * Y + 1, sizeof(double));
    double *mcap = calloc((size_t)K * Y * WP_MAX_MATERIALS + 1, sizeof(double));
    for (int k = 0; k < K; k++) {
        char id[16];
        snprintf(id, sizeof id, "k%04d", k);
        wp_sink *sk = wp_model_add_sink(&m, id, id);
        sk->accepts = (unsigned)num();
        hor[k] = lim();
        for (int y = 0; y < Y; y++) cap[(size_t)k * Y + y] = lim();
        for (int y = 0; y < Y; y++)
            for (int j = 0; j < J; j++)
                mcap[((size_t)k * Y + y) * WP_MAX_MATERIALS + j] = lim();
        sk->cap_total_t = cap[(size_t)k * Y];
        for (int j = 0; j < WP_MAX_MATERIALS; j++)
            sk->cap_t[j] = j < J ? mcap[(size_t)k * Y * WP_MAX_MATERIALS + j] : HUGE_VAL;
    }
    for (int a = 0; a < A; a++) {
        wp_arc arc = {0, 0, 0, 0, 0};
        arc.src = (int)num();
        arc.sink = (int)num();
        arc.dist_km = num();
        wp_model_add_arc(&m, &arc);
    }
    wp_horizon h;
    if (wp_horizon_init(&h, &m, 2025, Y) < 0) return 4;
    h.enforce = enforce;
    for (int j = 0; j < J; j++) {
        h.new_storage[j] = ns[j];
        h.max_store_years[j] = my[j];
    }
    for (int s = 0; s < S; s++) {
        h.stock0_t[s] = stock[s];
        h.storage_t[s] = room[s] > 0 || m.sources[s].kind == WP_SRC_YARD ? room[s] : HUGE_VAL;
        if (m.sources[s].kind == WP_SRC_YARD) h.storage_cost[s] = scost[s];
        h.store_yard[s] = syard[s];
        h.store_cost[s] = stcost[s];
        for (int y = 0; y < Y; y++) {
            h.gen_t[(size_t)s * Y + y] = gen[(size_t)s * Y + y];
            h.drawdown_t[(size_t)s * Y + y] = dd[(size_t)s * Y + y];
        }
    }
    for (int k = 0; k < K; k++) {
        h.sink_horizon_t[k] = hor[k];
        for (int y = 0; y < Y; y++) {
            h.sink_cap_t[(size_t)k * Y + y] = cap[(size_t)k * Y + y];
            for (int j = 0; j < J; j++) {
                size_t i = ((size_t)k * Y + y) * WP_MAX_MATERIALS + j;
                h.sink_mat_cap_t[i] = (m.sinks[k].accepts >> j & 1u) ? mcap[i] : 0;
            }
        }
    }
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < J; j++) h.target_new[(size_t)y * WP_MAX_MATERIALS + j] = tgt();
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < J; j++) h.target_stock[(size_t)y * WP_MAX_MATERIALS + j] = tgt();
    fclose(in);

    wp_plan_result r;
    char err[512];
    if (wp_plan(&m, &h, &r, err, sizeof err) < 0) {
        fprintf(stderr, "tool_multiperiod: %s\n", err);
        return 4;
    }
    printf("{\"total_cost\": %.17g, \"infeasible\": %d, \"flow_unit\": %.17g,\n",
           r.total_cost, r.infeasible, r.flow_unit_t);
    printf(" \"rows\": [");
    for (int y = 0; y < Y; y++)
        for (int j = 0; j < J; j++) {
            const wp_plan_row *w = &r.rows[(size_t)y * WP_MAX_MATERIALS + j];
            printf("%s\n  {\"y\": %d, \"j\": %d", (y || j) ? "," : "", y, j);
            jnum(", \"generated\": ", w->generated_t);
            jnum(", \"used_new\": ", w->used_new_t);
            jnum(", \"stored\": ", w->stored_t);
            jnum(", \"unallocated\": ", w->unallocated_t);
            jnum(", \"drawn\": ", w->drawn_t);
            jnum(", \"stock_open\": ", w->stock_open_t);
            jnum(", \"stock_end\": ", w->stock_end_t);
            jnum(", \"shadow\": ", w->shadow_price);
            jnum(", \"shortfall\": ", w->shortfall_t);
            jnum(", \"pooled_store\": ", w->pooled_store_t);
            jnum(", \"cost\": ", w->cost);
            printf("}");
        }
    printf("],\n \"arc_t\": [");
    for (size_t i = 0; i < (size_t)Y * m.n_arcs; i++) jnum(i ? ", " : "", r.arc_t[i]);
    printf("],\n \"yards\": [");
    int first = 1;
    for (int s = 0; s < S; s++) {
        if (m.sources[s].kind != WP_SRC_YARD) continue;
        for (int y = 0; y < Y; y++) {
            size_t i = (size_t)s * Y + y;
            printf("%s\n  {\"s\": %d, \"y\": %d", first ? "" : ",", s, y);
            first = 0;
            jnum(", \"drawn_old\": ", r.drawn_old_t[i]);
            jnum(", \"drawn_new\": ", r.drawn_new_t[i]);
            jnum(", \"stored_in\": ", r.stored_in_t[i]);
            jnum(", \"old_end\": ", r.old_end_t[i]);
            jnum(", \"new_end\": ", r.new_end_t[i]);
            jnum(", \"shadow\": ", r.stock_shadow[i]);
            printf("}");
        }
    }
    printf("]}\n");
    wp_plan_result_free(&r);
    wp_horizon_free(&h);
    wp_model_free(&m);
    free(gen); free(dd); free(stock); free(room); free(scost); free(stcost); free(syard);
    free(hor); free(cap); free(mcap);
    return 0;
}
