"""Explaining an inconsistency by delta debugging: re-check parts of the data for consistency.

First the smallest set of individuals whose assertions keep the data inconsistent (most suspect
first), then the smallest set of their assertions; the number of runs is bounded by the
:class:`~kg.reason.reasoner.Runner`'s ``max_runs``.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from rdflib import RDFS, SKOS, Graph, URIRef
from rdflib.term import Node

from kg.reason.reasoner import Runner
from kg.reason.report import AnyTriple, Explanation, axiom_text
from kg.reason.tbox import MergedInput

__all__ = ["narrow"]

_T = TypeVar("_T")

#: assertions never shown in an explanation: names and notes cannot make data inconsistent
_NOTES = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.hiddenLabel,
        SKOS.definition,
        SKOS.note,
        SKOS.scopeNote,
    }
)


class _OutOfRuns(Exception):
    pass


def _smallest(
    items: list[_T],
    needed: list[_T],
    *,
    fails: Callable[[list[_T]], bool],
    order: Callable[[list[_T], list[_T]], list[_T]],
) -> None:
    """Fill ``needed`` with a minimal sublist of ``items`` for which ``fails`` holds (it holds
    for all ``items``): find the shortest failing prefix by galloping then bisecting; its last
    item is needed; repeat within that prefix, the needed items always in. ``needed`` shows the
    progress if ``fails`` gives up half-way."""
    pool = list(items)
    while pool:
        if needed and fails(needed):
            break
        pool = order(pool, needed)
        lo, hi, size = 0, len(pool), 1
        while size < hi:
            if fails(needed + pool[:size]):
                hi = size
                break
            lo, size = size, size * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fails(needed + pool[:mid]):
                hi = mid
            else:
                lo = mid
        needed.append(pool[hi - 1])
        pool = pool[: hi - 1]


def _one_by_one(kept: list[_T], *, fails: Callable[[list[_T]], bool]) -> None:
    """Drop from ``kept`` each item without which ``fails`` still holds (one run per item:
    cheaper than bisecting for a handful of items)."""
    for item in list(kept):
        trial = [k for k in kept if k is not item]
        if fails(trial):
            kept[:] = trial


def narrow(source: MergedInput, runner: Runner) -> Explanation:
    """Re-run the reasoner on parts of the data to find the individuals that clash, then the
    assertions of theirs that do."""
    candidates = source.individuals()
    chosen = set(candidates)
    own: dict[Node, list[AnyTriple]] = defaultdict(list)
    background = Graph()
    for triple in source.graph:
        if triple[0] in chosen:
            own[triple[0]].append(triple)
        else:
            background.add(triple)
    seen_consistent = False

    def fails_with(triples: Iterable[AnyTriple]) -> bool:
        nonlocal seen_consistent
        if runner.runs >= runner.max_runs:
            raise _OutOfRuns
        graph = Graph()
        for t in background:
            graph.add(t)
        for t in triples:
            graph.add(t)
        consistent = runner.consistent(graph)
        seen_consistent = seen_consistent or consistent
        return not consistent

    def linked_first(pool: list[URIRef], needed: list[URIRef]) -> list[URIRef]:
        near: set[Node] = set()
        for x in needed:
            near.update(o for _, _, o in own[x])
            near.update(s for s, _, o in source.graph.triples((None, None, x)))
        return sorted(pool, key=lambda s: s not in near)

    def shown(individuals: Iterable[URIRef]) -> list[AnyTriple]:
        return [
            t for x in sorted(individuals, key=str) for t in sorted(own[x]) if t[1] not in _NOTES
        ]

    needed: list[URIRef] = []
    try:
        _smallest(
            candidates,
            needed,
            fails=lambda xs: fails_with(t for x in xs for t in own[x]),
            order=linked_first,
        )
        # had every run failed, the ontology might be inconsistent with no individual at all
        if not seen_consistent and fails_with(()):
            return Explanation("narrowed", (), ("the ontology is inconsistent by itself",))
    except _OutOfRuns:
        individuals = tuple(sorted(needed, key=str))
        axioms = tuple(axiom_text(*t) for t in shown(individuals))
        return Explanation("narrowed", individuals, axioms, complete=False)
    individuals = tuple(sorted(needed, key=str))
    assertions = shown(individuals)
    with contextlib.suppress(_OutOfRuns):
        if len(assertions) <= 8:
            _one_by_one(assertions, fails=fails_with)
        else:
            kept: list[AnyTriple] = []
            _smallest(assertions, kept, fails=fails_with, order=lambda pool, _: pool)
            assertions = kept
    return Explanation("narrowed", individuals, tuple(axiom_text(*t) for t in sorted(assertions)))
