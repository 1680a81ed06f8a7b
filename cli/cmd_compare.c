/*
** cmd_compare.c — `wasteplan compare A.gpkg B.gpkg [-o DIFF.gpkg|DIFF.csv]`:
** what changed between two results (B relative to A): per material (and
** per year when both have a yearly table) supply, delivered, utilisation
** and cost; per site received tonnes and fill; and the flows that appear,
** vanish or change. Printed as readable tables and optionally written as
** the tables compare_materials, compare_sites and compare_flows.
**
** Sites and flows are matched by their ids (sink_id; source_id, sink_id,
** material), which the solve writes from the input layers' id fields, so
** two runs of the same data under different parameters line up exactly.
*/
#include "commands.h"
#include "output.h"
#include "pipeline.h"
#include "report.h"
#include "table_csv.h"

#include "../geo/gpkg.h"
#include "../geo/read_result.h"
#include "../planner/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] = "wasteplan compare A.gpkg B.gpkg [-o DIFF.gpkg|DIFF.csv] [--min-change T]";
static const char description[] =
    "Compare two results written by `wasteplan solve` (or by a sweep): B is\n"
    "read as the new plan, A as the reference, and every difference is B - A.\n"
    "\n"
    "Printed and, with -o, written as three tables:\n"
    "  compare_materials  per material (and per year and material when both\n"
    "                     files have a yearly table): supply, delivered,\n"
    "                     utilisation and total cost in A, in B, and the change\n"
    "  compare_sites      per site (sink id): received tonnes and fill in A and\n"
    "                     B and the change; sites found in one file only are\n"
    "                     marked only_a / only_b\n"
    "  compare_flows      flows (source, sink, material) that appear, vanish, or\n"
    "                     change by more than T tonnes (default 0.5), with\n"
    "                     their line, for a map of what moved\n"
    "-o DIFF.gpkg writes one GeoPackage (sites and flows as map layers);\n"
    "-o DIFF.csv writes DIFF_materials.csv, DIFF_sites.csv and DIFF_flows.csv.\n"
    "\n"
    "examples:\n"
    "  wasteplan compare base.gpkg haul150.gpkg\n"
    "  wasteplan compare sweep/01_red_mud.max_haul_km-50.gpkg \\\n"
    "      sweep/03_red_mud.max_haul_km-200.gpkg -o haul50-vs-200.gpkg";

/* Matching key of a row: the columns joined with a separator that cannot
** occur in ids (0x1f, the ASCII unit separator). */
/* The text of one key cell: text as it is, numbers (a plan's year) in
** decimal, so integer keys tell rows apart too. */
static void key_part(const wp_table *t, int row, int col, char *buf, size_t n) {
    const wp_cell *c = wp_table_cell(t, row, col);
    buf[0] = '\0';
    if (!c || c->is_null) return;
    switch (t->cols[col].type) {
    case WP_COL_TEXT: snprintf(buf, n, "%s", c->text ? c->text : ""); break;
    case WP_COL_INT: snprintf(buf, n, "%lld", c->integer); break;
    case WP_COL_REAL: snprintf(buf, n, "%.17g", c->real); break;
    }
}

static char *row_key(const wp_table *t, int row, const int *cols, int n) {
    char part[8][512];
    size_t len = 1;
    for (int i = 0; i < n && i < 8; i++) {
        key_part(t, row, cols[i], part[i], sizeof part[i]);
        len += strlen(part[i]) + 1;
    }
    char *k = malloc(len);
    if (!k) return NULL;
    k[0] = '\0';
    for (int i = 0; i < n && i < 8; i++) {
        if (i) strcat(k, "\x1f");
        strcat(k, part[i]);
    }
    return k;
}

/* Keys of every row of a table, with a sorted index for merging. */
typedef struct {
    int n;
    char **key;
    int *order;     /* rows sorted by key */
} keyed;

static const keyed *sort_ctx;

static int cmp_rows(const void *a, const void *b) {
    int ia = *(const int *)a, ib = *(const int *)b;
    int c = strcmp(sort_ctx->key[ia], sort_ctx->key[ib]);
    return c ? c : (ia > ib) - (ia < ib);
}

static void keyed_free(keyed *k) {
    for (int i = 0; i < k->n; i++) free(k->key[i]);
    free(k->key);
    free(k->order);
    memset(k, 0, sizeof *k);
}

