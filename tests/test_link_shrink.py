"""`kg link` with an empty or cut-short register keeps the links already made (exit 2), unless
`--replace`: the report's cases (a header-only GLEIF CSV, `{}` as the SEC file)."""

from __future__ import annotations

import json

from rdflib import URIRef

from kg.cli import main
from kg.core.iris import BASE
from kg.store.embedded import Store
from tests.linkfixtures import make_store, write_gleif_level1_file, write_sec_tickers

LINKSET_GLEIF = URIRef(BASE + "graph/linkset-gleif")
LINKSET_SEC = URIRef(BASE + "graph/linkset-sec")


def _graph(store, name):
    with Store.open(store, read_only=True) as s:
        return sorted(s.graph(name)) if s.has_graph(name) else []


def _link(store, source, path, *extra):
    return main(["link", "--source", source, "--input", str(path), "--store", str(store), *extra])


def test_a_header_only_gleif_file_keeps_the_leis_unless_replace(tmp_path, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    full = write_gleif_level1_file(tmp_path / "level1.csv", decoys=500)
    assert _link(store, "gleif", full) == 0
    before = _graph(store, LINKSET_GLEIF)
    assert any("lei" in str(p) for _, p, _ in before)
    header = tmp_path / "header-only.csv"
    header.write_text(full.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    capsys.readouterr()
    assert _link(store, "gleif", header) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gave no entries" in err[0] and "--replace" in err[0]
    assert str(header) in err[0]
    assert _graph(store, LINKSET_GLEIF) == before
    # a file cut to a tenth: far fewer entries than the last run
    lines = full.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = tmp_path / "cut.csv"
    cut.write_text("".join(lines[: len(lines) // 10]), encoding="utf-8")
    assert _link(store, "gleif", cut) == 2
    assert "is the file cut short?" in capsys.readouterr().err
    assert _graph(store, LINKSET_GLEIF) == before
    # the user says so: replaced
    assert _link(store, "gleif", cut, "--replace") == 0
    assert _graph(store, LINKSET_GLEIF) != before


def test_an_empty_sec_file_keeps_the_sec_links(tmp_path, capsys):
    store = make_store(tmp_path / "store", stripped=True)
    tickers = write_sec_tickers(tmp_path / "company_tickers.json", decoys=200)
    assert _link(store, "sec", tickers) == 0
    before = _graph(store, LINKSET_SEC)
    assert before
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({}), encoding="utf-8")
    capsys.readouterr()
    assert _link(store, "sec", empty) == 2
    assert "gave no entries" in capsys.readouterr().err
    assert _graph(store, LINKSET_SEC) == before
