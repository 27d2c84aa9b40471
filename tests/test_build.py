"""`kg build`: records → a store; a broken record leaves the previous store as it was."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.build.dataset import build_dataset
from kg.cli import main
from kg.core.errors import NonConformingError
from kg.core.iris import BASE, GRAPH_FLOWS, GRAPH_ONTOLOGY, GRAPH_REFERENCE, article_iri
from kg.core.paths import records_dir
from kg.records.reader import load_record
from kg.store.embedded import Store
from kg.store.export import export_bytes
from kg.store.formats import RdfFormat
from tests.storefiles import leftovers

FIXTURES = Path(__file__).parent / "fixtures" / "records"
GOOD = FIXTURES / "good"
TEXTS = FIXTURES / "texts"
PREFIXES = """
PREFIX aikg: <https://w3id.org/aikg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fixture") / "store"
    assert (
        main(["build", "--records", str(GOOD), "--corpus", str(TEXTS), "--store", str(path)]) == 0
    )
    return path


def nquads(store: Path) -> bytes:
    with Store.open(store, read_only=True) as opened:
        return export_bytes(opened, fmt=RdfFormat.NQUADS)


# -- the fixtures --------------------------------------------------------------------------------
def test_build_makes_one_graph_per_article_and_prints_a_summary(tmp_path, capsys):
    store = tmp_path / "store"
    assert (
        main(["build", "--records", str(GOOD), "--corpus", str(TEXTS), "--store", str(store)]) == 0
    )
    out = capsys.readouterr().out
    assert "2 articles, 8 facts, 1 deals, 5 firms mentioned" in out
    with Store.open(store, read_only=True) as opened:
        names = opened.graph_names()
        assert names == sorted(
            [
                article_iri("fixture-alpha"),
                article_iri("fixture-beta"),
                GRAPH_FLOWS,  # the deal's flows (its conflicting reports: none, no graph)
                GRAPH_ONTOLOGY,
                GRAPH_REFERENCE,
            ]
        )
        for name in names:
            assert str(name) in out
            assert opened.count(name) > 0
    assert leftovers(tmp_path / "store") == []  # no temporary folder left


def test_summary_counts_are_what_the_records_say(tmp_path):
    summary = build_dataset(records_dir=GOOD, store_dir=tmp_path / "s", corpus_dir=TEXTS)
    # firms: nvidia, openai, oracle, and the two publishers
    assert (summary.articles, summary.facts, summary.deals, summary.firms) == (2, 8, 1, 5)
    assert summary.conforms is None
    assert sum(summary.triples.values()) == len(nquads(tmp_path / "s").splitlines())