/* Key every row of t by the named columns (absent columns read as "").
** Returns 0 or -1 on OOM. */
static int keyed_build(keyed *k, const wp_table *t, const char *const *names, int n) {
    int cols[8];
    memset(k, 0, sizeof *k);
    for (int i = 0; i < n && i < 8; i++) cols[i] = t ? wp_table_col(t, names[i]) : -1;
    int rows = t ? t->n_rows : 0;
    k->key = calloc((size_t)(rows ? rows : 1), sizeof *k->key);
    k->order = calloc((size_t)(rows ? rows : 1), sizeof *k->order);
    if (!k->key || !k->order) return -1;
    k->n = rows;
    for (int r = 0; r < rows; r++) {
        k->key[r] = row_key(t, r, cols, n);
        if (!k->key[r]) return -1;
        k->order[r] = r;
    }
    sort_ctx = k;
    if (rows > 1) qsort(k->order, (size_t)rows, sizeof *k->order, cmp_rows);
    sort_ctx = NULL;
    return 0;
}

/* Position in k->order of the first row with key (binary search for the
** leftmost match), or -1. */
static int keyed_pos(const keyed *k, const char *key) {
    int lo = 0, hi = k->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(k->key[k->order[mid]], key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < k->n && !strcmp(k->key[k->order[lo]], key) ? lo : -1;
}

/* Row of key in k (the first of equal keys), or -1. */
static int keyed_find(const keyed *k, const char *key) {
    int p = keyed_pos(k, key);
    return p < 0 ? -1 : k->order[p];
}

/* Add "<q>_a", "<q>_b", "<q>_diff" real columns. */
static int add_triple(wp_table *t, const char *q, const char *alias) {
    char name[96], al[160];
    static const char *const suffix[3] = {"a", "b", "diff"};
    static const char *const zh[3] = {"A", "B", "变化"};
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s_%s", q, suffix[i]);
        snprintf(al, sizeof al, "%s·%s", alias, zh[i]);
        if (wp_table_add_col(t, name, WP_COL_REAL, al) < 0) return -1;
    }
    return 0;
}

/* Set a triple starting at column c: a, b and b - a (NULL when either is). */
static int set_triple(wp_table *t, int row, int c, double a, double b) {
    if (wp_table_set_real(t, row, c, a) < 0 || wp_table_set_real(t, row, c + 1, b) < 0)
        return -1;
    return wp_table_set_real(t, row, c + 2, isnan(a) || isnan(b) ? NAN : b - a);
}

static const struct {
    const char *name, *alias;
} mat_q[] = {
    {"supply_t", "产生量(t)"},
    {"delivered_t", "利用量(t)"},
    {"utilisation_pct", "利用率(%)"},
    {"total_cost_yuan", "总成本(元)"},
};
#define N_MAT_Q ((int)(sizeof mat_q / sizeof *mat_q))

/* Quantity q of mat_q for row r: from a summary table, or from a plan's
** yearly table, where supply is the year's new waste, delivered is what
** was used from it plus what was drawn from stock, utilisation is that of
** the new waste, and cost is the year's cost. */
static double material_value(const wp_table *t, int r, int q, int yearly) {
    if (!yearly) return wp_cell_real(t, r, wp_table_col(t, mat_q[q].name));
    switch (q) {
    case 0: return wp_cell_real(t, r, wp_table_col(t, "generated_t"));
    case 1: return wp_cell_real(t, r, wp_table_col(t, "used_new_t")) +
                   wp_cell_real(t, r, wp_table_col(t, "drawn_t"));
    case 2: return 100.0 * wp_cell_real(t, r, wp_table_col(t, "util_new"));
    default: return wp_cell_real(t, r, wp_table_col(t, "cost"));
    }
}

