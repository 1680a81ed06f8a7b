/*
** test_material.c — the built-in material table against docs/scenario.md,
** lookups by id, Chinese name and alias in every spelling, adding new
** materials, and validation of every parameter override.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../planner/material.h"

/* The defaults table of docs/scenario.md, typed in again from the doc. */
typedef struct {
    const char *id, *zh;
    double density, max_haul, road_rate, handling, unalloc, co2;
} doc_row;

static const doc_row doc[] = {
    {"red_mud", "赤泥", 1.5, 100, 0.40, 8, 55, 0.08},
    {"titanium_gypsum", "钛石膏", 1.3, 100, 0.40, 8, 55, 0.08},
    {"fly_ash", "粉煤灰", 0.9, 150, 0.40, 8, 55, 0.08},
    {"coal_gangue", "煤矸石", 1.5, 50, 0.40, 8, 35, 0.08},
    {"fgd_gypsum", "脱硫石膏", 1.1, 100, 0.40, 8, 55, 0.08},
    {"smelting_slag", "冶炼渣", 1.8, 100, 0.40, 8, 55, 0.08},
};
#define N_DOC ((int)(sizeof doc / sizeof doc[0]))

static void test_defaults_match_doc(void **state) {
    wp_materials ms;
    int i;
    (void)state;
    wp_materials_init_defaults(&ms);
    assert_int_equal(ms.count, N_DOC);
    for (i = 0; i < N_DOC; i++) {
        const wp_material *m = &ms.m[i];
        assert_string_equal(m->id, doc[i].id);
        assert_string_equal(m->name_zh, doc[i].zh);
        assert_true(m->density_t_m3 == doc[i].density);
        assert_true(m->max_haul_km == doc[i].max_haul);
        assert_true(m->road_rate == doc[i].road_rate);
        assert_true(m->handling == doc[i].handling);
        assert_true(m->unallocated_cost == doc[i].unalloc);
        assert_true(m->co2_kg_per_tkm == doc[i].co2);
    }
}

typedef struct {
    const char *name;
    const char *id;      /* NULL: must not be found */
} lookup;

static void test_find_all_languages(void **state) {
    static const lookup cases[] = {
        {"red_mud", "red_mud"}, {"RED_MUD", "red_mud"}, {" red mud ", "red_mud"},
        {"Red-Mud", "red_mud"}, {"赤泥", "red_mud"}, {" 赤泥\t", "red_mud"},
        {"\xE3\x80\x80赤泥\xE3\x80\x80", "red_mud"}, {"bauxite residue", "red_mud"},
        {"titanium_gypsum", "titanium_gypsum"}, {"钛石膏", "titanium_gypsum"},
        {"黄泥", "titanium_gypsum"}, {"TiO2 gypsum", "titanium_gypsum"},
        {"tio2-gypsum", "titanium_gypsum"}, {"钛白石膏", "titanium_gypsum"},
        {"Titanium Gypsum", "titanium_gypsum"},
        {"fly_ash", "fly_ash"}, {"粉煤灰", "fly_ash"}, {"fly ash", "fly_ash"},
        {"Fly-Ash", "fly_ash"}, {"FLYASH", "fly_ash"},
        {"coal_gangue", "coal_gangue"}, {"煤矸石", "coal_gangue"},
        {"矸石", "coal_gangue"}, {"coal gangue", "coal_gangue"},
        {"Gangue", "coal_gangue"},
        {"fgd_gypsum", "fgd_gypsum"}, {"脱硫石膏", "fgd_gypsum"},
        {"FGD gypsum", "fgd_gypsum"}, {"fgd-gypsum", "fgd_gypsum"},
        {"desulfurization gypsum", "fgd_gypsum"},
        {"smelting_slag", "smelting_slag"}, {"冶炼渣", "smelting_slag"},
        {"钢渣", "smelting_slag"}, {"steel_slag", "smelting_slag"},
        {"Steel Slag", "smelting_slag"}, {"smelting-slag", "smelting_slag"},
        /* not materials, or ambiguous on purpose */
        {"", NULL}, {"   ", NULL}, {"石膏", NULL}, {"工业副产石膏", NULL},
        {"slag", NULL}, {"red", NULL}, {"赤", NULL}, {"mud", NULL},
        {"red_mud_x", NULL}, {"|", NULL}, {"红泥", NULL}, {"赤泥|粉煤灰", NULL},
        {"red__mud", NULL}, {"redmud!", NULL},
    };
    wp_materials ms;
    size_t i;
    (void)state;
    wp_materials_init_defaults(&ms);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int j = wp_materials_find(&ms, cases[i].name);
        if (cases[i].id == NULL) {
            if (j != -1) {
                print_error("'%s' found as %s\n", cases[i].name, ms.m[j].id);
                fail();
            }
        } else if (j < 0 || strcmp(ms.m[j].id, cases[i].id) != 0) {
            print_error("'%s' -> %d, want %s\n", cases[i].name, j, cases[i].id);
            fail();
        }
    }
    assert_int_equal(wp_materials_find(&ms, NULL), -1);
}

