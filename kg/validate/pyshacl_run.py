"""pyshacl on one graph at a time: what the one validation path (:mod:`kg.validate.run`) calls
for the graphs the compiled checks flag, and what validates a graph given alone.

Each article graph is validated together with the reference data it uses (the reference triples
about the individuals it names, two links deep), never with the union of the dataset, so adding
one article revalidates one article. The reference graph is validated once, on its own. Only the
graph's own nodes are focus nodes: the reference data a graph borrows and the ontology are there
to be looked at, never reported.

pyshacl runs with the ontology mixed in (so ``sh:targetClass`` and ``sh:class`` reach
subclasses) and inference ``none``. The shapes are parsed once per
:class:`~kg.validate.shapes.Shapes` and reused; SPARQL texts are parsed once
(:mod:`kg.validate.sparql_cache`); the LEI check digits are a registered SPARQL function
(:mod:`kg.validate.functions`).

>>> from rdflib import Graph
>>> data = Graph().parse(format="turtle", data='''
... @prefix aikg: <https://w3id.org/aikg/ontology#> .
... <https://w3id.org/aikg/id/firm/acme> a aikg:Firm ; aikg:cik "104581" .''')
>>> from kg.validate.results import Severity
>>> report = validate_graph(data, reference=Graph())
>>> report.conforms
False
>>> sorted({r.shape_name for r in report.results if r.severity is Severity.VIOLATION})
['aikgsh:ChineseLabel', 'aikgsh:EnglishLabel', 'aikgsh:FirmCik']
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from kg.core.iris import (
    DERIVED_GRAPHS,
    GRAPH_INFERRED,
    GRAPH_LINKSET,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
)
from kg.core.ontology import load_reference
from kg.core.paths import ontology_dir
from kg.validate.results import GraphReport, Report, read_results
from kg.validate.shapes import Shapes

__all__ = [
    "SKIPPED_GRAPHS",
    "ReferenceData",
    "graph_order",
    "project_graph",
    "project_reference",
    "validate_graph",
    "validate_graphs",
]


#: graphs that are never validated as data: the ontology, what the reasoner derived from it, and
#: the graphs kg build derived from the article graphs (conflicting reports, money flows)
SKIPPED_GRAPHS = frozenset({GRAPH_ONTOLOGY, GRAPH_INFERRED, *DERIVED_GRAPHS})


# -- the shapes, parsed once -----------------------------------------------------------------------


# -- the reference data a graph uses ---------------------------------------------------------
class ReferenceData:
    """The reference graph, indexed by subject, to hand each graph the part of it that it uses."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        index: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in graph:
            index.setdefault(s, []).append((p, o))
        self._index = index

    def closure(self, data: Graph) -> Iterator[tuple[Node, Node, Node]]:
        """The reference triples about the IRIs ``data`` uses, and the classes of the IRIs those
        triples point to (what ``sh:class`` needs to check a value of a value)."""
        used = {n for t in data for n in (t[0], t[2]) if isinstance(n, URIRef) and n in self._index}
        further: set[Node] = set()
        for subject in used:
            for p, o in self._index[subject]:
                yield subject, p, o
                if isinstance(o, URIRef) and o not in used:
                    further.add(o)
        for node in further & self._index.keys():
            for p, o in self._index[node]:
                if p == RDF.type:
                    yield node, p, o


# -- results ---------------------------------------------------------------------------------------


# -- validating ------------------------------------------------------------------------------------
def _skolemized(graph: Graph) -> Graph:
    """Blank nodes as IRIs, so that they can be focus nodes."""
    if any(isinstance(n, BNode) for t in graph for n in (t[0], t[2])):
        return graph.skolemize()
    return graph


def validate_graph(
    data: Graph,
    *,
    graph: URIRef | None = None,
    reference: ReferenceData | Graph | None = None,
    shapes: Shapes | None = None,
) -> GraphReport:
    """Validate one graph: an article graph with the reference data it uses, or (``reference``
    None, or ``graph`` the reference graph and no ``reference``) a graph on its own.

    ``reference`` defaults to the project's reference data; pass an empty ``Graph()`` for none.
    Only ``data``'s own subjects are focus nodes, never the ontology's terms.
    """
    shapes = shapes or Shapes.load()
    data = _skolemized(data)
    name = (
        graph
        if graph is not None
        else (data.identifier if isinstance(data.identifier, URIRef) else None)
    )
    working = Graph()
    working += data
    # the reference graph is validated on its own, or with the reference data it was given
    # (the store's reference graph and linksets: kg.validate.run)
    if name != GRAPH_REFERENCE or reference is not None:
        if reference is None:
            reference = project_reference()
        if isinstance(reference, Graph):
            reference = ReferenceData(reference)
        for triple in reference.closure(data):
            working.add(triple)
    # pyshacl's own focus_nodes option also filters the value nodes of nested shapes (sh:node,
    # sh:or, qualified shapes on literals), so the whole graph is validated and the results about
    # nodes that are not the graph's own subjects (borrowed reference data, ontology) dropped.
    focus = {s for s in data.subjects() if isinstance(s, URIRef)} - shapes.ontology_terms
    if not focus:
        return GraphReport(graph=name, results=(), data=working)
    report = shapes.validate(working)
    results = [r for r in read_results(report, graph=name, shapes=shapes) if r.focus in focus]
    return GraphReport(graph=name, results=tuple(results), data=working)


@functools.lru_cache(maxsize=4)
def _project_reference_cached(directory: Path, stamp: tuple[int, ...]) -> ReferenceData:
    del stamp  # part of the cache key only: a changed reference file is read again
    return ReferenceData(load_reference(directory=directory))


def project_graph() -> Graph:
    return project_reference().graph


def project_reference() -> ReferenceData:
    directory = ontology_dir().resolve()
    files = sorted((directory / "reference").glob("*.ttl"))
    return _project_reference_cached(directory, tuple(f.stat().st_mtime_ns for f in files))


def graph_order(name: URIRef | None) -> tuple[int, str]:
    if name == GRAPH_REFERENCE:
        return 0, ""
    if name == GRAPH_LINKSET:
        return 1, ""
    return 2, str(name or "")


def validate_graphs(
    graphs: Mapping[URIRef | None, Graph],
    *,
    reference: Graph | None = None,
    shapes: Shapes | None = None,
    progress: Callable[[URIRef | None], None] | None = None,
) -> Report:
    """Validate a dataset graph by graph: the reference graph on its own, every other graph with
    the reference data it uses. ``reference`` defaults to ``graphs``' reference graph, else the
    project's. The ontology and inferred graphs are skipped."""
    shapes = shapes or Shapes.load()
    if reference is None:
        reference = graphs.get(GRAPH_REFERENCE)
    index = ReferenceData(reference) if reference is not None else project_reference()
    reports: list[GraphReport] = []
    for name in sorted(graphs, key=graph_order):
        if name in SKIPPED_GRAPHS:
            continue
        if progress is not None:
            progress(name)
        reports.append(validate_graph(graphs[name], graph=name, reference=index, shapes=shapes))
    return Report(graphs=tuple(reports), shapes=shapes)
