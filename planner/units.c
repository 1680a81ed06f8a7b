/*
** units.c — parse quantities the way planners write them ("290万吨",
** "1.15 Mt", "3,500 t", "120万方") and convert them to tonnes.
**
** Numbers are scanned by hand rather than with strtod alone: strtod accepts
** hex, "inf", "nan" and follows the locale's decimal point, none of which
** belongs in a waste ledger. The scanner checks the shape, copies the digits
** without thousands commas into a small buffer and only then calls strtod on
** text that can mean one thing.
*/
#include "units.h"
#include "message.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Anything above this many tonnes is a unit mistake: China's entire annual
** bulk industrial solid waste is about 4 Gt. */
#define WP_QUANTITY_MAX_T 1e10

/* Longest number accepted, in characters: far beyond any real quantity but
** small enough for a stack buffer. */
#define WP_NUMBER_MAX 64

/* Length of the whitespace at s: ASCII blanks, no-break space (U+00A0) and
** the ideographic space (U+3000) that Chinese spreadsheets are full of. */
static size_t space_len(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n' ||
        *u == '\f' || *u == '\v')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0xA0) return 2;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) return 3;
    return 0;
}

static const char *skip_space(const char *s) {
    size_t n;
    while ((n = space_len(s)) > 0) s += n;
    return s;
}

/* Copy s without surrounding whitespace into buf (size cap); returns -1 if
** it does not fit. */
static int trim_copy(const char *s, char *buf, size_t cap) {
    const char *b = skip_space(s), *e = b, *p = b;
    size_t n;
    while (*p) {
        size_t k = space_len(p);
        if (k) p += k;
        else { p++; e = p; }
    }
    n = (size_t)(e - b);
    if (n + 1 > cap) return -1;
    memcpy(buf, b, n);
    buf[n] = '\0';
    return 0;
}

