/*
** test_units.c — unit names in every accepted spelling, conversions to
** tonnes, quantity text as planners write it, and every rejection path of
** wp_quantity_parse / wp_number_parse.
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../planner/units.h"

/* Fail unless got equals want to 1e-12 relative (exact arithmetic on these
** inputs, up to the rounding of one multiplication). */
static void expect_near(double got, double want, const char *what) {
    double tol = 1e-12 * (fabs(want) > 1 ? fabs(want) : 1);
    if (!(fabs(got - want) <= tol)) {
        print_error("%s: got %.17g, want %.17g\n", what, got, want);
        fail();
    }
}

/* True when s is valid UTF-8 (checked independently of the code under
** test: lead byte ranges and continuation bytes only). */
static int valid_utf8(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80 ? 0 : (*u & 0xE0) == 0xC0 ? 1 :
                (*u & 0xF0) == 0xE0 ? 2 : (*u & 0xF8) == 0xF0 ? 3 : -1;
        int k;
        if (n < 0) return 0;
        for (k = 1; k <= n; k++)
            if ((u[k] & 0xC0) != 0x80) return 0;
        u += n + 1;
    }
    return 1;
}

typedef struct {
    const char *text;
    wp_unit unit;
} spelling;

static void test_unit_spellings(void **state) {
    static const spelling ok[] = {
        {"t", WP_UNIT_T}, {"T", WP_UNIT_T}, {"吨", WP_UNIT_T},
        {"tonne", WP_UNIT_T}, {"tonnes", WP_UNIT_T}, {"Tonnes", WP_UNIT_T},
        {"ton", WP_UNIT_T}, {"tons", WP_UNIT_T},
        {"kt", WP_UNIT_KT}, {"KT", WP_UNIT_KT}, {"Kt", WP_UNIT_KT},
        {"千吨", WP_UNIT_KT},
        {"Mt", WP_UNIT_MT}, {"mt", WP_UNIT_MT}, {"MT", WP_UNIT_MT},
        {"百万吨", WP_UNIT_MT},
        {"万吨", WP_UNIT_WAN_T}, {"万t", WP_UNIT_WAN_T}, {"万T", WP_UNIT_WAN_T},
        {"wan_t", WP_UNIT_WAN_T}, {"WAN_T", WP_UNIT_WAN_T},
        {"m3", WP_UNIT_M3}, {"M3", WP_UNIT_M3}, {"m³", WP_UNIT_M3},
        {"m^3", WP_UNIT_M3}, {"立方米", WP_UNIT_M3}, {"方", WP_UNIT_M3},
        {"万方", WP_UNIT_WAN_M3}, {"万立方米", WP_UNIT_WAN_M3},
        {"万m3", WP_UNIT_WAN_M3}, {"万M3", WP_UNIT_WAN_M3},
        {"万m³", WP_UNIT_WAN_M3}, {"wan_m3", WP_UNIT_WAN_M3},
        {"km", WP_UNIT_KM}, {"KM", WP_UNIT_KM}, {"公里", WP_UNIT_KM},
        /* surrounding whitespace, including the ideographic space */
        {"  t  ", WP_UNIT_T}, {"\tkt\n", WP_UNIT_KT}, {"\xE3\x80\x80万吨", WP_UNIT_WAN_T},
        /* per-year suffixes are dropped */
        {"万吨/年", WP_UNIT_WAN_T}, {"t/a", WP_UNIT_T}, {"万t/a", WP_UNIT_WAN_T},
        {"kt/yr", WP_UNIT_KT}, {"Mt/year", WP_UNIT_MT}, {"t/y", WP_UNIT_T},
        {"万吨 /年", WP_UNIT_WAN_T}, {"万方每年", WP_UNIT_WAN_M3},
    };
    static const char *bad[] = {
        "", "   ", "g", "kg", "tt", "万", "/年", "m", "m2", "t t", "吨吨",
        "万 吨", "mt3", "km2",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        wp_unit u = wp_unit_parse(ok[i].text);
        if (u != ok[i].unit) {
            print_error("'%s' parsed as %d, want %d\n", ok[i].text, u,
                        ok[i].unit);
            fail();
        }
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (wp_unit_parse(bad[i]) != WP_UNIT_INVALID) {
            print_error("'%s' should not be a unit\n", bad[i]);
            fail();
        }
    }
    assert_int_equal(wp_unit_parse(NULL), WP_UNIT_INVALID);
}

