"""`kg bench` at a small size: the JSON's shape, and both sides built the same dataset. Never
timing assertions (CI machines differ); docs/performance.md has the measured figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kg.bench.synthetic import SyntheticCorpus, as_record
from kg.records.reader import load_record

ROOT = Path(__file__).resolve().parents[1]
OPS = {
    "build_validate",
    "incremental",
    "query_p50",
    "query_p95",
    "export_turtle",
    "export_nquads",
    "link_gleif",
}


@pytest.fixture(scope="module")
def result() -> dict:
    command = [
        *(sys.executable, "-m", "kg", "bench", "--articles", "50", "--json"),
        *("--query-timeout", "2", "--link-rows", "1000"),
        *("--incremental-limit", "0.2"),  # the plain incremental pass alone is stopped
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_json_has_the_documented_shape(result: dict) -> None:
    assert result["articles"] == 50
    assert isinstance(result["triples"], int) and result["triples"] > 50 * 50
    assert set(result["ops"]) == OPS
    stopped = set(result["timed_out"]["baseline"])
    for name, row in result["ops"].items():
        assert set(row) - {"lower_bound"} == {"ours_s", "baseline_s", "ratio"}, name
        times = [row["ours_s"], row["baseline_s"], row["ratio"]]
        assert all(isinstance(v, int | float) and v >= 0 for v in times), name
    # a time the plain side did not finish is marked as a lower bound
    for name in ("build_validate", "incremental"):
        assert result["ops"][name].get("lower_bound", False) == (name in stopped), name
    for name, row in result["queries"].items():
        assert row.get("lower_bound", False) == (name in stopped), name
    if result["ops"]["query_p95"].get("lower_bound"):
        assert stopped & set(result["queries"])
    assert set(result["peak_mb"]) == {"ours", "baseline"}
    assert all(v > 0 for v in result["peak_mb"].values())
    assert result["extraction"]["characters"] > 0


def test_each_limit_stops_its_own_pass(result: dict) -> None:
    """The report says what each lower bound was stopped at; --incremental-limit stops the
    plain stack's second pass and no other (its first pass and the peers run to their end)."""
    assert result["limits"] == {
        "query_timeout_s": 2.0,
        "time_limit_s": 3600.0,
        "incremental_limit_s": 0.2,
        "peer_limit_s": 3600.0,
    }
    assert result["ops"]["incremental"]["lower_bound"] is True
    assert result["ops"]["incremental"]["baseline_s"] >= 0.2
    assert "build_validate" not in result["timed_out"]["baseline"]
    assert all(row["status"] == "ok" for row in result["peers"].values()), result["peers"]


def test_both_sides_built_the_same_dataset(result: dict) -> None:
    assert result["triples"] == result["triples_baseline"]
    validation = result["validation"]
    # the synthetic data conforms (warnings only), and the union pass of the baseline agrees
    assert validation["violations"] == 0
    assert validation["unsupported_shapes"] == 0
    assert validation["baseline_conforms"] is True


def test_kg_validate_finds_what_pyshacl_finds(result: dict) -> None:
    """The aikg side's findings (kg validate's standard Turtle report: compiled checks, results
    written from them or by pyshacl on what they flag) are pyshacl's over the union of the same
    data, result for result."""
    validation = result["validation"]
    assert validation["findings"] > 0  # the corpus has warnings: the comparison means something
    assert validation["findings"] == validation["baseline_findings"]
    assert validation["same_as_pyshacl"] is True


def test_the_peers_find_what_kg_validate_finds(result: dict) -> None:
    """pyshacl-turbo and pyrudof (the [bench] extra, part of [test]) ran on the same shapes and
    data: each found kg validate's findings, result for result, with the shapes it could read
    (pyrudof refuses the LEI check's custom function and runs without that constraint)."""
    peers = result["peers"]
    assert set(peers) == {"pyshacl-turbo", "pyrudof"}
    for name, row in peers.items():
        assert row["status"] == "ok", (name, row)
        assert row["findings"] > 0 and row["equal"] is True, (name, row["cannot_express"])
        assert row["same"] == result["validation"]["findings"], name
    assert peers["pyshacl-turbo"]["shapes"] == "all"
    assert peers["pyrudof"]["shapes"] == "no-custom-functions"
    assert any("leiChecksumValid" in r for r in peers["pyrudof"]["refused"])


def test_the_engine_floor_is_reported(result: dict) -> None:
    assert result["limit_load_s"] > 0 and result["limit_read_s"] > 0
    assert set(result["validate"]) - {"lower_bound"} == {"ours_s", "baseline_s", "ratio"}


def test_the_aikg_side_builds_from_files_a_user_could_write(tmp_path: Path, monkeypatch) -> None:
    """The corpus kg bench writes is records and a reference file that kg build takes."""
    from kg.bench.synthetic import write_corpus
    from kg.cli import main

    files = write_corpus(SyntheticCorpus(articles=4, seed=2), tmp_path / "corpus")
    assert len(list(files.records.glob("*.yaml"))) == 4 and files.extra.is_file()
    monkeypatch.delenv("KG_CORPUS", raising=False)  # synthetic articles have no texts
    argv = ["build", "--records", str(files.records), "--reference", str(files.reference)]
    assert main([*argv, "--store", str(tmp_path / "store")]) == 0


def test_the_corpus_is_deterministic_and_shaped_like_the_real_one() -> None:
    first = SyntheticCorpus(articles=40, seed=3).record_dicts()
    assert first == SyntheticCorpus(articles=40, seed=3).record_dicts()
    assert first != SyntheticCorpus(articles=40, seed=4).record_dicts()
    kinds = set()
    for record in first:
        assert 5 <= len(record["facts"]) <= 15
        for fact in record["facts"]:
            assert fact["evidence"]
            kinds.add("mention" if "mentions" in fact else fact["type"])
    assert {"mention", "MetricObservation", "Claim", "Investment"} <= kinds
    years = {r["article"]["published"][:4] for r in first}
    assert len(years) > 3


def test_a_synthetic_record_is_a_valid_record_file(tmp_path: Path) -> None:
    """Written as YAML, a generated record reads back through kg.records like a reviewed one."""
    data = SyntheticCorpus(articles=5, seed=1).record_dicts()[2]
    path = tmp_path / "synth.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_record(path)
    direct = as_record(data)
    assert loaded.header.id == direct.header.id
    assert [f.body for f in loaded.facts] == [f.body for f in direct.facts]
    assert [f.spans for f in loaded.facts] != []
