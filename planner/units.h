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
    WP_UNIT_KM,         /* km, 公里: only as the "per km" of a demand, see
                           wp_quantity_parse_per_km; never a quantity */
    WP_UNIT_INVALID
} wp_unit;

/* Parse a unit name (surrounding whitespace ignored). WP_UNIT_INVALID if
** unknown. "" parses as WP_UNIT_INVALID too: the caller picks its default.
** ASCII letters are case-insensitive, so "mt" and "MT" mean Mt (megatonnes):
** nobody plans waste in milli-tonnes. A per-year suffix is accepted and
** ignored ("万吨/年", "t/a", "kt/yr"), because every quantity in a scenario is
** already per year or a stock. Accepted spellings:
**   t: t 吨 tonne tonnes ton tons        kt: kt 千吨       Mt: Mt 百万吨
**   万吨: 万吨 万t wan_t                   m³: m3 m³ m^3 立方米 方
**   万m³: 万方 万立方米 万m3 万m³ wan_m3     km: km 公里 */
wp_unit wp_unit_parse(const char *s);
const char *wp_unit_name(wp_unit u);

/* True when u measures volume (needs a density to become tonnes). */
int wp_unit_is_volume(wp_unit u);

/* Convert value in unit u to tonnes. density_t_m3 is used for volumes and
** ignored otherwise. NaN for WP_UNIT_KM and WP_UNIT_INVALID, which are not
** amounts of material. */
double wp_unit_to_tonnes(double value, wp_unit u, double density_t_m3);

/* Parse a quantity such as "290万吨", "1.15Mt", " 3,500 t", "2e6": a decimal
** number (thousands commas allowed) optionally followed by a unit. When no
** unit is written, default_unit applies. On success stores tonnes in *tonnes
** and returns 0; returns -1 with a message in err for text that is not a
** number, an unknown unit, a negative, NaN or infinite value, two numbers,
** trailing text, a volume without a positive density, or more than 1e10 t
** (10 Gt: a wrong unit, not a real quantity). */
int wp_quantity_parse(const char *text, wp_unit default_unit,
                      double density_t_m3, double *tonnes,
                      char *err, int errlen);

/* Like wp_quantity_parse for a demand per km of road: "3.8 kt/km",
** "3800 t/公里", "0.38万吨每公里", or a quantity without the "/km" (the field
** already says per km). Stores tonnes per km. */
int wp_quantity_parse_per_km(const char *text, wp_unit default_unit,
                             double density_t_m3, double *t_per_km,
                             char *err, int errlen);

/* Parse text that is exactly one decimal number (surrounding whitespace
** allowed): optional sign, digits with optional thousands commas ("3,500"),
** optional fraction and exponent. No hex, no "inf"/"nan", no trailing text.
** Returns 0 and stores the finite value, or -1. Independent of the locale. */
int wp_number_parse(const char *text, double *out);

#endif
