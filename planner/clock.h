/*
** clock.h — the monotonic clock every phase timing uses.
*/
#ifndef WP_CLOCK_H
#define WP_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: only differences mean anything. */
double wp_clock_seconds(void);

#endif
