/*
** scenario.c — read a scenario file (INI, see docs/scenario.md) into a
** wp_config, apply --set overrides, and apply [material.<id>] sections to
** the material table.
**
** The INI reader is our own rather than libinih because every message must
** name file and line, duplicates must be caught, and quoting, BOM, CRLF and
** UTF-8 validation must behave exactly as documented. Grammar, per line
** (after stripping a trailing CR):
**   blank | ('#' | ';') comment | '[' name ']' [comment] | key '=' value
** name and key are ASCII letters, digits, '_' and '-', in dot-separated
** parts; both are lower-cased. A value is either double-quoted ("..." with
** \" and \\ escapes, keeping '#', ';' and spaces) or bare, where a '#' or ';'
** that follows whitespace starts a comment. Bare values are trimmed.
*/
#include "scenario.h"
#include "../planner/message.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A scenario is a page of text; anything larger is the wrong file. */
#define SCENARIO_MAX_BYTES (16L * 1024 * 1024)

/* Offset of the first byte of s[0..n) that is not valid UTF-8 (overlong
** forms, surrogates and code points above U+10FFFF are invalid too), or -1
** when all of it is valid. A NUL byte counts as invalid: text has none. */
static long utf8_invalid_at(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len, k;
        unsigned long cp;
        if (c == 0) return (long)i;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return (long)i;
        if (i + len > n) return (long)i;
        for (k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return (long)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return (long)i;
        i += len;
    }
    return -1;
}

static int is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim ASCII blanks and ideographic spaces (U+3000) from both ends of the
** NUL-terminated s in place; returns the new start. */
static char *trim(char *s) {
    size_t n;
    for (;;) {
        if (is_blank(*s)) s++;
        else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                 (unsigned char)s[2] == 0x80) s += 3;
        else break;
    }
    n = strlen(s);
    for (;;) {
        if (n > 0 && is_blank(s[n - 1])) n--;
        else if (n >= 3 && (unsigned char)s[n - 3] == 0xE3 &&
                 (unsigned char)s[n - 2] == 0x80 &&
                 (unsigned char)s[n - 1] == 0x80) n -= 3;
        else break;
    }
    s[n] = '\0';
    return s;
}

/* True when s is one or more dot-separated parts of ASCII letters, digits,
** '_' and '-': the shape of section names and keys. */
static int valid_dotted_name(const char *s) {
    int part_len = 0;
    if (!*s) return 0;
    for (; *s; s++) {
        char c = *s;
        if (c == '.') {
            if (part_len == 0) return 0;
            part_len = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '_' || c == '-') {
            part_len++;
        } else {
            return 0;
        }
    }
    return part_len > 0;
}

