/*
** svg_chart.c — line charts as SVG text; see svg_chart.h.
**
** Layout of one panel (pixels): a plot area with margins for the axes'
** tick labels and titles, then the legend in rows below the x-axis title.
** Panels are stacked at increasing y offsets inside one <svg>.
*/
#include "svg_chart.h"

#include "../geo/atomic_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define PANEL_W 820
#define PLOT_H 300
#define MARGIN_L 80
#define MARGIN_R 90
#define MARGIN_T 46
#define AXIS_BELOW 62       /* x tick labels and x-axis title under the plot */
#define LEGEND_ROW 22
#define LEGEND_COL 190
#define GAP 24              /* between panels */

/* Left-axis lines cycle through a colour-blind-safe palette (Okabe–Ito
** without its yellow, which vanishes on white); right-axis lines are
** black and dashed, so the two axes are never confused. */
static const char *const palette[] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#999933"
};

static const char *series_colour(const wp_chart_series *se, int s) {
    return se->right_axis ? "#000000" : palette[(size_t)s % (sizeof palette / sizeof *palette)];
}

/* "Nice numbers" (Heckbert, Graphics Gems 1990): round x to 1, 2, 5 (or
** 10) times a power of ten, to the nearest one when round_it, else to the
** next one up. */
static double nice_num(double x, int round_it) {
    double e = floor(log10(x));
    double f = x / pow(10.0, e);
    double nf;
    if (round_it)
        nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    else
        nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nf * pow(10.0, e);
}

void wp_chart_ticks(double lo, double hi, int target, double *first,
                    double *step, int *count) {
    if (!isfinite(lo) || !isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (hi - lo <= 1e-12 * fmax(1.0, fabs(hi))) {
        /* One value: widen by 10 % of it (or by 1 around zero). */
        double d = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1.0;
        lo -= d;
        hi += d;
    }
    if (target < 2) target = 2;
    /* Heckbert first rounds the range itself up to a nice number, which
    ** can double the step (50..300 would get steps of 100); rounding the
    ** raw step to the nearest nice one keeps the count near target. */
    double s = nice_num((hi - lo) / (target - 1), 1);
    double a = floor(lo / s) * s;
    double b = ceil(hi / s) * s;
    int n = (int)llround((b - a) / s) + 1;
    if (n < 2) n = 2;
    *first = a;
    *step = s;
    *count = n;
}

int wp_xml_escape(FILE *f, const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        int rc;
        switch (*p) {
        case '&': rc = fputs("&amp;", f); break;
        case '<': rc = fputs("&lt;", f); break;
        case '>': rc = fputs("&gt;", f); break;
        case '"': rc = fputs("&quot;", f); break;
        case '\'': rc = fputs("&apos;", f); break;
        default:
            /* XML 1.0 allows only tab, LF and CR below 0x20. */
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') continue;
            rc = fputc(*p, f);
        }
        if (rc == EOF) return -1;
    }
    return 0;
}

/* Decimals needed to tell ticks step apart ("0.25" needs 2). */
static int tick_decimals(double step) {
    int d = 0;
    while (d < 6 && fabs(step * pow(10.0, d) - llround(step * pow(10.0, d))) > 1e-6) d++;
    return d;
}

static void tick_text(char *buf, size_t n, double v, int decimals) {
    if (fabs(v) < 1e-12) v = 0;   /* no "-0" */
    snprintf(buf, n, "%.*f", decimals, v);
}

/* One axis: its ticks and the map from data to pixel rows. */
typedef struct {
    double first, step;
    int count;
    double lo, hi;
} axis;

static void fit_axis(axis *a, double lo, double hi, int target) {
    wp_chart_ticks(lo, hi, target, &a->first, &a->step, &a->count);
    a->lo = a->first;
    a->hi = a->first + a->step * (a->count - 1);
}