/* Every name of every built-in material must lead back to it alone. */
static void test_names_unique(void **state) {
    wp_materials ms;
    int i;
    (void)state;
    wp_materials_init_defaults(&ms);
    for (i = 0; i < ms.count; i++) {
        char buf[256];
        char *tok, *save = NULL;
        assert_int_equal(wp_materials_find(&ms, ms.m[i].id), i);
        assert_int_equal(wp_materials_find(&ms, ms.m[i].name_zh), i);
        snprintf(buf, sizeof buf, "%s", ms.m[i].aliases);
        for (tok = strtok_r(buf, "|", &save); tok;
             tok = strtok_r(NULL, "|", &save))
            assert_int_equal(wp_materials_find(&ms, tok), i);
    }
}

static void test_add(void **state) {
    wp_materials ms;
    char id[40];
    int i, j;
    (void)state;
    wp_materials_init_defaults(&ms);
    i = wp_materials_add(&ms, "lithium_slag");
    assert_int_equal(i, N_DOC);
    assert_int_equal(ms.count, N_DOC + 1);
    assert_string_equal(ms.m[i].id, "lithium_slag");
    assert_string_equal(ms.m[i].name_zh, "lithium_slag");
    assert_true(ms.m[i].density_t_m3 == 0);   /* unknown until set */
    assert_true(ms.m[i].max_haul_km > 0);
    assert_true(ms.m[i].road_rate > 0);
    /* known again, in any spelling */
    assert_int_equal(wp_materials_add(&ms, "Lithium-Slag"), i);
    assert_int_equal(wp_materials_find(&ms, "lithium slag"), i);
    /* built-ins are found, not duplicated, by any of their names */
    assert_int_equal(wp_materials_add(&ms, "red_mud"), 0);
    assert_int_equal(wp_materials_add(&ms, "钢渣"), 5);
    assert_int_equal(wp_materials_add(&ms, "steel_slag"), 5);
    assert_int_equal(ms.count, N_DOC + 1);
    /* upper case and dashes normalise into a valid id */
    j = wp_materials_add(&ms, "Nickel-Slag");
    assert_true(j == N_DOC + 1);
    assert_string_equal(ms.m[j].id, "nickel_slag");
    /* invalid ids */
    assert_int_equal(wp_materials_add(&ms, ""), -1);
    assert_int_equal(wp_materials_add(&ms, "1abc"), -1);
    assert_int_equal(wp_materials_add(&ms, "_abc"), -1);
    assert_int_equal(wp_materials_add(&ms, "a.b"), -1);
    assert_int_equal(wp_materials_add(&ms, "锂渣"), -1);
    assert_int_equal(wp_materials_add(&ms, "abc!"), -1);
    assert_int_equal(wp_materials_add(&ms, NULL), -1);
    memset(id, 'a', 32);
    id[32] = '\0';                  /* 32 characters: one too many */
    assert_int_equal(wp_materials_add(&ms, id), -1);
    id[31] = '\0';                  /* 31 fit */
    assert_true(wp_materials_add(&ms, id) >= 0);
    assert_int_equal(ms.count, N_DOC + 3);
}

