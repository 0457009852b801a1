#!/usr/bin/env python3
"""Reads a Trama GraphML or GEXF export with networkx and prints what networkx
sees as JSON, so the Swift tests can check that every actor, relation and
attribute arrives: {"directed", "multigraph", "nodes": {id: attrs}, "edges": [[u, v, attrs]]}.

Usage: networkx_readback.py graphml|gexf FILE
"""
import json
import sys

import networkx as nx


def main() -> None:
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "graphml":
        graph = nx.read_graphml(path, force_multigraph=True)
    elif kind == "gexf":
        graph = nx.read_gexf(path)
    else:
        raise SystemExit(f"unknown format {kind}")
    edges = []
    for u, v, data in graph.edges(data=True):
        edges.append([u, v, {k: val for k, val in data.items() if k != "id"}])
    edges.sort(key=lambda e: (e[0], e[1], e[2].get("type", "")))
    print(json.dumps({
        "directed": graph.is_directed(),
        "multigraph": graph.is_multigraph(),
        "nodes": {n: dict(d) for n, d in graph.nodes(data=True)},
        "edges": edges,
    }, sort_keys=True, ensure_ascii=False))


if __name__ == "__main__":
    main()
