"""The tour's sample inputs (``samples/``): the register samples carry only identifiers the
reference data holds, the sample article is the project's own text, and its reviewed record
builds into a conforming dataset."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg.cli import main as kg_main
from kg.core.identifiers import lei_is_valid
from kg.core.namespaces import AIKG
from kg.core.paths import ontology_dir

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def reference_identifiers() -> dict[str, set[str]]:
    graph = Graph()
    for path in sorted((ontology_dir() / "reference").glob("*.ttl")):
        graph.parse(path)
    out: dict[str, set[str]] = {"lei": set(), "cik": set()}
    for kind, prop in (("lei", AIKG.lei), ("cik", AIKG.cik)):
        for subject, value in graph.subject_objects(prop):
            if isinstance(subject, URIRef) and isinstance(value, Literal):
                out[kind].add(str(value))
    return out


def test_register_samples_hold_only_reference_identifiers() -> None:
    known = reference_identifiers()
    tickers = json.loads((SAMPLES / "registers/company_tickers.json").read_text("utf-8"))
    ciks = {f"{row['cik_str']:010d}" for row in tickers.values()}
    assert len(tickers) >= 10 and ciks <= known["cik"], ciks - known["cik"]
    with (SAMPLES / "registers/gleif-level1-sample.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    leis = {row["LEI"] for row in rows}
    assert len(rows) >= 10 and leis <= known["lei"], leis - known["lei"]
    assert all(lei_is_valid(lei) for lei in leis)
    assert all(row["Entity.LegalName"].strip() for row in rows)


def test_the_sample_article_is_not_a_copy_of_the_source_texts(corpus_dir: Path) -> None:
    """No run of 12 characters of the sample occurs in the third-party texts at hand."""
    sample = (SAMPLES / "articles/coreweave-contracts.txt").read_text("utf-8")
    folders = [corpus_dir, corpus_dir.parent / "devset"]
    texts = [p.read_text("utf-8") for f in folders if f.is_dir() for p in f.glob("*.txt")]
    assert texts
    runs = {sample[i : i + 12] for i in range(len(sample) - 11)}
    assert not [run for run in runs if any(run in text for text in texts)]


def test_the_sample_record_builds_and_validates(tmp_path: Path) -> None:
    store = tmp_path / "store"
    status = kg_main(
        [
            "build",
            "--records",
            str(SAMPLES / "records"),
            "--corpus",
            str(SAMPLES / "articles"),
            "--store",
            str(store),
        ]
    )
    assert status == 0  # the text's SHA-256 and every span checked, SHACL conforms
