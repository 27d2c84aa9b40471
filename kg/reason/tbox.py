"""The reasoner's input merged into one graph, and the TBox facts read from it.

:class:`MergedInput` tells individuals from classes, properties and ontologies and ranks them by
the graph they came from; :class:`TBox` holds the class and property hierarchy, domains and
ranges, inverses, transitive properties and disjoint classes that the explanations and the
completion of inferred triples need.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, Dataset, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.reason.report import axiom_text, short_name

__all__ = ["NOT_CLASSES", "MergedInput", "TBox", "closure", "iri_pairs", "merge_graphs"]

#: namespaces whose terms are never reported as an individual's class
NOT_CLASSES = (str(OWL), str(RDF), str(RDFS))
_TBOX_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
        OWL.Ontology,
        OWL.Restriction,
        OWL.AllDisjointClasses,
        OWL.AllDisjointProperties,
    }
)
_TBOX_PREDICATES = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.disjointWith,
        OWL.propertyChainAxiom,
        OWL.disjointUnionOf,
        OWL.propertyDisjointWith,
    }
)


@dataclass
class MergedInput:
    """The merged triples, which subjects are individuals, and how suspect each one is."""

    graph: Graph
    rank: dict[Node, int]
    tbox_subjects: set[Node]

    def individuals(self) -> list[URIRef]:
        """IRI subjects that are not classes, properties or ontologies: most suspect first."""
        found = {
            s
            for s in self.graph.subjects(unique=True)
            if isinstance(s, URIRef) and s not in self.tbox_subjects
        }
        return sorted(found, key=lambda s: (-self.rank.get(s, 0), str(s)))


def merge_graphs(graphs: Sequence[Graph] | Dataset) -> MergedInput:
    parts: list[Graph] = list(graphs.contexts()) if isinstance(graphs, Dataset) else list(graphs)
    merged = Graph()
    rank: dict[Node, int] = {}
    for index, part in enumerate(parts):
        for s, p, o in part:
            if p == OWL.imports:  # every module is given; nothing may come from the network
                continue
            merged.add((s, p, o))
            rank[s] = index
    tbox = {s for s, o in merged.subject_objects(RDF.type) if o in _TBOX_TYPES}
    tbox.update(s for s, p, _ in merged if p in _TBOX_PREDICATES)
    return MergedInput(merged, rank, tbox)


@dataclass
class TBox:
    supers: dict[URIRef, set[URIRef]]  # class -> direct named superclasses (and equivalents)
    domains: dict[URIRef, set[URIRef]]
    ranges: dict[URIRef, set[URIRef]]
    superprops: dict[URIRef, set[URIRef]]  # property -> direct super-properties
    inverses: dict[URIRef, set[URIRef]]
    transitive: set[URIRef]
    disjoint: dict[frozenset[URIRef], str]  # pair of classes -> the axiom, written out
    _superproperties: dict[URIRef, set[URIRef]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: Graph) -> TBox:
        supers: dict[URIRef, set[URIRef]] = defaultdict(set)
        superprops: dict[URIRef, set[URIRef]] = defaultdict(set)
        inverses: dict[URIRef, set[URIRef]] = defaultdict(set)
        domains: dict[URIRef, set[URIRef]] = defaultdict(set)
        ranges: dict[URIRef, set[URIRef]] = defaultdict(set)
        for a, b in iri_pairs(graph, RDFS.subClassOf):
            supers[a].add(b)
        for a, b in iri_pairs(graph, OWL.equivalentClass):
            supers[a].add(b)
            supers[b].add(a)
        for a, b in iri_pairs(graph, RDFS.subPropertyOf):
            superprops[a].add(b)
        for a, b in iri_pairs(graph, OWL.equivalentProperty):
            superprops[a].add(b)
            superprops[b].add(a)
        for a, b in iri_pairs(graph, OWL.inverseOf):
            inverses[a].add(b)
            inverses[b].add(a)
        for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
            if isinstance(p, URIRef):
                inverses[p].add(p)
        for p, c in iri_pairs(graph, RDFS.domain):
            domains[p].add(c)
        for p, c in iri_pairs(graph, RDFS.range):
            ranges[p].add(c)
        transitive = {
            p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)
        }
        return cls(supers, domains, ranges, superprops, inverses, transitive, _disjoint(graph))

    def superproperties(self, prop: URIRef) -> set[URIRef]:
        """``prop`` and every property above it (``rdfs:subPropertyOf*``), computed once."""
        known = self._superproperties.get(prop)
        if known is None:
            known = self._superproperties[prop] = closure(prop, self.superprops)
        return known


def closure(start: URIRef, edges: dict[URIRef, set[URIRef]]) -> set[URIRef]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def iri_pairs(graph: Graph, predicate: URIRef) -> Iterator[tuple[URIRef, URIRef]]:
    for a, b in graph.subject_objects(predicate):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            yield a, b


def _disjoint(graph: Graph) -> dict[frozenset[URIRef], str]:
    pairs: dict[frozenset[URIRef], str] = {}
    for a, b in iri_pairs(graph, OWL.disjointWith):
        pairs.setdefault(frozenset((a, b)), axiom_text(a, OWL.disjointWith, b))
    groups: list[tuple[str, Node]] = []
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        groups.extend(("owl:AllDisjointClasses", head) for head in graph.objects(node, OWL.members))
    for union, head in graph.subject_objects(OWL.disjointUnionOf):
        groups.append((f"{short_name(union)} owl:disjointUnionOf", head))
    for title, head in groups:
        named = [m for m in Collection(graph, head) if isinstance(m, URIRef)]
        text = f"{title} ({' '.join(short_name(m) for m in named)})"
        for i, a in enumerate(named):
            for b in named[i + 1 :]:
                pairs.setdefault(frozenset((a, b)), text)
    return pairs
