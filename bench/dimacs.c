/*
** dimacs.c — DIMACS min-cost flow reader and the timing/printing helpers
** shared by the benchmark drivers (see dimacs.h).
**
** The reader slurps the whole file and parses it with a hand-written integer
** scanner: the largest benchmark instance has tens of millions of arc lines
** and sscanf would take longer than most solvers do. Reading is never part
** of a timed region, but it is part of the wall time of `make bench`.
*/
#include "dimacs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Cursor over the file text; line counts for messages. */
typedef struct {
    const char *p, *end;
    long line;
    const char *path;
} scanner;

/* Skip blanks (not newlines). */
static void skip_blanks(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r'))
        s->p++;
}

/* Parse one signed decimal integer at the cursor. Returns 0 or -1 when
** there is no number or it overflows int64. */
static int scan_int(scanner *s, int64_t *out)
{
    int neg = 0;
    uint64_t v = 0;
    const char *start;

    skip_blanks(s);
    if (s->p < s->end && (*s->p == '-' || *s->p == '+')) {
        neg = (*s->p == '-');
        s->p++;
    }
    start = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        unsigned d = (unsigned)(*s->p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
        s->p++;
    }
    if (s->p == start || v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Advance past the end of the current line. */
static void next_line(scanner *s)
{
    while (s->p < s->end && *s->p != '\n')
        s->p++;
    if (s->p < s->end)
        s->p++;
    s->line++;
}

/* Print a parse error naming file and line; always returns -1. */
static int fail(const scanner *s, const char *what)
{
    fprintf(stderr, "%s:%ld: %s\n", s->path, s->line, what);
    return -1;
}

/* Read the whole file into a malloc'd buffer. Returns NULL on error (after
** printing why). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long sz;

    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "%s: cannot seek: %s\n", path, strerror(errno));
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)sz + 1);
    if (!buf) {
        fprintf(stderr, "%s: out of memory reading %ld bytes\n", path, sz);
        fclose(f);
        return NULL;
    }
    if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
        fprintf(stderr, "%s: read error\n", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[sz] = '\0';
    *len = (size_t)sz;
    return buf;
}

/* Parse the file. Requires the "p min N M" line before any "n" or "a" line,
** exactly M arc lines, node ids in 1..N and zero lower bounds. */
int bench_read_dimacs(const char *path, bench_net *g)
{
    size_t len;
    char *buf;
    scanner s;
    int64_t m_read = 0;
    int have_p = 0;
    int rc = -1;

    memset(g, 0, sizeof *g);
    buf = slurp(path, &len);
    if (!buf)
        return -1;
    s.p = buf;
    s.end = buf + len;
    s.line = 1;
    s.path = path;

    while (s.p < s.end) {
        char kind;
        skip_blanks(&s);
        if (s.p >= s.end)
            break;
        kind = *s.p;
        if (kind == 'c' || kind == '\n') {
            next_line(&s);
            continue;
        }
        s.p++;
        if (kind == 'p') {
            int64_t n, m;
            skip_blanks(&s);
            if (s.end - s.p < 3 || strncmp(s.p, "min", 3) != 0) {
                fail(&s, "expected 'p min N M'");
                goto out;
            }
            s.p += 3;
            if (have_p || scan_int(&s, &n) || scan_int(&s, &m) || n < 1 ||
                n > 0x7fffffff - 1 || m < 0) {
                fail(&s, "bad or repeated problem line; expected 'p min N M'");
                goto out;
            }
            have_p = 1;
            g->n = (int)n;
            g->m = m;
            g->supply = calloc((size_t)n, sizeof *g->supply);
            g->from = malloc((size_t)(m ? m : 1) * sizeof *g->from);
            g->to = malloc((size_t)(m ? m : 1) * sizeof *g->to);
            g->cap = malloc((size_t)(m ? m : 1) * sizeof *g->cap);
            g->cost = malloc((size_t)(m ? m : 1) * sizeof *g->cost);
            if (!g->supply || !g->from || !g->to || !g->cap || !g->cost) {
                fail(&s, "out of memory for the instance");
                goto out;
            }
        } else if (kind == 'n') {
            int64_t id, b;
            if (!have_p) {
                fail(&s, "'n' line before the 'p min' line");
                goto out;
            }
            if (scan_int(&s, &id) || scan_int(&s, &b) || id < 1 || id > g->n) {
                fail(&s, "bad node line; expected 'n ID SUPPLY' with 1 <= ID <= N");
                goto out;
            }
            g->supply[id - 1] = b;
        } else if (kind == 'a') {
            int64_t u, v, lo, cap, cost;
            if (!have_p) {
                fail(&s, "'a' line before the 'p min' line");
                goto out;
            }
            if (m_read >= g->m) {
                fail(&s, "more arc lines than the 'p min' line announced");
                goto out;
            }
            if (scan_int(&s, &u) || scan_int(&s, &v) || scan_int(&s, &lo) ||
                scan_int(&s, &cap) || scan_int(&s, &cost) || u < 1 ||
                u > g->n || v < 1 || v > g->n) {
                fail(&s, "bad arc line; expected 'a U V LOW CAP COST' with node ids in 1..N");
                goto out;
            }
            if (lo != 0 || cap < 0) {
                fail(&s, "arc lower bound must be 0 and capacity >= 0");
                goto out;
            }
            g->from[m_read] = (int)(u - 1);
            g->to[m_read] = (int)(v - 1);
            g->cap[m_read] = cap;
            g->cost[m_read] = cost;
            m_read++;
        } else {
            fail(&s, "unknown line type; expected c, p, n or a");
            goto out;
        }
        next_line(&s);
    }
    if (!have_p) {
        fprintf(stderr, "%s: no 'p min N M' line\n", path);
        goto out;
    }
    if (m_read != g->m) {
        fprintf(stderr, "%s: 'p min' announced %lld arcs, file has %lld\n",
                path, (long long)g->m, (long long)m_read);
        goto out;
    }
    rc = 0;
out:
    free(buf);
    if (rc != 0)
        bench_net_free(g);
    return rc;
}

void bench_net_free(bench_net *g)
{
    free(g->supply);
    free(g->from);
    free(g->to);
    free(g->cap);
    free(g->cost);
    memset(g, 0, sizeof *g);
}

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Insertion sort: k is the repeat count, a handful at most. */
double bench_median(double *t, int k)
{
    for (int i = 1; i < k; i++) {
        double x = t[i];
        int j = i - 1;
        while (j >= 0 && t[j] > x) {
            t[j + 1] = t[j];
            j--;
        }
        t[j + 1] = x;
    }
    return (k % 2) ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2]);
}

