"""The compiled SHACL checks (kg.validate.compiled) vs pyshacl: on the seed dataset and on copies
with planted defects, both flag exactly the same focus nodes (with the same constraint
component and severity); per graph, a node is checked with its own graph's data only; what the
compiler cannot translate is listed as unsupported, never passed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH, XSD

from kg.build.dataset import map_records
from kg.core.iris import GRAPH_ONTOLOGY, GRAPH_REFERENCE
from kg.core.ontology import load_ontology, load_reference, load_shapes
from kg.core.paths import records_dir
from kg.records.mapper import Schema
from kg.records.reader import load_records, record_files
from kg.store.embedded import to_ox_quad
from kg.validate import Shapes
from kg.validate.checks import check_store, read_default_graph
from kg.validate.compiled import Finding, compile_shapes

AIKG = Namespace("https://w3id.org/aikg/ontology#")
FIRM = Namespace("https://w3id.org/aikg/id/firm/")
DEAL = Namespace("https://w3id.org/aikg/id/deal/")
OA = Namespace("http://www.w3.org/ns/oa#")
DATA = URIRef("https://example.org/graph/data")

Key = tuple[str, str, str]  # focus, component, severity


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def seed(corpus_dir: Path, ontology: Graph) -> dict[URIRef, Graph]:
    """The seed dataset: every article graph and the reference graph, by graph IRI."""
    reference = load_reference()
    records = load_records(record_files(records_dir()), corpus_dir=corpus_dir)
    graphs = map_records(records, schema=Schema.from_graph(ontology), reference=reference)
    found = {URIRef(str(g.identifier)): g for g in graphs}
    found[GRAPH_REFERENCE] = reference
    return found


def _copy(graphs: dict[URIRef, Graph]) -> dict[URIRef, Graph]:
    out = {}
    for name, graph in graphs.items():
        copy = Graph(identifier=name)
        for triple in graph:
            copy.add(triple)
        out[name] = copy
    return out


def _pyshacl(data: Graph, shapes: Graph, ontology: Graph) -> set[Key]:
    """pyshacl's results on ``data`` with the ontology mixed in, as ``kg validate`` runs it;
    like ``kg validate``, only the data's own subjects count as focus nodes."""
    validator = Shapes(shapes=shapes, ontology=ontology)
    working = Graph()
    working += data
    report = validator.validate(working)
    own = {s for s in data.subjects() if isinstance(s, URIRef)} - validator.ontology_terms
    found = set()
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        if focus not in own:
            continue
        component = str(report.value(result, SH.sourceConstraintComponent)).split("#")[-1]
        severity = str(report.value(result, SH.resultSeverity))
        found.add((str(focus), component, severity))
    return found


def _store(named: dict[URIRef, Graph], defaults: dict[URIRef, Graph]) -> ox.Store:
    store = ox.Store()
    for name, graph in {**named, **defaults}.items():
        store.extend(to_ox_quad(s, p, o, name) for s, p, o in graph)
    return store


def _fast(
    named: dict[URIRef, Graph], defaults: dict[URIRef, Graph], shapes: Graph
) -> list[Finding]:
    store = _store(named, defaults)
    default_graph = [str(g) for g in defaults]
    compiled = compile_shapes(shapes, context=read_default_graph(store, default_graph))
    assert compiled.unsupported == []
    return check_store(store, compiled, default_graph=default_graph, graphs=[str(g) for g in named])


def _merged(graphs: dict[URIRef, Graph]) -> Graph:
    data = Graph()
    for graph in graphs.values():
        data += graph
    return data


def _differential(graphs: dict[URIRef, Graph], shapes: Graph, ontology: Graph) -> set[Key]:
    """Every graph merged into one data graph, the ontology as the default graph: the compiled
    checks and pyshacl must flag the same (focus, component, severity); returns them."""
    data = _merged(graphs)
    fast = {
        (f.focus, f.component, f.severity)
        for f in _fast({DATA: data}, {GRAPH_ONTOLOGY: ontology}, shapes)
    }
    assert fast == _pyshacl(data, shapes, ontology)
    return fast


