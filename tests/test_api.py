"""The Python API (docs/api.md) on real stores built from the bundled records: the page's
examples run as they stand, the notebook-style example runs with plain python, and each call
gives what the command line's verb gives."""

from __future__ import annotations

import doctest
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg
from kg.cli import main
from kg.core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_the_examples_of_docs_api_md_run(corpus_dir, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("KG_CORPUS", str(corpus_dir))
    result = doctest.testfile(
        str(ROOT / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 30
    assert result.failed == 0


def test_the_analyst_example_runs_with_plain_python(corpus_dir, tmp_path):
    env = {**os.environ, "KG_CORPUS": str(corpus_dir)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "analyst.py"), str(tmp_path / "work")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "NVIDIA → OpenAI → Oracle → NVIDIA" in done.stdout
    assert "deals of NVIDIA by role" in done.stdout
    assert (tmp_path / "work" / "nvidia-deals.csv").read_text(encoding="utf-8").startswith("deal,")


def test_import_kg_stays_light():
    code = (
        "import sys, kg, kg.cli.app; "
        "kg.cli.app.build_parser([]); "
        "heavy = [m for m in ('pyoxigraph', 'rdflib', 'matplotlib', 'pandas', 'kg.api') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert kg.open is kg.api.open  # the API, loaded on first use


def test_query_gives_what_kg_query_gives(seed_store, capsys):
    ds = kg.open(seed_store)
    rows = ds.query("deals-of-firm", firm="nvidia")
    args = ["query", "deals-of-firm", "--param", "firm=nvidia", "--store", str(seed_store)]
    assert main(args) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(rows) == len(table) - 2 > 5
    assert repr(rows).splitlines()[0].split() == table[0].split()
    assert {row["deal"] for row in rows} >= {"NVIDIA–OpenAI 10 GW investment"}
    for row, iris in zip(rows, rows.iris, strict=True):
        assert iris["deal"].startswith("https://w3id.org/aikg/id/deal/")
        assert not row["deal"].startswith("http")
    # columns empty in every row of an answer are dropped: two rows show fewer, in the same order
    fewer = ds.query("deals-of-firm", {"firm": "nvidia"}, limit=2).columns
    assert fewer == [c for c in rows.columns if c in fewer] and "deal" in fewer
    assert len(ds.query("deals-of-firm", firm="nvidia", limit=2)) == 2


def test_rows_in_a_notebook_and_as_a_dataframe(seed_store):
    ds = kg.open(seed_store)
    rows = ds.query("firm-profile", firm="nvidia", lang="zh-Hant")
    html = rows._repr_html_()
    assert html.startswith("<table><caption>firm-profile: ") and "輝達" in html
    assert 'title="https://w3id.org/aikg/id/' in html
    frame = rows.to_pandas()
    assert list(frame.columns) == rows.columns and len(frame) == len(rows)
    assert list(rows.to_pandas(headers=True).columns) == [rows.headers[c] for c in rows.columns]
    with pytest.raises(InputError, match="answers with rows, not a graph"):
        rows.to_rdflib()


def test_to_pandas_names_the_extra_when_pandas_is_missing(seed_store, monkeypatch):
    rows = kg.open(seed_store).query("capital-cycles")
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pandas" else real(name, *a)
    )
    with pytest.raises(InputError, match=r"pip install 'aikg\[notebook\]'"):
        rows.to_pandas()


def test_graph_answers_and_article_graphs(seed_store, capsys):
    ds = kg.open(seed_store)
    graph = ds.query("money-flows").to_rdflib()
    assert isinstance(graph, Graph) and len(graph) > 0
    assert main(["query", "money-flows", "--store", str(seed_store)]) == 0
    assert len(Graph().parse(data=capsys.readouterr().out, format="turtle")) == len(graph)
    article = ds.graph("tradingkey-2025-09-nvidia-openai")
    iri = URIRef("https://w3id.org/aikg/id/article/tradingkey-2025-09-nvidia-openai")
    assert ds.graph(str(iri)) == article or len(ds.graph(str(iri))) == len(article)
    assert len(ds.graph("article/tradingkey-2025-09-nvidia-openai")) == len(article) > 1000
    with pytest.raises(InputError, match="articles: tradingkey-2025-09-nvidia-openai"):
        ds.graph("no-such-article")
    assert str(iri) in ds.graphs()


def test_validate_export_and_link_call_what_the_verbs_call(seed_store, tmp_path, capsys):
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    ds = kg.open(store)
    report = ds.validate()
    assert report.conforms and report.counts() == kg.open(seed_store).validate().counts()
    out = ds.export(tmp_path / "a.nq")
    assert main(["export", "-o", str(tmp_path / "b.nq"), "--store", str(store)]) == 0
    assert out.read_bytes() == (tmp_path / "b.nq").read_bytes()
    ds.export(tmp_path / "c.ttl", format="turtle")
    assert main(["export", "--format", "ttl", "--store", str(store)]) == 0
    assert (tmp_path / "c.ttl").read_text(encoding="utf-8") == capsys.readouterr().out
    run = ds.link("sec", ROOT / "samples" / "registers" / "company_tickers.json")
    assert run.graph_iri == URIRef("https://w3id.org/aikg/id/graph/linkset-sec")
    assert str(run.graph_iri) in ds.graphs()
    with pytest.raises(InputError, match=r"far fewer|no entries|gave no"):
        empty = tmp_path / "empty.json"
        empty.write_text("{}", encoding="utf-8")
        ds.link("sec", empty)


def test_build_and_extract_write_what_the_verbs_write(corpus_dir, tmp_path):
    ds = kg.build(store=tmp_path / "store", corpus=corpus_dir)
    assert ds.built is not None and ds.built.articles == 2 and ds.built.conforms is not False
    sample = ROOT / "samples" / "articles" / "coreweave-contracts.txt"
    drafts = kg.extract([sample], out=tmp_path / "api", published="2025-09-30")
    assert list(drafts) == [sample]
    args = ["extract", str(sample), "--out", str(tmp_path / "cli"), "--published", "2025-09-30"]
    assert main([*args, "--quiet"]) == 0
    name = "coreweave-contracts.yaml"
    assert (tmp_path / "api" / name).read_text() == (tmp_path / "cli" / name).read_text()
    with pytest.raises(InputError, match="at least 1"):
        kg.extract([sample], jobs=0)


@pytest.mark.java
def test_reason_writes_the_inferred_graph(seed_store, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    ds = kg.open(store)
    report = ds.reason()
    assert report.consistent and len(report.inferred) > 0
    assert "https://w3id.org/aikg/id/graph/inferred" in ds.graphs()