/* Append to out one row per key of src tables a and b (keyed by names),
** A's order first, then keys only in B. year_col: the year column name
** or NULL (summary rows get a NULL year). Returns 0 or -1 on OOM. */
static int material_rows(wp_table *out, const wp_table *a, const wp_table *b,
                         const char *year_col) {
    const char *const with_year[] = {"year", "material"};
    const char *const without[] = {"material"};
    const char *const *names = year_col ? with_year : without;
    int nk = year_col ? 2 : 1;
    keyed ka, kb;
    int rc = -1;
    memset(&kb, 0, sizeof kb);
    if (keyed_build(&ka, a, names, nk) < 0 || keyed_build(&kb, b, names, nk) < 0) goto out;
    for (int pass = 0; pass < 2; pass++) {
        const wp_table *t = pass ? b : a;
        const keyed *self = pass ? &kb : &ka, *other = pass ? &ka : &kb;
        for (int r = 0; r < t->n_rows; r++) {
            int ro = keyed_find(other, self->key[r]);
            if (pass == 1 && ro >= 0) continue;   /* already written from A */
            int ra = pass ? ro : r, rb = pass ? r : ro;
            int row = wp_table_add_row(out);
            if (row < 0) goto out;
            if (year_col) {
                double y = wp_cell_real(t, r, wp_table_col(t, year_col));
                if (!isnan(y) && wp_table_set_int(out, row, 0, (long long)llround(y)) < 0) goto out;
            }
            if (wp_table_set_text(out, row, 1, wp_cell_text(t, r, wp_table_col(t, "material"))) < 0 ||
                wp_table_set_text(out, row, 2, wp_cell_text(t, r, wp_table_col(t, "material_zh"))) < 0)
                goto out;
            for (int q = 0; q < N_MAT_Q; q++) {
                double va = ra >= 0 ? material_value(a, ra, q, year_col != NULL) : NAN;
                double vb = rb >= 0 ? material_value(b, rb, q, year_col != NULL) : NAN;
                if (set_triple(out, row, 3 + 3 * q, va, vb) < 0) goto out;
            }
        }
    }
    rc = 0;
out:
    keyed_free(&ka);
    keyed_free(&kb);
    return rc;
}

static wp_table *compare_materials(const wp_result_file *A, const wp_result_file *B) {
    wp_table *t = wp_table_new("compare_materials", "compare_materials 按固废对比",
                               "两个方案按固废种类（及年份）对比：A、B 及变化 B−A "
                               "(per material and year: A, B, B - A)", WP_GEOM_NONE);
    if (!t) return NULL;
    int bad = wp_table_add_col(t, "year", WP_COL_INT, "年份") < 0 ||
              wp_table_add_col(t, "material", WP_COL_TEXT, "固废种类") < 0 ||
              wp_table_add_col(t, "material_zh", WP_COL_TEXT, "固废名称") < 0;
    for (int q = 0; q < N_MAT_Q && !bad; q++) bad = add_triple(t, mat_q[q].name, mat_q[q].alias) < 0;
    if (A->summary && B->summary) bad = bad || material_rows(t, A->summary, B->summary, NULL) < 0;
    /* Yearly rows only when both files are multi-year plans. */
    if (!bad && A->yearly && B->yearly && wp_table_col(A->yearly, "year") >= 0 &&
        wp_table_col(B->yearly, "year") >= 0 && wp_table_col(A->yearly, "material") >= 0 &&
        wp_table_col(B->yearly, "material") >= 0)
        bad = material_rows(t, A->yearly, B->yearly, "year") < 0;
    if (bad) {
        wp_table_free(t);
        return NULL;
    }
    return t;
}

