#!/usr/bin/python3
"""gen_alloc.py -- deterministic allocation-shaped min-cost flow instances
for the solver benchmark, written as DIMACS min-cost flow files.

The network has the shape wasteplan's allocation reduces to:

  source i (supply s_i t)  --haul arc (cap s_i, cost c_ij)-->  sink j
  source i                 --penalty arc (cap s_i, cost 55000)--> T
  sink j                   --intake arc (cap C_j, cost 0)-->      T
  T has demand -sum(s_i), so the problem is balanced.

and, as in docs/model.md, where a sink limits one material below its total
(U_kj < U_k), the haul arcs of that material go to a material node (k,j)
instead, which feeds sink k through an arc of capacity U_kj and cost 0.

Sources lie uniformly over a W x W km square and carry one of 3 materials;
sinks lie uniformly too, accept each material with probability 0.6 (at
least one), and their intake capacities add up to 80 % of all supply, so
some waste is always left to the penalty arc. Each accepted material has,
with probability 0.3, its own limit of 20-80 % of the sink's total. A haul arc exists when the
sink accepts the source's material and lies within the haul radius R
(straight-line distance here; wasteplan uses a road detour factor, which
only rescales d). Cost per tonne is handling 8 yuan + 0.52 yuan/t.km,
in integer milli-yuan: c_ij = round((8 + 0.52 d) * 1000). The penalty of
55 yuan/t is the default unallocated cost, so hauls beyond ~90 km are
never worth it; they stay in the network, as they do in wasteplan, and
the solver must price them out.

Supplies are integer tonnes, log-uniform in [100, 20000]: with 100,000
sources the total stays below GLPK RELAX-IV's INT_MAX/4 limit (checked).

Usage: gen_alloc.py --sources S --sinks K --width W --radius R --seed N OUT
"""
import argparse
import os
import sys

import numpy as np

GEN_VERSION = 2          # bump when the output for a given seed changes
N_MATERIALS = 3
ACCEPT_P = 0.6
CAP_FRACTION = 0.8
MAT_LIMIT_P = 0.3
HANDLING = 8.0           # yuan/t
RATE = 0.52              # yuan/(t km)
PENALTY = 55000          # milli-yuan/t
SUPPLY_MIN, SUPPLY_MAX = 100, 20000
RELAX4_LIMIT = (2**31 - 1) // 4


def make_instance(S, K, W, R, seed):
    """Return a dict of numpy arrays: supply[S], smat[S] (material of each
    source), cap[K], mat_cap[K, 3] (0 where the sink has no separate limit
    for the material or does not accept it), and the haul arcs asrc, asink
    (0-based), acost, sorted by (source, sink)."""
    rng = np.random.default_rng(seed)
    sxy = rng.uniform(0.0, W, size=(S, 2))
    smat = rng.integers(0, N_MATERIALS, size=S)
    supply = np.floor(np.exp(rng.uniform(np.log(SUPPLY_MIN),
                                         np.log(SUPPLY_MAX), size=S)) + 0.5)
    supply = supply.astype(np.int64)

    kxy = rng.uniform(0.0, W, size=(K, 2))
    accepts = rng.random((K, N_MATERIALS)) < ACCEPT_P
    none = ~accepts.any(axis=1)
    accepts[none, rng.integers(0, N_MATERIALS, size=int(none.sum()))] = True
    weight = rng.lognormal(0.0, 1.0, size=K)
    cap = np.floor(weight / weight.sum() * CAP_FRACTION * supply.sum())
    cap = np.maximum(cap, 1).astype(np.int64)
    limited = accepts & (rng.random((K, N_MATERIALS)) < MAT_LIMIT_P)
    frac = rng.uniform(0.2, 0.8, size=(K, N_MATERIALS))
    mat_cap = np.where(limited, np.maximum(1, np.floor(cap[:, None] * frac)),
                       0).astype(np.int64)

    # Bucket both point sets on a grid of cell size R: every sink within R
    # of a source lies in the source's cell or one of its 8 neighbours.
    ncell = max(1, int(np.ceil(W / R)))

    def cell_of(xy):
        c = np.minimum((xy / R).astype(np.int64), ncell - 1)
        return c[:, 0] * ncell + c[:, 1]

    scell, kcell = cell_of(sxy), cell_of(kxy)
    sorder = np.argsort(scell, kind="stable")
    korder = np.argsort(kcell, kind="stable")
    sbounds = np.searchsorted(scell[sorder], np.arange(ncell * ncell + 1))
    kbounds = np.searchsorted(kcell[korder], np.arange(ncell * ncell + 1))

    parts_src, parts_sink, parts_d = [], [], []
    for cx in range(ncell):
        for cy in range(ncell):
            c = cx * ncell + cy
            si = sorder[sbounds[c]:sbounds[c + 1]]
            if si.size == 0:
                continue
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    nx, ny = cx + dx, cy + dy
                    if not (0 <= nx < ncell and 0 <= ny < ncell):
                        continue
                    n = nx * ncell + ny
                    ki = korder[kbounds[n]:kbounds[n + 1]]
                    if ki.size == 0:
                        continue
                    d = np.hypot(sxy[si, 0][:, None] - kxy[ki, 0][None, :],
                                 sxy[si, 1][:, None] - kxy[ki, 1][None, :])
                    ok = (d <= R) & accepts[ki][:, smat[si]].T
                    a, b = np.nonzero(ok)
                    parts_src.append(si[a])
                    parts_sink.append(ki[b])
                    parts_d.append(d[a, b])
    if parts_src:
        asrc = np.concatenate(parts_src)
        asink = np.concatenate(parts_sink)
        ad = np.concatenate(parts_d)
    else:
        asrc = asink = np.zeros(0, dtype=np.int64)
        ad = np.zeros(0)
    order = np.lexsort((asink, asrc))
    asrc, asink, ad = asrc[order], asink[order], ad[order]
    acost = np.floor((HANDLING + RATE * ad) * 1000.0 + 0.5).astype(np.int64)
    return {"supply": supply, "smat": smat, "cap": cap, "mat_cap": mat_cap,
            "asrc": asrc.astype(np.int64), "asink": asink.astype(np.int64),
            "acost": acost}


