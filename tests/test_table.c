/*
** test_table.c — wp_table storage and its CSV form.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "../cli/table_csv.h"
#include "../planner/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_cells_and_types(void **state) {
    (void)state;
    wp_table *t = wp_table_new("yearly", "yearly 年度", NULL, WP_GEOM_NONE);
    assert_non_null(t);
    assert_int_equal(wp_table_add_col(t, "material", WP_COL_TEXT, "固废种类"), 0);
    assert_int_equal(wp_table_add_col(t, "tonnes", WP_COL_REAL, "吨数"), 1);
    assert_int_equal(wp_table_add_col(t, "year", WP_COL_INT, NULL), 2);
    assert_int_equal(wp_table_col(t, "tonnes"), 1);
    assert_int_equal(wp_table_col(t, "nope"), -1);
    for (int i = 0; i < 100; i++) {
        int r = wp_table_add_row(t);
        assert_int_equal(r, i);
        assert_int_equal(wp_table_set_text(t, r, 0, i % 2 ? "赤泥" : "fly,ash \"x\""), 0);
        assert_int_equal(wp_table_set_real(t, r, 1, i == 3 ? NAN : i * 0.5), 0);
        if (i % 3) assert_int_equal(wp_table_set_int(t, r, 2, 2025 + i), 0);
    }
    assert_int_equal(wp_table_set_real(t, 0, 0, 1.0), -1);    /* wrong type */
    assert_int_equal(wp_table_set_text(t, 100, 0, "x"), -1);  /* no such row */
    assert_int_equal(wp_table_add_col(t, "late", WP_COL_REAL, NULL), -1);
    assert_true(wp_table_cell(t, 3, 1)->is_null);
    assert_true(wp_table_cell(t, 0, 2)->is_null);
    assert_int_equal(wp_table_cell(t, 1, 2)->integer, 2026);
    assert_string_equal(wp_table_cell(t, 1, 0)->text, "赤泥");

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(wp_table_write_csv(f, t, 0), 0);
    fclose(f);
    const char *want = "material,tonnes,year\r\n\"fly,ash \"\"x\"\"\",0,\r\n赤泥,0.5,2026\r\n";
    assert_memory_equal(buf, want, strlen(want));
    assert_non_null(strstr(buf, "\r\n赤泥,,\r\n"));    /* row 3: NaN and unset are empty */
    free(buf);
    wp_table_free(t);
}

static void test_geometry_rows(void **state) {
    (void)state;
    wp_table *t = wp_table_new("parks", NULL, NULL, WP_GEOM_POINT);
    assert_non_null(t);
    assert_int_equal(wp_table_add_col(t, "id", WP_COL_TEXT, NULL), 0);
    int r = wp_table_add_row(t);
    unsigned char wkb[21] = {1, 1, 0, 0, 0};
    assert_int_equal(wp_table_set_wkb(t, r, wkb, sizeof wkb), 0);
    assert_int_equal((int)t->wkb_len[r], 21);
    assert_memory_equal(t->wkb[r], wkb, sizeof wkb);
    wp_table *nog = wp_table_new("x", NULL, NULL, WP_GEOM_NONE);
    wp_table_add_col(nog, "a", WP_COL_INT, NULL);
    wp_table_add_row(nog);
    assert_int_equal(wp_table_set_wkb(nog, 0, wkb, sizeof wkb), -1);
    wp_table_free(nog);
    wp_table_free(t);
}

static void test_save_atomic(void **state) {
    (void)state;
    char dir[] = "/tmp/wp-table-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/od.csv", dir);
    wp_table *t = wp_table_new("od", NULL, NULL, WP_GEOM_NONE);
    wp_table_add_col(t, "km", WP_COL_REAL, NULL);
    wp_table_set_real(t, wp_table_add_row(t), 0, 12.5);
    assert_int_equal(wp_table_save_csv(path, t, err, sizeof err), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[64] = "";
    assert_non_null(fgets(line, sizeof line, f));
    assert_memory_equal(line, "\xEF\xBB\xBFkm\r\n", 7);
    fclose(f);
    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such/od.csv", dir);
    assert_int_equal(wp_table_save_csv(bad, t, err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such"));
    wp_table_free(t);
    unlink(path);
    rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_and_types),
        cmocka_unit_test(test_geometry_rows),
        cmocka_unit_test(test_save_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