static wp_table *compare_sites(const wp_result_file *A, const wp_result_file *B) {
    wp_table *t = wp_table_new("compare_sites", "compare_sites 利用点对比",
                               "两个方案各利用点接收量与负荷率对比 (per site: received and fill in A and B)",
                               WP_GEOM_ANY);
    if (!t) return NULL;
    int bad = wp_table_add_col(t, "sink_id", WP_COL_TEXT, "利用点编号") < 0 ||
              wp_table_add_col(t, "name", WP_COL_TEXT, "名称") < 0 ||
              wp_table_add_col(t, "status", WP_COL_TEXT, "对比") < 0 ||
              add_triple(t, "received_t", "接收量(t)") < 0 ||
              add_triple(t, "fill_pct", "负荷率(%)") < 0;
    const char *const names[] = {"sink_id"};
    keyed ka, kb;
    memset(&ka, 0, sizeof ka);
    memset(&kb, 0, sizeof kb);
    bad = bad || keyed_build(&ka, A->sinks, names, 1) < 0 || keyed_build(&kb, B->sinks, names, 1) < 0;
    for (int pass = 0; pass < 2 && !bad; pass++) {
        const wp_table *s = pass ? B->sinks : A->sinks;
        const keyed *self = pass ? &kb : &ka, *other = pass ? &ka : &kb;
        for (int r = 0; r < s->n_rows && !bad; r++) {
            int ro = keyed_find(other, self->key[r]);
            if (pass == 1 && ro >= 0) continue;
            int ra = pass ? ro : r, rb = pass ? r : ro;
            const wp_table *a = A->sinks, *b = B->sinks;
            int row = wp_table_add_row(t);
            const char *status = ra >= 0 && rb >= 0 ? "both" : ra >= 0 ? "only_a" : "only_b";
            bad = row < 0 ||
                  wp_table_set_text(t, row, 0, wp_cell_text(s, r, wp_table_col(s, "sink_id"))) < 0 ||
                  wp_table_set_text(t, row, 1, wp_cell_text(s, r, wp_table_col(s, "name"))) < 0 ||
                  wp_table_set_text(t, row, 2, status) < 0;
            /* a site missing from one side received nothing there */
            double ra_t = ra >= 0 ? wp_cell_real(a, ra, wp_table_col(a, "received_t")) : 0;
            double rb_t = rb >= 0 ? wp_cell_real(b, rb, wp_table_col(b, "received_t")) : 0;
            double fa = ra >= 0 ? wp_cell_real(a, ra, wp_table_col(a, "fill_pct")) : NAN;
            double fb = rb >= 0 ? wp_cell_real(b, rb, wp_table_col(b, "fill_pct")) : NAN;
            bad = bad || set_triple(t, row, 3, ra_t, rb_t) < 0 || set_triple(t, row, 6, fa, fb) < 0;
            if (!bad && s->wkb && s->wkb[r])
                bad = wp_table_set_wkb(t, row, s->wkb[r], s->wkb_len[r]) < 0;
        }
    }
    keyed_free(&ka);
    keyed_free(&kb);
    if (bad) {
        wp_table_free(t);
        return NULL;
    }
    return t;
}

/* Tonnes per flow key, summing rows that share one (there should be
** none); NaN when the key is absent. */
static double flow_tonnes(const wp_table *f, const keyed *k, const char *key) {
    int p = keyed_pos(k, key);
    if (p < 0) return NAN;
    int ct = wp_table_col(f, "tonnes");
    double sum = 0;
    for (; p < k->n && !strcmp(k->key[k->order[p]], key); p++)
        sum += wp_cell_real(f, k->order[p], ct);
    return sum;
}

static wp_table *compare_flows(const wp_result_file *A, const wp_result_file *B, double min_t) {
    wp_table *t = wp_table_new("compare_flows", "compare_flows 流向变化",
                               "新增、消失或变化超过阈值的运输流向 (flows that appear, vanish or change)",
                               WP_GEOM_LINE);
    if (!t) return NULL;
    int bad = wp_table_add_col(t, "source_id", WP_COL_TEXT, "产废源编号") < 0 ||
              wp_table_add_col(t, "source_name", WP_COL_TEXT, "产废源名称") < 0 ||
              wp_table_add_col(t, "sink_id", WP_COL_TEXT, "利用点编号") < 0 ||
              wp_table_add_col(t, "sink_name", WP_COL_TEXT, "利用点名称") < 0 ||
              wp_table_add_col(t, "material", WP_COL_TEXT, "固废种类") < 0 ||
              wp_table_add_col(t, "change", WP_COL_TEXT, "变化") < 0 ||
              add_triple(t, "tonnes", "吨数") < 0 ||
              wp_table_add_col(t, "distance_km", WP_COL_REAL, "运距(km)") < 0;
    const char *const names[] = {"source_id", "sink_id", "material"};
    keyed ka, kb;
    memset(&ka, 0, sizeof ka);
    memset(&kb, 0, sizeof kb);
    bad = bad || keyed_build(&ka, A->flows, names, 3) < 0 || keyed_build(&kb, B->flows, names, 3) < 0;
    for (int pass = 0; pass < 2 && !bad; pass++) {
        const wp_table *f = pass ? B->flows : A->flows;
        const keyed *self = pass ? &kb : &ka, *other = pass ? &ka : &kb;
        for (int r = 0; r < f->n_rows && !bad; r++) {
            if (keyed_find(self, self->key[r]) != r) continue;   /* duplicate key: done once */
            int ro = keyed_find(other, self->key[r]);
            if (pass == 1 && ro >= 0) continue;
            double ta = pass ? 0 : flow_tonnes(A->flows, &ka, ka.key[r]);
            double tb = pass ? flow_tonnes(B->flows, &kb, kb.key[r])
                             : ro >= 0 ? flow_tonnes(B->flows, &kb, ka.key[r]) : 0;
            const char *change = pass ? "appears" : ro < 0 ? "vanishes" : "changes";
            if (!strcmp(change, "changes") && !(fabs(tb - ta) > min_t)) continue;
            int row = wp_table_add_row(t);
            bad = row < 0;
            static const char *const copy[] = {"source_id", "source_name", "sink_id", "sink_name",
                                               "material"};
            for (int c = 0; c < 5 && !bad; c++)
                bad = wp_table_set_text(t, row, c, wp_cell_text(f, r, wp_table_col(f, copy[c]))) < 0;
            bad = bad || wp_table_set_text(t, row, 5, change) < 0 ||
                  set_triple(t, row, 6, ta, tb) < 0 ||
                  wp_table_set_real(t, row, 9, wp_cell_real(f, r, wp_table_col(f, "distance_km"))) < 0;
            if (!bad && f->wkb && f->wkb[r])
                bad = wp_table_set_wkb(t, row, f->wkb[r], f->wkb_len[r]) < 0;
        }
    }
    keyed_free(&ka);
    keyed_free(&kb);
    if (bad) {
        wp_table_free(t);
        return NULL;
    }
    return t;
}