static void lower_ascii(char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

/* True when what is left at s is nothing or a comment. */
static int only_comment(const char *s) {
    while (is_blank(*s)) s++;
    return *s == '\0' || *s == '#' || *s == ';';
}

/* Parse the value text v (just after '=', already left-trimmed) in place.
** Returns the value's start, or NULL with a message (without file:line) in
** msg. */
static char *parse_value(char *v, char *msg, size_t msglen) {
    if (*v == '"') {
        char *r = v + 1, *w = v;
        while (*r && *r != '"') {
            if (*r == '\\' && (r[1] == '"' || r[1] == '\\')) r++;
            *w++ = *r++;
        }
        if (*r != '"') {
            snprintf(msg, msglen, "the value opens a quote (\") that is never "
                     "closed");
            return NULL;
        }
        if (!only_comment(r + 1)) {
            snprintf(msg, msglen, "text after the closing quote: put it inside "
                     "the quotes or after a '#'");
            return NULL;
        }
        *w = '\0';
        return v;
    }
    {
        /* A '#' or ';' that starts the value or follows whitespace opens an
        ** inline comment; one glued to text ("a#b") is part of the value. */
        char *p = v;
        for (; *p; p++)
            if ((*p == '#' || *p == ';') && (p == v || is_blank(p[-1]))) {
                *p = '\0';
                break;
            }
        return trim(v);
    }
}

/* Line number written in an origin "file:line" (the text after the last
** ':'), for "set twice" messages. */
static const char *origin_line(const char *origin) {
    const char *c = strrchr(origin, ':');
    return c ? c + 1 : origin;
}

/* Record where the scenario lives: cfg->path and its directory. */
static int set_paths(wp_config *cfg, const char *path) {
    const char *slash = strrchr(path, '/');
    char *p = strdup(path), *d;
    if (!p) return -1;
    if (!slash) d = strdup(".");
    else if (slash == path) d = strdup("/");
    else {
        size_t n = (size_t)(slash - path);
        d = malloc(n + 1);
        if (d) {
            memcpy(d, path, n);
            d[n] = '\0';
        }
    }
    if (!d) {
        free(p);
        return -1;
    }
    free(cfg->path);
    free(cfg->base_dir);
    cfg->path = p;
    cfg->base_dir = d;
    return 0;
}

/* Read all of f into a malloc'd NUL-terminated buffer. Returns 0, -1 on a
** read error (errno set), -2 when larger than SCENARIO_MAX_BYTES, -3 OOM. */
static int slurp(FILE *f, char **out, size_t *outlen) {
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    if (!buf) return -3;
    for (;;) {
        size_t got;
        if (cap - len < 2) {
            char *nb;
            if (cap >= (size_t)SCENARIO_MAX_BYTES) {
                free(buf);
                return -2;
            }
            cap *= 2;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return -3;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        errno = e;
        return -1;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return 0;
}

/* Handle one line (NUL-terminated, CR stripped) of the file. section holds
** the current section (lower-cased, "" before the first header) and is
** updated by headers. Returns 0, or -1 with "file:line: ..." in err. */
static int parse_line(wp_config *cfg, const char *label, int lineno,
                      char *line, char *section, size_t seccap,
                      char *err, int errlen) {
    char msg[256];
    char origin[1100];
    char *s = trim(line), *eq, *key, *value;
    int i;

    if (*s == '\0' || *s == '#' || *s == ';') return 0;

    if (*s == '[') {
        char *close = strchr(s, ']'), *name;
        if (!close) {
            wp_set_err(err, errlen, "%s:%d: section header '%s' has no closing "
                    "']'", label, lineno, s);
            return -1;
        }
        if (!only_comment(close + 1)) {
            wp_set_err(err, errlen, "%s:%d: text after the section header: "
                    "'%s'", label, lineno, close + 1);
            return -1;
        }
        *close = '\0';
        name = trim(s + 1);
        if (!valid_dotted_name(name)) {
            wp_set_err(err, errlen, "%s:%d: section name '%s' is not valid: use "
                    "ASCII letters, digits, '_' and '-' in parts separated by "
                    "'.', e.g. [plants.cement]", label, lineno, name);
            return -1;
        }
        if (strlen(name) + 1 > seccap) {
            wp_set_err(err, errlen, "%s:%d: section name is too long", label,
                    lineno);
            return -1;
        }
        lower_ascii(name);
        memcpy(section, name, strlen(name) + 1);
        if (wp_config_add_section(cfg, section) < 0) {
            wp_set_err(err, errlen, "%s:%d: out of memory", label, lineno);
            return -1;
        }
        return 0;
    }

    eq = strchr(s, '=');
    if (!eq) {
        const char *hint = strchr(s, ':') || strstr(s, "：")
                           ? " (keys and values are separated by '=', not ':')"
                           : "";
        wp_set_err(err, errlen, "%s:%d: expected 'key = value', a [section] "
                "header or a comment, found '%s'%s", label, lineno, s, hint);
        return -1;
    }
    *eq = '\0';
    key = trim(s);
    if (*key == '\0') {
        wp_set_err(err, errlen, "%s:%d: no key before '='", label, lineno);
        return -1;
    }
    if (!valid_dotted_name(key)) {
        wp_set_err(err, errlen, "%s:%d: key '%s' is not valid: use ASCII "
                "letters, digits, '_' and '-' (and '.' as in field.name)",
                label, lineno, key);
        return -1;
    }
    lower_ascii(key);
    if (section[0] == '\0') {
        wp_set_err(err, errlen, "%s:%d: key '%s' is outside any section: put it "
                "under a header such as [scenario]", label, lineno, key);
        return -1;
    }
    {
        char *v = eq + 1;
        while (is_blank(*v)) v++;
        value = parse_value(v, msg, sizeof msg);
    }
    if (!value) {
        wp_set_err(err, errlen, "%s:%d: %s.%s: %s", label, lineno, section, key,
                msg);
        return -1;
    }

    /* Duplicates: an earlier line of this file is an error (a planner's
    ** typo would otherwise silently lose one value); an earlier --set
    ** wins, as overrides beat the file whatever the order of calls. */
    snprintf(origin, sizeof origin, "%s:%d", label, lineno);
    for (i = 0; i < cfg->count; i++) {
        const wp_config_entry *e = &cfg->e[i];
        size_t sl = strlen(section);
        if (strncmp(e->key, section, sl) != 0 || e->key[sl] != '.' ||
            strcmp(e->key + sl + 1, key) != 0)
            continue;
        if (strcmp(e->origin, "--set") == 0) return 0;
        if (strncmp(e->origin, label, strlen(label)) == 0 &&
            e->origin[strlen(label)] == ':') {
            wp_set_err(err, errlen, "%s:%d: %s.%s is set twice, here and at line "
                    "%s: remove one", label, lineno, section, key,
                    origin_line(e->origin));
            return -1;
        }
        break;
    }
    if (wp_config_set_in(cfg, section, key, value, origin) < 0) {
        wp_set_err(err, errlen, "%s:%d: out of memory", label, lineno);
        return -1;
    }
    return 0;
}

int wp_scenario_read(const char *path, wp_config *cfg, char *err, int errlen) {
    FILE *f;
    char *buf, *p, *end;
    char section[256] = "";
    size_t len;
    int rc, lineno = 0;

    f = fopen(path, "rb");
    if (!f) {
        wp_set_err(err, errlen, "%s: cannot open the scenario: %s", path,
                strerror(errno));
        return -1;
    }
    rc = slurp(f, &buf, &len);
    fclose(f);
    if (rc == -1) {
        wp_set_err(err, errlen, "%s: cannot read the scenario: %s", path,
                strerror(errno));
        return -1;
    }
    if (rc == -2) {
        wp_set_err(err, errlen, "%s: more than %ld MB, which is not a scenario "
                "file", path, SCENARIO_MAX_BYTES / (1024 * 1024));
        return -1;
    }
    if (rc == -3 || set_paths(cfg, path) < 0) {
        if (rc == 0) free(buf);
        wp_set_err(err, errlen, "%s: out of memory", path);
        return -1;
    }

    p = buf;
    end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    rc = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        size_t ll = (size_t)(eol - p);
        long bad;
        lineno++;
        if (ll > 0 && p[ll - 1] == '\r') ll--;
        p[ll] = '\0';
        /* Checked over the whole line, so a NUL byte inside it is caught. */
        bad = utf8_invalid_at((const unsigned char *)p, ll);
        if (bad >= 0) {
            wp_set_err(err, errlen, "%s:%d: byte %ld is not valid UTF-8 text: "
                    "save the scenario as UTF-8 (convert GBK/GB18030 files)",
                    path, lineno, bad + 1);
            rc = -1;
            break;
        }
        if (parse_line(cfg, path, lineno, p, section, sizeof section,
                       err, errlen) < 0) {
            rc = -1;
            break;
        }
        p = eol + 1;
    }
    free(buf);
    return rc;
}

int wp_scenario_set(wp_config *cfg, const char *assignment,
                    char *err, int errlen) {
    const char *eq = assignment ? strchr(assignment, '=') : NULL;
    char *left, *key, *value;
    size_t n;
    int rc;

    if (!eq) {
        wp_set_err(err, errlen, "--set '%s': expected section.key=value, e.g. "
                "scenario.detour=1.5", assignment ? assignment : "");
        return -1;
    }
    n = (size_t)(eq - assignment);
    left = malloc(n + 1);
    value = strdup(eq + 1);
    if (!left || !value) {
        free(left);
        free(value);
        wp_set_err(err, errlen, "--set: out of memory");
        return -1;
    }
    memcpy(left, assignment, n);
    left[n] = '\0';
    key = trim(left);
    rc = -1;
    if (!valid_dotted_name(key)) {
        wp_set_err(err, errlen, "--set '%s': '%s' is not a valid key: use ASCII "
                "letters, digits, '_' and '-' in dot-separated parts, e.g. "
                "material.red_mud.max_haul_km=150", assignment, key);
    } else if (!strchr(key, '.') || strncmp(key, "field.", 6) == 0 ||
               strncmp(key, "FIELD.", 6) == 0) {
        wp_set_err(err, errlen, "--set '%s': '%s' names no section: write "
                "section.key=value, e.g. scenario.detour=1.5", assignment, key);
    } else {
        char *v = trim(value);
        size_t vl = strlen(v);
        /* The shell keeps quotes written inside quotes; strip one pair. */
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
            v[vl - 1] = '\0';
            v++;
        }
        if (utf8_invalid_at((const unsigned char *)v, strlen(v)) >= 0)
            wp_set_err(err, errlen, "--set '%s': the value is not valid UTF-8",
                    key);
        else if (wp_config_set(cfg, key, v, "--set") < 0)
            wp_set_err(err, errlen, "--set: out of memory");
        else
            rc = 0;
    }
    free(left);
    free(value);
    return rc;
}

/* Index of the first material in ms other than skip that answers to name,
** or -1. Done on a copy without material skip, because wp_materials_find
** stops at the first match. */
static int other_material_named(const wp_materials *ms, int skip,
                                const char *name) {
    wp_materials *tmp = malloc(sizeof *tmp);
    int i, j;
    if (!tmp) return -1;
    tmp->count = 0;
    for (i = 0; i < ms->count; i++)
        if (i != skip) tmp->m[tmp->count++] = ms->m[i];
    j = wp_materials_find(tmp, name);
    if (j >= 0) j = j < skip ? j : j + 1;
    free(tmp);
    return j;
}

/* After name_zh or aliases of material idx changed: every one of its names
** must belong to it alone, else lookups would be ambiguous. Returns 0, or
** -1 with the clashing name and its owner in msg. */
static int check_names(const wp_materials *ms, int idx, const char *key,
                       char *msg, size_t msglen) {
    const wp_material *m = &ms->m[idx];
    const char *names = strcmp(key, "name_zh") == 0 ? m->name_zh : m->aliases;
    const char *a = names;
    char tok[256];
    for (;;) {
        const char *bar = strchr(a, '|');
        size_t len = bar ? (size_t)(bar - a) : strlen(a);
        int j;
        if (len >= sizeof tok) len = sizeof tok - 1;
        memcpy(tok, a, len);
        tok[len] = '\0';
        j = other_material_named(ms, idx, tok);
        if (j >= 0) {
            snprintf(msg, msglen, "'%s' is already a name of material '%s': "
                     "each name may belong to one material only", tok,
                     ms->m[j].id);
            return -1;
        }
        if (!bar) return 0;
        a = bar + 1;
    }
}

/* Apply one [material.<id>] section; see wp_scenario_materials. */
static int apply_material_section(wp_config *cfg, wp_materials *ms,
                                  const char *section, char *err, int errlen) {
    const char *id = section + strlen("material.");
    size_t sl = strlen(section);
    const char *origin = cfg->path ? cfg->path : "scenario";
    char msg[512];
    int i, idx;

    for (i = 0; i < cfg->count; i++)
        if (strncmp(cfg->e[i].key, section, sl) == 0 &&
            cfg->e[i].key[sl] == '.') {
            origin = cfg->e[i].origin;
            break;
        }
    idx = wp_materials_find(ms, id);
    if (idx < 0) idx = wp_materials_add(ms, id);
    if (idx < 0) {
        if (ms->count >= WP_MAX_MATERIALS)
            wp_set_err(err, errlen, "%s: [%s]: too many materials (at most %d)",
                    origin, section, WP_MAX_MATERIALS);
        else
            wp_set_err(err, errlen, "%s: [%s]: '%s' is not a valid material id: "
                    "use ASCII letters, digits and '_', starting with a "
                    "letter (at most %d characters)", origin, section, id,
                    WP_MATERIAL_ID_MAX - 1);
        return -1;
    }
    for (i = 0; i < cfg->count; i++) {
        wp_config_entry *e = &cfg->e[i];
        const char *sub;
        if (strncmp(e->key, section, sl) != 0 || e->key[sl] != '.') continue;
        sub = e->key + sl + 1;
        e->used = 1;
        if (wp_material_set(&ms->m[idx], sub, e->value, msg,
                            (int)sizeof msg) < 0) {
            wp_set_err(err, errlen, "%s: [%s] %s", e->origin, section, msg);
            return -1;
        }
        if ((strcmp(sub, "name_zh") == 0 || strcmp(sub, "aliases") == 0) &&
            check_names(ms, idx, sub, msg, sizeof msg) < 0) {
            wp_set_err(err, errlen, "%s: [%s] %s = %s: %s", e->origin, section,
                    sub, e->value, msg);
            return -1;
        }
    }
    return 0;
}

int wp_scenario_materials(wp_config *cfg, wp_materials *ms,
                          char *err, int errlen) {
    int s;
    for (s = 0; s < cfg->n_sections; s++) {
        const char *sec = cfg->sections[s];
        if (strcmp(sec, "material") == 0) {
            wp_set_err(err, errlen, "%s: [material] needs a material id: write "
                    "[material.red_mud] to change a built-in material or "
                    "[material.<new_id>] to define one",
                    cfg->path ? cfg->path : "scenario");
            return -1;
        }
        if (strncmp(sec, "material.", 9) != 0) continue;
        if (apply_material_section(cfg, ms, sec, err, errlen) < 0) return -1;
    }
    return 0;
}
