"""Adding or replacing one article in an existing store (``kg build --update RECORD.yaml``).

Only the article's named graph is touched: the record is mapped, validated alone with the
reference data it uses (the store's reference triples reachable from the individuals it
names; the shapes of ``kg validate``), and its graph is replaced in one transaction. The cost
follows the article's size: individuals are looked up one by one in the store, never by
scanning it. Graphs derived from
the whole dataset (the inferred graph, the linkset) are reported as needing a refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.errors import InputError, NonConformingError
from kg.iris import GRAPH_INFERRED, GRAPH_LINKSET, GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.mapper import Schema, map_record
from kg.ontology import load_ontology
from kg.records import declared_individuals, load_records
from kg.store import Store, from_ox

__all__ = ["GraphValidator", "UpdateSummary", "shacl_validator", "update_record"]

#: checks one article graph together with the reference data it uses; raises
#: :class:`kg.errors.NonConformingError` when it does not conform
GraphValidator = Callable[[Graph, Graph], None]


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did to one graph."""

    store: Path
    graph: URIRef
    before: int  # triples in the graph before (0: a new article)
    after: int
    #: None when no validation ran
    conforms: bool | None
    #: graphs derived from the whole dataset that are now out of date
    stale: list[URIRef] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "replaced" if self.before else "added"
        out = [f"{verb} {self.graph} in {self.store}: {self.before} -> {self.after} triples"]
        out += [
            f"note: {g} is derived from the whole dataset; refresh it ('kg reason', 'kg link')"
            for g in self.stale
        ]
        return out


class _InStore(Container[URIRef]):
    """Individuals known before mapping: a fixed set, then the store, asked one IRI at a time."""

    def __init__(self, store: Store, fixed: set[URIRef]) -> None:
        self._store = store
        self._fixed = fixed

    def __contains__(self, item: object) -> bool:
        if item in self._fixed:
            return True
        if not isinstance(item, URIRef):
            return False
        node = ox.NamedNode(str(item))
        hit = next(iter(self._store.oxigraph.quads_for_pattern(node, None, None, None)), None)
        return hit is not None


def _reference_used(store: Store, article: Graph) -> Graph:
    """The reference triples about the IRIs ``article`` names, and about the IRIs those name,
    and so on (a firm's country must be known to be a country): the article's neighbourhood in
    the reference data, not all of it."""
    used = Graph()
    ref = ox.NamedNode(str(GRAPH_REFERENCE))
    seen: set[URIRef] = set()
    todo = {n for t in article for n in (t[0], t[2]) if isinstance(n, URIRef)}
    while todo:
        found: set[URIRef] = set()
        for iri in todo - seen:
            seen.add(iri)
            for q in store.oxigraph.quads_for_pattern(ox.NamedNode(str(iri)), None, None, ref):
                triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                used.add(triple)
                if isinstance(triple[2], URIRef):
                    found.add(triple[2])
        todo = found - seen
    return used


def shacl_validator() -> GraphValidator:
    """The validator of ``kg validate`` (:func:`kg.validate.validate_graph`): the article graph
    with the reference data it uses, violations refused, warnings allowed."""
    from kg.validate import Shapes, validate_graph

    shapes = Shapes.load()

    def validate(article: Graph, reference: Graph) -> None:
        name = URIRef(str(article.identifier))
        report = validate_graph(article, graph=name, reference=reference, shapes=shapes)
        if not report.conforms:
            first = next(r for r in report.results if r.severity.name == "VIOLATION")
            raise NonConformingError(f"{name} does not conform: {first.message()}")

    return validate


def _stale(store: Store) -> list[URIRef]:
    return [
        g
        for g in (GRAPH_INFERRED, GRAPH_LINKSET)
        if store.oxigraph.contains_named_graph(ox.NamedNode(str(g)))
    ]


def update_record(
    record_file: Path,
    *,
    store_dir: Path,
    corpus_dir: Path | None = None,
    validate: GraphValidator | None = None,
    allow_invalid: bool = False,
    ontology: Graph | None = None,
) -> UpdateSummary:
    """Add or replace the article graph of ``record_file`` in the existing store."""
    if not Path(store_dir).is_dir():
        raise InputError("no store here: run 'kg build' first", file=store_dir)
    records = load_records([Path(record_file)], corpus_dir=corpus_dir)
    schema = Schema.from_graph(ontology if ontology is not None else load_ontology())
    with Store.open(Path(store_dir)) as store:
        if not store.oxigraph.contains_named_graph(ox.NamedNode(str(GRAPH_ONTOLOGY))):
            raise InputError("not a dataset built by 'kg build'", file=store_dir)
        fixed = set(schema.vocabulary.individuals)
        fixed |= {URIRef(iri) for iri in declared_individuals(records)}
        graph = map_record(records[0], schema=schema, known=_InStore(store, fixed))
        name = URIRef(str(graph.identifier))
        if name in (GRAPH_ONTOLOGY, GRAPH_REFERENCE, GRAPH_INFERRED, GRAPH_LINKSET):
            raise InputError(f"the record would replace {name}", file=record_file)
        conforms: bool | None = None
        if validate is not None:
            try:
                validate(graph, _reference_used(store, graph))
                conforms = True
            except NonConformingError:
                if not allow_invalid:
                    raise
                conforms = False
        before = store.count(name)
        after = store.replace_graph(name, graph)
        return UpdateSummary(Path(store_dir), name, before, after, conforms, _stale(store))