/* A number for the screen: "—" for NULL, else v / scale with decimals. */
static void num(FILE *f, double v, double scale, int decimals, int width, int sign) {
    char buf[64];
    if (isnan(v))
        snprintf(buf, sizeof buf, "—");
    else
        snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v / scale);
    wp_print_cell(f, buf, width, 1);
}

static void print_materials(const wp_table *t) {
    printf("per material (B - A; quantities in 万吨, costs in 万元):\n  ");
    wp_print_cell(stdout, "year", 5, 0);
    wp_print_cell(stdout, " material 固废", 24, 0);
    printf("%10s %10s %10s %8s %8s %8s %11s %11s %11s\n", "delivered A", "B", "change",
           "util.% A", "B", "change", "cost A", "B", "change");
    int cy = wp_table_col(t, "year"), cm = wp_table_col(t, "material"),
        cz = wp_table_col(t, "material_zh");
    int cd = wp_table_col(t, "delivered_t_a"), cu = wp_table_col(t, "utilisation_pct_a"),
        cc = wp_table_col(t, "total_cost_yuan_a");
    for (int r = 0; r < t->n_rows; r++) {
        char mat[160], year[16] = "";
        double y = wp_cell_real(t, r, cy);
        if (!isnan(y)) snprintf(year, sizeof year, "%.0f", y);
        snprintf(mat, sizeof mat, " %s %s", wp_cell_text(t, r, cz), wp_cell_text(t, r, cm));
        printf("  ");
        wp_print_cell(stdout, year, 5, 0);
        wp_print_cell(stdout, mat, 24, 0);
        for (int i = 0; i < 3; i++) num(stdout, wp_cell_real(t, r, cd + i), 1e4, 2, 11, i == 2);
        for (int i = 0; i < 3; i++) num(stdout, wp_cell_real(t, r, cu + i), 1, 1, 9, i == 2);
        for (int i = 0; i < 3; i++) num(stdout, wp_cell_real(t, r, cc + i), 1e4, 1, 12, i == 2);
        printf("\n");
    }
}

/* Rows of t ordered by |column diff| descending (ties by row). */
static const wp_table *abs_ctx_t;
static int abs_ctx_c;
static int cmp_abs(const void *a, const void *b) {
    int ia = *(const int *)a, ib = *(const int *)b;
    double da = fabs(wp_cell_real(abs_ctx_t, ia, abs_ctx_c));
    double db = fabs(wp_cell_real(abs_ctx_t, ib, abs_ctx_c));
    if (isnan(da)) da = 0;
    if (isnan(db)) db = 0;
    if (da != db) return da < db ? 1 : -1;
    return (ia > ib) - (ia < ib);
}

