/*
** test_svg_chart.c — the SVG line-chart writer: nice tick steps, XML
** escaping, and the document it writes (well-formed tags, one polyline per
** unbroken run of points, points placed on the axes' scales).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../cli/svg_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Run the writer into a malloc'd string. */
static char *svg_of(const wp_chart *c, int n) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_chart_write_svg(f, c, n), 0);
    fclose(f);
    return buf;
}

static int count(const char *hay, const char *needle) {
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* A step is nice when it is 1, 2 or 5 times a power of ten. */
static int nice_step(double s) {
    double e = floor(log10(s));
    double m = s / pow(10.0, e);
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 ||
           fabs(m - 10) < 1e-9;
}

static void test_ticks_known(void **state) {
    (void)state;
    double first, step;
    int n;
    wp_chart_ticks(0, 97, 6, &first, &step, &n);     /* 0, 20, ..., 100 */
    assert_true(fabs(first) < 1e-12);
    assert_true(fabs(step - 20) < 1e-9);
    assert_int_equal(n, 6);
    wp_chart_ticks(50, 300, 6, &first, &step, &n);   /* 50, 100, ..., 300 */
    assert_true(fabs(first - 0) < 1e-9 || fabs(first - 50) < 1e-9);
    assert_true(fabs(step - 50) < 1e-9);
    assert_true(fabs(first + (n - 1) * step - 300) < 1e-9);
    wp_chart_ticks(0.013, 0.087, 5, &first, &step, &n);
    assert_true(fabs(step - 0.02) < 1e-12);
    assert_true(fabs(first - 0.0) < 1e-12);
}

/* Properties over many ranges: covering, nice, aligned, not too many. */
static void test_ticks_properties(void **state) {
    (void)state;
    unsigned seed = 12345;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 1103515245u + 12345u;
        double a = ((seed >> 8) % 200000) / 100.0 - 1000.0;
        seed = seed * 1103515245u + 12345u;
        double scale = pow(10.0, (double)((seed >> 8) % 9) - 4.0);
        double b = a + scale * (1 + (seed >> 20) % 100);
        double first, step;
        int n;
        wp_chart_ticks(a, b, 6, &first, &step, &n);
        assert_true(first <= a + 1e-9 * fabs(a));
        assert_true(first + (n - 1) * step >= b - 1e-9 * fabs(b));
        assert_true(nice_step(step));
        double k = first / step;
        assert_true(fabs(k - llround(k)) < 1e-6);
        assert_true(n >= 2 && n <= 13);
    }
    /* degenerate and invalid ranges still give a usable axis */
    double first, step;
    int n;
    wp_chart_ticks(5, 5, 6, &first, &step, &n);
    assert_true(first < 5 && first + (n - 1) * step > 5);
    wp_chart_ticks(0, 0, 6, &first, &step, &n);
    assert_true(first < 0 && first + (n - 1) * step > 0);
    wp_chart_ticks(NAN, 3, 6, &first, &step, &n);
    assert_true(n >= 2 && isfinite(first) && step > 0);
    wp_chart_ticks(10, 2, 6, &first, &step, &n);   /* reversed */
    assert_true(first <= 2 && first + (n - 1) * step >= 10);
}

static void test_escape(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_xml_escape(f, "赤泥 <a & 'b'> \"c\"\x01\tend"), 0);
    fclose(f);
    assert_string_equal(buf, "赤泥 &lt;a &amp; &apos;b&apos;&gt; &quot;c&quot;\tend");
    free(buf);
}

static void test_document(void **state) {
    (void)state;
    const double x[4] = {50, 100, 200, 300};
    const double u1[4] = {10, 40, NAN, 100};    /* a gap: two polylines */
    const double u2[4] = {0, 0, 0, 0};
    const double cost[4] = {900, 800, 750, 740};
    wp_chart_series s[3] = {
        {"赤泥 red_mud <1>", 0, 4, x, u1},
        {"粉煤灰 & fly_ash", 0, 4, x, u2},
        {"总成本 (万元)", 1, 4, x, cost},
    };
    wp_chart c = {0};
    c.title = "焦作 — sweep";
    c.x_label = "material.red_mud.max_haul_km";
    c.y_label = "利用率 (%)";
    c.y2_label = "总成本 (万元)";
    c.y_fixed = 1;
    c.y_min = 0;
    c.y_max = 100;
    c.n_series = 3;
    c.series = s;
    wp_chart panels[2] = {c, c};
    char *svg = svg_of(panels, 2);
    assert_non_null(strstr(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_int_equal(count(svg, "<svg"), 1);
    assert_int_equal(count(svg, "</svg>"), 1);
    assert_int_equal(count(svg, "<g class=\"panel\">"), 2);
    assert_int_equal(count(svg, "</g>"), 2);
    assert_int_equal(count(svg, "<text"), count(svg, "</text>"));
    /* per panel: 2 runs for u1, 1 for u2, 1 for cost */
    assert_int_equal(count(svg, "<polyline"), 8);
    /* markers: 3 + 4 circles and 4 squares per panel */
    assert_int_equal(count(svg, "<circle"), 14);
    assert_non_null(strstr(svg, "赤泥 red_mud &lt;1&gt;"));
    assert_non_null(strstr(svg, "粉煤灰 &amp; fly_ash"));
    assert_null(strstr(svg, "<1>"));
    /* the right axis is dashed, and its series is too */
    assert_true(count(svg, "stroke-dasharray") >= 2 * 2);
    /* 100 % on the fixed axis is the plot's top edge, 0 % its bottom */
    const char *frame = strstr(svg, "<rect class=\"frame\"");
    assert_non_null(frame);
    double fx, fy, fw, fh;
    assert_int_equal(sscanf(frame, "<rect class=\"frame\" x=\"%lf\" y=\"%lf\" width=\"%lf\" "
                            "height=\"%lf\"", &fx, &fy, &fw, &fh), 4);
    char top[64], bottom[64];
    snprintf(top, sizeof top, ",%.1f ", fy);           /* u1's last point, y = 100 */
    snprintf(bottom, sizeof bottom, ",%.1f ", fy + fh); /* u2 at 0 */
    assert_non_null(strstr(svg, top));
    assert_non_null(strstr(svg, bottom));
    /* tick labels of the left axis: 0 ... 100 in steps of 20 */
    assert_non_null(strstr(svg, ">100</text>"));
    assert_non_null(strstr(svg, ">20</text>"));
    free(svg);
}

static void test_categories_and_save(void **state) {
    (void)state;
    const double x[3] = {0, 1, 2};
    const double y[3] = {1, 2, 3};
    const char *const cats[3] = {"低 low", "中 <mid>", "高"};
    wp_chart_series s = {"s", 0, 3, x, y};
    wp_chart c = {0};
    c.n_x_cats = 3;
    c.x_cats = cats;
    c.n_series = 1;
    c.series = &s;
    char *svg = svg_of(&c, 1);
    assert_non_null(strstr(svg, ">低 low</text>"));
    assert_non_null(strstr(svg, ">中 &lt;mid&gt;</text>"));
    free(svg);
    char dir[] = "/tmp/wp_svg_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/c.svg", dir);
    assert_int_equal(wp_chart_save_svg(path, &c, 1, err, sizeof err), 0);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/missing/c.svg", dir);
    assert_int_equal(wp_chart_save_svg(path, &c, 1, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    snprintf(path, sizeof path, "%s/c.svg", dir);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks_known),
        cmocka_unit_test(test_ticks_properties),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_categories_and_save),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