static int ascii_lower(int c) {
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/* Equality that folds ASCII case and compares other bytes exactly. */
static int eq_fold(const char *a, const char *b) {
    while (*a && *b) {
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
        a++, b++;
    }
    return *a == *b;
}

/* True when s ends with suffix (ASCII case folded); the suffix is then cut
** off. */
static int cut_suffix(char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    if (k > n || !eq_fold(s + n - k, suffix)) return 0;
    s[n - k] = '\0';
    return 1;
}

typedef struct {
    const char *spelling;
    wp_unit unit;
} unit_name;

static const unit_name unit_names[] = {
    {"t", WP_UNIT_T},        {"吨", WP_UNIT_T},        {"tonne", WP_UNIT_T},
    {"tonnes", WP_UNIT_T},   {"ton", WP_UNIT_T},       {"tons", WP_UNIT_T},
    {"kt", WP_UNIT_KT},      {"千吨", WP_UNIT_KT},
    {"mt", WP_UNIT_MT},      {"百万吨", WP_UNIT_MT},
    {"万吨", WP_UNIT_WAN_T}, {"万t", WP_UNIT_WAN_T},   {"wan_t", WP_UNIT_WAN_T},
    {"m3", WP_UNIT_M3},      {"m³", WP_UNIT_M3},       {"m^3", WP_UNIT_M3},
    {"立方米", WP_UNIT_M3},  {"方", WP_UNIT_M3},
    {"万方", WP_UNIT_WAN_M3}, {"万立方米", WP_UNIT_WAN_M3},
    {"万m3", WP_UNIT_WAN_M3}, {"万m³", WP_UNIT_WAN_M3}, {"wan_m3", WP_UNIT_WAN_M3},
    {"km", WP_UNIT_KM},      {"公里", WP_UNIT_KM},
};

/* Per-year suffixes: quantities are annual or stocks, so "/年" adds nothing
** and is simply dropped. */
static const char *per_year[] = {"/年", "每年", "/a", "/yr", "/year", "/y"};

/* Look s up in the spelling table; see units.h for the accepted names. */
wp_unit wp_unit_parse(const char *s) {
    char buf[64];
    size_t i;
    if (!s || trim_copy(s, buf, sizeof buf) < 0 || buf[0] == '\0')
        return WP_UNIT_INVALID;
    for (i = 0; i < sizeof per_year / sizeof per_year[0]; i++) {
        if (cut_suffix(buf, per_year[i])) {
            /* "万吨 /年": whitespace before the suffix is fine too. */
            char tmp[64];
            if (trim_copy(buf, tmp, sizeof tmp) < 0) return WP_UNIT_INVALID;
            memcpy(buf, tmp, sizeof tmp);
            break;
        }
    }
    for (i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
        if (eq_fold(buf, unit_names[i].spelling)) return unit_names[i].unit;
    return WP_UNIT_INVALID;
}

/* Canonical display name of u, as written in reports. */
const char *wp_unit_name(wp_unit u) {
    switch (u) {
    case WP_UNIT_T: return "t";
    case WP_UNIT_KT: return "kt";
    case WP_UNIT_MT: return "Mt";
    case WP_UNIT_WAN_T: return "万吨";
    case WP_UNIT_M3: return "m³";
    case WP_UNIT_WAN_M3: return "万m³";
    case WP_UNIT_KM: return "km";
    default: return "?";
    }
}

int wp_unit_is_volume(wp_unit u) {
    return u == WP_UNIT_M3 || u == WP_UNIT_WAN_M3;
}

/* Scale factors to tonnes (volumes: to tonnes per t/m³ of density). */
double wp_unit_to_tonnes(double value, wp_unit u, double density_t_m3) {
    switch (u) {
    case WP_UNIT_T: return value;
    case WP_UNIT_KT: return value * 1e3;
    case WP_UNIT_MT: return value * 1e6;
    case WP_UNIT_WAN_T: return value * 1e4;
    case WP_UNIT_M3: return value * density_t_m3;
    case WP_UNIT_WAN_M3: return value * 1e4 * density_t_m3;
    default: return NAN;
    }
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Scan one number at s. Grammar:
**   [+-] int [. digits] [(e|E) [+-] digits]   or   [+-] . digits [exp]
**   int = digits without commas | 1-3 digits (, 3 digits)+
** On success stores the value and the end of the number and returns 0.
** Returns -1 when s does not start with a number, -2 when a comma is not a
** thousands separator ("3,5", "1,2345"), -3 when the number is too long,
** -4 when it overflows. */
static int scan_number(const char *s, double *out, const char **endp) {
    char buf[WP_NUMBER_MAX + 1];
    size_t n = 0;
    const char *p = s;
    int int_digits = 0, frac_digits = 0;
    char *end;
    double v;

#define PUT(c) do { if (n >= WP_NUMBER_MAX) return -3; buf[n++] = (c); } while (0)
    if (*p == '+' || *p == '-') PUT(*p++);
    while (is_digit((unsigned char)*p)) { PUT(*p++); int_digits++; }
    if (*p == ',' && int_digits > 0) {
        /* Thousands separators: the first group has 1-3 digits and every
        ** later group exactly 3, so "1,5" (a European decimal comma) is
        ** refused instead of being read as 15. */
        if (int_digits > 3) return -2;
        while (*p == ',') {
            int k;
            for (k = 1; k <= 3; k++)
                if (!is_digit((unsigned char)p[k])) return -2;
            if (is_digit((unsigned char)p[4])) return -2;
            PUT(p[1]); PUT(p[2]); PUT(p[3]);
            p += 4;
        }
    }
    if (*p == '.') {
        const char *q = p + 1;
        while (is_digit((unsigned char)*q)) q++;
        frac_digits = (int)(q - p - 1);
        if (int_digits > 0 || frac_digits > 0) {
            PUT('.');
            for (p++; p < q; p++) PUT(*p);
        }
    }
    if (int_digits == 0 && frac_digits == 0) return -1;
    if (*p == 'e' || *p == 'E') {
        /* Only an exponent when digits follow: "5e" leaves "e" as text. */
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (is_digit((unsigned char)*q)) {
            PUT('e');
            for (p++; p < q; p++) PUT(*p);
            while (is_digit((unsigned char)*p)) PUT(*p++);
        }
    }
#undef PUT
    buf[n] = '\0';
    v = strtod(buf, &end);
    if (*end != '\0') return -1;   /* cannot happen with the shapes above */
    if (!isfinite(v)) return -4;
    *out = v;
    *endp = p;
    return 0;
}

/* Whole-text number: see units.h. */
int wp_number_parse(const char *text, double *out) {
    const char *p, *end;
    double v;
    if (!text) return -1;
    p = skip_space(text);
    if (scan_number(p, &v, &end) != 0) return -1;
    if (*skip_space(end) != '\0') return -1;
    *out = v;
    return 0;
}

/* Parse "<number> [unit]" into tonnes; see units.h for the contract. Each
** failure names the text and says what would be accepted. */
int wp_quantity_parse(const char *text, wp_unit default_unit,
                      double density_t_m3, double *tonnes,
                      char *err, int errlen) {
    char t[256];
    const char *p, *end, *rest;
    double v, tn;
    wp_unit u;
    int rc;

    if (!text || trim_copy(text, t, sizeof t) < 0) {
        wp_set_err(err, errlen, "quantity text is too long (at most %d bytes)",
                (int)sizeof t - 1);
        return -1;
    }
    if (t[0] == '\0') {
        wp_set_err(err, errlen, "quantity is empty");
        return -1;
    }
    p = t;
    rc = scan_number(p, &v, &end);
    if (rc == -2) {
        wp_set_err(err, errlen, "'%s': a comma may only separate thousands "
                "(write 3500 or 3,500; decimals use a point: 3.5)", t);
        return -1;
    }
    if (rc == -3) {
        wp_set_err(err, errlen, "'%s': the number is too long", t);
        return -1;
    }
    if (rc == -4) {
        wp_set_err(err, errlen, "'%s' is too large to be a quantity", t);
        return -1;
    }
    if (rc != 0) {
        wp_set_err(err, errlen, "'%s' is not a number with a unit "
                "(e.g. 290万吨, 1.15 Mt, 3500 t, 120万方)", t);
        return -1;
    }
    if (v < 0) {
        wp_set_err(err, errlen, "'%s' is negative: quantities must be 0 or more", t);
        return -1;
    }
    if (v == 0) v = 0;  /* "-0" is zero, without the sign */
    rest = skip_space(end);
    if (is_digit((unsigned char)rest[0]) ||
        ((rest[0] == '.' || rest[0] == '+' || rest[0] == '-') &&
         is_digit((unsigned char)rest[1]))) {
        wp_set_err(err, errlen, "'%s' holds more than one number: write one "
                "quantity per field", t);
        return -1;
    }
    if (rest[0] == ',') {
        wp_set_err(err, errlen, "'%s': a comma may only separate thousands "
                "(write 3500 or 3,500; decimals use a point: 3.5)", t);
        return -1;
    }
    if (rest[0] == '\0') {
        u = default_unit;
        if (u == WP_UNIT_INVALID || u == WP_UNIT_KM) {
            wp_set_err(err, errlen, "'%s' has no unit: write e.g. %s t or %s万吨",
                    t, t, t);
            return -1;
        }
    } else {
        u = wp_unit_parse(rest);
        if (u == WP_UNIT_INVALID) {
            wp_set_err(err, errlen, "'%s': unknown unit '%s' (use t, kt, Mt, "
                    "万吨, m³ or 万方)", t, rest);
            return -1;
        }
        if (u == WP_UNIT_KM) {
            wp_set_err(err, errlen, "'%s' is a length, not an amount of "
                    "material (use t, kt, Mt, 万吨, m³ or 万方)", t);
            return -1;
        }
    }
    if (wp_unit_is_volume(u) &&
        !(isfinite(density_t_m3) && density_t_m3 > 0)) {
        wp_set_err(err, errlen, "'%s' is a volume and needs the material's bulk "
                "density (t/m³), which is not set", t);
        return -1;
    }
    tn = wp_unit_to_tonnes(v, u, density_t_m3);
    if (!isfinite(tn) || tn > WP_QUANTITY_MAX_T) {
        wp_set_err(err, errlen, "'%s' is %.3g t, more than 1e10 t (10 Gt), which "
                "cannot be a real quantity: check the number and its unit",
                t, tn);
        return -1;
    }
    *tonnes = tn;
    return 0;
}

/* Per-km suffixes, tried in this order on the trimmed text. */
static const char *per_km[] = {"/km", "/公里", "每公里", "per km"};

/* Strip a per-km suffix, then parse the rest as a quantity. */
int wp_quantity_parse_per_km(const char *text, wp_unit default_unit,
                             double density_t_m3, double *t_per_km,
                             char *err, int errlen) {
    char t[256];
    size_t i;
    if (!text || trim_copy(text, t, sizeof t) < 0) {
        wp_set_err(err, errlen, "quantity text is too long (at most %d bytes)",
                (int)sizeof t - 1);
        return -1;
    }
    for (i = 0; i < sizeof per_km / sizeof per_km[0]; i++)
        if (cut_suffix(t, per_km[i])) break;
    return wp_quantity_parse(t, default_unit, density_t_m3, t_per_km,
                             err, errlen);
}
