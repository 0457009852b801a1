#!/usr/bin/env python3
"""igraph's whole process for one analysis, the reference of scripts/bench-analysis's
whole-process row: read the relations sheet with pandas, build the graph
(undirected, simple, as Trama reads it for core numbers), compute, print the top 10.

Usage: igraph_whole.py RELATIONS.csv core|pagerank
"""
import sys

import igraph
import numpy
import pandas


def main():
    path, metric = sys.argv[1], sys.argv[2]
    sheet = pandas.read_csv(path, usecols=[0, 1], dtype=str, engine="c")
    # Ids to dense integers in one vectorised pass (the fastest route into igraph).
    codes, names = pandas.factorize(pandas.concat([sheet.iloc[:, 0], sheet.iloc[:, 1]], ignore_index=True))
    m = len(sheet)
    edges = numpy.column_stack((codes[:m], codes[m:]))
    g = igraph.Graph(n=len(names), edges=edges, directed=False)
    g.simplify()
    values = numpy.array(g.coreness() if metric == "core" else g.pagerank(damping=0.85))
    order = numpy.lexsort((names, -values))[:10]
    for v in order:
        print(names[v], values[v])


if __name__ == "__main__":
    main()
