/*
** network_bench.c — the network phase of `make bench`: generate a
** road-like network (a perturbed grid of 1 km local roads with a highway
** every 20 km, deterministic from the seed), place sources and sinks at
** random nodes, and time wasteplan's build (nodes, geodesic lengths, CSR,
** STRtree snapping) and its bounded many-to-many matrix. With --peer DB it
** also writes the same directed network into a SpatiaLite database, builds
** a VirtualRouting table (CreateRouting) and runs the same bounded query
** (an isochrone, "NodeFrom = s AND Cost <= limit") for a sample of the
** sources, checking the costs against wasteplan's on the way.
**
** usage: network_bench SIDE N_SRC N_SINK LIMIT_KM SEED [--peer DB --sample K]
** prints one "key value" per line for bench_network.py.
*/
#include "../geo/netarcs.h"
#include "../geo/roadnet.h"

#include <math.h>
#include <sqlite3.h>
#include <spatialite.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of all the process's threads: less sensitive than wall
** time to other jobs sharing the cores. */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t rs;
static double rnd(void) {
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return (double)((rs * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static long max_rss_mb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int exec_sql(sqlite3 *db, const char *sql) {
    char *e = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) {
        fprintf(stderr, "network_bench: SQL failed: %s: %s\n", sql, e ? e : "?");
        sqlite3_free(e);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: network_bench SIDE N_SRC N_SINK LIMIT_KM SEED [--peer DB --sample K]\n");
        return 1;
    }
    int side = atoi(argv[1]), nsrc = atoi(argv[2]), nsink = atoi(argv[3]);
    double limit = atof(argv[4]);
    rs = (uint64_t)atoll(argv[5]) * 2654435761u + 1;
    const char *peer = NULL;
    int sample = 20;
    for (int i = 6; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--peer")) peer = argv[i + 1];
        else if (!strcmp(argv[i], "--sample")) sample = atoi(argv[i + 1]);
    }
    wp_geo *g = wp_geo_new();
    if (!g) return 1;
    /* 1 km spacing at 35 N, vertices jittered by up to 0.3 km */
    const double lat0 = 35.0, dlat = 1.0 / 110.95, dlon = 1.0 / (111.32 * cos(lat0 * 3.14159265358979 / 180));
    double t0 = now();
    wp_roadnet_builder *b = wp_roadnet_builder_new(0);
    for (int i = 0; i < side; i++)
        for (int j = 0; j < side; j++)
            if (wp_roadnet_builder_node(b, 112.0 + (i + 0.6 * (rnd() - 0.5)) * dlon,
                                        lat0 + (j + 0.6 * (rnd() - 0.5)) * dlat) < 0)
                return 1;
    for (int i = 0; i < side; i++)
        for (int j = 0; j < side; j++) {
            int x = i * side + j;
            /* highways along every 20th row and column; local roads cost 1.3 */
            if (i + 1 < side)
                wp_roadnet_builder_segment(b, x, x + side, j % 20 == 0 ? 1.0 : 1.3, WP_ROAD_BOTH);
            if (j + 1 < side)
                wp_roadnet_builder_segment(b, x, x + 1, i % 20 == 0 ? 1.0 : 1.3,
                                           rnd() < 0.05 ? WP_ROAD_FORWARD : WP_ROAD_BOTH);
        }
    wp_roadnet *net = wp_roadnet_builder_finish(b);
    if (!net) return 1;
    double t_build = now() - t0;
    printf("nodes %d\nsegments %d\narcs %d\n", net->n_nodes, net->n_segs, net->n_arcs);
    printf("network_mb %.1f\n", wp_roadnet_bytes(net) / 1048576.0);
    printf("build_s %.3f\n", t_build);

    wp_model m;
    wp_model_init(&m);
    m.materials.m[2].max_haul_km = limit;   /* fly ash */
    int *src_node = malloc((size_t)nsrc * sizeof *src_node);
    int *sink_of = malloc((size_t)net->n_nodes * sizeof *sink_of);
    if (!src_node || !sink_of) return 1;
    for (int x = 0; x < net->n_nodes; x++) sink_of[x] = -1;
    char id[32];
    for (int i = 0; i < nsrc; i++) {
        int x = (int)(rnd() * net->n_nodes);
        snprintf(id, sizeof id, "s%06d", i);
        wp_source *s = wp_model_add_source(&m, id, NULL);
        s->lon = net->lon[x];
        s->lat = net->lat[x];
        s->material = 2;
        s->supply_t = 1000;
        src_node[i] = x;
    }
    for (int k = 0; k < nsink; k++) {
        int x;
        do x = (int)(rnd() * net->n_nodes); while (sink_of[x] >= 0);
        snprintf(id, sizeof id, "k%06d", k);
        wp_sink *s = wp_model_add_sink(&m, id, NULL);
        s->lon = net->lon[x];
        s->lat = net->lat[x];
        s->accepts = 1u << 2;
        s->cap_total_t = HUGE_VAL;
        for (int j = 0; j < WP_MAX_MATERIALS; j++) s->cap_t[j] = HUGE_VAL;
        sink_of[x] = k;
    }
    char err[512];
    t0 = now();
    wp_netplan *p = wp_netplan_new(g, net, &m, 1.0, err, sizeof err);
    if (!p) {
        fprintf(stderr, "network_bench: %s\n", err);
        return 1;
    }
    printf("snap_s %.3f\n", now() - t0);
    const char *thr = getenv("WASTEPLAN_THREADS");
    printf("threads %d\n", thr && atoi(thr) > 0 ? atoi(thr) : 2);
    t0 = now();
    double c0 = cpu_now();
    if (wp_netplan_build_arcs(p, g, NULL, 1u << 2, &m, err, sizeof err) < 0) {
        fprintf(stderr, "network_bench: %s\n", err);
        return 1;
    }
    double t_matrix = now() - t0, c_matrix = cpu_now() - c0;
    wp_netplan_stats st = wp_netplan_get_stats(p);
    printf("matrix_s %.3f\npairs %zu\nsearches %lld\nsettled %lld\n", t_matrix, m.n_arcs,
           st.searches, st.settled);
    printf("matrix_cpu_s %.3f\n", c_matrix);
    printf("max_rss_mb %ld\n", max_rss_mb());
    /* order-independent of the search internals: a hash of every arc's
    ** (source, sink, exact cost bits), so a change to the search that moves
    ** any distance by one ulp shows here */
    uint64_t h = 1469598103934665603ULL;
    double sum = 0;
    for (size_t a = 0; a < m.n_arcs; a++) {
        uint64_t bits;
        memcpy(&bits, &m.arcs[a].dist_km, sizeof bits);
        uint64_t v[3] = {(uint64_t)m.arcs[a].src, (uint64_t)m.arcs[a].sink, bits};
        for (int q = 0; q < 3; q++) h = (h ^ v[q]) * 1099511628211ULL;
        sum += m.arcs[a].dist_km;
    }
    printf("dist_sum %.6f\ndist_hash %llu\n", sum, (unsigned long long)(h >> 11));
    fflush(stdout);

    if (peer) {
        /* the same directed arcs into SpatiaLite; ids are node + 1 */
        remove(peer);
        sqlite3 *db;
        void *cache = spatialite_alloc_connection();
        if (sqlite3_open(peer, &db) != SQLITE_OK) return 1;
        spatialite_init_ex(db, cache, 0);
        double tp = now();
        if (exec_sql(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                         "CREATE TABLE roads(id INTEGER PRIMARY KEY, node_from INTEGER,"
                         " node_to INTEGER, cost DOUBLE); BEGIN;") < 0)
            return 1;
        sqlite3_stmt *ins;
        sqlite3_prepare_v2(db, "INSERT INTO roads(node_from, node_to, cost) VALUES (?,?,?)", -1, &ins, NULL);
        for (int i = 0; i < net->n_nodes; i++)   /* CSR index i is node node_at[i] */
            for (int a = net->fwd_off[i]; a < net->fwd_off[i + 1]; a++) {
                sqlite3_bind_int(ins, 1, net->node_at[i] + 1);
                sqlite3_bind_int(ins, 2, net->node_at[net->fwd_head[a]] + 1);
                sqlite3_bind_double(ins, 3, net->fwd_w[a]);
                sqlite3_step(ins);
                sqlite3_reset(ins);
            }
        sqlite3_finalize(ins);
        if (exec_sql(db, "COMMIT;") < 0) return 1;
        double t_load = now() - tp;
        tp = now();
        if (exec_sql(db, "SELECT CreateRouting('r_data', 'r', 'roads', 'node_from', 'node_to',"
                         " NULL, 'cost', NULL, 0, 0, NULL, NULL, 1);") < 0)
            return 1;
        double t_create = now() - tp;
        printf("peer_load_s %.3f\npeer_build_s %.3f\n", t_load, t_create);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT NodeTo, Cost FROM r WHERE NodeFrom = ? AND Cost <= %.17g", limit);
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
            fprintf(stderr, "network_bench: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        if (sample > nsrc) sample = nsrc;
        long peer_pairs = 0, ours_pairs = 0, mismatches = 0;
        tp = now();
        for (int i = 0; i < sample; i++) {
            sqlite3_bind_int(q, 1, src_node[i] + 1);
            int k_self = sink_of[src_node[i]];
            if (k_self >= 0) peer_pairs++;   /* the isochrone leaves out its own node */
            while (sqlite3_step(q) == SQLITE_ROW) {
                int x = sqlite3_column_int(q, 0) - 1;
                double c = sqlite3_column_double(q, 1);
                if (x < 0 || x >= net->n_nodes || sink_of[x] < 0 || c > limit) continue;
                peer_pairs++;
                const wp_net_od *od = wp_netplan_find(p, i, sink_of[x]);
                if (!od || fabs(od->cost_km - c) > 1e-6 * (1 + c)) {
                    mismatches++;
                    if (getenv("NETWORK_BENCH_VERBOSE"))
                        fprintf(stderr, "mismatch: source %d sink %d: peer %.9f, wasteplan %.9f\n", i,
                            sink_of[x], c, od ? od->cost_km : -1.0);
                }
            }
            sqlite3_reset(q);
        }
        double t_q = now() - tp;
        for (size_t a = 0; a < m.n_arcs; a++)
            if (m.arcs[a].src < sample) ours_pairs++;
        sqlite3_finalize(q);
        sqlite3_close(db);
        spatialite_cleanup_ex(cache);
        printf("peer_sample %d\npeer_query_s %.3f\npeer_per_source_s %.4f\n", sample, t_q, t_q / sample);
        printf("peer_matrix_extrapolated_s %.1f\n", t_q / sample * nsrc);
        printf("peer_pairs %ld\nours_pairs_in_sample %ld\npeer_mismatches %ld\n", peer_pairs,
               ours_pairs, mismatches + labs(peer_pairs - ours_pairs));
        remove(peer);
    }
    wp_netplan_free(p);
    wp_model_free(&m);
    free(src_node);
    free(sink_of);
    wp_geo_free(g);
    return 0;
}
