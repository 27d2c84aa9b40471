"""What :func:`kg.reason.run.reason` returns: the reasoner's name, the report and its explanations.

Also how the report writes a term (:func:`short_name`) and an axiom (:func:`axiom_text`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rdflib import Graph, URIRef
from rdflib.term import BNode, Node

from kg.core.iris import PREFIXES

__all__ = [
    "AnyTriple",
    "Explanation",
    "Reasoner",
    "ReasoningReport",
    "Triple",
    "axiom_text",
    "short_name",
]

Triple = tuple[URIRef, URIRef, URIRef]
AnyTriple = tuple[Node, Node, Node]


class Reasoner(StrEnum):
    """The OWL reasoners owlready2 ships."""

    HERMIT = "hermit"
    PELLET = "pellet"

    @property
    def display_name(self) -> str:
        return "HermiT" if self is Reasoner.HERMIT else "Pellet"


@dataclass(frozen=True)
class Explanation:
    """Why the data is inconsistent: the individuals and the axioms (prefixed, one per line).

    ``method`` is ``disjoint-classes`` (an individual, or individuals the same by
    ``owl:sameAs``, in two disjoint ``classes``) or ``narrowed`` (the reasoner was re-run on parts
    of the data; ``complete`` is false when the run budget ended before the smallest part).
    """

    method: str
    individuals: tuple[URIRef, ...]
    axioms: tuple[str, ...]
    classes: tuple[URIRef, ...] = ()
    complete: bool = True

    def summary(self) -> str:
        who = ", ".join(short_name(i) for i in self.individuals) or "the ontology alone"
        if self.method == "disjoint-classes" and len(self.classes) == 2:
            a, b = (short_name(c) for c in self.classes)
            return f"{who}: typed both {a} and {b}, which are disjoint"
        if not self.individuals:
            return "the ontology is inconsistent without any individual's assertions"
        extra = "" if self.complete else " (narrowing stopped early: the run budget ran out)"
        whose = "these individuals'" if len(self.individuals) > 1 else "this individual's"
        return f"{who}: {whose} assertions are inconsistent together{extra}"


@dataclass(frozen=True)
class ReasoningReport:
    """The outcome of :func:`reason`. Inferred triples are new: none was in the input.

    For inconsistent data nothing is inferred, and ``unsatisfiable`` lists only the classes
    that the class hierarchy alone puts below two disjoint classes.
    """

    reasoner: Reasoner
    consistent: bool
    input_triples: int
    unsatisfiable: tuple[URIRef, ...] = ()
    inferred_types: tuple[Triple, ...] = ()
    inferred_properties: tuple[Triple, ...] = ()
    explanations: tuple[Explanation, ...] = ()
    reasoner_runs: int = 1

    @property
    def inferred(self) -> tuple[Triple, ...]:
        return self.inferred_types + self.inferred_properties

    def inferred_graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.inferred:
            graph.add(triple)
        return graph

    def type_counts(self) -> dict[URIRef, int]:
        """Inferred memberships per class."""
        return _count(o for _, _, o in self.inferred_types)

    def property_counts(self) -> dict[URIRef, int]:
        """Inferred assertions per property."""
        return _count(p for _, p, _ in self.inferred_properties)


def _count(items: Iterable[URIRef]) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))


def short_name(node: Node) -> str:
    """A prefixed name where a known prefix fits, else ``<iri>``.

    >>> short_name(URIRef("https://w3id.org/aikg/id/firm/nvidia"))
    'firm:nvidia'
    """
    text = str(node)
    if isinstance(node, URIRef):
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        if best is not None and "/" not in text[len(best[1]) :]:
            return f"{best[0]}:{text[len(best[1]) :]}"
        return f"<{text}>"
    if isinstance(node, BNode):
        return "[]"
    return node.n3()


def axiom_text(s: Node, p: Node, o: Node) -> str:
    return f"{short_name(s)} {short_name(p)} {short_name(o)}"