int bench_repeats(int argc, char **argv, int pos)
{
    long r = 1;
    if (argc > pos) {
        r = strtol(argv[pos], NULL, 10);
        if (r < 1)
            r = 1;
        if (r > 100)
            r = 100;
    }
    return (int)r;
}

__int128 bench_objective(const bench_net *g, const int64_t *flow)
{
    __int128 sum = 0;
    for (int64_t i = 0; i < g->m; i++)
        sum += (__int128)flow[i] * g->cost[i];
    return sum;
}

int bench_check_flow(const char *name, const bench_net *g, const int64_t *flow)
{
    __int128 *excess = calloc((size_t)g->n, sizeof *excess);
    int rc = 0;

    if (!excess) {
        fprintf(stderr, "%s: out of memory checking the flow\n", name);
        return -1;
    }
    for (int64_t i = 0; i < g->m; i++) {
        if (flow[i] < 0 || flow[i] > g->cap[i]) {
            fprintf(stderr, "%s: arc %lld (%d -> %d) carries %lld, outside [0, %lld]\n",
                    name, (long long)i + 1, g->from[i] + 1, g->to[i] + 1,
                    (long long)flow[i], (long long)g->cap[i]);
            rc = -1;
            goto out;
        }
        excess[g->from[i]] += flow[i];
        excess[g->to[i]] -= flow[i];
    }
    for (int v = 0; v < g->n; v++)
        if (excess[v] != g->supply[v]) {
            fprintf(stderr, "%s: node %d: outflow - inflow is %lld, supply is %lld\n",
                    name, v + 1, (long long)excess[v], (long long)g->supply[v]);
            rc = -1;
            goto out;
        }
out:
    free(excess);
    return rc;
}

/* __int128 has no printf conversion: emit the digits by hand. */
void bench_print(const char *name, const char *status, __int128 objective,
                 double seconds)
{
    char digits[48];
    int k = 0;
    unsigned __int128 v = objective < 0 ? -(unsigned __int128)objective
                                        : (unsigned __int128)objective;
    do {
        digits[k++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v > 0);
    printf("%s %s ", name, status);
    if (objective < 0)
        putchar('-');
    while (k > 0)
        putchar(digits[--k]);
    printf(" %.6f\n", seconds);
    fflush(stdout);
}
