"""The graph of money flows (``graph/flows``): who pays whom, and under which deals.

The templates that follow money (``exposure``, ``capital-cycles``, ``money-flows``) walk from
party to party. Read from the deals' roles, each step is a join of every deal of the store with
its parties (11,151 rows at 10,000 articles), which ``exposure`` made four to five times a call.
So the flows are derived once per write, like an index, by the SPARQL CONSTRUCT
``ontology/derived/flows.rq``: one ``aikg:MoneyFlow`` node per deal, payer and payee, and
``?payer aikg:paysTo ?payee`` once per pair of parties. ``kg build`` and ``kg load`` derive the
whole graph (:func:`derive_flows`); ``kg build --update`` derives again the flows of the deals
the changed article names, before and after the change (:func:`deals_in`,
:func:`rederive_flows`), with the deal bound, and keeps ``aikg:paysTo`` of the pairs they touch
in step. Either way the graph changes in the same new generation of the store as the articles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF

from kg.build.conflicts import read_derived
from kg.core.iris import GRAPH_FLOWS
from kg.core.namespaces import AIKG
from kg.store.embedded import Store

__all__ = ["FlowChange", "deals_in", "derivation", "derive_flows", "rederive_flows"]

_GRAPH = ox.NamedNode(str(GRAPH_FLOWS))
_PAYS_TO = ox.NamedNode(str(AIKG.paysTo))
_DEAL = ox.NamedNode(str(AIKG.flowDeal))
_PAYER = ox.NamedNode(str(AIKG.flowPayer))
_PAYEE = ox.NamedNode(str(AIKG.flowPayee))
_TYPE = ox.NamedNode(str(RDF.type))
_FLOW = ox.NamedNode(str(AIKG.MoneyFlow))

Node = ox.NamedNode | ox.BlankNode


def derivation() -> str:
    """The SPARQL CONSTRUCT whose triples are the graph of money flows."""
    return read_derived("flows.rq")


def derive_flows(store: Store) -> int:
    """Replace the graph of money flows of ``store`` with one derived from all its article
    graphs; the number of flows it now holds. ``store`` is a writer's new generation, which
    nobody reads before it is published, so the graph is emptied and refilled in two steps."""
    quads = _stored(store.query(derivation()))
    store.remove_graph(GRAPH_FLOWS)
    store.add_quads(quads)
    return _flows(quads)


def deals_in(store: Store, article: ox.NamedNode) -> set[Node]:
    """The nodes article graph ``article`` types or gives a payer's or payee's role: the deals
    whose flows it may change (none if the store has no such graph)."""
    rows = store.query(read_derived("flow-deals.rq"), named_graphs=[article])
    return {row["deal"] for row in rows if isinstance(row["deal"], ox.NamedNode | ox.BlankNode)}


@dataclass(frozen=True)
class FlowChange:
    """What :func:`rederive_flows` changed in the graph of money flows."""

    deals: int  # the deals whose flows were derived again
    added: int  # flows added
    removed: int  # flows removed
    triples: int  # triples written (added and removed)

    def line(self) -> str:
        return (
            f"flows: +{self.added} -{self.removed} money flows in {GRAPH_FLOWS} "
            f"(derived again for the {self.deals} deals the article names)"
        )


def rederive_flows(store: Store, deals: Iterable[Node]) -> FlowChange:
    """Derive again the flows of ``deals`` from every article graph and put them in place of the
    stored ones; then keep ``aikg:paysTo`` of every pair they touch in step (a pair pays while
    any deal still carries a flow between them)."""
    chosen = set(deals)
    fresh: set[ox.Quad] = set()
    stale: set[ox.Quad] = set()
    for deal in chosen:
        bound = {ox.Variable("deal"): deal}
        fresh.update(_stored(store.query(derivation(), substitutions=bound)))
        for link in store.match(None, _DEAL, deal, _GRAPH):
            stale.update(store.match(_node(link.subject), None, None, _GRAPH))
    pairs = {_pair(q) for q in fresh if q.predicate == _PAYS_TO}
    pairs |= _pairs(stale)
    fresh = {q for q in fresh if q.predicate != _PAYS_TO}
    insert, delete = list(fresh - stale), list(stale - fresh)
    store.change(delete=delete, insert=insert)
    paying, stopped = [], []
    for payer, payee in pairs:
        quad = ox.Quad(payer, _PAYS_TO, payee, _GRAPH)
        carried = any(
            any(True for _ in store.match(_node(link.subject), _PAYER, payer, _GRAPH))
            for link in store.match(None, _PAYEE, payee, _GRAPH)
        )
        stored = any(True for _ in store.match(payer, _PAYS_TO, payee, _GRAPH))
        if carried and not stored:
            paying.append(quad)
        elif stored and not carried:
            stopped.append(quad)
    store.change(delete=stopped, insert=paying)
    return FlowChange(
        deals=len(chosen),
        added=_flows(insert),
        removed=_flows(delete),
        triples=len(insert) + len(delete) + len(paying) + len(stopped),
    )


def _stored(triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """The derivation's triples as quads of the graph of money flows, each once."""
    return list(dict.fromkeys(ox.Quad(t.subject, t.predicate, t.object, _GRAPH) for t in triples))


def _flows(quads: Iterable[ox.Quad]) -> int:
    """The flows among ``quads`` (one ``rdf:type aikg:MoneyFlow`` triple each)."""
    return sum(1 for q in quads if q.predicate == _TYPE and q.object == _FLOW)


def _node(term: object) -> Node:
    assert isinstance(term, ox.NamedNode | ox.BlankNode)
    return term


def _pair(quad: ox.Quad) -> tuple[Node, Node]:
    return _node(quad.subject), _node(quad.object)


def _pairs(quads: Iterable[ox.Quad]) -> set[tuple[Node, Node]]:
    """The (payer, payee) of the flow nodes among ``quads``."""
    payer: dict[object, Node] = {}
    payee: dict[object, Node] = {}
    for q in quads:
        if q.predicate == _PAYER and isinstance(q.object, ox.NamedNode | ox.BlankNode):
            payer[q.subject] = q.object
        elif q.predicate == _PAYEE and isinstance(q.object, ox.NamedNode | ox.BlankNode):
            payee[q.subject] = q.object
    return {(payer[f], payee[f]) for f in payer if f in payee}
