#!/usr/bin/env python3
"""The reference side of scripts/bench-analysis: times igraph or networkit on
the same edge list as trama-bench, one library per process.

Usage: bench_reference.py igraph|networkit RELATIONS.csv METRIC[,METRIC...]
Prints `metric seconds` per metric (`-` where the library has no equivalent),
then `peak_mb N`. The graph is undirected and simple (parallel ties merged,
self-loops dropped), as Trama builds it; loading is not timed.
"""
import csv
import resource
import sys
import time


def edges(path):
    index, pairs = {}, set()
    with open(path) as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            a = index.setdefault(row[0], len(index))
            b = index.setdefault(row[1], len(index))
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    return len(index), sorted(pairs)


def main():
    library, path, metrics = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    n, pairs = edges(path)
    if library == "igraph":
        import igraph
        g = igraph.Graph(n=n, edges=pairs, directed=False)
        runs = {
            "pagerank": lambda: g.pagerank(damping=0.85),
            "components": lambda: g.connected_components(),
            "core": lambda: g.coreness(),
            "louvain": lambda: g.community_multilevel(),
            "leiden": lambda: g.community_leiden(objective_function="modularity", n_iterations=-1),
            "cutpoints": lambda: (g.bridges(), g.articulation_points()),
            "betweenness": lambda: g.betweenness(directed=False),
            "harmonic": lambda: g.harmonic_centrality(),
            "closeness": lambda: g.closeness(),
            "constraint": lambda: g.constraint(),
            "clustering": lambda: g.transitivity_local_undirected(mode="zero"),
            "eigenvector": lambda: g.eigenvector_centrality(),
        }
    else:
        import networkit as nk
        nk.engineering.setNumberOfThreads(2)
        g = nk.Graph(n, weighted=False, directed=False)
        for a, b in pairs:
            g.addEdge(a, b)
        g.indexEdges()
        runs = {
            "pagerank": lambda: nk.centrality.PageRank(g, damp=0.85, tol=1e-6).run(),
            "components": lambda: nk.components.ConnectedComponents(g).run(),
            "core": lambda: nk.centrality.CoreDecomposition(g).run(),
            "louvain": lambda: nk.community.PLM(g, refine=False).run(),
            "leiden": lambda: nk.community.ParallelLeiden(g).run(),
            "cutpoints": lambda: nk.components.BiconnectedComponents(g).run(),
            "betweenness": lambda: nk.centrality.Betweenness(g, normalized=True).run(),
            "sampled-betweenness": lambda: nk.centrality.ApproxBetweenness(g, epsilon=0.05, delta=0.1).run(),
            "harmonic": lambda: nk.centrality.HarmonicCloseness(g, normalized=False).run(),
            "closeness": lambda: nk.centrality.Closeness(g, False, nk.centrality.ClosenessVariant.GENERALIZED).run(),
            "clustering": lambda: nk.centrality.LocalClusteringCoefficient(g).run(),
            "eigenvector": lambda: nk.centrality.EigenvectorCentrality(g).run(),
        }
    for metric in metrics:
        run = runs.get(metric)
        if run is None:
            print(f"{metric} -")
            continue
        start = time.perf_counter()
        run()
        print(f"{metric} {time.perf_counter() - start:.4f}", flush=True)
    print(f"peak_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
