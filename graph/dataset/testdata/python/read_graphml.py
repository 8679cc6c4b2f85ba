"""Reads a GraphML file with networkx and prints what it found as JSON, for TestGraphMLReader.

Usage: read_graphml.py FILE
"""
import json
import sys

import networkx as nx

g = nx.read_graphml(sys.argv[1])
out = {
    "directed": g.is_directed(),
    "multigraph": g.is_multigraph(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "node": {},
    "edge": {},
}
for n, attrs in g.nodes(data=True):
    out["node"][n] = {k: [type(v).__name__, v] for k, v in attrs.items()}
for u, v, *rest in g.edges(data=True, keys=g.is_multigraph()):
    attrs = rest[-1]
    key = attrs.get("id") or (rest[0] if g.is_multigraph() else f"{u}->{v}")
    out["edge"][str(key)] = {"source": u, "target": v, **{k: [type(x).__name__, x] for k, x in attrs.items()}}
json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
