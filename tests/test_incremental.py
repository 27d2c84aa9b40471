"""`kg build --update RECORD.yaml`: one article graph replaced in an existing store, alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main as kg_main

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "corpus" / "000_2866ef9cdc55d130.yaml"
ARTICLE = "https://w3id.org/aikg/id/article/tradingkey-2025-09-nvidia-openai"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    target = tmp_path_factory.mktemp("incremental") / "store"
    assert kg_main(["build", "--corpus", str(corpus_dir), "--store", str(target)]) == 0
    return target


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    return copy


def quads_by_graph(path: Path) -> dict[str, set[str]]:
    """Each graph's quads as N-Quads lines (blank nodes are kept by the update)."""
    store = ox.Store.read_only(str(path))
    out: dict[str, set[str]] = {}
    for q in store:
        out.setdefault(str(q.graph_name), set()).add(str(q))
    del store
    return out


def edited(tmp_path: Path, old: str, new: str, *, name: str = RECORD.name) -> Path:
    text = RECORD.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "records" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_update_replaces_only_its_graph(store, tmp_path, corpus_dir, capsys):
    before = quads_by_graph(store)
    record = edited(tmp_path, "up to US$100 billion in all.", "up to US$100 billion overall.")
    assert (
        kg_main(
            ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
        )
        == 0
    )
    assert f"replaced <{ARTICLE}>" in capsys.readouterr().out.replace(ARTICLE, f"<{ARTICLE}>")
    after = quads_by_graph(store)
    assert set(after) == set(before)
    changed = {g for g in before if before[g] != after[g]}
    assert changed == {f"<{ARTICLE}>"}
    gone = before[f"<{ARTICLE}>"] - after[f"<{ARTICLE}>"]
    came = after[f"<{ARTICLE}>"] - before[f"<{ARTICLE}>"]
    assert len(gone) == len(came) == 1
    assert "overall." in next(iter(came))


def test_unchanged_record_gives_the_same_graph_as_a_build(store, corpus_dir, capsys):
    before = quads_by_graph(store)
    args = ["build", "--update", str(RECORD), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 0
    capsys.readouterr()
    assert quads_by_graph(store) == before


def test_new_article_is_added(store, tmp_path, capsys):
    record = edited(
        tmp_path,
        "id: tradingkey-2025-09-nvidia-openai",
        "id: tradingkey-2025-09-copy",
        name="x.yaml",
    )
    # no --corpus: the copy names a text it is not the sha256 of, so texts are not checked
    assert kg_main(["build", "--update", str(record), "--store", str(store)]) == 0
    assert "added" in capsys.readouterr().out
    graphs = quads_by_graph(store)
    assert len(graphs["<https://w3id.org/aikg/id/article/tradingkey-2025-09-copy>"]) > 1000
    assert f"<{ARTICLE}>" in graphs


def test_non_conforming_record_is_refused_and_the_store_kept(store, tmp_path, corpus_dir, capsys):
    before = quads_by_graph(store)
    # the 10 GW investment loses its investor: a SHACL violation, found in this graph alone
    record = edited(
        tmp_path,
        "    investor: firm/nvidia\n    investee: firm/openai\n    amount: {value: 1000",
        "    investee: firm/openai\n    amount: {value: 1000",
    )
    args = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert kg_main(args) == 1
    err = capsys.readouterr().err
    assert f"{ARTICLE} does not conform" in err
    assert "deal:nvidia-openai-10gw" in err
    assert quads_by_graph(store) == before
    assert kg_main([*args, "--allow-invalid"]) == 0
    assert "does not conform" in capsys.readouterr().err
    assert quads_by_graph(store) != before


def test_bad_record_names_file_and_line(store, tmp_path, capsys):
    record = edited(tmp_path, "    investee: firm/openai\n", "    investee: firm/no-such-firm\n")
    assert kg_main(["build", "--update", str(record), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert f"{record}:" in err
    assert "no-such-firm" in err


def test_update_needs_an_existing_store(tmp_path, capsys):
    args = ["build", "--update", str(RECORD), "--store", str(tmp_path / "none")]
    assert kg_main(args) == 2
    assert "run 'kg build' first" in capsys.readouterr().err
