/*
** dimacs.h — the small shared reader and timing helpers used by every
** benchmark driver in bench/: load a DIMACS min-cost flow file into plain
** arrays, read the monotonic clock, take a median, print an exact 128-bit
** objective. Each driver converts these arrays into its own solver's form.
*/
#ifndef BENCH_DIMACS_H
#define BENCH_DIMACS_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A min-cost flow instance: nodes 0..n-1 (the file's ids minus one), arcs
** in file order. Lower bounds are always 0 (the reader rejects others).
** Owns every array; free with bench_net_free. */
typedef struct {
    int n;
    int64_t m;
    int64_t *supply;     /* n entries, > 0 source, < 0 demand */
    int *from, *to;      /* m entries each */
    int64_t *cap;        /* m entries, >= 0 */
    int64_t *cost;       /* m entries */
} bench_net;

/* Read path into *g. Returns 0, or -1 after printing one message naming the
** file, the line and what is wrong to stderr. */
int bench_read_dimacs(const char *path, bench_net *g);
void bench_net_free(bench_net *g);

/* Seconds on CLOCK_MONOTONIC (arbitrary origin). */
double bench_now(void);

/* Median of t[0..k-1] (sorts t in place); k >= 1. */
double bench_median(double *t, int k);

/* Parse the optional repeat count argument (default 1, clamped to 1..100). */
int bench_repeats(int argc, char **argv, int pos);

/* The exact objective sum(flow*cost), given each arc's integer flow. */
__int128 bench_objective(const bench_net *g, const int64_t *flow);

/* Check that flow is feasible for g: 0 <= flow <= cap on every arc and
** outflow - inflow == supply at every node. Returns 0, or -1 after printing
** the first violation to stderr (prefixed by name). A solver's objective
** only counts when its flow passes. */
int bench_check_flow(const char *name, const bench_net *g, const int64_t *flow);

/* Print the driver's one result line: "name status objective seconds". */
void bench_print(const char *name, const char *status, __int128 objective,
                 double seconds);

#ifdef __cplusplus
}
#endif

#endif
