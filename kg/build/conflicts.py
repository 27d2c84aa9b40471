"""The graph of conflicting reports (``graph/conflicts``): what articles report differently.

Comparing every report of the store with every other is a whole-store join (1.5 s on 10,000
articles), too slow to run at each call of the ``conflicting-reports`` template. So the reports
in disagreement are derived once per write, like an index: ``kg build`` and ``kg load`` derive
the whole graph after loading (:func:`derive_conflicts`); ``kg build --update`` derives again
only the reports about what the changed article reports on (a node and a property), before or
after the change (:func:`reported_in`, :func:`rederive_conflicts`), reading only the article
graphs that report on the same node and property. Either way the graph changes in the same new
generation of the store as the articles (readers see both or neither).

What counts as a conflict is the SPARQL CONSTRUCT ``ontology/derived/conflicts.rq``; which nodes
an article reports on is the SELECT ``ontology/derived/reported.rq``. The graph holds one
``aikg:ConflictingReport`` node per report that disagrees with another article's: it grows with
the reports, not with their pairs (a node per pair made 3.1 M triples at 100,000 synthetic
articles, with the square of the articles reporting on one deal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF

from kg.core.errors import InputError
from kg.core.iris import GRAPH_CONFLICTS
from kg.core.namespaces import AIKG
from kg.core.paths import ontology_dir
from kg.store.embedded import Store

__all__ = [
    "ConflictChange",
    "derivation",
    "derive_conflicts",
    "read_derived",
    "rederive_conflicts",
    "reported_in",
    "reporting",
]

_GRAPH = ox.NamedNode(str(GRAPH_CONFLICTS))
_SUBJECT = ox.NamedNode(str(AIKG.conflictSubject))
_PROPERTY = ox.NamedNode(str(AIKG.conflictProperty))
_TYPE = ox.NamedNode(str(RDF.type))

#: what a report is about: a node (?subject of reported.rq and conflicts.rq) and a property
Reported = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode]


@cache
def read_derived(name: str) -> str:
    """The SPARQL text of ``ontology/derived/NAME``, where every derived graph's queries live."""
    path: Path = ontology_dir() / "derived" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the derivation {name}: {exc}") from exc


def derivation() -> str:
    """The SPARQL CONSTRUCT whose triples are the graph of conflicting reports."""
    return read_derived("conflicts.rq")


def reporting() -> str:
    """The SPARQL SELECT of the nodes (``?subject``) each article graph (``?article``) reports
    on, in the sense of :func:`derivation`."""
    return read_derived("reported.rq")


def derive_conflicts(store: Store) -> int:
    """Replace the graph of conflicting reports of ``store`` with one derived from all its
    article graphs; the number of reports it now holds. ``store`` is a writer's new generation,
    which nobody reads before it is published (:mod:`kg.store.generations`), so the graph is
    emptied and refilled in two steps."""
    quads = _stored(store.query(derivation()))
    store.remove_graph(GRAPH_CONFLICTS)
    store.add_quads(quads)
    return _reports(quads)


def reported_in(store: Store, article: ox.NamedNode) -> set[Reported]:
    """What article graph ``article`` reports on: (node, property) pairs (none if the store has
    no such graph)."""
    rows = store.query(reporting(), named_graphs=[article])
    return {(row["subject"], row["property"]) for row in rows}


@dataclass(frozen=True)
class ConflictChange:
    """What :func:`rederive_conflicts` changed in the graph of conflicting reports."""

    pairs: int  # the (node, property) pairs whose reports were derived again
    articles: int  # the article graphs read to derive them
    added: int  # conflicting reports added
    removed: int  # conflicting reports removed
    triples: int  # triples written (added and removed)

    def line(self) -> str:
        return (
            f"conflicts: +{self.added} -{self.removed} conflicting reports in {GRAPH_CONFLICTS} "
            f"(derived again for the {self.pairs} node-property pairs the article reports on, "
            f"from the {self.articles} article graphs that report on them)"
        )


def rederive_conflicts(store: Store, reported: Iterable[Reported]) -> ConflictChange:
    """Derive again the conflicting reports about the (node, property) pairs of ``reported``
    and put them in place of the stored ones about those pairs, reading only the article graphs
    that report on one of them."""
    pairs = set(reported)
    chosen = {(node, prop.value) for node, prop in pairs}
    articles: set[ox.NamedNode] = set()
    for node, prop in pairs:
        bound = {ox.Variable("subject"): node, ox.Variable("property"): prop}
        rows = store.query(reporting(), substitutions=bound)
        articles |= {row["article"] for row in rows if isinstance(row["article"], ox.NamedNode)}
    fresh: set[ox.Quad] = set()
    if articles:
        by_report: dict[object, list[ox.Quad]] = {}
        for quad in _stored(store.query(derivation(), named_graphs=list(articles))):
            by_report.setdefault(quad.subject, []).append(quad)
        fresh = {q for quads in by_report.values() if _about(quads) in chosen for q in quads}
    stale: set[ox.Quad] = set()
    for node in {node for node, _ in pairs}:
        for link in store.match(None, _SUBJECT, node, _GRAPH):
            assert not isinstance(link.subject, ox.Triple)
            quads = list(store.match(link.subject, None, None, _GRAPH))
            if _about(quads) in chosen:
                stale.update(quads)
    insert, delete = list(fresh - stale), list(stale - fresh)
    store.change(delete=delete, insert=insert)
    return ConflictChange(
        pairs=len(chosen),
        articles=len(articles),
        added=_reports(insert),
        removed=_reports(delete),
        triples=len(insert) + len(delete),
    )


def _stored(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """The derivation's triples as quads of the graph of conflicting reports."""
    return [ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in triples]


def _reports(quads: Iterable[ox.Quad]) -> int:
    """The conflicting reports among ``quads`` (one ``rdf:type`` triple each)."""
    return sum(1 for q in quads if q.predicate == _TYPE)


def _about(quads: Iterable[ox.Quad]) -> tuple[object, str]:
    """The (node, property IRI) a conflicting report's quads are about."""
    node: object = None
    prop = ""
    for q in quads:
        if q.predicate == _SUBJECT:
            node = q.object
        elif q.predicate == _PROPERTY and isinstance(q.object, ox.Literal):
            prop = q.object.value
    assert node is not None, "a conflicting report without aikg:conflictSubject"
    return node, prop