static void test_add_until_full(void **state) {
    wp_materials ms;
    int k, got;
    char id[32];
    (void)state;
    wp_materials_init_defaults(&ms);
    for (k = 0; ms.count < WP_MAX_MATERIALS; k++) {
        snprintf(id, sizeof id, "extra_%d", k);
        got = wp_materials_add(&ms, id);
        assert_int_equal(got, ms.count - 1);
        assert_int_equal(got, N_DOC + k);
    }
    assert_int_equal(wp_materials_add(&ms, "one_too_many"), -1);
    assert_int_equal(ms.count, WP_MAX_MATERIALS);
    /* existing ones are still returned when full */
    assert_int_equal(wp_materials_add(&ms, "extra_0"), N_DOC);
}

typedef struct {
    const char *key, *value;
    int ok;
    const char *msg;        /* in the message when !ok */
} set_case;

static double param(const wp_material *m, const char *key) {
    if (!strcmp(key, "density")) return m->density_t_m3;
    if (!strcmp(key, "max_haul_km")) return m->max_haul_km;
    if (!strcmp(key, "road_rate")) return m->road_rate;
    if (!strcmp(key, "handling")) return m->handling;
    if (!strcmp(key, "unallocated_cost")) return m->unallocated_cost;
    if (!strcmp(key, "co2_kg_per_tkm")) return m->co2_kg_per_tkm;
    return NAN;
}

