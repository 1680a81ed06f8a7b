/*
** config.c — the run's parameters as "section.key" -> text, each with the
** place it came from, plus the list of sections in the order they were
** declared. A plain growable array searched linearly: a scenario holds a few
** dozen keys, and keeping insertion order is what the output's record of
** parameters wants.
*/
#include "config.h"
#include "message.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* malloc'd copy of the first n bytes of s, ASCII lower-cased when lower is
** set. NULL on OOM. */
static char *dup_n(const char *s, size_t n, int lower) {
    char *d = malloc(n + 1);
    size_t i;
    if (!d) return NULL;
    for (i = 0; i < n; i++) {
        char ch = s[i];
        if (lower && ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        d[i] = ch;
    }
    d[n] = '\0';
    return d;
}

void wp_config_init(wp_config *c) {
    memset(c, 0, sizeof *c);
}

void wp_config_free(wp_config *c) {
    int i;
    for (i = 0; i < c->count; i++) {
        free(c->e[i].key);
        free(c->e[i].value);
        free(c->e[i].origin);
    }
    free(c->e);
    for (i = 0; i < c->n_sections; i++) free(c->sections[i]);
    free(c->sections);
    free(c->base_dir);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/* Index of the entry whose key equals key (already lower-cased), or -1. */
static int find(const wp_config *c, const char *key) {
    int i;
    for (i = 0; i < c->count; i++)
        if (strcmp(c->e[i].key, key) == 0) return i;
    return -1;
}

/* Record section (first n bytes, lower-cased) unless already present. */
static int add_section_n(wp_config *c, const char *section, size_t n) {
    char *s;
    int i;
    for (i = 0; i < c->n_sections; i++)
        if (strlen(c->sections[i]) == n) {
            size_t k;
            for (k = 0; k < n; k++) {
                char ch = section[k];
                if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
                if (c->sections[i][k] != ch) break;
            }
            if (k == n) return 0;
        }
    if (c->n_sections == c->cap_sections) {
        int ncap = c->cap_sections ? c->cap_sections * 2 : 8;
        char **ns = realloc(c->sections, (size_t)ncap * sizeof *ns);
        if (!ns) return -1;
        c->sections = ns;
        c->cap_sections = ncap;
    }
    if (!(s = dup_n(section, n, 1))) return -1;
    c->sections[c->n_sections++] = s;
    return 0;
}

int wp_config_add_section(wp_config *c, const char *section) {
    return add_section_n(c, section, strlen(section));
}

/* Store key (already lower-cased, malloc'd: ownership passes here) ->
** value. On failure key is freed. The new strings are built before the old
** ones are released, so OOM leaves the entry as it was. */
static int put(wp_config *c, char *key, const char *value, const char *origin) {
    char *v = dup_n(value, strlen(value), 0);
    char *o = dup_n(origin ? origin : "", strlen(origin ? origin : ""), 0);
    int i;
    if (!v || !o) goto oom;
    i = find(c, key);
    if (i >= 0) {
        free(key);
        free(c->e[i].value);
        free(c->e[i].origin);
        c->e[i].value = v;
        c->e[i].origin = o;
        return 0;
    }
    if (c->count == c->cap) {
        int ncap = c->cap ? c->cap * 2 : 16;
        wp_config_entry *ne = realloc(c->e, (size_t)ncap * sizeof *ne);
        if (!ne) goto oom;
        c->e = ne;
        c->cap = ncap;
    }
    c->e[c->count].key = key;
    c->e[c->count].value = v;
    c->e[c->count].origin = o;
    c->e[c->count].used = 0;
    c->count++;
    return 0;
oom:
    free(key);
    free(v);
    free(o);
    return -1;
}

/* The section a full key belongs to: see config.h. Returns its length in
** bytes (0 when the key has no dot). */
static size_t section_len_of(const char *key) {
    const char *f = strstr(key, ".field.");
    const char *dot;
    if (f && f > key) return (size_t)(f - key);
    dot = strrchr(key, '.');
    return dot ? (size_t)(dot - key) : 0;
}

int wp_config_set(wp_config *c, const char *key, const char *value,
                  const char *origin) {
    char *k = dup_n(key, strlen(key), 1);
    size_t sl;
    if (!k) return -1;
    sl = section_len_of(k);
    if (sl > 0 && add_section_n(c, k, sl) < 0) {
        free(k);
        return -1;
    }
    return put(c, k, value, origin);
}

int wp_config_set_in(wp_config *c, const char *section, const char *key,
                     const char *value, const char *origin) {
    size_t sl = strlen(section), kl = strlen(key);
    char *k = malloc(sl + kl + 2);
    size_t i;
    if (!k) return -1;
    memcpy(k, section, sl);
    k[sl] = '.';
    memcpy(k + sl + 1, key, kl + 1);
    for (i = 0; k[i]; i++)
        if (k[i] >= 'A' && k[i] <= 'Z') k[i] = (char)(k[i] - 'A' + 'a');
    if (add_section_n(c, section, sl) < 0) {
        free(k);
        return -1;
    }
    return put(c, k, value, origin);
}

/* Lookups fold the key's ASCII case, as keys are stored lower-cased. */
const wp_config_entry *wp_config_entry_of(wp_config *c, const char *key) {
    int i;
    for (i = 0; i < c->count; i++) {
        const char *a = c->e[i].key, *b = key;
        for (; *a && *b; a++, b++) {
            char ch = *b;
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
            if (*a != ch) break;
        }
        if (*a == '\0' && *b == '\0') {
            c->e[i].used = 1;
            return &c->e[i];
        }
    }
    return NULL;
}

const char *wp_config_get(wp_config *c, const char *key) {
    const wp_config_entry *e = wp_config_entry_of(c, key);
    return e ? e->value : NULL;
}

/* Format a range bound for messages: "1.0" rather than "1" so a range
** reads as numbers ("1.0–3.0"), %g for anything large or fractional. */
static void fmt_bound(char *buf, size_t cap, double v) {
    if (v == floor(v) && fabs(v) < 1e6) snprintf(buf, cap, "%.1f", v);
    else snprintf(buf, cap, "%g", v);
}

/* "expected 1.0–3.0", "expected at least 0.0", ... for [lo, hi]. */
static void fmt_range(char *buf, size_t cap, double lo, double hi) {
    char a[32], b[32];
    fmt_bound(a, sizeof a, lo);
    fmt_bound(b, sizeof b, hi);
    if (isinf(lo) && isinf(hi)) snprintf(buf, cap, "expected a number");
    else if (isinf(hi)) snprintf(buf, cap, "expected at least %s", a);
    else if (isinf(lo)) snprintf(buf, cap, "expected at most %s", b);
    else snprintf(buf, cap, "expected %s–%s", a, b);
}

int wp_config_get_double(wp_config *c, const char *key, double def,
                         double lo, double hi, double *out,
                         char *err, int errlen) {
    const wp_config_entry *e = wp_config_entry_of(c, key);
    char range[96];
    double v;
    if (!e) {
        *out = def;
        return 0;
    }
    fmt_range(range, sizeof range, lo, hi);
    if (wp_number_parse(e->value, &v) < 0) {
        wp_set_err(err, errlen, "%s: %s = '%s' is not a number (%s)",
                e->origin, e->key, e->value, range);
        return -1;
    }
    if (v < lo || v > hi) {
        wp_set_err(err, errlen, "%s: %s = %s is out of range (%s)",
                e->origin, e->key, e->value, range);
        return -1;
    }
    *out = v;
    return 0;
}

/* Case-insensitive ASCII equality. */
static int eq_fold(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return *a == *b;
}

int wp_config_get_bool(wp_config *c, const char *key, int def, int *out,
                       char *err, int errlen) {
    static const char *yes[] = {"true", "yes", "on", "1"};
    static const char *no[] = {"false", "no", "off", "0"};
    const wp_config_entry *e = wp_config_entry_of(c, key);
    size_t i;
    if (!e) {
        *out = def;
        return 0;
    }
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (eq_fold(e->value, yes[i])) { *out = 1; return 0; }
        if (eq_fold(e->value, no[i])) { *out = 0; return 0; }
    }
    wp_set_err(err, errlen, "%s: %s = '%s' is not a yes/no value (use true/false, "
            "yes/no, on/off or 1/0)", e->origin, e->key, e->value);
    return -1;
}

/* base_dir + "/" + rel, except that absolute paths, an unset base_dir and
** the base "." leave rel as it is (so messages show the path as written). */
char *wp_config_path(const wp_config *c, const char *rel) {
    const char *base = c->base_dir;
    size_t bl, rl = strlen(rel);
    char *p;
    if (rel[0] == '/' || !base || !base[0] || strcmp(base, ".") == 0)
        return dup_n(rel, rl, 0);
    bl = strlen(base);
    if (base[bl - 1] == '/') bl--;   /* "/" or "dir/": no doubled slash */
    p = malloc(bl + rl + 2);
    if (!p) return NULL;
    memcpy(p, base, bl);
    p[bl] = '/';
    memcpy(p + bl + 1, rel, rl + 1);
    return p;
}

int wp_config_sections(const wp_config *c,
                       void (*fn)(const char *section, void *ud), void *ud) {
    int i;
    if (fn)
        for (i = 0; i < c->n_sections; i++) fn(c->sections[i], ud);
    return c->n_sections;
}
