/*
** units.h — quantities with units as planners write them: "290万吨",
** "1.15 Mt", "350 kt", "12000 t", "4.5e6 m³". Everything converts to tonnes;
** volumes need the material's bulk density.
*/
#ifndef WP_UNITS_H
#define WP_UNITS_H

typedef enum {
    WP_UNIT_T = 0,      /* t, 吨, tonne(s) */
    WP_UNIT_KT,         /* kt, 千吨 */
    WP_UNIT_MT,         /* Mt, 百万吨 */
    WP_UNIT_WAN_T,      /* 万吨, wan_t, 10^4 t */
    WP_UNIT_M3,         /* m3, m³, 立方米, 方 */
    WP_UNIT_WAN_M3,     /* 万立方米, 万方, 万m³ */
    WP_UNIT_KM,         /* only for per-km demands: see wp_unit_parse_per_km */
    WP_UNIT_INVALID
} wp_unit;

/* Parse a unit name (surrounding whitespace ignored). WP_UNIT_INVALID if
** unknown. "" parses as WP_UNIT_INVALID too: the caller picks its default. */
wp_unit wp_unit_parse(const char *s);
const char *wp_unit_name(wp_unit u);

/* True when u measures volume (needs a density to become tonnes). */
int wp_unit_is_volume(wp_unit u);

/* Convert value in unit u to tonnes. density_t_m3 is used for volumes and
** ignored otherwise. */
double wp_unit_to_tonnes(double value, wp_unit u, double density_t_m3);

/* Parse a quantity such as "290万吨", "1.15Mt", " 3,500 t", "2e6": a decimal
** number (thousands commas allowed) optionally followed by a unit. When no
** unit is written, default_unit applies. On success stores tonnes in *tonnes
** and returns 0; returns -1 with a message in err for text that is not a
** number, an unknown unit, a negative, NaN or infinite value. */
int wp_quantity_parse(const char *text, wp_unit default_unit,
                      double density_t_m3, double *tonnes,
                      char *err, int errlen);

#endif
