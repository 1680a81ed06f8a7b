/*
** roadnet.c — build a road network from an OGR line layer or from a
** generator (see roadnet.h).
**
** Nodes are road vertices, found again by their coordinates rounded to
** 1e-7 degree (OSM's own precision) in an open-addressing hash table, so
** OSM ways that share a node are joined without any noding step. Each pair
** of consecutive vertices is a segment whose length is the geodesic
** distance of its ends; a segment gives one directed arc per allowed
** direction. finish() counts arcs per node and lays them out in CSR order
** (forward by tail, reverse by head) with two counting passes, so the graph
** costs a few arrays of n_arcs numbers and nothing per source. The CSR
** arrays number nodes along a Hilbert curve (search_order) rather than in
** the order they were added, which keeps a search's working set compact in
** memory; everything else keeps the builder's node ids.
*/
#include "roadnet.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>

struct wp_roadnet_builder {
    int dedupe;
    int n_nodes, cap_nodes;
    double *lon, *lat;
    uint64_t *hkey;        /* hash slots: packed key + 1 (0 = empty) */
    int *hval;
    size_t hcap;           /* power of two */
    int n_segs, cap_segs;
    int *u, *v;
    double *mult;
    signed char *dir;
};

static int set_err(char *err, int errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen > 0) vsnprintf(err, (size_t)errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* The OSM highway classes a lorry may use, with a cost multiplier (1: a
** km is a km) and a typical speed for travel-time costs. Anything else
** (footway, cycleway, path, steps, track, construction, ...) is left out. */
static const struct { const char *cls; double mult, speed; } road_classes[] = {
    {"motorway", 1.0, 100}, {"motorway_link", 1.0, 60},
    {"trunk", 1.0, 80},     {"trunk_link", 1.0, 50},
    {"primary", 1.0, 60},   {"primary_link", 1.0, 40},
    {"secondary", 1.0, 50}, {"secondary_link", 1.0, 40},
    {"tertiary", 1.0, 40},  {"tertiary_link", 1.0, 30},
    {"unclassified", 1.0, 30}, {"residential", 1.0, 25},
    {"living_street", 1.0, 10}, {"service", 1.0, 15}, {"road", 1.0, 30},
};

int wp_road_class_default(const char *cls, double *mult, double *speed_kmh) {
    for (size_t i = 0; i < sizeof road_classes / sizeof road_classes[0]; i++)
        if (cls && !strcmp(cls, road_classes[i].cls)) {
            if (mult) *mult = road_classes[i].mult;
            if (speed_kmh) *speed_kmh = road_classes[i].speed;
            return 1;
        }
    return 0;
}

/* ---- builder ---- */

wp_roadnet_builder *wp_roadnet_builder_new(int dedupe) {
    wp_roadnet_builder *b = calloc(1, sizeof *b);
    if (b) b->dedupe = dedupe;
    return b;
}

void wp_roadnet_builder_free(wp_roadnet_builder *b) {
    if (!b) return;
    free(b->lon); free(b->lat); free(b->hkey); free(b->hval);
    free(b->u); free(b->v); free(b->mult); free(b->dir);
    free(b);
}

static uint64_t coord_key(double lon, double lat) {
    uint64_t x = (uint64_t)(int64_t)llround((lon + 360.0) * 1e7);
    uint64_t y = (uint64_t)(int64_t)llround((lat + 180.0) * 1e7);
    return (x << 32) ^ y;     /* both fit in 33 bits; collisions are checked */
}

static size_t hash_slot(uint64_t k, size_t cap) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33;
    return (size_t)k & (cap - 1);
}

/* Double the hash table; 0 or -1 on OOM. */
static int rehash(wp_roadnet_builder *b) {
    size_t nc = b->hcap ? b->hcap * 2 : 1024;
    uint64_t *nk = calloc(nc, sizeof *nk);
    int *nv = malloc(nc * sizeof *nv);
    if (!nk || !nv) { free(nk); free(nv); return -1; }
    for (size_t i = 0; i < b->hcap; i++) {
        if (!b->hkey[i]) continue;
        size_t s = hash_slot(b->hkey[i] - 1, nc);
        while (nk[s]) s = (s + 1) & (nc - 1);
        nk[s] = b->hkey[i];
        nv[s] = b->hval[i];
    }
    free(b->hkey); free(b->hval);
    b->hkey = nk; b->hval = nv; b->hcap = nc;
    return 0;
}

