/*
** cmd_sweep.c — `wasteplan sweep SCENARIO --vary KEY=V1,V2,... [-o DIR]`:
** solve the scenario once per combination of the varied values (the
** cartesian product of every --vary), each as its own `wasteplan solve`
** process writing DIR/<variant>.gpkg, several at a time; then read every
** result's summary back and write the comparison as DIR/sweep.gpkg,
** DIR/sweep.csv and a chart DIR/sweep.svg.
**
** Why separate processes: a variant is exactly what `solve --set ...`
** would produce (same code path, same file), GDAL/PROJ state is never
** shared between concurrent solves, and a variant that fails or crashes
** cannot take the others down.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"
#include "report.h"
#include "scenario.h"
#include "svg_chart.h"
#include "table_csv.h"

#include "../geo/gpkg.h"
#include "../geo/read_result.h"
#include "../planner/table.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "wasteplan sweep SCENARIO --vary SECTION.KEY=V1,V2,... [--vary ...] [-o DIR] [--jobs N]";
static const char description[] =
    "Solve the scenario once for every combination of the varied values and\n"
    "compare the results. Each --vary names one scenario key and its values;\n"
    "with several, every combination is solved (3 x 4 values: 12 variants).\n"
    "A value list may also be a range START:STOP:STEP (50:300:50 is\n"
    "50,100,...,300). Values cannot contain commas.\n"
    "\n"
    "Each variant is an ordinary `wasteplan solve SCENARIO --set ...` run that\n"
    "writes DIR/<variant>.gpkg (its log in DIR/<variant>.log); N run at once.\n"
    "Then the summaries are collected into one row per variant and material\n"
    "(the varied values, supply, delivered, utilisation, total cost, cost per\n"
    "delivered tonne, t·km, CO2), written as DIR/sweep.gpkg and DIR/sweep.csv,\n"
    "and drawn in DIR/sweep.svg: utilisation per material (left axis) and the\n"
    "total cost (right axis, dashed) against the first varied key, one chart\n"
    "per combination of the other keys.\n"
    "\n"
    "examples:\n"
    "  wasteplan sweep samples/jiaozuo/jiaozuo.ini \\\n"
    "      --vary material.red_mud.max_haul_km=50:300:50 -o sweep-haul\n"
    "  wasteplan sweep jiaozuo.ini --vary material.red_mud.max_haul_km=50,100,200 \\\n"
    "      --vary scenario.detour=1.2,1.4 --jobs 4 -o haul-detour";

/* One --vary: a key and its values. */
typedef struct {
    char *key;
    int n;
    char **values;
    int numeric;       /* every value is a plain number */
} vary;

typedef struct {
    int n;
    vary *v;
} vary_set;

static void vary_set_free(vary_set *vs) {
    for (int i = 0; i < vs->n; i++) {
        free(vs->v[i].key);
        for (int j = 0; j < vs->v[i].n; j++) free(vs->v[i].values[j]);
        free(vs->v[i].values);
    }
    free(vs->v);
    vs->v = NULL;
    vs->n = 0;
}

static int is_number(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v)) return 0;
    while (*end == ' ') end++;
    if (*end) return 0;
    if (out) *out = v;
    return 1;
}

static int push_value(vary *v, const char *text, size_t len) {
    char **nv = realloc(v->values, (size_t)(v->n + 1) * sizeof *nv);
    if (!nv) return -1;
    v->values = nv;
    char *s = malloc(len + 1);
    if (!s) return -1;
    memcpy(s, text, len);
    s[len] = '\0';
    v->values[v->n++] = s;
    return 0;
}

/* Expand START:STOP:STEP into values (STOP included when the steps reach
** it within round-off). Returns the count added, 0 when item is not a
** range, -1 on a bad range (message printed). */
static int expand_range(vary *v, const char *item) {
    double a, b, s;
    char tail;
    if (sscanf(item, "%lf:%lf:%lf%c", &a, &b, &s, &tail) != 3) return 0;
    if (!(s > 0) || b < a || (b - a) / s > 1000) {
        fprintf(stderr, "wasteplan sweep: --vary %s: range '%s' needs START <= STOP and a "
                "positive STEP giving at most 1000 values\n", v->key, item);
        return -1;
    }
    int n = 0;
    for (int i = 0;; i++) {
        double x = a + i * s;
        if (x > b + 1e-9 * fmax(1.0, fabs(b))) break;
        char buf[64];
        int len = snprintf(buf, sizeof buf, "%.10g", x);
        if (push_value(v, buf, (size_t)len) < 0) return -1;
        n++;
    }
    return n;
}

