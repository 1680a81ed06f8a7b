/*
** qgis_style.c — build the QML documents of qgis_style.h.
**
** The documents follow what QGIS 3.28 itself writes for "Save as QML":
** a <qgis> root holding <renderer-v2> (symbols as <symbol>/<layer> with
** properties in <Option type="Map"> trees) and <aliases>. Only the parts we
** set are written; QGIS fills everything else with its defaults on load.
** Data-defined symbol properties use QGIS's own property keys: "size" and
** "name" (shape) for markers, "outlineWidth" for line width.
**
** Numbers are formatted by fmt_num so the output does not depend on the
** process's LC_NUMERIC; every text that comes from data goes through
** sb_esc, so the result is well-formed XML for any UTF-8 name.
*/
#include "qgis_style.h"

#include "../planner/allocate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Growable string; oom latches so callers check once at the end. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

/* Make room for n more bytes plus the terminator. */
static int sb_reserve(sbuf *b, size_t n) {
    if (b->oom) return -1;
    if (b->len + n + 1 <= b->cap) return 0;
    size_t nc = b->cap ? b->cap : 4096;
    while (nc < b->len + n + 1) nc *= 2;
    char *p = realloc(b->s, nc);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->s = p;
    b->cap = nc;
    return 0;
}

static void sb_put(sbuf *b, const char *text) {
    size_t n = strlen(text);
    if (sb_reserve(b, n) < 0) return;
    memcpy(b->s + b->len, text, n + 1);
    b->len += n;
}

/* printf-append. Only for format text and numbers we produce ourselves:
** data strings go through sb_esc. */
static void sb_printf(sbuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if (sb_reserve(b, (size_t)n) < 0) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Append text escaped for an XML attribute value. */
static void sb_esc(sbuf *b, const char *text) {
    char one[2] = {0, 0};
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&': sb_put(b, "&amp;"); break;
        case '<': sb_put(b, "&lt;"); break;
        case '>': sb_put(b, "&gt;"); break;
        case '"': sb_put(b, "&quot;"); break;
        case '\'': sb_put(b, "&apos;"); break;
        case '\n': sb_put(b, "&#10;"); break;
        default:
            /* Other control characters are not allowed in XML 1.0. */
            if ((unsigned char)*p < 0x20 && *p != '\t') break;
            one[0] = *p;
            sb_put(b, one);
        }
    }
}

