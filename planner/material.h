/*
** material.h — the waste materials a scenario knows, with their physical and
** cost parameters. Built-in materials carry the defaults of the domain brief
** (docs/scenario.md lists them); a scenario may override any parameter or
** define further materials.
*/
#ifndef WP_MATERIAL_H
#define WP_MATERIAL_H

#define WP_MAX_MATERIALS 32
#define WP_MATERIAL_ID_MAX 32

typedef struct {
    char id[WP_MATERIAL_ID_MAX];      /* ascii id: "red_mud" */
    char name_zh[64];                 /* UTF-8 Chinese name: "赤泥" */
    char aliases[256];                /* further accepted names, '|' separated, UTF-8 */
    double density_t_m3;              /* bulk density, t per m3 */
    double max_haul_km;               /* road haul limit */
    double road_rate;                 /* yuan per t*km */
    double handling;                  /* yuan per t (load + unload) */
    double unallocated_cost;          /* yuan per t left unallocated (stockpiling + tax) */
    double co2_kg_per_tkm;            /* kg CO2 per t*km */
} wp_material;

typedef struct {
    int count;
    wp_material m[WP_MAX_MATERIALS];
} wp_materials;

/* Fill *ms with the built-in materials and their default parameters. */
void wp_materials_init_defaults(wp_materials *ms);

/* Index of the material named by id, Chinese name or alias (case-insensitive
** for ascii, surrounding whitespace ignored, '-' and ' ' count as '_', so
** "Red Mud" and "red-mud" find red_mud); -1 when unknown. */
int wp_materials_find(const wp_materials *ms, const char *name);

/* Add a new material with the given id (parameters copied from the generic
** defaults); returns its index, or -1 when the table is full or the id is
** not a valid identifier. Returns the existing index if the id is known
** (as any of a material's names). The id is normalised like a lookup, then
** must be [a-z][a-z0-9_]*, shorter than WP_MATERIAL_ID_MAX. A new material's
** name_zh is its id and its density is 0 (unknown): volumes of it do not
** convert to tonnes until the scenario sets a density. */
int wp_materials_add(wp_materials *ms, const char *id);

/* Set parameter `key` (density, max_haul_km, road_rate, handling,
** unallocated_cost, co2_kg_per_tkm, name_zh, aliases) of material i from
** text. Returns 0, or -1 with a message in err (size errlen) when the key is
** unknown (the message lists the valid keys) or the value is not a number
** in its range: density (0.1, 5] t/m³, max_haul_km (0, 5000], road_rate
** [0, 100], handling [0, 10000], unallocated_cost [0, 1e6],
** co2_kg_per_tkm [0, 10]; name_zh and aliases non-empty and fitting their
** fields. On failure *m is unchanged. */
int wp_material_set(wp_material *m, const char *key, const char *value,
                    char *err, int errlen);

#endif
