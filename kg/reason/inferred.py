"""The reasoner's new triples sorted into memberships and property assertions, then completed."""

from __future__ import annotations

from collections import defaultdict, deque

from rdflib import OWL, RDF, URIRef

from kg.core.iris import ONTOLOGY
from kg.reason.report import AnyTriple, Triple
from kg.reason.tbox import NOT_CLASSES, MergedInput, TBox

__all__ = ["complete_properties", "split_new"]

#: the ontology IRI owlready2 gives the triples it infers
_INFERENCES = "http://inferrences/"


def split_new(
    new: set[AnyTriple], source: MergedInput
) -> tuple[set[Triple], set[Triple], set[URIRef]]:
    """Split the reasoner's new triples into memberships, property assertions, unsatisfiable."""
    types: set[Triple] = set()
    props: set[Triple] = set()
    unsatisfiable: set[URIRef] = set()
    for s, p, o in new:
        if not (isinstance(s, URIRef) and isinstance(o, URIRef)) or str(s) == _INFERENCES:
            continue
        if p == OWL.equivalentClass and OWL.Nothing in (s, o):
            other = o if s == OWL.Nothing else s
            if other != OWL.Nothing:
                unsatisfiable.add(other)
            continue
        if s in source.tbox_subjects or (s, p, o) in source.graph:
            continue
        if p == RDF.type and not str(o).startswith(NOT_CLASSES):
            types.add((s, RDF.type, o))
        elif isinstance(p, URIRef) and str(p).startswith(ONTOLOGY):
            props.add((s, p, o))
    return types, props, unsatisfiable


def complete_properties(props: set[Triple], source: MergedInput, tbox: TBox) -> set[Triple]:
    """Close the asserted and inferred aikg: assertions under inverses, super-properties and
    transitivity, so that both reasoners give the same answer (HermiT lists only the most
    specific properties, owlready2 drops a value whose inverse is asserted); only new triples.
    """
    known: set[Triple] = set(props)
    for s, p, o in source.graph:
        if (
            isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and isinstance(p, URIRef)
            and s not in source.tbox_subjects
            and o not in source.tbox_subjects
        ):
            known.add((s, p, o))
    by_subject: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    by_object: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    for s, p, o in known:
        by_subject[(p, s)].add(o)
        by_object[(p, o)].add(s)
    todo = deque(known)

    def add(triple: Triple) -> None:
        if triple not in known:
            known.add(triple)
            s, p, o = triple
            by_subject[(p, s)].add(o)
            by_object[(p, o)].add(s)
            todo.append(triple)

    while todo:
        s, p, o = todo.popleft()
        for q in tbox.superprops.get(p, ()):
            add((s, q, o))
        for q in tbox.inverses.get(p, ()):
            add((o, q, s))
        if p in tbox.transitive:
            for z in list(by_subject[(p, o)]):
                add((s, p, z))
            for w in list(by_object[(p, s)]):
                add((w, p, o))
    return {t for t in known if str(t[1]).startswith(ONTOLOGY) and t not in source.graph}
