"""The SHACL shapes and the ontology, loaded and parsed once, and pyshacl run with them: the
ontology held in one graph to which each validated graph is added for its run.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyshacl
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.core.errors import InputError
from kg.core.ontology import load_ontology, load_shapes
from kg.core.paths import ontology_dir
from kg.validate import functions as shacl_functions
from kg.validate import sparql_cache

__all__ = ["FIX", "SHAPES_NS", "Shapes"]


SHAPES_NS = shacl_functions.SHAPES


#: the annotation on a shape that says how to repair the data
FIX = URIRef(SHAPES_NS + "fix")


class _Validator(pyshacl.Validator):
    """pyshacl's validator with a shapes graph parsed once (the ontology is in the data graph
    already, see :meth:`Shapes.validate`)."""

    def __init__(self, data: DataGraph, *, shapes: ShapesGraph, options: dict[str, Any]) -> None:
        super().__init__(data, shacl_graph=shapes.graph, ont_graph=None, options=options)
        self.shacl_graph = shapes


@dataclass(frozen=True)
class _Templates:
    """The messages of one shape or SPARQL constraint, by language, and its fix hints."""

    messages: Mapping[str, str]
    fixes: Mapping[str, str]


class Shapes:
    """The SHACL shapes (``ontology/*.shapes.ttl``) and the ontology, loaded and parsed once."""

    def __init__(self, *, shapes: Graph, ontology: Graph, mixed: Graph | None = None) -> None:
        shacl_functions.register()
        sparql_cache.install()
        self.graph = shapes
        self.ontology = ontology
        self._parsed = ShapesGraph(shapes)
        _ = self._parsed.shapes  # harvest the shapes now, once
        #: the ontology's own terms and individuals: never focus nodes
        self.ontology_terms = frozenset(s for s in ontology.subjects() if isinstance(s, URIRef))
        self._templates: dict[Node, _Templates] = {}
        self._restricted: dict[frozenset[Node], Shapes] = {}
        if mixed is None:
            mixed = Graph()
            mixed += ontology
        #: the ontology, to which each validated graph is added for its run
        self._mixed = mixed
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        self._top_level = frozenset(s for t in targets for s in shapes.subjects(t, None))

    @classmethod
    def load(cls, *, directory: Path | None = None) -> Shapes:
        """The project's shapes and ontology (cached per folder)."""
        return _load_shapes((directory or ontology_dir()).resolve())

    def restricted(self, keep: Sequence[Node]) -> Shapes | None:
        """These shapes with only the top-level shapes ``keep`` targeting anything (None when
        ``keep`` is empty; cached): what pyshacl checks where the compiled checks flagged
        something, or cannot check."""
        if not keep:
            return None
        key = frozenset(keep)
        found = self._restricted.get(key)
        if found is None:
            found = self._restricted[key] = self._restrict(key)
        return found

    def _restrict(self, keep: frozenset[Node]) -> Shapes:
        if keep >= self._top_level:
            return self
        graph = Graph()
        graph += self.graph
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        for target in targets:
            for shape in list(graph.subjects(target, None)):
                if shape not in keep:
                    graph.remove((shape, target, None))
        return Shapes(shapes=graph, ontology=self.ontology, mixed=self._mixed)

    def templates(self, node: Node) -> _Templates:
        """The ``sh:message`` and ``aikgsh:fix`` texts of a shape or constraint, by language."""
        found = self._templates.get(node)
        if found is None:
            found = _Templates(
                messages=_by_language(self.graph.objects(node, SH.message)),
                fixes=_by_language(self.graph.objects(node, FIX)),
            )
            self._templates[node] = found
        return found

    def validate(self, data: Graph) -> Graph:
        """Run pyshacl on ``data`` with the ontology mixed in; returns pyshacl's
        ``sh:ValidationReport`` graph, with results for every node the shapes target.

        The mix is a graph that holds the ontology already: ``data``'s triples are added to it
        for the run and taken out afterwards, which costs what ``data`` holds, not what the
        ontology holds (pyshacl's own mix-in copies the ontology into every data graph).
        ``data`` itself is not changed.
        """
        options: dict[str, Any] = {
            "inference": "none",
            "inplace": True,
            "allow_warnings": True,
            "allow_infos": True,
            "advanced": False,
        }
        mixed = self._mixed
        added = [t for t in data if t not in mixed]
        for triple in added:
            mixed.add(triple)
        try:
            validator = _Validator(
                DataGraph.from_rdflib(mixed), shapes=self._parsed, options=options
            )
            _, report, _ = validator.run()
        finally:
            for triple in added:
                mixed.remove(triple)
        return report


@functools.cache
def _load_shapes(directory: Path) -> Shapes:
    shapes = load_shapes(directory=directory)
    if len(shapes) == 0:
        raise InputError("no SHACL shapes (*.shapes.ttl) found", file=directory)
    return Shapes(shapes=shapes, ontology=load_ontology(directory=directory))


def _by_language(literals: Iterable[Node]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for literal in sorted(literals, key=str):
        if isinstance(literal, Literal):
            texts.setdefault(literal.language or "", str(literal))
    return texts
