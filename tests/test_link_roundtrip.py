"""The issue's round trip, through the CLI only: build the seed dataset, export it, strip every
external identifier, ``kg load`` the stripped export into a new store, then ``kg link`` against
register files with hundreds of thousands of decoy rows: every firm gets back its true CIK and
LEI, and nothing else is linked."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kg.cli import main
from kg.store.embedded import Store
from tests.linkfixtures import (
    IDENTIFIER_PREDICATES,
    truth,
    write_gleif_level1_file,
    write_sec_tickers,
)

AIKG = "https://w3id.org/aikg/ontology#"
GLEIF_DECOYS = 200_000
SEC_DECOYS = 20_000


@pytest.fixture(scope="module")
def stripped_store(tmp_path_factory: pytest.TempPathFactory, seed_store: Path) -> Path:
    folder = tmp_path_factory.mktemp("roundtrip")
    export = folder / "full.nq"
    assert main(["export", "--store", str(seed_store), "-o", str(export)]) == 0
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not any(f"<{p}>" in ln for p in IDENTIFIER_PREDICATES)]
    assert len(kept) < len(lines), "the export held no identifier to strip"
    stripped = folder / "stripped.nq"
    stripped.write_text("".join(kept), encoding="utf-8")
    store = folder / "store"
    assert main(["load", str(stripped), "--store", str(store)]) == 0
    with Store.open(store, read_only=True) as opened:
        for predicate in IDENTIFIER_PREDICATES:
            assert not opened.select(
                "SELECT ?s ?p WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
                bindings={"p": URIRef(predicate)},
            ).rows
    return store


def _linked(store: Path, predicate: str) -> dict[str, str]:
    with Store.open(store, read_only=True) as opened:
        rows = opened.select(
            "SELECT ?firm ?p ?id WHERE { GRAPH ?g { ?firm ?p ?id } "
            "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/aikg/id/graph/linkset')) }",
            bindings={"p": URIRef(AIKG + predicate)},
        ).rows
    return {str(r["firm"]).rsplit("/", 1)[1]: str(r["id"]) for r in rows}


def test_stripped_export_loaded_and_relinked_gets_true_ciks_and_leis(stripped_store, tmp_path):
    gleif = write_gleif_level1_file(tmp_path / "gleif-lei2.csv.gz", decoys=GLEIF_DECOYS)
    sec = write_sec_tickers(tmp_path / "company_tickers.json", decoys=SEC_DECOYS)
    assert (
        main(["link", "--source", "gleif", "--input", str(gleif), "--store", str(stripped_store)])
        == 0
    )
    assert (
        main(["link", "--source", "sec", "--input", str(sec), "--store", str(stripped_store)]) == 0
    )
    want_lei = {t.firm: t.lei for t in truth() if t.lei}
    want_cik = {t.firm: t.cik.zfill(10) for t in truth() if t.cik}
    assert _linked(stripped_store, "lei") == want_lei
    assert _linked(stripped_store, "cik") == want_cik
