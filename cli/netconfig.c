/*
** netconfig.c — read the road-network keys and build the snapped network
** (see netconfig.h). Every key is checked here with a message naming its
** origin, so a typo in the network section stops the run before any
** search starts.
*/
#include "netconfig.h"

#include "../geo/netarcs.h"
#include "../geo/roadnet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

int wp_netcfg_take(wp_config *cfg, wp_netcfg_pending *pend) {
    memset(pend, 0, sizeof *pend);
    int n = 0;
    for (int i = 0; i < cfg->count; i++)
        if (!strncmp(cfg->e[i].key, "material.", 9) && ends_with(cfg->e[i].key, ".distance")) n++;
    if (!n) return 0;
    pend->key = calloc((size_t)n, sizeof(char *));
    pend->value = calloc((size_t)n, sizeof(char *));
    pend->origin = calloc((size_t)n, sizeof(char *));
    if (!pend->key || !pend->value || !pend->origin) return -1;
    int k = 0;
    for (int i = 0; i < cfg->count; i++) {
        wp_config_entry *e = &cfg->e[i];
        if (!strncmp(e->key, "material.", 9) && ends_with(e->key, ".distance")) {
            /* ownership of the strings moves to pend */
            pend->key[pend->count] = e->key;
            pend->value[pend->count] = e->value;
            pend->origin[pend->count] = e->origin;
            pend->count++;
        } else {
            cfg->e[k++] = *e;
        }
    }
    cfg->count = k;
    return 0;
}

void wp_netcfg_pending_free(wp_netcfg_pending *pend) {
    for (int i = 0; i < pend->count; i++) {
        free(pend->key[i]);
        free(pend->value[i]);
        free(pend->origin[i]);
    }
    free(pend->key);
    free(pend->value);
    free(pend->origin);
    memset(pend, 0, sizeof *pend);
}

/* "geodesic" -> 0, "network" -> 1, else -1. */
static int distance_kind(const char *v) {
    if (!strcasecmp(v, "geodesic") || !strcasecmp(v, "straight")) return 0;
    if (!strcasecmp(v, "network") || !strcasecmp(v, "road") || !strcasecmp(v, "roads")) return 1;
    return -1;
}

/* Put the held keys back into cfg (marked used) and fold them into *mask. */
static int apply_material_keys(wp_pipeline *pl, wp_netcfg_pending *pend, unsigned *mask) {
    for (int i = 0; i < pend->count; i++) {
        const char *key = pend->key[i];
        size_t idl = strlen(key) - strlen("material.") - strlen(".distance");
        char id[128];
        if (idl >= sizeof id) idl = sizeof id - 1;
        memcpy(id, key + strlen("material."), idl);
        id[idl] = 0;
        int j = wp_materials_find(&pl->model.materials, id);
        int kind = distance_kind(pend->value[i]);
        if (j < 0) {
            fprintf(stderr, "wasteplan: %s: %s: '%s' is not a material\n",
                    pend->origin[i], key, id);
            return WP_EXIT_INPUT;
        }
        if (kind < 0) {
            fprintf(stderr, "wasteplan: %s: %s = '%s': expected geodesic or network\n",
                    pend->origin[i], key, pend->value[i]);
            return WP_EXIT_INPUT;
        }
        if (kind) *mask |= 1u << j;
        else *mask &= ~(1u << j);
        if (wp_config_set(&pl->cfg, key, pend->value[i], pend->origin[i]) < 0)
            return WP_EXIT_INTERNAL;
        wp_config_get(&pl->cfg, key);
    }
    return WP_EXIT_OK;
}

/* Read [network] into o (strings point into cfg, path malloc'd). */
static int read_options(wp_pipeline *pl, wp_roadnet_options *o, char **path, double *snap_km) {
    wp_config *c = &pl->cfg;
    char err[512] = "";
    memset(o, 0, sizeof *o);
    const char *p = wp_config_get(c, "network.path");
    if (!p || !*p) {
        fprintf(stderr, "wasteplan: %s: distance = network needs a [network] section with "
                "path = the road lines (OpenStreetMap .osm.pbf/.osm, shapefile, GeoPackage)\n",
                c->path ? c->path : "scenario");
        return WP_EXIT_INPUT;
    }
    *path = wp_config_path(c, p);
    if (!*path) return WP_EXIT_INTERNAL;
    o->path = *path;
    o->layer = wp_config_get(c, "network.layer");
    o->field_class = wp_config_get(c, "network.field.class");
    o->field_oneway = wp_config_get(c, "network.field.oneway");
    o->field_speed = wp_config_get(c, "network.field.speed");
    o->field_cost = wp_config_get(c, "network.field.cost");
    const char *wt = wp_config_get(c, "network.weight");
    if (wt && *wt) {
        if (!strcasecmp(wt, "time")) o->by_time = 1;
        else if (strcasecmp(wt, "length")) {
            fprintf(stderr, "wasteplan: %s: network.weight = '%s': expected length or time\n",
                    wp_config_entry_of(c, "network.weight")->origin, wt);
            return WP_EXIT_INPUT;
        }
    }
    if (o->by_time && !o->field_speed) o->field_speed = "maxspeed";
    if (wp_config_get_double(c, "network.ref_speed", 60, 5, 200, &o->ref_speed, err, sizeof err) < 0 ||
        wp_config_get_double(c, "network.snap_km", 2, 0, 1000, snap_km, err, sizeof err) < 0 ||
        wp_config_get_bool(c, "network.node", 0, &o->node, err, sizeof err) < 0) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INPUT;
    }
    for (int i = 0; i < c->count; i++) {
        wp_config_entry *e = &c->e[i];
        if (strncmp(e->key, "network.class.", 14)) continue;
        e->used = 1;
        if (o->n_classes >= WP_ROAD_MAX_CLASSES) {
            fprintf(stderr, "wasteplan: %s: at most %d network.class.* keys\n", e->origin,
                    WP_ROAD_MAX_CLASSES);
            return WP_EXIT_INPUT;
        }
        double v;
        if (!strcasecmp(e->value, "no") || !strcasecmp(e->value, "exclude")) {
            v = -1;
        } else if (wp_config_get_double(c, e->key, 1, 0.1, 100, &v, err, sizeof err) < 0) {
            fprintf(stderr, "wasteplan: %s (a cost multiplier, or 'no' to leave the class out)\n", err);
            return WP_EXIT_INPUT;
        }
        o->class_name[o->n_classes] = e->key + 14;
        o->class_mult[o->n_classes] = v;
        o->n_classes++;
    }
    return WP_EXIT_OK;
}

