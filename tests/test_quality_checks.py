"""The quality checks (ontology/checks/*-violation.rq): none fires on the project's ontology and
reference data, and each one does fire on a small bad fixture. The dataset-wide checks (they read
every named graph) run over the seed store `kg build` makes from the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.core.ontology import check_files, load_ontology, load_reference
from kg.store.embedded import Store

ALL_CHECKS = {path.name.removesuffix("-violation.rq"): path for path in check_files()}
#: checks that read the named graphs of a built dataset (not one graph of ontology and reference)
DATASET_CHECKS = {"deal-without-label"}
CHECKS = {name: path for name, path in ALL_CHECKS.items() if name not in DATASET_CHECKS}

PREFIXES = """
@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
GHOST = "https://w3id.org/aikg/id/firm/ghost"

#: check name -> (bad Turtle, the IRI the check must report)
BAD: dict[str, tuple[str, str]] = {
    "missing-label": (
        f'<{GHOST}> a aikg:Firm ; rdfs:label "Ghost Inc."@en .',
        GHOST,
    ),
    "missing-definition": (
        'aikg:Widget a owl:Class ; rdfs:label "widget"@en , "小工具"@zh-Hant .',
        "https://w3id.org/aikg/ontology#Widget",
    ),
    "duplicate-label": (
        'aikg:Company a owl:Class ; rdfs:label "Firm"@en .',
        "https://w3id.org/aikg/ontology#Company",
    ),
    "duplicate-individual-label": (
        f'<{GHOST}> a aikg:Firm ; rdfs:label "nvidia"@en , "輝達"@zh-Hant .'
        '\n<https://w3id.org/aikg/id/firm/nvidia> a aikg:Firm ; rdfs:label "NVIDIA"@en .',
        GHOST,
    ),
    "undeclared-term": (
        f"<{GHOST}> a aikg:Firm ; aikg:headquarteredInn <https://w3id.org/aikg/id/country/us> .",
        "https://w3id.org/aikg/ontology#headquarteredInn",
    ),
    "untyped-individual": (
        f'<{GHOST}> rdfs:label "Ghost Inc."@en , "幽靈公司"@zh-Hant .',
        GHOST,
    ),
}


@pytest.fixture(scope="module")
def project_data() -> Graph:
    return load_ontology() + load_reference()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def run(check: Path, graph: Graph) -> list[list[str]]:
    return [[str(value) for value in row] for row in graph.query(check.read_text("utf-8"))]


def test_every_check_is_a_select_with_a_bad_fixture() -> None:
    assert len(CHECKS) >= 6
    assert set(CHECKS) == set(BAD)
    assert set(ALL_CHECKS) >= DATASET_CHECKS
    for path in ALL_CHECKS.values():
        assert "SELECT" in path.read_text("utf-8")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_project_passes_the_check(name: str, project_data: Graph) -> None:
    assert run(CHECKS[name], project_data) == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_check_fires_on_a_bad_fixture(name: str, ontology: Graph, tmp_path: Path) -> None:
    turtle, offender = BAD[name]
    fixture = tmp_path / f"{name}.ttl"
    fixture.write_text(PREFIXES + turtle + "\n", encoding="utf-8")
    bad = ontology + Graph().parse(fixture, format="turtle")
    rows = run(CHECKS[name], bad)
    assert rows, f"{name} found nothing in {fixture}"
    assert any(offender in row for row in rows), rows


# -- dataset-wide checks, over the built seed store -----------------------------------------------

DEAL_LABEL = ALL_CHECKS["deal-without-label"].read_text("utf-8")


def _deals(store: Store) -> list[str]:
    query = (
        "PREFIX aikg: <https://w3id.org/aikg/ontology#>\n"
        "SELECT DISTINCT ?deal WHERE { GRAPH ?g { ?deal aikg:statusEntry ?entry } } ORDER BY ?deal"
    )
    return [str(row["deal"]) for row in store.select(query).rows]


def test_every_deal_of_the_seed_store_has_both_labels(seed_store: Path) -> None:
    """``seed_store`` (tests/conftest.py) is `kg build --corpus` of the reviewed records."""
    with Store.open(seed_store, read_only=True) as store:
        assert len(_deals(store)) >= 10
        assert store.select(DEAL_LABEL).rows == []


def test_a_deal_without_its_chinese_label_is_reported(seed_store: Path) -> None:
    copy = Store.in_memory()
    with Store.open(seed_store, read_only=True) as store:
        copy.oxigraph.extend(list(store.oxigraph))
    deal = "https://w3id.org/aikg/id/deal/nvidia-openai-10gw"
    assert deal in _deals(copy)
    copy.oxigraph.update(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"DELETE {{ GRAPH ?g {{ <{deal}> rdfs:label ?l }} }}\n"
        f"WHERE {{ GRAPH ?g {{ <{deal}> rdfs:label ?l }}\n"
        "  FILTER(langMatches(LANG(?l), 'zh-Hant')) }"
    )
    rows = [(str(r["deal"]), str(r["language"])) for r in copy.select(DEAL_LABEL).rows]
    assert rows == [(deal, "zh-Hant")]
    copy.oxigraph.update(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"DELETE WHERE {{ GRAPH ?g {{ <{deal}> rdfs:label ?l }} }}"
    )
    rows = [(str(r["deal"]), str(r["language"])) for r in copy.select(DEAL_LABEL).rows]
    assert rows == [(deal, "en"), (deal, "zh-Hant")]