/* Parse "KEY=V1,V2,..." into a new vary. Returns 0, or -1 after printing
** what is wrong. */
static int parse_vary(vary_set *vs, const char *text) {
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1]) {
        fprintf(stderr, "wasteplan sweep: --vary '%s': expected SECTION.KEY=V1,V2,...\n", text);
        return -1;
    }
    vary *nv = realloc(vs->v, (size_t)(vs->n + 1) * sizeof *nv);
    if (!nv) return -1;
    vs->v = nv;
    vary *v = &vs->v[vs->n++];
    memset(v, 0, sizeof *v);
    v->key = malloc((size_t)(eq - text) + 1);
    if (!v->key) return -1;
    memcpy(v->key, text, (size_t)(eq - text));
    v->key[eq - text] = '\0';
    for (char *p = v->key; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    if (!strchr(v->key, '.')) {
        fprintf(stderr, "wasteplan sweep: --vary %s: the key must name its section, "
                "e.g. material.red_mud.max_haul_km\n", v->key);
        return -1;
    }
    for (int i = 0; i < vs->n - 1; i++)
        if (!strcmp(vs->v[i].key, v->key)) {
            fprintf(stderr, "wasteplan sweep: --vary %s given twice: list all its values in one\n",
                    v->key);
            return -1;
        }
    const char *p = eq + 1;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ') p++, len--;
        while (len && p[len - 1] == ' ') len--;
        if (!len) {
            fprintf(stderr, "wasteplan sweep: --vary %s: empty value in '%s'\n", v->key, eq + 1);
            return -1;
        }
        char item[256];
        if (len >= sizeof item) {
            fprintf(stderr, "wasteplan sweep: --vary %s: value too long\n", v->key);
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        int r = expand_range(v, item);
        if (r < 0) return -1;
        if (r == 0 && push_value(v, item, len) < 0) return -1;
        p = end ? end + 1 : p + strlen(p);
    }
    for (int i = 0; i < v->n; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(v->values[i], v->values[j])) {
                fprintf(stderr, "wasteplan sweep: --vary %s: value %s listed twice\n", v->key,
                        v->values[i]);
                return -1;
            }
    v->numeric = 1;
    for (int i = 0; i < v->n; i++)
        if (!is_number(v->values[i], NULL)) v->numeric = 0;
    return 0;
}

/* One variant: its index per vary (digits of a mixed-radix number, the
** first --vary changing fastest), name, output and state. */
typedef struct {
    int *pick;
    char *name;
    char *gpkg, *log;
    pid_t pid;
    int status;        /* exit code of its solve; -1 before it ends */
    double t0, seconds;
} variant;

/* Characters kept in file names; others become '_'. */
static void name_append(char *buf, size_t cap, const char *s) {
    size_t n = strlen(buf);
    for (; *s && n + 1 < cap; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '+';
        buf[n++] = ok ? c : '_';
    }
    buf[n] = '\0';
}

/* "01_red_mud.max_haul_km-50__detour-1.2": index (for order and
** uniqueness), then key-value per vary with the usual section prefixes
** dropped. */
static char *variant_name(const vary_set *vs, const int *pick, int index, int total) {
    char buf[512];
    int digits = total >= 1000 ? 4 : total >= 100 ? 3 : 2;
    snprintf(buf, sizeof buf, "%0*d_", digits, index + 1);
    for (int i = 0; i < vs->n; i++) {
        const char *k = vs->v[i].key;
        if (!strncmp(k, "material.", 9)) k += 9;
        else if (!strncmp(k, "scenario.", 9)) k += 9;
        if (i) name_append(buf, sizeof buf, "__");
        name_append(buf, sizeof buf, k);
        name_append(buf, sizeof buf, "-");
        name_append(buf, sizeof buf, vs->v[i].values[pick[i]]);
    }
    return strdup(buf);
}

static char *join_path(const char *dir, const char *name, const char *ext) {
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", dir, name, ext);
    return p;
}

/* The --set assignments of variant v ("key=value"), malloc'd. */
static char *assignment(const vary *vy, int pick) {
    size_t n = strlen(vy->key) + strlen(vy->values[pick]) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s=%s", vy->key, vy->values[pick]);
    return s;
}

