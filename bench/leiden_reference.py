#!/usr/bin/python3
"""Reference side of bench/decomposer.sh.

  leiden_reference.py generate N K M SEED OUT.tsv   planted partition: N nodes in K
        equal groups, about M edges, 80% of them inside groups
  leiden_reference.py leidenalg GRAPH.tsv SEED      time leidenalg (modularity, n_iterations=-1)
  leiden_reference.py louvain GRAPH.tsv SEED        time networkx's Louvain

Prints one JSON line per run: seconds (clustering only), modularity, communities.
Uses /usr/bin/python3 with python3-igraph, python3-leidenalg, python3-networkx.
"""
import json
import random
import sys
import time


def generate(n, k, m, seed, out):
    rng = random.Random(seed)
    size = n // k
    seen = set()
    with open(out, "w") as f:
        while len(seen) < m:
            a = rng.randrange(n)
            if rng.random() < 0.8:
                g = a // size
                b = g * size + rng.randrange(size)
                if b >= n:
                    continue
            else:
                b = rng.randrange(n)
            if a == b:
                continue
            key = (min(a, b), max(a, b))
            if key in seen:
                continue
            seen.add(key)
            f.write("n%d\tn%d\t1\n" % key)


def read_edges(path):
    names, edges, weights = {}, [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            a = names.setdefault(parts[0], len(names))
            b = names.setdefault(parts[1], len(names))
            edges.append((a, b))
            weights.append(float(parts[2]) if len(parts) > 2 else 1.0)
    return len(names), edges, weights


def run_leidenalg(path, seed):
    import igraph as ig
    import leidenalg as la
    n, edges, weights = read_edges(path)
    g = ig.Graph(n=n, edges=edges)
    g.es["weight"] = weights
    start = time.perf_counter()
    p = la.find_partition(g, la.ModularityVertexPartition, weights="weight", n_iterations=-1, seed=seed)
    seconds = time.perf_counter() - start
    q = g.modularity(p.membership, weights="weight")
    print(json.dumps({"seconds": round(seconds, 4), "modularity": round(q, 6), "communities": len(p)}))


def run_louvain(path, seed):
    import networkx as nx
    n, edges, weights = read_edges(path)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((a, b, w) for (a, b), w in zip(edges, weights))
    start = time.perf_counter()
    parts = nx.community.louvain_communities(g, weight="weight", seed=seed)
    seconds = time.perf_counter() - start
    q = nx.community.modularity(g, parts, weight="weight")
    print(json.dumps({"seconds": round(seconds, 4), "modularity": round(q, 6), "communities": len(parts)}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif cmd == "leidenalg":
        run_leidenalg(sys.argv[2], int(sys.argv[3]))
    elif cmd == "louvain":
        run_louvain(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("unknown command " + cmd)