static void test_unit_names_roundtrip(void **state) {
    int u;
    (void)state;
    /* Every unit's display name must parse back to that unit. */
    for (u = WP_UNIT_T; u < WP_UNIT_INVALID; u++)
        assert_int_equal(wp_unit_parse(wp_unit_name((wp_unit)u)), u);
    assert_string_equal(wp_unit_name(WP_UNIT_MT), "Mt");
    assert_string_equal(wp_unit_name(WP_UNIT_WAN_T), "万吨");
    assert_true(wp_unit_is_volume(WP_UNIT_M3));
    assert_true(wp_unit_is_volume(WP_UNIT_WAN_M3));
    assert_false(wp_unit_is_volume(WP_UNIT_T));
    assert_false(wp_unit_is_volume(WP_UNIT_WAN_T));
    assert_false(wp_unit_is_volume(WP_UNIT_KM));
}

static void test_to_tonnes(void **state) {
    (void)state;
    expect_near(wp_unit_to_tonnes(12, WP_UNIT_T, 9), 12, "t");
    expect_near(wp_unit_to_tonnes(2, WP_UNIT_KT, 9), 2000, "kt");
    expect_near(wp_unit_to_tonnes(1.15, WP_UNIT_MT, 9), 1150000, "Mt");
    expect_near(wp_unit_to_tonnes(290, WP_UNIT_WAN_T, 9), 2900000, "万吨");
    expect_near(wp_unit_to_tonnes(100, WP_UNIT_M3, 1.5), 150, "m3");
    expect_near(wp_unit_to_tonnes(120, WP_UNIT_WAN_M3, 0.9), 1080000, "万方");
    assert_true(isnan(wp_unit_to_tonnes(1, WP_UNIT_KM, 1)));
    assert_true(isnan(wp_unit_to_tonnes(1, WP_UNIT_INVALID, 1)));
}

typedef struct {
    const char *text;
    wp_unit def;
    double density;
    double want;
} qcase;

static void test_quantity_ok(void **state) {
    static const qcase ok[] = {
        {"290万吨", WP_UNIT_T, 0, 2.9e6},
        {"1.15Mt", WP_UNIT_T, 0, 1.15e6},
        {"1.15 Mt", WP_UNIT_T, 0, 1.15e6},
        {"1.15 mt", WP_UNIT_T, 0, 1.15e6},
        {" 3,500 t", WP_UNIT_T, 0, 3500},
        {"3,500", WP_UNIT_T, 0, 3500},
        {"1,234,567.5 t", WP_UNIT_T, 0, 1234567.5},
        {"2e6", WP_UNIT_T, 0, 2e6},
        {"3.5e5 t", WP_UNIT_T, 0, 3.5e5},
        {"3.5E+5t", WP_UNIT_T, 0, 3.5e5},
        {"2.5e-1 kt", WP_UNIT_T, 0, 250},
        {"350 kt", WP_UNIT_T, 0, 350000},
        {"3.8千吨", WP_UNIT_T, 0, 3800},
        {"1.8 百万吨", WP_UNIT_T, 0, 1.8e6},
        {"290万t", WP_UNIT_T, 0, 2.9e6},
        {"290 万吨/年", WP_UNIT_T, 0, 2.9e6},
        {"12000 吨", WP_UNIT_T, 0, 12000},
        {"12000 tonnes", WP_UNIT_T, 0, 12000},
        {"120万方", WP_UNIT_T, 1.5, 1.8e6},
        {"4.5e6 m³", WP_UNIT_T, 1.3, 5.85e6},
        {"4.5e6m3", WP_UNIT_T, 1.3, 5.85e6},
        {"1000 立方米", WP_UNIT_T, 0.9, 900},
        {"1000方", WP_UNIT_T, 1.1, 1100},
        {"12000", WP_UNIT_KT, 0, 1.2e7},
        {"29", WP_UNIT_WAN_T, 0, 2.9e5},
        {"100", WP_UNIT_M3, 2, 200},
        {"0", WP_UNIT_T, 0, 0},
        {"-0", WP_UNIT_T, 0, 0},
        {"+5 t", WP_UNIT_T, 0, 5},
        {".5 kt", WP_UNIT_T, 0, 500},
        {"5. t", WP_UNIT_T, 0, 5},
        {"\t290\xE3\x80\x80万吨\xE3\x80\x80", WP_UNIT_T, 0, 2.9e6},
        {"1e4 Mt", WP_UNIT_T, 0, 1e10},   /* exactly at the limit */
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char err[256] = "";
        double t = -1;
        if (wp_quantity_parse(ok[i].text, ok[i].def, ok[i].density, &t,
                              err, sizeof err) != 0) {
            print_error("'%s' refused: %s\n", ok[i].text, err);
            fail();
        }
        expect_near(t, ok[i].want, ok[i].text);
        assert_false(signbit(t));
    }
}