static double map(const axis *a, double v, double p0, double p1) {
    return p0 + (v - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

/* Data extent of the series on one side (right = 0/1); 0 if none. */
static int extent(const wp_chart *c, int right, int want_x, double *lo, double *hi) {
    int any = 0;
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (int s = 0; s < c->n_series; s++) {
        const wp_chart_series *se = &c->series[s];
        if (!want_x && (se->right_axis != 0) != (right != 0)) continue;
        for (int i = 0; i < se->n; i++) {
            double v = want_x ? se->x[i] : se->y[i];
            if (!isfinite(v) || (want_x && !isfinite(se->y[i]))) continue;
            if (v < *lo) *lo = v;
            if (v > *hi) *hi = v;
            any = 1;
        }
    }
    return any;
}

static int legend_rows(const wp_chart *c) {
    int per_row = (PANEL_W - MARGIN_L) / LEGEND_COL;
    if (per_row < 1) per_row = 1;
    return c->n_series ? (c->n_series + per_row - 1) / per_row : 0;
}

static int panel_height(const wp_chart *c) {
    return MARGIN_T + PLOT_H + AXIS_BELOW + legend_rows(c) * LEGEND_ROW + 8;
}

/* <text> with escaped content; anchor "start", "middle" or "end". */
static void text_at(FILE *f, double x, double y, const char *anchor, const char *extra,
                    const char *s) {
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor,
            extra ? " " : "", extra ? extra : "");
    wp_xml_escape(f, s);
    fputs("</text>\n", f);
}

/* One panel whose top edge is at y0. */
static void write_panel(FILE *f, const wp_chart *c, double y0) {
    double px0 = MARGIN_L, px1 = PANEL_W - MARGIN_R;
    double py0 = y0 + MARGIN_T, py1 = py0 + PLOT_H;   /* top, bottom */
    axis ax, ayl, ayr;
    double lo, hi;
    int cats = c->n_x_cats > 0;
    if (cats) {
        ax.first = 0;
        ax.step = 1;
        ax.count = c->n_x_cats;
        /* Half a category of room on each side keeps end points off the axes. */
        ax.lo = -0.5;
        ax.hi = c->n_x_cats - 0.5;
    } else {
        if (!extent(c, 0, 1, &lo, &hi)) lo = 0, hi = 1;
        fit_axis(&ax, lo, hi, 8);
    }
    if (c->y_fixed) {
        fit_axis(&ayl, c->y_min, c->y_max, 6);
    } else {
        if (!extent(c, 0, 0, &lo, &hi)) lo = 0, hi = 1;
        fit_axis(&ayl, lo, hi, 6);
    }
    int has_right = extent(c, 1, 0, &lo, &hi);
    if (has_right) fit_axis(&ayr, lo, hi, 6);

    fprintf(f, "<g class=\"panel\">\n");
    if (c->title) text_at(f, (px0 + px1) / 2, y0 + 24, "middle", "class=\"title\"", c->title);
    /* grid and left ticks */
    int dl = tick_decimals(ayl.step);
    char buf[64];
    for (int i = 0; i < ayl.count; i++) {
        double v = ayl.first + i * ayl.step;
        double y = map(&ayl, v, py1, py0);
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                px0, y, px1, y);
        tick_text(buf, sizeof buf, v, dl);
        text_at(f, px0 - 6, y + 4, "end", NULL, buf);
    }
    if (has_right) {
        int dr = tick_decimals(ayr.step);
        for (int i = 0; i < ayr.count; i++) {
            double v = ayr.first + i * ayr.step;
            double y = map(&ayr, v, py1, py0);
            fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    px1, y, px1 + 4, y);
            tick_text(buf, sizeof buf, v, dr);
            text_at(f, px1 + 7, y + 4, "start", NULL, buf);
        }
    }
    /* x ticks */
    int dx = tick_decimals(ax.step);
    for (int i = 0; i < ax.count; i++) {
        double v = ax.first + i * ax.step;
        double x = map(&ax, v, px0, px1);
        fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                x, py1, x, py1 + 4);
        if (cats) {
            text_at(f, x, py1 + 18, "middle", NULL, c->x_cats[i] ? c->x_cats[i] : "");
        } else {
            tick_text(buf, sizeof buf, v, dx);
            text_at(f, x, py1 + 18, "middle", NULL, buf);
        }
    }
    /* frame */
    fprintf(f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
            px0, py0, px1 - px0, py1 - py0);
    if (c->x_label) text_at(f, (px0 + px1) / 2, py1 + 40, "middle", NULL, c->x_label);
    if (c->y_label) {
        char tr[96];
        snprintf(tr, sizeof tr, "transform=\"rotate(-90 %.1f %.1f)\"", px0 - 58, (py0 + py1) / 2);
        text_at(f, px0 - 58, (py0 + py1) / 2, "middle", tr, c->y_label);
    }
    if (has_right && c->y2_label) {
        char tr[96];
        snprintf(tr, sizeof tr, "transform=\"rotate(90 %.1f %.1f)\"", px1 + 70, (py0 + py1) / 2);
        text_at(f, px1 + 70, (py0 + py1) / 2, "middle", tr, c->y2_label);
    }
    /* series: a polyline per run of finite points, markers at every point */
    for (int s = 0; s < c->n_series; s++) {
        const wp_chart_series *se = &c->series[s];
        const char *col = series_colour(se, s);
        const axis *ay = se->right_axis && has_right ? &ayr : &ayl;
        const char *dash = se->right_axis ? " stroke-dasharray=\"6 4\"" : "";
        int open = 0;
        for (int i = 0; i <= se->n; i++) {
            int good = i < se->n && isfinite(se->x[i]) && isfinite(se->y[i]);
            if (good && !open) {
                fprintf(f, "<polyline class=\"line\" stroke=\"%s\"%s points=\"", col, dash);
                open = 1;
            }
            if (good)
                fprintf(f, "%.1f,%.1f ", map(&ax, se->x[i], px0, px1),
                        map(ay, se->y[i], py1, py0));
            if (!good && open) {
                fputs("\"/>\n", f);
                open = 0;
            }
        }
        for (int i = 0; i < se->n; i++) {
            if (!isfinite(se->x[i]) || !isfinite(se->y[i])) continue;
            double x = map(&ax, se->x[i], px0, px1), y = map(ay, se->y[i], py1, py0);
            if (se->right_axis)
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"%s\"/>\n",
                        x - 3.5, y - 3.5, col);
            else
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x, y, col);
        }
    }
    /* legend */
    int per_row = (PANEL_W - MARGIN_L) / LEGEND_COL;
    if (per_row < 1) per_row = 1;
    for (int s = 0; s < c->n_series; s++) {
        const wp_chart_series *se = &c->series[s];
        const char *col = series_colour(se, s);
        double lx = MARGIN_L + (s % per_row) * LEGEND_COL;
        double ly = py1 + AXIS_BELOW + (s / per_row) * LEGEND_ROW;
        fprintf(f, "<line class=\"line\" stroke=\"%s\"%s x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\"/>\n", col, se->right_axis ? " stroke-dasharray=\"6 4\"" : "",
                lx, ly - 4, lx + 26, ly - 4);
        text_at(f, lx + 32, ly, "start", NULL, se->name ? se->name : "");
    }
    fprintf(f, "</g>\n");
}

