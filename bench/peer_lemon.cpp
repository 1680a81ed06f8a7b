/*
** peer_lemon.cpp — benchmark driver for LEMON's NetworkSimplex (the
** reference primal network simplex; block-search pivot rule, LEMON's
** default). Usage: peer_lemon FILE [repeats]. Prints
** "lemon STATUS OBJECTIVE SECONDS", SECONDS being the median over the
** repeats of the run() call alone (graph building is not timed; run()
** includes LEMON's own initialisation of its internal arrays, just as our
** solver's wp_mcf_solve does).
*/
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "dimacs.h"

typedef lemon::SmartDigraph Graph;
typedef lemon::NetworkSimplex<Graph, int64_t, int64_t> Solver;

/* Solve once on graph gr (built from g); fills flow and returns the status
** word and the solve time. */
static const char *solve_once(const bench_net *g, const Graph &gr,
                              const Graph::ArcMap<int64_t> &cap,
                              const Graph::ArcMap<int64_t> &cost,
                              const Graph::NodeMap<int64_t> &sup,
                              const std::vector<Graph::Arc> &arcs,
                              std::vector<int64_t> &flow, double *secs)
{
    Solver ns(gr);
    ns.upperMap(cap).costMap(cost).supplyMap(sup);
    double t0 = bench_now();
    Solver::ProblemType pt = ns.run();
    *secs = bench_now() - t0;
    if (pt == Solver::INFEASIBLE)
        return "infeasible";
    if (pt == Solver::UNBOUNDED)
        return "unbounded";
    for (int64_t i = 0; i < g->m; i++)
        flow[(size_t)i] = ns.flow(arcs[(size_t)i]);
    return "optimal";
}

int main(int argc, char **argv)
{
    bench_net g;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE [repeats]\n", argv[0]);
        return 2;
    }
    int reps = bench_repeats(argc, argv, 2);
    if (bench_read_dimacs(argv[1], &g) != 0)
        return 1;

    Graph gr;
    gr.reserveNode(g.n);
    gr.reserveArc((int)g.m);
    std::vector<Graph::Node> nodes((size_t)g.n);
    for (int v = 0; v < g.n; v++)
        nodes[(size_t)v] = gr.addNode();
    std::vector<Graph::Arc> arcs((size_t)g.m);
    for (int64_t i = 0; i < g.m; i++)
        arcs[(size_t)i] = gr.addArc(nodes[(size_t)g.from[i]], nodes[(size_t)g.to[i]]);
    Graph::ArcMap<int64_t> cap(gr), cost(gr);
    Graph::NodeMap<int64_t> sup(gr);
    for (int64_t i = 0; i < g.m; i++) {
        cap[arcs[(size_t)i]] = g.cap[i];
        cost[arcs[(size_t)i]] = g.cost[i];
    }
    for (int v = 0; v < g.n; v++)
        sup[nodes[(size_t)v]] = g.supply[v];

    std::vector<int64_t> flow((size_t)g.m);
    std::vector<double> t((size_t)reps);
    const char *status = "optimal";
    for (int r = 0; r < reps; r++)
        status = solve_once(&g, gr, cap, cost, sup, arcs, flow, &t[(size_t)r]);
    if (std::strcmp(status, "optimal") == 0 &&
        bench_check_flow("lemon", &g, flow.data()) != 0)
        status = "invalid";
    __int128 obj = bench_objective(&g, flow.data());
    bench_print("lemon", status, obj, bench_median(t.data(), reps));
    bench_net_free(&g);
    return 0;
}