static int grow_to(void **p, int *cap, int need, size_t sz) {
    if (need <= *cap) return 0;
    int nc = *cap ? *cap : 1024;
    while (nc < need) {
        if (nc > INT32_MAX / 2) return -1;
        nc *= 2;
    }
    void *q = realloc(*p, (size_t)nc * sz);
    if (!q) return -1;
    *p = q;
    *cap = nc;
    return 0;
}

int wp_roadnet_builder_node(wp_roadnet_builder *b, double lon, double lat) {
    if (!isfinite(lon) || !isfinite(lat)) return -1;
    uint64_t k = coord_key(lon, lat);
    size_t s = 0;
    if (b->dedupe) {
        if ((size_t)(b->n_nodes + 1) * 2 > b->hcap && rehash(b) < 0) return -1;
        s = hash_slot(k, b->hcap);
        while (b->hkey[s]) {
            if (b->hkey[s] == k + 1) return b->hval[s];
            s = (s + 1) & (b->hcap - 1);
        }
    }
    int c1 = b->cap_nodes, c2 = b->cap_nodes;
    if (grow_to((void **)&b->lon, &c1, b->n_nodes + 1, sizeof(double)) < 0 ||
        grow_to((void **)&b->lat, &c2, b->n_nodes + 1, sizeof(double)) < 0)
        return -1;
    b->cap_nodes = c1 < c2 ? c1 : c2;
    int id = b->n_nodes++;
    b->lon[id] = lon;
    b->lat[id] = lat;
    if (b->dedupe) {
        b->hkey[s] = k + 1;
        b->hval[s] = id;
    }
    return id;
}

int wp_roadnet_builder_segment(wp_roadnet_builder *b, int u, int v,
                               double mult, int dir) {
    if (u < 0 || v < 0 || u >= b->n_nodes || v >= b->n_nodes ||
        !(mult > 0) || !isfinite(mult) || dir < -1 || dir > 1)
        return -1;
    if (u == v) return 0;
    int need = b->n_segs + 1, c = b->cap_segs;
    int c1 = c, c2 = c, c3 = c, c4 = c;
    if (grow_to((void **)&b->u, &c1, need, sizeof(int)) < 0 ||
        grow_to((void **)&b->v, &c2, need, sizeof(int)) < 0 ||
        grow_to((void **)&b->mult, &c3, need, sizeof(double)) < 0 ||
        grow_to((void **)&b->dir, &c4, need, 1) < 0)
        return -1;
    b->cap_segs = c1;
    if (c2 < b->cap_segs) b->cap_segs = c2;
    if (c3 < b->cap_segs) b->cap_segs = c3;
    if (c4 < b->cap_segs) b->cap_segs = c4;
    b->u[b->n_segs] = u;
    b->v[b->n_segs] = v;
    b->mult[b->n_segs] = mult;
    b->dir[b->n_segs] = (signed char)dir;
    b->n_segs++;
    return 0;
}

void wp_roadnet_free(wp_roadnet *n) {
    if (!n) return;
    free(n->lon); free(n->lat);
    free(n->seg_u); free(n->seg_v); free(n->seg_len); free(n->seg_w_uv); free(n->seg_w_vu);
    free(n->fwd_off); free(n->fwd_head); free(n->fwd_w); free(n->fwd_len);
    free(n->rev_off); free(n->rev_tail); free(n->rev_w); free(n->rev_len);
    free(n->order); free(n->node_at);
    free(n);
}

size_t wp_roadnet_bytes(const wp_roadnet *n) {
    return (size_t)n->n_nodes * (2 * sizeof(double) + 4 * sizeof(int)) +
           (size_t)n->n_segs * (2 * sizeof(int) + 3 * sizeof(double)) +
           (size_t)n->n_arcs * 2 * (sizeof(int) + 2 * sizeof(double));
}

