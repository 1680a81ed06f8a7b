/*
** svg_chart.h — a small line-chart writer: one or more panels stacked in
** one SVG file, each with a left and an optional right y axis, "nice" tick
** steps, axis labels and a legend. Plain C and text output, so charts need
** no plotting library; text is UTF-8 (Chinese names render as text) and is
** XML-escaped.
*/
#ifndef WP_SVG_CHART_H
#define WP_SVG_CHART_H

#include <stdio.h>

/* One line. y values that are NaN leave a gap. */
typedef struct {
    const char *name;          /* legend text, UTF-8 */
    int right_axis;            /* 0: left axis, 1: right axis (drawn dashed) */
    int n;
    const double *x, *y;
} wp_chart_series;

typedef struct {
    const char *title;
    const char *x_label, *y_label, *y2_label;   /* y2: right axis, may be NULL */
    /* Categorical x: when n_x_cats > 0, x values are 0..n_x_cats-1 and
    ** these labels are written under them instead of numeric ticks. */
    int n_x_cats;
    const char *const *x_cats;
    /* Fixed left-axis range when y_fixed (e.g. 0–100 for percentages);
    ** otherwise both axes are fitted to the data. */
    int y_fixed;
    double y_min, y_max;
    int n_series;
    const wp_chart_series *series;
} wp_chart;

/* Nice axis ticks covering [lo, hi] with about target ticks: steps of 1, 2
** or 5 times a power of ten; *first is the largest multiple of *step not
** above lo, and first + (count-1)*step is the smallest multiple not below
** hi. A degenerate range (lo == hi) is widened around the value; NaN or
** infinite bounds give 0..1. Always count >= 2. */
void wp_chart_ticks(double lo, double hi, int target, double *first,
                    double *step, int *count);

/* Write s XML-escaped (& < > " ') to f, dropping control characters XML
** does not allow. Returns 0 or -1 on a write error. */
int wp_xml_escape(FILE *f, const char *s);

/* Write the panels, stacked vertically, as one SVG document. Returns 0, or
** -1 on a write error. */
int wp_chart_write_svg(FILE *f, const wp_chart *panels, int n_panels);

/* The same, to path through a temporary file renamed into place. Returns
** 0, or -1 with a message in err. */
int wp_chart_save_svg(const char *path, const wp_chart *panels, int n_panels,
                      char *err, int errlen);

#endif
