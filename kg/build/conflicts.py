"""The graph of conflicting reports (``graph/conflicts``): pairs of articles that disagree.

Comparing every report of the store with every other is a whole-store join (1.5 s on 10,000
articles), too slow to run at each call of the ``conflicting-reports`` template. So the pairs are
derived once per write, like an index: ``kg build`` derives them after the bulk load,
``kg build --update`` and ``kg load`` derive them again after changing article graphs, each in
the same new generation of the store as the change (readers see both or neither). What counts
as a conflict is the SPARQL CONSTRUCT ``ontology/derived/conflicts.rq``, whose triples replace the
graph; the template reads the stored pairs.

A derivation reads the whole store (its cost grows with the store, not with the article an
update changes): about 1.7 s at 10,000 articles, 0.2 s at 1,000.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from kg.core.errors import InputError
from kg.core.iris import GRAPH_CONFLICTS
from kg.core.paths import ontology_dir
from kg.store.embedded import Store

__all__ = ["derivation", "derive_conflicts"]


@cache
def derivation() -> str:
    """The SPARQL CONSTRUCT whose triples are the graph of conflicting reports."""
    path = ontology_dir() / "derived" / "conflicts.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the derivation of conflicting reports: {exc}") from exc


def derive_conflicts(store: Store) -> int:
    """Replace the graph of conflicting reports of ``store``; the number of pairs it now holds.
    ``store`` is a writer's new generation, which nobody reads before it is published
    (:mod:`kg.store.generations`), so the graph is emptied and refilled in two steps."""
    graph = ox.NamedNode(str(GRAPH_CONFLICTS))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in store.query(derivation())]
    store.remove_graph(GRAPH_CONFLICTS)
    store.add_quads(quads)
    return len({q.subject for q in quads})  # one aikg:ConflictingReports node a pair
