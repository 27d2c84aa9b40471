"""The SHACL shapes, driven by W3C-style manifests (tests/shacl-manifest/).

Each ``sht:Validate`` entry validates its data graphs (with the project's reference data) against
the project's shapes and must give exactly the expected results: focus node, path, constraint
component, severity and source shape. Every reportable shape has at least one violating case,
and every shape is targeted by some node of a conforming case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.validate import Shapes, path_text, validate_graph

HERE = Path(__file__).resolve().parent / "shacl-manifest"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
PROJECT_SHAPES = URIRef("https://w3id.org/aikg/shapes")

Key = tuple[Node, str, Node, Node, Node]


def _manifests() -> list[tuple[Path, Graph]]:
    top = HERE / "manifest.ttl"
    graph = Graph().parse(top, publicID=top.as_uri())
    found = []
    for included in sorted(graph.objects(None, MF.include)):
        path = Path(str(included).removeprefix("file://"))
        found.append((path, Graph().parse(path, publicID=path.as_uri())))
    return found


def _entries() -> list[tuple[str, Graph, URIRef]]:
    entries = []
    for path, graph in _manifests():
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            for entry in Collection(graph, graph.value(manifest, MF.entries)):
                assert isinstance(entry, URIRef)
                entries.append((f"{path.stem}#{entry.fragment}", graph, entry))
    return entries


ENTRIES = _entries()


def _data(graph: Graph, entry: URIRef) -> Graph:
    action = graph.value(entry, MF.action)
    assert graph.value(action, SHT.shapesGraph) == PROJECT_SHAPES
    data = Graph()
    for source in sorted(graph.objects(action, SHT.dataGraph)):
        data.parse(Path(str(source).removeprefix("file://")))
    return data


def _expected(graph: Graph, entry: URIRef) -> tuple[bool, set[Key]]:
    report = graph.value(entry, MF.result)
    keys = {
        (
            graph.value(r, SH.focusNode),
            path_text(graph, graph.value(r, SH.resultPath)),
            graph.value(r, SH.sourceConstraintComponent),
            graph.value(r, SH.resultSeverity),
            graph.value(r, SH.sourceShape),
        )
        for r in graph.objects(report, SH.result)
    }
    return graph.value(report, SH.conforms).toPython(), keys


@pytest.mark.parametrize(("name", "graph", "entry"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_manifest_entry(name, graph, entry):
    shapes = Shapes.load()
    conforms, expected = _expected(graph, entry)
    report = validate_graph(_data(graph, entry))
    actual = {
        (r.focus, path_text(shapes.graph, r.path), r.component, r.severity.value, r.shape)
        for r in report.results
    }
    assert len(actual) == len(report.results), "two results that the key cannot tell apart"
    assert report.conforms is conforms
    assert actual - expected == set(), f"{name}: unexpected results"
    assert expected - actual == set(), f"{name}: expected results missing"


def _reportable(shapes: Graph) -> set[Node]:
    """Shapes with their own message: what a report can name as sh:sourceShape."""
    return {
        s
        for s in shapes.subjects(SH.message, None)
        if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape) in shapes
    } | {s for s, _ in shapes.subject_objects(SH.sparql)}


def test_every_shape_has_a_violating_case():
    shapes = Shapes.load().graph
    violated = {
        graph.value(r, SH.sourceShape)
        for _, graph, entry in ENTRIES
        for r in graph.objects(graph.value(entry, MF.result), SH.result)
    }
    missing = sorted(str(s) for s in _reportable(shapes) - violated)
    assert missing == []


def _targets(shapes: Graph, ontology: Graph, shape: Node, data: Graph) -> set[Node]:
    """The data subjects a node shape targets (subclasses reached through the ontology)."""
    found: set[Node] = set()
    both = ontology + data
    for cls in shapes.objects(shape, SH.targetClass):
        classes = set(both.transitive_subjects(RDFS.subClassOf, cls))
        found |= {s for c in classes for s in data.subjects(RDF.type, c)}
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        found |= set(data.subjects(predicate, None))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        found |= {o for o in data.objects(None, predicate) if (o, None, None) in data}
    return found


def test_every_shape_is_targeted_in_a_conforming_case():
    loaded = Shapes.load()
    shapes = loaded.graph
    conforming = [
        _data(graph, entry)
        for _, graph, entry in ENTRIES
        if _expected(graph, entry)[0] and not _expected(graph, entry)[1]
    ]
    assert conforming, "no conforming entry"
    untargeted = []
    for shape in _reportable(shapes):
        owners = [shape] if (shape, SH.path, None) not in shapes else []
        owners += list(shapes.subjects(SH.property, shape))
        targeted = (
            _targets(shapes, loaded.ontology, owner, data)
            for owner in owners
            for data in conforming
        )
        if not any(targeted):
            untargeted.append(str(shape))
    assert sorted(untargeted) == []
