/*
** test_scenario.c — the scenario INI reader (sections, keys, comments,
** quoting, BOM, CRLF, UTF-8 checks, duplicates, every error with its line),
** --set overrides, and [material.<id>] sections applied to the material
** table. Byte-exact inputs are written to a temporary directory; one
** realistic file lives in tests/data/scenario/.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../cli/scenario.h"

#define FIXTURE "tests/data/scenario/jiaozuo.ini"

static char tmpdir[256];

/* Write len bytes to tmpdir/name; returns the malloc'd path. */
static char *write_file(const char *name, const char *bytes, size_t len) {
    size_t n = strlen(tmpdir) + strlen(name) + 2;
    char *path = malloc(n);
    FILE *f;
    assert_non_null(path);
    snprintf(path, n, "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Read text (NUL-terminated) as a scenario named name into a fresh *cfg.
** Returns wp_scenario_read's result; err receives its message. */
static int read_text(const char *name, const char *text, wp_config *cfg,
                     char *err, int errlen) {
    char *path = write_file(name, text, strlen(text));
    int rc;
    wp_config_init(cfg);
    rc = wp_scenario_read(path, cfg, err, errlen);
    unlink(path);
    free(path);
    return rc;
}

/* The read must fail with a message holding "<file>:<line>:" and want. */
static void expect_error(const char *text, int line, const char *want) {
    wp_config cfg;
    char err[512] = "", where[300];
    int rc = read_text("bad.ini", text, &cfg, err, sizeof err);
    snprintf(where, sizeof where, "%s/bad.ini:%d: ", tmpdir, line);
    if (rc != -1 || strncmp(err, where, strlen(where)) != 0 ||
        !strstr(err, want)) {
        print_error("input:\n%s\nrc %d, message '%s'\nwant prefix '%s' and "
                    "'%s'\n", text, rc, err, where, want);
        wp_config_free(&cfg);
        fail();
    }
    wp_config_free(&cfg);
}

static void check_value(wp_config *cfg, const char *key, const char *want) {
    const char *v = wp_config_get(cfg, key);
    if (!v || strcmp(v, want) != 0) {
        print_error("%s = '%s', want '%s'\n", key, v ? v : "(absent)", want);
        fail();
    }
}

static void check_origin(wp_config *cfg, const char *key, const char *want) {
    const wp_config_entry *e = wp_config_entry_of(cfg, key);
    assert_non_null(e);
    if (strcmp(e->origin, want) != 0) {
        print_error("%s from '%s', want '%s'\n", key, e->origin, want);
        fail();
    }
}

static void collect(const char *section, void *ud) {
    char *buf = ud;
    if (buf[0]) strcat(buf, "|");
    strcat(buf, section);
}

static void test_fixture(void **state) {
    wp_config cfg;
    char err[512] = "", secs[512] = "";
    char *p;
    (void)state;
    wp_config_init(&cfg);
    if (wp_scenario_read(FIXTURE, &cfg, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_string_equal(cfg.path, FIXTURE);
    assert_string_equal(cfg.base_dir, "tests/data/scenario");
    check_value(&cfg, "scenario.name", "焦作 2025 赤泥与钛石膏");
    check_value(&cfg, "scenario.detour", "1.35");
    check_value(&cfg, "scenario.output", "out/焦作 #1.gpkg");
    check_value(&cfg, "plants.path", "data/plants.shp");
    check_value(&cfg, "plants.encoding", "GBK");
    check_value(&cfg, "plants.field.name", "企业名称");
    check_value(&cfg, "plants.field.output", "年产生量");
    check_value(&cfg, "mines.2.crs", "EPSG:4490");
    check_value(&cfg, "material.red_mud.density", "1.45");
    check_origin(&cfg, "scenario.name", FIXTURE ":5");
    check_origin(&cfg, "plants.field.output", FIXTURE ":13");
    check_origin(&cfg, "material.red_mud.density", FIXTURE ":22");
    assert_int_equal(cfg.count, 12);
    assert_int_equal(wp_config_sections(&cfg, collect, secs), 4);
    assert_string_equal(secs, "scenario|plants|mines.2|material.red_mud");
    /* relative paths resolve beside the scenario file */
    p = wp_config_path(&cfg, wp_config_get(&cfg, "plants.path"));
    assert_string_equal(p, "tests/data/scenario/data/plants.shp");
    free(p);
    wp_config_free(&cfg);
}

static void test_bom_crlf(void **state) {
    wp_config cfg;
    char err[512] = "", origin[300];
    (void)state;
    assert_int_equal(read_text("crlf.ini",
                               "\xEF\xBB\xBF[scenario]\r\n"
                               "name = 焦作\r\n"
                               "\r\n"
                               "detour=1.4\r\n"
                               "output = \"a b.gpkg\"  \r\n"
                               "[plants]\r\n"
                               "path = p.shp", /* no final newline */
                               &cfg, err, sizeof err), 0);
    check_value(&cfg, "scenario.name", "焦作");
    check_value(&cfg, "scenario.detour", "1.4");
    check_value(&cfg, "scenario.output", "a b.gpkg");
    check_value(&cfg, "plants.path", "p.shp");
    snprintf(origin, sizeof origin, "%s/crlf.ini:4", tmpdir);
    check_origin(&cfg, "scenario.detour", origin);
    snprintf(origin, sizeof origin, "%s/crlf.ini:7", tmpdir);
    check_origin(&cfg, "plants.path", origin);
    wp_config_free(&cfg);
    /* a BOM alone is an empty scenario; so is an empty file */
    assert_int_equal(read_text("bom.ini", "\xEF\xBB\xBF", &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.count, 0);
    wp_config_free(&cfg);
    assert_int_equal(read_text("empty.ini", "", &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.count, 0);
    assert_int_equal(wp_config_sections(&cfg, NULL, NULL), 0);
    wp_config_free(&cfg);
}

static void test_comments_and_values(void **state) {
    wp_config cfg;
    char err[512] = "";
    (void)state;
    assert_int_equal(read_text("c.ini",
                               "# comment\n"
                               "; comment\n"
                               "   # indented comment\n"
                               "[s]   # comment after a header\n"
                               "a = 1 # inline\n"
                               "b = 2\t; inline after a tab\n"
                               "c = x#y\n"
                               "d = x;y\n"
                               "e = #not a value\n"
                               "f =\n"
                               "g = \"  A # B ; C  \"\n"
                               "h = \"say \\\"hi\\\" \\\\ ok\" # comment\n"
                               "i = \"\"\n"
                               "j = C:\\data\\p.shp\n"
                               "k = 赤泥:10万吨; 粉煤灰\n"
                               "l = 赤泥：10万吨；粉煤灰\n"
                               "m = \xE3\x80\x80全角空格\xE3\x80\x80\n"
                               "n = a = b\n"
                               "o=p\n"
                               "p = 赤泥 ; 粉煤灰\n",
                               &cfg, err, sizeof err), 0);
    check_value(&cfg, "s.a", "1");
    check_value(&cfg, "s.b", "2");
    check_value(&cfg, "s.c", "x#y");
    check_value(&cfg, "s.d", "x;y");
    check_value(&cfg, "s.e", "");
    check_value(&cfg, "s.f", "");
    check_value(&cfg, "s.g", "  A # B ; C  ");
    check_value(&cfg, "s.h", "say \"hi\" \\ ok");
    check_value(&cfg, "s.i", "");
    check_value(&cfg, "s.j", "C:\\data\\p.shp");
    check_value(&cfg, "s.k", "赤泥:10万吨; 粉煤灰"); /* ';' glued to text */
    check_value(&cfg, "s.p", "赤泥");             /* ';' after a space */
    check_value(&cfg, "s.l", "赤泥：10万吨；粉煤灰"); /* full-width: kept */
    check_value(&cfg, "s.m", "全角空格");
    check_value(&cfg, "s.n", "a = b");
    check_value(&cfg, "s.o", "p");
    assert_int_equal(cfg.count, 16);
    wp_config_free(&cfg);
}

static void test_case_rules(void **state) {
    wp_config cfg;
    char err[512] = "", secs[256] = "";
    (void)state;
    assert_int_equal(read_text("case.ini",
                               "[Plants.Cement]\n"
                               "Field.Name = 企业名称 MixedCase\n"
                               "[ roads ]\n"
                               "[PLANTS.cement]\n"
                               "PATH = Data/Cement.SHP\n",
                               &cfg, err, sizeof err), 0);
    check_value(&cfg, "plants.cement.field.name", "企业名称 MixedCase");
    check_value(&cfg, "plants.cement.path", "Data/Cement.SHP");
    assert_string_equal(cfg.e[0].key, "plants.cement.field.name");
    /* empty sections count; a repeated header is the same section */
    assert_int_equal(wp_config_sections(&cfg, collect, secs), 2);
    assert_string_equal(secs, "plants.cement|roads");
    wp_config_free(&cfg);
}

static void test_syntax_errors(void **state) {
    (void)state;
    expect_error("[plants\npath = x\n", 1, "no closing ']'");
    expect_error("[]\n", 1, "section name '' is not valid");
    expect_error("# c\n[a..b]\n", 2, "section name 'a..b' is not valid");
    expect_error("[.a]\n", 1, "is not valid");
    expect_error("[a.]\n", 1, "is not valid");
    expect_error("[a b]\n", 1, "section name 'a b' is not valid");
    expect_error("[赤泥]\n", 1, "section name '赤泥' is not valid");
    expect_error("[plants] extra\n", 1, "text after the section header");
    expect_error("name = x\n", 1, "outside any section");
    expect_error("[s]\n= 5\n", 2, "no key before '='");
    expect_error("[s]\nmy key = 1\n", 2, "key 'my key' is not valid");
    expect_error("[s]\n名称 = 1\n", 2, "key '名称' is not valid");
    expect_error("[s]\n.a = 1\n", 2, "key '.a' is not valid");
    expect_error("[s]\njust some text\n", 2,
                 "expected 'key = value', a [section] header or a comment, "
                 "found 'just some text'");
    expect_error("[s]\npath: data/p.shp\n", 2, "not ':'");
    expect_error("[s]\npath：data\n", 2, "not ':'");
    expect_error("[s]\nname = \"abc\n", 2, "never closed");
    expect_error("[s]\nname = \"abc\" def\n", 2, "text after the closing quote");
    expect_error("[s]\r\na = 1\r\nb c\r\n", 3, "expected 'key = value'");
}

static void test_duplicates(void **state) {
    wp_config cfg;
    char err[512] = "";
    (void)state;
    expect_error("[plants]\npath = a.shp\nlayer = x\npath = b.shp\n", 4,
                 "plants.path is set twice, here and at line 2");
    expect_error("[plants]\npath = a.shp\n[yards]\n[plants]\nPath = b.shp\n", 5,
                 "plants.path is set twice, here and at line 2");
    /* the same key in different sections is fine */
    assert_int_equal(read_text("ok.ini", "[plants]\npath = a\n[yards]\npath = b\n",
                               &cfg, err, sizeof err), 0);
    check_value(&cfg, "plants.path", "a");
    check_value(&cfg, "yards.path", "b");
    wp_config_free(&cfg);
}

static void test_invalid_utf8(void **state) {
    (void)state;
    expect_error("[s]\na = ok\nb = \xC3\x28\n", 3, "not valid UTF-8");
    /* 赤泥 saved as GBK */
    expect_error("[s]\nmaterial = \xB3\xE0\xC4\xE0\n", 2, "GBK");
    expect_error("[s]\na = \xC0\xAF\n", 2, "not valid UTF-8");          /* overlong */
    expect_error("[s]\na = \xE0\x80\xAF\n", 2, "not valid UTF-8");      /* overlong */
    expect_error("[s]\na = \xED\xA0\x80\n", 2, "not valid UTF-8");      /* surrogate */
    expect_error("[s]\na = \xF4\x90\x80\x80\n", 2, "not valid UTF-8");  /* > U+10FFFF */
    expect_error("[s]\na = \xE8\xB5\n", 2, "not valid UTF-8");          /* cut short */
    expect_error("# \xFF\n", 1, "not valid UTF-8");                     /* even in comments */
    {
        /* a NUL byte inside a line */
        wp_config cfg;
        char err[512] = "", where[300];
        static const char text[] = "[s]\na = x\0y\n";
        char *path = write_file("nul.ini", text, sizeof text - 1);
        wp_config_init(&cfg);
        assert_int_equal(wp_scenario_read(path, &cfg, err, sizeof err), -1);
        snprintf(where, sizeof where, "%s:2: ", path);
        assert_true(strncmp(err, where, strlen(where)) == 0);
        unlink(path);
        free(path);
        wp_config_free(&cfg);
    }
    /* a four-byte character is valid */
    {
        wp_config cfg;
        char err[512] = "";
        assert_int_equal(read_text("emoji.ini", "[s]\na = \xF0\x9F\x9A\x9B\n",
                                   &cfg, err, sizeof err), 0);
        check_value(&cfg, "s.a", "\xF0\x9F\x9A\x9B");
        wp_config_free(&cfg);
    }
}

static void test_missing_file(void **state) {
    wp_config cfg;
    char err[512] = "";
    (void)state;
    wp_config_init(&cfg);
    assert_int_equal(wp_scenario_read("tests/data/scenario/no_such.ini", &cfg,
                                      err, sizeof err), -1);
    assert_non_null(strstr(err, "tests/data/scenario/no_such.ini: cannot open"));
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(wp_scenario_read(tmpdir, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
    wp_config_free(&cfg);
}

static void test_base_dir(void **state) {
    wp_config cfg;
    char err[512] = "", cwd[1024], want[300];
    char *sub, *path, *p;
    FILE *f;
    (void)state;
    sub = malloc(strlen(tmpdir) + 8);
    assert_non_null(sub);
    sprintf(sub, "%s/sub", tmpdir);
    assert_int_equal(mkdir(sub, 0700), 0);
    path = malloc(strlen(sub) + 8);
    assert_non_null(path);
    sprintf(path, "%s/s.ini", sub);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("[plants]\npath = ../data/p.shp\n[yards]\npath = /abs/y.gpkg\n", f);
    fclose(f);

    wp_config_init(&cfg);
    assert_int_equal(wp_scenario_read(path, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.base_dir, sub);
    p = wp_config_path(&cfg, wp_config_get(&cfg, "plants.path"));
    snprintf(want, sizeof want, "%s/../data/p.shp", sub);
    assert_string_equal(p, want);
    free(p);
    p = wp_config_path(&cfg, wp_config_get(&cfg, "yards.path"));
    assert_string_equal(p, "/abs/y.gpkg");
    free(p);
    wp_config_free(&cfg);

    /* a bare file name: the base is the current directory */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(sub), 0);
    wp_config_init(&cfg);
    assert_int_equal(wp_scenario_read("s.ini", &cfg, err, sizeof err), 0);
    assert_int_equal(chdir(cwd), 0);
    assert_string_equal(cfg.base_dir, ".");
    assert_string_equal(cfg.path, "s.ini");
    p = wp_config_path(&cfg, "x.shp");
    assert_string_equal(p, "x.shp");
    free(p);
    /* reading again replaces path and base_dir without leaking */
    assert_int_equal(wp_scenario_read(path, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.base_dir, sub);
    wp_config_free(&cfg);
    unlink(path);
    rmdir(sub);
    free(path);
    free(sub);
}

static void test_overrides(void **state) {
    wp_config cfg;
    char err[512] = "", secs[512] = "";
    (void)state;
    wp_config_init(&cfg);
    /* an override given before the file still wins over the file */
    assert_int_equal(wp_scenario_set(&cfg, "plants.path=early.shp", err,
                                     sizeof err), 0);
    assert_int_equal(wp_scenario_read(FIXTURE, &cfg, err, sizeof err), 0);
    check_value(&cfg, "plants.path", "early.shp");
    check_origin(&cfg, "plants.path", "--set");
    /* and after it */
    assert_int_equal(wp_scenario_set(&cfg, "scenario.detour=2", err, sizeof err), 0);
    check_value(&cfg, "scenario.detour", "2");
    check_origin(&cfg, "scenario.detour", "--set");
    assert_int_equal(wp_scenario_set(&cfg, "  Material.Red_Mud.Max_Haul_km = 150 ",
                                     err, sizeof err), 0);
    check_value(&cfg, "material.red_mud.max_haul_km", "150");
    assert_int_equal(wp_scenario_set(&cfg, "scenario.name=\"A = B\"", err,
                                     sizeof err), 0);
    check_value(&cfg, "scenario.name", "A = B");
    assert_int_equal(wp_scenario_set(&cfg, "plants.cement.field.name=名称", err,
                                     sizeof err), 0);
    assert_int_equal(wp_scenario_set(&cfg, "mines.3.path=m3.csv", err,
                                     sizeof err), 0);
    assert_int_equal(wp_scenario_set(&cfg, "yards.stock.unit=万吨", err,
                                     sizeof err), 0);
    assert_int_equal(wp_scenario_set(&cfg, "scenario.output=", err, sizeof err), 0);
    check_value(&cfg, "scenario.output", "");
    wp_config_sections(&cfg, collect, secs);
    assert_string_equal(secs, "plants|scenario|mines.2|material.red_mud|"
                              "plants.cement|mines.3|yards.stock");
    wp_config_free(&cfg);
}

static void test_override_errors(void **state) {
    static const struct { const char *text, *msg; } bad[] = {
        {"scenario.detour", "expected section.key=value"},
        {"", "expected section.key=value"},
        {"detour=1.5", "names no section"},
        {"field.name=x", "names no section"},
        {"=5", "is not a valid key"},
        {".a=1", "is not a valid key"},
        {"a.=1", "is not a valid key"},
        {"a b.c=1", "is not a valid key"},
        {"material.赤泥.density=1.4", "is not a valid key"},
        {"scenario.name=\xC3\x28", "not valid UTF-8"},
    };
    wp_config cfg;
    char err[512];
    size_t i;
    (void)state;
    wp_config_init(&cfg);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (wp_scenario_set(&cfg, bad[i].text, err, sizeof err) != -1 ||
            !strstr(err, bad[i].msg) || strncmp(err, "--set", 5) != 0) {
            print_error("--set '%s': '%s', want '%s'\n", bad[i].text, err,
                        bad[i].msg);
            fail();
        }
    }
    assert_int_equal(wp_scenario_set(&cfg, NULL, err, sizeof err), -1);
    assert_int_equal(cfg.count, 0);
    assert_int_equal(cfg.n_sections, 0);
    wp_config_free(&cfg);
}

static void test_materials_apply(void **state) {
    wp_config cfg;
    wp_materials ms;
    char err[512] = "";
    int i;
    (void)state;
    wp_materials_init_defaults(&ms);
    assert_int_equal(read_text("m.ini",
                               "[scenario]\n"
                               "name = x\n"
                               "[material.red_mud]\n"
                               "density = 1.4\n"
                               "max_haul_km = 120\n"
                               "[material.steel_slag]\n"        /* an alias */
                               "density = 1.9\n"
                               "[material.Lithium-Slag]\n"      /* a new one */
                               "name_zh = 锂渣\n"
                               "aliases = 锂云母渣|lepidolite slag\n"
                               "density = 1.2\n"
                               "[material.empty_one]\n",
                               &cfg, err, sizeof err), 0);
    /* overrides beat file values for materials too */
    assert_int_equal(wp_scenario_set(&cfg, "material.red_mud.density=1.6", err,
                                     sizeof err), 0);
    assert_int_equal(wp_scenario_set(&cfg, "material.fly_ash.road_rate=0.3", err,
                                     sizeof err), 0);
    if (wp_scenario_materials(&cfg, &ms, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_true(ms.m[0].density_t_m3 == 1.6);
    assert_true(ms.m[0].max_haul_km == 120);
    assert_true(ms.m[5].density_t_m3 == 1.9);
    assert_true(ms.m[2].road_rate == 0.3);
    assert_true(ms.m[1].density_t_m3 == 1.3);   /* untouched */
    i = wp_materials_find(&ms, "锂渣");
    assert_int_equal(i, 6);
    assert_string_equal(ms.m[i].id, "lithium_slag");
    assert_true(ms.m[i].density_t_m3 == 1.2);
    assert_int_equal(wp_materials_find(&ms, "Lepidolite Slag"), i);
    i = wp_materials_find(&ms, "empty_one");
    assert_int_equal(i, 7);
    assert_int_equal(ms.count, 8);
    /* every material key was read */
    for (i = 0; i < cfg.count; i++)
        if (strncmp(cfg.e[i].key, "material.", 9) == 0)
            assert_int_equal(cfg.e[i].used, 1);
    assert_int_equal(cfg.e[0].used, 0);   /* scenario.name not touched */
    wp_config_free(&cfg);
}

/* Read text, apply its materials: must fail with "<file>:<line>: " and want. */
static void expect_material_error(const char *text, int line, const char *want) {
    wp_config cfg;
    wp_materials ms;
    char err[512] = "", where[300];
    wp_materials_init_defaults(&ms);
    assert_int_equal(read_text("mat.ini", text, &cfg, err, sizeof err), 0);
    if (line > 0) snprintf(where, sizeof where, "%s/mat.ini:%d: ", tmpdir, line);
    else snprintf(where, sizeof where, "%s/mat.ini: ", tmpdir);
    if (wp_scenario_materials(&cfg, &ms, err, sizeof err) != -1 ||
        strncmp(err, where, strlen(where)) != 0 || !strstr(err, want)) {
        print_error("input:\n%s\nmessage '%s'\nwant prefix '%s' and '%s'\n",
                    text, err, where, want);
        wp_config_free(&cfg);
        fail();
    }
    wp_config_free(&cfg);
}

static void test_material_errors(void **state) {
    (void)state;
    expect_material_error("[material.red_mud]\ndensity = 1.4\ndensty = 1.5\n", 3,
                          "[material.red_mud] unknown material parameter "
                          "'densty' (valid: name_zh, aliases, density, "
                          "max_haul_km, road_rate, handling, unallocated_cost, "
                          "co2_kg_per_tkm)");
    expect_material_error("[material.fly_ash]\ndensity = 9\n", 2,
                          "density = 9 is out of range (expected the bulk "
                          "density in t/m³, more than 0.1 and at most 5)");
    expect_material_error("[material.fly_ash]\nmax_haul_km = far\n", 2,
                          "max_haul_km = 'far' is not a number");
    expect_material_error("[material.coal_gangue]\nroad_rate = -1\n", 2,
                          "road_rate = -1 is out of range");
    expect_material_error("[material.1abc]\ndensity = 1\n", 2,
                          "'1abc' is not a valid material id");
    expect_material_error("[material.x]\n[material]\ndensity = 1\n", 0,
                          "[material] needs a material id");
    expect_material_error("[material.lithium_slag]\naliases = 锂渣|赤泥\n", 2,
                          "'赤泥' is already a name of material 'red_mud'");
    expect_material_error("[material.fly_ash]\nname_zh = 钢渣\n", 2,
                          "'钢渣' is already a name of material "
                          "'smelting_slag'");
    /* an override is named as such */
    {
        wp_config cfg;
        wp_materials ms;
        char err[512] = "";
        wp_config_init(&cfg);
        wp_materials_init_defaults(&ms);
        assert_int_equal(wp_scenario_set(&cfg, "material.red_mud.handling=1e5",
                                         err, sizeof err), 0);
        assert_int_equal(wp_scenario_materials(&cfg, &ms, err, sizeof err), -1);
        assert_non_null(strstr(err, "--set: [material.red_mud] handling = 1e5 "
                                    "is out of range"));
        assert_true(ms.m[0].handling == 8);
        wp_config_free(&cfg);
    }
}

static int setup(void **state) {
    const char *t = getenv("TMPDIR");
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/wp_scenario_XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    return rmdir(tmpdir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_comments_and_values),
        cmocka_unit_test(test_case_rules),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_base_dir),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_override_errors),
        cmocka_unit_test(test_materials_apply),
        cmocka_unit_test(test_material_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