static int *by_abs(const wp_table *t, const char *col) {
    int *o = malloc((size_t)(t->n_rows ? t->n_rows : 1) * sizeof *o);
    if (!o) return NULL;
    for (int i = 0; i < t->n_rows; i++) o[i] = i;
    abs_ctx_t = t;
    abs_ctx_c = wp_table_col(t, col);
    if (t->n_rows > 1) qsort(o, (size_t)t->n_rows, sizeof *o, cmp_abs);
    abs_ctx_t = NULL;
    return o;
}

static void print_sites(const wp_table *t, double min_t, int limit) {
    int changed = 0, only = 0;
    int cd = wp_table_col(t, "received_t_diff"), cs = wp_table_col(t, "status");
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(wp_cell_text(t, r, cs), "both")) only++;
        if (fabs(wp_cell_real(t, r, cd)) > min_t) changed++;
    }
    printf("\nsites: %d compared, %d receive a different amount, %d in one file only\n",
           t->n_rows, changed, only);
    if (!changed && !only) return;
    int *o = by_abs(t, "received_t_diff");
    if (!o) return;
    printf("  ");
    wp_print_cell(stdout, "site 利用点", 40, 0);
    printf("%-7s %12s %12s %12s %9s %9s\n", "status", "received A", "B", "change", "fill% A", "B");
    int cid = wp_table_col(t, "sink_id"), cn = wp_table_col(t, "name"),
        ca = wp_table_col(t, "received_t_a"), cf = wp_table_col(t, "fill_pct_a");
    int shown = 0;
    for (int i = 0; i < t->n_rows && shown < limit; i++) {
        int r = o[i];
        if (!(fabs(wp_cell_real(t, r, cd)) > min_t) && !strcmp(wp_cell_text(t, r, cs), "both"))
            continue;
        char site[256];
        snprintf(site, sizeof site, "%s %s", wp_cell_text(t, r, cid), wp_cell_text(t, r, cn));
        printf("  ");
        wp_print_cell(stdout, site, 40, 0);
        printf("%-7s", wp_cell_text(t, r, cs));
        for (int k = 0; k < 3; k++) num(stdout, wp_cell_real(t, r, ca + k), 1e4, 2, 13, k == 2);
        for (int k = 0; k < 2; k++) num(stdout, wp_cell_real(t, r, cf + k), 1, 1, 10, 0);
        printf("\n");
        shown++;
    }
    if (changed + only > shown) printf("  ... %d more in compare_sites\n", changed + only - shown);
    free(o);
}

static void print_flows(const wp_table *t, int limit) {
    int n[3] = {0, 0, 0};
    int cc = wp_table_col(t, "change");
    for (int r = 0; r < t->n_rows; r++) {
        const char *c = wp_cell_text(t, r, cc);
        n[!strcmp(c, "appears") ? 0 : !strcmp(c, "vanishes") ? 1 : 2]++;
    }
    printf("\nflows: %d appear, %d vanish, %d change\n", n[0], n[1], n[2]);
    if (!t->n_rows) return;
    int *o = by_abs(t, "tonnes_diff");
    if (!o) return;
    printf("  %-9s ", "change");
    wp_print_cell(stdout, "source 产废源", 30, 0);
    wp_print_cell(stdout, " -> sink 利用点", 32, 0);
    printf("%-16s %11s %11s %11s\n", "material", "万吨 A", "B", "change");
    int cs = wp_table_col(t, "source_name"), ck = wp_table_col(t, "sink_name"),
        cm = wp_table_col(t, "material"), ca = wp_table_col(t, "tonnes_a");
    int shown = 0;
    for (int i = 0; i < t->n_rows && shown < limit; i++, shown++) {
        int r = o[i];
        char sink[256];
        snprintf(sink, sizeof sink, " -> %s", wp_cell_text(t, r, ck));
        printf("  %-9s ", wp_cell_text(t, r, cc));
        wp_print_cell(stdout, wp_cell_text(t, r, cs), 30, 0);
        wp_print_cell(stdout, sink, 32, 0);
        printf("%-16s", wp_cell_text(t, r, cm));
        for (int k = 0; k < 3; k++) num(stdout, wp_cell_real(t, r, ca + k), 1e4, 2, 12, k == 2);
        printf("\n");
    }
    if (t->n_rows > shown) printf("  ... %d more in compare_flows\n", t->n_rows - shown);
    free(o);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}


