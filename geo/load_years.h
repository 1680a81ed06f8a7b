/*
** load_years.h — the year data of a multi-year plan: re-reads the layers a
** model was loaded from (geo/load.c) for their year columns (start and end
** years, per-year series, growth, opening stock, storage cost, a mine's
** void over the horizon) and reads the [horizon], [storage] and [target]
** sections of the scenario. docs/scenario.md, "Plans over years", is the
** reference.
*/
#ifndef WP_LOAD_YEARS_H
#define WP_LOAD_YEARS_H

#include "geo.h"
#include "load.h"
#include "../planner/config.h"
#include "../planner/model.h"
#include "../planner/multiperiod.h"

/* The horizon: [horizon] start/end, else [scenario] years = 2025-2030.
** Returns 0, or -1 with a message naming the key in err. */
int wp_years_from_config(wp_config *cfg, int *year0, int *n_years,
                         char *err, int errlen);

/* Fill h (fresh from wp_horizon_init for m, sorted by id, with arcs or
** not) from the layers of m and the plan sections of cfg. Problems go to
** probs like wp_load_layers'; returns 0, or -1 when any is fatal (the first
** also in err). */
int wp_load_years(wp_geo *g, wp_config *cfg, const wp_model *m, wp_horizon *h,
                  wp_problems *probs, char *err, int errlen);

#endif