def _violations(found: set[Key]) -> set[str]:
    return {focus for focus, _, severity in found if severity == str(SH.Violation)}


def test_the_seed_dataset_flags_what_pyshacl_flags(seed, shapes, ontology) -> None:
    found = _differential(seed, shapes, ontology)
    assert _violations(found) == set()
    assert found, "the seed data has warnings or notes (firms without identifiers ...)"


def _deal_with_investment(graphs: dict[URIRef, Graph]) -> tuple[URIRef, URIRef, URIRef]:
    for name, graph in graphs.items():
        for deal in graph.subjects(RDF.type, AIKG.Investment):
            investor = graph.value(deal, AIKG.investor)
            if investor is not None:
                return name, deal, investor
    raise AssertionError("the seed data has no investment")


def _same_investor_and_investee(graphs: dict[URIRef, Graph]) -> URIRef:
    name, deal, investor = _deal_with_investment(graphs)
    graphs[name].add((deal, AIKG.investee, investor))
    return deal


def _wrong_lei_check_digit(graphs: dict[URIRef, Graph]) -> URIRef:
    reference = graphs[GRAPH_REFERENCE]
    lei = reference.value(FIRM.nvidia, AIKG.lei)
    reference.remove((FIRM.nvidia, AIKG.lei, lei))
    wrong = str(lei)[:-1] + str((int(str(lei)[-1]) + 1) % 10)
    reference.add((FIRM.nvidia, AIKG.lei, Literal(wrong)))
    return FIRM.nvidia


def _negative_amount(graphs: dict[URIRef, Graph]) -> URIRef:
    name, deal, _ = _deal_with_investment(graphs)
    amount = graphs[name].value(deal, AIKG.amount)
    graphs[name].set((amount, AIKG.value, Literal("-5", datatype=XSD.decimal)))
    return deal  # the deal's amount shape reports it


def _span_past_the_end(graphs: dict[URIRef, Graph]) -> URIRef:
    for graph in graphs.values():
        for annotation in graph.subjects(RDF.type, OA.Annotation):
            target = graph.value(annotation, OA.hasTarget)
            article = graph.value(target, OA.hasSource)
            length = graph.value(article, AIKG.length)
            for selector in graph.objects(target, OA.hasSelector):
                if (selector, OA.end, None) in graph:
                    end = Literal(str(int(length) + 10), datatype=XSD.nonNegativeInteger)
                    graph.set((selector, OA.end, end))
                    return URIRef(str(annotation))
    raise AssertionError("no annotation")


def _annotations(graphs: dict[URIRef, Graph]) -> list[tuple[Graph, URIRef]]:
    return [
        (graph, URIRef(str(annotation)))
        for graph in graphs.values()
        for annotation in sorted(graph.subjects(RDF.type, OA.Annotation))
    ]


def _annotation_without_target(graphs: dict[URIRef, Graph]) -> URIRef:
    graph, annotation = _annotations(graphs)[-1]  # not the one whose span is moved
    graph.remove((annotation, OA.hasTarget, None))
    return annotation


def _two_motivations(graphs: dict[URIRef, Graph]) -> URIRef:
    graph, annotation = _annotations(graphs)[-2]
    for motivation in (OA.identifying, OA.describing):
        graph.add((annotation, OA.motivatedBy, motivation))
    return annotation


def _selector_of(graph: Graph, annotation: URIRef) -> tuple[URIRef, URIRef]:
    """The target of ``annotation`` and its position selector (beside it a quote selector)."""
    target = graph.value(annotation, OA.hasTarget)
    selectors = [s for s in graph.objects(target, OA.hasSelector) if (s, OA.start, None) in graph]
    assert target is not None and len(selectors) == 1, "not one position selector"
    return URIRef(str(target)), URIRef(str(selectors[0]))


