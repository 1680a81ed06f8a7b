/*
** qgis_style.h — the default QGIS styles (QML documents, QGIS 3.x format)
** stored with the result GeoPackage in its layer_styles table, so that
** flows, sources and sinks open in QGIS already symbolised:
**   flows   — colour by material, line width by tonnes;
**   sources — colour by reason (delivered green, stranded red/orange),
**             marker area by supply, square for yards, circle for plants;
**   sinks   — colour by fill_pct (green < 50 %, yellow < 80 %, orange < 99 %,
**             red full, grey unlimited), one symbol per geometry type.
** Each style also carries the layer's field aliases, so QGIS shows the
** Chinese names even where it does not read gpkg_data_columns.
**
** The builders return malloc'd NUL-terminated UTF-8 XML, NULL on OOM; the
** caller frees it.
*/
#ifndef WP_QGIS_STYLE_H
#define WP_QGIS_STYLE_H

/* A field name and its display alias. */
typedef struct {
    const char *name;
    const char *alias;
} wp_qml_alias;

/* One category of a categorized renderer: attribute value, legend label,
** colour. */
typedef struct {
    const char *value;
    const char *label;
    int rgb[3];
} wp_qml_category;

/* Fixed colour for a material id: the built-in materials have their own
** colours; any other id gets one from a palette chosen by a hash of the id,
** so a material is drawn alike in every result. */
void wp_material_rgb(const char *material_id, int rgb[3]);

/* flows: one category per material (values are material ids); line width
** scales linearly from 0.3 mm at 0 t to 4 mm at max_tonnes. */
char *wp_qml_flows(const wp_qml_category *cats, int n_cats, double max_tonnes,
                   const wp_qml_alias *aliases, int n_aliases);

/* sources: categories by the reason field (wp_reason_str values); marker
** area proportional to supply_t, up to 8 mm at max_supply_t. */
char *wp_qml_sources(double max_supply_t,
                     const wp_qml_alias *aliases, int n_aliases);

/* sinks: rule-based, per geometry type, classes of fill_pct. */
char *wp_qml_sinks(const wp_qml_alias *aliases, int n_aliases);

/* Parks (siting candidates): built parks as large stars sized by capacity
** (up to max_cap_t), candidates not built as small grey dots. */
char *wp_qml_parks(double max_cap_t, const wp_qml_alias *aliases, int n_aliases);

#endif