def write_lines(f, fmt, cols, chunk=200000):
    """Write rows of the integer columns cols with the %-format fmt (one
    line per row), chunked so formatting stays in C."""
    n = len(cols[0])
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        block = np.stack([c[lo:hi] for c in cols], axis=1).ravel().tolist()
        f.write((fmt * (hi - lo)) % tuple(block))


def write_dimacs(path, S, K, W, R, seed, inst):
    """Write inst (from make_instance) to path as DIMACS (via a temporary
    file, so an interrupted run never leaves a truncated cache entry).
    Node ids: sources 1..S, sinks S+1..S+K, material nodes after them in
    (sink, material) order, the super sink T last. Returns (nodes, arcs)."""
    supply, cap, mat_cap = inst["supply"], inst["cap"], inst["mat_cap"]
    asrc, asink, acost = inst["asrc"], inst["asink"], inst["acost"]
    total = int(supply.sum())
    if total > RELAX4_LIMIT:
        sys.exit("gen_alloc: total supply %d exceeds GLPK RELAX-IV's limit %d;"
                 " use fewer sources" % (total, RELAX4_LIMIT))
    mk, mj = np.nonzero(mat_cap)                 # row-major: (sink, material)
    n_mat = len(mk)
    mat_id = np.zeros((K, N_MATERIALS), dtype=np.int64)
    mat_id[mk, mj] = S + K + 1 + np.arange(n_mat)
    tnode = S + K + n_mat + 1
    n = tnode
    m = len(asrc) + S + n_mat + K
    # a haul arc ends at its material node where the sink has one
    smat_of_arc = inst["smat"][asrc]
    head = np.where(mat_id[asink, smat_of_arc] > 0,
                    mat_id[asink, smat_of_arc], asink + S + 1)
    src_ids = np.arange(1, S + 1, dtype=np.int64)
    sink_ids = np.arange(S + 1, S + K + 1, dtype=np.int64)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("c wasteplan allocation benchmark instance (gen_alloc v%d)\n"
                % GEN_VERSION)
        f.write("c sources %d sinks %d material_nodes %d width_km %g "
                "radius_km %g seed %d\n" % (S, K, n_mat, W, R, seed))
        f.write("c haul_arcs %d arcs_per_source %.1f total_supply_t %d\n"
                % (len(asrc), len(asrc) / max(S, 1), total))
        f.write("p min %d %d\n" % (n, m))
        write_lines(f, "n %d %d\n", [src_ids, supply])
        f.write("n %d %d\n" % (tnode, -total))
        write_lines(f, "a %d %d 0 %d %d\n",
                    [asrc + 1, head, supply[asrc], acost])
        write_lines(f, "a %d %d 0 %d %d\n",
                    [src_ids, np.full(S, tnode, dtype=np.int64), supply,
                     np.full(S, PENALTY, dtype=np.int64)])
        write_lines(f, "a %d %d 0 %d %d\n",
                    [mat_id[mk, mj], mk + S + 1, mat_cap[mk, mj],
                     np.zeros(n_mat, dtype=np.int64)])
        write_lines(f, "a %d %d 0 %d %d\n",
                    [sink_ids, np.full(K, tnode, dtype=np.int64), cap,
                     np.zeros(K, dtype=np.int64)])
    os.replace(tmp, path)
    return n, m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", type=int, required=True)
    ap.add_argument("--sinks", type=int, required=True)
    ap.add_argument("--width", type=float, required=True, help="km")
    ap.add_argument("--radius", type=float, default=150.0, help="km")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    a = ap.parse_args()
    if a.sources < 1 or a.sinks < 1 or a.width <= 0 or a.radius <= 0:
        sys.exit("gen_alloc: sources, sinks, width and radius must be positive")
    inst = make_instance(a.sources, a.sinks, a.width, a.radius, a.seed)
    n, m = write_dimacs(a.out, a.sources, a.sinks, a.width, a.radius, a.seed,
                        inst)
    print("%s: %d nodes, %d arcs (%.1f haul arcs per source)"
          % (a.out, n, m, len(inst["asrc"]) / a.sources))


if __name__ == "__main__":
    main()