def _selector_with_a_decimal_start(graphs: dict[URIRef, Graph]) -> URIRef:
    """The target's only selector no longer conforms (its start is the same number, typed
    xsd:decimal): no qualified value (min count 1), and the span itself is still right."""
    graph, annotation = _annotations(graphs)[-3]
    _, selector = _selector_of(graph, annotation)
    start = graph.value(selector, OA.start)
    graph.set((selector, OA.start, Literal(str(start), datatype=XSD.decimal)))
    return annotation


def _two_selectors(graphs: dict[URIRef, Graph]) -> URIRef:
    """A second conforming selector on one target: two qualified values (max count 1)."""
    graph, annotation = _annotations(graphs)[-4]
    target, selector = _selector_of(graph, annotation)
    copy = URIRef(str(selector) + "-copy")
    for _, p, o in list(graph.triples((selector, None, None))):
        graph.add((copy, p, o))
    graph.add((target, OA.hasSelector, copy))
    return annotation


def _no_chinese_label(graphs: dict[URIRef, Graph]) -> URIRef:
    reference = graphs[GRAPH_REFERENCE]
    for label in list(reference.objects(FIRM.amd, RDFS.label)):
        if isinstance(label, Literal) and (label.language or "").lower() == "zh-hant":
            reference.remove((FIRM.amd, RDFS.label, label))
    return FIRM.amd


def _unknown_status(graphs: dict[URIRef, Graph]) -> URIRef:
    for graph in graphs.values():
        for entry in graph.subjects(AIKG.status, None):
            graph.set((entry, AIKG.status, AIKG.Postponed))
            return URIRef(str(entry))
    raise AssertionError("no status")


def _one_party(graphs: dict[URIRef, Graph]) -> URIRef:
    _, deal, _ = _deal_with_investment(graphs)
    for graph in graphs.values():  # every article that reports the deal
        graph.remove((deal, AIKG.investee, None))
    return deal


def _six_digit_cik(graphs: dict[URIRef, Graph]) -> URIRef:
    graphs[GRAPH_REFERENCE].set((FIRM.nvidia, AIKG.cik, Literal("123456")))
    return FIRM.nvidia


DEFECTS: dict[str, Callable[[dict[URIRef, Graph]], URIRef]] = {
    "same investor and investee": _same_investor_and_investee,
    "wrong LEI check digit": _wrong_lei_check_digit,
    "negative amount": _negative_amount,
    "span past the end of the text": _span_past_the_end,
    "firm without a zh-Hant label": _no_chinese_label,
    "unknown status": _unknown_status,
    "deal with one party": _one_party,
    "CIK of six digits": _six_digit_cik,
    "annotation without a target": _annotation_without_target,
    "annotation with two motivations": _two_motivations,
    "selector with a decimal start": _selector_with_a_decimal_start,
    "target with two selectors": _two_selectors,
}


#: defects that touch different nodes, planted together (one pyshacl run for all of them)
BATCHES = (
    (
        "wrong LEI check digit",
        "negative amount",
        "span past the end of the text",
        "firm without a zh-Hant label",
        "unknown status",
        "CIK of six digits",
        "annotation without a target",
        "annotation with two motivations",
        "selector with a decimal start",
        "target with two selectors",
    ),
    ("same investor and investee",),
    ("deal with one party",),
)


def test_the_batches_plant_every_defect() -> None:
    assert sorted(d for batch in BATCHES for d in batch) == sorted(DEFECTS)


@pytest.mark.parametrize("batch", BATCHES, ids=lambda b: ", ".join(b))
def test_planted_defects_are_flagged_as_pyshacl_flags_them(seed, shapes, ontology, batch) -> None:
    graphs = _copy(seed)
    planted = {str(DEFECTS[defect](graphs)) for defect in batch}
    found = _differential(graphs, shapes, ontology)
    assert _violations(found) == planted


