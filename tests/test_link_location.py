"""`kg link` records where its register file is (``prov:atLocation``, a ``file:`` IRI, next to
the file's name), and `kg build --update` links a new firm from that file even when run from
another folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main as kg_main
from kg.link.linkset import input_location
from kg.link.pipeline import Source
from kg.store.embedded import Store

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "corpus" / "000_2866ef9cdc55d130.yaml"
BASE = "https://w3id.org/aikg/id/"
LINKSET = f"{BASE}graph/linkset-sec"
INPUT = f"{BASE}activity/link-sec/input"
PROV = "http://www.w3.org/ns/prov#"
NEW_FIRM = """facts:
  - id: firm/acme-compute
    type: Firm
    rdfs:label: {en: Acme Compute Inc., zh-Hant: 艾克米運算}
    skos:altLabel: ACMC
    evidence: [[0, 5]]
"""


@pytest.fixture
def linked(seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed store linked to a small company_tickers.json in a folder with spaces,
    named by a path relative to that folder."""
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    registers = tmp_path / "SEC registers"
    registers.mkdir()
    body = {
        "0": {"cik_str": 1045810, "ticker": "NVDA", "title": "NVIDIA CORP"},
        "1": {"cik_str": 1999999, "ticker": "ACMC", "title": "ACME COMPUTE INC"},
    }
    (registers / "company_tickers.json").write_text(json.dumps(body), encoding="utf-8")
    monkeypatch.chdir(registers)
    args = ["link", "--source", "sec", "--input", "company_tickers.json", "--store", str(store)]
    assert kg_main(args) == 0
    return store


def _objects(store: Path, predicate: str) -> list[str]:
    db = ox.Store.read_only(str(store))
    found = [
        q.object.value
        for q in db.quads_for_pattern(
            ox.NamedNode(INPUT), ox.NamedNode(predicate), None, ox.NamedNode(LINKSET)
        )
    ]
    del db
    return found


def test_the_linkset_records_the_register_file_path(linked: Path, tmp_path: Path) -> None:
    register = (tmp_path / "SEC registers" / "company_tickers.json").resolve()
    assert _objects(linked, PROV + "atLocation") == [register.as_uri()]
    assert register.as_uri().startswith("file:///") and "SEC%20registers" in register.as_uri()
    labels = _objects(linked, "http://www.w3.org/2000/01/rdf-schema#label")
    assert labels == ["SEC company_tickers.json: company_tickers.json"]  # the name stays
    with Store.open(linked, read_only=True) as store:
        assert input_location(store, Source.SEC) == register
        assert input_location(store, Source.GLEIF) is None  # no linkset of that register


def test_update_links_from_the_recorded_file_in_another_folder(
    linked: Path, tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no company_tickers.json here
    record = tmp_path / "records" / RECORD.name
    record.parent.mkdir()
    text = RECORD.read_text(encoding="utf-8")
    record.write_text(text.replace("facts:\n", NEW_FIRM, 1), encoding="utf-8")
    capsys.readouterr()
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(linked)]
    assert kg_main(args) == 0
    out = capsys.readouterr().out
    assert "links: sec: 1 firm(s) linked again from company_tickers.json" in out
    db = ox.Store.read_only(str(linked))
    cik = list(
        db.quads_for_pattern(
            ox.NamedNode(f"{BASE}firm/acme-compute"),
            ox.NamedNode("https://w3id.org/aikg/ontology#cik"),
            None,
            ox.NamedNode(LINKSET),
        )
    )
    del db
    assert [q.object.value for q in cik] == ["0001999999"]
