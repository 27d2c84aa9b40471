"""The inferred graph kept up to date when one article graph is replaced (``kg build --update``).

The rules of ``ontology/rules`` (:mod:`kg.reason.rules`) are run over the article's old graph
(what may have to go) and its new graph (what comes, in a scratch store that holds it with the
reference data it reaches and the ontology); a triple the old graph entailed stays if another
graph still entails it (each rule's body asked with the triple's terms bound). The inferred
triples that ``kg reason`` wrote and no rule produces are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.core.iris import DERIVED_GRAPHS, GRAPH_INFERRED
from kg.core.namespaces import AIKG
from kg.reason.rules import Rule, Triple, Work, load_rules, matched, materialise, supported
from kg.store.embedded import Store

__all__ = ["InferredChange", "iri_triples", "refresh_inferred"]

_CAPITAL_FLOWS_TO = AIKG.capitalFlowsTo


@dataclass(frozen=True)
class InferredChange:
    """What the update did to the inferred graph."""

    added: frozenset[Triple]
    removed: frozenset[Triple]

    @property
    def flows_changed(self) -> bool:
        return any(t[1] == _CAPITAL_FLOWS_TO for t in self.added | self.removed)


def iri_triples(graph: Graph) -> set[Triple]:
    return {
        (s, p, o)
        for s, p, o in graph
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)
    }


def refresh_inferred(
    store: Store,
    name: URIRef,
    old: Graph,
    new: Graph,
    scratch: Store,
    work: Work,
) -> InferredChange:
    """Delete and rederive the rules' part of the inferred graph for one replaced article
    (``scratch``: the new article graph with the reference data it uses, see :func:`_scratch`)."""
    rules = load_rules()
    old_out = (
        iri_triples(materialise(store, graphs=[name], rules=rules, work=work)) if old else set()
    )
    new_out = iri_triples(materialise(scratch, graphs=[name], rules=rules, work=work))
    new_triples = iri_triples(new)
    # neither the inferred graph nor the graphs kg build derives are stated facts (the money
    # flows' aikg:paysTo are the rules' own conclusions, derived before this article changed)
    skip = (name, GRAPH_INFERRED, *DERIVED_GRAPHS)
    skip_nodes = {ox.NamedNode(str(g)) for g in skip}

    def inferred(t: Triple) -> bool:
        return next(matched(store, work, *t, GRAPH_INFERRED), None) is not None

    def asserted_elsewhere(t: Triple) -> bool:
        return any(q.graph_name not in skip_nodes for q in matched(store, work, *t, None))

    def entailed_elsewhere(t: Triple) -> bool:
        return supported(store, t, excluding=skip, rules=rules, work=work)

    added: set[Triple] = set()
    removed: set[Triple] = set()
    for t in sorted(new_out - new_triples):
        if not inferred(t) and not asserted_elsewhere(t):
            added.add(t)
    for t in sorted(old_out - new_out):
        if inferred(t) and not entailed_elsewhere(t):
            removed.add(t)
    # a triple the article now states is no longer inferred; one it stopped stating may be
    for t in sorted(new_triples):
        if _produced(t, rules) and inferred(t):
            removed.add(t)
    for t in sorted(iri_triples(old) - new_triples):
        if not _produced(t, rules) or inferred(t) or asserted_elsewhere(t):
            continue
        if t in new_out or entailed_elsewhere(t):
            added.add(t)
    return InferredChange(frozenset(added), frozenset(removed))


def _produced(triple: Triple, rules: Iterable[Rule]) -> bool:
    return any(next(rule.bindings(triple), None) is not None for rule in rules)
