"""Explanations that need no extra reasoner run: individuals in two disjoint classes.

An individual counts as typed with a class directly, through ``rdfs:subClassOf``,
``rdfs:domain``/``rdfs:range`` or through another individual the same by ``owl:sameAs``; the
explanation lists the simplest chain of axioms for each of the two classes.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.term import Node

from kg.reason.report import Explanation, axiom_text
from kg.reason.tbox import NOT_CLASSES, MergedInput, TBox, closure, iri_pairs

__all__ = ["disjointness", "unsatisfiable_by_hierarchy"]


def _typings(source: MergedInput, tbox: TBox) -> dict[URIRef, dict[URIRef, tuple[str, ...]]]:
    """Individual -> class -> the axioms that type it so (the RDFS closure). The simplest
    derivation wins: an asserted type before one through ``rdfs:domain`` or ``rdfs:range``."""
    direct: dict[URIRef, dict[URIRef, tuple[int, tuple[str, ...]]]] = defaultdict(dict)

    def note(x: Node, c: URIRef, cost: int, why: tuple[str, ...]) -> None:
        if isinstance(x, URIRef) and x not in source.tbox_subjects:
            current = direct[x].get(c)
            if current is None or cost < current[0]:
                direct[x][c] = (cost, why)

    for s, p, o in source.graph:
        if p == RDF.type:
            if isinstance(o, URIRef) and not str(o).startswith(NOT_CLASSES):
                note(s, o, 1, (axiom_text(s, p, o),))
            continue
        if not isinstance(p, URIRef) or s in source.tbox_subjects:
            continue
        for q in tbox.superproperties(p):
            via = () if q == p else (axiom_text(p, RDFS.subPropertyOf, q),)
            for c in tbox.domains.get(q, ()):
                note(s, c, 3 + len(via), (axiom_text(s, p, o), *via, axiom_text(q, RDFS.domain, c)))
            for c in tbox.ranges.get(q, ()):
                note(o, c, 3 + len(via), (axiom_text(s, p, o), *via, axiom_text(q, RDFS.range, c)))
    closed: dict[URIRef, dict[URIRef, tuple[str, ...]]] = {}
    for x, classes in direct.items():
        best = dict(classes)
        heap = [(cost, str(c), c) for c, (cost, _) in classes.items()]
        heapq.heapify(heap)
        done: set[URIRef] = set()
        while heap:
            cost, _, c = heapq.heappop(heap)
            if c in done:
                continue
            done.add(c)
            for d in tbox.supers.get(c, ()):
                if d not in best or cost + 1 < best[d][0]:
                    best[d] = (cost + 1, (*best[c][1], axiom_text(c, RDFS.subClassOf, d)))
                    heapq.heappush(heap, (cost + 1, str(d), d))
        closed[x] = {c: why for c, (_, why) in best.items()}
    return closed


def unsatisfiable_by_hierarchy(tbox: TBox, classes: Iterable[URIRef]) -> list[URIRef]:
    """Named classes below two disjoint classes: empty whatever the data says."""
    found = []
    for c in classes:
        above = closure(c, tbox.supers)
        if any(pair <= above for pair in tbox.disjoint):
            found.append(c)
    return sorted(found, key=str)


def _same_as_groups(source: MergedInput) -> tuple[dict[URIRef, URIRef], dict[URIRef, list[str]]]:
    parent: dict[URIRef, URIRef] = {}

    def find(x: URIRef) -> URIRef:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    links: dict[URIRef, list[str]] = defaultdict(list)
    for a, b in iri_pairs(source.graph, OWL.sameAs):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        links[a].append(axiom_text(a, OWL.sameAs, b))
    roots = {x: find(x) for x in list(parent)}
    axioms: dict[URIRef, list[str]] = defaultdict(list)
    for a, texts in links.items():
        axioms[find(a)].extend(texts)
    return roots, axioms


def disjointness(source: MergedInput, tbox: TBox, *, limit: int = 20) -> list[Explanation]:
    """Individuals (or owl:sameAs groups) that the RDFS closure puts in two disjoint classes."""
    if not tbox.disjoint:
        return []
    typings = _typings(source, tbox)
    roots, same_axioms = _same_as_groups(source)
    groups: dict[URIRef, list[URIRef]] = defaultdict(list)
    for x in typings:
        groups[roots.get(x, x)].append(x)
    found: list[Explanation] = []
    for root in sorted(groups):
        members = sorted(groups[root])
        classes: dict[URIRef, tuple[URIRef, tuple[str, ...]]] = {}
        for x in members:
            for c, why in typings[x].items():
                if c not in classes or len(why) < len(classes[c][1]):
                    classes[c] = (x, why)
        for pair, axiom in sorted(tbox.disjoint.items(), key=lambda kv: sorted(kv[0])):
            a, b = sorted(pair)
            if a not in classes or b not in classes:
                continue
            (xa, why_a), (xb, why_b) = classes[a], classes[b]
            who = (xa,) if xa == xb else tuple(sorted({xa, xb}))
            same = () if xa == xb else tuple(same_axioms.get(root, ()))
            axioms = tuple(dict.fromkeys((*why_a, *why_b, *same, axiom)))
            found.append(Explanation("disjoint-classes", who, axioms, classes=(a, b)))
            if len(found) >= limit:
                return found
    return found