/* Return the finished string, or NULL (and free it) after an OOM. */
static char *sb_finish(sbuf *b) {
    if (b->oom || !b->s) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* %g with a '.' decimal point whatever the locale says. */
static const char *fmt_num(double v, char buf[32]) {
    snprintf(buf, 32, "%.6g", v);
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.';
    return buf;
}

/* One <Option type="QString" name=".." value=".."/>. */
static void opt_str(sbuf *b, const char *name, const char *value) {
    sb_printf(b, "<Option type=\"QString\" name=\"%s\" value=\"", name);
    sb_esc(b, value);
    sb_put(b, "\"/>");
}

static void opt_rgb(sbuf *b, const char *name, const int rgb[3], int alpha) {
    char v[48];
    snprintf(v, sizeof v, "%d,%d,%d,%d", rgb[0], rgb[1], rgb[2], alpha);
    opt_str(b, name, v);
}

/* <data_defined_properties> with n expression-based properties (type 3 is
** QgsProperty::ExpressionBasedProperty). n may be 0. */
static void sb_ddp(sbuf *b, int n, const char *const *keys,
                   const char *const *exprs) {
    sb_put(b, "<data_defined_properties><Option type=\"Map\">");
    opt_str(b, "name", "");
    if (n == 0) {
        sb_put(b, "<Option name=\"properties\"/>");
    } else {
        sb_put(b, "<Option type=\"Map\" name=\"properties\">");
        for (int i = 0; i < n; i++) {
            sb_printf(b, "<Option type=\"Map\" name=\"%s\">", keys[i]);
            sb_put(b, "<Option type=\"bool\" name=\"active\" value=\"true\"/>");
            opt_str(b, "expression", exprs[i]);
            sb_put(b, "<Option type=\"int\" name=\"type\" value=\"3\"/>");
            sb_put(b, "</Option>");
        }
        sb_put(b, "</Option>");
    }
    opt_str(b, "type", "collection");
    sb_put(b, "</Option></data_defined_properties>");
}

static void symbol_open(sbuf *b, const char *type, const char *name) {
    sb_printf(b, "<symbol type=\"%s\" name=\"", type);
    sb_esc(b, name);
    sb_put(b, "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\" "
              "is_animated=\"0\" frame_rate=\"10\">");
    sb_ddp(b, 0, NULL, NULL);
}

/* A line symbol; width_expr (may be NULL) overrides the width per feature. */
static void line_symbol(sbuf *b, const char *name, const int rgb[3],
                        double width_mm, const char *width_expr) {
    char num[32];
    symbol_open(b, "line", name);
    sb_put(b, "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">"
              "<Option type=\"Map\">");
    opt_str(b, "capstyle", "round");
    opt_str(b, "joinstyle", "round");
    opt_rgb(b, "line_color", rgb, 220);
    opt_str(b, "line_style", "solid");
    opt_str(b, "line_width", fmt_num(width_mm, num));
    opt_str(b, "line_width_unit", "MM");
    opt_str(b, "offset", "0");
    opt_str(b, "offset_unit", "MM");
    opt_str(b, "use_custom_dash", "0");
    sb_put(b, "</Option>");
    const char *key = "outlineWidth";
    sb_ddp(b, width_expr ? 1 : 0, &key, &width_expr);
    sb_put(b, "</layer></symbol>");
}

/* A simple marker; size_expr and shape_expr may be NULL. */
static void marker_symbol(sbuf *b, const char *name, const int rgb[3],
                          const char *shape, double size_mm,
                          const char *size_expr, const char *shape_expr) {
    char num[32];
    static const int outline[3] = {50, 50, 50};
    symbol_open(b, "marker", name);
    sb_put(b, "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
              "<Option type=\"Map\">");
    opt_str(b, "angle", "0");
    opt_rgb(b, "color", rgb, 230);
    opt_str(b, "horizontal_anchor_point", "1");
    opt_str(b, "joinstyle", "bevel");
    opt_str(b, "name", shape);
    opt_str(b, "offset", "0,0");
    opt_str(b, "offset_unit", "MM");
    opt_rgb(b, "outline_color", outline, 255);
    opt_str(b, "outline_style", "solid");
    opt_str(b, "outline_width", "0.2");
    opt_str(b, "outline_width_unit", "MM");
    opt_str(b, "scale_method", "diameter");
    opt_str(b, "size", fmt_num(size_mm, num));
    opt_str(b, "size_unit", "MM");
    opt_str(b, "vertical_anchor_point", "1");
    sb_put(b, "</Option>");
    const char *keys[2], *exprs[2];
    int n = 0;
    if (size_expr) {
        keys[n] = "size";
        exprs[n++] = size_expr;
    }
    if (shape_expr) {
        keys[n] = "name";
        exprs[n++] = shape_expr;
    }
    sb_ddp(b, n, keys, exprs);
    sb_put(b, "</layer></symbol>");
}

/* A solid fill with a darker outline of the same hue. */
static void fill_symbol(sbuf *b, const char *name, const int rgb[3]) {
    int dark[3] = {rgb[0] * 2 / 3, rgb[1] * 2 / 3, rgb[2] * 2 / 3};
    symbol_open(b, "fill", name);
    sb_put(b, "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">"
              "<Option type=\"Map\">");
    opt_str(b, "border_width_unit", "MM");
    opt_rgb(b, "color", rgb, 150);
    opt_str(b, "joinstyle", "bevel");
    opt_str(b, "offset", "0,0");
    opt_str(b, "offset_unit", "MM");
    opt_rgb(b, "outline_color", dark, 255);
    opt_str(b, "outline_style", "solid");
    opt_str(b, "outline_width", "0.4");
    opt_str(b, "outline_width_unit", "MM");
    opt_str(b, "style", "solid");
    sb_put(b, "</Option>");
    sb_ddp(b, 0, NULL, NULL);
    sb_put(b, "</layer></symbol>");
}

static void doc_open(sbuf *b) {
    sb_put(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
              "<qgis version=\"3.28.0-Firenze\" styleCategories=\"AllStyleCategories\" "
              "hasScaleBasedVisibilityFlag=\"0\" minScale=\"100000000\" maxScale=\"0\">\n");
}

/* Aliases, then the closing tags. geom_type: 0 point, 1 line, 2 polygon,
** -1 to leave it out (mixed geometry). Index counts QGIS's fields, where
** the GeoPackage fid is field 0. */
static void doc_close(sbuf *b, const wp_qml_alias *al, int n_al, int geom_type) {
    sb_put(b, "<aliases>\n");
    for (int i = 0; i < n_al; i++) {
        sb_put(b, "<alias field=\"");
        sb_esc(b, al[i].name);
        sb_printf(b, "\" index=\"%d\" name=\"", i + 1);
        sb_esc(b, al[i].alias);
        sb_put(b, "\"/>\n");
    }
    sb_put(b, "</aliases>\n<blendMode>0</blendMode>\n"
              "<featureBlendMode>0</featureBlendMode>\n<layerOpacity>1</layerOpacity>\n");
    if (geom_type >= 0)
        sb_printf(b, "<layerGeometryType>%d</layerGeometryType>\n", geom_type);
    sb_put(b, "</qgis>\n");
}

/* Colours for the built-in materials: distinct hues that read on a light
** base map; red mud is red, gangue near-black, fly ash blue. */
static const struct {
    const char *id;
    int rgb[3];
} material_colours[] = {
    {"red_mud", {190, 30, 45}},       {"titanium_gypsum", {117, 112, 179}},
    {"fly_ash", {31, 120, 180}},      {"coal_gangue", {60, 60, 60}},
    {"fgd_gypsum", {51, 160, 44}},    {"smelting_slag", {255, 127, 0}},
};

static const int palette[][3] = {
    {166, 86, 40},  {247, 129, 191}, {0, 150, 150},  {152, 78, 163},
    {228, 26, 28},  {77, 175, 74},   {55, 126, 184}, {202, 178, 0},
    {140, 81, 10},  {1, 102, 94},    {197, 27, 125}, {90, 90, 160},
};

void wp_material_rgb(const char *material_id, int rgb[3]) {
    const char *id = material_id ? material_id : "";
    for (size_t i = 0; i < sizeof material_colours / sizeof *material_colours; i++)
        if (strcmp(material_colours[i].id, id) == 0) {
            memcpy(rgb, material_colours[i].rgb, 3 * sizeof(int));
            return;
        }
    /* FNV-1a: stable across runs and platforms, unlike pointer values. */
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    memcpy(rgb, palette[h % (sizeof palette / sizeof *palette)], 3 * sizeof(int));
}

/* Write a categorized renderer on attr: one category and one symbol per
** entry; emit(b, i, name) writes symbol i. */
static void categorized(sbuf *b, const char *attr, const wp_qml_category *cats,
                        int n, void (*emit)(sbuf *, int, const char *, void *),
                        void *ud) {
    char name[16];
    sb_printf(b, "<renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" "
                 "forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" "
                 "referencescale=\"-1\">\n<categories>\n", attr);
    for (int i = 0; i < n; i++) {
        sb_printf(b, "<category symbol=\"%d\" value=\"", i);
        sb_esc(b, cats[i].value);
        sb_put(b, "\" label=\"");
        sb_esc(b, cats[i].label);
        sb_printf(b, "\" render=\"true\" type=\"string\" "
                     "uuid=\"{c0a7e90e-0000-4000-8000-%012d}\"/>\n", i);
    }
    sb_put(b, "</categories>\n<symbols>\n");
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%d", i);
        emit(b, i, name, ud);
        sb_put(b, "\n");
    }
    sb_put(b, "</symbols>\n<source-symbol>");
    emit(b, -1, "0", ud);
    sb_put(b, "</source-symbol>\n<rotation/>\n<sizescale/>\n</renderer-v2>\n");
}

