/*
** test_config.c — the key/value store: case rules, replacement, the used
** flag, section bookkeeping, typed getters with their messages, and path
** resolution.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../planner/config.h"

static void test_set_get_case(void **state) {
    wp_config c;
    const wp_config_entry *e;
    (void)state;
    wp_config_init(&c);
    assert_null(wp_config_get(&c, "scenario.name"));
    assert_int_equal(wp_config_set(&c, "Scenario.Name", "Jiaozuo 焦作 2025",
                                   "a.ini:3"), 0);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.e[0].key, "scenario.name");
    assert_string_equal(c.e[0].value, "Jiaozuo 焦作 2025");   /* case kept */
    assert_string_equal(c.e[0].origin, "a.ini:3");
    assert_int_equal(c.e[0].used, 0);
    /* lookups fold case */
    assert_string_equal(wp_config_get(&c, "SCENARIO.name"), "Jiaozuo 焦作 2025");
    assert_int_equal(c.e[0].used, 1);
    e = wp_config_entry_of(&c, "scenario.name");
    assert_non_null(e);
    assert_string_equal(e->origin, "a.ini:3");
    assert_null(wp_config_entry_of(&c, "scenario.nam"));
    assert_null(wp_config_entry_of(&c, "scenario.names"));
    wp_config_free(&c);
    assert_int_equal(c.count, 0);
    assert_null(c.e);
}

static void test_replace_keeps_place(void **state) {
    wp_config c;
    (void)state;
    wp_config_init(&c);
    assert_int_equal(wp_config_set(&c, "a.x", "1", "f:1"), 0);
    assert_int_equal(wp_config_set(&c, "a.y", "2", "f:2"), 0);
    assert_int_equal(wp_config_set(&c, "A.X", "3", "--set"), 0);
    assert_int_equal(c.count, 2);
    assert_string_equal(c.e[0].key, "a.x");
    assert_string_equal(c.e[0].value, "3");
    assert_string_equal(c.e[0].origin, "--set");
    assert_string_equal(c.e[1].value, "2");
    wp_config_free(&c);
}

static void test_many_keys(void **state) {
    wp_config c;
    char k[32], v[32];
    int i;
    (void)state;
    wp_config_init(&c);
    for (i = 0; i < 1000; i++) {
        snprintf(k, sizeof k, "s%d.k%d", i % 7, i);
        snprintf(v, sizeof v, "%d", i * 3);
        assert_int_equal(wp_config_set(&c, k, v, "gen"), 0);
    }
    assert_int_equal(c.count, 1000);
    assert_int_equal(wp_config_sections(&c, NULL, NULL), 7);
    for (i = 0; i < 1000; i += 37) {
        snprintf(k, sizeof k, "s%d.k%d", i % 7, i);
        snprintf(v, sizeof v, "%d", i * 3);
        assert_string_equal(wp_config_get(&c, k), v);
    }
    wp_config_free(&c);
}

/* Collects section names into one '|'-joined string. */
static void collect(const char *section, void *ud) {
    char *buf = ud;
    if (buf[0]) strcat(buf, "|");
    strcat(buf, section);
}

static void test_sections(void **state) {
    wp_config c;
    char got[512] = "";
    (void)state;
    wp_config_init(&c);
    assert_int_equal(wp_config_sections(&c, collect, got), 0);
    /* derived from full keys */
    wp_config_set(&c, "scenario.detour", "1.3", "--set");
    wp_config_set(&c, "plants.field.name", "NAME", "--set");
    wp_config_set(&c, "material.red_mud.density", "1.4", "--set");
    wp_config_set(&c, "Plants.Cement.field.output", "年产量", "--set");
    wp_config_set(&c, "plants.cement.path", "c.shp", "--set");
    wp_config_set(&c, "scenario.name", "x", "--set");
    wp_config_set(&c, "nodot", "x", "--set");        /* no section at all */
    /* declared as an INI reader does */
    assert_int_equal(wp_config_add_section(&c, "Mines.2"), 0);
    assert_int_equal(wp_config_add_section(&c, "mines.2"), 0);
    assert_int_equal(wp_config_set_in(&c, "roads", "field.demand_per_km",
                                      "每公里用量", "b.ini:9"), 0);
    /* set_in keeps the section exactly: "odd" with key "a.b", not "odd.a" */
    assert_int_equal(wp_config_set_in(&c, "ODD", "a.b", "v", "b.ini:10"), 0);
    assert_int_equal(wp_config_sections(&c, collect, got), 7);
    assert_string_equal(got, "scenario|plants|material.red_mud|plants.cement|"
                             "mines.2|roads|odd");
    assert_string_equal(wp_config_get(&c, "roads.field.demand_per_km"),
                        "每公里用量");
    assert_string_equal(wp_config_get(&c, "odd.a.b"), "v");
    wp_config_free(&c);
}