/* Check a variant's parameters in-process before any solve starts: the
** scenario reads, every --set applies, materials and detour validate. A
** bad value then stops the sweep with the scenario's own message instead
** of N failed runs. Returns WP_EXIT_OK or an exit code (message printed). */
static int validate_variant(const char *scenario, const wp_opt_list *sets,
                            const vary_set *vs, const variant *v, wp_config *keep) {
    wp_config cfg;
    wp_config_init(&cfg);
    wp_materials ms;
    wp_materials_init_defaults(&ms);
    char err[1024];
    int rc = WP_EXIT_OK;
    if (wp_scenario_read(scenario, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan sweep: %s\n", err);
        rc = WP_EXIT_INPUT;
        goto out;
    }
    for (int i = 0; i < sets->count; i++)
        if (wp_scenario_set(&cfg, sets->v[i], err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan sweep: --set %s: %s\n", sets->v[i], err);
            rc = WP_EXIT_USAGE;
            goto out;
        }
    for (int i = 0; i < vs->n; i++) {
        char *a = assignment(&vs->v[i], v->pick[i]);
        if (!a) {
            rc = WP_EXIT_INTERNAL;
            goto out;
        }
        int bad = wp_scenario_set(&cfg, a, err, sizeof err) < 0;
        if (bad) fprintf(stderr, "wasteplan sweep: --vary %s: %s\n", a, err);
        free(a);
        if (bad) {
            rc = WP_EXIT_USAGE;
            goto out;
        }
    }
    double detour;
    if (wp_scenario_materials(&cfg, &ms, err, sizeof err) < 0 ||
        wp_config_get_double(&cfg, "scenario.detour", 1.3, 1.0, 3.0, &detour, err,
                             sizeof err) < 0) {
        fprintf(stderr, "wasteplan sweep: variant %s: %s\n", v->name, err);
        rc = WP_EXIT_INPUT;
        goto out;
    }
out:
    if (rc == WP_EXIT_OK && keep) {
        *keep = cfg;   /* the caller takes ownership */
        return rc;
    }
    wp_config_free(&cfg);
    return rc;
}

/* Path of this program, so variants run exactly this build. */
static void self_path(char *buf, size_t n) {
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len <= 0) {
        snprintf(buf, n, "wasteplan");   /* found on PATH by execvp */
        return;
    }
    buf[len] = '\0';
}

/* Start variant v as `wasteplan solve SCENARIO --set ... -o GPKG`, its
** stdout and stderr going to its log. Returns 0 or -1 (message printed). */
static int start_variant(const char *exe, const char *scenario, const wp_opt_list *sets,
                         const vary_set *vs, variant *v) {
    int argc = 0, cap = 6 + 2 * (sets->count + vs->n);
    char **argv = calloc((size_t)cap, sizeof *argv);
    char **owned = calloc((size_t)(vs->n ? vs->n : 1), sizeof *owned);
    if (!argv || !owned) {
        free(argv);
        free(owned);
        fprintf(stderr, "wasteplan sweep: out of memory\n");
        return -1;
    }
    int rc = -1;
    argv[argc++] = (char *)exe;
    argv[argc++] = "solve";
    argv[argc++] = (char *)scenario;
    for (int i = 0; i < sets->count; i++) {
        argv[argc++] = "--set";
        argv[argc++] = (char *)sets->v[i];
    }
    for (int i = 0; i < vs->n; i++) {
        owned[i] = assignment(&vs->v[i], v->pick[i]);
        if (!owned[i]) goto out;
        argv[argc++] = "--set";
        argv[argc++] = owned[i];
    }
    argv[argc++] = "-o";
    argv[argc++] = v->gpkg;
    argv[argc] = NULL;
    int fd = open(v->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "wasteplan sweep: cannot create %s: %s\n", v->log, strerror(errno));
        goto out;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "wasteplan sweep: cannot start a process: %s\n", strerror(errno));
        close(fd);
        goto out;
    }
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
        execvp(exe, argv);
        fprintf(stderr, "wasteplan sweep: cannot run %s: %s\n", exe, strerror(errno));
        _exit(WP_EXIT_INTERNAL);
    }
    close(fd);
    v->pid = pid;
    v->t0 = wp_seconds();
    rc = 0;
out:
    for (int i = 0; i < vs->n; i++) free(owned[i]);
    free(owned);
    free(argv);
    return rc;
}

/* Copy the last lines of a variant's log to stderr, indented. */
static void print_log_tail(const char *path, int lines) {
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            size_t ncap = (len + got + 1) * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) break;
            buf = nb;
            cap = ncap;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf) return;
    buf[len] = '\0';
    size_t start = len;
    int seen = 0;
    while (start > 0) {
        if (buf[start - 1] == '\n' && start != len && ++seen >= lines) break;
        start--;
    }
    for (char *line = buf + start; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        fprintf(stderr, "    %s\n", line);
        if (!nl) break;
        line = nl + 1;
    }
    free(buf);
}