static void test_set_validation(void **state) {
    static const set_case cases[] = {
        {"density", "1.4", 1, NULL},
        {"density", "5", 1, NULL},
        {"density", "0.1000001", 1, NULL},
        {"density", "0.1", 0, "more than 0.1 and at most 5"},
        {"density", "0", 0, "out of range"},
        {"density", "5.01", 0, "at most 5"},
        {"density", "-1", 0, "out of range"},
        {"density", "abc", 0, "is not a number"},
        {"density", "", 0, "is not a number"},
        {"density", "1.5 t/m3", 0, "is not a number"},
        {"density", "nan", 0, "is not a number"},
        {"density", "inf", 0, "is not a number"},
        {"density", "1e400", 0, "is not a number"},
        {"max_haul_km", "150", 1, NULL},
        {"max_haul_km", "5000", 1, NULL},
        {"max_haul_km", "0", 0, "more than 0 and at most 5000"},
        {"max_haul_km", "5000.1", 0, "out of range"},
        {"road_rate", "0", 1, NULL},
        {"road_rate", "0.35", 1, NULL},
        {"road_rate", "100", 1, NULL},
        {"road_rate", "100.5", 0, "from 0 and at most 100"},
        {"road_rate", "-0.1", 0, "out of range"},
        {"handling", "10000", 1, NULL},
        {"handling", "10,000", 1, NULL},
        {"handling", "10001", 0, "at most 10000"},
        {"unallocated_cost", "1e6", 1, NULL},
        {"unallocated_cost", "0", 1, NULL},
        {"unallocated_cost", "1.1e6", 0, "at most 1000000"},
        {"co2_kg_per_tkm", "10", 1, NULL},
        {"co2_kg_per_tkm", "0.095", 1, NULL},
        {"co2_kg_per_tkm", "10.5", 0, "at most 10"},
        {"densty", "1.5", 0, "unknown material parameter 'densty'"},
        {"DENSITY", "1.5", 0, "valid: name_zh, aliases, density, max_haul_km, "
         "road_rate, handling, unallocated_cost, co2_kg_per_tkm"},
        {"name_zh", "赤泥（拜耳法）", 1, NULL},
        {"name_zh", "", 0, "empty"},
        {"aliases", "", 0, "empty"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wp_materials ms;
        wp_material before;
        char err[256] = "";
        int rc;
        wp_materials_init_defaults(&ms);
        before = ms.m[0];
        rc = wp_material_set(&ms.m[0], cases[i].key, cases[i].value, err,
                             sizeof err);
        if (cases[i].ok) {
            if (rc != 0) {
                print_error("%s = %s refused: %s\n", cases[i].key,
                            cases[i].value, err);
                fail();
            }
        } else {
            if (rc != -1) {
                print_error("%s = '%s' accepted\n", cases[i].key,
                            cases[i].value);
                fail();
            }
            if (!strstr(err, cases[i].msg)) {
                print_error("%s = '%s': message '%s' lacks '%s'\n",
                            cases[i].key, cases[i].value, err, cases[i].msg);
                fail();
            }
            /* a refused value leaves the material as it was */
            assert_memory_equal(&before, &ms.m[0], sizeof before);
        }
    }
}

static void test_set_applies(void **state) {
    wp_materials ms;
    wp_material *m;
    char err[256];
    char longname[80];
    (void)state;
    wp_materials_init_defaults(&ms);
    m = &ms.m[2];   /* fly_ash */
    assert_int_equal(wp_material_set(m, "density", "1.3", err, sizeof err), 0);
    assert_true(param(m, "density") == 1.3);
    assert_int_equal(wp_material_set(m, "max_haul_km", " 200 ", err, sizeof err), 0);
    assert_true(param(m, "max_haul_km") == 200);
    assert_int_equal(wp_material_set(m, "road_rate", "0.3", err, sizeof err), 0);
    assert_true(param(m, "road_rate") == 0.3);
    assert_int_equal(wp_material_set(m, "handling", "5", err, sizeof err), 0);
    assert_true(param(m, "handling") == 5);
    assert_int_equal(wp_material_set(m, "unallocated_cost", "45", err, sizeof err), 0);
    assert_true(param(m, "unallocated_cost") == 45);
    assert_int_equal(wp_material_set(m, "co2_kg_per_tkm", "0.09", err, sizeof err), 0);
    assert_true(param(m, "co2_kg_per_tkm") == 0.09);
    /* other materials untouched */
    assert_true(ms.m[0].density_t_m3 == 1.5);

    /* aliases make a new material findable in its own words */
    {
        int i = wp_materials_add(&ms, "lithium_slag");
        assert_int_equal(wp_material_set(&ms.m[i], "name_zh", "锂渣", err,
                                         sizeof err), 0);
        assert_int_equal(wp_material_set(&ms.m[i], "aliases",
                                         "锂云母渣|lepidolite slag", err,
                                         sizeof err), 0);
        assert_int_equal(wp_materials_find(&ms, "锂渣"), i);
        assert_int_equal(wp_materials_find(&ms, "锂云母渣"), i);
        assert_int_equal(wp_materials_find(&ms, "Lepidolite-Slag"), i);
    }
    /* too long for name_zh[64]: refused, not truncated */
    memset(longname, 'x', 70);
    longname[70] = '\0';
    assert_int_equal(wp_material_set(m, "name_zh", longname, err, sizeof err), -1);
    assert_non_null(strstr(err, "too long"));
    assert_string_equal(m->name_zh, "粉煤灰");
    /* NULL-safe */
    assert_int_equal(wp_material_set(m, NULL, "1", err, sizeof err), -1);
    assert_int_equal(wp_material_set(m, "density", NULL, NULL, 0), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_match_doc),
        cmocka_unit_test(test_find_all_languages),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_add_until_full),
        cmocka_unit_test(test_set_validation),
        cmocka_unit_test(test_set_applies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
