"""The rules of ontology/rules (kg.reason.rules): faithful to HermiT on the seed dataset, and
what they infer from one small hand-written article graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, URIRef

from kg.core.errors import InputError
from kg.core.iris import (
    BASE,
    DERIVED_GRAPHS,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_REFERENCE,
    ONTOLOGY,
)
from kg.core.ontology import load_ontology, load_reference
from kg.reason.rules import Work, load_rules, materialise, rules_dir, supported
from kg.store.embedded import Store

AIKG = ONTOLOGY
PAYS_TO = URIRef(AIKG + "paysTo")
RECEIVES_FROM = URIRef(AIKG + "receivesFrom")
FLOWS = URIRef(AIKG + "capitalFlowsTo")
CLASSES = {URIRef(AIKG + c) for c in ("AILab", "ChipVendor", "CloudProvider")}
Triple = tuple[URIRef, URIRef, URIRef]


def a(name: str) -> URIRef:
    return URIRef(AIKG + name)


def i(ref: str) -> URIRef:
    return URIRef(BASE + ref)


def covered(t: Triple) -> bool:
    """What the rules are about: aikg: property assertions and the three defined classes."""
    if t[1] == RDF.type:
        return t[2] in CLASSES
    return str(t[1]).startswith(AIKG)


def closure(edges: set[tuple[URIRef, URIRef]]) -> set[tuple[URIRef, URIRef]]:
    found = set(edges)
    while True:
        more = {(x, z) for x, y in found for y2, z in found if y == y2} - found
        if not more:
            return found
        found |= more


@pytest.mark.java
def test_rules_give_what_hermit_infers_on_the_seed(reasoned_seed_store, capsys):
    capsys.readouterr()
    with Store.open(reasoned_seed_store, read_only=True) as store:
        articles = [g for g in store.graph_names() if str(g).startswith(BASE + "article/")]
        assert len(articles) == 2
        ours = materialise(store, graphs=[*articles, GRAPH_REFERENCE])
        hermit = {t for t in store.graph(GRAPH_INFERRED) if covered(t)}
        rules = {t for t in ours if not asserted(store, t)}
        direct = {(s, o) for s, p, o in ours if p == FLOWS}
        chains = {e for e in closure(direct) if not asserted(store, (e[0], FLOWS, e[1]))}
    # every property assertion and defined-class membership but the chains of flows: equal
    assert {t for t in rules if t[1] != FLOWS} == {t for t in hermit if t[1] != FLOWS}
    # the chains of capital flows are the transitive closure of the direct ones the rules give
    assert {(s, o) for s, p, o in hermit if p == FLOWS} == chains
    assert len(closure(direct)) > len(direct)  # the seed does have chains
    # and the rules are not trivially empty on it
    kinds = {p for _, p, _ in rules} | {o for _, p, o in rules if p == RDF.type}
    assert {PAYS_TO, RECEIVES_FROM, FLOWS, a("party"), a("partyIn"), a("AILab")} <= kinds
    assert a("CloudProvider") in kinds and a("ChipVendor") in kinds


def asserted(store: Store, t: Triple) -> bool:
    """Stated in a graph of the store other than the inferred one and those kg build derives
    (the money flows' aikg:paysTo is a conclusion, which kg reason infers all the same)."""
    s, p, o = (ox.NamedNode(str(x)) for x in t)
    skipped = {ox.NamedNode(str(g)) for g in (GRAPH_INFERRED, *DERIVED_GRAPHS)}
    return any(q.graph_name not in skipped for q in store.oxigraph.quads_for_pattern(s, p, o, None))


# -- one small article graph, no reasoner ------------------------------------------------------


@pytest.fixture(scope="module")
def small() -> Store:
    """The ontology and reference graphs, and one article graph written by hand."""
    store = Store.in_memory()
    store.replace_graph(GRAPH_ONTOLOGY, load_ontology())
    store.replace_graph(GRAPH_REFERENCE, load_reference())
    article = Graph()
    cloud, supply, loan = i("deal/t-cloud"), i("deal/t-supply"), i("deal/t-loan")
    for triple in [
        (cloud, RDF.type, a("ComputeContract")),
        (cloud, a("buyer"), i("firm/openai")),
        (i("firm/oracle"), a("supplierIn"), cloud),  # a role stated from the firm's side
        (supply, RDF.type, a("SupplyAgreement")),
        (supply, a("buyer"), i("firm/oracle")),
        (supply, a("supplier"), i("firm/amd")),
        (supply, a("product"), i("chip/h200")),
        (loan, RDF.type, a("Financing")),
        (loan, a("borrower"), i("firm/oracle")),
        (loan, a("lender"), i("firm/blue-owl")),
        (i("firm/xai"), a("develops"), i("model/grok")),
        (i("firm/amd"), a("develops"), i("chip/h200")),  # a chip is no AI model
        (cloud, RDF.type, Literal("not an IRI")),
    ]:
        article.add(triple)
    store.replace_graph(i("article/t"), article)
    return store


def test_chains_inverses_and_super_properties(small):
    out = materialise(small, graphs=[i("article/t")])
    openai, oracle, amd, owl_ = (
        i("firm/openai"),
        i("firm/oracle"),
        i("firm/amd"),
        i("firm/blue-owl"),
    )
    for payer, payee in [(openai, oracle), (oracle, amd), (oracle, owl_)]:
        assert (payer, PAYS_TO, payee) in out
        assert (payee, RECEIVES_FROM, payer) in out
        assert (payer, FLOWS, payee) in out
    assert (openai, FLOWS, amd) not in out  # chains of flows are not the rules' job
    assert (i("deal/t-cloud"), a("supplier"), oracle) in out  # owl:inverseOf
    assert (i("deal/t-cloud"), a("party"), oracle) in out  # through the inverse, then up
    assert (oracle, a("partyIn"), i("deal/t-supply")) in out
    assert (amd, PAYS_TO, oracle) not in out


def test_defined_classes(small):
    out = materialise(small, graphs=[i("article/t")])
    members = {(s, o) for s, p, o in out if p == RDF.type}
    assert (i("firm/oracle"), a("CloudProvider")) in members
    assert (i("firm/amd"), a("ChipVendor")) in members
    assert (i("firm/xai"), a("AILab")) in members  # the model's class is in the reference data
    assert (i("firm/amd"), a("AILab")) not in members
    assert (i("firm/oracle"), a("ChipVendor")) not in members  # it buys the chips


def test_reference_alone_and_counted_work(small):
    work = Work()
    out = materialise(small, graphs=[GRAPH_REFERENCE], work=work)
    assert (i("firm/openai"), RDF.type, a("AILab")) in out  # develops and models: reference
    assert work.queries == len(load_rules()) and work.read >= len(out)


def test_support_is_asked_of_the_other_graphs(small):
    flow = (i("firm/oracle"), PAYS_TO, i("firm/amd"))
    assert supported(small, flow, excluding=[])
    assert not supported(small, flow, excluding=[i("article/t")])
    lab = (i("firm/openai"), RDF.type, a("AILab"))
    assert supported(small, lab, excluding=[i("article/t")])  # the reference graph entails it
    assert not supported(small, lab, excluding=[GRAPH_REFERENCE])


def test_rule_files_name_their_axiom():
    rules = load_rules()
    assert {r.name for r in rules} == {
        "ai-lab",
        "chip-vendor",
        "cloud-provider",
        "inverse-of",
        "pays-to",
        "sub-property-of",
    }
    for rule in rules:
        first = rule.construct.lstrip().splitlines()[0]
        assert first.startswith("# ") and ("owl:" in rule.construct or "rdfs:" in first)
    assert rules_dir().is_dir()


def test_a_broken_rule_names_its_file(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# no axiom\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(tmp_path)
    assert str(bad) in str(caught.value)
    bad.write_text("CONSTRUCT { ?s ?p ?o }\nWHERE { ?s ?p \n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(tmp_path)
    assert "not a SPARQL query" in str(caught.value)