/* State for the flows symbols. */
typedef struct {
    const wp_qml_category *cats;
    const char *width_expr;
} flows_ud;

static void emit_flow(sbuf *b, int i, const char *name, void *ud) {
    const flows_ud *f = ud;
    static const int grey[3] = {120, 120, 120};
    line_symbol(b, name, i >= 0 ? f->cats[i].rgb : grey, 0.6, f->width_expr);
}

/* Flows: categorized by material (fixed colour per material id), and the
** line width of every category data-defined by tonnes with
** scale_linear("tonnes", 0, max, 0.3, 4) mm. This keeps one legend entry
** per material while thick lines still show the big flows; a graduated
** renderer could show only one of the two. */
char *wp_qml_flows(const wp_qml_category *cats, int n_cats, double max_tonnes,
                   const wp_qml_alias *aliases, int n_aliases) {
    char num[32], expr[160];
    if (!(max_tonnes > 0)) max_tonnes = 1;
    snprintf(expr, sizeof expr,
             "coalesce(scale_linear(\"tonnes\", 0, %s, 0.3, 4), 0.3)",
             fmt_num(max_tonnes, num));
    flows_ud ud = {cats, expr};
    sbuf b = {0};
    doc_open(&b);
    categorized(&b, "material", cats, n_cats, emit_flow, &ud);
    doc_close(&b, aliases, n_aliases, 1);
    return sb_finish(&b);
}