typedef struct {
    const char *text;
    wp_unit def;
    double density;
    const char *msg;     /* must appear in the message */
} qbad;

static void test_quantity_errors(void **state) {
    static const qbad bad[] = {
        {"", WP_UNIT_T, 1, "empty"},
        {"   ", WP_UNIT_T, 1, "empty"},
        {"abc", WP_UNIT_T, 1, "is not a number"},
        {"万吨", WP_UNIT_T, 1, "is not a number"},
        {"-5 t", WP_UNIT_T, 1, "negative"},
        {"-0.1", WP_UNIT_T, 1, "negative"},
        {"nan", WP_UNIT_T, 1, "not a number"},
        {"NaN t", WP_UNIT_T, 1, "not a number"},
        {"inf", WP_UNIT_T, 1, "not a number"},
        {"-inf", WP_UNIT_T, 1, "not a number"},
        {"infinity t", WP_UNIT_T, 1, "not a number"},
        {"1e400", WP_UNIT_T, 1, "too large"},
        {"12abc", WP_UNIT_T, 1, "unknown unit 'abc'"},
        {"12 t t", WP_UNIT_T, 1, "unknown unit 't t'"},
        {"0x10", WP_UNIT_T, 1, "unknown unit"},
        {"5e", WP_UNIT_T, 1, "unknown unit 'e'"},
        {"12 34", WP_UNIT_T, 1, "more than one number"},
        {"12t 34t", WP_UNIT_T, 1, "unknown unit"},
        {"1.2.3", WP_UNIT_T, 1, "more than one number"},
        {"3,5", WP_UNIT_T, 1, "comma"},
        {"1,2345", WP_UNIT_T, 1, "comma"},
        {"1234,567", WP_UNIT_T, 1, "comma"},
        {"1,23", WP_UNIT_T, 1, "comma"},
        {"5", WP_UNIT_INVALID, 1, "no unit"},
        {"5 km", WP_UNIT_T, 1, "length"},
        {"120万方", WP_UNIT_T, 0, "density"},
        {"120 m3", WP_UNIT_T, -1, "density"},
        {"120 m3", WP_UNIT_T, NAN, "density"},
        {"100", WP_UNIT_M3, 0, "density"},
        {"2e10 t", WP_UNIT_T, 1, "10 Gt"},
        {"1.0001e4 Mt", WP_UNIT_T, 1, "10 Gt"},
        {"1e7 万方", WP_UNIT_T, 1.5, "10 Gt"},
        {"1111111111111111111111111111111111111111111111111111111111111111111",
         WP_UNIT_T, 1, "too long"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        double t = 12345;
        if (wp_quantity_parse(bad[i].text, bad[i].def, bad[i].density, &t,
                              err, sizeof err) != -1) {
            print_error("'%s' accepted as %g\n", bad[i].text, t);
            fail();
        }
        if (!strstr(err, bad[i].msg)) {
            print_error("'%s': message '%s' lacks '%s'\n", bad[i].text, err,
                        bad[i].msg);
            fail();
        }
        assert_true(t == 12345);   /* output untouched on failure */
    }
}

static void test_quantity_err_buffers(void **state) {
    char small[12];
    double t;
    (void)state;
    /* NULL text, NULL err and zero-length err must not crash. */
    assert_int_equal(wp_quantity_parse(NULL, WP_UNIT_T, 1, &t, NULL, 0), -1);
    assert_int_equal(wp_quantity_parse("x", WP_UNIT_T, 1, &t, NULL, 0), -1);
    /* A truncated message never ends in half a Chinese character. */
    assert_int_equal(wp_quantity_parse("赤泥赤泥赤泥", WP_UNIT_T, 1, &t,
                                       small, sizeof small), -1);
    assert_true(strlen(small) < sizeof small);
    assert_true(valid_utf8(small));
}

static void test_per_km(void **state) {
    static const qcase ok[] = {
        {"3.8 kt/km", WP_UNIT_T, 0, 3800},
        {"3800 t/公里", WP_UNIT_T, 0, 3800},
        {"0.38万吨每公里", WP_UNIT_T, 0, 3800},
        {"3800 t/KM", WP_UNIT_T, 0, 3800},
        {"3800/km", WP_UNIT_T, 0, 3800},
        {"3800", WP_UNIT_T, 0, 3800},
        {"3.8", WP_UNIT_KT, 0, 3800},
        {"1000 m3/km", WP_UNIT_T, 1.5, 1500},
    };
    size_t i;
    char err[256];
    double t;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (wp_quantity_parse_per_km(ok[i].text, ok[i].def, ok[i].density, &t,
                                     err, sizeof err) != 0) {
            print_error("'%s' refused: %s\n", ok[i].text, err);
            fail();
        }
        expect_near(t, ok[i].want, ok[i].text);
    }
    assert_int_equal(wp_quantity_parse_per_km("abc/km", WP_UNIT_T, 0, &t, err,
                                              sizeof err), -1);
    assert_int_equal(wp_quantity_parse_per_km("/km", WP_UNIT_T, 0, &t, err,
                                              sizeof err), -1);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(wp_quantity_parse_per_km("-3 t/km", WP_UNIT_T, 0, &t, err,
                                              sizeof err), -1);
    assert_non_null(strstr(err, "negative"));
}