int wp_chart_write_svg(FILE *f, const wp_chart *panels, int n_panels) {
    int h = 0;
    for (int i = 0; i < n_panels; i++) h += panel_height(&panels[i]) + (i ? GAP : 0);
    if (h <= 0) h = 1;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\">\n", PANEL_W, h, PANEL_W, h);
    /* Fonts with CJK coverage first, so Chinese names render everywhere. */
    fputs("<style>\n"
          "text { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', "
          "'PingFang SC', sans-serif; font-size: 12px; fill: #222; }\n"
          ".title { font-size: 15px; font-weight: bold; }\n"
          ".grid { stroke: #ddd; stroke-width: 1; }\n"
          ".axis { stroke: #444; stroke-width: 1; }\n"
          ".frame { fill: none; stroke: #444; stroke-width: 1; }\n"
          ".line { fill: none; stroke-width: 2; }\n"
          "</style>\n"
          "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", f);
    double y = 0;
    for (int i = 0; i < n_panels; i++) {
        write_panel(f, &panels[i], y);
        y += panel_height(&panels[i]) + GAP;
    }
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

int wp_chart_save_svg(const char *path, const wp_chart *panels, int n_panels,
                      char *err, int errlen) {
    wp_atomic_file af;
    if (wp_atomic_begin(&af, path, err, errlen) < 0) return -1;
    FILE *f = fopen(af.tmp, "wb");
    if (!f) {
        snprintf(err, (size_t)errlen, "cannot create %s: %s", af.tmp, strerror(errno));
        wp_atomic_abort(&af);
        return -1;
    }
    int rc = wp_chart_write_svg(f, panels, n_panels);
    if (fclose(f) != 0) rc = -1;
    if (rc < 0) {
        snprintf(err, (size_t)errlen, "cannot write %s", af.tmp);
        wp_atomic_abort(&af);
        return -1;
    }
    return wp_atomic_commit(&af, err, errlen);
}