/* Lay one direction out in CSR form: arcs grouped by key[] (tail for the
** forward graph, head for the reverse), other[] the far end. */
static int layout(int n_nodes, int n_arcs, const int *key, const int *other,
                  const double *w, const double *len, int **off_out,
                  int **oth_out, double **w_out, double **len_out) {
    int *off = calloc((size_t)n_nodes + 1, sizeof *off);
    int *oth = malloc((size_t)(n_arcs ? n_arcs : 1) * sizeof *oth);
    double *ww = malloc((size_t)(n_arcs ? n_arcs : 1) * sizeof *ww);
    double *ll = malloc((size_t)(n_arcs ? n_arcs : 1) * sizeof *ll);
    if (!off || !oth || !ww || !ll) {
        free(off); free(oth); free(ww); free(ll);
        return -1;
    }
    for (int i = 0; i < n_arcs; i++) off[key[i] + 1]++;
    for (int x = 0; x < n_nodes; x++) off[x + 1] += off[x];
    int *pos = malloc((size_t)(n_nodes ? n_nodes : 1) * sizeof *pos);
    if (!pos) {
        free(off); free(oth); free(ww); free(ll);
        return -1;
    }
    memcpy(pos, off, (size_t)n_nodes * sizeof *pos);
    for (int i = 0; i < n_arcs; i++) {
        int p = pos[key[i]]++;
        oth[p] = other[i];
        ww[p] = w[i];
        ll[p] = len[i];
    }
    free(pos);
    *off_out = off; *oth_out = oth; *w_out = ww; *len_out = ll;
    return 0;
}