def test_fixture_facts_by_sparql(fixture_store):
    deal = URIRef(BASE + "deal/fixture-nvidia-openai")
    with Store.open(fixture_store, read_only=True) as store:
        rows = store.select(
            PREFIXES
            + """SELECT ?deal ?g ?status ?asOf WHERE { GRAPH ?g {
                ?deal aikg:statusEntry ?e . ?e aikg:status ?status ; aikg:asOf ?asOf } }
                ORDER BY ?asOf""",
            bindings={"deal": deal},
        ).rows
        assert [(r["g"], r["status"].split("#")[1], r["asOf"]) for r in rows] == [
            (
                article_iri("fixture-alpha"),
                "LetterOfIntent",
                Literal("2025-09-22", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
            ),
            (
                article_iri("fixture-beta"),
                "Stalled",
                Literal("2026-02", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")),
            ),
        ]
        # nested nodes have IRIs under the article, never blank nodes
        nested = store.select(
            PREFIXES
            + "SELECT ?deal ?t WHERE { GRAPH ?g { ?deal aikg:tranche ?t . ?t aikg:capacity ?c } }",
            bindings={"deal": deal},
        ).rows
        assert [str(r["t"]) for r in nested] == [f"{article_iri('fixture-alpha')}/fact/4/tranche/1"]
        # a draft's provenance: extracted by a versioned agent, confidence on the annotation
        rows = store.select(
            PREFIXES
            + """SELECT ?g ?deal ?agent ?method ?conf WHERE { GRAPH ?g {
                ?g prov:wasGeneratedBy ?a . ?a prov:wasAssociatedWith ?agent ; aikg:method ?method .
                ?ann oa:hasBody ?deal ; aikg:confidence ?conf } }""",
            bindings={"g": article_iri("fixture-beta"), "deal": deal},
        ).rows
        assert [(str(r["agent"]), str(r["method"]), str(r["conf"])) for r in rows] == [
            (BASE + "agent/aikg-extract-0-1-0", "extracted", "0.6")
        ]


def test_quotes_only_with_the_corpus(tmp_path, fixture_store):
    query = (
        PREFIXES
        + """SELECT ?start ?end ?exact ?source WHERE { GRAPH ?g {
        ?t oa:hasSource ?source ; oa:hasSelector ?p , ?q .
        ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact } }"""
    )
    with Store.open(fixture_store, read_only=True) as store:
        rows = store.select(query).rows
    texts = {
        article_iri("fixture-alpha"): (TEXTS / "alpha.txt").read_text(encoding="utf-8"),
        article_iri("fixture-beta"): (TEXTS / "beta.txt").read_text(encoding="utf-8"),
    }
    assert len(rows) == 13  # every span of both records
    for row in rows:
        text = texts[row["source"]]
        assert str(row["exact"]) == text[int(row["start"]) : int(row["end"])]

    build_dataset(records_dir=GOOD, store_dir=tmp_path / "bare")
    with Store.open(tmp_path / "bare", read_only=True) as store:
        assert store.select(query).rows == []
        assert not store.ask(PREFIXES + "ASK { GRAPH ?g { ?q a oa:TextQuoteSelector } }")
        assert store.ask(PREFIXES + "ASK { GRAPH ?g { ?q a oa:TextPositionSelector } }")


# -- broken records: exit 2 with file:line, the previous store untouched -------------------------
BROKEN = [
    ("alpha.yaml", "    investee: firm/openai", "    investe: firm/openai", "unknown key"),
    ("alpha.yaml", "product: architecture/vera-rubin", "product: chip/h9000", "unknown individual"),
    ("alpha.yaml", "startDate: 2026-07", "startDate: 2026-7", "not a date"),
    ("alpha.yaml", "    value: 4.5", "    value: 4,5", "not a number"),
    ("alpha.yaml", "  - type: Claim", "  - type: Opinion", "unknown class"),
    ("alpha.yaml", "evidence: [[407, 411]]", "evidence: [[407, 4110]]", "outside the text"),
    ("beta.yaml", "sha256: 4e55", "sha256: 0e55", "SHA-256"),
    ("beta.yaml", "published: 2026-02", "published: 2026-02-30", "not a date"),
]


@pytest.mark.parametrize(("name", "old", "new", "needle"), BROKEN)
def test_broken_record_exits_2_naming_file_and_line_and_keeps_the_store(
    tmp_path, capsys, fixture_store, name, old, new, needle
):
    folder = tmp_path / "records"
    shutil.copytree(GOOD, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1

    before = nquads(fixture_store)
    capsys.readouterr()
    status = main(
        ["build", "--records", str(folder), "--corpus", str(TEXTS), "--store", str(fixture_store)]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert f"{path}:{line}: " in err and needle in err
    assert len(err.strip().splitlines()) == 1
    assert nquads(fixture_store) == before
    assert leftovers(fixture_store) == []


def test_missing_records_folder_and_the_console_script(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "build",
            "--records",
            str(tmp_path / "none"),
            "--store",
            str(tmp_path / "s"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert str(tmp_path / "none") in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists()


def test_a_failed_validation_keeps_the_old_store_unless_allowed(tmp_path, fixture_store):
    store = tmp_path / "store"
    shutil.copytree(fixture_store, store)
    before = nquads(store)

    def refuse(built: Store) -> None:
        assert built.count() > 0  # it sees the new dataset
        raise NonConformingError("1 violation")

    beta_only = tmp_path / "records"
    shutil.copytree(GOOD, beta_only)
    (beta_only / "beta.yaml").unlink()
    with pytest.raises(NonConformingError):
        build_dataset(records_dir=beta_only, store_dir=store, validate=refuse)
    assert nquads(store) == before
    summary = build_dataset(
        records_dir=beta_only, store_dir=store, validate=refuse, allow_invalid=True
    )
    assert summary.conforms is False
    assert nquads(store) != before


# -- the real corpus -----------------------------------------------------------------------------
def test_corpus_graphs_and_article_metadata(seed_store):
    with Store.open(seed_store, read_only=True) as store:
        articles = [g for g in store.graph_names() if g.startswith(BASE + "article/")]
        assert len(articles) == len(list(records_dir().glob("*.yaml"))) >= 2
        rows = store.select(
            PREFIXES
            + """SELECT ?a ?issued ?len ?sha WHERE { GRAPH ?a {
                ?a a aikg:Article ; dcterms:issued ?issued ; aikg:length ?len ; aikg:sha256 ?sha } }
                ORDER BY ?issued"""
        ).rows
    assert {r["a"] for r in rows} == set(articles)
    first = rows[0]
    assert str(first["issued"]) == "2025-09"
    assert str(first["issued"].datatype).endswith("#gYearMonth")
    assert int(first["len"]) == 2445
    assert str(first["sha"]).startswith("4d3a3b8a")


def test_corpus_nvidia_openai_deal_by_sparql(seed_store):
    with Store.open(seed_store, read_only=True) as store:
        rows = store.select(
            PREFIXES
            + """SELECT DISTINCT ?deal ?investor ?investee ?bound WHERE { GRAPH ?g {
                ?deal aikg:investor ?investor ; aikg:investee ?investee ; aikg:amount ?m .
                ?m aikg:value ?v ; aikg:currency "USD" ; aikg:bound ?bound .
                FILTER (?v = 100000000000) } }"""
        ).rows
        deals = {str(r["deal"]).rsplit("/", 1)[1]: r for r in rows}
        assert "nvidia-openai-10gw" in deals
        row = deals["nvidia-openai-10gw"]
        assert str(row["investor"]) == BASE + "firm/nvidia"
        assert str(row["investee"]) == BASE + "firm/openai"
        assert str(row["bound"]).endswith("#AtMost")

        statuses = store.select(
            PREFIXES
            + """SELECT ?deal ?status ?asOf WHERE { GRAPH ?g {
                ?deal aikg:statusEntry ?e . ?e aikg:status ?status ; aikg:asOf ?asOf } }
                ORDER BY ?asOf""",
            bindings={"deal": URIRef(BASE + "deal/nvidia-openai-10gw")},
        ).rows
    history = [(str(r["status"]).split("#")[1], str(r["asOf"])) for r in statuses]
    assert history[0] == ("LetterOfIntent", "2025-09-22")
    assert ("Denied", "2026-01") in history
    assert str(statuses[0]["asOf"].datatype).endswith("#date")


def test_corpus_every_evidence_lies_inside_its_article_with_a_matching_quote(
    seed_store, corpus_dir
):
    with Store.open(seed_store, read_only=True) as store:
        rows = store.select(
            PREFIXES
            + """SELECT ?g ?source ?start ?end ?len ?exact ?body WHERE { GRAPH ?g {
                ?ann a oa:Annotation ; oa:hasBody ?body ; oa:hasTarget ?t .
                ?t oa:hasSource ?source ; oa:hasSelector ?p , ?q .
                ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
                ?q a oa:TextQuoteSelector ; oa:exact ?exact .
                ?source aikg:length ?len ; aikg:sourceFile ?file } }"""
        ).rows
        facts = store.select(
            PREFIXES
            + """SELECT (COUNT(DISTINCT ?ann) AS ?n) WHERE { GRAPH ?g { ?ann a oa:Annotation } }"""
        ).rows[0]["n"]
    texts = {}
    for record in records_dir().glob("*.yaml"):
        loaded = load_record(record, corpus_dir=corpus_dir)
        texts[article_iri(loaded.header.id)] = loaded.text
    assert len({r["g"] for r in rows}) == len(texts)
    assert int(facts) > 100
    for row in rows:
        assert row["source"] == row["g"]  # evidence points into the article of its graph
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= int(row["len"])
        assert str(row["exact"]) == texts[row["g"]][start:end]


# -- the user's own reference data (--reference) --------------------------------------------------
ACME = """@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/aikg/id/firm/acme> a aikg:Firm ;
    rdfs:label "Acme Compute"@en , "艾克米運算"@zh-Hant ;
    aikg:lei "5493001KJTIIGC8Y1R12" .
"""


def test_reference_files_name_the_users_own_firms(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "records"
    shutil.copytree(GOOD, folder)
    path = folder / "alpha.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    investee: firm/openai", "    investee: firm/acme"
        ),
        encoding="utf-8",
    )
    reference = tmp_path / "mine.ttl"
    reference.write_text(ACME, encoding="utf-8")
    store = tmp_path / "store"
    argv = ["build", "--records", str(folder), "--corpus", str(TEXTS), "--store", str(store)]
    assert main(argv) == 2  # firm/acme is not known without the user's reference data
    assert "unknown individual" in capsys.readouterr().err
    assert main([*argv, "--reference", str(reference)]) == 0
    with Store.open(store, read_only=True) as opened:
        assert opened.ask(
            "ASK { GRAPH <https://w3id.org/aikg/id/graph/reference> {"
            " <https://w3id.org/aikg/id/firm/acme> ?p ?o } }"
        )
    capsys.readouterr()
    assert main(["validate", "--store", str(store)]) == 0


def test_a_bad_reference_file_is_exit_2_naming_file_and_line(tmp_path, capsys, fixture_store):
    before = nquads(fixture_store)
    broken = tmp_path / "mine.ttl"
    broken.write_text(ACME.replace('"Acme Compute"@en ,', '"Acme Compute"@en ,,'), "utf-8")
    argv = ["build", "--records", str(GOOD), "--corpus", str(TEXTS)]
    capsys.readouterr()
    assert main([*argv, "--store", str(fixture_store), "--reference", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:4" in err and len(err.strip().splitlines()) == 1
    assert (
        main([*argv, "--store", str(fixture_store), "--reference", str(tmp_path / "no.ttl")]) == 2
    )
    assert str(tmp_path / "no.ttl") in capsys.readouterr().err
    assert nquads(fixture_store) == before


def test_a_reference_file_that_does_not_conform_is_refused(tmp_path, capsys):
    reference = tmp_path / "mine.ttl"
    reference.write_text(ACME.replace(', "艾克米運算"@zh-Hant', ""), encoding="utf-8")
    store = tmp_path / "store"
    argv = ["build", "--records", str(GOOD), "--corpus", str(TEXTS), "--store", str(store)]
    assert main([*argv, "--reference", str(reference)]) == 1
    assert "firm:acme" in capsys.readouterr().err
    assert not store.exists()