static void test_number_parse(void **state) {
    static const char *bad[] = {
        "", " ", "1.5x", "x1", "inf", "nan", "0x1A", "1,5", "--1", "1e400",
        "1 2", "e5", ".", "+", "1,000,00",
    };
    double v;
    size_t i;
    (void)state;
    assert_int_equal(wp_number_parse("1.5", &v), 0);
    expect_near(v, 1.5, "1.5");
    assert_int_equal(wp_number_parse(" -2 ", &v), 0);
    expect_near(v, -2, "-2");
    assert_int_equal(wp_number_parse("3,500", &v), 0);
    expect_near(v, 3500, "3,500");
    assert_int_equal(wp_number_parse("1e3", &v), 0);
    expect_near(v, 1000, "1e3");
    assert_int_equal(wp_number_parse("-1.25E-2", &v), 0);
    expect_near(v, -0.0125, "-1.25E-2");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 77;
        if (wp_number_parse(bad[i], &v) != -1 || v != 77) {
            print_error("'%s' accepted as a number\n", bad[i]);
            fail();
        }
    }
    assert_int_equal(wp_number_parse(NULL, &v), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_spellings),
        cmocka_unit_test(test_unit_names_roundtrip),
        cmocka_unit_test(test_to_tonnes),
        cmocka_unit_test(test_quantity_ok),
        cmocka_unit_test(test_quantity_errors),
        cmocka_unit_test(test_quantity_err_buffers),
        cmocka_unit_test(test_per_km),
        cmocka_unit_test(test_number_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
