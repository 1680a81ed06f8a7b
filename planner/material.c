/*
** material.c — the built-in waste materials with the default parameters of
** the domain brief (docs/scenario.md), lookup by any of the names planners
** use (ascii id, Chinese name, aliases), and validated parameter overrides.
*/
#include "material.h"
#include "message.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Parameters a new (not built-in) material starts with. density is 0 on
** purpose: nobody knows the bulk density of a material the scenario just
** invented, and a volume of it must fail loudly rather than convert with a
** guess. */
static const wp_material generic = {
    "", "", "", 0.0, 100.0, 0.40, 8.0, 55.0, 0.08
};

/* Defaults from docs/scenario.md. Aliases are matched after normalisation
** (see norm_name), so "red mud", "Red-Mud" and "RED_MUD" are the same name;
** only distinct words need listing. */
static const wp_material builtin[] = {
    {"red_mud", "赤泥", "bauxite_residue|拜耳法赤泥",
     1.5, 100.0, 0.40, 8.0, 55.0, 0.08},
    {"titanium_gypsum", "钛石膏", "tio2_gypsum|titanogypsum|钛白石膏|黄泥",
     1.3, 100.0, 0.40, 8.0, 55.0, 0.08},
    {"fly_ash", "粉煤灰", "flyash|pulverized_fuel_ash|pfa",
     0.9, 150.0, 0.40, 8.0, 55.0, 0.08},
    {"coal_gangue", "煤矸石", "gangue|矸石",
     1.5, 50.0, 0.40, 8.0, 35.0, 0.08},
    {"fgd_gypsum", "脱硫石膏", "desulfurization_gypsum|desulphurisation_gypsum|"
     "flue_gas_desulfurization_gypsum|烟气脱硫石膏",
     1.1, 100.0, 0.40, 8.0, 55.0, 0.08},
    {"smelting_slag", "冶炼渣", "钢渣|steel_slag|冶炼废渣",
     1.8, 100.0, 0.40, 8.0, 55.0, 0.08},
};

/* Copy the first n bytes of s into out (size cap) in normal form: without
** surrounding whitespace (ASCII and U+3000), ASCII lower-cased, and with '-'
** and ' ' turned into '_'. Returns -1 if it does not fit. */
static int norm_name(const char *s, size_t n, char *out, size_t cap) {
    size_t b = 0, e = n, i, k = 0;
    for (;;) {
        if (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' ||
                      s[b] == '\n'))
            b++;
        else if (e - b >= 3 && (unsigned char)s[b] == 0xE3 &&
                 (unsigned char)s[b + 1] == 0x80 &&
                 (unsigned char)s[b + 2] == 0x80)
            b += 3;
        else break;
    }
    for (;;) {
        if (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
                      s[e - 1] == '\r' || s[e - 1] == '\n'))
            e--;
        else if (e - b >= 3 && (unsigned char)s[e - 3] == 0xE3 &&
                 (unsigned char)s[e - 2] == 0x80 &&
                 (unsigned char)s[e - 1] == 0x80)
            e -= 3;
        else break;
    }
    if (e - b + 1 > cap) return -1;
    for (i = b; i < e; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        else if (c == '-' || c == ' ') c = '_';
        out[k++] = c;
    }
    out[k] = '\0';
    return 0;
}

void wp_materials_init_defaults(wp_materials *ms) {
    size_t i, n = sizeof builtin / sizeof builtin[0];
    memset(ms, 0, sizeof *ms);
    for (i = 0; i < n; i++) ms->m[i] = builtin[i];
    ms->count = (int)n;
}

/* True when the normalised name equals the normalised form of the first n
** bytes of cand. */
static int name_matches(const char *name_norm, const char *cand, size_t n) {
    char buf[256];
    if (n == 0 || norm_name(cand, n, buf, sizeof buf) < 0) return 0;
    return buf[0] != '\0' && strcmp(buf, name_norm) == 0;
}

/* Linear search over ids, Chinese names and '|'-separated aliases: the
** table holds at most WP_MAX_MATERIALS entries, so nothing cleverer pays. */
int wp_materials_find(const wp_materials *ms, const char *name) {
    char want[256];
    int i;
    if (!name || norm_name(name, strlen(name), want, sizeof want) < 0 ||
        want[0] == '\0')
        return -1;
    for (i = 0; i < ms->count; i++) {
        const wp_material *m = &ms->m[i];
        const char *a = m->aliases;
        if (name_matches(want, m->id, strlen(m->id)) ||
            name_matches(want, m->name_zh, strlen(m->name_zh)))
            return i;
        while (*a) {
            const char *bar = strchr(a, '|');
            size_t len = bar ? (size_t)(bar - a) : strlen(a);
            if (name_matches(want, a, len)) return i;
            if (!bar) break;
            a = bar + 1;
        }
    }
    return -1;
}