/* State for the sources symbols. */
typedef struct {
    const wp_qml_category *cats;
    const char *size_expr;
} sources_ud;

static void emit_source(sbuf *b, int i, const char *name, void *ud) {
    const sources_ud *s = ud;
    static const int grey[3] = {120, 120, 120};
    marker_symbol(b, name, i >= 0 ? s->cats[i].rgb : grey, "circle", 3,
                  s->size_expr,
                  "CASE WHEN \"kind\" = 'yard' THEN 'square' ELSE 'circle' END");
}

/* Sources: categorized by reason. Marker size uses scale_exp with
** exponent 0.5 so the symbol's area, not its diameter, is proportional to
** supply, which is how readers compare circles. */
char *wp_qml_sources(double max_supply_t,
                     const wp_qml_alias *aliases, int n_aliases) {
    static const struct {
        wp_reason reason;
        int rgb[3];
    } reasons[] = {
        {WP_REASON_NONE, {26, 150, 65}},
        {WP_REASON_UNECONOMIC, {253, 174, 97}},
        {WP_REASON_OUT_OF_REACH, {244, 109, 67}},
        {WP_REASON_SITES_FULL, {215, 48, 39}},
        {WP_REASON_NOT_ACCEPTED, {165, 0, 38}},
    };
    enum { N = sizeof reasons / sizeof *reasons };
    wp_qml_category cats[N];
    char labels[N][160];
    for (int i = 0; i < N; i++) {
        snprintf(labels[i], sizeof labels[i], "%s (%s)",
                 wp_reason_zh(reasons[i].reason), wp_reason_str(reasons[i].reason));
        cats[i].value = wp_reason_str(reasons[i].reason);
        cats[i].label = labels[i];
        memcpy(cats[i].rgb, reasons[i].rgb, sizeof cats[i].rgb);
    }
    char num[32], expr[160];
    if (!(max_supply_t > 0)) max_supply_t = 1;
    snprintf(expr, sizeof expr,
             "coalesce(scale_exp(\"supply_t\", 0, %s, 1.5, 8, 0.5), 1.5)",
             fmt_num(max_supply_t, num));
    sources_ud ud = {cats, expr};
    sbuf b = {0};
    doc_open(&b);
    categorized(&b, "reason", cats, N, emit_source, &ud);
    doc_close(&b, aliases, n_aliases, 0);
    return sb_finish(&b);
}

