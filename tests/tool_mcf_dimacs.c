/*
** tool_mcf_dimacs.c — solve a DIMACS min-cost-flow file with the planner's
** network simplex; the driver behind tests/oracle_mincostflow.py.
**
** Usage: tool_mcf_dimacs [-f] FILE
**   Input lines: "c ..." comment, "p min N M", "n ID SUPPLY" (ID 1-based),
**   "a U V LOW CAP COST" (LOW must be 0). Prints one line
**       STATUS OBJECTIVE PIVOTS SECONDS
**   (STATUS is optimal/infeasible/unbounded/bad_input/out_of_memory,
**   OBJECTIVE printed with %.17g). With -f it then prints "f I FLOW" for
**   every arc (0-based, in file order) and "p V POTENTIAL" for every node
**   (1-based, as in the file).
** Exit status: 0 when a status was printed, 1 on unreadable input.
*/
#include "../planner/mincostflow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Wall-clock seconds from a monotonic clock. */
static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Status name without spaces, for one-token parsing by the oracle. */
static const char *status_token(wp_mcf_status s) {
    switch (s) {
    case WP_MCF_OPTIMAL: return "optimal";
    case WP_MCF_INFEASIBLE: return "infeasible";
    case WP_MCF_UNBOUNDED: return "unbounded";
    case WP_MCF_BAD_INPUT: return "bad_input";
    case WP_MCF_NOMEM: return "out_of_memory";
    }
    return "unknown";
}

/* Read FILE into a new problem; NULL (after a message naming the line) on
** any malformed line. */
static wp_mcf *read_dimacs(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "tool_mcf_dimacs: cannot open %s\n", path);
        return NULL;
    }
    wp_mcf *p = NULL;
    char line[512];
    long lineno = 0;
    int ok = 1;
    while (ok && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == 'c' || line[0] == '\n' || line[0] == '\r') continue;
        if (line[0] == 'p') {
            long n = 0, m = 0;
            if (p || sscanf(line, "p min %ld %ld", &n, &m) != 2 || n < 0 ||
                n > (1L << 24) || m < 0) {
                ok = 0;
            } else if (!(p = wp_mcf_new((int)n, m))) {
                fprintf(stderr, "tool_mcf_dimacs: out of memory\n");
                fclose(f);
                return NULL;
            }
        } else if (line[0] == 'n' && p) {
            long id;
            int64_t b;
            if (sscanf(line, "n %ld %" SCNd64, &id, &b) != 2 || id < 1 ||
                id > wp_mcf_node_count(p))
                ok = 0;
            else
                wp_mcf_set_supply(p, (int)(id - 1), b);
        } else if (line[0] == 'a' && p) {
            long u, v;
            int64_t low, cap, cost;
            if (sscanf(line, "a %ld %ld %" SCNd64 " %" SCNd64 " %" SCNd64,
                       &u, &v, &low, &cap, &cost) != 5 || low != 0 ||
                u < 1 || v < 1 || u > wp_mcf_node_count(p) ||
                v > wp_mcf_node_count(p) ||
                wp_mcf_add_arc(p, (int)(u - 1), (int)(v - 1), cap, cost) < 0)
                ok = 0;
        } else {
            ok = 0;
        }
    }
    fclose(f);
    if (!ok || !p) {
        fprintf(stderr, "tool_mcf_dimacs: %s line %ld: bad or unexpected "
                "line (need 'p min N M' first, then 'n ID SUPPLY' and "
                "'a U V 0 CAP COST')\n", path, lineno);
        wp_mcf_free(p);
        return NULL;
    }
    return p;
}

int main(int argc, char **argv) {
    int full = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0) full = 1;
        else path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: tool_mcf_dimacs [-f] FILE\n");
        return 1;
    }
    wp_mcf *p = read_dimacs(path);
    if (!p) return 1;
    double t0 = now_seconds();
    wp_mcf_status st = wp_mcf_solve(p);
    double secs = now_seconds() - t0;
    printf("%s %.17g %" PRId64 " %.6f\n", status_token(st),
           wp_mcf_total_cost(p), wp_mcf_pivots(p), secs);
    if (full) {
        for (int64_t j = 0; j < wp_mcf_arc_count(p); j++)
            printf("f %" PRId64 " %" PRId64 "\n", j, wp_mcf_flow(p, j));
        for (int v = 0; v < wp_mcf_node_count(p); v++)
            printf("p %d %" PRId64 "\n", v + 1, wp_mcf_potential(p, v));
    }
    wp_mcf_free(p);
    return 0;
}
