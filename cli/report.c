/*
** report.c — stdout tables. Quantities are shown in 万吨 (10^4 t) and costs
** in 万元, the units of Chinese planning reports; the GeoPackage keeps tonnes
** and yuan.
*/
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Decode one UTF-8 sequence at s; returns its length (1 for bad bytes). */
static int utf8_next(const unsigned char *s, unsigned *cp) {
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
        *cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
              (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
        return 4;
    }
    *cp = '?';
    return 1;
}

static int is_wide(unsigned cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

int wp_display_width(const char *s) {
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        p += utf8_next(p, &cp);
        w += is_wide(cp) ? 2 : 1;
    }
    return w;
}

void wp_print_cell(FILE *f, const char *s, int width, int right) {
    int pad = width - wp_display_width(s);
    if (right)
        for (int i = 0; i < pad; i++) fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (int i = 0; i < pad; i++) fputc(' ', f);
}

static void num_cell(FILE *f, double v, int decimals, int width) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    wp_print_cell(f, buf, width, 1);
}

static void row(FILE *f, const char *label, const wp_material_total *t) {
    double util = t->supply_t > 0 ? 100.0 * t->delivered_t / t->supply_t : 0;
    double cost = t->haul_cost + t->handling_cost + t->penalty_cost;
    wp_print_cell(f, label, 22, 0);
    num_cell(f, t->supply_t / 1e4, 2, 11);
    num_cell(f, t->delivered_t / 1e4, 2, 11);
    num_cell(f, t->unallocated_t / 1e4, 2, 11);
    num_cell(f, util, 1, 8);
    num_cell(f, cost / 1e4, 1, 12);
    num_cell(f, t->delivered_t > 0 ? (t->haul_cost + t->handling_cost) / t->delivered_t : 0, 2, 9);
    num_cell(f, t->t_km / 1e4, 1, 14);
    num_cell(f, t->co2_t, 1, 13);
    fputc('\n', f);
}

void wp_report_summary(FILE *f, const wp_model *m, const wp_result *r) {
    wp_print_cell(f, "material 固废", 22, 0);
    wp_print_cell(f, "supply", 11, 1);
    wp_print_cell(f, "used", 11, 1);
    wp_print_cell(f, "unused", 11, 1);
    wp_print_cell(f, "util%", 8, 1);
    wp_print_cell(f, "cost", 12, 1);
    wp_print_cell(f, "yuan/t", 9, 1);
    wp_print_cell(f, "t·km", 14, 1);
    wp_print_cell(f, "CO2 t", 13, 1);
    fputc('\n', f);
    wp_print_cell(f, "", 22, 0);
    wp_print_cell(f, "万吨", 11, 1);
    wp_print_cell(f, "万吨", 11, 1);
    wp_print_cell(f, "万吨", 11, 1);
    wp_print_cell(f, "利用率", 8, 1);
    wp_print_cell(f, "万元", 12, 1);
    wp_print_cell(f, "运输", 9, 1);
    wp_print_cell(f, "万t·km", 14, 1);
    wp_print_cell(f, "", 13, 1);
    fputc('\n', f);
    wp_material_total all = {0};
    for (int j = 0; j < m->materials.count; j++) {
        const wp_material_total *t = &r->mat[j];
        if (t->supply_t == 0 && t->delivered_t == 0) continue;
        char label[128];
        snprintf(label, sizeof label, "%s %s", m->materials.m[j].id, m->materials.m[j].name_zh);
        row(f, label, t);
        all.supply_t += t->supply_t;
        all.delivered_t += t->delivered_t;
        all.unallocated_t += t->unallocated_t;
        all.haul_cost += t->haul_cost;
        all.handling_cost += t->handling_cost;
        all.penalty_cost += t->penalty_cost;
        all.t_km += t->t_km;
        all.co2_t += t->co2_t;
    }
    row(f, "all 合计", &all);
    fprintf(f, "\ncost = haulage %.0f + handling %.0f + unallocated %.0f = %.0f yuan\n",
            r->haul_cost, r->handling_cost, r->penalty_cost, r->total_cost);

    int counts[5] = {0};
    double tonnes[5] = {0};
    for (int i = 0; i < m->n_sources; i++)
        if (r->src_unalloc[i] > 0) {
            counts[r->src_reason[i]]++;
            tonnes[r->src_reason[i]] += r->src_unalloc[i];
        }
    for (int reason = 1; reason < 5; reason++)
        if (counts[reason])
            fprintf(f, "unallocated: %d sources, %.2f 万吨: %s (%s)\n", counts[reason],
                    tonnes[reason] / 1e4, wp_reason_str((wp_reason)reason),
                    wp_reason_zh((wp_reason)reason));
    /* A site is full when its total, or its own limit for a material, binds. */
    double *best = malloc((size_t)(m->n_sinks ? m->n_sinks : 1) * sizeof *best);
    int *best_mat = malloc((size_t)(m->n_sinks ? m->n_sinks : 1) * sizeof *best_mat);
    if (!best || !best_mat) {
        free(best);
        free(best_mat);
        return;
    }
    int full = 0;
    for (int k = 0; k < m->n_sinks; k++) {
        best[k] = wp_sink_best_shadow(m, r, k, &best_mat[k]);
        if (best[k] > 0) full++;
    }
    if (full) {
        fprintf(f, "full sites (one more tonne of capacity would save):\n");
        /* the ten most valuable, in order */
        int shown = 0;
        double last = HUGE_VAL;
        int last_k = -1;
        while (shown < 10) {
            int pick = -1;
            for (int k = 0; k < m->n_sinks; k++) {
                double v = best[k];
                if (v <= 0) continue;
                if (v > last || (v == last && k <= last_k)) continue;
                if (pick < 0 || v > best[pick]) pick = k;
            }
            if (pick < 0) break;
            fputs("  ", f);
            wp_print_cell(f, m->sinks[pick].name, 34, 0);
            fprintf(f, " %8.2f yuan/t", best[pick]);
            if (best_mat[pick] >= 0)
                fprintf(f, "  (its limit for %s)", m->materials.m[best_mat[pick]].name_zh);
            fputc('\n', f);
            last = best[pick];
            last_k = pick;
            shown++;
        }
        if (full > shown) fprintf(f, "  ... and %d more (see the sinks layer)\n", full - shown);
    }
    free(best);
    free(best_mat);
}
