"""Bad data that used to pass `kg build`: one deal typed with disjoint classes by two records,
names with control, zero-width or bidi-override characters, an amount of 10^200. Each is a
violation now: the build (and `kg build --update` of the one record) is refused (exit 1) and the
store left as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.store.embedded import Store

ROOT = Path(__file__).resolve().parents[1]
DEAL_LINE = "  - id: deal/nvidia-openai-10gw\n    type: Investment\n"
LABEL = '"NVIDIA–OpenAI 10 GW investment"'


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("records")
    for path in (ROOT / "corpus").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    first, second = sorted(folder.glob("*.yaml"))
    text = second.read_text(encoding="utf-8")
    assert DEAL_LINE in text
    second.write_text(
        text.replace(DEAL_LINE, DEAL_LINE.replace("Investment", "FundingRound")), encoding="utf-8"
    )
    text = first.read_text(encoding="utf-8")
    assert LABEL in text and "amount: {value: 300000000000," in text
    text = text.replace(LABEL, '"NVIDIA\\u200B–OpenAI 10 GW \\u202Einvestment\\0"')
    text = text.replace("amount: {value: 300000000000,", "amount: {value: 1" + "0" * 200 + ",")
    first.write_text(text, encoding="utf-8")
    return folder


def test_the_build_refuses_them_and_keeps_the_store(
    planted, corpus_dir, seed_store, tmp_path, capsys
):
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    with Store.open(store, read_only=True) as opened:
        before = sorted(str(q) for q in opened.quads())
    status = main(
        ["build", "--records", str(planted), "--corpus", str(corpus_dir), "--store", str(store)]
    )
    err = capsys.readouterr().err
    assert status == 1, err
    assert "does not conform" in err
    with Store.open(store, read_only=True) as opened:
        assert sorted(str(q) for q in opened.quads()) == before


def test_each_defect_is_named_by_kg_validate(planted, corpus_dir, tmp_path, capsys):
    store = tmp_path / "store"
    argv = ["build", "--records", str(planted), "--corpus", str(corpus_dir), "--store", str(store)]
    assert main([*argv, "--allow-invalid"]) == 0
    capsys.readouterr()
    assert main(["validate", "--store", str(store), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    results = [(g["graph"], r) for g in report["graphs"] for r in g["results"]]
    disjoint = [(g, r) for g, r in results if r["shape"].endswith("#DisjointTypesAcrossGraphs")]
    assert {g for g, _ in disjoint} == {
        "https://w3id.org/aikg/id/article/tradingkey-2025-09-nvidia-openai",
        "https://w3id.org/aikg/id/article/unattributed-2026-02-nvidia-openai-reversal",
    }
    assert all(r["focus"].endswith("deal/nvidia-openai-10gw") for _, r in disjoint)
    assert any("FundingRound" in r["message"] for _, r in disjoint)
    names = [r for _, r in results if r["shape"].endswith("#NameCharacters")]
    assert len(names) == 1 and "bidirectional" in names[0]["message"]
    amounts = [r for _, r in results if r["shape"].endswith("#PlausibleAmount")]
    assert len(amounts) == 1 and "10^18" in amounts[0]["message"]


def test_an_update_that_types_a_deal_apart_from_another_record_is_refused(
    corpus_dir, seed_store, tmp_path, capsys
):
    """The second record re-typed alone: only the other article graph of the store types the
    deal an Investment, so the update's check must look beyond the record's own graph."""
    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    second = sorted((ROOT / "corpus").glob("*.yaml"))[1]
    text = second.read_text(encoding="utf-8")
    assert DEAL_LINE in text
    record = tmp_path / second.name
    record.write_text(
        text.replace(DEAL_LINE, DEAL_LINE.replace("Investment", "FundingRound")), encoding="utf-8"
    )
    with Store.open(store, read_only=True) as opened:
        before = sorted(str(q) for q in opened.quads())
    argv = ["build", "--update", str(record), "--corpus", str(corpus_dir), "--store", str(store)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "does not conform" in err and "FundingRound" in err
    with Store.open(store, read_only=True) as opened:
        assert sorted(str(q) for q in opened.quads()) == before
    # the record as reviewed updates the same store: the check sees the other graph's type
    # only where it clashes
    assert main([*argv[:2], str(second), *argv[3:]]) == 0