/* Any existing name (id, Chinese or alias) returns that material, so a new
** id can never shadow an alias. A new id is normalised like a name, then
** must be [a-z][a-z0-9_]* and fit id[]. */
int wp_materials_add(wp_materials *ms, const char *id) {
    char norm[WP_MATERIAL_ID_MAX];
    wp_material *m;
    int i;
    if (!id) return -1;
    i = wp_materials_find(ms, id);
    if (i >= 0) return i;
    if (norm_name(id, strlen(id), norm, sizeof norm) < 0) return -1;
    if (!(norm[0] >= 'a' && norm[0] <= 'z')) return -1;
    for (i = 1; norm[i]; i++) {
        char c = norm[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return -1;
    }
    if (ms->count >= WP_MAX_MATERIALS) return -1;
    m = &ms->m[ms->count];
    *m = generic;
    memcpy(m->id, norm, strlen(norm) + 1);
    /* Reports show name_zh; until the scenario gives one, show the id. */
    memcpy(m->name_zh, norm, strlen(norm) + 1);
    return ms->count++;
}

/* A numeric parameter and its accepted range. lo_open: lo itself is
** refused (a density of exactly 0.1 is as wrong as 0). */
typedef struct {
    const char *key;
    size_t offset;
    double lo, hi;
    int lo_open;
    const char *what;     /* unit or meaning, for messages */
} num_param;

static const num_param num_params[] = {
    {"density", offsetof(wp_material, density_t_m3), 0.1, 5, 1,
     "bulk density in t/m³"},
    {"max_haul_km", offsetof(wp_material, max_haul_km), 0, 5000, 1,
     "road haul limit in km"},
    {"road_rate", offsetof(wp_material, road_rate), 0, 100, 0,
     "road haulage in yuan/t·km"},
    {"handling", offsetof(wp_material, handling), 0, 10000, 0,
     "handling in yuan/t"},
    {"unallocated_cost", offsetof(wp_material, unallocated_cost), 0, 1e6, 0,
     "cost of leaving a tonne unallocated in yuan/t"},
    {"co2_kg_per_tkm", offsetof(wp_material, co2_kg_per_tkm), 0, 10, 0,
     "road CO2 in kg/t·km"},
};

#define VALID_KEYS "name_zh, aliases, density, max_haul_km, road_rate, " \
                   "handling, unallocated_cost, co2_kg_per_tkm"

/* Copy a text parameter into a fixed field, refusing what would not fit
** rather than cutting a Chinese name in half. */
static int set_text(char *dst, size_t cap, const char *key, const char *value,
                    char *err, int errlen) {
    size_t n = strlen(value);
    if (n == 0) {
        wp_set_err(err, errlen, "%s is empty", key);
        return -1;
    }
    if (n + 1 > cap) {
        wp_set_err(err, errlen, "%s = '%s' is too long (at most %d bytes)",
                key, value, (int)cap - 1);
        return -1;
    }
    memcpy(dst, value, n + 1);
    return 0;
}

/* See material.h. The value is validated completely before *m changes, so
** a failed set leaves the material as it was. */
int wp_material_set(wp_material *m, const char *key, const char *value,
                    char *err, int errlen) {
    size_t i;
    double v;
    if (!key || !value) {
        wp_set_err(err, errlen, "missing parameter name or value");
        return -1;
    }
    if (strcmp(key, "name_zh") == 0)
        return set_text(m->name_zh, sizeof m->name_zh, key, value, err, errlen);
    if (strcmp(key, "aliases") == 0)
        return set_text(m->aliases, sizeof m->aliases, key, value, err, errlen);
    for (i = 0; i < sizeof num_params / sizeof num_params[0]; i++) {
        const num_param *p = &num_params[i];
        if (strcmp(key, p->key) != 0) continue;
        if (wp_number_parse(value, &v) < 0) {
            wp_set_err(err, errlen, "%s = '%s' is not a number (expected the %s, "
                    "%s %.10g and at most %.10g)", key, value, p->what,
                    p->lo_open ? "more than" : "from", p->lo, p->hi);
            return -1;
        }
        if ((p->lo_open ? v <= p->lo : v < p->lo) || v > p->hi) {
            wp_set_err(err, errlen, "%s = %s is out of range (expected the %s, "
                    "%s %.10g and at most %.10g)", key, value, p->what,
                    p->lo_open ? "more than" : "from", p->lo, p->hi);
            return -1;
        }
        if (v == 0) v = 0;   /* no "-0" in reports */
        *(double *)((char *)m + p->offset) = v;
        return 0;
    }
    wp_set_err(err, errlen, "unknown material parameter '%s' (valid: " VALID_KEYS
            ")", key);
    return -1;
}