/* Sinks: a GEOMETRY layer may hold points, lines and polygons, so the
** renderer is rule-based: one parent rule per geometry type (no symbol of
** its own), each with the same fill_pct classes as children. */
char *wp_qml_sinks(const wp_qml_alias *aliases, int n_aliases) {
    static const struct {
        const char *filter, *label;
        int rgb[3];
    } classes[] = {
        {"\"fill_pct\" IS NULL", "不限量 unlimited", {130, 130, 130}},
        {"\"fill_pct\" < 50", "< 50 %", {26, 150, 65}},
        {"\"fill_pct\" >= 50 AND \"fill_pct\" < 80", "50–80 %", {240, 210, 40}},
        {"\"fill_pct\" >= 80 AND \"fill_pct\" < 99", "80–99 %", {253, 141, 60}},
        {"\"fill_pct\" >= 99", "≥ 99 % 已满 full", {215, 25, 28}},
    };
    static const struct {
        const char *type, *label;
    } geoms[] = {
        {"Polygon", "面 polygon"}, {"Line", "线 line"}, {"Point", "点 point"},
    };
    enum { NC = sizeof classes / sizeof *classes, NG = sizeof geoms / sizeof *geoms };
    char name[16], filter[96];
    int key = 0;
    sbuf b = {0};
    doc_open(&b);
    sb_put(&b, "<renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" "
               "symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\">\n");
    sb_printf(&b, "<rules key=\"{5a1c0000-0000-4000-8000-%012d}\">\n", key++);
    for (int g = 0; g < NG; g++) {
        snprintf(filter, sizeof filter, "geometry_type($geometry) = '%s'",
                 geoms[g].type);
        sb_printf(&b, "<rule key=\"{5a1c0000-0000-4000-8000-%012d}\" filter=\"", key++);
        sb_esc(&b, filter);
        sb_put(&b, "\" label=\"");
        sb_esc(&b, geoms[g].label);
        sb_put(&b, "\">\n");
        for (int c = 0; c < NC; c++) {
            sb_printf(&b, "<rule key=\"{5a1c0000-0000-4000-8000-%012d}\" "
                          "symbol=\"%d\" filter=\"", key++, g * NC + c);
            sb_esc(&b, classes[c].filter);
            sb_put(&b, "\" label=\"");
            sb_esc(&b, classes[c].label);
            sb_put(&b, "\"/>\n");
        }
        sb_put(&b, "</rule>\n");
    }
    sb_put(&b, "</rules>\n<symbols>\n");
    for (int g = 0; g < NG; g++)
        for (int c = 0; c < NC; c++) {
            snprintf(name, sizeof name, "%d", g * NC + c);
            if (g == 0)
                fill_symbol(&b, name, classes[c].rgb);
            else if (g == 1)
                line_symbol(&b, name, classes[c].rgb, 1.4, NULL);
            else
                marker_symbol(&b, name, classes[c].rgb, "diamond", 4, NULL, NULL);
            sb_put(&b, "\n");
        }
    sb_put(&b, "</symbols>\n</renderer-v2>\n");
    doc_close(&b, aliases, n_aliases, -1);
    return sb_finish(&b);
}

/* Parks: a rule-based renderer on the built flag. */
char *wp_qml_parks(double max_cap_t, const wp_qml_alias *aliases, int n_aliases) {
    static const int grey[3] = {150, 150, 150}, orange[3] = {230, 85, 13};
    char num[32], expr[160];
    snprintf(expr, sizeof expr, "scale_linear(\"capacity_t\", 0, %s, 4, 10)",
             fmt_num(max_cap_t > 0 ? max_cap_t : 1, num));
    sbuf b = {0};
    doc_open(&b);
    sb_put(&b, "<renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" symbollevels=\"0\" "
               "enableorderby=\"0\" referencescale=\"-1\">\n"
               "<rules key=\"{5a1c0000-0000-4000-9000-000000000000}\">\n"
               "<rule key=\"{5a1c0000-0000-4000-9000-000000000001}\" symbol=\"0\" "
               "filter=\"&quot;built&quot; = 0\" label=\"候选点（未选） candidate\"/>\n"
               "<rule key=\"{5a1c0000-0000-4000-9000-000000000002}\" symbol=\"1\" "
               "filter=\"&quot;built&quot; = 1\" label=\"新建园区 new park\"/>\n"
               "</rules>\n<symbols>\n");
    marker_symbol(&b, "0", grey, "circle", 1.6, NULL, NULL);
    sb_put(&b, "\n");
    marker_symbol(&b, "1", orange, "star", 6, expr, NULL);
    sb_put(&b, "\n</symbols>\n</renderer-v2>\n");
    doc_close(&b, aliases, n_aliases, 0);
    return sb_finish(&b);
}