def test_per_graph_a_node_is_checked_with_its_own_graph(seed, shapes, ontology) -> None:
    """One article says who invests, another who receives: each graph alone lacks a party, the
    union does not. Per graph, both graphs are flagged; the reference graph is checked alone."""
    name, deal, _ = _deal_with_investment(seed)
    first, second = Graph(), Graph()
    for triple in seed[name].triples((deal, None, None)):
        if triple[1] != AIKG.investee:
            first.add(triple)
        if triple[1] != AIKG.investor:
            second.add(triple)
    g1, g2 = URIRef("https://example.org/graph/1"), URIRef("https://example.org/graph/2")
    reference = seed[GRAPH_REFERENCE]
    findings = _fast(
        {g1: first, g2: second, GRAPH_REFERENCE: reference},
        {GRAPH_REFERENCE: reference, GRAPH_ONTOLOGY: ontology},
        shapes,
    )
    assert _parties(findings) == {(str(g1), str(deal)), (str(g2), str(deal))}
    for data in (first, second):
        union = Graph()
        union += data
        union += reference
        assert (str(deal), "SPARQLConstraintComponent", str(SH.Violation)) in _pyshacl(
            union, shapes, ontology
        )
    together = Graph()
    together += first
    together += second
    findings = _fast({g1: together}, {GRAPH_REFERENCE: reference, GRAPH_ONTOLOGY: ontology}, shapes)
    assert _parties(findings) == set()


def _parties(findings: list[Finding]) -> set[tuple[str, str]]:
    """(graph, deal) for each deal flagged for a missing party."""
    names = ("#Investor", "#Investee", "#DealPartiesShape")
    return {(f.graph, f.focus) for f in findings if f.shape.endswith(names)}


def test_what_the_compiler_cannot_translate_is_listed_not_passed() -> None:
    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:Closed a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .
        ex:Transitive a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .
        ex:Fine a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:maxCount 1 ] .
        """,
    )
    compiled = compile_shapes(shapes)
    assert sorted(str(s).rsplit("/", 1)[1] for s, _ in compiled.unsupported) == [
        "Closed",
        "Transitive",
    ]
    assert [c.component for c in compiled.checks] == ["MaxCountConstraintComponent"]


# -- the SHACL manifest (tests/shacl-manifest/) ----------------------------------------------
MANIFEST = Path(__file__).resolve().parent / "shacl-manifest"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


def _manifest_entries() -> list[tuple[str, Graph, URIRef]]:
    top = MANIFEST / "manifest.ttl"
    if not top.is_file():
        return []
    entries = []
    for included in sorted(Graph().parse(top, publicID=top.as_uri()).objects(None, MF.include)):
        path = Path(str(included).removeprefix("file://"))
        graph = Graph().parse(path, publicID=path.as_uri())
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            for entry in Collection(graph, graph.value(manifest, MF.entries)):
                entries.append((f"{path.stem}#{URIRef(entry).fragment}", graph, URIRef(entry)))
    return entries


ENTRIES = _manifest_entries()


@pytest.mark.parametrize(("name", "graph", "entry"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_manifest_entry_flags_what_the_expected_report_says(
    name, graph, entry, shapes, ontology
) -> None:
    """Each sht:Validate entry (whose expected report is pyshacl's, see
    test_validate_manifest.py): the compiled checks, run per graph with the reference data as
    the default graph, give the same (focus, component, severity) results."""
    action = graph.value(entry, MF.action)
    data = Graph()
    for source in sorted(graph.objects(action, SHT.dataGraph)):
        data.parse(Path(str(source).removeprefix("file://")))
    report = graph.value(entry, MF.result)
    expected = {
        (
            str(graph.value(r, SH.focusNode)),
            str(graph.value(r, SH.sourceConstraintComponent)).split("#")[-1],
            str(graph.value(r, SH.resultSeverity)),
        )
        for r in graph.objects(report, SH.result)
    }
    found = {
        (f.focus, f.component, f.severity)
        for f in _fast(
            {DATA: data},
            {GRAPH_REFERENCE: load_reference(), GRAPH_ONTOLOGY: ontology},
            shapes,
        )
    }
    assert found == expected
