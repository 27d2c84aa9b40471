"""Adding or replacing one article in an existing store (``kg build --update RECORD.yaml``).

Only what depends on the article is touched, and the cost follows the article's size. Three
jobs, one module each:

* its named graph (here): the record is mapped, validated with the reference data it uses (the
  store's reference triples reachable from the individuals it names) by ``kg validate``'s own
  path on a scratch store, and replaced; individuals are looked up one by one, never by
  scanning;
* the inferred graph, if the store has one (:mod:`kg.reason.incremental`); replacing the graph
  and changing the inferred graph is one transaction;
* the links of the firms the record declares or changes (:mod:`kg.link.refresh`);
* the derived graphs (:mod:`kg.build.derived`): the conflicting reports about the nodes the
  article reports on, and the money flows between the parties it has pay each other (before or
  after the change), derived again from the article graphs.

:class:`UpdateSummary` says what was done, and counts the triples read and written
(:class:`kg.reason.rules.Work`): the measure kept proportional to the article.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from kg.build.derived import DerivedChange, rederive, touched
from kg.core.errors import InputError, NonConformingError
from kg.core.iris import (
    DERIVED_GRAPHS,
    GRAPH_INFERRED,
    GRAPH_LINKSET,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
)
from kg.core.ontology import load_ontology
from kg.link.refresh import refresh_links
from kg.reason.incremental import InferredChange, refresh_inferred
from kg.reason.rules import Work, matched
from kg.records.mapper import Schema, map_record
from kg.records.reader import declared_individuals, load_records
from kg.store.embedded import Store, from_ox, to_ox_quad

__all__ = [
    "GraphValidator",
    "UpdateSummary",
    "shacl_validator",
    "update_record",
]

#: checks one article graph (named) of a scratch store that holds it with the reference data it
#: uses and the ontology; raises :class:`kg.core.errors.NonConformingError` when it does not conform
GraphValidator = Callable[[Store, URIRef], None]


@dataclass(frozen=True)
class UpdateSummary:
    """What an update did."""

    store: Path
    graph: URIRef
    before: int  # triples in the graph before (0: a new article)
    after: int
    #: None when no validation ran
    conforms: bool | None
    #: None when the store has no inferred graph
    inferred: InferredChange | None = None
    #: one line per linkset (or one saying the links are unchanged)
    links: list[str] = field(default_factory=list)
    work: Work = field(default_factory=Work)
    #: what changed in the derived graphs (kg.build.derived)
    derived: DerivedChange | None = None

    def lines(self) -> list[str]:
        verb = "replaced" if self.before else "added"
        out = [f"{verb} {self.graph} in {self.store}: {self.before} -> {self.after} triples"]
        if self.inferred is None:
            out.append("inferred: the store has no inferred graph ('kg reason' makes one)")
        else:
            change = self.inferred
            out.append(
                f"inferred: +{len(change.added)} -{len(change.removed)} triples in "
                f"{GRAPH_INFERRED} (the rules of ontology/rules)"
            )
            if change.flows_changed:
                out.append(
                    "note: direct aikg:capitalFlowsTo changed; chains of flows in the inferred "
                    "graph are those of the last 'kg reason' (queries: aikg:capitalFlowsTo+)"
                )
        out += self.links
        if self.derived is not None:
            out += self.derived.lines()
        out.append(f"work: {self.work.read} triples read, {self.work.written} written")
        return out


class _InStore(Container[URIRef]):
    """Individuals known before mapping: a fixed set, then the store, asked one IRI at a time."""

    def __init__(self, store: Store, fixed: set[URIRef], work: Work) -> None:
        self._store = store
        self._fixed = fixed
        self._work = work

    def __contains__(self, item: object) -> bool:
        if item in self._fixed:
            return True
        if not isinstance(item, URIRef):
            return False
        node = ox.NamedNode(str(item))
        hit = next(self._store.match(node), None)
        self._work.read += 1
        return hit is not None


def _reference_used(store: Store, article: Graph, work: Work | None = None) -> Graph:
    """The reference triples about the IRIs ``article`` names, and about the IRIs those name,
    and so on (a firm's country must be known to be a country): the article's neighbourhood in
    the reference data, not all of it."""
    tally = work if work is not None else Work()
    used = Graph()
    seen: set[URIRef] = set()
    todo = {n for t in article for n in (t[0], t[2]) if isinstance(n, URIRef)}
    while todo:
        found: set[URIRef] = set()
        for iri in todo - seen:
            seen.add(iri)
            for q in matched(store, tally, iri, None, None, GRAPH_REFERENCE):
                triple = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                used.add(triple)
                if isinstance(triple[2], URIRef):
                    found.add(triple[2])
        todo = found - seen
    return used


def shacl_validator() -> GraphValidator:
    """The validation of ``kg validate`` (:func:`kg.validate.run.validate_store`) on the one graph:
    violations refused, warnings allowed."""
    from kg.validate.results import Severity
    from kg.validate.run import validate_store
    from kg.validate.shapes import Shapes

    shapes = Shapes.load()

    def validate(scratch: Store, name: URIRef) -> None:
        report = validate_store(scratch, graphs=[name], shapes=shapes, violations_only=True)
        if not report.conforms:
            first = next(r for r in report.results if r.severity is Severity.VIOLATION)
            raise NonConformingError(f"{name} does not conform: {first.message()}")

    return validate


def _has_graph(store: Store, name: URIRef, work: Work) -> bool:
    work.read += 1
    return store.has_graph(name)


def _read_graph(store: Store, name: URIRef, work: Work) -> Graph:
    graph = Graph(identifier=name)
    for q in matched(store, work, None, None, None, name):
        graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return graph


# -- the inferred graph --------------------------------------------------------------------------


def _scratch(name: URIRef, article: Graph, reference: Graph, store: Store, work: Work) -> Store:
    """An in-memory store with the new article graph, the reference data it reaches and the
    ontology: where the rules see the article as it will be, before the store changes."""
    scratch = Store.in_memory()
    quads = [to_ox_quad(s, p, o, name) for s, p, o in article]
    quads += [to_ox_quad(s, p, o, GRAPH_REFERENCE) for s, p, o in reference]
    quads += list(matched(store, work, None, None, None, GRAPH_ONTOLOGY))
    quads += _types_elsewhere(store, name, article, work)
    scratch.add_quads(quads)
    return scratch


def _types_elsewhere(store: Store, name: URIRef, article: Graph, work: Work) -> list[ox.Quad]:
    """The types that the other graphs of the store give the individuals ``article`` types, in
    their own graphs: what the dataset checks (:mod:`kg.validate.dataset_checks`, one individual
    typed with disjoint classes across graphs) need to see on the scratch store. One lookup per
    individual, never a scan."""
    skipped = {name, GRAPH_ONTOLOGY, GRAPH_INFERRED}
    typed = {s for s in article.subjects(RDF.type) if isinstance(s, URIRef)}
    return [
        q
        for iri in sorted(typed)
        for q in matched(store, work, iri, RDF.type, None, None)
        if from_ox(q.graph_name) not in skipped
    ]


def _apply(
    store: Store,
    name: URIRef,
    graph: Graph,
    change: InferredChange | None,
    work: Work,
) -> None:
    """The article graph replaced and the inferred graph changed, in one transaction (readers
    see the store before or after, never between)."""
    quads = [to_ox_quad(s, p, o, name) for s, p, o in graph]
    gone = [to_ox_quad(*t, GRAPH_INFERRED) for t in sorted(change.removed)] if change else []
    came = [to_ox_quad(*t, GRAPH_INFERRED) for t in sorted(change.added)] if change else []
    store.change(drop=name, delete=gone, insert=[*quads, *came])
    work.written += len(quads) + len(gone) + len(came)


# -- the update ----------------------------------------------------------------------------------


def update_record(
    record_file: Path,
    *,
    store_dir: Path,
    corpus_dir: Path | None = None,
    validate: GraphValidator | None = None,
    allow_invalid: bool = False,
    ontology: Graph | None = None,
    register_dir: Path | None = None,
    wait: float | None = None,
) -> UpdateSummary:
    """Add or replace the article graph of ``record_file`` in the existing store, and refresh
    what depends on it: the inferred graph (if any) and the links of the firms it declares.

    ``register_dir`` is where the register files named by the linksets are looked for
    (default: the current folder, where 'kg link --input FILE' is usually run). The update is
    a new generation of the store (:mod:`kg.store.generations`), written under the writer lock
    (``wait``: seconds to wait for another writer; default: refuse at once).
    """
    if not Path(store_dir).is_dir():
        raise InputError("no store here: run 'kg build' first", file=store_dir)
    records = load_records([Path(record_file)], corpus_dir=corpus_dir)
    schema = Schema.from_graph(ontology if ontology is not None else load_ontology())
    work = Work()
    with Store.open(Path(store_dir), wait=wait) as store:
        if not _has_graph(store, GRAPH_ONTOLOGY, work):
            raise InputError("not a dataset built by 'kg build'", file=store_dir)
        fixed = set(schema.vocabulary.individuals)
        fixed |= {URIRef(iri) for iri in declared_individuals(records)}
        graph = map_record(records[0], schema=schema, known=_InStore(store, fixed, work))
        name = URIRef(str(graph.identifier))
        if name in {
            GRAPH_ONTOLOGY,
            GRAPH_REFERENCE,
            GRAPH_INFERRED,
            GRAPH_LINKSET,
            *DERIVED_GRAPHS,
        }:
            raise InputError(f"the record would replace {name}", file=record_file)
        reference = _reference_used(store, graph, work)
        conforms: bool | None = None
        with _scratch(name, graph, reference, store, work) as scratch:
            if validate is not None:
                try:
                    validate(scratch, name)
                    conforms = True
                except NonConformingError:
                    if not allow_invalid:
                        raise
                    conforms = False
            old = _read_graph(store, name, work)
            change = None
            if _has_graph(store, GRAPH_INFERRED, work):
                change = refresh_inferred(store, name, old, graph, scratch, work)
        article = ox.NamedNode(str(name))
        before = touched(store, article)
        _apply(store, name, graph, change, work)
        work.written += len(old)  # the old graph's triples were deleted
        derived = rederive(store, before | touched(store, article))
        work.written += derived.triples
        inputs = register_dir if register_dir is not None else Path.cwd()
        links = refresh_links(store, old, graph, inputs=inputs, work=work)
        return UpdateSummary(
            Path(store_dir), name, len(old), len(graph), conforms, change, links, work, derived
        )
