#!/usr/bin/env python3
"""Computes reference values for Trama's analyses with networkx, once, and
writes them as JSON fixtures beside the analysis tests. The tests compare
Trama's results with these at 1e-9; nothing here comes from Trama's code.

Each fixture: {"name", "directed", "nodes": [...], "edges": [[u, v, w], ...],
"results": {metric: {node: value} | value}}. Edges are given as Trama receives
them (parallel relations and self-loops included); networkx gets the simple
graph Trama's definitions describe: parallel relations merged (weights added),
self-loops dropped. Weighted path measures read a tie's length as 1/weight.

Usage: python3 scripts/analysis_fixtures.py [OUT_DIR]   (networkx 3.x)
"""
import json
import math
import os
import sys

import networkx as nx

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "TramaAnalysisTests", "Fixtures")
TIGHT = dict(tol=1e-14, max_iter=100000)


def simple(nodes, edges, directed):
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(nodes)
    for u, v, w in edges:
        if u == v:
            continue
        if g.has_edge(u, v):
            g[u][v]["weight"] += w
        else:
            g.add_edge(u, v, weight=w)
    for u, v, d in g.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return g


def clean(values):
    return {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in values.items()}


def path_lengths(g):
    lengths = [d for s, ds in nx.all_pairs_shortest_path_length(g) for t, d in ds.items() if s != t]
    return {"diameter": max(lengths) if lengths else 0, "average": (sum(lengths) / len(lengths)) if lengths else 0, "pairs": len(lengths)}


def unweighted(g):
    h = g.__class__()
    h.add_nodes_from(g)
    h.add_edges_from(g.edges())
    return h


def results(g, groups=None):
    n = len(g)
    u = unweighted(g).to_undirected()
    uw = unweighted(g)
    r = {}
    r["degree"] = clean(nx.degree_centrality(g)) if n > 1 else {str(v): 1.0 for v in g}
    if g.is_directed():
        r["in_degree"] = clean(nx.in_degree_centrality(g))
        r["out_degree"] = clean(nx.out_degree_centrality(g))
    r["strength"] = clean(dict(g.degree(weight="weight")))
    r["reach"] = clean({v: (len(nx.single_source_shortest_path_length(u, v, cutoff=2)) - 1) / (n - 1) for v in g}) if n > 1 else {str(v): 0.0 for v in g}
    r["betweenness"] = clean(nx.betweenness_centrality(uw))
    r["betweenness_weighted"] = clean(nx.betweenness_centrality(g, weight="distance"))
    r["closeness"] = clean(nx.closeness_centrality(uw))
    r["closeness_weighted"] = clean(nx.closeness_centrality(g, distance="distance"))
    r["harmonic"] = clean(nx.harmonic_centrality(uw))
    r["harmonic_weighted"] = clean(nx.harmonic_centrality(g, distance="distance"))
    if n > 0:
        r["pagerank"] = clean(nx.pagerank(uw, **TIGHT))
        r["pagerank_weighted"] = clean(nx.pagerank(g, weight="weight", **TIGHT))
        try:
            r["eigenvector"] = clean(nx.eigenvector_centrality(uw, **TIGHT))
        except nx.PowerIterationFailedConvergence:
            pass
    r["core"] = clean(nx.core_number(u))
    r["clustering"] = clean(nx.clustering(u))
    # networkx refuses structural holes on a graph with no nodes.
    r["constraint"] = clean(nx.constraint(u)) if n > 0 else {}
    r["effective_size"] = clean(nx.effective_size(u)) if n > 0 else {}
    r["components"] = sorted((sorted(map(str, c)) for c in nx.connected_components(u)), key=lambda c: (-len(c), c))
    r["bridges"] = sorted(sorted(map(str, e)) for e in nx.bridges(u))
    r["articulation_points"] = sorted(map(str, nx.articulation_points(u)))
    r["density"] = nx.density(uw)
    r["average_clustering"] = nx.average_clustering(u) if n > 0 else 0
    r["path_lengths"] = path_lengths(uw)
    if groups is not None:
        nx.set_node_attributes(uw, groups, "group")
        ties = [(a, b) for a, b in u.edges()]
        external = sum(1 for a, b in ties if groups[a] != groups[b])
        internal = len(ties) - external
        r["ei_index"] = (external - internal) / (external + internal)
        r["assortativity"] = nx.attribute_assortativity_coefficient(uw, "group")
        r["groups"] = {str(k): v for k, v in groups.items()}
    return r


def write(name, nodes, edges, directed, groups=None, extra=None):
    g = simple(nodes, edges, directed)
    fixture = {"name": name, "directed": directed, "nodes": [str(v) for v in nodes],
               "edges": [[str(a), str(b), w] for a, b, w in edges], "results": results(g, groups)}
    if extra:
        fixture["results"].update(extra(g))
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
    print(f"{name}: {len(nodes)} nodes, {len(edges)} edges")


def louvain_best(g):
    h = unweighted(g)
    runs = [nx.community.modularity(h, nx.community.louvain_communities(h, seed=s)) for s in range(20)]
    return {"louvain_best_of_20": max(runs)}