static void test_get_double(void **state) {
    wp_config c;
    char err[256];
    double v = -7;
    (void)state;
    wp_config_init(&c);
    /* absent: default, no error */
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), 0);
    assert_true(v == 1.3);

    wp_config_set(&c, "scenario.detour", "abc", "jiaozuo.ini:12");
    v = -7;
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    assert_string_equal(err, "jiaozuo.ini:12: scenario.detour = 'abc' is not "
                             "a number (expected 1.0–3.0)");
    assert_true(v == -7);
    assert_int_equal(c.e[0].used, 1);

    wp_config_set(&c, "scenario.detour", "5", "--set");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    assert_string_equal(err, "--set: scenario.detour = 5 is out of range "
                             "(expected 1.0–3.0)");

    /* bounds are inclusive */
    wp_config_set(&c, "scenario.detour", "3", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), 0);
    assert_true(v == 3);
    wp_config_set(&c, "scenario.detour", " 1.0 ", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), 0);
    assert_true(v == 1);
    wp_config_set(&c, "scenario.detour", "0.999", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    /* not numbers */
    wp_config_set(&c, "scenario.detour", "", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    wp_config_set(&c, "scenario.detour", "nan", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    wp_config_set(&c, "scenario.detour", "1.3km", "x");
    assert_int_equal(wp_config_get_double(&c, "scenario.detour", 1.3, 1.0, 3.0,
                                          &v, err, sizeof err), -1);
    /* open-ended ranges */
    wp_config_set(&c, "a.b", "-1", "f:2");
    assert_int_equal(wp_config_get_double(&c, "a.b", 0, 0, HUGE_VAL, &v, err,
                                          sizeof err), -1);
    assert_string_equal(err, "f:2: a.b = -1 is out of range (expected at "
                             "least 0.0)");
    wp_config_set(&c, "a.b", "2.5e3", "f:2");
    assert_int_equal(wp_config_get_double(&c, "a.b", 0, -HUGE_VAL, 100, &v,
                                          err, sizeof err), -1);
    assert_string_equal(err, "f:2: a.b = 2.5e3 is out of range (expected at "
                             "most 100.0)");
    assert_int_equal(wp_config_get_double(&c, "a.b", 0, 0.5, 1e7, &v,
                                          err, sizeof err), 0);
    assert_true(v == 2500);
    wp_config_free(&c);
}

static void test_get_bool(void **state) {
    static const char *yes[] = {"true", "TRUE", "yes", "Yes", "on", "ON", "1"};
    static const char *no[] = {"false", "False", "no", "NO", "off", "Off", "0"};
    static const char *bad[] = {"maybe", "", "2", "y", "n", "是", "truee"};
    wp_config c;
    char err[256];
    int v;
    size_t i;
    (void)state;
    wp_config_init(&c);
    assert_int_equal(wp_config_get_bool(&c, "a.flag", 1, &v, err, sizeof err), 0);
    assert_int_equal(v, 1);
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        wp_config_set(&c, "a.flag", yes[i], "f:1");
        v = -1;
        assert_int_equal(wp_config_get_bool(&c, "a.flag", 0, &v, err,
                                            sizeof err), 0);
        assert_int_equal(v, 1);
    }
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        wp_config_set(&c, "a.flag", no[i], "f:1");
        v = -1;
        assert_int_equal(wp_config_get_bool(&c, "a.flag", 1, &v, err,
                                            sizeof err), 0);
        assert_int_equal(v, 0);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wp_config_set(&c, "a.flag", bad[i], "f:4");
        v = -1;
        assert_int_equal(wp_config_get_bool(&c, "a.flag", 1, &v, err,
                                            sizeof err), -1);
        assert_int_equal(v, -1);
        assert_non_null(strstr(err, "f:4: a.flag = '"));
        assert_non_null(strstr(err, "true/false"));
    }
    wp_config_free(&c);
}

static void check_path(const char *base, const char *rel, const char *want) {
    wp_config c;
    char *p;
    wp_config_init(&c);
    if (base) {
        c.base_dir = strdup(base);
        assert_non_null(c.base_dir);
    }
    p = wp_config_path(&c, rel);
    assert_non_null(p);
    if (strcmp(p, want) != 0) {
        print_error("base '%s' + '%s' = '%s', want '%s'\n", base ? base : "(null)",
                    rel, p, want);
        free(p);
        wp_config_free(&c);
        fail();
    }
    free(p);
    wp_config_free(&c);
}

static void test_path(void **state) {
    (void)state;
    check_path("samples/jiaozuo", "data/plants.shp",
               "samples/jiaozuo/data/plants.shp");
    check_path("/srv/plans", "电厂.gpkg", "/srv/plans/电厂.gpkg");
    check_path("/srv/plans/", "a.csv", "/srv/plans/a.csv");
    check_path("/", "a.csv", "/a.csv");
    check_path("samples/jiaozuo", "/abs/p.shp", "/abs/p.shp");
    check_path(".", "p.shp", "p.shp");
    check_path(NULL, "p.shp", "p.shp");
    check_path("", "p.shp", "p.shp");
    check_path("d", "../x/p.shp", "d/../x/p.shp");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_get_case),
        cmocka_unit_test(test_replace_keeps_place),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_get_double),
        cmocka_unit_test(test_get_bool),
        cmocka_unit_test(test_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