/* Warnings for the model's points that no road reaches. */
static void report_unsnapped(wp_pipeline *pl, double snap_km) {
    const wp_model *m = &pl->model;
    for (int i = 0; i < m->n_sources; i++) {
        const wp_source *s = &m->sources[i];
        const wp_snap *sn = wp_netplan_source_snap(pl->net, i);
        if (sn->seg >= 0 || !((pl->net_mask >> s->material) & 1u)) continue;
        wp_problems_add(&pl->probs, 0, "%s, feature %ld (id %s, %s): %.2f km from the nearest "
                        "road of the network, beyond [network] snap_km = %g: it gets no haul; "
                        "move it onto a road, add the road, or raise snap_km",
                        m->layers[s->layer].path, s->fid, s->id, s->name, sn->access_km, snap_km);
    }
    for (int k = 0; k < m->n_sinks; k++) {
        const wp_sink *s = &m->sinks[k];
        const wp_snap *sn = wp_netplan_sink_snap(pl->net, k);
        if (sn->seg >= 0 || !(s->accepts & pl->net_mask)) continue;
        wp_problems_add(&pl->probs, 0, "%s, feature %ld (id %s, %s): %.2f km from the nearest "
                        "road of the network, beyond [network] snap_km = %g: it receives no haul; "
                        "move it onto a road, add the road, or raise snap_km",
                        m->layers[s->layer].path, s->fid, s->id, s->name, sn->access_km, snap_km);
    }
}

int wp_netcfg_apply(wp_pipeline *pl, wp_netcfg_pending *pend) {
    unsigned mask = 0;
    const char *d = wp_config_get(&pl->cfg, "scenario.distance");
    if (d && *d) {
        int kind = distance_kind(d);
        if (kind < 0) {
            fprintf(stderr, "wasteplan: %s: scenario.distance = '%s': expected geodesic or network\n",
                    wp_config_entry_of(&pl->cfg, "scenario.distance")->origin, d);
            wp_netcfg_pending_free(pend);
            return WP_EXIT_INPUT;
        }
        if (kind) mask = pl->model.materials.count >= 32 ? 0xffffffffu
                                                         : (1u << pl->model.materials.count) - 1u;
    }
    int rc = apply_material_keys(pl, pend, &mask);
    wp_netcfg_pending_free(pend);
    if (rc != WP_EXIT_OK) return rc;
    pl->net_mask = mask;
    if (!mask) return WP_EXIT_OK;

    double t0 = wp_seconds();
    wp_roadnet_options o;
    char *path = NULL;
    double snap_km = 2;
    rc = read_options(pl, &o, &path, &snap_km);
    if (rc != WP_EXIT_OK) {
        free(path);
        return rc;
    }
    char err[1024] = "";
    if (pl->geo->verbose) fprintf(stderr, "wasteplan: reading the road network %s\n", path);
    wp_roadnet *net = wp_roadnet_load(pl->geo, &o, err, sizeof err);
    free(path);
    if (!net) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INPUT;
    }
    if (pl->geo->verbose)
        fprintf(stderr, "wasteplan: road network: %d nodes, %d segments, %d arcs "
                "(%ld features, %ld not roads for lorries)\n",
                net->n_nodes, net->n_segs, net->n_arcs, net->features, net->features_skipped);
    pl->net = wp_netplan_new(pl->geo, net, &pl->model, snap_km, err, sizeof err);
    if (!pl->net) {
        fprintf(stderr, "wasteplan: %s\n", err);
        return WP_EXIT_INTERNAL;
    }
    report_unsnapped(pl, snap_km);
    pl->t_network = wp_seconds() - t0;
    return WP_EXIT_OK;
}