/* Write the three tables to out (.gpkg, or .csv as three files). */
static int write_out(const char *out, const char *pa, const char *pb, wp_table **tables) {
    char err[1024];
    if (ends_with(out, ".csv")) {
        static const char *const suffix[3] = {"_materials.csv", "_sites.csv", "_flows.csv"};
        size_t stem = strlen(out) - 4;
        for (int i = 0; i < 3; i++) {
            char *p = malloc(stem + strlen(suffix[i]) + 1);
            if (!p) return -1;
            memcpy(p, out, stem);
            strcpy(p + stem, suffix[i]);
            int rc = wp_table_save_csv(p, tables[i], err, sizeof err);
            if (rc < 0) fprintf(stderr, "wasteplan compare: %s\n", err);
            else printf("written: %s\n", p);
            free(p);
            if (rc < 0) return -1;
        }
        return 0;
    }
    wp_config cfg;
    wp_config_init(&cfg);
    wp_model m;
    wp_model_init(&m);
    int rc = -1;
    if (wp_config_set(&cfg, "compare.a", pa, "compare") == 0 &&
        wp_config_set(&cfg, "compare.b", pb, "compare") == 0) {
        char when[32];
        wp_run_time(when, sizeof when);
        wp_gpkg_options go = {out, "EPSG:4326", WP_VERSION, when, 3, tables, 1};
        rc = wp_write_gpkg(NULL, &m, NULL, &cfg, &go, err, sizeof err);
        if (rc < 0) fprintf(stderr, "wasteplan compare: cannot write %s: %s\n", out, err);
        else printf("written: %s\n", out);
    }
    wp_model_free(&m);
    wp_config_free(&cfg);
    return rc;
}

int wp_cmd_compare(int argc, char **argv) {
    const char *out = NULL;
    double min_t = 0.5;
    long limit = 20;
    const wp_option opts[] = {
        {'o', "output", WP_OPT_STRING, &out, "FILE", "write the differences (.gpkg, or .csv: three files)"},
        {0, "min-change", WP_OPT_DOUBLE, &min_t, "T", "tonnes a flow must change by to be listed (default 0.5)"},
        {0, "limit", WP_OPT_INT, &limit, "N", "rows printed per table of sites and flows (default 20)"},
        {0, NULL, 0, NULL, NULL, NULL}};
    int n = wp_parse_options(argc, argv, opts, usage, description);
    if (n == -2) return WP_EXIT_OK;
    if (n < 0) return WP_EXIT_USAGE;
    if (n != 2) {
        fprintf(stderr, "wasteplan compare: expected two result files A.gpkg B.gpkg "
                "(see 'wasteplan compare --help')\n");
        return WP_EXIT_USAGE;
    }
    if (!(min_t >= 0)) {
        fprintf(stderr, "wasteplan compare: --min-change must be 0 or more tonnes\n");
        return WP_EXIT_USAGE;
    }
    if (out && !ends_with(out, ".gpkg") && !ends_with(out, ".csv")) {
        fprintf(stderr, "wasteplan compare: -o %s: name a .gpkg or a .csv file\n", out);
        return WP_EXIT_USAGE;
    }
    wp_result_file A, B;
    char err[1024];
    memset(&B, 0, sizeof B);
    if (wp_result_file_read(argv[0], &A, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan compare: %s\n", err);
        return WP_EXIT_INPUT;
    }
    if (wp_result_file_read(argv[1], &B, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan compare: %s\n", err);
        wp_result_file_free(&A);
        return WP_EXIT_INPUT;
    }
    wp_table *tables[3] = {compare_materials(&A, &B), compare_sites(&A, &B),
                           compare_flows(&A, &B, min_t)};
    int rc = WP_EXIT_OK;
    if (!tables[0] || !tables[1] || !tables[2]) {
        fprintf(stderr, "wasteplan compare: out of memory\n");
        rc = WP_EXIT_INTERNAL;
    } else {
        printf("A: %s\nB: %s\n\n", argv[0], argv[1]);
        print_materials(tables[0]);
        print_sites(tables[1], min_t, (int)limit);
        print_flows(tables[2], (int)limit);
        if (out) {
            printf("\n");
            if (write_out(out, argv[0], argv[1], tables) < 0) rc = WP_EXIT_OUTPUT;
        }
    }
    for (int i = 0; i < 3; i++) wp_table_free(tables[i]);
    wp_result_file_free(&A);
    wp_result_file_free(&B);
    return rc;
}