/* Run every variant, at most jobs at a time. Returns the number that
** failed. */
static int run_all(const char *scenario, const wp_opt_list *sets, const vary_set *vs,
                   variant *vars, int n, int jobs, int quiet) {
    char exe[4096];
    self_path(exe, sizeof exe);
    int next = 0, running = 0, done = 0, failed = 0;
    while (done < n) {
        while (running < jobs && next < n) {
            if (start_variant(exe, scenario, sets, vs, &vars[next]) < 0) {
                vars[next].status = WP_EXIT_INTERNAL;
                failed++;
                done++;
            } else {
                running++;
            }
            next++;
        }
        if (!running) continue;
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) continue;
            fprintf(stderr, "wasteplan sweep: waiting for variants: %s\n", strerror(errno));
            return failed + (n - done);
        }
        int i;
        for (i = 0; i < n && vars[i].pid != pid; i++)
            ;
        if (i == n) continue;   /* not one of ours */
        running--;
        done++;
        variant *v = &vars[i];
        v->seconds = wp_seconds() - v->t0;
        v->status = WIFEXITED(st) ? WEXITSTATUS(st) : WP_EXIT_INTERNAL;
        if (v->status != 0) {
            failed++;
            if (WIFSIGNALED(st))
                fprintf(stderr, "wasteplan sweep: variant %d/%d %s killed by signal %d; log %s\n",
                        i + 1, n, v->name, WTERMSIG(st), v->log);
            else
                fprintf(stderr, "wasteplan sweep: variant %d/%d %s failed (exit %d); log %s:\n",
                        i + 1, n, v->name, v->status, v->log);
            print_log_tail(v->log, 4);
        } else if (!quiet) {
            fprintf(stderr, "wasteplan sweep: variant %d/%d done (%d of %d finished): %s, %.1f s\n",
                    i + 1, n, done, n, v->name, v->seconds);
        }
    }
    return failed;
}

/* Column name of a varied key: "material.red_mud.max_haul_km" ->
** "material_red_mud_max_haul_km". */
static void key_column(const char *key, char *out, size_t n) {
    out[0] = '\0';
    name_append(out, n, key);
    for (char *p = out; *p; p++)
        if (*p == '.' || *p == '-' || *p == '+') *p = '_';
}

/* The comparison table: one row per variant and material of its summary
** (the 'all' row included). Returns NULL on OOM. */
static wp_table *build_table(const vary_set *vs, const variant *vars, int n,
                             wp_result_file *rfs) {
    wp_table *t = wp_table_new("sweep", "sweep 参数扫描",
                               "每个参数组合（情景变体）按固废种类的利用率与成本 "
                               "(one row per variant and material)", WP_GEOM_NONE);
    if (!t) return NULL;
    int bad = wp_table_add_col(t, "variant", WP_COL_TEXT, "情景变体") < 0;
    for (int i = 0; i < vs->n && !bad; i++) {
        char col[128];
        key_column(vs->v[i].key, col, sizeof col);
        bad = wp_table_add_col(t, col, vs->v[i].numeric ? WP_COL_REAL : WP_COL_TEXT,
                               vs->v[i].key) < 0;
    }
    static const struct {
        const char *name, *src, *alias;
    } q[] = {
        {"supply_t", "supply_t", "产生量(t)"},
        {"delivered_t", "delivered_t", "利用量(t)"},
        {"unallocated_t", "unallocated_t", "未利用量(t)"},
        {"utilisation_pct", "utilisation_pct", "利用率(%)"},
        {"total_cost_yuan", "total_cost_yuan", "总成本(元)"},
        {"penalty_cost_yuan", "penalty_cost_yuan", "未利用成本(元)"},
        {"cost_per_t_delivered", "cost_per_t_delivered", "利用吨成本(元/t)"},
        {"t_km", "t_km", "周转量(t·km)"},
        {"co2_t", "co2_t", "二氧化碳排放(t)"},
    };
    const int nq = (int)(sizeof q / sizeof *q);
    bad = bad || wp_table_add_col(t, "material", WP_COL_TEXT, "固废种类") < 0 ||
          wp_table_add_col(t, "material_zh", WP_COL_TEXT, "固废名称") < 0;
    for (int j = 0; j < nq && !bad; j++)
        bad = wp_table_add_col(t, q[j].name, WP_COL_REAL, q[j].alias) < 0;
    bad = bad || wp_table_add_col(t, "file", WP_COL_TEXT, "结果文件") < 0;
    int c_mat = vs->n + 1;
    for (int v = 0; v < n && !bad; v++) {
        if (vars[v].status != 0) continue;
        const wp_table *s = rfs[v].summary;
        int sm = wp_table_col(s, "material"), sz = wp_table_col(s, "material_zh");
        for (int r = 0; r < s->n_rows && !bad; r++) {
            int row = wp_table_add_row(t);
            bad = row < 0 || wp_table_set_text(t, row, 0, vars[v].name) < 0;
            for (int i = 0; i < vs->n && !bad; i++) {
                const char *val = vs->v[i].values[vars[v].pick[i]];
                double x;
                if (vs->v[i].numeric && is_number(val, &x))
                    bad = wp_table_set_real(t, row, 1 + i, x) < 0;
                else
                    bad = wp_table_set_text(t, row, 1 + i, val) < 0;
            }
            bad = bad || wp_table_set_text(t, row, c_mat, wp_cell_text(s, r, sm)) < 0 ||
                  wp_table_set_text(t, row, c_mat + 1, wp_cell_text(s, r, sz)) < 0;
            for (int j = 0; j < nq && !bad; j++)
                bad = wp_table_set_real(t, row, c_mat + 2 + j,
                                        wp_cell_real(s, r, wp_table_col(s, q[j].src))) < 0;
            const char *base = strrchr(vars[v].gpkg, '/');
            bad = bad || wp_table_set_text(t, row, c_mat + 2 + nq,
                                           base ? base + 1 : vars[v].gpkg) < 0;
        }
    }
    if (bad) {
        wp_table_free(t);
        return NULL;
    }
    return t;
}

