/*
** generate.h — deterministic random regions for benchmarks and tests:
** producers and consuming sites scattered uniformly over a square, with
** outputs and capacities of realistic magnitude. The same parameters and
** seed always give the same model, on any machine.
*/
#ifndef WP_GENERATE_H
#define WP_GENERATE_H

#include <stdint.h>
#include "model.h"

typedef struct {
    int n_sources, n_sinks;
    double region_km;        /* side of the square */
    double lon0, lat0;       /* its centre */
    int n_materials;         /* how many built-in materials are used, 1..6 */
    double capacity_ratio;   /* total sink capacity / total supply */
    uint64_t seed;
} wp_gen_params;

/* Default parameters: 1,000 sources, 100 sinks, 300 km around 34N 113E. */
void wp_gen_defaults(wp_gen_params *p);

/* Fill the empty model m with generated sources and sinks (no arcs).
** Returns 0, -1 on bad parameters or out of memory. */
int wp_generate(wp_model *m, const wp_gen_params *p);

/* The generator's random numbers (splitmix64), exposed for tests. */
uint64_t wp_rand_next(uint64_t *state);
double wp_rand_uniform(uint64_t *state);   /* in [0, 1) */

#endif
