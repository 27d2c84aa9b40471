"""``kg link --source sec | sec-exchange``: the SEC ticker files, real firms among decoys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.cli import main
from kg.core.errors import InputError
from kg.core.iris import GRAPH_REFERENCE
from kg.link.firms import read_firms
from kg.link.match import Thresholds, Verdict
from kg.link.pipeline import link_sec
from kg.link.sources.sec import read_company_tickers, read_company_tickers_exchange
from kg.store.embedded import Store
from tests.linkfixtures import (
    make_store,
    reference_graph,
    traps,
    truth,
    write_sec_exchange,
    write_sec_tickers,
)

AIKG = "https://w3id.org/aikg/ontology#"
FIRM = "https://w3id.org/aikg/id/firm/"
LINKSET_SEC = URIRef("https://w3id.org/aikg/id/graph/linkset-sec")
DECOYS = 50_000


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sec")
    return {
        "tickers": write_sec_tickers(folder / "company_tickers.json", decoys=DECOYS),
        "exchange": write_sec_exchange(folder / "company_tickers_exchange.json", decoys=DECOYS),
    }


@pytest.fixture(scope="module")
def stripped_firms(tmp_path_factory: pytest.TempPathFactory):
    path = make_store(tmp_path_factory.mktemp("store") / "store", stripped=True)
    with Store.open(path) as store:
        return read_firms(store)


@pytest.fixture(scope="module")
def stripped_result(files, stripped_firms):
    return link_sec(stripped_firms, files["tickers"], exchange=False, thresholds=Thresholds())


def expected_ciks() -> dict[str, str]:
    return {t.firm: t.cik.zfill(10) for t in truth() if t.cik}


def test_reads_the_public_shapes(files):
    records = read_company_tickers(files["tickers"])
    alphabet = next(r for r in records if r.identifier == "0001652044")
    assert {listing.symbol for listing in alphabet.listings} == {"GOOGL", "GOOG"}
    assert len(records) == DECOYS + len(expected_ciks()) + sum(t.register == "sec" for t in traps())
    with_mic = read_company_tickers_exchange(files["exchange"])
    nvidia = next(r for r in with_mic if r.identifier == "0001045810")
    assert [(x.symbol, x.mic) for x in nvidia.listings] == [("NVDA", "XNAS")]


def test_stripped_firms_get_their_ciks_back_and_nothing_wrong(stripped_result):
    result = stripped_result
    linked = {
        d.firm.slug: d.candidate.identifier
        for d in result.decisions
        if d.verdict is Verdict.LINK and d.candidate is not None
    }
    assert linked == expected_ciks()
    trap_ciks = {t.identifier.zfill(10) for t in traps() if t.register == "sec"}
    assert not trap_ciks & set(linked.values())


def test_traps_are_explained(stripped_result):
    result = stripped_result
    blue_owl = next(d for d in result.decisions if d.firm.slug == "blue-owl")
    corp = next(c for c in blue_owl.considered if c.identifier == "0001655888")
    assert any(f.name == "legal form" and f.weight < 0 for f in corp.features)
    assert blue_owl.candidate is not None and blue_owl.candidate.identifier == "0001823945"
    seaport = next(d for d in result.decisions if d.firm.slug == "seaport-global-securities")
    assert seaport.verdict is Verdict.NONE


def test_sec_exchange_adds_tickers_with_their_mic(files, stripped_firms):
    result = link_sec(stripped_firms, files["exchange"], exchange=True, thresholds=Thresholds())
    tickers = {(link.firm.slug, link.listing.symbol, link.listing.mic) for link in result.listings}
    expected = set()
    for t in truth():
        for symbol in t.tickers:
            expected.add((t.firm, symbol, {"Nasdaq": "XNAS", "NYSE": "XNYS"}[t.exchange]))
    assert tickers == expected


def test_an_existing_cik_is_confirmed_and_a_disagreeing_one_reported(tmp_path, files):
    graph = reference_graph(stripped=False)
    # the store wrongly gives Meta the CIK of Meta Materials, and Intel a second CIK
    graph.set((URIRef(FIRM + "meta"), URIRef(AIKG + "cik"), Literal("0001431959")))
    graph.add((URIRef(FIRM + "intel"), URIRef(AIKG + "cik"), Literal("0001431959")))
    with Store.open(tmp_path / "store") as store:
        store.replace_graph(GRAPH_REFERENCE, graph)
        firms = read_firms(store)
    result = link_sec(firms, files["tickers"], exchange=False, thresholds=Thresholds())
    by_firm = {d.firm.slug: d for d in result.decisions}
    assert by_firm["nvidia"].verdict is Verdict.CONFIRMED
    assert by_firm["meta"].verdict is Verdict.CONFLICT
    assert "0001431959" in by_firm["meta"].reason
    assert "best match is 0001326801" in by_firm["meta"].reason  # what the register says
    assert by_firm["intel"].verdict is Verdict.CONFLICT
    assert "holds 2 ciks" in by_firm["intel"].reason
    assert not any(d.verdict is Verdict.LINK for d in result.decisions)


def test_cli_writes_the_linkset_graph_review_and_explanation(tmp_path, files, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    review = tmp_path / "review.csv"
    argv = ["link", "--source", "sec", "--input", str(files["tickers"]), "--store", str(store)]
    assert main([*argv, "--review", str(review), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "firm/nvidia: link cik 0001045810" in out
    assert "legal form -0.25" in out  # Blue Owl Capital Corp, explained
    assert review.read_text(encoding="utf-8").startswith("firm,verdict,kind,identifier")
    with Store.open(store) as s:
        rows = s.select(
            "PREFIX aikg: <https://w3id.org/aikg/ontology#> "
            "SELECT ?g ?firm ?cik ?score WHERE { GRAPH ?g { ?firm aikg:cik ?cik . "
            "?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?firm ; "
            "<https://w3id.org/sssom/confidence> ?score } }",
            bindings={"g": LINKSET_SEC},
        ).rows
        first = s.count(LINKSET_SEC)
    found = {str(r["firm"])[len(FIRM) :]: str(r["cik"]) for r in rows}
    assert found == expected_ciks()
    assert all(float(r["score"]) >= 0.9 for r in rows)
    # a second run replaces the graph, it does not add to it
    assert main(argv) == 0
    with Store.open(store) as s:
        assert s.count(LINKSET_SEC) == first


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (
            '{"0": {"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"}, "1": {"cik_',
            ":1:",
        ),
        ('{"0": {"cik_str": "1045810", "ticker": "NVDA", "title": "NVIDIA CORP"}}', "row 0"),
        ('{"0": {"cik_str": 1045810, "title": "NVIDIA CORP"}}', "row '0'"),
        ("[1, 2]", "company_tickers.json: expected"),
    ],
)
def test_malformed_or_truncated_file_exit_2_and_nothing_written(tmp_path, capsys, content, where):
    store = make_store(tmp_path / "store", stripped=True)
    bad = tmp_path / "company_tickers.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "links.ttl"
    argv = ["link", "--source", "sec", "--input", str(bad), "--store", str(store)]
    assert main([*argv, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and where in err
    assert "Traceback" not in err
    assert not out.exists()
    assert main(argv) == 2
    with Store.open(store) as s:
        assert LINKSET_SEC not in s.graph_names()


def test_exchange_file_rows_are_checked(tmp_path):
    bad = tmp_path / "company_tickers_exchange.json"
    data = {"fields": ["cik", "name", "ticker", "exchange"], "data": [[1, "A", "A", "Moon"]]}
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="row 0: unknown exchange"):
        read_company_tickers_exchange(bad)