/* Materials in first-seen order over the successful variants' summaries
** ("all" last). */
typedef struct {
    int n;
    char id[WP_MAX_MATERIALS + 1][WP_MATERIAL_ID_MAX + 8];
    char zh[WP_MAX_MATERIALS + 1][96];
} mat_list;

static void collect_materials(const variant *vars, int n, wp_result_file *rfs, mat_list *ml) {
    ml->n = 0;
    for (int v = 0; v < n; v++) {
        if (vars[v].status != 0) continue;
        const wp_table *s = rfs[v].summary;
        int sm = wp_table_col(s, "material"), sz = wp_table_col(s, "material_zh");
        for (int r = 0; r < s->n_rows; r++) {
            const char *id = wp_cell_text(s, r, sm);
            int k;
            for (k = 0; k < ml->n && strcmp(ml->id[k], id); k++)
                ;
            if (k < ml->n || ml->n >= WP_MAX_MATERIALS + 1) continue;
            snprintf(ml->id[ml->n], sizeof ml->id[0], "%s", id);
            snprintf(ml->zh[ml->n], sizeof ml->zh[0], "%s", wp_cell_text(s, r, sz));
            ml->n++;
        }
    }
    /* keep "all" last whatever the order it was met in */
    for (int k = 0; k + 1 < ml->n; k++)
        if (!strcmp(ml->id[k], "all")) {
            char id[sizeof ml->id[0]], zh[sizeof ml->zh[0]];
            memcpy(id, ml->id[k], sizeof id);
            memcpy(zh, ml->zh[k], sizeof zh);
            memmove(ml->id[k], ml->id[k + 1], (size_t)(ml->n - k - 1) * sizeof ml->id[0]);
            memmove(ml->zh[k], ml->zh[k + 1], (size_t)(ml->n - k - 1) * sizeof ml->zh[0]);
            memcpy(ml->id[ml->n - 1], id, sizeof id);
            memcpy(ml->zh[ml->n - 1], zh, sizeof zh);
            break;
        }
}

/* The summary value of material id in result rf, NaN if absent. */
static double summary_value(const wp_result_file *rf, const char *id, const char *col) {
    const wp_table *s = rf->summary;
    int sm = wp_table_col(s, "material"), c = wp_table_col(s, col);
    for (int r = 0; r < s->n_rows; r++)
        if (!strcmp(wp_cell_text(s, r, sm), id)) return wp_cell_real(s, r, c);
    return NAN;
}