/* Position of cell (x, y) along a Hilbert curve filling a 2^16 x 2^16
** grid (the classic rotate-and-flip walk from the top quadrant down). */
static uint64_t hilbert_d(unsigned x, unsigned y) {
    uint64_t d = 0;
    for (unsigned s = 1u << 15; s > 0; s >>= 1) {
        unsigned rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            unsigned t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

/* Search order of the nodes: sorted by Hilbert position of their
** coordinates in the network's bounding box (ties by builder id, so the
** order is deterministic). Fills n->order and n->node_at; -1 on OOM.
** The sort is a stable two-pass radix sort on the 32-bit curve position
** (16 bits a pass), linear in the node count.
** A bounded search settles a disc of the map; along the curve a disc is a
** few long runs of indices, so its labels and arcs fill whole cache lines
** and pages instead of one line per node of every grid row it crosses. */
static int search_order(wp_roadnet *n) {
    size_t nn = (size_t)(n->n_nodes ? n->n_nodes : 1);
    n->order = malloc(nn * sizeof *n->order);
    n->node_at = malloc(nn * sizeof *n->node_at);
    uint32_t *key = malloc(nn * sizeof *key);
    size_t *cnt = calloc(65536, sizeof *cnt);
    if (!n->order || !n->node_at || !key || !cnt) {
        free(key);
        free(cnt);
        return -1;
    }
    double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (int x = 0; x < n->n_nodes; x++) {
        if (n->lon[x] < x0) x0 = n->lon[x];
        if (n->lon[x] > x1) x1 = n->lon[x];
        if (n->lat[x] < y0) y0 = n->lat[x];
        if (n->lat[x] > y1) y1 = n->lat[x];
    }
    double span = fmax(x1 - x0, y1 - y0);
    double k = span > 0 ? 65535.0 / span : 0;
    for (int x = 0; x < n->n_nodes; x++) {
        unsigned cx = (unsigned)((n->lon[x] - x0) * k), cy = (unsigned)((n->lat[x] - y0) * k);
        if (cx > 65535) cx = 65535;
        if (cy > 65535) cy = 65535;
        key[x] = (uint32_t)hilbert_d(cx, cy);   /* < 2^32 */
    }
    /* pass 1: builder ids by the low half of the key into order[] (used
    ** as scratch); pass 2: those by the high half into node_at[] */
    int *tmp = n->order;
    for (int pass = 0; pass < 2; pass++) {
        int shift = 16 * pass;
        const int *src = pass ? tmp : NULL;
        int *dst = pass ? n->node_at : tmp;
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (int i = 0; i < n->n_nodes; i++)
            cnt[(key[src ? src[i] : i] >> shift) & 0xffffu]++;
        size_t sum = 0;
        for (int b = 0; b < 65536; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (int i = 0; i < n->n_nodes; i++) {
            int x = src ? src[i] : i;
            dst[cnt[(key[x] >> shift) & 0xffffu]++] = x;
        }
    }
    for (int i = 0; i < n->n_nodes; i++) n->order[n->node_at[i]] = i;
    free(key);
    free(cnt);
    return 0;
}

wp_roadnet *wp_roadnet_builder_finish(wp_roadnet_builder *b) {
    if (!b) return NULL;
    wp_roadnet *n = calloc(1, sizeof *n);
    int ns = b->n_segs;
    size_t sz = (size_t)(ns ? ns : 1);
    int *tail = NULL, *head = NULL;
    double *w = NULL, *len = NULL;
    if (!n) goto oom;
    n->n_nodes = b->n_nodes;
    n->lon = b->lon; b->lon = NULL;
    n->lat = b->lat; b->lat = NULL;
    n->n_segs = ns;
    n->seg_u = b->u; b->u = NULL;
    n->seg_v = b->v; b->v = NULL;
    n->seg_len = malloc(sz * sizeof(double));
    n->seg_w_uv = malloc(sz * sizeof(double));
    n->seg_w_vu = malloc(sz * sizeof(double));
    tail = malloc(2 * sz * sizeof *tail);
    head = malloc(2 * sz * sizeof *head);
    w = malloc(2 * sz * sizeof *w);
    len = malloc(2 * sz * sizeof *len);
    if (!n->seg_len || !n->seg_w_uv || !n->seg_w_vu || !tail || !head || !w || !len)
        goto oom;
    int na = 0;
    double lat_sum = 0;
    for (int x = 0; x < n->n_nodes; x++) lat_sum += n->lat[x];
    n->lat0 = n->n_nodes ? lat_sum / n->n_nodes : 0;
    for (int s = 0; s < ns; s++) {
        int u = n->seg_u[s], v = n->seg_v[s];
        double l = wp_geodesic_km(n->lon[u], n->lat[u], n->lon[v], n->lat[v]);
        double c = l * b->mult[s];
        n->seg_len[s] = l;
        n->seg_w_uv[s] = b->dir[s] != WP_ROAD_BACKWARD ? c : -1;
        n->seg_w_vu[s] = b->dir[s] != WP_ROAD_FORWARD ? c : -1;
        if (n->seg_w_uv[s] >= 0) {
            tail[na] = u; head[na] = v; w[na] = c; len[na] = l; na++;
        }
        if (n->seg_w_vu[s] >= 0) {
            tail[na] = v; head[na] = u; w[na] = c; len[na] = l; na++;
        }
    }
    n->n_arcs = na;
    /* the CSR arrays are in search order; arcs keep their digitised order
    ** within a node, so searches relax them as before */
    if (search_order(n) < 0) goto oom;
    for (int i = 0; i < na; i++) {
        tail[i] = n->order[tail[i]];
        head[i] = n->order[head[i]];
    }
    if (layout(n->n_nodes, na, tail, head, w, len, &n->fwd_off, &n->fwd_head,
               &n->fwd_w, &n->fwd_len) < 0 ||
        layout(n->n_nodes, na, head, tail, w, len, &n->rev_off, &n->rev_tail,
               &n->rev_w, &n->rev_len) < 0)
        goto oom;
    free(tail); free(head); free(w); free(len);
    wp_roadnet_builder_free(b);
    return n;
oom:
    free(tail); free(head); free(w); free(len);
    wp_roadnet_free(n);
    wp_roadnet_builder_free(b);
    return NULL;
}

/* ---- reading an OGR layer ---- */

/* Value of key in an OSM "other_tags" string ("a"=>"b","c"=>"d") into out;
** 1 if found. */
static int other_tag(const char *tags, const char *key, char *out, size_t outlen) {
    if (!tags) return 0;
    size_t kl = strlen(key);
    const char *p = tags;
    while ((p = strchr(p, '"')) != NULL) {
        p++;
        if (!strncmp(p, key, kl) && p[kl] == '"' && !strncmp(p + kl + 1, "=>\"", 3)) {
            const char *v = p + kl + 4, *e = strchr(v, '"');
            if (!e) return 0;
            size_t n = (size_t)(e - v);
            if (n >= outlen) n = outlen - 1;
            memcpy(out, v, n);
            out[n] = 0;
            return 1;
        }
        const char *e = strchr(p, '"');   /* skip to the end of this string */
        if (!e) return 0;
        p = e + 1;
    }
    return 0;
}

/* Direction from a one-way value: OSM yes/true/1 forward, -1/reverse
** backward, anything else both ways. */
static int oneway_dir(const char *v) {
    if (!v) return WP_ROAD_BOTH;
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
        !strcmp(v, "Y") || !strcmp(v, "T") || !strcmp(v, "FT"))
        return WP_ROAD_FORWARD;
    if (!strcmp(v, "-1") || !strcmp(v, "reverse") || !strcmp(v, "TF"))
        return WP_ROAD_BACKWARD;
    return WP_ROAD_BOTH;
}

/* Speed in km/h from text such as "50", "50 km/h", "30 mph"; 0 if none. */
static double parse_speed(const char *v) {
    if (!v) return 0;
    char *end;
    double s = strtod(v, &end);
    if (!(s > 0) || !isfinite(s)) return 0;
    while (*end == ' ') end++;
    if (!strncmp(end, "mph", 3)) s *= 1.609344;
    return s;
}

typedef struct {
    const wp_roadnet_options *o;
    int is_osm;
    int i_class, i_oneway, i_speed, i_cost, i_tags;
} attr_map;

/* Field index of name in defn, or -1. */
static int field_index(OGRFeatureDefnH defn, const char *name) {
    return name && *name ? OGR_FD_GetFieldIndex(defn, name) : -1;
}

/* A feature's multiplier and direction; returns 0 to skip it (excluded
** class), 1 to use it, -1 with err on a bad value. */
static int feature_attrs(const attr_map *am, OGRFeatureH f, double *mult, int *dir,
                         const char *where, char *err, int errlen) {
    const wp_roadnet_options *o = am->o;
    const char *cls = NULL;
    const char *tags = am->i_tags >= 0 && OGR_F_IsFieldSetAndNotNull(f, am->i_tags)
                           ? OGR_F_GetFieldAsString(f, am->i_tags) : NULL;
    if (am->i_class >= 0 && OGR_F_IsFieldSetAndNotNull(f, am->i_class))
        cls = OGR_F_GetFieldAsString(f, am->i_class);
    if (cls && !*cls) cls = NULL;
    if (!cls && am->is_osm && am->i_class >= 0) return 0;   /* rivers, power lines, ... */
    /* class multiplier: the scenario's class.<value>, else the OSM default,
    ** else class.other; OSM-style values outside the lorry classes are
    ** skipped unless class.other says otherwise */
    double m = 1.0, speed = 0, other = 1.0;
    int known = wp_road_class_default(cls, &m, &speed), set = 0, other_set = 0;
    for (int i = 0; i < o->n_classes; i++) {
        if (cls && !strcmp(o->class_name[i], cls)) {
            m = o->class_mult[i];
            set = 1;
        }
        if (!strcmp(o->class_name[i], "other")) {
            other = o->class_mult[i];
            other_set = 1;
        }
    }
    if (!set && !known) {
        int osm_style = am->is_osm || (am->i_class >= 0 && !strcmp(
            o->field_class && *o->field_class ? o->field_class : "highway", "highway"));
        if (cls && osm_style && !other_set) return 0;
        m = other;
    }
    if (m < 0) return 0;
    if (o->by_time) {
        char buf[64];
        const char *sv = NULL;
        if (am->i_speed >= 0 && OGR_F_IsFieldSetAndNotNull(f, am->i_speed))
            sv = OGR_F_GetFieldAsString(f, am->i_speed);
        else if (o->field_speed && other_tag(tags, o->field_speed, buf, sizeof buf))
            sv = buf;
        double s = parse_speed(sv);
        if (!(s > 0)) s = speed > 0 ? speed : 30;
        m *= (o->ref_speed > 0 ? o->ref_speed : 60) / s;
    }
    if (am->i_cost >= 0 && OGR_F_IsFieldSetAndNotNull(f, am->i_cost)) {
        double c = OGR_F_GetFieldAsDouble(f, am->i_cost);
        if (!(c > 0) || !isfinite(c))
            return set_err(err, errlen, "%s, field %s: cost multiplier '%s' must be a "
                           "number above 0", where, o->field_cost,
                           OGR_F_GetFieldAsString(f, am->i_cost));
        m = c;
    }
    if (!(m > 0)) return 0;
    const char *ow = NULL;
    char buf[64];
    const char *ofield = o->field_oneway ? o->field_oneway : "oneway";
    if (am->i_oneway >= 0 && OGR_F_IsFieldSetAndNotNull(f, am->i_oneway))
        ow = OGR_F_GetFieldAsString(f, am->i_oneway);
    else if (other_tag(tags, ofield, buf, sizeof buf))
        ow = buf;
    *dir = oneway_dir(ow);
    if (!ow && am->is_osm && other_tag(tags, "junction", buf, sizeof buf) &&
        !strcmp(buf, "roundabout"))
        *dir = WP_ROAD_FORWARD;               /* roundabouts are one-way in OSM */
    *mult = m;
    return 1;
}

/* Add one line (already WGS84) as segments. */
static int add_line(wp_roadnet_builder *b, OGRGeometryH line, double mult, int dir) {
    int np = OGR_G_GetPointCount(line);
    int prev = -1;
    for (int i = 0; i < np; i++) {
        int id = wp_roadnet_builder_node(b, OGR_G_GetX(line, i), OGR_G_GetY(line, i));
        if (id < 0) return -1;
        if (prev >= 0 && wp_roadnet_builder_segment(b, prev, id, mult, dir) < 0) return -1;
        prev = id;
    }
    return 0;
}

/* One kept line for noding: its WGS84 geometry and attributes. */
typedef struct {
    OGRGeometryH g;
    double mult;
    int dir;
} kept_line;

static void free_kept(kept_line *k, int n) {
    for (int i = 0; i < n; i++) OGR_G_DestroyGeometry(k[i].g);
    free(k);
}

/* Node the kept lines with GEOS: every crossing becomes a shared vertex.
** Each noded piece takes the attributes of the input line it lies on (found
** through an STRtree) and that line's direction, reversed when the piece
** runs against it. */
static int node_lines(wp_geo *g, wp_roadnet_builder *b, kept_line *kl, int nk,
                      char *err, int errlen) {
    GEOSContextHandle_t h = g->geos;
    GEOSGeometry **parts = malloc((size_t)(nk ? nk : 1) * sizeof *parts);
    if (!parts) return set_err(err, errlen, "out of memory");
    GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
    GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
    int rc = -1, np = 0;
    GEOSGeometry *coll = NULL, *noded = NULL;
    if (!rd || !tree) { set_err(err, errlen, "GEOS: cannot create reader or tree"); goto done; }
    for (int i = 0; i < nk; i++) {
        int sz = OGR_G_WkbSize(kl[i].g);
        unsigned char *wkb = malloc((size_t)sz);
        if (!wkb) { set_err(err, errlen, "out of memory"); goto done; }
        OGR_G_ExportToIsoWkb(kl[i].g, wkbNDR, wkb);
        parts[np] = GEOSWKBReader_read_r(h, rd, wkb, (size_t)sz);
        free(wkb);
        if (!parts[np]) { set_err(err, errlen, "GEOS cannot read line %d", i); goto done; }
        GEOSGeom_setUserData_r(h, parts[np], (void *)(intptr_t)i);
        GEOSSTRtree_insert_r(h, tree, parts[np], parts[np]);
        np++;
    }
    /* the tree keeps pointers to parts' envelopes: clone into the collection */
    GEOSGeometry **cl = malloc((size_t)(np ? np : 1) * sizeof *cl);
    if (!cl) { set_err(err, errlen, "out of memory"); goto done; }
    for (int i = 0; i < np; i++) cl[i] = GEOSGeom_clone_r(h, parts[i]);
    coll = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, cl, (unsigned)np);
    free(cl);
    if (!coll) { set_err(err, errlen, "GEOS cannot collect the road lines"); goto done; }
    noded = GEOSNode_r(h, coll);
    if (!noded) { set_err(err, errlen, "GEOS cannot node the road lines: %s", g->geos_msg); goto done; }
    int n = GEOSGetNumGeometries_r(h, noded);
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *piece = GEOSGetGeometryN_r(h, noded, i);
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, piece);
        unsigned int npt = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &npt) || npt < 2) continue;
        double x0, y0, x1, y1;
        GEOSCoordSeq_getXY_r(h, cs, 0, &x0, &y0);
        GEOSCoordSeq_getXY_r(h, cs, 1, &x1, &y1);
        GEOSGeometry *mid = GEOSGeom_createPointFromXY_r(h, (x0 + x1) / 2, (y0 + y1) / 2);
        if (!mid) { set_err(err, errlen, "out of memory"); goto done; }
        /* the input line nearest the piece's first segment is the one it came from */
        const GEOSGeometry *hit = GEOSSTRtree_nearest_r(h, tree, mid);
        int src = hit ? (int)(intptr_t)GEOSGeom_getUserData_r(h, hit) : -1;
        int dir = WP_ROAD_BOTH;
        double mult = 1;
        if (src >= 0) {
            mult = kl[src].mult;
            dir = kl[src].dir;
            if (dir != WP_ROAD_BOTH) {
                GEOSGeometry *p0 = GEOSGeom_createPointFromXY_r(h, x0, y0);
                GEOSGeometry *p1 = GEOSGeom_createPointFromXY_r(h, x1, y1);
                double a = p0 ? GEOSProject_r(h, parts[src], p0) : 0;
                double c = p1 ? GEOSProject_r(h, parts[src], p1) : 0;
                if (c < a) dir = -dir;
                GEOSGeom_destroy_r(h, p0);
                GEOSGeom_destroy_r(h, p1);
            }
        }
        GEOSGeom_destroy_r(h, mid);
        int prev = -1;
        for (unsigned int k = 0; k < npt; k++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
            int id = wp_roadnet_builder_node(b, x, y);
            if (id < 0 || (prev >= 0 && wp_roadnet_builder_segment(b, prev, id, mult, dir) < 0)) {
                set_err(err, errlen, "out of memory");
                goto done;
            }
            prev = id;
        }
    }
    rc = 0;
