/*
** options.c — table-driven argv parsing shared by every subcommand; see
** options.h. Supports --name=value, --name value, -x value, -x, and "--"
** to end options.
*/
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wp_print_usage(FILE *f, const char *usage, const char *description,
                    const wp_option *opts) {
    fprintf(f, "usage: %s\n\n%s\n", usage, description);
    if (!opts || !opts[0].long_name) return;
    fprintf(f, "\noptions:\n");
    for (const wp_option *o = opts; o->long_name; o++) {
        char left[64];
        int n;
        if (o->short_name)
            n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
        else
            n = snprintf(left, sizeof left, "    --%s", o->long_name);
        if (o->type != WP_OPT_FLAG && n > 0 && (size_t)n < sizeof left)
            snprintf(left + n, sizeof left - (size_t)n, " %s",
                     o->arg_name ? o->arg_name : "VALUE");
        fprintf(f, "  %-26s %s\n", left, o->help);
    }
}

void wp_opt_list_free(wp_opt_list *l) {
    free(l->v);
    l->v = NULL;
    l->count = 0;
}

/* Store text as the value of option o; -1 with a message on bad input. */
static int store(const char *cmd, const wp_option *o, const char *text) {
    char *end;
    switch (o->type) {
    case WP_OPT_FLAG:
        *(int *)o->value = 1;
        return 0;
    case WP_OPT_STRING:
        *(const char **)o->value = text;
        return 0;
    case WP_OPT_LIST: {
        wp_opt_list *l = o->value;
        const char **nv = realloc(l->v, (size_t)(l->count + 1) * sizeof *nv);
        if (!nv) {
            fprintf(stderr, "wasteplan %s: out of memory\n", cmd);
            return -1;
        }
        l->v = nv;
        l->v[l->count++] = text;
        return 0;
    }
    case WP_OPT_INT: {
        errno = 0;
        long v = strtol(text, &end, 10);
        if (errno || end == text || *end) {
            fprintf(stderr, "wasteplan %s: --%s expects a whole number, not '%s'\n",
                    cmd, o->long_name, text);
            return -1;
        }
        *(long *)o->value = v;
        return 0;
    }
    case WP_OPT_DOUBLE: {
        errno = 0;
        double v = strtod(text, &end);
        if (errno || end == text || *end) {
            fprintf(stderr, "wasteplan %s: --%s expects a number, not '%s'\n",
                    cmd, o->long_name, text);
            return -1;
        }
        *(double *)o->value = v;
        return 0;
    }
    }
    return -1;
}

int wp_parse_options(int argc, char **argv, const wp_option *opts,
                     const char *usage, const char *description) {
    const char *cmd = argv[0];
    int npos = 0;
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == 0) {
            argv[npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_args = 1;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            wp_print_usage(stdout, usage, description, opts);
            return -2;
        }
        const wp_option *o = NULL;
        const char *inline_val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (const wp_option *p = opts; p->long_name; p++)
                if (strlen(p->long_name) == len && !strncmp(p->long_name, name, len)) {
                    o = p;
                    break;
                }
            if (eq) inline_val = eq + 1;
        } else {
            for (const wp_option *p = opts; p->long_name; p++)
                if (p->short_name == a[1]) {
                    o = p;
                    break;
                }
            if (o && a[2]) inline_val = a + 2;
        }
        if (!o) {
            fprintf(stderr, "wasteplan %s: unknown option '%s' (see 'wasteplan %s --help')\n",
                    cmd, a, cmd);
            return -1;
        }
        if (o->type == WP_OPT_FLAG) {
            if (inline_val) {
                fprintf(stderr, "wasteplan %s: --%s takes no value\n", cmd, o->long_name);
                return -1;
            }
            store(cmd, o, NULL);
            continue;
        }
        if (!inline_val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "wasteplan %s: --%s needs a value (%s)\n", cmd,
                        o->long_name, o->arg_name ? o->arg_name : "VALUE");
                return -1;
            }
            inline_val = argv[++i];
        }
        if (store(cmd, o, inline_val) < 0) return -1;
    }
    return npos;
}