def main():
    os.makedirs(OUT, exist_ok=True)
    fl = nx.florentine_families_graph()
    write("florentine", list(fl), [(a, b, 1.0) for a, b in fl.edges()], False, extra=louvain_best)

    ka = nx.karate_club_graph()
    groups = {v: (0 if d["club"] == "Mr. Hi" else 1) for v, d in ka.nodes(data=True)}
    write("karate", list(ka), [(a, b, 1.0) for a, b in ka.edges()], False, groups=groups, extra=louvain_best)

    lm = nx.les_miserables_graph()
    write("lesmis", list(lm), [(a, b, float(d["weight"])) for a, b, d in lm.edges(data=True)], False, extra=louvain_best)

    # A small territorial ecosystem, directed, with strengths that are powers of
    # two (so path lengths 1/w add up exactly and ties between paths are exact).
    eco_nodes = ["coop-a", "coop-b", "coop-c", "cons", "pa", "mentor", "proj-1", "proj-2", "bank", "assoc"]
    eco_edges = [("coop-a", "cons", 2.0), ("coop-b", "cons", 1.0), ("coop-c", "cons", 4.0), ("pa", "coop-a", 1.0), ("pa", "coop-b", 2.0),
                 ("mentor", "proj-1", 1.0), ("mentor", "coop-c", 0.5), ("coop-a", "proj-1", 4.0), ("coop-b", "proj-1", 1.0),
                 ("coop-c", "proj-2", 2.0), ("bank", "proj-2", 8.0), ("assoc", "proj-2", 1.0), ("cons", "pa", 1.0), ("proj-1", "coop-a", 1.0),
                 ("assoc", "coop-c", 0.25), ("cons", "proj-2", 1.0)]
    write("ecosystem_directed", eco_nodes, eco_edges, True)

    write("disconnected", ["a", "b", "c", "d", "e", "f", "g", "h"],
          [("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0), ("c", "d", 1.0), ("e", "f", 1.0), ("f", "g", 1.0)], False)
    write("single", ["only"], [], False)
    write("empty", [], [], False)
    write("loops_and_parallel", ["a", "b", "c", "d"],
          [("a", "a", 1.0), ("a", "b", 1.0), ("a", "b", 2.0), ("b", "c", 1.0), ("c", "c", 3.0), ("c", "d", 1.0), ("d", "a", 1.0), ("b", "a", 1.0)], False)

    dv = nx.davis_southern_women_graph()
    women = [v for v, d in dv.nodes(data=True) if d["bipartite"] == 0]
    projected = nx.bipartite.weighted_projected_graph(dv, women)
    davis = {"name": "davis", "directed": False, "nodes": list(dv), "edges": [[a, b, 1.0] for a, b in dv.edges()],
             "side": women, "results": {"projection": sorted([sorted([a, b]) + [d["weight"]] for a, b, d in projected.edges(data=True)])}}
    with open(os.path.join(OUT, "davis.json"), "w") as f:
        json.dump(davis, f, indent=1, sort_keys=True)
    print(f"davis: {len(women)} women projected, {projected.number_of_edges()} ties")
    print(f"networkx {nx.__version__}")


if __name__ == "__main__":
    main()


def brokerage_fixtures(out):
    """Gould-Fernandez brokerage by R's sna::brokerage (needs Rscript and
    r-cran-sna); the graph is read as directed arcs, as sna does."""
    import random
    import subprocess
    import tempfile
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(11)
    cases = []
    nodes = [f"n{i}" for i in range(30)]
    arcs = sorted({(a, b) for a, b in ((rng.randrange(30), rng.randrange(30)) for _ in range(110)) if a != b})
    cases.append(("brokerage_random", nodes, arcs, [i % 3 for i in range(30)]))
    ka = nx.karate_club_graph()
    arcs = sorted({(a, b) for u, v in ka.edges() for a, b in ((u, v), (v, u))})
    cases.append(("brokerage_karate", [str(v) for v in ka], arcs, [0 if ka.nodes[v]["club"] == "Mr. Hi" else 1 for v in ka]))
    eco = json.load(open(os.path.join(out, "ecosystem_directed.json")))
    index = {v: i for i, v in enumerate(eco["nodes"])}
    arcs = sorted({(index[a], index[b]) for a, b, _ in eco["edges"] if a != b})
    kinds = {"coop": 0, "cons": 1, "pa": 2, "mentor": 3, "proj": 4, "bank": 5, "assoc": 6}
    cases.append(("brokerage_ecosystem", eco["nodes"], arcs, [kinds[v.split("-")[0]] for v in eco["nodes"]]))
    for name, nodes, arcs, groups in cases:
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "edges.tsv"), "w") as f:
                f.writelines(f"{a}\t{b}\n" for a, b in arcs)
            with open(os.path.join(tmp, "classes.tsv"), "w") as f:
                f.writelines(f"{v}\t{g}\n" for v, g in zip(nodes, groups))
            result = json.loads(subprocess.run(["Rscript", os.path.join(here, "brokerage_fixtures.R"), os.path.join(tmp, "edges.tsv"),
                                                os.path.join(tmp, "classes.tsv")], check=True, capture_output=True, text=True).stdout)
        fixture = {"name": name, "directed": True, "nodes": nodes, "edges": [[nodes[a], nodes[b], 1.0] for a, b in arcs],
                   "groups": groups, "results": result}
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump(fixture, f, indent=1, sort_keys=True)
        print(f"{name}: {len(nodes)} nodes, {len(arcs)} arcs (sna::brokerage)")


if __name__ == "__main__" and os.environ.get("WITH_R"):
    brokerage_fixtures(OUT)