done:
    if (tree) GEOSSTRtree_destroy_r(h, tree);
    for (int i = 0; i < np; i++) GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    if (coll) GEOSGeom_destroy_r(h, coll);
    if (noded) GEOSGeom_destroy_r(h, noded);
    if (rd) GEOSWKBReader_destroy_r(h, rd);
    return rc;
}

wp_roadnet *wp_roadnet_load(wp_geo *g, const wp_roadnet_options *o,
                            char *err, int errlen) {
    GDALAllRegister();
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(o->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        set_err(err, errlen, "[network] path = %s: cannot open the road network: %s", o->path,
                CPLGetLastErrorMsg()[0] ? CPLGetLastErrorMsg() : "not a vector dataset");
        return NULL;
    }
    GDALDriverH drv = GDALGetDatasetDriver(ds);
    int is_osm = drv && !strcmp(GDALGetDriverShortName(drv), "OSM");
    OGRLayerH l = NULL;
    if (o->layer && *o->layer) l = GDALDatasetGetLayerByName(ds, o->layer);
    else if (is_osm) l = GDALDatasetGetLayerByName(ds, "lines");
    else if (GDALDatasetGetLayerCount(ds) > 0) l = GDALDatasetGetLayer(ds, 0);
    if (!l) {
        set_err(err, errlen, "%s: no layer '%s' (set [network] layer)", o->path,
                o->layer ? o->layer : "");
        GDALClose(ds);
        return NULL;
    }
    const char *lname = OGR_L_GetName(l);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    attr_map am = {o, is_osm, -1, -1, -1, -1, -1};
    const char *cf = o->field_class ? o->field_class : "highway";
    am.i_class = field_index(defn, cf);
    if (o->field_class && *o->field_class && am.i_class < 0) {
        set_err(err, errlen, "%s, layer %s: no field '%s' for [network] field.class",
                o->path, lname, o->field_class);
        GDALClose(ds);
        return NULL;
    }
    am.i_oneway = field_index(defn, o->field_oneway ? o->field_oneway : "oneway");
    am.i_speed = field_index(defn, o->field_speed);
    am.i_cost = field_index(defn, o->field_cost);
    am.i_tags = field_index(defn, "other_tags");
    if (o->field_cost && *o->field_cost && am.i_cost < 0) {
        set_err(err, errlen, "%s, layer %s: no field '%s' for [network] field.cost",
                o->path, lname, o->field_cost);
        GDALClose(ds);
        return NULL;
    }
    /* everything in WGS84 lon/lat */
    OGRSpatialReferenceH src_srs = OGR_L_GetSpatialRef(l);
    OGRCoordinateTransformationH ct = NULL;
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    if (!wgs || OSRImportFromEPSG(wgs, 4326) != OGRERR_NONE) {
        set_err(err, errlen, "PROJ: cannot set up EPSG:4326");
        if (wgs) OSRDestroySpatialReference(wgs);
        GDALClose(ds);
        return NULL;
    }
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    if (src_srs && !OSRIsSame(src_srs, wgs)) {
        OGRSpatialReferenceH s2 = OSRClone(src_srs);
        OSRSetAxisMappingStrategy(s2, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s2, wgs);
        OSRDestroySpatialReference(s2);
        if (!ct) {
            set_err(err, errlen, "%s, layer %s: cannot transform its CRS to WGS84", o->path, lname);
            OSRDestroySpatialReference(wgs);
            GDALClose(ds);
            return NULL;
        }
    }
    wp_roadnet_builder *b = wp_roadnet_builder_new(1);
    kept_line *kl = NULL;
    int nk = 0, ck = 0;
    long features = 0, skipped = 0;
    int failed = !b;
    if (!b) set_err(err, errlen, "out of memory");
    OGR_L_ResetReading(l);
    OGRFeatureH f;
    char where[512];
    while (!failed && (f = OGR_L_GetNextFeature(l)) != NULL) {
        features++;
        snprintf(where, sizeof where, "%s, layer %s, feature %lld", o->path, lname,
                 (long long)OGR_F_GetFID(f));
        double mult = 1;
        int dir = WP_ROAD_BOTH;
        OGRGeometryH geom = OGR_F_GetGeometryRef(f);
        int use = geom ? feature_attrs(&am, f, &mult, &dir, where, err, errlen) : 0;
        if (use < 0) { failed = 1; OGR_F_Destroy(f); break; }
        OGRwkbGeometryType t = geom ? wkbFlatten(OGR_G_GetGeometryType(geom)) : wkbUnknown;
        if (use && t != wkbLineString && t != wkbMultiLineString) use = 0;
        if (!use) { skipped++; OGR_F_Destroy(f); continue; }
        OGRGeometryH gc = OGR_G_Clone(geom);
        if (!gc) { failed = 1; set_err(err, errlen, "out of memory"); OGR_F_Destroy(f); break; }
        OGR_G_FlattenTo2D(gc);
        if (ct && OGR_G_Transform(gc, ct) != OGRERR_NONE) {
            set_err(err, errlen, "%s: the line does not transform to WGS84", where);
            OGR_G_DestroyGeometry(gc);
            OGR_F_Destroy(f);
            failed = 1;
            break;
        }
        int nparts = t == wkbMultiLineString ? OGR_G_GetGeometryCount(gc) : 1;
        for (int p = 0; p < nparts && !failed; p++) {
            OGRGeometryH line = t == wkbMultiLineString ? OGR_G_GetGeometryRef(gc, p) : gc;
            if (o->node) {
                if (grow_to((void **)&kl, &ck, nk + 1, sizeof *kl) < 0) {
                    failed = 1;
                    set_err(err, errlen, "out of memory");
                    break;
                }
                kl[nk].g = OGR_G_Clone(line);
                kl[nk].mult = mult;
                kl[nk].dir = dir;
                if (kl[nk].g) nk++;
            } else if (add_line(b, line, mult, dir) < 0) {
                failed = 1;
                set_err(err, errlen, "out of memory");
            }
        }
        OGR_G_DestroyGeometry(gc);
        OGR_F_Destroy(f);
    }
    if (!failed && o->node && node_lines(g, b, kl, nk, err, errlen) < 0) failed = 1;
    free_kept(kl, nk);
    if (ct) OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(wgs);
    GDALClose(ds);
    if (failed) {
        wp_roadnet_builder_free(b);
        return NULL;
    }
    if (b->n_segs == 0) {
        set_err(err, errlen, "%s, layer %s: no road lines found in %ld features "
                "(check [network] field.class and class.* keys)", o->path, lname, features);
        wp_roadnet_builder_free(b);
        return NULL;
    }
    wp_roadnet *n = wp_roadnet_builder_finish(b);
    if (!n) {
        set_err(err, errlen, "out of memory building the road network");
        return NULL;
    }
    n->features = features;
    n->features_skipped = skipped;
    return n;
}