/* The chart: x = the first varied key; one panel per combination of the
** other keys' values; per panel a utilisation line per material (left)
** and the total cost in 万元 (right). Returns 0 or -1 (message in err). */
static int write_chart(const char *path, const char *title, const vary_set *vs,
                       const variant *vars, int n, wp_result_file *rfs, char *err, int errlen) {
    mat_list ml;
    collect_materials(vars, n, rfs, &ml);
    const vary *x = &vs->v[0];
    int nx = x->n;
    int n_panels = n / nx;   /* the first key changes fastest */
    int n_series = ml.n + 1;
    wp_chart *panels = calloc((size_t)n_panels, sizeof *panels);
    wp_chart_series *series = calloc((size_t)n_panels * (size_t)n_series, sizeof *series);
    double *xs = calloc((size_t)nx, sizeof *xs);
    double *ys = calloc((size_t)n_panels * (size_t)n_series * (size_t)nx, sizeof *ys);
    char (*titles)[512] = calloc((size_t)n_panels, sizeof *titles);
    char (*names)[160] = calloc((size_t)n_series, sizeof *names);
    int rc = -1;
    if (!panels || !series || !xs || !ys || !titles || !names) {
        snprintf(err, (size_t)errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < nx; i++)
        if (!x->numeric || !is_number(x->values[i], &xs[i])) xs[i] = i;
    for (int k = 0; k < ml.n; k++)
        snprintf(names[k], sizeof names[0], "%s %s 利用率", ml.zh[k], ml.id[k]);
    snprintf(names[ml.n], sizeof names[0], "总成本 total cost (万元)");
    for (int p = 0; p < n_panels; p++) {
        wp_chart *c = &panels[p];
        /* title: the scenario and the other keys' values */
        size_t used = (size_t)snprintf(titles[p], sizeof titles[0], "%s", title);
        for (int i = 1; i < vs->n && used < sizeof titles[0]; i++)
            used += (size_t)snprintf(titles[p] + used, sizeof titles[0] - used, "%s%s = %s",
                                     i == 1 ? " — " : ", ", vs->v[i].key,
                                     vs->v[i].values[vars[p * nx].pick[i]]);
        c->title = titles[p];
        c->x_label = x->key;
        c->y_label = "利用率 utilisation (%)";
        c->y2_label = "总成本 total cost (万元)";
        c->y_fixed = 1;
        c->y_min = 0;
        c->y_max = 100;
        if (!x->numeric) {
            c->n_x_cats = nx;
            c->x_cats = (const char *const *)x->values;
        }
        c->n_series = n_series;
        c->series = &series[(size_t)p * (size_t)n_series];
        for (int s = 0; s < n_series; s++) {
            wp_chart_series *se = &series[(size_t)p * (size_t)n_series + (size_t)s];
            double *y = &ys[((size_t)p * (size_t)n_series + (size_t)s) * (size_t)nx];
            se->name = names[s];
            se->right_axis = s == ml.n;
            se->n = nx;
            se->x = xs;
            se->y = y;
            for (int i = 0; i < nx; i++) {
                int v = p * nx + i;
                if (vars[v].status != 0) {
                    y[i] = NAN;
                    continue;
                }
                y[i] = s < ml.n ? summary_value(&rfs[v], ml.id[s], "utilisation_pct")
                                : summary_value(&rfs[v], "all", "total_cost_yuan") / 1e4;
            }
        }
    }
    rc = wp_chart_save_svg(path, panels, n_panels, err, errlen);
out:
    free(panels);
    free(series);
    free(xs);
    free(ys);
    free(titles);
    free(names);
    return rc;
}

/* Quantities on stdout in 万吨 / 万元, as the solve summary: a heading
** per variant, then its materials. */
static void print_table(const vary_set *vs, const variant *vars, int n, wp_result_file *rfs) {
    mat_list ml;
    collect_materials(vars, n, rfs, &ml);
    printf("sweep: %d variants\n", n);
    for (int v = 0; v < n; v++) {
        printf("\n%s:", vars[v].name);
        for (int i = 0; i < vs->n; i++)
            printf(" %s=%s", vs->v[i].key, vs->v[i].values[vars[v].pick[i]]);
        printf("\n");
        if (vars[v].status != 0) {
            printf("  failed (exit %d), see %s\n", vars[v].status, vars[v].log);
            continue;
        }
        printf("  ");
        wp_print_cell(stdout, "material 固废", 26, 0);
        printf("%14s %8s %12s %10s\n", "delivered 万吨", "util. %", "cost 万元", "元/t");
        for (int k = 0; k < ml.n; k++) {
            double del = summary_value(&rfs[v], ml.id[k], "delivered_t");
            if (isnan(del)) continue;
            char mat[160];
            snprintf(mat, sizeof mat, "%s %s", ml.zh[k], ml.id[k]);
            printf("  ");
            wp_print_cell(stdout, mat, 26, 0);
            double u = summary_value(&rfs[v], ml.id[k], "utilisation_pct");
            double c = summary_value(&rfs[v], ml.id[k], "total_cost_yuan");
            double cpt = summary_value(&rfs[v], ml.id[k], "cost_per_t_delivered");
            printf("%14.2f %8.1f %12.1f ", del / 1e4, u, c / 1e4);
            if (isnan(cpt)) printf("%10s\n", "—");
            else printf("%10.2f\n", cpt);
        }
    }
}

/* Default output directory: "<scenario stem>-sweep" in the current one. */
static char *default_dir(const char *scenario) {
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *d = malloc(n + 7);
    if (d) {
        memcpy(d, base, n);
        memcpy(d + n, "-sweep", 7);
    }
    return d;
}


/* Write sweep.gpkg (tables only: the comparison and the sweep's own
** parameters) and sweep.csv. Returns 0 or -1 (message printed). */
static int write_outputs(const char *dir, wp_config *cfg, const vary_set *vs,
                         wp_table *t) {
    char err[1024];
    int rc = 0;
    for (int i = 0; i < vs->n; i++) {
        char key[64], val[4096];
        snprintf(key, sizeof key, "sweep.vary%d", i + 1);
        size_t used = (size_t)snprintf(val, sizeof val, "%s=", vs->v[i].key);
        for (int j = 0; j < vs->v[i].n && used < sizeof val; j++)
            used += (size_t)snprintf(val + used, sizeof val - used, "%s%s", j ? "," : "",
                                     vs->v[i].values[j]);
        if (wp_config_set(cfg, key, val, "sweep") < 0) return -1;
    }
    wp_model m;
    wp_model_init(&m);
    char errm[512];
    if (wp_scenario_materials(cfg, &m.materials, errm, sizeof errm) < 0)
        wp_materials_init_defaults(&m.materials);
    char *gpkg = join_path(dir, "sweep", ".gpkg");
    char *csv = join_path(dir, "sweep", ".csv");
    char when[32];
    wp_run_time(when, sizeof when);
    wp_table *tables[1] = {t};
    if (!gpkg || !csv) {
        fprintf(stderr, "wasteplan sweep: out of memory\n");
        rc = -1;
        goto out;
    }
    wp_gpkg_options go = {gpkg, "EPSG:4326", WP_VERSION, when, 1, tables, 1};
    if (wp_write_gpkg(NULL, &m, NULL, cfg, &go, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan sweep: cannot write %s: %s\n", gpkg, err);
        rc = -1;
    }
    if (wp_table_save_csv(csv, t, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan sweep: %s\n", err);
        rc = -1;
    }
out:
    free(gpkg);
    free(csv);
    wp_model_free(&m);
    return rc;
}

int wp_cmd_sweep(int argc, char **argv) {
    const char *dir_opt = NULL;
    wp_opt_list sets = {0}, varies = {0};
    long jobs = 2;
    int quiet = 0;
    const wp_option opts[] = {
        {0, "vary", WP_OPT_LIST, &varies, "K=V1,V2,..", "vary a scenario value over a list or START:STOP:STEP (repeatable)"},
        {0, "set", WP_OPT_LIST, &sets, "K=V", "override a scenario value in every variant"},
        {'o', "output", WP_OPT_STRING, &dir_opt, "DIR", "directory for the results (default: <scenario>-sweep)"},
        {'j', "jobs", WP_OPT_INT, &jobs, "N", "variants solved at once (default 2)"},
        {'q', "quiet", WP_OPT_FLAG, &quiet, NULL, "no progress messages on stderr"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int npos = wp_parse_options(argc, argv, opts, usage, description);
    vary_set vs = {0, NULL};
    variant *vars = NULL;
    wp_result_file *rfs = NULL;
    wp_config cfg;
    wp_config_init(&cfg);
    char *dir = NULL;
    int n = 0, rc = WP_EXIT_OK;
    if (npos == -2) goto out;
    if (npos < 0) {
        rc = WP_EXIT_USAGE;
        goto out;
    }
    if (npos != 1 || varies.count == 0) {
        fprintf(stderr, "wasteplan sweep: expected one scenario file and at least one --vary "
                "(see 'wasteplan sweep --help')\n");
        rc = WP_EXIT_USAGE;
        goto out;
    }
    if (jobs < 1 || jobs > 256) {
        fprintf(stderr, "wasteplan sweep: --jobs must be 1–256, not %ld\n", jobs);
        rc = WP_EXIT_USAGE;
        goto out;
    }
    const char *scenario = argv[0];
    for (int i = 0; i < varies.count; i++)
        if (parse_vary(&vs, varies.v[i]) < 0) {
            rc = WP_EXIT_USAGE;
            goto out;
        }
    n = 1;
    for (int i = 0; i < vs.n; i++) {
        if (n > 10000 / vs.v[i].n) {
            fprintf(stderr, "wasteplan sweep: more than 10000 variants; vary fewer values\n");
            rc = WP_EXIT_USAGE;
            goto out;
        }
        n *= vs.v[i].n;
    }
    dir = dir_opt ? strdup(dir_opt) : default_dir(scenario);
    vars = calloc((size_t)n, sizeof *vars);
    rfs = calloc((size_t)n, sizeof *rfs);
    if (!dir || !vars || !rfs) {
        rc = WP_EXIT_INTERNAL;
        goto out;
    }
    for (int v = 0; v < n; v++) {
        vars[v].status = -1;
        vars[v].pick = calloc((size_t)vs.n, sizeof *vars[v].pick);
        if (!vars[v].pick) {
            rc = WP_EXIT_INTERNAL;
            goto out;
        }
        int r = v;
        for (int i = 0; i < vs.n; i++) {
            vars[v].pick[i] = r % vs.v[i].n;
            r /= vs.v[i].n;
        }
        vars[v].name = variant_name(&vs, vars[v].pick, v, n);
        if (!vars[v].name) {
            rc = WP_EXIT_INTERNAL;
            goto out;
        }
        vars[v].gpkg = join_path(dir, vars[v].name, ".gpkg");
        vars[v].log = join_path(dir, vars[v].name, ".log");
        if (!vars[v].gpkg || !vars[v].log) {
            rc = WP_EXIT_INTERNAL;
            goto out;
        }
        rc = validate_variant(scenario, &sets, &vs, &vars[v], v == 0 ? &cfg : NULL);
        if (rc != WP_EXIT_OK) goto out;
    }
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "wasteplan sweep: cannot create the directory %s: %s\n", dir,
                strerror(errno));
        rc = WP_EXIT_OUTPUT;
        goto out;
    }
    if (!quiet)
        fprintf(stderr, "wasteplan sweep: %d variant%s of %s, %ld at a time, into %s/\n", n,
                n == 1 ? "" : "s", scenario, jobs, dir);
    int failed = run_all(scenario, &sets, &vs, vars, n, (int)jobs, quiet);
    int worst = WP_EXIT_OK;
    char err[1024];
    for (int v = 0; v < n; v++) {
        if (vars[v].status != 0) {
            if (vars[v].status > worst) worst = vars[v].status;
            continue;
        }
        if (wp_result_file_read(vars[v].gpkg, &rfs[v], err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan sweep: %s\n", err);
            vars[v].status = WP_EXIT_INTERNAL;
            worst = WP_EXIT_INTERNAL;
            failed++;
        }
    }
    if (failed == n) {
        fprintf(stderr, "wasteplan sweep: every variant failed; nothing to compare\n");
        rc = worst ? worst : WP_EXIT_INTERNAL;
        goto out;
    }
    wp_table *t = build_table(&vs, vars, n, rfs);
    if (!t) {
        fprintf(stderr, "wasteplan sweep: out of memory\n");
        rc = WP_EXIT_INTERNAL;
        goto out;
    }
    const char *title = wp_config_get(&cfg, "scenario.name");
    char *svg = join_path(dir, "sweep", ".svg");
    int bad = write_outputs(dir, &cfg, &vs, t) < 0;
    if (!svg ||
        write_chart(svg, title && *title ? title : scenario, &vs, vars, n, rfs, err,
                    sizeof err) < 0) {
        fprintf(stderr, "wasteplan sweep: cannot write the chart: %s\n", svg ? err : "out of memory");
        bad = 1;
    }
    print_table(&vs, vars, n, rfs);
    printf("\nwritten: %s/sweep.gpkg, %s/sweep.csv, %s\n", dir, dir, svg ? svg : "");
    if (failed) printf("%d of %d variants failed (see the logs in %s/)\n", failed, n, dir);
    free(svg);
    wp_table_free(t);
    rc = bad ? WP_EXIT_OUTPUT : worst;
out:
    for (int v = 0; vars && v < n; v++) {
        free(vars[v].pick);
        free(vars[v].name);
        free(vars[v].gpkg);
        free(vars[v].log);
        if (rfs) wp_result_file_free(&rfs[v]);
    }
    free(vars);
    free(rfs);
    free(dir);
    wp_config_free(&cfg);
    vary_set_free(&vs);
    wp_opt_list_free(&sets);
    wp_opt_list_free(&varies);
    return rc;
}
